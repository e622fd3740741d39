"""The course's small models: shapes, exact parameter counts, BN/Dropout toggles, the CAM identity."""
import numpy as np
import pytest
import torch
from torch import nn

from helpers.models import CifarCNN, GapCNN, SmallCNN, conv_block, count_parameters

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _layers(model: nn.Module, kind: type) -> list[nn.Module]:
    return [m for m in model.modules() if isinstance(m, kind)]


# --------------------------------------------------------------------------- SmallCNN
@pytest.mark.parametrize("in_channels, image_size, num_classes, width", [
    (1, 28, 10, 16), (3, 32, 10, 16), (3, 32, 100, 8), (1, 8, 2, 4), (2, 12, 5, 3),
])
def test_smallcnn_output_shape(in_channels, image_size, num_classes, width):
    model = SmallCNN(in_channels, num_classes, image_size, width=width)
    out = model(torch.randn(5, in_channels, image_size, image_size))
    assert out.shape == (5, num_classes)
    assert out.dtype == torch.float32


def _smallcnn_count(c, k, s, w, bn):
    conv = c * w * 9 + w * 2 * w * 9
    norm_or_bias = (2 * w + 2 * 2 * w) if bn else (w + 2 * w)  # BN: gamma+beta; else conv biases
    return conv + norm_or_bias + 2 * w * (s // 4) ** 2 * k + k


@pytest.mark.parametrize("bn", [True, False])
@pytest.mark.parametrize("c, k, s, w", [(1, 10, 28, 16), (3, 10, 32, 16), (3, 7, 16, 5)])
def test_smallcnn_parameter_count_is_exact(c, k, s, w, bn):
    model = SmallCNN(c, k, s, batchnorm=bn, width=w)
    assert count_parameters(model) == _smallcnn_count(c, k, s, w, bn)
    assert count_parameters(model) == sum(p.numel() for p in model.parameters())


def test_smallcnn_default_size_for_mnist():
    # the figure quoted in the lessons and the docstring
    assert count_parameters(SmallCNN()) == 20_538


def test_smallcnn_batchnorm_and_dropout_toggles_remove_layers():
    full = SmallCNN()
    assert len(_layers(full, nn.BatchNorm2d)) == 2
    assert len(_layers(full, nn.Dropout)) == 1
    assert _layers(full, nn.Dropout)[0].p == 0.25
    plain = SmallCNN(batchnorm=False, dropout=0.0)
    assert _layers(plain, nn.BatchNorm2d) == []
    assert _layers(plain, nn.Dropout) == []
    # without BN the convs get their bias back
    assert all(conv.bias is not None for conv in _layers(plain, nn.Conv2d))
    assert all(conv.bias is None for conv in _layers(full, nn.Conv2d))


def test_smallcnn_dropout_only_acts_in_train_mode():
    torch.manual_seed(0)
    model = SmallCNN(dropout=0.5)
    x = torch.randn(4, 1, 28, 28)
    model.eval()
    assert torch.equal(model(x), model(x))
    model.train()
    assert not torch.equal(model(x), model(x))


def test_smallcnn_bad_arguments_have_korean_messages():
    with pytest.raises(ValueError, match="image_size는 4의 배수.*최대 풀링을 두 번.*28이나 32처럼"):
        SmallCNN(image_size=30)
    with pytest.raises(ValueError, match=r"image_size은\(는\) 4 이상의 정수"):
        SmallCNN(image_size=0)
    with pytest.raises(ValueError, match=r"dropout은\(는\) 0 이상 1 미만.*받은 값: 1.5\).*드롭아웃 확률 p는"):
        SmallCNN(dropout=1.5)
    with pytest.raises(TypeError, match=r"dropout은\(는\) 실수여야.*'0.2'"):
        SmallCNN(dropout="0.2")
    with pytest.raises(TypeError, match=r"width은\(는\) 정수여야.*받은 값: 2.5"):
        SmallCNN(width=2.5)
    with pytest.raises(ValueError, match=r"num_classes은\(는\) 2 이상"):
        SmallCNN(num_classes=1)
    with pytest.raises(TypeError, match=r"in_channels은\(는\) 정수"):
        SmallCNN(in_channels=True)
    with pytest.raises(ValueError, match=r"num_classes은\(는\) 2 이상"):
        GapCNN(num_classes=1)


def test_numpy_integers_are_accepted_as_python_ints():
    model = SmallCNN(width=np.int64(4), image_size=np.int32(28))
    assert type(model.image_size) is int and model.features[0][0].out_channels == 4
    assert model(torch.randn(1, 1, 28, 28)).shape == (1, 10)


# --------------------------------------------------------------------------- GapCNN
@pytest.mark.parametrize("in_channels, size, num_classes, width", [
    (1, 28, 10, 16), (3, 32, 10, 8), (3, 40, 4, 4), (1, 8, 2, 2),
])
def test_gapcnn_shapes_and_attributes(in_channels, size, num_classes, width):
    model = GapCNN(in_channels, num_classes, width).eval()
    x = torch.randn(3, in_channels, size, size)
    feats = model.features(x)
    assert feats.shape == (3, 4 * width, size // 4, size // 4)
    assert isinstance(model.fc, nn.Linear)
    assert (model.fc.in_features, model.fc.out_features) == (4 * width, num_classes)
    assert model(x).shape == (3, num_classes)


def test_gapcnn_logits_are_the_mean_of_the_class_activation_map():
    # The property lesson 05 relies on: logit_c = b_c + mean_ij (sum_k w_ck A_k)_ij
    torch.manual_seed(1)
    for _ in range(5):
        model = GapCNN(3, 6, width=4).eval()
        x = torch.randn(4, 3, 24, 24)
        with torch.no_grad():
            feats = model.features(x)                                   # (N, K, h, w)
            cams = torch.einsum("ck,nkhw->nchw", model.fc.weight, feats)  # (N, C, h, w)
            expected = cams.mean(dim=(2, 3)) + model.fc.bias
            torch.testing.assert_close(model(x), expected, rtol=1e-5, atol=1e-5)


def test_gapcnn_parameter_count_and_bn_toggle():
    w, c, k = 16, 1, 10
    expected = c * w * 9 + w * 2 * w * 9 + 2 * w * 4 * w * 9 + 2 * (w + 2 * w + 4 * w) + 4 * w * k + k
    assert count_parameters(GapCNN(c, k, w)) == expected
    plain = GapCNN(c, k, w, batchnorm=False)
    assert _layers(plain, nn.BatchNorm2d) == []
    assert len(_layers(GapCNN(c, k, w), nn.BatchNorm2d)) == 3
    # no in-place ReLU anywhere: CAM / Grad-CAM hooks must see unmodified activations
    assert all(not r.inplace for r in _layers(GapCNN(), nn.ReLU))


def test_gapcnn_works_with_backward_hooks_on_last_feature_layer():
    model = GapCNN(3, 5, 4)
    grads = []
    handle = model.features[-1].register_full_backward_hook(lambda m, gi, go: grads.append(go[0]))
    model(torch.randn(2, 3, 16, 16))[:, 1].sum().backward()
    handle.remove()
    assert grads and grads[0].shape == (2, 16, 4, 4)


# --------------------------------------------------------------------------- CifarCNN
def test_cifarcnn_shapes_and_size():
    model = CifarCNN()
    assert model(torch.randn(2, 3, 32, 32)).shape == (2, 10)
    assert 250_000 < count_parameters(model) < 350_000
    assert CifarCNN(width=8, num_classes=4, image_size=16)(torch.randn(2, 3, 16, 16)).shape == (2, 4)
    assert CifarCNN(in_channels=1, image_size=24, width=4)(torch.randn(1, 1, 24, 24)).shape == (1, 10)


def test_cifarcnn_exact_parameter_count():
    w, k = 8, 10
    convs = 3 * w * 9 + w * w * 9 + w * 2 * w * 9 + (2 * w) ** 2 * 9 + 2 * w * 4 * w * 9 + (4 * w) ** 2 * 9
    bn = 2 * (2 * w + 2 * 2 * w + 2 * 4 * w)
    fc = 4 * w * 4 * 4 * k + k
    assert count_parameters(CifarCNN(width=w)) == convs + bn + fc


def test_cifarcnn_toggles_remove_layers():
    assert len(_layers(CifarCNN(), nn.BatchNorm2d)) == 6
    assert len(_layers(CifarCNN(), nn.Dropout)) == 4
    assert _layers(CifarCNN(batchnorm=False), nn.BatchNorm2d) == []
    assert _layers(CifarCNN(dropout=0), nn.Dropout) == []
    with pytest.raises(ValueError, match="image_size는 8의 배수.*최대 풀링을 세 번.*32×32처럼"):
        CifarCNN(image_size=28)


# --------------------------------------------------------------------------- utilities
def test_conv_block_shapes():
    assert conv_block(3, 8)(torch.randn(1, 3, 10, 10)).shape == (1, 8, 5, 5)
    assert conv_block(3, 8, pool=False, convs=2)(torch.randn(1, 3, 10, 10)).shape == (1, 8, 10, 10)


def test_count_parameters_trainable_only():
    model = SmallCNN()
    total = count_parameters(model)
    for p in model.features.parameters():
        p.requires_grad_(False)
    frozen = sum(p.numel() for p in model.features.parameters())
    assert count_parameters(model) == total - frozen
    assert count_parameters(model, trainable_only=False) == total
    # buffers (BatchNorm running statistics) are not parameters
    assert count_parameters(nn.BatchNorm2d(4), trainable_only=False) == 8


def test_count_parameters_rejects_non_modules():
    with pytest.raises(TypeError, match="model은 torch.nn.Module이어야.*type"):
        count_parameters(SmallCNN)
