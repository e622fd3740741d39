"""Normalisation statistics, train/test pipelines, denormalize and channel_stats."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image
from torch.utils.data import TensorDataset
from torchvision.transforms import v2
from torchvision.transforms.v2 import functional as TF

from helpers import transforms as T
from helpers.data import ImageDataset


def _normalizes(pipeline) -> list[v2.Normalize]:
    return [step for step in pipeline.transforms if isinstance(step, v2.Normalize)]


# ── normalization ────────────────────────────────────────────────────────────────────────────────
def test_normalization_values():
    assert T.normalization("mnist") == ((0.1307,), (0.3081,))
    assert T.normalization("CIFAR-10") == ((0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616))
    assert T.normalization("imagenet") == ((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))


def test_imagenet_statistics_match_torchvision_weights():
    from torchvision.models import ResNet18_Weights

    preset = ResNet18_Weights.IMAGENET1K_V1.transforms()
    assert T.normalization("imagenet") == (tuple(preset.mean), tuple(preset.std))


def test_normalization_rejects_unknown_names():
    with pytest.raises(ValueError, match="알 수 없는 데이터셋 이름 'svhn' 입니다. 쓸 수 있는 이름: mnist, cifar10, imagenet"):
        T.normalization("svhn")
    with pytest.raises(TypeError, match="name은 데이터셋 이름"):
        T.normalization(None)


# ── build_transforms ─────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("name", ["mnist", "cifar10", "imagenet"])
@pytest.mark.parametrize("augment", [True, False])
def test_train_and_test_share_the_same_normalisation(name, augment):
    train_tf, test_tf = T.build_transforms(name, augment=augment)
    (train_norm,), (test_norm,) = _normalizes(train_tf), _normalizes(test_tf)
    assert train_norm is test_norm  # literally the same step
    mean, std = T.normalization(name)
    assert tuple(test_norm.mean) == mean and tuple(test_norm.std) == std
    assert train_tf.transforms[-2:] == test_tf.transforms[-2:]


def test_test_pipeline_equals_manual_normalisation():
    rng = np.random.default_rng(0)
    for name, channels in (("mnist", 1), ("cifar10", 3)):
        _, test_tf = T.build_transforms(name)
        array = rng.integers(0, 256, (32, 32, channels), dtype=np.uint8)
        pil = Image.fromarray(array[:, :, 0] if channels == 1 else array)
        expected = TF.normalize(torch.from_numpy(array).permute(2, 0, 1).float() / 255, *T.normalization(name))
        from_pil = test_tf(pil)
        from_uint8 = test_tf(torch.from_numpy(array).permute(2, 0, 1).contiguous())
        from_float = test_tf(torch.from_numpy(array).permute(2, 0, 1).float() / 255)
        for out in (from_pil, from_uint8, from_float):
            assert out.dtype == torch.float32 and out.shape == (channels, 32, 32)
            torch.testing.assert_close(out.as_subclass(torch.Tensor), expected, atol=1e-6, rtol=0)


def test_augmentation_only_in_train_and_keeps_shape():
    torch.manual_seed(0)
    image = Image.fromarray(np.random.default_rng(1).integers(0, 256, (32, 32, 3), dtype=np.uint8))
    train_tf, test_tf = T.build_transforms("cifar10")
    outs = [train_tf(image) for _ in range(8)]
    assert all(o.shape == (3, 32, 32) for o in outs)
    assert any(not torch.equal(o, test_tf(image)) for o in outs)  # random crops / flips happen
    assert all(torch.equal(test_tf(image), test_tf(image)) for _ in range(3))  # test is deterministic
    plain_train, plain_test = T.build_transforms("cifar10", augment=False)
    assert torch.equal(plain_train(image), plain_test(image))


def test_augmentations_are_the_documented_ones():
    mnist_train, _ = T.build_transforms("mnist")
    kinds = [type(step) for step in mnist_train.transforms]
    assert v2.RandomAffine in kinds and v2.RandomHorizontalFlip not in kinds  # a flipped 2 is not a 2
    affine = next(step for step in mnist_train.transforms if isinstance(step, v2.RandomAffine))
    assert list(affine.degrees) == [-10.0, 10.0] and tuple(affine.translate) == (0.1, 0.1)
    cifar_train, _ = T.build_transforms("cifar10")
    crop = next(step for step in cifar_train.transforms if isinstance(step, v2.RandomCrop))
    assert crop.size == (32, 32) and crop.padding == [4, 4, 4, 4]
    assert any(isinstance(step, v2.RandomHorizontalFlip) for step in cifar_train.transforms)
    image = Image.fromarray(np.zeros((300, 400, 3), np.uint8))
    imagenet_train, imagenet_test = T.build_transforms("imagenet")
    assert imagenet_train(image).shape == imagenet_test(image).shape == (3, 224, 224)


def test_build_transforms_validates_arguments():
    with pytest.raises(TypeError, match="augment는 True 또는 False"):
        T.build_transforms("mnist", augment="yes")
    with pytest.raises(ValueError, match="쓸 수 있는 이름"):
        T.build_transforms("coco")


def test_transforms_work_with_the_course_datasets():
    data = torch.randint(0, 256, (4, 1, 28, 28), dtype=torch.uint8)
    train_tf, test_tf = T.build_transforms("mnist")
    ds = ImageDataset(data, torch.arange(4), [str(i) for i in range(10)], name="mnist", split="test",
                      source="test", transform=test_tf)
    image, label = ds[2]
    torch.testing.assert_close(image.as_subclass(torch.Tensor),
                               T.normalize(data[2].float() / 255, "mnist"), atol=1e-6, rtol=0)
    assert label == 2


# ── normalize / denormalize ──────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("name", ["mnist", "cifar10", "imagenet"])
def test_denormalize_inverts_normalize(seed, name):
    generator = torch.Generator().manual_seed(seed)
    channels = len(T.normalization(name)[0])
    x = torch.rand(3, channels, 8, 9, generator=generator, dtype=torch.float64)
    torch.testing.assert_close(T.denormalize(T.normalize(x, name), name), x)
    torch.testing.assert_close(T.denormalize(T.normalize(x[0], name), name, clamp=False), x[0])
    # normalize equals torchvision's functional normalize.
    torch.testing.assert_close(T.normalize(x, name), TF.normalize(x, *T.normalization(name)))
    wide = torch.randn(2, channels, 4, 4, generator=generator) * 5
    assert T.denormalize(wide, name).min() >= 0 and T.denormalize(wide, name).max() <= 1
    torch.testing.assert_close(T.normalize(T.denormalize(wide, name, clamp=False), name), wide)


def test_denormalize_validates_input():
    with pytest.raises(ValueError, match="채널이 3개인 .*받은 모양: \\(1, 32, 32\\)"):
        T.denormalize(torch.zeros(1, 32, 32), "cifar10")
    with pytest.raises(ValueError, match="채널이 1개인"):
        T.normalize(torch.zeros(32, 32), "mnist")
    with pytest.raises(TypeError, match="실수형 Tensor.*torch.uint8"):
        T.denormalize(torch.zeros(1, 28, 28, dtype=torch.uint8), "mnist")
    with pytest.raises(TypeError, match="실수형 Tensor.*ndarray"):
        T.normalize(np.zeros((1, 28, 28)), "mnist")


# ── channel_stats ────────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("seed", range(6))
def test_channel_stats_matches_numpy(seed):
    rng = np.random.default_rng(seed)
    n, c, h, w = (int(v) for v in rng.integers(1, 9, 4))
    c = (1, 3)[seed % 2] if seed < 4 else c  # grayscale, RGB, then any channel count
    images = rng.integers(0, 256, (n, c, h, w), dtype=np.uint8)
    expected_mean = (images / 255).mean(axis=(0, 2, 3))
    expected_std = (images / 255).std(axis=(0, 2, 3))
    for data in (images, torch.from_numpy(images), torch.from_numpy(images).float() / 255):
        mean, std = T.channel_stats(data)
        assert len(mean) == len(std) == c
        np.testing.assert_allclose(mean, expected_mean, atol=1e-6)
        np.testing.assert_allclose(std, expected_std, atol=1e-6)
    # A Dataset of (image, label), read in uneven batches, gives the same numbers.
    dataset = TensorDataset(torch.from_numpy(images).float() / 255, torch.zeros(n))
    mean, std = T.channel_stats(dataset, batch_size=3)
    np.testing.assert_allclose(mean, expected_mean, atol=1e-6)
    np.testing.assert_allclose(std, expected_std, atol=1e-6)
    if c not in (1, 3):  # ImageDataset holds grayscale or RGB images only
        return
    course = ImageDataset(torch.from_numpy(images), torch.zeros(n, dtype=torch.long), ["a"], name="x",
                          split="train", source="test")
    np.testing.assert_allclose(T.channel_stats(course, batch_size=2)[1], expected_std, atol=1e-6)
    course.transform = v2.Compose([v2.ToImage(), v2.ToDtype(torch.float32, scale=True)])  # generic path
    np.testing.assert_allclose(T.channel_stats(course, batch_size=5)[0], expected_mean, atol=1e-6)


def test_channel_stats_edge_cases():
    assert T.channel_stats(torch.full((2, 3, 4, 4), 0.5)) == ((0.5, 0.5, 0.5), (0.0, 0.0, 0.0))
    single = torch.rand(3, 5, 5, dtype=torch.float64)
    np.testing.assert_allclose(T.channel_stats(single)[0], single.mean(dim=(1, 2)).numpy())
    with pytest.raises(ValueError, match="이미지가 없습니다"):
        T.channel_stats(torch.zeros(0, 3, 4, 4))
    with pytest.raises(ValueError, match="\\[C, H, W\\] 또는 \\[N, C, H, W\\] 모양.*\\(4, 4\\)"):
        T.channel_stats(torch.zeros(4, 4))
    with pytest.raises(TypeError, match="uint8 또는 실수형"):
        T.channel_stats(torch.zeros(1, 1, 2, 2, dtype=torch.int32))
    with pytest.raises(TypeError, match="Tensor, numpy 배열 또는 Dataset"):
        T.channel_stats(3.0)
    with pytest.raises(TypeError, match="ToTensor 같은 변환"):
        T.channel_stats([(Image.new("L", (2, 2)), 0)])
    with pytest.raises(ValueError, match=r"batch_size은\(는\) 1 이상의 정수.*받은 값: 0"):
        T.channel_stats(torch.zeros(1, 1, 2, 2), batch_size=0)
    with pytest.raises(TypeError, match=r"batch_size은\(는\) 정수여야"):
        T.channel_stats(torch.zeros(1, 1, 2, 2), batch_size=2.5)


def test_mnist_statistics_agree_with_real_digits(monkeypatch, tmp_path):
    from helpers import data

    monkeypatch.setenv(data.OFFLINE_ENV, "1")
    monkeypatch.setenv(data.DATA_DIR_ENV, str(tmp_path))
    digits = data.load_mnist("train", verbose=False)  # 4,000 real MNIST digits
    (mean,), (std,) = T.channel_stats(digits)
    (ref_mean,), (ref_std,) = T.normalization("mnist")
    assert abs(mean - ref_mean) < 0.01 and abs(std - ref_std) < 0.01
