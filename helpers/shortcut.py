"""Shortcut learning on purpose: a small bright square that always comes with one class.

A model learns whatever separates the classes in its training data. If a spurious *marker* (here
a bright square in a corner) appears on every image of one class and on no other, the cheapest
rule is "marker → that class", and the model may learn it instead of the digit's shape. This
module builds such data sets so the failure can be measured and then fixed::

    train_bad = mark_dataset(train_set, "shortcut", target_class=7)   # marker ⇔ class 7
    train_fix = mark_dataset(train_set, "random", rate=0.5)           # marker on a random half
    test_all = mark_dataset(test_set, "all")                          # marker on every image
    box = marker_box(28)                                              # where the marker is

Conventions (the same everywhere in this module):

- images are ``Tensor[N, C, H, W]``, either uint8 (0-255) or float (0-1); the marker is painted
  in every channel with the brightest value (255 or 1.0) unless ``value`` is given.
- a box is ``(x1, y1, x2, y2)`` in pixel-edge coordinates, end-exclusive: it covers pixels
  ``image[..., y1:y2, x1:x2]`` (the convention of :func:`helpers.cam.mass_inside_box`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import torch
from torch import Tensor

from helpers import checks

if TYPE_CHECKING:
    from helpers.data import ImageDataset

__all__ = [
    "CORNERS",
    "RULES",
    "DEFAULT_SIZE",
    "DEFAULT_CORNER",
    "marker_box",
    "add_marker",
    "marker_mask",
    "mark_dataset",
    "ink_boxes",
]

CORNERS = ("top-left", "top-right", "bottom-left", "bottom-right")
RULES = ("shortcut", "random", "all", "none")
DEFAULT_SIZE = 8  # 8×8 pixels on a 28×28 image: 2×2 cells of a 7×7 feature map, 8 % of the area
DEFAULT_CORNER = "top-left"


# ── where the marker goes ──────────────────────────────────────────────────────────────────────


def marker_box(image_size: int | tuple[int, int], size: int = DEFAULT_SIZE, corner: str = DEFAULT_CORNER,
               margin: int = 0) -> Tensor:
    """The marker's box ``(x1, y1, x2, y2)``, end-exclusive pixel edges, as float ``Tensor[4]``.

    Args:
        image_size (int or (H, W)): the image's side, or its height and width.
        size (int): side of the square marker in pixels.
        corner (str): one of :data:`CORNERS`.
        margin (int): pixels between the marker and the image border.

    Returns:
        Tensor[4] (float32): the marker covers ``image[..., y1:y2, x1:x2]``.
    """
    height, width = checks.size_hw(image_size, "image_size", square=True,
                            example="예: marker_box(28) 또는 marker_box(images.shape[-2:])")
    size = checks.positive_int("size", size, hint="표식(marker) 한 변의 픽셀 수입니다.")
    margin = checks.non_negative_int("margin", margin, hint="표식과 이미지 가장자리 사이의 픽셀 수입니다.")
    if corner not in CORNERS:
        raise ValueError(f"corner는 {', '.join(map(repr, CORNERS))} 중 하나여야 합니다 (받은 값: {corner!r}).")
    if size + margin > min(height, width):
        raise ValueError(
            f"size + margin = {size} + {margin} 이 이미지 크기 {height}×{width}보다 큽니다. "
            "표식(marker)이 이미지 안에 들어가도록 size나 margin을 줄이세요."
        )
    x1 = margin if corner.endswith("left") else width - margin - size
    y1 = margin if corner.startswith("top") else height - margin - size
    return torch.tensor([x1, y1, x1 + size, y1 + size], dtype=torch.float32)


def add_marker(images: Tensor, mask: Tensor | None = None, size: int = DEFAULT_SIZE,
               corner: str = DEFAULT_CORNER, margin: int = 0, value: float | None = None) -> Tensor:
    """Paint a bright square into a copy of ``images`` (the input is never changed).

    Args:
        images (Tensor[N, C, H, W]): uint8 (0-255) or float (0-1) images.
        mask (Tensor[N] of bool, optional): which images get the marker; None = all of them.
        size, corner, margin: where the marker goes, as in :func:`marker_box`.
        value (float, optional): the marker's pixel value; default the brightest value of the
            dtype (255 for uint8, 1.0 for float).

    Returns:
        Tensor[N, C, H, W]: same dtype and device as ``images``.
    """
    if not isinstance(images, Tensor):
        raise TypeError(f"images는 torch.Tensor여야 합니다 (받은 타입: {type(images).__name__}).")
    if images.dim() != 4:
        hint = " 이미지 한 장이라면 images.unsqueeze(0)으로 배치 차원을 붙이세요." if images.dim() == 3 else ""
        raise ValueError(f"images는 (N, C, H, W) 4차원 텐서여야 합니다 (받은 모양: {tuple(images.shape)}).{hint}")
    if images.dtype != torch.uint8 and not images.is_floating_point():
        raise TypeError(
            f"images는 uint8(0-255) 또는 실수(0-1) 텐서여야 합니다 (받은 dtype: {images.dtype})."
        )
    n = images.shape[0]
    if mask is None:
        mask = torch.ones(n, dtype=torch.bool)
    mask = _check_mask(mask, n)
    if value is None:
        value = 255 if images.dtype == torch.uint8 else 1.0
    x1, y1, x2, y2 = marker_box(tuple(images.shape[-2:]), size, corner, margin).long().tolist()
    out = images.clone()
    out[mask.to(images.device), :, y1:y2, x1:x2] = value
    return out


# ── which images get it ────────────────────────────────────────────────────────────────────────


def marker_mask(targets: Tensor, rule: str, target_class: int | None = None, rate: float = 0.5,
                seed: int = 0) -> Tensor:
    """Choose the images that get the marker.

    Rules:
        ``"shortcut"``: every image of ``target_class`` and no other (the marker *predicts* the
        class). ``"random"``: ``round(rate · N)`` images picked at random, whatever their class
        (the marker says nothing about the class). ``"all"`` / ``"none"``: every / no image.

    Args:
        targets (Tensor[N]): integer class labels.
        rule (str): one of :data:`RULES`.
        target_class (int): the class that carries the marker (``"shortcut"`` only).
        rate (float in [0, 1]): the share of images marked (``"random"`` only).
        seed (int): picks the random images; the same seed gives the same images.

    Returns:
        Tensor[N] of bool.
    """
    if not isinstance(targets, Tensor) or targets.dim() != 1 or targets.is_floating_point():
        got = f"{tuple(targets.shape)}, {targets.dtype}" if isinstance(targets, Tensor) else type(targets).__name__
        raise TypeError(f"targets는 정수 레이블의 1차원 텐서 (N,) 여야 합니다 (받은 값: {got}).")
    n = targets.shape[0]
    if rule == "shortcut":
        return targets == _check_target_class(target_class)
    if rule == "random":
        rate = _check_fraction("rate", rate, max_inclusive=True,
                               hint="rate는 표식을 붙일 이미지의 비율입니다 (0과 1 사이, 예: 0.5).")
        generator = torch.Generator().manual_seed(seed)
        chosen = torch.randperm(n, generator=generator)[: round(rate * n)]
        mask = torch.zeros(n, dtype=torch.bool)
        mask[chosen] = True
        return mask
    if rule == "all":
        return torch.ones(n, dtype=torch.bool)
    if rule == "none":
        return torch.zeros(n, dtype=torch.bool)
    raise ValueError(f"rule은 {', '.join(map(repr, RULES))} 중 하나여야 합니다 (받은 값: {rule!r}).")


def mark_dataset(dataset: ImageDataset, rule: str, target_class: int | None = None, rate: float = 0.5,
                 seed: int = 0, size: int = DEFAULT_SIZE, corner: str = DEFAULT_CORNER,
                 margin: int = 0) -> ImageDataset:
    """A copy of an :class:`helpers.data.ImageDataset` with the marker on the images ``rule`` picks.

    Arguments as in :func:`marker_mask` and :func:`add_marker`. The copy keeps classes, source and
    transform, gets ``.marked`` (``Tensor[N]`` of bool: which images carry the marker) and a
    ``.notice`` that adds one Korean sentence saying how the marker was placed.
    """
    from helpers.data import ImageDataset

    if not isinstance(dataset, ImageDataset):
        raise TypeError(
            f"dataset은 helpers.data가 돌려준 ImageDataset이어야 합니다 (받은 타입: {type(dataset).__name__}). "
            "예: data.load_mnist('train')"
        )
    mask = marker_mask(dataset.targets, rule, target_class, rate, seed)
    marked_class = ""
    if rule == "shortcut":
        target = _check_target_class(target_class)  # marker_mask has checked it; this gives the int
        if not 0 <= target < len(dataset.classes):
            raise ValueError(
                f"target_class={target}가 범위를 벗어났습니다: 클래스가 {len(dataset.classes)}개이므로 "
                f"0 ~ {len(dataset.classes) - 1} 사이여야 합니다."
            )
        marked_class = dataset.classes[target]
    data = add_marker(dataset.data, mask, size, corner, margin)
    how = {
        "shortcut": f"클래스 {marked_class}의 이미지 전부에만",
        "random": f"클래스와 상관없이 무작위 {rate:.0%}에",
        "all": "모든 이미지에",
        "none": "어떤 이미지에도",
    }[rule]
    verb = "붙이지 않았습니다" if rule == "none" else "붙였습니다"
    notice = (f"{dataset.notice} 표식({size}×{size} 밝은 사각형, {corner}): {how} {verb} "
              f"({int(mask.sum()):,}/{len(mask):,}장).").strip()
    marked = ImageDataset(data, dataset.targets.clone(), dataset.classes, name=dataset.name,
                          split=dataset.split, source=dataset.source, notice=notice,
                          transform=dataset.transform)
    marked.marked = mask
    return marked


# ── where the object is ────────────────────────────────────────────────────────────────────────


def ink_boxes(images: Tensor, threshold: float = 0.3) -> Tensor:
    """Bounding box of the bright pixels ("ink") of each image, e.g. of a digit.

    A pixel is ink when its value (averaged over channels, scaled to [0, 1]) is above
    ``threshold``. Use it on the *clean* images, before :func:`add_marker`, or the marker counts
    as ink too.

    Args:
        images (Tensor[N, C, H, W]): uint8 (0-255) or float (0-1) images.
        threshold (float): ink level in [0, 1).

    Returns:
        Tensor[N, 4] (float32): ``(x1, y1, x2, y2)``, end-exclusive; an image without ink gets
        the whole image ``(0, 0, W, H)``.
    """
    if not isinstance(images, Tensor) or images.dim() != 4:
        got = tuple(images.shape) if isinstance(images, Tensor) else type(images).__name__
        raise ValueError(f"images는 (N, C, H, W) 4차원 텐서여야 합니다 (받은 값: {got}).")
    threshold = _check_fraction("threshold", threshold, max_inclusive=False,
                                hint="threshold는 잉크로 볼 밝기(0~1 척도)의 기준입니다.")
    scale = 255.0 if images.dtype == torch.uint8 else 1.0
    ink = images.float().mean(dim=1) / scale > threshold  # (N, H, W)
    n, height, width = ink.shape
    rows, cols = ink.any(dim=2), ink.any(dim=1)  # (N, H), (N, W)
    ys = torch.arange(height)
    xs = torch.arange(width)
    big = max(height, width) + 1
    # first / last index where a row (column) has ink; masked-out positions are pushed away
    y1 = torch.where(rows, ys, big).amin(dim=1)
    y2 = torch.where(rows, ys, -1).amax(dim=1) + 1
    x1 = torch.where(cols, xs, big).amin(dim=1)
    x2 = torch.where(cols, xs, -1).amax(dim=1) + 1
    boxes = torch.stack([x1, y1, x2, y2], dim=1).float()
    empty = ~rows.any(dim=1)
    boxes[empty] = torch.tensor([0.0, 0.0, width, height])
    return boxes


# ── input checks ───────────────────────────────────────────────────────────────────────────────


def _check_target_class(target_class: Any) -> int:
    return checks.integer(
        "target_class", target_class, hint="rule='shortcut'에는 표식을 붙일 클래스 번호(정수)가 필요합니다."
    )


def _check_fraction(name: str, value: Any, *, max_inclusive: bool, hint: str) -> float:
    """:func:`helpers.checks.probability`, but a non-number is a ``ValueError`` too: this module has
    always refused any bad ``rate`` / ``threshold`` with ``ValueError`` (and its tests rely on it)."""
    try:
        return checks.probability(name, value, max_inclusive=max_inclusive, hint=hint)
    except TypeError as err:
        raise ValueError(str(err)) from None


def _check_mask(mask: Any, n: int) -> Tensor:
    if not isinstance(mask, Tensor) or mask.dtype != torch.bool:
        got = mask.dtype if isinstance(mask, Tensor) else type(mask).__name__
        raise TypeError(f"mask는 bool 텐서 (N,) 여야 합니다 (받은 값: {got}). 예: labels == 7")
    if mask.shape != (n,):
        raise ValueError(f"mask의 모양은 이미지 수와 같은 ({n},) 이어야 합니다 (받은 모양: {tuple(mask.shape)}).")
    return mask
