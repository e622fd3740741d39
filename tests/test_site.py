"""The course website (``course-site``): built, scanned and opened in a real browser.

Fast unit tests (Korean search words, widget outputs, the web font, refusing a solution
notebook) run always. The site itself (markers ``slow`` and ``notebooks``) is built in the quick
profile from the student notebooks this test run already built and executed
(``fixtures.lesson_builds`` / ``fixtures.executed``):

- every page exists; home and lesson pages say profile, device and date; each lesson page links
  Colab and the clean student notebook and shows the exercise cells with ``...``;
- no otter markup, no solution line and no hidden-test line anywhere in the site (secrets
  collected from this run's fresh build of solutions and autograders);
- the search index has Korean words as tokens (소프트맥스, 정밀도) and the search page finds them;
- home page and one lesson page in headless Chromium (Playwright) over http://127.0.0.1: no
  console error, no failed request, every ``<img>`` decoded with a non-zero size, Korean text drawn
  with the shipped web font (Chromium's own report of the platform font used for the glyphs),
  screenshots in ``build/site-test/screenshots/``.

The browser lesson (``COURSE_TEST_SITE_LESSON``, default 01) is executed by ``course-site``
itself (with its figures) unless this run's executed notebook already has figures; the others are
taken as executed. ``COURSE_TEST_SITE_ONLY="01 04"`` limits the lessons (for a quick local run).
The site is built in the run's temporary folder; screenshots and timings are copied to
``build/site-test/``.
"""
from __future__ import annotations

import functools
import html
import http.server
import json
import os
import re
import shutil
import threading
import time
from pathlib import Path

import nbformat
import pytest

# the release scan's rules for a leaked line, its list of otter markup and its test-file reader
from helpers.authoring.release import FORBIDDEN_TEXT as OTTER_MARKUP
from helpers.authoring.release import MIN_SNIPPET, otter_cases
from helpers.authoring.release import code_lines as _code_lines
from helpers.site import build as site
from helpers.site.search_ko import split_korean, strip_particle

