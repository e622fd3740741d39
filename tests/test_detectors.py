"""Unit tests of lesson 07's detectors: pieces against references, bad inputs, speed measurement.

The overfitting tests (each detector learns a handful of images) are in
``tests/test_detectors_training.py``.
"""
from __future__ import annotations

import time

import numpy as np
import pytest
import torch
from torch import nn

from helpers.boxes import box_iou
from helpers.detectors.common import (
    DetectorHistory,
    check_images,
    check_targets,
    measure_speed,
    num_classes_of,
    predict,
    train_detector,
    warmup_cosine,
)
from helpers.detectors.rcnn import (
    MiniRCNN,
    decode_box_deltas,
    encode_box_deltas,
    label_proposals,
    selective_search,
    warp_regions,
)
from helpers.detectors.yolo import TinyYOLO, decode_yolo, encode_targets, yolo_loss
from helpers.shapes import ShapesConfig, generate


def random_boxes(rng: np.random.Generator, n: int, size: float = 64.0, min_wh: float = 2.0) -> torch.Tensor:
    xy = rng.uniform(0, size - min_wh, (n, 2))
    wh = rng.uniform(min_wh, size / 2, (n, 2))
    boxes = np.concatenate([xy, np.minimum(xy + wh, size)], axis=1)
    return torch.tensor(boxes, dtype=torch.float32)


def one_box_per_cell(rng: np.random.Generator, grid: int, image_size: int, n: int) -> torch.Tensor:
    """n boxes whose centres lie in n different grid cells."""
    cell = image_size / grid
    cells = rng.choice(grid * grid, size=n, replace=False)
    rows, cols = np.divmod(cells, grid)
    cx = (cols + rng.uniform(0.05, 0.95, n)) * cell
    cy = (rows + rng.uniform(0.05, 0.95, n)) * cell
    w, h = rng.uniform(3, image_size / 2, n), rng.uniform(3, image_size / 2, n)
    boxes = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], 1).clip(0, image_size)
    return torch.tensor(boxes, dtype=torch.float32)


# ============================================================================ check_targets
class TestCheckTargets:
    def test_clean_targets_pass_and_are_converted(self):
        out = check_targets([{"boxes": [[1, 2, 10, 12]], "labels": [2]}], num_classes=3, image_size=(32, 32))
        assert out[0]["boxes"].dtype == torch.float32 and out[0]["labels"].dtype == torch.int64
        assert out[0]["boxes"].tolist() == [[1.0, 2.0, 10.0, 12.0]]

    def test_empty_targets_are_allowed(self):
        for empty in ([], torch.zeros(0, 4)):
            out = check_targets([{"boxes": empty, "labels": torch.zeros(0, dtype=torch.int64)}], 3, (32, 32))
            assert out[0]["boxes"].shape == (0, 4) and out[0]["labels"].shape == (0,)

    def test_boxes_sticking_out_are_clipped(self):
        out = check_targets([{"boxes": [[-5.0, 3.0, 40.0, 50.0]], "labels": [1]}], 3, (32, 36))
        assert out[0]["boxes"].tolist() == [[0.0, 3.0, 36.0, 32.0]]

    @pytest.mark.parametrize(
        ("targets", "error", "message"),
        [
            ([{"boxes": [[40.0, 40.0, 50.0, 50.0]], "labels": [1]}], ValueError, "이미지\\(높이 32, 너비 32\\) 밖에"),
            ([{"boxes": [[1, 1, 5, 5]], "labels": [0]}], ValueError, "범위를 벗어난 클래스 0.*배경"),
            ([{"boxes": [[1, 1, 5, 5]], "labels": [4]}], ValueError, "클래스 4.*1..3.*num_classes=3"),
            ([{"boxes": [[10, 1, 5, 5]], "labels": [1]}], ValueError, "넓이가 없는 상자.*box_convert"),
            ([{"boxes": [1, 2, 3, 4, 5], "labels": [1]}], ValueError, "\\['boxes'\\]의 모양은 \\[G, 4\\]"),
            ([{"boxes": [[1, 1, 5, 5], [2, 2, 6, 6]], "labels": [1]}], ValueError,
             "\\['labels'\\]의 모양은 \\[G\\] = \\[2\\]"),
            ([{"boxes": [[1, 1, 5, 5]], "labels": [1.0]}], TypeError, "정수 텐서"),
            ([{"boxes": [[1, 1, 5, 5]]}], ValueError, "키 'boxes'와 'labels'"),
            ({"boxes": [[1, 1, 5, 5]], "labels": [1]}, TypeError, "리스트여야"),
            ([{"boxes": [[1, 1, float("nan"), 5]], "labels": [1]}], ValueError, "NaN"),
        ],
        ids=["outside", "label 0", "label above K", "flat box", "boxes shape", "labels shape", "float labels",
             "missing key", "not a list", "NaN"],
    )
    def test_errors(self, targets, error, message):
        with pytest.raises(error, match=message):
            check_targets(targets, 3, (32, 32))


