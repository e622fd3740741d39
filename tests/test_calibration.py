"""helpers.calibration: ECE equal to torchmetrics, reliability bins, temperature scaling, Korean errors."""
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy.optimize import minimize_scalar
from torchmetrics.classification import MulticlassCalibrationError

from helpers.calibration import (
    ReliabilityBins,
    expected_calibration_error,
    fit_temperature,
    plot_reliability_diagram,
    reliability_bins,
)

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def torchmetrics_ece(probs, labels, n_bins):
    metric = MulticlassCalibrationError(num_classes=probs.shape[1], n_bins=n_bins, norm="l1")
    return float(metric(probs, labels))


def random_case(seed):
    g = torch.Generator().manual_seed(seed)
    n = int(torch.randint(1, 300, (1,), generator=g))
    c = int(torch.randint(2, 12, (1,), generator=g))
    scale = [0.1, 1.0, 3.0, 10.0, 40.0][seed % 5]          # from nearly uniform to saturated (conf 1.0)
    logits = torch.randn(n, c, generator=g) * scale
    labels = torch.randint(0, c, (n,), generator=g)
    if seed % 3 == 0:                                       # a decent model: mostly right
        right = torch.rand(n, generator=g) < 0.8
        labels = torch.where(right, logits.argmax(1), labels)
    dtype = torch.float64 if seed % 4 == 0 else torch.float32
    return torch.softmax(logits.to(dtype), dim=1), labels


@pytest.mark.parametrize("seed", range(120))
def test_ece_equals_torchmetrics_random(seed):
    probs, labels = random_case(seed)
    n_bins = [1, 2, 5, 10, 15, 30, 100][seed % 7]
    ours = expected_calibration_error(probs, labels, n_bins=n_bins)
    assert type(ours) is float
    assert ours == pytest.approx(torchmetrics_ece(probs, labels, n_bins), abs=1e-6)


@pytest.mark.parametrize("probs, labels", [
    (torch.tensor([[0.5, 0.5]]), torch.tensor([1])),                       # tie, one sample
    (torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]), torch.tensor([0, 1, 1])),   # confidence exactly 1
    (torch.tensor([[0.2, 0.8], [0.6, 0.4], [0.3, 0.7]]), torch.tensor([1, 0, 1])),   # all correct
    (torch.tensor([[0.2, 0.8], [0.6, 0.4], [0.3, 0.7]]), torch.tensor([0, 1, 0])),   # all wrong
    (torch.tensor([[0.6, 0.4]] * 4 + [[0.2, 0.8]] * 4), torch.tensor([0, 0, 1, 1, 1, 1, 1, 0])),  # edges 0.6, 0.8
    (torch.full((7, 4), 0.25), torch.tensor([0, 1, 2, 3, 0, 1, 2])),        # uniform, conf on an edge
])
@pytest.mark.parametrize("n_bins", [1, 5, 10, 15])
def test_ece_equals_torchmetrics_edge_cases(probs, labels, n_bins):
    assert expected_calibration_error(probs, labels, n_bins) == pytest.approx(
        torchmetrics_ece(probs, labels, n_bins), abs=1e-6)


def test_ece_hand_computed():
    # 4 predictions at confidence 0.9, 3 correct: |0.75 - 0.9| = 0.15 for the whole set
    probs = torch.tensor([[0.9, 0.1]] * 4)
    labels = torch.tensor([0, 0, 0, 1])
    assert expected_calibration_error(probs, labels, 10) == pytest.approx(0.15, abs=1e-6)
    # perfectly calibrated in each bin
    probs = torch.tensor([[0.5, 0.5]] * 2 + [[1.0, 0.0]] * 3)
    assert expected_calibration_error(probs, torch.tensor([0, 1, 0, 0, 0]), 10) == pytest.approx(0.0, abs=1e-7)


def test_accepts_numpy_and_lists():
    probs, labels = random_case(7)
    ref = expected_calibration_error(probs, labels)
    assert expected_calibration_error(probs.numpy(), labels.numpy()) == pytest.approx(ref, abs=1e-12)
    assert expected_calibration_error(probs.tolist(), labels.tolist()) == pytest.approx(ref, abs=1e-12)


def test_reliability_bins_structure():
    probs, labels = random_case(3)
    bins = reliability_bins(probs, labels, n_bins=10)
    assert type(bins) is ReliabilityBins
    for field in (bins.lower, bins.upper, bins.count, bins.confidence, bins.accuracy):
        assert type(field) is np.ndarray and field.shape == (11,)
    assert bins.count.sum() == len(labels) and bins.count.dtype == np.int64
    np.testing.assert_allclose(bins.lower[:10], np.linspace(0, 1, 11)[:10], atol=1e-7)
    assert bins.lower[-1] == bins.upper[-1] == 1.0
    used = bins.count > 0
    assert np.all((bins.confidence[used] >= bins.lower[used] - 1e-7) & (bins.confidence[used] <= bins.upper[used] + 1e-7))
    assert np.all(np.isnan(bins.accuracy[~used]))
    assert bins.weight.sum() == pytest.approx(1.0)
    assert bins.ece == expected_calibration_error(probs, labels, 10)


