"""Grad-CAM: ours (helpers.cam) against pytorch-grad-cam on an untrained resnet18, layer4.

Rows: the largest difference of the final maps (same normalisation, and our plain min-max),
and the time ratio ours / pytorch-grad-cam for one batch (median of interleaved repeats).
Ours is faster because its backward pass stops at the target layer (``torch.autograd.grad``
w.r.t. the layer output) and it resizes all maps at once, where pytorch-grad-cam back-propagates
through the whole network and resizes image by image with cv2.

Run: ``python -m benchmarks.run cam`` or ``python -m benchmarks.bench_cam``.
"""
from __future__ import annotations

import statistics
import time

import torch
import torchvision

from helpers import sizes
from helpers.cam import GradCAM


def _theirs(model, layer, images, targets):
    from pytorch_grad_cam import GradCAM as RefGradCAM
    from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget

    with RefGradCAM(model=model, target_layers=[layer]) as cam:
        return torch.from_numpy(cam(input_tensor=images, targets=[ClassifierOutputTarget(int(c)) for c in targets]))


def _ours(model, layer, images, targets, normalization="pytorch-grad-cam"):
    # pytorch-grad-cam's exact scaling steps are test scaffolding (tests/cam_reference.py), not
    # part of the student-facing API; "minmax" is helpers.cam's own default.
    from tests.cam_reference import RefStepsGradCAM

    cls = RefStepsGradCAM if normalization == "pytorch-grad-cam" else GradCAM
    with cls(model, layer) as cam:
        return cam(images, targets)


def _timed(fn, *args):
    start = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - start, out


def rows() -> list[dict]:
    plan = sizes.for_module("bench_cam")
    size, batch, repeats = plan.image_size, plan.batch, plan.repeats
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # the 2 cores are shared; oversubscription makes timings noise
    try:
        torch.manual_seed(0)
        model = torchvision.models.resnet18(weights=None).eval()
        layer = model.layer4
        images = torch.randn(batch, 3, size, size)
        targets = torch.randint(0, 1000, (batch,))

        _ours(model, layer, images, targets)  # warm up both
        _theirs(model, layer, images, targets)
        ours_s, theirs_s, diffs = [], [], []
        for _ in range(repeats):  # interleaved, so load changes hit both alike
            t_ours, ours = _timed(_ours, model, layer, images, targets)
            t_theirs, theirs = _timed(_theirs, model, layer, images, targets)
            ours_s.append(t_ours)
            theirs_s.append(t_theirs)
            diffs.append((ours - theirs).abs().max().item())
        diff_default = (_ours(model, layer, images, targets, "minmax") - theirs).abs().max().item()
    finally:
        torch.set_num_threads(threads)

    setting = f"resnet18 (untrained) layer4, batch {batch}×3×{size}×{size}, 1 thread"
    ratio = statistics.median(ours_s) / statistics.median(theirs_s)
    return [
        {
            "name": "cam: max |ours − pytorch-grad-cam|",
            "measured": max(diffs),
            "budget": 1e-5,
            "unit": "",
            "note": f"normalization='pytorch-grad-cam'; {setting}",
        },
        {
            "name": "cam: max |ours (min-max) − pytorch-grad-cam|",
            "measured": diff_default,
            "budget": 1e-5,
            "unit": "",
            "note": "our default normalisation (ReLU → upsample → min-max)",
        },
        {
            "name": "cam: time ours / pytorch-grad-cam",
            "measured": ratio,
            "budget": 1.0,
            "unit": "×",
            "note": (
                f"median of {repeats}: ours {statistics.median(ours_s):.3f} s, "
                f"pytorch-grad-cam {statistics.median(theirs_s):.3f} s; {setting}"
            ),
        },
    ]


if __name__ == "__main__":
    for row in rows():
        ok = row["measured"] <= row["budget"]
        print(
            f"{row['name']:<48} {row['measured']:.3g}{row['unit']} | budget {row['budget']:g}{row['unit']} "
            f"| ratio {row['measured'] / row['budget']:.3f} | {'ok' if ok else 'FAIL'} | {row['note']}"
        )
