"""helpers.checks: the shared argument checks (types, ranges, Korean messages)."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn

from helpers import checks


@pytest.mark.parametrize("value", [1, 7, np.int64(3), np.int32(1)])
def test_positive_int_accepts_integers(value):
    result = checks.positive_int("epochs", value)
    assert result == int(value) and type(result) is int


@pytest.mark.parametrize("value", [True, False, 1.0, "3", None, np.bool_(True), torch.tensor(3)])
def test_integer_rejects_non_integers_with_type_error(value):
    with pytest.raises(TypeError, match=r"epochs은\(는\) 정수여야 합니다 \(받은 값: .*타입"):
        checks.positive_int("epochs", value)


@pytest.mark.parametrize("value", [0, -1, np.int64(-5)])
def test_positive_int_rejects_small_values(value):
    with pytest.raises(ValueError, match=r"epochs은\(는\) 1 이상의 정수여야 합니다 \(받은 값: -?\d+\)"):
        checks.positive_int("epochs", value)


def test_integer_range_and_hint():
    assert checks.integer("k", 5, minimum=0, maximum=5) == 5
    assert checks.non_negative_int("workers", 0) == 0
    with pytest.raises(ValueError, match=r"k은\(는\) 0 이상 5 이하의 정수여야 합니다 \(받은 값: 6\)\. 힌트입니다\.$"):
        checks.integer("k", 6, minimum=0, maximum=5, hint="힌트입니다.")
    with pytest.raises(ValueError, match="0 이상의 정수"):
        checks.non_negative_int("workers", -1)


@pytest.mark.parametrize("value, expected", [(0, 0.0), (1, 1.0), (0.25, 0.25), (np.float32(0.5), 0.5)])
def test_probability_accepts(value, expected):
    result = checks.probability("p", value)
    assert result == expected and type(result) is float


@pytest.mark.parametrize("value", [-0.01, 1.01, math.nan, math.inf, -math.inf])
def test_probability_rejects_out_of_range_and_nan(value):
    with pytest.raises(ValueError, match=r"p은\(는\) 0 이상 1 이하의 유한한 실수여야 합니다"):
        checks.probability("p", value)


def test_exclusive_bounds():
    assert checks.probability("p", 0.999, max_inclusive=False) == 0.999
    with pytest.raises(ValueError, match="0 이상 1 미만"):
        checks.probability("p", 1.0, max_inclusive=False)
    with pytest.raises(ValueError, match="0 초과"):
        checks.positive_number("timeout", 0)
    assert checks.positive_number("timeout", 1e-9) == 1e-9
    with pytest.raises(ValueError, match=r"^lr은\(는\) 유한한 실수여야 합니다"):
        checks.number("lr", math.nan)


@pytest.mark.parametrize("value", [True, "0.5", None, torch.tensor(0.5), [0.5]])
def test_number_rejects_non_numbers_with_type_error(value):
    with pytest.raises(TypeError, match=r"p은\(는\) 실수여야 합니다"):
        checks.probability("p", value)


def test_to_numpy_converts_tensors_lists_and_half_precision():
    t = torch.arange(6, dtype=torch.float32).reshape(2, 3).requires_grad_()
    out = checks.to_numpy(t * 2, "x")
    assert isinstance(out, np.ndarray) and out.dtype == np.float32
    np.testing.assert_array_equal(out, np.arange(6).reshape(2, 3) * 2)
    for dtype in (torch.float16, torch.bfloat16):
        half = checks.to_numpy(torch.tensor([0.5, 1.5], dtype=dtype), "x")
        assert half.dtype == np.float32
        np.testing.assert_array_equal(half, [0.5, 1.5])
    np.testing.assert_array_equal(checks.to_numpy([[1, 2], [3, 4]], "x"), [[1, 2], [3, 4]])
    arr = np.ones(3)
    assert checks.to_numpy(arr, "x") is arr


@pytest.mark.parametrize("value, pattern", [
    (None, "y_true에는 텐서나 배열을 넣어야 하는데 NoneType"),
    ("abc", "y_true에는 텐서나 배열을 넣어야 하는데 str"),
    ([[1, 2], [3]], r"y_true을\(를\) 배열로 바꿀 수 없습니다 \(행마다 길이가 다른"),
])
def test_to_numpy_rejects(value, pattern):
    with pytest.raises(TypeError, match=pattern):
        checks.to_numpy(value, "y_true")


def test_model_device():
    assert checks.model_device(nn.Linear(2, 2)) == torch.device("cpu")
    assert checks.model_device(nn.ReLU()) == torch.device("cpu")
    assert checks.model_device(nn.ReLU(), default="meta") == torch.device("meta")
    only_buffer = nn.BatchNorm1d(2, affine=False)
    assert checks.model_device(only_buffer.to("meta")) == torch.device("meta")
    split = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2).to("meta"))
    with pytest.raises(ValueError, match=r"여러 장치에 나뉘어 있습니다 \(cpu, meta\)"):
        checks.model_device(split)
    with pytest.raises(TypeError, match="torch.nn.Module이어야"):
        checks.model_device("resnet")


def test_size_hw_reads_image_sizes_and_refuses_the_rest():
    assert checks.size_hw(torch.Size([28, 32])) == (28, 32)
    assert checks.size_hw([np.int64(5), 7]) == (5, 7)
    assert checks.size_hw(28, square=True) == (28, 28)
    assert all(type(v) is int for v in checks.size_hw(torch.zeros(1, 3, 6, 9).shape[-2:]))
    for bad in [28, (8, 0), (8, 8, 8), (8.0, 8), (True, 8), "88", None]:
        with pytest.raises(ValueError, match=r"size는 양의 정수 두 개 \(H, W\)여야 합니다.*예: f\(x\)"):
            checks.size_hw(bad, example="예: f(x)")
    with pytest.raises(ValueError, match=r"image_size는 양의 정수 하나\(정사각형\) 또는 \(H, W\) 두 개"):
        checks.size_hw(0, "image_size", square=True)


def test_size_pair_keeps_the_given_order_and_names_it():
    assert checks.size_pair((640, 480), "image_size", order="(width, height)") == (640, 480)
    assert checks.size_pair(64, "image_size", order="(width, height)", square=True) == (64, 64)
    for bad in [(0, 5), (5,), (5.0, 5), (5, False), "55", 64]:
        with pytest.raises(ValueError, match=r"image_size는 양의 정수 두 개 \(width, height\)여야"):
            checks.size_pair(bad, "image_size", order="(width, height)")
    with pytest.raises(ValueError, match=r"양의 정수 하나\(정사각형\) 또는 \(width, height\) 두 개.*True"):
        checks.size_pair(True, "image_size", order="(width, height)", square=True)
