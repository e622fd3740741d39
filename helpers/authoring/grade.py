"""``course-grade``: a folder of submitted notebooks → gradebook CSVs (+ optional feedback files).

::

    course-grade SUBMISSIONS_DIR [--out gradebook.csv] [--detail gradebook_detail.csv]
                 [--feedback-dir DIR] [--build-dir build] [--timeout 600] [--jobs N]
                 [--profile quick|full]

Every file directly inside ``SUBMISSIONS_DIR`` (sorted, not recursive) gets exactly one row:

- the lesson comes from the notebook's ``metadata.otter.assignment_name``, else from the file
  name; a renamed file is still graded (the row's note says so);
- ``not_a_notebook`` (not ``.ipynb``), ``invalid_notebook`` (not JSON / not a notebook) and
  ``unknown_lesson`` (no autograder in ``build/autograder/``) rows have zero scores;
- otherwise a private copy (the submissions folder is never written) is instrumented with the
  integrity probe (:mod:`helpers.authoring.tamper`) and graded by ``otter run`` (through
  ``otter_worker.py``) in its own process, own session, with a wall-clock limit and, where the
  OS allows, in a fresh network namespace (:mod:`helpers.authoring.sandbox`);
- ``timeout`` (killed at the limit) and ``crash`` (kernel died, ``os._exit``, otter failed, no
  results) rows have zero scores and a reason in ``note``; the other submissions are graded
  regardless;
- ``review``: graded, but the static scan or the probe found signs of tampering; the computed
  score is kept and ``flags`` lists the Korean reasons. ``ok``: graded, nothing found.

Outputs (UTF-8 with BOM so spreadsheet programs show Korean):

- gradebook: ``file, student, lesson, status, <one column per question>, total, max_total,
  percent, flags, network_isolated, seconds, note``;
- detail (instructors only, may quote hidden tests): ``file, student, lesson, question, score,
  max, passed_public, passed_hidden, failures``;
- ``--feedback-dir``: one ``<student>.txt`` per submission with scores and PUBLIC test messages
  only (never hidden test text).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import nbformat

from helpers.authoring import runtime, sandbox, tamper

WORKER = Path(__file__).with_name("otter_worker.py")
STATUS_KO = {
    "ok": "정상",
    "review": "검토 필요",
    "timeout": "시간 초과",
    "crash": "실행 실패",
    "invalid_notebook": "잘못된 노트북",
    "not_a_notebook": "노트북 아님",
    "unknown_lesson": "모르는 레슨",
}
FIXED_HEAD = ["file", "student", "lesson", "status"]
FIXED_TAIL = ["total", "max_total", "percent", "flags", "network_isolated", "seconds", "note"]
DETAIL_COLUMNS = ["file", "student", "lesson", "question", "score", "max", "passed_public", "passed_hidden", "failures"]
CSV_ENCODING = "utf-8-sig"


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
class SubmissionResult:
    """The outcome for one submitted file (one gradebook row)."""

    file: str
    student: str
    lesson: str = ""
    status: str = "ok"
    scores: dict[str, float] = field(default_factory=dict)
    max_scores: dict[str, float] = field(default_factory=dict)
    cases: dict[str, list[dict]] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    network_isolated: bool = False
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

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


# --------------------------------------------------------------------------------------------
# One submission
# --------------------------------------------------------------------------------------------
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
        notes.append(f"메타데이터의 레슨 이름 {named!r} 에 맞는 채점기가 없습니다")
    else:
        notes.append("노트북 메타데이터에 레슨 이름(otter.assignment_name)이 없습니다")
    if stem in lessons:
        return stem, notes + ["파일 이름으로 레슨을 정했습니다"]
    matches = [name for name in lessons if name in stem]
    if len(matches) == 1:
        return matches[0], notes + [f"파일 이름으로 레슨({matches[0]})을 정했습니다"]
    return None, notes


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


def threads_per_job(jobs: int, submissions: int, cpus: int | None = None) -> int:
    """CPU threads each grading kernel may use so that the parallel jobs share the cores.

    Without a limit every kernel's PyTorch/OpenMP starts one thread per core: N parallel jobs on
    C cores then run N x C threads that wait for each other (measured: tiny training steps 2-3x
    slower). At least one thread each.
    """
    cpus = cpus or os.cpu_count() or 1
    running = max(1, min(jobs, submissions))
    return max(1, cpus // running)


def grade_one(
    path: str | Path, lessons: dict[str, LessonInfo], *, timeout: float = 600, profile: str = "quick",
    isolation: sandbox.Isolation | None = None, threads: int | None = None,
) -> SubmissionResult:
    """Grade one file; never raises for anything the submission does.

    ``threads``: if given, the grading kernel's OpenMP/MKL thread count (``OMP_NUM_THREADS``).
    """
    path = Path(path)
    isolation = isolation or sandbox.NO_ISOLATION
    result = SubmissionResult(file=path.name, student=path.stem, network_isolated=isolation.network_isolated)
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
        result.notes = [f"노트북(JSON)으로 읽을 수 없습니다: {type(exc).__name__}: {str(exc)[:200]}"]
        return result

    lesson, notes = _identify(path, raw, lessons)
    result.notes += notes
    if lesson is None:
        result.status = "unknown_lesson"
        result.notes.append(f"채점기가 있는 레슨: {', '.join(sorted(lessons)) or '없음'}")
        return result
    info = lessons[lesson]
    result.lesson = lesson
    result.max_scores = {q["name"]: float(q["points"]) for q in info.questions}
    result.scores = {name: 0.0 for name in info.names}
    result.flags = [str(f) for f in tamper.scan_notebook(nb)]

    with tempfile.TemporaryDirectory(prefix="course-grade-") as tmp:
        tmp_path = Path(tmp)
        (tmp_path / "submission").mkdir()
        record = tmp_path / "probe.jsonl"
        copy = tamper.instrument(nb, record)
        copy.metadata.setdefault("otter", {})["assignment_name"] = lesson
        submission = tmp_path / "submission" / f"{lesson}.ipynb"
        try:
            submission.write_text(nbformat.writes(copy), encoding="utf-8")
        except Exception as exc:
            result.status = "invalid_notebook"
            result.notes.append(f"노트북을 다시 쓸 수 없습니다: {exc}")
            return result
        out_dir = tmp_path / "out"
        command = [sys.executable, str(WORKER), "--autograder", str(info.zip_path),
                   "--submission", str(submission), "--out-dir", str(out_dir)]
        env = runtime.subprocess_env(profile, tmp_path)
        if threads:
            env.update(OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
        outcome = sandbox.run_limited(command, timeout=timeout, cwd=tmp, env=env, isolation=isolation)
        result.seconds = round(outcome.seconds, 1)
        results_file = out_dir / "course_results.json"
        if outcome.timed_out:
            result.status = "timeout"
            result.notes.append(f"제한 시간 {timeout:g}초를 넘겨 중단했습니다 (무한 루프나 너무 긴 학습이 있는지 보세요)")
            return result
        payload = None
        if outcome.returncode == 0 and results_file.is_file():
            try:
                payload = json.loads(results_file.read_text(encoding="utf-8"))
            except ValueError:
                payload = None
        if payload is None or payload.get("catastrophic_error"):
            result.status = "crash"
            reason = payload.get("catastrophic_error") if payload else None
            result.notes.append(
                f"otter 가 결과를 만들지 못했습니다: {reason[:300]}" if reason else _crash_reason(outcome.output, outcome.returncode)
            )
            return result
        for name, data in payload.get("questions", {}).items():
            result.scores[name] = float(data.get("score", 0.0))
            result.max_scores.setdefault(name, float(data.get("possible", 0.0)))
            result.cases[name] = list(data.get("cases", []))
        probe_reasons, finished = tamper.read_probe(record)
        result.flags += probe_reasons
        if not finished:
            result.flags.append("무결성 점검: 마지막 점검이 실행되지 않았습니다 (점검 코드가 방해받았을 수 있음)")
    result.status = "review" if result.flags else "ok"
    return result


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
    row = {
        "file": result.file, "student": result.student, "lesson": result.lesson, "status": result.status,
        "total": _num(result.total), "max_total": _num(result.max_total) if result.lesson else "",
        "percent": _num(result.percent) if result.lesson else "", "flags": "; ".join(result.flags),
        "network_isolated": str(result.network_isolated), "seconds": _num(result.seconds),
        "note": "; ".join(result.notes),
    }
    for q in questions:
        row[q] = _num(result.scores[q]) if q in result.scores else ""
    return row


def _case_text(case: dict) -> str:
    label = "숨김" if case.get("hidden") else "공개"
    parts = [p for p in (case.get("failure_message"), _short(case.get("message", ""))) if p]
    return f"[{label}] {case.get('name', '')}: " + " / ".join(parts)


def detail_rows(result: SubmissionResult) -> list[dict[str, str]]:
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


def feedback_text(result: SubmissionResult) -> str:
    """Student-facing feedback: scores and PUBLIC test messages only."""
    lines = [f"파일: {result.file}", f"레슨: {result.lesson or '(알 수 없음)'}",
             f"상태: {STATUS_KO.get(result.status, result.status)}"]
    if result.status == "review":
        lines.append("  강사가 제출물을 직접 확인한 뒤 점수를 확정합니다.")
    if result.status in ("timeout", "crash", "invalid_notebook", "not_a_notebook", "unknown_lesson"):
        lines.append("  이유: " + "; ".join(n for n in result.notes if "메타데이터" not in n or result.status == "unknown_lesson"))
    if result.lesson:
        lines.append(f"점수: {_num(result.total)} / {_num(result.max_total)} ({_num(result.percent)}%)")
        lines.append("")
        for q, maximum in result.max_scores.items():
            lines.append(f"[{q}] {_num(result.scores.get(q, 0.0))} / {_num(maximum)}")
            public = [c for c in result.cases.get(q, []) if not c.get("hidden")]
            failed = [c for c in public if not c.get("passed")]
            if not result.cases.get(q):
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
    return "\n".join(lines) + "\n"


def _write_csv(path: Path, columns: list[str], rows: Iterable[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding=CSV_ENCODING) as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)


def summary_table(report: GradeReport) -> str:
    """A short Korean summary of a run."""
    width = max([len(r.file) for r in report.results] + [4])
    lines = ["── 채점 요약 ──", f"{'파일':<{width}}  {'레슨':<20} {'상태':<8} 점수"]
    for r in report.results:
        score = f"{_num(r.total)}/{_num(r.max_total)}" if r.lesson else "-"
        lines.append(f"{r.file:<{width}}  {r.lesson or '-':<20} {STATUS_KO.get(r.status, r.status):<8} {score}")
    counts: dict[str, int] = {}
    for r in report.results:
        counts[r.status] = counts.get(r.status, 0) + 1
    lines.append("상태별: " + ", ".join(f"{STATUS_KO.get(k, k)} {v}" for k, v in counts.items()))
    lines.append(f"네트워크 격리: {'예' if report.isolation.network_isolated else '아니오'} ({report.isolation.description}); "
                 f"걸린 시간 {report.seconds:.1f}초")
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
        isolate: try to cut submissions off the network (``False``: never try).
    """
    start = time.perf_counter()
    folder = Path(submissions_dir)
    if not folder.is_dir():
        raise GradeError(f"제출 폴더 {str(folder)!r} 가 없습니다. 학생 노트북을 모은 폴더를 지정하세요.")
    if profile not in ("quick", "full"):
        raise GradeError(f"profile 은 'quick' 또는 'full' 이어야 합니다 (받은 값: {profile!r}).")
    if not (isinstance(timeout, (int, float)) and timeout > 0):
        raise GradeError(f"timeout 은 양수(초)여야 합니다 (받은 값: {timeout!r}).")
    lessons = load_lessons(build_dir)
    if not lessons:
        raise GradeError(
            f"{Path(build_dir) / 'autograder'} 에 채점기(.zip)가 없습니다. 먼저 `course-build` 를 실행하세요."
        )
    isolation = sandbox.detect_isolation() if isolate else sandbox.NO_ISOLATION
    if verbose and not isolation.network_isolated:
        print("경고: 네트워크를 격리할 수 없어(unshare 불가) 제출물을 네트워크 차단 없이 실행합니다.", file=sys.stderr)
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    workers = max(1, jobs or os.cpu_count() or 1)
    threads = threads_per_job(workers, len(files))

    def one(path: Path) -> SubmissionResult:
        try:
            return grade_one(path, lessons, timeout=timeout, profile=profile, isolation=isolation, threads=threads)
        except Exception as exc:  # a bug here must not stop the other submissions
            return SubmissionResult(file=path.name, student=path.stem, status="crash",
                                    network_isolated=isolation.network_isolated,
                                    notes=[f"채점 도구 오류: {type(exc).__name__}: {exc}"])

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(one, files))

    questions = [q for name in sorted({r.lesson for r in results if r.lesson}) for q in lessons[name].names]
    gradebook_path = Path(out) if out else None
    detail_path = Path(detail) if detail else None
    if gradebook_path:
        _write_csv(gradebook_path, gradebook_columns(questions), (gradebook_row(r, questions) for r in results))
    if detail_path:
        _write_csv(detail_path, DETAIL_COLUMNS, (row for r in results for row in detail_rows(r)))
    feedback_path = Path(feedback_dir) if feedback_dir else None
    if feedback_path:
        feedback_path.mkdir(parents=True, exist_ok=True)
        for r in results:
            (feedback_path / f"{r.student}.txt").write_text(feedback_text(r), encoding="utf-8")
    report = GradeReport(results, questions, gradebook_path, detail_path, feedback_path, isolation,
                         time.perf_counter() - start)
    if verbose:
        print(summary_table(report))
        written = [str(p) for p in (gradebook_path, detail_path, feedback_path) if p]
        if written:
            print("저장: " + ", ".join(written))
    return report


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
    args = parser.parse_args(None if argv is None else list(argv))
    try:
        grade_submissions(
            args.submissions_dir, build_dir=args.build_dir, out=args.out, detail=args.detail,
            feedback_dir=args.feedback_dir, timeout=args.timeout, jobs=args.jobs, profile=args.profile,
        )
    except GradeError as exc:
        print(f"채점할 수 없습니다: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
