"""Simulated detector output: noisy predictions made from the ground truth (lesson 06).

Lesson 06 teaches IoU, matching and average precision before any detector is trained (lesson 07
trains real ones). To have predictions to score, :func:`simulate_detections` corrupts the ground
truth (GT) in the ways real detectors go wrong, one knob per kind of error::

    preds = simulate_detections(dataset, seed=0)     # one dict per image, like a torchvision model
    preds[0]["boxes"], preds[0]["scores"], preds[0]["labels"], preds[0]["kinds"]

The procedure, for every image (its own random stream ``(seed, image index)``):

1. **Miss** (``miss_rate``): each GT object is skipped with this probability: a false negative.
2. **Localisation error**: every other object gets one box. Its centre moves by a normal shift
   whose standard deviation is ``center_jitter`` × the object's width (height) **plus**
   ``pixel_jitter`` pixels, and its width and height are multiplied by ``exp(N(0, size_jitter))``.
   The constant part in pixels hurts small objects most, as in real detectors, whose feature maps
   are coarser than a small object. Boxes are clipped to the image.
3. **Score**: the IoU of the box with its object plus ``N(0, score_noise)``, clipped to
   [0.01, 0.99]. Better boxes tend to score higher, but not always: as with a real detector, the
   ranking is imperfect.
4. **Wrong class** (``label_noise``): the box gets one of the other classes.
5. **Duplicate** (``duplicate_rate``): a second box on the same object, jittered again, with a
   lower score (0.3 to 0.9 × the first): what non-maximum suppression failed to remove.
6. **False alarm** (``false_alarms``): a Poisson number of boxes (this mean per image) at random
   places, random class, log-uniform size from 3 % to 50 % of the image side, score uniform in
   [0.05, ``false_alarm_max_score``].

Each image's predictions are sorted by decreasing score, as torchvision's detectors return them.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import torch

from helpers import checks

if TYPE_CHECKING:
    from helpers.shapes import ShapesDataset

__all__ = ["KINDS", "simulate_detections"]

# What each simulated prediction is, in the order of the steps above.
KINDS = ("hit", "wrong_class", "duplicate", "false_alarm")

Targets: TypeAlias = "list[tuple[np.ndarray, np.ndarray]]"  # per image: boxes [G, 4] float64, labels [G] int64


def simulate_detections(
    data: ShapesDataset | Sequence[Mapping[str, Any]],
    image_size: int | tuple[int, int] | None = None,
    num_classes: int | None = None,
    *,
    miss_rate: float = 0.1,
    center_jitter: float = 0.05,
    pixel_jitter: float = 1.5,
    size_jitter: float = 0.08,
    score_noise: float = 0.1,
    label_noise: float = 0.03,
    duplicate_rate: float = 0.1,
    false_alarms: float = 0.5,
    false_alarm_max_score: float = 0.7,
    seed: int = 0,
) -> list[dict[str, Any]]:
    """Noisy "predictions" for every image of a detection dataset (see the module docstring).

    Args:
        data: a :class:`helpers.shapes.ShapesDataset`, or a sequence of target dicts with
            ``boxes`` (Tensor/ndarray[G, 4], (x1, y1, x2, y2) pixels) and ``labels`` (int [G],
            classes 1..K; 0 is the background).
        image_size (int or (width, height)): needed for a sequence of targets (boxes are clipped
            to the image, false alarms placed in it); taken from the dataset's config otherwise.
        num_classes (int): K, the number of object classes (labels 1..K). Default: the dataset's
            classes, or the largest label in ``data``.
        miss_rate, label_noise, duplicate_rate (float in [0, 1]): probabilities per GT object.
        center_jitter, size_jitter (float >= 0): relative localisation noise (see above).
        pixel_jitter (float >= 0): constant localisation noise in pixels.
        score_noise (float >= 0): standard deviation of the noise added to the IoU to make a score.
        false_alarms (float >= 0): mean number of false alarms per image.
        false_alarm_max_score (float in [0.05, 1]): highest score a false alarm can get.
        seed (int >= 0): same seed, same predictions.

    Returns:
        list of dicts, one per image, in the order of ``data``: ``boxes`` (FloatTensor[D, 4],
        (x1, y1, x2, y2)), ``scores`` (FloatTensor[D] in (0, 1)), ``labels`` (LongTensor[D]),
        sorted by decreasing score, plus ``kinds`` (list of D strings from :data:`KINDS`) and
        ``gt_index`` (LongTensor[D]: the GT object a prediction was made from, -1 for false
        alarms), which a real detector would not know but help to explain the scores.
    """
    targets, (width, height), k = _check_data(data, image_size, num_classes)
    rates = {"miss_rate": miss_rate, "label_noise": label_noise, "duplicate_rate": duplicate_rate}
    for name, value in rates.items():
        checks.probability(name, value, hint="객체마다 적용되는 확률입니다.")
    for name, value in (("center_jitter", center_jitter), ("pixel_jitter", pixel_jitter),
                        ("size_jitter", size_jitter), ("score_noise", score_noise), ("false_alarms", false_alarms)):
        checks.number(name, value, minimum=0.0)
    checks.number("false_alarm_max_score", false_alarm_max_score, minimum=0.05, maximum=1.0,
                  hint="거짓 경보의 점수는 0.05와 이 값 사이에서 뽑습니다.")
    checks.non_negative_int("seed", seed)

    out = []
    for i, (gt_boxes, gt_labels) in enumerate(targets):
        rng = np.random.default_rng([int(seed), i])  # one stream per image: reproducible
        g = len(gt_boxes)
        # Steps 1-4: at most one box per object.
        found = rng.random(g) >= miss_rate
        boxes = _jitter(gt_boxes, rng, center_jitter, pixel_jitter, size_jitter, width, height)
        scores = _score(boxes, gt_boxes, rng, score_noise)
        wrong = (rng.random(g) < label_noise) & (k > 1)
        labels = np.where(wrong, _other_class(gt_labels, k, rng), gt_labels)
        kinds = np.where(wrong, "wrong_class", "hit")
        # Step 5: duplicates of found objects, scored below the original.
        dup = found & (rng.random(g) < duplicate_rate)
        dup_boxes = _jitter(boxes, rng, center_jitter, pixel_jitter, size_jitter, width, height)
        dup_scores = scores * rng.uniform(0.3, 0.9, g)
        # Step 6: false alarms anywhere in the image.
        n_fa = int(rng.poisson(false_alarms))
        fa_boxes = _random_boxes(n_fa, rng, width, height)
        fa_scores = rng.uniform(0.05, false_alarm_max_score, n_fa)
        fa_labels = rng.integers(1, k + 1, n_fa)

        all_boxes = np.concatenate([boxes[found], dup_boxes[dup], fa_boxes])
        all_scores = np.concatenate([scores[found], dup_scores[dup], fa_scores])
        all_labels = np.concatenate([labels[found], labels[dup], fa_labels]).astype(np.int64)
        all_kinds = [*kinds[found], *["duplicate"] * int(dup.sum()), *["false_alarm"] * n_fa]
        gt_index = np.concatenate([np.flatnonzero(found), np.flatnonzero(dup), np.full(n_fa, -1)])
        order = np.argsort(-all_scores, kind="stable")  # best first, as torchvision detectors
        out.append({
            "boxes": torch.from_numpy(all_boxes[order].astype(np.float32)).reshape(-1, 4),
            "scores": torch.from_numpy(all_scores[order].astype(np.float32)),
            "labels": torch.from_numpy(all_labels[order]),
            "kinds": [str(all_kinds[j]) for j in order],
            "gt_index": torch.from_numpy(gt_index[order].astype(np.int64)),
        })
    return out


# ---------------------------------------------------------------------------------------------
# The steps
# ---------------------------------------------------------------------------------------------
def _jitter(boxes: np.ndarray, rng: np.random.Generator, center_jitter: float, pixel_jitter: float,
            size_jitter: float, width: int, height: int) -> np.ndarray:
    """Shift centres and scale sizes of ``boxes`` (ndarray[N, 4] xyxy), then clip to the image."""
    w = boxes[:, 2] - boxes[:, 0]
    h = boxes[:, 3] - boxes[:, 1]
    cx = (boxes[:, 0] + boxes[:, 2]) / 2 + rng.normal(0, 1, len(boxes)) * (center_jitter * w + pixel_jitter)
    cy = (boxes[:, 1] + boxes[:, 3]) / 2 + rng.normal(0, 1, len(boxes)) * (center_jitter * h + pixel_jitter)
    w = w * np.exp(rng.normal(0, size_jitter, len(boxes)))
    h = h * np.exp(rng.normal(0, size_jitter, len(boxes)))
    out = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=1)
    return np.clip(out, 0, [width, height, width, height])


def _score(boxes: np.ndarray, gt_boxes: np.ndarray, rng: np.random.Generator, score_noise: float) -> np.ndarray:
    """IoU of each box with the object it was made from, plus noise, in [0.01, 0.99]."""
    lt = np.maximum(boxes[:, :2], gt_boxes[:, :2])
    rb = np.minimum(boxes[:, 2:], gt_boxes[:, 2:])
    inter = np.clip(rb - lt, 0, None).prod(axis=1)
    union = _area(boxes) + _area(gt_boxes) - inter
    iou = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
    return np.clip(iou + rng.normal(0, score_noise, len(boxes)), 0.01, 0.99)


def _area(boxes: np.ndarray) -> np.ndarray:
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def _other_class(labels: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """A class in 1..k different from each label (uniform over the k - 1 others)."""
    if k < 2:
        return labels.copy()
    shift = rng.integers(1, k, len(labels))  # 1..k-1: never back to the same class
    return (labels - 1 + shift) % k + 1


def _random_boxes(n: int, rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """``n`` boxes of log-uniform size (3 % to 50 % of the image side) placed inside the image."""
    side = min(width, height)
    w = np.exp(rng.uniform(np.log(0.03 * side), np.log(0.5 * side), n))
    h = w * np.exp(rng.normal(0, 0.3, n))  # not all square
    w, h = np.minimum(w, width), np.minimum(h, height)
    x1 = rng.uniform(0, 1, n) * (width - w)
    y1 = rng.uniform(0, 1, n) * (height - h)
    return np.stack([x1, y1, x1 + w, y1 + h], axis=1).reshape(-1, 4)


# ---------------------------------------------------------------------------------------------
# Input checks (Korean messages: students trigger these)
# ---------------------------------------------------------------------------------------------
def _as_array(x: Any, name: str, dtype: type[np.generic]) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        x = checks.to_numpy(x, name)
    try:
        return np.asarray(x, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name}을(를) 숫자 배열로 바꿀 수 없습니다 (타입 {type(x).__name__}).") from exc


def _check_data(data: Any, image_size: Any, num_classes: Any) -> tuple[Targets, tuple[int, int], int]:
    """Targets as [(boxes ndarray[G, 4] float64, labels ndarray[G] int64)], (width, height), K."""
    if hasattr(data, "boxes") and hasattr(data, "labels") and hasattr(data, "config"):  # ShapesDataset
        pairs = list(zip(data.boxes, data.labels, strict=True))
        if image_size is None:
            image_size = data.config.image_size
        if num_classes is None:
            num_classes = len(data.config.classes)
    elif isinstance(data, Sequence) and not isinstance(data, (str, bytes)):
        pairs = []
        for i, target in enumerate(data):
            if not isinstance(target, Mapping) or "boxes" not in target or "labels" not in target:
                got = sorted(target) if isinstance(target, Mapping) else type(target).__name__
                raise ValueError(f"data[{i}]는 'boxes'와 'labels' 키가 있는 dict여야 합니다. 받은 것: {got}")
            pairs.append((target["boxes"], target["labels"]))
    else:
        raise TypeError(
            "data는 ShapesDataset 또는 이미지마다 dict(boxes=..., labels=...) 하나씩인 리스트여야 합니다. "
            f"받은 타입: {type(data).__name__}"
        )

    targets = []
    for i, (boxes, labels) in enumerate(pairs):
        boxes = _as_array(boxes, f"data[{i}]['boxes']", np.float64)
        labels = _as_array(labels, f"data[{i}]['labels']", np.float64)
        if boxes.size == 0:
            boxes = boxes.reshape(0, 4)
        if boxes.ndim != 2 or boxes.shape[1] != 4:
            raise ValueError(f"data[{i}]['boxes']의 모양은 [G, 4]여야 합니다. 받은 모양: {boxes.shape}")
        if not np.isfinite(boxes).all() or (boxes[:, 2] < boxes[:, 0]).any() or (boxes[:, 3] < boxes[:, 1]).any():
            raise ValueError(
                f"data[{i}]['boxes']에 NaN/무한대이거나 x2 < x1, y2 < y1인 상자가 있습니다. "
                "(x1, y1, x2, y2) 형식인지 확인하세요."
            )
        if labels.shape != (len(boxes),) or (labels.size and (labels.min() < 1 or np.any(labels != np.round(labels)))):
            raise ValueError(
                f"data[{i}]['labels']는 상자마다 1 이상의 정수 클래스 번호 하나씩이어야 합니다 (0은 배경). "
                f"받은 모양: {labels.shape}, 값: {labels.tolist()[:5]}"
            )
        targets.append((boxes, labels.astype(np.int64)))

    if image_size is None:
        raise ValueError("data가 리스트이면 image_size(정수 또는 (width, height))를 함께 주세요.")
    size = checks.size_pair(image_size, "image_size", order="(width, height)", square=True)

    max_label = max((int(labels.max()) for _, labels in targets if labels.size), default=1)
    if num_classes is None:
        num_classes = max_label
    num_classes = checks.integer("num_classes", num_classes, minimum=max_label,
                                 hint=f"data의 가장 큰 레이블이 {max_label}입니다 (클래스는 1..num_classes).")
    return targets, (int(size[0]), int(size[1])), num_classes
