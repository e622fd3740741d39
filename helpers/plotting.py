"""Figures for the course: image grids, training curves, probabilities, confusion matrices, boxes,
heatmap overlays and precision-recall curves.

Every function takes torch tensors (any device, any dtype) or numpy arrays, draws with the Korean
font that ``import helpers`` registers, and works headless (Agg) as well as in Jupyter.

Return values follow one rule: functions that draw a *grid* of panels create their own figure and
return the :class:`~matplotlib.figure.Figure`; functions that draw *one* panel accept ``ax=`` and
return that :class:`~matplotlib.axes.Axes`, so they compose into a figure of your own::

    fig, (ax1, ax2) = plt.subplots(1, 2)
    plotting.draw_boxes(image, boxes, ax=ax1)
    plotting.show_heatmap(image, cam, ax=ax2)

In a notebook, end a line whose value is a Figure with ``;`` (or assign it): Jupyter otherwise
shows the figure twice, once as the cell's value and once when the cell finishes.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator, PercentFormatter
from matplotlib.transforms import Bbox

from helpers import checks
from helpers.fonts import register_korean_font

__all__ = [
    "show_images",
    "plot_history",
    "plot_histories",
    "plot_probabilities",
    "plot_logits_and_probs",
    "plot_confusion_matrix",
    "draw_boxes",
    "show_heatmap",
    "plot_pr_curve",
]

register_korean_font()  # idempotent; `import helpers` has normally done it already

HISTORY_KEYS = ("train_loss", "train_acc", "val_loss", "val_acc")
BOX_FORMATS = ("xyxy", "xywh", "cxcywh")
MAX_ANNOTATED = 20  # label bars / cells with their values up to this many classes
_TOL = 1e-3  # float images and probabilities may overshoot [0, 1] by rounding


# --------------------------------------------------------------------------------------------
# Inputs: tensors or arrays -> numpy
# --------------------------------------------------------------------------------------------
def _to_numpy(x: Any, name: str) -> np.ndarray:
    """:func:`helpers.checks.to_numpy`, then only numbers (or booleans) pass: figures draw numbers."""
    arr = checks.to_numpy(x, name)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(
            f"`{name}`에는 숫자 텐서나 배열을 넣어야 하는데 dtype {arr.dtype} 값을 받았습니다 "
            f"({type(x).__name__})."
        )
    return arr


def _vector(x: Any, name: str) -> np.ndarray:
    """A finite 1-D float vector, or a Korean error naming ``name``."""
    arr = _to_numpy(x, name)
    if arr.ndim != 1:
        raise ValueError(
            f"`{name}`는 1차원(K,)이어야 하는데 모양 {tuple(arr.shape)}을 받았습니다. "
            f"배치라면 {name}[0]처럼 한 행만 넘기세요."
        )
    if arr.size == 0:
        raise ValueError(f"`{name}`가 비어 있습니다 (모양 {tuple(arr.shape)}).")
    arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        raise ValueError(f"`{name}`에 NaN 또는 무한대 값이 있습니다: {arr}")
    return arr


def _names(class_names: Sequence[str] | None, k: int, name: str = "class_names") -> list[str]:
    """``k`` display names: the given ones (checked) or "0", "1", ..."""
    if class_names is None:
        return [str(i) for i in range(k)]
    if isinstance(class_names, str):
        raise TypeError(f"`{name}`는 문자열 하나가 아니라 이름 {k}개의 리스트여야 합니다.")
    names = [str(c) for c in class_names]
    if len(names) != k:
        raise ValueError(f"`{name}`에 이름이 {k}개 있어야 하는데 {len(names)}개를 받았습니다.")
    return names


# --------------------------------------------------------------------------------------------
# Images
# --------------------------------------------------------------------------------------------
def _channels_last(img: np.ndarray, name: str, known: bool = False) -> np.ndarray:
    """One image as (H, W) or (H, W, C) with C in {3, 4}; accepts (C, H, W) and (H, W, C).

    ``known=True``: the image is already (H, W, C) (its batch's layout was decided once).
    """
    if img.ndim == 2:
        return img
    if img.ndim == 3:
        if not known and img.shape[0] in (1, 3, 4):  # torch layout C x H x W comes first
            img = np.moveaxis(img, 0, -1)
        elif img.shape[-1] not in (1, 3, 4):
            raise ValueError(
                f"`{name}`의 채널 수는 1, 3 또는 4여야 하는데 모양 {tuple(img.shape)}을 받았습니다. "
                "이미지는 (C, H, W), (H, W, C) 또는 (H, W) 모양으로 넘기세요."
            )
        return img[..., 0] if img.shape[-1] == 1 else img
    raise ValueError(
        f"`{name}`는 (C, H, W), (H, W, C) 또는 (H, W) 모양의 이미지여야 하는데 "
        f"{img.ndim}차원 모양 {tuple(img.shape)}을 받았습니다."
    )


def _denormalize(img: np.ndarray, denormalize: Any, name: str) -> np.ndarray:
    """Undo ``transforms.Normalize(mean, std)``: ``img * std + mean`` per channel."""
    try:
        mean, std = denormalize
    except (TypeError, ValueError):
        raise ValueError(
            "`denormalize`는 (mean, std) 두 값의 튜플이어야 합니다. "
            "예: denormalize=((0.1307,), (0.3081,))"
        ) from None
    channels = 1 if img.ndim == 2 else img.shape[-1]
    mean = np.atleast_1d(np.asarray(mean, dtype=np.float64))
    std = np.atleast_1d(np.asarray(std, dtype=np.float64))
    for label, v in (("mean", mean), ("std", std)):
        if v.ndim != 1 or len(v) not in (1, channels):
            raise ValueError(
                f"`denormalize`의 {label}는 값 1개 또는 채널 수({channels})만큼이어야 하는데 "
                f"{len(v)}개를 받았습니다."
            )
    if not np.issubdtype(img.dtype, np.floating):
        raise ValueError(
            f"`denormalize`는 정규화된 실수 이미지에만 씁니다. `{name}`의 dtype은 {img.dtype}입니다."
        )
    if img.ndim == 2:
        return img * std[0] + mean[0]
    return img * std + mean  # broadcasts over the last (channel) axis


def _displayable(
    img: Any, name: str, denormalize: Any = None, channels_last: bool = False
) -> tuple[np.ndarray, dict]:
    """Prepare one image for ``imshow``: channels last, values in [0, 1] or uint8.

    Returns the array and the extra ``imshow`` keywords (``vmin``/``vmax`` for grey images).
    uint8 and 0..255 integers are shown as they are; float images in [0, 1] too; anything else
    (e.g. normalised input without ``denormalize``) is min-max scaled per image.
    """
    arr = _channels_last(_to_numpy(img, name), name, known=channels_last)
    if denormalize is not None:
        arr = _denormalize(arr, denormalize, name)
    if arr.dtype == bool:
        arr = arr.astype(np.float32)
    if np.issubdtype(arr.dtype, np.integer):
        if arr.size and arr.min() >= 0 and arr.max() <= 255:
            return arr.astype(np.uint8), {"vmin": 0, "vmax": 255}
        arr = arr.astype(np.float64)
    arr = arr.astype(np.float64)
    finite = arr[np.isfinite(arr)]
    lo, hi = (finite.min(), finite.max()) if finite.size else (0.0, 1.0)
    if lo < -_TOL or hi > 1 + _TOL:  # not a [0, 1] image: stretch it to [0, 1]
        arr = (arr - lo) / (hi - lo) if hi > lo else np.zeros_like(arr)
    return np.clip(arr, 0.0, 1.0), {"vmin": 0.0, "vmax": 1.0}


def _imshow(ax: Axes, img: Any, name: str, cmap: str = "gray", denormalize: Any = None,
            channels_last: bool = False) -> np.ndarray:
    arr, kwargs = _displayable(img, name, denormalize, channels_last)
    if arr.ndim == 2:
        ax.imshow(arr, cmap=cmap, **kwargs)
    else:
        ax.imshow(arr)  # RGB(A): vmin/vmax/cmap do not apply
    return arr


def _image_list(images: Any) -> tuple[list, bool]:
    """Split ``images`` into single images (see :func:`show_images`).

    Returns the images and whether they are already channels-last: a batch's layout is decided
    once, from its shape, rather than guessed image by image.
    """
    if isinstance(images, (list, tuple)):
        return list(images), False
    arr = _to_numpy(images, "images")
    if arr.ndim == 4:
        if arr.shape[1] in (1, 3, 4):  # N x C x H x W (torch)
            arr = np.moveaxis(arr, 1, -1)
        elif arr.shape[-1] not in (1, 3, 4):
            raise ValueError(
                f"`images`의 채널 수는 1, 3 또는 4여야 하는데 모양 {tuple(arr.shape)}을 받았습니다. "
                "배치는 (N, C, H, W) 또는 (N, H, W, C) 모양으로 넘기세요."
            )
        return list(arr), True
    if arr.ndim == 3:  # N x H x W grey
        return list(arr), True
    if arr.ndim == 2:
        return [arr], True
    raise ValueError(
        "`images`는 (N, C, H, W), (N, H, W) 모양의 배치나 이미지 리스트여야 하는데 "
        f"{arr.ndim}차원 모양 {tuple(arr.shape)}을 받았습니다."
    )


def _wrap_title(title: str, width_in: float, fontsize: float) -> str:
    """Break a title into lines that fit ``width_in`` inches (Hangul ~1 em wide, Latin ~0.55 em)."""
    room = width_in * 72 / fontsize  # in em
    lines, line, used = [], "", 0.0
    for word in title.split(" "):
        w = sum(1.0 if ord(c) >= 0x1100 else 0.55 for c in word) + 0.3
        if line and used + w > room:
            lines.append(line)
            line, used = word, w
        else:
            line, used = (f"{line} {word}" if line else word), used + w
    return "\n".join(lines + [line])


def _axes_grid(
    axes: Any, n: int, ncols: int, scale: float, titled: bool, name: str = "axes"
) -> tuple[Figure, list[Axes]]:
    """Reuse ``axes`` (at least ``n`` of them) or make a grid of ``n`` panels."""
    if axes is not None:
        flat = list(np.ravel(np.asarray(axes, dtype=object)))
        if len(flat) < n:
            raise ValueError(f"`{name}`가 {n}개 이상 필요한데 {len(flat)}개를 받았습니다.")
        return flat[0].figure, flat
    ncols = min(ncols, n)
    nrows = math.ceil(n / ncols)
    height = nrows * (scale + (0.25 if titled else 0.0))  # room for a line of title per row
    fig, grid = plt.subplots(nrows, ncols, figsize=(ncols * scale, height), squeeze=False,
                             layout="constrained")
    fig.get_layout_engine().set(w_pad=0.03, h_pad=0.05, wspace=0.02, hspace=0.02)
    flat = list(grid.ravel())
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat


def show_images(
    images: Any,
    titles: Sequence[Any] | None = None,
    ncols: int = 8,
    scale: float = 1.5,
    cmap: str = "gray",
    denormalize: tuple[Any, Any] | None = None,
    axes: Any = None,
) -> Figure:
    """Show images in a grid, ``ncols`` per row (d2l's ``show_images``).

    Args:
        images: a batch (Tensor or array) of shape [N, C, H, W], [N, H, W, C] or [N, H, W]
            (grey), one [H, W] image, or a list of images each [C, H, W], [H, W, C] or [H, W]
            (sizes may differ). C is 1 (grey), 3 (RGB) or 4 (RGBA). Pass a single [C, H, W]
            image as ``img[None]`` or ``[img]``.
            Values: uint8 0..255, float in [0, 1], or normalised floats (see ``denormalize``;
            without it they are min-max scaled per image).
        titles: one title per image (str or number), e.g. the labels.
        ncols: images per row.
        scale: size of one panel in inches.
        cmap: colour map of grey images.
        denormalize: ``(mean, std)`` used by ``transforms.Normalize``; each a number or one value
            per channel. The images are shown as ``image * std + mean``.
        axes: existing axes to draw into (at least N), instead of a new figure.

    Returns:
        the Figure.
    """
    items, channels_last = _image_list(images)
    n = len(items)
    if n == 0:
        raise ValueError("`images`가 비어 있습니다: 이미지를 1장 이상 넘기세요.")
    if titles is not None:
        if isinstance(titles, str):
            raise TypeError("`titles`는 문자열 하나가 아니라 이미지마다 제목 하나씩인 리스트여야 합니다.")
        titles = list(titles.tolist() if hasattr(titles, "tolist") else titles)
        if len(titles) != n:
            raise ValueError(f"`titles`는 이미지 수({n})만큼 있어야 하는데 {len(titles)}개를 받았습니다.")
    ncols = checks.positive_int("ncols", ncols, hint="한 줄에 놓을 이미지 수입니다.")
    fig, flat = _axes_grid(axes, n, ncols, scale, titled=titles is not None)
    for i, (ax, img) in enumerate(zip(flat[:n], items, strict=True)):
        _imshow(ax, img, f"images[{i}]", cmap=cmap, denormalize=denormalize, channels_last=channels_last)
        ax.set_axis_off()
        if titles is not None:
            ax.set_title(_wrap_title(str(titles[i]), scale, fontsize=9), fontsize=9)
    return fig


# --------------------------------------------------------------------------------------------
# Training curves
# --------------------------------------------------------------------------------------------
def _row_of_axes(
    axes: Any, n: int, figsize: tuple[float, float], expected: str
) -> tuple[Figure, list[Axes]]:
    """A new figure with one row of ``n`` panels, or the ``n`` given ``axes`` and their figure.

    ``expected`` completes the error message for a wrong number of axes (e.g. "두 개여야").
    """
    if axes is None:
        fig, grid = plt.subplots(1, n, figsize=figsize, squeeze=False, layout="constrained")
        return fig, list(grid.ravel())
    panels = list(np.ravel(np.asarray(axes, dtype=object)))
    if len(panels) != n:
        raise ValueError(f"`axes`는 {expected} 하는데 {len(panels)}개를 받았습니다.")
    return panels[0].figure, panels


def _history_lists(history: Any, name: str = "history") -> dict[str, list[float]]:
    """The four curves of a history object (attributes) or dict (keys); val_* may be absent."""
    out = {}
    for key in HISTORY_KEYS:
        if isinstance(history, Mapping):
            values = history.get(key, None)
        else:
            values = getattr(history, key, None)
        if values is None:
            if key.startswith("train"):
                raise TypeError(
                    f"`{name}`에는 train_loss, train_acc, val_loss, val_acc 리스트가 있어야 하는데 "
                    f"{type(history).__name__}에 {key!r}가 없습니다. "
                    "helpers.training의 History나 그 키를 가진 dict를 넘기세요."
                )
            values = []
        out[key] = [math.nan if v is None else float(v) for v in values]
    return out


def _epoch_axis(ax: Axes, ylabel: str, values: list[float], is_acc: bool) -> None:
    ax.set_xlabel("에폭")
    ax.set_ylabel(ylabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    finite = [v for v in values if math.isfinite(v)]
    if is_acc and finite and 0 <= min(finite) and max(finite) <= 1:
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))


def _curve(ax: Axes, values: list[float], **kwargs: Any) -> None:
    epochs = np.arange(1, len(values) + 1)
    marker = "o" if len(values) <= 30 else None  # one epoch is one dot, still visible
    ax.plot(epochs, values, marker=marker, markersize=3, **kwargs)
    # Whole epochs only: with one or two epochs autoscaling would otherwise show 0.95, 1.0, 1.05 ...
    longest = max(np.size(line.get_xdata()) for line in ax.lines)
    if longest:
        ax.set_xlim(0.5, longest + 0.5)


def plot_history(history: Any, axes: Sequence[Axes] | None = None) -> Figure:
    """Loss and accuracy per epoch, train (solid) vs validation (dashed), side by side.

    Args:
        history: an object with list attributes ``train_loss, train_acc, val_loss, val_acc``
            (one value per epoch; the val lists may be empty) or a dict with those keys.
            Accuracies in [0, 1] are shown as percentages.
        axes: two existing axes (loss, accuracy). They are cleared first, so calling this again
            after every epoch redraws a live plot.

    Returns:
        the Figure.
    """
    curves = _history_lists(history)
    fig, panels = _row_of_axes(axes, 2, (9, 3.5), "(손실, 정확도) 두 개여야")
    for ax, kind, ylabel in zip(panels, ("loss", "acc"), ("손실", "정확도"), strict=True):
        ax.cla()
        train, val = curves[f"train_{kind}"], curves[f"val_{kind}"]
        _curve(ax, train, color="tab:blue", label="학습")
        if val:
            _curve(ax, val, color="tab:orange", linestyle="--", label="검증")
        _epoch_axis(ax, ylabel, train + val, is_acc=kind == "acc")
        ax.set_title(ylabel)
        if train or val:
            ax.legend()
    return fig


_METRIC_TITLES = {"loss": "손실", "acc": "정확도"}


def plot_histories(
    named_histories: Mapping[str, Any],
    metric: str | Sequence[str] = "val_acc",
    axes: Axes | Sequence[Axes] | None = None,
) -> Figure:
    """Several training runs on one figure, one colour per run (ablations).

    Args:
        named_histories: ``{"run name": history}``; each history as in :func:`plot_history`.
        metric: what to draw, or a list of them (one panel each): ``"val_acc"``, ``"train_acc"``,
            ``"val_loss"``, ``"train_loss"``, or ``"acc"`` / ``"loss"`` for train (solid) AND
            validation (dashed) together, which makes the generalisation gap visible.
        axes: existing axes, one per metric.

    Returns:
        the Figure.
    """
    if not isinstance(named_histories, Mapping):
        raise TypeError(
            "`named_histories`는 {'실험 이름': history} 형태의 dict여야 하는데 "
            f"{type(named_histories).__name__}을 받았습니다."
        )
    if not named_histories:
        raise ValueError("`named_histories`가 비어 있습니다: 실험 기록을 1개 이상 넘기세요.")
    metrics = [metric] if isinstance(metric, str) else list(metric)
    valid = ("acc", "loss") + HISTORY_KEYS
    for m in metrics:
        if m not in valid:
            raise ValueError(f"`metric`은 {', '.join(valid)} 중 하나여야 하는데 {m!r}를 받았습니다.")
    runs = {str(k): _history_lists(h, f"named_histories[{k!r}]") for k, h in named_histories.items()}
    fig, panels = _row_of_axes(axes, len(metrics), (5 * len(metrics), 3.8),
                               f"metric 수({len(metrics)})만큼 있어야")
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, m in zip(panels, metrics, strict=True):
        kind = m.split("_")[-1]
        parts = ("train", "val") if m in ("acc", "loss") else (m.split("_")[0],)
        shown: list[float] = []
        for i, (run, curves) in enumerate(runs.items()):
            for part in parts:
                values = curves[f"{part}_{kind}"]
                style = "-" if part == "train" else "--"
                label = run if part == parts[0] else None  # one legend entry per run
                _curve(ax, values, color=colors[i % len(colors)], linestyle=style, label=label)
                shown += values
        _epoch_axis(ax, _METRIC_TITLES[kind], shown, is_acc=kind == "acc")
        if len(parts) == 2:
            ax.set_title(f"{_METRIC_TITLES[kind]} (실선: 학습, 점선: 검증)")
            style_legend = ax.legend(
                [Line2D([], [], color="gray", linestyle=s) for s in ("-", "--")],
                ["학습", "검증"], loc="center right", fontsize=8,
            )
            ax.add_artist(style_legend)  # keep it when the run legend is added below
        else:
            ax.set_title(f"{'학습' if parts[0] == 'train' else '검증'} {_METRIC_TITLES[kind]}")
        ax.legend(title="실험", fontsize=8)
    return fig


# --------------------------------------------------------------------------------------------
# Class scores
# --------------------------------------------------------------------------------------------
def _class_ticks(ax: Axes, names: list[str]) -> None:
    if len(names) > 40:  # too many to read: leave numeric ticks
        return
    rotate = sum(len(n) + 2 for n in names) > 40 or max(len(n) for n in names) > 8
    ax.set_xticks(range(len(names)), names, rotation=45 if rotate else 0, ha="right" if rotate else "center")


def _highlight_index(highlight: Any, names: list[str]) -> int | None:
    if highlight is None:
        return None
    if isinstance(highlight, str):
        if highlight not in names:
            raise ValueError(f"`highlight` {highlight!r}가 class_names에 없습니다: {names}")
        return names.index(highlight)
    index = int(highlight)
    if 0 <= index < len(names):
        return index
    raise ValueError(f"`highlight`는 0..{len(names) - 1} 사이의 클래스 번호여야 하는데 {index}를 받았습니다.")


def plot_probabilities(
    probs: Any,
    class_names: Sequence[str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    highlight: int | str | None = None,
    check_sum: bool = False,
) -> Axes:
    """Bar chart of class probabilities, e.g. ``softmax(logits)`` of one image.

    Args:
        probs (Tensor[K] or array): probabilities in [0, 1] of one image.
        class_names: K names for the x axis (default "0", "1", ...).
        ax: axes to draw into (default: a new figure).
        title: the panel title.
        highlight: index or name of one class to colour differently (e.g. the true label).
        check_sum: also require ``probs`` to sum to 1 (a full softmax output, not a top-k slice).

    Returns:
        the Axes.
    """
    p = _vector(probs, "probs")
    if p.min() < -_TOL or p.max() > 1 + _TOL:
        raise ValueError(
            f"`probs`는 0과 1 사이의 확률이어야 하는데 범위 [{p.min():.3g}, {p.max():.3g}]의 값을 "
            "받았습니다. 로짓(logit)이라면 softmax를 먼저 적용하세요."
        )
    if check_sum and abs(p.sum() - 1) > _TOL:
        raise ValueError(
            f"`probs`의 합이 1이어야 하는데 {p.sum():.4f}입니다. softmax를 적용했는지, "
            "모든 클래스의 확률을 넘겼는지 확인하세요."
        )
    names = _names(class_names, len(p))
    index = _highlight_index(highlight, names)
    if ax is None:
        _, ax = plt.subplots(figsize=(max(4.0, 0.45 * len(p) + 1.5), 3.2), layout="constrained")
    colors = ["tab:blue"] * len(p)
    if index is not None:
        colors[index] = "tab:orange"
    bars = ax.bar(range(len(p)), p, color=colors)
    if len(p) <= MAX_ANNOTATED:  # label the bars that matter; "0%" labels only clutter
        ax.bar_label(bars, labels=[f"{v:.0%}" if v >= 0.01 else "" for v in p], fontsize=7, padding=1)
    ax.set_ylim(0, 1.12)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
    ax.set_ylabel("확률")
    _class_ticks(ax, names)
    if title is not None:
        ax.set_title(title)
    return ax


def plot_logits_and_probs(
    logits: Any,
    class_names: Sequence[str] | None = None,
    axes: Sequence[Axes] | None = None,
) -> Figure:
    """Raw logits (any sign, any size) next to their softmax probabilities (sum 1).

    Args:
        logits (Tensor[K] or array): the model's scores for one image.
        class_names: K names for the x axes.
        axes: two existing axes (logits, probabilities).

    Returns:
        the Figure.
    """
    z = _vector(logits, "logits")
    names = _names(class_names, len(z))
    fig, panels = _row_of_axes(axes, 2, (max(8.0, 0.9 * len(z) + 3), 3.4), "(로짓, 확률) 두 개여야")
    best = int(z.argmax())
    colors = ["tab:red" if v < 0 else "tab:blue" for v in z]  # sign is what students look for
    bars = panels[0].bar(range(len(z)), z, color=colors)
    if len(z) <= MAX_ANNOTATED:
        panels[0].bar_label(bars, labels=[f"{v:.2f}" for v in z], fontsize=8, padding=1)
    panels[0].margins(y=0.15)
    panels[0].axhline(0, color="black", linewidth=0.8)
    panels[0].set_ylabel("로짓 값")
    panels[0].set_title("로짓(logit): 범위 제한 없음")
    _class_ticks(panels[0], names)
    plot_probabilities(torch.softmax(torch.from_numpy(z).double(), dim=0).numpy(), names, ax=panels[1],
                       title="softmax 확률: 합 = 1", highlight=best)
    return fig


def plot_confusion_matrix(
    cm: Any,
    class_names: Sequence[str] | None = None,
    normalize: str | None = None,
    ax: Axes | None = None,
    cmap: str = "Blues",
    title: str | None = None,
) -> Axes:
    """Confusion matrix as an annotated seaborn heatmap: rows = true class, columns = predicted.

    Args:
        cm (Tensor[K, K] or array): counts, ``cm[i, j]`` = images of class i predicted as j
            (scikit-learn's and torchmetrics' layout).
        class_names: K names for both axes.
        normalize: ``None`` (counts), ``"true"`` (each row sums to 1: recall on the diagonal),
            ``"pred"`` (each column sums to 1: precision on the diagonal) or ``"all"``; as in
            ``sklearn.metrics.confusion_matrix``. Empty rows/columns become 0.
        ax: axes to draw into.
        cmap: colour map.
        title: the panel title.

    Returns:
        the Axes.
    """
    import seaborn as sns  # imported here: only this function needs it

    m = _to_numpy(cm, "cm")
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise ValueError(
            f"`cm`은 정사각 행렬(K, K)이어야 하는데 모양 {tuple(m.shape)}을 받았습니다. "
            "예측과 정답 벡터가 아니라 혼동 행렬을 넘기세요 (예: sklearn.metrics.confusion_matrix)."
        )
    if m.size == 0:
        raise ValueError("`cm`이 비어 있습니다 (모양 (0, 0)).")
    if not np.isfinite(m.astype(np.float64)).all() or (m < 0).any():
        raise ValueError("`cm`의 값은 0 이상의 유한한 개수여야 합니다 (음수나 NaN이 있습니다).")
    if normalize not in (None, "true", "pred", "all"):
        raise ValueError(f"`normalize`는 None, 'true', 'pred', 'all' 중 하나여야 하는데 {normalize!r}를 받았습니다.")
    names = _names(class_names, m.shape[0])
    counts = m.astype(np.float64)
    if normalize is None:
        data = counts
        integral = bool(np.all(counts == np.round(counts)))
        fmt, vmax = ("d" if integral else ".3g"), None
        if integral:
            data = counts.astype(np.int64)
    else:
        axis = {"true": 1, "pred": 0, "all": None}[normalize]
        total = counts.sum(axis=axis, keepdims=axis is not None)
        with np.errstate(invalid="ignore", divide="ignore"):
            data = np.nan_to_num(counts / total)  # an empty row/column stays 0, like sklearn
        fmt, vmax = ".2f", 1.0
    k = len(names)
    if ax is None:
        size = (max(4.0, 0.55 * k + 2.2), max(3.5, 0.5 * k + 1.6))
        _, ax = plt.subplots(figsize=size, layout="constrained")
    sns.heatmap(
        data, annot=k <= MAX_ANNOTATED, fmt=fmt, cmap=cmap, vmin=0, vmax=vmax, square=True,
        xticklabels=names, yticklabels=names, linewidths=0.5, linecolor="white", ax=ax,
        cbar_kws={"shrink": 0.8},
    )
    ax.set_xlabel("예측")
    ax.set_ylabel("실제(정답)")
    ax.tick_params(axis="y", labelrotation=0)
    if title is None and normalize is not None:
        title = {"true": "행 정규화 (대각선 = 재현율)", "pred": "열 정규화 (대각선 = 정밀도)",
                 "all": "전체 정규화"}[normalize]
    if title is not None:
        ax.set_title(title)
    return ax


# --------------------------------------------------------------------------------------------
# Detection and localisation
# --------------------------------------------------------------------------------------------
def _as_xyxy(boxes: np.ndarray, box_format: str) -> np.ndarray:
    """Convert (N, 4) boxes to (x1, y1, x2, y2), like ``torchvision.ops.box_convert``."""
    a, b, c, d = boxes.T
    if box_format == "xywh":  # (x1, y1, width, height)
        return np.stack([a, b, a + c, b + d], axis=1)
    if box_format == "cxcywh":  # (centre x, centre y, width, height)
        return np.stack([a - c / 2, b - d / 2, a + c / 2, b + d / 2], axis=1)
    return boxes


def draw_boxes(
    image: Any,
    boxes: Any,
    labels: Any = None,
    scores: Any = None,
    class_names: Sequence[str] | None = None,
    ax: Axes | None = None,
    color: Any = None,
    box_format: str = "xyxy",
    linewidth: float = 2.0,
) -> Axes:
    """Draw boxes on an image, each captioned with its class name and score.

    Args:
        image: [C, H, W], [H, W, C] or [H, W] image (uint8 or float in [0, 1]).
        boxes (Tensor[N, 4] or array): pixel coordinates in ``box_format``: ``"xyxy"``
            (x1, y1, x2, y2), ``"xywh"`` (x1, y1, w, h) or ``"cxcywh"`` (cx, cy, w, h).
        labels (Tensor[N] or list): class indices (or names) of the boxes.
        scores (Tensor[N] or list): confidences, printed with two decimals.
        class_names: names indexed by label.
        ax: axes to draw into.
        color: one colour for all boxes, or a list of N colours. Default: one colour per class.
        box_format: the format of ``boxes``.
        linewidth: width of the box edges.

    Returns:
        the Axes.
    """
    if box_format not in BOX_FORMATS:
        raise ValueError(f"`box_format`은 {', '.join(BOX_FORMATS)} 중 하나여야 하는데 {box_format!r}를 받았습니다.")
    b = _to_numpy(boxes, "boxes").astype(np.float64)
    if b.size == 0:
        b = b.reshape(0, 4)
    if b.ndim != 2 or b.shape[1] != 4:
        hint = " 상자가 하나라면 boxes[None]처럼 (1, 4)로 넘기세요." if b.shape == (4,) else ""
        raise ValueError(f"`boxes`는 (N, 4) 모양이어야 하는데 모양 {tuple(b.shape)}을 받았습니다.{hint}")
    if not np.isfinite(b).all():
        raise ValueError("`boxes`에 NaN 또는 무한대 좌표가 있습니다.")
    xyxy = _as_xyxy(b, box_format)
    bad = np.flatnonzero((xyxy[:, 2] < xyxy[:, 0]) | (xyxy[:, 3] < xyxy[:, 1]))
    if bad.size:
        raise ValueError(
            f"`boxes` {bad.tolist()}번 상자의 너비나 높이가 음수입니다 (x2 < x1 또는 y2 < y1): "
            f"{b[bad[0]].tolist()}. box_format={box_format!r}가 맞는지 확인하세요."
        )
    n = len(xyxy)

    def per_box(values: Any, name: str) -> list | None:
        if values is None:
            return None
        if isinstance(values, (list, tuple)) and all(isinstance(v, str) for v in values):
            out = list(values)
        else:
            out = _to_numpy(values, name).reshape(-1).tolist()
        if len(out) != n:
            raise ValueError(f"`{name}`는 상자 수({n})만큼 있어야 하는데 {len(out)}개를 받았습니다.")
        return out

    labels = per_box(labels, "labels")
    scores = per_box(scores, "scores")
    names = None if class_names is None else [str(c) for c in class_names]
    if labels is not None and names is not None:
        for v in labels:
            if not isinstance(v, str) and not 0 <= int(v) < len(names):
                raise ValueError(f"`labels`의 값 {int(v)}가 class_names 범위(0..{len(names) - 1}) 밖입니다.")
    if color is None:  # one colour per class: the same class always looks the same
        palette = plt.get_cmap("tab10").colors
        if labels is None:
            colors = [palette[3]] * n
        else:
            name_index = {v: i for i, v in enumerate(dict.fromkeys(v for v in labels if isinstance(v, str)))}
            colors = [palette[(name_index[v] if isinstance(v, str) else int(v)) % 10] for v in labels]
    elif isinstance(color, str) or (isinstance(color, tuple) and len(color) in (3, 4)
                                    and all(isinstance(c, (int, float)) for c in color)):
        colors = [color] * n
    else:
        colors = list(color)
        if len(colors) != n:
            raise ValueError(f"`color`는 색 하나 또는 상자 수({n})만큼의 리스트여야 하는데 {len(colors)}개를 받았습니다.")

    if ax is None:
        _, ax = plt.subplots(figsize=(5, 5), layout="constrained")
    arr = _imshow(ax, image, "image")
    height = arr.shape[0]
    for i, (x1, y1, x2, y2) in enumerate(xyxy):
        ax.add_patch(Rectangle((x1, y1), x2 - x1, y2 - y1, fill=False, edgecolor=colors[i],
                               linewidth=linewidth))
    # Captions in score order (the most confident first keeps its natural place above the box); a
    # caption that would cover an earlier one tries the other corners of its box before giving up.
    order = range(n) if scores is None else sorted(range(n), key=lambda k: -float(scores[k]))
    placed: list[Bbox] = []
    for i in order:
        x1, y1, x2, y2 = xyxy[i]
        caption = []
        if labels is not None:
            v = labels[i]
            caption.append(v if isinstance(v, str) else (names[int(v)] if names else str(int(v))))
        if scores is not None:
            caption.append(f"{scores[i]:.2f}")
        if not caption:
            continue
        near_top = y1 < 0.06 * height  # no room above the box: write inside it
        spots: list[tuple[float, Literal["top", "bottom"]]] = [
            (y1, "top" if near_top else "bottom"), (y1, "top"), (y2, "bottom"), (y2, "top")]
        text = ax.text(x1, spots[0][0], " ".join(caption), color="white", fontsize=8,
                       va=spots[0][1], ha="left", clip_on=True,
                       bbox={"facecolor": colors[i], "alpha": 0.8, "pad": 1.5, "edgecolor": "none"})
        for y, va in spots:
            text.set_y(y)
            text.set_verticalalignment(va)
            extent = text.get_window_extent()  # the figure's renderer
            if not any(extent.overlaps(other) for other in placed):
                break
        else:  # every corner is taken: back to the natural place
            text.set_y(spots[0][0])
            text.set_verticalalignment(spots[0][1])
            extent = text.get_window_extent()
        placed.append(extent)
    ax.set_axis_off()
    return ax


def show_heatmap(
    image: Any,
    heatmap: Any,
    alpha: float = 0.5,
    ax: Axes | None = None,
    cmap: str = "jet",
    title: str | None = None,
    colorbar: bool = False,
) -> Axes:
    """Overlay a 2-D map (CAM, Grad-CAM, saliency) on an image.

    Args:
        image: [C, H, W], [H, W, C] or [H, W] image (uint8 or float in [0, 1]).
        heatmap (Tensor[h, w] or array): any size; resized bilinearly to (H, W). Values in [0, 1]
            keep their scale, anything else is stretched to [0, 1].
        alpha: opacity of the heatmap, 0 (invisible) to 1 (opaque).
        ax: axes to draw into.
        cmap: colour map of the heatmap.
        title: the panel title.
        colorbar: add a colour bar.

    Returns:
        the Axes.
    """
    h = _to_numpy(heatmap, "heatmap")
    if h.ndim != 2:
        hint = " 배치 출력이라면 heatmap[0]처럼 한 장만 넘기세요." if h.ndim == 3 else ""
        raise ValueError(f"`heatmap`은 2차원(h, w)이어야 하는데 모양 {tuple(h.shape)}을 받았습니다.{hint}")
    if h.size == 0 or not np.isfinite(h.astype(np.float64)).all():
        raise ValueError(f"`heatmap`이 비었거나 NaN/무한대 값이 있습니다 (모양 {tuple(h.shape)}).")
    alpha = checks.probability("alpha", alpha, hint="히트맵의 불투명도입니다 (0 = 투명, 1 = 불투명).")
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4), layout="constrained")
    arr = _imshow(ax, image, "image")
    # the same bilinear sampling as the CAM helpers (align_corners=False, like OpenCV's INTER_LINEAR)
    big = F.interpolate(torch.from_numpy(h.astype(np.float64))[None, None], size=arr.shape[:2],
                        mode="bilinear", align_corners=False)[0, 0].numpy()
    lo, hi = big.min(), big.max()
    vmin, vmax = (0.0, 1.0) if lo >= -_TOL and hi <= 1 + _TOL else (lo, hi)
    overlay = ax.imshow(big, cmap=cmap, alpha=alpha, vmin=vmin, vmax=vmax)
    if colorbar:
        ax.figure.colorbar(overlay, ax=ax, fraction=0.046, pad=0.04)
    ax.set_axis_off()
    if title is not None:
        ax.set_title(title)
    return ax


def plot_pr_curve(
    recall: Any,
    precision: Any,
    ax: Axes | None = None,
    label: str | None = None,
    ap: float | None = None,
    interpolated: bool | None = None,
) -> Axes:
    """Precision-recall curve as a step plot, optionally with its interpolated envelope shaded.

    Args:
        recall (Tensor[M] or array): recall after each detection, ranked by descending score
            (non-decreasing; scikit-learn's decreasing order is accepted too).
        precision (Tensor[M] or array): precision at the same points.
        ax: axes to draw into (call again with the same ``ax`` to compare classes or models).
        label: legend label of the curve.
        ap: average precision to show in the legend.
        interpolated: shade the interpolated precision ``p_interp(r) = max_{r' >= r} p(r')``;
            the shaded area is the all-point interpolated AP (VOC 2010+).

    Returns:
        the Axes.
    """
    r = _vector(recall, "recall")
    p = _vector(precision, "precision")
    if r.shape != p.shape:
        raise ValueError(f"`recall`과 `precision`의 길이가 같아야 하는데 {len(r)}과 {len(p)}입니다.")
    for name, v in (("recall", r), ("precision", p)):
        if v.min() < -_TOL or v.max() > 1 + _TOL:
            raise ValueError(f"`{name}`는 0과 1 사이여야 하는데 범위 [{v.min():.3g}, {v.max():.3g}]입니다.")
    if r[0] > r[-1]:  # scikit-learn returns the points from high to low recall
        r, p = r[::-1], p[::-1]
    if np.any(np.diff(r) < -1e-12):
        raise ValueError(
            "`recall`은 점수 내림차순으로 쌓은 값이라 단조 증가해야 합니다. "
            "점수로 정렬한 뒤 누적 TP로 계산했는지 확인하세요."
        )
    if ap is not None:
        ap = checks.number("ap", ap, minimum=0.0, maximum=1.0 + _TOL, hint="AP는 0과 1 사이의 값입니다.")
    if ax is None:
        _, ax = plt.subplots(figsize=(4.8, 4.2), layout="constrained")
    text = label if ap is None else (f"{label} (AP={ap:.3f})" if label else f"AP={ap:.3f}")
    # where="pre": precision p[i] holds on the recall interval (r[i-1], r[i]], as AP sums it
    (line,) = ax.step(r, p, where="pre", label=text, linewidth=1.8)
    if interpolated:
        envelope = np.maximum.accumulate(p[::-1])[::-1]  # best precision at this recall or beyond
        r_env = np.concatenate([[0.0], r])
        p_env = np.concatenate([[envelope[0]], envelope])
        ax.fill_between(r_env, p_env, step="pre", alpha=0.2, color=line.get_color(), label="보간된 정밀도")
        ax.step(r_env, p_env, where="pre", color=line.get_color(), linestyle=":", linewidth=1.2)
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("재현율(Recall)")
    ax.set_ylabel("정밀도(Precision)")
    ax.grid(alpha=0.3)
    if text or interpolated:
        ax.legend(loc="lower left")
    return ax
