"""Training, evaluation and prediction for the course's classifiers, with no hidden slowness.

The whole training loop of the course lives here, short enough to read top to bottom::

    history = fit(model, train_loader, val_loader, epochs=5)       # → History
    evaluate(model, test_loader)                                    # → {"loss": …, "accuracy": …}
    pred = predict(model, test_loader)                              # → Predictions(logits, probs, …)
    save_checkpoint("model.pt", model, optimizer, history)          # atomic: never half-written
    load_checkpoint("model.pt", model)

One epoch of :func:`fit` is the textbook loop (forward → loss → backward → step), plus what a
learner needs and a bare loop lacks: progress bars, a live loss/accuracy figure in Jupyter (one
line per epoch elsewhere), mixed precision on CUDA GPUs, and clear Korean errors for the usual
mistakes (labels out of range, a diverging loss, an empty loader, a shape or device mismatch).
None of it is meant to slow training down (``benchmarks/bench_training.py`` measures ``fit``
against a bare loop): losses are summed without keeping autograd graphs alive, and on a GPU the
running sums stay on the device, read only a few times per second.

Data format everywhere: a loader yields batches ``(x, y)`` with ``x`` ``Tensor[N, C, H, W]``
(float, normalised) and ``y`` ``Tensor[N]`` (int64 class indices in ``[0, num_classes)``); the
model returns logits ``Tensor[N, num_classes]``.
"""
from __future__ import annotations

import contextlib
import copy
import itertools
import math
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset
from tqdm.auto import tqdm

from helpers import checks, environment

__all__ = [
    "History",
    "Predictions",
    "fit",
    "evaluate",
    "predict",
    "save_checkpoint",
    "load_checkpoint",
]

# Progress-bar postfix (running loss/accuracy) refresh period. Reading the running sums from a
# GPU makes the CPU wait for it, so we do that at most this often instead of after every batch.
POSTFIX_SECONDS = 0.5

# A loss: an ``nn.Module`` such as ``nn.CrossEntropyLoss()`` or a plain function, (logits, y) → loss.
_LossFn: TypeAlias = Callable[..., Any]


