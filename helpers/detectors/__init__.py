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

The sizes lesson 07 trains with (and ``benchmarks/bench_detectors.py`` measures) are its table in
:mod:`helpers.sizes`: ``sizes.for_lesson("07")``.
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
    "measure_speed",
    "predict",
    "selective_search",
    "speed_from_timings",
    "train_detector",
    "yolo_loss",
]

