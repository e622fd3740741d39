"""A YOLO-style one-stage detector, from scratch, in one file (lesson 07).

"You Only Look Once" (Redmon et al., 2016) looks at the image once: a CNN turns it into an
S×S grid, and every grid cell directly predicts boxes, how sure it is that an object is there,
and which class it is. No region proposals, no second stage. Four pieces, in reading order:

1. :class:`TinyYOLO`: the network. A small CNN backbone downsamples the image 8× (a 128 px
   image becomes a 16×16 grid); a 1×1 convolution head gives every cell ``B * 5 + C`` numbers.
2. :func:`encode_targets`: ground truth (GT) boxes → the grid tensor the network should output.
3. :func:`yolo_loss`: how far the output is from that tensor (coordinates, objectness with a
   smaller weight where there is no object, class).
4. :func:`decode_yolo`: output grid → boxes in pixels, scores and labels, then per-class NMS.

The output tensor, ``output[n, i, j]`` for grid row ``i`` and column ``j``, holds per cell::

    [x, y, w, h, objectness] * B   then   [p(class 1), ..., p(class C)]

* ``x, y`` in [0, 1]: the box centre inside the cell (0 = left/top edge of the cell, 1 = right/
  bottom edge), so the centre in pixels is ``((j + x) * cell_w, (i + y) * cell_h)``.
* ``w, h`` in [0, 1]: the box size as a fraction of the image width and height.
* ``objectness`` in [0, 1]: how sure the cell is that this box holds an object.
* ``p(class c)``: class probabilities (they sum to 1), shared by the cell's B boxes (YOLOv1).

The network applies the sigmoid (and softmax) itself, so the numbers above are exactly what it
outputs and what :func:`encode_targets` writes for the GT: decoding an encoded target gives the
GT boxes back (a test checks it). A box's score is ``objectness * max class probability``.

YOLOv1 as published (Redmon et al., CVPR 2016): 448×448 input, S = 7, B = 2, C = 20, so a
7×7×30 output; each box's confidence is defined as Pr(Object)·IoU(pred, truth) and trained
towards that IoU (0 where there is no object); every term is a sum of squared errors, with
λ_coord = 5 and λ_noobj = 0.5. Simplifications of this module, on purpose: BatchNorm and a much
smaller backbone; a finer grid (8-px cells instead of 64: our objects are small); sigmoid and
softmax outputs with binary cross-entropy for objectness and cross-entropy for classes instead
of squared errors (they train faster); and the objectness target is 1 instead of the IoU, so our
objectness estimates Pr(Object) only. Like YOLOv1, each cell predicts one object: when two GT
centres fall into one cell the larger object keeps it.

Decoding uses torchvision's C++ NMS (``torchvision.ops.batched_nms``, tested equal to the
readable :func:`helpers.boxes.batched_nms` students learn from), so timing this detector measures
the same NMS as torchvision's detectors.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from helpers import checks
from helpers.boxes import box_convert, clip_boxes
from helpers.detectors.common import Detection, Target, check_images, check_targets

__all__ = ["TinyYOLO", "tiny_backbone", "encode_targets", "yolo_loss", "decode_yolo"]

STRIDE = 8  # the backbone halves the image 3 times: one grid cell = 8×8 pixels


# ============================================================================ 1. the network
def _conv(in_channels: int, out_channels: int, kernel_size: int = 3) -> nn.Sequential:
    """Conv → BatchNorm → LeakyReLU(0.1), YOLO's building block; keeps H and W."""
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size, padding=kernel_size // 2, bias=False),
        nn.BatchNorm2d(out_channels),
        nn.LeakyReLU(0.1),
    )