# =========================================================================== History
@dataclass(repr=False)
class History:
    """What :func:`fit` measured, one value per epoch.

    Attributes:
        train_loss, train_acc: mean loss and accuracy (fraction in [0, 1]) over the training
            batches of each epoch, measured while the model was training (dropout on).
        val_loss, val_acc: the same on the validation loader after each epoch (model in eval
            mode). Empty lists when ``fit`` had no ``val_loader``.
        seconds: wall-clock time of each epoch, validation included.
        lr: learning rate of the first parameter group during each epoch.

    ``helpers.plotting.plot_history(history)`` draws it.
    """

    train_loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_acc: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)

    KEYS = ("train_loss", "train_acc", "val_loss", "val_acc", "seconds", "lr")

    @property
    def epochs(self) -> int:
        """Number of epochs recorded."""
        return len(self.train_loss)

    @property
    def best_epoch(self) -> int | None:
        """1-based epoch with the lowest validation loss (training loss if there was no
        validation); the earliest one on ties. ``None`` before the first epoch."""
        values = self.val_loss or self.train_loss
        finite = [(v, i) for i, v in enumerate(values) if math.isfinite(v)]
        if not finite:
            return None
        return min(finite)[1] + 1

    def as_dict(self) -> dict[str, list[float]]:
        """A plain ``{name: [value per epoch]}`` copy (for JSON, pandas, checkpoints)."""
        return {key: list(getattr(self, key)) for key in self.KEYS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> History:
        """Rebuild a History from :meth:`as_dict` output (unknown keys are ignored)."""
        if not isinstance(data, dict):
            raise TypeError(f"History.from_dict에는 dict가 필요합니다 (받은 타입: {type(data).__name__}).")
        return cls(**{key: [float(v) for v in data.get(key, [])] for key in cls.KEYS})

    def __len__(self) -> int:
        return self.epochs

    def __repr__(self) -> str:
        if self.epochs == 0:
            return "History(기록된 에폭 없음)"
        parts = [
            f"에폭 {self.epochs}개",
            f"학습 손실 {_arrow(self.train_loss, '{:.4f}')}",
            f"학습 정확도 {_arrow(self.train_acc, '{:.1%}')}",
        ]
        if self.val_loss:
            parts.append(f"검증 손실 {_arrow(self.val_loss, '{:.4f}')}")
            parts.append(f"검증 정확도 {_arrow(self.val_acc, '{:.1%}')}")
        parts.append(f"최고 에폭 {self.best_epoch}")
        parts.append(f"총 {sum(self.seconds):.1f}초")
        return "History(" + ", ".join(parts) + ")"


def _arrow(values: list[float], fmt: str) -> str:
    first, last = fmt.format(values[0]), fmt.format(values[-1])
    return first if len(values) == 1 else f"{first} → {last}"


# =========================================================================== Predictions
@dataclass(repr=False)
class Predictions:
    """What :func:`predict` returns; all tensors on the CPU, in the order of ``data``.

    Attributes:
        logits (Tensor[N, C]): raw model outputs.
        probs (Tensor[N, C]): ``softmax(logits)``; each row sums to 1.
        labels (Tensor[N], int64): predicted class, ``argmax`` of each row.
        targets (Tensor[N] or None): true labels when ``data`` yielded ``(x, y)``, else None.
    """

    logits: torch.Tensor
    probs: torch.Tensor
    labels: torch.Tensor
    targets: torch.Tensor | None = None

    def __len__(self) -> int:
        return len(self.labels)

    def __repr__(self) -> str:
        n, c = self.logits.shape
        extra = "" if self.targets is None else f", 정확도 {float((self.labels == self.targets).float().mean()):.1%}"
        return f"Predictions({n}개, 클래스 {c}개{extra})"


# =========================================================================== fit
def fit(
    model: nn.Module,
    train_loader: Iterable,
    val_loader: Iterable | None = None,
    epochs: int = 5,
    optimizer: torch.optim.Optimizer | None = None,
    loss_fn: nn.Module | None = None,
    device: str | torch.device | None = None,
    live: bool | str = "auto",
    amp: bool | str = "auto",
    scheduler: Any = None,
    progress: bool = True,
    history: History | None = None,
) -> History:
    """Train ``model`` for ``epochs`` epochs and return the per-epoch :class:`History`.

    Args:
        model: a classifier, ``Tensor[N, C, H, W]`` → logits ``Tensor[N, num_classes]``.
        train_loader: yields ``(x, y)`` batches (a ``DataLoader``; shuffle it).
        val_loader: evaluated after every epoch (model in eval mode, no gradients).
        epochs: number of passes over ``train_loader``.
        optimizer: default ``torch.optim.Adam(model.parameters(), lr=1e-3)``.
        loss_fn: default ``nn.CrossEntropyLoss()`` (it applies softmax itself).
        device: default :func:`helpers.environment.get_device` (CUDA, then MPS, then CPU). The
            model is moved there, and each batch as it arrives.
        live: ``"auto"`` redraws a loss/accuracy figure after each epoch when running in Jupyter
            and prints one line per epoch elsewhere; ``True`` / ``False`` force it on / off.
        amp: mixed precision (float16 autocast + gradient scaling). ``"auto"`` = on for CUDA
            GPUs only, where float16 arithmetic runs faster; it is never used on CPU or MPS.
        scheduler: an optional learning-rate scheduler, stepped once per epoch
            (``ReduceLROnPlateau`` with the validation loss), or after every batch for
            ``OneCycleLR`` / ``CyclicLR``.
        progress: progress bars (epochs, and batches within an epoch) and the per-epoch lines.
        history: continue an earlier run: new epochs are appended to this History.

    Returns:
        the History (also ``history`` itself when given). The model is left in eval mode.

    Raises:
        TypeError: a Dataset instead of a DataLoader, a class instead of an instance (model,
            loss_fn, optimizer), float labels for CrossEntropyLoss, batches that are not (x, y).
        ValueError: labels outside ``[0, num_classes)``, an empty loader, a model on the
            'meta' device, an optimizer that does not hold the model's parameters, a model
            output whose batch size differs from the labels'.
        FloatingPointError: the loss became NaN or infinite (names the epoch and batch).
        RuntimeError: the model could not process a batch (shape, dtype or device mismatch),
            re-raised with a Korean hint that shows the batch's shape (ValueError when the
            model raised one, e.g. BatchNorm given a 3-D input).
    """
    _check_model(model)
    _check_loader(train_loader, "train_loader")
    if val_loader is not None:
        _check_loader(val_loader, "val_loader")
    epochs = checks.positive_int("epochs", epochs, hint="학습 데이터 전체를 몇 번 돌며 학습할지 정합니다 (예: epochs=5).")
    if live not in ("auto", True, False):
        raise ValueError(f"live는 'auto', True, False 중 하나여야 합니다 (받은 값: {live!r}).")
    if amp not in ("auto", True, False):
        raise ValueError(f"amp는 'auto', True, False 중 하나여야 합니다 (받은 값: {amp!r}).")
    if history is not None and not isinstance(history, History):
        raise TypeError(f"history는 fit이 돌려준 History여야 합니다 (받은 타입: {type(history).__name__}).")
    if scheduler is not None and not callable(getattr(scheduler, "step", None)):
        raise TypeError(
            f"scheduler는 torch.optim.lr_scheduler의 스케줄러여야 합니다 (받은 타입: {type(scheduler).__name__}). "
            "예: torch.optim.lr_scheduler.StepLR(optimizer, step_size=5, gamma=0.5)"
        )
    loss_fn = _resolve_loss_fn(loss_fn)

    run_device = _resolve_device(device)
    model.to(run_device)
    if isinstance(loss_fn, nn.Module):
        loss_fn.to(run_device)  # e.g. CrossEntropyLoss(weight=...) keeps a tensor
    optimizer = _resolve_optimizer(optimizer, model)

    use_amp = run_device.type == "cuda" if amp == "auto" else bool(amp)
    if use_amp and run_device.type != "cuda":
        print(f"안내: 혼합 정밀도(amp)는 CUDA GPU에서만 씁니다. 장치가 {run_device.type}이므로 끄고 학습합니다.")
        use_amp = False
    # GradScaler multiplies the loss before backward so float16 gradients don't underflow to 0,
    # and skips the step if they overflowed. Disabled, it passes everything through unchanged.
    scaler = torch.amp.GradScaler("cuda", enabled=use_amp)
    step_per_batch = isinstance(
        scheduler, (torch.optim.lr_scheduler.OneCycleLR, torch.optim.lr_scheduler.CyclicLR)
    )

    history = history if history is not None else History()
    first, last = history.epochs + 1, history.epochs + epochs
    show_live = _in_notebook() if live == "auto" else bool(live)
    plot = _LivePlot() if show_live else None

    with tqdm(total=epochs, desc="학습", unit="에폭", disable=not progress) as epoch_bar:
        for epoch in range(first, last + 1):
            start = time.perf_counter()
            lr = optimizer.param_groups[0]["lr"]
            train_loss, train_acc = _train_one_epoch(
                model, train_loader, optimizer, loss_fn, run_device, scaler, use_amp,
                scheduler if step_per_batch else None, epoch, last, progress,
            )
            history.train_loss.append(train_loss)
            history.train_acc.append(train_acc)
            if val_loader is not None:
                val = _evaluate_loader(model, val_loader, loss_fn, run_device, "val_loader", progress)
                history.val_loss.append(val["loss"])
                history.val_acc.append(val["accuracy"])
            if scheduler is not None and not step_per_batch:
                if isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau):
                    scheduler.step(history.val_loss[-1] if val_loader is not None else train_loss)
                else:
                    scheduler.step()
            history.seconds.append(time.perf_counter() - start)
            history.lr.append(lr)

            epoch_bar.set_postfix(손실=f"{train_loss:.4f}", 정확도=_pct(train_acc), refresh=False)
            epoch_bar.update()
            if plot is not None:
                plot.update(history)
            elif progress:
                tqdm.write(_epoch_line(history, epoch, last))
    model.eval()
    return history


