"""Every real lesson master ``lessons/NN_slug.md``, end to end (slow; marker ``notebooks``).

Per lesson, each notebook execution happens once per test run (shared by all xdist workers):

1. build: ``course-build --only <lesson> --no-run-tests`` into the run's shared folder
   (:mod:`fixtures.lesson_builds`); ``notebooks/`` must equal what the builds make;
2. the unsolved student notebook runs top to bottom in a fresh kernel (nbclient; quick profile;
   :func:`fixtures.executed.executed_student_notebook` keeps the executed copy for other tests);
3. grading proof, ONE ``course-grade`` run per lesson (``--jobs 2``): the unsolved student
   notebook scores 0 on every question; the solution (its answer cells put into the student
   notebook) full marks on every question — so it passes every public and hidden test, which is
   what otter's build-time solution check proved; the wrong answers of
   ``tests/wrong_answers/NN_slug.py`` less than full on every question, which must all be listed
   there; and, when ``tests/fixtures/always_equal.py`` exists, answers that are always-equal
   objects less than full on every question or the row flagged ``review``.
   otter grades with cell errors allowed, so the grading run gets one extra test-only question
   (:func:`with_cell_error_check`) that fails when any cell of the unsolved or the solution
   submission raised.

The two tests of a lesson are independent xdist work units (no ``xdist_group``): the build is
shared through a file lock (the second process to ask waits for the first), so one worker can
execute a lesson's student notebook while another grades it, and no worker is left with a long
queued chain while the other has nothing to do. ``tests/conftest.py`` orders them longest
first (grading before execution, costlier lessons before cheaper ones). One lesson:
``python -m pytest tests/test_notebooks.py -k 04_metrics``. Without any lesson master the module is skipped. For checking this file itself,
the folders can be redirected: ``COURSE_TEST_LESSONS_DIR``, ``COURSE_TEST_NOTEBOOKS_DIR``,
``COURSE_TEST_WRONG_ANSWERS_DIR`` (e.g. to ``tests/fixtures/``).
"""
from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import pytest

from fixtures import pipeline
from fixtures.executed import executed_student_notebook, execution_seconds
from fixtures.lesson_builds import LESSONS_DIR, NOTEBOOKS_DIR, OTTER_TIMEOUT, WRONG_DIR, lesson_build, lesson_names
from helpers.authoring import build, grade, notebook_io
from wrong_answers import load_wrong_answers, missing_questions

GRADING_JOBS = 2

LESSONS = lesson_names()
if not LESSONS:
    pytest.skip(
        f"{LESSONS_DIR} 에 레슨 원본(NN_이름.md)이 아직 없습니다: lessons/01_logits_softmax.md 같은 원본이 "
        "추가되면 이 노트북 테스트가 실행됩니다.",
        allow_module_level=True,
    )
pytestmark = [pytest.mark.notebooks, pytest.mark.slow]


def per_lesson(test):
    """Parametrize over the lessons (``lesson`` is the master's stem; the test id too)."""
    return pytest.mark.parametrize("lesson", LESSONS, ids=LESSONS)(test)


@per_lesson
def test_student_notebook_runs_top_to_bottom(lesson):
    start = time.perf_counter()
    path = executed_student_notebook(lesson)
    seconds = execution_seconds(lesson)
    print(f"{lesson} 학생 노트북 (풀지 않은 상태): 실행 {seconds}초, 이 테스트 {time.perf_counter() - start:.1f}초")
    assert path.is_file()


def _always_equal_answers():
    """``fixtures.always_equal.always_equal_answers`` or ``None`` while that module does not exist."""
    try:
        from fixtures.always_equal import always_equal_answers
    except ModuleNotFoundError as exc:
        if exc.name != "fixtures.always_equal":
            raise
        return None
    return always_equal_answers