class TestCheckImages:
    def test_list_is_stacked(self):
        assert check_images([torch.rand(3, 8, 8), torch.rand(3, 8, 8)]).shape == (2, 3, 8, 8)

    @pytest.mark.parametrize(
        ("images", "error", "message"),
        [
            (torch.rand(3, 8, 8), ValueError, "배치 차원"),
            (torch.rand(2, 1, 8, 8), ValueError, "\\[N, 3, H, W\\]"),
            (torch.zeros(2, 3, 8, 8, dtype=torch.uint8), TypeError, "/ 255"),
            ([torch.rand(3, 8, 8), torch.rand(3, 9, 8)], ValueError, "크기가 서로 다릅니다"),
            ([], ValueError, "비어 있습니다"),
            (np.zeros((2, 3, 8, 8)), TypeError, "ndarray"),
        ],
    )
    def test_errors(self, images, error, message):
        with pytest.raises(error, match=message):
            check_images(images)


# ============================================================================ YOLO pieces
class TestYoloEncodeDecode:
    @pytest.mark.parametrize("seed", range(20))
    def test_round_trip_returns_the_gt_boxes(self, seed):
        rng = np.random.default_rng(seed)
        grid, size, k = int(rng.integers(2, 9)), 64, int(rng.integers(1, 6))
        targets = []
        for _ in range(3):
            n = int(rng.integers(0, min(6, grid * grid) + 1))
            boxes = one_box_per_cell(rng, grid, size, n)
            targets.append({"boxes": boxes, "labels": torch.as_tensor(rng.integers(1, k + 1, n))})
        encoded = encode_targets(targets, grid, size, k)
        assert encoded.shape == (3, grid, grid, 5 + k)
        decoded = decode_yolo(encoded, size, boxes_per_cell=1, score_threshold=0.5, iou_threshold=1.0)
        for target, det in zip(targets, decoded, strict=True):
            order_t = torch.argsort(target["boxes"][:, 0] * 1000 + target["boxes"][:, 1])
            order_d = torch.argsort(det["boxes"][:, 0] * 1000 + det["boxes"][:, 1])
            torch.testing.assert_close(det["boxes"][order_d], target["boxes"][order_t], atol=1e-4, rtol=0)
            assert det["labels"][order_d].tolist() == target["labels"][order_t].tolist()
            assert torch.all(det["scores"] == 1.0)

    def test_encoding_by_hand(self):
        # One 20x10 box centred at (40, 20) in a 64-px image with a 4x4 grid (16-px cells):
        # cell row 1, column 2; centre offsets (40 - 32) / 16 = 0.5 and (20 - 16) / 16 = 0.25.
        target = [{"boxes": torch.tensor([[30.0, 15.0, 50.0, 25.0]]), "labels": torch.tensor([2])}]
        enc = encode_targets(target, 4, 64, 3)
        torch.testing.assert_close(enc[0, 1, 2], torch.tensor([0.5, 0.25, 20 / 64, 10 / 64, 1.0, 0.0, 1.0, 0.0]))
        assert enc.sum() == pytest.approx(enc[0, 1, 2].sum().item())  # every other cell is zero

    def test_two_centres_in_one_cell_keep_the_larger_object(self):
        boxes = torch.tensor([[2.0, 2.0, 6.0, 6.0], [0.0, 0.0, 12.0, 12.0]])
        enc = encode_targets([{"boxes": boxes, "labels": torch.tensor([1, 2])}], 4, 64, 2)
        assert enc[0, 0, 0, 4] == 1 and enc[0, 0, 0, 2] == pytest.approx(12 / 64)
        assert enc[0, 0, 0, 5:].tolist() == [0.0, 1.0]
        assert enc[..., 4].sum() == 1

    def test_centre_on_the_last_pixel_stays_in_the_grid(self):
        enc = encode_targets([{"boxes": torch.tensor([[60.0, 60.0, 64.0, 64.0]]), "labels": torch.tensor([1])}], 4, 64, 1)
        assert enc[0, 3, 3, 4] == 1

    def test_empty_image_encodes_to_zeros(self):
        enc = encode_targets([{"boxes": torch.zeros(0, 4), "labels": torch.zeros(0, dtype=torch.int64)}], 4, 64, 3)
        assert enc.shape == (1, 4, 4, 8) and enc.abs().sum() == 0
        assert decode_yolo(enc, 64)[0]["boxes"].shape == (0, 4)

    def test_bad_labels_are_rejected(self):
        with pytest.raises(ValueError, match="클래스 0"):
            encode_targets([{"boxes": torch.tensor([[1.0, 1, 5, 5]]), "labels": torch.tensor([0])}], 4, 64, 3)

    def test_decode_by_hand_with_two_boxes_per_cell(self):
        # B = 2, C = 2, one image, 2x2 grid on a 32-px image (16-px cells).
        out = torch.zeros(1, 2, 2, 12)
        out[0, 1, 0, :5] = torch.tensor([0.5, 0.5, 0.25, 0.5, 0.9])  # box 1 in row 1, col 0
        out[0, 1, 0, 5:10] = torch.tensor([0.5, 0.5, 0.1, 0.1, 0.2])  # box 2: low objectness
        out[0, 1, 0, 10:] = torch.tensor([0.2, 0.8])  # class 2
        det = decode_yolo(out, 32, boxes_per_cell=2, score_threshold=0.5)[0]
        # centre (8, 24), size 8 x 16 → (4, 16, 12, 32); score 0.9 * 0.8
        torch.testing.assert_close(det["boxes"], torch.tensor([[4.0, 16.0, 12.0, 32.0]]))
        torch.testing.assert_close(det["scores"], torch.tensor([0.72]))
        assert det["labels"].tolist() == [2]

    def test_decode_applies_nms_per_class_and_clips(self):
        out = torch.zeros(1, 2, 2, 5 + 2)
        for j, (obj, cls) in enumerate([(0.9, [1.0, 0.0]), (0.8, [1.0, 0.0])]):
            out[0, 0, j, :5] = torch.tensor([0.5 if j == 0 else 0.05, 0.5, 1.0, 0.5, obj])
            out[0, 0, j, 5:] = torch.tensor(cls)
        det = decode_yolo(out, 32, score_threshold=0.1, iou_threshold=0.5)[0]
        assert len(det["boxes"]) == 1 and det["scores"].item() == pytest.approx(0.9)
        assert det["boxes"].min() >= 0 and det["boxes"].max() <= 32
        out[0, 0, 1, 5:] = torch.tensor([0.0, 1.0])  # another class: not suppressed
        assert len(decode_yolo(out, 32, score_threshold=0.1, iou_threshold=0.5)[0]["boxes"]) == 2

    def test_decode_errors(self):
        with pytest.raises(ValueError, match="\\[N, S, S, B\\*5\\+C\\]"):
            decode_yolo(torch.zeros(2, 4, 8), 64)
        with pytest.raises(ValueError, match="boxes_per_cell"):
            decode_yolo(torch.zeros(1, 4, 4, 8), 64, boxes_per_cell=2)

    @pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
    def test_nan_or_inf_outputs_are_refused_by_decoding_and_loss(self, bad):
        out = torch.rand(1, 4, 4, 2 * 5 + 3)
        out[0, 2, 1, 3] = bad
        with pytest.raises(ValueError, match="output에 NaN 또는 무한대.*\\(0, 2, 1, 3\\)"):
            decode_yolo(out, 32, boxes_per_cell=2)
        target = encode_targets([{"boxes": torch.tensor([[2.0, 2, 9, 9]]), "labels": torch.tensor([1])}], 4, 32, 3)
        with pytest.raises(ValueError, match="output에 NaN 또는 무한대"):
            yolo_loss(out, target, boxes_per_cell=2)
        target[0, 0, 0, 0] = bad
        with pytest.raises(ValueError, match="target에 NaN 또는 무한대"):
            yolo_loss(torch.rand(1, 4, 4, 2 * 5 + 3), target, boxes_per_cell=2)

    def test_raw_logits_are_refused_with_a_hint(self):
        logits = torch.randn(1, 4, 4, 8) * 3  # values outside [0, 1]: not grid_output's sigmoid/softmax
        with pytest.raises(ValueError, match="output의 값은 0과 1 사이.*grid_output"):
            decode_yolo(logits, 32)
        with pytest.raises(ValueError, match="output의 값은 0과 1 사이"):
            yolo_loss(logits, torch.zeros(1, 4, 4, 8))
        with pytest.raises(TypeError, match="output은\\(는\\) torch.Tensor"):
            decode_yolo([[0.5]], 32)
        with pytest.raises(TypeError, match="dtype은 실수"):
            decode_yolo(torch.zeros(1, 4, 4, 8, dtype=torch.int64), 32)

    @pytest.mark.parametrize("seed", range(5))
    def test_decoding_uses_nms_equal_to_the_readable_one(self, seed):
        """The timed path calls torchvision's C++ NMS; the course's readable NMS gives the same boxes."""
        from helpers.boxes import batched_nms

        g = torch.Generator().manual_seed(seed)
        out = torch.rand(2, 6, 6, 2 * 5 + 3, generator=g)
        out[..., 10:] = torch.softmax(4 * out[..., 10:], dim=-1)
        dets = decode_yolo(out, 48, boxes_per_cell=2, score_threshold=0.05, iou_threshold=0.4, max_detections=1000)
        everything = decode_yolo(out, 48, boxes_per_cell=2, score_threshold=0.05, iou_threshold=1.0,
                                 max_detections=1000)
        for det, full in zip(dets, everything, strict=True):
            keep = batched_nms(full["boxes"], full["scores"], full["labels"], 0.4)
            torch.testing.assert_close(det["boxes"], full["boxes"][keep])
            assert torch.equal(det["labels"], full["labels"][keep])