def _train_one_epoch(model: nn.Module, loader: Iterable[Any], optimizer: torch.optim.Optimizer, loss_fn: _LossFn,
                     device: torch.device, scaler: torch.amp.GradScaler, use_amp: bool, batch_scheduler: Any,
                     epoch: int, last_epoch: int, progress: bool) -> tuple[float, float]:
    """One pass over ``loader``: forward → loss → backward → step. Returns (loss, accuracy)."""
    model.train()  # dropout on, BatchNorm uses (and updates) batch statistics
    meter = _Meter(device)
    next_postfix = time.perf_counter() + POSTFIX_SECONDS
    with _batch_bar(loader, progress, desc=f"에폭 {epoch}/{last_epoch}") as bar:
        for batch_index, batch in enumerate(loader, start=1):
            x, y = _split_batch(batch, "train_loader")
            x = x.to(device, non_blocking=True)
            y_device = y.to(device, non_blocking=True)
            with _autocast(use_amp):
                logits = _forward(model, x, "train_loader")
                _check_targets(y, logits, loss_fn, "train_loader")
                loss = loss_fn(logits, y_device)
            optimizer.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
            if batch_scheduler is not None:
                batch_scheduler.step()

            meter.add(loss, logits, y_device, batch_index)  # detached: no graph outlives the step
            bar.update()
            now = time.perf_counter()
            if meter.syncs_every_batch or now >= next_postfix:
                _raise_if_diverged(meter, epoch, optimizer)
            if now >= next_postfix:
                if progress:
                    bar.set_postfix(손실=f"{meter.loss:.4f}", 정확도=_pct(meter.accuracy), refresh=False)
                next_postfix = now + POSTFIX_SECONDS
    if meter.count == 0:
        raise ValueError(_empty_loader_message("train_loader"))
    _raise_if_diverged(meter, epoch, optimizer)
    return meter.loss, meter.accuracy


def _raise_if_diverged(meter: _Meter, epoch: int, optimizer: torch.optim.Optimizer) -> None:
    bad = meter.first_bad_batch()
    if bad is not None:
        lr = optimizer.param_groups[0].get("lr", "?")
        raise FloatingPointError(
            f"에폭 {epoch}, 배치 {bad}에서 손실(loss)이 NaN 또는 무한대가 되어 학습을 멈췄습니다. "
            f"학습률(learning rate)이 너무 크면 흔히 생깁니다: 현재 lr={lr}보다 10배쯤 낮춰 "
            "(예: lr=1e-4) 모델과 옵티마이저를 새로 만들어 다시 학습하세요. 입력 데이터에 NaN이 "
            "없는지, 정규화(Normalize)가 0으로 나누지 않는지도 확인하세요."
        )


def _batch_bar(loader: Any, progress: bool, desc: str) -> tqdm:
    """A batch progress bar advanced by hand (``bar.update()``), removed when done.

    We never write ``tqdm(loader)``: ``tqdm.auto`` calls ``iter(loader)`` as soon as the bar is
    created, and a DataLoader starts its worker processes (and draws a seed from the random
    generator) for that unused iterator, on top of the one the loop creates.
    """
    try:
        total = len(loader)
    except TypeError:  # a loader over an IterableDataset may have no length
        total = None
    return tqdm(total=total, desc=desc, unit="배치", leave=False, disable=not progress)


def _epoch_line(history: History, epoch: int, last: int) -> str:
    line = (f"에폭 {epoch}/{last} | 학습 손실 {history.train_loss[-1]:.4f} "
            f"정확도 {_pct(history.train_acc[-1])}")
    if len(history.val_loss) == history.epochs:
        line += f" | 검증 손실 {history.val_loss[-1]:.4f} 정확도 {_pct(history.val_acc[-1])}"
    return line + f" | {history.seconds[-1]:.1f}초"


def _pct(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.1%}"


# =========================================================================== evaluate / predict
def evaluate(model: nn.Module, loader: Iterable, loss_fn: nn.Module | None = None,
             device: str | torch.device | None = None) -> dict[str, float]:
    """Mean loss and accuracy of ``model`` on ``loader``, in eval mode and without gradients.

    Args:
        model: a classifier returning logits ``Tensor[N, num_classes]``.
        loader: yields ``(x, y)`` batches.
        loss_fn: default ``nn.CrossEntropyLoss()``.
        device: default: where the model already is (moved there otherwise).

    Returns:
        ``{"loss": float, "accuracy": float in [0, 1]}``; the model's train/eval mode is restored.

        ``loss`` is the loss with ``reduction="mean"`` over the whole data set, whatever
        ``reduction`` the given ``loss_fn`` has (``"sum"`` and ``"none"`` are turned into that mean,
        not reported as a sum or refused), computed exactly as if all samples were one batch:
        samples whose label is ``ignore_index`` (``nn.CrossEntropyLoss`` / ``nn.NLLLoss``) count
        neither in the loss nor in the accuracy, class ``weight`` weights the mean as PyTorch does,
        and a smaller last batch weighs less. ``accuracy`` is the share of non-ignored labels
        predicted correctly (``nan`` for outputs that are not class scores). A plain function as
        ``loss_fn`` must return the batch mean (a scalar).
    """
    _check_model(model)
    _check_loader(loader, "loader")
    loss_fn = _resolve_loss_fn(loss_fn)
    run_device = _model_device(model) if device is None else _resolve_device(device)
    model.to(run_device)
    if isinstance(loss_fn, nn.Module):
        loss_fn.to(run_device)
    was_training = model.training
    try:
        return _evaluate_loader(model, loader, loss_fn, run_device, "loader", progress=False)
    finally:
        model.train(was_training)


def forward_with_hint(model: nn.Module, x: torch.Tensor, name: str = "x") -> torch.Tensor:
    """``model(x)``; a shape, dtype or device error comes back with a Korean hint.

    The hint shows the batch's shape and dtype and what the model expects (for example a
    1-channel image given to a model whose first convolution takes 3 channels). Used by
    :func:`fit`, :func:`evaluate`, :func:`predict` and :mod:`helpers.cam`.
    """
    return _forward(model, x, name)


