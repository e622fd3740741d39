"""Grade ONE submission with otter-grader inside the jail; print the results as one JSON line.

``course-grade`` starts this file (own session, time limit, resource limits and, where the OS
allows, a bubblewrap jail: see :mod:`helpers.authoring.sandbox`)::

    python otter_worker.py --submission S.ipynb --tests DIR [--public-tests DIR] [--files DIR]
                           [--config otter_config.json] [--ipython-dir DIR] [--probe-record F]
                           [--file-limit BYTES] [--release-fds W,R --test-names a.py,b.py]

It does what ``otter run`` does (``otter.execute.grade_notebook``: otter's own grading
preprocessor, kernel, checker and results) with three differences:

- the tests that decide the score are loaded from ``--tests``, an absolute path the grader
  mounted read-only (the jail cannot write it, whatever uid it has); the submission's working
  folder gets a writable copy of the PUBLIC tests only, as a student's folder has, and whether
  the submission changed that copy is reported (``tests_modified``);
- with ``--release-fds``, ``--tests`` holds only the public tests while the student's cells run.
  Just before the grader's release cell (tagged ``course_grade_release``, after the last cell of
  the submission) this worker — not the kernel — writes ``release`` on the first pipe and waits
  for the grader's answer on the second; the grader then puts the complete test files (hidden
  cases included) into the mounted folder, and the release cell makes otter re-run every test.
  The pipes are not inherited by the kernel and this process is made non-dumpable (no
  ``/proc/<pid>/fd``, no ``ptrace`` for the kernel's uid), so student code cannot ask for the
  hidden tests early; processes the submission left running are reported (``live_processes``);
- the working folder is a fresh temporary folder (in the jail: its private ``/tmp``), removed at
  the end whatever happens;
- the results go to stdout as one line ``@@course-grade-results@@ {json}`` (the jail has no
  writable host folder): every test case's outcome (public or hidden, points, message), whether a
  cell raised ``MemoryError``, the size of the notebook's outputs, files that reached the size
  limit, and the integrity probe's records.

It is run by path, not as ``helpers.authoring.otter_worker``, so that it does not import the
``helpers`` package (and torch) before the notebook itself does. Standard library + otter only.
"""
from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import sys
import tempfile
import traceback
from typing import Any

MARKER = "@@course-grade-results@@"
RELEASE_TAG = "course_grade_release"
MESSAGE_CHARS = 4000  # a test case's message is cut to this many characters


def _case(tcr: Any) -> dict[str, Any]:
    tc = tcr.test_case
    return {
        "name": tc.name,
        "hidden": bool(tc.hidden),
        "points": float(tc.points or 0),
        "passed": bool(tcr.passed),
        "message": (tcr.message or "")[:MESSAGE_CHARS],
        "failure_message": tc.failure_message or "",
        "success_message": tc.success_message or "",
    }


def results_to_dict(results: Any) -> dict[str, Any]:
    """otter ``GradingResults`` → plain JSON-able dict."""
    error = results.catastrophic_error
    questions = {}
    if error is None:
        for name, tf in results.results.items():
            questions[name] = {
                "score": float(tf.score),
                "possible": float(tf.possible),
                "cases": [_case(tcr) for tcr in tf.test_case_results],
            }
    return {
        "catastrophic_error": None if error is None else "".join(traceback.format_exception_only(type(error), error)).strip(),
        "questions": questions,
    }


def notebook_facts(nb: Any) -> dict[str, Any]:
    """Whether a cell raised MemoryError, and the bytes of all outputs (as JSON)."""
    memory_error, size = False, 0
    for cell in (nb or {}).get("cells", []):
        for output in cell.get("outputs", []) or []:
            if output.get("ename") == "MemoryError" or "MemoryError" in str(output.get("ename", "")):
                memory_error = True
            size += len(json.dumps(output, ensure_ascii=False))
    return {"memory_error": memory_error, "output_bytes": size}


def big_files(folder: str, limit: int | None) -> list[str]:
    """Files under ``folder`` whose size reached ``limit`` (``RLIMIT_FSIZE`` stopped them there)."""
    if not limit:
        return []
    found = []
    for root, _, files in os.walk(folder):
        for name in files:
            try:
                if os.path.getsize(os.path.join(root, name)) >= limit:
                    found.append(os.path.relpath(os.path.join(root, name), folder))
            except OSError:
                pass
    return found


def modified_tests(original: str | None, copy: str) -> list[str]:
    """Names of the public test files the submission changed, deleted or added in its copy."""
    if not original:
        return []
    changed = []
    before = set(os.listdir(original))
    after = set(os.listdir(copy)) if os.path.isdir(copy) else set()
    for name in sorted(before | after):
        a, b = os.path.join(original, name), os.path.join(copy, name)
        if name not in after or name not in before:
            changed.append(name)
        elif os.path.isfile(a) and not (os.path.isfile(b) and filecmp.cmp(a, b, shallow=False)):
            changed.append(name)
    return changed