class TestYoloModelAndLoss:
    def test_output_and_loss_shapes(self):
        torch.manual_seed(0)
        model = TinyYOLO(num_classes=3, image_size=64, boxes_per_cell=2, width=8)
        images = torch.rand(2, 3, 64, 64)
        out = model.grid_output(images)
        assert out.shape == (2, 8, 8, 2 * 5 + 3)  # 64 px / 8 px per cell
        assert out[..., :10].min() >= 0 and out[..., :10].max() <= 1
        torch.testing.assert_close(out[..., 10:].sum(-1), torch.ones(2, 8, 8))
        assert out[..., 4:10:5].max() < 0.1  # objectness starts near 0.01
        targets = [{"boxes": torch.tensor([[5.0, 5.0, 20.0, 30.0]]), "labels": torch.tensor([3])},
                   {"boxes": torch.zeros(0, 4), "labels": torch.zeros(0, dtype=torch.int64)}]
        model.train()
        losses = model(images, targets)
        assert set(losses) == {"loss_box", "loss_obj", "loss_noobj", "loss_cls"}
        assert all(v.dim() == 0 and torch.isfinite(v) for v in losses.values())
        sum(losses.values()).backward()
        model.eval()
        dets = model(images)
        assert len(dets) == 2 and all(set(d) == {"boxes", "scores", "labels"} for d in dets)

    def test_loss_is_zero_for_a_perfect_prediction_except_bce_floor(self):
        target = encode_targets([{"boxes": torch.tensor([[8.0, 8.0, 24.0, 40.0]]), "labels": torch.tensor([1])}], 4, 64, 2)
        losses = yolo_loss(target.clone(), target, boxes_per_cell=1)
        for value in losses.values():
            assert value.item() == pytest.approx(0.0, abs=1e-6)

    def test_loss_by_hand(self):
        # One cell with an object, B = 1, C = 2, a 1x1 grid so that nothing else contributes.
        target = torch.tensor([[[[0.5, 0.5, 0.25, 0.36, 1.0, 0.0, 1.0]]]])
        output = torch.tensor([[[[0.6, 0.4, 0.16, 0.49, 0.8, 0.25, 0.75]]]])
        losses = yolo_loss(output, target, boxes_per_cell=1, lambda_coord=5.0)
        coord = 5 * ((0.1**2 + 0.1**2) + ((0.4 - 0.5) ** 2 + (0.7 - 0.6) ** 2))
        assert losses["loss_box"].item() == pytest.approx(coord, rel=1e-5)
        assert losses["loss_obj"].item() == pytest.approx(-np.log(0.8), rel=1e-5)
        assert losses["loss_noobj"].item() == 0.0
        assert losses["loss_cls"].item() == pytest.approx(-np.log(0.75), rel=1e-5)

    def test_noobj_weight_and_responsible_box(self):
        # B = 2: box 2 overlaps the GT better, so it is responsible; box 1 counts as "no object".
        target = torch.tensor([[[[0.5, 0.5, 0.5, 0.5, 1.0, 1.0]]]])
        output = torch.tensor([[[[0.1, 0.1, 0.1, 0.1, 0.3, 0.5, 0.5, 0.5, 0.5, 0.6, 1.0]]]])
        losses = yolo_loss(output, target, boxes_per_cell=2, lambda_noobj=0.5)
        assert losses["loss_box"].item() == pytest.approx(0.0, abs=1e-6)
        assert losses["loss_obj"].item() == pytest.approx(-np.log(0.6), rel=1e-5)
        assert losses["loss_noobj"].item() == pytest.approx(-0.5 * np.log(0.7), rel=1e-5)

    def test_loss_shape_mismatch(self):
        with pytest.raises(ValueError, match="모양이 맞지 않습니다"):
            yolo_loss(torch.zeros(1, 4, 4, 13), torch.zeros(1, 4, 4, 9), boxes_per_cell=2)

    def test_constructor_and_input_errors(self):
        with pytest.raises(ValueError, match="8의 배수"):
            TinyYOLO(3, image_size=100)  # 100 = 12.5 cells of 8 px
        with pytest.raises(ValueError, match="num_classes"):
            TinyYOLO(0)
        model = TinyYOLO(3, image_size=64, width=8)
        with pytest.raises(ValueError, match="64x64 이미지용"):
            model.grid_output(torch.rand(1, 3, 32, 32))
        model.train()
        with pytest.raises(ValueError, match="targets가 필요"):
            model(torch.rand(1, 3, 64, 64))


