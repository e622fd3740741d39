"""``course-site``: the course as a static website (Sphinx + MyST-NB + sphinx-book-theme).

The site is built from the lesson masters **through the generated student notebooks**
(``notebooks/NN_slug.ipynb``, made by ``course-build``), so it contains exactly what a student
receives: exercise cells with ``...``, public ``grader.check`` cells, no solution and no hidden
test. Pages:

- ``index``: the course (from ``README.md``), the lesson table with each lesson's profile, device
  and execution date, how to start (from ``README.md``);
- ``lessons/NN_slug``: one page per lesson with its executed outputs, a Colab badge and a download
  of the clean student notebook;
- ``glossary`` (``lessons/GLOSSARY.md``), ``instructors`` (``docs/instructors.md``) and ``api/``
  (the ``helpers`` package from its docstrings, autodoc; no source code is published).

Execution: each student notebook runs top to bottom in a copy that has ``notebooks/tests/``
beside it, with ``COURSE_PROFILE`` set and text progress bars (tqdm prints its final line instead
of a widget). Results are cached with jupyter-cache (the cache MyST-NB uses), keyed by the
notebook's code, in one cache per profile and per content of ``helpers/`` and the public tests:
an unchanged lesson is not executed again. A cell that raises fails the build with the lesson's
name, the cell number and the error. ``--executed DIR`` takes notebooks executed elsewhere (the
test suite's executed student notebooks) instead of executing those lessons.

Python API: :func:`build_site`. Configuration of Sphinx: ``docs/site/conf.py``.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import html
import io
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# (importing helpers.site has made nbformat's jsonschema skip rfc3987-syntax's IRI grammar:
# seconds of CPU for a format check nbformat never uses; see helpers.authoring.runtime)
import nbformat

from helpers import checks
from helpers.authoring import build as course_build
from helpers.authoring import notebook_io, runtime

PROFILES = ("quick", "full")
REPO = Path(__file__).resolve().parents[2]
CONF_DIR_NAME = Path("docs") / "site"
DEFAULT_CELL_TIMEOUT = 1800
# The site's Korean web font: NanumGothic (koreanize-matplotlib's copy) with its empty Visual
# TrueType source tables removed (browsers' font sanitizer, OTS, rejects the zero-length TSI3 table
# and would drop the whole font) and, as the SIL OFL asks of a Modified Version, a new name.
WEB_FONT_FAMILY = "CourseGothic"
WEB_FONT_FILES = {"NanumGothic.ttf": "CourseGothic-Regular.ttf", "NanumGothicBold.ttf": "CourseGothic-Bold.ttf"}
VTT_TABLES = ("TSI0", "TSI1", "TSI2", "TSI3", "TSI5")
OTTER_MARKERS = (
    "# BEGIN SOLUTION", "# END SOLUTION", "# BEGIN QUESTION", "# END QUESTION", "# BEGIN TESTS",
    "# END TESTS", "# BEGIN PROMPT", "# HIDDEN", "# SOLUTION", "\"hidden\": true", "'hidden': True",
)
PREFLIGHT_RE = re.compile(r"장치\(device\): (?P<device>[^|\n]+?) \| 프로파일\(profile\): (?P<profile>\w+)")
COLAB_BADGE_URL = "https://colab.research.google.com/assets/colab-badge.svg"


#: where progress lines go (``print`` by default; a test may collect them)
Log = Callable[[str], object]


class SiteError(RuntimeError):
    """The site could not be built; the message names the lesson (and cell) and what to do."""


@dataclass
class Provenance:
    """Who produced a lesson page's outputs."""

    profile: str
    device: str
    executed_at: dt.datetime  # UTC
    how: str  # "executed", "cache" or "pre-executed"

    @property
    def date(self) -> str:
        return self.executed_at.strftime("%Y-%m-%d")

    def sentence(self) -> str:
        how = {"executed": "이번 빌드에서 실행", "cache": "캐시된 실행 결과", "pre-executed": "미리 실행된 노트북"}[self.how]
        return (
            f"이 페이지의 출력은 **{self.profile}** 프로파일, 장치 **{self.device}** 에서 "
            f"**{self.executed_at:%Y-%m-%d %H:%M} UTC** 에 실행한 결과입니다 ({how})."
        )


