"""What every detector of lesson 07 shares: target checks, a training loop, prediction, speed.

All detectors here follow torchvision's protocol, so one loop trains them and one function
measures them::

    model.train(); losses = model(images, targets)   # dict of scalar losses
    model.eval();  detections = model(images)         # list of dicts, one per image

* ``images``: ``Tensor[N, 3, H, W]`` (or a list of N ``Tensor[3, H, W]``), float in [0, 1].
* ``targets``: a list of N dicts with ``boxes`` (``Tensor[G, 4]``, (x1, y1, x2, y2) pixels) and
  ``labels`` (``Tensor[G]`` int64, classes ``1..K``; 0 is the background), as
  :mod:`helpers.shapes` produces them. An image without objects has ``Tensor[0, 4]`` boxes.
* ``detections``: a list of N dicts with ``boxes`` (``Tensor[D, 4]`` xyxy), ``scores``
  (``Tensor[D]``) and ``labels`` (``Tensor[D]`` int64, 1..K): what
  :func:`helpers.average_precision.evaluate_detections` takes.

Functions:

* :func:`check_targets`: validates and cleans targets (Korean errors for wrong labels and boxes;
  boxes that stick out of the image are clipped to it).
* :func:`train_detector`: the training loop (AdamW, warm-up then cosine learning rate, gradient
  clipping, tqdm progress) → :class:`DetectorHistory`.
* :func:`predict`: detections for a dataset or a batch of images, on the CPU.
* :func:`evaluate_detector`: :func:`predict` + :func:`~helpers.average_precision.evaluate_detections`.
* :func:`measure_speed`: images per second (warm-up excluded, same images, ``inference_mode``).
* :func:`speed_from_timings`: images per second and milliseconds per image from raw per-batch
  timings (warm-up batches left out).
* :func:`count_flops`: floating-point operations per image of one forward pass, counted (not
  timed) by ``torch.utils.flop_counter``: the same on every machine and every run.
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import torch
from torch import Tensor, nn
from torch.utils.data import DataLoader, Dataset
from tqdm.auto import tqdm

from helpers import checks
from helpers.average_precision import evaluate_detections
from helpers.boxes import clip_boxes, reject_first_row
from helpers.environment import get_device
from helpers.shapes import collate_detection

__all__ = [
    "DetectorHistory",
    "check_images",
    "check_targets",
    "num_classes_of",
    "train_detector",
    "predict",
    "evaluate_detector",
    "measure_speed",
    "speed_from_timings",
    "count_flops",
]


# What the functions accept as "data": a Dataset (or list) of (image, target) pairs, or a DataLoader.
DetectionData: TypeAlias = "Dataset[Any] | DataLoader[Any] | Sequence[Any]"
Target: TypeAlias = "Mapping[str, Any]"  # {"boxes": [G, 4], "labels": [G]}
Detection: TypeAlias = "dict[str, Tensor]"  # {"boxes": [D, 4], "scores": [D], "labels": [D]}


# ============================================================================ input checks
def check_images(images: Tensor | Sequence[Tensor], name: str = "images") -> Tensor:
    """Return ``images`` as one ``Tensor[N, 3, H, W]`` float batch (a list is stacked).

    Raises a Korean ``TypeError``/``ValueError`` naming ``name`` for anything else.
    """
    if isinstance(images, (list, tuple)):
        if len(images) == 0:
            raise ValueError(f"{name}가 비어 있습니다. 이미지를 하나 이상 주세요.")
        if not all(isinstance(im, Tensor) for im in images):
            kinds = sorted({type(im).__name__ for im in images})
            raise TypeError(f"{name}의 원소는 torch.Tensor[3, H, W]여야 합니다. 받은 타입: {kinds}.")
        shapes = sorted({tuple(im.shape) for im in images})
        if len(shapes) > 1:
            raise ValueError(
                f"{name}의 이미지 크기가 서로 다릅니다: {shapes}. 모든 이미지를 같은 크기로 맞추세요."
            )
        images = torch.stack(list(images))
    if not isinstance(images, Tensor):
        raise TypeError(
            f"{name}은(는) Tensor[N, 3, H, W] 또는 Tensor[3, H, W]의 리스트여야 합니다. "
            f"받은 타입: {type(images).__name__}."
        )
    if images.dim() == 3:
        raise ValueError(
            f"{name}의 모양은 [N, 3, H, W]여야 합니다. 받은 모양: {tuple(images.shape)}. "
            "이미지 한 장이면 images[None] 또는 images.unsqueeze(0)으로 배치 차원을 붙이세요."
        )
    if images.dim() != 4 or images.shape[1] != 3:
        raise ValueError(f"{name}의 모양은 [N, 3, H, W](RGB)여야 합니다. 받은 모양: {tuple(images.shape)}.")
    if not images.is_floating_point():
        raise TypeError(
            f"{name}의 dtype은 실수(float)여야 합니다. 받은 dtype: {images.dtype}. "
            "uint8 이미지라면 images.float() / 255 로 [0, 1] 범위로 바꾸세요."
        )
    return images


def check_targets(targets: Sequence[Target], num_classes: int, image_size: tuple[int, int],
                  name: str = "targets") -> list[Detection]:
    """Validate detection targets and return clean copies.

    Args:
        targets: a list of N dicts with ``boxes`` (Tensor[G, 4], (x1, y1, x2, y2) pixels) and
            ``labels`` (Tensor[G], integers in ``1..num_classes``). ``G`` may be 0.
        num_classes (int): K, the number of object classes (background not counted).
        image_size (tuple[int, int]): (height, width) of the images.

    Returns:
        list of N dicts with ``boxes`` (float32 Tensor[G, 4]) and ``labels`` (int64 Tensor[G]),
        on the device of the input boxes. Boxes that stick out of the image are clipped to it
        (random crops often produce them).

    Raises:
        ValueError: a label 0 (the background) or greater than K, boxes of the wrong shape, NaN
            coordinates, ``x2 <= x1`` or ``y2 <= y1``, or a box with no area inside the image.
    """
    if isinstance(targets, Mapping) or not isinstance(targets, Sequence):
        raise TypeError(
            f"{name}은(는) 이미지마다 dict(boxes=..., labels=...) 하나씩인 리스트여야 합니다. "
            f"받은 타입: {type(targets).__name__}."
        )
    height, width = image_size
    clean = []
    for i, target in enumerate(targets):
        where = f"{name}[{i}]"
        if not isinstance(target, Mapping) or "boxes" not in target or "labels" not in target:
            have = sorted(target) if isinstance(target, Mapping) else type(target).__name__
            raise ValueError(f"{where}는 키 'boxes'와 'labels'를 가진 dict여야 합니다. 받은 것: {have}.")
        boxes = torch.as_tensor(target["boxes"])
        labels = torch.as_tensor(target["labels"])
        if boxes.numel() == 0:  # an image without objects: [] or Tensor[0, 4]
            boxes = boxes.reshape(0, 4)
        if boxes.dim() != 2 or boxes.shape[1] != 4:
            raise ValueError(
                f"{where}['boxes']의 모양은 [G, 4]여야 합니다. 받은 모양: {tuple(boxes.shape)}. "
                "객체가 없는 이미지는 torch.zeros((0, 4))를 주세요."
            )
        if labels.dim() != 1 or labels.shape[0] != boxes.shape[0]:
            raise ValueError(
                f"{where}['labels']의 모양은 [G] = [{boxes.shape[0]}] (상자마다 클래스 하나)여야 합니다. "
                f"받은 모양: {tuple(labels.shape)}."
            )
        if labels.is_floating_point() or labels.dtype == torch.bool:
            raise TypeError(f"{where}['labels']는 정수 텐서여야 합니다. 받은 dtype: {labels.dtype}. .long()으로 바꾸세요.")
        bad = (labels < 1) | (labels > num_classes)
        if bool(bad.any()):
            value = int(labels[bad][0])
            hint = (
                "0은 배경(background) 자리이므로 객체 클래스는 1부터 시작합니다 (shapes 데이터셋의 형식)."
                if value == 0
                else f"클래스 수(num_classes={num_classes})를 확인하세요."
            )
            raise ValueError(
                f"{where}['labels']에 범위를 벗어난 클래스 {value}가 있습니다. 클래스는 1..{num_classes}여야 합니다. {hint}"
            )
        boxes = boxes.float()
        if not bool(torch.isfinite(boxes).all()):
            raise ValueError(f"{where}['boxes']에 NaN 또는 무한대 좌표가 있습니다.")
        reject_first_row(_flat(boxes), boxes,
                         where + "['boxes'][{i}] = {row} 는 넓이가 없는 상자입니다: x2 > x1, y2 > y1 이어야 합니다. "
                         "(x, y, w, h) 형식이라면 helpers.boxes.box_convert(boxes, 'xywh', 'xyxy')로 먼저 바꾸세요.")
        clipped = clip_boxes(boxes, (height, width))
        reject_first_row(_flat(clipped), boxes,
                         where + "['boxes'][{i}] = {row} 는 " + f"이미지(높이 {height}, 너비 {width}) 밖에 있습니다. "
                         "좌표가 픽셀 단위인지(0~1로 정규화하지 않았는지), 이미지 크기가 맞는지 확인하세요.")
        clean.append({"boxes": clipped, "labels": labels.long()})
    return clean


def _flat(boxes: Tensor) -> Tensor:
    """Bool [G]: boxes without area (``x2 <= x1`` or ``y2 <= y1``)."""
    return (boxes[:, 2] <= boxes[:, 0]) | (boxes[:, 3] <= boxes[:, 1])


def num_classes_of(model: nn.Module) -> int:
    """K, the number of object classes a detector predicts (without the background).

    Our detectors and the builders in :mod:`helpers.detectors.torchvision_models` store it as
    ``model.num_classes``; for other torchvision detectors it is read from the box predictor.
    """
    k = getattr(model, "num_classes", None)
    if isinstance(k, int):
        return k
    predictor = getattr(getattr(model, "roi_heads", None), "box_predictor", None)
    if predictor is not None:  # torchvision Faster R-CNN: num_classes includes the background
        return predictor.cls_score.out_features - 1
    head = getattr(getattr(model, "head", None), "classification_head", None)
    if head is not None:  # torchvision SSD / RetinaNet (num_classes), SSDlite (num_columns)
        return getattr(head, "num_classes", getattr(head, "num_columns", 0)) - 1
    raise TypeError(
        f"{type(model).__name__}에서 클래스 수를 알 수 없습니다. model.num_classes = K (배경 제외)를 지정하세요."
    )


# ============================================================================ training
@dataclass(repr=False)
class DetectorHistory:
    """What :func:`train_detector` measured.

    Attributes:
        step_loss: total loss of every step (sum of the detector's loss terms).
        parts: every loss term per step, e.g. ``{"loss_box": [...], "loss_obj": [...]}``.
        epoch_loss: mean total loss of each epoch.
        seconds: wall-clock seconds of each epoch.
        lr: learning rate of each step.
    """

    step_loss: list[float] = field(default_factory=list)
    parts: dict[str, list[float]] = field(default_factory=dict)
    epoch_loss: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)

    @property
    def steps(self) -> int:
        return len(self.step_loss)

    @property
    def seconds_per_step(self) -> float:
        return sum(self.seconds) / max(self.steps, 1)

    def __repr__(self) -> str:
        if not self.step_loss:
            return "DetectorHistory(기록 없음)"
        return (
            f"DetectorHistory(에폭 {len(self.epoch_loss)}개, 스텝 {self.steps}개, "
            f"손실 {self.epoch_loss[0]:.3f} → {self.epoch_loss[-1]:.3f}, "
            f"총 {sum(self.seconds):.1f}초, 스텝당 {self.seconds_per_step:.3f}초)"
        )


def _make_loader(data: DetectionData, batch_size: int, shuffle: bool, name: str) -> DataLoader:
    if isinstance(data, DataLoader):
        return data
    if isinstance(data, Dataset) or (isinstance(data, Sequence) and not isinstance(data, (str, bytes))):
        if len(data) == 0:
            raise ValueError(f"{name}에 이미지가 없습니다. 이미지가 하나 이상 있는 데이터셋을 주세요.")
        # A last batch of a single image breaks BatchNorm on 1x1 feature maps (SSDlite's last
        # layers): drop it when training. In-memory data: no worker processes (start-up time only).
        drop_last = shuffle and len(data) % batch_size == 1 and len(data) > 1
        return DataLoader(data, batch_size=batch_size, shuffle=shuffle, collate_fn=collate_detection,
                          num_workers=0, drop_last=drop_last)
    raise TypeError(
        f"{name}은(는) (image, target)을 돌려주는 Dataset 또는 DataLoader여야 합니다. "
        f"받은 타입: {type(data).__name__}."
    )


def warmup_cosine(total_steps: int, warmup_steps: int, final_fraction: float = 0.05) -> Callable[[int], float]:
    """Learning-rate multiplier per step: linear warm-up, then cosine decay to ``final_fraction``."""
    def factor(step: int) -> float:
        if step < warmup_steps:
            return (step + 1) / warmup_steps
        progress = (step - warmup_steps) / max(total_steps - warmup_steps, 1)
        return final_fraction + (1 - final_fraction) * 0.5 * (1 + math.cos(math.pi * min(progress, 1.0)))
    return factor


def train_detector(
    model: nn.Module,
    data: DetectionData,
    epochs: int = 10,
    batch_size: int = 8,
    lr: float = 1e-3,
    weight_decay: float = 1e-4,
    optimizer: torch.optim.Optimizer | None = None,
    warmup_steps: int | None = None,
    clip_grad: float | None = 10.0,
    device: str | torch.device | None = None,
    progress: bool = True,
) -> DetectorHistory:
    """Train a detector that follows torchvision's protocol (``model(images, targets)`` → losses).

    One step: ``losses = model(images, targets)`` → ``loss = sum(losses.values())`` →
    ``backward`` → clip the gradient norm → ``optimizer.step()``. The learning rate rises
    linearly for ``warmup_steps`` (from-scratch detectors diverge easily at first) and then
    follows a cosine down to 5 % of ``lr``.

    Args:
        model: :class:`~helpers.detectors.yolo.TinyYOLO` or a torchvision detector.
        data: a Dataset of ``(image, target)`` pairs (shuffled into batches of ``batch_size``
            with :func:`helpers.shapes.collate_detection`) or a ready DataLoader.
        epochs: passes over ``data``.
        lr, weight_decay: for the default optimizer, ``torch.optim.AdamW``.
        optimizer: use this optimizer instead (its learning rate is still scheduled).
        warmup_steps: default 10 % of all steps, at most 200.
        clip_grad: maximum gradient norm (``None``: no clipping).
        device: default :func:`helpers.environment.get_device`.
        progress: show a tqdm bar with the running loss.

    Returns:
        DetectorHistory. The model is left in eval mode, on ``device``.

    Raises:
        ValueError: wrong targets (see :func:`check_targets`), an empty dataset, bad arguments.
        FloatingPointError: the loss became NaN or infinite.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model은(는) torch.nn.Module이어야 합니다. 받은 타입: {type(model).__name__}.")
    epochs = checks.positive_int("epochs", epochs)
    batch_size = checks.positive_int("batch_size", batch_size)
    lr = checks.positive_number("lr", lr, hint="기본 옵티마이저(AdamW)의 학습률입니다 (예: 1e-3).")
    loader = _make_loader(data, batch_size, shuffle=True, name="data")
    num_classes = num_classes_of(model)
    device = torch.device(device) if device is not None else get_device()
    model.to(device)
    if optimizer is None:
        params = [p for p in model.parameters() if p.requires_grad]
        optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)
    total = epochs * len(loader)
    if warmup_steps is None:
        warmup_steps = min(200, max(1, total // 10))
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, warmup_cosine(total, max(1, warmup_steps)))

    history = DetectorHistory()
    model.train()
    with tqdm(total=total, desc="탐지기 학습", unit="스텝", disable=not progress) as bar:
        for epoch in range(1, epochs + 1):
            start, epoch_sum, epoch_steps = time.perf_counter(), 0.0, 0
            for images, targets in loader:
                images = check_images(images)
                targets = check_targets(targets, num_classes, tuple(images.shape[-2:]))
                images = images.to(device)
                targets = [{k: v.to(device) for k, v in t.items()} for t in targets]

                losses = model(list(images), targets)
                loss = sum(losses.values())
                # One GPU→CPU copy per step for the total and every term (keeps no graph alive).
                value, *parts = torch.stack([loss, *losses.values()]).detach().tolist()
                if not math.isfinite(value):
                    raise FloatingPointError(
                        f"에폭 {epoch}, 스텝 {history.steps + 1}에서 손실이 NaN/무한대가 되었습니다 "
                        f"(lr={optimizer.param_groups[0]['lr']:.2g}). 학습률을 10배 낮추거나 warmup_steps를 늘려 "
                        "모델을 새로 만들어 다시 학습하세요."
                    )
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                if clip_grad is not None:
                    nn.utils.clip_grad_norm_(model.parameters(), clip_grad)
                optimizer.step()
                history.lr.append(optimizer.param_groups[0]["lr"])
                scheduler.step()

                history.step_loss.append(value)
                for key, part in zip(losses, parts, strict=True):
                    history.parts.setdefault(key, []).append(part)
                epoch_sum, epoch_steps = epoch_sum + value, epoch_steps + 1
                bar.set_postfix(에폭=f"{epoch}/{epochs}", 손실=f"{value:.3f}", refresh=False)
                bar.update()
            history.epoch_loss.append(epoch_sum / max(epoch_steps, 1))
            history.seconds.append(time.perf_counter() - start)
    model.eval()
    return history


# ============================================================================ prediction
def _image_batches(data: DetectionData | Tensor, batch_size: int) -> Iterator[Tensor]:
    """Yield ``Tensor[B, 3, H, W]`` batches from a dataset, a DataLoader, a tensor or a list."""
    if isinstance(data, Tensor) or (isinstance(data, (list, tuple)) and data and isinstance(data[0], Tensor)):
        images = check_images(data)
        for start in range(0, len(images), batch_size):
            yield images[start : start + batch_size]
        return
    for images, _ in _make_loader(data, batch_size, shuffle=False, name="data"):
        yield check_images(images)


def _to_cpu(detection: Mapping[str, Tensor]) -> Detection:
    return {
        "boxes": detection["boxes"].detach().float().cpu(),
        "scores": detection["scores"].detach().float().cpu(),
        "labels": detection["labels"].detach().long().cpu(),
    }


def predict(detector: nn.Module, data: DetectionData | Tensor, batch_size: int = 16,
            device: str | torch.device | None = None) -> list[Detection]:
    """Detections for every image of ``data``, in order.

    Args:
        detector: any detector of this package (or a torchvision detector).
        data: a Dataset of ``(image, target)``, a DataLoader, a ``Tensor[N, 3, H, W]`` or a list
            of ``Tensor[3, H, W]``.
        batch_size: images per forward pass.
        device: default: where the detector's parameters are.

    Returns:
        list of N dicts with ``boxes`` (Tensor[D, 4] xyxy), ``scores`` (Tensor[D]) and
        ``labels`` (Tensor[D] int64, 1..K), on the CPU: the ``preds`` of
        :func:`helpers.average_precision.evaluate_detections`.
    """
    batch_size = checks.positive_int("batch_size", batch_size)
    device = torch.device(device) if device is not None else checks.model_device(detector)
    detector.to(device)
    detector.eval()
    out: list[Detection] = []
    with torch.inference_mode():
        for images in _image_batches(data, batch_size):
            out.extend(_to_cpu(d) for d in detector(list(images.to(device))))
    return out


def evaluate_detector(detector: nn.Module, dataset: Dataset[Any] | Sequence[Any], batch_size: int = 16,
                      **kwargs: Any) -> dict[str, Any]:
    """COCO-style AP of ``detector`` on ``dataset`` (AP, AP50, AP75, AP_small, …).

    ``kwargs`` go to :func:`helpers.average_precision.evaluate_detections`.
    """
    preds = predict(detector, dataset, batch_size=batch_size)
    gts = [dataset[i][1] for i in range(len(dataset))]
    return evaluate_detections(gts, preds, **kwargs)


def measure_speed(detector: nn.Module, images: Tensor | Sequence[Tensor], warmup: int = 2, repeats: int = 5,
                  batch_size: int | None = None) -> float:
    """Inference speed in images per second.

    The detector runs on the images ``warmup`` times untimed (first calls allocate memory and
    pick kernels), then ``repeats`` times timed, in eval mode under ``torch.inference_mode``.
    On a GPU we wait for the GPU (``torch.cuda.synchronize``) before reading the clock, because
    CUDA calls return before the work is done.

    Args:
        detector: any detector of this package (it stays on its device; the images are moved there).
        images: ``Tensor[N, 3, H, W]`` or a list of ``Tensor[3, H, W]``: the same images for every
            detector you compare.
        warmup, repeats: untimed and timed passes over all images.
        batch_size: images per forward pass (default: all N at once).

    Returns:
        float: ``N * repeats / seconds``.
    """
    images = check_images(images)
    repeats = checks.positive_int("repeats", repeats)
    warmup = checks.non_negative_int("warmup", warmup)
    batch_size = len(images) if batch_size is None else checks.positive_int("batch_size", batch_size)
    device = checks.model_device(detector)
    images = images.to(device)
    batches = [list(images[s : s + batch_size]) for s in range(0, len(images), batch_size)]

    def sync() -> None:
        if device.type == "cuda":
            torch.cuda.synchronize(device)

    detector.eval()
    with torch.inference_mode():
        for _ in range(warmup):
            for batch in batches:
                detector(batch)
        sync()
        start = time.perf_counter()
        for _ in range(repeats):
            for batch in batches:
                detector(batch)
        sync()
        seconds = time.perf_counter() - start
    return len(images) * repeats / seconds


def speed_from_timings(batch_seconds: Sequence[float], images_per_batch: int | Sequence[int],
                       warmup: int = 0) -> dict[str, float]:
    """Speed from raw timings: the first ``warmup`` batches are left out, the rest are summed.

    ``images_per_s = (images in the timed batches) / (seconds of the timed batches)`` and
    ``ms_per_image = 1000 / images_per_s``. Warm-up batches are excluded because the first calls
    allocate memory and choose kernels: they measure set-up, not inference.

    Args:
        batch_seconds (sequence of float): wall-clock seconds of each batch, in the order run.
        images_per_batch (int or sequence of int): images in every batch (one int: all the
            same), or one count per batch (the last batch is often smaller).
        warmup (int): how many leading batches are warm-up.

    Returns:
        dict with ``images_per_s`` (float), ``ms_per_image`` (float), ``timed_batches`` (int),
        ``timed_images`` (int) and ``timed_seconds`` (float).

    Raises:
        ValueError: no batch left after the warm-up, a negative or non-finite time, a count
            below 1, lengths that differ, or timed batches that add up to 0 seconds.
    """
    seconds = [float(t) for t in batch_seconds]
    if isinstance(images_per_batch, bool) or not isinstance(images_per_batch, (int, Sequence, Tensor)):
        raise TypeError(
            f"images_per_batch는 정수 하나 또는 배치마다 정수 하나인 리스트여야 합니다. "
            f"받은 타입: {type(images_per_batch).__name__}."
        )
    if isinstance(images_per_batch, int):
        counts = [images_per_batch] * len(seconds)
    else:
        counts = [int(c) for c in images_per_batch]
        if len(counts) != len(seconds):
            raise ValueError(
                f"images_per_batch의 길이({len(counts)})가 batch_seconds의 길이({len(seconds)})와 다릅니다. "
                "배치마다 이미지 수를 하나씩 주세요."
            )
    warmup = checks.non_negative_int("warmup", warmup)
    if any(c < 1 for c in counts):
        raise ValueError(f"배치마다 이미지가 1장 이상이어야 합니다. 받은 이미지 수: {counts}.")
    if any(not math.isfinite(t) or t < 0 for t in seconds):
        raise ValueError(f"batch_seconds에 음수이거나 유한하지 않은 시간이 있습니다: {seconds}.")
    timed_seconds, timed_counts = seconds[warmup:], counts[warmup:]
    if not timed_seconds:
        raise ValueError(
            f"워밍업(warmup={warmup})을 빼면 잰 배치가 남지 않습니다 (배치 {len(seconds)}개). "
            "워밍업보다 많은 배치를 재거나 warmup을 줄이세요."
        )
    total = sum(timed_seconds)
    if total <= 0:
        raise ValueError("워밍업을 뺀 배치들의 시간 합이 0초입니다. 시간을 잴 수 없습니다: time.perf_counter()로 재세요.")
    images = sum(timed_counts)
    images_per_s = images / total
    return {"images_per_s": images_per_s, "ms_per_image": 1000.0 / images_per_s,
            "timed_batches": len(timed_seconds), "timed_images": images, "timed_seconds": total}


def count_flops(detector: nn.Module, images: Tensor | Sequence[Tensor]) -> float:
    """Floating-point operations per image of one eval-mode forward pass (counted, not timed).

    ``torch.utils.flop_counter.FlopCounterMode`` counts the matrix products and convolutions
    (a multiply-add = 2 FLOPs); element-wise work, NMS and anything outside PyTorch (e.g. the
    mini R-CNN's selective search) is not counted. Unlike a time, the count does not depend on
    the machine or on other programs running.

    Args:
        detector: any detector of this package (eval mode is set).
        images: ``Tensor[N, 3, H, W]`` or a list of ``Tensor[3, H, W]``.

    Returns:
        float: FLOPs per image (total / N).
    """
    from torch.utils.flop_counter import FlopCounterMode

    images = check_images(images)
    images = images.to(checks.model_device(detector))
    detector.eval()
    with torch.inference_mode(), FlopCounterMode(display=False) as counter:
        detector(list(images))
    return counter.get_total_flops() / len(images)