def test_confidence_one_goes_to_its_own_bin():
    bins = reliability_bins(torch.tensor([[1.0, 0.0], [0.95, 0.05]]), torch.tensor([1, 0]), n_bins=10)
    assert bins.count[-1] == 1 and bins.accuracy[-1] == 0.0
    assert bins.count[9] == 1 and bins.accuracy[9] == 1.0


@pytest.mark.parametrize("true_t", [0.5, 2.0, 4.0])
def test_fit_temperature_recovers_the_scale(true_t):
    g = torch.Generator().manual_seed(0)
    base = torch.randn(4000, 10, generator=g) * 2
    labels = torch.multinomial(torch.softmax(base, dim=1), 1, generator=g).squeeze(1)  # calibrated at T=1
    t = fit_temperature(base * true_t, labels)                     # logits scaled by true_t
    assert type(t) is float
    assert t == pytest.approx(true_t, rel=0.08)


@pytest.mark.parametrize("seed", range(16))
def test_fit_temperature_equals_scipy_minimum(seed):
    probs, labels = random_case(seed + 1)
    logits = torch.log(probs.double().clamp_min(1e-300))
    if labels.numel() < 3 or (logits.argmax(1) == labels).all():
        pytest.skip("no wrong prediction: the NLL has no minimum")

    def nll(log_t):
        return F.cross_entropy(logits / np.exp(log_t), labels).item()

    ref = np.exp(minimize_scalar(nll, bounds=(-12, 12), method="bounded", options={"xatol": 1e-10}).x)
    if not 1e-2 < ref < 1e2:                     # optimum at T -> 0 or T -> infinity: no finite T
        with pytest.raises(ValueError, match="온도"):
            fit_temperature(logits, labels)
        return
    t = fit_temperature(logits, labels)
    assert nll(np.log(t)) <= nll(np.log(ref)) + 1e-7
    assert t == pytest.approx(ref, rel=1e-3)


def test_temperature_scaling_lowers_ece_of_overconfident_logits():
    g = torch.Generator().manual_seed(1)
    base = torch.randn(3000, 10, generator=g)
    labels = torch.multinomial(torch.softmax(base, dim=1), 1, generator=g).squeeze(1)
    over = base * 3
    t = fit_temperature(over[:1500], labels[:1500])                 # "validation" half
    before = expected_calibration_error(torch.softmax(over[1500:], 1), labels[1500:])
    after = expected_calibration_error(torch.softmax(over[1500:] / t, 1), labels[1500:])
    assert after < before / 2


def test_fit_temperature_without_finite_optimum_is_korean_error():
    logits = torch.tensor([[5.0, 0.0], [0.0, 5.0]])
    with pytest.raises(ValueError, match="온도"):
        fit_temperature(logits, torch.tensor([0, 1]))          # all right: T -> 0
    with pytest.raises(ValueError, match="온도"):
        fit_temperature(logits, torch.tensor([1, 0]))          # all wrong: T -> infinity
    with pytest.raises(ValueError, match="2차원"):
        fit_temperature(torch.tensor([1.0, 2.0]), torch.tensor([0]))


def test_plot_reliability_diagram():
    probs, labels = random_case(10)
    ax = plot_reliability_diagram(probs, labels, n_bins=10)
    assert "ECE" in ax.get_title()
    _, axes = plt.subplots(1, 2)
    assert plot_reliability_diagram(probs, labels, ax=axes[1], title="x") is axes[1]
    plt.close("all")


@pytest.mark.parametrize("probs, labels, error, match", [
    (torch.tensor([0.5, 0.5]), torch.tensor([0]), ValueError, "2차원"),
    (torch.tensor([[2.0, -1.0]]), torch.tensor([0]), ValueError, "softmax"),
    (torch.tensor([[0.5, 0.3]]), torch.tensor([0]), ValueError, "합이 1"),
    (torch.tensor([[0.5, 0.5]]), torch.tensor([2]), ValueError, "labels의 값"),
    (torch.tensor([[0.5, 0.5]]), torch.tensor([0, 1]), ValueError, "labels"),
    (torch.tensor([[0.5, 0.5]]), torch.tensor([0.0]), TypeError, "정수"),
    (torch.tensor([[1, 0]]), torch.tensor([0]), TypeError, "실수"),
    (torch.tensor([[float("nan"), 0.5]]), torch.tensor([0]), ValueError, "NaN"),
    (torch.zeros(0, 3), torch.zeros(0, dtype=torch.long), ValueError, "비어"),
    ("probs", torch.tensor([0]), TypeError, "probs"),
])
def test_bad_input_korean(probs, labels, error, match):
    with pytest.raises(error, match=match):
        expected_calibration_error(probs, labels)


@pytest.mark.parametrize("n_bins, match", [
    (0, r"n_bins은\(는\) 1 이상의 정수"), (-3, r"n_bins은\(는\) 1 이상의 정수"),
    (2.5, r"n_bins은\(는\) 정수여야"), (True, r"n_bins은\(는\) 정수여야"),
])
def test_bad_n_bins(n_bins, match):
    with pytest.raises(ValueError, match=match):
        expected_calibration_error(torch.tensor([[0.5, 0.5]]), torch.tensor([0]), n_bins=n_bins)
