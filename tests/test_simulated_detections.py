"""Simulated detections (lesson 06): each kind of error does what its knob says."""
import numpy as np
import pytest
import torch
from torchvision.ops import box_iou

from helpers import average_precision as ap
from helpers.shapes import ShapesConfig, generate
from helpers.simulated_detections import KINDS, simulate_detections

pytestmark = pytest.mark.usefixtures("one_torch_thread")


NO_NOISE = dict(miss_rate=0.0, center_jitter=0.0, pixel_jitter=0.0, size_jitter=0.0, score_noise=0.0,
                label_noise=0.0, duplicate_rate=0.0, false_alarms=0.0)


@pytest.fixture(scope="module")
def ds():
    return generate(ShapesConfig(image_size=128, num_images=40, max_objects=5, seed=2))


def _gts(ds):
    return [dict(boxes=b, labels=labels) for b, labels in zip(ds.boxes, ds.labels, strict=True)]


def test_output_format_and_sorting(ds):
    preds = simulate_detections(ds, seed=1)
    assert len(preds) == len(ds)
    for p in preds:
        d = len(p["scores"])
        assert p["boxes"].shape == (d, 4) and p["boxes"].dtype == torch.float32
        assert p["scores"].dtype == torch.float32 and p["labels"].dtype == torch.int64
        assert p["gt_index"].shape == (d,) and len(p["kinds"]) == d
        assert set(p["kinds"]) <= set(KINDS)
        assert torch.all(p["scores"][:-1] >= p["scores"][1:]), "sorted by decreasing score"
        assert torch.all((p["scores"] > 0) & (p["scores"] < 1))
        b = p["boxes"]
        assert torch.all(b[:, 2] >= b[:, 0]) and torch.all(b[:, 3] >= b[:, 1])
        assert torch.all(b >= 0) and torch.all(b <= 128)
        assert torch.all(p["labels"] >= 1) and torch.all(p["labels"] <= 3)
        assert torch.all((p["gt_index"] == -1) == torch.tensor([k == "false_alarm" for k in p["kinds"]]))


def test_deterministic_and_seed_dependent(ds):
    a, b, c = simulate_detections(ds, seed=4), simulate_detections(ds, seed=4), simulate_detections(ds, seed=5)
    for x, y in zip(a, b, strict=True):
        assert torch.equal(x["boxes"], y["boxes"]) and torch.equal(x["scores"], y["scores"])
        assert x["kinds"] == y["kinds"]
    assert any(not torch.equal(x["scores"], z["scores"]) for x, z in zip(a, c, strict=True))


def test_image_predictions_do_not_depend_on_other_images(ds):
    full = simulate_detections(ds, seed=3)
    head = simulate_detections(_gts(ds)[:10], image_size=128, num_classes=3, seed=3)
    for x, y in zip(full[:10], head, strict=True):
        assert torch.equal(x["boxes"], y["boxes"]) and torch.equal(x["labels"], y["labels"])


def test_no_noise_reproduces_ground_truth(ds):
    preds = simulate_detections(ds, **NO_NOISE)
    for p, boxes, labels in zip(preds, ds.boxes, ds.labels, strict=True):
        order = p["gt_index"].argsort()
        assert torch.equal(p["boxes"][order], torch.from_numpy(boxes))
        assert torch.equal(p["labels"][order], torch.from_numpy(labels))
        assert torch.allclose(p["scores"], torch.tensor(0.99))  # IoU 1, clipped
        assert set(p["kinds"]) <= {"hit"}
    result = ap.evaluate_detections(_gts(ds), preds)
    assert result["AP"] == pytest.approx(1.0) and result["AP75"] == pytest.approx(1.0)


def test_every_error_kind_is_counted(ds):
    n_gt = sum(len(labels) for labels in ds.labels)
    misses = simulate_detections(ds, **{**NO_NOISE, "miss_rate": 1.0})
    assert sum(len(p["scores"]) for p in misses) == 0
    dups = simulate_detections(ds, **{**NO_NOISE, "duplicate_rate": 1.0})
    assert sum(p["kinds"].count("duplicate") for p in dups) == n_gt
    for p in dups:  # each duplicate scores below its original and comes from the same object
        for j in np.flatnonzero([k == "duplicate" for k in p["kinds"]]):
            orig = [i for i, k in enumerate(p["kinds"]) if k == "hit" and p["gt_index"][i] == p["gt_index"][j]]
            assert p["scores"][j] < p["scores"][orig[0]]
    wrong = simulate_detections(ds, **{**NO_NOISE, "label_noise": 1.0})
    for p, labels in zip(wrong, ds.labels, strict=True):
        assert p["kinds"] == ["wrong_class"] * len(labels)
        assert torch.all(p["labels"] != torch.from_numpy(labels)[p["gt_index"]])
    fas = simulate_detections(ds, **{**NO_NOISE, "miss_rate": 1.0, "false_alarms": 3.0, "false_alarm_max_score": 0.4})
    counts = [len(p["scores"]) for p in fas]
    assert 2.0 < np.mean(counts) < 4.0  # Poisson(3) per image
    assert all(set(p["kinds"]) <= {"false_alarm"} for p in fas)
    assert all(torch.all(p["scores"] <= 0.4) for p in fas)


