"""One Korean term per concept: ``lessons/GLOSSARY.md`` is checked against what students read.

Two rules, both read from the glossary itself:

1. **Glosses.** Every ``한글(English)`` gloss in the prose of a lesson master ``lessons/NN_*.md``
   names a term the glossary has: its English (compared case-insensitively, hyphens and spaces
   alike, an acronym in parentheses or after a comma counting on its own) or its Korean.
   Only Markdown prose is scanned -- not code cells, raw (otter) cells, inline code or math --
   and only a Hangul syllable directly followed by ``(`` and plain English counts as a gloss,
   so ``상자 (x1, y1)``, ``외(ICCV 2019, "…")`` or ``시드(seed: …)`` are not glosses.
2. **Rejected variants.** No variant listed in the glossary's section ``## 버리는 표기`` appears
   in the Korean a student or an instructor reads: lesson prose, the Korean string literals of
   lesson code cells (check messages, printed text), the Korean prose of ``README.md`` and
   ``docs/*.md``, and the Korean string literals of ``helpers/**/*.py`` (error messages, notices).
   A phrase in the table's third column (e.g. ``지도 학습`` for ``지도``) is allowed.

The failure message lists ``file:line``, the offending text and the accepted term, in Korean.
"""
from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GLOSSARY = REPO / "lessons" / "GLOSSARY.md"
REJECTED_HEADING = "## 버리는 표기"

HANGUL = "가-힣"
# A gloss: up to three Korean words, the last ending right before "(", then plain English: a
# letter first, then letters, digits, spaces, hyphens, slashes, commas, apostrophes, "&" or "+".
# A period, colon, quote or Hangul inside means code, a citation or an explanation, not a gloss.
GLOSS = re.compile(rf"((?:[{HANGUL}0-9·\-]+ ){{0,2}}[{HANGUL}][{HANGUL}0-9·\-]*)\(([A-Za-z][A-Za-z0-9 \-/,'’&+]*?)\)")
# Not glosses: variables and dtype names ``(x)``, ``(x1)``, ``(float32)``, ``(uint8)``, and lists of
# names ``(TinyYOLO, RetinaNet, Faster R-CNN)``.
IDENTIFIER = re.compile(r"^(?:[a-z]{1,2}|[a-z]+\d+)$")
NAME_LIST = re.compile(r"^[A-Z][^,]*(?:, *[A-Z][^,]*)+$")


@dataclass(frozen=True)
class Rejected:
    variant: str
    accepted: str
    allowed: tuple[str, ...]


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    text: str
    hint: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text} → {self.hint}"


# ── reading the glossary ────────────────────────────────────────────────────────────────────────
def _table_rows(lines: list[str]) -> list[list[str]]:
    """Cells of the Markdown table rows in ``lines`` (header and separator rows skipped)."""
    rows = []
    for line in lines:
        line = line.strip()
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if all(re.fullmatch(r":?-{3,}:?", c) for c in cells if c):
            continue
        rows.append(cells)
    return rows[1:] if rows else rows  # drop the header row


def normalize_english(text: str) -> str:
    text = text.lower().replace("’", "'").replace("–", "-").replace("—", "-")
    text = re.sub(r"[\s\-]+", " ", text)
    return text.strip(" .,")


def english_keys(cell: str) -> set[str]:
    """All the ways a glossary English cell may be written in a gloss.

    ``"false positive (FP) / false negative (FN)"`` → the whole cell, each part split on ``/``
    and ``,``, each part without its parenthesised acronym, and the acronyms themselves.
    """
    keys = {normalize_english(cell)}
    for part in re.split(r"[/,]", cell):
        part = part.strip()
        if not part:
            continue
        keys.add(normalize_english(part))
        for acronym in re.findall(r"\(([^()]+)\)", part):
            keys.add(normalize_english(acronym))
        keys.add(normalize_english(re.sub(r"\([^()]*\)", "", part)))
    keys.discard("")
    return keys


