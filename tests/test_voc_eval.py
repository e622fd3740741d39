"""evaluate_voc: the Pascal VOC protocol ("difficult" objects, the devkit's matching), equal to a
faithful port of the devkit's ``voc_eval`` (tests/voc_eval_port.py) on random sets.

Coordinates: the port gets 1-based inclusive VOC pixel indices and adds 1 pixel to widths, as
the devkit; evaluate_voc gets the same boxes converted by ``voc_to_xyxy`` (x1 = xmin - 1,
x2 = xmax), as ``read_voc`` returns them, and uses no +1. The IoUs are then identical.
"""
import numpy as np
import pytest

from helpers import annotations
from helpers import average_precision as ap
from voc_eval_port import voc_ap, voc_eval


def random_voc_set(rng, n_images=6, n_classes=3, halves=False):
    """GT in VOC pixels (integers, 1-based inclusive), ~25 % difficult; detections: noisy copies
    (some duplicates, some of another class) and random boxes; scores all distinct."""
    gts, preds = [], []
    for _ in range(n_images):
        g = int(rng.integers(0, 8))
        xy = rng.integers(1, 300, (g, 2))
        wh = rng.integers(1, 150, (g, 2))
        gt = np.concatenate([xy, xy + wh - 1], axis=1).astype(float)
        labels = rng.integers(0, n_classes, g)
        difficult = rng.random(g) < 0.25
        src = rng.integers(0, g, int(rng.integers(0, 2 * g + 1))) if g else np.zeros(0, dtype=int)
        det = gt[src] + rng.normal(0, 1, (len(src), 4)) * np.tile(wh[src], 2) * rng.uniform(0.02, 0.3)
        det_labels = np.where(rng.random(len(src)) < 0.1, rng.integers(0, n_classes, len(src)), labels[src])
        r = int(rng.integers(0, 4))
        rxy = rng.integers(1, 300, (r, 2))
        det = np.concatenate([det, np.concatenate([rxy, rxy + rng.integers(1, 150, (r, 2))], axis=1)])
        det_labels = np.concatenate([det_labels, rng.integers(0, n_classes, r)])
        det = np.round(det * 2) / 2 if halves else np.round(det)
        det[:, 2:] = np.maximum(det[:, 2:], det[:, :2])  # xmax >= xmin
        gts.append({"boxes": gt, "labels": labels, "difficult": difficult})
        preds.append({"boxes": det, "labels": det_labels})
    total = sum(len(p["boxes"]) for p in preds)
    scores = rng.permutation(total) / total + 0.001  # distinct: the devkit's sort is not stable
    start = 0
    for p in preds:
        p["scores"] = scores[start:start + len(p["boxes"])]
        start += len(p["boxes"])
    return gts, preds


def devkit(gts, preds, classname, iou_threshold=0.5, use_07_metric=False):
    names = [f"{i:06d}" for i in range(len(gts))]
    recs = {n: [{"name": int(c), "bbox": list(b), "difficult": int(d)}
                for b, c, d in zip(g["boxes"], g["labels"], g["difficult"], strict=True)]
            for n, g in zip(names, gts, strict=True)}
    dets = [(n, s, list(b)) for n, p in zip(names, preds, strict=True)
            for b, s, c in zip(p["boxes"], p["scores"], p["labels"], strict=True) if c == classname]
    return voc_eval(recs, names, dets, classname, iou_threshold, use_07_metric)


def ours(gts, preds, **kwargs):
    conv = lambda d: dict(d, boxes=annotations.voc_to_xyxy(d["boxes"]))  # noqa: E731
    return ap.evaluate_voc([conv(g) for g in gts], [conv(p) for p in preds], **kwargs)


@pytest.mark.parametrize("seed", range(24))
@pytest.mark.parametrize("metric", ["all_points", "11point"])
def test_evaluate_voc_equals_devkit(seed, metric):
    rng = np.random.default_rng(seed)
    n_classes = 1 + seed % 3
    gts, preds = random_voc_set(rng, 4 + seed % 5, n_classes, halves=seed % 2 == 1)
    threshold = (0.5, 0.3, 0.7)[seed % 3]
    result = ours(gts, preds, iou_threshold=threshold, metric=metric)
    values = []
    for c in range(n_classes):
        npos = sum(int(np.sum((g["labels"] == c) & ~g["difficult"])) for g in gts)
        if npos == 0:
            assert result["per_class"].get(c, -1.0) == -1.0
            continue
        rec, prec, expected = devkit(gts, preds, c, threshold, use_07_metric=metric == "11point")
        assert result["per_class"][c] == pytest.approx(expected, abs=1e-12), c
        assert result["num_gt"][c] == npos
        values.append(expected)
        # the raw curves agree too (the devkit keeps ignored detections as repeated points)
        kept = np.r_[True, (np.diff(rec) != 0) | (np.diff(prec) != 0)] if len(rec) else np.zeros(0, bool)
        curve = result["pr_curves"][c]
        assert set(np.round(curve["recall"], 12)) <= set(np.round(rec[kept], 12)) | {0.0}
    assert result["mAP"] == pytest.approx(np.mean(values) if values else -1.0, abs=1e-12)


