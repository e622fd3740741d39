"""Calibration from scratch: reliability diagram, expected calibration error (ECE), temperature scaling.

A classifier is *calibrated* when its confidence means what it says: of all predictions made with
confidence about 0.8, about 80 % are correct. Lesson 01 measures it in three steps.

1. **Reliability diagram.** Take every prediction's confidence ``conf = max_c p_c`` and whether it
   was correct. Sort the predictions into ``n_bins`` equal-width bins of confidence; in each bin
   compare the mean confidence with the accuracy. A calibrated model has accuracy = confidence in
   every bin (the diagonal); bars below the diagonal mean *overconfident*.

2. **ECE** (Naeini et al., AAAI 2015; Guo et al., "On Calibration of Modern Neural Networks",
   ICML 2017) is the gap of the diagram averaged over the samples::

       ECE = sum_b (n_b / N) * | accuracy_b - confidence_b |

3. **Temperature scaling** (Guo et al. 2017): divide the logits by one number ``T > 0`` fitted on
   the *validation* set by minimising the negative log-likelihood (cross-entropy). ``T > 1``
   softens overconfident probabilities. The argmax, hence the accuracy, does not change.

Binning follows torchmetrics' ``MulticlassCalibrationError(norm="l1")`` exactly, so the two agree
to float rounding (the tests check it):

- confidences are taken in float32 and bin ``k`` holds ``edges[k] <= conf < edges[k+1]`` with
  ``edges = torch.linspace(0, 1, n_bins + 1)`` (float32);
- a confidence of exactly 1.0 (float32 softmax rounds very confident predictions to 1) falls
  into one extra bin of its own, ``[1, 1]``. So :func:`reliability_bins` returns ``n_bins + 1``
  bins, the last one being that extra bin (often empty).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.axes import Axes
from matplotlib.ticker import PercentFormatter

from helpers import checks
from helpers.fonts import register_korean_font

__all__ = [
    "ReliabilityBins",
    "expected_calibration_error",
    "fit_temperature",
    "plot_reliability_diagram",
    "reliability_bins",
]

register_korean_font()

_SUM_TOL = 1e-3  # rows of float32 softmax outputs sum to 1 up to rounding
_T_RANGE = (1e-3, 1e3)  # a fitted temperature outside this range means "no finite optimum"


# ---------------------------------------------------------------------------------------------
# Input checking
# ---------------------------------------------------------------------------------------------
def _as_tensor(x: Any, name: str) -> torch.Tensor:
    if isinstance(x, torch.Tensor):
        return x.detach().cpu()
    if isinstance(x, (np.ndarray, list, tuple)):
        try:
            return torch.as_tensor(np.asarray(x))
        except (TypeError, ValueError, RuntimeError):
            raise TypeError(f"{name}를 텐서로 바꿀 수 없습니다. 숫자의 배열을 넘기세요 (받은 것: {type(x).__name__}).") from None
    raise TypeError(f"{name}는 torch 텐서나 numpy 배열이어야 합니다. 받은 것: {type(x).__name__}")


def _check_scores_labels(scores: Any, labels: Any, scores_name: str) -> tuple[torch.Tensor, torch.Tensor]:
    """(N, C) float scores and (N,) int labels in [0, C) -> CPU tensors; Korean errors otherwise."""
    s = _as_tensor(scores, scores_name)
    y = _as_tensor(labels, "labels")
    if s.dim() != 2:
        raise ValueError(f"{scores_name}는 모양 (N, C) = (샘플 수, 클래스 수)의 2차원이어야 합니다. 받은 모양: {tuple(s.shape)}")
    if s.shape[0] == 0:
        raise ValueError(f"{scores_name}가 비어 있습니다 (샘플 0개).")
    if s.shape[1] < 2:
        raise ValueError(f"{scores_name}의 클래스 수(C)는 2 이상이어야 합니다. 받은 모양: {tuple(s.shape)}")
    if not torch.is_floating_point(s):
        raise TypeError(f"{scores_name}는 실수 텐서여야 합니다. 받은 dtype: {s.dtype}")
    if not torch.isfinite(s).all():
        raise ValueError(f"{scores_name}에 NaN이나 inf가 있습니다.")
    if y.dim() != 1 or y.shape[0] != s.shape[0]:
        raise ValueError(
            f"labels는 샘플마다 정답 클래스 번호 하나, 모양 ({s.shape[0]},)이어야 합니다. 받은 모양: {tuple(y.shape)}"
        )
    if torch.is_floating_point(y) or y.dtype == torch.bool or y.is_complex():
        raise TypeError(f"labels는 정수 클래스 번호여야 합니다. 받은 dtype: {y.dtype}")
    if y.min() < 0 or y.max() >= s.shape[1]:
        raise ValueError(
            f"labels의 값은 0 이상 {s.shape[1] - 1} 이하(클래스 수 {s.shape[1]})여야 합니다. "
            f"받은 범위: {int(y.min())} ~ {int(y.max())}"
        )
    return s, y.long()


def _check_probs(probs: Any, labels: Any) -> tuple[torch.Tensor, torch.Tensor]:
    p, y = _check_scores_labels(probs, labels, "probs")
    if p.min() < 0 or p.max() > 1:
        raise ValueError(
            f"probs는 0과 1 사이의 확률이어야 하는데 범위 [{float(p.min()):.3g}, {float(p.max()):.3g}]의 값을 "
            "받았습니다. 로짓이라면 torch.softmax(logits, dim=1)을 먼저 적용하세요."
        )
    row_sums = p.double().sum(dim=1)
    worst = float((row_sums - 1).abs().max())
    if worst > _SUM_TOL:
        raise ValueError(
            f"probs의 각 행(한 샘플의 클래스별 확률)의 합이 1이어야 하는데 1과 최대 {worst:.3g} 다릅니다. "
            "모든 클래스의 소프트맥스 확률을 넘겼는지 확인하세요."
        )
    return p, y


def _check_n_bins(n_bins: Any) -> int:
    """:func:`helpers.checks.positive_int`, keeping this function's ``ValueError`` for a non-integer."""
    try:
        return checks.positive_int("n_bins", n_bins, hint="신뢰도 구간(bin)의 수입니다 (예: 15).")
    except TypeError as err:
        raise ValueError(str(err)) from None


