"""A synthetic object-detection dataset: coloured shapes on noisy or textured backgrounds.

Lessons 06 and 07 need a detection dataset that is generated in seconds, offline, with exact
boxes and objects from tiny to large (d2l's banana set is the precedent). Every image is drawn
with NumPy masks::

    config = ShapesConfig(image_size=128, num_images=500, seed=0)
    dataset = generate(config)              # a torch Dataset
    image, target = dataset[0]              # Tensor[3, H, W] in [0, 1], dict(boxes, labels, image_id)
    train, val, test = splits(config)       # three disjoint datasets, sizes from the profile

Conventions
-----------
* **Coordinates.** Pixel ``(row i, column j)`` covers the square ``[j, j+1) x [i, i+1)``. A box
  ``(x1, y1, x2, y2)`` is float, in pixels, with ``x2``/``y2`` exclusive: an object whose
  leftmost pixel column is 10 and rightmost is 19 has ``x1 = 10.0`` and ``x2 = 20.0``, so the box
  width ``x2 - x1`` is the number of pixel columns it spans (COCO's and torchvision's convention).
* **Labels.** ``labels`` are ``1..K`` in the order of ``config.classes``; ``0`` is reserved for the
  background, as torchvision's detection models expect. ``dataset.classes[0]`` is
  ``"__background__"``, so ``dataset.classes[label]`` is always the name.
* **Boxes are tight around the visible pixels.** Objects are painted one after another, so a
  later shape can hide part of an earlier one; the box of each object encloses exactly the pixels
  that still show its colour. Each object keeps at least ``min_visible`` of its pixels.
* **Determinism.** Image ``i`` of a dataset depends only on ``(seed, split, i)``: the same config
  gives the same pixels and boxes on every machine, and a longer dataset starts with the images of
  a shorter one.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.utils.data import Dataset

from helpers import checks, sizes

__all__ = [
    "SHAPE_NAMES",
    "BACKGROUNDS",
    "COCO_AREA_RANGES",
    "ShapesConfig",
    "ShapesDataset",
    "generate",
    "splits",
    "collate_detection",
    "size_category",
]

BACKGROUNDS = ("noise", "texture", "plain")

# COCO's object-size groups by area in pixels² (small < 32², medium < 96², large the rest).
COCO_AREA_RANGES = {"small": (0.0, 32.0**2), "medium": (32.0**2, 96.0**2), "large": (96.0**2, float("inf"))}

_MAX_ATTEMPTS = 60  # placements tried per object before giving up on it
_MAX_RESTARTS = 20  # fresh starts of one image before the config is declared infeasible


# ---------------------------------------------------------------------------------------------
# Shapes: each is a boolean test on pixel-centre offsets (dx, dy) from the shape's centre, for a
# shape whose extent is ``size`` pixels (half = size / 2). Adding a shape = adding one function.
# ---------------------------------------------------------------------------------------------
def _circle(dx: np.ndarray, dy: np.ndarray, half: float) -> np.ndarray:
    return dx**2 + dy**2 <= half**2


def _square(dx: np.ndarray, dy: np.ndarray, half: float) -> np.ndarray:
    return (np.abs(dx) <= half) & (np.abs(dy) <= half)


def _triangle(dx: np.ndarray, dy: np.ndarray, half: float) -> np.ndarray:
    # Upright: apex at dy = -half, base at dy = +half where it is ``size`` wide.
    return (dy <= half) & (np.abs(dx) <= (dy + half) / 2)


def _diamond(dx: np.ndarray, dy: np.ndarray, half: float) -> np.ndarray:
    return np.abs(dx) + np.abs(dy) <= half


def _cross(dx: np.ndarray, dy: np.ndarray, half: float) -> np.ndarray:
    ax, ay = np.abs(dx), np.abs(dy)
    arm = half / 3
    return ((ax <= half) & (ay <= arm)) | ((ax <= arm) & (ay <= half))


_SHAPES: dict[str, Callable[[np.ndarray, np.ndarray, float], np.ndarray]] = {
    "circle": _circle,
    "square": _square,
    "triangle": _triangle,
    "diamond": _diamond,
    "cross": _cross,
}
SHAPE_NAMES = tuple(_SHAPES)

# Base colour of each shape when colours follow the class (RGB in [0, 1]); jittered per object.
_CLASS_COLOURS = {
    "circle": (0.90, 0.20, 0.20),
    "square": (0.20, 0.45, 0.95),
    "triangle": (0.95, 0.80, 0.15),
    "diamond": (0.20, 0.80, 0.30),
    "cross": (0.85, 0.30, 0.85),
}
_COLOUR_JITTER = 0.08


def _default_num_images() -> int:
    return int(sizes.for_module("shapes").num_images)


@dataclass(frozen=True)
class ShapesConfig:
    """Everything that defines a shapes dataset. Same config → same images, pixel for pixel.

    Args:
        image_size: side of the square images in pixels.
        num_images: how many images :func:`generate` draws (default from the profile, see
            :mod:`helpers.sizes`: 1,000 full, 100 quick). :func:`splits` ignores it.
        classes: shape names, a subset of ``SHAPE_NAMES`` (``circle``, ``square``, ``triangle``,
            ``diamond``, ``cross``); class ``k`` (1-based) is ``classes[k - 1]``.
        min_objects, max_objects: objects per image, drawn uniformly from this range.
        min_size, max_size: object extent in pixels (diameter / side), drawn log-uniformly so
            small objects are as common as large ones; 6..48 px at 128 px covers COCO-small
            (area < 32²) and medium objects up to a third of the image side.
        allow_overlap: ``False`` keeps every pair of boxes at IoU ≤ ``max_iou`` (``max_iou=0``
            forbids overlapping boxes); ``True`` lets shapes overlap freely.
        max_iou: the IoU limit used when ``allow_overlap`` is ``False``.
        min_visible: fraction of its pixels each object keeps when later shapes cover it.
        background: ``"noise"`` (grey with per-pixel noise), ``"texture"`` (smooth colour
            blobs, stripes and grain) or ``"plain"`` (one flat colour per image).
        color_by_class: ``True`` gives each class its own base colour (with slight jitter), so a
            small detector learns quickly; ``False`` draws a random colour per object, so the
            class must be read from the shape alone.
        seed: the random seed; different seeds give different datasets.
    """

    image_size: int = 128
    num_images: int = field(default_factory=_default_num_images)
    classes: tuple[str, ...] = ("circle", "square", "triangle")
    min_objects: int = 1
    max_objects: int = 4
    min_size: float = 6
    max_size: float = 48
    allow_overlap: bool = False
    max_iou: float = 0.3
    min_visible: float = 0.5
    background: str = "noise"
    color_by_class: bool = True
    seed: int = 0

    def __post_init__(self) -> None:
        if isinstance(self.classes, str) or not isinstance(self.classes, Sequence):
            raise TypeError(
                f"classes는 도형 이름의 튜플이어야 합니다 (예: ('circle', 'square')). 받은 값: {self.classes!r}"
            )
        object.__setattr__(self, "classes", tuple(self.classes))
        checks.integer("image_size", self.image_size, minimum=16)
        checks.integer("num_images", self.num_images, minimum=0)
        checks.integer("min_objects", self.min_objects, minimum=0)
        checks.integer("max_objects", self.max_objects, minimum=1, maximum=50)
        checks.integer("seed", self.seed, minimum=0)
        if self.min_objects > self.max_objects:
            raise ValueError(
                f"min_objects({self.min_objects})가 max_objects({self.max_objects})보다 큽니다. "
                "min_objects ≤ max_objects 가 되게 설정하세요."
            )
        if not self.classes:
            raise ValueError("classes가 비어 있습니다. 도형 이름을 하나 이상 주세요 (예: ('circle',)).")
        unknown = [c for c in self.classes if c not in _SHAPES]
        if unknown:
            raise ValueError(
                f"classes에 알 수 없는 도형 {unknown} 이 있습니다. 사용할 수 있는 도형: {list(SHAPE_NAMES)}"
            )
        if len(set(self.classes)) != len(self.classes):
            raise ValueError(f"classes에 같은 이름이 두 번 이상 있습니다: {self.classes}")
        for name in ("min_size", "max_size", "max_iou", "min_visible"):
            value = getattr(self, name)
            checks.number(name, value)  # type and finiteness; the ranges are checked together below
        if not 2 <= self.min_size <= self.max_size <= self.image_size:
            raise ValueError(
                "객체 크기는 2 ≤ min_size ≤ max_size ≤ image_size 여야 합니다. "
                f"받은 값: min_size={self.min_size}, max_size={self.max_size}, image_size={self.image_size}"
            )
        if not 0.0 <= self.max_iou <= 1.0:
            raise ValueError(f"max_iou는 0 이상 1 이하여야 합니다. 받은 값: {self.max_iou}")
        if not 0.0 < self.min_visible <= 1.0:
            raise ValueError(f"min_visible은 0보다 크고 1 이하여야 합니다. 받은 값: {self.min_visible}")
        if self.background not in BACKGROUNDS:
            raise ValueError(
                f"background={self.background!r} 는 지원하지 않습니다. {list(BACKGROUNDS)} 중 하나를 고르세요."
            )


# ---------------------------------------------------------------------------------------------
# Drawing one image
# ---------------------------------------------------------------------------------------------
def _background(kind: str, size: int, rng: np.random.Generator) -> np.ndarray:
    """A float32 (H, W, 3) background in [0, 1], muted so saturated shapes stand out."""
    if kind == "plain":
        return np.broadcast_to(rng.uniform(0.25, 0.65, 3).astype(np.float32), (size, size, 3)).copy()
    if kind == "noise":
        base = rng.uniform(0.3, 0.6, 3).astype(np.float32)
        return base + (rng.random((size, size, 3), dtype=np.float32) - 0.5) * 0.3
    # "texture": a coarse random colour grid, bilinearly upsampled (two small matrix products),
    # plus stripes at a random angle.
    cells = 6
    grid = rng.uniform(0.15, 0.7, (cells, cells, 3)).astype(np.float32)
    pos = (np.arange(size, dtype=np.float32) + 0.5) / size * (cells - 1)
    left = np.clip(np.floor(pos).astype(int), 0, cells - 2)
    frac = pos - left
    interp = np.zeros((size, cells), np.float32)  # row r mixes grid cells left[r], left[r] + 1
    interp[np.arange(size), left] = 1 - frac
    interp[np.arange(size), left + 1] = frac
    image = np.stack([interp @ grid[:, :, c] @ interp.T for c in range(3)], axis=-1)
    angle, period = rng.uniform(0, np.pi), rng.uniform(6, 20)
    coords = np.arange(size, dtype=np.float32)
    phase = coords[None, :] * np.cos(angle) + coords[:, None] * np.sin(angle)
    stripes = 0.08 * np.sin(2 * np.pi * phase / period)
    return image + stripes[..., None]


def _sample_shape(config: ShapesConfig, rng: np.random.Generator) -> tuple[int, tuple[int, int], np.ndarray]:
    """Draw one shape: (class index 1..K, (y0, x0) of its patch, boolean mask patch)."""
    label = int(rng.integers(len(config.classes))) + 1
    size = float(np.exp(rng.uniform(np.log(config.min_size), np.log(config.max_size))))
    half = size / 2
    n = config.image_size
    cx, cy = rng.uniform(half, n - half, 2)  # the whole shape lies inside the image
    x0, x1 = max(int(np.floor(cx - half)), 0), min(int(np.ceil(cx + half)), n)
    y0, y1 = max(int(np.floor(cy - half)), 0), min(int(np.ceil(cy + half)), n)
    dx = np.arange(x0, x1) + 0.5 - cx  # pixel centres relative to the shape's centre
    dy = np.arange(y0, y1) + 0.5 - cy
    mask = _SHAPES[config.classes[label - 1]](dx[None, :], dy[:, None], half)
    return label, (y0, x0), mask


def _visible_boxes(owner: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Tight boxes (count, 4) xyxy and pixel counts (count,) of objects 1..count in ``owner``."""
    masks = owner[None] == np.arange(1, count + 1, dtype=owner.dtype)[:, None, None]
    rows, cols = masks.any(axis=2), masks.any(axis=1)  # (count, H), (count, W)
    height, width = owner.shape
    boxes = np.stack(
        [
            cols.argmax(axis=1),
            rows.argmax(axis=1),
            width - cols[:, ::-1].argmax(axis=1),  # one past the last column with a pixel
            height - rows[:, ::-1].argmax(axis=1),
        ],
        axis=1,
    ).astype(np.float32)
    return boxes, masks.sum(axis=(1, 2))


