"""evaluate_detections on COCO files as they really are: per-object ``area`` (the segmentation's,
not the box's) and crowd regions (``iscrowd = 1``), checked against pycocotools COCOeval.

Every number COCOeval's summarize() prints (12 stats: AP, AP50, AP75, AP_S/M/L, AR@1, AR@10,
AR@100, AR_S/M/L) and its whole precision array must agree to 1e-6, on random sets with crowd
regions that several detections fall into, areas that put objects into another size range
than their box would, ties, IoUs exactly at thresholds, and records read back by read_coco.
"""
import contextlib
import io

import numpy as np
import pytest
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

from helpers import annotations
from helpers import average_precision as ap

STATS = ("AP", "AP50", "AP75", "AP_small", "AP_medium", "AP_large",
         "AR@1", "AR@10", "AR@100", "AR_small", "AR_medium", "AR_large")  # fmt: skip


def coco_eval(gts, preds, classes, max_dets=(1, 10, 100)):
    """COCOeval on the same data: image id = position + 1, category id = index in classes + 1,
    GT ``area`` and ``iscrowd`` taken from the records (box area / 0 when absent)."""
    images = [{"id": i + 1, "width": 1000, "height": 1000} for i in range(len(gts))]
    cat = {c: k + 1 for k, c in enumerate(classes)}
    anns, dets = [], []
    for i, gt in enumerate(gts):
        boxes = np.asarray(gt["boxes"], dtype=np.float64).reshape(-1, 4)
        areas = gt.get("areas", (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]))
        crowd = gt.get("iscrowd", np.zeros(len(boxes), dtype=int))
        for box, label, area, c in zip(boxes, gt["labels"], areas, crowd, strict=True):
            anns.append({"id": len(anns) + 1, "image_id": i + 1, "category_id": cat[label],
                         "bbox": [float(box[0]), float(box[1]), float(box[2] - box[0]), float(box[3] - box[1])],
                         "area": float(area), "iscrowd": int(c)})
    for i, pred in enumerate(preds):
        for box, score, label in zip(np.asarray(pred["boxes"], dtype=np.float64).reshape(-1, 4),
                                     pred["scores"], pred["labels"], strict=True):
            dets.append({"image_id": i + 1, "category_id": cat[label], "score": float(score),
                         "bbox": [float(box[0]), float(box[1]), float(box[2] - box[0]), float(box[3] - box[1])]})
    with contextlib.redirect_stdout(io.StringIO()):
        gt_api = COCO()
        gt_api.dataset = {"images": images, "annotations": anns,
                          "categories": [{"id": k + 1, "name": str(c)} for k, c in enumerate(classes)]}
        gt_api.createIndex()
        dt_api = gt_api.loadRes(dets)
        coco = COCOeval(gt_api, dt_api, "bbox")
        coco.params.maxDets = list(max_dets)
        coco.evaluate()
        coco.accumulate()
        coco.summarize()
    return coco


def assert_equal(result, coco, classes):
    ours = [result[key] for key in STATS]
    np.testing.assert_allclose(ours, coco.stats, rtol=0, atol=1e-6, err_msg=str(dict(zip(STATS, coco.stats, strict=True))))
    ref = coco.eval["precision"][..., -1]  # [T, R, K, A] at maxDets 100
    order = [classes.index(c) for c in result["classes"]]
    np.testing.assert_allclose(result["precision"], ref[:, :, order, :], rtol=0, atol=1e-9)
    np.testing.assert_allclose(result["recall"], coco.eval["recall"][..., -1][:, order, :], rtol=0, atol=1e-12)