# ============================================================================ R-CNN pieces
class TestLabelProposals:
    @pytest.mark.parametrize("seed", range(20))
    def test_equals_torchvision_matcher(self, seed):
        from torchvision.models.detection._utils import Matcher

        rng = np.random.default_rng(seed)
        proposals = random_boxes(rng, int(rng.integers(1, 60)))
        gt = random_boxes(rng, int(rng.integers(1, 6)))
        gt_labels = torch.as_tensor(rng.integers(1, 4, len(gt)))
        pos, neg = sorted(rng.uniform(0.1, 0.9, 2))[::-1]
        out = label_proposals(proposals, gt, gt_labels, pos_iou=pos, neg_iou=neg)
        matched = Matcher(pos, neg, allow_low_quality_matches=False)(box_iou(gt, proposals))
        expected = torch.where(matched >= 0, gt_labels[matched.clamp(min=0)],
                               torch.where(matched == Matcher.BELOW_LOW_THRESHOLD, 0, -1))
        assert out.labels.tolist() == expected.tolist()
        iou = box_iou(proposals, gt)
        torch.testing.assert_close(out.max_iou, iou.max(1).values)
        assert torch.all(iou[torch.arange(len(proposals)), out.matched_gt] == out.max_iou)

    def test_by_hand_thresholds_are_inclusive_for_positives(self):
        gt = torch.tensor([[0.0, 0.0, 10.0, 10.0]])
        proposals = torch.tensor([
            [0.0, 0.0, 10.0, 10.0],  # IoU 1 → positive
            [0.0, 0.0, 10.0, 5.0],  # IoU 0.5 → positive (>= pos_iou)
            [0.0, 0.0, 10.0, 3.0],  # IoU 0.3 → ignored (not < neg_iou)
            [0.0, 0.0, 10.0, 2.0],  # IoU 0.2 → background
            [20.0, 20.0, 30.0, 30.0],  # IoU 0 → background
        ])
        out = label_proposals(proposals, gt, torch.tensor([3]))
        assert out.labels.tolist() == [3, 3, -1, 0, 0]
        torch.testing.assert_close(out.max_iou, torch.tensor([1.0, 0.5, 0.3, 0.2, 0.0]))

    def test_no_gt_means_all_negative(self):
        out = label_proposals(torch.tensor([[0.0, 0, 5, 5], [1, 1, 4, 4]]), torch.zeros(0, 4), torch.zeros(0))
        assert out.labels.tolist() == [0, 0] and out.matched_gt.tolist() == [-1, -1]
        assert out.max_iou.tolist() == [0.0, 0.0]

    def test_no_proposals(self):
        out = label_proposals(torch.zeros(0, 4), torch.tensor([[0.0, 0, 5, 5]]), torch.tensor([1]))
        assert out.labels.shape == (0,)

    def test_errors(self):
        with pytest.raises(ValueError, match="neg_iou <= pos_iou"):
            label_proposals(torch.zeros(1, 4), torch.zeros(1, 4), torch.ones(1), pos_iou=0.3, neg_iou=0.5)
        with pytest.raises(ValueError, match="gt_labels의 모양은 \\[G\\] = \\[2\\]"):
            label_proposals(torch.zeros(1, 4), torch.zeros(2, 4), torch.ones(3))
        with pytest.raises(ValueError, match="proposals의 모양은 \\[N, 4\\]"):
            label_proposals(torch.zeros(3), torch.zeros(2, 4), torch.ones(2))


