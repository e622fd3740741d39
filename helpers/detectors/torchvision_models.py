"""torchvision's detectors as lesson 07's library references: Faster R-CNN, RetinaNet, SSDlite.

Both are built untrained and offline (``weights=None, weights_backbone=None``), with
``num_classes = K + 1`` (torchvision counts the background as class 0, which matches the
shapes dataset's labels 1..K), and ``model.num_classes = K``. They follow the protocol of
:mod:`helpers.detectors.common`: ``train_detector`` trains them, ``predict`` and
``measure_speed`` run them.

* :func:`build_faster_rcnn`: the two-stage Faster R-CNN. Its proposals come from a small
  network (the RPN) on the same feature maps the box head uses, which is what makes it so much
  faster than R-CNN. Backbone ``"mobilenet_v3"`` is ``fasterrcnn_mobilenet_v3_large_320_fpn``;
  ``"small"`` is our YOLO-style CNN (the same one as :class:`~helpers.detectors.yolo.TinyYOLO`).
* :func:`build_retinanet`: the one-stage RetinaNet (Lin et al., ICCV 2017: dense anchors + focal
  loss). With ``backbone="small"`` it has exactly the backbone, input size and anchors of
  ``build_faster_rcnn(backbone="small")``: the like-for-like one-stage vs two-stage pair whose
  speed and accuracy lesson 07 compares. Both use torchvision's C++ NMS.
* :func:`build_ssdlite`: the one-stage SSDlite (``ssdlite320_mobilenet_v3_large``).

Settings that matter on 128-px images and a CPU (measured):

* Faster R-CNN resizes every image so that its shorter side is 320–640 px by default; we set
  ``min_size = max_size = image_size * upscale`` (``upscale=1``: no resizing). The RPN and box
  head sample fewer regions than the COCO defaults (made for 800-px photos), which halves the
  time per step, and the anchors are 8–128 px instead of 32–512 px, to fit objects of 5–48 px.
* MobileNetV3's feature maps are 32× smaller than the input: 4×4 for a 128-px image, too coarse
  for 6-px objects. From scratch on 800 images it reached mAP50 ≈ 0.49 at ``upscale=2`` in
  7 CPU-minutes, while the ``"small"`` backbone (8× smaller maps: 16×16) trains several times
  faster per image and reaches a far higher mAP50 (numbers in ``benchmarks/bench_detectors.py``).
* SSDlite is built for 320×320 inputs and resizes every image to that size inside the model
  (the boxes it returns are in the original image's pixels); ``image_size`` changes that
  internal size (its default boxes are relative to the image, so they follow).
* SSDlite's BatchNorm momentum is 0.1 here instead of torchvision's 0.03 (tuned for a 600-epoch
  schedule): after a few hundred steps the running statistics used in eval mode would still be
  mostly their initial values.
"""
from __future__ import annotations

from functools import partial
from typing import Any

from torch import nn

from helpers import checks

__all__ = ["build_faster_rcnn", "build_retinanet", "build_ssdlite"]


def _check_sizes(num_classes: int, image_size: int) -> None:
    checks.positive_int("num_classes", num_classes)
    if checks.positive_int("image_size", image_size) < 32:
        raise ValueError(f"image_size는 32 이상이어야 합니다 (MobileNetV3는 32배 줄입니다). 받은 값: {image_size}.")


