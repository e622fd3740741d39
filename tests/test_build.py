"""course-build: layout, cleanliness, the injected cells, reproducibility, staleness, errors.

One build of the demo lesson (tests/fixtures/lessons/99_demo.md, otter's solution tests
included) is shared by every test here (fixtures.pipeline.demo_build).
"""
from __future__ import annotations

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
def demo():
    return pipeline.demo_build()


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def repo_url() -> str:
    with open(pipeline.REPO / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["urls"]["Repository"]


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
    assert set(nb["metadata"]) <= {"kernelspec", "otter", "colab"}
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
    for question, indices in answers.items():
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
    url = repo_url()
    owner, repo = re.match(r"https://github\.com/([^/]+)/([^/]+?)(?:\.git)?/?$", url).groups()
    nb = notebook_io.read_notebook(demo.by_lesson(DEMO).student_notebook)
    badge, setup = nb.cells[0], nb.cells[1]
    assert badge.cell_type == "markdown"
    assert badge.source == (
        "[![Colab에서 열기](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"(https://colab.research.google.com/github/{owner}/{repo}/blob/main/notebooks/{DEMO}.ipynb)"
    )
    assert setup.cell_type == "code"
    assert setup.source.startswith("# 준비 셀: 먼저 실행하세요")
    for piece in ('"google.colab" in sys.modules', f'"{url}"', f'"/content/{repo}"', '"--depth", "1"',
                  "import helpers, otter", "helpers.preflight()", 'grader = otter.Notebook(tests_dir="tests")'):
        assert piece in setup.source
    # the same two cells are in the solution notebook
    solution = notebook_io.read_notebook(demo.by_lesson(DEMO).solution_notebook)
    assert solution.cells[0].source == badge.source and solution.cells[1].source == setup.source


class _FakeOtter:
    created: list = []

    class Notebook:
        def __init__(self, **kwargs):
            _FakeOtter.created.append(kwargs)


def _run_setup(source: str, monkeypatch, colab: bool) -> tuple[list, list]:
    import subprocess

    calls, chdirs = [], []
    monkeypatch.setattr(subprocess, "run", lambda cmd, **kw: calls.append(cmd))
    monkeypatch.setattr(os, "chdir", lambda path: chdirs.append(path))
    monkeypatch.setattr(os.path, "isdir", lambda path: False)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setitem(sys.modules, "otter", _FakeOtter)
    if colab:
        monkeypatch.setitem(sys.modules, "google.colab", object())
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    import helpers

    monkeypatch.setattr(helpers, "preflight", lambda: None)
    _FakeOtter.created = []
    exec(compile(source, "setup-cell", "exec"), {})
    return calls, chdirs


def test_setup_cell_does_nothing_slow_outside_colab(demo, monkeypatch):
    source = notebook_io.read_notebook(demo.by_lesson(DEMO).student_notebook).cells[1].source
    calls, chdirs = _run_setup(source, monkeypatch, colab=False)
    assert calls == [] and chdirs == []
    assert _FakeOtter.created == [{"tests_dir": "tests"}]


def test_setup_cell_on_colab_clones_installs_and_moves_into_notebooks(demo, monkeypatch):
    url = repo_url()
    repo = url.rstrip("/").split("/")[-1]
    source = notebook_io.read_notebook(demo.by_lesson(DEMO).student_notebook).cells[1].source
    calls, chdirs = _run_setup(source, monkeypatch, colab=True)
    assert calls[0] == ["git", "clone", "--depth", "1", url, f"/content/{repo}"]
    assert calls[1][:4] == [sys.executable, "-m", "pip", "install"] and calls[1][-1] == f"/content/{repo}"
    assert chdirs == [f"/content/{repo}/notebooks"]
    assert _FakeOtter.created == [{"tests_dir": "tests"}]


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


def test_check_command_exit_codes(demo, tmp_path, capsys):
    copy = tmp_path / "notebooks"
    shutil.copytree(demo.out_dir, copy)
    (copy / "tests" / "l99_relu.py").write_text("OK_FORMAT = True\n")
    args = ["--check", "--no-run-tests", "--lessons-dir", str(pipeline.DEMO_LESSONS), "--out-dir", str(copy)]
    assert build.main(args) == 1
    out = capsys.readouterr().out
    assert "tests/l99_relu.py" in out and "course-build" in out
    shutil.copy(demo.out_dir / "tests" / "l99_relu.py", copy / "tests" / "l99_relu.py")
    assert build.check_up_to_date(pipeline.DEMO_LESSONS, copy).ok


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
