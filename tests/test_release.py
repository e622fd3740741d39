"""course-build --release: the public student repository contains no solution and no hidden test.

One release of the demo lesson (tests/fixtures/lessons/99_demo.md, without otter's solution run)
is written once per test run (whichever pytest-xdist worker asks first, into the run's shared
folder), with its build folder kept beside it so the tests can read the
autograder zip and the solution notebook the release must not leak. The scan here is the test's
own (plain string search over every file), independent of ``release.scan_release``.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import nbformat
import pytest

from fixtures import pipeline, shared
from helpers.authoring import build, notebook_io, release

pytestmark = pytest.mark.slow

URL = "https://github.com/school-kr/vision-course-student"
DEMO = pipeline.DEMO


def _write_demo_release() -> tuple[release.ReleaseResult, Path, Path]:
    """The demo release and its build folder, in the run's shared folder (the tests only read them)."""
    root = shared.shared_dir("test_release-release")
    result = release.write_release(
        root / "student", lessons_dir=pipeline.DEMO_LESSONS, repo_url=URL, run_tests=False, build_dir=root / "build",
    )
    return result, root / "student", root / "build"


@pytest.fixture(scope="module")
def released() -> tuple[release.ReleaseResult, Path, Path]:
    return pipeline.once_per_run("test_release-release", _write_demo_release)


def all_files(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            out[path.relative_to(folder).as_posix()] = path.read_text(encoding="utf-8", errors="replace")
    return out


def hidden_test_lines(build_dir: Path) -> list[str]:
    """Code lines of hidden cases (and their messages) from the autograder zip, not in any public case."""
    hidden, public = set(), set()
    with zipfile.ZipFile(build_dir / "autograder" / f"{DEMO}.zip") as zf:
        for name in zf.namelist():
            if name.startswith("tests/") and name.endswith(".py"):
                scope: dict = {}
                exec(zf.read(name).decode("utf-8"), scope)
                for case in scope["test"]["suites"][0]["cases"]:
                    lines = {ln.strip()[4:].strip() for ln in case["code"].splitlines() if ln.strip().startswith(">>>")}
                    (hidden if case["hidden"] else public).update(lines)
                    if case["hidden"] and case.get("failure_message"):
                        hidden.add(case["failure_message"].strip())
    return sorted(line for line in hidden - public if len(line) >= 12 and not line.startswith("import "))


# --------------------------------------------------------------------------------------------
# What the tree contains
# --------------------------------------------------------------------------------------------
def test_layout(released):
    result, student, _ = released
    files = all_files(student)
    top = sorted({name.split("/")[0] for name in files})
    assert top == sorted([".course-release.json", ".gitignore", "LICENSE", "README.md", "environment.yml",
                          "helpers", "notebooks", "pyproject.toml"]
                         + (["GLOSSARY.md"] if (pipeline.DEMO_LESSONS / "GLOSSARY.md").is_file() else []))
    assert {f"notebooks/{DEMO}.ipynb", "notebooks/tests/l99_normalize.py", "notebooks/tests/l99_relu.py",
            "helpers/__init__.py", "helpers/feedback.py"} <= set(files)
    assert not any(name.startswith(("helpers/authoring", "helpers/site")) for name in files)
    assert result.lessons == [DEMO] and result.url == URL and "통과" in result.report()
    marker = json.loads(files[".course-release.json"])
    assert marker["lessons"] == [DEMO] and marker["repository"] == URL


def test_no_solution_no_hidden_test_no_master_anywhere(released):
    _, student, build_dir = released
    files = all_files(student)
    for name in files:
        assert not name.startswith(("lessons/", "tests/", "build/")), name
        assert "wrong_answers" not in name and not name.endswith(".zip") and "autograder" not in name
    secrets = hidden_test_lines(build_dir)
    assert "assert np.allclose(p, [0.375, 0.125, 0.0, 0.5])" in secrets and "before = x.copy()" in secrets
    solution = notebook_io.read_notebook(build_dir / "solutions" / f"{DEMO}.ipynb")
    solution_code = ["x / x.sum()", "np.maximum(x, 0)"]
    assert all(code in json.dumps(solution.cells, ensure_ascii=False) for code in solution_code)
    for name, text in files.items():
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "ASSIGNMENT CONFIG", "BEGIN QUESTION", "'hidden': True"):
            assert marker not in text, f"{name}: {marker}"
        for line in secrets:
            assert line not in text, f"{name}: hidden test line {line!r}"
        if name.startswith("notebooks/"):
            for code in solution_code:
                assert code not in text, f"{name}: solution {code!r}"


def test_notebooks_point_at_the_release(released):
    _, student, _ = released
    nb = notebook_io.read_notebook(student / "notebooks" / f"{DEMO}.ipynb")
    colab = f"https://colab.research.google.com/github/school-kr/vision-course-student/blob/main/notebooks/{DEMO}.ipynb"
    assert colab in nb.cells[0].source
    assert f'REPO_URL, REPO_DIR = "{URL}", "/content/vision-course-student"' in nb.cells[1].source


