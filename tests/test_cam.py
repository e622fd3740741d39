"""helpers.cam: CAM and Grad-CAM, cross-checked against pytorch-grad-cam and cv2."""
from __future__ import annotations

import gc
import tracemalloc

import cv2
import numpy as np
import pytest
import torch
import torchvision
from pytorch_grad_cam import GradCAM as RefGradCAM
from pytorch_grad_cam.utils.image import scale_cam_image
from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget
from torch import nn

from cam_reference import RefStepsGradCAM
from helpers.cam import (
    CAM,
    GradCAM,
    cam_from_fc,
    gradcam_weights,
    mass_inside_box,
    normalize_maps,
    upsample,
    weighted_sum,
)

pytestmark = pytest.mark.usefixtures("one_torch_thread")


TOL = 1e-5


# ── small models ─────────────────────────────────────────────────────────────────────────────


class FlattenCNN(nn.Module):
    """conv → ReLU → pool → conv → ReLU → Flatten → Linear: Grad-CAM works, CAM does not."""

    def __init__(self, num_classes: int = 5, size: int = 16):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(8, 12, 3, padding=1)
        self.relu2 = nn.ReLU()
        self.fc = nn.Linear(12 * (size // 2) ** 2, num_classes)

    def forward(self, x):
        x = self.pool(self.relu1(self.conv1(x)))
        x = self.relu2(self.conv2(x))
        return self.fc(torch.flatten(x, 1))


class GapNet(nn.Module):
    """features → global average pooling → Linear: the network CAM was made for."""

    def __init__(self, num_classes: int = 6, channels: int = 10, batchnorm: bool = True):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1),
            nn.BatchNorm2d(8) if batchnorm else nn.Identity(),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(8, channels, 3, padding=1),
            nn.ReLU(),
        )
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(0.5)
        self.fc = nn.Linear(channels, num_classes)
        self.unused_head = nn.Linear(channels, num_classes)  # right shape, not in forward
        self.aux_head = nn.Linear(channels, 3)  # right in_features, wrong out_features

    def forward(self, x):
        return self.fc(self.dropout(torch.flatten(self.gap(self.features(x)), 1)))


def _ref_gradcam(model, layer, images, targets):
    refs = None if targets is None else [ClassifierOutputTarget(int(c)) for c in targets]
    with RefGradCAM(model=model, target_layers=[layer]) as ref:
        return torch.from_numpy(ref(input_tensor=images, targets=refs))


def _count_hooks(model: nn.Module) -> int:
    return sum(
        len(m._forward_hooks) + len(m._forward_pre_hooks) + len(m._backward_hooks)
        + len(getattr(m, "_backward_pre_hooks", {}))
        for m in model.modules()
    )


@pytest.fixture(scope="module")
def resnet():
    torch.manual_seed(0)
    return torchvision.models.resnet18(weights=None, num_classes=20).eval()


# ── cross-checks against pytorch-grad-cam ─────────────────────────────────────────────────────


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("layer_name", ["conv2", "relu2", "conv1"])
def test_gradcam_matches_pytorch_grad_cam_flatten_cnn(seed, layer_name):
    torch.manual_seed(seed)
    model = FlattenCNN(num_classes=5, size=16).eval()
    layer = getattr(model, layer_name)
    images = torch.randn(6, 3, 16, 16)
    targets = torch.randint(0, 5, (6,))
    ours = RefStepsGradCAM(model, layer)(images, targets)
    ref = _ref_gradcam(model, layer, images, targets)
    assert ours.shape == (6, 16, 16) and ours.dtype == torch.float32
    assert (ours - ref).abs().max() <= TOL
    assert ours.min() >= 0 and ours.max() <= 1