REPO = Path(__file__).resolve().parents[1]
REPORT_DIR = REPO / "build" / "site-test"  # screenshots and timings of the last run, for a person to look at
BROWSER_LESSON_NUMBER = os.environ.get("COURSE_TEST_SITE_LESSON", "01")
# one xdist worker for the whole module: the site is built once into build/site-test/
pytestmark = [
    pytest.mark.xdist_group("site"),
    # Sphinx 9 announces API changes for Sphinx 11 in MyST and the book theme, hundreds of times
    pytest.mark.filterwarnings("ignore::PendingDeprecationWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]


# --------------------------------------------------------------------------------------------
# Fast unit tests
# --------------------------------------------------------------------------------------------
def test_korean_words_are_indexed_with_and_without_particles():
    words = split_korean("소프트맥스(softmax)는 로짓을 확률로 바꾸고, 정밀도를 재며 IoU가 0.5")
    for expected in ("소프트맥스", "softmax", "로짓을", "로짓", "확률로", "확률", "정밀도를", "정밀도", "IoU가", "IoU"):
        assert expected in words
    assert strip_particle("정밀도") is None or "정밀도" in split_korean("정밀도")  # the word itself stays
    assert strip_particle("는") is None  # never shorter than two characters
    assert strip_particle("softmax") is None


def test_korean_search_language_stems_latin_like_english():
    from helpers.site.search_ko import SearchKorean

    lang = SearchKorean({})
    assert lang.lang == "ko"
    assert lang.stem("Networks") == lang.stem("network")
    assert lang.stem("소프트맥스") == "소프트맥스"
    # the query side binds `window.Stemmer = <language_name>Stemmer` from english-stemmer.js
    assert lang.language_name == "English" and lang.js_stemmer_rawcode == "english-stemmer.js"


def _widget_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    state = {
        "bar": {"model_name": "HBoxModel", "state": {"children": ["IPY_MODEL_l", "IPY_MODEL_p", "IPY_MODEL_r"]}},
        "l": {"model_name": "HTMLModel", "state": {"value": "학습: 100%"}},
        "p": {"model_name": "FloatProgressModel", "state": {"value": 3, "max": 3}},
        "r": {"model_name": "HTMLModel", "state": {"value": " 3/3 [00:05&lt;00:00,  1.70s/에폭]"}},
        "slider": {"model_name": "VBoxModel", "state": {"children": []}},
    }
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": state, "version_major": 2}}
    view = "application/vnd.jupyter.widget-view+json"
    nb.cells = [nbformat.v4.new_code_cell("train()", outputs=[
        nbformat.v4.new_output("display_data", data={view: {"model_id": "bar"}, "text/plain": "학습:   0%|  | 0/3"}),
        nbformat.v4.new_output("display_data", data={view: {"model_id": "slider"}, "text/plain": "VBox(children=...)"}),
    ])]
    return nb


def test_widget_outputs_become_final_text_or_a_note():
    nb = site.widgets_to_text(_widget_notebook())
    bar, slider = nb.cells[0].outputs
    assert bar["data"] == {"text/plain": "학습: 100% |██████████| 3/3 [00:05<00:00,  1.70s/에폭]"}
    assert slider["data"] == {"text/markdown": site.WIDGET_NOTE}
    assert "widgets" not in nb.metadata  # MyST-NB would load a widget manager from a CDN


def test_web_font_is_renamed_and_without_the_table_browsers_reject():
    import io

    from fontTools.ttLib import TTFont

    from helpers import fonts

    sources = {p.name: p for p in fonts.font_files()}
    assert "NanumGothic.ttf" in sources, "koreanize-matplotlib 의 NanumGothic 이 필요합니다"
    original = TTFont(str(sources["NanumGothic.ttf"]))
    assert "TSI3" in original and original.reader.tables["TSI3"].length == 0  # why we modify it
    data = site.web_font(sources["NanumGothic.ttf"])
    assert data == site.web_font(sources["NanumGothic.ttf"])  # deterministic bytes
    font = TTFont(io.BytesIO(data))
    assert not any(tag in font for tag in site.VTT_TABLES)
    families = {r.toUnicode() for r in font["name"].names if r.nameID in (1, 4, 6, 16)}
    assert all(site.WEB_FONT_FAMILY in name for name in families), families
    assert not any("Nanum" in name or "나눔" in name for name in families)  # OFL: no reserved name
    # outlines, metrics, hinting: every other table byte for byte (the glyf/loca data included);
    # `head` differs only in checkSumAdjustment (bytes 8-11), the whole-file checksum
    kept = [tag for tag in original.reader.keys() if tag not in site.VTT_TABLES and tag != "name"]
    assert sorted(font.reader.keys()) == sorted(kept + ["name"])
    for tag in kept:
        if tag == "head":
            assert font.reader[tag][:8] + font.reader[tag][12:] == original.reader[tag][:8] + original.reader[tag][12:]
        else:
            assert font.reader[tag] == original.reader[tag], tag
    copyright_ = {r.toUnicode() for r in font["name"].names if r.nameID == 0}
    assert any("NHN" in c for c in copyright_)
    licence = (REPO / "docs" / "site" / "_static" / "fonts" / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE" in licence and "Version 1.1" in licence and site.WEB_FONT_FAMILY in licence


def test_a_solution_notebook_is_refused():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 99. 데모"),
        nbformat.v4.new_code_cell("def f(x):\n    # BEGIN SOLUTION\n    return x\n    # END SOLUTION"),
    ])
    with pytest.raises(site.SiteError, match=r"99_demo: 셀 1.*BEGIN SOLUTION"):
        site.check_student_notebook(nb, "99_demo")



@pytest.mark.parametrize("timeout", [0, -1, 2.5, True, "60"])
def test_a_bad_cell_timeout_is_refused(tmp_path, timeout):
    with pytest.raises(site.SiteError, match="timeout"):
        site.build_site(tmp_path / "out", "quick", repo=tmp_path, timeout=timeout)
    assert not (tmp_path / "out").exists()

# --------------------------------------------------------------------------------------------
# Execution: errors name the lesson and the cell; an unchanged lesson is not executed again
# --------------------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.notebooks
def test_execution_failure_names_lesson_and_cell_and_cache_skips_unchanged(tmp_path):
    (tmp_path / "tests").mkdir()
    ok = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 98. 캐시"),
        nbformat.v4.new_code_cell("from helpers import environment\nenvironment.preflight()"),
    ])
    ok.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    kwargs = dict(profile="quick", tests_dir=tmp_path / "tests", cache_dir=tmp_path / "cache", work_dir=tmp_path / "run")
    first, provenance, _ = site.execute_lesson(ok, "98_cache", **kwargs)
    assert provenance.how == "executed" and provenance.profile == "quick" and provenance.device
    again, cached, seconds = site.execute_lesson(ok, "98_cache", **kwargs)
    assert cached.how == "cache" and seconds == 0.0 and cached.executed_at == provenance.executed_at
    assert again.cells[1].outputs == first.cells[1].outputs

    bad = nbformat.from_dict(json.loads(json.dumps(ok)))
    bad.cells.append(nbformat.v4.new_code_cell("x = 1\nraise ValueError('일부러 낸 오류')"))
    with pytest.raises(site.SiteError) as info:
        site.execute_lesson(bad, "97_broken", **kwargs)
    message = str(info.value)
    assert message.startswith("97_broken: 셀 2 실행 실패") and "ValueError: 일부러 낸 오류" in message
    assert "raise ValueError" in message  # the cell's source is shown