def _evaluate_loader(model: nn.Module, loader: Iterable[Any], loss_fn: _LossFn, device: torch.device, name: str,
                     progress: bool) -> dict[str, float]:
    """Loss and accuracy over ``loader`` in eval mode (dropout off, BatchNorm running stats)."""
    model.eval()
    per_element = _per_element_loss(loss_fn)
    loss_sum = torch.zeros((), dtype=torch.float64, device=device)
    loss_weight = torch.zeros((), dtype=torch.float64, device=device)
    correct = torch.zeros((), dtype=torch.long, device=device)
    compared = torch.zeros((), dtype=torch.long, device=device)
    accuracy_known, batches = True, 0
    # inference_mode: no autograd bookkeeping at all, so faster and less memory than no_grad
    with torch.inference_mode(), _batch_bar(loader, progress, desc="검증") as bar:
        for batch in loader:
            x, y = _split_batch(batch, name)
            x, y_device = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            logits = _forward(model, x, name)
            _check_targets(y, logits, loss_fn, name)
            batches += 1
            valid = _valid_targets(loss_fn, logits, y_device)  # bool, shape of the class labels
            if per_element is not None:
                values = per_element(logits, y_device)
                loss_sum += values.double().sum()
                loss_weight += _mean_denominator(loss_fn, logits, y_device, values, valid)
            else:
                loss = loss_fn(logits, y_device)
                if not isinstance(loss, torch.Tensor) or loss.numel() != 1:
                    got = tuple(loss.shape) if isinstance(loss, torch.Tensor) else type(loss).__name__
                    raise ValueError(
                        f"loss_fn이 스칼라(배치 평균 손실 하나)가 아닌 값을 돌려주었습니다 (받은 것: {got}). "
                        "평균을 돌려주게 하거나 (예: .mean()), nn.CrossEntropyLoss 같은 nn 손실 모듈을 넘기세요."
                    )
                loss_sum += loss.detach().double().reshape(()) * logits.shape[0]
                loss_weight += logits.shape[0]
            hits = _correct_mask(logits, y_device)
            if hits is None:
                accuracy_known = False
            else:
                mask = valid if valid is not None and valid.shape == hits.shape else torch.ones_like(hits)
                correct += (hits & mask).sum()
                compared += mask.sum()
            bar.update()
    if batches == 0:
        raise ValueError(_empty_loader_message(name))
    weight = float(loss_weight)
    loss_value = float(loss_sum) / weight if weight > 0 else math.nan
    n = int(compared)
    accuracy = int(correct) / n if accuracy_known and n > 0 else math.nan
    return {"loss": loss_value, "accuracy": accuracy}


# Losses whose "none" reduction gives one value per element, so that evaluate can form the
# data-set mean itself, whatever reduction the user's instance has.
_ELEMENTWISE_LOSSES = (nn.CrossEntropyLoss, nn.NLLLoss, nn.MSELoss, nn.L1Loss, nn.SmoothL1Loss, nn.HuberLoss,
                       nn.BCELoss, nn.BCEWithLogitsLoss)


def _per_element_loss(loss_fn: _LossFn) -> nn.Module | None:
    """A copy of a built-in loss with ``reduction="none"`` (None for other losses)."""
    if type(loss_fn) not in _ELEMENTWISE_LOSSES:
        return None
    per_element: nn.Module = copy.copy(loss_fn)
    per_element.reduction = "none"
    return per_element


