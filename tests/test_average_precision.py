"""helpers.average_precision: hand-computed AP values, and equality with pycocotools COCOeval
(and torchmetrics) on randomised detection sets."""
import contextlib
import io

import numpy as np
import pytest
import torch
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

from helpers import average_precision as ap

STAT_KEYS = ("AP", "AP50", "AP75", "AP_small", "AP_medium", "AP_large")


# --------------------------------------------------------------------------------------------
# Reference: pycocotools, fed the same boxes
# --------------------------------------------------------------------------------------------
def _coco_objects(gts, preds, classes):
    """COCO ground truth and detections; image id = position + 1, category id = label + 1,
    GT ``area`` = box w * h (what loadRes computes for detections too), iscrowd 0."""
    images = [{"id": i + 1, "width": 1000, "height": 1000} for i in range(len(gts))]
    anns, dets = [], []
    for i, gt in enumerate(gts):
        for box, label in zip(np.asarray(gt["boxes"], dtype=np.float64).reshape(-1, 4), gt["labels"], strict=True):
            w, h = box[2] - box[0], box[3] - box[1]
            anns.append(
                {"id": len(anns) + 1, "image_id": i + 1, "category_id": int(label) + 1,
                 "bbox": [float(box[0]), float(box[1]), float(w), float(h)], "area": float(w * h), "iscrowd": 0}
            )
    for i, pred in enumerate(preds):
        boxes = np.asarray(pred["boxes"], dtype=np.float64).reshape(-1, 4)
        for box, score, label in zip(boxes, pred["scores"], pred["labels"], strict=True):
            dets.append(
                {"image_id": i + 1, "category_id": int(label) + 1, "score": float(score),
                 "bbox": [float(box[0]), float(box[1]), float(box[2] - box[0]), float(box[3] - box[1])]}
            )
    with contextlib.redirect_stdout(io.StringIO()):
        gt_api = COCO()
        gt_api.dataset = {"images": images, "annotations": anns, "categories": [{"id": c + 1} for c in classes]}
        gt_api.createIndex()
        dt_api = gt_api.loadRes(dets)
    return gt_api, dt_api


