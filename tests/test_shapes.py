"""The synthetic shapes detection dataset: determinism, tight boxes, sizes, overlap, formats."""
import time

import numpy as np
import pytest
import torch
from torchvision.ops import box_iou

from helpers.shapes import (
    BACKGROUNDS,
    SHAPE_NAMES,
    ShapesConfig,
    collate_detection,
    generate,
    size_category,
    splits,
)

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def default_ds():
    return generate(ShapesConfig(num_images=120, seed=3))


@pytest.fixture(scope="module")
def crowded_ds():
    # Every shape, free overlap, many objects: the hardest case for box tightness.
    return generate(
        ShapesConfig(num_images=60, classes=SHAPE_NAMES, allow_overlap=True, max_objects=8, background="texture", seed=5)
    )


# -- determinism -------------------------------------------------------------------------------
def test_same_seed_same_pixels_and_boxes():
    config = ShapesConfig(num_images=12, seed=7, background="texture")
    a, b = generate(config), generate(config)
    assert np.array_equal(a.images, b.images)
    for i in range(len(a)):
        assert np.array_equal(a.boxes[i], b.boxes[i])
        assert np.array_equal(a.labels[i], b.labels[i])
        assert torch.equal(a[i][0], b[i][0])


def test_different_seed_different_data():
    a = generate(ShapesConfig(num_images=8, seed=0))
    b = generate(ShapesConfig(num_images=8, seed=1))
    assert all(not np.array_equal(a.images[i], b.images[i]) for i in range(8))
    assert any(not np.array_equal(a.boxes[i], b.boxes[i]) for i in range(8))


def test_longer_dataset_starts_with_shorter_one():
    short = generate(ShapesConfig(num_images=5, seed=2))
    long = generate(ShapesConfig(num_images=9, seed=2))
    assert np.array_equal(short.images, long.images[:5])


# -- the items ---------------------------------------------------------------------------------
def test_item_format_matches_torchvision_detection(default_ds):
    cfg = default_ds.config
    assert len(default_ds) == 120
    assert default_ds.classes == ("__background__", "circle", "square", "triangle")
    for i in range(len(default_ds)):
        image, target = default_ds[i]
        assert image.shape == (3, 128, 128) and image.dtype == torch.float32
        assert 0.0 <= image.min() and image.max() <= 1.0
        assert set(target) == {"boxes", "labels", "image_id"}
        boxes, labels = target["boxes"], target["labels"]
        assert boxes.dtype == torch.float32 and boxes.shape == (len(labels), 4)
        assert labels.dtype == torch.int64
        assert cfg.min_objects <= len(labels) <= cfg.max_objects
        assert ((labels >= 1) & (labels <= 3)).all()
        assert (boxes[:, 2] > boxes[:, 0]).all() and (boxes[:, 3] > boxes[:, 1]).all()
        assert (boxes >= 0).all() and (boxes <= 128).all()
        assert target["image_id"] == i
    # all classes occur, and the image really uses the [0, 1] range (not all dark)
    all_labels = torch.cat([default_ds[i][1]["labels"] for i in range(len(default_ds))])
    assert set(all_labels.tolist()) == {1, 2, 3}
    assert default_ds[0][0].max() > 0.5


def test_negative_index_and_errors(default_ds):
    assert torch.equal(default_ds[-1][0], default_ds[len(default_ds) - 1][0])
    with pytest.raises(IndexError, match="범위를 벗어났습니다.*120장"):
        default_ds[120]
    with pytest.raises(TypeError, match="인덱스는 정수"):
        default_ds["0"]


def test_masks_and_boxes_are_tight(default_ds, crowded_ds):
    for ds in (default_ds, crowded_ds):
        for i in range(len(ds)):
            masks = ds.masks(i).numpy()
            boxes = ds.boxes[i].astype(int)
            assert masks.shape == (len(boxes), 128, 128)
            assert not (masks.sum(0) > 1).any()  # a pixel belongs to one object at most
            for mask, (x1, y1, x2, y2) in zip(masks, boxes, strict=True):
                ys, xs = np.nonzero(mask)
                assert len(xs) > 0
                # every pixel lies inside the box ...
                assert xs.min() >= x1 and xs.max() < x2 and ys.min() >= y1 and ys.max() < y2
                # ... and each of the four box edges touches the mask
                assert mask[:, x1].any() and mask[:, x2 - 1].any()
                assert mask[y1, :].any() and mask[y2 - 1, :].any()