CELL_ERROR_CHECK = "zz_no_cell_raised"
CELL_ERROR_TEST = f"""OK_FORMAT = True

test = {{
    "name": "{CELL_ERROR_CHECK}",
    "points": 1,
    "suites": [{{
        "cases": [{{
            "code": ">>> import sys\\n>>> print(repr(getattr(sys, 'last_value', None)))\\nNone\\n",
            "hidden": True,
            "locked": False,
        }}],
        "scored": True, "setup": "", "teardown": "", "type": "doctest",
    }}],
}}
"""


def with_cell_error_check(build_dir: Path, lesson: str, target: Path) -> Path:
    """A copy of ``build_dir``'s autograder for ``lesson`` with one more (test-only) question.

    otter grades with cell errors allowed, so a cell that raises outside the graded answers —
    a demo cell that crashes only once a correct solution is in place — changes neither status
    nor scores. IPython keeps the last exception a cell raised in ``sys.last_value``; the extra
    question ``zz_no_cell_raised`` passes only when no cell of the submission raised. Its case
    message shows the exception. Returns the new build folder (for ``course-grade``).
    """
    source = build_dir / "autograder"
    folder = target / "autograder"
    folder.mkdir(parents=True)
    with zipfile.ZipFile(source / f"{lesson}.zip") as zin, \
            zipfile.ZipFile(folder / f"{lesson}.zip", "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename))
        zout.writestr(f"tests/{CELL_ERROR_CHECK}.py", CELL_ERROR_TEST)
    manifest = json.loads((source / f"{lesson}.json").read_text(encoding="utf-8"))
    manifest["questions"].append({"name": CELL_ERROR_CHECK, "points": 1.0, "public_cases": 0, "hidden_cases": 1})
    (folder / f"{lesson}.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return target


@per_lesson
def test_grading_proves_every_question_can_fail(lesson, tmp_path):
    built = lesson_build(lesson)
    item = built.by_lesson(lesson)
    answers = load_wrong_answers(lesson, WRONG_DIR)
    missing = missing_questions(answers, item.questions)
    assert not missing, f"{WRONG_DIR / (lesson + '.py')} 에 오답이 없는 문항: {missing}"
    unknown = sorted(set(answers) - set(item.questions))
    assert not unknown, f"{WRONG_DIR / (lesson + '.py')} 에 이 레슨에 없는 문항: {unknown}"

    student = notebook_io.read_notebook(item.student_notebook)
    solution = notebook_io.read_notebook(item.solution_notebook)
    submissions = {
        "unsolved": student,
        "solution": notebook_io.fill_answers(student, notebook_io.solution_answers(solution)),
        "wrong": notebook_io.fill_answers(student, answers),
    }
    always_equal = _always_equal_answers()
    if always_equal is not None:
        submissions["always_equal"] = notebook_io.fill_answers(student, always_equal(student, solution))
    else:
        print(f"{lesson}: tests/fixtures/always_equal.py 가 아직 없어 항상-같음(always-equal) 답안 채점을 건너뜁니다")
    folder = tmp_path / "submissions"
    folder.mkdir()
    for kind, nb in submissions.items():
        pipeline.write(nb, folder / f"{kind}_{lesson}.ipynb")

    report = grade.grade_submissions(
        folder, build_dir=with_cell_error_check(built.build_dir, lesson, tmp_path / "build"),
        out=tmp_path / "gradebook.csv", detail=tmp_path / "detail.csv",
        timeout=OTTER_TIMEOUT, jobs=GRADING_JOBS, profile="quick",
    )
    rows = {kind: report.by_file(f"{kind}_{lesson}.ipynb") for kind in submissions}
    points = {q["name"]: float(q["points"]) for q in grade.load_lessons(built.build_dir)[lesson].questions}
    for kind, row in rows.items():
        total = sum(row.scores.get(q, 0.0) for q in points)
        print(f"{lesson} 채점 ({kind}): {row.status} {total:g}/{sum(points.values()):g}, "
              f"셀 예외 없음 {row.scores.get(CELL_ERROR_CHECK, 0.0) == 1}, {row.seconds}초")
    assert list(points) == item.questions
    for kind in ("unsolved", "solution", "wrong"):
        row = rows[kind]
        assert row.status == "ok", f"{kind}: 상태 {row.status} ({'; '.join(row.flags)} {'; '.join(row.notes)})"
    for kind in ("unsolved", "solution"):
        row = rows[kind]
        raised = [c.get("message", "") for c in row.cases.get(CELL_ERROR_CHECK, [])] or ["(결과 없음)"]
        assert row.scores.get(CELL_ERROR_CHECK) == 1, f"{kind}: 채점 중 예외가 난 셀이 있습니다: {raised}"
    for question, maximum in points.items():
        assert rows["unsolved"].scores[question] == 0, f"풀지 않은 노트북이 {question} 에서 점수를 받습니다"
        assert rows["solution"].scores[question] == maximum, f"솔루션이 {question} 에서 만점이 아닙니다"
        assert rows["wrong"].scores[question] < maximum, f"오답이 {question} 에서 만점을 받습니다"
    if "always_equal" in rows:
        row = rows["always_equal"]
        assert row.status in ("ok", "review"), f"always-equal: 상태 {row.status} ({'; '.join(row.notes)})"
        if row.status != "review":
            full = [q for q, maximum in points.items() if row.scores[q] >= maximum]
            assert not full, f"항상-같음(always-equal) 답안이 검토(review) 표시 없이 만점을 받는 문항: {full}"


def test_notebooks_folder_is_up_to_date():
    """``notebooks/`` is exactly what building every lesson makes (no stale, missing or extra file).

    Last in the file, so in a whole run the lesson chains have built every lesson already.
    """
    result = build.CheckResult()
    produced: set[str] = set()
    for lesson in LESSONS:
        built = lesson_build(lesson)
        one = build.compare_outputs(built.out_dir, NOTEBOOKS_DIR, full=False)
        result.stale += one.stale
        result.missing += one.missing
        produced |= _files(built.out_dir)
    result.extra = sorted(_files(NOTEBOOKS_DIR) - produced)
    assert result.ok, result.report()


def _files(folder: Path) -> set[str]:
    """Relative paths of the files in ``folder`` a build could have made (no hidden files, caches)."""
    if not folder.is_dir():
        return set()
    return {
        p.relative_to(folder).as_posix() for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in p.relative_to(folder).parts)
    }


def test_cell_error_check_fails_only_when_a_cell_raised(tmp_path):
    """The extra question of :func:`with_cell_error_check` on the demo lesson: full for the
    solution, zero once a cell outside the answers raises (which otter alone would not show)."""
    built = pipeline.demo_build()  # read only: the checked autograder is a copy in tmp_path
    solved = pipeline.solution_filled(built)
    folder = tmp_path / "submissions"
    folder.mkdir()
    pipeline.write(solved, folder / f"clean_{pipeline.DEMO}.ipynb")
    pipeline.write(pipeline.with_cell(solved, "raise ValueError('데모 셀 오류')"), folder / f"raising_{pipeline.DEMO}.ipynb")
    report = grade.grade_submissions(
        folder, build_dir=with_cell_error_check(built.build_dir, pipeline.DEMO, tmp_path / "checked"),
        out=None, detail=None, timeout=OTTER_TIMEOUT, jobs=GRADING_JOBS, profile="quick",
    )
    clean, raising = report.by_file(f"clean_{pipeline.DEMO}.ipynb"), report.by_file(f"raising_{pipeline.DEMO}.ipynb")
    assert clean.status == raising.status == "ok", [clean.notes, raising.notes]
    assert clean.scores[CELL_ERROR_CHECK] == 1 and raising.scores[CELL_ERROR_CHECK] == 0
    assert "데모 셀 오류" in " ".join(c.get("message", "") for c in raising.cases[CELL_ERROR_CHECK])
    assert {q: clean.scores[q] for q in built.by_lesson(pipeline.DEMO).questions} == {
        q: raising.scores[q] for q in built.by_lesson(pipeline.DEMO).questions}  # otter alone: same scores
