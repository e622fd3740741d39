"""``course-grade``: a folder of submitted notebooks → gradebook CSVs (+ optional feedback files).

::

    course-grade SUBMISSIONS_DIR [--out gradebook.csv] [--detail gradebook_detail.csv]
                 [--feedback-dir DIR] [--build-dir build] [--timeout 600] [--jobs N]
                 [--profile quick|full] [--memory-limit 8G] [--output-limit 64M]

Every file directly inside ``SUBMISSIONS_DIR`` (sorted, not recursive; a link to a file too, a
dangling link as ``invalid_notebook``; not hidden files, folders, devices or pipes) gets exactly
one row:

- the lesson comes from the notebook's ``metadata.otter.assignment_name``, else from the file
  name; a renamed file is still graded (the row's note says so);
- ``not_a_notebook`` (not ``.ipynb``), ``invalid_notebook`` (not JSON / not a notebook) and
  ``unknown_lesson`` (no autograder in ``build/autograder/``) rows have zero scores;
- otherwise a private copy (the submissions folder is never written) is instrumented with the
  integrity probe (:mod:`helpers.authoring.tamper_probe`) and graded by otter (through
  ``otter_worker.py``) in its own process, own session, with a wall-clock limit, memory and
  output limits and, where the OS allows, in a bubblewrap jail (:mod:`helpers.authoring.sandbox`):
  no network, no file of the machine but the system, Python and the read-only inputs, a private
  ``/tmp`` that vanishes with it, an unprivileged uid of its own;
- the tests that decide the score are the autograder's, extracted by the grader and mounted
  read-only; the notebook's own ``tests/`` folder holds only a copy of the public tests, and a
  submission that changes it is flagged (its score still comes from the real tests);
- two runs when feedback is written (``--feedback-dir``): the scoring run (all tests) gives the
  scores; a second run with the PUBLIC tests only, in which no hidden test exists anywhere, gives
  the messages the student reads. Nothing printed in the scoring run reaches a feedback file;
- ``timeout`` (killed at the limit) and ``crash`` (kernel died, ``os._exit``, otter failed, no
  results) rows have zero scores and a reason in ``note``; ``memory_limit`` (a cell ran out of
  the memory limit) and ``output_limit`` (printed output or a file beyond the output limit) rows
  keep what was graded before the limit hit (zero if nothing); the other submissions are graded
  regardless;
- ``review``: graded, but the static scan or the probe found signs of tampering; the computed
  score is kept and ``flags`` lists the Korean reasons. ``ok``: graded, nothing found.

Outputs (UTF-8 with BOM so spreadsheet programs show Korean):

- gradebook: ``file, student, lesson, status, <one column per question>, total, max_total,
  percent, flags, network_isolated, fs_isolated, user_isolated, seconds, note`` (the three
  ``*_isolated`` columns say what the row's jail proved in its self-test);
- detail (instructors only, may quote hidden tests): ``file, student, lesson, question, score,
  max, passed_public, passed_hidden, failures``;
- ``--feedback-dir``: one ``<student>.txt`` per submission with scores and PUBLIC test messages
  only (never hidden test text).

Nothing a submission controls (its file name, what it printed, the notes about it) can alter,
break or lose an output: every text cell is quoted and one that starts like a formula gets a
leading ``'`` (:func:`sheet_text`); numeric columns are unquoted numbers; control, invisible and
non-UTF-8 characters are shown as escapes (:func:`visible`) in the CSVs, the feedback files and
the printed summary; each submission gets its own feedback file on every file system
(:func:`assign_feedback_files`); every file is replaced atomically (:func:`write_atomic`), and a
feedback file of an earlier run's student is removed only if course-grade wrote it
(:func:`write_feedback`). Outputs inside the submissions folder, or on top of each other, are
refused before anything is graded.
"""
from __future__ import annotations

import argparse
import ast
import contextlib
import csv
import io
import json
import math
import os
import pprint
import queue
import re
import shutil
import stat
import sys
import tempfile
import threading
import time
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from helpers import checks
from helpers.authoring import runtime, sandbox, tamper_probe, tamper_scan

WORKER = Path(__file__).with_name("otter_worker.py")
HELPERS_DIR = Path(__file__).resolve().parents[1]
STATUS_KO = {
    "ok": "정상",
    "review": "검토 필요",
    "timeout": "시간 초과",
    "crash": "실행 실패",
    "memory_limit": "메모리 한도 초과",
    "output_limit": "출력 한도 초과",
    "invalid_notebook": "잘못된 노트북",
    "not_a_notebook": "노트북 아님",
    "unknown_lesson": "모르는 레슨",
}
FIXED_HEAD = ["file", "student", "lesson", "status"]
FIXED_TAIL = ["total", "max_total", "percent", "flags", "network_isolated", "fs_isolated", "user_isolated",
              "seconds", "note"]
DETAIL_COLUMNS = ["file", "student", "lesson", "question", "score", "max", "passed_public", "passed_hidden", "failures"]
CSV_ENCODING = "utf-8-sig"
# columns written as real (unquoted) numbers; every other cell is quoted text (gradebook: also
# the question columns). Message columns keep their line breaks; every other text is one line.
GRADEBOOK_NUMERIC = ("total", "max_total", "percent", "seconds")
DETAIL_NUMERIC = ("score", "max")
MESSAGE_COLUMNS = frozenset({"note", "flags", "failures"})
CELL_CHARS = 32_000  # a longer text cell is cut (a spreadsheet cell holds at most 32,767 characters in Excel)
# a spreadsheet takes a cell that starts with one of these for a formula (OWASP "CSV injection");
# their full-width forms are included as a precaution
FORMULA_START = frozenset("=+-@\t\r\n\0\uff1d\uff0b\uff0d\uff20")
# control, invisible format (e.g. right-to-left override), undecodable-byte and line/paragraph
# separator characters: shown as escapes wherever a submission's text is written or printed
INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# feedback file names: the same on Linux, macOS and Windows (see :func:`safe_stem`)
FEEDBACK_MANIFEST = ".course-grade-feedback.json"
FEEDBACK_STEM_BYTES = 120
UNSAFE_IN_NAMES = frozenset('<>:"/\\|?*')
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{port}{n}" for port in ("com", "lpt") for n in "123456789\u00b9\u00b2\u00b3"})
DEFAULT_LIMITS = sandbox.Limits()
# where things are inside a bubblewrap jail (read-only, except the jail's private /tmp)
JAIL = Path("/grading")
JAIL_PROBE = "/tmp/course-grade-probe.jsonl"
RELEASE_TAG = "course_grade_release"
RELEASE_SOURCE = (
    "# course-grade: the complete tests (hidden cases included) arrive now, after the submission's\n"
    "# last cell; otter's final cell then re-runs every test from them\n"
    "from otter.execute import Checker as __course_checker\n"
    "__course_checker.clear_results()\n"
    "del __course_checker\n"
)
REDACTED = "(숨김 테스트와 겹치는 내용이 있어 가렸습니다)"


class GradeError(RuntimeError):
    """The grading run cannot start (missing folder, no autograders); message in Korean."""


@dataclass
class LessonInfo:
    """An autograder from ``build/autograder/``: its zip and questions (notebook order, points)."""

    lesson: str
    zip_path: Path
    questions: list[dict]

    @property
    def names(self) -> list[str]:
        return [q["name"] for q in self.questions]

    @property
    def max_total(self) -> float:
        return float(sum(q["points"] for q in self.questions))


