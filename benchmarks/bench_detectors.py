"""Lesson 07's detectors on the shapes dataset: accuracy, training time and speed.

Each detector is trained exactly as lesson 07 trains it (its table in :mod:`helpers.sizes`,
``sizes.for_lesson("07")``, for the active profile), then evaluated on the test split and timed on the same test images
(``speed_images`` of the plan). A detector whose plan has ``fit=None`` is only timed (no mAP and
no training-time row): SSDlite, which the lesson builds only to show SSD's default boxes.

Rows (every budget is an upper bound, as ``benchmarks/run.py`` expects):

* ``<detector>_1_minus_map50``: 1 − mAP50 on the test split. Budget 0.2 (mAP50 ≥ 0.8) for the
  YOLO-style detector and Faster R-CNN in the full profile; informational (budget 1) otherwise.
* ``<detector>_train_s``: training wall-clock seconds; budget = the detector's share of the
  notebook's time budget (full: 15 min on 2 CPU cores, quick: 90 s).
* ``<detector>_ms_per_image``: inference time per image (batch of 32, warm-up excluded);
  informational. The note gives images/s.
* ``yolo_vs_rcnn_time``: YOLO's time per image / mini R-CNN's. The lesson's claim that a
  one-stage detector is faster than R-CNN holds when this is ≤ 1.
* ``retinanet_vs_faster_rcnn_time``: RetinaNet's time per image / Faster R-CNN's, the like-for-like
  pair (same backbone, input size and anchors). ≤ 1: one stage is faster.

    python -m benchmarks.run detectors      # or: python -m benchmarks.bench_detectors
"""
from __future__ import annotations

import math
import time

import torch

from helpers.detectors.common import evaluate_detector, measure_speed, train_detector
from helpers.detectors.rcnn import MiniRCNN
from helpers.detectors.torchvision_models import build_faster_rcnn, build_retinanet, build_ssdlite
from helpers.detectors.yolo import TinyYOLO
from helpers.environment import seed_everything
from helpers.shapes import ShapesConfig, splits
from helpers.sizes import for_lesson, for_module


def build(name: str, plan: dict, num_classes: int, image_size: int):
    if name == "yolo":
        return TinyYOLO(num_classes, image_size=image_size, **plan.get("model", {}))
    if name == "faster_rcnn":
        return build_faster_rcnn(num_classes, image_size, **plan.get("model", {}))
    if name == "ssdlite":
        return build_ssdlite(num_classes, **plan.get("model", {}))
    if name == "retinanet":
        return build_retinanet(num_classes, image_size, **plan.get("model", {}))
    return MiniRCNN(num_classes, **plan.get("model", {}))


def run_detector(name: str, plan: dict, train, test, speed_images, repeats: int = 3) -> dict:
    seed_everything(0)
    num_classes = len(train.classes) - 1
    model = build(name, plan, num_classes, train.config.image_size)
    if plan["fit"] is None:  # timed only
        images_per_s = measure_speed(model, speed_images, warmup=1, repeats=repeats)
        return {"AP50": math.nan, "AP": math.nan, "AP_small": math.nan, "train_s": 0.0,
                "images_per_s": images_per_s, "images": 0}
    start = time.perf_counter()
    if name == "rcnn":
        subset = torch.utils.data.Subset(train, range(min(len(train), plan["images"])))
        model.fit(subset, **plan["fit"], progress=False)
    else:
        subset = torch.utils.data.Subset(train, range(min(len(train), plan["images"])))
        train_detector(model, subset, **plan["fit"], progress=False)
    train_s = time.perf_counter() - start
    result = evaluate_detector(model, test)
    images_per_s = measure_speed(model, speed_images, warmup=1, repeats=repeats)
    return {"AP50": result["AP50"], "AP": result["AP"], "AP_small": result["AP_small"], "train_s": train_s,
            "images_per_s": images_per_s, "images": len(subset)}


def rows() -> list[dict]:
    plan = for_lesson("07")
    config = ShapesConfig(image_size=plan["image_size"])
    train, _, test = splits(config, n_train=plan["train_images"], n_val=0, n_test=plan["test_images"])
    speed_images = torch.stack([test[i][0] for i in range(min(plan["speed_images"], len(test)))])
    budgets_s = plan["time_budget_s"]  # each detector's share of the notebook's budget

    out, results = [], {}
    for name in ("yolo", "retinanet", "faster_rcnn", "rcnn", "ssdlite"):
        r = results[name] = run_detector(name, plan[name], train, test, speed_images, plan["speed_repeats"])
        if plan[name]["fit"] is not None:
            map_budget = for_module("bench_detectors").max_1_minus_map50[name]
            out.append({"name": f"{name}_1_minus_map50", "measured": 1 - r["AP50"], "budget": map_budget,
                        "unit": "", "note": f"mAP50 {r['AP50']:.3f}, AP {r['AP']:.3f}, AP_small "
                                            f"{r['AP_small']:.3f} on {len(test)} test images; trained on {r['images']}"})
            out.append({"name": f"{name}_train_s", "measured": r["train_s"], "budget": float(budgets_s[name]),
                        "unit": "s", "note": f"{plan[name]['fit']}"})
        out.append({"name": f"{name}_ms_per_image", "measured": 1000 / r["images_per_s"], "budget": math.inf,
                    "unit": "ms", "note": f"{r['images_per_s']:.1f} images/s, batch of {len(speed_images)}"
                            + ("" if plan[name]["fit"] is not None else " (untrained: timed only)")})
    ratio = results["rcnn"]["images_per_s"] / results["yolo"]["images_per_s"]
    out.append({"name": "yolo_vs_rcnn_time", "measured": ratio, "budget": 1.0, "unit": "×",
                "note": f"YOLO is {1 / ratio:.1f}× faster per image than the mini R-CNN"})
    ratio = results["faster_rcnn"]["images_per_s"] / results["retinanet"]["images_per_s"]
    out.append({"name": "retinanet_vs_faster_rcnn_time", "measured": ratio, "budget": 1.0, "unit": "×",
                "note": f"RetinaNet is {1 / ratio:.2f}× as fast per image as Faster R-CNN (same backbone and size)"})
    return out


if __name__ == "__main__":
    for row in rows():
        ok = row["measured"] <= row["budget"]
        print(f"{row['name']:28s} {row['measured']:.3g} {row['unit']} (budget {row['budget']:g}) "
              f"{'ok' if ok else 'OVER'}  {row['note']}")