# ---------------------------------------------------------------------------------------------
# Reliability diagram data and ECE
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReliabilityBins:
    """Per-bin statistics of a reliability diagram (``n_bins + 1`` entries, see the module doc).

    Attributes (numpy arrays of length ``n_bins + 1``):
        lower, upper: the bin's confidence interval ``[lower, upper)``; the last bin is ``[1, 1]``.
        count: how many predictions fall into the bin (int64).
        confidence: their mean confidence (NaN for an empty bin).
        accuracy: the fraction of them that are correct (NaN for an empty bin).
    """

    lower: np.ndarray
    upper: np.ndarray
    count: np.ndarray
    confidence: np.ndarray
    accuracy: np.ndarray

    @property
    def weight(self) -> np.ndarray:
        """Share of all predictions in each bin, ``n_b / N``."""
        return self.count / self.count.sum()

    @property
    def ece(self) -> float:
        """``sum_b (n_b / N) |accuracy_b - confidence_b|`` over the non-empty bins."""
        used = self.count > 0
        return float(np.sum(self.weight[used] * np.abs(self.accuracy[used] - self.confidence[used])))


def reliability_bins(probs: Any, labels: Any, n_bins: int = 15) -> ReliabilityBins:
    """Bin predictions by confidence and measure accuracy and mean confidence per bin.

    Args:
        probs (Tensor[N, C] or array): class probabilities (softmax outputs), rows summing to 1.
        labels (Tensor[N] or array): true class indices in ``0 … C-1``.
        n_bins (int): number of equal-width confidence bins in ``[0, 1)``.

    Returns:
        :class:`ReliabilityBins` with ``n_bins + 1`` bins (the last holds confidences of exactly 1).
    """
    p, y = _check_probs(probs, labels)
    n_bins = _check_n_bins(n_bins)
    confidence, predicted = p.max(dim=1)             # the top-1 probability and its class
    confidence = confidence.float()                  # float32, as torchmetrics
    correct = (predicted == y).double()
    edges = torch.linspace(0, 1, n_bins + 1)         # float32 edges, as torchmetrics
    bin_of = torch.bucketize(confidence, edges, right=True) - 1   # edges[k] <= conf < edges[k+1] -> k
    count = torch.bincount(bin_of, minlength=n_bins + 1).double()
    conf_sum = torch.zeros(n_bins + 1, dtype=torch.float64).index_add_(0, bin_of, confidence.double())
    correct_sum = torch.zeros(n_bins + 1, dtype=torch.float64).index_add_(0, bin_of, correct)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_conf = (conf_sum / count).numpy()           # 0/0 = NaN for empty bins
        accuracy = (correct_sum / count).numpy()
    lower = np.append(edges.double().numpy()[:-1], 1.0)
    upper = np.append(edges.double().numpy()[1:], 1.0)
    return ReliabilityBins(lower=lower, upper=upper, count=count.numpy().astype(np.int64),
                           confidence=mean_conf, accuracy=accuracy)


def expected_calibration_error(probs: Any, labels: Any, n_bins: int = 15) -> float:
    """Expected calibration error (L1), equal to torchmetrics' ``MulticlassCalibrationError``.

    Args:
        probs (Tensor[N, C] or array): class probabilities (softmax outputs), rows summing to 1.
        labels (Tensor[N] or array): true class indices in ``0 … C-1``.
        n_bins (int): number of equal-width confidence bins.

    Returns:
        ECE as a Python float in ``[0, 1]``: 0 = perfectly calibrated on these samples.
    """
    return reliability_bins(probs, labels, n_bins).ece