@pytest.mark.parametrize("color_by_class", [True, False])
def test_boxes_enclose_exactly_the_painted_pixels(color_by_class):
    """On a plain background, the pixels that differ from it are exactly the objects' masks."""
    ds = generate(ShapesConfig(num_images=40, background="plain", color_by_class=color_by_class, seed=11))
    for i in range(len(ds)):
        image = ds.images[i].astype(int)
        masks = ds.masks(i).numpy()
        background = image[~masks.any(0)]
        colour = background[0]
        assert (background == colour).all()  # plain means one colour
        painted = (image != colour).any(axis=2)
        assert np.array_equal(painted, masks.any(0))
        for mask, (x1, y1, x2, y2) in zip(masks, ds.boxes[i], strict=True):
            ys, xs = np.nonzero(mask)
            assert (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1) == (x1, y1, x2, y2)
            # each object is painted in one colour
            assert len(np.unique(image[mask], axis=0)) == 1


def test_class_colours_follow_the_class_with_jitter():
    ds = generate(ShapesConfig(num_images=40, background="plain", seed=4))
    reds = [ds.images[i][m].mean(0) for i in range(len(ds)) for m, k in zip(ds.masks(i).numpy(), ds.labels[i], strict=True) if k == 1]
    reds = np.array(reds)
    assert (reds[:, 0] > 180).all() and (reds[:, 1] < 90).all()  # circles are red ...
    assert reds.std(axis=0).max() > 1.0  # ... with slight jitter


def test_shapes_look_like_their_class():
    """Fill ratio (pixels / box area) identifies the shape: circle π/4, square 1, triangle 1/2."""
    ds = generate(ShapesConfig(num_images=80, classes=SHAPE_NAMES, min_size=30, max_size=40, allow_overlap=True,
                               min_visible=1.0, seed=8))
    expected = {"circle": np.pi / 4, "square": 1.0, "triangle": 0.5, "diamond": 0.5, "cross": 5 / 9}
    seen = set()
    for i in range(len(ds)):
        for mask, box, k in zip(ds.masks(i).numpy(), ds.boxes[i], ds.labels[i], strict=True):
            name = ds.classes[k]
            fill = mask.sum() / ((box[2] - box[0]) * (box[3] - box[1]))
            assert abs(fill - expected[name]) < 0.12, (name, fill)
            seen.add(name)
    assert seen == set(SHAPE_NAMES)


# -- sizes and overlap -------------------------------------------------------------------------
def test_sizes_span_small_to_large(default_ds):
    boxes = np.concatenate(default_ds.boxes)
    sides = np.maximum(boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1])
    groups = size_category(boxes)
    assert groups.count("small") > 0.3 * len(groups)  # COCO small: area < 32²
    assert groups.count("medium") > 0.05 * len(groups)
    assert sides.min() <= 10 and sides.max() >= 0.3 * 128  # tiny to a third of the image
    summary = default_ds.summary()
    assert summary["objects"] == len(boxes)
    assert sum(summary["per_class"].values()) == len(boxes)
    assert summary["per_size"]["small"] == groups.count("small")
    # COCO-large objects (area ≥ 96²) need big sizes on a big enough image
    big = generate(ShapesConfig(num_images=5, image_size=160, min_size=100, max_size=140, max_objects=1))
    assert set(size_category(np.concatenate(big.boxes))) == {"large"}


def test_size_category_thresholds_and_errors():
    boxes = torch.tensor([[0, 0, 31, 33], [0, 0, 32, 32], [0, 0, 95, 97], [0, 0, 96, 96]], dtype=torch.float32)
    assert size_category(boxes) == ["small", "medium", "medium", "large"]
    assert size_category(np.zeros((0, 4))) == []
    with pytest.raises(ValueError, match=r"boxes의 모양은 \(N, 4\).*\(3,\)"):
        size_category(np.zeros(3))


