"""helpers.feedback: what a student sees after ``grader.check`` — the Korean hint first, a few lines.

Three layers:

1. Unit tests of the parser and the compact text on otter's real doctest reports (an otter
   ``OKTestFile`` run in-process against small namespaces).
2. The demo lesson (tests/fixtures/lessons/99_demo.md) executed in a real Jupyter kernel with the
   build's set-up cell: a failing check with a Korean hint, a crash inside the student's code, a
   pass, and ``feedback.show_details`` — read back from the cell outputs.
3. One test per lesson (``test_wrong_answer_feedback``): every typical wrong answer of
   ``tests/wrong_answers/NN_slug.py`` fails the lesson's public check, and the output is within
   :data:`helpers.feedback.MAX_LINES` / ``MAX_CHARS`` with a hint taken from the failing test.
   Kept cheap (a few seconds for all seven lessons, no notebook execution): the namespace of a
   question is the lesson notebook's ``import`` statements (every top-level import of every code
   cell, executed once per lesson) plus the wrong answer's code; only that question's public test
   file (``notebooks/tests/<question>.py``) is run against it with otter's ``OKTestFile``, exactly
   the object ``grader.check`` builds and displays. Answers that need other globals of the notebook
   would show up here as a crash instead of a hint, and fail the test with the output in the message.
"""
from __future__ import annotations

import ast
import json
import re
import runpy
import shutil
import warnings
from pathlib import Path

import pytest

from fixtures import pipeline
from helpers import feedback
from helpers.authoring import notebook_io

REPO = pipeline.REPO
NOTEBOOKS = REPO / "notebooks"
WRONG = REPO / "tests" / "wrong_answers"
LESSONS = sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
HANGUL = re.compile(r"[\uac00-\ud7a3]")
NOISE = ("Trying:", "Expecting", "doctest.py", "Traceback", "Failed example", "**********")

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from otter.test_files import OKTestFile


def write_test(folder: Path, name: str, cases: list[dict]) -> Path:
    """An OK-format test file like otter assign writes (each case: code, hidden, failure_message)."""
    spec = {"name": name, "points": len(cases), "suites": [{"cases": [
        {"code": "\n".join(">>> " + line for line in c["code"].splitlines()), "hidden": c.get("hidden", False),
         "locked": False, **({"failure_message": c["failure_message"]} if "failure_message" in c else {})}
        for c in cases], "scored": True, "setup": "", "teardown": "", "type": "doctest"}]}
    path = folder / f"{name}.py"
    path.write_text(f"OK_FORMAT = True\n\ntest = {spec!r}\n", encoding="utf-8")
    return path


def run_check(path: Path, code: str, filename: str = "/tmp/ipykernel_1/2.py"):
    namespace: dict = {}
    exec(compile(code, filename, "exec"), namespace)
    result = OKTestFile.from_file(str(path))
    result.run(namespace)
    return result


def assert_compact(text: str) -> None:
    lines = text.splitlines()
    assert len(lines) <= feedback.MAX_LINES and len(text) <= feedback.MAX_CHARS, text
    for noise in NOISE:
        assert noise not in text, f"{noise!r} in:\n{text}"


# --------------------------------------------------------------------------------------------
# 1. Parser and compact text
# --------------------------------------------------------------------------------------------
def test_pass_is_one_line(tmp_path):
    path = write_test(tmp_path, "q_ok", [{"code": "assert f(2) == 4, '제곱을 돌려주세요'"}, {"code": "assert f(0) == 0"}])
    text = feedback.compact(run_check(path, "def f(x):\n    return x * x\n"))
    assert text == "✅ q_ok: 공개 테스트 2개를 모두 통과했습니다 (채점할 때 숨은 테스트가 더 돌아갑니다)."