@pytest.mark.parametrize("seed", range(3))
def test_gradcam_matches_pytorch_grad_cam_resnet18(resnet, seed):
    torch.manual_seed(100 + seed)
    images = torch.randn(4, 3, 64, 64)
    targets = torch.randint(0, 20, (4,))
    with RefStepsGradCAM(resnet, resnet.layer4) as cam:
        ours = cam(images, targets)
        assert cam.last_activations.shape == (4, 512, 2, 2)
    with GradCAM(resnet, resnet.layer4) as cam:
        ours_default = cam(images, targets)
        assert cam.last_activations.shape == (4, 512, 2, 2)
    ref = _ref_gradcam(resnet, resnet.layer4, images, targets)
    assert (ours - ref).abs().max() <= TOL
    # raw maps are not tiny here, so our plain min-max agrees as well
    assert (ours_default - ref).abs().max() <= TOL


def test_gradcam_predicted_class_matches_pytorch_grad_cam(resnet):
    torch.manual_seed(7)
    images = torch.randn(3, 3, 64, 96)  # non-square: H and W must not be swapped
    with RefStepsGradCAM(resnet, resnet.layer3) as cam:
        ours = cam(images)
        assert torch.equal(cam.last_target_classes, cam.last_logits.argmax(1))
    ref = _ref_gradcam(resnet, resnet.layer3, images, None)
    assert ours.shape == (3, 64, 96)
    assert (ours - ref).abs().max() <= TOL


@pytest.mark.parametrize("seed", range(4))
def test_gradcam_matches_pytorch_grad_cam_gap_net(seed):
    torch.manual_seed(seed)
    model = GapNet().eval()
    model.features[1].running_mean.normal_()  # non-trivial BatchNorm statistics
    images = torch.randn(5, 3, 20, 20)
    target = seed % 6  # one int for every image
    for layer in (model.features, model.features[4], model.features[2]):
        ours = RefStepsGradCAM(model, layer)(images, target)
        ref = _ref_gradcam(model, layer, images, [target] * 5)
        assert (ours - ref).abs().max() <= TOL


# ── CAM and Grad-CAM agree on GAP + FC ─────────────────────────────────────────────────────


@pytest.mark.parametrize("seed", range(5))
def test_cam_equals_gradcam_on_gap_network(seed):
    torch.manual_seed(seed)
    model = GapNet(num_classes=6, channels=10).eval()
    images = torch.randn(4, 3, 24, 24)
    targets = [seed % 6, 0, 5, 2]
    with CAM(model, model.features, model.fc) as cam, GradCAM(model, model.features) as gradcam:
        cam_maps = cam(images, targets)
        grad_maps = gradcam(images, targets)
        h, w = cam.last_activations.shape[-2:]
        # Grad-CAM weights = fc weights / (h·w)
        torch.testing.assert_close(gradcam.last_weights * (h * w), cam.last_weights, rtol=1e-4, atol=1e-6)
        torch.testing.assert_close(cam.last_weights, model.fc.weight[targets].detach())
        assert cam.last_gradients is None
    assert (cam_maps - grad_maps).abs().max() <= TOL


def test_cam_predicted_class_and_string_layers():
    torch.manual_seed(3)
    model = GapNet().eval()
    images = torch.randn(3, 3, 16, 16)
    by_name = CAM(model, "features", "fc")(images)
    by_module = CAM(model, model.features, model.fc)(images)
    torch.testing.assert_close(by_name, by_module)
    expected = cam_from_fc(model.features(images), model.fc.weight, model(images).argmax(1))
    expected = normalize_maps(upsample(expected.clamp(min=0), (16, 16)))
    torch.testing.assert_close(by_name, expected, atol=1e-6, rtol=0)


# ── pipeline details ───────────────────────────────────────────────────────────────────────