@pytest.mark.parametrize("max_iou", [0.0, 0.1, 0.3])
def test_overlap_limit_is_honoured(max_iou):
    ds = generate(ShapesConfig(num_images=40, max_objects=6, max_iou=max_iou, seed=13))
    worst = 0.0
    for i in range(len(ds)):
        boxes = torch.from_numpy(ds.boxes[i])
        iou = box_iou(boxes, boxes).fill_diagonal_(0)
        worst = max(worst, float(iou.max()) if len(boxes) > 1 else 0.0)
    assert worst <= max_iou + 1e-6
    if max_iou > 0:
        assert worst > 0  # the limit is used, not avoided altogether


def test_free_overlap_overlaps_and_keeps_objects_visible(crowded_ds):
    worst = max(
        float(box_iou(*(torch.from_numpy(b),) * 2).fill_diagonal_(0).max()) for b in crowded_ds.boxes if len(b) > 1
    )
    assert worst > 0.3
    for i in range(len(crowded_ds)):
        assert (crowded_ds.occlusion(i) >= crowded_ds.config.min_visible).all()
    occluded = np.concatenate([r["occluded"] for r in crowded_ds.to_records()])
    assert set(occluded.tolist()) <= {0, 1} and occluded.sum() > 0


def test_all_backgrounds_differ_in_texture():
    stds = {}
    for bg in BACKGROUNDS:
        ds = generate(ShapesConfig(num_images=4, background=bg, seed=1))
        masks = [ds.masks(i).numpy().any(0) for i in range(4)]
        stds[bg] = np.mean([ds.images[i][~masks[i]].std(axis=0).mean() for i in range(4)])
    assert stds["plain"] == 0.0
    assert stds["noise"] > 5 and stds["texture"] > 5


def test_min_objects_zero_allows_empty_images():
    ds = generate(ShapesConfig(num_images=30, min_objects=0, max_objects=1, seed=2))
    counts = [len(b) for b in ds.boxes]
    assert 0 in counts and 1 in counts
    empty = counts.index(0)
    _, target = ds[empty]
    assert target["boxes"].shape == (0, 4) and target["labels"].shape == (0,)
    assert ds.masks(empty).shape == (0, 128, 128)


def test_impossible_config_explains_what_to_change():
    config = ShapesConfig(num_images=1, image_size=16, min_size=16, max_size=16, min_objects=3, max_iou=0.0)
    with pytest.raises(ValueError, match="배치하지 못했습니다.*allow_overlap=True"):
        generate(config)


# -- splits, collate, transforms, export -------------------------------------------------------
def test_splits_sizes_from_profile_and_disjoint():
    train, val, test = splits(ShapesConfig(seed=0, image_size=64, max_size=24))
    assert (len(train), len(val), len(test)) == (160, 40, 40)  # quick profile
    hashes = [{ds.images[i].tobytes() for i in range(len(ds))} for ds in (train, val, test)]
    assert not (hashes[0] & hashes[1]) and not (hashes[0] & hashes[2]) and not (hashes[1] & hashes[2])
    again = splits(ShapesConfig(seed=0, image_size=64, max_size=24), n_train=10, n_val=3, n_test=2)
    assert [len(d) for d in again] == [10, 3, 2]
    assert np.array_equal(again[0].images, train.images[:10])
    assert again[0].config.num_images == 10
    with pytest.raises(ValueError, match="n_val은\\(는\\) 0 이상"):
        splits(ShapesConfig(), n_train=1, n_val=-1, n_test=1)
    with pytest.raises(TypeError, match="config는 ShapesConfig"):
        splits({"seed": 0})


def test_collate_detection_with_dataloader(default_ds):
    loader = torch.utils.data.DataLoader(default_ds, batch_size=4, collate_fn=collate_detection)
    images, targets = next(iter(loader))
    assert images.shape == (4, 3, 128, 128)
    assert isinstance(targets, list) and len(targets) == 4
    for j, t in enumerate(targets):
        assert torch.equal(t["boxes"], default_ds[j][1]["boxes"])
    with pytest.raises(ValueError, match="비어 있지 않은 리스트"):
        collate_detection([])
    with pytest.raises(ValueError, match=r"batch\[1\]는 \(image, target\) 쌍"):
        collate_detection([default_ds[0], torch.zeros(3)])
    with pytest.raises(ValueError, match="이미지 크기가 서로 다릅니다"):
        collate_detection([default_ds[0], (torch.zeros(3, 64, 64), {})])