class TestBoxDeltas:
    @pytest.mark.parametrize("seed", range(10))
    def test_equal_to_torchvision_box_coder(self, seed):
        from torchvision.models.detection._utils import BoxCoder

        rng = np.random.default_rng(seed)
        proposals, gt = random_boxes(rng, 50), random_boxes(rng, 50)
        coder = BoxCoder(weights=(1.0, 1.0, 1.0, 1.0))
        deltas = encode_box_deltas(proposals, gt)
        torch.testing.assert_close(deltas, coder.encode_single(gt, proposals), atol=1e-5, rtol=1e-5)
        torch.testing.assert_close(decode_box_deltas(proposals, deltas), gt, atol=1e-3, rtol=1e-5)
        torch.testing.assert_close(decode_box_deltas(proposals, deltas),
                                   coder.decode_single(deltas, proposals), atol=1e-3, rtol=1e-5)

    def test_by_hand(self):
        p = torch.tensor([[0.0, 0.0, 10.0, 20.0]])  # centre (5, 10), 10 x 20
        g = torch.tensor([[2.0, 4.0, 22.0, 24.0]])  # centre (12, 14), 20 x 20
        torch.testing.assert_close(encode_box_deltas(p, g), torch.tensor([[0.7, 0.2, float(np.log(2.0)), 0.0]]))

    def test_huge_scale_is_clamped_like_torchvision(self):
        from torchvision.models.detection._utils import BoxCoder

        proposals, deltas = torch.tensor([[0.0, 0.0, 1.0, 1.0]]), torch.tensor([[0.0, 0.0, 50.0, 50.0]])
        boxes = decode_box_deltas(proposals, deltas)
        assert torch.isfinite(boxes).all()
        assert (boxes[0, 2] - boxes[0, 0]).item() == pytest.approx(1000 / 16, rel=1e-5)
        torch.testing.assert_close(boxes, BoxCoder((1.0, 1.0, 1.0, 1.0)).decode_single(deltas, proposals))

    @pytest.mark.parametrize("seed", range(5))
    def test_large_random_deltas_equal_box_coder(self, seed):
        from torchvision.models.detection._utils import BoxCoder

        rng = np.random.default_rng(100 + seed)
        proposals = random_boxes(rng, 40)
        deltas = torch.tensor(rng.normal(0, 3, (40, 4)), dtype=torch.float32)  # some beyond the clip
        torch.testing.assert_close(decode_box_deltas(proposals, deltas),
                                   BoxCoder((1.0, 1.0, 1.0, 1.0)).decode_single(deltas, proposals),
                                   atol=1e-3, rtol=1e-5)

    def test_mismatched_shapes(self):
        with pytest.raises(ValueError, match="gt_boxes의 모양은 proposals와 같은 \\[P, 4\\] = \\[1, 4\\]"):
            encode_box_deltas(torch.tensor([[0.0, 0, 1, 1]]), torch.tensor([[0.0, 0, 1, 1], [0, 0, 2, 2]]))

    @pytest.mark.parametrize("n_deltas", [1, 2, 5])
    def test_deltas_for_n_boxes_on_m_proposals_are_refused_not_broadcast(self, n_deltas):
        proposals = torch.tensor([[0.0, 0, 4, 4], [1, 1, 5, 5], [2, 2, 9, 9]])  # M = 3
        with pytest.raises(ValueError, match="deltas의 모양은 proposals와 같은 \\[P, 4\\] = \\[3, 4\\].*브로드캐스트"):
            decode_box_deltas(proposals, torch.zeros(n_deltas, 4))
        with pytest.raises(ValueError, match="deltas의 모양"):
            decode_box_deltas(proposals, torch.zeros(4))  # one delta row without its batch dimension
        with pytest.raises(ValueError, match="deltas의 모양"):
            decode_box_deltas(proposals, torch.zeros(3, 2))

    @pytest.mark.parametrize("bad", [float("nan"), float("inf")])
    def test_nan_or_inf_is_refused(self, bad):
        proposals = torch.tensor([[0.0, 0, 4, 4], [1, 1, 5, 5]])
        deltas = torch.zeros(2, 4)
        deltas[1, 2] = bad
        with pytest.raises(ValueError, match="deltas\\[1\\]에 NaN 또는 무한대"):
            decode_box_deltas(proposals, deltas)
        with pytest.raises(ValueError, match="proposals\\[0\\]에 NaN 또는 무한대"):
            decode_box_deltas(torch.tensor([[0.0, 0, bad, 4], [1, 1, 5, 5]]), torch.zeros(2, 4))
        with pytest.raises(ValueError, match="gt_boxes\\[1\\]에 NaN 또는 무한대"):
            encode_box_deltas(proposals, torch.tensor([[0.0, 0, 4, 4], [1, 1, 5, bad]]))

    def test_boxes_without_area_are_refused_by_encoding(self):
        with pytest.raises(ValueError, match="proposals\\[0\\].*너비나 높이가 0"):
            encode_box_deltas(torch.tensor([[2.0, 2, 2, 6]]), torch.tensor([[0.0, 0, 4, 4]]))
        with pytest.raises(ValueError, match="gt_boxes\\[0\\].*너비나 높이가 0"):
            encode_box_deltas(torch.tensor([[0.0, 0, 4, 4]]), torch.tensor([[2.0, 2, 6, 2]]))

    def test_deltas_may_be_numpy(self):
        out = decode_box_deltas(torch.tensor([[0.0, 0, 10, 20]]), np.array([[0.7, 0.2, np.log(2.0), 0.0]]))
        torch.testing.assert_close(out, torch.tensor([[2.0, 4.0, 22.0, 24.0]]))


