"""The detectors of lesson 07: one-stage vs two-stage, measured on the shapes dataset.

=================  ==========  ==============================================================
detector           stages      where
=================  ==========  ==============================================================
TinyYOLO           one         :mod:`helpers.detectors.yolo` (from scratch, read it top to bottom)
MiniRCNN           two         :mod:`helpers.detectors.rcnn` (from scratch: selective search,
                               warped regions, CNN features, SVMs, box regression)
Faster R-CNN       two         :func:`~helpers.detectors.torchvision_models.build_faster_rcnn`
SSDlite            one         :func:`~helpers.detectors.torchvision_models.build_ssdlite`
=================  ==========  ==============================================================

All four take ``Tensor[N, 3, H, W]`` images in [0, 1] and, in eval mode, return one dict per
image with ``boxes`` (xyxy pixels), ``scores`` and ``labels`` (1..K). The shared tools are in
:mod:`helpers.detectors.common`: ``train_detector`` (YOLO, Faster R-CNN, SSDlite; the mini R-CNN
has its own ``fit``), ``predict``, ``evaluate_detector`` and ``measure_speed``.

:func:`lesson_plan` holds the sizes lesson 07 trains with (and ``benchmarks/bench_detectors.py``
measures), from the profile.
"""
from helpers.detectors.common import (
    DetectorHistory,
    check_targets,
    evaluate_detector,
    measure_speed,
    predict,
    speed_from_timings,
    train_detector,
)
from helpers.detectors.rcnn import MiniRCNN, label_proposals, selective_search
from helpers.detectors.torchvision_models import build_faster_rcnn, build_ssdlite
from helpers.detectors.yolo import TinyYOLO, decode_yolo, encode_targets, yolo_loss
from helpers.environment import by_profile

__all__ = [
    "DetectorHistory",
    "MiniRCNN",
    "TinyYOLO",
    "build_faster_rcnn",
    "build_ssdlite",
    "check_targets",
    "decode_yolo",
    "encode_targets",
    "evaluate_detector",
    "label_proposals",
    "lesson_plan",
    "measure_speed",
    "predict",
    "selective_search",
    "speed_from_timings",
    "train_detector",
    "yolo_loss",
]


def lesson_plan() -> dict:
    """Data sizes and training settings of lesson 07, from the profile (full / quick).

    Returns a dict with ``image_size``, ``train_images``, ``test_images``, ``speed_images``
    (test images every detector is timed on), ``speed_repeats`` (timed passes over them, after
    one untimed warm-up pass), ``time_budget_s`` (seconds each detector may train, its share of
    the notebook budget) and, per detector (``"yolo"``, ``"rcnn"``, ``"faster_rcnn"``,
    ``"ssdlite"``): ``images`` (how many training images it uses), ``model`` (constructor
    keywords) and ``fit`` (keywords of ``train_detector``, or of ``MiniRCNN.fit``; ``None`` would
    mean: timed only, not trained; ``benchmarks/bench_detectors.py`` supports it).

    Measured on one H100 (full profile): mAP50 0.88–0.92 YOLO, 0.98 mini R-CNN, 0.97 Faster R-CNN,
    0.94 SSDlite, each trained in < 30 s; the whole lesson-07 notebook ran in 95 s. On 2 free CPU
    cores a training step took 0.06 s (TinyYOLO, batch 8), 0.17 s (Faster R-CNN, small backbone,
    batch 8) and 0.17 s (SSDlite at 128 px, batch 8; at 256 px, the full profile's size, about 4×
    that, estimated): the full notebook is estimated at 8–9 min on 2 CPU cores; the quick
    notebook's cells ran in 29 s there.
    SSDlite resizes images to ``model["image_size"]`` inside the model: 256 in the full profile
    (its finest feature map becomes 16×16 instead of 8×8; measured mAP50 0.94 vs 0.70 at 128).

    Full: ≤ 15 min for the whole notebook on 2 CPU cores (≤ 3 min on a GPU); quick: ≤ 90 s
    (aim ≤ 60 s).
    """
    return by_profile(
        full={
            "image_size": 128, "train_images": 1600, "test_images": 300,
            "speed_images": 32, "speed_repeats": 3,
            "time_budget_s": {"yolo": 200, "rcnn": 120, "faster_rcnn": 200, "ssdlite": 360},
            "yolo": {"images": 1600, "model": {"boxes_per_cell": 2},
                     "fit": {"epochs": 4, "batch_size": 8, "lr": 3e-3}},
            "rcnn": {"images": 300, "model": {}, "fit": {"epochs": 3}},
            "faster_rcnn": {"images": 800, "model": {"backbone": "small"},
                            "fit": {"epochs": 4, "batch_size": 8, "lr": 2e-3}},
            "ssdlite": {"images": 800, "model": {"image_size": 256},
                        "fit": {"epochs": 4, "batch_size": 8, "lr": 5e-3}},
        },
        quick={
            "image_size": 128, "train_images": 96, "test_images": 24,
            "speed_images": 8, "speed_repeats": 1,
            "time_budget_s": {"yolo": 12, "rcnn": 10, "faster_rcnn": 12, "ssdlite": 10},
            "yolo": {"images": 96, "model": {"boxes_per_cell": 2},
                     "fit": {"epochs": 3, "batch_size": 8, "lr": 3e-3}},
            "rcnn": {"images": 24, "model": {}, "fit": {"epochs": 2}},
            "faster_rcnn": {"images": 96, "model": {"backbone": "small"},
                            "fit": {"epochs": 2, "batch_size": 4, "lr": 2e-3}},
            "ssdlite": {"images": 96, "model": {"image_size": 128},
                        "fit": {"epochs": 2, "batch_size": 8, "lr": 5e-3}},
        },
    )