def test_difficult_rules_by_hand():
    # VOC pixels. GT 0 regular, GT 1 difficult, GT 2 regular right next to GT 0.
    gts = [{"boxes": np.array([[1, 1, 10, 10], [50, 50, 60, 60], [4, 1, 13, 10]], float),
            "labels": np.array([0, 0, 0]), "difficult": np.array([False, True, False])}]
    preds = [{"boxes": np.array([[1, 1, 10, 10],    # IoU 1 with GT 0: TP
                                 [1, 1, 10, 10],    # again GT 0 (best IoU), already taken: FP
                                 #                    (GT 2 also overlaps 0.54 > 0.5 but is not tried)
                                 [50, 50, 60, 60],  # the difficult GT: ignored
                                 [100, 100, 110, 110]], float),  # nothing: FP
              "scores": np.array([0.9, 0.8, 0.7, 0.6]), "labels": np.array([0, 0, 0, 0])}]
    result = ours(gts, preds)
    assert result["num_gt"] == {0: 2}
    curve = result["pr_curves"][0]
    assert curve["recall"].tolist() == [0.5, 0.5, 0.5] and curve["scores"].tolist() == [0.9, 0.8, 0.6]
    _, _, expected = devkit(gts, preds, 0)
    assert result["per_class"][0] == pytest.approx(expected, abs=1e-15) == 0.5
    # COCO's rules would give the second prediction to the free GT 2 instead
    coco = ap.match_detections(annotations.voc_to_xyxy(preds[0]["boxes"][:2]), [0.9, 0.8],
                               annotations.voc_to_xyxy(gts[0]["boxes"]), 0.5)
    assert coco.tp.tolist() == [True, True]


def test_iou_exactly_at_threshold_is_not_a_match():
    # VOC: ovmax > ovthresh (strict). 10 x 10 GT, a 10 x 5 prediction inside: IoU exactly 0.5.
    gts = [{"boxes": np.array([[1, 1, 10, 10]], float), "labels": np.array([0]), "difficult": np.array([False])}]
    preds = [{"boxes": np.array([[1, 1, 10, 5]], float), "scores": np.array([0.9]), "labels": np.array([0])}]
    assert ours(gts, preds)["per_class"][0] == 0.0 == devkit(gts, preds, 0)[2]
    # COCO counts IoU >= threshold
    conv = annotations.voc_to_xyxy
    assert ap.match_detections(conv(preds[0]["boxes"]), [0.9], conv(gts[0]["boxes"]), 0.5).tp.tolist() == [True]


def test_plus_one_convention_gives_the_same_iou():
    # devkit IoU on VOC pixels (+1) == our IoU on converted edges (no +1)
    rng = np.random.default_rng(3)
    a = rng.integers(1, 50, (20, 2))
    voc_a = np.concatenate([a, a + rng.integers(0, 30, (20, 2))], axis=1).astype(float)
    b = rng.integers(1, 50, (20, 2))
    voc_b = np.concatenate([b, b + rng.integers(0, 30, (20, 2))], axis=1).astype(float)
    inter_w = np.maximum(np.minimum(voc_a[:, None, 2], voc_b[None, :, 2]) - np.maximum(voc_a[:, None, 0], voc_b[None, :, 0]) + 1, 0)
    inter_h = np.maximum(np.minimum(voc_a[:, None, 3], voc_b[None, :, 3]) - np.maximum(voc_a[:, None, 1], voc_b[None, :, 1]) + 1, 0)
    area = lambda v: (v[:, 2] - v[:, 0] + 1) * (v[:, 3] - v[:, 1] + 1)  # noqa: E731
    inter = inter_w * inter_h
    devkit_iou = inter / (area(voc_a)[:, None] + area(voc_b)[None, :] - inter)
    from helpers.boxes import box_iou

    iou = box_iou(annotations.voc_to_xyxy(voc_a), annotations.voc_to_xyxy(voc_b)).numpy()
    np.testing.assert_array_equal(iou, devkit_iou)