@dataclass
class Unpacked:
    """An autograder extracted once per run into the grader's scratch folder (never into a jail).

    ``tests``: every test file as in the zip; ``public_tests``: the same files with the hidden
    cases removed; ``files``: support files; ``config``: ``otter_config.json``;
    ``hidden_lines``: code lines of hidden cases, used to redact feedback (defence in depth).
    """

    root: Path
    tests: Path
    public_tests: Path
    files: Path
    config: Path
    hidden_lines: frozenset[str]


@dataclass
class SubmissionResult:
    """The outcome for one submitted file (one gradebook row)."""

    file: str
    student: str
    lesson: str = ""
    status: str = "ok"
    scores: dict[str, float] = field(default_factory=dict)
    max_scores: dict[str, float] = field(default_factory=dict)
    cases: dict[str, list[dict]] = field(default_factory=dict)
    public_cases: dict[str, list[dict]] | None = None  # from the public-only run (feedback)
    flags: list[str] = field(default_factory=list)
    network_isolated: bool = False
    fs_isolated: bool = False
    user_isolated: bool = False
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    # how the lesson was identified (also in ``notes``): instructor information, not a reason for
    # the student unless no lesson was found
    identify_notes: list[str] = field(default_factory=list)
    # notes for the gradebook only, never the student's feedback (a symlink, a renamed feedback file)
    instructor_notes: list[str] = field(default_factory=list)
    feedback_file: str = ""  # name in the feedback folder (:func:`assign_feedback_files`)
    hidden_lines: frozenset[str] = frozenset()

    @property
    def total(self) -> float:
        return float(sum(self.scores.values()))

    @property
    def max_total(self) -> float:
        return float(sum(self.max_scores.values()))

    @property
    def percent(self) -> float:
        return round(100.0 * self.total / self.max_total, 1) if self.max_total else 0.0


@dataclass
class GradeReport:
    """All rows of a run plus where the CSVs were written."""

    results: list[SubmissionResult]
    questions: list[str]
    gradebook: Path | None
    detail: Path | None
    feedback_dir: Path | None
    isolation: sandbox.Isolation
    seconds: float
    # ``.txt`` files in the feedback folder that this run did not write and course-grade never
    # wrote there (kept, never deleted: see :func:`write_feedback`)
    feedback_others: list[str] = field(default_factory=list)

    def by_file(self, name: str) -> SubmissionResult:
        for result in self.results:
            if result.file == name:
                return result
        raise KeyError(name)


# --------------------------------------------------------------------------------------------
# Autograders
# --------------------------------------------------------------------------------------------
def _questions_from_zip(zip_path: Path) -> list[dict]:
    """Fallback when the manifest is missing: read the test files inside the zip (name order)."""
    from otter.test_files import OKTestFile

    questions = []
    with zipfile.ZipFile(zip_path) as zf, tempfile.TemporaryDirectory() as tmp:
        for name in sorted(n for n in zf.namelist() if re.match(r"^tests/[^/]+\.py$", n)):
            target = Path(tmp) / Path(name).name
            target.write_bytes(zf.read(name))
            tf = OKTestFile.from_file(str(target))
            questions.append({"name": tf.name, "points": float(sum(tc.points for tc in tf.test_cases))})
    return questions


def load_lessons(build_dir: str | Path = "build") -> dict[str, LessonInfo]:
    """Autograders available in ``build_dir/autograder`` (``NN_slug.zip`` + ``NN_slug.json``)."""
    folder = Path(build_dir) / "autograder"
    lessons = {}
    for zip_path in sorted(folder.glob("*.zip")) if folder.is_dir() else []:
        manifest = zip_path.with_suffix(".json")
        if manifest.is_file():
            questions = json.loads(manifest.read_text(encoding="utf-8"))["questions"]
        else:
            questions = _questions_from_zip(zip_path)
        lessons[zip_path.stem] = LessonInfo(zip_path.stem, zip_path.resolve(), questions)
    return lessons


def _ok_test_dict(source: str) -> dict | None:
    """The ``test = {...}`` literal of an OK-format test file (``None``: not OK format)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "test" for t in node.targets):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                return None
            return value if isinstance(value, dict) else None
    return None


def public_only(source: str) -> tuple[str | None, list[str]]:
    """An OK-format test file without its hidden cases, and the hidden cases' code lines.

    ``(None, [])`` when the file is not OK format (it is then left out of the public tests).
    """
    test = _ok_test_dict(source)
    if test is None:
        return None, []
    hidden_lines: set[str] = set()
    public_lines: set[str] = set()
    for suite in test.get("suites", []):
        kept = []
        for case in suite.get("cases", []):
            lines = {re.sub(r"^\s*(>>>|\.\.\.)\s?", "", line).strip() for line in str(case.get("code", "")).splitlines()}
            if case.get("hidden"):
                hidden_lines |= {line for line in lines if len(line) >= 12}
                for key in ("failure_message", "success_message"):
                    message = str(case.get(key) or "").strip()
                    if len(message) >= 8:
                        hidden_lines.add(message)
            else:
                public_lines |= lines
                kept.append(case)
        suite["cases"] = kept
    text = "OK_FORMAT = True\n\ntest = " + pprint.pformat(test, indent=4, width=100) + "\n"
    return text, sorted(hidden_lines - public_lines)


def unpack_autograder(info: LessonInfo, root: Path) -> Unpacked:
    """Extract ``info``'s zip under ``root`` (tests, public tests, support files, config)."""
    root.mkdir(parents=True, exist_ok=True)
    tests, public, files = root / "tests", root / "public_tests", root / "files"
    for folder in (tests, public, files):
        folder.mkdir(exist_ok=True)
    config = root / "otter_config.json"
    config.write_text("{}", encoding="utf-8")
    hidden: list[str] = []
    with zipfile.ZipFile(info.zip_path) as zf:
        for name in zf.namelist():
            if name.endswith("/"):
                continue
            data = zf.read(name)
            path = Path(name)
            if path.parts[0] == "tests" and len(path.parts) == 2 and path.suffix == ".py":
                (tests / path.name).write_bytes(data)
                text, lines = public_only(data.decode("utf-8"))
                hidden += lines
                if text is not None:
                    (public / path.name).write_text(text, encoding="utf-8")
            elif path.parts[0] == "files" and len(path.parts) > 1 and ".." not in path.parts:
                target = files.joinpath(*path.parts[1:])
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            elif name == "otter_config.json":
                config.write_bytes(data)
    for path in [root, *root.rglob("*")]:  # readable by a jail's uid, writable by nobody else
        path.chmod(0o755 if path.is_dir() else 0o444)
    return Unpacked(root, tests, public, files, config, frozenset(hidden))


# --------------------------------------------------------------------------------------------
# One submission
# --------------------------------------------------------------------------------------------
def student_name(path: Path) -> str:
    """The ``student`` of a submission: its file name's stem in Unicode NFC.

    macOS writes file names in NFD (Korean syllables as separate jamo); NFC makes the same name
    typed on any system one value in the gradebook.
    """
    return unicodedata.normalize("NFC", path.stem)