def _valid_targets(loss_fn: _LossFn, logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor | None:
    """Which class labels count (not ``ignore_index``); None when labels are not class indices."""
    if y.dtype.is_floating_point or y.dtype == torch.bool:
        return None
    ignore = getattr(loss_fn, "ignore_index", None) if isinstance(loss_fn, (nn.CrossEntropyLoss, nn.NLLLoss)) else None
    if ignore is None:
        return torch.ones_like(y, dtype=torch.bool)
    return y != ignore


def _mean_denominator(loss_fn: _LossFn, logits: torch.Tensor, y: torch.Tensor, values: torch.Tensor,
                      valid: torch.Tensor | None) -> torch.Tensor:
    """What PyTorch's ``reduction="mean"`` divides the summed per-element losses by."""
    if isinstance(loss_fn, (nn.CrossEntropyLoss, nn.NLLLoss)):
        if y.dtype.is_floating_point:  # class probabilities: mean over samples
            return torch.tensor(float(values.numel()), dtype=torch.float64, device=values.device)
        assert valid is not None  # integer class labels: _valid_targets gave their mask
        weight = getattr(loss_fn, "weight", None)
        if weight is not None:
            return weight.double()[y[valid]].sum()
        return valid.sum().double()
    return torch.tensor(float(values.numel()), dtype=torch.float64, device=values.device)


def _correct_mask(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor | None:
    """Per label: is the argmax the true class? None when it is not a classification."""
    if logits.dim() < 2 or logits.shape[1] < 2:  # one output per sample: regression, not classes
        return None
    predicted = logits.argmax(dim=1)
    if y.dtype.is_floating_point and y.shape == logits.shape:  # class probabilities (soft labels)
        return predicted == y.argmax(dim=1)
    if y.shape != predicted.shape or y.dtype.is_floating_point:
        return None
    return predicted == y


def predict(model: nn.Module, data: DataLoader | Dataset | torch.Tensor, device: str | torch.device | None = None,
            batch_size: int = 256) -> Predictions:
    """Run ``model`` over ``data`` in eval mode and collect logits, probabilities and labels.

    Args:
        model: a classifier returning logits ``Tensor[N, num_classes]``.
        data: a ``DataLoader`` (yielding ``(x, y)`` or ``x``), a ``Dataset`` (items ``(x, y)``
            or ``x``; batched in order) or a tensor batch ``Tensor[N, C, H, W]``. For one image
            ``Tensor[C, H, W]`` use ``image.unsqueeze(0)``.
        device: default: where the model already is.
        batch_size: batch size used for a Dataset or a tensor.

    Returns:
        :class:`Predictions` on the CPU, in the order the data came in (a shuffling loader
        gives shuffled order, with ``targets`` in the same order).
    """
    _check_model(model)
    batch_size = checks.positive_int("batch_size", batch_size,
                                     hint="Dataset이나 텐서를 한 번에 모델에 넣을 이미지 수입니다.")
    run_device = _model_device(model) if device is None else _resolve_device(device)
    model.to(run_device)
    batches = _input_batches(data, batch_size)

    logits_parts: list[torch.Tensor] = []
    target_parts: list[torch.Tensor] = []
    was_training = model.training
    model.eval()
    try:
        with torch.inference_mode():
            for x, y in batches:
                logits_parts.append(_forward(model, x.to(run_device, non_blocking=True), "data").float().cpu())
                if y is not None:
                    target_parts.append(torch.as_tensor(y).cpu())
    finally:
        model.train(was_training)
    if not logits_parts:
        raise ValueError(_empty_loader_message("data"))
    logits = torch.cat(logits_parts)
    if logits.dim() != 2:
        raise ValueError(
            f"predict는 모델 출력이 [N, 클래스 수] 모양의 로짓이라고 가정합니다 "
            f"(받은 출력 모양: {tuple(logits.shape)}). 분류 모델인지 확인하세요."
        )
    targets = torch.cat(target_parts) if len(target_parts) == len(logits_parts) else None
    return Predictions(logits=logits, probs=logits.softmax(dim=1), labels=logits.argmax(dim=1),
                       targets=targets)


def _input_batches(data: Any, batch_size: int) -> Iterator[tuple[torch.Tensor, torch.Tensor | None]]:
    """Yield ``(x, y_or_None)`` batches from a DataLoader, a Dataset or a tensor."""
    if isinstance(data, torch.Tensor):
        if data.dim() == 0 or data.shape[0] == 0:
            raise ValueError(f"data 텐서가 비어 있습니다 (모양 {tuple(data.shape)}). 이미지를 1장 이상 넘기세요.")
        for start in range(0, data.shape[0], batch_size):
            yield data[start:start + batch_size], None
        return
    if isinstance(data, Dataset):
        data = DataLoader(data, batch_size=batch_size, shuffle=False)
    elif not isinstance(data, DataLoader):
        raise TypeError(
            f"data는 DataLoader, Dataset, 또는 이미지 배치 텐서 [N, C, H, W]여야 합니다 "
            f"(받은 타입: {type(data).__name__}). 넘파이 배열이면 torch.from_numpy(x).float()로 바꾸세요."
        )
    for batch in data:
        if isinstance(batch, torch.Tensor):
            yield batch, None
        else:
            yield _split_batch(batch, "data")


# =========================================================================== checkpoints
_RESERVED_KEYS = ("format", "model", "optimizer", "history")


def save_checkpoint(path: str | os.PathLike[str], model: nn.Module, optimizer: torch.optim.Optimizer | None = None,
                    history: History | None = None, **extra: Any) -> Path:
    """Save model (and optimizer, history, anything in ``extra``) to ``path``, atomically.

    The file is written to a temporary file in the same folder, flushed to disk (fsync) and then
    renamed over ``path`` (``os.replace``), so an interrupted save never leaves a half-written
    checkpoint behind: ``path`` holds either the old file or the complete new one.

    ``extra`` values must be plain data: numbers, strings, bools, None, tensors, and lists /
    tuples / dicts of those (e.g. ``epoch=5, class_names=[...]``), because
    :func:`load_checkpoint` loads with ``torch.load(weights_only=True)``, which runs no code.

    Returns:
        the path written.
    """
    _check_model(model, allow_meta=True)
    if optimizer is not None and not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(f"optimizer는 torch.optim.Optimizer여야 합니다 (받은 타입: {type(optimizer).__name__}).")
    if history is not None and not isinstance(history, History):
        raise TypeError(f"history는 History여야 합니다 (받은 타입: {type(history).__name__}).")
    for key, value in extra.items():
        if key in _RESERVED_KEYS:
            raise ValueError(f"추가 항목 이름 {key!r}는 체크포인트가 내부에서 씁니다. 다른 이름을 쓰세요 (예: my_{key}).")
        _check_plain(value, key)

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "format": 1,
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict() if optimizer is not None else None,
        "history": history.as_dict() if history is not None else None,
        **extra,
    }
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as file:
            torch.save(payload, file)
            file.flush()
            os.fsync(file.fileno())  # the bytes are on disk before the rename makes them visible
        os.replace(tmp_name, path)  # atomic on POSIX and Windows
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_directory(path.parent)
    return path


def load_checkpoint(path: str | os.PathLike[str], model: nn.Module, optimizer: torch.optim.Optimizer | None = None,
                    map_location: str | torch.device | None = None) -> dict[str, Any]:
    """Load a :func:`save_checkpoint` file into ``model`` (and ``optimizer``).

    Args:
        path: the checkpoint file. A bare ``torch.save(model.state_dict(), path)`` file works too.
        model: a model built the same way as the saved one (same class and arguments).
        optimizer: restored too when given (the checkpoint must contain one).
        map_location: where tensors are loaded; default: the model's device.

    Returns:
        the checkpoint dict: ``model`` (state dict), ``optimizer`` (state dict or None),
        ``history`` (:class:`History` or None) and every ``extra`` key given at save time.

    Raises:
        FileNotFoundError: no such file. ValueError: the file is truncated, corrupt or not a
        checkpoint. RuntimeError: the saved weights do not fit ``model`` (different architecture).
    """
    _check_model(model, allow_meta=True)
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"체크포인트 파일이 없습니다: {path} . 경로와 파일 이름을 확인하세요.")
    if map_location is None:
        map_location = _model_device(model, allow_meta=True)
    try:
        checkpoint = torch.load(path, map_location=map_location, weights_only=True)
    except Exception as exc:  # truncated zip, bad pickle, wrong format: torch raises many types
        raise ValueError(
            f"체크포인트 파일 {path} 을(를) 읽을 수 없습니다: 파일이 잘렸거나 손상되었거나, torch.save로 "
            f"저장한 파일이 아닙니다 ({type(exc).__name__}). 저장이 중간에 끊겼다면 다시 저장하고, "
            "내려받은 파일이면 다시 내려받으세요."
        ) from exc
    if isinstance(checkpoint, dict) and "model" not in checkpoint and checkpoint and all(
        isinstance(v, torch.Tensor) for v in checkpoint.values()
    ):
        checkpoint = {"format": 0, "model": checkpoint, "optimizer": None, "history": None}
    if not isinstance(checkpoint, dict) or "model" not in checkpoint:
        raise ValueError(
            f"{path} 은(는) save_checkpoint로 저장한 체크포인트가 아닙니다 "
            f"(최상위 타입: {type(checkpoint).__name__}). save_checkpoint(path, model, ...)로 저장한 파일을 쓰세요."
        )
    try:
        model.load_state_dict(checkpoint["model"])
    except RuntimeError as exc:
        raise RuntimeError(
            f"체크포인트 {path.name} 의 가중치가 이 모델 구조와 맞지 않습니다. 저장할 때와 같은 클래스, 같은 "
            f"인자(예: in_channels, num_classes, width)로 모델을 만든 뒤 불러오세요.\n원래 오류: {exc}"
        ) from exc
    if optimizer is not None:
        if checkpoint.get("optimizer") is None:
            raise ValueError(
                f"체크포인트 {path.name} 에는 옵티마이저 상태가 없습니다. optimizer 인자를 빼고 불러오거나, "
                "저장할 때 save_checkpoint(path, model, optimizer)로 함께 저장하세요."
            )
        optimizer.load_state_dict(checkpoint["optimizer"])
    if checkpoint.get("history") is not None:
        checkpoint["history"] = History.from_dict(checkpoint["history"])
    return checkpoint