def test_read_voc_files_equal_devkit(tmp_path):
    # the whole path a learner takes: VOC XML files with difficult objects -> read_voc -> evaluate_voc
    gts, preds = random_voc_set(np.random.default_rng(77), n_images=6, n_classes=2)
    names = ["cat", "dog"]
    records = [{"file_name": f"{i:06d}.jpg", "width": 500, "height": 500,
                "boxes": annotations.voc_to_xyxy(g["boxes"]), "labels": [names[c] for c in g["labels"]],
                "difficult": list(g["difficult"])} for i, g in enumerate(gts)]
    annotations.write_voc(records, tmp_path / "a")
    back = annotations.read_voc(tmp_path / "a")
    named = [dict(p, boxes=annotations.voc_to_xyxy(p["boxes"]), labels=[names[c] for c in p["labels"]]) for p in preds]
    result = ap.evaluate_voc(back, named, metric="11point")
    for c, name in enumerate(names):
        assert result["per_class"][name] == pytest.approx(devkit(gts, preds, c, use_07_metric=True)[2], abs=1e-12)


def test_eleven_point_levels_exact_vs_devkit():
    # 3 of 10 objects found, no false positives: recall exactly 0.3 (= 3/10)
    curve = ap.precision_recall([True] * 3, [0.9, 0.8, 0.7], num_gt=10)
    assert curve.recall[-1] == 0.3
    exact = ap.ap_voc07_11point(curve.recall, curve.precision)
    dev = ap.ap_voc07_11point(curve.recall, curve.precision, levels="devkit")
    assert exact == pytest.approx(4 / 11)  # levels 0, .1, .2, .3 reached
    assert dev == pytest.approx(3 / 11)  # 0.30000000000000004 > 0.3 is not reached
    assert dev == pytest.approx(voc_ap(curve.recall, curve.precision, use_07_metric=True), abs=1e-15)
    assert ap.VOC_DEVKIT_RECALL_LEVELS[3] == 0.30000000000000004
    # 6 and 7 of 10 differ too; other recalls agree
    for found, differs in ((6, True), (7, True), (5, False), (8, False)):
        c = ap.precision_recall([True] * found, np.linspace(1, 0.5, found), num_gt=10)
        a, b = ap.ap_voc07_11point(c.recall, c.precision), ap.ap_voc07_11point(c.recall, c.precision, levels="devkit")
        assert (a != b) == differs, found
    with pytest.raises(ValueError, match=r"levels는 'exact' 또는 'devkit'"):
        ap.ap_voc07_11point(curve.recall, curve.precision, levels="matlab")


def test_ties_in_score_are_stable():
    gts = [{"boxes": [[0, 0, 10, 10]], "labels": [0]}]
    preds = [{"boxes": [[0, 0, 10, 10], [0, 0, 10, 10]], "scores": [0.5, 0.5], "labels": [0, 0]}]
    result = ap.evaluate_voc(gts, preds)
    assert result["pr_curves"][0]["precision"].tolist() == [1.0, 0.5]


GT = {"boxes": [[0, 0, 10, 10]], "labels": [0]}
PRED = {"boxes": [[0, 0, 10, 10]], "scores": [0.9], "labels": [0]}


@pytest.mark.parametrize(
    ("gt", "pred", "kwargs", "match"),
    [
        (dict(GT, difficult=["yes"]), PRED, {}, r"gts\[0\]\['difficult'\]는 GT마다 True/False"),
        (GT, PRED, {"metric": "voc07"}, r"metric은 'all_points' 또는 '11point'"),
        (GT, PRED, {"iou_threshold": 50}, r"iou_threshold은\(는\) 0과 1 사이"),
        (GT, PRED, {"iou_threshold": [0.5, 0.7]}, r"iou_threshold는 0과 1 사이의 실수 하나"),
        (GT, dict(PRED, scores=[float("nan")]), {}, r"preds\[0\]\['scores'\]\[0\] = nan"),
    ],
)
def test_evaluate_voc_input_errors(gt, pred, kwargs, match):
    with pytest.raises(ValueError, match=match):
        ap.evaluate_voc([gt], [pred], **kwargs)


def test_a_class_with_only_difficult_objects_has_no_ap():
    assert ap.evaluate_voc([dict(GT, difficult=[True])], [PRED]) == {
        "per_class": {0: -1.0}, "num_gt": {0: 0}, "pr_curves": {}, "metric": "all_points",
        "iou_threshold": 0.5, "mAP": -1.0}