def _identify(path: Path, nb: dict, lessons: dict[str, LessonInfo]) -> tuple[str | None, list[str]]:
    """The lesson of a submission and notes about how it was found."""
    notes = []
    meta = nb.get("metadata", {}) if isinstance(nb.get("metadata"), dict) else {}
    otter_meta = meta.get("otter", {}) if isinstance(meta.get("otter"), dict) else {}
    named = otter_meta.get("assignment_name")
    stem = path.stem
    if isinstance(named, str) and named in lessons:
        if named not in stem:
            notes.append(f"파일 이름({path.name})에 레슨 이름이 없어 노트북 메타데이터로 레슨({named})을 정했습니다")
        return named, notes
    if named:
        notes.append(f"메타데이터의 레슨 이름 {repr(named)[:200]} 에 맞는 채점기가 없습니다")
    else:
        notes.append("노트북 메타데이터에 레슨 이름(otter.assignment_name)이 없습니다")
    if stem in lessons:
        return stem, notes + ["파일 이름으로 레슨을 정했습니다"]
    matches = [name for name in lessons if name in stem]
    if len(matches) == 1:
        return matches[0], notes + [f"파일 이름으로 레슨({matches[0]})을 정했습니다"]
    return None, notes


MEMORY_SIGNS = ("MemoryError", "std::bad_alloc", "Cannot allocate memory", "out of memory")


def _crash_reason(output: str, returncode: int | None) -> str:
    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    if "DeadKernelError" in output or "Kernel died" in output:
        return "커널이 도중에 죽었습니다 (os._exit, exit(), 메모리 부족 등)"
    for line in reversed(lines):
        if re.match(r"^[\w.]*(Error|Exception|Exit|Interrupt)\b", line):
            return f"otter 채점 실패: {line[:300]}"
    tail = lines[-1][:300] if lines else "출력 없음"
    return f"otter 채점 실패 (종료 코드 {returncode}): {tail}"


def _short(message: str) -> str:
    """The last exception line of a doctest failure message (e.g. the assertion text)."""
    lines = [line.strip() for line in (message or "").splitlines() if line.strip()]
    for line in reversed(lines):
        if re.match(r"^[\w.]*(Error|Exception)\b", line):
            return line[:400]
    return lines[-1][:400] if lines else ""


def threads_per_job(jobs: int, submissions: int, cpus: int | None = None, limit: int | None = None) -> int:
    """CPU threads each grading kernel may use so that the parallel jobs share the cores.

    Without a limit every kernel's PyTorch/OpenMP starts one thread per core: N parallel jobs on
    C cores then run N x C threads that wait for each other (measured: tiny training steps 2-3x
    slower). At least one thread each. ``cpus``: default, the cores this process may run on.
    ``limit``: a thread count the caller already chose for this process (e.g. one per test
    worker, or the instructor's ``OMP_NUM_THREADS``; see :func:`inherited_thread_limit`) is never
    exceeded, so grading inside several parallel processes does not oversubscribe the cores.
    """
    if cpus is None:
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    running = max(1, min(jobs, submissions))
    threads = max(1, cpus // running)
    return min(threads, limit) if limit and limit > 0 else threads


def inherited_thread_limit(env: dict[str, str] | None = None) -> int | None:
    """``OMP_NUM_THREADS`` of ``env`` (default: this process) as a positive int, else ``None``."""
    value = (os.environ if env is None else env).get("OMP_NUM_THREADS", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else None


def _cache_binds() -> list[tuple[Path, str]]:
    """Read-only caches a graded notebook may read: PyTorch's hub folder (pretrained weights)."""
    torch_home = os.environ.get("TORCH_HOME") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "torch")
    return [(Path(torch_home), "/tmp/home/.cache/torch")] if os.path.isdir(torch_home) else []


KEPT_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
            "PYTHONHASHSEED",
            "COURSE_PROFILE", "COURSE_DATA_MIRROR", "CUDA_VISIBLE_DEVICES")


def _jail_env(env: dict[str, str]) -> dict[str, str]:
    """The environment inside a jail: no secret or path of the grader's, a private home."""
    kept = {k: v for k, v in env.items() if k in KEPT_ENV or k.startswith(("LC_", "COURSE_"))}
    kept.update(
        HOME="/tmp/home", TMPDIR="/tmp", MPLCONFIGDIR="/tmp/home/.config/matplotlib", MPLBACKEND="Agg",
        PYTHONIOENCODING="utf-8", JUPYTER_PLATFORM_DIRS="1", COURSE_DATA_DIR="/tmp/home/.cache/vision-course",
        PYTHONDONTWRITEBYTECODE="1",
    )
    if "TORCH_HOME" in kept or _cache_binds():
        kept["TORCH_HOME"] = "/tmp/home/.cache/torch"
    return kept


@dataclass
class _Run:
    """One worker run's outcome, parsed."""

    outcome: sandbox.RunOutcome
    payload: dict | None


def _run_worker(
    submission: Path, unpacked: Unpacked, scratch: Path, *, public: bool, timeout: float, env: dict[str, str],
    isolation: sandbox.Isolation, limits: sandbox.Limits, uid: int | None, probe: str,
) -> _Run:
    scratch.mkdir(parents=True, exist_ok=True)
    scratch.chmod(0o755)
    names = sorted(p.name for p in unpacked.tests.glob("*.py"))
    if public:
        tests = unpacked.public_tests
        names = [name for name in names if (tests / name).is_file()]
    else:  # public versions now, the complete files when the worker asks (after the last cell)
        tests = scratch / "tests"
        tests.mkdir()
        tests.chmod(0o755)
        for name in names:
            if (unpacked.public_tests / name).is_file():
                shutil.copyfile(unpacked.public_tests / name, tests / name)
                (tests / name).chmod(0o444)
    ipython = runtime.private_ipython_dir(scratch)
    if isolation.kind == "bwrap":
        binds = [(WORKER, str(JAIL / "otter_worker.py")), (submission, str(JAIL / "submission" / submission.name)),
                 (tests, str(JAIL / "tests")), (unpacked.public_tests, str(JAIL / "public_tests")),
                 (unpacked.files, str(JAIL / "files")), (unpacked.config, str(JAIL / "otter_config.json")),
                 (ipython, str(JAIL / "ipython")), *_cache_binds()]
        paths = {"worker": JAIL / "otter_worker.py", "submission": JAIL / "submission" / submission.name,
                 "tests": JAIL / "tests", "public": JAIL / "public_tests", "files": JAIL / "files",
                 "config": JAIL / "otter_config.json", "ipython": JAIL / "ipython"}
        run_env = _jail_env(env)
        readonly = [HELPERS_DIR]
    else:
        binds, readonly = [], []
        paths = {"worker": WORKER, "submission": submission, "tests": tests, "public": unpacked.public_tests,
                 "files": unpacked.files, "config": unpacked.config, "ipython": ipython}
        tmp = scratch / "tmp"
        tmp.mkdir(exist_ok=True)
        run_env = dict(env, TMPDIR=str(tmp))  # otter's temporary folders land in the scratch folder
    command = [sys.executable, str(paths["worker"]), "--submission", str(paths["submission"]),
               "--tests", str(paths["tests"]), "--public-tests", str(paths["public"]), "--files", str(paths["files"]),
               "--config", str(paths["config"]), "--ipython-dir", str(paths["ipython"]), "--probe-record", probe,
               "--file-limit", str(limits.output or 0), "--test-names", ",".join(names)]
    pass_fds: tuple[int, ...] = ()
    releaser = None
    if not public:
        request_read, request_write = os.pipe()
        answer_read, answer_write = os.pipe()
        command += ["--release-fds", f"{request_write},{answer_read}"]
        pass_fds = (request_write, answer_read)

        def release() -> None:
            try:
                with os.fdopen(request_read, "rb", buffering=0) as request, os.fdopen(answer_write, "wb", buffering=0) as answer:
                    if request.read(8) != b"release\n":
                        return  # the worker ended without asking
                    for name in names:
                        partial = tests / f".{name}.part"
                        shutil.copyfile(unpacked.tests / name, partial)
                        partial.chmod(0o444)
                        os.replace(partial, tests / name)
                    answer.write(b"ok\n")
            except OSError:
                pass

        releaser = threading.Thread(target=release, daemon=True)
        releaser.start()
    outcome = sandbox.run_limited(command, timeout=timeout, cwd=str(scratch), env=run_env, isolation=isolation,
                                  limits=limits, readonly=readonly, binds=binds, uid=uid, pass_fds=pass_fds)
    if releaser is not None:
        releaser.join(timeout=10)
    payload = None
    if not outcome.timed_out and not outcome.output_exceeded:
        for line in reversed(outcome.output.splitlines()):
            if line.startswith(otter_marker()):
                try:
                    payload = json.loads(line[len(otter_marker()):])
                except ValueError:
                    payload = None
                break
    return _Run(outcome, payload if isinstance(payload, dict) else None)