def _check_plain(value: Any, key: str) -> None:
    # exact types: numpy.float64 is a float subclass, but weights_only loading refuses it
    if value is None or type(value) in (bool, int, float, str) or isinstance(value, torch.Tensor):
        return
    if type(value) in (list, tuple):
        for item in value:
            _check_plain(item, key)
        return
    if type(value) is dict:
        for k, item in value.items():
            if type(k) not in (str, int):
                raise TypeError(f"추가 항목 {key!r} 안의 dict 키는 문자열이나 정수여야 합니다 (받은 키: {k!r}).")
            _check_plain(item, key)
        return
    raise TypeError(
        f"추가 항목 {key!r}에 저장할 수 없는 타입 {type(value).__name__}이 있습니다. 숫자, 문자열, 텐서와 "
        "그 list/dict만 저장할 수 있습니다: 넘파이 값이면 float(x)나 torch.tensor(x)로 바꾸세요."
    )


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX). Windows cannot open directories: skip there."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# =========================================================================== the pieces of a step
class _Meter:
    """Sums of loss, correct predictions and samples over one pass of a loader.

    On the CPU, ``loss.item()`` is free, so sums are plain Python floats and a non-finite loss is
    caught at the very batch it appears. On a GPU, ``.item()`` makes the CPU wait until the GPU
    has finished everything queued so far, which would stall the pipeline after every batch; the
    sums (and the index of the first non-finite batch) stay on the device and are read only
    when someone asks (the progress bar, a few times per second, and the end of the epoch).
    """

    def __init__(self, device: torch.device, check_finite: bool = True,
                 sync_every_batch: bool | None = None) -> None:
        self.syncs_every_batch = device.type == "cpu" if sync_every_batch is None else sync_every_batch
        self.check_finite = check_finite
        self.count = 0
        self._accuracy_known = True
        # Python numbers when syncing every batch (``_bad``: int or None), else 0-d device tensors
        self._loss: Any
        self._correct: Any
        self._bad: Any
        if self.syncs_every_batch:
            self._loss, self._correct, self._bad = 0.0, 0, None
        else:
            self._loss = torch.zeros((), device=device)
            self._correct = torch.zeros((), device=device, dtype=torch.long)
            self._bad = torch.zeros((), device=device, dtype=torch.long)  # 0 = no bad batch yet

    def add(self, loss: torch.Tensor, logits: torch.Tensor, y: torch.Tensor, batch_index: int = 0) -> None:
        n = logits.shape[0]
        self.count += n
        loss = loss.detach().float()
        correct = _count_correct(logits.detach(), y)
        if correct is None:
            self._accuracy_known = False
        if self.syncs_every_batch:
            value = loss.item()
            if self.check_finite and self._bad is None and not math.isfinite(value):
                self._bad = batch_index
            self._loss += value * n
            self._correct += int(correct) if correct is not None else 0
        else:
            self._loss += loss * n
            if correct is not None:
                self._correct += correct
            if self.check_finite:  # remember the first bad batch without waiting for the GPU
                is_new_bad = (self._bad == 0) & ~torch.isfinite(loss)
                self._bad = torch.where(is_new_bad, torch.full_like(self._bad, batch_index), self._bad)

    @property
    def loss(self) -> float:
        return float(self._loss) / max(self.count, 1)

    @property
    def accuracy(self) -> float:
        if not self._accuracy_known:
            return math.nan
        return int(self._correct) / max(self.count, 1)

    def first_bad_batch(self) -> int | None:
        if self.syncs_every_batch:
            return self._bad
        bad = int(self._bad)
        return bad or None


