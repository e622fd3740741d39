"""Argument checks shared by every helper module: one function, and one Korean message, per kind
of mistake.

Each check returns the value in the type the caller works with (``int``, ``float``, an
``np.ndarray``, a ``torch.device``) or raises:

- ``TypeError`` when the value has the wrong type (``True`` is not an integer here, although
  Python's ``bool`` subclasses ``int``: ``epochs=True`` is a mistake, not one epoch);
- ``ValueError`` when it has the right type but lies outside the allowed range (NaN included).

Messages name the argument, say what was expected and what was received, and may end with a
``hint`` from the caller (what the argument means, what to do). They are Korean because students
trigger them; see ``CONTRIBUTING.md`` ("Errors").

Example::

    epochs = checks.positive_int("epochs", epochs)
    p = checks.number("p", p, minimum=0.0, maximum=1.0, max_inclusive=False,
                      hint="드롭아웃 확률 p는 뉴런을 끌 확률입니다.")
"""
from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np
import torch
from torch import nn

__all__ = [
    "integer", "positive_int", "non_negative_int", "number", "positive_number", "probability",
    "size_pair", "size_hw", "to_numpy", "model_device",
]


def _with_hint(message: str, hint: str) -> str:
    return f"{message} {hint}".rstrip() if hint else message


def _range_text(minimum: float | None, maximum: float | None, min_inclusive: bool, max_inclusive: bool) -> str:
    parts = []
    if minimum is not None:
        parts.append(f"{minimum:g} {'이상' if min_inclusive else '초과'}")
    if maximum is not None:
        parts.append(f"{maximum:g} {'이하' if max_inclusive else '미만'}")
    return " ".join(parts)


def integer(name: str, value: Any, *, minimum: int | None = None, maximum: int | None = None,
            hint: str = "") -> int:
    """``value`` as an ``int`` (Python or numpy integer, not ``bool``) within ``[minimum, maximum]``.

    Raises:
        TypeError: ``value`` is not an integer (``3.0``, ``"3"``, ``True``, ``None`` ...).
        ValueError: it is below ``minimum`` or above ``maximum``.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(_with_hint(
            f"{name}은(는) 정수여야 합니다 (받은 값: {value!r}, 타입 {type(value).__name__}).", hint))
    number_ = int(value)
    if (minimum is not None and number_ < minimum) or (maximum is not None and number_ > maximum):
        allowed = _range_text(minimum, maximum, True, True)
        raise ValueError(_with_hint(f"{name}은(는) {allowed}의 정수여야 합니다 (받은 값: {number_}).", hint))
    return number_


def positive_int(name: str, value: Any, *, hint: str = "") -> int:
    """``value`` as an ``int`` ≥ 1 (see :func:`integer`)."""
    return integer(name, value, minimum=1, hint=hint)


def non_negative_int(name: str, value: Any, *, hint: str = "") -> int:
    """``value`` as an ``int`` ≥ 0 (see :func:`integer`)."""
    return integer(name, value, minimum=0, hint=hint)


def number(name: str, value: Any, *, minimum: float | None = None, maximum: float | None = None,
           min_inclusive: bool = True, max_inclusive: bool = True, hint: str = "") -> float:
    """``value`` as a finite ``float`` (any real number type but ``bool``) within the given range.

    ``min_inclusive`` / ``max_inclusive`` say whether the bounds themselves are allowed.

    Raises:
        TypeError: ``value`` is not a real number (``"0.5"``, ``None``, ``True``, a tensor ...).
        ValueError: it is NaN, infinite, or outside the range.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(_with_hint(
            f"{name}은(는) 실수여야 합니다 (받은 값: {value!r}, 타입 {type(value).__name__}).", hint))
    result = float(value)
    allowed = _range_text(minimum, maximum, min_inclusive, max_inclusive)
    too_low = minimum is not None and (result < minimum if min_inclusive else result <= minimum)
    too_high = maximum is not None and (result > maximum if max_inclusive else result >= maximum)
    if not math.isfinite(result) or too_low or too_high:
        what = f"{allowed}의 유한한 실수" if allowed else "유한한 실수"
        raise ValueError(_with_hint(f"{name}은(는) {what}여야 합니다 (받은 값: {value!r}).", hint))
    return result


