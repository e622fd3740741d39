"""Every real lesson master ``lessons/NN_slug.md``, end to end (slow; marker ``notebooks``).

1. ``notebooks/`` is what ``course-build`` makes now (one session build that also ran otter's
   public and hidden tests against the solutions);
2. the student notebook and the solution notebook run top to bottom under nbval
   (``pytest --nbval-lax``, quick profile) — an unsolved notebook must not crash;
3. grading proof, through ``course-grade`` (one run per lesson): the unsolved student notebook
   scores 0 on every question, the solution (its answer cells put into the student notebook)
   full marks, and the wrong answers of ``tests/wrong_answers/NN_slug.py`` less than full on
   every question, which must all be listed there.

Without any lesson master the module is skipped. For checking this file itself, the folders can
be redirected: ``COURSE_TEST_LESSONS_DIR``, ``COURSE_TEST_NOTEBOOKS_DIR``,
``COURSE_TEST_WRONG_ANSWERS_DIR`` (e.g. to ``tests/fixtures/``).
"""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fixtures import pipeline
from helpers.authoring import build, grade, notebook_io, runtime
from wrong_answers import load_wrong_answers, missing_questions

REPO = Path(__file__).resolve().parents[1]
LESSONS_DIR = Path(os.environ.get("COURSE_TEST_LESSONS_DIR", REPO / "lessons"))
NOTEBOOKS_DIR = Path(os.environ.get("COURSE_TEST_NOTEBOOKS_DIR", REPO / "notebooks"))
WRONG_DIR = Path(os.environ.get("COURSE_TEST_WRONG_ANSWERS_DIR", REPO / "tests" / "wrong_answers"))
CELL_TIMEOUT = int(os.environ.get("COURSE_TEST_CELL_TIMEOUT", "600"))
NOTEBOOK_TIMEOUT = int(os.environ.get("COURSE_TEST_NOTEBOOK_TIMEOUT", "1800"))

MASTERS = build.find_lessons(LESSONS_DIR) if LESSONS_DIR.is_dir() else []
if not MASTERS:
    pytest.skip(
        f"{LESSONS_DIR} 에 레슨 원본(NN_이름.md)이 아직 없습니다: lessons/01_logits_softmax.md 같은 원본이 "
        "추가되면 이 노트북 테스트가 실행됩니다.",
        allow_module_level=True,
    )
LESSONS = [p.stem for p in MASTERS]
pytestmark = [pytest.mark.notebooks, pytest.mark.slow]


_BUILDS: dict[str | None, build.BuildResult] = {}


def course_build(lesson: str | None = None) -> build.BuildResult:
    """All lessons (or one) built once per test process, with otter's solution tests.

    A per-lesson test reuses the full build when it exists, so ``-k 04_metrics`` builds only
    lesson 04 while a whole run (the up-to-date test comes first) builds everything once.
    """
    for key in (lesson, None):
        if key in _BUILDS:
            return _BUILDS[key]
    root = pipeline.scratch_dir("course-notebooks-")
    _BUILDS[lesson] = build.build_lessons(
        LESSONS_DIR, root / "notebooks", root / "build", only=[lesson] if lesson else None, run_tests=True,
        jobs=min(2, os.cpu_count() or 1),
    )
    return _BUILDS[lesson]


def test_notebooks_folder_is_up_to_date():
    built = course_build()
    result = build.compare_outputs(built.out_dir, NOTEBOOKS_DIR)
    assert result.ok, result.report()


