"""Classification metrics from scratch: confusion matrix, accuracy, precision, recall, F1, PR curve.

Lesson 04 reads this file top to bottom. Everything starts from the confusion matrix::

                      predicted class j
                    ┌─────────────────────┐
    true class i    │ cm[i, j] = how many │   rows = true class, columns = predicted class
                    │ samples of class i  │   (scikit-learn's convention)
                    │ were predicted as j │
                    └─────────────────────┘

For one class c (treated as "positive", every other class as "negative"):

    TP = cm[c, c]                    predicted c, really c
    FP = column c minus TP           predicted c, really something else
    FN = row c minus TP              really c, predicted something else
    TN = everything else

    accuracy  = (correct predictions) / (all predictions)
    precision = TP / (TP + FP)       of everything predicted c, how much really is c
    recall    = TP / (TP + FN)       of everything that really is c, how much we found
    F1        = 2·P·R / (P + R)  =  2·TP / (2·TP + FP + FN)      (harmonic mean of P and R)

Conventions (the same in every function here):

- Labels are **class indices** ``0 … C-1``: a 1-D array, list or torch tensor of shape ``(N,)``.
  Integer dtypes and booleans are accepted. Floats are accepted only when every value is a whole
  number (``1.0`` becomes class 1, because torch code often produces float labels), while ``1.5``
  is rejected: a non-whole value is a score or a probability, not a class.
- ``C`` is ``num_classes`` when given, otherwise ``max(y_true, y_pred) + 1``. A class that never
  occurs still gets its row and column (and, in ``average="macro"``, its zero-division value).
  That is scikit-learn's result with ``labels=range(C)``.
- ``labels`` (optional) picks and orders the classes to report, exactly like scikit-learn's
  ``labels`` argument: a confusion matrix keeps only those rows/columns, and an average runs over
  those classes only (e.g. leave out a dominant background class).
- ``zero_division`` says what a ratio with denominator 0 becomes, with scikit-learn's semantics:
  ``0.0``, ``1.0``, ``np.nan`` (ignored by averages), or ``"warn"`` (0.0 plus a Korean
  :class:`UndefinedMetricWarning`). F1 uses the count form ``2·TP / (2·TP + FP + FN)``: it is 0
  whenever TP = 0 but some FP or FN exist (also when P + R = 0), and only "no positives at all,
  neither true nor predicted" is a zero division.
"""
from __future__ import annotations

import numbers
import unicodedata
import warnings
from collections.abc import Collection, Sequence
from typing import Any, Literal

import numpy as np

from helpers import checks

__all__ = [
    "UndefinedMetricWarning",
    "accuracy",
    "classification_report",
    "confusion_matrix",
    "f1_score",
    "precision",
    "precision_recall_curve",
    "precision_recall_f1",
    "recall",
    "threshold_for_recall",
    "tp_fp_fn_tn",
]

AVERAGES = ("binary", "micro", "macro", "weighted", None)

#: What a 0/0 ratio becomes: 0.0, 1.0, np.nan, or "warn" (0.0 plus a warning).
ZeroDivision = float | Literal["warn"]
#: One value (an average) or one per class (``average=None``).
Score = float | np.ndarray

# A C×C matrix with more cells than this is almost surely a mistake (scores passed as labels).
_MAX_MATRIX_CELLS = 10**8


class UndefinedMetricWarning(UserWarning):
    """A precision/recall/F1 had denominator 0 and was set to 0.0 (``zero_division="warn"``)."""


# ---------------------------------------------------------------------------------------------
# Input checking: convert once to numpy, then every function below works on int64 arrays.
# ---------------------------------------------------------------------------------------------
def _array(x: Any, name: str) -> np.ndarray:
    """:func:`helpers.checks.to_numpy`, with this module's ``ValueError`` for what cannot be an array."""
    try:
        return checks.to_numpy(x, name)
    except TypeError as err:  # None, a string, a ragged nested list
        raise ValueError(str(err)) from None


