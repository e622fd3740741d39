"""Tampering checks, part 2: the in-kernel integrity probe (see :mod:`tamper_scan` for part 1).

**Integrity probe** (:func:`instrument`): the grader's private copy of the submission gets one
cell before all others that snapshots the identity of those functions (numpy/torch/math
comparisons, numpy/torch testing asserts, builtins, otter's checker and test classes, doctest's
runner, pickle), and a probe cell after every code cell and at the end. Each probe compares the
live objects with the snapshot, puts any replaced one back (so the ``grader.check`` cell after an
answer, and otter's final re-run of every test, see the real numpy again: the score is then
correct as well as flagged), checks that ``np.allclose(0, 1)`` and friends still say ``False``
and notes globals that shadow builtins. It appends one JSON line per probe to a file outside the
submission folder; a missing final line means the probe was stopped and is flagged too.

Every patched target must resolve in the installed otter-grader/numpy/torch: a vanished target
would leave its function unguarded, so :func:`missing_targets` lists them, ``course-grade`` warns
and a test fails (``tests/test_grade_tamper.py``).
"""
from __future__ import annotations

import importlib
import inspect
import json
import re
import textwrap
from pathlib import Path

import nbformat

from helpers.authoring.tamper_scan import SHADOWED_BUILTINS

# --------------------------------------------------------------------------------------------
# Integrity probe (runs inside the grading kernel)
# --------------------------------------------------------------------------------------------
PROBE_TARGETS = (
    "numpy:allclose isclose all any array_equal array_equiv equal not_equal isnan isfinite "
    "asarray array ndarray abs sum",
    "numpy.testing:assert_allclose assert_array_equal assert_equal assert_array_almost_equal "
    "assert_almost_equal assert_array_less",
    "math:isclose isnan isfinite",
    "operator:eq ne truth",
    "builtins:" + " ".join(sorted(SHADOWED_BUILTINS | {"sum", "min", "max"})),
    "torch:allclose isclose equal all any is_tensor Tensor",
    "torch.testing:assert_close",
    "torch.Tensor:__eq__ __ne__ __bool__ allclose equal all any item tolist",
    "otter:Notebook",
    "otter.check.notebook.Notebook:check __init__ _resolve_nb_path",
    "otter.execute.Checker:check check_if_not_already_checked get_results enable_tracking "
    "disable_tracking clear_results _track_results",
    "otter.test_files:GradingResults create_test_file",
    "otter.test_files.GradingResults:__init__ total possible",
    "otter.test_files.ok_test:run_doctest",
    "otter.test_files.ok_test.OKTestFile:run",
    "otter.test_files.abstract_test.TestFile:score grade possible passed_all passed_all_public",
    "doctest.DocTestRunner:run summarize report_failure report_unexpected_exception report_success",
    "doctest.OutputChecker:check_output",
    "pickle:dump dumps Pickler",
)

