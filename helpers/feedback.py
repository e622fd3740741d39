"""Short Korean output for ``grader.check``: the hint first, a few lines in all.

otter-grader's ``grader.check("q")`` returns a test-file object (``otter.test_files.TestFile``)
whose display is otter's full doctest report: "Trying:/Expecting" blocks and a traceback
through ``doctest.py`` around the one Korean hint, 30-80 lines per failing check. The set-up
cell of every notebook calls :func:`install`, which registers a compact display for that type
with IPython's display formatter (a type printer takes precedence over the object's own
``__repr__``/``_repr_html_``). Nothing of otter is patched or subclassed: ``grader`` stays a
plain ``otter.Notebook``, the check runs and is recorded exactly as before, so scoring does not
change; only what the notebook shows does.

What a student sees::

    ✅ l01_top_k: 공개 테스트 1개를 모두 통과했습니다 (채점할 때 숨은 테스트가 더 돌아갑니다).

    ❌ l01_top_k: 공개 테스트 1개 중 1개를 통과하지 못했습니다.
      • 확률이 큰 순서여야 합니다: [('고양이', 0.1), ('새', 0.2)]
      전체 출력: feedback.show_details("l01_top_k")

Per failing case the hint comes first: the case's ``failure_message`` if it has one, else the
message of the first failing ``assert`` (the course's tests carry their Korean hints there). A
crash in the student's code shows the exception's last line and where in the student's code it
happened; an undefined name says to run the answer cell. At most :data:`MAX_CASES_SHOWN` failing
cases, :data:`MAX_HINT_LINES` lines per hint, :data:`MAX_LINE_CHARS` characters per line:
never more than :data:`MAX_LINES` lines in all.

The full otter report stays one call away: :func:`show_details` (the most recent check, or a
question by name) prints it.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

MAX_CASES_SHOWN = 3
MAX_HINT_LINES = 2
MAX_LINE_CHARS = 200
#: header + per shown case (hint lines + one detail line) + "n more" line + footer
MAX_LINES = 1 + MAX_CASES_SHOWN * (MAX_HINT_LINES + 1) + 2
MAX_CHARS = MAX_LINES * (MAX_LINE_CHARS + 8)

DETAILS_CALL = "feedback.show_details"
_STAR_LINE = "*" * 70
_FRAME_RE = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<func>.+)$')
_NAME_ERROR_RE = re.compile(r"^name '([^']+)' is not defined")

_results: dict[str, Any] = {}
_last: list[Any] = []


@dataclass
class Failure:
    """The first failing example of one test case, parsed from otter's doctest report."""

    source: str = ""                # the failing test line (public test code)
    exception: str | None = None    # "ZeroDivisionError: division by zero" (all lines)
    student_frame: tuple[str, int, str] | None = None  # (function, line, code) in student code
    expected: str | None = None     # output mismatch: what the test expected …
    got: str | None = None          # … and what it got

    @property
    def exception_type(self) -> str:
        if not self.exception:
            return ""
        return self.exception.splitlines()[0].split(":", 1)[0].strip()

    @property
    def exception_message(self) -> str:
        if not self.exception:
            return ""
        first, _, rest = self.exception.partition(":")
        if "\n" in first:  # no message; the type alone is on the first line
            return ""
        return rest.strip()


# --------------------------------------------------------------------------------------------
# Parsing otter's doctest report
# --------------------------------------------------------------------------------------------
def _indented_block(lines: list[str], start: int, indent: int = 4) -> tuple[list[str], int]:
    """Lines from ``start`` indented by at least ``indent`` spaces (or empty), dedented."""
    block = []
    index = start
    while index < len(lines) and (lines[index].startswith(" " * indent) or not lines[index].strip()):
        block.append(lines[index][indent:])
        index += 1
    while block and not block[-1].strip():
        block.pop()
    return block, index


def _is_library_file(filename: str) -> bool:
    return (
        filename.startswith("<doctest")
        or filename.endswith("doctest.py")
        or "site-packages" in filename
        or "dist-packages" in filename
        or re.search(r"[/\\]lib[/\\]python\d", filename) is not None
    )


def _parse_traceback(block: list[str]) -> tuple[str | None, tuple[str, int, str] | None]:
    """(exception text, deepest frame in student code) of a dedented traceback."""
    starts = [i for i, line in enumerate(block) if line.startswith("Traceback (most recent call last)")]
    if not starts:
        text = "\n".join(block).strip()
        return (text or None), None
    lines = block[starts[-1] + 1:]  # the last traceback of a chain is the one that was raised
    frame = None
    exc_start = len(lines)
    for index, line in enumerate(lines):
        if not line.startswith(" "):
            exc_start = index
            break
        match = _FRAME_RE.match(line)
        if match and not _is_library_file(match["file"]):
            following = lines[index + 1] if index + 1 < len(lines) else ""
            code = following.strip() if following.startswith("    ") and not _FRAME_RE.match(following) else ""
            frame = (match["func"].strip(), int(match["line"]), code)
    text = "\n".join(lines[exc_start:]).strip()
    return (text or None), frame


