"""Korean text in every figure: register NanumGothic (shipped by koreanize-matplotlib) with matplotlib.

We locate the font files without importing ``koreanize_matplotlib`` itself: its import uses
distutils' ``LooseVersion``, which is gone on Python >= 3.12 without setuptools.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

FONT_FAMILY = "NanumGothic"
_registered: str | None = None


def font_files() -> list[Path]:
    """Paths of the NanumGothic ``.ttf`` files bundled with koreanize-matplotlib."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return []
    root = Path(list(spec.submodule_search_locations)[0])
    return sorted(p for p in root.rglob("*.ttf") if "nanum" in p.name.lower())


def register_korean_font() -> str | None:
    """Add NanumGothic to matplotlib and make it the default family. Idempotent.

    Returns the family name, or ``None`` (with a Korean warning) when the font is missing.
    """
    global _registered
    if _registered:
        return _registered
    import matplotlib as mpl
    from matplotlib import font_manager

    files = font_files()
    if not files:
        import warnings

        warnings.warn(
            "한글 글꼴(NanumGothic)을 찾지 못했습니다: 그림의 한글이 네모(□)로 보일 수 있습니다. "
            "'pip install koreanize-matplotlib' 로 설치하세요.",
            stacklevel=2,
        )
        return None
    for path in files:
        font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(files[0])).get_name()
    mpl.rcParams["font.family"] = [family, "DejaVu Sans"]
    # seaborn's set_theme() resets font.family to "sans-serif": put NanumGothic first there too.
    mpl.rcParams["font.sans-serif"] = [family, *[f for f in mpl.rcParams["font.sans-serif"] if f != family]]
    mpl.rcParams["axes.unicode_minus"] = False  # NanumGothic has no U+2212 minus sign
    _registered = family
    return family