def korean_keys(cell: str) -> set[str]:
    keys = {cell.strip()}
    keys.update(p.strip() for p in re.split(r"[/,]", cell) if p.strip())
    keys.update(re.sub(r"\([^()]*\)", "", k).strip() for k in list(keys))
    keys.discard("")
    return keys


@dataclass(frozen=True)
class Glossary:
    english: frozenset[str]
    korean: frozenset[str]
    rejected: tuple[Rejected, ...]


def parse_glossary(text: str) -> Glossary:
    lines = text.splitlines()
    try:
        cut = next(i for i, line in enumerate(lines) if line.strip() == REJECTED_HEADING)
    except StopIteration:
        raise AssertionError(f"{GLOSSARY.name}에 '{REJECTED_HEADING}' 절이 없습니다.") from None
    english, korean = set(), set()
    for cells in _table_rows(lines[:cut]):
        if len(cells) < 2:
            continue
        korean |= korean_keys(cells[0])
        english |= english_keys(cells[1])
    end = next((i for i in range(cut + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    rejected = []
    for cells in _table_rows(lines[cut + 1 : end]):
        variant = cells[0].strip("` ")
        accepted = cells[1] if len(cells) > 1 else ""
        allowed = tuple(a.strip("` ") for a in cells[2].split(",") if a.strip("` ")) if len(cells) > 2 else ()
        if variant:
            rejected.append(Rejected(variant, accepted, allowed))
    return Glossary(frozenset(english), frozenset(korean), tuple(rejected))


# ── splitting what people read ──────────────────────────────────────────────────────────────────
def _mask(text: str) -> str:
    """Blank inline code and math, keeping the length (so columns and lines stay put)."""
    text = re.sub(r"`[^`\n]*`", lambda m: " " * len(m.group()), text)
    text = re.sub(r"\$\$.*?\$\$", lambda m: re.sub(r"[^\n]", " ", m.group()), text, flags=re.S)
    return re.sub(r"\$[^$\n]+\$", lambda m: " " * len(m.group()), text)


def split_markdown(text: str) -> tuple[str, list[tuple[int, str]]]:
    """(prose with code/raw blocks blanked out, [(first line number, code) of each code block]).

    The prose keeps its line numbers: every blanked line stays, empty.
    """
    prose, blocks = [], []
    fence, raw, code, start = None, False, [], 0
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if fence is not None:
            if stripped.startswith(fence):
                blocks.append((start, "\n".join(code)))
                fence, code = None, []
            else:
                code.append(line)
            prose.append("")
        elif raw:
            raw = stripped != "<!-- #endraw -->"
            prose.append("")
        elif stripped.startswith("```") or stripped.startswith("~~~"):
            fence, start = stripped[:3], number + 1
            prose.append("")
        elif stripped == "<!-- #raw -->":
            raw = True
            prose.append("")
        else:
            prose.append(line)
    return _mask("\n".join(prose)), blocks


def korean_strings(source: str, first_line: int = 1) -> list[tuple[int, str]]:
    """(line number, text) of every string literal with Hangul in Python ``source``.

    Falls back to whole lines with Hangul when the source does not tokenize (e.g. ``...``
    placeholders are fine, but a lesson cell may hold IPython magics).
    """
    found = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.STRING and re.search(f"[{HANGUL}]", tok.string):
                for offset, line in enumerate(tok.string.splitlines()):
                    if re.search(f"[{HANGUL}]", line):
                        found.append((first_line + tok.start[0] - 1 + offset, line))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        found = [(first_line + i, line) for i, line in enumerate(source.splitlines())
                 if re.search(f"[{HANGUL}]", line) and not line.lstrip().startswith("#")]
    return found


# ── the two rules ───────────────────────────────────────────────────────────────────────────────
def _mask_allowed(line: str, allowed: tuple[str, ...]) -> str:
    for phrase in allowed:
        line = line.replace(phrase, "\0" * len(phrase))
    return line


def _variant_pattern(variant: str) -> re.Pattern:
    # a variant that starts with Hangul must not be the tail of a longer word (비지도 ≠ 지도)
    lead = f"(?<![{HANGUL}])" if re.match(f"[{HANGUL}]", variant) else ""
    return re.compile(lead + re.escape(variant))


def rejected_in_lines(lines: list[tuple[int, str]], path: str, glossary: Glossary) -> list[Violation]:
    found = []
    for number, line in lines:
        for rule in glossary.rejected:
            masked = _mask_allowed(line, rule.allowed)
            if _variant_pattern(rule.variant).search(masked):
                found.append(Violation(path, number, line.strip()[:120],
                                       f"'{rule.variant}' 대신 '{rule.accepted}'"))
    return found


def check_rejected_markdown(text: str, path: str, glossary: Glossary, with_code: bool = True) -> list[Violation]:
    prose, blocks = split_markdown(text)
    lines = [(i, line) for i, line in enumerate(prose.splitlines(), start=1) if line.strip()]
    if with_code:
        for start, code in blocks:
            lines += korean_strings(code, start)
    return rejected_in_lines(lines, path, glossary)


def check_glosses(text: str, path: str, glossary: Glossary) -> list[Violation]:
    prose, _ = split_markdown(text)
    found = []
    for match in GLOSS.finditer(prose):
        korean, english = match.group(1).strip(), " ".join(match.group(2).split())
        if IDENTIFIER.match(english) or NAME_LIST.match(english):
            continue
        if english_keys(english) & glossary.english:
            continue
        words = korean.replace("**", "").split()
        tails = {" ".join(words[-n:]) for n in range(1, min(3, len(words)) + 1)}
        if tails & glossary.korean:
            continue
        number = prose.count("\n", 0, match.start()) + 1
        found.append(Violation(path, number, f"{korean}({english})",
                               "용어집에 이 용어가 없습니다: lessons/GLOSSARY.md 에 행을 추가하세요"))
    return found


def _report(title: str, violations: list[Violation]) -> str:
    return title + f" ({len(violations)}곳)\n" + "\n".join(f"  {v}" for v in violations)


# ── the real files ──────────────────────────────────────────────────────────────────────────────
LESSONS = sorted((REPO / "lessons").glob("[0-9][0-9]_*.md"))


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return parse_glossary(GLOSSARY.read_text(encoding="utf-8"))


def _rel(path: Path) -> str:
    return str(path.relative_to(REPO))


def test_glossary_parses(glossary):
    assert len(glossary.korean) > 100 and len(glossary.english) > 100, "용어집 표를 읽지 못했습니다."
    assert glossary.rejected, f"'{REJECTED_HEADING}' 표가 비어 있습니다."
    for rule in glossary.rejected:
        assert rule.accepted, f"버리는 표기 '{rule.variant}'에 대신 쓸 용어가 없습니다."
        assert not _variant_pattern(rule.variant).search(_mask_allowed(rule.accepted, rule.allowed)), (
            f"버리는 표기 '{rule.variant}'의 대신 쓸 용어 '{rule.accepted}'에 그 표기가 들어 있습니다."
        )


def test_glossary_rows_use_no_rejected_variant(glossary):
    text = GLOSSARY.read_text(encoding="utf-8")
    table = text.split(REJECTED_HEADING)[0]
    rows = [(i, line) for i, line in enumerate(table.splitlines(), start=1) if line.startswith("|")]
    violations = rejected_in_lines(rows, _rel(GLOSSARY), glossary)
    assert not violations, _report("용어집 본문 표에 버리는 표기가 있습니다", violations)


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_glosses_are_in_the_glossary(lesson, glossary):
    violations = check_glosses(lesson.read_text(encoding="utf-8"), _rel(lesson), glossary)
    assert not violations, _report("용어집에 없는 한글(English) 용어", violations)


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_uses_no_rejected_variant(lesson, glossary):
    violations = check_rejected_markdown(lesson.read_text(encoding="utf-8"), _rel(lesson), glossary)
    assert not violations, _report("버리는 표기를 썼습니다", violations)


DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


@pytest.mark.parametrize("doc", DOCS, ids=[p.name for p in DOCS])
def test_docs_use_no_rejected_variant(doc, glossary):
    violations = check_rejected_markdown(doc.read_text(encoding="utf-8"), _rel(doc), glossary, with_code=False)
    assert not violations, _report("버리는 표기를 썼습니다", violations)


def test_helpers_korean_messages_use_no_rejected_variant(glossary):
    violations = []
    for path in sorted((REPO / "helpers").rglob("*.py")):
        violations += rejected_in_lines(korean_strings(path.read_text(encoding="utf-8")), _rel(path), glossary)
    assert not violations, _report("helpers의 한국어 문자열에 버리는 표기가 있습니다", violations)


# ── the checks themselves can fail ──────────────────────────────────────────────────────────────
SYNTHETIC_GLOSSARY = """# 용어집

| 한글 | English | 뜻 | 레슨 |
|---|---|---|---|
| 레이블 | label | 정답 | 01 |
| 합성곱 신경망 | convolutional neural network (CNN) | 신경망 | 01 |
| 히트맵 | heatmap | 그림 | 05 |

## 버리는 표기

| 버리는 표기 | 대신 쓸 용어 | 그래도 되는 쓰임 |
|---|---|---|
| 라벨 | 레이블 | |
| 지도 | 히트맵 | 지도 학습, 비지도 |
"""

SYNTHETIC_LESSON = """# 99. 합성 레슨

이미지마다 라벨이 있습니다. 이것은 지도 학습(supervised learning)이고, 비지도 방법은 다루지 않습니다.
합성곱 신경망(CNN)과 **히트맵(heatmap)** 은 용어집에 있습니다. 모델이 본 곳을 지도로 그립니다.
상자 (x1, y1)와 Zhou 외(2016), 시드(seed: 무작위 값)는 용어 설명이 아닙니다.

```python
label_map = {"라벨": 1}   # an identifier and a string
print("라벨 개수:", len(label_map))
```

<!-- #raw -->
# 라벨 in a raw cell is not prose
<!-- #endraw -->
"""


def test_checks_catch_a_synthetic_lesson():
    g = parse_glossary(SYNTHETIC_GLOSSARY)
    rejected = check_rejected_markdown(SYNTHETIC_LESSON, "99_synthetic.md", g)
    assert [(v.line, v.hint) for v in rejected] == [
        (3, "'라벨' 대신 '레이블'"),       # prose
        (4, "'지도' 대신 '히트맵'"),       # "지도로", but neither "지도 학습" nor "비지도"
        (8, "'라벨' 대신 '레이블'"),       # the string literals in a code cell
        (9, "'라벨' 대신 '레이블'"),
    ], rejected
    glosses = check_glosses(SYNTHETIC_LESSON, "99_synthetic.md", g)
    assert len(glosses) == 1 and glosses[0].text.endswith("지도 학습(supervised learning)"), glosses
    assert "99_synthetic.md:3" in str(glosses[0]) and "GLOSSARY" in str(glosses[0])


def test_checks_pass_a_clean_synthetic_lesson():
    g = parse_glossary(SYNTHETIC_GLOSSARY)
    clean = "# 99\n\n레이블과 **히트맵(heatmap)**, 합성곱 신경망(convolutional neural network)을 씁니다.\n"
    assert check_rejected_markdown(clean, "x.md", g) == []
    assert check_glosses(clean, "x.md", g) == []


def test_helpers_strings_are_read_by_tokens():
    source = 'label = "라벨이 없습니다"  # 라벨 in a comment is English-only territory\nx = 1\n'
    assert korean_strings(source) == [(1, '"라벨이 없습니다"')]