def _check_1d(arr: np.ndarray, name: str, what: str) -> None:
    if arr.ndim != 1:
        hint = ""
        if arr.ndim == 2:
            hint = (
                f" (N, C) 모양의 로짓/확률이라면 {name}.argmax(1)로 클래스 번호를, "
                "(N, 1)이라면 .ravel()로 1차원을 만드세요."
            )
        raise ValueError(
            f"{name}: {what}의 1차원 배열 (N,)이 필요한데 {arr.ndim}차원 모양 "
            f"{tuple(arr.shape)}을 받았습니다.{hint}"
        )
    if arr.size == 0:
        raise ValueError(f"{name}: 비어 있습니다 (샘플 0개). 샘플이 하나 이상 있어야 지표를 계산할 수 있습니다.")


def _as_labels(y: Any, name: str) -> np.ndarray:
    """Class indices (N,) -> int64 array. Rejects 2-D, empty, negative and 1.5-like values."""
    arr = _array(y, name)
    _check_1d(arr, name, "클래스 번호")
    if arr.dtype == bool:
        return arr.astype(np.int64)
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)):
            i = int(np.flatnonzero(~np.isfinite(arr))[0])
            raise ValueError(f"{name}: 위치 {i}에 {arr[i]} 값이 있습니다. 클래스 번호에는 NaN/inf가 올 수 없습니다.")
        not_whole = arr != np.round(arr)
        if not_whole.any():
            i = int(np.flatnonzero(not_whole)[0])
            raise ValueError(
                f"{name}: 클래스 번호는 정수여야 하는데 위치 {i}에 {arr[i]!r}(dtype {arr.dtype})이 있습니다. "
                "1.0 같은 정수 값 실수는 받지만 1.5는 받지 않습니다. 확률/점수라면 "
                "(scores >= 0.5) 또는 argmax(1)로 클래스 번호를 먼저 구하세요."
            )
    elif arr.dtype.kind not in "iu":
        raise TypeError(
            f"{name}: 클래스 번호(정수) 배열이 필요한데 dtype {arr.dtype}을 받았습니다. "
            "문자열 레이블이라면 class_names.index(...)로 0부터 시작하는 번호로 바꾸세요."
        )
    arr = arr.astype(np.int64)
    if (arr < 0).any():
        i = int(np.flatnonzero(arr < 0)[0])
        raise ValueError(
            f"{name}: 클래스 번호는 0 이상이어야 하는데 위치 {i}에 {arr[i]}이 있습니다. "
            "클래스는 0, 1, …, C-1로 번호를 매기세요."
        )
    return arr