def _max_pairwise_iou(boxes: np.ndarray) -> float:
    if len(boxes) < 2:
        return 0.0
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    lt = np.maximum(boxes[:, None, :2], boxes[None, :, :2])
    rb = np.minimum(boxes[:, None, 2:], boxes[None, :, 2:])
    inter = np.clip(rb - lt, 0, None).prod(axis=2)
    iou = inter / (area[:, None] + area[None, :] - inter)
    np.fill_diagonal(iou, 0.0)
    return float(iou.max())


def _place_objects(config: ShapesConfig, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Place shapes one by one under the overlap and visibility rules.

    Returns ``owner`` (H, W) uint8 (0 = background, k = k-th object, later objects on top),
    labels (N,) and the full (unoccluded) pixel count of each object (N,).
    """
    n = config.image_size
    for _ in range(_MAX_RESTARTS):
        owner = np.zeros((n, n), np.uint8)
        labels: list[int] = []
        full_areas: list[int] = []
        target = int(rng.integers(config.min_objects, config.max_objects + 1))
        for _ in range(target):
            for _ in range(_MAX_ATTEMPTS):
                label, (y0, x0), mask = _sample_shape(config, rng)
                area = int(mask.sum())
                if area == 0:
                    continue
                k = len(labels) + 1
                trial = owner.copy()
                patch = trial[y0 : y0 + mask.shape[0], x0 : x0 + mask.shape[1]]
                patch[mask] = k
                boxes, visible = _visible_boxes(trial, k)
                if k > 1 and np.min(visible[:-1] / np.array(full_areas)) < config.min_visible:
                    continue  # the new shape would hide too much of an earlier one
                if not config.allow_overlap and _max_pairwise_iou(boxes) > config.max_iou:
                    continue
                owner = trial
                labels.append(label)
                full_areas.append(area)
                break
            else:  # no valid place for this object: keep the image with fewer objects
                break
        if len(labels) >= config.min_objects:
            return owner, np.array(labels, np.int64), np.array(full_areas, np.int64)
    raise ValueError(
        f"min_objects={config.min_objects}개의 도형을 조건(max_iou={config.max_iou}, "
        f"min_visible={config.min_visible})에 맞게 {n}×{n} 이미지에 배치하지 못했습니다. "
        "max_size나 min_objects를 줄이거나 allow_overlap=True로 설정하세요."
    )


def _random_colour(config: ShapesConfig, label: int, rng: np.random.Generator) -> np.ndarray:
    if config.color_by_class:
        base = np.array(_CLASS_COLOURS[config.classes[label - 1]], np.float32)
        return np.clip(base + rng.uniform(-_COLOUR_JITTER, _COLOUR_JITTER, 3), 0, 1)
    # A random saturated, bright colour: HSV (h, s, v) → RGB.
    h, s, v = rng.uniform(0, 1), rng.uniform(0.6, 1.0), rng.uniform(0.7, 1.0)
    k = (np.array([5.0, 3.0, 1.0]) + h * 6) % 6
    return (v - v * s * np.clip(np.minimum(k, 4 - k), 0, 1)).astype(np.float32)


def _draw_image(
    config: ShapesConfig, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One image: uint8 (H, W, 3), owner map, labels, full areas."""
    image = _background(config.background, config.image_size, rng)
    owner, labels, full_areas = _place_objects(config, rng)
    if len(labels):
        # Row k of the palette is object k's colour (row 0 unused): one gather paints all shapes.
        palette = np.zeros((len(labels) + 1, 3), np.float32)
        palette[1:] = [_random_colour(config, int(label), rng) for label in labels]
        inside = owner > 0
        image[inside] = palette[owner[inside]]
    if config.background != "plain":  # sensor-like grain over shapes and background alike
        image += (rng.random(image.shape, dtype=np.float32) - 0.5) * 0.1
    image = (np.clip(image, 0.0, 1.0) * 255 + 0.5).astype(np.uint8)
    return image, owner, labels, full_areas


# ---------------------------------------------------------------------------------------------
# The dataset
# ---------------------------------------------------------------------------------------------
class ShapesDataset(Dataset):
    """Generated shapes images with their boxes; build it with :func:`generate` or :func:`splits`.

    ``dataset[i]`` returns ``(image, target)``:

    * ``image`` (Tensor[3, H, W], float32 in [0, 1]),
    * ``target`` dict with ``boxes`` (FloatTensor[N, 4] in (x1, y1, x2, y2) pixel format),
      ``labels`` (LongTensor[N], values 1..K; 0 is the background) and ``image_id`` (int, = i),

    the format torchvision's detection models take. ``transforms``, if given, is called as
    ``image, target = transforms(image, target)``.

    Attributes:
        classes (tuple[str]): ``("__background__", *config.classes)``; ``classes[label]`` is the name.
        config (ShapesConfig): what generated it.
        images (ndarray[N, H, W, 3] uint8): the raw pixels.
        boxes (list of ndarray[N_i, 4] float32), labels (list of ndarray[N_i] int64): per image.
    """

    def __init__(
        self,
        config: ShapesConfig,
        images: np.ndarray,
        owners: np.ndarray,
        labels: list[np.ndarray],
        full_areas: list[np.ndarray],
        transforms: Callable | None = None,
    ) -> None:
        self.config = config
        self.classes = ("__background__",) + tuple(config.classes)
        self.images = images
        self._owners = owners
        self.labels = labels
        self._full_areas = full_areas
        self.boxes = [_visible_boxes(owner, len(lab))[0] for owner, lab in zip(owners, labels, strict=True)]
        self.transforms = transforms

    def __len__(self) -> int:
        return len(self.images)

    def _check_index(self, index: object) -> int:
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
            raise TypeError(f"인덱스는 정수여야 합니다. 받은 값: {index!r} ({type(index).__name__})")
        n = len(self)
        if not -n <= index < n:
            raise IndexError(f"인덱스 {index} 가 범위를 벗어났습니다. 이 데이터셋에는 이미지가 {n}장 있습니다 (0..{n - 1}).")
        return int(index) % n

    def __getitem__(self, index: int) -> tuple[torch.Tensor, dict[str, Any]]:
        i = self._check_index(index)
        image = torch.from_numpy(self.images[i]).permute(2, 0, 1).float().div_(255.0)
        target = {
            "boxes": torch.from_numpy(self.boxes[i].copy()),
            "labels": torch.from_numpy(self.labels[i].copy()),
            "image_id": i,
        }
        if self.transforms is not None:
            image, target = self.transforms(image, target)
        return image, target

    def masks(self, index: int) -> torch.Tensor:
        """Visible-pixel masks of image ``index``: BoolTensor[N, H, W], in the order of its boxes."""
        i = self._check_index(index)
        count = len(self.labels[i])
        owner = torch.from_numpy(self._owners[i])
        return owner[None] == torch.arange(1, count + 1, dtype=owner.dtype)[:, None, None]

    def occlusion(self, index: int) -> np.ndarray:
        """Visible fraction (N,) float of each object of image ``index`` (1.0 = nothing covers it)."""
        i = self._check_index(index)
        visible = _visible_boxes(self._owners[i], len(self.labels[i]))[1]
        return visible / self._full_areas[i]

    def file_name(self, index: int) -> str:
        """The image's file name in exports: ``"000042.png"`` (VOC/KITTI style, 0-based)."""
        return f"{self._check_index(index):06d}.png"

    def to_records(self, include_masks: bool = False) -> list[dict]:
        """The annotations as plain records for :mod:`helpers.annotations`.

        Each record: ``file_name`` (str), ``width``/``height`` (int), ``image_id`` (int),
        ``boxes`` (ndarray[N, 4] float64, xyxy pixels), ``labels`` (list of class names) and
        ``occluded`` (ndarray[N] int, KITTI levels: 0 fully visible, 1 partly, 2 largely);
        with ``include_masks=True`` also ``masks`` (ndarray[N, H, W] bool, visible pixels).
        """
        records = []
        size = self.config.image_size
        for i in range(len(self)):
            visible = self.occlusion(i)
            record = {
                "file_name": self.file_name(i),
                "width": size,
                "height": size,
                "image_id": i,
                "boxes": self.boxes[i].astype(np.float64),
                "labels": [self.classes[int(k)] for k in self.labels[i]],
                "occluded": np.where(visible >= 1.0, 0, np.where(visible >= 0.5, 1, 2)).astype(np.int64),
            }
            if include_masks:
                record["masks"] = self.masks(i).numpy()
            records.append(record)
        return records

    def save_images(self, out_dir: str | Path) -> list[Path]:
        """Write every image as PNG (``out_dir/000000.png`` …) and return the paths."""
        from PIL import Image

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for i in range(len(self)):
            path = out / self.file_name(i)
            Image.fromarray(self.images[i]).save(path)
            paths.append(path)
        return paths

    def summary(self) -> dict:
        """Counts for a quick look: images, objects, objects per class and per COCO size group."""
        all_boxes = np.concatenate(self.boxes) if self.boxes else np.zeros((0, 4), np.float32)
        all_labels = np.concatenate(self.labels) if self.labels else np.zeros(0, np.int64)
        groups = size_category(all_boxes)
        return {
            "images": len(self),
            "objects": int(len(all_labels)),
            "per_class": {name: int((all_labels == k).sum()) for k, name in enumerate(self.classes) if k > 0},
            "per_size": {g: groups.count(g) for g in COCO_AREA_RANGES},
        }

    def __repr__(self) -> str:
        c = self.config
        return (
            f"ShapesDataset({len(self)} images, {c.image_size}x{c.image_size}, classes={c.classes}, "
            f"background={c.background!r}, seed={c.seed})"
        )


def _generate(config: ShapesConfig, num_images: int, stream: int) -> ShapesDataset:
    size = config.image_size
    images = np.empty((num_images, size, size, 3), np.uint8)
    owners = np.empty((num_images, size, size), np.uint8)
    labels, full_areas = [], []
    for i in range(num_images):
        # One independent random stream per (seed, split, image): reproducible, and splits with
        # different stream numbers never share images.
        rng = np.random.default_rng([config.seed, stream, i])
        images[i], owners[i], lab, full = _draw_image(config, rng)
        labels.append(lab)
        full_areas.append(full)
    return ShapesDataset(config, images, owners, labels, full_areas)


def generate(config: ShapesConfig | None = None) -> ShapesDataset:
    """Draw ``config.num_images`` images (deterministic in ``config.seed``).

    About 1,000 images of 128 px take a few seconds on one CPU core.
    """
    if config is None:
        config = ShapesConfig()
    if not isinstance(config, ShapesConfig):
        raise TypeError(f"config는 ShapesConfig여야 합니다. 받은 값: {type(config).__name__}")
    return _generate(config, config.num_images, stream=0)


def splits(
    config: ShapesConfig | None = None,
    n_train: int | None = None,
    n_val: int | None = None,
    n_test: int | None = None,
) -> tuple[ShapesDataset, ShapesDataset, ShapesDataset]:
    """Train / validation / test datasets drawn from disjoint random streams of ``config.seed``.

    Sizes default to the profile (:mod:`helpers.sizes`): 2,000 / 300 / 300 (full) or
    160 / 40 / 40 (quick).
    ``config.num_images`` is ignored.
    """
    if config is None:
        config = ShapesConfig()
    if not isinstance(config, ShapesConfig):
        raise TypeError(f"config는 ShapesConfig여야 합니다. 받은 값: {type(config).__name__}")
    defaults = sizes.for_module("shapes").splits
    counts = [d if n is None else n for n, d in zip((n_train, n_val, n_test), defaults, strict=True)]
    for name, n in zip(("n_train", "n_val", "n_test"), counts, strict=True):
        checks.integer(name, n, minimum=0)
    train, val, test = (
        _generate(dataclasses.replace(config, num_images=n), n, stream=k)
        for k, n in enumerate(counts, start=1)
    )
    return train, val, test


def collate_detection(
    batch: Sequence[tuple[torch.Tensor, dict[str, Any]]],
) -> tuple[torch.Tensor, list[dict[str, Any]]]:
    """Collate ``(image, target)`` pairs for a DataLoader: ``collate_fn=collate_detection``.

    Returns ``images`` (Tensor[B, 3, H, W]) and ``targets`` (list of B dicts, unchanged). Targets
    stay a list because every image has its own number of boxes.
    """
    if not isinstance(batch, (list, tuple)) or len(batch) == 0:
        received = f"{type(batch).__name__}, 길이 {len(batch)}" if hasattr(batch, "__len__") else type(batch).__name__
        raise ValueError(f"batch는 (image, target) 쌍의 비어 있지 않은 리스트여야 합니다. 받은 값: {received}")
    images, targets = [], []
    for j, item in enumerate(batch):
        if not isinstance(item, (list, tuple)) or len(item) != 2:
            raise ValueError(f"batch[{j}]는 (image, target) 쌍이어야 합니다. 받은 값: {type(item).__name__}")
        images.append(item[0])
        targets.append(item[1])
    shapes = {tuple(img.shape) for img in images}
    if len(shapes) > 1:
        raise ValueError(
            f"batch의 이미지 크기가 서로 다릅니다: {sorted(shapes)}. 같은 크기로 맞추거나(Resize) "
            "이미지를 리스트로 모으는 collate_fn을 쓰세요."
        )
    return torch.stack(images), targets


def size_category(boxes: Any) -> list[str]:
    """COCO size group of each box by its area: ``"small"`` (< 32²), ``"medium"`` (< 96²) or ``"large"``.

    Args:
        boxes (Tensor[N, 4] or ndarray[N, 4]) in (x1, y1, x2, y2) format.
    """
    from helpers.boxes import check_boxes

    if isinstance(boxes, np.ndarray) and boxes.dtype.kind in "iuf":
        boxes = torch.from_numpy(np.ascontiguousarray(boxes, dtype=np.float64))
    shape = tuple(np.shape(boxes))
    if len(shape) != 2 or shape[1] != 4:
        raise ValueError(f"boxes의 모양은 (N, 4)여야 합니다. 받은 모양: {shape}")
    # shape [N, 4], finite, x2 >= x1 and y2 >= y1 (a NaN or swapped box has no size group)
    b = check_boxes(boxes, "boxes").detach().cpu().to(torch.float64).numpy()
    area = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    small, medium = COCO_AREA_RANGES["small"][1], COCO_AREA_RANGES["medium"][1]
    return ["small" if a < small else "medium" if a < medium else "large" for a in area]
