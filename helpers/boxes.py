"""Bounding boxes: formats, area, IoU, non-maximum suppression (NMS) and clipping.

Pure tensor functions in the style of ``torchvision.ops`` (and tested against it). A box set is a
``Tensor[N, 4]``; the default format is ``(x1, y1, x2, y2)`` ("xyxy") with ``x1 <= x2`` and
``y1 <= y2`` in pixels. Inputs may also be NumPy arrays or nested lists; they are converted with
``torch.as_tensor`` and results are tensors.

Two deliberate differences from torchvision, both documented where they apply:

* Boxes are validated (shape ``[N, 4]``, finite values, ``x2 >= x1``) and a Korean message says
  which box is wrong. An empty list ``[]`` is accepted as "no boxes" (``Tensor[0, 4]``).
* ``box_iou`` returns 0 (not NaN) when both boxes have zero area, because then the union is
  empty. This is also what pycocotools does. NMS gives the same result either way.

The coordinate convention is continuous (COCO, torchvision): a box ``(0, 0, 10, 10)`` is 10 pixels
wide. The old Pascal VOC devkit added 1 pixel (``x2 - x1 + 1``); this module does not.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, TypeAlias

import numpy as np
import torch
from torch import Tensor

from helpers import checks

__all__ = [
    "BOX_FORMATS",
    "box_convert",
    "box_area",
    "box_iou",
    "nms",
    "batched_nms",
    "clip_boxes",
    "iou_single",
    "check_boxes",
    "to_tensor",
    "reject_first_row",
    "ArrayLike",
    "BoxesLike",
]

BOX_FORMATS = ("xyxy", "xywh", "cxcywh")

# What the functions accept where they say "Tensor[N, 4]" / "Tensor[N]": a tensor, a NumPy array
# or a (nested) list of numbers; anything else is refused with a Korean message.
ArrayLike: TypeAlias = "Tensor | np.ndarray | Sequence[Any]"
BoxesLike: TypeAlias = "Tensor | np.ndarray | Sequence[Sequence[float]]"


# --------------------------------------------------------------------------------------------
# Input validation (Korean messages: students trigger these)
# --------------------------------------------------------------------------------------------
def to_tensor(x: Any, name: str) -> Tensor:
    """``x`` as a tensor (a tensor is returned as is), or a Korean ``TypeError`` naming ``name``."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, (str, bytes, dict)) or x is None:
        raise TypeError(
            f"{name}은(는) torch.Tensor(또는 NumPy 배열)여야 합니다. 받은 타입: {type(x).__name__}. "
            "torch.tensor([[x1, y1, x2, y2], ...]) 처럼 만들어 전달하세요."
        )
    try:
        return torch.as_tensor(np.asarray(x))
    except (TypeError, ValueError, RuntimeError) as exc:
        raise TypeError(
            f"{name}을(를) 텐서로 바꿀 수 없습니다 (타입 {type(x).__name__}). "
            "숫자로 된 [N, 4] 배열을 전달하세요."
        ) from exc


def reject_first_row(bad: Tensor, rows: Tensor, message: str) -> None:
    """Raise ``ValueError`` for the first row ``i`` where ``bad[i]`` is True (nothing if none is).

    ``message`` is a ``str.format`` template: ``{i}`` becomes the row's index and ``{row}`` its
    values as a list. Other modules of the course use this to name the first bad box they find.
    """
    if bool(bad.any()):
        i = int(bad.nonzero()[0, 0])
        raise ValueError(message.format(i=i, row=rows[i].tolist()))