def test_last_tensors_are_consistent_and_detached():
    torch.manual_seed(0)
    model = FlattenCNN().eval()
    images = torch.randn(2, 3, 16, 16)
    cam = GradCAM(model, model.relu2)
    cam(images, [1, 4])
    acts, grads = cam.last_activations, cam.last_gradients
    assert acts.shape == grads.shape == (2, 12, 8, 8)
    torch.testing.assert_close(cam.last_weights, grads.mean(dim=(2, 3)))
    torch.testing.assert_close(cam.last_raw_maps, (cam.last_weights[:, :, None, None] * acts).sum(1))
    assert cam.last_raw_maps.min() < 0  # before ReLU
    # gradients by hand: d logits[n, c_n] / d relu2-output
    feats = model.relu2(model.conv2(model.pool(model.relu1(model.conv1(images))))).detach().requires_grad_()
    score = model.fc(torch.flatten(feats, 1))[[0, 1], [1, 4]].sum()
    (manual,) = torch.autograd.grad(score, feats)
    torch.testing.assert_close(grads, manual)
    for t in (acts, grads, cam.last_weights, cam.last_raw_maps, cam.last_logits):
        assert not t.requires_grad and t.grad_fn is None
    with cam:
        pass
    assert cam.last_activations is None  # __exit__ clears


def test_model_state_is_restored_and_grads_untouched():
    torch.manual_seed(0)
    model = GapNet().train()
    model.features[1].eval()  # e.g. a frozen BatchNorm while fine-tuning: stays as it was
    images = torch.randn(4, 3, 16, 16)
    stats = model.features[1].running_mean.clone()
    maps1 = GradCAM(model, model.features)(images, 2)
    maps2 = GradCAM(model, model.features)(images, 2)
    assert model.training and model.dropout.training and not model.features[1].training  # restored
    assert all(p.grad is None for p in model.parameters())
    torch.testing.assert_close(model.features[1].running_mean, stats)  # eval: BN stats untouched
    torch.testing.assert_close(maps1, maps2)  # eval: dropout off, deterministic


def test_frozen_model_no_grad_and_inference_mode():
    torch.manual_seed(1)
    model = FlattenCNN().eval()
    images = torch.randn(3, 3, 16, 16)
    expected = GradCAM(model, model.conv2)(images, 0)
    for p in model.parameters():
        p.requires_grad_(False)
    torch.testing.assert_close(GradCAM(model, model.conv2)(images, 0), expected)
    with torch.no_grad():
        torch.testing.assert_close(GradCAM(model, model.conv2)(images, 0), expected)
    with torch.inference_mode():
        frozen_images = images.clone()
        torch.testing.assert_close(GradCAM(model, model.conv2)(frozen_images, 0), expected)


def test_flat_map_becomes_zeros_like_pytorch_grad_cam():
    model = GapNet(batchnorm=False).eval()
    with torch.no_grad():
        model.features[4].weight.zero_()
        model.features[4].bias.fill_(-1.0)  # after ReLU every feature map is 0
    images = torch.randn(2, 3, 16, 16)
    ours = GradCAM(model, model.features)(images, 1)
    ref = _ref_gradcam(model, model.features, images, [1, 1])
    assert torch.equal(ours, torch.zeros(2, 16, 16))
    assert (ours - ref).abs().max() == 0


def test_single_forward_backward_pass_counts():
    model = FlattenCNN().eval()
    calls = {"forward": 0}
    model.conv1.register_forward_hook(lambda *a: calls.__setitem__("forward", calls["forward"] + 1))
    GradCAM(model, model.conv2)(torch.randn(2, 3, 16, 16))
    CAM_model = GapNet().eval()
    CAM(CAM_model, CAM_model.features, CAM_model.fc)(torch.randn(2, 3, 16, 16))
    assert calls["forward"] == 1


# ── no leaks: hooks removed, no graphs kept ───────────────────────────────────────────────


def _tensor_count() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if issubclass(type(o), torch.Tensor))


def test_no_memory_growth_in_a_loop():
    torch.manual_seed(0)
    model = GapNet().eval()
    images = torch.randn(4, 3, 16, 16)
    assert _count_hooks(model) == 0
    cams = [GradCAM(model, model.features), CAM(model, model.features, model.fc)]
    for cam in cams * 3:  # warm up
        cam(images)
    tensors = _tensor_count()  # slow (walks every Python object): twice only
    tracemalloc.start()
    first, _ = tracemalloc.get_traced_memory()
    for cam in cams:
        for _ in range(50):
            maps = cam(images)
            assert _count_hooks(model) == 0
    del maps
    gc.collect()
    last, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert _tensor_count() - tensors <= 2
    assert last - first < 100_000  # bytes of Python objects
    assert all(p.grad is None for p in model.parameters())


