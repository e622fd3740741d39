"""Reading, normalising and writing notebooks; finding the answer cell of each question.

Everything ``course-build`` writes goes through :func:`write_notebook`, so two builds of the same
lesson are byte-identical: cell ids are derived from the lesson name and the cell index, outputs
and execution counts are dropped, and the JSON is written with sorted keys, one-space indent,
real UTF-8 (Korean stays readable in diffs) and a trailing newline.

Question structure in a built notebook (what otter-grader writes)::

    code cell tagged "otter_answer_cell"           (student copy; "otter_assign_solution_cell"
    ...                                             in the solution copy)
    code cell  grader.check("l01_stable_softmax")

so the answer cells of a question are the tagged cells before its ``grader.check`` cell.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import nbformat

ANSWER_TAGS = ("otter_answer_cell", "otter_assign_solution_cell")
CHECK_RE = re.compile(r"""^\s*grader\.check\(\s*["']([^"']+)["']\s*\)\s*$""", re.MULTILINE)
NOTEBOOK_NAME_RE = re.compile(r"^\d\d_[A-Za-z0-9_\-]+$")
# metadata kept at notebook level; everything else (jupytext, language_info, ...) is dropped
KEPT_NOTEBOOK_METADATA = ("kernelspec", "otter", "colab")


def cell_source(cell: Mapping[str, Any]) -> str:
    """The source of a cell as one string (notebook JSON may store it as a list of lines)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def read_notebook(path: str | Path) -> nbformat.NotebookNode:
    """Read an ``.ipynb`` file as nbformat v4."""
    return nbformat.read(str(path), as_version=4)


def normalise(nb: nbformat.NotebookNode, lesson: str) -> nbformat.NotebookNode:
    """Return a clean copy: deterministic cell ids, no outputs, no execution counts.

    Cell ids become ``f"{lesson}-{index:03d}"`` (valid nbformat ids: ``[A-Za-z0-9_-]``, ≤ 64).
    """
    nb = copy.deepcopy(nb)
    nb.nbformat, nb.nbformat_minor = 4, 5
    nb.metadata = nbformat.from_dict(
        {k: nb.metadata[k] for k in KEPT_NOTEBOOK_METADATA if k in nb.metadata}
    )
    safe = re.sub(r"[^A-Za-z0-9_-]", "-", lesson)[:56]
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"{safe}-{index:03d}"
        cell.source = cell_source(cell)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        else:
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
            if "attachments" in cell and not cell["attachments"]:
                del cell["attachments"]
    return nb


def dumps_notebook(nb: nbformat.NotebookNode) -> str:
    """Stable JSON text of a notebook (sorted keys, indent 1, UTF-8, trailing newline)."""
    # nbformat's own writer: sources split into lines (readable diffs), sorted keys, indent 1,
    # ensure_ascii=False; it also validates against the schema
    text = nbformat.writes(nb, version=4)
    return text if text.endswith("\n") else text + "\n"


def write_notebook(nb: nbformat.NotebookNode, path: str | Path, lesson: str | None = None) -> Path:
    """Normalise (when ``lesson`` is given) and write ``nb`` to ``path`` reproducibly."""
    path = Path(path)
    if lesson is not None:
        nb = normalise(nb, lesson)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(dumps_notebook(nb).encode("utf-8"))
    return path


def question_order(nb: Mapping[str, Any]) -> list[str]:
    """Question names in the order their ``grader.check("...")`` cells appear."""
    names: list[str] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            for name in CHECK_RE.findall(cell_source(cell)):
                if name not in names:
                    names.append(name)
    return names


def answer_cells(nb: Mapping[str, Any]) -> dict[str, list[int]]:
    """Map each question to the indices of its answer cells.

    An answer cell is a code cell tagged ``otter_answer_cell`` (student copy) or
    ``otter_assign_solution_cell`` (solution copy); it belongs to the first question whose
    ``grader.check`` cell follows it.
    """
    result: dict[str, list[int]] = {}
    pending: list[int] = []
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        if any(tag in tags for tag in ANSWER_TAGS):
            pending.append(index)
            continue
        names = CHECK_RE.findall(cell_source(cell))
        if names and pending:
            result.setdefault(names[0], []).extend(pending)
            pending = []
    return result


def fill_answers(
    student_nb: nbformat.NotebookNode, answers: Mapping[str, str | list[str]]
) -> nbformat.NotebookNode:
    """Return a copy of ``student_nb`` with the answer cells of the given questions replaced.

    ``answers`` maps a question name to the code of its answer cell, or to a list of codes when
    the question has several answer cells. Unknown questions raise ``KeyError`` naming them.
    """
    nb = copy.deepcopy(student_nb)
    cells_of = answer_cells(nb)
    for question, code in answers.items():
        if question not in cells_of:
            raise KeyError(
                f"문항 {question!r} 의 답안 셀을 찾을 수 없습니다 (이 노트북의 문항: {sorted(cells_of)})."
            )
        codes = [code] if isinstance(code, str) else list(code)
        indices = cells_of[question]
        if len(codes) != len(indices):
            raise ValueError(
                f"문항 {question!r} 에는 답안 셀이 {len(indices)}개 있는데 코드는 {len(codes)}개를 받았습니다. "
                "셀마다 코드 하나씩, 같은 개수의 리스트를 주세요."
            )
        for index, text in zip(indices, codes, strict=True):
            nb.cells[index].source = text
    return nb


def solution_answers(solution_nb: Mapping[str, Any]) -> dict[str, list[str]]:
    """The answer-cell codes of each question in a solution notebook (for :func:`fill_answers`)."""
    cells = solution_nb.get("cells", [])
    return {q: [cell_source(cells[i]) for i in idx] for q, idx in answer_cells(solution_nb).items()}