def positive_number(name: str, value: Any, *, hint: str = "") -> float:
    """``value`` as a finite ``float`` > 0 (see :func:`number`)."""
    return number(name, value, minimum=0.0, min_inclusive=False, hint=hint)


def probability(name: str, value: Any, *, max_inclusive: bool = True, hint: str = "") -> float:
    """``value`` as a ``float`` in [0, 1] (or [0, 1) with ``max_inclusive=False``; see :func:`number`)."""
    return number(name, value, minimum=0.0, maximum=1.0, max_inclusive=max_inclusive, hint=hint)


def size_pair(size: Any, name: str = "size", *, order: str = "(H, W)", square: bool = False,
              example: str = "") -> tuple[int, int]:
    """Two positive integers (an image size), as Python ints, or one Korean ``ValueError``.

    Accepts two positive integers in a tuple, list or ``torch.Size`` (``images.shape[-2:]``);
    with ``square=True`` also one positive integer ``s``, meaning ``(s, s)``. The pair is returned
    in the order it was given: ``order`` only names that order in the message (``"(H, W)"`` for
    tensor shapes, ``"(width, height)"`` for annotation files).

    Args:
        size: the value to check.
        name (str): the argument's name in the message.
        order (str): how the message names the two numbers.
        square (bool): accept a single integer for a square image.
        example (str): ends the message, e.g. ``"예: upsample(maps, images.shape[-2:])"``.

    Returns:
        tuple[int, int]: the two numbers, in the given order.
    """
    if square and _is_positive_int(size):
        return int(size), int(size)
    if isinstance(size, (tuple, list, torch.Size)) and len(size) == 2 and all(map(_is_positive_int, size)):
        return int(size[0]), int(size[1])
    expected = f"양의 정수 하나(정사각형) 또는 {order} 두 개" if square else f"양의 정수 두 개 {order}"
    raise ValueError(f"{name}는 {expected}여야 합니다 (받은 값: {size!r}). {example}".rstrip())


def size_hw(size: Any, name: str = "size", *, square: bool = False, example: str = "") -> tuple[int, int]:
    """An image size ``(H, W)`` as two Python ints (:func:`size_pair` with ``order="(H, W)"``)."""
    return size_pair(size, name, order="(H, W)", square=square, example=example)


def _is_positive_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and int(value) > 0


def to_numpy(x: Any, name: str) -> np.ndarray:
    """Any tensor (CPU or GPU, with grad, float16/bfloat16), array, PIL image or (nested) list → ndarray.

    Tensors are detached and copied to the CPU; float16/bfloat16 become float32 (numpy has no
    bfloat16). Only the conversion happens here: dtype and shape checks are the caller's.

    Raises:
        TypeError: ``x`` is ``None``, a string, or a ragged nested list.
    """
    if x is None or isinstance(x, (str, bytes)):
        raise TypeError(f"{name}에는 텐서나 배열을 넣어야 하는데 {type(x).__name__} 값을 받았습니다.")
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu()
        if x.dtype in (torch.float16, torch.bfloat16):
            x = x.float()
        return x.numpy()
    try:
        return np.asarray(x)
    except ValueError as err:  # ragged nested lists
        raise TypeError(
            f"{name}을(를) 배열로 바꿀 수 없습니다 (행마다 길이가 다른 중첩 리스트?): {err}"
        ) from None


def model_device(model: nn.Module, default: torch.device | str | None = None) -> torch.device:
    """The one device that holds all of ``model``'s parameters and buffers.

    A model without any tensor gives ``default`` (CPU when ``None``).

    Raises:
        TypeError: ``model`` is not an ``nn.Module``.
        ValueError: its tensors are spread over several devices.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model은(는) torch.nn.Module이어야 합니다 (받은 타입: {type(model).__name__}).")
    devices = {t.device for t in (*model.parameters(), *model.buffers())}
    if len(devices) > 1:
        raise ValueError(
            f"모델의 파라미터가 여러 장치에 나뉘어 있습니다 ({', '.join(sorted(map(str, devices)))}). "
            "model.to(device)로 한 장치에 모으세요."
        )
    if devices:
        return devices.pop()
    return torch.device(default) if default is not None else torch.device("cpu")