_PROBE_SETUP = r'''# course-grade integrity probe: added by the grader to its private copy (not the student's)
def __course_probe_setup(record_path, targets, shadowed, user_globals):
    import builtins, importlib, json, sys
    missing = object()
    write, dumps = builtins.open, json.dumps

@RESOLVE@
    snapshot = []  # (owner, attribute, original value or missing, "dotted.name")
    roots = {}
    for spec in targets:
        owner_name, attrs = spec.split(":")
        try:
            owner = resolve_target(owner_name)
            root = owner_name.split(".")[0]
            roots[root] = sys.modules[root]
        except Exception:
            continue
        for attr in attrs.split():
            snapshot.append((owner, attr, vars(owner).get(attr, missing), owner_name + "." + attr))
    # names the kernel itself already defines (IPython puts its own `open` in the namespace)
    initial = {n: user_globals.get(n, missing) for n in shadowed}

    def behaviour(problems):
        np, torch = roots.get("numpy"), roots.get("torch")
        checks = [("1.0 == 2.0", lambda: 1.0 == 2.0), ("isinstance(1, str)", lambda: isinstance(1, str))]
        if np is not None:
            checks += [("numpy.allclose(0, 1)", lambda: np.allclose(0.0, 1.0)),
                       ("numpy.isclose(0, 1)", lambda: np.isclose(0.0, 1.0)),
                       ("numpy.all([False])", lambda: np.all(np.array([False]))),
                       ("numpy.array_equal([0], [1])", lambda: np.array_equal([0], [1]))]
            try:
                np.testing.assert_allclose(0.0, 1.0)
                problems.append("numpy.testing.assert_allclose(0, 1) 가 실패하지 않습니다")
            except Exception:
                pass
        if torch is not None:
            checks += [("torch.allclose(0, 1)", lambda: torch.allclose(torch.zeros(1), torch.ones(1))),
                       ("torch.equal(0, 1)", lambda: torch.equal(torch.zeros(1), torch.ones(1)))]
        for label, fn in checks:
            try:
                if bool(fn()):
                    problems.append(label + " 이(가) 참이 됩니다 (비교가 조작됨)")
            except Exception:
                pass

    def probe(cell, user_globals):
        problems, restored = [], []
        try:
            for name, module in roots.items():
                if sys.modules.get(name) is not module:
                    problems.append("sys.modules[%r] 이(가) 바뀌었습니다" % name)
                    sys.modules[name] = module
                    restored.append("sys.modules[%r]" % name)
            for owner, attr, original, label in snapshot:
                if vars(owner).get(attr, missing) is not original:
                    problems.append(label + " 이(가) 바뀌었습니다")
                    try:
                        if original is missing:
                            delattr(owner, attr)
                        else:
                            setattr(owner, attr, original)
                        restored.append(label)
                    except Exception:
                        pass
            for name, before in initial.items():
                now = user_globals.get(name, missing)
                if now is not before and now is not getattr(builtins, name, missing):
                    problems.append("전역 이름 %s 이(가) 내장 함수를 가립니다" % name)
            grader = user_globals.get("grader")
            if grader is not None and "check" in getattr(grader, "__dict__", {}):
                problems.append("grader.check 이(가) 바뀌었습니다")
            behaviour(problems)
        except Exception as exc:
            problems.append("무결성 점검 중 오류: %r" % (exc,))
        with write(record_path, "a", encoding="utf-8") as f:
            f.write(dumps({"cell": cell, "problems": problems, "restored": restored}, ensure_ascii=False) + "\n")

    return probe


__course_integrity__ = __course_probe_setup(@RECORD@, @TARGETS@, @SHADOWED@, globals())
del __course_probe_setup
'''

PROBE_TAG = "course_grade_probe"


def probe_setup_source(record_path: str | Path) -> str:
    """The first cell of the grader's copy: snapshot and define the probe.

    The kernel resolves the targets with :func:`resolve_target` itself (its source is put into
    the cell), so the probe and :func:`missing_targets` find exactly the same objects.
    """
    return (
        _PROBE_SETUP.replace("@RESOLVE@", textwrap.indent(inspect.getsource(resolve_target), "    "))
        .replace("@RECORD@", repr(str(record_path)))
        .replace("@TARGETS@", repr(list(PROBE_TARGETS)))
        .replace("@SHADOWED@", repr(sorted(SHADOWED_BUILTINS)))
    )


def probe_call_source(cell: int | str) -> str:
    return f"__course_integrity__({cell!r}, globals())"


def instrument(nb: nbformat.NotebookNode, record_path: str | Path) -> nbformat.NotebookNode:
    """A copy of ``nb`` with the snapshot cell first and a probe after every code cell and at the end.

    Probe records go to ``record_path`` (one JSON line per probe); the last one has cell ``"end"``.
    """
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    cells = []

    def code(source: str) -> nbformat.NotebookNode:
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["tags"] = [PROBE_TAG]
        cell.pop("id", None)
        return cell

    cells.append(code(probe_setup_source(record_path)))
    for index, cell in enumerate(nb.cells):
        cells.append(cell)
        if cell.get("cell_type") == "code":
            cells.append(code(probe_call_source(index)))
    cells.append(code(probe_call_source("end")))
    nb.cells = cells
    for cell in nb.cells:
        cell.pop("id", None)
    nb.nbformat_minor = min(nb.get("nbformat_minor", 4), 4)
    return nb


