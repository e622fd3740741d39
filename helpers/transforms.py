"""Preprocessing shared by training and testing: normalisation statistics and augmentation.

The rule the course teaches: the test images go through *exactly the same* normalisation as the
training images; only the training pipeline adds random augmentation. :func:`build_transforms`
builds both pipelines from one list of shared steps, so they cannot drift apart.

Pipelines are ``torchvision.transforms.v2`` and accept a PIL image, a uint8 Tensor[C, H, W]
(0-255) or a float Tensor[C, H, W] already in [0, 1]; they return a normalised float32
Tensor[C, H, W].
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import torch
from torchvision.transforms import v2

from helpers import checks

# Per-channel mean and standard deviation of the *training* images, pixel values scaled to [0, 1].
# MNIST and CIFAR-10 were computed over every pixel of the 60,000 / 50,000 training images (what
# channel_stats() returns on them); ImageNet's are the values torchvision's pretrained weights use.
NORMALIZATION: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "mnist": ((0.1307,), (0.3081,)),
    "cifar10": ((0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)),
    "imagenet": ((0.485, 0.456, 0.406), (0.229, 0.224, 0.225)),
}
NAMES = tuple(NORMALIZATION)


def _canonical(name: Any) -> str:
    if not isinstance(name, str):
        raise TypeError(f"name은 데이터셋 이름(문자열)이어야 합니다 (받은 값: {type(name).__name__}).")
    key = name.lower().replace("-", "").replace("_", "").replace(" ", "")
    if key not in NORMALIZATION:
        raise ValueError(f"알 수 없는 데이터셋 이름 {name!r} 입니다. 쓸 수 있는 이름: {', '.join(NAMES)}.")
    return key


def normalization(name: str) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """``(mean, std)`` per channel for ``"mnist"``, ``"cifar10"`` or ``"imagenet"``.

    Example: ``normalization("mnist") == ((0.1307,), (0.3081,))``.
    """
    return NORMALIZATION[_canonical(name)]


def build_transforms(name: str, augment: bool = True) -> tuple[v2.Compose, v2.Compose]:
    """``(train_tf, test_tf)`` for a dataset; both end with the *same* Normalize object.

    - test: to tensor -> float in [0, 1] -> normalise (ImageNet: resize 256 and centre-crop 224 first).
    - train (``augment=True``) adds random augmentation before the shared steps:
      MNIST: small rotation (±10°) and shift (±10 %), no flips (a flipped 2 is not a 2);
      CIFAR-10: random 32x32 crop of the 4-pixel-padded image and horizontal flip;
      ImageNet: random resized crop to 224 and horizontal flip.
      With ``augment=False`` the train pipeline equals the test pipeline.
    """
    key = _canonical(name)
    if not isinstance(augment, bool):
        raise TypeError(f"augment는 True 또는 False여야 합니다 (받은 값: {augment!r}).")
    mean, std = NORMALIZATION[key]
    to_image = v2.ToImage()
    shared = [v2.ToDtype(torch.float32, scale=True), v2.Normalize(mean=list(mean), std=list(std))]

    if key == "imagenet":
        test_geometry = [v2.Resize(256, antialias=True), v2.CenterCrop(224)]
        train_geometry = [v2.RandomResizedCrop(224, antialias=True), v2.RandomHorizontalFlip()]
    elif key == "mnist":
        test_geometry = []
        train_geometry = [v2.RandomAffine(degrees=10, translate=(0.1, 0.1))]
    else:  # cifar10
        test_geometry = []
        train_geometry = [v2.RandomCrop(32, padding=4), v2.RandomHorizontalFlip()]

    test_tf = v2.Compose([to_image, *test_geometry, *shared])
    if not augment:
        return v2.Compose([to_image, *test_geometry, *shared]), test_tf
    return v2.Compose([to_image, *train_geometry, *shared]), test_tf


def _as_float_images(images: Any, what: str) -> torch.Tensor:
    """Tensor[N, C, H, W] float64 in the [0, 1] scale from a tensor or array."""
    if isinstance(images, np.ndarray):
        images = torch.from_numpy(images)
    if not isinstance(images, torch.Tensor):
        raise TypeError(f"{what}는 Tensor 또는 numpy 배열이어야 합니다 (받은 값: {type(images).__name__}).")
    if images.ndim == 3:
        images = images.unsqueeze(0)
    if images.ndim != 4:
        raise ValueError(
            f"{what}는 [C, H, W] 또는 [N, C, H, W] 모양이어야 합니다 (받은 모양: {tuple(images.shape)})."
        )
    if images.dtype == torch.uint8:
        return images.double() / 255
    if not images.is_floating_point():
        raise TypeError(f"{what}의 dtype은 uint8 또는 실수형이어야 합니다 (받은 dtype: {images.dtype}).")
    return images.double()


def denormalize(tensor: torch.Tensor, name: str, clamp: bool = True) -> torch.Tensor:
    """Undo normalisation for display: ``x * std + mean`` per channel.

    Args:
        tensor (Tensor[C, H, W] or Tensor[N, C, H, W]): normalised float images.
        name: dataset whose statistics were used (see :func:`normalization`).
        clamp: clip the result to [0, 1] (what imshow expects).

    Returns a float tensor of the same shape and dtype.
    """
    mean, std = _stats_like(tensor, name)
    out = tensor * std + mean
    return out.clamp(0, 1) if clamp else out


def normalize(tensor: torch.Tensor, name: str) -> torch.Tensor:
    """``(x - mean) / std`` per channel for float images in [0, 1] (Tensor[C, H, W] or [N, C, H, W])."""
    mean, std = _stats_like(tensor, name)
    return (tensor - mean) / std


def _stats_like(tensor: Any, name: str) -> tuple[torch.Tensor, torch.Tensor]:
    """mean and std of ``name`` as Tensor[C, 1, 1] matching ``tensor``'s dtype and device."""
    mean, std = normalization(name)
    if not isinstance(tensor, torch.Tensor) or not tensor.is_floating_point():
        got = tensor.dtype if isinstance(tensor, torch.Tensor) else type(tensor).__name__
        raise TypeError(f"tensor는 실수형 Tensor여야 합니다 (받은 값: {got}).")
    if tensor.ndim not in (3, 4) or tensor.shape[-3] != len(mean):
        raise ValueError(
            f"tensor는 채널이 {len(mean)}개인 [C, H, W] 또는 [N, C, H, W] 모양이어야 합니다 "
            f"({name}; 받은 모양: {tuple(tensor.shape)})."
        )
    options = {"dtype": tensor.dtype, "device": tensor.device}
    return torch.tensor(mean, **options).view(-1, 1, 1), torch.tensor(std, **options).view(-1, 1, 1)