def _run_nbval(notebook: Path, tests_dir: Path, work: Path) -> tuple[int, str, float]:
    work.mkdir(parents=True)
    shutil.copy(notebook, work / notebook.name)
    shutil.copytree(tests_dir, work / "tests")
    (work / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    command = [
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env",
        f"--nbval-cell-timeout={CELL_TIMEOUT}", "-c", str(work / "pytest.ini"), "--rootdir", str(work),
        str(work / notebook.name),
    ]
    start = time.perf_counter()
    proc = subprocess.run(
        command, cwd=work, env=runtime.subprocess_env("quick", work / ".env"), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace", timeout=NOTEBOOK_TIMEOUT,
    )
    return proc.returncode, proc.stdout, time.perf_counter() - start


@pytest.mark.parametrize("lesson", LESSONS)
def test_student_notebook_runs_top_to_bottom(lesson, tmp_path):
    built = course_build(lesson)
    code, output, seconds = _run_nbval(built.by_lesson(lesson).student_notebook, built.out_dir / "tests", tmp_path / "run")
    print(f"{lesson} 학생 노트북 (풀지 않은 상태): {seconds:.1f}초")
    assert code == 0, f"{lesson} 학생 노트북이 끝까지 실행되지 않습니다:\n{output[-6000:]}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_solution_notebook_runs_top_to_bottom(lesson, tmp_path):
    built = course_build(lesson)
    solutions = built.build_dir / "solutions"
    code, output, seconds = _run_nbval(built.by_lesson(lesson).solution_notebook, solutions / "tests", tmp_path / "run")
    print(f"{lesson} 솔루션 노트북: {seconds:.1f}초")
    assert code == 0, f"{lesson} 솔루션 노트북이 끝까지 실행되지 않습니다:\n{output[-6000:]}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_grading_proves_every_question_can_fail(lesson, tmp_path):
    built = course_build(lesson)
    item = built.by_lesson(lesson)
    answers = load_wrong_answers(lesson, WRONG_DIR)
    missing = missing_questions(answers, item.questions)
    assert not missing, f"{WRONG_DIR / (lesson + '.py')} 에 오답이 없는 문항: {missing}"
    unknown = sorted(set(answers) - set(item.questions))
    assert not unknown, f"{WRONG_DIR / (lesson + '.py')} 에 이 레슨에 없는 문항: {unknown}"

    student = notebook_io.read_notebook(item.student_notebook)
    solution = notebook_io.read_notebook(item.solution_notebook)
    folder = tmp_path / "submissions"
    folder.mkdir()
    pipeline.write(student, folder / f"unsolved_{lesson}.ipynb")
    pipeline.write(notebook_io.fill_answers(student, notebook_io.solution_answers(solution)), folder / f"solution_{lesson}.ipynb")
    pipeline.write(notebook_io.fill_answers(student, answers), folder / f"wrong_{lesson}.ipynb")

    out = tmp_path / "gradebook.csv"
    code = grade.main([
        str(folder), "--out", str(out), "--detail", str(tmp_path / "detail.csv"), "--build-dir", str(built.build_dir),
        "--jobs", str(min(2, os.cpu_count() or 1)), "--timeout", str(NOTEBOOK_TIMEOUT), "--profile", "quick",
    ])
    assert code == 0
    with open(out, newline="", encoding="utf-8-sig") as f:
        rows = {row["file"]: row for row in csv.DictReader(f)}
    points = {q["name"]: q["points"] for q in grade.load_lessons(built.build_dir)[lesson].questions}
    for kind in ("unsolved", "solution", "wrong"):
        row = rows[f"{kind}_{lesson}.ipynb"]
        print(f"{lesson} 채점 ({kind}): {row['status']} {row['total']}/{row['max_total']}, {row['seconds']}초")
        assert row["status"] == "ok", f"{kind}: 상태 {row['status']} ({row['flags']} {row['note']})"
    for question, maximum in points.items():
        assert float(rows[f"unsolved_{lesson}.ipynb"][question]) == 0, f"풀지 않은 노트북이 {question} 에서 점수를 받습니다"
        assert float(rows[f"solution_{lesson}.ipynb"][question]) == maximum, f"솔루션이 {question} 에서 만점이 아닙니다"
        assert float(rows[f"wrong_{lesson}.ipynb"][question]) < maximum, f"오답이 {question} 에서 만점을 받습니다"
