"""course-grade: one grading run over a folder of demo-lesson submissions, plus unit tests of the
tamper scan, the integrity probe and the sandbox.

The main run grades (jobs=2): a correct, a wrong (+ ``raise SystemExit``), an unsolved (lesson
found from the file name), a crashing (``os._exit``), a renamed (+ a network attempt), a
tampering notebook (``grader.check`` replaced and numpy patched) and an always-equal one
(``fixtures/always_equal.py``), plus an invalid JSON file, a text file and an unknown lesson. A
second, short run puts an endless loop next to a correct notebook under a short ``--timeout`` and checks that no temporary folder is left.
Jail, limits and an adversarial submission: ``tests/test_grade_isolation.py``.
"""
from __future__ import annotations

import copy
import csv
import hashlib
import os
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from fixtures import pipeline
from fixtures.always_equal import always_equal_answers
from helpers.authoring import grade, notebook_io, sandbox, tamper_probe, tamper_scan

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grade_main")]  # one worker grades once

DEMO = pipeline.DEMO
QUESTIONS = ["l99_normalize", "l99_relu"]
COLUMNS = ["file", "student", "lesson", "status", *QUESTIONS, "total", "max_total", "percent", "flags",
           "network_isolated", "fs_isolated", "user_isolated", "seconds", "note"]


CountingServer = sandbox.LoopbackCounter  # the isolation self-test's own outside server