def _check_pair(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    y_true = _as_labels(y_true, "y_true")
    y_pred = _as_labels(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true와 y_pred의 길이가 다릅니다: y_true {y_true.shape[0]}개, y_pred {y_pred.shape[0]}개. "
            "같은 샘플들의 정답과 예측을 같은 순서로 짝지어 넘기세요."
        )
    return y_true, y_pred


def _resolve_classes(
    y_true: np.ndarray, y_pred: np.ndarray, num_classes: int | None, labels: Any
) -> tuple[int, np.ndarray]:
    """Return (C, selected classes): the size of the full C×C matrix and the classes to report."""
    if num_classes is not None:
        num_classes = checks.positive_int("num_classes", num_classes, hint="클래스 수 C를 넣으세요.")
        for name, arr in (("y_true", y_true), ("y_pred", y_pred)):
            if arr.max() >= num_classes:
                raise ValueError(
                    f"{name}: 클래스 번호 {arr.max()}이 있지만 num_classes={num_classes}입니다. "
                    f"클래스 번호는 0 ~ {num_classes - 1} 범위여야 합니다. num_classes나 레이블을 확인하세요."
                )
    if labels is not None:
        labels = _as_labels(labels, "labels")
        if np.unique(labels).size != labels.size:
            raise ValueError(f"labels: 같은 클래스가 두 번 이상 있습니다: {labels.tolist()}. 각 클래스를 한 번씩만 쓰세요.")
        if num_classes is not None and labels.max() >= num_classes:
            raise ValueError(
                f"labels: 클래스 {labels.max()}이 있지만 num_classes={num_classes}입니다. "
                f"labels는 0 ~ {num_classes - 1} 범위여야 합니다."
            )
    size = num_classes
    if size is None:
        size = int(max(y_true.max(), y_pred.max(), -1 if labels is None else labels.max())) + 1
    if size * size > _MAX_MATRIX_CELLS:
        raise ValueError(
            f"클래스 수 C={size}가 너무 큽니다 (C×C 혼동 행렬). 클래스 번호 대신 점수나 픽셀 값을 넘기지 않았는지 확인하세요."
        )
    return size, (np.arange(size) if labels is None else labels)


def _check_average(average: str | None) -> None:
    if average not in AVERAGES:
        raise ValueError(
            f"average: 'binary', 'micro', 'macro', 'weighted', None 중 하나여야 하는데 {average!r}을 받았습니다."
        )


def _check_zero_division(zero_division: ZeroDivision) -> float:
    """Return the value a 0/0 ratio becomes ("warn" -> 0.0)."""
    if isinstance(zero_division, str):
        if zero_division == "warn":
            return 0.0
    elif isinstance(zero_division, numbers.Real):
        if zero_division in (0, 1):
            return float(zero_division)
        if np.isnan(zero_division):
            return float("nan")
    raise ValueError(
        f"zero_division: 0.0, 1.0, np.nan, 'warn' 중 하나여야 하는데 {zero_division!r}을 받았습니다."
    )


def _binary_setup(
    y_true: np.ndarray, y_pred: np.ndarray, pos_label: int, num_classes: int | None, labels: Any
) -> tuple[int, np.ndarray]:
    """average="binary": check the task really has two classes {0, 1}; report only pos_label."""
    for name, arr in (("y_true", y_true), ("y_pred", y_pred)):
        if arr.max() > 1:
            raise ValueError(
                f"average='binary'는 0/1 두 클래스용인데 {name}에 클래스 {np.unique(arr)[:10].tolist()}이 있습니다. "
                "다중 클래스라면 average='macro', 'micro', 'weighted' 또는 None을 쓰세요."
            )
    if num_classes is not None and num_classes != 2:
        raise ValueError(
            f"average='binary'는 두 클래스용인데 num_classes={num_classes}을 받았습니다. "
            "average='macro' 등을 쓰세요."
        )
    if labels is not None:
        raise ValueError("average='binary'에서는 labels를 쓰지 않습니다. 양성 클래스는 pos_label(0 또는 1)로 고르세요.")
    if pos_label not in (0, 1):
        raise ValueError(f"pos_label: 0 또는 1이어야 하는데 {pos_label!r}을 받았습니다.")
    return 2, np.array([int(pos_label)])


# ---------------------------------------------------------------------------------------------
# The confusion matrix and what it is made of
# ---------------------------------------------------------------------------------------------
def _count_pairs(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int) -> np.ndarray:
    """Full C×C confusion matrix in one vectorised step.

    Each (true, pred) pair gets its own number ``true * C + pred`` (a cell of the flattened
    matrix); counting how often each number occurs fills every cell at once.
    """
    counts = np.bincount(y_true * num_classes + y_pred, minlength=num_classes * num_classes)
    return counts.reshape(num_classes, num_classes).astype(np.int64, copy=False)


def confusion_matrix(y_true: Any, y_pred: Any, num_classes: int | None = None, labels: Any = None) -> np.ndarray:
    """Count (true class, predicted class) pairs.

    Args:
        y_true (array[N]): true class indices in ``0 … C-1`` (list, numpy array or tensor).
        y_pred (array[N]): predicted class indices, same length.
        num_classes (int, optional): C. Default ``max(y_true, y_pred) + 1``.
        labels (array[K], optional): classes to keep, in this order (scikit-learn's ``labels``);
            samples whose true or predicted class is not among them are not counted.

    Returns:
        np.ndarray[C, C] (or [K, K]) of int64: ``cm[i, j]`` = number of samples of true class
        ``i`` predicted as ``j``. Rows = true class, columns = predicted class.
    """
    y_true, y_pred = _check_pair(y_true, y_pred)
    size, labels = _resolve_classes(y_true, y_pred, num_classes, labels)
    return _count_pairs(y_true, y_pred, size)[np.ix_(labels, labels)]


def tp_fp_fn_tn(cm: Any) -> dict[str, np.ndarray]:
    """Per-class TP, FP, FN, TN of a confusion matrix (one-vs-rest for every class).

    Args:
        cm (array[C, C]): confusion matrix, rows = true class, columns = predicted class.

    Returns:
        dict with keys ``"tp"``, ``"fp"``, ``"fn"``, ``"tn"``, each an int64 array[C]. For every
        class ``tp + fp + fn + tn`` equals the total count ``cm.sum()``. (For a matrix kept to a
        subset of ``labels``, samples outside that subset are not in ``cm`` and so not counted.)
    """
    cm = _array(cm, "cm")
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1] or cm.shape[0] == 0:
        raise ValueError(f"cm: 정사각형 혼동 행렬 (C, C)이 필요한데 모양 {tuple(cm.shape)}을 받았습니다.")
    counts_ok = cm.dtype.kind in "iuf" and np.all(np.isfinite(cm))
    if not counts_ok or np.any(cm != np.round(cm)) or np.any(cm < 0):
        raise ValueError("cm: 0 이상의 정수 개수로 이루어진 혼동 행렬이어야 합니다. confusion_matrix(...)의 결과를 넘기세요.")
    cm = cm.astype(np.int64)
    tp = np.diag(cm)
    fp = cm.sum(axis=0) - tp  # column c: everything predicted as c, minus the correct ones
    fn = cm.sum(axis=1) - tp  # row c: everything that really is c, minus the correct ones
    tn = cm.sum() - tp - fp - fn
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn}