def build_faster_rcnn(num_classes: int, image_size: int = 128, backbone: str = "mobilenet_v3",
                      upscale: float = 1.0, anchor_sizes: tuple[int, ...] = (8, 16, 32, 64, 128),
                      **overrides: Any) -> nn.Module:
    """Faster R-CNN, untrained, for K classes.

    Two backbones:

    * ``"mobilenet_v3"``: torchvision's ``fasterrcnn_mobilenet_v3_large_320_fpn`` (MobileNetV3-Large
      + FPN, 19 M parameters). Its feature maps are 32× smaller than its input: a 128-px image
      gives 4×4 maps, coarse for 6-px objects (``upscale`` helps, at ``upscale²`` the cost).
    * ``"small"``: the CNN of :class:`~helpers.detectors.yolo.TinyYOLO`
      (:func:`~helpers.detectors.yolo.tiny_backbone`: one 16×16 map for a 128-px image, 2 M
      parameters with the heads), put into torchvision's
      ``FasterRCNN`` the way torchvision's tutorial swaps backbones. The same backbone as our
      one-stage detector: a like-for-like one-stage vs two-stage comparison, several times faster.

    Both use fewer RPN proposals and sampled regions than the COCO defaults (made for 800-px
    photos); that halves the time per step on small images.

    Args:
        num_classes: K, the number of object classes (the model gets K + 1 outputs).
        image_size: side of the input images in pixels.
        backbone: ``"mobilenet_v3"`` or ``"small"``.
        upscale: the model resizes images to ``image_size * upscale`` internally.
        anchor_sizes: anchor sizes in pixels (at the internal size), each with aspect ratios
            0.5, 1 and 2. ``"mobilenet_v3"`` needs exactly 5 (torchvision's default is 32–512).
        **overrides: any other ``torchvision.models.detection.FasterRCNN`` argument, e.g.
            ``box_score_thresh``.

    Returns:
        torchvision ``FasterRCNN`` with ``model.num_classes = K``.
    """
    from torchvision.models.detection import FasterRCNN, fasterrcnn_mobilenet_v3_large_320_fpn
    from torchvision.models.detection.anchor_utils import AnchorGenerator
    from torchvision.models.detection.faster_rcnn import FastRCNNPredictor, TwoMLPHead
    from torchvision.ops import MultiScaleRoIAlign

    from helpers.detectors.yolo import tiny_backbone

    _check_sizes(num_classes, image_size)
    if backbone not in ("mobilenet_v3", "small"):
        raise ValueError(f"backbone은 'mobilenet_v3' 또는 'small'이어야 합니다. 받은 값: {backbone!r}.")
    anchor_sizes = tuple(int(a) for a in anchor_sizes)
    if backbone == "mobilenet_v3" and len(anchor_sizes) != 5:
        raise ValueError(
            f"mobilenet_v3 백본에는 anchor_sizes가 5개 필요합니다 (RPN 헤드가 위치마다 5×3개 앵커를 예측). "
            f"받은 값: {anchor_sizes!r}."
        )
    internal = int(round(image_size * upscale))
    settings = dict(
        min_size=internal, max_size=internal,  # no resizing to 320-640 px
        rpn_pre_nms_top_n_train=300, rpn_post_nms_top_n_train=150,  # fewer proposals than for COCO
        rpn_pre_nms_top_n_test=150, rpn_post_nms_top_n_test=100,
        rpn_batch_size_per_image=128, box_batch_size_per_image=32,
        box_score_thresh=0.01, box_detections_per_img=100,
    )
    settings.update(overrides)
    if backbone == "mobilenet_v3":
        model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None,
                                                     num_classes=num_classes + 1, **settings)
        # Same number of anchors per location (5 sizes x 3 ratios), so the RPN head still fits.
        model.rpn.anchor_generator = AnchorGenerator((anchor_sizes,) * 3, ((0.5, 1.0, 2.0),) * 3)
    else:
        features = tiny_backbone()  # TinyYOLO's CNN: 16x16 maps for 128-px images
        representation = 256  # the box head's hidden size (torchvision's default 1024 is for COCO)
        model = FasterRCNN(
            features,
            rpn_anchor_generator=AnchorGenerator((anchor_sizes,), ((0.5, 1.0, 2.0),)),
            # One feature map, 7x7 bins with one sample each: RoIAlign's backward pass is the
            # slowest step on a CPU, and this quarters it.
            box_roi_pool=MultiScaleRoIAlign(["0"], output_size=7, sampling_ratio=1),
            box_head=TwoMLPHead(features.out_channels * 7 * 7, representation),
            box_predictor=FastRCNNPredictor(representation, num_classes + 1),
            **settings,
        )
    model.num_classes = num_classes
    return model


