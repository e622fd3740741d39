"""A mini R-CNN, the first two-stage detector (Girshick et al., CVPR 2014), from scratch (lesson 07).

R-CNN detects objects in two stages:

1. **Region proposals** (:func:`selective_search`): a class-agnostic algorithm suggests boxes
   where objects might be (R-CNN: about 2,000 per image; here a few hundred on 128-px images).
2. **Per region**: warp the region to a fixed size (:func:`warp_regions`; R-CNN: 227×227 after
   dilating the box by p = 16 pixels of context), compute CNN features (:class:`RegionCNN`),
   score every class with a linear **SVM** on the fc7 features, refine the box with a
   **bounding-box regressor** (ridge regression on the pool5 features, predicting the
   (tx, ty, tw, th) of :func:`encode_box_deltas`), and remove duplicates with class-wise NMS.

Training (:meth:`MiniRCNN.fit`) labels proposals twice, as the paper does, once per stage:

* fine-tuning the CNN: IoU >= 0.5 with a GT box → that object's class, everything else →
  background (no grey zone); mini-batches mix positives and background 1 : 3.
* the SVMs: only the GT boxes are positives; proposals with IoU < 0.3 with every GT box are
  negatives; the grey zone in between is ignored; hard-negative mining adds the negatives the
  SVM gets wrong.

Then box regressors, one per class, on regions with IoU >= 0.6.

Why it is slow (and why Fast/Faster R-CNN exist): the CNN runs once per proposal, not once per
image (:func:`per_region_features` vs Fast R-CNN's :func:`shared_map_features`), and the
proposals come from a separate, CPU-only algorithm.

Choices made for the shapes dataset, documented where they apply: proposals come from
Felzenszwalb's graph segmentation plus hierarchical grouping of neighbouring segments (the
selective search of Uijlings et al., with colour, size and fill similarity, one colour space);
regions are warped to 32×32 with a 10 % margin instead of 227×227 with 16 px; the CNN is small
and trained from scratch on the regions instead of pre-trained on ImageNet and fine-tuned.
The timed detection path uses torchvision's C++ NMS (``torchvision.ops.batched_nms``); the
readable NMS students learn from is :func:`helpers.boxes.nms` (the two are tested equal).
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import torch
from torch import Tensor, nn
from torch.utils.data import DataLoader, Dataset, TensorDataset

from helpers import checks
from helpers.boxes import (
    ArrayLike,
    BoxesLike,
    box_convert,
    box_iou,
    check_boxes,
    clip_boxes,
    reject_first_row,
    to_tensor,
)
from helpers.detectors.common import Detection, check_images, check_targets

__all__ = [
    "selective_search",
    "ProposalLabels",
    "label_proposals",
    "warp_regions",
    "per_region_features",
    "shared_map_features",
    "encode_box_deltas",
    "decode_box_deltas",
    "RegionCNN",
    "MiniRCNN",
]


# ============================================================================ 1. region proposals
def _to_uint8_hwc(image: Tensor | np.ndarray) -> np.ndarray:
    """Tensor[3, H, W] in [0, 1] (or ndarray[H, W, 3] uint8) → ndarray[H, W, 3] uint8."""
    if isinstance(image, Tensor):
        if image.dim() != 3 or image.shape[0] != 3:
            raise ValueError(f"image의 모양은 [3, H, W]여야 합니다. 받은 모양: {tuple(image.shape)}.")
        return (checks.to_numpy(image.clamp(0, 1).permute(1, 2, 0), "image") * 255 + 0.5).astype(np.uint8)
    pixels = np.asarray(image)
    if pixels.ndim != 3 or pixels.shape[2] != 3:
        raise ValueError(f"image의 모양은 [H, W, 3](NumPy) 또는 [3, H, W](Tensor)여야 합니다. 받은 모양: {pixels.shape}.")
    return pixels if pixels.dtype == np.uint8 else (np.clip(pixels, 0, 1) * 255 + 0.5).astype(np.uint8)


Region = dict[str, Any]  # a region of selective search: "box" (x1, y1, x2, y2), "size" (pixels), "hist"


def selective_search(image: Tensor | np.ndarray, scale: float = 100, sigma: float = 0.5, min_size: int = 5,
                     bins: int = 8, min_box: float = 3) -> Tensor:
    """Class-agnostic region proposals: segment, then merge neighbouring segments step by step.

    1. Felzenszwalb's graph-based segmentation (``skimage.segmentation.felzenszwalb``) cuts the
       image into regions of similar colour. Each region's box is a proposal.
    2. Hierarchical grouping: repeatedly merge the two *neighbouring* regions that are most
       similar, and add the merged region's box as another proposal, until one region is left.
       Similarity = colour (overlap of the colour histograms) + size (merge small regions first)
       + fill (prefer pairs whose joint box has few holes), each in [0, 1].

    So objects made of several segments are still proposed whole, at every scale.

    Args:
        image: Tensor[3, H, W] in [0, 1] or ndarray[H, W, 3] uint8.
        scale, sigma, min_size: Felzenszwalb's parameters (larger ``scale`` → fewer, larger
            segments; ``min_size`` in pixels).
        bins: colour-histogram bins per channel.
        min_box: boxes narrower or lower than this many pixels are dropped.

    Returns:
        Tensor[P, 4] float32: unique proposals in (x1, y1, x2, y2) pixel format (x2, y2
        exclusive), segments first, then merges in merge order.
    """
    from skimage.segmentation import felzenszwalb

    pixels = _to_uint8_hwc(image)
    height, width = pixels.shape[:2]
    segments = felzenszwalb(pixels, scale=scale, sigma=sigma, min_size=min_size)  # [H, W] ids 0..R-1
    R = int(segments.max()) + 1
    flat = segments.ravel()

    # Per-region size, box and colour histogram, all regions at once.
    size = np.bincount(flat, minlength=R).astype(np.float64)
    ys, xs = np.divmod(np.arange(flat.size), width)
    x1, y1 = np.full(R, width), np.full(R, height)
    x2, y2 = np.zeros(R, int), np.zeros(R, int)
    np.minimum.at(x1, flat, xs)
    np.minimum.at(y1, flat, ys)
    np.maximum.at(x2, flat, xs + 1)
    np.maximum.at(y2, flat, ys + 1)
    colour_bin = (pixels.reshape(-1, 3).astype(np.int64) * bins) // 256 + np.arange(3) * bins  # [H*W, 3]
    hist = np.zeros((R, 3 * bins))
    np.add.at(hist, (np.repeat(flat, 3), colour_bin.ravel()), 1.0)
    hist /= hist.sum(axis=1, keepdims=True)  # L1-normalised: similarity is in [0, 1]

    regions: dict[int, Region] = {r: {"box": (x1[r], y1[r], x2[r], y2[r]), "size": size[r], "hist": hist[r]} for r in range(R)}
    image_area = float(height * width)

    def similarity(a: Region, b: Region) -> float:
        colour = np.minimum(a["hist"], b["hist"]).sum()
        size_term = 1 - (a["size"] + b["size"]) / image_area
        bx1, by1 = min(a["box"][0], b["box"][0]), min(a["box"][1], b["box"][1])
        bx2, by2 = max(a["box"][2], b["box"][2]), max(a["box"][3], b["box"][3])
        fill = 1 - ((bx2 - bx1) * (by2 - by1) - a["size"] - b["size"]) / image_area
        return colour + size_term + fill

    # Neighbours: regions that touch horizontally or vertically.
    pairs = np.concatenate([
        np.stack([segments[:, :-1].ravel(), segments[:, 1:].ravel()], 1),
        np.stack([segments[:-1, :].ravel(), segments[1:, :].ravel()], 1),
    ])
    pairs = np.unique(np.sort(pairs[pairs[:, 0] != pairs[:, 1]], axis=1), axis=0)
    neighbours: dict[int, set[int]] = {r: set() for r in range(R)}
    for a, b in pairs.tolist():
        neighbours[a].add(b)
        neighbours[b].add(a)
    sims = {(a, b): similarity(regions[a], regions[b]) for a, b in pairs.tolist()}

    boxes = [regions[r]["box"] for r in range(R)]
    while sims:
        a, b = max(sims, key=lambda pair: sims[pair])  # the most similar neighbours
        t = len(regions)  # id of the merged region
        ra, rb = regions[a], regions[b]
        regions[t] = {
            "box": (min(ra["box"][0], rb["box"][0]), min(ra["box"][1], rb["box"][1]),
                    max(ra["box"][2], rb["box"][2]), max(ra["box"][3], rb["box"][3])),
            "size": ra["size"] + rb["size"],
            "hist": (ra["hist"] * ra["size"] + rb["hist"] * rb["size"]) / (ra["size"] + rb["size"]),
        }
        boxes.append(regions[t]["box"])
        # a and b are gone: their pairs go, t inherits their neighbours.
        neighbours[t] = (neighbours.pop(a) | neighbours.pop(b)) - {a, b}
        sims = {pair: s for pair, s in sims.items() if a not in pair and b not in pair}
        for n in neighbours[t]:
            neighbours[n] -= {a, b}
            neighbours[n].add(t)
            sims[(n, t)] = similarity(regions[n], regions[t])

    proposals = torch.tensor(boxes, dtype=torch.float32)
    keep = ((proposals[:, 2] - proposals[:, 0]) >= min_box) & ((proposals[:, 3] - proposals[:, 1]) >= min_box)
    proposals = proposals[keep]
    # Unique boxes, in their first-seen order (np.unique sorts; undo that).
    _, first = np.unique(proposals.numpy(), axis=0, return_index=True)
    return proposals[np.sort(first)]


# ============================================================================ 2. labelling proposals
class ProposalLabels(NamedTuple):
    """Result of :func:`label_proposals`, one entry per proposal."""

    labels: Tensor  # int64 [P]: class 1..K (positive), 0 (background, negative), -1 (not used)
    matched_gt: Tensor  # int64 [P]: index of the GT box with the highest IoU, -1 if no GT
    max_iou: Tensor  # float [P]: that IoU (0 if no GT)


def label_proposals(proposals: BoxesLike, gt_boxes: BoxesLike, gt_labels: ArrayLike, pos_iou: float = 0.5,
                    neg_iou: float = 0.3) -> ProposalLabels:
    """Label each proposal by its best overlap with the ground truth (GT).

    * ``max IoU >= pos_iou``: positive, labelled with the class of that GT box.
    * ``max IoU < neg_iou``: negative, label 0 (background).
    * in between: label -1, too ambiguous to learn from; left out of training.

    Args:
        proposals (Tensor[P, 4]): (x1, y1, x2, y2) boxes.
        gt_boxes (Tensor[G, 4]): (x1, y1, x2, y2) GT boxes (G may be 0: every proposal is negative).
        gt_labels (Tensor[G]): class of each GT box, 1..K.
        pos_iou, neg_iou (float): thresholds with ``0 <= neg_iou <= pos_iou <= 1``.

    Returns:
        ProposalLabels(labels, matched_gt, max_iou), each of shape [P].
    """
    proposals = check_boxes(proposals, "proposals")
    gt_boxes = check_boxes(gt_boxes, "gt_boxes")
    gt_labels = torch.as_tensor(gt_labels)
    if gt_labels.shape != (gt_boxes.shape[0],):
        raise ValueError(
            f"gt_labels의 모양은 [G] = [{gt_boxes.shape[0]}] (GT 상자마다 클래스 하나)여야 합니다. "
            f"받은 모양: {tuple(gt_labels.shape)}."
        )
    pos_iou, neg_iou = checks.probability("pos_iou", pos_iou), checks.probability("neg_iou", neg_iou)
    if neg_iou > pos_iou:
        raise ValueError(
            f"0 <= neg_iou <= pos_iou <= 1 이어야 합니다. 받은 값: neg_iou={neg_iou}, pos_iou={pos_iou}."
        )
    P = proposals.shape[0]
    if gt_boxes.shape[0] == 0:  # no objects: everything is background
        return ProposalLabels(torch.zeros(P, dtype=torch.int64), torch.full((P,), -1, dtype=torch.int64),
                              torch.zeros(P))
    iou = box_iou(proposals, gt_boxes)  # [P, G]
    max_iou, matched_gt = iou.max(dim=1)  # best GT for each proposal
    labels = torch.full((P,), -1, dtype=torch.int64)
    labels[max_iou < neg_iou] = 0
    positive = max_iou >= pos_iou
    labels[positive] = gt_labels.long()[matched_gt[positive]]
    return ProposalLabels(labels, matched_gt, max_iou)


# ============================================================================ 3. warping regions
def warp_regions(image: Tensor, boxes: BoxesLike, size: int = 32, context: float = 0.1) -> Tensor:
    """Cut every box out of the image and resize it to ``size × size`` ("warped regions").

    Like R-CNN, the box is first enlarged by ``context`` of its width/height on each side (R-CNN:
    16 pixels around a 227-pixel warp), and the aspect ratio is not kept: every region becomes
    a square, whatever its shape. Bilinear sampling (``torchvision.ops.roi_align``) does all
    boxes at once; parts outside the image are black (0).

    Args:
        image (Tensor[3, H, W]): the image.
        boxes (Tensor[P, 4]): regions in (x1, y1, x2, y2) pixels.
        size (int): side of the warped regions.
        context (float): margin added around each box, as a fraction of its size.

    Returns:
        Tensor[P, 3, size, size].
    """
    from torchvision.ops import roi_align

    boxes = check_boxes(boxes, "boxes").to(image.device, torch.float32)
    w, h = boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]
    margin = torch.stack([-w, -h, w, h], dim=1) * context
    rois = torch.cat([torch.zeros(len(boxes), 1, device=image.device), boxes + margin], dim=1)  # [P, 5]
    return roi_align(image[None].float(), rois, output_size=size, spatial_scale=1.0, sampling_ratio=2, aligned=True)


# ============================================================================ 3b. R-CNN vs Fast R-CNN features
def per_region_features(backbone: nn.Module, image: Tensor, proposals: BoxesLike, crop_size: int = 56,
                        context: float = 0.0) -> Tensor:
    """R-CNN's way: warp every proposal and run the CNN on each one separately.

    Args:
        backbone: a CNN ``[N, 3, h, w]`` → ``[N, C, h / s, w / s]``.
        image (Tensor[3, H, W]), proposals (Tensor[P, 4] xyxy pixels).
        crop_size: side of the warped regions (56 with an 8× backbone gives 7×7 maps).

    Returns:
        Tensor[P, C, crop_size / s, crop_size / s]: one CNN pass per proposal.
    """
    crops = warp_regions(image, proposals, crop_size, context)
    return backbone(crops)


def shared_map_features(backbone: nn.Module, image: Tensor, proposals: BoxesLike, output_size: int = 7) -> Tensor:
    """Fast R-CNN's way (Girshick, ICCV 2015): one CNN pass, then RoI pooling of every proposal.

    The CNN runs once on the whole image; each proposal is projected onto the feature map
    (coordinates × 1/stride) and max-pooled into ``output_size × output_size`` bins with
    ``torchvision.ops.roi_pool``.

    Args:
        backbone: a CNN ``[N, 3, H, W]`` → ``[N, C, H / s, W / s]``.
        image (Tensor[3, H, W]), proposals (Tensor[P, 4] xyxy pixels).
        output_size: bins per side.

    Returns:
        Tensor[P, C, output_size, output_size].
    """
    from torchvision.ops import roi_pool

    proposals = check_boxes(proposals, "proposals").to(image.device, torch.float32)
    feature_map = backbone(image[None])
    spatial_scale = feature_map.shape[-1] / image.shape[-1]  # 1 / stride
    return roi_pool(feature_map, [proposals], output_size, spatial_scale)


# ============================================================================ 4. box regression targets
BBOX_XFORM_CLIP = math.log(1000.0 / 16)  # torchvision's limit on tw, th when decoding: e^4.135 ≈ 62×


def _check_box_pairs(proposals: BoxesLike, other: ArrayLike, other_name: str) -> tuple[Tensor, Tensor]:
    """Both ``Tensor[P, 4]`` finite, with one row of ``other`` per proposal (never broadcast)."""
    proposals = check_boxes(proposals, "proposals").float()
    other = to_tensor(other, other_name)
    if other.dim() != 2 or other.shape[1] != 4 or other.shape[0] != proposals.shape[0]:
        raise ValueError(
            f"{other_name}의 모양은 proposals와 같은 [P, 4] = [{proposals.shape[0]}, 4]여야 합니다 "
            f"(제안마다 한 줄, 브로드캐스트하지 않습니다). 받은 모양: {tuple(other.shape)}."
        )
    if other.dtype == torch.bool or other.is_complex():
        raise TypeError(f"{other_name}의 dtype은 실수여야 합니다. 받은 dtype: {other.dtype}.")
    other = other.float()
    reject_first_row(~torch.isfinite(other).all(dim=1), other,
                     other_name + "[{i}]에 NaN 또는 무한대 값이 있습니다: {row}. "
                     "모델 출력(학습이 발산했는지)이나 0으로 나눈 계산을 확인하세요.")
    return proposals, other


def _check_positive_size(boxes: Tensor, name: str) -> None:
    reject_first_row((boxes[:, 2] <= boxes[:, 0]) | (boxes[:, 3] <= boxes[:, 1]), boxes,
                     name + "[{i}] = {row} 는 너비나 높이가 0인 상자입니다. (tx, ty, tw, th)는 상자의 "
                     "너비와 높이로 나누고 log를 취하므로 x2 > x1, y2 > y1 인 상자가 필요합니다.")


def encode_box_deltas(proposals: BoxesLike, gt_boxes: BoxesLike) -> Tensor:
    """R-CNN's regression targets: how to move and scale each proposal onto its GT box.

    With centres (px, py), sizes (pw, ph) of the proposal and (gx, gy), (gw, gh) of the GT
    (R-CNN, Girshick et al. 2014, Appendix C; torchvision's ``BoxCoder`` with weights 1)::

        tx = (gx - px) / pw    ty = (gy - py) / ph    tw = log(gw / pw)    th = log(gh / ph)

    Shifts are relative to the proposal's size and scales are logarithmic, so the same numbers
    mean the same correction for a small and a large box.

    Args:
        proposals (Tensor[P, 4]), gt_boxes (Tensor[P, 4]): (x1, y1, x2, y2) boxes, pairwise
            (row i of ``gt_boxes`` belongs to row i of ``proposals``), with positive width and height.

    Returns:
        Tensor[P, 4] float32: (tx, ty, tw, th).

    Raises:
        ValueError: shapes that differ (no broadcasting), NaN/inf, boxes without width or height.
    """
    proposals, gt_boxes = _check_box_pairs(proposals, gt_boxes, "gt_boxes")
    check_boxes(gt_boxes, "gt_boxes")
    _check_positive_size(proposals, "proposals")
    _check_positive_size(gt_boxes, "gt_boxes")
    p = box_convert(proposals, "xyxy", "cxcywh")
    g = box_convert(gt_boxes, "xyxy", "cxcywh")
    return torch.stack([
        (g[:, 0] - p[:, 0]) / p[:, 2],
        (g[:, 1] - p[:, 1]) / p[:, 3],
        torch.log(g[:, 2] / p[:, 2]),
        torch.log(g[:, 3] / p[:, 3]),
    ], dim=1)


def decode_box_deltas(proposals: BoxesLike, deltas: ArrayLike) -> Tensor:
    """Apply (tx, ty, tw, th) to proposals: the inverse of :func:`encode_box_deltas`.

    ``tw`` and ``th`` are clipped at ``log(1000 / 16)`` before ``exp``, as torchvision's
    ``BoxCoder.decode_single`` does, so one wild prediction cannot make a box 10^20 pixels wide.

    Args:
        proposals (Tensor[P, 4]): (x1, y1, x2, y2) boxes.
        deltas (Tensor[P, 4]): (tx, ty, tw, th), one row per proposal (never broadcast).

    Returns:
        Tensor[P, 4] float32: the moved boxes in (x1, y1, x2, y2) format.

    Raises:
        ValueError: ``deltas`` not of shape [P, 4] (e.g. deltas of N boxes for M != N
            proposals), NaN/inf in ``proposals`` or ``deltas``.
    """
    proposals, d = _check_box_pairs(proposals, deltas, "deltas")
    p = box_convert(proposals, "xyxy", "cxcywh")
    d = torch.cat([d[:, :2], d[:, 2:].clamp(max=BBOX_XFORM_CLIP)], dim=1)
    cx, cy = p[:, 0] + d[:, 0] * p[:, 2], p[:, 1] + d[:, 1] * p[:, 3]
    w, h = p[:, 2] * torch.exp(d[:, 2]), p[:, 3] * torch.exp(d[:, 3])
    return torch.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], dim=1)


# ============================================================================ 5. the CNN
class RegionCNN(nn.Module):
    """A small CNN for warped regions: ``Tensor[P, 3, s, s]`` → class logits ``[P, K + 1]``.

    Three Conv-BN-ReLU-MaxPool blocks (``width``, 2·``width``, 4·``width`` channels): their
    output, flattened, plays the part of R-CNN's *pool5* features (:meth:`pool5`, what the box
    regressors read); then a fully connected layer whose output plays the part of *fc7*
    (:meth:`features`, what the SVMs read); then the classifier over K classes + background
    (class 0), used only to train the features ("fine-tuning").
    """

    def __init__(self, num_outputs: int, crop_size: int = 32, width: int = 16, feature_dim: int = 128) -> None:
        super().__init__()

        def block(cin: int, cout: int) -> nn.Sequential:
            return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout),
                                 nn.ReLU(), nn.MaxPool2d(2))

        w = width
        self.conv = nn.Sequential(block(3, w), block(w, 2 * w), block(2 * w, 4 * w))
        self.fc = nn.Sequential(nn.Flatten(), nn.Linear(4 * w * (crop_size // 8) ** 2, feature_dim), nn.ReLU())
        self.classifier = nn.Sequential(nn.Dropout(0.3), nn.Linear(feature_dim, num_outputs))

    def pool5(self, crops: Tensor) -> Tensor:
        """The last pooling layer's output, flattened: ``Tensor[P, 4·width·(s/8)²]``."""
        return self.conv(crops).flatten(1)

    def features(self, crops: Tensor) -> Tensor:
        """Feature vectors ``Tensor[P, feature_dim]`` of the regions (the "fc7" features)."""
        return self.fc(self.conv(crops))

    def forward(self, crops: Tensor) -> Tensor:
        return self.classifier(self.features(crops))