def parse_failure(message: str | None) -> Failure | None:
    """The first failing example in otter's report of one test case (``None`` if none is found).

    The report is doctest's verbose output: ``Trying:/Expecting`` blocks, and for each failing
    example a block after a line of 70 ``*``: ``Failed example:`` with the test line, then
    ``Exception raised:`` with a traceback, or ``Expected:``/``Got:``.
    """
    if not message or _STAR_LINE not in message:
        return None
    block = message.split(_STAR_LINE, 2)[1].splitlines()
    failure = Failure()
    index = 0
    while index < len(block):
        line = block[index]
        if line.startswith("Failed example:"):
            source, index = _indented_block(block, index + 1)
            failure.source = "\n".join(source).strip()
            continue
        if line.startswith("Exception raised:"):
            tb, index = _indented_block(block, index + 1)
            failure.exception, failure.student_frame = _parse_traceback(tb)
            break
        section = _output_section(block, index)
        if section is not None:
            heading, text, index = section
            if heading == "Got":  # the last section of a failing example
                failure.got = text
                break
            failure.expected = text
            continue
        index += 1
    return failure


def _output_section(block: list[str], index: int) -> tuple[str, str, int] | None:
    """``(heading, text, next index)`` when ``block[index]`` opens doctest's "Expected"/"Got" output.

    ``Expected:`` and ``Got:`` are followed by an indented block; ``Expected nothing`` and
    ``Got nothing`` stand alone and give an empty text.
    """
    line = block[index]
    for heading in ("Expected", "Got"):
        if line.startswith(f"{heading}:"):
            lines, after = _indented_block(block, index + 1)
            return heading, "\n".join(lines).strip(), after
        if line.startswith(f"{heading} nothing"):
            return heading, "", index + 1
    return None


# --------------------------------------------------------------------------------------------
# The compact text
# --------------------------------------------------------------------------------------------
def _clip(line: str) -> str:
    line = line.rstrip()
    return line if len(line) <= MAX_LINE_CHARS else line[: MAX_LINE_CHARS - 1] + "…"


def _hint_lines(text: str) -> list[str]:
    """The hint's first :data:`MAX_HINT_LINES` non-empty lines, prefixed and clipped."""
    lines = [line.strip() for line in str(text).strip().splitlines() if line.strip()] or [""]
    shown = [("  • " if i == 0 else "    ") + line for i, line in enumerate(lines[:MAX_HINT_LINES])]
    if len(lines) > MAX_HINT_LINES:
        shown[-1] += " …"
    return [_clip(line) for line in shown]


def case_feedback(failure_message: str | None, failure: Failure | None) -> list[str]:
    """Lines for one failing case: the hint first, then at most one line of detail."""
    hint: str | None = failure_message.strip() if failure_message and failure_message.strip() else None
    detail: str | None = None
    if failure is None:
        detail = None
        hint = hint or "테스트를 통과하지 못했습니다."
    elif failure.exception is not None:
        kind, msg = failure.exception_type, failure.exception_message
        name_error = _NAME_ERROR_RE.match(msg) if kind == "NameError" else None
        if kind == "AssertionError":
            own = msg or f"조건을 만족하지 못했습니다: {failure.source.splitlines()[0] if failure.source else ''}"
            if hint is None:
                hint = own
            else:
                detail = own
        elif name_error and failure.student_frame is None:
            own = (f"{name_error.group(1)} 이(가) 정의되어 있지 않습니다. "
                   "답 셀과 그 위의 셀을 먼저 실행했는지 확인하세요.")
            hint, detail = (own, None) if hint is None else (hint, own)
        else:
            last = failure.exception.strip().splitlines()[-1] if "\n" in failure.exception else failure.exception
            first = failure.exception.strip().splitlines()[0]
            error = first if kind and first.startswith(kind) else last
            own = f"답 코드를 실행하다 오류가 났습니다: {error}"
            location: str | None
            if failure.student_frame is not None:
                func, line, code = failure.student_frame
                where = f"{func} 의 {line}번째 줄" if func != "<module>" else f"{line}번째 줄"
                location = f"위치: {where}" + (f": {code}" if code else "")
            else:
                location = f"테스트 줄: {failure.source.splitlines()[0]}" if failure.source else None
            if hint is None:
                hint, detail = own, location
            else:
                detail = own
    else:
        expected = (failure.expected or "(출력 없음)").replace("\n", " ")
        got = (failure.got or "(출력 없음)").replace("\n", " ")
        own = f"결과가 기대와 다릅니다: 기대 {expected}, 받은 값 {got}"
        hint, detail = (own, None) if hint is None else (hint, own)
    lines = _hint_lines(hint)
    if detail:
        lines.append(_clip(f"    ({detail})"))
    return lines