class TestRegionFeatures:
    def test_shared_map_is_roi_pool_of_one_pass_and_per_region_is_one_pass_each(self):
        from torchvision.ops import roi_pool

        from helpers.detectors.rcnn import per_region_features, shared_map_features
        from helpers.detectors.yolo import tiny_backbone

        torch.manual_seed(0)
        backbone = tiny_backbone(8).eval()
        image = torch.rand(3, 64, 64)
        proposals = torch.tensor([[0.0, 0, 64, 64], [8, 8, 40, 24], [30, 2, 60, 60]])
        with torch.no_grad():
            shared = shared_map_features(backbone, image, proposals, output_size=7)
            expected = roi_pool(backbone(image[None]), [proposals], 7, 1 / 8)
            torch.testing.assert_close(shared, expected)
            per_region = per_region_features(backbone, image, proposals, crop_size=56)
            torch.testing.assert_close(per_region, backbone(warp_regions(image, proposals, 56, 0.0)))
        assert shared.shape == per_region.shape == (3, 32, 7, 7)
        with pytest.raises(ValueError, match="proposals의 모양은 \\[N, 4\\]"):
            shared_map_features(backbone, image, torch.zeros(3))


class TestWarpRegions:
    def test_equals_average_pooling_on_aligned_boxes(self):
        torch.manual_seed(0)
        image = torch.rand(3, 40, 40)
        # A box covering pixels [4, 20) x [8, 24) warped to 8 x 8: each output pixel is the mean of a 2 x 2 block.
        out = warp_regions(image, torch.tensor([[8.0, 4.0, 24.0, 20.0]]), size=8, context=0.0)
        expected = torch.nn.functional.avg_pool2d(image[None, :, 4:20, 8:24], 2)
        torch.testing.assert_close(out, expected)

    def test_shapes_context_and_outside(self):
        image = torch.ones(3, 20, 20)
        out = warp_regions(image, torch.tensor([[0.0, 0.0, 20.0, 20.0], [5.0, 5.0, 6.0, 9.0]]), size=16, context=0.25)
        assert out.shape == (2, 3, 16, 16)
        assert out[0, :, 0, 0].abs().max() == 0  # the margin around the whole image is black
        assert out[1].min() == pytest.approx(1.0)  # a small box inside: all image pixels

    def test_no_boxes(self):
        assert warp_regions(torch.rand(3, 10, 10), torch.zeros(0, 4), size=8).shape == (0, 3, 8, 8)


class TestSelectiveSearch:
    def test_finds_every_object_exactly_on_plain_backgrounds(self):
        # One flat colour per shape and for the background: without smoothing (sigma=0) every
        # visible shape is a segment of its own, so its exact box is a proposal.
        ds = generate(ShapesConfig(image_size=64, num_images=6, background="plain", max_size=24, seed=3))
        for i in range(len(ds)):
            image, target = ds[i]
            proposals = selective_search(image, sigma=0.0)
            assert proposals.dtype == torch.float32 and proposals.shape[1] == 4
            assert torch.all(proposals[:, :2] >= 0) and torch.all(proposals[:, 2] <= 64) and torch.all(proposals[:, 3] <= 64)
            assert len(torch.unique(proposals, dim=0)) == len(proposals)
            best = box_iou(proposals, target["boxes"]).max(0).values
            torch.testing.assert_close(best, torch.ones_like(best))

    def test_merging_adds_larger_boxes_and_ends_with_the_whole_image(self):
        rng = np.random.default_rng(0)
        image = np.zeros((32, 32, 3), np.uint8)
        image[4:12, 4:12] = (200, 30, 30)
        image[4:12, 12:20] = (180, 40, 40)  # a similar neighbour: merged early
        image[20:28, 20:28] = rng.integers(0, 255, 3).astype(np.uint8)
        proposals = selective_search(image, scale=1, sigma=0.0, min_size=1)
        rows = {tuple(map(int, b)) for b in proposals.tolist()}
        assert {(4, 4, 12, 12), (12, 4, 20, 12), (4, 4, 20, 12), (20, 20, 28, 28), (0, 0, 32, 32)} <= rows

    def test_accepts_uint8_arrays_and_rejects_bad_shapes(self):
        assert len(selective_search(np.zeros((16, 16, 3), np.uint8))) >= 1
        with pytest.raises(ValueError, match="\\[3, H, W\\]"):
            selective_search(torch.rand(16, 16))