def test_pyproject_has_no_instructor_tools(released):
    _, student, _ = released
    data = tomllib.loads((student / "pyproject.toml").read_text(encoding="utf-8"))
    project = data["project"]
    assert "scripts" not in project and "optional-dependencies" not in project
    assert project["urls"]["Repository"] == URL
    source = tomllib.loads((pipeline.REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["dependencies"] == source["dependencies"] and project["name"] == source["name"]
    assert data["tool"]["setuptools"]["packages"]["find"]["exclude"] == ["helpers.authoring*", "helpers.site*"]
    assert not {"pytest", "course-build", "ruff", "mypy"} & set(data.get("tool", {}))
    assert "[test]" not in (student / "environment.yml").read_text(encoding="utf-8")


def test_readme_and_licence(released):
    _, student, _ = released
    readme = (student / "README.md").read_text(encoding="utf-8")
    for piece in ("학생용", f"notebooks/{DEMO}.ipynb", "colab.research.google.com/github/school-kr/vision-course-student",
                  "파일 > Drive에 사본 저장", "--index-url https://download.pytorch.org/whl/cpu", "약 3 GB",
                  'feedback.show_details("문제이름")', f"git clone {URL}"):
        assert piece in readme, piece
    assert (student / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_release_installs_as_a_package_without_the_authoring_tools(released, tmp_path):
    _, student, _ = released
    source = tmp_path / "source"  # setuptools writes build/ and *.egg-info into the folder it builds
    shutil.copytree(student, source)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = tmp_path.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "helpers/feedback.py" in names and "helpers/environment.py" in names
    assert not any(n.startswith(("helpers/authoring", "helpers/site")) for n in names)
    entry_points = [n for n in names if n.endswith("entry_points.txt")]
    assert not entry_points or "course-build" not in zipfile.ZipFile(wheel).read(entry_points[0]).decode()


# --------------------------------------------------------------------------------------------
# The scan catches leaks
# --------------------------------------------------------------------------------------------
def test_scan_release_catches_leaks(released, tmp_path):
    _, student, build_dir = released
    copy = tmp_path / "student"
    shutil.copytree(student, copy)
    nb_path = copy / "notebooks" / f"{DEMO}.ipynb"
    secrets = release.collect_secrets(build_dir, sorted((copy / "notebooks" / "tests").glob("*.py")), [nb_path])
    assert release.scan_release(copy, secrets) == ([], [])
    assert "return x / x.sum()" in secrets.solution_lines[DEMO]
    assert "assert np.array_equal(x, before)" in secrets.hidden_lines
    assert any("값이 기대와 다릅니다" in m for m in secrets.hidden_messages)

    nb = nbformat.read(str(nb_path), as_version=4)
    nb.cells[-1].source += "\n# BEGIN SOLUTION"
    nbformat.write(nb, str(nb_path))
    (copy / "README.md").write_text("assert np.array_equal(x, before)\n", encoding="utf-8")
    (copy / "notes.md").write_text("힌트: 값이 기대와 다릅니다. 각 원소를 전체 합으로 나눠 보세요.\n", encoding="utf-8")
    (copy / "lessons").mkdir()
    (copy / "lessons" / f"{DEMO}.md").write_text("x", encoding="utf-8")
    (copy / "tests" / "wrong_answers").mkdir(parents=True)
    (copy / "tests" / "wrong_answers" / f"{DEMO}.py").write_text("x", encoding="utf-8")
    (copy / "helpers" / "extra.py").write_text("def normalize(x):\n    return x / x.sum()\n", encoding="utf-8")
    errors, warnings = release.scan_release(copy, secrets)
    flagged = {str(e).split(":")[0] for e in errors}
    assert flagged == {f"notebooks/{DEMO}.ipynb", "README.md", "notes.md", f"lessons/{DEMO}.md", f"tests/wrong_answers/{DEMO}.py"}
    assert [str(w).split(":")[0] for w in warnings] == ["helpers/extra.py"]  # the course's own code: reported


def test_target_must_be_empty_or_a_previous_release(tmp_path):
    other = tmp_path / "my-project"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    with pytest.raises(build.BuildError, match="비어 있지 않고"):
        release._prepare_target(other)
    assert (other / "keep.txt").read_text() == "mine"

    previous = tmp_path / "student"
    (previous / ".git").mkdir(parents=True)
    (previous / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (previous / release.MARKER).write_text("{}")
    (previous / "notebooks").mkdir()
    (previous / "notebooks" / "old.ipynb").write_text("{}")
    release._prepare_target(previous)
    assert sorted(p.name for p in previous.iterdir()) == [".git"]  # the clone's history stays
    with pytest.raises(build.BuildError, match="원본 저장소"):
        release.write_release(pipeline.REPO / "notebooks", lessons_dir=pipeline.DEMO_LESSONS, repo_url=URL)


def test_release_pyproject_transform():
    text = (pipeline.REPO / "pyproject.toml").read_text(encoding="utf-8")
    out = release.release_pyproject(text, URL)
    for gone in ("[project.scripts]", "course-grade =", "course-build =", "[tool.pytest", "[tool.ruff", "[tool.mypy"):
        assert gone not in out
    assert URL in out
    assert release.release_pyproject(out, URL) == out  # idempotent


def test_cli_release_flag(monkeypatch, tmp_path, capsys):
    seen = {}

    def fake(target, **kwargs):
        seen.update(kwargs, target=target)
        return release.ReleaseResult(Path(target), [DEMO], URL, ["README.md"])

    monkeypatch.setattr(release, "write_release", fake)
    args = ["--release", str(tmp_path / "out"), "--no-run-tests", "--lessons-dir", str(pipeline.DEMO_LESSONS), "--repo-url", URL]
    assert build.main(args) == 0
    assert seen["target"] == str(tmp_path / "out") and seen["repo_url"] == URL and seen["run_tests"] is False
    assert "학생용 릴리스" in capsys.readouterr().out