def _count_correct(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor | None:
    """Number of rows whose argmax is the true class; None when it is not a classification."""
    hits = _correct_mask(logits, y)
    return None if hits is None else hits.sum()


def _autocast(use_amp: bool) -> contextlib.AbstractContextManager[Any]:
    """float16 autocast on CUDA when mixed precision is on, otherwise a do-nothing context."""
    if use_amp:
        return torch.autocast(device_type="cuda", dtype=torch.float16)
    return contextlib.nullcontext()


def _split_batch(batch: Any, name: str) -> tuple[torch.Tensor, torch.Tensor]:
    """``(x, y)`` from a loader's batch, with a Korean hint when it is something else."""
    if isinstance(batch, (tuple, list)) and len(batch) >= 2:
        x, y = batch[0], batch[1]
    else:
        what = f"텐서 하나 (모양 {tuple(batch.shape)})" if isinstance(batch, torch.Tensor) else type(batch).__name__
        raise TypeError(
            f"{name}의 배치는 (입력 x, 정답 y) 쌍이어야 합니다 (받은 것: {what}). "
            "TensorDataset(x, y)나 (이미지, 레이블)을 돌려주는 Dataset을 DataLoader로 감싸세요."
        )
    if not isinstance(x, torch.Tensor):
        raise TypeError(
            f"{name}의 입력 x가 텐서가 아닙니다 (받은 타입: {type(x).__name__}). "
            "transform에 transforms.ToTensor()(또는 ToImage + ToDtype)가 빠지지 않았는지 확인하세요."
        )
    if not isinstance(y, torch.Tensor):
        y = torch.as_tensor(y)
    return x, y


def _forward(model: nn.Module, x: torch.Tensor, name: str) -> torch.Tensor:
    """``model(x)``; a RuntimeError/ValueError comes back with a Korean hint showing the batch."""
    try:
        return model(x)
    except torch.cuda.OutOfMemoryError:
        raise  # its own message already says what to do (smaller batch_size)
    except RuntimeError as exc:  # conv/linear shape, dtype and device errors
        raise RuntimeError(_forward_hint(exc, model, x, name)) from exc
    except ValueError as exc:  # e.g. BatchNorm2d: "expected 4D input (got 3D input)"
        raise ValueError(_forward_hint(exc, model, x, name)) from exc


def _forward_hint(exc: Exception, model: nn.Module, x: torch.Tensor, name: str) -> str:
    message = str(exc)
    shape = tuple(x.shape)
    lowered = message.lower()
    if "device" in lowered and ("same device" in lowered or "expected all tensors" in lowered
                                or "meta" in lowered or "device type" in lowered):
        devices = sorted({str(t.device) for t in (*model.parameters(), *model.buffers())}) or ["(파라미터 없음)"]
        hint = (
            f"모델과 데이터가 서로 다른 장치(device)에 있습니다 (모델: {', '.join(devices)}, 배치 x: {x.device}). "
            "model.to(device)로 모델을 옮기고, 배치도 x.to(device)로 같은 장치에 두세요. fit/evaluate/predict는 "
            "이 일을 대신 하므로, 모델 안에서 만든 텐서(torch.zeros 등)에 device=x.device를 주었는지 확인하세요."
        )
    else:
        hint = (
            f"모델이 {name}의 배치를 처리하지 못했습니다. 배치 x의 모양은 {shape}, dtype은 {x.dtype}입니다. "
            "모델이 기대하는 입력 모양 [N, 채널, 높이, 너비]와 맞는지 확인하세요 "
            "(예: 흑백 MNIST는 [N, 1, 28, 28], 컬러 CIFAR-10은 [N, 3, 32, 32]; in_channels와 image_size 인자)."
        )
        first_conv = next((m for m in model.modules() if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Conv3d))), None)
        if first_conv is not None and x.dim() >= 2 and x.shape[1] != first_conv.in_channels:
            hint += (
                f" 모델의 첫 합성곱 층은 채널 {first_conv.in_channels}개를 받는데 x는 {x.shape[1]}채널입니다."
            )
            if x.shape[1] == 1 and first_conv.in_channels == 3:
                hint += (
                    " 흑백 이미지를 컬러(3채널) 모델에 넣으려면 채널을 복제하세요: x.repeat(1, 3, 1, 1) "
                    "(또는 transforms.Grayscale(num_output_channels=3))."
                )
        if not x.dtype.is_floating_point:
            hint += " 입력이 실수(float)가 아닙니다: x.float() / 255 또는 transforms.ToTensor()를 쓰세요."
        if x.dim() == 3:
            hint += " 이미지 한 장이면 배치 차원을 붙이세요: x.unsqueeze(0)."
    return f"{hint}\n원래 오류: {message}"


def _check_targets(y: torch.Tensor, logits: torch.Tensor, loss_fn: _LossFn, name: str) -> None:
    """Catch bad classification labels before CrossEntropyLoss gives a cryptic error.

    Runs on the labels as the loader produced them (usually on the CPU, where it is cheap).
    """
    elementwise = (nn.MSELoss, nn.L1Loss, nn.SmoothL1Loss, nn.HuberLoss, nn.BCELoss, nn.BCEWithLogitsLoss)
    if isinstance(loss_fn, elementwise) and y.shape != logits.shape:
        raise ValueError(
            f"{name}: {type(loss_fn).__name__}의 모델 출력 모양 {tuple(logits.shape)}과 정답 y의 모양 {tuple(y.shape)}이 "
            "다릅니다. 모양이 다르면 PyTorch가 브로드캐스팅으로 엉뚱한 쌍끼리 빼서 손실이 조용히 틀립니다. "
            "y를 출력과 같은 모양으로 맞추세요 (예: 출력이 (N, 1)이면 y.unsqueeze(1), 또는 출력.squeeze(1))."
        )
    if not isinstance(loss_fn, (nn.CrossEntropyLoss, nn.NLLLoss)) or logits.dim() < 2:
        return
    if y.dim() >= 1 and y.shape[0] != logits.shape[0]:
        raise ValueError(
            f"{name}: 모델 출력은 {logits.shape[0]}개인데 정답 y는 {y.shape[0]}개입니다 (출력 모양 "
            f"{tuple(logits.shape)}, y 모양 {tuple(y.shape)}). 모델 안에서 x.view(-1, ...)가 배치 차원을 "
            "섞지 않았는지 확인하세요: 펼칠 때는 x.flatten(1)이나 nn.Flatten()을 쓰세요."
        )
    if y.dtype.is_floating_point:
        if y.shape == logits.shape:
            return  # class probabilities (soft labels): CrossEntropyLoss accepts them
        raise TypeError(
            f"{name}: 정답 y의 dtype이 {y.dtype}입니다. 분류의 정답은 정수 클래스 번호(torch.long)여야 "
            "합니다. 데이터셋에서 y를 torch.long으로 만들거나 y.long()으로 바꾸세요."
        )
    if y.dtype == torch.bool or y.numel() == 0:
        return
    num_classes = logits.shape[1]
    low, high = int(y.min()), int(y.max())
    if low < 0 and low == loss_fn.ignore_index:  # labels marked "ignore" are allowed
        kept = y[y != loss_fn.ignore_index]
        if kept.numel() == 0:
            return
        low, high = int(kept.min()), int(kept.max())
    if low < 0 or high >= num_classes:
        bad = low if low < 0 else high
        raise ValueError(
            f"{name}: 정답 레이블 {bad}이(가) 범위 [0, {num_classes}) 밖에 있습니다. 모델 출력은 "
            f"클래스 {num_classes}개(0~{num_classes - 1}번)인데, 이 배치의 레이블은 {low}~{high}입니다. "
            "모델의 num_classes를 데이터의 클래스 수에 맞추거나, 레이블이 0부터 시작하게 바꾸세요 "
            "(예: 1~10이면 y - 1)."
        )