def random_crowd_set(rng, n_images=6, n_classes=3, grid=None, ties=False):
    """Objects of all sizes, ~20 % of them crowd regions (large boxes that several detections
    fall into), every annotation ``area`` between 0.3x and 1.2x its box area (a segmentation is
    smaller than its box; some cross the 32² / 96² bounds), noisy and random detections."""
    gts, preds = [], []
    for _ in range(n_images):
        g = int(rng.integers(0, 9))
        wh = np.exp(rng.uniform(np.log(4), np.log(300), (g, 2)))
        xy = rng.uniform(0, 400, (g, 2))
        boxes = np.concatenate([xy, xy + wh], axis=1)
        crowd = (rng.random(g) < 0.2).astype(np.int64)
        labels = rng.integers(0, n_classes, g)
        areas = wh[:, 0] * wh[:, 1] * rng.uniform(0.3, 1.2, g)
        if grid:
            boxes = np.round(boxes / grid) * grid
            areas = np.round(areas)
        det_boxes, det_labels = [np.zeros((0, 4))], [np.zeros(0, dtype=np.int64)]
        for j in range(g):
            k = int(rng.integers(0, 5 if crowd[j] else 3))  # crowds attract several detections
            w, h = boxes[j, 2] - boxes[j, 0], boxes[j, 3] - boxes[j, 1]
            if crowd[j]:  # small detections inside the crowd region
                c = boxes[j, :2] + rng.uniform(0, 1, (k, 2)) * [w, h]
                s = rng.uniform(0.05, 0.4, (k, 2)) * [w, h]
                det = np.concatenate([c - s / 2, c + s / 2], axis=1)
            else:
                det = boxes[j] + rng.normal(0, rng.uniform(0.02, 0.2), (k, 4)) * [w, h, w, h]
            det_boxes.append(det)
            det_labels.append(np.where(rng.random(k) < 0.1, rng.integers(0, n_classes, k), labels[j]))
        r = int(rng.integers(0, 5))
        rxy, rwh = rng.uniform(0, 400, (r, 2)), np.exp(rng.uniform(np.log(4), np.log(300), (r, 2)))
        det_boxes.append(np.concatenate([rxy, rxy + rwh], axis=1))
        det_labels.append(rng.integers(0, n_classes, r))
        det = np.concatenate(det_boxes)
        if grid:
            det = np.round(det / grid) * grid
        det[:, 2:] = np.maximum(det[:, 2:], det[:, :2])
        scores = rng.random(len(det))
        if ties:
            scores = np.round(scores, 1)
        gts.append({"boxes": boxes, "labels": labels, "areas": areas, "iscrowd": crowd})
        preds.append({"boxes": det, "scores": scores, "labels": np.concatenate(det_labels)})
    if not any(len(p["boxes"]) for p in preds):  # loadRes needs one detection
        preds[0] = {"boxes": np.array([[0.0, 0.0, 10.0, 10.0]]), "scores": np.array([0.5]), "labels": np.array([0])}
    return gts, preds


CASES = [
    *[(seed, 4 + seed % 6, 1 + seed % 3, None, False) for seed in range(16)],
    *[(100 + seed, 5, 2, 4.0, False) for seed in range(6)],  # IoU exactly at thresholds
    *[(200 + seed, 6, 2, None, True) for seed in range(6)],  # tied scores
]


@pytest.mark.parametrize(("seed", "n_images", "n_classes", "grid", "ties"), CASES)
def test_crowd_and_area_equal_cocoeval(seed, n_images, n_classes, grid, ties):
    gts, preds = random_crowd_set(np.random.default_rng(seed), n_images, n_classes, grid, ties)
    classes = list(range(n_classes))
    assert_equal(ap.evaluate_detections(gts, preds), coco_eval(gts, preds, classes), classes)


def test_max_dets_1_10_100_equal_cocoeval():
    rng = np.random.default_rng(7)
    gts, preds = random_crowd_set(rng, n_images=5, n_classes=2)
    for p in preds:  # many detections per image: maxDets 1 and 10 cut them
        n = len(p["boxes"])
        p["boxes"] = np.tile(p["boxes"], (15, 1)) + rng.normal(0, 3, (15 * n, 4))
        p["boxes"][:, 2:] = np.maximum(p["boxes"][:, 2:], p["boxes"][:, :2])
        p["labels"], p["scores"] = np.tile(p["labels"], 15), rng.random(15 * n)
    result = ap.evaluate_detections(gts, preds)
    assert_equal(result, coco_eval(gts, preds, [0, 1]), [0, 1])
    assert result["AR@1"] <= result["AR@10"] <= result["AR@100"] == result["AR"]
    small = ap.evaluate_detections(gts, preds, max_dets=20)
    coco = coco_eval(gts, preds, [0, 1], max_dets=(1, 10, 20))
    np.testing.assert_allclose([small[k] for k in ("AR@1", "AR@10", "AR@20")], coco.stats[6:9], atol=1e-6)


def test_crowd_rules_by_hand():
    # one person (regular) and one crowd region; detections: the person, two inside the crowd
    gts = [{"boxes": [[0, 0, 10, 10], [100, 100, 200, 200]], "labels": [0, 0], "iscrowd": [0, 1]}]
    preds = [{"boxes": [[0, 0, 10, 10], [110, 110, 130, 130], [150, 150, 170, 170], [300, 300, 310, 310]],
              "scores": [0.9, 0.8, 0.7, 0.6], "labels": [0, 0, 0, 0]}]
    # IoU with the crowd = area inside / detection area = 1 (union would give 400 / 10000)
    m = ap.match_detections(preds[0]["boxes"], preds[0]["scores"], gts[0]["boxes"], 0.5, gt_iscrowd=[0, 1])
    assert m.gt_index.tolist() == [0, 1, 1, -1]  # both crowd detections match the one region
    assert m.tp.tolist() == [True, False, False, False]
    assert m.fp.tolist() == [False, False, False, True]  # crowd matches are ignored, not FP
    result = ap.evaluate_detections(gts, preds)
    assert_equal(result, coco_eval(gts, preds, [0]), [0])
    # precision: TP, (ignored), (ignored), FP -> AP50 = 1 up to recall 1
    assert result["AP50"] == 1.0
    # without the crowd flag the two detections would be false positives
    plain = ap.evaluate_detections([{k: v for k, v in gts[0].items() if k != "iscrowd"}], preds)
    assert plain["AP50"] < 1.0