def tiny_backbone(width: int = 32) -> nn.Sequential:
    """The CNN of :class:`TinyYOLO`: ``[N, 3, H, W]`` → ``[N, 4 * width, H / 8, W / 8]``.

    ``build_faster_rcnn(backbone="small")`` uses the same one, so the one-stage and the two-stage
    detector can be compared on equal features. ``.out_channels`` says how many channels it returns.
    """
    w = width
    features = nn.Sequential(
        _conv(3, w // 2), nn.MaxPool2d(2),
        _conv(w // 2, w), nn.MaxPool2d(2),
        _conv(w, 2 * w), nn.MaxPool2d(2),
        _conv(2 * w, 4 * w),
        _conv(4 * w, 4 * w),
    )
    features.out_channels = 4 * w
    return features


class TinyYOLO(nn.Module):
    """A small YOLO-style detector for square images whose side is a multiple of 8.

    Layers (``w = width``; each conv is 3×3 conv → BatchNorm → LeakyReLU), for a 128 px image::

        [N, 3, 128, 128]
          conv(3→w/2)    + maxpool  → [N, w/2, 64, 64]
          conv(w/2→w)    + maxpool  → [N, w,   32, 32]
          conv(w→2w)     + maxpool  → [N, 2w,  16, 16]
          conv(2w→4w), conv(4w→4w)  → [N, 4w,  16, 16]   (each cell sees a wider context)
          head: 1×1 conv(4w → B*5+C)→ [N, B*5+C, 16, 16] → permute → [N, 16, 16, B*5+C]

    With the defaults (width 32, B=2, 3 classes) it has about 0.25 M parameters.

    Args:
        num_classes: C, the number of object classes (labels 1..C; no background class).
        image_size: side of the (square) input images in pixels, a multiple of 8.
        boxes_per_cell: B, boxes each cell predicts (YOLOv1 used 2).
        width: channels of the second block; the others scale with it.
        score_threshold, iou_threshold, max_detections: passed to :func:`decode_yolo` in eval mode.

    Calling it follows torchvision's detectors (so :func:`~helpers.detectors.common.train_detector`
    trains it): in train mode ``model(images, targets)`` returns the loss dict of
    :func:`yolo_loss`; in eval mode ``model(images)`` returns one dict per image with ``boxes``,
    ``scores``, ``labels``. ``model.grid_output(images)`` gives the raw grid tensor.
    """

    def __init__(self, num_classes: int, image_size: int = 128, boxes_per_cell: int = 2, width: int = 32,
                 score_threshold: float = 0.01, iou_threshold: float = 0.5, max_detections: int = 100) -> None:
        super().__init__()
        for name, value, low in (("num_classes", num_classes, 1), ("image_size", image_size, STRIDE),
                                 ("boxes_per_cell", boxes_per_cell, 1), ("width", width, 2)):
            checks.integer(name, value, minimum=low)
        if image_size % STRIDE:
            raise ValueError(
                f"image_size는 {STRIDE}의 배수여야 합니다 (격자 한 칸 = {STRIDE}px). 받은 값: {image_size}. "
                f"예: {STRIDE * max(1, round(image_size / STRIDE))}"
            )
        self.num_classes = num_classes
        self.image_size = image_size
        self.boxes_per_cell = boxes_per_cell
        self.grid_size = image_size // STRIDE
        self.score_threshold = score_threshold
        self.iou_threshold = iou_threshold
        self.max_detections = max_detections
        self.backbone = tiny_backbone(width)
        self.head = nn.Conv2d(self.backbone.out_channels, boxes_per_cell * 5 + num_classes, kernel_size=1)
        # Start out predicting "no object" (objectness ≈ 0.01) everywhere: almost every box is
        # background, and the first steps would otherwise be spent learning just that.
        with torch.no_grad():
            self.head.bias[4 : 5 * boxes_per_cell : 5] = -4.6

    def grid_output(self, images: Tensor | Sequence[Tensor]) -> Tensor:
        """The grid tensor ``output`` (Tensor[N, S, S, B*5+C], layout in the module docstring)."""
        images = check_images(images)
        if tuple(images.shape[-2:]) != (self.image_size, self.image_size):
            raise ValueError(
                f"이 모델은 {self.image_size}x{self.image_size} 이미지용입니다. 받은 크기: "
                f"{tuple(images.shape[-2:])}. TinyYOLO(image_size=...)를 이미지 크기에 맞게 만드세요."
            )
        raw = self.head(self.backbone(images)).permute(0, 2, 3, 1)  # [N, S, S, B*5+C]
        B = self.boxes_per_cell
        boxes = torch.sigmoid(raw[..., : 5 * B])  # x, y, w, h, objectness: all in [0, 1]
        class_probs = torch.softmax(raw[..., 5 * B :], dim=-1)
        return torch.cat([boxes, class_probs], dim=-1)

    def forward(self, images: Tensor | Sequence[Tensor],
                targets: Sequence[Target] | None = None) -> dict[str, Tensor] | list[Detection]:
        output = self.grid_output(images)
        if self.training:
            if targets is None:
                raise ValueError("학습 모드(model.train())에서는 targets가 필요합니다. 예측만 하려면 model.eval()을 먼저 부르세요.")
            target = encode_targets(targets, self.grid_size, self.image_size, self.num_classes)
            return yolo_loss(output, target.to(output.device), self.boxes_per_cell)
        return decode_yolo(output, self.image_size, self.boxes_per_cell, self.score_threshold,
                           self.iou_threshold, self.max_detections)


# ============================================================================ 2. targets
def encode_targets(targets: Sequence[Target], grid_size: int, image_size: int, num_classes: int) -> Tensor:
    """Write GT boxes into the grid tensor a perfect network would output (with B = 1).

    Each object goes to the cell that contains its centre. That cell gets ``x, y`` (centre
    inside the cell), ``w, h`` (fraction of the image), objectness 1 and a one-hot class; every
    other cell is all zeros (objectness 0 = "no object here").

    Args:
        targets: list of N dicts with ``boxes`` (Tensor[G, 4], (x1, y1, x2, y2) pixels) and
            ``labels`` (Tensor[G] int64 in 1..num_classes). G may be 0.
        grid_size (int): S. image_size (int): side of the square images in pixels.
        num_classes (int): C.

    Returns:
        Tensor[N, S, S, 5 + C] (float32, on the CPU).
    """
    targets = check_targets(targets, num_classes, (image_size, image_size))
    S = grid_size
    encoded = torch.zeros(len(targets), S, S, 5 + num_classes)
    for n, target in enumerate(targets):
        boxes = target["boxes"].cpu() / image_size  # xyxy as fractions of the image
        labels = target["labels"].cpu()
        cx, cy, w, h = box_convert(boxes, "xyxy", "cxcywh").unbind(1)
        cols = (cx * S).long().clamp(max=S - 1)  # the cell holding the centre
        rows = (cy * S).long().clamp(max=S - 1)
        # Larger objects first; a later (smaller) object never takes a cell that is already used.
        for k in torch.argsort(w * h, descending=True, stable=True).tolist():
            i, j = int(rows[k]), int(cols[k])
            if encoded[n, i, j, 4] == 1:
                continue
            encoded[n, i, j, 0] = cx[k] * S - j  # centre inside the cell, in [0, 1)
            encoded[n, i, j, 1] = cy[k] * S - i
            encoded[n, i, j, 2] = w[k]
            encoded[n, i, j, 3] = h[k]
            encoded[n, i, j, 4] = 1.0
            encoded[n, i, j, 5 + int(labels[k]) - 1] = 1.0  # label 1 is class index 0
    return encoded


def _check_grid(tensor: Any, name: str) -> Tensor:
    """A finite ``Tensor[N, S, S, D]`` with values in [0, 1] (sigmoid / softmax outputs)."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"{name}은(는) torch.Tensor[N, S, S, B*5+C]여야 합니다. 받은 타입: {type(tensor).__name__}.")
    if tensor.dim() != 4 or tensor.shape[1] != tensor.shape[2]:
        raise ValueError(f"{name}의 모양은 [N, S, S, B*5+C]여야 합니다. 받은 모양: {tuple(tensor.shape)}.")
    if not tensor.is_floating_point():
        raise TypeError(f"{name}의 dtype은 실수(float)여야 합니다. 받은 dtype: {tensor.dtype}.")
    if tensor.numel():
        finite = torch.isfinite(tensor)
        if not bool(finite.all()):
            where = tuple(int(v) for v in (~finite).nonzero()[0])
            raise ValueError(
                f"{name}에 NaN 또는 무한대 값이 있습니다 (첫 위치 {where}). 학습이 발산했는지(손실이 NaN인지) "
                "확인하고, 학습률을 낮춰 모델을 새로 학습하세요."
            )
        low, high = float(tensor.detach().min()), float(tensor.detach().max())
        if low < 0.0 or high > 1.0:
            raise ValueError(
                f"{name}의 값은 0과 1 사이여야 합니다 (시그모이드·소프트맥스를 거친 값). 받은 범위: "
                f"[{low:.3g}, {high:.3g}]. 원시 로짓이 아니라 model.grid_output(images)의 출력을 주세요."
            )
    return tensor


# ============================================================================ 3. the loss
def _cell_iou(a: Tensor, b: Tensor, grid_size: int) -> Tensor:
    """IoU of boxes (x, y, w, h) given in one cell's coordinates, element-wise: [..., 4] → [...]."""
    # x, y are in cell units and w, h in image units: bring the centres to image units too.
    ax, ay, bx, by = a[..., 0] / grid_size, a[..., 1] / grid_size, b[..., 0] / grid_size, b[..., 1] / grid_size
    inter_w = (torch.minimum(ax + a[..., 2] / 2, bx + b[..., 2] / 2)
               - torch.maximum(ax - a[..., 2] / 2, bx - b[..., 2] / 2)).clamp(min=0)
    inter_h = (torch.minimum(ay + a[..., 3] / 2, by + b[..., 3] / 2)
               - torch.maximum(ay - a[..., 3] / 2, by - b[..., 3] / 2)).clamp(min=0)
    inter = inter_w * inter_h
    union = a[..., 2] * a[..., 3] + b[..., 2] * b[..., 3] - inter
    return inter / union.clamp(min=1e-9)


def yolo_loss(output: Tensor, target: Tensor, boxes_per_cell: int = 1,
              lambda_coord: float = 5.0, lambda_noobj: float = 0.5) -> dict[str, Tensor]:
    """YOLO's loss, summed over the grid and averaged over the images.

    In a cell with an object, one of its B boxes is *responsible* for it: the one whose current
    prediction overlaps the GT most (so the B boxes specialise, e.g. in tall or wide objects).

    * ``loss_box``: ``lambda_coord * [(x - x̂)² + (y - ŷ)² + (√w - √ŵ)² + (√h - √ĥ)²]`` for
      responsible boxes. The square roots make a 4-pixel error count more on a small box
      than on a large one; ``lambda_coord = 5`` makes position matter as much as the rest.
    * ``loss_obj``: binary cross-entropy pushing responsible boxes' objectness to 1.
    * ``loss_noobj``: the same pushing every other box to 0, weighted by ``lambda_noobj = 0.5``:
      most boxes see background, and without the smaller weight they would drown the rest.
    * ``loss_cls``: cross-entropy of the class probabilities in cells with an object.

    Args:
        output (Tensor[N, S, S, B*5 + C]): the network's output (:meth:`TinyYOLO.grid_output`).
        target (Tensor[N, S, S, 5 + C]): from :func:`encode_targets`.
        boxes_per_cell (int): B.

    Returns:
        dict of scalar tensors: ``loss_box``, ``loss_obj``, ``loss_noobj``, ``loss_cls``.

    Raises:
        ValueError: shapes that do not fit, NaN/inf or values outside [0, 1] in ``output`` or
            ``target``.
    """
    output = _check_grid(output, "output")
    target = _check_grid(target, "target")
    N, S, B = output.shape[0], output.shape[1], boxes_per_cell
    C = output.shape[-1] - 5 * B
    if C < 1 or tuple(target.shape) != (*output.shape[:3], 5 + C):
        raise ValueError(
            f"output [N, S, S, B*5+C]와 target [N, S, S, 5+C]의 모양이 맞지 않습니다 (B={B}): "
            f"output {tuple(output.shape)}, target {tuple(target.shape)}."
        )
    pred = output[..., : 5 * B].reshape(N, S, S, B, 5)  # each box: x, y, w, h, objectness
    class_probs = output[..., 5 * B :]
    has_object = target[..., 4] == 1  # [N, S, S]

    # Which of the B boxes is responsible: the best IoU with the GT (no gradient through the choice).
    iou = _cell_iou(pred[..., :4].detach(), target[..., None, :4], S)  # [N, S, S, B]
    best = iou.argmax(dim=-1)
    responsible = F.one_hot(best, B).bool() & has_object[..., None]  # [N, S, S, B]

    p = pred[responsible]  # [M, 5]: one row per object, in the same order as t below
    t = target[has_object]  # [M, 5 + C]
    xy_error = ((p[:, :2] - t[:, :2]) ** 2).sum()
    wh_error = ((p[:, 2:4].clamp(min=1e-9).sqrt() - t[:, 2:4].sqrt()) ** 2).sum()
    loss_box = lambda_coord * (xy_error + wh_error)

    objectness = pred[..., 4]  # [N, S, S, B]
    loss_obj = F.binary_cross_entropy(objectness[responsible], torch.ones_like(p[:, 4]), reduction="sum")
    loss_noobj = lambda_noobj * F.binary_cross_entropy(
        objectness[~responsible], torch.zeros_like(objectness[~responsible]), reduction="sum")

    true_class = t[:, 5:].argmax(dim=1)  # [M]
    loss_cls = F.nll_loss(class_probs[has_object].clamp(min=1e-9).log(), true_class, reduction="sum")

    return {"loss_box": loss_box / N, "loss_obj": loss_obj / N, "loss_noobj": loss_noobj / N,
            "loss_cls": loss_cls / N}


# ============================================================================ 4. decoding
def decode_yolo(output: Tensor, image_size: int, boxes_per_cell: int = 1, score_threshold: float = 0.01,
                iou_threshold: float = 0.5, max_detections: int = 100) -> list[Detection]:
    """Turn the grid tensor into detections: boxes in pixels, scores, labels, after NMS.

    Steps:
        1. Cell offsets → pixels: centre ``cx = (j + x) * cell``, ``cy = (i + y) * cell``, size
           ``w * image_size``, ``h * image_size``; then (cx, cy, w, h) → (x1, y1, x2, y2),
           clipped to the image.
        2. Score of each box: ``objectness * p(best class)``; its label is that class (1..C).
        3. Keep boxes with ``score > score_threshold``.
        4. Per-class non-maximum suppression with ``iou_threshold``, then the best
           ``max_detections``.

    Args:
        output (Tensor[N, S, S, B*5 + C]): :meth:`TinyYOLO.grid_output` (or :func:`encode_targets`,
            with B = 1); layout ``[x, y, w, h, objectness] * B + [p(class 1..C)]`` per cell.
        image_size (int): side of the square input images in pixels.
        boxes_per_cell (int): B.
        score_threshold, iou_threshold (float): see steps 3 and 4.
        max_detections (int): at most this many detections per image.

    Returns:
        list of N dicts: ``boxes`` (Tensor[D, 4], (x1, y1, x2, y2) pixels), ``scores``
        (Tensor[D], decreasing), ``labels`` (Tensor[D] int64 in 1..C).

    Raises:
        ValueError: a wrong shape, NaN/inf in ``output`` or values outside [0, 1] (raw logits).
    """
    from torchvision.ops import batched_nms  # C++ NMS; the readable one is helpers.boxes.batched_nms

    output = _check_grid(output, "output")
    N, S, B = output.shape[0], output.shape[1], boxes_per_cell
    C = output.shape[-1] - 5 * B
    if C < 1:
        raise ValueError(
            f"output의 마지막 차원({output.shape[-1]})이 B*5+C보다 작습니다 (boxes_per_cell B={B}). "
            "boxes_per_cell이 모델과 같은지 확인하세요."
        )
    cell = image_size / S
    boxes = output[..., : 5 * B].reshape(N, S, S, B, 5)
    class_probs = output[..., 5 * B :]  # [N, S, S, C]

    # 1. Cell-relative (x, y) and image-relative (w, h) → pixels.
    rows = torch.arange(S, device=output.device, dtype=output.dtype).view(1, S, 1, 1)
    cols = torch.arange(S, device=output.device, dtype=output.dtype).view(1, 1, S, 1)
    cx = (cols + boxes[..., 0]) * cell  # [N, S, S, B]
    cy = (rows + boxes[..., 1]) * cell
    w = boxes[..., 2] * image_size
    h = boxes[..., 3] * image_size
    xyxy = torch.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], dim=-1)  # [N, S, S, B, 4]

    # 2. Score = objectness × best class probability (the class is shared by the cell's boxes).
    best_prob, best_class = class_probs.max(dim=-1)  # [N, S, S]
    scores = boxes[..., 4] * best_prob[..., None]  # [N, S, S, B]
    labels = (best_class + 1)[..., None].expand(N, S, S, B)  # class index 0 is label 1

    detections = []
    for n in range(N):
        b, s, c = xyxy[n].reshape(-1, 4), scores[n].reshape(-1), labels[n].reshape(-1)
        keep = s > score_threshold  # 3. drop unlikely boxes
        b, s, c = clip_boxes(b[keep], (image_size, image_size)), s[keep], c[keep]
        keep = batched_nms(b, s, c, iou_threshold)[:max_detections]  # 4. one box per object
        detections.append({"boxes": b[keep], "scores": s[keep], "labels": c[keep]})
    return detections