# =========================================================================== argument checks
def _check_model(model: Any, allow_meta: bool = False) -> None:
    if not isinstance(model, nn.Module):
        raise TypeError(
            f"model은 torch.nn.Module이어야 합니다 (받은 타입: {type(model).__name__}). "
            "클래스가 아니라 인스턴스를 넘기세요: SmallCNN이 아니라 SmallCNN()."
        )
    if not allow_meta and any(p.is_meta for p in model.parameters()):
        raise ValueError(
            "모델의 파라미터가 'meta' 장치에 있습니다: 모양만 있고 실제 값이 없는 빈 모델이라 데이터와 "
            "같은 장치에서 계산할 수 없습니다. 모델을 보통 방식으로 새로 만들거나, "
            "model.to_empty(device='cpu') 후 load_checkpoint로 가중치를 불러오세요."
        )


def _check_loader(loader: Any, name: str) -> None:
    if isinstance(loader, Dataset) and not isinstance(loader, DataLoader):
        raise TypeError(
            f"{name}에 Dataset({type(loader).__name__})을 넘겼습니다. 배치로 묶어 주는 DataLoader로 "
            f"감싸세요: DataLoader(dataset, batch_size=64, shuffle=True)."
        )
    if isinstance(loader, torch.Tensor) or not hasattr(loader, "__iter__"):
        raise TypeError(
            f"{name}은(는) (x, y) 배치를 내놓는 DataLoader여야 합니다 (받은 타입: {type(loader).__name__})."
        )
    try:
        size = len(loader)
    except TypeError:  # an IterableDataset's loader may have no length
        return
    if size == 0:
        raise ValueError(_empty_loader_message(name))


def _empty_loader_message(name: str) -> str:
    return (
        f"{name}이(가) 비어 있습니다 (배치 0개). 데이터셋이 비어 있지 않은지, 그리고 drop_last=True일 때 "
        "데이터 수가 batch_size보다 작지 않은지 확인하세요."
    )


def _resolve_loss_fn(loss_fn: Any) -> _LossFn:
    if loss_fn is None:
        return nn.CrossEntropyLoss()
    if isinstance(loss_fn, type):
        raise TypeError(
            f"loss_fn에 클래스 {loss_fn.__name__}를 넘겼습니다. 괄호를 붙여 인스턴스를 넘기세요: "
            f"loss_fn={loss_fn.__name__}()."
        )
    if not callable(loss_fn):
        raise TypeError(f"loss_fn은 호출할 수 있는 손실 함수여야 합니다 (받은 타입: {type(loss_fn).__name__}).")
    return loss_fn


def _resolve_optimizer(optimizer: Any, model: nn.Module) -> torch.optim.Optimizer:
    if optimizer is None:
        return torch.optim.Adam(model.parameters(), lr=1e-3)
    if isinstance(optimizer, type):
        raise TypeError(
            f"optimizer에 클래스 {optimizer.__name__}를 넘겼습니다. 모델 파라미터로 만든 인스턴스를 넘기세요: "
            f"optimizer=torch.optim.{optimizer.__name__}(model.parameters(), lr=1e-3)."
        )
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(f"optimizer는 torch.optim.Optimizer여야 합니다 (받은 타입: {type(optimizer).__name__}).")
    model_params = {id(p) for p in model.parameters()}
    optimizer_params = {id(p) for group in optimizer.param_groups for p in group["params"]}
    if model_params and not model_params & optimizer_params:
        raise ValueError(
            "optimizer가 이 model의 파라미터를 하나도 갖고 있지 않습니다: 모델을 다시 만든 뒤 옵티마이저를 "
            "다시 만들지 않았을 때 흔히 생깁니다 (그러면 학습해도 모델이 바뀌지 않습니다). "
            "optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)처럼 새로 만드세요."
        )
    return optimizer


def _resolve_device(device: Any) -> torch.device:
    if device is None:
        return environment.get_device()
    if isinstance(device, torch.device):
        device = str(device)
    if not isinstance(device, str):
        raise TypeError(f"device는 'cpu', 'cuda' 같은 문자열이나 torch.device여야 합니다 (받은 값: {device!r}).")
    return environment.get_device(device)


def _model_device(model: nn.Module, allow_meta: bool = False) -> torch.device:
    """The one device holding all of ``model``'s tensors (:func:`helpers.checks.model_device`);
    the default device (:func:`helpers.environment.get_device`) for a model without tensors.

    A model on the 'meta' device is refused with the message of :func:`_check_model`, or gives
    the CPU with ``allow_meta=True`` (:func:`load_checkpoint`'s default ``map_location``).
    """
    if next(itertools.chain(model.parameters(), model.buffers()), None) is None:
        return environment.get_device()
    device = checks.model_device(model)
    if device.type == "meta":
        if allow_meta:
            return torch.device("cpu")
        _check_model(model)  # raises the meta-device message
    return device


# =========================================================================== live plot
def _in_notebook() -> bool:
    """True inside a Jupyter/Colab kernel (where figures can be redrawn in place)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class _LivePlot:
    """A loss/accuracy figure shown once and redrawn in place after every epoch (Jupyter).

    Drawn by :func:`helpers.plotting.plot_history`, the same figure as after training; a plotting
    error is a bug to see, not to hide behind a second drawing routine.
    """

    def __init__(self) -> None:
        import matplotlib.pyplot as plt

        self.fig, self.axes = plt.subplots(1, 2, figsize=(9, 3.5), layout="constrained")
        plt.close(self.fig)  # shown through our display handle only, not again at the cell's end
        self.handle = None

    def update(self, history: History) -> None:
        from IPython.display import display

        from helpers.plotting import plot_history

        plot_history(history, axes=self.axes)
        if self.handle is None:
            self.handle = display(self.fig, display_id=True)
        else:
            self.handle.update(self.fig)
