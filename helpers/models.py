"""The course's small image classifiers, each short enough to read in one sitting.

Three models, from simplest to largest:

- :class:`SmallCNN` (lessons 03-04): two conv blocks → Flatten → Dropout → one Linear layer.
  About 21k parameters for MNIST.
- :class:`GapCNN` (lesson 05): conv blocks that end in feature maps, then Global Average Pooling
  (GAP) and a single Linear layer. Because GAP sits between the feature maps and ``fc``,
  ``fc.weight[c] @ feature_maps`` is exactly the Class Activation Map (CAM) of class ``c``.
- :class:`CifarCNN`: a compact VGG-style network (three blocks of two convs, BatchNorm, Dropout)
  that reaches 80 %+ on CIFAR-10 with augmentation (see the class docstring).

Every model takes images as ``Tensor[N, C, H, W]`` (float, normalised) and returns logits
``Tensor[N, num_classes]`` (no softmax: ``nn.CrossEntropyLoss`` applies it).
"""
from __future__ import annotations

from typing import Any

import torch
from torch import nn

from helpers import checks

__all__ = ["SmallCNN", "GapCNN", "CifarCNN", "conv_block", "count_parameters"]


# --------------------------------------------------------------------------- input checks
_TIMES = {2: "두", 3: "세"}  # how many 2×2 max-pools a model has, in Korean words


def _check_channels(in_channels: Any, num_classes: Any, width: Any) -> tuple[int, int, int]:
    """``(in_channels, num_classes, width)`` as ints: at least 1, 2 and 1."""
    return (
        checks.positive_int("in_channels", in_channels),
        checks.integer("num_classes", num_classes, minimum=2),
        checks.positive_int("width", width),
    )


def _check_image_size(image_size: Any, pools: int, advice: str) -> int:
    """``image_size`` as an int divisible by ``2 ** pools`` (each 2×2 max-pool halves it)."""
    factor = 2**pools
    image_size = checks.integer("image_size", image_size, minimum=factor)
    if image_size % factor:
        raise ValueError(
            f"image_size는 {factor}의 배수여야 합니다 (받은 값: {image_size}). 2×2 최대 풀링을 {_TIMES[pools]} 번 "
            f"거치므로 크기가 {_TIMES[pools]} 번 반으로 줄어듭니다. {advice}"
        )
    return image_size


def _check_dropout(dropout: Any) -> float:
    return checks.probability(
        "dropout", dropout, max_inclusive=False,
        hint="드롭아웃 확률 p는 뉴런을 끌 확률입니다: 0이면 드롭아웃을 쓰지 않습니다.",
    )


# --------------------------------------------------------------------------- building block
def conv_block(in_channels: int, out_channels: int, batchnorm: bool = True, convs: int = 1,
               pool: bool = True) -> nn.Sequential:
    """``convs`` × (3×3 Conv → [BatchNorm] → ReLU), then an optional 2×2 max-pool.

    Shapes: ``Tensor[N, in_channels, H, W]`` → ``Tensor[N, out_channels, H/2, W/2]`` (or
    ``H, W`` when ``pool=False``). Padding 1 keeps H and W through the convs.

    With BatchNorm the conv has no bias: BN subtracts the mean anyway, so a bias would be learned
    and then removed. ReLU is not in-place so hooks (CAM, Grad-CAM) can read every activation.
    """
    layers: list[nn.Module] = []
    channels = in_channels
    for _ in range(convs):
        layers.append(nn.Conv2d(channels, out_channels, kernel_size=3, padding=1, bias=not batchnorm))
        if batchnorm:
            layers.append(nn.BatchNorm2d(out_channels))
        layers.append(nn.ReLU())
        channels = out_channels
    if pool:
        layers.append(nn.MaxPool2d(2))
    return nn.Sequential(*layers)


# --------------------------------------------------------------------------- SmallCNN
class SmallCNN(nn.Module):
    """Two conv blocks → Flatten → Dropout → Linear: the lesson-03 classifier.

    Layers (``w = width``)::

        features:   [N, in_channels, S, S]
          block 1:  Conv3×3(in_channels→w) → BN → ReLU → MaxPool2   → [N, w,  S/2, S/2]
          block 2:  Conv3×3(w→2w)          → BN → ReLU → MaxPool2   → [N, 2w, S/4, S/4]
        classifier: Flatten → Dropout(dropout) → Linear(2w·(S/4)², num_classes)

    With the defaults (MNIST: 1×28×28, width 16) it has 20,538 parameters and reaches about
    95 % test accuracy after 3 epochs on 4,000 digits.

    Args:
        in_channels: 1 for grey images (MNIST), 3 for colour (CIFAR-10).
        num_classes: number of output logits.
        image_size: side ``S`` of the square input; must be divisible by 4 (two 2×2 pools).
        batchnorm: add ``nn.BatchNorm2d`` after each conv (``False`` removes those layers).
        dropout: drop probability before the Linear layer (``0`` removes the Dropout layer).
        width: channels of the first block; the second block has ``2 * width``.

    Input ``Tensor[N, in_channels, S, S]`` → logits ``Tensor[N, num_classes]``.
    """

    def __init__(self, in_channels: int = 1, num_classes: int = 10, image_size: int = 28,
                 batchnorm: bool = True, dropout: float = 0.25, width: int = 16) -> None:
        super().__init__()
        in_channels, num_classes, width = _check_channels(in_channels, num_classes, width)
        image_size = _check_image_size(image_size, 2, "이미지를 28이나 32처럼 4의 배수로 맞추세요.")
        dropout = _check_dropout(dropout)
        self.in_channels, self.image_size = in_channels, image_size
        self.features = nn.Sequential(
            conv_block(in_channels, width, batchnorm),
            conv_block(width, 2 * width, batchnorm),
        )
        side = image_size // 4
        head: list[nn.Module] = [nn.Flatten()]
        if dropout > 0:
            head.append(nn.Dropout(dropout))
        head.append(nn.Linear(2 * width * side * side, num_classes))
        self.classifier = nn.Sequential(*head)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x))