def check_boxes(boxes: BoxesLike, name: str = "boxes", fmt: str = "xyxy") -> Tensor:
    """Validate a box set and return it as a ``Tensor[N, 4]`` (same dtype; lists and arrays converted).

    Checks the shape ``[N, 4]`` (``[]`` = no boxes), a real dtype, finite values and ``x2 >= x1``,
    ``y2 >= y1`` (for ``fmt="xyxy"``; ``w, h >= 0`` for the other formats). Raises ``ValueError`` or
    ``TypeError`` with a Korean message naming ``name`` and the first bad box. Other modules of
    the course use this to check boxes they receive.
    """
    fmt = _check_fmt(fmt, "fmt")
    boxes = to_tensor(boxes, name)
    if boxes.dim() == 1 and boxes.numel() == 0:  # [] means "no boxes"
        boxes = boxes.reshape(0, 4)
    if boxes.dim() != 2 or boxes.shape[1] != 4:
        raise ValueError(
            f"{name}의 모양은 [N, 4]여야 합니다 (상자 N개, 좌표 4개). 받은 모양: {tuple(boxes.shape)}. "
            "상자가 하나뿐이면 boxes[None] 또는 .reshape(1, 4)로 [1, 4]를 만드세요."
        )
    if boxes.dtype == torch.bool or boxes.is_complex():
        raise TypeError(f"{name}의 dtype은 실수 또는 정수여야 합니다. 받은 dtype: {boxes.dtype}.")
    if boxes.is_floating_point():
        reject_first_row(~torch.isfinite(boxes).all(dim=1), boxes,
                         name + "[{i}]에 NaN 또는 무한대 값이 있습니다: {row}. "
                         "모델 출력이나 좌표 계산(0으로 나누기 등)을 확인하세요.")
    if fmt == "xyxy":
        reject_first_row((boxes[:, 2] < boxes[:, 0]) | (boxes[:, 3] < boxes[:, 1]), boxes,
                         name + "[{i}] = {row} 는 올바른 (x1, y1, x2, y2) 상자가 아닙니다: "
                         "x2 >= x1, y2 >= y1 이어야 합니다. 좌표 순서를 확인하거나, (x, y, w, h) 형식이라면 "
                         "box_convert(boxes, 'xywh', 'xyxy')로 먼저 바꾸세요.")
    else:  # xywh / cxcywh: width and height must not be negative
        reject_first_row((boxes[:, 2] < 0) | (boxes[:, 3] < 0), boxes,
                         name + "[{i}] = {row} 의 너비/높이가 음수입니다 (" + fmt + " 형식). "
                         "w >= 0, h >= 0 이어야 합니다. 형식(in_fmt)이 맞는지 확인하세요.")
    return boxes


def _check_single_box(box: ArrayLike, name: str) -> Tensor:
    t = to_tensor(box, name)
    if t.numel() != 4:
        raise ValueError(
            f"{name}은(는) 좌표 4개 (x1, y1, x2, y2)여야 합니다. 받은 모양: {tuple(t.shape)}. "
            "여러 상자의 IoU는 box_iou(boxes1, boxes2)를 쓰세요."
        )
    return check_boxes(t.reshape(1, 4), name)


def _check_fmt(fmt: str, name: str) -> str:
    if fmt not in BOX_FORMATS:
        raise ValueError(
            f"{name}={fmt!r} 은(는) 지원하지 않는 상자 형식입니다. "
            f"{', '.join(repr(f) for f in BOX_FORMATS)} 중 하나를 쓰세요."
        )
    return fmt


def _check_scores(scores: ArrayLike, n: int, name: str = "scores") -> Tensor:
    scores = to_tensor(scores, name)
    if scores.dim() != 1 or scores.shape[0] != n:
        raise ValueError(
            f"{name}의 모양은 [N] = [{n}] (상자마다 점수 하나)여야 합니다. 받은 모양: {tuple(scores.shape)}."
        )
    if scores.is_floating_point():
        reject_first_row(~torch.isfinite(scores), scores,
                         name + "[{i}]가 NaN 또는 무한대입니다. 점수는 유한한 실수여야 합니다.")
    return scores


def _check_threshold(value: float | Tensor, name: str = "iou_threshold") -> float:
    if isinstance(value, Tensor) and value.numel() == 1:  # a one-element tensor counts as a number
        value = value.item()
    return checks.probability(name, value, hint="IoU가 이 값보다 큰 상자를 지웁니다 (예: 0.5).")