def coco_reference(gts, preds, classes, max_dets=100):
    gt_api, dt_api = _coco_objects(gts, preds, classes)
    with contextlib.redirect_stdout(io.StringIO()):
        coco = COCOeval(gt_api, dt_api, "bbox")
        if max_dets != 100:
            coco.params.maxDets = [1, max(1, max_dets // 2), max_dets]
        coco.evaluate()
        coco.accumulate()
        coco.summarize()
    return coco


def _valid_mean(x):
    return x[x > -1].mean() if (x > -1).any() else -1


def assert_equal_to_coco(result, coco, classes):
    if coco.params.maxDets[-1] == 100:  # summarize() reports maxDets=100 only
        stats = coco.stats[[0, 1, 2, 3, 4, 5, 8]]
    else:  # the same means, taken from COCOeval's arrays at its largest maxDets
        p, r = coco.eval["precision"][..., -1], coco.eval["recall"][..., -1]
        stats = [_valid_mean(p[..., 0]), _valid_mean(p[0, ..., 0]), _valid_mean(p[5, ..., 0]),
                 _valid_mean(p[..., 1]), _valid_mean(p[..., 2]), _valid_mean(p[..., 3]), _valid_mean(r[..., 0])]
    for key, expected in zip((*STAT_KEYS, "AR"), stats, strict=True):
        assert result[key] == pytest.approx(expected, abs=1e-6), key
    ref_precision = coco.eval["precision"][..., -1]  # [T, R, K, A] at the largest maxDets
    for k, cls in enumerate(classes):
        if cls in result["per_class"]:
            ours = result["precision"][:, :, list(result["classes"]).index(cls), :]
            np.testing.assert_allclose(ours, ref_precision[:, :, k, :], rtol=0, atol=1e-9)
            expected = _valid_mean(ref_precision[:, :, k, 0])
            assert result["per_class"][cls] == pytest.approx(expected, abs=1e-9)


# --------------------------------------------------------------------------------------------
# Random detection sets
# --------------------------------------------------------------------------------------------
def random_set(rng, n_images=6, n_classes=3, grid=None, ties=False, size=400.0):
    """GT boxes of all sizes (3 to 250 px), predictions = noisy copies of GTs (some duplicated,
    some with a wrong class), random boxes, a class that has no GT at all (id ``n_classes``),
    images without predictions. ``grid`` snaps coordinates (IoUs exactly at thresholds);
    ``ties`` rounds scores to one decimal."""
    gts, preds = [], []
    for _ in range(n_images):
        g = int(rng.integers(0, 9))
        wh = np.exp(rng.uniform(np.log(3), np.log(250), (g, 2)))
        xy = rng.uniform(0, size, (g, 2))
        gt_boxes = np.concatenate([xy, xy + wh], axis=1)
        gt_labels = rng.integers(0, n_classes, g)
        boxes, labels = [np.zeros((0, 4))], [np.zeros(0, dtype=np.int64)]
        if g:
            src = rng.integers(0, g, int(rng.integers(0, 2 * g + 1)))
            noise = rng.normal(0, rng.uniform(0.02, 0.25), (len(src), 4)) * np.tile(wh[src], 2)
            copies = gt_boxes[src] + noise
            wrong = rng.random(len(src)) < 0.1
            copy_labels = np.where(wrong, rng.integers(0, n_classes + 1, len(src)), gt_labels[src])
            dup = rng.random(len(src)) < 0.15  # exact duplicates of some predictions
            boxes += [copies, copies[dup]]
            labels += [copy_labels, copy_labels[dup]]
        r = int(rng.integers(0, 6))
        rwh = np.exp(rng.uniform(np.log(3), np.log(250), (r, 2)))
        rxy = rng.uniform(0, size, (r, 2))
        boxes.append(np.concatenate([rxy, rxy + rwh], axis=1))
        labels.append(rng.integers(0, n_classes + 1, r))
        boxes, labels = np.concatenate(boxes), np.concatenate(labels)
        if rng.random() < 0.2:  # an image without predictions
            boxes, labels = np.zeros((0, 4)), np.zeros(0, dtype=np.int64)
        if grid:
            gt_boxes, boxes = _snap(gt_boxes, grid), _snap(boxes, grid)
        else:
            boxes = _snap(boxes, None)
        scores = rng.random(len(boxes))
        if ties:
            scores = np.round(scores, 1)
        gts.append({"boxes": gt_boxes, "labels": gt_labels})
        preds.append({"boxes": boxes, "scores": scores, "labels": labels})
    if not any(len(p["boxes"]) for p in preds):  # pycocotools' loadRes needs one detection
        preds[0] = {"boxes": np.array([[0.0, 0.0, 10.0, 10.0]]), "scores": np.array([0.5]),
                    "labels": np.array([0])}
    return gts, preds


def _snap(boxes, grid):
    if grid:
        boxes = np.round(boxes / grid) * grid
    boxes = boxes.copy()
    boxes[:, 2:] = np.maximum(boxes[:, 2:], boxes[:, :2])  # keep x2 >= x1 after noise/rounding
    return boxes


CASES = [
    # (seed, n_images, n_classes, grid, ties)
    *[(seed, 5 + seed % 7, 1 + seed % 4, None, False) for seed in range(12)],
    *[(100 + seed, 4 + seed % 5, 1 + seed % 3, 4.0, False) for seed in range(8)],  # IoU at thresholds
    *[(200 + seed, 6, 2 + seed % 2, None, True) for seed in range(6)],  # tied scores
    *[(300 + seed, 5, 3, 8.0, True) for seed in range(6)],  # both
]


@pytest.mark.parametrize(("seed", "n_images", "n_classes", "grid", "ties"), CASES)
def test_evaluate_detections_equals_cocoeval(seed, n_images, n_classes, grid, ties):
    rng = np.random.default_rng(seed)
    gts, preds = random_set(rng, n_images, n_classes, grid=grid, ties=ties)
    classes = list(range(n_classes + 1))  # the last class never has GT: -1, left out of means
    result = ap.evaluate_detections(gts, preds)
    assert_equal_to_coco(result, coco_reference(gts, preds, classes), classes)
    assert n_classes not in result["per_class"] or result["per_class"][n_classes] == -1
    assert result["AP50"] >= result["AP75"] - 1e-12


def test_many_detections_per_image_and_max_dets():
    rng = np.random.default_rng(5)
    gts, preds = random_set(rng, n_images=4, n_classes=2)
    for p in preds:  # 60 copies of the same predictions: most beyond max_dets
        p["boxes"] = np.tile(p["boxes"], (60, 1)) + rng.normal(0, 2, (60 * len(p["boxes"]), 4)).clip(0)
        p["boxes"][:, 2:] = np.maximum(p["boxes"][:, 2:], p["boxes"][:, :2])
        p["labels"], p["scores"] = np.tile(p["labels"], 60), rng.random(60 * len(p["scores"]))
    for max_dets in (100, 10):
        result = ap.evaluate_detections(gts, preds, max_dets=max_dets)
        assert_equal_to_coco(result, coco_reference(gts, preds, [0, 1, 2], max_dets=max_dets), [0, 1, 2])


def test_iou_exactly_at_threshold_and_area_boundaries():
    # IoU 0.5, 0.75 and 0.95 exactly (integer / half-integer coordinates are exact in floats);
    # a 32 x 32 GT (area 1024: small AND medium) and a 96 x 96 one (medium AND large).
    gts = [{"boxes": [[0, 0, 10, 10], [100, 100, 132, 132], [200, 200, 296, 296]], "labels": [0, 0, 1]}]
    preds = [{"boxes": [[0, 0, 10, 5], [0, 0, 10, 7.5], [100, 100, 132, 132], [200, 200, 296, 291.2]],
              "scores": [0.9, 0.8, 0.7, 0.6], "labels": [0, 0, 0, 1]}]
    result = ap.evaluate_detections(gts, preds)
    assert_equal_to_coco(result, coco_reference(gts, preds, [0, 1]), [0, 1])
    match = ap.match_detections([[0, 0, 10, 5]], [1.0], [[0, 0, 10, 10]], iou_threshold=[0.45, 0.5, 0.55])
    assert match.tp.tolist() == [[True], [True], [False]]  # IoU >= threshold counts


def test_identical_boxes_match_at_threshold_one():
    # COCOeval compares with min(t, 1 - 1e-10): IoU 1 matches even at threshold 1.0
    m = ap.match_detections([[0.1, 0.2, 3.3, 7.7]], [0.5], [[0.1, 0.2, 3.3, 7.7]], iou_threshold=1.0)
    assert m.tp.tolist() == [True] and m.gt_index.tolist() == [0]


def test_matches_torchmetrics():
    from torchmetrics.detection import MeanAveragePrecision

    for seed in range(3):
        rng = np.random.default_rng(400 + seed)
        gts, preds = random_set(rng, n_images=6, n_classes=3, grid=1.0)  # float32-exact boxes
        metric = MeanAveragePrecision(
            iou_type="bbox",
            iou_thresholds=np.linspace(0.5, 0.95, 10).tolist(),
            rec_thresholds=np.linspace(0.0, 1.0, 101).tolist(),
        )
        metric.update(
            [{k: torch.as_tensor(v, dtype=torch.float32 if k != "labels" else torch.int64) for k, v in p.items()}
             for p in preds],
            [{k: torch.as_tensor(v, dtype=torch.float32 if k != "labels" else torch.int64) for k, v in g.items()}
             for g in gts],
        )
        ref = metric.compute()
        ours = ap.evaluate_detections(gts, preds)
        for key, tm_key in zip(STAT_KEYS, ("map", "map_50", "map_75", "map_small", "map_medium", "map_large"), strict=True):
            assert ours[key] == pytest.approx(float(ref[tm_key]), abs=1e-6), key
        assert ours["AR"] == pytest.approx(float(ref["mar_100"]), abs=1e-6)


# --------------------------------------------------------------------------------------------
# match_detections against COCOeval's own per-image matches
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(10))
def test_match_detections_equals_cocoeval_matches(seed):
    rng = np.random.default_rng(500 + seed)
    g = int(rng.integers(1, 8))
    xy = rng.integers(0, 40, (g, 2))
    gt_boxes = np.concatenate([xy, xy + rng.integers(10, 60, (g, 2))], axis=1).astype(float)
    src = rng.integers(0, g, 15)
    pred_boxes = np.round(gt_boxes[src] + rng.normal(0, 4, (15, 4)))  # crowded: many compete
    pred_boxes[:, 2:] = np.maximum(pred_boxes[:, 2:], pred_boxes[:, :2])
    scores = np.round(rng.random(15), 1)  # ties
    gts = [{"boxes": gt_boxes, "labels": np.zeros(g, dtype=int)}]
    preds = [{"boxes": pred_boxes, "scores": scores, "labels": np.zeros(15, dtype=int)}]
    coco = coco_reference(gts, preds, [0])
    area = (gt_boxes[:, 2] - gt_boxes[:, 0]) * (gt_boxes[:, 3] - gt_boxes[:, 1])
    # evalImgs order: area ranges all, small, medium, large (one image, one class)
    for a, (lo, hi) in enumerate(ap.COCO_AREA_RANGES.values()):
        ignore = (area < lo) | (area > hi)
        m = ap.match_detections(pred_boxes, scores, gt_boxes, ap.COCO_IOU_THRESHOLDS, gt_ignore=ignore)
        e = coco.evalImgs[a]
        det_index = np.array(e["dtIds"]) - 1  # loadRes numbers detections 1, 2, ... in input order
        gt_ids = np.where(m.gt_index >= 0, m.gt_index + 1, 0)[:, det_index]
        np.testing.assert_array_equal(gt_ids, e["dtMatches"])
        matched_ignored = (m.gt_index >= 0) & ~m.tp
        np.testing.assert_array_equal(matched_ignored[:, det_index], e["dtIgnore"] & (e["dtMatches"] > 0))


def test_match_detections_hand_example():
    gt = [[0, 0, 10, 10], [20, 0, 30, 10]]
    pred = [
        [0, 0, 10, 9],  # IoU 0.9 with GT 0
        [0, 0, 10, 10],  # IoU 1.0 with GT 0, but lower score: GT 0 is taken -> FP (duplicate)
        [20, 0, 30, 6],  # IoU 0.6 with GT 1
        [50, 50, 60, 60],  # overlaps nothing
    ]
    m = ap.match_detections(pred, [0.9, 0.8, 0.7, 0.95], gt, iou_threshold=0.5)
    assert m.tp.tolist() == [True, False, True, False]
    assert m.fp.tolist() == [False, True, False, True]
    assert m.gt_index.tolist() == [0, -1, 1, -1]
    # stricter threshold: the 0.6 match fails
    assert ap.match_detections(pred, [0.9, 0.8, 0.7, 0.95], gt, 0.7).tp.tolist() == [True, False, False, False]
    # a prediction takes the best *free* GT: here GT 0 (IoU 0.5) after GT 1 (IoU 0.6) is taken
    gt2 = [[0, 0, 10, 10], [5, 0, 15, 10]]
    p2 = [[3, 0, 13, 10], [4, 0, 14, 10]]
    m2 = ap.match_detections(p2, [0.9, 0.8], gt2, 0.3)
    assert m2.gt_index.tolist() == [1, 0]
    # an ignored GT makes its match neither TP nor FP
    m3 = ap.match_detections(pred, [0.9, 0.8, 0.7, 0.95], gt, 0.5, gt_ignore=[False, True])
    assert m3.tp.tolist() == [True, False, False, False]
    assert m3.fp.tolist() == [False, True, False, True]
    # ties in IoU go to the last GT (COCOeval), ties in score keep input order
    twins = [[0, 0, 10, 10], [0, 0, 10, 10]]
    assert ap.match_detections([[0, 0, 10, 10]], [1.0], twins, 0.5).gt_index.tolist() == [1]
    assert ap.match_detections([[0, 0, 10, 10]] * 2, [1.0, 1.0], twins, 0.5).gt_index.tolist() == [1, 0]


def test_match_detections_empty():
    m = ap.match_detections(np.zeros((0, 4)), [], [[0, 0, 1, 1]], 0.5)
    assert m.tp.shape == (0,) and m.gt_index.dtype == np.int64
    m = ap.match_detections([[0, 0, 1, 1]], [0.3], [], 0.5)
    assert m.tp.tolist() == [False] and m.fp.tolist() == [True] and m.gt_index.tolist() == [-1]


# --------------------------------------------------------------------------------------------
# Precision, recall and the three AP flavours, by hand
# --------------------------------------------------------------------------------------------
# 5 predictions (given out of order), 4 GT objects. By decreasing score: TP FP TP FP TP.
HAND_TP = [True, False, True, False, True]
HAND_SCORES = [0.9, 0.8, 0.7, 0.6, 0.5]
HAND_PERM = [3, 0, 4, 2, 1]


def test_precision_recall_by_hand():
    tp = np.array(HAND_TP)[HAND_PERM]
    scores = np.array(HAND_SCORES)[HAND_PERM]
    curve = ap.precision_recall(tp, scores, num_gt=4)
    np.testing.assert_allclose(curve.precision, [1, 1 / 2, 2 / 3, 2 / 4, 3 / 5], rtol=0, atol=1e-15)
    np.testing.assert_allclose(curve.recall, [0.25, 0.25, 0.5, 0.5, 0.75], rtol=0, atol=1e-15)
    assert curve.scores.tolist() == HAND_SCORES
    # batched: one row per threshold
    both = ap.precision_recall(np.stack([tp, np.zeros(5, bool)]), scores, 4)
    np.testing.assert_array_equal(both.precision[0], curve.precision)
    assert both.precision[1].tolist() == [0.0] * 5 and both.recall[1].tolist() == [0.0] * 5
    # ignored predictions (neither TP nor FP) leave the counts unchanged
    ignored = ap.precision_recall([False, True], [0.9, 0.8], 1, fp=[False, False])
    assert ignored.precision.tolist() == [0.0, 1.0] and ignored.recall.tolist() == [0.0, 1.0]


def test_precision_envelope():
    env = ap.precision_envelope([1.0, 0.5, 2 / 3, 0.5, 0.6])
    np.testing.assert_allclose(env, [1.0, 2 / 3, 2 / 3, 0.6, 0.6])
    assert ap.precision_envelope([]).shape == (0,)


def test_ap_flavours_by_hand():
    curve = ap.precision_recall(HAND_TP, HAND_SCORES, num_gt=4)
    r, p = curve.recall, curve.precision
    # VOC07: levels 0, .1, .2 -> 1; .3, .4, .5 -> 2/3; .6, .7 -> 0.6; .8, .9, 1 -> 0
    assert ap.ap_voc07_11point(r, p) == pytest.approx((3 * 1 + 3 * 2 / 3 + 2 * 0.6) / 11, abs=1e-15)
    # all points: 0.25 * 1 + 0.25 * 2/3 + 0.25 * 0.6 (+ 0.25 * 0 up to recall 1)
    assert ap.ap_all_points(r, p) == pytest.approx(17 / 30, abs=1e-15)
    # COCO: levels 0..0.25 (26) -> 1, 0.26..0.50 (25) -> 2/3, 0.51..0.75 (25) -> 0.6, rest 0
    assert ap.ap_coco_101(r, p) == pytest.approx((26 + 25 * 2 / 3 + 25 * 0.6) / 101, abs=1e-15)
    q = ap.interpolated_precision(r, p, [0.0, 0.25, 0.2500001, 0.75, 0.76])
    np.testing.assert_allclose(q, [1.0, 1.0, 2 / 3, 0.6, 0.0])


def test_ap_perfect_and_empty_curves():
    curve = ap.precision_recall([True, True], [0.9, 0.1], num_gt=2)
    for fn in (ap.ap_voc07_11point, ap.ap_all_points, ap.ap_coco_101):
        assert fn(curve.recall, curve.precision) == 1.0
        assert fn([], []) == 0.0
        assert fn([0.0, 0.0], [0.0, 0.0]) == 0.0
    # half the objects found, no false positives
    half = ap.precision_recall([True], [0.9], num_gt=2)
    assert ap.ap_all_points(half.recall, half.precision) == 0.5
    assert ap.ap_voc07_11point(half.recall, half.precision) == pytest.approx(6 / 11)
    assert ap.ap_coco_101(half.recall, half.precision) == pytest.approx(51 / 101)


def test_voc07_levels_use_linspace():
    # recall exactly 0.3 (3 of 10): np.arange(0, 1.1, 0.1)[3] = np.linspace(0, 1, 11)[3]
    # = 0.30000000000000004 would miss it
    tp = [True] * 3
    curve = ap.precision_recall(tp, [0.9, 0.8, 0.7], num_gt=10)
    assert curve.recall[-1] == 0.3
    assert ap.ap_voc07_11point(curve.recall, curve.precision) == pytest.approx(4 / 11)


# --------------------------------------------------------------------------------------------
# evaluate_detections: properties and small cases
# --------------------------------------------------------------------------------------------
def test_evaluate_perfect_and_missing_predictions():
    gts = [{"boxes": [[0, 0, 10, 10], [0, 0, 50, 50], [0, 0, 200, 200]], "labels": [0, 1, 1]}, {"boxes": [], "labels": []}]
    perfect = [{"boxes": gts[0]["boxes"], "scores": [0.5, 0.6, 0.7], "labels": [0, 1, 1]},
               {"boxes": [], "scores": [], "labels": []}]
    result = ap.evaluate_detections(gts, perfect)
    for key in (*STAT_KEYS, "AR"):
        assert result[key] == 1.0, key
    assert result["per_class"] == {0: 1.0, 1: 1.0}
    assert result["pr_curves"][0]["precision"].shape == (10, 101)
    assert result["precision"].shape == (10, 101, 2, 4) and result["recall"].shape == (10, 2, 4)
    nothing = [{"boxes": [], "scores": [], "labels": []}] * 2
    result = ap.evaluate_detections(gts, nothing)
    assert result["AP"] == 0.0 and result["AR"] == 0.0 and result["per_class"] == {0: 0.0, 1: 0.0}
    # no GT objects at all: AP undefined -> -1, as COCOeval
    result = ap.evaluate_detections([{"boxes": [], "labels": []}], [{"boxes": [[0, 0, 1, 1]], "scores": [1], "labels": [3]}])
    assert result["AP"] == -1 and result["per_class"] == {3: -1.0}


def test_evaluate_accepts_tensors_and_custom_thresholds():
    rng = np.random.default_rng(11)
    gts, preds = random_set(rng, n_images=5, n_classes=2, grid=1.0)
    as_tensors = lambda d: {k: torch.as_tensor(v, dtype=torch.float32 if k != "labels" else torch.int64) for k, v in d.items()}  # noqa: E731
    a = ap.evaluate_detections(gts, preds)
    b = ap.evaluate_detections([as_tensors(g) for g in gts], [as_tensors(p) for p in preds])
    scores_f32 = [dict(p, scores=np.float32(p["scores"]).astype(float)) for p in preds]
    c = ap.evaluate_detections(gts, scores_f32)
    for key in STAT_KEYS:
        assert b[key] == pytest.approx(c[key], abs=1e-12)
    assert a["AP50"] >= a["AP75"]
    only50 = ap.evaluate_detections(gts, preds, iou_thresholds=[0.5])
    assert only50["AP"] == pytest.approx(a["AP50"]) and only50["AP50"] == pytest.approx(a["AP50"])
    assert only50["AP75"] == -1
    sizes = ap.evaluate_detections(gts, preds, area_ranges={"all": (0, 1e10), "tiny": (0, 16**2)})
    assert "AP_tiny" in sizes and "AP_small" not in sizes and sizes["AP"] == pytest.approx(a["AP"])


def test_ap50_at_least_ap75_on_random_sets():
    for seed in range(10):
        gts, preds = random_set(np.random.default_rng(600 + seed), n_images=8, n_classes=3)
        result = ap.evaluate_detections(gts, preds)
        assert result["AP50"] >= result["AP75"] >= 0 or result["AP75"] == -1
        for cls, v in result["per_class_AP50"].items():
            assert v >= result["per_class"][cls]


# --------------------------------------------------------------------------------------------
# Korean error messages
# --------------------------------------------------------------------------------------------
GOOD_GT = {"boxes": [[0, 0, 10, 10]], "labels": [0]}
GOOD_PRED = {"boxes": [[0, 0, 10, 10]], "scores": [0.9], "labels": [0]}


def test_evaluate_input_errors():
    with pytest.raises(ValueError, match=r"gts와 preds의 길이.*len\(gts\)=2, len\(preds\)=1"):
        ap.evaluate_detections([GOOD_GT, GOOD_GT], [GOOD_PRED])
    with pytest.raises(ValueError, match=r"비어 있습니다"):
        ap.evaluate_detections([], [])
    with pytest.raises(TypeError, match=r"gts은\(는\) 이미지마다 사전\(dict\) 하나씩인 리스트"):
        ap.evaluate_detections(GOOD_GT, [GOOD_PRED])
    with pytest.raises(ValueError, match=r"preds\[0\]는 키 \['boxes', 'scores', 'labels'\]"):
        ap.evaluate_detections([GOOD_GT], [{"boxes": [[0, 0, 1, 1]], "labels": [0]}])
    with pytest.raises(ValueError, match=r"gts\[0\]\['boxes'\]의 모양은 \[N, 4\].*\(1, 3\)"):
        ap.evaluate_detections([{"boxes": [[0, 0, 10]], "labels": [0]}], [GOOD_PRED])
    with pytest.raises(ValueError, match=r"preds\[1\]\['scores'\]의 모양은 \[1\].*\(2,\)"):
        ap.evaluate_detections([GOOD_GT, GOOD_GT], [GOOD_PRED, dict(GOOD_PRED, scores=[0.1, 0.2])])
    with pytest.raises(ValueError, match=r"gts\[0\]\['labels'\]\[0\] = -1: 클래스 번호는 0 이상"):
        ap.evaluate_detections([dict(GOOD_GT, labels=[-1])], [GOOD_PRED])
    with pytest.raises(ValueError, match=r"preds\[0\]\['labels'\]의 모양은 \[1\]"):
        ap.evaluate_detections([GOOD_GT], [dict(GOOD_PRED, labels=[0, 1])])
    with pytest.raises(TypeError, match=r"preds\[0\]\['labels'\]은\(는\) 정수 클래스 번호"):
        ap.evaluate_detections([GOOD_GT], [dict(GOOD_PRED, labels=[0.5])])
    with pytest.raises(ValueError, match=r"preds\[0\]\['boxes'\]\[0\].*x2 >= x1"):
        ap.evaluate_detections([GOOD_GT], [dict(GOOD_PRED, boxes=[[10, 0, 0, 10]])])
    with pytest.raises(ValueError, match=r"preds\[0\]\['scores'\]\[0\] = nan"):
        ap.evaluate_detections([GOOD_GT], [dict(GOOD_PRED, scores=[float("nan")])])
    with pytest.raises(ValueError, match=r"iou_thresholds은\(는\) 0과 1 사이"):
        ap.evaluate_detections([GOOD_GT], [GOOD_PRED], iou_thresholds=[0.5, 1.5])
    with pytest.raises(ValueError, match=r"area_ranges.*'all'을 포함"):
        ap.evaluate_detections([GOOD_GT], [GOOD_PRED], area_ranges={"small": (0, 1024)})
    with pytest.raises(ValueError, match=r"최소 <= 최대"):
        ap.evaluate_detections([GOOD_GT], [GOOD_PRED], area_ranges={"all": (10, 1)})
    with pytest.raises(ValueError, match=r"max_dets은\(는\) 1 이상의 정수.*0"):
        ap.evaluate_detections([GOOD_GT], [GOOD_PRED], max_dets=0)


def test_curve_and_match_errors():
    with pytest.raises(ValueError, match=r"num_gt은\(는\) 1 이상의 정수.*0.*재현율"):
        ap.precision_recall([True], [0.5], num_gt=0)
    with pytest.raises(ValueError, match=r"scores의 모양은 \[2\]"):
        ap.precision_recall([True, False], [0.5], num_gt=1)
    with pytest.raises(ValueError, match=r"tp와 fp가 둘 다 True"):
        ap.precision_recall([True], [0.5], num_gt=1, fp=[True])
    with pytest.raises(ValueError, match=r"tp은\(는\) True/False"):
        ap.precision_recall([0.5], [0.5], num_gt=1)
    with pytest.raises(ValueError, match=r"recall은 .*줄어들 수 없습니다.*recall\[0\] = 0.5"):
        ap.ap_all_points([0.5, 0.25], [1.0, 0.5])
    with pytest.raises(ValueError, match=r"길이가 같은 1차원"):
        ap.ap_coco_101([0.5, 0.6], [1.0])
    with pytest.raises(ValueError, match=r"0과 1 사이의 값"):
        ap.ap_voc07_11point([0.5, 2.0], [1.0, 1.0])
    with pytest.raises(ValueError, match=r"pred_scores의 모양은 \[1\]"):
        ap.match_detections([[0, 0, 1, 1]], [0.5, 0.6], [[0, 0, 1, 1]])
    with pytest.raises(ValueError, match=r"gt_ignore는 GT마다 True/False 하나인 \[G\] = \[1\]"):
        ap.match_detections([[0, 0, 1, 1]], [0.5], [[0, 0, 1, 1]], gt_ignore=[True, False])
    with pytest.raises(ValueError, match=r"gt_boxes\[0\]에 NaN"):
        ap.match_detections([[0, 0, 1, 1]], [0.5], [[0, 0, float("nan"), 1]])