def build_retinanet(num_classes: int, image_size: int = 128, anchor_sizes: tuple[int, ...] = (8, 16, 32, 64, 128),
                    head_convs: int = 0, **overrides: Any) -> nn.Module:
    """RetinaNet (one stage: a class and a box for every anchor, trained with focal loss), untrained.

    Built on the same pieces as ``build_faster_rcnn(backbone="small")``, so the two differ only in
    what makes one detector one-stage and the other two-stage:

    * backbone: :func:`~helpers.detectors.yolo.tiny_backbone` (one 16×16 map for 128-px images);
    * input: ``min_size = max_size = image_size`` (no resizing), torchvision's ImageNet mean/std;
    * anchors: ``anchor_sizes`` × ratios (0.5, 1, 2) on that map (15 per position by default);
    * head: ``head_convs`` hidden 3×3 convolutions per branch before the 3×3 output convolutions
      (torchvision's COCO default is 4; the default 0 makes the dense head cost about what the
      RPN head of Faster R-CNN costs, so a comparison of the two is about the second stage);
    * loss: sigmoid focal loss (alpha 0.25, gamma 2) over all anchors, IoU >= 0.5 foreground,
      < 0.4 background (torchvision's defaults, the paper's values);
    * output: the best 150 candidates before NMS (``topk_candidates``; the Faster R-CNN's RPN also
      keeps 150 before its NMS), score > 0.01, class-wise NMS at IoU 0.5 (torchvision's C++
      ``batched_nms``), at most 100 detections per image, like our Faster R-CNN.

    Args:
        num_classes: K, the number of object classes (torchvision gets K + 1 columns; column 0,
            the background, is never a target).
        image_size: side of the input images in pixels.
        anchor_sizes: anchor sizes in pixels, each with aspect ratios 0.5, 1 and 2.
        head_convs: 3×3 convolutions in each of the two head branches.
        **overrides: any other ``torchvision.models.detection.RetinaNet`` argument.

    Returns:
        torchvision ``RetinaNet`` with ``model.num_classes = K``.
    """
    import torch
    from torchvision.models.detection import RetinaNet
    from torchvision.models.detection.anchor_utils import AnchorGenerator
    from torchvision.models.detection.retinanet import RetinaNetHead
    from torchvision.ops.misc import Conv2dNormActivation

    from helpers.detectors.yolo import tiny_backbone

    _check_sizes(num_classes, image_size)
    checks.non_negative_int("head_convs", head_convs)
    features = tiny_backbone()
    anchors = AnchorGenerator((tuple(int(a) for a in anchor_sizes),), ((0.5, 1.0, 2.0),))
    head = RetinaNetHead(features.out_channels, anchors.num_anchors_per_location()[0], num_classes + 1)
    for branch in (head.classification_head, head.regression_head):
        convs = [Conv2dNormActivation(features.out_channels, features.out_channels, norm_layer=None)
                 for _ in range(head_convs)]
        for conv in convs:  # torchvision's initialisation of these layers
            torch.nn.init.normal_(conv[0].weight, std=0.01)
            torch.nn.init.zeros_(conv[0].bias)
        branch.conv = nn.Sequential(*convs)
    settings = dict(min_size=image_size, max_size=image_size, score_thresh=0.01, nms_thresh=0.5,
                    detections_per_img=100, topk_candidates=150)
    settings.update(overrides)
    model = RetinaNet(features, num_classes + 1, anchor_generator=anchors, head=head, **settings)
    model.num_classes = num_classes
    return model


def build_ssdlite(num_classes: int, image_size: int = 320, **overrides: Any) -> nn.Module:
    """SSDlite with a MobileNetV3-Large backbone, untrained, for K classes.

    Args:
        num_classes: K, the number of object classes (the model gets K + 1 outputs).
        image_size: the size every image is resized to inside the model. The default 320 is
            what the architecture was designed for; 128-px images are upscaled to it.
            Smaller sizes train faster but the last feature maps shrink to 1×1 (training
            batches must then hold at least 2 images: BatchNorm needs two values per channel).
        **overrides: attributes of torchvision's ``SSD`` to change, e.g. ``score_thresh``
            (default 0.01), ``nms_thresh`` (0.55), ``detections_per_img`` (100).

    Returns:
        torchvision ``SSD`` with ``model.num_classes = K``.
    """
    from torchvision.models.detection import ssdlite320_mobilenet_v3_large

    _check_sizes(num_classes, image_size)
    # torchvision's BatchNorm momentum for SSDlite (0.03) suits its 600-epoch COCO schedule: after
    # a few hundred steps the running statistics used in eval mode would still be mostly their
    # initial values. 0.1 (PyTorch's default) follows training.
    norm_layer = partial(nn.BatchNorm2d, eps=0.001, momentum=0.1)
    model = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=num_classes + 1,
                                          norm_layer=norm_layer)
    # The builder fixes 320×320 and rejects size=; the resize step is one attribute away.
    model.transform.min_size = (image_size,)
    model.transform.max_size = image_size
    model.transform.fixed_size = (image_size, image_size)
    model.score_thresh = 0.01
    model.detections_per_img = 100
    for name, value in overrides.items():
        if not hasattr(model, name):
            raise ValueError(f"SSD에는 '{name}' 설정이 없습니다. 예: score_thresh, nms_thresh, detections_per_img, topk_candidates.")
        setattr(model, name, value)
    model.num_classes = num_classes
    return model