@dataclass
class SiteLesson:
    """One lesson page."""

    name: str
    title: str
    student_notebook: Path
    provenance: Provenance
    execution_seconds: float = 0.0


@dataclass
class SiteResult:
    """What :func:`build_site` made."""

    out_dir: Path
    lessons: list[SiteLesson]
    seconds: float
    execute_seconds: float
    sphinx_seconds: float
    warnings: list[str] = field(default_factory=list)

    def page(self, lesson: str) -> Path:
        return self.out_dir / "lessons" / f"{lesson}.html"


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------
def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _write_if_changed(path: Path, data: str | bytes) -> None:
    """Write only when the content differs, so Sphinx re-reads only what changed."""
    blob = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_file() and path.read_bytes() == blob:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(blob)


def _hash_tree(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _title(nb: nbformat.NotebookNode, lesson: str) -> tuple[int, str]:
    """Index and text of the lesson's ``# `` heading (the page title)."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for line in notebook_io.cell_source(cell).splitlines():
            if line.startswith("# "):
                return index, line[2:].strip()
    raise SiteError(f"{lesson}: 학생 노트북에 제목(# 으로 시작하는 줄)이 없습니다.")


def check_student_notebook(nb: nbformat.NotebookNode, lesson: str) -> None:
    """Refuse a notebook that still has otter's solution/test markup (e.g. a solution notebook)."""
    for index, cell in enumerate(nb.cells):
        text = notebook_io.cell_source(cell)
        for marker in OTTER_MARKERS:
            if marker.lower() in text.lower():
                raise SiteError(
                    f"{lesson}: 셀 {index}에 {marker!r} 가 있습니다. 사이트는 학생 노트북(notebooks/, course-build 가 "
                    "만든 것)으로만 만듭니다: 솔루션이나 숨은 테스트가 들어가면 안 됩니다."
                )


def _code_sources(nb: nbformat.NotebookNode) -> list[str]:
    return [notebook_io.cell_source(c).strip() for c in nb.cells if c.cell_type == "code"]


# --------------------------------------------------------------------------------------------
# Execution (jupyter-cache) and provenance
# --------------------------------------------------------------------------------------------
@contextlib.contextmanager
def kernel_environment(profile: str, scratch: Path) -> Iterator[None]:
    """``os.environ`` for the kernels nbclient starts: the profile, this interpreter, text tqdm.

    :func:`helpers.authoring.runtime.subprocess_env` gives headless kernels (no widgets; text
    progress bars, whose final line a static page keeps — a tqdm widget would show its first
    frame). Figures must reach the notebook, so ``MPLBACKEND`` is removed (ipykernel then
    selects the inline backend). The previous environment is restored afterwards.
    """
    env = runtime.subprocess_env(profile, scratch)
    env.pop("MPLBACKEND", None)
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def provenance_from_outputs(nb: nbformat.NotebookNode, lesson: str, profile: str) -> tuple[str, str]:
    """``(device, profile)`` as printed by ``helpers.preflight()`` in the executed set-up cell."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            text = output.get("text", "") if output.get("output_type") == "stream" else ""
            match = PREFLIGHT_RE.search(text if isinstance(text, str) else "".join(text))
            if match:
                return match.group("device").strip(), match.group("profile")
    raise SiteError(
        f"{lesson}: 실행된 노트북에서 helpers.preflight() 의 출력(장치·프로파일)을 찾을 수 없습니다. "
        "준비 셀이 실행된 노트북인지 확인하세요."
    )


def _failed_cell(nb: nbformat.NotebookNode) -> tuple[int, nbformat.NotebookNode, dict[str, Any]] | None:
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.get("output_type") == "error":
                return index, cell, output
    return None


def execution_error(lesson: str, nb: nbformat.NotebookNode, err: BaseException) -> SiteError:
    """A :class:`SiteError` naming the lesson, the cell and the error."""
    found = _failed_cell(nb)
    if found is None:  # a timeout leaves no error output
        return SiteError(f"{lesson}: 노트북 실행 실패 ({type(err).__name__}): {str(err)[-1500:]}")
    index, cell, output = found
    source = notebook_io.cell_source(cell)
    snippet = "\n".join(source.splitlines()[:15])
    return SiteError(
        f"{lesson}: 셀 {index} 실행 실패 — {output.get('ename')}: {output.get('evalue')}\n"
        f"--- 셀 {index} ---\n{snippet}\n---\n레슨 원본 lessons/{lesson}.md 를 고치고 course-build 로 노트북을 다시 만드세요."
    )


def cache_key(repo: Path, notebooks_dir: Path, profile: str) -> str:
    """Cache folder name: the profile and the content of ``helpers/`` and the public tests.

    (``helpers/site`` and ``helpers/authoring`` are left out: notebooks never import them.)

    jupyter-cache matches a notebook by its code cells; what else decides the outputs (the
    profile, the helpers package, ``notebooks/tests/``) selects the cache folder.
    """
    package = repo / "helpers"
    files = [
        p for p in package.rglob("*.py")
        if "__pycache__" not in p.parts and p.relative_to(package).parts[0] not in ("site", "authoring")
    ]
    files += list((notebooks_dir / "tests").glob("*.py"))
    return f"{profile}-{_hash_tree(files)}"


def execute_lesson(
    nb: nbformat.NotebookNode, lesson: str, *, profile: str, tests_dir: Path, cache_dir: Path,
    work_dir: Path, timeout: int = DEFAULT_CELL_TIMEOUT, log: Log = print,
) -> tuple[nbformat.NotebookNode, Provenance, float]:
    """Executed copy of a student notebook, from jupyter-cache or by running it (then cached)."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.executors.utils import single_nb_execution

    cache = get_cache(str(cache_dir))
    try:
        record = cache.match_cache_notebook(nb)
    except KeyError:
        record = None
    if record is not None:
        _, merged = cache.merge_match_into_notebook(nb)
        when = dt.datetime.fromisoformat(record.data["executed_at"])
        device, _ = provenance_from_outputs(merged, lesson, profile)
        log(f"  {lesson}: 캐시된 실행 결과 사용 ({when:%Y-%m-%d %H:%M} UTC)")
        return widgets_to_text(merged), Provenance(profile, device, when, "cache"), 0.0

    folder = work_dir / lesson
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copytree(tests_dir, folder / "tests")
    path = folder / f"{lesson}.ipynb"
    nbformat.write(nb, str(path))
    executed = nbformat.read(str(path), as_version=4)
    log(f"  {lesson}: 실행 중 (프로파일 {profile}) …")
    started = _now()
    with kernel_environment(profile, work_dir / f"{lesson}-env"):
        result = single_nb_execution(executed, cwd=str(folder), timeout=timeout, allow_errors=False, meta_override=False)
    if result.err is not None:
        raise execution_error(lesson, executed, result.err)
    device, ran_profile = provenance_from_outputs(executed, lesson, profile)
    if ran_profile != profile:
        raise SiteError(f"{lesson}: {profile} 프로파일로 실행했는데 노트북은 {ran_profile} 로 실행되었습니다.")
    cache.cache_notebook_bundle(
        CacheBundleIn(executed, str(path), data={"execution_seconds": result.time, "executed_at": started.isoformat()}),
        check_validity=False, overwrite=True,
    )
    log(f"  {lesson}: {result.time:.1f}초")
    return widgets_to_text(executed), Provenance(profile, device, started, "executed"), float(result.time)


def load_executed(
    nb: nbformat.NotebookNode, lesson: str, executed_dir: Path, profile: str,
) -> tuple[nbformat.NotebookNode, Provenance]:
    """A notebook executed elsewhere: same code as the student notebook, same profile."""
    path = executed_dir / f"{lesson}.ipynb"
    if not path.is_file():
        raise SiteError(f"{lesson}: --executed 폴더에 {path.name} 가 없습니다 ({executed_dir}).")
    executed = notebook_io.read_notebook(path)
    if _code_sources(executed) != _code_sources(nb):
        raise SiteError(
            f"{lesson}: {path} 의 코드가 학생 노트북(notebooks/{lesson}.ipynb)과 다릅니다: 다시 실행한 노트북을 주세요."
        )
    failed = _failed_cell(executed)
    if failed is not None:
        index, _, output = failed
        raise SiteError(f"{lesson}: {path} 의 셀 {index} 에 오류 출력이 있습니다 ({output.get('ename')}).")
    device, ran_profile = provenance_from_outputs(executed, lesson, profile)
    if ran_profile != profile:
        raise SiteError(f"{lesson}: --profile {profile} 인데 {path} 는 {ran_profile} 프로파일로 실행되었습니다.")
    when = dt.datetime.fromtimestamp(int(path.stat().st_mtime), dt.timezone.utc)
    return widgets_to_text(executed), Provenance(profile, device, when, "pre-executed")


WIDGET_NOTE = "*노트북(Jupyter, Colab)에서 실행하면 여기에 직접 조작할 수 있는 위젯(슬라이더 등)이 나옵니다.*"


def widgets_to_text(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Replace ipywidgets outputs: a progress bar by its final state as text, others by a note.

    A static page cannot run widgets, and their ``text/plain`` fallback is a progress bar's first
    frame (or a ``VBox(...)`` repr). The widget state nbclient stores in ``metadata.widgets``
    holds a bar's final frame; sliders (``helpers.interactive``) get a Korean note instead,
    their static figure is already above them.
    """
    key = "application/vnd.jupyter.widget-view+json"
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})

    def text_of(model_id: str) -> str | None:
        model = state.get(model_id)
        if not model or model.get("model_name") != "HBoxModel":
            return None
        parts = []
        for child in model.get("state", {}).get("children", []):
            child_model = state.get(str(child).replace("IPY_MODEL_", ""), {})
            child_state = child_model.get("state", {})
            if child_model.get("model_name") == "FloatProgressModel":
                total = child_state.get("max") or 1
                filled = int(round(10 * min(1.0, float(child_state.get("value", 0)) / float(total))))
                parts.append("|" + "█" * filled + " " * (10 - filled) + "|")
            else:
                parts.append(html.unescape(re.sub(r"<[^>]+>", "", str(child_state.get("value", "")))).strip())
        return " ".join(p for p in parts if p).strip() or None

    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if key not in data:
                continue
            text = text_of(str(data[key].get("model_id", "")))
            for mime in list(data):
                data.pop(mime)
            if text is not None:
                data["text/plain"] = text
            else:
                data["text/markdown"] = WIDGET_NOTE
    nb.metadata.pop("widgets", None)
    return nb


# --------------------------------------------------------------------------------------------
# Staging the Sphinx source folder
# --------------------------------------------------------------------------------------------
COLAB_LINK_TEXT = "▶ Colab에서 열기"


def colab_links(markdown: str) -> str:
    """Colab badge images → text links (the site's CSS draws them as badges).

    An SVG badge inside ``<img>`` cannot use the page's web font (its Korean would be tofu on a
    machine without Korean fonts) and Colab's own badge image would come from Google's server.
    """
    return re.sub(r"!\[[^\]]*\]\(" + re.escape(COLAB_BADGE_URL) + r"\)", COLAB_LINK_TEXT, markdown)


def lesson_page(nb: nbformat.NotebookNode, lesson: str, provenance: Provenance) -> nbformat.NotebookNode:
    """The staged lesson page: the executed notebook, its title cell first, then a note on where
    its outputs come from and the download link; every other cell in the student's order."""
    page = nbformat.from_dict(json.loads(json.dumps(nb)))
    for cell in page.cells:
        if cell.cell_type == "markdown":
            cell.source = colab_links(notebook_io.cell_source(cell))
    index, _ = _title(page, lesson)
    title_cell = page.cells.pop(index)
    note = (
        ":::{note}\n"
        f"{provenance.sentence()}\n"
        "연습문제 셀(`...`)은 학생이 받는 그대로이고, `grader.check` 의 결과는 풀지 않은 상태의 결과입니다.\n\n"
        f"{{download}}`학생 노트북 내려받기 ({lesson}.ipynb) <../downloads/{lesson}.ipynb>` · "
        f"아래의 **{COLAB_LINK_TEXT}** 로 바로 실행할 수 있습니다.\n"
        ":::"
    )
    cell = nbformat.v4.new_markdown_cell(note)
    cell.metadata["course_site"] = {"provenance": True}
    page.cells[0:0] = [title_cell, cell]
    for cell in page.cells:
        cell.pop("id", None)
    page.nbformat, page.nbformat_minor = 4, 4
    return page


def home_page(lessons: Sequence[SiteLesson], profile: str, readme: Path, repo_url: str, src: Path) -> str:
    owner, name = course_build.github_owner_repo(repo_url)
    readme_rel = Path(os.path.relpath(readme, src)).as_posix()  # docutils reads "/x" as srcdir-relative
    devices = sorted({item.provenance.device for item in lessons})
    dates = sorted({item.provenance.date for item in lessons})
    when = dates[0] if len(dates) == 1 else f"{dates[0]} ~ {dates[-1]}"
    rows = []
    for item in lessons:
        colab = f"https://colab.research.google.com/github/{owner}/{name}/blob/main/notebooks/{item.name}.ipynb"
        p = item.provenance
        rows.append(
            f"| {item.name[:2]} | [{item.title}](lessons/{item.name}.ipynb) | {p.profile} · {p.device} · {p.date} | "
            f"[{COLAB_LINK_TEXT}]({colab}) "
            f"{{download}}`내려받기 <downloads/{item.name}.ipynb>` |"
        )
    toctree = "\n".join(f"lessons/{item.name}" for item in lessons)
    return f"""```{{include}} {readme_rel}
:end-before: "## 레슨"
```

:::{{note}}
레슨 페이지의 출력(그림, 표, 측정값)은 **{profile}** 프로파일로 장치 **{', '.join(devices)}** 에서 {when}(UTC)에
실행한 결과입니다. 직접 실행하면 장치와 데이터에 따라 숫자가 조금 다를 수 있습니다.
:::

## 레슨

| # | 레슨 | 출력 (프로파일 · 장치 · 실행 날짜) | 노트북 |
|---|------|------------------------------------|--------|
{chr(10).join(rows)}

## 시작하기

```{{include}} {readme_rel}
:start-after: "## 시작하기 (학생)"
:end-before: "## 강사용"
```

```{{toctree}}
:hidden:
:caption: 레슨

{toctree}
```

```{{toctree}}
:hidden:
:caption: 참고

glossary
instructors
api/index
```
"""


#: instructor tools: not part of the learners' API reference (nor of the student release)
API_EXCLUDED = ("helpers.authoring", "helpers.site")


def api_pages(package: str = "helpers") -> dict[str, str]:
    """``api/*.rst`` pages: one per public module of ``package`` (autodoc, docstrings only).

    The instructor tools (:data:`API_EXCLUDED`: building, grading, this website) are left out;
    their docstrings describe otter's solution markup, which the site must not show.
    """
    import importlib
    import pkgutil

    root = importlib.import_module(package)
    names = [package] + sorted(
        m.name for m in pkgutil.walk_packages(root.__path__, prefix=f"{package}.")
        if not any(part.startswith("_") for part in m.name.split("."))
        and not any(m.name == bad or m.name.startswith(bad + ".") for bad in API_EXCLUDED)
    )
    pages = {}
    for name in names:
        title = f"``{name}``"
        pages[f"api/{name}.rst"] = f"{title}\n{'=' * len(title)}\n\n.. automodule:: {name}\n"
    index = "API 참고서 (``helpers``)\n" + "=" * 30 + "\n\n"
    index += "노트북이 함께 쓰는 코드는 모두 ``helpers`` 패키지에 있습니다. 아래는 그 독스트링(docstring)에서 만든 참고서입니다.\n\n"
    index += ".. toctree::\n   :maxdepth: 1\n\n" + "".join(f"   {name}\n" for name in names)
    pages["api/index.rst"] = index
    return pages


def web_font(source: Path) -> bytes:
    """NanumGothic ``source`` as the site's web font: VTT source tables dropped, renamed.

    Only the private Visual TrueType tables go (the hinting a browser uses stays in fpgm/prep/glyf);
    outlines, metrics and the copyright notice are untouched. Deterministic bytes.
    """
    from fontTools.ttLib import TTFont

    font = TTFont(str(source), recalcTimestamp=False)
    for tag in VTT_TABLES:
        if tag in font:
            del font[tag]
    bold = "Bold" in source.stem
    style = "Bold" if bold else "Regular"
    names = {
        1: WEB_FONT_FAMILY, 2: style, 3: f"{WEB_FONT_FAMILY}-{style};modified from {source.stem} 3.021",
        4: f"{WEB_FONT_FAMILY} {style}", 6: f"{WEB_FONT_FAMILY}-{style}", 16: WEB_FONT_FAMILY, 17: style,
    }
    table = font["name"]
    table.names = [record for record in table.names if record.nameID not in names]
    for name_id, text in names.items():
        table.setName(text, name_id, 3, 1, 0x409)
        table.setName(text, name_id, 1, 0, 0)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def copy_assets(static: Path) -> None:
    """The Korean web font and MathJax into the staged ``_static`` folder (licences beside them)."""
    from helpers import fonts

    available = {p.name: p for p in fonts.font_files()}
    missing = [name for name in WEB_FONT_FILES if name not in available]
    if missing:
        raise SiteError(f"한글 글꼴 {missing} 을 찾을 수 없습니다: koreanize-matplotlib 가 설치되어 있어야 합니다.")
    for name, target in WEB_FONT_FILES.items():
        path = static / "fonts" / target
        stamp = static.parent / f"{target}.source"  # outside _static: not published
        source_id = f"{available[name]} {available[name].stat().st_size}"
        if not path.is_file() or not stamp.is_file() or stamp.read_text() != source_id:
            _write_if_changed(path, web_font(available[name]))
            stamp.write_text(source_id)
    try:
        import jupyter_server_mathjax
    except ImportError as exc:
        raise SiteError("MathJax(jupyter-server-mathjax)가 없습니다: pip install -e \".[site]\" 로 설치하세요.") from exc
    mathjax = Path(jupyter_server_mathjax.__file__).parent / "static"
    if not (static / "mathjax" / "MathJax.js").is_file():
        shutil.copytree(mathjax, static / "mathjax", dirs_exist_ok=True)


def stage_sources(
    src: Path, repo: Path, lessons: Sequence[tuple[SiteLesson, nbformat.NotebookNode]], profile: str, repo_url: str,
) -> None:
    """Write the Sphinx source folder (only files whose content changed are rewritten)."""
    keep: set[Path] = set()

    def put(rel: str, data: str | bytes) -> None:
        path = src / rel
        _write_if_changed(path, data)
        keep.add(path.resolve())

    put("index.md", home_page([item for item, _ in lessons], profile, repo / "README.md", repo_url, src))
    put("glossary.md", (repo / "lessons" / "GLOSSARY.md").read_text(encoding="utf-8"))
    put("instructors.md", (repo / "docs" / "instructors.md").read_text(encoding="utf-8"))
    for rel, text in api_pages().items():
        put(rel, text)
    for item, page in lessons:
        put(f"lessons/{item.name}.ipynb", nbformat.writes(page))
        put(f"downloads/{item.name}.ipynb", item.student_notebook.read_bytes())
    for path in sorted(src.rglob("*")):  # pages of lessons that are gone
        if path.is_file() and path.suffix in {".md", ".ipynb", ".rst", ".svg"} and path.resolve() not in keep:
            path.unlink()


# --------------------------------------------------------------------------------------------
# Sphinx
# --------------------------------------------------------------------------------------------
def run_sphinx(src: Path, out: Path, doctrees: Path, conf_dir: Path, static: Path, log: Log = print) -> list[str]:
    """Build HTML; return the warnings. Raises :class:`SiteError` when Sphinx fails."""
    from sphinx.application import Sphinx
    from sphinx.util.console import nocolor
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    nocolor()
    status, warnings = io.StringIO(), io.StringIO()
    overrides = {"html_static_path": [str(conf_dir / "_static"), str(static)]}
    try:
        with patch_docutils(conf_dir), docutils_namespace():
            app = Sphinx(
                str(src), str(conf_dir), str(out), str(doctrees), "html", confoverrides=overrides,
                status=status, warning=warnings, freshenv=False, keep_going=True,
            )
            app.build()
    except Exception as exc:
        raise SiteError(f"Sphinx 빌드 실패: {type(exc).__name__}: {exc}\n{warnings.getvalue()[-4000:]}") from exc
    found = [line for line in warnings.getvalue().splitlines() if line.strip()]
    if app.statuscode != 0:
        raise SiteError("Sphinx 빌드 실패:\n" + "\n".join(found[-60:]))
    prune_stale_pages(out, set(app.env.found_docs))
    return found


def prune_stale_pages(out: Path, docnames: set[str]) -> list[Path]:
    """Delete HTML pages of documents that no longer exist (a lesson or API module removed).

    Sphinx writes pages but never deletes them; a stale page would stay on the site and in links.
    """
    keep = docnames | {"genindex", "search", "py-modindex"}
    removed = []
    for path in sorted(out.rglob("*.html")):
        rel = path.relative_to(out)
        if rel.parts[0].startswith("_"):
            continue
        if rel.with_suffix("").as_posix() not in keep:
            path.unlink()
            removed.append(path)
    return removed


# --------------------------------------------------------------------------------------------
# The whole build
# --------------------------------------------------------------------------------------------
def build_site(
    out_dir: str | Path,
    profile: str = "full",
    *,
    repo: str | Path = REPO,
    notebooks_dir: str | Path | None = None,
    executed_dir: str | Path | None = None,
    cache_dir: str | Path | None = None,
    only: Sequence[str] | None = None,
    timeout: int = DEFAULT_CELL_TIMEOUT,
    log: Log = print,
) -> SiteResult:
    """Build the website into ``out_dir``.

    Args:
        out_dir: output folder (``index.html`` at its top).
        profile: ``COURSE_PROFILE`` the lessons are executed with (``full`` or ``quick``).
        repo: the repository checkout (``lessons/``, ``README.md``, ``docs/``).
        notebooks_dir: student notebooks with ``tests/`` (default ``<repo>/notebooks``).
        executed_dir: notebooks already executed with ``profile`` (named like the student
            notebooks): those lessons are not executed; lessons without one there are.
        cache_dir: jupyter-cache, staged sources and Sphinx's doctrees (default
            ``<repo>/build/site-cache``).
        only: lesson numbers or names (default: every lesson).
        timeout: seconds one cell may run.
    """
    if profile not in PROFILES:
        raise SiteError(f"profile 은 {PROFILES} 중 하나여야 합니다: {profile!r}")
    try:
        timeout = checks.positive_int("timeout", timeout, hint="셀 하나의 제한 시간(초)입니다.")
    except (TypeError, ValueError) as exc:
        raise SiteError(str(exc)) from None
    start = time.perf_counter()
    repo = Path(repo).resolve()
    out_dir = Path(out_dir).resolve()
    notebooks_dir = Path(notebooks_dir or repo / "notebooks").resolve()
    cache_dir = Path(cache_dir or repo / "build" / "site-cache").resolve()
    conf_dir = repo / CONF_DIR_NAME
    if not (conf_dir / "conf.py").is_file():
        raise SiteError(f"{conf_dir / 'conf.py'} 가 없습니다: 저장소 폴더에서 실행하세요 (--repo).")
    repo_url = course_build.read_repository_url(repo)
    try:
        masters = course_build.find_lessons(repo / "lessons", only)
    except course_build.BuildError as exc:
        raise SiteError(str(exc)) from exc
    if not masters:
        raise SiteError(f"{repo / 'lessons'} 에 레슨 원본(NN_이름.md)이 없습니다.")

    key = cache_key(repo, notebooks_dir, profile)
    executions = cache_dir / "jupyter-cache"
    if executions.is_dir():  # caches of older helpers/tests contents of this profile are useless
        for old in executions.iterdir():
            if old.name.startswith(f"{profile}-") and old.name != key:
                shutil.rmtree(old, ignore_errors=True)

    staged: list[tuple[SiteLesson, nbformat.NotebookNode]] = []
    execute_seconds = 0.0
    for master in masters:
        lesson = master.stem
        student_path = notebooks_dir / f"{lesson}.ipynb"
        if not student_path.is_file():
            raise SiteError(f"{lesson}: 학생 노트북 {student_path} 가 없습니다. 먼저 course-build 를 실행하세요.")
        nb = notebook_io.read_notebook(student_path)
        check_student_notebook(nb, lesson)
        _, title = _title(nb, lesson)
        t0 = time.perf_counter()
        if executed_dir is not None and (Path(executed_dir) / f"{lesson}.ipynb").is_file():
            executed, provenance = load_executed(nb, lesson, Path(executed_dir), profile)
            seconds = 0.0
        else:
            executed, provenance, seconds = execute_lesson(
                nb, lesson, profile=profile, tests_dir=notebooks_dir / "tests", cache_dir=executions / key,
                work_dir=cache_dir / "run", timeout=timeout, log=log,
            )
        execute_seconds += time.perf_counter() - t0
        item = SiteLesson(lesson, title, student_path, provenance, seconds)
        staged.append((item, lesson_page(executed, lesson, provenance)))

    src = cache_dir / "src"
    static = cache_dir / "static"
    copy_assets(static)
    stage_sources(src, repo, staged, profile, repo_url)
    log(f"Sphinx: {out_dir} …")
    t0 = time.perf_counter()
    warnings = run_sphinx(src, out_dir, cache_dir / "doctrees", conf_dir, static, log=log)
    sphinx_seconds = time.perf_counter() - t0
    (out_dir / ".nojekyll").write_text("", encoding="utf-8")  # GitHub Pages: keep _static/ etc.
    return SiteResult(
        out_dir, [item for item, _ in staged], time.perf_counter() - start, execute_seconds, sphinx_seconds, warnings,
    )


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="course-site",
        description="레슨을 실행한 결과(그림, 표, 측정값)가 담긴 코스 웹사이트(정적 HTML)를 만듭니다.",
    )
    parser.add_argument("--out", required=True, help="사이트를 쓸 폴더 (index.html 이 여기에 생김)")
    parser.add_argument("--profile", choices=PROFILES, default="full", help="레슨 실행 프로파일 (기본: full)")
    parser.add_argument("--only", nargs="+", metavar="NN", help="이 레슨만 (번호 또는 이름)")
    parser.add_argument("--executed", metavar="DIR", help="이미 실행된 노트북 폴더 (거기 있는 레슨은 실행하지 않고 그대로 씀)")
    parser.add_argument("--notebooks-dir", help="학생 노트북 폴더 (기본: notebooks)")
    parser.add_argument("--cache-dir", help="실행 캐시·중간 파일 폴더 (기본: build/site-cache)")
    parser.add_argument("--repo", default=str(REPO), help="저장소 폴더 (기본: 이 패키지가 있는 저장소)")
    parser.add_argument("--timeout", type=int, default=DEFAULT_CELL_TIMEOUT, help="셀 하나의 제한 시간(초)")
    args = parser.parse_args(None if argv is None else list(argv))
    try:
        result = build_site(
            args.out, args.profile, repo=args.repo, notebooks_dir=args.notebooks_dir, executed_dir=args.executed,
            cache_dir=args.cache_dir, only=args.only, timeout=args.timeout,
        )
    except SiteError as exc:
        print(f"사이트 빌드 실패:\n{exc}", file=sys.stderr)
        return 1
    for line in result.warnings:
        print(f"  경고: {line}", file=sys.stderr)
    print(
        f"사이트 완성: {result.out_dir / 'index.html'} (레슨 {len(result.lessons)}개, 전체 {result.seconds:.1f}초 = "
        f"실행 {result.execute_seconds:.1f}초 + Sphinx {result.sphinx_seconds:.1f}초, 경고 {len(result.warnings)}개)"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