def test_score_is_iou_with_own_object_when_noise_free(ds):
    preds = simulate_detections(ds, **{**NO_NOISE, "center_jitter": 0.1, "pixel_jitter": 2.0, "size_jitter": 0.1})
    for p, boxes in zip(preds, ds.boxes, strict=True):
        iou = box_iou(p["boxes"], torch.from_numpy(boxes))[torch.arange(len(p["scores"])), p["gt_index"]]
        assert torch.allclose(p["scores"], iou.clamp(0.01, 0.99), atol=1e-5)


def test_more_localisation_noise_lowers_ap75_more_than_ap50(ds):
    gts = _gts(ds)
    calm = ap.evaluate_detections(gts, simulate_detections(ds, pixel_jitter=0.5, center_jitter=0.02, seed=0))
    shaky = ap.evaluate_detections(gts, simulate_detections(ds, pixel_jitter=3.0, center_jitter=0.08, seed=0))
    assert shaky["AP"] < calm["AP"]
    assert calm["AP50"] - shaky["AP50"] < calm["AP75"] - shaky["AP75"]
    assert shaky["AP50"] >= shaky["AP75"]


def test_pixel_jitter_hurts_small_objects_most():
    big = generate(ShapesConfig(image_size=256, num_images=60, min_size=8, max_size=160, max_objects=6, seed=0))
    preds = simulate_detections(big, **{**NO_NOISE, "pixel_jitter": 2.5, "score_noise": 0.05})
    r = ap.evaluate_detections(_gts(big), preds)
    assert r["AP_small"] < r["AP_medium"] < r["AP_large"]


def test_single_class_has_no_wrong_class():
    targets = [dict(boxes=[[0, 0, 10, 10]], labels=[1])] * 5
    preds = simulate_detections(targets, image_size=(40, 30), **{**NO_NOISE, "label_noise": 1.0})
    assert all(p["labels"].tolist() == [1] and p["kinds"] == ["hit"] for p in preds)


def test_empty_images():
    preds = simulate_detections([dict(boxes=torch.zeros(0, 4), labels=torch.zeros(0))], image_size=64,
                                num_classes=2, false_alarms=0.0)
    assert preds[0]["boxes"].shape == (0, 4) and preds[0]["kinds"] == []


ONE = [dict(boxes=[[0, 0, 5, 5]], labels=[1])]


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(data="abc"), TypeError, "ShapesDataset 또는"),
        (dict(data=[[1, 2]]), ValueError, r"data\[0\]는 'boxes'와 'labels'"),
        (dict(data=ONE, image_size=None), ValueError, r"image_size\(정수 또는"),
        (dict(data=ONE, image_size=0), ValueError, "image_size는 양의 정수"),
        (dict(data=[dict(boxes=[[0, 0, 5], [1, 1, 1]], labels=[1, 1])]), ValueError, r"\[G, 4\]"),
        (dict(data=[dict(boxes=[[5, 0, 0, 5]], labels=[1])]), ValueError, "x2 < x1"),
        (dict(data=[dict(boxes=[[0, 0, 5, 5]], labels=[0])]), ValueError, "0은 배경"),
        (dict(data=[dict(boxes=[[0, 0, 5, 5]], labels=[3])], num_classes=2), ValueError, "num_classes"),
        (dict(miss_rate=1.5), ValueError, "miss_rate은\\(는\\) 0 이상 1 이하의 유한한 실수"),
        (dict(pixel_jitter=-1), ValueError, "pixel_jitter"),
        (dict(score_noise="big"), TypeError, "score_noise은\\(는\\) 실수여야"),
        (dict(false_alarm_max_score=0.01), ValueError, "false_alarm_max_score"),
        (dict(seed=-1), ValueError, "seed은\\(는\\) 0 이상의 정수"),
    ],
)
def test_errors_in_korean(kwargs, error, match):
    kwargs = {"data": ONE, "image_size": 8, **kwargs}
    with pytest.raises(error, match=match):
        simulate_detections(**kwargs)
