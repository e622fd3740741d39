"""How much work each lesson does, per profile: one table per lesson, read in one cell.

``COURSE_PROFILE`` (:func:`helpers.environment.get_profile`) selects ``full`` (what learners run)
or ``quick`` (what CI runs). Every size that depends on it lives in :data:`TABLES`, once: each
leaf is a ``(full, quick)`` pair, so the two profiles of a lesson always have the same keys and
a reader sees what the quick profile changes on one line. A lesson reads its sizes in one cell
near the top; scripts (benchmarks) ask for a profile::

    size = sizes.show("03")            # prints full vs quick (which is active), returns the active values
    size.epochs                         # this profile's value; size["epochs"] works too
    plan = sizes.for_lesson("07", profile="full")

Nested tables (lesson 07's plan per detector) come back as nested :class:`Sizes`, which are
dicts, so ``**size.yolo.fit`` passes keywords. ``None`` as a data size means "all of it".
The code path never changes with the profile: only these numbers do.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from helpers.environment import PROFILES, get_profile

__all__ = ["TABLES", "Sizes", "for_lesson", "for_module", "show"]

# Each leaf is a (full, quick) pair; a dict is a nested table (same rule inside).
TABLES: dict[str, dict[str, Any]] = {  # keys ending in _train/_test are dataset sizes
    "01": {
        "mnist_train": (None, 2000),  # images loaded (None: all); 20 % of them become validation
        "mnist_test": (None, 500),
        "epochs": (2, 1),
    },
    "02": {
        "mnist_train": (None, 1000),
        "mnist_test": (None, 300),
        "cifar_train": (None, 1000),
        "cifar_test": (None, 300),
        "linear_steps": (600, 300),  # SGD steps of the linear models (raw vs normalised pixels)
        "epochs": (3, 1),  # MNIST vs CIFAR-10 difficulty: epochs of SmallCNN on each
    },
    "03": {
        "mnist_train": (None, 800),
        "mnist_test": (None, 300),
        "cifar_train": (None, 200),
        "cifar_test": (None, 100),
        "epochs": (4, 1),  # the MNIST pipeline
        "bn_probe_images": (500, 100),  # validation images predicted with and without eval()
        # CIFAR-10 trains for min(max_epochs, what fits in the budget) epochs; quick: always 2
        "cifar_budget_s": (100, 100),  # seconds of CIFAR-10 training allowed
        "cifar_max_epochs": (30, 2),
        "ablation_train": (4000, 160),  # at most the CIFAR training split
        "ablation_val": (2000, 40),
        "ablation_epochs": (10, 2),
    },
    "04": {
        "mnist_train": (None, 2000),
        "mnist_test": (None, 500),
        "epochs": (3, 1),
    },
    "05": {
        "mnist_train": (4000, 1000),  # five models are trained on it
        "mnist_test": (1000, 300),
        "epochs": (4, 2),
    },
    "06": {
        "num_images": (1000, 100),  # shapes images generated for the lesson's examples
    },
    "07": {
        "image_size": (128, 128),
        "train_images": (1600, 32),
        "test_images": (300, 12),
        "speed_images": (16, 4),  # test images every detector is timed on, in one batch
        "speed_repeats": (3, 2),  # timing rounds (after one untimed warm-up); the best is kept
        "time_budget_s": {  # seconds each detector may train (benchmarks/bench_detectors.py)
            "yolo": (120, 8),
            "retinanet": (160, 10),
            "faster_rcnn": (300, 14),
            "rcnn": (120, 12),
        },
        # Per detector: training images, constructor keywords, training keywords (None: built
        # and timed only). TinyYOLO, RetinaNet and Faster R-CNN share one budget (same images,
        # epochs, batch size); the mini R-CNN trains on warped regions, on its own schedule.
        "yolo": {
            "images": (1600, 32),
            "model": {"boxes_per_cell": (2, 2)},
            "fit": {"epochs": (5, 2), "batch_size": (8, 8), "lr": (3e-3, 3e-3)},
        },
        "retinanet": {
            "images": (1600, 32),
            "model": {},
            "fit": {"epochs": (5, 2), "batch_size": (8, 8), "lr": (3e-3, 3e-3)},
        },
        "faster_rcnn": {
            "images": (1600, 32),
            "model": {"backbone": ("small", "small")},
            "fit": {"epochs": (5, 2), "batch_size": (8, 8), "lr": (3e-3, 3e-3)},
        },
        "rcnn": {"images": (300, 12), "model": {}, "fit": {"epochs": (3, 1)}},
        "ssdlite": {"images": (0, 0), "model": {"image_size": (320, 320)}, "fit": (None, None)},
    },
    # Defaults of helpers modules (not lessons): helpers.shapes.
    "shapes": {
        "num_images": (1000, 100),  # ShapesConfig().num_images
        "splits": ((2000, 300, 300), (160, 40, 40)),  # shapes.splits: train, validation, test
    },
    # Sizes of the benchmarks (benchmarks/bench_*.py), read with for_module("bench_…").
    "bench_training": {
        "cpu_images": (4096, 1024), "cpu_repeats": (7, 3),
        "gpu_images": (60_000, 8192), "gpu_repeats": (5, 3),
    },
    "bench_cam": {"image_size": (224, 96), "batch": (8, 4), "repeats": (5, 3)},
    "bench_map": {"num_images": (1000, 100)},
    # largest allowed 1 - mAP50 per trained detector (quick: no accuracy budget)
    "bench_detectors": {"max_1_minus_map50": {
        "yolo": (0.3, 1.0), "retinanet": (1.0, 1.0), "faster_rcnn": (0.2, 1.0), "rcnn": (1.0, 1.0)}},
}
_MODULES = ("shapes", "bench_training", "bench_cam", "bench_map", "bench_detectors")


class Sizes(dict[str, Any]):
    """The sizes of one profile: a dict whose keys also read as attributes (``size.epochs``)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(
                f"크기 표에 {name!r} 항목이 없습니다. 있는 항목: {', '.join(self)}"
            ) from None