def otter_marker() -> str:
    return "@@course-grade-results@@ "


def grade_one(
    path: str | Path, lessons: dict[str, LessonInfo], *, timeout: float = 600, profile: str = "quick",
    isolation: sandbox.Isolation | None = None, threads: int | None = None, limits: sandbox.Limits | None = None,
    feedback: bool = False, uid: int | None = None, unpacked: dict[str, Unpacked] | None = None,
) -> SubmissionResult:
    """Grade one file; never raises for anything the submission does.

    ``threads``: if given, the grading kernel's OpenMP/MKL/OpenBLAS thread count (``OMP_NUM_THREADS``).
    ``feedback``: also run the public-only run that feedback files are written from.
    ``uid``: the jail's uid (root jails; parallel jobs get different ones).
    ``unpacked``: autograders already extracted by :func:`unpack_autograder` (else done here).
    """
    path = Path(path)
    isolation = isolation or sandbox.NO_ISOLATION
    limits = limits or DEFAULT_LIMITS
    result = SubmissionResult(file=path.name, student=student_name(path), network_isolated=isolation.network_isolated,
                              fs_isolated=isolation.fs_isolated, user_isolated=isolation.user_isolated)
    if path.suffix.lower() != ".ipynb":
        result.status, result.notes = "not_a_notebook", [f"확장자가 .ipynb 가 아닙니다 ({path.suffix or '없음'})"]
        return result
    try:
        raw = json.loads(path.read_bytes().decode("utf-8"))
        if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
            raise ValueError("cells 목록이 없습니다")
        nb = nbformat.reads(json.dumps(raw), as_version=4)
    except Exception as exc:
        result.status = "invalid_notebook"
        # an OSError's text names the file's absolute path on the grader's machine: not for the student
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        result.notes = [f"노트북(JSON)으로 읽을 수 없습니다: {type(exc).__name__}: {reason[:200]}"]
        return result

    lesson, notes = _identify(path, raw, lessons)
    result.notes += notes
    result.identify_notes = list(notes)
    if lesson is None:
        result.status = "unknown_lesson"
        result.notes.append(f"채점기가 있는 레슨: {', '.join(sorted(lessons)) or '없음'}")
        return result
    info = lessons[lesson]
    result.lesson = lesson
    result.max_scores = {q["name"]: float(q["points"]) for q in info.questions}
    result.scores = {name: 0.0 for name in info.names}
    result.flags = [str(f) for f in tamper_scan.scan_notebook(nb)]

    with tempfile.TemporaryDirectory(prefix="course-grade-") as tmp:
        tmp_path = Path(tmp)
        os.chmod(tmp_path, 0o755)  # a root jail's uid reads its inputs through bind mounts
        if unpacked is None or lesson not in unpacked:
            own = unpack_autograder(info, tmp_path / "autograder")
        else:
            own = unpacked[lesson]
        result.hidden_lines = own.hidden_lines
        (tmp_path / "in").mkdir()
        probe = JAIL_PROBE if isolation.kind == "bwrap" else str(tmp_path / "probe.jsonl")
        copy = tamper_probe.instrument(nb, probe)
        release = nbformat.v4.new_code_cell(RELEASE_SOURCE)
        release.metadata["tags"] = [RELEASE_TAG]
        release.pop("id", None)
        copy.cells.append(release)
        copy.metadata.setdefault("otter", {})["assignment_name"] = lesson
        submission = tmp_path / "in" / f"{lesson}.ipynb"
        try:
            submission.write_text(nbformat.writes(copy), encoding="utf-8")
        except Exception as exc:
            result.status = "invalid_notebook"
            result.notes.append(f"노트북을 다시 쓸 수 없습니다: {exc}")
            return result
        for item in (tmp_path / "in", submission):
            item.chmod(0o755 if item.is_dir() else 0o444)
        env = runtime.subprocess_env(profile, tmp_path)
        if threads:
            env.update(OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads))
        kwargs: dict[str, Any] = dict(timeout=timeout, env=env, isolation=isolation, limits=limits, uid=uid, probe=probe)
        scoring = _run_worker(submission, own, tmp_path / "scoring", public=False, **kwargs)
        result.seconds = round(scoring.outcome.seconds, 1)
        _apply_scoring(result, scoring, timeout, limits)
        if feedback and scoring.payload is not None:
            shutil.rmtree(tmp_path / "scoring", ignore_errors=True)
            public = _run_worker(submission, own, tmp_path / "public", public=True, **kwargs)
            result.seconds = round(result.seconds + public.outcome.seconds, 1)
            if public.payload is not None and not public.payload.get("catastrophic_error"):
                result.public_cases = {name: [c for c in data.get("cases", []) if not c.get("hidden")]
                                       for name, data in public.payload.get("questions", {}).items()}
            else:
                result.public_cases = {}
                result.notes.append("공개 테스트만으로 다시 실행하지 못해 피드백에 공개 테스트 메시지가 없습니다")
    if result.status == "ok" and result.flags:
        result.status = "review"
    return result