# --------------------------------------------------------------------------------------------
# Formats and area
# --------------------------------------------------------------------------------------------
def _upcast(t: Tensor) -> Tensor:
    # Avoid overflow/precision loss in products: half -> float32, small ints -> int32
    # (what torchvision does).
    if t.is_floating_point():
        return t if t.dtype in (torch.float32, torch.float64) else t.float()
    return t if t.dtype in (torch.int32, torch.int64) else t.int()


def _to_xyxy(boxes: Tensor, fmt: str) -> Tensor:
    if fmt == "xyxy":
        return boxes
    a, b, w, h = boxes.unbind(-1)
    if fmt == "xywh":  # (x1, y1) is the top-left corner
        return torch.stack((a, b, a + w, b + h), dim=-1)
    # cxcywh: (a, b) is the centre
    return torch.stack((a - 0.5 * w, b - 0.5 * h, a + 0.5 * w, b + 0.5 * h), dim=-1)


def _from_xyxy(boxes: Tensor, fmt: str) -> Tensor:
    if fmt == "xyxy":
        return boxes
    x1, y1, x2, y2 = boxes.unbind(-1)
    w, h = x2 - x1, y2 - y1
    if fmt == "xywh":
        return torch.stack((x1, y1, w, h), dim=-1)
    return torch.stack(((x1 + x2) / 2, (y1 + y2) / 2, w, h), dim=-1)


def box_convert(boxes: BoxesLike, in_fmt: str, out_fmt: str) -> Tensor:
    """Convert boxes between formats.

    Formats:
        ``"xyxy"``: (x1, y1, x2, y2), top-left and bottom-right corners (Pascal VOC, torchvision);
        ``"xywh"``: (x1, y1, w, h), top-left corner plus size (COCO ``bbox``);
        ``"cxcywh"``: (cx, cy, w, h), centre plus size (YOLO, DETR).

    Args:
        boxes (Tensor[N, 4]): boxes in ``in_fmt``.
        in_fmt (str): format of ``boxes``.
        out_fmt (str): wanted format.

    Returns:
        Tensor[N, 4]: the boxes in ``out_fmt`` (a new tensor, same dtype). Like torchvision, any
        conversion goes through "xyxy".
    """
    _check_fmt(in_fmt, "in_fmt")
    _check_fmt(out_fmt, "out_fmt")
    boxes = check_boxes(boxes, "boxes", fmt=in_fmt)
    if in_fmt == out_fmt:
        return boxes.clone()
    return _from_xyxy(_to_xyxy(boxes, in_fmt), out_fmt)


def box_area(boxes: BoxesLike) -> Tensor:
    """Area of each box.

    Args:
        boxes (Tensor[N, 4]): boxes in (x1, y1, x2, y2) format with ``x1 <= x2``, ``y1 <= y2``.

    Returns:
        Tensor[N]: ``(x2 - x1) * (y2 - y1)`` (integer boxes give integer areas).
    """
    return _box_area(check_boxes(boxes, "boxes"))


def _box_area(boxes: Tensor) -> Tensor:
    boxes = _upcast(boxes)
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


# --------------------------------------------------------------------------------------------
# IoU
# --------------------------------------------------------------------------------------------
def box_iou(boxes1: BoxesLike, boxes2: BoxesLike) -> Tensor:
    """Intersection over union (IoU, Jaccard index) of every pair of boxes.

    ``IoU(a, b) = area(a ∩ b) / area(a ∪ b)`` with ``area(a ∪ b) = area(a) + area(b) - area(a ∩ b)``.

    Args:
        boxes1 (Tensor[N, 4]): first set, (x1, y1, x2, y2) format.
        boxes2 (Tensor[M, 4]): second set, (x1, y1, x2, y2) format.

    Returns:
        Tensor[N, M]: ``iou[i, j]`` is the IoU of ``boxes1[i]`` and ``boxes2[j]``, in [0, 1]
        (floating point; integer boxes give float32). Touching or disjoint boxes give 0. Where the
        union is empty (two zero-area boxes) the result is 0, where torchvision returns NaN.
    """
    boxes1 = check_boxes(boxes1, "boxes1")
    boxes2 = check_boxes(boxes2, "boxes2")
    return _box_iou(boxes1, boxes2)