def _check_profile(profile: str | None) -> str:
    if profile is None:
        return get_profile()
    if profile not in PROFILES:
        raise ValueError(
            f"profile은 {' 또는 '.join(repr(p) for p in PROFILES)} 이어야 합니다 "
            f"(생략하면 COURSE_PROFILE을 따릅니다). 받은 값: {profile!r}"
        )
    return profile


def _pick(table: Mapping[str, Any], index: int) -> Sizes:
    picked = Sizes()
    for key, value in table.items():
        picked[key] = _pick(value, index) if isinstance(value, Mapping) else value[index]
    return picked


def _table(name: str, kind: str, names: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(name, str) or name not in names:
        raise ValueError(
            f"{kind} {name!r} 의 크기 표가 없습니다. 있는 {kind}: {', '.join(names)}"
        )
    return TABLES[name]


def _lessons() -> tuple[str, ...]:
    return tuple(k for k in TABLES if k not in _MODULES)


def for_lesson(lesson: str, profile: str | None = None) -> Sizes:
    """The sizes lesson ``lesson`` (``"01"`` … ``"07"``) uses in ``profile``.

    ``profile`` defaults to the active one (``COURSE_PROFILE``); benchmarks pass ``"full"``.
    An unknown lesson or profile raises ``ValueError`` with a Korean message.
    """
    index = PROFILES.index(_check_profile(profile))
    return _pick(_table(lesson, "레슨", _lessons()), index)


def for_module(module: str, profile: str | None = None) -> Sizes:
    """The profile-dependent sizes of a helpers module (``"shapes"``) or a benchmark
    (``"bench_cam"``, ``"bench_detectors"``, ``"bench_map"``, ``"bench_training"``), like :func:`for_lesson`."""
    index = PROFILES.index(_check_profile(profile))
    return _pick(_table(module, "모듈", _MODULES), index)


def _rows(table: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any, Any]]:
    rows: list[tuple[str, Any, Any]] = []
    for key, value in table.items():
        if isinstance(value, Mapping):
            rows += _rows(value, f"{prefix}{key}.")
        else:
            rows.append((prefix + key, value[0], value[1]))
    return rows


def _format(key: str, value: Any) -> str:
    if value is None:  # a data size: all of the dataset; anything else: not used
        return "전부" if key.endswith(("_train", "_test")) else "없음"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def show(lesson: str) -> Sizes:
    """Print lesson ``lesson``'s table (full vs quick, the active profile marked) and return its sizes.

    ``None`` shows as ``전부`` (all of the dataset) for a data size, else as ``없음`` (not used).
    """
    table = _table(lesson, "레슨", _lessons())
    active = get_profile()
    rows = _rows(table)
    width = max(len(name) for name, _, _ in rows)
    marks = {p: " (지금)" if p == active else "" for p in PROFILES}
    print(f"레슨 {lesson}의 크기 — 프로파일(profile): {active}")
    print(f"{'항목':<{width}}  {'full' + marks['full']:>14}  {'quick' + marks['quick']:>14}  ")
    for name, full, quick in rows:
        changed = "" if full == quick else "  ← quick에서 줄임"
        print(f"{name:<{width}}  {_format(name, full):>14}  {_format(name, quick):>14}{changed}")
    return for_lesson(lesson)