def accuracy(y_true: Any, y_pred: Any) -> float:
    """Fraction of correct predictions: ``mean(y_true == y_pred)``.

    Args:
        y_true (array[N]), y_pred (array[N]): class indices.

    Returns:
        float in [0, 1]. Beware on imbalanced data: always answering the majority class already
        scores its share (90 % "no" -> 0.9), while recall of the rare class is 0.
    """
    y_true, y_pred = _check_pair(y_true, y_pred)
    return float(np.mean(y_true == y_pred))


# ---------------------------------------------------------------------------------------------
# Precision, recall, F1
# ---------------------------------------------------------------------------------------------
_UNDEFINED = {
    "precision": ("정밀도(precision)", "양성으로 예측한 샘플이 없어 TP + FP = 0"),
    "recall": ("재현율(recall)", "실제 샘플이 없어 TP + FN = 0"),
    "f1": ("F1 점수(F1-score)", "실제로도 예측으로도 샘플이 없어 2·TP + FP + FN = 0"),
}


def _divide(numerator: np.ndarray, denominator: np.ndarray, zero_division: ZeroDivision, metric: str,
            classes: np.ndarray | None, warn: bool) -> np.ndarray:
    """numerator / denominator per class; where denominator == 0 use the zero_division value."""
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    undefined = denominator == 0
    result = numerator / np.where(undefined, 1.0, denominator)
    result[undefined] = _check_zero_division(zero_division)
    if undefined.any() and warn and isinstance(zero_division, str):
        name, reason = _UNDEFINED[metric]
        where = "전체(micro)" if classes is None else f"클래스 {np.asarray(classes)[undefined].tolist()}"
        warnings.warn(
            f"{name} 값을 정의할 수 없습니다: {where}에 {reason}입니다. 이 값은 0.0으로 계산했습니다. "
            "zero_division=0.0, 1.0 또는 np.nan을 직접 넘기면 이 경고가 사라집니다.",
            UndefinedMetricWarning,
            stacklevel=4,
        )
    return result


def _average(values: np.ndarray, weights: np.ndarray | None = None) -> float:
    """Mean of per-class values; NaN entries (zero_division=np.nan) are left out.

    With weights (supports) whose sum is 0, falls back to the plain mean (as scikit-learn does).
    """
    keep = ~np.isnan(values)
    if not keep.any():
        return float("nan")
    values = values[keep]
    if weights is not None:
        weights = np.asarray(weights, dtype=np.float64)[keep]
        if weights.sum() > 0:
            return float(np.sum(values * weights) / np.sum(weights))
    return float(np.mean(values))