def _box_iou(boxes1: Tensor, boxes2: Tensor) -> Tensor:
    """:func:`box_iou` without input checks (for inner loops)."""
    area1 = _box_area(boxes1)  # [N]
    area2 = _box_area(boxes2)  # [M]
    # Broadcasting [N, 1, 2] against [1, M, 2] gives every pair at once: the intersection is the
    # box between the larger top-left corner and the smaller bottom-right corner.
    top_left = torch.maximum(boxes1[:, None, :2], boxes2[None, :, :2])  # [N, M, 2]
    bottom_right = torch.minimum(boxes1[:, None, 2:], boxes2[None, :, 2:])  # [N, M, 2]
    wh = _upcast(bottom_right - top_left).clamp(min=0)  # no overlap -> width or height 0
    inter = wh[..., 0] * wh[..., 1]  # [N, M]
    union = area1[:, None] + area2[None, :] - inter  # [N, M]
    iou = inter / union
    # 0 / 0 only happens for two zero-area boxes: call that IoU 0 (no overlap to speak of).
    return torch.where(union > 0, iou, torch.zeros_like(iou))


def iou_single(box_a: ArrayLike, box_b: ArrayLike) -> float:
    """IoU of two boxes, written out step by step (lesson 06).

    Args:
        box_a, box_b: four numbers each, (x1, y1, x2, y2) format: a list, tuple, NumPy array or
            tensor of shape [4].

    Returns:
        float: the IoU in [0, 1]; 0 for disjoint or touching boxes and for two empty boxes.
    """
    a = _check_single_box(box_a, "box_a")
    b = _check_single_box(box_b, "box_b")
    ax1, ay1, ax2, ay2 = (float(v) for v in a[0])
    bx1, by1, bx2, by2 = (float(v) for v in b[0])

    # 1. The intersection is the overlap of the two x-ranges times that of the two y-ranges.
    inter_w = max(0.0, min(ax2, bx2) - max(ax1, bx1))
    inter_h = max(0.0, min(ay2, by2) - max(ay1, by1))
    intersection = inter_w * inter_h
    # 2. The union counts the overlap once.
    union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - intersection
    # 3. IoU = intersection / union (two empty boxes: 0).
    return intersection / union if union > 0 else 0.0


# --------------------------------------------------------------------------------------------
# Non-maximum suppression
# --------------------------------------------------------------------------------------------
def nms(boxes: BoxesLike, scores: ArrayLike, iou_threshold: float) -> Tensor:
    """Non-maximum suppression: keep the best box of each group of overlapping boxes.

    Greedy, like torchvision: take the highest-scoring box still left, keep it, and discard every
    lower-scoring box whose IoU with it is greater than ``iou_threshold``; repeat.

    Args:
        boxes (Tensor[N, 4]): boxes in (x1, y1, x2, y2) format.
        scores (Tensor[N]): score of each box.
        iou_threshold (float): discard boxes with IoU > iou_threshold (strictly greater).

    Returns:
        Tensor[K]: int64 indices of the kept boxes, sorted by decreasing score. Equal scores are
        visited in input order (a stable sort) on every device. torchvision's CPU kernel does the
        same; its CUDA kernel may visit tied boxes in another order and so keep other boxes
        (seen on an H100: 87 of 200 random cases with many ties differed).
    """
    boxes = check_boxes(boxes, "boxes")
    scores = _check_scores(scores, boxes.shape[0])
    iou_threshold = _check_threshold(iou_threshold)
    return _greedy_nms(boxes, scores, iou_threshold, classes=None)