def network_cell(port: int) -> str:
    return textwrap.dedent(f"""\
        import socket
        reached = []
        for address in [("127.0.0.1", {port}), ("127.0.0.2", 9), ("192.0.2.1", 80)]:
            try:
                socket.create_connection(address, timeout=2).close()
                reached.append(address)
            except OSError:
                pass
        print("reached:", reached)
        """)


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def header(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return next(csv.reader(f))


@pytest.fixture(scope="module")
def main_run(tmp_path_factory):
    return pipeline.once_per_run("grade-main-run", lambda: _main_run(tmp_path_factory))


def _main_run(tmp_path_factory):
    demo = pipeline.demo_build()
    student = pipeline.student_notebook(demo)
    solution = pipeline.solution_filled(demo)
    wrong = notebook_io.fill_answers(student, pipeline.demo_wrong())
    folder = tmp_path_factory.mktemp("submissions")
    server = CountingServer()

    pipeline.write(solution, folder / f"correct_{DEMO}.ipynb")
    pipeline.write(pipeline.with_cell(wrong, "raise SystemExit(1)", position=len(wrong.cells)), folder / f"wrong_{DEMO}.ipynb")
    no_meta = copy.deepcopy(student)
    del no_meta.metadata["otter"]
    pipeline.write(no_meta, folder / f"lee_{DEMO}.ipynb")  # unsolved; lesson from the file name
    pipeline.write(pipeline.with_cell(solution, "import os\nos._exit(1)"), folder / f"crash_{DEMO}.ipynb")
    pipeline.write(pipeline.with_cell(solution, network_cell(server.port)), folder / "kim_homework.ipynb")
    # both kinds of tampering in one notebook (one grading less); each is asserted by its own flag
    tamper_numpy = pipeline.with_cell(
        wrong, "import numpy as np\nnp.allclose = lambda *a, **k: True\n"
               "np.testing.assert_allclose = lambda *a, **k: None\nnp.array_equal = lambda *a, **k: True")
    pipeline.write(pipeline.with_cell(tamper_numpy, "grader.check = lambda *a: None"), folder / f"tamper_{DEMO}.ipynb")
    # limits (the run's: 6 GiB of address space, 2 MiB of output); their neighbours are unaffected
    pipeline.write(pipeline.with_cell(solution, "import numpy as np\nhog = np.empty(8 * 1024**3, dtype=np.uint8)"),
                   folder / f"memory_{DEMO}.ipynb")
    pipeline.write(pipeline.with_cell(solution, "for _ in range(4):\n    print('가' * 1_000_000)"),
                   folder / f"flood_print_{DEMO}.ipynb")
    pipeline.write(pipeline.with_cell(solution, "with open('big.bin', 'wb') as f:\n    f.write(b'0' * 5_000_000)"),
                   folder / f"flood_file_{DEMO}.ipynb")
    always = notebook_io.fill_answers(student, always_equal_answers(student, pipeline.solution_notebook(demo)))
    pipeline.write(always, folder / f"always_equal_{DEMO}.ipynb")
    unknown = copy.deepcopy(student)
    unknown.metadata["otter"]["assignment_name"] = "77_nothing"
    pipeline.write(unknown, folder / "77_nothing.ipynb")
    (folder / "broken.ipynb").write_text('{"cells": [', encoding="utf-8")
    (folder / "notes.txt").write_text("제출 메모", encoding="utf-8")

    before = digest(folder)
    out = tmp_path_factory.mktemp("grading")
    report = grade.grade_submissions(
        folder, build_dir=demo.build_dir, out=out / "gradebook.csv", detail=out / "detail.csv",
        timeout=600, jobs=2, memory_limit="6G", output_limit="2M",
    )
    server.stop()
    rows = {row["file"]: row for row in read_csv(out / "gradebook.csv")}
    for row in rows.values():
        print(f"{row['file']}: {row['status']} {row['total']}/{row['max_total']} in {row['seconds']} s")
    return SimpleNamespace(
        report=report, rows=rows, folder=folder, before=before, after=digest(folder), out=out,
        connections=server.count, demo=demo, solution=solution,
    )


def test_gradebook_has_one_row_per_file_with_stable_columns(main_run):
    assert header(main_run.out / "gradebook.csv") == COLUMNS
    files = [row["file"] for row in read_csv(main_run.out / "gradebook.csv")]
    assert files == sorted(p.name for p in main_run.folder.iterdir())
    assert main_run.report.questions == QUESTIONS


@pytest.mark.parametrize(
    "file, status, scores",
    [
        (f"correct_{DEMO}.ipynb", "ok", ("2", "2")),
        (f"wrong_{DEMO}.ipynb", "ok", ("0", "1")),  # the SystemExit cell does not stop grading
        (f"lee_{DEMO}.ipynb", "ok", ("0", "0")),
        (f"crash_{DEMO}.ipynb", "crash", ("0", "0")),
        ("kim_homework.ipynb", "ok", ("2", "2")),
        (f"tamper_{DEMO}.ipynb", "review", ("0", "1")),
        (f"memory_{DEMO}.ipynb", "memory_limit", ("2", "2")),  # MemoryError in its own cell only
        (f"flood_print_{DEMO}.ipynb", "output_limit", ("2", "2")),
        (f"flood_file_{DEMO}.ipynb", "output_limit", ("2", "2")),
        ("77_nothing.ipynb", "unknown_lesson", ("", "")),
        ("broken.ipynb", "invalid_notebook", ("", "")),
        ("notes.txt", "not_a_notebook", ("", "")),
    ],
)
def test_status_and_scores(main_run, file, status, scores):
    row = main_run.rows[file]
    assert (row["status"], row["l99_normalize"], row["l99_relu"]) == (status, *scores), row
    graded = scores != ("", "")
    assert row["total"] == f"{sum(float(s or 0) for s in scores):g}"
    assert row["max_total"] == ("4" if graded else "")
    assert row["lesson"] == (DEMO if graded else "")
    assert row["student"] == Path(file).stem
    if status == "ok":
        assert row["flags"] == ""
    assert row["network_isolated"] == str(main_run.report.isolation.network_isolated)
    assert row["fs_isolated"] == str(main_run.report.isolation.fs_isolated)
    assert row["user_isolated"] == str(main_run.report.isolation.user_isolated)


def test_always_equal_answers_never_get_a_silent_full_score(main_run):
    row = main_run.rows[f"always_equal_{DEMO}.ipynb"]
    below_full = all(float(row[q]) < 2 for q in QUESTIONS)
    assert below_full or row["status"] == "review", row
    assert row["status"] == "review" and "__eq__" in row["flags"], row  # the scan names the override


def test_notes_explain_what_happened(main_run):
    rows = main_run.rows
    assert "메모리 한도(6 GiB)" in rows[f"memory_{DEMO}.ipynb"]["note"]
    assert "한도(2 MiB)" in rows[f"flood_print_{DEMO}.ipynb"]["note"]
    assert "big.bin" in rows[f"flood_file_{DEMO}.ipynb"]["note"]
    assert rows[f"correct_{DEMO}.ipynb"]["percent"] == "100"
    assert "메타데이터" in rows["kim_homework.ipynb"]["note"]  # renamed, still graded
    assert "파일 이름으로" in rows[f"lee_{DEMO}.ipynb"]["note"]
    assert "커널" in rows[f"crash_{DEMO}.ipynb"]["note"]
    assert "77_nothing" in rows["77_nothing.ipynb"]["note"] and DEMO in rows["77_nothing.ipynb"]["note"]
    assert "JSON" in rows["broken.ipynb"]["note"]
    assert ".txt" in rows["notes.txt"]["note"]


def test_tampering_is_flagged_never_a_silent_full_score(main_run):
    row = main_run.rows[f"tamper_{DEMO}.ipynb"]
    assert "grader.check" in row["flags"]
    assert "np.allclose" in row["flags"] and "np.testing.assert_allclose" in row["flags"]
    # the probe put numpy back before the checks ran, so the score is also the honest one
    assert "무결성 점검" in row["flags"] and "numpy.allclose" in row["flags"]
    assert "되돌림" in row["flags"]
    for other in main_run.rows.values():
        if other["flags"]:
            assert other["status"] == "review"


def test_submissions_folder_unchanged(main_run):
    assert main_run.after == main_run.before


def test_network_isolation(main_run):
    row = main_run.rows["kim_homework.ipynb"]
    if main_run.report.isolation.network_isolated:
        assert row["network_isolated"] == "True"
        assert main_run.connections == 0, "격리된 제출물이 호스트의 127.0.0.1 서버에 연결했습니다"
    else:
        assert row["network_isolated"] == "False"
        assert main_run.connections == 1


def test_detail_csv(main_run):
    assert header(main_run.out / "detail.csv") == grade.DETAIL_COLUMNS
    detail = read_csv(main_run.out / "detail.csv")
    by_key = {(r["file"], r["question"]): r for r in detail}
    graded_files = [f for f, r in main_run.rows.items() if r["lesson"]]
    assert {f for f, _ in by_key} == set(graded_files)
    relu = by_key[(f"wrong_{DEMO}.ipynb", "l99_relu")]
    assert (relu["score"], relu["max"], relu["passed_public"], relu["passed_hidden"]) == ("1", "2", "True", "False")
    assert "[숨김]" in relu["failures"] and "입력을 바꾸지 않고" in relu["failures"]
    normalize = by_key[(f"wrong_{DEMO}.ipynb", "l99_normalize")]
    assert normalize["passed_public"] == "False" and "확률의 합이 1이 아닙니다" in normalize["failures"]
    assert by_key[(f"correct_{DEMO}.ipynb", "l99_relu")]["failures"] == ""
    assert "채점되지 않음" in by_key[(f"crash_{DEMO}.ipynb", "l99_relu")]["failures"]


def test_summary_table_is_korean(main_run):
    text = grade.summary_table(main_run.report)
    assert "채점 요약" in text and "검토 필요" in text and "실행 실패" in text and "격리: 네트워크" in text


@pytest.fixture(scope="module")
def timeout_run(main_run, tmp_path_factory):
    return pipeline.once_per_run("grade-timeout-run", lambda: _timeout_run(main_run, tmp_path_factory))


def _timeout_run(main_run, tmp_path_factory):
    """An endless loop next to a correct notebook, with a short limit fitted to this machine.

    The loop sleeps rather than spins: the limit is wall-clock time, enforced the same way, and a
    spinning loop would take a core from the other tests for the whole limit."""
    slowest = max(float(r["seconds"]) for r in main_run.rows.values() if r["status"] in ("ok", "review"))
    limit = max(30.0, round(2.5 * slowest))
    student = pipeline.student_notebook(main_run.demo)
    folder = tmp_path_factory.mktemp("loop")
    loop = "import time\nwhile True:\n    time.sleep(0.05)\n"
    pipeline.write(notebook_io.fill_answers(student, {"l99_normalize": loop}), folder / f"loop_{DEMO}.ipynb")
    pipeline.write(main_run.solution, folder / f"correct_{DEMO}.ipynb")
    temp_root = tmp_path_factory.mktemp("temp-root")
    start = time.perf_counter()
    saved = tempfile.tempdir
    tempfile.tempdir = str(temp_root)  # every temporary folder of the run goes here
    try:
        report = grade.grade_submissions(folder, build_dir=main_run.demo.build_dir, out=None, detail=None,
                                         timeout=limit, jobs=2, verbose=False)
    finally:
        tempfile.tempdir = saved
    return SimpleNamespace(report=report, limit=limit, seconds=time.perf_counter() - start,
                           left=sorted(p.name for p in temp_root.iterdir()))


def test_endless_loop_times_out_and_others_are_graded(timeout_run):
    loop = timeout_run.report.by_file(f"loop_{DEMO}.ipynb")
    assert loop.status == "timeout" and loop.total == 0.0 and loop.scores == {q: 0.0 for q in QUESTIONS}
    assert any("제한 시간" in n for n in loop.notes)
    assert timeout_run.limit <= loop.seconds < timeout_run.limit + 30
    correct = timeout_run.report.by_file(f"correct_{DEMO}.ipynb")
    assert (correct.status, correct.total, correct.max_total) == ("ok", 4.0, 4.0)
    print(f"limit {timeout_run.limit:.0f} s, run {timeout_run.seconds:.1f} s")


def test_no_temporary_folder_is_left_after_a_timeout(timeout_run):
    assert timeout_run.left == [], f"채점 뒤 임시 폴더가 남았습니다: {timeout_run.left}"


# --------------------------------------------------------------------------------------------
# Command line and argument errors (no grading)
# --------------------------------------------------------------------------------------------
def test_cli_errors(tmp_path, capsys):
    assert grade.main([str(tmp_path / "missing")]) == 1
    assert "제출 폴더" in capsys.readouterr().err
    (tmp_path / "subs").mkdir()
    assert grade.main([str(tmp_path / "subs"), "--build-dir", str(tmp_path / "nobuild")]) == 1
    assert "course-build" in capsys.readouterr().err
    with pytest.raises(grade.GradeError, match="profile"):
        grade.grade_submissions(tmp_path / "subs", build_dir=tmp_path, profile="slow")
    for bad in (0, -5, float("nan"), True, "600"):
        with pytest.raises(grade.GradeError, match="timeout"):
            grade.grade_submissions(tmp_path / "subs", build_dir=tmp_path, timeout=bad)


@pytest.mark.parametrize("jobs, submissions, cpus, expected", [
    (2, 10, 2, 1),    # two kernels on two cores: one thread each
    (1, 10, 8, 8),    # one at a time: all cores
    (4, 2, 8, 4),     # only two submissions run at once
    (16, 100, 4, 1),  # more jobs than cores: never 0
    (3, 0, 2, 2),     # an empty folder
])
def test_threads_per_job_shares_the_cores(jobs, submissions, cpus, expected):
    assert grade.threads_per_job(jobs, submissions, cpus) == expected


def test_threads_per_job_never_exceeds_an_inherited_limit():
    # a test worker (or an instructor) that set OMP_NUM_THREADS=1 keeps its kernels at 1 thread
    assert grade.threads_per_job(1, 10, 16, limit=1) == 1
    assert grade.threads_per_job(2, 10, 16, limit=4) == 4
    assert grade.threads_per_job(2, 10, 4, limit=8) == 2   # the share of the cores is smaller
    assert grade.threads_per_job(1, 1, 4, limit=None) == 4
    assert grade.inherited_thread_limit({"OMP_NUM_THREADS": "3"}) == 3
    for value in ("", "0", "-2", "two", "1.5"):
        assert grade.inherited_thread_limit({"OMP_NUM_THREADS": value}) is None
    assert grade.inherited_thread_limit({}) is None


def test_grading_kernels_get_the_thread_limit(tmp_path, monkeypatch):
    demo = pipeline.demo_build()
    path = tmp_path / f"kim_{DEMO}.ipynb"
    pipeline.write(pipeline.solution_filled(demo), path)
    seen = []

    def fake_run(command, *, timeout, cwd, env, isolation, **kwargs):
        seen.append(env)
        raise RuntimeError("stop here")

    monkeypatch.setattr(grade.sandbox, "run_limited", fake_run)
    lessons = grade.load_lessons(demo.build_dir)
    for threads in (3, None):
        with pytest.raises(RuntimeError, match="stop here"):
            grade.grade_one(path, lessons, threads=threads)
    assert seen[0]["OMP_NUM_THREADS"] == seen[0]["MKL_NUM_THREADS"] == seen[0]["OPENBLAS_NUM_THREADS"] == "3"
    assert seen[1].get("OMP_NUM_THREADS") == os.environ.get("OMP_NUM_THREADS")


def test_load_lessons_without_manifest_reads_the_zip(tmp_path):
    demo = pipeline.demo_build()
    target = tmp_path / "autograder"
    target.mkdir()
    (target / f"{DEMO}.zip").write_bytes(demo.by_lesson(DEMO).autograder_zip.read_bytes())
    lessons = grade.load_lessons(tmp_path)
    assert lessons[DEMO].questions == [{"name": "l99_normalize", "points": 2.0}, {"name": "l99_relu", "points": 2.0}]
    assert lessons[DEMO].max_total == 4.0


# --------------------------------------------------------------------------------------------
# Static scan
# --------------------------------------------------------------------------------------------
FLAGGED = {
    "np.allclose = lambda *a, **k: True": "np.allclose",
    "import numpy\nnumpy.isclose = None": "numpy.isclose",
    "np.testing.assert_allclose = lambda *a, **k: None": "np.testing.assert_allclose",
    "from numpy import testing as T\nT.assert_allclose = print": "T.assert_allclose",
    "import torch as tt\ntt.testing.assert_close = print": "tt.testing.assert_close",
    "del np.allclose": "지움",
    "import math\nmath.isclose = max": "math.isclose",
    "import builtins\nbuiltins.isinstance = lambda *a: True": "builtins.isinstance",
    "__builtins__.len = lambda x: 3": "__builtins__",
    "import operator\noperator.eq = lambda a, b: True": "operator.eq",
    "import otter\notter.Notebook.check = None": "otter",
    "grader.check = lambda *a: None": "grader.check",
    "grader = None": "grader",
    "grader._tests_dir = '/tmp'": "grader._tests_dir",
    "type(grader).check = print": "type(grader)",
    "import otter\ng = otter.Notebook(tests_dir='elsewhere')": "otter.Notebook",
    "from otter.execute import Checker": "otter 내부",
    "setattr(np, 'allclose', lambda *a, **k: True)": "setattr",
    "import sys\nsys.modules['numpy'] = object()": "sys.modules",
    "import sys\nsys.modules.pop('numpy')": "sys.modules.pop",
    "import ctypes": "ctypes",
    "import gc\ngc.get_objects()": "gc",
    "from unittest import mock": "unittest",
    "import sys\nf = sys._getframe(1).f_globals": "프레임",
    "exec('np.allclose = 1')": "exec",
    "globals()['isinstance'] = lambda *a: True": "globals()",
    "def isinstance(*a):\n    return True": "isinstance",
    "len = lambda x: 0": "len",
    "open('tests/l99_relu.py', 'w').write('OK_FORMAT = False')": "tests/",
    "from pathlib import Path\nPath('tests/l99_relu.py').write_text('x')": "tests/",
    "import shutil\nshutil.copy('mine.py', 'tests/l99_relu.py')": "tests/",
    "%%writefile tests/l99_relu.py\nOK_FORMAT = True\n": "%%셀 매직",
    "!cp mine.py tests/": "!셸 명령",
    "%cd tests": "%매직",
    "class Always:\n    def __eq__(self, other):\n        return True": "__eq__",
    "class Yes:\n    __bool__ = lambda self: True": "__bool__",
    "class Never:\n    def __ne__(self, other):\n        return False": "__ne__",
    "class F(float):\n    def __eq__(self, other):\n        return abs(self - other) < 100": "상속",
    "class A:\n    def __array_function__(self, *a):\n        return True": "__array_function__",
    "np.allclose = (lambda: True": "정규식",  # a syntax error falls back to regular expressions
    'F = type("F", (float,), {"__eq__": lambda s, o: True})': "type(...)",
    'G = type("G", (), dict(__ne__=lambda s, o: False))': "__ne__",
    "import types\nH = types.new_class('H', (float,))": "new_class",
    "class Lt:\n    def __lt__(self, other):\n        return True": "__lt__",
}

# in an answer cell any comparison method and any type(...) class is flagged
ANSWER_FLAGGED = {
    "class Net:\n    def __eq__(self, other):\n        return self.w == other.w": "__eq__",
    "class P:\n    def __ge__(self, other):\n        return len(self) >= len(other)": "__ge__",
    'Point = type("Point", (), {"x": 0})': "type(...)",
}

INNOCENT = [
    "import numpy as np\nx = np.zeros(3)\nx[0] = 1\ny = np.allclose(x, 1)",
    "def relu(x):\n    return np.maximum(x, 0)",
    "class Net:\n    def __init__(self):\n        self.w = 1\n    def __eq__(self, other):\n        return self.w == other.w",
    'import helpers, otter\nhelpers.preflight()\ngrader = otter.Notebook(tests_dir="tests")',
    'grader.check("l99_relu")\ngrader.check_all()',
    "import sys\nprint('google.colab' in sys.modules, sys.path[:1])",
    "import torch\nmodel = torch.nn.Linear(2, 2)\nmodel.weight.data[:] = 0\nopt = torch.optim.SGD(model.parameters(), lr=0.1)",
    "with open('results.txt', 'w') as f:\n    f.write('ok')",
    "%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.plot([1, 2])",
    "for i, (x, y) in enumerate(zip([1], [2])):\n    total = x + y",
    "cfg = {}\ncfg['lr'] = 0.1\nself_test = [1, 2]",
    "import torch\ntorch.backends.cudnn.benchmark = False\ntorch.manual_seed(0)",
    "import torch.nn.functional as F\ny = F.relu(torch.ones(1))\nmodel.eval()",
]


@pytest.mark.parametrize("source, expected", list(FLAGGED.items()), ids=list(range(len(FLAGGED))))
def test_scan_flags_tampering(source, expected):
    reasons = tamper_scan.scan_source(source)
    assert reasons and any(expected in r for r in reasons), reasons


@pytest.mark.parametrize("source, expected", list(ANSWER_FLAGGED.items()), ids=list(range(len(ANSWER_FLAGGED))))
def test_scan_is_strict_in_answer_cells(source, expected):
    assert tamper_scan.scan_source(source) == []  # ordinary code elsewhere
    reasons = tamper_scan.scan_source(source, answer=True)
    assert reasons and any(expected in r for r in reasons), reasons


def test_scan_notebook_knows_answer_cells(main_run):
    student = pipeline.student_notebook(main_run.demo)
    code = "class Box:\n    def __eq__(self, other):\n        return True if other is None else self is other"
    index = notebook_io.answer_cells(student)["l99_relu"][0]
    findings = tamper_scan.scan_notebook(notebook_io.fill_answers(student, {"l99_relu": code}))
    assert [f.cell for f in findings] == [index] and "__eq__" in findings[0].reason


@pytest.mark.parametrize("source", INNOCENT, ids=list(range(len(INNOCENT))))
def test_scan_leaves_ordinary_code_alone(source):
    assert tamper_scan.scan_source(source) == []


def test_scan_notebook_of_built_notebooks_is_clean_and_counts_notebooks(main_run):
    assert tamper_scan.scan_notebook(pipeline.student_notebook(main_run.demo)) == []
    assert tamper_scan.scan_notebook(main_run.solution) == []
    twice = pipeline.with_cell(main_run.solution, 'grader = otter.Notebook(tests_dir="tests")')
    findings = tamper_scan.scan_notebook(twice)
    assert len(findings) == 1 and "여러 번" in findings[0].reason and str(findings[0]).startswith("셀 ")


# --------------------------------------------------------------------------------------------
# Integrity probe, run in-process on a notebook's cells (no kernel needed)
# --------------------------------------------------------------------------------------------
def _execute(nb: nbformat.NotebookNode) -> dict:
    namespace: dict = {"__name__": "__main__"}
    for cell in nb.cells:
        if cell.cell_type == "code":
            exec(compile(notebook_io.cell_source(cell), "<cell>", "exec"), namespace)
    return namespace


def test_probe_restores_patched_functions_and_reports_them(tmp_path):
    import numpy as np

    original = np.allclose
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import numpy as np"),
        nbformat.v4.new_code_cell("np.allclose = lambda *a, **k: True\ndef isinstance(*a):\n    return True"),
        nbformat.v4.new_code_cell("seen = np.allclose(0.0, 1.0)"),
    ])
    record = tmp_path / "probe.jsonl"
    instrumented = tamper_probe.instrument(nb, record)
    assert sum(tamper_probe.PROBE_TAG in c.metadata.get("tags", []) for c in instrumented.cells) == 5
    try:
        namespace = _execute(instrumented)
    finally:
        np.allclose = original
    assert bool(namespace["seen"]) is False  # restored before the next cell ran
    reasons, finished = tamper_probe.read_probe(record)
    assert finished
    text = " ".join(reasons)
    assert "numpy.allclose" in text and "셀 1 실행 후" in text and "되돌림" in text
    assert "isinstance" in text