def test_targets_train_a_torchvision_detector(default_ds):
    from torchvision.models.detection import ssdlite320_mobilenet_v3_large

    torch.manual_seed(0)
    model = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(default_ds.classes))
    model.train()
    images, targets = collate_detection([default_ds[0], default_ds[1]])
    losses = model(list(images), targets)
    assert set(losses) == {"bbox_regression", "classification"}
    assert all(torch.isfinite(v) for v in losses.values())


def test_transforms_hook(default_ds):
    def flip(image, target):
        w = image.shape[-1]
        boxes = target["boxes"].clone()
        boxes[:, [0, 2]] = w - target["boxes"][:, [2, 0]]
        return image.flip(-1), {**target, "boxes": boxes}

    ds = generate(ShapesConfig(num_images=3, seed=3))
    ds.transforms = flip
    image, target = ds[1]
    plain_image, plain_target = default_ds[1]
    assert torch.equal(image, plain_image.flip(-1))
    assert torch.equal(target["boxes"][:, 2], 128 - plain_target["boxes"][:, 0])


def test_to_records_and_save_images(tmp_path):
    from PIL import Image

    ds = generate(ShapesConfig(num_images=3, seed=9))
    records = ds.to_records(include_masks=True)
    assert [r["file_name"] for r in records] == ["000000.png", "000001.png", "000002.png"]
    for i, r in enumerate(records):
        assert (r["width"], r["height"], r["image_id"]) == (128, 128, i)
        assert r["boxes"].dtype == np.float64 and np.array_equal(r["boxes"], ds.boxes[i])
        assert r["labels"] == [ds.classes[k] for k in ds.labels[i]]
        assert np.array_equal(r["masks"], ds.masks(i).numpy())
    assert "masks" not in ds.to_records()[0]
    paths = ds.save_images(tmp_path / "images")
    assert [p.name for p in paths] == [r["file_name"] for r in records]
    assert np.array_equal(np.asarray(Image.open(paths[2])), ds.images[2])
    assert "3 images" in repr(ds)


def test_generation_is_fast():
    start = time.perf_counter()
    generate(ShapesConfig(num_images=200, seed=21))
    # 1,000 images take about 2 s on an idle core; 200 in 10 s leaves room for a busy CI machine.
    assert time.perf_counter() - start < 10


def test_default_num_images_comes_from_profile():
    assert ShapesConfig().num_images == 100  # quick profile (tests/conftest.py)


# -- config validation -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"image_size": 8}, ValueError, "image_size은\\(는\\) 16 이상"),
        ({"image_size": 64.0}, TypeError, "image_size은\\(는\\) 정수.*float"),
        ({"num_images": -1}, ValueError, "num_images은\\(는\\) 0 이상"),
        ({"classes": "circle"}, TypeError, "classes는 도형 이름의 튜플"),
        ({"classes": ()}, ValueError, "classes가 비어 있습니다"),
        ({"classes": ("circle", "star")}, ValueError, "알 수 없는 도형 \\['star'\\].*사용할 수 있는 도형"),
        ({"classes": ("circle", "circle")}, ValueError, "같은 이름이 두 번"),
        ({"min_objects": 5, "max_objects": 2}, ValueError, "min_objects\\(5\\)가 max_objects\\(2\\)보다 큽니다"),
        ({"max_objects": 0}, ValueError, "max_objects은\\(는\\) 1 이상 50 이하"),
        ({"min_size": 30, "max_size": 20}, ValueError, "min_size=30, max_size=20"),
        ({"max_size": 200}, ValueError, "max_size ≤ image_size.*max_size=200"),
        ({"min_size": "6"}, TypeError, "min_size은\\(는\\) 실수여야"),
        ({"max_iou": 1.5}, ValueError, "max_iou는 0 이상 1 이하.*1.5"),
        ({"min_visible": 0.0}, ValueError, "min_visible은 0보다 크고"),
        ({"background": "stars"}, ValueError, "background='stars'.*noise"),
        ({"seed": -1}, ValueError, "seed은\\(는\\) 0 이상"),
        ({"seed": True}, TypeError, "seed은\\(는\\) 정수"),
    ],
)
def test_config_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        ShapesConfig(**kwargs)


def test_generate_rejects_non_config():
    with pytest.raises(TypeError, match="config는 ShapesConfig여야 합니다.*dict"):
        generate({"num_images": 3})
