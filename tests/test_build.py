"""course-build: layout, cleanliness, the injected cells, reproducibility, staleness, errors.

One build of the demo lesson (tests/fixtures/lessons/99_demo.md, otter's solution tests
included) is shared by every test here, and by every pytest-xdist worker and test module of the
run (fixtures.pipeline.demo_build: built once, into the run's shared folder).
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sys
import tomllib
import zipfile
from pathlib import Path

import nbformat
import pytest

from fixtures import pipeline
from helpers.authoring import build, notebook_io

pytestmark = pytest.mark.slow

DEMO = pipeline.DEMO
QUESTIONS = ["l99_normalize", "l99_relu"]


@pytest.fixture(scope="module")
def demo() -> build.BuildResult:
    return pipeline.demo_build()  # the tests only read it


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def repo_url() -> str:
    with open(pipeline.REPO / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["urls"]["Repository"]


def release_url() -> str:
    """The URL the build bakes in: [tool.course-build] release-repository, else the Repository URL."""
    with open(pipeline.REPO / "pyproject.toml", "rb") as f:
        data = tomllib.load(f)
    return data.get("tool", {}).get("course-build", {}).get("release-repository") or repo_url()


# --------------------------------------------------------------------------------------------
# Layout and content
# --------------------------------------------------------------------------------------------
def test_output_layout(demo):
    assert [item.lesson for item in demo.lessons] == [DEMO]
    assert sorted(tree(demo.out_dir)) == [f"{DEMO}.ipynb", "tests/l99_normalize.py", "tests/l99_relu.py"]
    assert sorted(tree(demo.build_dir)) == [
        f"autograder/{DEMO}.json", f"autograder/{DEMO}.zip", f"solutions/{DEMO}.ipynb",
        "solutions/tests/l99_normalize.py", "solutions/tests/l99_relu.py",
    ]
    item = demo.by_lesson(DEMO)
    assert item.questions == QUESTIONS
    with zipfile.ZipFile(item.autograder_zip) as zf:
        names = zf.namelist()
        assert names == sorted(names)
        assert {"tests/l99_normalize.py", "tests/l99_relu.py", "otter_config.json"} <= set(names)
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in zf.infolist())
        assert json.loads(zf.read("otter_config.json"))["assignment_name"] == DEMO
        assert "'hidden': True" in zf.read("tests/l99_relu.py").decode()
    manifest = json.loads(item.manifest.read_text(encoding="utf-8"))
    assert manifest["questions"] == [
        {"name": "l99_normalize", "points": 2.0, "public_cases": 1, "hidden_cases": 1},
        {"name": "l99_relu", "points": 2.0, "public_cases": 1, "hidden_cases": 1},
    ]


def test_student_notebook_is_clean(demo):
    path = demo.by_lesson(DEMO).student_notebook
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["otter"]["assignment_name"] == DEMO
    assert set(nb["metadata"]) <= {"kernelspec", "language_info", "otter", "colab"}
    assert nb["metadata"]["kernelspec"] == build.KERNELSPEC and nb["metadata"]["language_info"] == build.LANGUAGE_INFO
    assert [c["id"] for c in nb["cells"]] == [f"{DEMO}-{i:03d}" for i in range(len(nb["cells"]))]
    for cell in nb["cells"]:
        assert cell["cell_type"] != "raw", "otter 의 raw 표시 셀이 남아 있습니다"
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n") and "데모 레슨" in text  # real UTF-8, not \\u escapes
    for solution_code in ("x / x.sum()", "np.maximum(x, 0)", "BEGIN SOLUTION", "END SOLUTION"):
        assert solution_code not in text
    answers = notebook_io.answer_cells(nbformat.reads(text, as_version=4))
    assert sorted(answers) == QUESTIONS
    for indices in answers.values():
        assert notebook_io.cell_source(nb["cells"][indices[0]]).rstrip().endswith("...")


def test_solution_notebook_keeps_solutions(demo):
    text = demo.by_lesson(DEMO).solution_notebook.read_text(encoding="utf-8")
    assert "x / x.sum()" in text and "np.maximum(x, 0)" in text
    assert '"outputs": []' in text and '"execution_count": null' in text


def test_hidden_tests_absent_from_notebooks(demo):
    for question in QUESTIONS:
        public = (demo.out_dir / "tests" / f"{question}.py").read_text(encoding="utf-8")
        full = (demo.build_dir / "solutions" / "tests" / f"{question}.py").read_text(encoding="utf-8")
        assert "'hidden': True" not in public and "'hidden': True" in full
    everything = "".join(p.read_text(encoding="utf-8") for p in demo.out_dir.rglob("*") if p.is_file())
    for hidden_only in ("0.375", "before = x.copy()", "값이 기대와 다릅니다", "입력을 바꾸지 않고"):
        assert hidden_only not in everything


def test_badge_and_setup_cell_use_the_pyproject_url(demo):
    url = release_url()
    owner, repo = re.match(r"https://github\.com/([^/]+)/([^/]+?)(?:\.git)?/?$", url).groups()
    nb = notebook_io.read_notebook(demo.by_lesson(DEMO).student_notebook)
    badge, setup = nb.cells[0], nb.cells[1]
    assert badge.cell_type == "markdown"
    assert badge.source == (
        "[![Colab에서 열기](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"(https://colab.research.google.com/github/{owner}/{repo}/blob/main/notebooks/{DEMO}.ipynb)"
        "\n\n" + build.DRIVE_REMINDER
    )
    assert "파일 > Drive에 사본 저장" in badge.source
    assert setup.cell_type == "code"
    assert setup.source.startswith("# 준비 셀: 먼저 실행하세요")
    for piece in ('"google.colab" in sys.modules', f'"{url}"', f'"/content/{repo}"', '"--depth", "1"',
                  "import helpers, otter", "helpers.preflight()", "from helpers import feedback",
                  "feedback.install()", 'grader = otter.Notebook(tests_dir="tests")', "Drive에 사본 저장"):
        assert piece in setup.source
    # the same two cells are in the solution notebook
    solution = notebook_io.read_notebook(demo.by_lesson(DEMO).solution_notebook)
    assert solution.cells[0].source == badge.source and solution.cells[1].source == setup.source


class _FakeOtter:
    created: list = []

    class Notebook:
        def __init__(self, **kwargs):
            _FakeOtter.created.append(kwargs)


class _Done:
    def __init__(self, returncode: int, stderr: str = ""):
        self.returncode, self.stdout, self.stderr = returncode, "", stderr


def _run_setup(source: str, monkeypatch, colab: bool, fail_at: int | None = None, installed: bool = False):
    """Run the set-up cell with subprocess, the file system and otter faked; return what it did."""
    import shutil
    import subprocess

    did: dict[str, list] = {"calls": [], "chdirs": [], "removed": [], "written": [], "printed": []}

    def run(cmd, **kw):
        did["calls"].append(cmd)
        failed = fail_at is not None and len(did["calls"]) == fail_at + 1
        return _Done(1 if failed else 0, "fatal: unable to access 'https://github.com/...': Could not resolve host" if failed else "")

    class _File:
        def close(self):
            pass

    def fake_open(path, mode="r", *a, **k):
        did["written"].append((path, mode))
        return _File()

    monkeypatch.setattr(subprocess, "run", run)
    monkeypatch.setattr(os, "chdir", lambda path: did["chdirs"].append(path))
    monkeypatch.setattr(os.path, "isfile", lambda path: installed)
    monkeypatch.setattr(shutil, "rmtree", lambda path, **kw: did["removed"].append(path))
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setitem(sys.modules, "otter", _FakeOtter)
    if colab:
        monkeypatch.setitem(sys.modules, "google.colab", object())
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    import helpers

    monkeypatch.setattr(helpers, "preflight", lambda: None)
    _FakeOtter.created = []
    scope = {"open": fake_open, "print": lambda *a, **k: did["printed"].append(" ".join(map(str, a)))}
    exec(compile(source, "setup-cell", "exec"), scope)
    return did


def _setup_cell(demo) -> str:
    return notebook_io.read_notebook(demo.by_lesson(DEMO).student_notebook).cells[1].source


def test_setup_cell_does_nothing_slow_outside_colab(demo, monkeypatch):
    did = _run_setup(_setup_cell(demo), monkeypatch, colab=False)
    assert did["calls"] == [] and did["chdirs"] == [] and did["removed"] == [] and did["written"] == []
    assert _FakeOtter.created == [{"tests_dir": "tests"}]


def test_setup_cell_on_colab_clones_installs_and_moves_into_notebooks(demo, monkeypatch):
    url = release_url()
    repo = url.rstrip("/").split("/")[-1]
    did = _run_setup(_setup_cell(demo), monkeypatch, colab=True)
    calls = did["calls"]
    assert did["removed"] == [f"/content/{repo}"]  # a half-finished earlier clone is cleared first
    assert calls[0] == ["git", "clone", "--depth", "1", url, f"/content/{repo}"]
    assert calls[1][:4] == [sys.executable, "-m", "pip", "install"] and calls[1][-1] == f"/content/{repo}"
    assert did["written"] == [(f"/content/{repo}/.course_installed", "w")]
    assert did["chdirs"] == [f"/content/{repo}/notebooks"]
    assert any("Drive에 사본 저장" in line for line in did["printed"])
    assert _FakeOtter.created == [{"tests_dir": "tests"}]
    # second run in the same runtime: nothing is downloaded again
    again = _run_setup(_setup_cell(demo), monkeypatch, colab=True, installed=True)
    assert again["calls"] == [] and again["removed"] == []


@pytest.mark.parametrize("fail_at, step", [(0, "git clone"), (1, "pip install")])
def test_setup_cell_explains_a_failed_clone_or_install_in_korean(demo, monkeypatch, fail_at, step):
    with pytest.raises(RuntimeError) as info:
        _run_setup(_setup_cell(demo), monkeypatch, colab=True, fail_at=fail_at)
    message = str(info.value)
    assert step in message and "실패했습니다" in message
    for advice in ("인터넷 연결", "다시 시작", "다시 실행"):
        assert advice in message
    assert _FakeOtter.created == []  # the cell stopped before the grader


# --------------------------------------------------------------------------------------------
# Reproducibility and staleness
# --------------------------------------------------------------------------------------------
def test_second_build_is_byte_identical_and_removes_stale_files(demo, tmp_path):
    out, build_dir = tmp_path / "notebooks", tmp_path / "build"
    (out / "tests").mkdir(parents=True)
    (out / "tests" / "l99_old_question.py").write_text("OK_FORMAT = True\n")  # a renamed question
    (out / "98_removed_lesson.ipynb").write_text("{}")  # a deleted lesson
    (out / "keep_me.txt").write_text("not ours")
    # without otter's test run: the outputs do not depend on it, and it saves a notebook run
    second = build.build_lessons(pipeline.DEMO_LESSONS, out, build_dir, run_tests=False)
    assert sorted(p.name for p in second.removed) == ["98_removed_lesson.ipynb", "l99_old_question.py"]
    (out / "keep_me.txt").unlink()
    assert tree(out) == tree(demo.out_dir)
    assert tree(build_dir) == tree(demo.build_dir)


def test_compare_outputs_reports_changed_missing_and_extra(demo, tmp_path):
    copy = tmp_path / "notebooks"
    shutil.copytree(demo.out_dir, copy)
    assert build.compare_outputs(demo.out_dir, copy).ok
    (copy / ".OTTER_LOG").write_text("local run")  # hidden files are never reported
    assert build.compare_outputs(demo.out_dir, copy).ok

    nb_path = copy / f"{DEMO}.ipynb"
    nb_path.write_text(nb_path.read_text(encoding="utf-8").replace("데모 레슨", "고친 레슨"), encoding="utf-8")
    (copy / "tests" / "l99_relu.py").unlink()
    (copy / "tests" / "l99_extra.py").write_text("OK_FORMAT = True\n")
    result = build.compare_outputs(demo.out_dir, copy)
    assert not result.ok
    assert result.stale == [f"{DEMO}.ipynb"]
    assert result.missing == ["tests/l99_relu.py"]
    assert result.extra == ["tests/l99_extra.py"]
    report = result.report()
    assert "course-build" in report and "tests/l99_relu.py" in report and "tests/l99_extra.py" in report
    # an --only comparison does not call other files extra
    assert build.compare_outputs(demo.out_dir, copy, full=False).extra == []


def test_check_command_exit_codes(demo, tmp_path, capsys, monkeypatch):
    copy = tmp_path / "notebooks"
    shutil.copytree(demo.out_dir, copy)
    (copy / "tests" / "l99_relu.py").write_text("OK_FORMAT = True\n")
    args = ["--check", "--no-run-tests", "--lessons-dir", str(pipeline.DEMO_LESSONS), "--out-dir", str(copy)]
    assert build.main(args) == 1  # a real fresh build, compared with the folder
    out = capsys.readouterr().out
    assert "tests/l99_relu.py" in out and "course-build" in out
    shutil.copy(demo.out_dir / "tests" / "l99_relu.py", copy / "tests" / "l99_relu.py")
    # up to date → exit code 0. That a fresh build equals the committed one is
    # test_second_build_is_byte_identical_and_removes_stale_files' (a second real build here
    # would prove it again); this fake build checks what `--check` asks the build for.
    seen: list[dict] = []

    def fresh_build(lessons_dir, out_dir, build_dir, **kwargs):
        seen.append({"lessons_dir": Path(lessons_dir), **kwargs})
        shutil.copytree(demo.out_dir, out_dir)
        return build.BuildResult([demo.by_lesson(DEMO)], Path(out_dir), Path(build_dir))

    monkeypatch.setattr(build, "build_lessons", fresh_build)
    assert build.main(args) == 0
    assert "일치합니다" in capsys.readouterr().out
    assert seen == [{"lessons_dir": pipeline.DEMO_LESSONS, "only": None, "run_tests": False, "profile": "quick",
                     "jobs": 1, "repo_url": None}]


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------
def _lesson(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    return path


def _demo_text(name: str = DEMO) -> str:
    return (pipeline.DEMO_LESSONS / f"{DEMO}.md").read_text(encoding="utf-8").replace(f"name: {DEMO}", f"name: {name}")


def test_duplicate_question_names_name_both_lessons(tmp_path):
    lessons = tmp_path / "lessons"
    _lesson(lessons, DEMO, _demo_text())
    _lesson(lessons, "98_copy", _demo_text("98_copy"))
    with pytest.raises(build.BuildError, match="l99_normalize") as info:
        build.build_lessons(lessons, tmp_path / "nb", tmp_path / "build", run_tests=False, repo_url=repo_url())
    message = str(info.value)
    assert "98_copy.md" in message and "99_demo.md" in message and "유일" in message
    assert not (tmp_path / "nb").exists()  # nothing written


@pytest.mark.parametrize(
    "edit, expected",
    [
        (lambda t: t.replace("<!-- #raw -->\n# END QUESTION\n<!-- #endraw -->\n\n## 정리", "## 정리"), r"END QUESTION"),
        (lambda t: t.replace("# END TESTS", "# END SOLUTION", 1), r"END SOLUTION.*END TESTS"),
        (lambda t: t.replace("name: 99_demo", "name: other_name"), r"name 은 파일 이름과 같아야"),
        (lambda t: t.replace("# ASSIGNMENT CONFIG", "# CONFIG"), r"ASSIGNMENT CONFIG"),
        (lambda t: t.replace("name: l99_relu", "points: 1", 1), r"name"),
    ],
    ids=["unclosed-question", "mismatched-end", "config-name", "no-config", "question-without-name"],
)
def test_malformed_master_names_the_file(tmp_path, edit, expected):
    path = _lesson(tmp_path / "lessons", DEMO, edit(_demo_text()))
    with pytest.raises(build.BuildError, match=expected) as info:
        build.build_lessons(path.parent, tmp_path / "nb", tmp_path / "build", run_tests=False, repo_url=repo_url())
    assert str(path) in str(info.value)


def test_solution_failing_its_own_test_fails_the_build(tmp_path):
    broken = _demo_text().replace("return np.maximum(x, 0)  # SOLUTION", "return np.abs(x)  # SOLUTION")
    path = _lesson(tmp_path / "lessons", DEMO, broken)
    with pytest.raises(build.BuildError) as info:
        build.build_lessons(path.parent, tmp_path / "nb", tmp_path / "build", repo_url=repo_url())
    message = str(info.value)
    assert str(path) in message and "otter assign" in message and "솔루션" in message
    assert "l99_relu" in message  # otter's own output names the failing question
    assert not (tmp_path / "nb").exists()


def test_find_lessons_and_only(tmp_path):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    for name in ("01_first.md", "02_second.md", "README.md", "GLOSSARY.md", "1_bad.md", "03_notes.txt"):
        (lessons / name).write_text("x")
    assert [p.name for p in build.find_lessons(lessons)] == ["01_first.md", "02_second.md"]
    assert [p.name for p in build.find_lessons(lessons, ["02"])] == ["02_second.md"]
    assert [p.name for p in build.find_lessons(lessons, ["01_first"])] == ["01_first.md"]
    with pytest.raises(build.BuildError, match=r"--only.*'07'"):
        build.find_lessons(lessons, ["07"])
    with pytest.raises(build.BuildError, match="레슨 폴더"):
        build.find_lessons(tmp_path / "missing")



@pytest.mark.parametrize("kwargs, name", [
    (dict(jobs=0), "jobs"), (dict(jobs=True), "jobs"), (dict(jobs=1.5), "jobs"),
    (dict(timeout=0), "timeout"), (dict(timeout=float("inf")), "timeout"),
])
def test_build_arguments_are_checked_before_anything_runs(tmp_path, kwargs, name):
    with pytest.raises(build.BuildError, match=name):
        build.build_lessons(tmp_path / "missing", tmp_path / "out", tmp_path / "build", **kwargs)
    assert not (tmp_path / "out").exists() and not (tmp_path / "build").exists()

def test_repository_url_helpers():
    assert build.read_repository_url() == repo_url()
    assert build.github_owner_repo("https://github.com/a-b/c.d.git") == ("a-b", "c.d")
    assert build.github_owner_repo("https://github.com/a/b/") == ("a", "b")
    with pytest.raises(build.BuildError, match="GitHub 주소"):
        build.github_owner_repo("https://gitlab.com/a/b")


def test_fill_answers_errors(demo):
    nb = pipeline.student_notebook(demo)
    with pytest.raises(KeyError, match="l99_missing"):
        notebook_io.fill_answers(nb, {"l99_missing": "x = 1"})
    with pytest.raises(ValueError, match="답안 셀이 1개"):
        notebook_io.fill_answers(nb, {"l99_relu": ["a = 1", "b = 2"]})
    filled = notebook_io.fill_answers(nb, {"l99_relu": "def relu(x):\n    return x\n"})
    index = notebook_io.answer_cells(filled)["l99_relu"][0]
    assert filled.cells[index].source == "def relu(x):\n    return x\n"
    assert notebook_io.cell_source(nb.cells[index]) != filled.cells[index].source  # original untouched


def test_release_repository_setting_points_badges_at_the_release(tmp_path):
    base = '[project]\nname = "x"\n\n[project.urls]\nRepository = "https://github.com/school/course-source"\n'
    (tmp_path / "pyproject.toml").write_text(base, encoding="utf-8")
    assert build.read_release_url(tmp_path) == "https://github.com/school/course-source"
    (tmp_path / "pyproject.toml").write_text(
        base + '\n[tool.course-build]\nrelease-repository = "https://github.com/school/course"\n', encoding="utf-8")
    assert build.read_release_url(tmp_path) == "https://github.com/school/course"
    assert build.read_repository_url(tmp_path) == "https://github.com/school/course-source"
    (tmp_path / "pyproject.toml").write_text(base + '\n[tool.course-build]\nrelease-repository = 3\n', encoding="utf-8")
    with pytest.raises(build.BuildError, match="release-repository"):
        build.read_release_url(tmp_path)


def test_repo_url_flag_reaches_the_build(monkeypatch, tmp_path):
    seen = {}

    def fake_build(*args, **kwargs):
        seen.update(kwargs)
        return build.BuildResult([], tmp_path, tmp_path)

    monkeypatch.setattr(build, "build_lessons", fake_build)
    assert build.main(["--repo-url", "https://github.com/school/course", "--lessons-dir", str(pipeline.DEMO_LESSONS)]) == 0
    assert seen["repo_url"] == "https://github.com/school/course"
    assert build.main(["--release", str(tmp_path / "r"), "--only", "99"]) == 1  # refused, nothing built


def test_setup_cell_passes_the_graders_tamper_scan(demo):
    try:
        from helpers.authoring.tamper_scan import scan_notebook
    except ImportError:  # before the scan/probe split
        from helpers.authoring.tamper import scan_notebook

    assert scan_notebook(pipeline.student_notebook(demo)) == []
    assert scan_notebook(pipeline.solution_filled(demo)) == []


# --------------------------------------------------------------------------------------------
# Opening a notebook in JupyterLab does not change it
# --------------------------------------------------------------------------------------------
def _jupyter_roundtrip(text: str) -> str:
    """What jupyter_server writes back when JupyterLab saves an unchanged notebook.

    JupyterLab sends the notebook model as JSON; the server validates it and writes it with
    ``nbformat.write(nb, f, version=nbformat.NO_CONVERT)`` (jupyter_server's FileContentsManager):
    sorted keys, indent 1, ``ensure_ascii=False``, sources split into lines, a trailing newline.
    """
    import io

    nb = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    out = io.StringIO()
    nbformat.write(nb, out, version=nbformat.NO_CONVERT)
    return out.getvalue()


def committed_notebooks() -> list[Path]:
    return sorted((pipeline.REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", committed_notebooks(), ids=lambda p: p.stem)
def test_committed_notebook_is_what_jupyter_writes_back(path):
    text = path.read_text(encoding="utf-8")
    assert _jupyter_roundtrip(text) == text
    nb = json.loads(text)
    assert (nb["nbformat"], nb["nbformat_minor"]) == (4, 5)  # cell ids: nbformat 4.5, what JupyterLab 4 writes
    # the metadata JupyterLab would otherwise add on opening (stale until `course-build` is re-run)
    assert nb["metadata"]["kernelspec"] == build.KERNELSPEC, "course-build 로 다시 만드세요"
    assert nb["metadata"].get("language_info") == build.LANGUAGE_INFO, "course-build 로 다시 만드세요"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")
def test_jupyterlab_opens_the_notebook_unmodified(demo, tmp_path):
    """Open the demo notebook in a real JupyterLab (headless Chromium), let the kernel start, save.

    The tab must not be marked modified and the saved file must be byte-identical. JupyterLab
    writes the running Python's version into ``language_info``; the notebook names
    :data:`build.REFERENCE_PYTHON`, so on another Python the test uses a copy with that one value
    changed (the rest of the file is exactly what the build wrote).
    """
    import platform
    import subprocess
    import time
    import urllib.request

    playwright = pytest.importorskip("playwright.sync_api")
    root = tmp_path / "lab"
    root.mkdir()
    text = demo.by_lesson(DEMO).student_notebook.read_text(encoding="utf-8")
    text = text.replace(f'"version": "{build.REFERENCE_PYTHON}"', f'"version": "{platform.python_version()}"')
    path = root / f"{DEMO}.ipynb"
    path.write_text(text, encoding="utf-8")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ServerApp.token=", "--ServerApp.password=",
         f"--ServerApp.root_dir={root}", f"--LabApp.workspaces_dir={tmp_path / 'ws'}", "--allow-root"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "HOME": str(tmp_path)},
    )
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/lab/tree/{DEMO}.ipynb?reset", timeout=120_000)
            page.wait_for_function(
                "() => { const e = document.querySelector('.jp-Notebook-ExecutionIndicator');"
                " return e && e.getAttribute('data-status') === 'idle'; }", timeout=120_000)
            time.sleep(3)  # kernel_info has arrived; give the metadata update time to happen
            # On a loaded machine JupyterLab's model settles later: wait (bounded) for a clean tab,
            # so only a tab that stays modified fails (the saved file is compared byte for byte below).
            with contextlib.suppress(playwright.TimeoutError):
                page.wait_for_function(
                    "() => Array.from(document.querySelectorAll('.lm-TabBar-tab'))"
                    ".some(t => t.textContent.includes('.ipynb') && !t.classList.contains('jp-mod-dirty'))",
                    timeout=20_000)
            tabs = page.evaluate(
                "() => Array.from(document.querySelectorAll('.lm-TabBar-tab'))"
                ".filter(t => t.textContent.includes('.ipynb'))"
                ".map(t => [t.textContent, t.classList.contains('jp-mod-dirty')])")
            page.keyboard.press("Control+s")
            time.sleep(3)
            browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # jupyter_server may hang shutting down its kernels
            server.kill()
            server.wait(timeout=30)
    assert tabs == [[f"{DEMO}.ipynb", False]]
    assert path.read_text(encoding="utf-8") == text


def test_demo_notebook_is_what_jupyter_writes_back(demo):
    for path in (demo.by_lesson(DEMO).student_notebook, demo.by_lesson(DEMO).solution_notebook):
        text = path.read_text(encoding="utf-8")
        assert _jupyter_roundtrip(text) == text
        nbformat.validate(nbformat.reads(text, as_version=nbformat.NO_CONVERT))