def _per_class_counts(
    y_true: Any, y_pred: Any, average: str | None, pos_label: int, num_classes: int | None, labels: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Validate, then return (classes, TP, FP, FN) for the classes that will be reported."""
    _check_average(average)
    y_true, y_pred = _check_pair(y_true, y_pred)
    if average == "binary":
        size, classes = _binary_setup(y_true, y_pred, pos_label, num_classes, labels)
    else:
        size, classes = _resolve_classes(y_true, y_pred, num_classes, labels)
    cm = _count_pairs(y_true, y_pred, size)
    tp = np.diag(cm)[classes]
    fp = cm.sum(axis=0)[classes] - tp  # predicted c but really another class
    fn = cm.sum(axis=1)[classes] - tp  # really c but predicted another class
    return classes, tp, fp, fn


def _scores(
    y_true: Any, y_pred: Any, average: str | None, pos_label: int, zero_division: ZeroDivision,
    num_classes: int | None, labels: Any, warn_for: Collection[str],
) -> tuple[Score, Score, Score]:
    """Return (precision, recall, f1): floats when averaged, arrays[K] when average is None."""
    _check_zero_division(zero_division)
    classes: np.ndarray | None
    classes, tp, fp, fn = _per_class_counts(y_true, y_pred, average, pos_label, num_classes, labels)
    if average == "micro":
        # Pool the counts of all classes first, then divide once.
        tp, fp, fn = tp.sum(keepdims=True), fp.sum(keepdims=True), fn.sum(keepdims=True)
        classes = None
    p = _divide(tp, tp + fp, zero_division, "precision", classes, "precision" in warn_for)
    r = _divide(tp, tp + fn, zero_division, "recall", classes, "recall" in warn_for)
    # F1 = 2PR / (P + R), written with counts: 2TP / (2TP + FP + FN). Same value wherever P and R
    # are defined, and still defined (= 0) when TP = 0 but FP or FN are not.
    f = _divide(2 * tp, 2 * tp + fp + fn, zero_division, "f1", classes, "f1" in warn_for)
    if average is None:
        return p, r, f
    weights = tp + fn if average == "weighted" else None  # support: true samples of each class
    return _average(p, weights), _average(r, weights), _average(f, weights)


def precision(y_true: Any, y_pred: Any, average: str | None = "binary", pos_label: int = 1,
              zero_division: ZeroDivision = "warn", num_classes: int | None = None, labels: Any = None) -> Score:
    """Precision = TP / (TP + FP): of the samples predicted as a class, the share that really are.

    Args:
        y_true (array[N]), y_pred (array[N]): class indices in ``0 … C-1``.
        average: ``"binary"`` (0/1 data, report class ``pos_label``), ``"macro"`` (plain mean over
            classes), ``"weighted"`` (mean weighted by each class's number of true samples),
            ``"micro"`` (pool TP and FP of all classes, then divide; equals accuracy when all
            classes are included) or ``None`` (one value per class).
        pos_label (int): the positive class (0 or 1) for ``average="binary"``; ignored otherwise.
        zero_division: value of 0/0: ``0.0``, ``1.0``, ``np.nan`` or ``"warn"`` (0.0 + warning).
        num_classes (int, optional), labels (array[K], optional): see the module docstring.

    Returns:
        float, or np.ndarray[K] of float64 when ``average=None``.
    """
    p, _, _ = _scores(y_true, y_pred, average, pos_label, zero_division, num_classes, labels,
                      warn_for={"precision"})
    return p


def recall(y_true: Any, y_pred: Any, average: str | None = "binary", pos_label: int = 1,
           zero_division: ZeroDivision = "warn", num_classes: int | None = None, labels: Any = None) -> Score:
    """Recall = TP / (TP + FN): of the samples that really are a class, the share we found.

    Arguments and return value as in :func:`precision`.
    """
    _, r, _ = _scores(y_true, y_pred, average, pos_label, zero_division, num_classes, labels,
                      warn_for={"recall"})
    return r


def f1_score(y_true: Any, y_pred: Any, average: str | None = "binary", pos_label: int = 1,
             zero_division: ZeroDivision = "warn", num_classes: int | None = None, labels: Any = None) -> Score:
    """F1 = 2·P·R / (P + R) = 2·TP / (2·TP + FP + FN), the harmonic mean of precision and recall.

    Per class it is 0 when TP = 0 and there are FP or FN (also when P + R = 0), and it is the
    ``zero_division`` value only when the class has no true and no predicted samples. Averages
    average the per-class F1 scores (not F1 of averaged P and R). Arguments as in :func:`precision`.
    """
    _, _, f = _scores(y_true, y_pred, average, pos_label, zero_division, num_classes, labels,
                      warn_for={"f1"})
    return f


def precision_recall_f1(y_true: Any, y_pred: Any, average: str | None = "binary", pos_label: int = 1,
                        zero_division: ZeroDivision = "warn", num_classes: int | None = None,
                        labels: Any = None) -> tuple[Score, Score, Score]:
    """All three at once: ``(precision, recall, f1)``. Arguments as in :func:`precision`.

    Returns:
        tuple of 3 floats, or of 3 np.ndarray[K] when ``average=None``.
    """
    return _scores(y_true, y_pred, average, pos_label, zero_division, num_classes, labels,
                   warn_for={"precision", "recall", "f1"})


# ---------------------------------------------------------------------------------------------
# A text report
# ---------------------------------------------------------------------------------------------
def _width(text: str) -> int:
    """Columns a string takes in a monospace font (Korean characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, left: bool = False) -> str:
    fill = " " * max(width - _width(text), 0)
    return text + fill if left else fill + text


def classification_report(y_true: Any, y_pred: Any, class_names: Sequence[Any] | None = None,
                          num_classes: int | None = None, digits: int = 3,
                          zero_division: ZeroDivision = "warn") -> str:
    """A table of precision, recall, F1 and support (true sample count) per class, plus averages.

    Args:
        y_true (array[N]), y_pred (array[N]): class indices.
        class_names (list[str], optional): one name per class ``0 … C-1`` (fixes C).
        num_classes (int, optional): C when ``class_names`` is not given.
        digits (int): decimals shown.
        zero_division: as in :func:`precision`.

    Returns:
        str, ready to ``print``. Rows: each class, then 정확도(accuracy), 매크로 평균, 가중 평균.
    """
    if class_names is not None:
        class_names = [str(name) for name in class_names]
        if num_classes is not None and num_classes != len(class_names):
            raise ValueError(
                f"class_names는 {len(class_names)}개인데 num_classes={num_classes}입니다. "
                "둘을 맞추거나 하나만 넘기세요."
            )
        num_classes = len(class_names)
    per_class = precision_recall_f1(y_true, y_pred, average=None, zero_division=zero_division,
                                    num_classes=num_classes)
    p, r, f = (np.asarray(values) for values in per_class)  # arrays, as average=None gives
    y_true, y_pred = _check_pair(y_true, y_pred)
    support = np.bincount(y_true, minlength=p.size)
    if class_names is None:
        class_names = [str(c) for c in range(p.size)]

    rows = [(name, p[c], r[c], f[c], support[c]) for c, name in enumerate(class_names)]
    total = int(support.sum())
    summary = [
        ("정확도(accuracy)", None, None, accuracy(y_true, y_pred), total),
        ("매크로 평균", _average(p), _average(r), _average(f), total),
        ("가중 평균", _average(p, support), _average(r, support), _average(f, support), total),
    ]
    name_w = max(_width(row[0]) for row in rows + summary) + 2
    col_w = max(digits + 5, 8)
    header = _pad("", name_w) + "".join(_pad(h, col_w) for h in ("정밀도", "재현율", "F1", "개수"))

    def line(name: str, *values: float | int | None) -> str:
        cells = ["" if v is None else f"{v:.{digits}f}" for v in values[:3]]
        cells.append(str(values[3]))
        return _pad(name, name_w, left=True) + "".join(_pad(c, col_w) for c in cells)

    lines = [header, ""] + [line(*row) for row in rows] + [""] + [line(*row) for row in summary]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Precision–recall trade-off: move the decision threshold
# ---------------------------------------------------------------------------------------------
def _as_binary_and_scores(y_true: Any, scores: Any) -> tuple[np.ndarray, np.ndarray]:
    y_true = _as_labels(y_true, "y_true")
    if y_true.max() > 1:
        raise ValueError(
            f"y_true: 0/1 이진 레이블이 필요한데 클래스 {np.unique(y_true)[:10].tolist()}이 있습니다. "
            "다중 클래스라면 한 클래스를 양성으로 골라 (y_true == c)로 바꾸세요."
        )
    s = _array(scores, "scores")
    if s.ndim == 2:
        raise ValueError(
            f"scores: 샘플마다 점수 하나인 1차원 배열 (N,)이 필요한데 모양 {tuple(s.shape)}을 받았습니다. "
            "(N, 2) 확률이라면 양성 클래스 열 probs[:, 1]을 넘기세요."
        )
    _check_1d(s, "scores", "양성 점수")
    if s.dtype.kind not in "biuf":
        raise TypeError(f"scores: 숫자 배열이 필요한데 dtype {s.dtype}을 받았습니다.")
    s = s.astype(np.float64)
    if not np.all(np.isfinite(s)):
        raise ValueError("scores: NaN 또는 inf가 있습니다. 모델 출력(로짓/확률)을 확인하세요.")
    if s.shape != y_true.shape:
        raise ValueError(
            f"y_true와 scores의 길이가 다릅니다: y_true {y_true.shape[0]}개, scores {s.shape[0]}개."
        )
    return y_true, s


def precision_recall_curve(y_true: Any, scores: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision and recall for every decision threshold ("positive if score >= threshold").

    Args:
        y_true (array[N]): 0/1 labels, 1 = positive.
        scores (array[N]): a score per sample, larger = more positive (probability or logit).

    Returns:
        (precision, recall, thresholds) like scikit-learn: ``thresholds`` (array[T]) are the
        distinct scores in increasing order, ``precision[i]`` and ``recall[i]`` belong to
        ``thresholds[i]``, and the arrays of length T + 1 end with the point (precision 1,
        recall 0) that has no threshold. If y_true has no positives, recall is 1 everywhere
        (with a warning).
    """
    y_true, scores = _as_binary_and_scores(y_true, scores)
    # Sort from the most to the least confident sample. Lowering the threshold past each score
    # turns the samples with that score positive; after the last sample of each group of equal
    # scores, TP = positives seen so far and FP = the rest of what was seen.
    order = np.argsort(-scores, kind="stable")
    scores, y_true = scores[order], y_true[order]
    last_of_group = np.r_[np.flatnonzero(np.diff(scores)), scores.size - 1]
    tp = np.cumsum(y_true)[last_of_group]
    fp = (last_of_group + 1) - tp
    precision = tp / (tp + fp)
    if tp[-1] == 0:
        warnings.warn(
            "y_true에 양성(1) 샘플이 없어 재현율(recall)을 정의할 수 없습니다. 모든 임계값에서 재현율을 1로 둡니다.",
            UndefinedMetricWarning,
            stacklevel=2,
        )
        recall = np.ones(tp.shape)
    else:
        recall = tp / tp[-1]
    # Reverse to increasing thresholds (recall decreasing) and append the (1, 0) end point.
    return np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0], scores[last_of_group][::-1]


def threshold_for_recall(y_true: Any, scores: Any, min_recall: float = 0.95) -> tuple[float, float, float]:
    """The threshold with the best precision among those keeping recall >= ``min_recall``.

    Among thresholds with equally good precision it picks the lowest one, i.e. the one with the
    highest recall. Predict positive with ``scores >= threshold``.

    Args:
        y_true (array[N]): 0/1 labels with at least one positive.
        scores (array[N]): a score per sample, larger = more positive.
        min_recall (float): in [0, 1].

    Returns:
        (threshold, precision, recall) as floats.
    """
    min_recall = checks.probability("min_recall", min_recall, hint="재현율 95%는 0.95로 넣으세요.")
    y_true, scores = _as_binary_and_scores(y_true, scores)
    if not y_true.any():
        raise ValueError("y_true: 양성(1) 샘플이 하나도 없어 재현율을 정할 수 없습니다. 양성이 있는 데이터를 넘기세요.")
    precision, recall, thresholds = precision_recall_curve(y_true, scores)
    precision, recall = precision[:-1], recall[:-1]  # the (1, 0) end point has no threshold
    # Never empty: the lowest threshold predicts everything positive, so its recall is 1.
    candidates = np.flatnonzero(recall >= min_recall)
    best = candidates[np.argmax(precision[candidates])]  # first maximum = lowest threshold
    return float(thresholds[best]), float(precision[best]), float(recall[best])
