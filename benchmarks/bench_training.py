"""``helpers.training.fit`` against a bare PyTorch loop on the same model and data.

Budget (COURSE_DESIGN §7): the training helper is at most 5 % slower than the bare loop.
``fit`` runs as a learner runs it, with its defaults (progress bars ON, per-epoch lines,
accuracy, label and NaN checks); only the live figure is off, as it is outside Jupyter anyway.
The bare loop is the textbook one: forward → loss → backward → step, then a validation pass
under ``inference_mode``; on CUDA it uses the same mixed precision as ``fit``.

Both start from the same weights and seed, see the same batches in the same order, and run
interleaved (bare, fit, fit, bare, …) so that a change of machine load hits both alike; the
ratio is median(fit) / median(bare). On the CPU we use one thread: the course's machines share
two cores, and oversubscribed threads turn timings into noise.

    python -m benchmarks.run training        # or: python -m benchmarks.bench_training
"""
from __future__ import annotations

import contextlib
import copy
import io
import statistics
import time
from collections.abc import Callable
from typing import Any

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from helpers import sizes
from helpers.models import SmallCNN
from helpers.training import fit

BUDGET = 1.05


def make_data(n_train: int, n_val: int, batch_size: int, seed: int = 0) -> tuple[DataLoader, DataLoader]:
    """Synthetic MNIST-shaped data: ``Tensor[N, 1, 28, 28]`` images, 10 classes."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n_train + n_val, 1, 28, 28, generator=g)
    y = torch.randint(0, 10, (n_train + n_val,), generator=g)
    train = DataLoader(TensorDataset(x[:n_train], y[:n_train]), batch_size=batch_size, shuffle=True)
    val = DataLoader(TensorDataset(x[n_train:], y[n_train:]), batch_size=2 * batch_size)
    return train, val


def bare_loop(model: nn.Module, train: DataLoader, val: DataLoader, epochs: int, device: torch.device) -> None:
    """The minimal correct loop: what ``fit`` is compared with."""
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    use_amp = device.type == "cuda"
    scaler = torch.amp.GradScaler("cuda", enabled=use_amp)
    for _ in range(epochs):
        model.train()
        for x, y in train:
            x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            with torch.autocast(device.type, dtype=torch.float16, enabled=use_amp):
                loss = loss_fn(model(x), y)
            optimizer.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
        model.eval()
        with torch.inference_mode():
            for x, _ in val:
                model(x.to(device, non_blocking=True))
    if device.type == "cuda":
        torch.cuda.synchronize()


def run_fit(model: nn.Module, train: DataLoader, val: DataLoader, epochs: int, device: torch.device) -> None:
    fit(model, train, val, epochs=epochs, device=device, live=False)  # progress bars on (default)
    if device.type == "cuda":
        torch.cuda.synchronize()


Loop = Callable[[nn.Module, DataLoader, DataLoader, int, torch.device], None]


def _timed(fn: Loop, template: nn.Module, train: DataLoader, val: DataLoader, epochs: int,
           device: torch.device) -> float:
    model = copy.deepcopy(template)
    torch.manual_seed(0)  # same shuffling and dropout masks for both loops
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        start = time.perf_counter()
        fn(model, train, val, epochs, device)
        return time.perf_counter() - start


def compare(device: torch.device, n_train: int, n_val: int, batch_size: int, epochs: int,
            repeats: int, width: int = 16) -> dict[str, float]:
    """Median seconds of ``fit`` and of the bare loop, and their ratio."""
    train, val = make_data(n_train, n_val, batch_size)
    torch.manual_seed(0)
    template = SmallCNN(width=width)
    _timed(bare_loop, template, train, val, 1, device)  # warm-up: lazy imports, allocator, cuDNN
    _timed(run_fit, template, train, val, 1, device)
    bare_s: list[float] = []
    fit_s: list[float] = []
    for i in range(repeats):  # ABBA order: drift in machine load cancels out
        order = [(bare_loop, bare_s), (run_fit, fit_s)]
        for fn, out in (order if i % 2 == 0 else order[::-1]):
            out.append(_timed(fn, template, train, val, epochs, device))
    return {
        "fit": statistics.median(fit_s),
        "bare": statistics.median(bare_s),
        "ratio": statistics.median(fit_s) / statistics.median(bare_s),
        "spread": (max(bare_s) - min(bare_s)) / statistics.median(bare_s),
    }


def _row(device: torch.device, result: dict[str, float], setting: str) -> dict[str, Any]:
    return {
        "name": f"training: fit / bare loop ({device.type})",
        "measured": result["ratio"],
        "budget": BUDGET,
        "unit": "×",
        "note": (f"median fit {result['fit']:.2f} s vs bare {result['bare']:.2f} s; {setting}; "
                 f"bare-run spread ±{result['spread'] / 2:.0%}"),
    }


def rows() -> list[dict[str, Any]]:
    out = []
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        size = sizes.for_module("bench_training")
        n_train, repeats = size.cpu_images, size.cpu_repeats
        result = compare(torch.device("cpu"), n_train, 512, batch_size=64, epochs=1, repeats=repeats)
        out.append(_row(torch.device("cpu"), result,
                        f"SmallCNN (20.5k params), {n_train} synthetic 28×28 images, batch 64, 1 epoch, 1 thread"))
    finally:
        torch.set_num_threads(threads)
    if torch.cuda.is_available():
        size = sizes.for_module("bench_training")
        n_train = size.gpu_images
        result = compare(torch.device("cuda"), n_train, 10_000, batch_size=256, epochs=1,
                         repeats=size.gpu_repeats, width=32)
        out.append(_row(torch.device("cuda"), result,
                        f"SmallCNN width 32, {n_train} images, batch 256, AMP, "
                        f"{torch.cuda.get_device_name(0)}"))
    return out


if __name__ == "__main__":
    from benchmarks.run import main

    raise SystemExit(main(["training"]))
