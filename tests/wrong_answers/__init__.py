"""Plausible wrong answers, one file per lesson: ``tests/wrong_answers/NN_slug.py``.

Each file defines one dictionary, question name → the code of its answer cell::

    WRONG_ANSWERS = {
        "l01_stable_softmax": "def stable_softmax(logits, dim=-1):\\n    return logits.exp() / logits.exp().sum()\\n",
    }

(a list of codes when a question has several answer cells). ``tests/test_notebooks.py`` puts
each code into the answer cell of the student notebook, grades the result with ``course-grade``
and requires every listed question to score less than full, and every question of the lesson
to be listed: this proves each question can fail. Write the mistakes students really make
(wrong axis, no max-subtraction, in-place change), not syntax errors; a wrong answer must still
define the names later cells use.
"""
from __future__ import annotations

import runpy
from pathlib import Path

HERE = Path(__file__).resolve().parent


def wrong_answers_path(lesson: str, folder: str | Path | None = None) -> Path:
    """Where the wrong answers of ``lesson`` (``"01_logits_softmax"``) live."""
    return Path(folder or HERE) / f"{lesson}.py"


def load_wrong_answers(lesson: str, folder: str | Path | None = None) -> dict[str, str | list[str]]:
    """``WRONG_ANSWERS`` of a lesson; a clear error when the file or the dictionary is missing."""
    path = wrong_answers_path(lesson, folder)
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} 가 없습니다: 레슨 {lesson} 의 문항마다 그럴듯한 오답을 "
            "WRONG_ANSWERS = {'문항 이름': '답안 셀 코드'} 로 적어 주세요 (tests/wrong_answers/__init__.py 참고)."
        )
    answers = runpy.run_path(str(path)).get("WRONG_ANSWERS")
    if not isinstance(answers, dict) or not answers:
        raise ValueError(f"{path} 에 비어 있지 않은 딕셔너리 WRONG_ANSWERS 가 없습니다.")
    for question, code in answers.items():
        codes = [code] if isinstance(code, str) else code
        if not isinstance(question, str) or not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise TypeError(f"{path}: WRONG_ANSWERS[{question!r}] 는 코드 문자열(또는 문자열 리스트)이어야 합니다.")
    return answers


def missing_questions(answers: dict, questions: list[str]) -> list[str]:
    """Questions of the lesson that have no wrong answer."""
    return [q for q in questions if q not in answers]