def test_probe_is_quiet_for_an_honest_notebook_and_notices_a_missing_end(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import numpy as np\nx = np.ones(2)")])
    record = tmp_path / "probe.jsonl"
    _execute(tamper_probe.instrument(nb, record))
    assert tamper_probe.read_probe(record) == ([], True)
    assert tamper_probe.read_probe(tmp_path / "absent.jsonl") == ([], False)
    lines = record.read_text(encoding="utf-8").splitlines()
    record.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    assert tamper_probe.read_probe(record) == ([], False)


# --------------------------------------------------------------------------------------------
# Sandbox
# --------------------------------------------------------------------------------------------
SPAWNER = textwrap.dedent("""\
    import subprocess, sys, time
    code = "import time\\nwhile True:\\n    time.sleep(0.1)"
    subprocess.Popen([sys.executable, "-c", code, sys.argv[1]], start_new_session=True)
    while True:
        pass
    """)


def _alive_with(token: str) -> list[int]:
    import psutil

    alive = []
    for proc in psutil.process_iter(["cmdline"]):
        try:
            if token in (proc.info["cmdline"] or []):
                alive.append(proc.pid)
        except psutil.Error:
            pass
    return alive


@pytest.mark.parametrize("isolated", [False, True], ids=["process-group", "jail"])
def test_timeout_kills_grandchildren_in_other_sessions(isolated):
    isolation = sandbox.detect_isolation() if isolated else sandbox.NO_ISOLATION
    if isolated and not isolation.network_isolated:
        pytest.skip("이 컴퓨터에서는 bwrap/unshare 격리를 쓸 수 없습니다")
    token = f"course-grade-test-{os.getpid()}-{time.time_ns()}"
    outcome = sandbox.run_limited([sys.executable, "-c", SPAWNER, token], timeout=3, isolation=isolation)
    assert outcome.timed_out and outcome.returncode is None and 3 <= outcome.seconds < 20
    time.sleep(0.5)
    assert _alive_with(token) == [], "시간 초과 뒤에도 손자 프로세스가 살아 있습니다"


def test_isolated_command_has_loopback_but_no_way_out():
    isolation = sandbox.detect_isolation()
    if not isolation.network_isolated:
        pytest.skip("이 컴퓨터에서는 unshare 격리를 쓸 수 없습니다")
    server = CountingServer()
    code = textwrap.dedent(f"""\
        import socket
        inner = socket.socket(); inner.bind(("127.0.0.1", 0)); inner.listen(1)
        socket.create_connection(inner.getsockname(), timeout=2).close()
        try:
            socket.create_connection(("127.0.0.1", {server.port}), timeout=2).close()
            print("outside reached")
        except OSError as exc:
            print("blocked", type(exc).__name__)
        """)
    outcome = sandbox.run_limited([sys.executable, "-c", code], timeout=60, isolation=isolation)
    server.stop()
    assert outcome.returncode == 0, outcome.output
    assert "blocked" in outcome.output and server.count == 0


def test_unisolated_run_reports_output_and_exit_code():
    outcome = sandbox.run_limited([sys.executable, "-c", "print('안녕'); raise SystemExit(3)"], timeout=60)
    assert (outcome.returncode, outcome.timed_out) == (3, False) and "안녕" in outcome.output


def test_feedback_reasons_leave_out_how_the_lesson_was_identified():
    """The student's '이유' line names what went wrong, not the instructor's identification notes."""
    lessons = {"01_demo": SimpleNamespace(questions=[])}
    lesson, notes = grade._identify(Path("renamed.ipynb"), {"metadata": {"otter": {"assignment_name": "01_demo"}}},
                                    lessons)
    assert lesson == "01_demo" and notes  # identified from the metadata: a note for the instructor
    result = grade.SubmissionResult(file="renamed.ipynb", student="renamed", status="timeout")
    result.notes = notes + ["600초 안에 끝나지 않았습니다"]
    result.identify_notes = list(notes)
    text = grade.feedback_text(result)
    assert "600초 안에 끝나지 않았습니다" in text and notes[0] not in text
    result.status = "unknown_lesson"  # then how (not) it was found is the reason itself
    assert notes[0] in grade.feedback_text(result)


def test_this_module_stays_in_one_xdist_worker(request):
    """Under ``--dist loadgroup`` the group is in the test id (``tests/conftest.py``'s
    ``_XdistGroupIds``), so the whole module, and its one grading run, stays in one worker."""
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("xdist --dist loadgroup 로 실행할 때만 의미가 있습니다")
    assert request.node.nodeid.endswith("@grade_main"), request.node.nodeid