def test_hooks_removed_on_exceptions():
    model = GapNet().eval()
    images = torch.randn(2, 3, 16, 16)
    with pytest.raises(ValueError, match="num_classes=6"):
        GradCAM(model, model.features)(images, 99)  # fails after the forward
    assert _count_hooks(model) == 0
    with pytest.raises(RuntimeError, match="boom"):
        with GradCAM(model, model.features) as cam:
            cam(images)
            raise RuntimeError("boom")  # not swallowed
    assert _count_hooks(model) == 0 and cam.last_activations is None

    class Exploding(nn.Module):
        def __init__(self):
            super().__init__()
            self.inner = GapNet()

        def forward(self, x):
            self.inner(x)
            raise RuntimeError("forward failed")

    bad = Exploding()
    with pytest.raises(RuntimeError, match="forward failed"):
        GradCAM(bad, bad.inner.features)(images)
    assert _count_hooks(bad) == 0 and bad.training


# ── building blocks ───────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("seed", range(5))
def test_gradcam_weights_and_weighted_sum_against_numpy(seed):
    rng = np.random.default_rng(seed)
    n, k, h, w = rng.integers(1, 6, size=4)
    grads = rng.normal(size=(n, k, h, w)).astype(np.float32)
    acts = rng.normal(size=(n, k, h, w)).astype(np.float32)
    weights = gradcam_weights(torch.from_numpy(grads))
    np.testing.assert_allclose(weights.numpy(), grads.mean(axis=(2, 3)), rtol=1e-5, atol=1e-6)
    summed = weighted_sum(torch.from_numpy(acts), weights)
    expected = np.einsum("nk,nkhw->nhw", weights.numpy().astype(np.float64), acts.astype(np.float64))
    np.testing.assert_allclose(summed.numpy(), expected, rtol=1e-4, atol=1e-5)
    shared = weighted_sum(torch.from_numpy(acts), weights[0])  # one weight vector for all images
    np.testing.assert_allclose(shared.numpy(), np.einsum("k,nkhw->nhw", weights[0].numpy(), acts), atol=1e-5)


@pytest.mark.parametrize("seed", range(3))
def test_cam_from_fc(seed):
    torch.manual_seed(seed)
    features = torch.randn(4, 7, 5, 6)
    fc = nn.Linear(7, 3)
    out = cam_from_fc(features, fc.weight, 2)
    loop = torch.stack([sum(fc.weight[2, k] * features[n, k] for k in range(7)) for n in range(4)])
    torch.testing.assert_close(out, loop.detach(), rtol=1e-5, atol=1e-5)
    per_image = cam_from_fc(features, fc.weight, torch.tensor([0, 1, 2, 0]))
    torch.testing.assert_close(per_image[1], cam_from_fc(features, fc.weight, 1)[1])
    # GAP of the CAM = fc logit without bias: the CAM splits the logit over positions
    torch.testing.assert_close(out.mean(dim=(1, 2)), (fc(features.mean(dim=(2, 3))) - fc.bias)[:, 2])


@pytest.mark.parametrize("seed", range(5))
def test_normalize_maps_matches_scale_cam_image(seed):
    rng = np.random.default_rng(seed)
    maps = (rng.normal(size=(4, 7, 9)) * 10.0 ** rng.integers(-3, 3)).astype(np.float32)
    ours = normalize_maps(torch.from_numpy(maps), eps=1e-7)
    np.testing.assert_allclose(ours.numpy(), scale_cam_image(maps), atol=1e-6)
    plain = normalize_maps(torch.from_numpy(maps))
    assert torch.allclose(plain.amin(dim=(1, 2)), torch.zeros(4))
    assert torch.allclose(plain.amax(dim=(1, 2)), torch.ones(4))
    flat = normalize_maps(torch.full((2, 3, 3), 5.0))
    assert torch.equal(flat, torch.zeros(2, 3, 3))
    assert normalize_maps(torch.tensor([[0.0, 2.0], [1.0, 4.0]])).tolist() == [[0.0, 0.5], [0.25, 1.0]]