# --------------------------------------------------------------------------------------------
# The whole site, quick profile
# --------------------------------------------------------------------------------------------
def _has_images(path: Path) -> bool:
    nb = nbformat.read(str(path), as_version=4)
    return any(
        "image/png" in out.get("data", {}) for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])
    )


class Secrets:
    """Lines only a solution cell or a hidden test contains (from this run's fresh builds)."""

    def __init__(self) -> None:
        self.solution_lines: set[str] = set()
        self.hidden_lines: set[str] = set()
        self.hidden_messages: set[str] = set()
        self.visible: set[str] = set()  # every line of every student notebook and public test
        self.solution_notebooks: list[Path] = []

    def add(self, result, lesson: str) -> None:
        from helpers.authoring import notebook_io

        item = result.by_lesson(lesson)
        student = notebook_io.read_notebook(item.student_notebook)
        solution = notebook_io.read_notebook(item.solution_notebook)
        self.solution_notebooks.append(Path(item.solution_notebook))
        for cell in student.cells:
            self.visible |= _code_lines(notebook_io.cell_source(cell))
        for indices in notebook_io.answer_cells(solution).values():
            for i in indices:
                self.solution_lines |= _code_lines(notebook_io.cell_source(solution.cells[i]))
        for path in item.public_tests:
            for case in otter_cases(Path(path).read_text(encoding="utf-8")):
                self.visible |= _code_lines(case.get("code", ""))
        for path in sorted((result.build_dir / "solutions" / "tests").glob("*.py")):
            for case in otter_cases(path.read_text(encoding="utf-8")):
                if case.get("hidden"):
                    self.hidden_lines |= _code_lines(case.get("code", ""))
                    message = str(case.get("failure_message") or "").strip()
                    if len(message) >= MIN_SNIPPET:
                        self.hidden_messages.add(message)

    def finish(self) -> Secrets:
        self.solution_lines -= self.visible
        self.hidden_lines -= self.visible
        self.hidden_messages = {m for m in self.hidden_messages if not any(m in line for line in self.visible)}
        return self


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    from fixtures.executed import executed_student_notebook
    from fixtures.lesson_builds import lesson_build, lesson_names

    lessons = lesson_names()
    only = os.environ.get("COURSE_TEST_SITE_ONLY", "").split()
    if only:
        lessons = [name for name in lessons if name[:2] in only or name in only]
    if not lessons:
        pytest.skip("레슨 원본(lessons/NN_이름.md)이 없어 사이트를 만들 수 없습니다.")
    root = tmp_path_factory.mktemp("site")
    notebooks, executed = root / "notebooks", root / "executed"
    executed.mkdir(parents=True)
    (notebooks / "tests").mkdir(parents=True)
    secrets = Secrets()
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    for lesson in lessons:
        result = lesson_build(lesson)
        item = result.by_lesson(lesson)
        shutil.copy(item.student_notebook, notebooks / f"{lesson}.ipynb")
        shutil.copytree(result.out_dir / "tests", notebooks / "tests", dirs_exist_ok=True)
        secrets.add(result, lesson)
        path = executed_student_notebook(lesson)
        if lesson.startswith(BROWSER_LESSON_NUMBER) and not _has_images(path):
            continue  # executed again by course-site, with figures (inline backend)
        shutil.copy2(path, executed / f"{lesson}.ipynb")  # keeps the execution time (page date)
    timings["executed notebooks from this run (s)"] = time.perf_counter() - t0
    cpu0, t1 = time.process_time(), time.perf_counter()
    result = site.build_site(
        root / "html", "quick", notebooks_dir=notebooks, executed_dir=executed, cache_dir=root / "cache",
        only=lessons,
    )
    timings["course-site total (s)"] = time.perf_counter() - t1
    timings["course-site CPU of this process (s)"] = time.process_time() - cpu0
    timings["execution inside course-site (s)"] = result.execute_seconds
    timings["Sphinx (s)"] = result.sphinx_seconds
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    (REPORT_DIR / "timings.json").write_text(json.dumps(timings, indent=1), encoding="utf-8")
    print("site timings:", json.dumps(timings, ensure_ascii=False))
    return result, lessons, secrets.finish()