# ---------------------------------------------------------------------------------------------
# Temperature scaling
# ---------------------------------------------------------------------------------------------
def fit_temperature(logits: Any, labels: Any, max_iter: int = 200) -> float:
    """The temperature ``T > 0`` that minimises the cross-entropy of ``softmax(logits / T)``.

    Fit it on **validation** logits (never on the test set), then use ``logits / T`` everywhere.
    The NLL is convex in ``1/T``, so L-BFGS on ``log T`` (which keeps ``T`` positive) finds the
    single minimum.

    Args:
        logits (Tensor[N, C] or array): raw scores (not probabilities) of a trained model.
        labels (Tensor[N] or array): true class indices.
        max_iter (int): L-BFGS iteration limit.

    Returns:
        T as a Python float.
    """
    z, y = _check_scores_labels(logits, labels, "logits")
    z = z.double()
    # The NLL is convex in beta = 1/T. Two data sets have no finite optimum:
    true_score = z.gather(1, y[:, None]).squeeze(1)
    best_other = z.scatter(1, y[:, None], float("-inf")).amax(dim=1)
    if bool((true_score > best_other).all()):          # every prediction right: NLL falls as T -> 0
        raise ValueError(
            "온도를 맞출 수 없습니다: 모든 예측이 맞아서 T를 줄일수록 손실이 계속 작아집니다 (유한한 최적 T 없음). "
            "틀린 예측이 조금은 있는 검증 데이터의 로짓으로 맞추세요."
        )
    if float((true_score - z.mean(dim=1)).mean()) <= 0:   # slope at beta = 0 >= 0: no better than chance
        raise ValueError(
            "온도를 맞출 수 없습니다: 예측이 무작위 추측보다 나을 것이 없어서 T를 키울수록(확률이 고를수록) "
            "손실이 작아집니다. 학습된 모델의 검증 데이터 로짓으로 맞추세요."
        )
    log_t = torch.zeros((), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_t], lr=1.0, max_iter=max_iter, line_search_fn="strong_wolfe",
                                  tolerance_grad=1e-10, tolerance_change=1e-12)

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        loss = F.cross_entropy(z / log_t.exp(), y)
        loss.backward()
        return loss

    with torch.enable_grad():
        optimizer.step(closure)
    t = float(log_t.detach().exp())
    if not (math.isfinite(t) and _T_RANGE[0] < t < _T_RANGE[1]):
        # All predictions right: the NLL keeps falling as T -> 0. Predictions no better than
        # chance: it keeps falling as T -> infinity (uniform probabilities). No finite optimum.
        raise ValueError(
            f"온도를 맞추지 못했습니다 (T = {t:.3g}, 손실이 가장 작은 유한한 T가 없음). 모든 예측이 맞았거나 "
            "예측이 무작위 추측보다 나을 것이 없는 데이터입니다. 학습된 모델의 검증 데이터 로짓(틀린 예측이 "
            "조금 있는)으로 맞추세요."
        )
    return t


# ---------------------------------------------------------------------------------------------
# Plot
# ---------------------------------------------------------------------------------------------
def plot_reliability_diagram(probs: Any, labels: Any, n_bins: int = 15, ax: Axes | None = None,
                             title: str | None = None) -> Axes:
    """Reliability diagram: accuracy per confidence bin against the diagonal, ECE in the legend.

    Bars are the accuracy of each bin; the red hatched part is the gap to the bin's mean
    confidence (below the diagonal = overconfident). The extra bin of confidences exactly 1.0,
    when not empty, is drawn as a point at x = 1.

    Returns:
        the Axes.
    """
    bins = reliability_bins(probs, labels, n_bins)
    if ax is None:
        _, ax = plt.subplots(figsize=(4.4, 4.2), layout="constrained")
    regular = slice(0, len(bins.count) - 1)
    lower, upper = bins.lower[regular], bins.upper[regular]
    used = bins.count[regular] > 0
    width = upper - lower
    acc = np.where(used, bins.accuracy[regular], 0.0)
    conf = np.where(used, bins.confidence[regular], 0.0)
    ax.bar(lower[used], acc[used], width=width[used], align="edge", color="tab:blue",
           edgecolor="white", label="정확도")
    ax.bar(lower[used], (conf - acc)[used], bottom=acc[used], width=width[used], align="edge",
           color="none", edgecolor="tab:red", hatch="//", linewidth=0.6, label="확신과의 차이")
    if bins.count[-1] > 0:
        ax.plot([1.0], [bins.accuracy[-1]], "o", color="tab:blue", markersize=5)
    ax.plot([0, 1], [0, 1], "k--", linewidth=1, label="완벽한 보정")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1))
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
    ax.set_xlabel("확신 (가장 큰 확률)")
    ax.set_ylabel("정확도")
    ax.set_title(title if title is not None else f"신뢰도 다이어그램 (ECE {bins.ece:.3f})")
    ax.legend(loc="upper left", fontsize=8)
    return ax