def test_size_range_uses_annotation_area_not_box_area():
    # a 100 x 100 box whose segmentation covers 900 px: a *small* object for COCO
    gts = [{"boxes": [[0, 0, 100, 100]], "labels": [0], "areas": [900.0]}]
    preds = [{"boxes": [[0, 0, 100, 100]], "scores": [0.9], "labels": [0]}]
    result = ap.evaluate_detections(gts, preds)
    assert result["AP_small"] == 1.0 and result["AP_large"] == -1
    assert_equal(result, coco_eval(gts, preds, [0]), [0])
    by_box = ap.evaluate_detections([{"boxes": [[0, 0, 100, 100]], "labels": [0]}], preds)
    assert by_box["AP_small"] == -1 and by_box["AP_large"] == 1.0


def test_records_from_read_coco_with_class_names(tmp_path):
    # a real COCO file (write_coco), crowd and area included, evaluated with class names
    gts, preds = random_crowd_set(np.random.default_rng(42), n_images=5, n_classes=3)
    names = ["cat", "dog", "eel"]
    records = [{"file_name": f"{i}.png", "width": 800, "height": 800, "boxes": g["boxes"],
                "labels": [names[c] for c in g["labels"]], "areas": g["areas"], "iscrowd": g["iscrowd"]}
               for i, g in enumerate(gts)]
    back = annotations.read_coco(annotations.write_coco(records, tmp_path / "gt.json", classes=names))
    named_preds = [dict(p, labels=[names[c] for c in p["labels"]]) for p in preds]
    result = ap.evaluate_detections(back, named_preds)
    assert list(result["per_class"]) == [n for n in names if n in result["per_class"]]
    assert_equal(result, coco_eval(gts, preds, [0, 1, 2]), names)
    with pytest.raises(TypeError, match=r"클래스 이름\(문자열\)인데 .*클래스 번호\(정수\)"):
        ap.evaluate_detections(back, preds)


def test_cocoeval_per_image_matches_with_crowd():
    # match_detections(gt_iscrowd=...) reproduces COCOeval's own dtMatches / dtIgnore
    for seed in range(8):
        rng = np.random.default_rng(900 + seed)
        gts, preds = random_crowd_set(rng, n_images=1, n_classes=1, grid=2.0, ties=True)
        if not len(gts[0]["boxes"]):
            continue
        coco = coco_eval(gts, preds, [0])
        e = coco.evalImgs[0]  # class 0, area "all", image 1
        g, p = gts[0], preds[0]
        m = ap.match_detections(p["boxes"], p["scores"], g["boxes"], ap.COCO_IOU_THRESHOLDS, gt_iscrowd=g["iscrowd"])
        det_index = np.array(e["dtIds"]) - 1
        np.testing.assert_array_equal(np.where(m.gt_index >= 0, m.gt_index + 1, 0)[:, det_index], e["dtMatches"])
        np.testing.assert_array_equal((~m.tp & ~m.fp)[:, det_index], e["dtIgnore"])


GT = {"boxes": [[0, 0, 10, 10]], "labels": [0]}
PRED = {"boxes": [[0, 0, 10, 10]], "scores": [0.9], "labels": [0]}


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        ({"iscrowd": ["yes"]}, r"gts\[0\]\['iscrowd'\]는 GT마다 True/False.*'yes'"),
        ({"iscrowd": [2]}, r"gts\[0\]\['iscrowd'\]"),
        ({"areas": [float("nan")]}, r"gts\[0\]\['areas'\]\[0\] = nan: 넓이는 0 이상의 유한한"),
        ({"areas": ["100"]}, r"gts\[0\]\['areas'\]는 객체마다 넓이"),
        ({"areas": [-5.0]}, r"gts\[0\]\['areas'\]\[0\] = -5.0"),
    ],
)
def test_bad_area_and_iscrowd_values(bad, match):
    with pytest.raises(ValueError, match=match):
        ap.evaluate_detections([{**GT, **bad}], [PRED])


def test_difficult_flags_are_not_used_by_the_coco_protocol():
    with pytest.warns(UserWarning, match=r"difficult.*evaluate_voc"):
        ap.evaluate_detections([dict(GT, difficult=[True])], [PRED])