def not_dumpable() -> None:
    """``prctl(PR_SET_DUMPABLE, 0)``: processes of the same uid cannot ptrace this one or open its fds."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)
    except Exception:
        pass


def other_processes() -> list[str]:
    """Processes besides this worker, its ancestors and the kernel (the submission's leftovers)."""
    try:
        import psutil
    except ImportError:
        return []
    me = psutil.Process()
    keep = {me.pid, *(p.pid for p in me.parents())}
    kernels = me.children()
    keep |= {k.pid for k in kernels}
    try:
        in_jail = psutil.Process(1).name() == "bwrap"
    except Exception:
        in_jail = False
    if in_jail:
        candidates = [psutil.Process(pid) for pid in psutil.pids() if pid not in keep]
    else:
        candidates = [p for k in kernels for p in k.children(recursive=True)]
    found = []
    for proc in candidates:
        try:
            found.append(f"{proc.pid}:{proc.name()}")
        except Exception:
            pass
    return found


def install_release(request_fd: int, answer_fd: int, state: dict) -> None:
    """Ask the grader for the hidden tests just before the release cell runs (see the docstring)."""
    from nbconvert.preprocessors import ExecutePreprocessor

    os.set_inheritable(request_fd, False)
    os.set_inheritable(answer_fd, False)
    original = ExecutePreprocessor.preprocess_cell

    def preprocess_cell(self: Any, cell: Any, resources: Any, index: int) -> Any:
        tags = (cell.get("metadata") or {}).get("tags") or []
        if RELEASE_TAG in tags and not state.get("released"):
            state["released"] = True
            state["live_processes"] = other_processes()
            os.write(request_fd, b"release\n")
            answer = b""
            while not answer.endswith(b"\n"):
                chunk = os.read(answer_fd, 64)
                if not chunk:
                    break
                answer += chunk
            state["release_answer"] = answer.decode("ascii", "replace").strip()
        return original(self, cell, resources, index)

    ExecutePreprocessor.preprocess_cell = preprocess_cell  # type: ignore[method-assign]


def read_probe(path: str | None, limit: int = 1 << 20) -> str:
    if not path or not os.path.isfile(path):
        return ""
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read(limit)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Grade one submission with otter (course-grade worker).")
    parser.add_argument("--submission", required=True)
    parser.add_argument("--tests", required=True, help="folder of the tests that decide the score (read-only)")
    parser.add_argument("--public-tests", default=None, help="folder of the public tests (copied next to the notebook)")
    parser.add_argument("--files", default=None, help="support files of the autograder")
    parser.add_argument("--config", default=None, help="the autograder's otter_config.json")
    parser.add_argument("--ipython-dir", default=None, help="IPYTHONDIR template (copied, start-up files)")
    parser.add_argument("--probe-record", default=None)
    parser.add_argument("--file-limit", type=int, default=0)
    parser.add_argument("--release-fds", default=None, help="W,R: pipe to ask for the hidden tests, pipe of the answer")
    parser.add_argument("--test-names", default=None, help="comma-separated test file names (all of them)")
    args = parser.parse_args(argv)
    not_dumpable()
    release: dict = {}
    if args.release_fds:
        request_fd, answer_fd = (int(v) for v in args.release_fds.split(","))
        install_release(request_fd, answer_fd, release)

    # jsonschema (via nbformat) builds an IRI grammar at import when rfc3987-syntax is installed:
    # ~3 s of CPU per process for a format check nbformat never uses
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

    workdir = tempfile.mkdtemp(prefix="course-grade-run-")
    payload: dict = {"catastrophic_error": None, "questions": {}}
    submission_dir = os.path.join(workdir, "submission")
    try:
        os.makedirs(submission_dir)
        config = {}
        if args.config and os.path.isfile(args.config):
            with open(args.config, encoding="utf-8") as f:
                config = json.load(f)
        if args.files and os.path.isdir(args.files):
            shutil.copytree(args.files, submission_dir, dirs_exist_ok=True)
        if args.public_tests and os.path.isdir(args.public_tests):
            # writable like a student's own folder (the mounted originals are read-only)
            shutil.copytree(args.public_tests, os.path.join(submission_dir, "tests"), copy_function=shutil.copyfile)
        if args.ipython_dir and os.path.isdir(args.ipython_dir):
            ipython_dir = os.path.join(workdir, "ipython")
            shutil.copytree(args.ipython_dir, ipython_dir)
            os.environ["IPYTHONDIR"] = ipython_dir
        name = os.path.basename(args.submission)
        shutil.copy(args.submission, os.path.join(submission_dir, name))
        tests_dir = os.path.abspath(args.tests)
        names = args.test_names.split(",") if args.test_names else os.listdir(tests_dir)
        tests = sorted(os.path.join(tests_dir, n) for n in names if n.endswith(".py"))

        from otter.execute import grade_notebook

        os.chdir(submission_dir)
        try:
            results = grade_notebook(
                name, tests_glob=tests, cwd=submission_dir, test_dir=tests_dir, ignore_errors=True,
                seed=config.get("seed"), seed_variable=config.get("seed_variable"), force_python3_kernel=True,
            )
            payload = results_to_dict(results)
            payload.update(notebook_facts(getattr(results, "notebook", None)))
        except BaseException as exc:  # the kernel died, otter failed: still report what is known
            payload["catastrophic_error"] = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:2000]
            payload["memory_error"] = "MemoryError" in payload["catastrophic_error"]
        payload["tests_modified"] = modified_tests(args.public_tests, os.path.join(submission_dir, "tests"))
        payload["big_files"] = big_files(workdir, args.file_limit)
        payload["probe"] = read_probe(args.probe_record)
        if args.release_fds:
            payload["released"] = release.get("release_answer") == "ok"
            payload["live_processes"] = release.get("live_processes", [])
    finally:
        os.chdir("/")
        shutil.rmtree(workdir, ignore_errors=True)
    sys.stdout.flush()
    sys.stdout.write("\n" + MARKER + " " + json.dumps(payload, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