def _apply_scoring(result: SubmissionResult, run: _Run, timeout: float, limits: sandbox.Limits) -> None:
    """Status, scores and flags of the scoring run."""
    outcome, payload = run.outcome, run.payload
    if outcome.output_exceeded:
        result.status = "output_limit"
        result.notes.append(f"출력이 한도({_size(limits.output)})를 넘어 중단했습니다 (너무 많이 print 하지 않았는지 보세요)")
        return
    if outcome.timed_out:
        result.status = "timeout"
        result.notes.append(f"제한 시간 {timeout:g}초를 넘겨 중단했습니다 (무한 루프나 너무 긴 학습이 있는지 보세요)")
        return
    memory_note = f"메모리 한도({_size(limits.memory)})를 넘는 메모리를 쓰려 했습니다 (너무 큰 배열이나 배치가 있는지 보세요)"
    if payload is None:
        if any(sign in outcome.output for sign in MEMORY_SIGNS):
            result.status = "memory_limit"
            result.notes.append(memory_note)
        else:
            result.status = "crash"
            result.notes.append(_crash_reason(outcome.output, outcome.returncode))
        return
    reasons, finished = tamper_probe.read_probe_text(payload.get("probe") or "")
    result.flags += reasons
    live = payload.get("live_processes") or []
    if live:
        result.flags.append(f"채점 직전에 제출물이 띄운 프로세스가 살아 있었습니다: {', '.join(map(str, live[:5]))}")
    changed = payload.get("tests_modified") or []
    if changed:
        result.flags.append(f"tests/ 폴더의 테스트 파일을 바꿈: {', '.join(changed[:10])} "
                            "(점수는 채점기의 원래 테스트로 매겼습니다)")
    error = payload.get("catastrophic_error")
    if error:
        if payload.get("memory_error") or any(sign in error for sign in MEMORY_SIGNS):
            result.status = "memory_limit"
            result.notes.append(memory_note)
        else:
            result.status = "crash"
            if "DeadKernel" in error or "Kernel died" in error:
                result.notes.append("커널이 도중에 죽었습니다 (os._exit, exit(), 메모리 부족 등)")
            else:
                result.notes.append(f"otter 가 결과를 만들지 못했습니다: {error[:300]}")
        if payload.get("big_files"):
            result.status = "output_limit"
            result.notes.append(f"파일 크기 한도({_size(limits.output)})에 닿은 파일: {', '.join(payload['big_files'][:5])}")
        return
    if payload.get("released") is False:
        result.status = "crash"
        result.notes.append("숨김 테스트를 넘겨받기 전에 채점이 끝났습니다 (채점 도구 오류)")
        return
    for name, data in payload.get("questions", {}).items():
        result.scores[name] = float(data.get("score", 0.0))
        result.max_scores.setdefault(name, float(data.get("possible", 0.0)))
        result.cases[name] = list(data.get("cases", []))
    if not finished:
        result.flags.append("무결성 점검: 마지막 점검이 실행되지 않았습니다 (점검 코드가 방해받았을 수 있음)")
    if payload.get("big_files") or (limits.output and payload.get("output_bytes", 0) > limits.output):
        result.status = "output_limit"
        big = payload.get("big_files") or []
        result.notes.append(f"출력 또는 파일이 한도({_size(limits.output)})를 넘었습니다" + (f": {', '.join(big[:5])}" if big else ""))
    elif payload.get("memory_error"):
        result.status = "memory_limit"
        result.notes.append(memory_note + " — 그 셀은 MemoryError 로 끝났고 나머지는 채점했습니다")


def _size(value: int | None) -> str:
    if not value:
        return "없음"
    for unit, factor in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if value >= factor:
            return f"{value / factor:g} {unit}"
    return f"{value} B"