def _page_text(path: Path) -> str:
    """Visible text of an HTML page (tags removed, entities decoded; lines kept)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<(script|style)\b.*?</\1>", "", text, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def _plain_quotes(text: str) -> str:
    return text.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"}))


def _site_files(root: Path) -> list[Path]:
    skip = ("_static/mathjax", "_static/vendor", "_static/scripts", "_static/styles", "_static/fonts")
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and p.suffix in {".html", ".txt", ".js", ".ipynb", ".json", ".md"}
        and not any(p.relative_to(root).as_posix().startswith(s) for s in skip)
    )


def _file_text(path: Path) -> str:
    if path.suffix == ".html":
        return _page_text(path)
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.name.endswith(".ipynb") or path.name.endswith(".ipynb.txt"):
        try:  # JSON escapes quotes and newlines: add the cells' sources and text outputs as written
            nb = nbformat.reads(text, as_version=4)
            parts = []
            for cell in nb.cells:
                parts.append(cell.source)
                for out in cell.get("outputs", []):
                    parts.append(str(out.get("text", "")))
                    parts.extend(str(v) for k, v in out.get("data", {}).items() if k.startswith("text/"))
            text = "\n".join(parts) + "\n" + text
        except Exception:
            pass
    return text


@pytest.mark.slow
@pytest.mark.notebooks
def test_site_has_every_page_with_provenance_links_and_exercises(built_site):
    result, lessons, _ = built_site
    out = result.out_dir
    for rel in ("index.html", "glossary.html", "instructors.html", "api/index.html", "api/helpers.boxes.html", "search.html"):
        assert (out / rel).is_file(), f"{rel} 가 없습니다"
    assert (out / "_static" / "fonts" / "OFL.txt").is_file()
    assert (out / "_static" / "fonts" / "CourseGothic-Regular.ttf").is_file()
    home = _page_text(out / "index.html")
    assert "quick" in home and "프로파일" in home
    assert "소프트맥스" in _page_text(out / "glossary.html")
    assert "course-build" in _page_text(out / "instructors.html")
    assert "iou" in _page_text(out / "api" / "helpers.boxes.html").lower()
    url = site.course_build.read_repository_url(REPO)
    owner, name = site.course_build.github_owner_repo(url)
    for item in result.lessons:
        page = out / "lessons" / f"{item.name}.html"
        assert page.is_file(), f"{item.name} 페이지가 없습니다"
        raw = page.read_text(encoding="utf-8")
        text = _page_text(page)
        p = item.provenance
        assert f"{p.profile} 프로파일" in text.replace("**", "") and p.device in text and p.date in text
        assert p.profile == "quick"
        assert f"https://colab.research.google.com/github/{owner}/{name}/blob/main/notebooks/{item.name}.ipynb" in raw
        assert _plain_quotes(item.title) in _plain_quotes(home)  # Sphinx typesets "…" as “…”
        downloads = list((out / "_downloads").rglob(f"{item.name}.ipynb"))
        assert downloads and downloads[0].read_bytes() == item.student_notebook.read_bytes()
        href = downloads[0].relative_to(out).as_posix()
        assert f'href="../{href}"' in raw, "학생 노트북 내려받기 링크가 없습니다"
        student = nbformat.read(str(item.student_notebook), as_version=4)
        answers = [c for c in student.cells if "otter_answer_cell" in c.metadata.get("tags", [])]
        assert answers, f"{item.name}: 연습문제 셀이 없습니다"
        squashed = re.sub(r"\s+", " ", text)
        for cell in answers:
            assert re.sub(r"\s+", " ", cell.source.strip()) in squashed, f"{item.name}: 연습문제 셀이 학생이 보는 그대로가 아닙니다"
        assert "..." in cell.source
    if any(n.startswith(BROWSER_LESSON_NUMBER) for n in lessons):
        lesson = next(n for n in lessons if n.startswith(BROWSER_LESSON_NUMBER))
        assert "<img" in (out / "lessons" / f"{lesson}.html").read_text(encoding="utf-8"), "그림이 없습니다"


@pytest.mark.slow
@pytest.mark.notebooks
def test_no_solution_or_hidden_test_anywhere_in_the_site(built_site):
    result, _, secrets = built_site
    assert secrets.solution_lines and secrets.hidden_lines, "검사할 솔루션/숨은 테스트 줄을 모으지 못했습니다"
    # the scan itself works: it finds the solution lines in the solution notebooks
    leaked = {line.strip() for path in secrets.solution_notebooks for line in _file_text(path).splitlines()}
    assert secrets.solution_lines <= leaked
    problems = []
    for path in _site_files(result.out_dir):
        rel = path.relative_to(result.out_dir).as_posix()
        text = _file_text(path)
        # the instructors' guide documents otter's markup by name; it contains no solution
        if not rel.startswith(("instructors", "_sources/instructors")):
            problems += [f"{rel}: {m!r}" for m in OTTER_MARKUP if m in text]
        lines = {line.strip() for line in text.splitlines()}
        problems += [f"{rel}: 솔루션 줄 {line!r}" for line in secrets.solution_lines if line in lines]
        problems += [f"{rel}: 숨은 테스트 줄 {line!r}" for line in secrets.hidden_lines if line in lines]
        problems += [f"{rel}: 숨은 테스트 메시지 {m[:60]!r}" for m in secrets.hidden_messages if m in text]
    assert not problems, "사이트에 학생에게 보이면 안 되는 내용이 있습니다:\n" + "\n".join(problems[:40])


def _search_index(out: Path) -> dict:
    text = (out / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1: text.rindex(")")])


@pytest.mark.slow
@pytest.mark.notebooks
def test_search_index_has_korean_terms(built_site):
    result, lessons, _ = built_site
    index = _search_index(result.out_dir)
    docs = index["docnames"]

    def pages(term: str) -> set[str]:
        """Pages the browser's search finds for ``term``: body words and title words (Sphinx
        stores a page's title words only in ``titleterms``)."""
        found = set()
        for table in ("terms", "titleterms"):
            hits = index[table].get(term, [])
            found |= {docs[i] for i in ([hits] if isinstance(hits, int) else hits)}
        return found

    assert "glossary" in pages("소프트맥스") and "glossary" in pages("정밀도")
    for number, term in (("01", "소프트맥스"), ("04", "정밀도")):
        for lesson in (n for n in lessons if n.startswith(number)):
            assert f"lessons/{lesson}" in pages(term), f"검색어 {term} 가 {lesson} 페이지를 찾지 못합니다"