def channel_stats(data: Any, batch_size: int = 1024) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Per-channel mean and (population) standard deviation of images, in the [0, 1] scale.

    Args:
        data: a Tensor / numpy array [N, C, H, W] or [C, H, W] (uint8 0-255 or float in [0, 1]),
            or a Dataset whose items are ``(image Tensor[C, H, W], label)`` or images. A
            :class:`helpers.data.ImageDataset` without a transform is read straight from ``.data``.
        batch_size: images per step when reading a Dataset.

    Returns ``(mean, std)``, tuples of C floats, the same form as :func:`normalization`. Sums are
    accumulated in float64 batch by batch, so the whole dataset never needs to fit in memory.
    """
    batch_size = checks.positive_int("batch_size", batch_size, hint="Dataset을 한 번에 읽을 이미지 수입니다.")
    batches: Iterable[torch.Tensor]
    if isinstance(data, (torch.Tensor, np.ndarray)):
        batches = [_as_float_images(data, "data")]
    elif getattr(data, "transform", "missing") is None and isinstance(getattr(data, "data", None), torch.Tensor):
        raw = data.data
        batches = (_as_float_images(raw[i:i + batch_size], "data.data") for i in range(0, len(raw), batch_size))
    elif hasattr(data, "__getitem__") and hasattr(data, "__len__"):
        batches = _dataset_batches(data, batch_size)
    else:
        raise TypeError(
            f"data는 Tensor, numpy 배열 또는 Dataset이어야 합니다 (받은 값: {type(data).__name__})."
        )

    total = None
    for batch in batches:
        # Sum over images and pixels, keep channels: E[x] and E[x^2] give var = E[x^2] - E[x]^2.
        s = batch.sum(dim=(0, 2, 3))
        sq = (batch * batch).sum(dim=(0, 2, 3))
        count = batch.shape[0] * batch.shape[2] * batch.shape[3]
        total = (s, sq, count) if total is None else (total[0] + s, total[1] + sq, total[2] + count)
    if total is None or total[2] == 0:
        raise ValueError("data에 이미지가 없습니다 (길이 0). 이미지가 1장 이상 필요합니다.")
    mean = total[0] / total[2]
    var = (total[1] / total[2] - mean**2).clamp_min(0)
    return tuple(mean.tolist()), tuple(var.sqrt().tolist())


def _dataset_batches(dataset: Any, batch_size: int) -> Iterator[torch.Tensor]:
    for start in range(0, len(dataset), batch_size):
        images = []
        for i in range(start, min(start + batch_size, len(dataset))):
            item = dataset[i]
            image = item[0] if isinstance(item, (tuple, list)) else item
            if not isinstance(image, torch.Tensor):
                raise TypeError(
                    f"dataset[{i}]의 이미지가 Tensor가 아닙니다 ({type(image).__name__}). "
                    "ToTensor 같은 변환을 거친 Dataset을 넘기세요."
                )
            images.append(image)
        yield _as_float_images(torch.stack(images), "dataset의 이미지")


__all__ = ["NORMALIZATION", "build_transforms", "channel_stats", "denormalize",
           "normalization", "normalize"]