# --------------------------------------------------------------------------------------------
# Outputs
# --------------------------------------------------------------------------------------------
def _num(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


def gradebook_columns(questions: Sequence[str]) -> list[str]:
    return FIXED_HEAD + list(questions) + FIXED_TAIL


def gradebook_row(result: SubmissionResult, questions: Sequence[str]) -> dict[str, str]:
    """One gradebook row as plain text (:func:`write_gradebook` makes it safe for spreadsheets)."""
    row = {
        "file": result.file, "student": result.student, "lesson": result.lesson, "status": result.status,
        "total": _num(result.total), "max_total": _num(result.max_total) if result.lesson else "",
        "percent": _num(result.percent) if result.lesson else "",
        "flags": redact("; ".join(result.flags), result.hidden_lines),
        "network_isolated": str(result.network_isolated), "fs_isolated": str(result.fs_isolated),
        "user_isolated": str(result.user_isolated), "seconds": _num(result.seconds),
        "note": redact("; ".join(result.notes + result.instructor_notes), result.hidden_lines),
    }
    for q in questions:
        row[q] = _num(result.scores[q]) if q in result.scores else ""
    return row


def _case_text(case: dict) -> str:
    label = "숨김" if case.get("hidden") else "공개"
    parts = [p for p in (case.get("failure_message"), _short(case.get("message", ""))) if p]
    return f"[{label}] {case.get('name', '')}: " + " / ".join(parts)


def detail_rows(result: SubmissionResult) -> list[dict[str, str]]:
    """The detail rows (one per question) as plain text (:func:`write_detail` makes them safe)."""
    rows = []
    for q, maximum in result.max_scores.items():
        cases = result.cases.get(q, [])
        public = [c for c in cases if not c.get("hidden")]
        hidden = [c for c in cases if c.get("hidden")]
        if cases:
            failures = " | ".join(_case_text(c) for c in cases if not c.get("passed"))
        else:
            failures = f"채점되지 않음: {STATUS_KO.get(result.status, result.status)}"
        rows.append({
            "file": result.file, "student": result.student, "lesson": result.lesson, "question": q,
            "score": _num(result.scores.get(q, 0.0)), "max": _num(maximum),
            "passed_public": str(bool(cases) and all(c.get("passed") for c in public)),
            "passed_hidden": str(bool(cases) and all(c.get("passed") for c in hidden)),
            "failures": failures,
        })
    return rows


def redact(text: str, hidden_lines: Iterable[str]) -> str:
    """``text`` with every line that contains a line of hidden-test code replaced by a notice."""
    hidden = [h for h in hidden_lines if h]
    if not hidden:
        return text
    out = []
    for line in text.split("\n"):
        squeezed = " ".join(line.split())
        out.append(REDACTED if any(h in line or " ".join(h.split()) in squeezed for h in hidden) else line)
    return "\n".join(out)


def feedback_text(result: SubmissionResult) -> str:
    """Student-facing feedback: scores and PUBLIC test messages only.

    The messages come from the public-only run (``result.public_cases``), in which no hidden
    test existed; without that run (``public_cases is None``) the public cases of the scoring
    run are used. Any line that still contains hidden-test code is replaced (defence in depth).
    """
    lines = [f"파일: {result.file}", f"레슨: {result.lesson or '(알 수 없음)'}",
             f"상태: {STATUS_KO.get(result.status, result.status)}"]
    if result.status == "review":
        lines.append("  강사가 제출물을 직접 확인한 뒤 점수를 확정합니다.")
    if result.status == "crash":  # the grader's note may quote what the submission printed: not shown
        lines.append("  이유: 커널이 도중에 죽었거나 채점 도구가 결과를 만들지 못했습니다 "
                     "('커널 재시작 후 모두 실행'으로 끝까지 실행되는지 확인하세요)")
    elif result.status in ("timeout", "memory_limit", "output_limit", "invalid_notebook", "not_a_notebook",
                           "unknown_lesson"):
        reasons = [n for n in result.notes if n not in result.identify_notes or result.status == "unknown_lesson"]
        lines.append("  이유: " + "; ".join(reasons))
    if result.lesson:
        lines.append(f"점수: {_num(result.total)} / {_num(result.max_total)} ({_num(result.percent)}%)")
        lines.append("")
        for q, maximum in result.max_scores.items():
            lines.append(f"[{q}] {_num(result.scores.get(q, 0.0))} / {_num(maximum)}")
            source = result.cases if result.public_cases is None else result.public_cases
            public = [c for c in source.get(q, []) if not c.get("hidden")]
            failed = [c for c in public if not c.get("passed")]
            if not public:
                continue
            if not failed:
                lines.append("  공개 테스트: 모두 통과")
            for case in failed:
                lines.append(f"  공개 테스트 실패 ({case.get('name', '')}):")
                for text in (case.get("failure_message"), _short(case.get("message", ""))):
                    if text:
                        lines.append(f"    {text}")
        lines.append("")
        lines.append("※ 점수에는 공개되지 않은(숨김) 테스트 결과도 포함됩니다.")
    return visible(redact("\n".join(lines), result.hidden_lines), multiline=True) + "\n"


# --------------------------------------------------------------------------------------------
# Writing: text a submission controls, made safe for spreadsheets, terminals and file systems
# --------------------------------------------------------------------------------------------
def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return char.encode("unicode_escape").decode("ascii")


def visible(text: str, *, multiline: bool = False) -> str:
    """``text`` with every control, invisible-format, line-separator and undecodable character as
    an escape (``\\n``, ``\\x1b``, ``\\u202e``; a file name's non-UTF-8 byte as ``\\xff``).

    Nothing a submission named or printed can then move a terminal's cursor, reverse the text
    around it, break a CSV row, or fail to encode as UTF-8. ``multiline``: keep line breaks
    (CR LF and CR become LF).
    """
    if text.isprintable():
        return text
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(_escape(c) if unicodedata.category(c) in INVISIBLE and not (multiline and c == "\n") else c
                   for c in text)


def sheet_text(text: str, *, multiline: bool = False) -> str:
    """A text cell that no spreadsheet reads as a formula: :func:`visible`, then a leading ``'``
    when it starts (after any blanks) with ``= + - @`` (or their full-width forms) or a line break.
    """
    shown = visible(text, multiline=multiline)
    if shown[:1] in FORMULA_START or shown.lstrip()[:1] in FORMULA_START:
        return "'" + shown
    return shown


class _Number(float):
    """A numeric cell: written unquoted, in :func:`_num`'s form (``2``, ``87.5``)."""

    def __str__(self) -> str:
        return _num(float(self))


def _cell(value: str, *, numeric: bool, multiline: bool) -> str | float:
    if numeric and value:
        try:
            number = float(value)
        except ValueError:
            pass
        else:
            if math.isfinite(number):
                return _Number(number)
    text = sheet_text(value, multiline=multiline)
    if len(text) > CELL_CHARS:
        text = f"{text[:CELL_CHARS]} …({len(text) - CELL_CHARS}자 생략)"
    return text


def _csv_bytes(columns: Sequence[str], rows: Iterable[dict[str, str]], numeric: Iterable[str]) -> bytes:
    """A UTF-8 (BOM) CSV: numeric columns as unquoted numbers, every other cell quoted text made
    safe by :func:`sheet_text`. Quoting every text keeps a separator inside it (``,`` or the
    ``;`` of other locales' spreadsheets) from starting a new cell there."""
    numbers = set(numeric)
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([sheet_text(c) for c in columns])
    for row in rows:
        writer.writerow([_cell(row.get(c, ""), numeric=c in numbers, multiline=c in MESSAGE_COLUMNS) for c in columns])
    return buffer.getvalue().encode(CSV_ENCODING)


def _regular_mode(path: Path) -> int | None:
    """The permission bits of ``path`` if it is a regular file (a link is not followed)."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return stat.S_IMODE(st.st_mode) if stat.S_ISREG(st.st_mode) else None


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` as a whole: a new temporary file in the same folder, flushed to
    disk, then :func:`os.replace`. An interrupted run leaves the earlier file as it was (and no
    temporary file); a link at ``path`` is replaced, its target is never written. The file keeps
    the permissions of the one it replaces, else gets those of any new file (the umask's)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    keep = _regular_mode(path)
    while True:
        tmp = path.parent / f".{path.name[:40]}.{os.urandom(6).hex()}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if keep is not None:
            os.chmod(tmp, keep)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_gradebook(path: str | Path, results: Sequence[SubmissionResult], questions: Sequence[str]) -> None:
    """The gradebook CSV (one row per result), written atomically."""
    rows = [gradebook_row(r, questions) for r in results]
    write_atomic(path, _csv_bytes(gradebook_columns(questions), rows, [*questions, *GRADEBOOK_NUMERIC]))


def write_detail(path: str | Path, results: Sequence[SubmissionResult]) -> None:
    """The per-question detail CSV (instructors only), written atomically."""
    rows = [row for r in results for row in detail_rows(r)]
    write_atomic(path, _csv_bytes(DETAIL_COLUMNS, rows, DETAIL_NUMERIC))


def _name_key(name: str) -> str:
    """Names that one file system may store as the same file: case-insensitive (Windows, macOS)
    and normalisation-insensitive (macOS) comparison."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


def safe_stem(stem: str) -> str:
    """A file-name stem that every file system stores as written.

    NFC; every character that Windows forbids (``< > : " / \\ | ? *``) or that is a control,
    format, private-use, unassigned or undecodable character becomes ``_``; at most
    :data:`FEEDBACK_STEM_BYTES` bytes of UTF-8; no trailing dot or blank (Windows drops them);
    a ``_`` in front of a stem that starts with ``.`` or ``-`` (hidden file, command-line option)
    or is a reserved Windows device name (``CON``, ``aux.x``, ``com1``).
    """
    text = "".join("_" if c in UNSAFE_IN_NAMES or unicodedata.category(c)[0] == "C"
                   or unicodedata.category(c) in INVISIBLE else c
                   for c in unicodedata.normalize("NFC", stem))
    raw = text.encode("utf-8")
    if len(raw) > FEEDBACK_STEM_BYTES:
        text = raw[:FEEDBACK_STEM_BYTES].decode("utf-8", "ignore")
    text = text.rstrip(" .")
    if not text or text[0] in ".-" or text.split(".")[0].rstrip(" ").casefold() in WINDOWS_RESERVED:
        text = "_" + text
    return text


def assign_feedback_files(results: Sequence[SubmissionResult], reserved: Iterable[str] = ()) -> dict[str, str]:
    """Give every result its own feedback file name (``result.feedback_file``); ``{file: name}``.

    The rule (deterministic: the same folder always gives the same names, in any order):
    ``safe_stem(student) + ".txt"``. Names that would be one file on a case-insensitive or
    normalisation-insensitive file system (``Kim``/``kim``, NFC/NFD, ``kim.ipynb``/``kim.txt``,
    ``kim?``/``kim*``) or that equal a ``reserved`` name are resolved in file-name order: first
    the submissions whose name needed no change, then the others; the first keeps the name, the
    rest get ``~2``, ``~3``, ... (a number whose name is taken is skipped). A result whose
    feedback file is not ``<its file's stem>.txt`` gets an instructor note in the gradebook.
    """
    taken = {_name_key(name) for name in reserved}
    ordered = sorted(results, key=lambda r: r.file)
    stems = {r.file: safe_stem(r.student) for r in ordered}
    names: dict[str, str] = {}
    for unchanged in (True, False):
        for r in ordered:
            stem = stems[r.file]
            if r.file in names or (stem == Path(r.file).stem) != unchanged or _name_key(f"{stem}.txt") in taken:
                continue
            names[r.file] = f"{stem}.txt"
            taken.add(_name_key(names[r.file]))
    for r in ordered:
        if r.file in names:
            continue
        number = 2
        while _name_key(f"{stems[r.file]}~{number}.txt") in taken:
            number += 1
        names[r.file] = f"{stems[r.file]}~{number}.txt"
        taken.add(_name_key(names[r.file]))
    for r in results:
        r.feedback_file = names[r.file]
        note = (f"피드백 파일: {r.feedback_file} (다른 제출물과 이름이 겹치거나 파일 이름에 쓸 수 없는 "
                "글자·길이여서 바꿈)")
        r.instructor_notes = [n for n in r.instructor_notes if not n.startswith("피드백 파일: ")]
        if r.feedback_file != f"{Path(r.file).stem}.txt":
            r.instructor_notes.append(note)
    return names


def _plain_name(name: str) -> bool:
    """A file name directly inside a folder (no path, not ``.``/``..``, not hidden)."""
    return bool(name) and not name.startswith(".") and not set(name) & {"/", "\\", "\0"}


def _manifest_files(manifest: Path) -> set[str]:
    """The feedback files an earlier run recorded in ``manifest`` (plain names only)."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    files = data.get("files") if isinstance(data, dict) else None
    return {f for f in files if isinstance(f, str) and _plain_name(f)} if isinstance(files, list) else set()


def _remove_stale(folder: Path, name: str, written: Sequence[str]) -> None:
    """Delete ``folder/name`` (an earlier run's feedback file) unless it is not a regular file or
    is the same file as one just written (``Kim.txt`` is ``kim.txt`` on a case-insensitive disk)."""
    path = folder / name
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return
        for other in written:
            if _name_key(other) == _name_key(name) and os.path.samefile(path, folder / other):
                return
        path.unlink()
    except OSError:
        pass


def write_feedback(folder: str | Path, results: Sequence[SubmissionResult], reserved: Iterable[str] = ()) -> list[str]:
    """One feedback file per result in ``folder``; the ``.txt`` files left there that this run
    did not write and course-grade never wrote (returned, never deleted).

    Each file is written atomically (:func:`write_atomic`). The folder's manifest
    (:data:`FEEDBACK_MANIFEST`) lists the files of the last run: a file it lists that this run
    did not write (a student no longer in the submissions folder) is deleted, so the folder
    never mixes two runs' students; files course-grade did not write are kept.
    """
    folder = Path(folder)
    if any(not r.feedback_file for r in results):
        assign_feedback_files(results, reserved)
    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / FEEDBACK_MANIFEST
    previous = _manifest_files(manifest)
    written = []
    for r in results:
        if not _plain_name(r.feedback_file):  # assign_feedback_files never makes one
            raise ValueError(f"피드백 파일 이름이 폴더 밖을 가리킵니다: {r.feedback_file!r}")
        write_atomic(folder / r.feedback_file, feedback_text(r).encode("utf-8"))
        written.append(r.feedback_file)
    for name in sorted(previous - set(written)):
        _remove_stale(folder, name, written)
    record = {"tool": "course-grade", "files": written}
    write_atomic(manifest, (json.dumps(record, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    ours = {_name_key(name) for name in [*written, *reserved]}
    return sorted(p.name for p in folder.iterdir() if p.suffix.lower() == ".txt" and _name_key(p.name) not in ours)


def summary_table(report: GradeReport) -> str:
    """A short Korean summary of a run."""
    shown = {r.file: visible(r.file) for r in report.results}
    width = max([len(name) for name in shown.values()] + [4])
    lines = ["── 채점 요약 ──", f"{'파일':<{width}}  {'레슨':<20} {'상태':<8} 점수"]
    for r in report.results:
        score = f"{_num(r.total)}/{_num(r.max_total)}" if r.lesson else "-"
        lines.append(f"{shown[r.file]:<{width}}  {r.lesson or '-':<20} {STATUS_KO.get(r.status, r.status):<8} {score}")
    counts: dict[str, int] = {}
    for r in report.results:
        counts[r.status] = counts.get(r.status, 0) + 1
    lines.append("상태별: " + ", ".join(f"{STATUS_KO.get(k, k)} {v}" for k, v in counts.items()))
    iso = report.isolation
    yes = {True: "예", False: "아니오"}
    lines.append(f"격리: 네트워크 {yes[iso.network_isolated]}, 파일 시스템 {yes[iso.fs_isolated]}, "
                 f"전용 사용자 {yes[iso.user_isolated]} ({iso.description}); 걸린 시간 {report.seconds:.1f}초")
    return "\n".join(lines)


def grade_submissions(
    submissions_dir: str | Path,
    *,
    build_dir: str | Path = "build",
    out: str | Path | None = "gradebook.csv",
    detail: str | Path | None = "gradebook_detail.csv",
    feedback_dir: str | Path | None = None,
    timeout: float = 600,
    jobs: int | None = None,
    profile: str = "quick",
    isolate: bool = True,
    verbose: bool = True,
    memory_limit: int | str | None = DEFAULT_LIMITS.memory,
    output_limit: int | str | None = DEFAULT_LIMITS.output,
) -> GradeReport:
    """Grade every file in ``submissions_dir`` (sorted, non-recursive) and write the CSVs.

    Args:
        submissions_dir: folder of submitted notebooks (read only; never modified).
        build_dir: folder with ``autograder/NN_slug.zip`` from ``course-build``.
        out, detail: gradebook and per-question detail CSV paths (``None``: not written).
        feedback_dir: folder for one ``<student>.txt`` per submission (public messages only).
        timeout: seconds allowed per submission.
        jobs: submissions graded at once (default ``os.cpu_count()``).
        profile: ``COURSE_PROFILE`` the notebooks run with.
        isolate: jail each submission as well as this machine allows (``False``: never try).
        memory_limit: bytes of address space per process of a submission (``"8G"``; ``None``: none).
        output_limit: bytes a submission may print, and the largest file it may write (``"64M"``).
    """
    start = time.perf_counter()
    folder = Path(submissions_dir)
    if not folder.is_dir():
        raise GradeError(f"제출 폴더 {str(folder)!r} 가 없습니다. 학생 노트북을 모은 폴더를 지정하세요.")
    if profile not in ("quick", "full"):
        raise GradeError(f"profile 은 'quick' 또는 'full' 이어야 합니다 (받은 값: {profile!r}).")
    try:
        timeout = checks.positive_number("timeout", timeout, hint="노트북 하나의 제한 시간(초)입니다.")
    except (TypeError, ValueError) as exc:
        raise GradeError(str(exc)) from None
    try:
        memory = sandbox.parse_size(memory_limit)
        output = sandbox.parse_size(output_limit)
    except ValueError as exc:
        raise GradeError(f"메모리/출력 한도: {exc}") from None
    limits = sandbox.Limits(memory=memory, output=output, disk=max(DEFAULT_LIMITS.disk, 4 * (output or 0)))
    gradebook_path = Path(out) if out else None
    detail_path = Path(detail) if detail else None
    feedback_path = Path(feedback_dir) if feedback_dir else None
    _check_outputs(folder, gradebook_path, detail_path, feedback_path)
    lessons = load_lessons(build_dir)
    if not lessons:
        raise GradeError(
            f"{Path(build_dir) / 'autograder'} 에 채점기(.zip)가 없습니다. 먼저 `course-build` 를 실행하세요."
        )
    isolation = sandbox.detect_isolation() if isolate else sandbox.NO_ISOLATION
    if verbose and isolation.warning:
        print(isolation.warning, file=sys.stderr)
    missing = tamper_probe.missing_targets()
    if verbose and missing:
        print(f"경고: 무결성 점검이 지키는 otter/numpy/torch 함수 {len(missing)}개를 찾을 수 없습니다: "
              f"{', '.join(missing[:5])}", file=sys.stderr)
    # regular files and links to them; a dangling link too (its row says it cannot be read);
    # never a folder, a device or a pipe (reading one could block)
    files = sorted(p for p in folder.iterdir()
                   if not p.name.startswith(".") and (p.is_file() or (p.is_symlink() and not p.exists())))
    workers = max(1, jobs or os.cpu_count() or 1)
    threads = threads_per_job(workers, len(files), limit=inherited_thread_limit())
    uids: queue.Queue[int] = queue.Queue()
    for slot in range(workers):
        uids.put(sandbox.JAIL_UID_BASE + slot)

    def one(path: Path) -> SubmissionResult:
        uid = uids.get()
        try:
            result = grade_one(path, lessons, timeout=timeout, profile=profile, isolation=isolation, threads=threads,
                               limits=limits, feedback=feedback_dir is not None, uid=uid, unpacked=unpacked)
        except Exception as exc:  # a bug here must not stop the other submissions
            result = SubmissionResult(file=path.name, student=student_name(path), status="crash",
                                      network_isolated=isolation.network_isolated, fs_isolated=isolation.fs_isolated,
                                      user_isolated=isolation.user_isolated,
                                      notes=[f"채점 도구 오류: {type(exc).__name__}: {exc}"])
        finally:
            uids.put(uid)
        if path.is_symlink():  # the instructor should know what was graded under this name
            with contextlib.suppress(OSError):
                result.instructor_notes.append(f"심볼릭 링크입니다: {os.readlink(path)} 를 가리킵니다"
                                               + ("" if path.exists() else " (가리키는 파일이 없음)"))
        return result

    with tempfile.TemporaryDirectory(prefix="course-grade-run-") as run_tmp:
        os.chmod(run_tmp, 0o755)
        unpacked = {name: unpack_autograder(info, Path(run_tmp) / name) for name, info in lessons.items()}
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(one, files))

    questions = [q for name in sorted({r.lesson for r in results if r.lesson}) for q in lessons[name].names]
    reserved = _reserved_names(feedback_path, gradebook_path, detail_path)
    if feedback_path:  # before the gradebook, whose notes name the renamed feedback files
        assign_feedback_files(results, reserved)
    if gradebook_path:
        write_gradebook(gradebook_path, results, questions)
    if detail_path:
        write_detail(detail_path, results)
    others = write_feedback(feedback_path, results, reserved) if feedback_path else []
    report = GradeReport(results, questions, gradebook_path, detail_path, feedback_path, isolation,
                         time.perf_counter() - start, feedback_others=others)
    if verbose:
        print(summary_table(report))
        written = [str(p) for p in (gradebook_path, detail_path, feedback_path) if p]
        if written:
            print("저장: " + ", ".join(written))
        if others:
            print(f"주의: 피드백 폴더에 이번 채점이 쓰지 않은 .txt 파일 {len(others)}개가 있습니다 (이전 버전의 "
                  f"course-grade나 다른 도구가 쓴 것): {', '.join(visible(o) for o in others[:10])} — 학생에게 "
                  "돌려주기 전에 확인하세요")
    return report


def _resolved_key(path: Path) -> str:
    return _name_key(str(path.resolve()))


def _check_outputs(folder: Path, out: Path | None, detail: Path | None, feedback: Path | None) -> None:
    """Refuse, before anything is graded, outputs that would change the submissions folder or
    each other: an output inside the submissions folder (a rerun would also grade it), the
    gradebook and detail as one file (also on a case-insensitive disk), a folder where a CSV goes,
    a file where the feedback folder goes."""
    root = folder.resolve()
    for label, path in (("--out", out), ("--detail", detail), ("--feedback-dir", feedback)):
        if path is None:
            continue
        resolved = path.resolve()
        if resolved == root or root in resolved.parents:
            raise GradeError(f"{label} {str(path)!r} 가 제출 폴더 {str(folder)!r} 안에 있습니다. 제출 폴더는 읽기만 "
                             "하므로 결과는 제출 폴더 밖에 쓰세요.")
    for label, path in (("--out", out), ("--detail", detail)):
        if path is not None and path.is_dir():
            raise GradeError(f"{label} {str(path)!r} 는 폴더입니다. CSV 파일 경로를 지정하세요.")
    if out is not None and detail is not None and _resolved_key(out) == _resolved_key(detail):
        raise GradeError(f"--out 과 --detail 이 같은 파일({str(out)!r}, {str(detail)!r})입니다. 서로 다른 파일을 지정하세요.")
    if feedback is not None and feedback.exists() and not feedback.is_dir():
        raise GradeError(f"--feedback-dir {str(feedback)!r} 는 폴더가 아닙니다. 피드백 파일을 모을 폴더를 지정하세요.")


def _reserved_names(feedback: Path | None, *outputs: Path | None) -> list[str]:
    """Names in the feedback folder that a feedback file must not take (a CSV written there)."""
    if feedback is None:
        return []
    folder = _resolved_key(feedback)
    return [path.name for path in outputs if path is not None and _resolved_key(path.parent) == folder]


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="course-grade",
        description="제출된 노트북 폴더를 채점해 성적표(CSV)를 만듭니다. 제출 폴더는 바꾸지 않습니다.",
    )
    parser.add_argument("submissions_dir", help="학생 노트북(.ipynb)을 모은 폴더")
    parser.add_argument("--out", default="gradebook.csv", help="성적표 CSV (기본: gradebook.csv)")
    parser.add_argument("--detail", default="gradebook_detail.csv", help="문항별 세부 CSV, 강사용 (기본: gradebook_detail.csv)")
    parser.add_argument("--feedback-dir", default=None, help="학생별 피드백 텍스트 폴더 (공개 테스트 메시지만)")
    parser.add_argument("--build-dir", default="build", help="course-build 가 만든 폴더 (기본: build)")
    parser.add_argument("--timeout", type=float, default=600, help="제출물 하나의 제한 시간(초) (기본: 600)")
    parser.add_argument("--jobs", type=int, default=None, help="동시에 채점할 제출물 수 (기본: CPU 수)")
    parser.add_argument("--profile", choices=["quick", "full"], default="quick", help="노트북 실행 프로파일 (기본: quick)")
    parser.add_argument("--memory-limit", default="8G",
                        help="제출물의 프로세스 하나가 쓸 수 있는 메모리(주소 공간), 예: 8G, 512M, 0=제한 없음 (기본: 8G)")
    parser.add_argument("--output-limit", default="64M",
                        help="제출물이 출력할 수 있는 양과 파일 하나의 최대 크기, 예: 64M (기본: 64M)")
    args = parser.parse_args(None if argv is None else list(argv))
    try:
        grade_submissions(
            args.submissions_dir, build_dir=args.build_dir, out=args.out, detail=args.detail,
            feedback_dir=args.feedback_dir, timeout=args.timeout, jobs=args.jobs, profile=args.profile,
            memory_limit=args.memory_limit, output_limit=args.output_limit,
        )
    except GradeError as exc:
        print(f"채점할 수 없습니다: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
