"""Our COCO-style mAP (helpers.average_precision.evaluate_detections) against pycocotools COCOeval.

Budget (COURSE_DESIGN §7): equal to pycocotools (|ΔAP| <= 1e-6) and not slower, on 1,000 images
x 100 detections (about 10 GT objects per image, 5 classes). The quick profile uses 100 images.

    python -m benchmarks.run map        # or: python -m benchmarks.bench_map
"""
from __future__ import annotations

import contextlib
import io
import time

import numpy as np

from helpers import sizes
from helpers.average_precision import evaluate_detections

STATS = ("AP", "AP50", "AP75", "AP_small", "AP_medium", "AP_large")


def make_detection_set(num_images: int, dets_per_image: int = 100, gt_per_image: float = 10,
                       num_classes: int = 5, image_size: float = 640.0, seed: int = 0):
    """A synthetic detector output: per image ~``gt_per_image`` GT boxes of all sizes, and
    ``dets_per_image`` predictions = 2 noisy copies of each GT (some with a wrong class) plus
    random background boxes, uniform random scores."""
    rng = np.random.default_rng(seed)
    gts, preds = [], []
    for _ in range(num_images):
        g = int(rng.poisson(gt_per_image))
        wh = np.exp(rng.uniform(np.log(4), np.log(300), (g, 2)))  # small, medium and large
        xy = rng.uniform(0, image_size, (g, 2))
        gt_boxes = np.concatenate([xy, xy + wh], axis=1)
        gt_labels = rng.integers(0, num_classes, g)
        src = np.repeat(np.arange(g), 2)[:dets_per_image]
        copies = gt_boxes[src] + rng.normal(0, 0.08, (len(src), 4)) * np.tile(wh[src], 2)
        copy_labels = np.where(rng.random(len(src)) < 0.1, rng.integers(0, num_classes, len(src)), gt_labels[src])
        r = dets_per_image - len(src)
        rwh = np.exp(rng.uniform(np.log(4), np.log(300), (r, 2)))
        rxy = rng.uniform(0, image_size, (r, 2))
        boxes = np.concatenate([copies, np.concatenate([rxy, rxy + rwh], axis=1)])
        boxes[:, 2:] = np.maximum(boxes[:, 2:], boxes[:, :2] + 1)
        labels = np.concatenate([copy_labels, rng.integers(0, num_classes, r)])
        gts.append({"boxes": gt_boxes, "labels": gt_labels})
        preds.append({"boxes": boxes, "scores": rng.random(len(boxes)), "labels": labels})
    return gts, preds


def run_cocoeval(gts, preds, num_classes: int):
    """pycocotools on the same boxes; returns (COCOeval, seconds for evaluate+accumulate+summarize)."""
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    anns, dets = [], []
    for i, (gt, pred) in enumerate(zip(gts, preds, strict=True)):
        for b, label in zip(gt["boxes"], gt["labels"], strict=True):
            w, h = b[2] - b[0], b[3] - b[1]
            anns.append({"id": len(anns) + 1, "image_id": i + 1, "category_id": int(label) + 1, "iscrowd": 0,
                         "bbox": [float(b[0]), float(b[1]), float(w), float(h)], "area": float(w * h)})
        for b, s, label in zip(pred["boxes"], pred["scores"], pred["labels"], strict=True):
            dets.append({"image_id": i + 1, "category_id": int(label) + 1, "score": float(s),
                         "bbox": [float(b[0]), float(b[1]), float(b[2] - b[0]), float(b[3] - b[1])]})
    with contextlib.redirect_stdout(io.StringIO()):
        coco_gt = COCO()
        coco_gt.dataset = {"images": [{"id": i + 1} for i in range(len(gts))], "annotations": anns,
                           "categories": [{"id": c + 1} for c in range(num_classes)]}
        coco_gt.createIndex()
        coco_dt = coco_gt.loadRes(dets)
        start = time.perf_counter()
        coco = COCOeval(coco_gt, coco_dt, "bbox")
        coco.evaluate()
        coco.accumulate()
        coco.summarize()
        seconds = time.perf_counter() - start
    return coco, seconds


def rows() -> list[dict]:
    num_images = sizes.for_module("bench_map").num_images
    num_classes = 5
    gts, preds = make_detection_set(num_images, num_classes=num_classes)

    start = time.perf_counter()
    ours = evaluate_detections(gts, preds)
    ours_s = time.perf_counter() - start
    coco, coco_s = run_cocoeval(gts, preds, num_classes)

    diff = max(abs(ours[key] - coco.stats[i]) for i, key in enumerate(STATS))
    diff = max(diff, float(np.abs(ours["precision"] - coco.eval["precision"][..., -1]).max()))
    size = f"{num_images} images x 100 detections, {num_classes} classes"
    return [
        {"name": "map_time_vs_cocoeval", "measured": ours_s / coco_s, "budget": 1.0, "unit": "×",
         "note": f"ours {ours_s:.2f} s / COCOeval {coco_s:.2f} s ({size})"},
        {"name": "map_max_abs_diff", "measured": diff, "budget": 1e-6, "unit": "",
         "note": f"max |Δ| over AP, AP50, AP75, AP_S/M/L and precision[T,R,K,A]; AP = {ours['AP']:.4f}"},
    ]


if __name__ == "__main__":
    for row in rows():
        ok = row["measured"] <= row["budget"]
        print(f"{row['name']:24s} {row['measured']:.3g} {row['unit']} (budget {row['budget']:g}) "
              f"{'ok' if ok else 'OVER'}  {row['note']}")