def test_failing_assert_shows_its_korean_message_first(tmp_path):
    path = write_test(tmp_path, "q_sq", [
        {"code": "import math\nassert f(2) == 4, f'제곱을 돌려주세요: 받은 값 {f(2)}'\nassert f(3) == 9, '두 번째'"},
        {"code": "assert f(0) == 0"},
    ])
    result = run_check(path, "def f(x):\n    return x + 1 if x else 0\n")
    assert "Trying:" in result.summary()  # otter's own output is the long doctest report
    text = feedback.compact(result)
    assert_compact(text)
    assert text.splitlines() == [
        "❌ q_sq: 공개 테스트 2개 중 1개를 통과하지 못했습니다.",
        "  • 제곱을 돌려주세요: 받은 값 3",  # the first failing assert of the case only
        '  전체 출력: feedback.show_details("q_sq")',
    ]


def test_failure_message_comes_before_the_assert(tmp_path):
    path = write_test(tmp_path, "q_fm", [{"code": "assert f(2) == 4, '값이 틀림'", "failure_message": "제곱하세요 (x * x)."}])
    lines = feedback.compact(run_check(path, "def f(x):\n    return 0\n")).splitlines()
    assert lines[1] == "  • 제곱하세요 (x * x)." and lines[2] == "    (값이 틀림)"


def test_crash_in_student_code_names_the_error_and_the_line(tmp_path):
    path = write_test(tmp_path, "q_crash", [{"code": "y = f([1, 2])\nassert y == 1.5, '평균을 돌려주세요'"}])
    text = feedback.compact(run_check(path, "def f(xs):\n    total = sum(xs)\n    return total / 0\n"))
    assert_compact(text)
    lines = text.splitlines()
    assert lines[1] == "  • 답 코드를 실행하다 오류가 났습니다: ZeroDivisionError: division by zero"
    assert lines[2] == "    (위치: f 의 3번째 줄)"  # exec'd code has no source line to show


def test_undefined_answer_says_to_run_the_answer_cell(tmp_path):
    path = write_test(tmp_path, "q_name", [{"code": "assert f(1) == 1, '항등 함수'"}])
    lines = feedback.compact(run_check(path, "g = 1\n")).splitlines()
    assert lines[1].startswith("  • f 이(가) 정의되어 있지 않습니다") and "답 셀" in lines[1]


def test_assert_without_message_shows_the_test_line(tmp_path):
    path = write_test(tmp_path, "q_bare", [{"code": "assert f(2) == 4"}])
    lines = feedback.compact(run_check(path, "def f(x):\n    return 0\n")).splitlines()
    assert lines[1] == "  • 조건을 만족하지 못했습니다: assert f(2) == 4"


def test_expected_output_mismatch(tmp_path):
    path = tmp_path / "q_out.py"
    spec = {"name": "q_out", "points": 1, "suites": [{"cases": [{"code": ">>> f(2)\n4", "hidden": False, "locked": False}],
                                                      "scored": True, "setup": "", "teardown": "", "type": "doctest"}]}
    path.write_text(f"OK_FORMAT = True\ntest = {spec!r}\n", encoding="utf-8")
    lines = feedback.compact(run_check(path, "def f(x):\n    return 5\n")).splitlines()
    assert lines[1] == "  • 결과가 기대와 다릅니다: 기대 4, 받은 값 5"


def test_long_and_many_failures_stay_within_the_limit(tmp_path):
    long_message = "가" * 500
    cases = [{"code": f"assert f() == 1, {long_message!r} + '\\n' * 3 + '둘째 줄\\n셋째 줄\\n넷째 줄'"} for _ in range(6)]
    path = write_test(tmp_path, "q_many", cases)
    text = feedback.compact(run_check(path, "def f():\n    return 0\n"))
    assert_compact(text)
    lines = text.splitlines()
    assert len(lines) == 1 + 3 * 2 + 2  # header, 3 × (2 hint lines), "3 more", footer
    assert lines[1].endswith("…") and len(lines[1]) <= feedback.MAX_LINE_CHARS
    assert "3개 더" in lines[-2]