@pytest.mark.parametrize(
    "shape, size",
    [((7, 7), (224, 224)), ((2, 2), (64, 64)), ((5, 3), (33, 47)), ((3, 5), (64, 30)), ((13, 13), (100, 100)),
     ((1, 5), (20, 20)), ((4, 4), (4, 4))],
)
def test_upsample_matches_cv2_resize(shape, size):
    rng = np.random.default_rng(sum(shape) + sum(size))
    maps = rng.random((3, *shape)).astype(np.float32)
    ours = upsample(torch.from_numpy(maps), size)
    assert ours.shape == (3, *size)
    for i in range(3):
        ref = cv2.resize(maps[i], (size[1], size[0]), interpolation=cv2.INTER_LINEAR)  # dsize=(W, H)
        np.testing.assert_allclose(ours[i].numpy(), ref, atol=TOL, rtol=0)


def _mass_by_pixel_centres(cam: np.ndarray, box) -> float:
    x1, y1, x2, y2 = box
    total = inside = 0.0
    for i in range(cam.shape[0]):
        for j in range(cam.shape[1]):
            total += cam[i, j]
            if x1 <= j + 0.5 < x2 and y1 <= i + 0.5 < y2:
                inside += cam[i, j]
    return inside / total if total > 0 else 0.0


@pytest.mark.parametrize("seed", range(5))
def test_mass_inside_box(seed):
    rng = np.random.default_rng(seed)
    cam = rng.random((3, 12, 15)).astype(np.float32)
    cam[0, :4] = 0.0
    boxes = np.sort(rng.uniform(-3, 18, size=(3, 2, 2)), axis=1).transpose(0, 2, 1).reshape(3, 4)
    boxes = boxes[:, [0, 2, 1, 3]]  # (x1, x2, y1, y2) → (x1, y1, x2, y2)
    ours = mass_inside_box(torch.from_numpy(cam), torch.from_numpy(boxes))
    assert ours.shape == (3,)
    for n in range(3):
        assert abs(ours[n].item() - _mass_by_pixel_centres(cam[n], boxes[n])) < 1e-5
        single = mass_inside_box(torch.from_numpy(cam[n]), boxes[n].tolist())
        assert single.dim() == 0 and abs(single.item() - ours[n].item()) < 1e-6
    # integer box = slicing
    x1, y1, x2, y2 = 2, 3, 9, 10
    c = torch.from_numpy(cam[1])
    expected = (c[y1:y2, x1:x2].sum() / c.sum()).item()
    assert abs(mass_inside_box(c, torch.tensor([x1, y1, x2, y2])).item() - expected) < 1e-6
    # one box for all maps; whole image → 1; empty box → 0; no mass → 0
    shared = mass_inside_box(torch.from_numpy(cam), (0, 0, 15, 12))
    torch.testing.assert_close(shared, torch.ones(3))
    assert mass_inside_box(c, (5, 5, 5, 9)).item() == 0.0
    assert mass_inside_box(torch.zeros(4, 4), (0, 0, 2, 2)).item() == 0.0


def test_mass_inside_box_on_a_real_cam():
    # a one-channel "network" whose feature map is the image: the CAM lights up the bright square
    model = nn.Sequential(nn.Conv2d(1, 1, 1, bias=False), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(1, 2))
    with torch.no_grad():
        model[0].weight.fill_(1.0)
        model[3].weight.copy_(torch.tensor([[1.0], [-1.0]]))
    images = torch.zeros(1, 1, 8, 8)
    images[0, 0, 2:5, 1:4] = 1.0
    maps = CAM(model, model[0], model[3])(images, 0)
    assert mass_inside_box(maps[0], (1, 2, 4, 5)).item() == pytest.approx(1.0)