# --------------------------------------------------------------------------- GapCNN
class GapCNN(nn.Module):
    """Conv trunk → Global Average Pooling → one Linear layer: the CAM-ready classifier.

    Layers (``w = width``)::

        features:  [N, in_channels, H, W]
          block 1: Conv3×3(in_channels→w)  → BN → ReLU → MaxPool2  → [N, w,  H/2, W/2]
          block 2: Conv3×3(w→2w)           → BN → ReLU → MaxPool2  → [N, 2w, H/4, W/4]
          block 3: Conv3×3(2w→4w)          → BN → ReLU (no pool)   → [N, 4w, H/4, W/4]
        pool:      AdaptiveAvgPool2d(1) → Flatten                  → [N, 4w]
        fc:        Linear(4w, num_classes)                         → [N, num_classes]

    Because the only thing between the feature maps ``A`` (``[N, K, h, w]``) and the logits is an
    average and a Linear layer, ``logit_c = b_c + mean_{i,j} Σ_k fc.weight[c, k] · A[k, i, j]``:
    the map ``Σ_k fc.weight[c, k] · A[k]`` (the CAM) shows where the evidence for class ``c`` is.
    The last block keeps ``H/4 × W/4`` resolution (7×7 for MNIST, 8×8 for CIFAR-10) so the map
    stays sharp. Works for any input size divisible by 4.

    Attributes:
        features: the conv trunk, ``Tensor[N, C, H, W]`` → ``Tensor[N, 4*width, H/4, W/4]``.
        pool: Global Average Pooling + Flatten, → ``Tensor[N, 4*width]``.
        fc: the ``nn.Linear(4*width, num_classes)`` whose weights weight the CAM.
    """

    def __init__(self, in_channels: int = 1, num_classes: int = 10, width: int = 16,
                 batchnorm: bool = True) -> None:
        super().__init__()
        in_channels, num_classes, width = _check_channels(in_channels, num_classes, width)
        self.features = nn.Sequential(
            conv_block(in_channels, width, batchnorm),
            conv_block(width, 2 * width, batchnorm),
            conv_block(2 * width, 4 * width, batchnorm, pool=False),
        )
        self.pool = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(4 * width, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.pool(self.features(x)))


# --------------------------------------------------------------------------- CifarCNN
class CifarCNN(nn.Module):
    """A compact VGG-style network for 32×32 colour images (CIFAR-10).

    Three blocks of two 3×3 convs (BatchNorm, ReLU), each followed by a 2×2 max-pool and Dropout,
    then Flatten → Dropout → Linear. ``w = width``::

        [N, 3, 32, 32] → block(3→w)   → [N, w,  16, 16]
                       → block(w→2w)  → [N, 2w,  8,  8]
                       → block(2w→4w) → [N, 4w,  4,  4] → Flatten → Linear(4w·16, num_classes)

    With ``width=32`` (default, about 0.31 M parameters) and the usual augmentation (random crop
    with padding 4, horizontal flip) it reaches about 80-85 % CIFAR-10 test accuracy in 15-20
    epochs. ``width=16`` has about a quarter of the convolutions' multiply-adds (half the
    channels in and out).

    Args:
        in_channels: 3 for colour images.
        num_classes: number of output logits.
        image_size: side of the square input; divisible by 8 (three 2×2 pools).
        width: channels of the first block (then 2w, 4w).
        batchnorm: add BatchNorm after every conv (``False`` removes those layers).
        dropout: Dropout probability after each block and before the Linear layer (``0`` removes
            every Dropout layer).

    Input ``Tensor[N, in_channels, S, S]`` → logits ``Tensor[N, num_classes]``.
    """

    def __init__(self, in_channels: int = 3, num_classes: int = 10, image_size: int = 32,
                 width: int = 32, batchnorm: bool = True, dropout: float = 0.2) -> None:
        super().__init__()
        in_channels, num_classes, width = _check_channels(in_channels, num_classes, width)
        image_size = _check_image_size(image_size, 3, "32×32처럼 8의 배수로 맞추세요.")
        dropout = _check_dropout(dropout)
        blocks: list[nn.Module] = []
        channels = in_channels
        for out_channels in (width, 2 * width, 4 * width):
            blocks.append(conv_block(channels, out_channels, batchnorm, convs=2))
            if dropout > 0:
                blocks.append(nn.Dropout(dropout))
            channels = out_channels
        self.features = nn.Sequential(*blocks)
        side = image_size // 8
        head: list[nn.Module] = [nn.Flatten()]
        if dropout > 0:
            head.append(nn.Dropout(min(2 * dropout, 0.5)))
        head.append(nn.Linear(4 * width * side * side, num_classes))
        self.classifier = nn.Sequential(*head)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x))


# --------------------------------------------------------------------------- utilities
def count_parameters(model: nn.Module, trainable_only: bool = True) -> int:
    """Number of parameters (weights and biases) in ``model``.

    ``trainable_only=True`` counts only those with ``requires_grad`` (what the optimizer updates).
    BatchNorm's running mean/variance are buffers, not parameters, so they are never counted.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(
            f"model은 torch.nn.Module이어야 합니다 (받은 타입: {type(model).__name__}). "
            "예: count_parameters(SmallCNN())"
        )
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)