def test_hidden_cases_are_counted_not_shown(tmp_path):
    path = write_test(tmp_path, "q_hid", [
        {"code": "assert f(1) == 1, '공개 힌트'"},
        {"code": "assert f(-1) == 1, '숨은 테스트의 비밀 문장'", "hidden": True, "failure_message": "숨은 메시지"},
    ])
    text = feedback.compact(run_check(path, "def f(x):\n    return x\n"))
    assert text == "❌ q_hid: 숨은 테스트 1개 중 1개를 통과하지 못했습니다."
    assert feedback.compact(run_check(path, "def f(x):\n    return abs(x)\n")) == "✅ q_hid: 테스트 2개를 모두 통과했습니다."


def test_unparseable_report_falls_back_to_otters_summary(tmp_path, monkeypatch):
    path = write_test(tmp_path, "q_fb", [{"code": "assert f() == 1, '힌트'"}])
    result = run_check(path, "def f():\n    return 0\n")

    def broken(message):
        raise ValueError("a report this parser does not know")

    monkeypatch.setattr(feedback, "parse_failure", broken)
    assert feedback._safe_compact(result) == result.summary()


def test_details_and_errors(tmp_path):
    path = write_test(tmp_path, "q_det", [{"code": "assert f() == 1, '힌트'"}])
    result = run_check(path, "def f():\n    return 0\n")
    feedback._remember(result)
    assert feedback.details("q_det") == result.summary() == feedback.details()
    assert "Trying:" in feedback.details(result)
    with pytest.raises(ValueError, match="question='q_unknown'.*q_det"):
        feedback.details("q_unknown")
    with pytest.raises(TypeError, match="question"):
        feedback.details(3)


def test_install_registers_text_and_html_printers(tmp_path):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        assert feedback.install(shell)
        path = write_test(tmp_path, "q_ip", [{"code": "assert f() == 1, '하나를 돌려주세요'"}])
        result = run_check(path, "def f():\n    return 0\n")
        data, _ = shell.display_formatter.format(result)
        assert data["text/plain"].splitlines()[1] == "  • 하나를 돌려주세요"
        assert "<pre" in data["text/html"] and "하나를 돌려주세요" in data["text/html"] and "Trying" not in data["text/html"]
    finally:
        InteractiveShell.clear_instance()
    assert feedback.install(None) is False  # outside IPython: nothing to do


# --------------------------------------------------------------------------------------------
# 2. The demo lesson in a real kernel
# --------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_demo_checks_in_a_kernel(tmp_path):
    from nbclient import NotebookClient

    demo = pipeline.demo_build()
    work = tmp_path / "notebooks"
    shutil.copytree(demo.out_dir, work)
    nb = notebook_io.fill_answers(pipeline.student_notebook(demo), {
        "l99_normalize": "def normalize(x):\n    x = np.asarray(x, dtype=float)\n    return x / x.max()\n",
        "l99_relu": "def relu(x):\n    scale = np.abs(x).max()\n    return np.maximum(x, 0) / undefined_scale\n",
    })
    end = len(nb.cells)
    nb = pipeline.with_cell(nb, "def normalize(x):\n    x = np.asarray(x, dtype=float)\n    return x / x.sum()\n", end)
    nb = pipeline.with_cell(nb, 'grader.check("l99_normalize")', end + 1)
    nb = pipeline.with_cell(nb, 'feedback.show_details("l99_relu")', end + 2)
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(work)}}).execute()

    def shown(cell) -> tuple[str, str]:
        outputs = [o for o in cell.outputs if o.output_type == "execute_result"]
        assert len(outputs) == 1, cell.outputs
        return outputs[0].data["text/plain"], outputs[0].data["text/html"]

    checks = [c for c in nb.cells if c.cell_type == "code" and notebook_io.CHECK_RE.search(c.source)]
    assert len(checks) == 3
    (fail_text, fail_html), (crash_text, _), (pass_text, pass_html) = (shown(c) for c in checks)

    assert_compact(fail_text)
    assert fail_text.splitlines() == [
        "❌ l99_normalize: 공개 테스트 1개 중 1개를 통과하지 못했습니다.",
        "  • 확률의 합이 1이 아닙니다: 전체 합으로 나눴나요?",
        '  전체 출력: feedback.show_details("l99_normalize")',
    ]
    assert "확률의 합이 1이 아닙니다" in fail_html and "Trying" not in fail_html

    assert_compact(crash_text)
    lines = crash_text.splitlines()
    assert lines[1] == "  • 답 코드를 실행하다 오류가 났습니다: NameError: name 'undefined_scale' is not defined"
    assert lines[2] == "    (위치: relu 의 3번째 줄: return np.maximum(x, 0) / undefined_scale)"
    assert len(lines) == 4

    assert pass_text == "✅ l99_normalize: 공개 테스트 1개를 모두 통과했습니다 (채점할 때 숨은 테스트가 더 돌아갑니다)."
    assert pass_html.count("\n") == 0

    details = "".join(o.get("text", "") for o in nb.cells[end + 2].outputs if o.output_type == "stream")
    assert "Trying:" in details and "undefined_scale" in details  # the full report, on request