def read_probe(record_path: str | Path) -> tuple[list[str], bool]:
    """Korean reasons from a probe record file and whether the final probe ran.

    Each distinct problem is reported once, with the first code cell after which it was seen.
    """
    path = Path(record_path)
    if not path.is_file():
        return [], False
    return read_probe_text(path.read_text(encoding="utf-8", errors="replace"))


# what the probe itself writes; any other problem text was written by someone else (the
# submission can reach the record file) and is not copied into the gradebook
_PROBE_PROBLEM_RES = (
    re.compile(r"^sys\.modules\['[\w.]{1,80}'\] 이\(가\) 바뀌었습니다$"),
    re.compile(r"^[\w.]{1,120} 이\(가\) 바뀌었습니다$"),
    re.compile(r"^전역 이름 \w{1,60} 이\(가\) 내장 함수를 가립니다$"),
    re.compile(r"^[\w.]{1,60}\([\w\[\], ]{0,40}\) 이\(가\) 참이 됩니다 \(비교가 조작됨\)$"),
    re.compile(r"^1\.0 == 2\.0 이\(가\) 참이 됩니다 \(비교가 조작됨\)$"),
    re.compile(r"^numpy\.testing\.assert_allclose\(0, 1\) 가 실패하지 않습니다$"),
)
FORGED = "무결성 점검: 기록에 점검 코드가 쓰지 않은 내용이 있습니다 (기록 파일이 조작됨)"


def _probe_problem(problem: object) -> str | None:
    """The problem text if the probe could have written it, else ``None``."""
    text = str(problem)
    if any(pattern.match(text) for pattern in _PROBE_PROBLEM_RES):
        return text
    error = re.match(r"^무결성 점검 중 오류: (\w{1,60})\(", text)
    if error:
        return f"무결성 점검 중 오류: {error.group(1)}"
    return None


def read_probe_text(text: str) -> tuple[list[str], bool]:
    """:func:`read_probe` on the text of a record file (``""``: no record, not finished).

    Only problem texts of the probe's own forms are reported; anything else in the record (the
    submission can write the file) becomes one "record tampered with" reason.
    """
    reasons: dict[str, str] = {}
    finished = False
    for line in text.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            reasons.setdefault("__garbled__", "무결성 점검 기록이 손상되었습니다")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("problems", []), list):
            reasons.setdefault("__forged__", FORGED)
            continue
        cell = record.get("cell")
        if cell == "end":
            finished = True
        where = "마지막 점검" if cell == "end" else f"셀 {cell} 실행 후"
        for raw_problem in record.get("problems", []) or []:
            problem = _probe_problem(raw_problem)
            if problem is None:
                reasons.setdefault("__forged__", FORGED)
                continue
            restored = " → 원래대로 되돌림" if any(r and r in str(problem) for r in record.get("restored", [])) else ""
            reasons.setdefault(str(problem), f"무결성 점검: {problem} ({where}){restored}")
    return list(reasons.values()), finished


def resolve_target(dotted: str) -> object:
    """The object ``dotted`` names (``"otter.execute.Checker"``), as the probe resolves it."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            obj = getattr(obj, part)
        return obj
    raise ImportError(dotted)


def missing_targets(modules_optional: tuple[str, ...] = ()) -> list[str]:
    """``owner.attribute`` names of :data:`PROBE_TARGETS` that do not exist in the installed packages.

    The probe can only guard what it finds; an empty list means every target is guarded.
    ``modules_optional``: top-level packages allowed to be absent (their targets are skipped).
    """
    missing = []
    for spec in PROBE_TARGETS:
        owner_name, attrs = spec.split(":")
        if owner_name.split(".")[0] in modules_optional:
            try:
                importlib.import_module(owner_name.split(".")[0])
            except ImportError:
                continue
        try:
            owner = resolve_target(owner_name)
        except (ImportError, AttributeError):
            missing.append(owner_name)
            continue
        for attr in attrs.split():
            if not hasattr(owner, attr):
                missing.append(f"{owner_name}.{attr}")
    return missing