# ── bad input → Korean errors ─────────────────────────────────────────────────────────────


def test_error_target_layer_not_in_model():
    model, other = GapNet(), GapNet()
    with pytest.raises(ValueError, match="model.modules\\(\\) 안에 없습니다"):
        GradCAM(model, other.features)
    with pytest.raises(ValueError, match="'layer9' 라는 층이 model 안에 없습니다"):
        GradCAM(model, "layer9")
    with pytest.raises(TypeError, match="target_layer은 nn.Module"):
        GradCAM(model, 3)
    with pytest.raises(TypeError, match="model은 torch.nn.Module"):
        GradCAM(lambda x: x, model.features)


def test_error_non_conv_target_layer():
    model = GapNet().eval()
    with pytest.raises(ValueError, match="\\(N, K, h, w\\) 모양이 아닙니다 \\(받은 값: \\(2, 6\\)\\).*Linear"):
        GradCAM(model, model.fc)(torch.randn(2, 3, 16, 16))
    with pytest.raises(ValueError, match="1×1입니다"):
        GradCAM(model, model.gap)(torch.randn(2, 3, 16, 16))


def test_error_wrong_image_shape_and_dtype():
    model = GapNet().eval()
    cam = GradCAM(model, model.features)
    with pytest.raises(ValueError, match="4차원 텐서여야 합니다 \\(받은 모양: \\(3, 16, 16\\)\\).*unsqueeze\\(0\\)"):
        cam(torch.randn(3, 16, 16))
    with pytest.raises(ValueError, match="4차원"):
        cam(torch.randn(1, 1, 3, 16, 16))
    with pytest.raises(TypeError, match="실수\\(float\\) 텐서여야 합니다 \\(받은 dtype: torch.uint8\\)"):
        cam(torch.zeros(1, 3, 16, 16, dtype=torch.uint8))
    with pytest.raises(TypeError, match="images는 torch.Tensor"):
        cam(np.zeros((1, 3, 16, 16), dtype=np.float32))
    with pytest.raises(TypeError, match="normalization"):  # test scaffolding, not a student option
        cam(torch.randn(1, 3, 16, 16), normalization="pytorch-grad-cam")


def test_error_target_class_out_of_range():
    model = GapNet(num_classes=6).eval()
    cam = GradCAM(model, model.features)
    images = torch.randn(3, 3, 16, 16)
    with pytest.raises(ValueError, match="\\[6\\]이\\(가\\) 범위를 벗어났습니다: 클래스 수 num_classes=6.*0 ~ 5"):
        cam(images, 6)
    with pytest.raises(ValueError, match="\\[-1\\]"):
        cam(images, [0, -1, 2])
    with pytest.raises(ValueError, match="길이 3"):
        cam(images, [0, 1])
    with pytest.raises(TypeError, match="정수 클래스 번호"):
        cam(images, 1.5)
    with pytest.raises(TypeError, match="정수 클래스 번호"):
        cam(images, True)
    with pytest.raises(TypeError, match="정수 클래스 번호"):
        cam(images, "cat")
    with pytest.raises(ValueError, match="num_classes=3"):
        cam_from_fc(torch.randn(2, 4, 3, 3), torch.randn(3, 4), 3)


def test_error_fc_layer_mismatch():
    model = GapNet(num_classes=6, channels=10).eval()
    images = torch.randn(2, 3, 16, 16)
    with pytest.raises(ValueError, match="out_features=3가 모델 출력의 클래스 수 num_classes=6"):
        CAM(model, model.features, model.aux_head)(images)
    with pytest.raises(ValueError, match="fc_layer\\(GAP\\(target_layer 출력\\)\\)와 다릅니다"):
        CAM(model, model.features, model.unused_head)(images)
    with pytest.raises(ValueError, match="in_features=10가 target_layer의 채널 수 K=8"):
        CAM(model, model.features[2], model.fc)(images)
    flat = FlattenCNN().eval()
    with pytest.raises(ValueError, match="in_features=768"):
        CAM(flat, flat.relu2, flat.fc)(torch.randn(1, 3, 16, 16))
    with pytest.raises(TypeError, match="fc_layer는 GAP 바로 뒤의 nn.Linear"):
        CAM(model, model.features, model.gap)
    with pytest.raises(ValueError, match="fc_layer\\(Linear\\)이 model.modules\\(\\) 안에 없습니다"):
        CAM(model, model.features, nn.Linear(10, 6))