class TestMiniRCNNErrors:
    def test_untrained_and_training_mode_errors(self):
        model = MiniRCNN(num_classes=2)
        with pytest.raises(TypeError, match="rcnn.fit\\(dataset\\)"):
            model(torch.rand(1, 3, 32, 32), [{"boxes": torch.zeros(0, 4), "labels": torch.zeros(0)}])
        model.eval()
        with pytest.raises(RuntimeError, match="아직 학습되지 않았습니다"):
            model(torch.rand(1, 3, 32, 32))
        with pytest.raises(ValueError, match="8의 배수"):
            MiniRCNN(2, crop_size=30)

    def test_fit_argument_errors(self):
        ds = generate(ShapesConfig(image_size=32, num_images=2, max_size=12))
        with pytest.raises(ValueError, match="이미지가 없습니다"):
            MiniRCNN(3).fit([], progress=False)
        with pytest.raises(ValueError, match="negatives_per_image은\\(는\\) 1 이상의 정수"):
            MiniRCNN(3).fit(ds, negatives_per_image=0, progress=False)
        with pytest.raises(ValueError, match="범위를 벗어난 클래스 3"):
            MiniRCNN(2).fit(ds, progress=False)

    def test_train_detector_explains_that_rcnn_has_its_own_fit(self):
        ds = generate(ShapesConfig(image_size=32, num_images=2, max_size=12))
        with pytest.raises(TypeError, match="rcnn.fit"):
            train_detector(MiniRCNN(3), ds, epochs=1, progress=False)


# ============================================================================ common helpers
class _SleepyDetector(nn.Module):
    """Takes ``delay`` seconds per call (``warmup_delay`` for its first ``warmups`` calls)."""

    def __init__(self, delay: float, warmup_delay: float, warmups: int):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(1))
        self.delay, self.warmup_delay, self.warmups, self.calls = delay, warmup_delay, warmups, 0
        self.inference_mode_seen = []

    def forward(self, images):
        self.inference_mode_seen.append(torch.is_inference_mode_enabled())
        self.calls += 1
        time.sleep(self.warmup_delay if self.calls <= self.warmups else self.delay)
        return [{"boxes": torch.zeros(0, 4), "scores": torch.zeros(0), "labels": torch.zeros(0, dtype=torch.int64)}
                for _ in images]


class TestMeasureSpeed:
    def test_warmup_is_excluded_and_the_rate_is_images_per_second(self):
        detector = _SleepyDetector(delay=0.05, warmup_delay=0.5, warmups=2)
        rate = measure_speed(detector, torch.rand(4, 3, 8, 8), warmup=2, repeats=4)
        assert detector.calls == 6 and all(detector.inference_mode_seen)
        assert 40 < rate <= 80  # 4 images per 0.05 s at best; sleep may overshoot under load

    def test_batches(self):
        detector = _SleepyDetector(delay=0.0, warmup_delay=0.0, warmups=0)
        measure_speed(detector, torch.rand(5, 3, 8, 8), warmup=1, repeats=2, batch_size=2)
        assert detector.calls == 3 * 3  # 3 batches per pass, 1 + 2 passes

    def test_errors(self):
        detector = _SleepyDetector(0.0, 0.0, 0)
        with pytest.raises(ValueError, match="repeats"):
            measure_speed(detector, torch.rand(1, 3, 8, 8), repeats=0)
        with pytest.raises(ValueError, match="warmup"):
            measure_speed(detector, torch.rand(1, 3, 8, 8), warmup=-1)
        with pytest.raises(ValueError, match="배치 차원"):
            measure_speed(detector, torch.rand(3, 8, 8))