def batched_nms(boxes: BoxesLike, scores: ArrayLike, idxs: ArrayLike, iou_threshold: float) -> Tensor:
    """NMS within each category: boxes of different categories never suppress each other.

    Args:
        boxes (Tensor[N, 4]): boxes in (x1, y1, x2, y2) format.
        scores (Tensor[N]): score of each box.
        idxs (Tensor[N]): integer category (class) of each box.
        iou_threshold (float): discard boxes with IoU > iou_threshold with a kept box of the same
            category.

    Returns:
        Tensor[K]: int64 indices of the kept boxes, sorted by decreasing score (stable for ties).
    """
    boxes = check_boxes(boxes, "boxes")
    scores = _check_scores(scores, boxes.shape[0])
    idxs = to_tensor(idxs, "idxs")
    if idxs.dim() != 1 or idxs.shape[0] != boxes.shape[0]:
        raise ValueError(
            f"idxs의 모양은 [N] = [{boxes.shape[0]}] (상자마다 클래스 번호 하나)여야 합니다. "
            f"받은 모양: {tuple(idxs.shape)}."
        )
    if idxs.numel() == 0:
        idxs = idxs.long()
    if idxs.is_floating_point() or idxs.dtype == torch.bool:
        raise TypeError(f"idxs는 정수(클래스 번호) 텐서여야 합니다. 받은 dtype: {idxs.dtype}. .long()으로 바꾸세요.")
    iou_threshold = _check_threshold(iou_threshold)
    return _greedy_nms(boxes, scores, iou_threshold, classes=idxs)


def _greedy_nms(boxes: Tensor, scores: Tensor, iou_threshold: float, classes: Tensor | None) -> Tensor:
    order = torch.sort(scores, descending=True, stable=True).indices  # best first
    boxes = boxes[order]
    if classes is not None:
        classes = classes[order]
    n = boxes.shape[0]
    # overlaps[i, j]: would box i suppress box j? All pairs at once (vectorised), in blocks of
    # rows so that memory stays at N x N booleans.
    rows = []
    for start in range(0, n, 1024):
        # Compared in float64, as torchvision's kernel does: a float32 IoU of 0.4f is then
        # above 0.4, exactly as there.
        block = _box_iou(boxes[start : start + 1024], boxes).double() > iou_threshold  # [<=1024, N]
        if classes is not None:  # boxes of different classes never compete
            block &= classes[start : start + 1024, None] == classes[None, :]
        rows.append(block)
    overlaps = torch.cat(rows).cpu().numpy() if rows else np.zeros((0, 0), dtype=bool)

    # Greedy loop over the boxes, best first: a box that no kept box suppressed is kept, and
    # then suppresses the lower-scoring boxes it overlaps.
    suppressed = np.zeros(n, dtype=bool)
    keep = []
    for i in range(n):
        if suppressed[i]:
            continue
        keep.append(i)
        suppressed[i + 1 :] |= overlaps[i, i + 1 :]
    return order[torch.tensor(keep, dtype=torch.int64, device=order.device)]


# --------------------------------------------------------------------------------------------
# Clipping
# --------------------------------------------------------------------------------------------
def clip_boxes(boxes: BoxesLike, size: Sequence[float]) -> Tensor:
    """Clip boxes to the image: x into [0, width], y into [0, height].

    Args:
        boxes (Tensor[N, 4]): boxes in (x1, y1, x2, y2) format.
        size (tuple[int, int]): image size as (height, width), like ``image.shape[-2:]``.

    Returns:
        Tensor[N, 4]: clipped boxes (a box fully outside the image becomes a zero-area box on the
        border).
    """
    boxes = check_boxes(boxes, "boxes")
    try:
        height, width = (s.item() if isinstance(s, Tensor) else s for s in size)
        ok = all(isinstance(s, (int, float, np.integer, np.floating)) and not isinstance(s, bool)
                 for s in (height, width))
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(
            f"size는 (높이, 너비) 두 개의 숫자여야 합니다. 받은 값: {size!r}. 예: image.shape[-2:]"
        )
    if not (math.isfinite(height) and math.isfinite(width)):
        raise ValueError(
            f"size의 높이와 너비는 유한한 수여야 합니다 (NaN/무한대 불가). 받은 값: {size!r}. 예: image.shape[-2:]"
        )
    if height < 0 or width < 0:
        raise ValueError(f"size의 높이와 너비는 0 이상이어야 합니다. 받은 값: {size!r}.")
    x = boxes[:, 0::2].clamp(min=0, max=width)
    y = boxes[:, 1::2].clamp(min=0, max=height)
    return torch.stack((x[:, 0], y[:, 0], x[:, 1], y[:, 1]), dim=1)
