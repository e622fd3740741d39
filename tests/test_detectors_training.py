"""Each detector of lesson 07 overfits a handful of images: its loss falls and mAP50 on them >= 0.9.

Tiny on purpose (8 images of 64 px plus one empty image, a few dozen steps) so that the file
stays within the CPU budget; every model is trained once (module-scoped fixtures) and shared by
the tests that inspect it.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

from helpers.average_precision import evaluate_detections
from helpers.detectors.common import evaluate_detector, measure_speed, num_classes_of, predict, train_detector
from helpers.detectors.rcnn import MiniRCNN
from helpers.detectors.torchvision_models import build_faster_rcnn, build_retinanet, build_ssdlite
from helpers.detectors.yolo import STRIDE, TinyYOLO
from helpers.shapes import ShapesConfig, generate

IMAGE_SIZE = 64
NUM_CLASSES = 3


pytestmark = pytest.mark.usefixtures("one_torch_thread")  # tiny models: a second thread only waits


@pytest.fixture(scope="module")
def tiny_set():
    """8 shapes images (18 objects, 6 per class) and one image without objects."""
    ds = generate(ShapesConfig(image_size=IMAGE_SIZE, num_images=8, max_objects=3, min_size=6, max_size=24, seed=6))
    items = [ds[i] for i in range(len(ds))]
    empty = (torch.full((3, IMAGE_SIZE, IMAGE_SIZE), 0.45),
             {"boxes": torch.zeros(0, 4), "labels": torch.zeros(0, dtype=torch.int64), "image_id": 8})
    items.append(empty)
    # YOLO gives each grid cell one object: make sure no two centres share a cell here.
    for _, target in items:
        centres = ((target["boxes"][:, :2] + target["boxes"][:, 2:]) / 2 // STRIDE).long()
        assert len(torch.unique(centres, dim=0)) == len(centres)
    return items


def _check_detections(preds, n):
    assert len(preds) == n
    for p in preds:
        assert set(p) >= {"boxes", "scores", "labels"}
        assert p["boxes"].shape == (len(p["scores"]), 4) and p["labels"].dtype == torch.int64
        if len(p["scores"]):
            assert p["boxes"].min() >= 0 and p["boxes"].max() <= IMAGE_SIZE
            assert p["labels"].min() >= 1 and p["labels"].max() <= NUM_CLASSES


def _map50(detector, items) -> dict:
    return evaluate_detector(detector, items)


def _assert_overfits(model, history, items):
    """The loss fell to under 30 % of its start, and the detections on ``items`` reach AP50 >= 0.9."""
    assert np.mean(history.step_loss[-5:]) < 0.3 * np.mean(history.step_loss[:5])
    _check_detections(predict(model, items), len(items))
    result = _map50(model, items)
    assert result["AP50"] >= 0.9, result["AP50"]


# ============================================================================ YOLO-style
@pytest.fixture(scope="module")
def yolo(tiny_set):
    torch.manual_seed(0)
    model = TinyYOLO(NUM_CLASSES, image_size=IMAGE_SIZE, boxes_per_cell=2)
    history = train_detector(model, tiny_set, epochs=80, batch_size=9, lr=3e-3, progress=False)
    return model, history


def test_yolo_loss_falls_and_it_overfits(yolo, tiny_set):
    model, history = yolo
    assert history.epoch_loss[-1] < 0.05 * history.epoch_loss[0]
    result = _map50(model, tiny_set)
    assert result["AP50"] >= 0.9, result["AP50"]


def test_yolo_predictions_feed_evaluate_detections(yolo, tiny_set):
    model, _ = yolo
    preds = predict(model, tiny_set, batch_size=4)
    _check_detections(preds, len(tiny_set))
    assert all(torch.all(p["scores"][:-1] >= p["scores"][1:]) for p in preds)
    gts = [t for _, t in tiny_set]
    assert evaluate_detections(gts, preds)["AP50"] >= 0.9
    # The empty image: nothing confident.
    assert preds[-1]["scores"].numel() == 0 or preds[-1]["scores"].max() < 0.5


def test_measure_speed_on_a_real_detector(yolo, tiny_set):
    model, _ = yolo
    images = torch.stack([image for image, _ in tiny_set])
    rate = measure_speed(model, images, warmup=1, repeats=2)
    assert np.isfinite(rate) and rate > 0
    assert not model.training


# ============================================================================ mini R-CNN
@pytest.fixture(scope="module")
def rcnn(tiny_set):
    torch.manual_seed(0)
    return MiniRCNN(NUM_CLASSES).fit(tiny_set, epochs=10, progress=False)


def test_rcnn_overfits(rcnn, tiny_set):
    history = rcnn.cnn_history
    assert history.train_loss[-1] < 0.5 * history.train_loss[0]
    assert all(svm is not None for svm in rcnn.svms) and all(r is not None for r in rcnn.regressors)
    assert set(rcnn.fit_seconds) == {"proposals", "cnn", "svm", "regression"}
    result = _map50(rcnn, tiny_set)
    assert result["AP50"] >= 0.9, result["AP50"]


def test_rcnn_labels_each_stage_as_the_paper_does(tiny_set):
    """Fine-tuning: IoU >= 0.5 → class, else background (no -1). SVMs: only GT boxes positive."""
    model = MiniRCNN(NUM_CLASSES)
    sample = model._sample_regions(tiny_set, (8, 24, 32), torch.Generator().manual_seed(0), progress=False)
    assert set(sample["ft_labels"].unique().tolist()) <= {0, 1, 2, 3}
    n_gt = sum(len(t["boxes"]) for _, t in tiny_set)
    assert int((sample["svm_labels"] > 0).sum()) == n_gt  # exactly the GT boxes
    negatives = sample["svm_labels"] == 0
    assert negatives.sum() > 0 and len(sample["svm_crops"]) == len(sample["svm_labels"])
    assert len(sample["ft_crops"]) == len(sample["ft_labels"]) == len(sample["ft_boxes"])
    # positives : background at most 8 : 24 per image
    assert int((sample["ft_labels"] > 0).sum()) <= 8 * len(tiny_set)


def test_rcnn_svm_stats_and_hard_negatives(rcnn):
    assert set(rcnn.svm_stats) == {1, 2, 3}
    for stats in rcnn.svm_stats.values():
        assert stats["positives"] == 6 and stats["negatives"] >= stats["hard_negatives_added"] >= 0


def test_rcnn_predictions(rcnn, tiny_set):
    preds = predict(rcnn, tiny_set)
    _check_detections(preds, len(tiny_set))
    assert all(((p["scores"] > 0) & (p["scores"] < 1)).all() for p in preds)


# ============================================================================ torchvision models
@pytest.fixture(scope="module")
def faster_rcnn(tiny_set):
    torch.manual_seed(0)
    model = build_faster_rcnn(NUM_CLASSES, IMAGE_SIZE, backbone="small")
    history = train_detector(model, tiny_set, epochs=50, batch_size=9, lr=2e-3, progress=False)
    return model, history


def test_faster_rcnn_overfits(faster_rcnn, tiny_set):
    model, history = faster_rcnn
    assert {"loss_classifier", "loss_box_reg", "loss_objectness", "loss_rpn_box_reg"} == set(history.parts)
    _assert_overfits(model, history, tiny_set)


def test_retinanet_overfits(tiny_set):
    torch.manual_seed(0)
    model = build_retinanet(NUM_CLASSES, IMAGE_SIZE)
    history = train_detector(model, tiny_set, epochs=50, batch_size=9, lr=3e-3, progress=False)
    assert {"classification", "bbox_regression"} == set(history.parts)
    _assert_overfits(model, history, tiny_set)


def test_retinanet_and_faster_rcnn_share_backbone_input_and_anchors():
    """The like-for-like pair of lesson 07: only the stages differ."""
    one = build_retinanet(NUM_CLASSES, 128)
    two = build_faster_rcnn(NUM_CLASSES, 128, backbone="small")
    assert str(one.backbone) == str(two.backbone)
    assert sum(p.numel() for p in one.backbone.parameters()) == sum(p.numel() for p in two.backbone.parameters())
    for attr in ("min_size", "max_size", "image_mean", "image_std"):
        assert getattr(one.transform, attr) == getattr(two.transform, attr)
    assert one.anchor_generator.sizes == two.rpn.anchor_generator.sizes
    assert one.anchor_generator.aspect_ratios == two.rpn.anchor_generator.aspect_ratios
    assert one.num_classes == NUM_CLASSES and num_classes_of(one) == NUM_CLASSES
    assert one.head.classification_head.cls_logits.out_channels == 15 * (NUM_CLASSES + 1)
    assert len(one.head.classification_head.conv) == 0
    assert len(build_retinanet(NUM_CLASSES, 128, head_convs=2).head.regression_head.conv) == 2
    with pytest.raises(ValueError, match="head_convs"):
        build_retinanet(NUM_CLASSES, 128, head_convs=-1)


def test_ssdlite_overfits(tiny_set):
    torch.manual_seed(0)
    # Batches of 4 (not all 9 images at once): with one fixed batch, SSDlite's BatchNorm on its
    # 1x1 maps learns the batch itself, and eval mode (running statistics) then fails.
    model = build_ssdlite(NUM_CLASSES, image_size=96)
    history = train_detector(model, tiny_set, epochs=30, batch_size=4, lr=5e-3, progress=False)
    assert history.steps == 30 * 2  # the last batch of one image is dropped
    _assert_overfits(model, history, tiny_set)


def test_torchvision_builders():
    model = build_faster_rcnn(NUM_CLASSES, 128)
    assert model.num_classes == NUM_CLASSES and model.roi_heads.box_predictor.cls_score.out_features == 4
    assert model.transform.min_size == (128,) and model.transform.max_size == 128
    assert model.rpn.anchor_generator.sizes[0] == (8, 16, 32, 64, 128)
    assert build_faster_rcnn(NUM_CLASSES, 128, upscale=2).transform.min_size == (256,)
    del model.num_classes  # read from the box predictor instead
    assert num_classes_of(model) == NUM_CLASSES
    ssd = build_ssdlite(NUM_CLASSES)
    assert ssd.num_classes == NUM_CLASSES and ssd.transform.fixed_size == (320, 320)
    assert ssd.head.classification_head.num_columns == 4
    del ssd.num_classes  # read from the head instead
    assert num_classes_of(ssd) == NUM_CLASSES
    assert build_ssdlite(NUM_CLASSES, image_size=128, nms_thresh=0.4).nms_thresh == 0.4
    with pytest.raises(ValueError, match="backbone"):
        build_faster_rcnn(NUM_CLASSES, backbone="resnet50")
    with pytest.raises(ValueError, match="anchor_sizes가 5개"):
        build_faster_rcnn(NUM_CLASSES, anchor_sizes=(8, 16))
    with pytest.raises(ValueError, match="num_classes"):
        build_ssdlite(0)
    with pytest.raises(ValueError, match="score_thresh"):
        build_ssdlite(NUM_CLASSES, size=128)


def test_torchvision_models_accept_images_without_objects(tiny_set):
    torch.manual_seed(0)
    model = build_ssdlite(NUM_CLASSES, image_size=64)
    empty = [tiny_set[-1], tiny_set[-1]]
    history = train_detector(model, empty, epochs=1, batch_size=2, progress=False)
    assert history.steps == 1 and np.isfinite(history.step_loss[0])
