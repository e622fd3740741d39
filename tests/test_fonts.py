"""Korean text in figures: `import helpers` makes NanumGothic matplotlib's default font, every
Korean character we draw has a glyph, the minus sign renders, and koreanize_matplotlib itself is
never imported."""
from __future__ import annotations

import io
import logging
import subprocess
import sys
import warnings

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

import helpers
from helpers import fonts

KOREAN_STRINGS = {
    "title": "혼동 행렬: 고양이·강아지 분류 (정확도 −3%)",  # U+2212: drawn by the DejaVu fallback
    "xlabel": "에폭",
    "ylabel": "손실 값",
    "ticks": ["비행기", "자동차", "새", "고양이", "사슴", "개", "개구리", "말", "배", "트럭"],
    "legend": "학습 / 검증",
    "text": "실제(정답) 예측 재현율 정밀도 로짓 확률 합 = 1",
}


def default_font_path() -> str:
    return font_manager.findfont(font_manager.FontProperties(family=mpl.rcParams["font.family"]),
                                 fallback_to_default=False)


def test_default_family_resolves_to_nanum_gothic():
    assert helpers.fonts.FONT_FAMILY == "NanumGothic"
    assert mpl.rcParams["font.family"][0] == "NanumGothic"
    path = default_font_path()
    assert path.endswith("NanumGothic.ttf"), path
    assert FT2Font(path).family_name == "NanumGothic"
    assert mpl.rcParams["axes.unicode_minus"] is False  # NanumGothic has no U+2212


def test_korean_figure_renders_without_missing_glyphs(caplog):
    fig, ax = plt.subplots()
    ax.plot(range(-5, 5), [v * v for v in range(-5, 5)], label=KOREAN_STRINGS["legend"])
    ax.set_title(KOREAN_STRINGS["title"])
    ax.set_xlabel(KOREAN_STRINGS["xlabel"])
    ax.set_ylabel(KOREAN_STRINGS["ylabel"])
    ax.set_xticks(range(-5, 5), KOREAN_STRINGS["ticks"], rotation=45)
    ax.text(0, 10, KOREAN_STRINGS["text"])
    ax.legend()
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=50)  # negative y tick labels: the minus sign
    plt.close(fig)
    messages = [str(w.message) for w in caught] + [r.getMessage() for r in caplog.records]
    assert not [m for m in messages if "missing from" in m or "findfont" in m], messages
    assert buffer.getbuffer().nbytes > 1000

    # every Hangul character we drew is in NanumGothic itself (not left to a fallback font)
    font = FT2Font(default_font_path())
    drawn = "".join(KOREAN_STRINGS["title"] + KOREAN_STRINGS["xlabel"] + KOREAN_STRINGS["ylabel"]
                    + "".join(KOREAN_STRINGS["ticks"]) + KOREAN_STRINGS["legend"] + KOREAN_STRINGS["text"])
    hangul = {c for c in drawn if "\uac00" <= c <= "\ud7a3"}
    assert len(hangul) > 30
    missing = [c for c in sorted(hangul | set("-0123456789%()=/.:·")) if font.get_char_index(ord(c)) == 0]
    assert missing == []


def test_minus_sign_renders_as_hyphen_minus_in_nanum():
    font = FT2Font(default_font_path())
    assert font.get_char_index(ord("-")) != 0
    assert font.get_char_index(0x2212) == 0  # why unicode_minus is off


def test_plotting_figures_render_korean_without_warnings(caplog):
    import numpy as np

    from helpers import plotting

    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        fig = plotting.plot_logits_and_probs(np.array([2.0, -1.5, 0.3]), ["고양이", "강아지", "자동차"])
        fig.savefig(io.BytesIO(), format="png", dpi=40)
    plt.close(fig)
    messages = [str(w.message) for w in caught] + [r.getMessage() for r in caplog.records]
    assert not [m for m in messages if "missing from" in m or "findfont" in m], messages


def test_importing_helpers_never_imports_koreanize_matplotlib():
    code = (
        "import sys, helpers, helpers.plotting, matplotlib as mpl;"
        "assert 'koreanize_matplotlib' not in sys.modules, 'koreanize_matplotlib imported';"
        "print(mpl.rcParams['font.family'][0])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env={**__import__("os").environ, "MPLBACKEND": "Agg"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "NanumGothic"


def test_register_korean_font_is_idempotent():
    bundled = {str(p) for p in fonts.font_files()}

    def nanum_entries():
        return sum(1 for f in font_manager.fontManager.ttflist if f.fname in bundled)

    before = (nanum_entries(), list(mpl.rcParams["font.family"]))
    assert fonts.register_korean_font() == "NanumGothic"
    assert fonts.register_korean_font() == "NanumGothic"
    assert (nanum_entries(), list(mpl.rcParams["font.family"])) == before
    registered = {f.fname for f in font_manager.fontManager.ttflist}
    assert bundled <= registered  # every bundled file is known (matplotlib may list one file twice,
    # under its family and its typographic name); repeating the call added nothing


def test_font_files_are_bundled_nanum_ttf():
    files = fonts.font_files()
    assert files and all(p.suffix == ".ttf" and "nanum" in p.name.lower() for p in files)
    assert any(p.name == "NanumGothic.ttf" for p in files)


@pytest.mark.parametrize("family", ["NanumGothic"])
def test_findfont_by_name(family):
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert path.endswith("NanumGothic.ttf")
