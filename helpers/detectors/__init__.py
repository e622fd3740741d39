"""The detectors of lesson 07: one-stage vs two-stage, measured on the shapes dataset.

=================  ==========  ==============================================================
detector           stages      where
=================  ==========  ==============================================================
TinyYOLO           one         :mod:`helpers.detectors.yolo` (from scratch, read it top to bottom)
MiniRCNN           two         :mod:`helpers.detectors.rcnn` (from scratch: selective search,
                               warped regions, CNN features, SVMs, box regression)
Faster R-CNN       two         :func:`~helpers.detectors.torchvision_models.build_faster_rcnn`
RetinaNet          one         :func:`~helpers.detectors.torchvision_models.build_retinanet`
SSDlite            one         :func:`~helpers.detectors.torchvision_models.build_ssdlite`
=================  ==========  ==============================================================

All five take ``Tensor[N, 3, H, W]`` images in [0, 1] and, in eval mode, return one dict per
image with ``boxes`` (xyxy pixels), ``scores`` and ``labels`` (1..K). The shared tools are in
:mod:`helpers.detectors.common`: ``train_detector`` (YOLO, Faster R-CNN, SSDlite; the mini R-CNN
has its own ``fit``), ``predict``, ``evaluate_detector`` and ``measure_speed``.

:func:`lesson_plan` holds the sizes lesson 07 trains with (and ``benchmarks/bench_detectors.py``
measures), from the profile.
"""
from helpers.detectors.common import (
    DetectorHistory,
    check_targets,
    count_flops,
    evaluate_detector,
    measure_speed,
    predict,
    speed_from_timings,
    train_detector,
)
from helpers.detectors.rcnn import MiniRCNN, label_proposals, selective_search
from helpers.detectors.torchvision_models import build_faster_rcnn, build_retinanet, build_ssdlite
from helpers.detectors.yolo import TinyYOLO, decode_yolo, encode_targets, yolo_loss
from helpers.environment import by_profile

__all__ = [
    "DetectorHistory",
    "MiniRCNN",
    "TinyYOLO",
    "build_faster_rcnn",
    "build_retinanet",
    "build_ssdlite",
    "check_targets",
    "count_flops",
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
    (test images every detector is timed on, in one batch), ``speed_repeats`` (timing rounds: the
    lesson times every detector once per round, after one untimed warm-up pass, and keeps its
    best round), ``time_budget_s`` (seconds each detector may train,
    its share of the notebook budget) and, per detector (``"yolo"``, ``"retinanet"``,
    ``"faster_rcnn"``, ``"rcnn"``, ``"ssdlite"``): ``images`` (how many training images it uses),
    ``model`` (constructor keywords) and ``fit`` (keywords of ``train_detector``, or of
    ``MiniRCNN.fit``; ``None``: built and timed only, not trained).

    Equal training budgets: TinyYOLO, RetinaNet and Faster R-CNN (the three detectors on the same
    backbone and input size) train on the same images for the same epochs with the same batch
    size; the mini R-CNN has its own, different schedule (its CNN sees warped regions, not
    images), which the lesson's table shows. SSDlite is built only to show SSD's default boxes.

    Measured on 2 CPU cores (quick profile, 2026-12-01): a training step of batch 8 at 128 px took
    0.059 s (TinyYOLO), 0.078 s (RetinaNet) and 0.168 s (Faster R-CNN); the quick notebook's cells
    ran in 30 s. Full, estimated from those step times: 1,000 steps each → about 5 min of training
    for the three, plus about 1 min for the mini R-CNN and 1 min of evaluation and timing: about
    7–8 min of the 15-min budget on 2 CPU cores (≤ 3 min on a GPU). Quick: ≤ 90 s.
    """
    return by_profile(
        full={
            "image_size": 128, "train_images": 1600, "test_images": 300,
            "speed_images": 16, "speed_repeats": 3,
            "time_budget_s": {"yolo": 120, "retinanet": 160, "faster_rcnn": 300, "rcnn": 120},
            "yolo": {"images": 1600, "model": {"boxes_per_cell": 2},
                     "fit": {"epochs": 5, "batch_size": 8, "lr": 3e-3}},
            "retinanet": {"images": 1600, "model": {},
                          "fit": {"epochs": 5, "batch_size": 8, "lr": 3e-3}},
            "faster_rcnn": {"images": 1600, "model": {"backbone": "small"},
                            "fit": {"epochs": 5, "batch_size": 8, "lr": 3e-3}},
            "rcnn": {"images": 300, "model": {}, "fit": {"epochs": 3}},
            "ssdlite": {"images": 0, "model": {"image_size": 320}, "fit": None},
        },
        quick={
            "image_size": 128, "train_images": 96, "test_images": 24,
            "speed_images": 8, "speed_repeats": 2,
            "time_budget_s": {"yolo": 8, "retinanet": 10, "faster_rcnn": 14, "rcnn": 12},
            "yolo": {"images": 96, "model": {"boxes_per_cell": 2},
                     "fit": {"epochs": 3, "batch_size": 8, "lr": 3e-3}},
            "retinanet": {"images": 96, "model": {},
                          "fit": {"epochs": 3, "batch_size": 8, "lr": 3e-3}},
            "faster_rcnn": {"images": 96, "model": {"backbone": "small"},
                            "fit": {"epochs": 3, "batch_size": 8, "lr": 3e-3}},
            "rcnn": {"images": 24, "model": {}, "fit": {"epochs": 2}},
            "ssdlite": {"images": 0, "model": {"image_size": 320}, "fit": None},
        },
    )