def compact(result: Any, *, details_hint: bool = True) -> str:
    """The short Korean text of a check result (an otter ``TestFile`` after ``run``)."""
    name = getattr(result, "name", "?")
    results = list(getattr(result, "test_case_results", []) or [])
    public = [r for r in results if not r.test_case.hidden]
    hidden = [r for r in results if r.test_case.hidden]
    failed_public = [r for r in public if not r.passed]
    failed_hidden = [r for r in hidden if not r.passed]
    if not results:
        return f"⚠️ {name}: 실행된 테스트가 없습니다."
    if not failed_public and not failed_hidden:
        if hidden:
            return f"✅ {name}: 테스트 {len(results)}개를 모두 통과했습니다."
        return f"✅ {name}: 공개 테스트 {len(public)}개를 모두 통과했습니다 (채점할 때 숨은 테스트가 더 돌아갑니다)."
    parts = []
    if failed_public:
        parts.append(f"공개 테스트 {len(public)}개 중 {len(failed_public)}개")
    if failed_hidden:
        parts.append(f"숨은 테스트 {len(hidden)}개 중 {len(failed_hidden)}개")
    lines = [f"❌ {name}: {', '.join(parts)}를 통과하지 못했습니다."]
    for tcr in failed_public[:MAX_CASES_SHOWN]:
        lines += case_feedback(tcr.test_case.failure_message, parse_failure(tcr.message))
    if len(failed_public) > MAX_CASES_SHOWN:
        lines.append(f"  … 실패한 공개 테스트가 {len(failed_public) - MAX_CASES_SHOWN}개 더 있습니다.")
    if details_hint and failed_public:
        lines.append(f'  전체 출력: {DETAILS_CALL}("{name}")')
    return "\n".join(lines)


def _safe_compact(result: Any) -> str:
    _remember(result)
    try:
        return compact(result)
    except Exception:  # never hide a result because the short form failed: show otter's own
        return result.summary()


def _remember(result: Any) -> None:
    name = getattr(result, "name", None)
    if name is not None:
        _results[name] = result
    _last[:] = [result]


def _html(result: Any) -> str:
    text = _safe_compact(result)
    color = "#1a7f37" if text.startswith("✅") else "#b3261e" if text.startswith("❌") else "inherit"
    head, _, rest = text.partition("\n")
    body = f"<strong style='color: {color};'>{html.escape(head)}</strong>"
    if rest:
        body += "\n" + html.escape(rest)
    return f"<pre style='white-space: pre-wrap;'>{body}</pre>"


def _plain(result: Any, printer: Any, cycle: bool) -> None:
    printer.text(_safe_compact(result))


# --------------------------------------------------------------------------------------------
# Installing the display and showing details
# --------------------------------------------------------------------------------------------
def install(shell: Any = None) -> bool:
    """Show ``grader.check`` results in the short form in this IPython kernel.

    Registers a text and an HTML type printer for otter's ``TestFile`` with the shell's display
    formatter. Returns ``False`` (and does nothing) outside IPython.
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython is a dependency of jupyterlab
            return False
        shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    from otter.test_files.abstract_test import TestFile

    formatters = shell.display_formatter.formatters
    formatters["text/plain"].for_type(TestFile, _plain)
    formatters["text/html"].for_type(TestFile, _html)
    return True


def details(question: Any = None) -> str:
    """otter's full report (every case, doctest output and tracebacks) of a check result."""
    if question is None:
        if not _last:
            raise ValueError("아직 표시된 grader.check 결과가 없습니다. 먼저 grader.check(\"문항 이름\") 셀을 실행하세요.")
        result = _last[0]
    elif isinstance(question, str):
        if question not in _results:
            known = ", ".join(sorted(_results)) or "없음"
            raise ValueError(
                f"question={question!r} 의 grader.check 결과가 없습니다. 먼저 grader.check({question!r}) 셀을 "
                f"실행하세요 (지금까지 확인한 문항: {known})."
            )
        result = _results[question]
    elif hasattr(question, "summary"):
        result = question
    else:
        raise TypeError(
            f"question 은 문항 이름(str) 또는 grader.check(...) 의 결과여야 합니다 (받은 타입: {type(question).__name__})."
        )
    return result.summary()


def show_details(question: Any = None) -> None:
    """Print otter's full report of a check: the most recent one, or ``question`` (a name or a result)."""
    print(details(question))