class TestTrainingHelpers:
    def test_warmup_cosine_schedule(self):
        f = warmup_cosine(total_steps=110, warmup_steps=10, final_fraction=0.05)
        assert f(0) == pytest.approx(0.1) and f(9) == pytest.approx(1.0)
        assert f(10) == pytest.approx(1.0) and f(60) == pytest.approx(0.525)
        assert f(110) == pytest.approx(0.05) and f(500) == pytest.approx(0.05)

    def test_num_classes_of(self):
        assert num_classes_of(TinyYOLO(4, image_size=32, width=4)) == 4
        with pytest.raises(TypeError, match="model.num_classes"):
            num_classes_of(nn.Linear(2, 2))

    def test_train_detector_argument_errors(self):
        model = TinyYOLO(3, image_size=32, width=4)
        ds = generate(ShapesConfig(image_size=32, num_images=2, max_size=12))
        with pytest.raises(ValueError, match="epochs"):
            train_detector(model, ds, epochs=0)
        with pytest.raises(ValueError, match="lr"):
            train_detector(model, ds, lr=-1.0)
        with pytest.raises(ValueError, match="이미지가 없습니다"):
            train_detector(model, [], epochs=1)
        with pytest.raises(TypeError, match="Dataset 또는 DataLoader"):
            train_detector(model, "shapes", epochs=1)
        with pytest.raises(TypeError, match="nn.Module"):
            train_detector("yolo", ds)

    def test_train_detector_rejects_wrong_labels_with_the_image_index(self):
        model = TinyYOLO(2, image_size=32, width=4)
        ds = generate(ShapesConfig(image_size=32, num_images=2, max_size=12, classes=("circle", "square", "cross")))
        with pytest.raises(ValueError, match="범위를 벗어난 클래스 3.*num_classes=2"):
            train_detector(model, ds, epochs=1, batch_size=2, progress=False)

    def test_train_detector_stops_on_nan(self):
        class Exploding(nn.Module):
            num_classes = 1

            def __init__(self):
                super().__init__()
                self.w = nn.Parameter(torch.ones(1))

            def forward(self, images, targets=None):
                return {"loss": self.w.sum() * float("nan")}

        ds = generate(ShapesConfig(image_size=32, num_images=2, max_size=12, classes=("circle",)))
        with pytest.raises(FloatingPointError, match="NaN/무한대.*학습률"):
            train_detector(Exploding(), ds, epochs=1, progress=False)

    def test_history_and_images_without_objects(self):
        torch.manual_seed(0)
        model = TinyYOLO(3, image_size=32, width=4)
        ds = generate(ShapesConfig(image_size=32, num_images=4, min_objects=0, max_objects=1, max_size=12, seed=2))
        assert any(len(b) == 0 for b in ds.boxes)
        history = train_detector(model, ds, epochs=2, batch_size=2, progress=False)
        assert isinstance(history, DetectorHistory) and history.steps == 4 and len(history.epoch_loss) == 2
        assert set(history.parts) == {"loss_box", "loss_obj", "loss_noobj", "loss_cls"}
        assert len(history.lr) == 4 and "스텝 4개" in repr(history)
        assert not model.training
        preds = predict(model, ds, batch_size=3)
        assert len(preds) == 4 and all(p["boxes"].device.type == "cpu" for p in preds)
        preds_tensor = predict(model, torch.stack([ds[i][0] for i in range(4)]))
        for a, b in zip(preds, preds_tensor, strict=True):
            torch.testing.assert_close(a["scores"], b["scores"])


# ============================================================================ speed_from_timings
def test_speed_from_timings_values_on_random_timings():
    from helpers.detectors.common import speed_from_timings

    rng = np.random.default_rng(7)
    for _ in range(50):
        n = int(rng.integers(1, 12))
        warmup = int(rng.integers(0, n))
        seconds = rng.uniform(0.001, 2.0, n)
        counts = rng.integers(1, 33, n)
        out = speed_from_timings(seconds.tolist(), counts.tolist(), warmup)
        expected = counts[warmup:].sum() / seconds[warmup:].sum()
        assert out["images_per_s"] == pytest.approx(expected, rel=1e-12)
        assert out["ms_per_image"] == pytest.approx(1000 / expected, rel=1e-12)
        assert out["timed_batches"] == n - warmup and out["timed_images"] == counts[warmup:].sum()
    # One int for all batches; the warm-up batch (slow) does not count.
    out = speed_from_timings([5.0, 0.5, 0.5], 8, warmup=1)
    assert out["images_per_s"] == pytest.approx(16.0) and out["ms_per_image"] == pytest.approx(62.5)
    # Tensors and NumPy arrays work too.
    out = speed_from_timings(torch.tensor([0.25, 0.25]), torch.tensor([4, 4]), 0)
    assert out["images_per_s"] == pytest.approx(16.0)


def test_speed_from_timings_matches_measure_speed_definition():
    from helpers.detectors.common import speed_from_timings

    # measure_speed: N images * repeats / seconds, i.e. every timed pass is one "batch" of N.
    out = speed_from_timings([1.0, 0.2, 0.3, 0.5], [10, 10, 10, 10], warmup=1)
    assert out["images_per_s"] == pytest.approx(30 / 1.0)


@pytest.mark.parametrize(
    "args, match",
    [
        (([1.0, 1.0], 8, 2), "워밍업"),
        (([], 8, 0), "워밍업"),
        (([1.0, 1.0], [8], 0), "길이"),
        (([1.0, -1.0], 8, 0), "음수"),
        (([1.0, float("nan")], 8, 0), "유한"),
        (([1.0, 0.0], 8, 1), "0초"),
        (([1.0], [0], 0), "1장 이상"),
        (([1.0], 8, -1), "warmup"),
    ],
)
def test_speed_from_timings_errors(args, match):
    from helpers.detectors.common import speed_from_timings

    with pytest.raises(ValueError, match=match):
        speed_from_timings(*args)


def test_speed_from_timings_type_error():
    from helpers.detectors.common import speed_from_timings

    with pytest.raises(TypeError, match="images_per_batch"):
        speed_from_timings([1.0], 2.5, 0)


def test_count_flops_equals_the_convolution_formula():
    from helpers.detectors.common import count_flops

    class OneConv(nn.Module):  # a "detector": one 3x3 convolution, 3 -> 8 channels
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3, padding=1, bias=False)

        def forward(self, images):
            return self.conv(torch.stack(images))

    flops = count_flops(OneConv(), torch.rand(2, 3, 16, 16))
    assert flops == 2 * 3 * 8 * 9 * 16 * 16  # multiply-adds x 2, per image
    with pytest.raises(ValueError, match="images의 모양은"):
        count_flops(OneConv(), torch.rand(3, 16, 16))