# --------------------------------------------------------------------------------------------
# In a real browser
# --------------------------------------------------------------------------------------------
def _chromium() -> str:
    for candidate in (os.environ.get("COURSE_TEST_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and Path(candidate).is_file():
            return candidate
    pytest.fail("Chromium 이 없습니다: `apt-get install -y chromium` (CI 의 .ci/run 이 설치합니다).")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output readable
        pass


@pytest.fixture(scope="module")
def served_site(built_site):
    result = built_site[0]
    handler = functools.partial(_QuietHandler, directory=str(result.out_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


IMAGES_JS = """async () => Promise.all([...document.images].map(async (img) => {
  img.loading = "eager";
  try { await img.decode(); } catch (e) {}
  return {src: img.currentSrc || img.src, width: img.naturalWidth, complete: img.complete};
}))"""

FONTS_JS = """async (family) => {
  await document.fonts.ready;
  const faces = [...document.fonts].filter(f => f.family.replace(/["']/g, "") === family);
  return {faces: faces.map(f => f.weight + ":" + f.status),
          body: getComputedStyle(document.body).fontFamily,
          check: document.fonts.check("16px " + family, "한글")};
}"""


TITLE = "article.bd-article h1"  # the page's own title (the theme has other, hidden h1 elements)


def _check_page(browser, url: str, screenshot: Path) -> dict:
    page = browser.new_page(viewport={"width": 1280, "height": 1400})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} ({r.failure})"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.goto(url, wait_until="load")
    images = page.evaluate(IMAGES_JS)
    fonts = page.evaluate(FONTS_JS, site.WEB_FONT_FAMILY)
    # which font Chromium really drew the page title's glyphs with (all of them Korean or Latin)
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": TITLE})["nodeId"]
    used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    title = page.evaluate(f"document.querySelector('{TITLE}').textContent")
    page.wait_for_timeout(300)
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshot))
    page.close()
    return {"problems": problems, "images": images, "fonts": fonts, "used": used, "title": title}


@pytest.mark.slow
@pytest.mark.notebooks
def test_home_and_lesson_pages_in_headless_chromium(built_site, served_site):
    from playwright.sync_api import sync_playwright

    result, lessons, _ = built_site
    lesson = next((n for n in lessons if n.startswith(BROWSER_LESSON_NUMBER)), lessons[0])
    shots = result.out_dir.parent / "screenshots"  # under the site's build folder
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        try:
            pages = {
                "home": _check_page(browser, f"{served_site}/index.html", shots / "home.png"),
                lesson: _check_page(browser, f"{served_site}/lessons/{lesson}.html", shots / f"{lesson}.png"),
            }
            search = browser.new_page()
            search.goto(f"{served_site}/search.html?q=정밀도", wait_until="load")
            search.wait_for_selector("#search-results ul.search li", timeout=30_000)
            found = search.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.href)")
            search.screenshot(path=str(shots / "search.png"))
        finally:
            browser.close()
    for name, info in pages.items():
        assert not info["problems"], f"{name}: " + "\n".join(info["problems"])
        assert all(img["complete"] and img["width"] > 0 for img in info["images"]), f"{name}: 그림이 안 열립니다 {info['images']}"
        fonts = info["fonts"]
        assert "400:loaded" in fonts["faces"], f"{name}: 웹 글꼴이 로드되지 않았습니다 {fonts}"
        assert fonts["body"].startswith(site.WEB_FONT_FAMILY) and fonts["check"], fonts
        assert re.search(r"[\uac00-\ud7a3]", info["title"]), info["title"]
        drawn = {f["familyName"]: f for f in info["used"]}
        assert site.WEB_FONT_FAMILY in drawn and drawn[site.WEB_FONT_FAMILY]["isCustomFont"], (
            f"{name}: 제목 '{info['title']}' 을 웹 글꼴이 아닌 {info['used']} 로 그렸습니다"
        )
        korean = sum(1 for ch in info["title"] if "\uac00" <= ch <= "\ud7a3")
        assert drawn[site.WEB_FONT_FAMILY]["glyphCount"] >= korean, info["used"]
        assert (shots / ("home.png" if name == "home" else f"{name}.png")).stat().st_size > 10_000
    if shots.resolve() != (REPORT_DIR / "screenshots").resolve():
        shutil.copytree(shots, REPORT_DIR / "screenshots", dirs_exist_ok=True)  # kept after the run
    assert pages[lesson]["images"], f"{lesson} 페이지에 그림이 없습니다"
    assert any(href.split("?")[0].endswith(".html") for href in found), found
    if any(n.startswith("04") for n in lessons):
        assert any("/lessons/04_" in href for href in found), f"'정밀도' 검색이 레슨 04 를 찾지 못합니다: {found}"