def test_error_layer_used_wrongly_in_forward():
    class Reuse(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 3, 3, padding=1)
            self.relu = nn.ReLU()  # used twice
            self.relu_inplace = nn.ReLU(inplace=True)
            self.unused = nn.Conv2d(3, 3, 1)
            self.fc = nn.Linear(3, 2)

        def forward(self, x):
            x = self.relu_inplace(self.conv(self.relu(x)))  # conv's output is changed in place
            x = self.relu(x)
            return self.fc(x.mean(dim=(2, 3)))

    model = Reuse().eval()
    images = torch.randn(2, 3, 8, 8)
    with pytest.raises(ValueError, match="2번 실행되었습니다"):
        GradCAM(model, model.relu)(images)
    with pytest.raises(ValueError, match="제자리\\(in-place\\)로 바뀌었습니다"):
        GradCAM(model, model.conv)(images)
    with pytest.raises(ValueError, match="한 번도 실행되지 않았습니다"):
        GradCAM(model, model.unused)(images)
    GradCAM(model, model.relu_inplace)(images)  # the suggested fix works

    class TupleOut(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = GapNet()

        def forward(self, x):
            return self.net(x), "aux"

    wrapped = TupleOut().eval()
    with pytest.raises(TypeError, match="logits 텐서여야 합니다 \\(받은 값: tuple\\)"):
        GradCAM(wrapped, wrapped.net.features)(images)


def test_errors_in_building_blocks():
    with pytest.raises(ValueError, match="gradients는 \\(N, K, h, w\\)"):
        gradcam_weights(torch.randn(3, 4, 5))
    with pytest.raises(TypeError, match="gradients는 torch.Tensor"):
        gradcam_weights(np.zeros((1, 2, 3, 4)))
    with pytest.raises(ValueError, match="\\(N, K\\) = \\(2, 4\\)"):
        weighted_sum(torch.randn(2, 4, 3, 3), torch.randn(2, 5))
    with pytest.raises(ValueError, match="입력 차원 K=5가 features의 채널 수 4"):
        cam_from_fc(torch.randn(2, 4, 3, 3), torch.randn(3, 5), 0)
    with pytest.raises(ValueError, match="fc_weight는 \\(C, K\\)"):
        cam_from_fc(torch.randn(2, 4, 3, 3), torch.randn(4), 0)
    with pytest.raises(ValueError, match="maps는 \\(\\.\\.\\., h, w\\)"):
        normalize_maps(torch.randn(5))
    with pytest.raises(ValueError, match=r"eps은\(는\) 0 이상의 유한한 실수"):
        normalize_maps(torch.randn(2, 3, 3), eps=-1.0)
    with pytest.raises(ValueError, match="maps는 \\(N, h, w\\)"):
        upsample(torch.randn(4, 4), (8, 8))
    with pytest.raises(ValueError, match="size는 양의 정수 두 개"):
        upsample(torch.randn(1, 4, 4), (8, 0))
    with pytest.raises(ValueError, match="cam에 음수나 NaN/inf가 있습니다"):
        mass_inside_box(torch.randn(4, 4) - 5, (0, 0, 2, 2))
    with pytest.raises(ValueError, match="\\(2, 4\\) 모양"):
        mass_inside_box(torch.rand(2, 4, 4), torch.zeros(3, 4))
    with pytest.raises(ValueError, match="x1 <= x2"):
        mass_inside_box(torch.rand(4, 4), (3, 0, 1, 2))
    with pytest.raises(TypeError, match="cam은 torch.Tensor"):
        mass_inside_box(np.ones((4, 4)), (0, 0, 1, 1))