# --------------------------------------------------------------------------------------------
# 3. Per lesson: typical wrong answers get a short, hinted failure from the public tests
# --------------------------------------------------------------------------------------------
_namespaces: dict[str, dict] = {}


def lesson_namespace(lesson: str) -> dict:
    """Globals after every top-level ``import`` of the lesson's student notebook (cached)."""
    if lesson not in _namespaces:
        nb = notebook_io.read_notebook(NOTEBOOKS / f"{lesson}.ipynb")
        statements = []
        for cell in nb.cells:
            source = notebook_io.cell_source(cell)
            if cell.cell_type != "code":
                continue
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            statements += [ast.get_source_segment(source, node) for node in tree.body
                           if isinstance(node, (ast.Import, ast.ImportFrom))]
        namespace: dict = {"__name__": "__main__"}
        exec("\n".join(statements), namespace)
        _namespaces[lesson] = namespace
    return dict(_namespaces[lesson])


@pytest.mark.parametrize("lesson", LESSONS)
def test_wrong_answer_feedback(lesson):
    path = WRONG / f"{lesson}.py"
    assert path.is_file(), f"{path} 가 없습니다: 레슨마다 오답 모음이 있어야 합니다."
    wrong = runpy.run_path(str(path))["WRONG_ANSWERS"]
    problems = []
    for question, code in wrong.items():
        test_path = NOTEBOOKS / "tests" / f"{question}.py"
        if not test_path.is_file():
            problems.append(f"{question}: {test_path} 가 없습니다 (course-build --only {lesson[:2]} 를 다시 실행하세요)")
            continue
        namespace = lesson_namespace(lesson)
        for piece in [code] if isinstance(code, str) else list(code):
            exec(compile(piece, f"<wrong answer {question}>", "exec"), namespace)
        result = OKTestFile.from_file(str(test_path))
        result.run(namespace)
        text = feedback.compact(result)
        if result.passed_all:
            problems.append(f"{question}: 오답이 공개 테스트를 통과합니다 — 프롬프트가 말하는 요구 사항을 공개 테스트로 확인하세요")
            continue
        lines = text.splitlines()
        if len(lines) > feedback.MAX_LINES or len(text) > feedback.MAX_CHARS or any(n in text for n in NOISE):
            problems.append(f"{question}: 출력이 너무 깁니다:\n{text}")
            continue
        first = next(r for r in result.test_case_results if not r.passed and not r.test_case.hidden)
        hint = lines[1].removeprefix("  • ").rstrip("…")
        source = (first.test_case.failure_message or "") + (first.message or "")
        if not (lines[1].startswith("  • ") and HANGUL.search(hint) and hint.split(" …")[0] in source):
            problems.append(f"{question}: 첫 실패 테스트의 한국어 힌트가 맨 앞에 없습니다:\n{text}")
    assert not problems, "\n".join(problems)


def test_every_lesson_is_covered():
    assert LESSONS, "notebooks/ 에 레슨 노트북이 없습니다"
    assert json.loads((NOTEBOOKS / f"{LESSONS[0]}.ipynb").read_text(encoding="utf-8"))["cells"]