# ============================================================================ 6. the detector
class MiniRCNN(nn.Module):
    """R-CNN: selective search → warp → CNN features → per-class SVMs and box regressors → NMS.

    Train it with :meth:`fit` (not with ``train_detector``: its SVMs and regressors are not
    trained by gradient descent). Then, in eval mode, ``model(images)`` returns one dict per
    image with ``boxes``, ``scores`` (the SVM margin through a sigmoid, in (0, 1)) and ``labels``.

    Args:
        num_classes: K (labels 1..K).
        crop_size: side of the warped regions (a multiple of 8).
        width: channels of the CNN's first block (:class:`RegionCNN`).
        context: margin around each region before warping (fraction of its size).
        proposal_kwargs: passed to :func:`selective_search`.
        finetune_iou: fine-tuning labels: IoU >= this → the object's class, else background.
        svm_neg_iou: SVM negatives: proposals whose IoU with every GT box is below this.
        regression_iou: regions overlapping a GT by at least this much train the box regressors.
        score_threshold, iou_threshold, max_detections: detection output (class-wise NMS).
    """

    def __init__(self, num_classes: int, crop_size: int = 32, width: int = 16, context: float = 0.1,
                 proposal_kwargs: dict | None = None, finetune_iou: float = 0.5, svm_neg_iou: float = 0.3,
                 regression_iou: float = 0.6, score_threshold: float = 0.01, iou_threshold: float = 0.3,
                 max_detections: int = 100) -> None:
        super().__init__()
        checks.positive_int("num_classes", num_classes)
        multiple_of_8 = "crop_size는 8의 배수인 정수여야 합니다 (8, 16, 32, ...)."
        if checks.integer("crop_size", crop_size, minimum=8, hint=multiple_of_8) % 8:
            raise ValueError(f"{multiple_of_8} 받은 값: {crop_size!r}.")
        for name, value in (("finetune_iou", finetune_iou), ("svm_neg_iou", svm_neg_iou),
                            ("regression_iou", regression_iou), ("iou_threshold", iou_threshold)):
            checks.probability(name, value)
        self.num_classes = num_classes
        self.crop_size = crop_size
        self.context = context
        self.proposal_kwargs = dict(proposal_kwargs or {})
        self.finetune_iou, self.svm_neg_iou, self.regression_iou = finetune_iou, svm_neg_iou, regression_iou
        self.score_threshold, self.iou_threshold, self.max_detections = score_threshold, iou_threshold, max_detections
        self.cnn = RegionCNN(num_classes + 1, crop_size, width)
        self.svms: list[Any] = []  # one sklearn LinearSVC per class (None: class never seen)
        self.regressors: list[Any] = []  # one sklearn Ridge per class (None: no box regression)
        self.svm_stats: dict[int, dict[str, int]] = {}  # per class: positives, negatives, hard negatives added by mining
        self._norm: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # "fc7" / "pool5": (mean, std) used to standardise the features

    # ------------------------------------------------------------------ training
    def _sample_regions(self, dataset: Dataset[Any] | Sequence[Any], per_image: tuple[int, int, int],
                        generator: torch.Generator, progress: bool) -> dict[str, Tensor]:
        """Proposals of every training image, labelled in R-CNN's two ways, and samples warped.

        * fine-tuning (the CNN): IoU >= ``finetune_iou`` → class, else background; up to
          ``per_image[0]`` positives and ``per_image[1]`` background regions per image.
        * SVMs: the GT boxes are the positives; proposals with IoU < ``svm_neg_iou`` with every
          GT box are negatives (up to ``per_image[2]``); the grey zone in between is not used.
        """
        from tqdm.auto import tqdm

        out: dict[str, list[Tensor]] = {key: [] for key in ("ft_crops", "ft_labels", "ft_boxes", "ft_gts", "svm_crops", "svm_labels")}
        max_pos, max_neg, max_svm_neg = per_image
        for index in tqdm(range(len(dataset)), desc="영역 제안", unit="이미지", disable=not progress, leave=False):
            image, target = dataset[index]
            image = check_images([image])[0]
            target = check_targets([target], self.num_classes, tuple(image.shape[-2:]))[0]
            G = len(target["boxes"])
            # R-CNN adds the GT boxes to the proposals: perfect positives for training.
            proposals = torch.cat([target["boxes"], selective_search(image, **self.proposal_kwargs)])
            # Fine-tuning regime: no grey zone (pos_iou = neg_iou).
            ft = label_proposals(proposals, target["boxes"], target["labels"], self.finetune_iou, self.finetune_iou)
            pos = torch.nonzero(ft.labels > 0).flatten()
            neg = torch.nonzero(ft.labels == 0).flatten()
            pos = pos[torch.randperm(len(pos), generator=generator)[:max_pos]]
            neg = neg[torch.randperm(len(neg), generator=generator)[:max_neg]]
            chosen = torch.cat([pos, neg])
            out["ft_crops"].append(warp_regions(image, proposals[chosen], self.crop_size, self.context))
            out["ft_labels"].append(ft.labels[chosen])
            out["ft_boxes"].append(proposals[chosen])
            matched = ft.matched_gt[chosen]
            gt = torch.zeros(len(chosen), 4)
            gt[matched >= 0] = target["boxes"][matched[matched >= 0]]
            out["ft_gts"].append(torch.where((ft.max_iou[chosen] >= self.regression_iou)[:, None], gt, torch.nan))
            # SVM regime: GT boxes positive, IoU < svm_neg_iou negative, the rest ignored.
            svm_neg = torch.nonzero(ft.max_iou < self.svm_neg_iou).flatten()
            svm_neg = svm_neg[torch.randperm(len(svm_neg), generator=generator)[:max_svm_neg]]
            svm_chosen = torch.cat([torch.arange(G), svm_neg])
            out["svm_crops"].append(warp_regions(image, proposals[svm_chosen], self.crop_size, self.context))
            out["svm_labels"].append(torch.cat([target["labels"], torch.zeros(len(svm_neg), dtype=torch.int64)]))
        return {key: torch.cat(values) for key, values in out.items()}

    def _raw_features(self, crops: Tensor, batch_size: int = 512) -> tuple[np.ndarray, np.ndarray]:
        """(fc7, pool5) features of warped regions, NumPy, not standardised."""
        device = checks.model_device(self.cnn)
        self.cnn.eval()
        fc7, pool5 = [], []
        with torch.inference_mode():
            for s in range(0, len(crops), batch_size):
                p5 = self.cnn.pool5(crops[s : s + batch_size].to(device))
                pool5.append(p5.cpu())
                fc7.append(self.cnn.fc(p5).cpu())
        if not fc7:
            return (np.zeros((0, self.cnn.fc[1].out_features), np.float32),
                    np.zeros((0, self.cnn.fc[1].in_features), np.float32))
        return torch.cat(fc7).numpy(), torch.cat(pool5).numpy()

    def _standardise(self, name: str, feats: np.ndarray) -> np.ndarray:
        mean, std = self._norm[name]
        return (feats - mean) / std

    def fit(self, dataset: Dataset[Any] | Sequence[Any], epochs: int = 3, positives_per_image: int = 8, negatives_per_image: int = 24,
            svm_negatives_per_image: int = 32, batch_size: int = 64, svm_c: float = 0.01,
            ridge_alpha: float = 100.0, seed: int = 0, device: str | torch.device | None = None,
            progress: bool = True) -> MiniRCNN:
        """Train R-CNN's three parts, in R-CNN's order, on a dataset of ``(image, target)`` pairs.

        1. Proposals of every image (plus its GT boxes), labelled twice (see
           :meth:`_sample_regions`): the fine-tuning sample has at most ``positives_per_image``
           positives and ``negatives_per_image`` background regions per image (1 : 3, as R-CNN's
           mini-batches of 32 positive and 96 background windows).
        2. The CNN learns to classify the fine-tuning sample (K classes + background) with
           :func:`helpers.training.fit` for ``epochs`` epochs (R-CNN fine-tunes an ImageNet
           CNN; ours starts from scratch).
        3. Per class k, a linear SVM (``sklearn.svm.LinearSVC``, ``C=svm_c``) on the fc7
           features: GT boxes of class k against background regions and other classes' GT
           boxes, with one round of hard-negative mining (train on a quarter of the negatives,
           add every negative the SVM scores above -1, train again).
        4. Per class k, a ridge regression (``sklearn.linear_model.Ridge``, ``alpha=ridge_alpha``)
           predicts (tx, ty, tw, th) from the pool5 features, on regions with IoU >=
           ``regression_iou`` (R-CNN: 0.6).

        Returns:
            self, in eval mode. Timings (seconds) of each part are in ``self.fit_seconds``;
            sample sizes of every SVM in ``self.svm_stats``.
        """
        import time

        from sklearn.linear_model import Ridge
        from sklearn.svm import LinearSVC

        from helpers.environment import get_device
        from helpers.training import fit as fit_classifier

        if len(dataset) == 0:
            raise ValueError("dataset에 이미지가 없습니다. 학습 이미지가 하나 이상 필요합니다.")
        for name, value in (("positives_per_image", positives_per_image), ("negatives_per_image", negatives_per_image),
                            ("svm_negatives_per_image", svm_negatives_per_image)):
            checks.positive_int(name, value)
        generator = torch.Generator().manual_seed(seed)
        rng = np.random.default_rng(seed)
        device = torch.device(device) if device is not None else get_device()
        seconds: dict[str, float] = {}

        start = time.perf_counter()
        sample = self._sample_regions(
            dataset, (positives_per_image, negatives_per_image, svm_negatives_per_image), generator, progress)
        seconds["proposals"] = time.perf_counter() - start

        start = time.perf_counter()
        torch.manual_seed(seed)
        loader = DataLoader(TensorDataset(sample["ft_crops"], sample["ft_labels"]), batch_size=batch_size,
                            shuffle=True, generator=torch.Generator().manual_seed(seed))
        self.cnn.to(device)
        self.cnn_history = fit_classifier(self.cnn, loader, epochs=epochs, device=device, live=False,
                                          progress=progress)
        seconds["cnn"] = time.perf_counter() - start

        start = time.perf_counter()
        fc7, _ = self._raw_features(sample["svm_crops"])
        self._norm["fc7"] = (fc7.mean(axis=0), fc7.std(axis=0) + 1e-6)
        fc7 = self._standardise("fc7", fc7)
        y = sample["svm_labels"].numpy()
        self.svms, self.svm_stats = [], {}
        for k in range(1, self.num_classes + 1):
            positives, negatives = np.flatnonzero(y == k), np.flatnonzero(y != k)
            if len(positives) == 0 or len(negatives) == 0:
                self.svms.append(None)
                continue
            # Hard-negative mining: start with some negatives, add those the SVM gets (nearly) wrong.
            first = rng.permutation(negatives)[: max(1, len(negatives) // 4)]
            rows = np.concatenate([positives, first])
            svm = LinearSVC(C=svm_c).fit(fc7[rows], y[rows] == k)
            hard = negatives[svm.decision_function(fc7[negatives]) > -1.0]
            hard = np.setdiff1d(hard, first)
            if len(hard):
                rows = np.concatenate([rows, hard])
                svm = LinearSVC(C=svm_c).fit(fc7[rows], y[rows] == k)
            self.svms.append(svm)
            self.svm_stats[k] = {"positives": len(positives), "negatives": len(rows) - len(positives),
                                 "hard_negatives_added": len(hard)}
        seconds["svm"] = time.perf_counter() - start

        start = time.perf_counter()
        labels, boxes, gts = sample["ft_labels"], sample["ft_boxes"], sample["ft_gts"]
        usable = ~torch.isnan(gts[:, 0]) & (labels > 0)
        _, pool5 = self._raw_features(sample["ft_crops"])
        self._norm["pool5"] = (pool5.mean(axis=0), pool5.std(axis=0) + 1e-6)
        pool5 = self._standardise("pool5", pool5)
        self.regressors = []
        for k in range(1, self.num_classes + 1):
            rows = (usable & (labels == k)).numpy()
            if rows.sum() < 2:
                self.regressors.append(None)
                continue
            deltas = encode_box_deltas(boxes[rows], gts[rows]).numpy()
            self.regressors.append(Ridge(alpha=ridge_alpha).fit(pool5[rows], deltas))
        seconds["regression"] = time.perf_counter() - start
        self.fit_seconds = seconds
        self.eval()
        return self

    # ------------------------------------------------------------------ detection
    def detect_one(self, image: Tensor) -> Detection:
        """Detections of one ``Tensor[3, H, W]`` image: the whole R-CNN pipeline, step by step."""
        from torchvision.ops import batched_nms  # C++ NMS: the readable one is helpers.boxes.nms

        height, width = image.shape[-2:]
        proposals = selective_search(image, **self.proposal_kwargs)  # 1. region proposals
        crops = warp_regions(image, proposals, self.crop_size, self.context)  # 2. warp
        fc7, pool5 = self._raw_features(crops)  # 3. CNN features
        fc7, pool5 = self._standardise("fc7", fc7), self._standardise("pool5", pool5)
        margins = np.full((len(proposals), self.num_classes), -np.inf)  # 4. one SVM per class (fc7)
        for k, svm in enumerate(self.svms):
            if svm is not None and len(fc7):
                margins[:, k] = svm.decision_function(fc7)
        best = margins.argmax(axis=1) if len(fc7) else np.zeros(0, int)
        scores = torch.sigmoid(torch.from_numpy(margins[np.arange(len(best)), best])).float()
        labels = torch.from_numpy(best + 1).long()
        keep = scores > self.score_threshold
        proposals, pool5, scores, labels = proposals[keep], pool5[keep.numpy()], scores[keep], labels[keep]
        boxes = proposals.clone()  # 5. box regression (pool5), with the regressor of the predicted class
        for k, regressor in enumerate(self.regressors):
            rows = (labels == k + 1).numpy()
            if regressor is not None and rows.any():
                boxes[rows] = decode_box_deltas(proposals[rows], regressor.predict(pool5[rows]))
        boxes = clip_boxes(boxes, (height, width))
        keep = batched_nms(boxes, scores, labels, self.iou_threshold)[: self.max_detections]  # 6. class-wise NMS
        return {"boxes": boxes[keep], "scores": scores[keep], "labels": labels[keep]}

    def forward(self, images: Tensor | Sequence[Tensor], targets: Sequence[Any] | None = None) -> list[Detection]:
        if targets is not None or self.training:
            raise TypeError(
                "MiniRCNN은 경사 하강법 한 가지로 학습하지 않습니다 (CNN → SVM → 상자 회귀 순서). "
                "rcnn.fit(dataset)으로 학습하고, 예측은 model.eval() 후 model(images)로 하세요."
            )
        if not self.svms:
            raise RuntimeError("MiniRCNN이 아직 학습되지 않았습니다. 먼저 rcnn.fit(train_dataset)을 실행하세요.")
        images = check_images(images)
        return [self.detect_one(image) for image in images]
