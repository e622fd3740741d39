"""Train / validation split of a training set: stratified by class, seeded, deterministic.

Why a validation set at all: every decision made while developing a model (which epoch to keep,
which augmentation wins an ablation, which decision threshold to use) is a *selection*, and a
number measured on the data that made the selection is optimistic. So the training data is split
once into a part the model learns from (train) and a part decisions are made on (validation);
the test set is touched once, at the very end, to report the final number.

"Stratified" means every class keeps (up to rounding) the same share in both parts, as
``sklearn.model_selection.train_test_split(..., stratify=labels)`` does. How many samples of a
class go to validation: ``round(val_fraction * n_c)``, clamped to ``[1, n_c - 1]``, so every class
appears on both sides. A class with a single sample cannot be split and is an error.

Both functions return **sorted** index arrays, so a ``Subset`` reads its samples in the original
order (cheap on disk, reproducible), and the same ``(labels, val_fraction, seed)`` always gives
the same split on every machine (numpy's ``default_rng(seed)``, independent of torch's state).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch.utils.data import Dataset, Subset

from helpers import checks

__all__ = ["SelectionOptimism", "selection_optimism", "stratified_split", "train_val_subsets"]


def _labels_to_numpy(labels: Any) -> np.ndarray:
    """list / tuple / numpy array / torch tensor of class indices -> 1-D int64 numpy array."""
    if isinstance(labels, torch.Tensor):
        arr = labels.detach().cpu().numpy()
    elif isinstance(labels, (list, tuple, np.ndarray)):
        try:
            arr = np.asarray(labels)
        except (ValueError, TypeError) as e:  # ragged nested lists
            raise ValueError(f"labels를 배열로 바꿀 수 없습니다: {e}. 클래스 번호의 1차원 목록을 넘기세요.") from None
    else:
        raise TypeError(
            "labels는 클래스 번호의 1차원 list, numpy 배열 또는 torch 텐서여야 합니다. "
            f"받은 것: {type(labels).__name__}"
        )
    if arr.ndim != 1:
        raise ValueError(f"labels는 1차원이어야 합니다 (샘플 N개 → 모양 (N,)). 받은 모양: {tuple(arr.shape)}")
    if arr.size == 0:
        raise ValueError("labels가 비어 있습니다. 나눌 샘플이 하나도 없습니다.")
    if arr.dtype == bool:
        arr = arr.astype(np.int64)
    if np.issubdtype(arr.dtype, np.floating):
        if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
            raise ValueError(
                "labels에 정수가 아닌 값이 있습니다 (예: 1.5, NaN). labels는 클래스 번호(0, 1, 2, …)여야 합니다."
            )
        arr = arr.astype(np.int64)
    if not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"labels는 정수 클래스 번호여야 합니다. 받은 dtype: {arr.dtype}")
    return arr.astype(np.int64, copy=False)


def stratified_split(labels: Any, val_fraction: float = 0.2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Split sample indices ``0 … N-1`` into train and validation indices, stratified by class.

    Args:
        labels (list / ndarray / Tensor[N]): the class index of every sample.
        val_fraction (float): share of each class that goes to validation, ``0 < val_fraction < 1``.
        seed (int): seed of the shuffle within each class; same seed → same split.

    Returns:
        ``(train_idx, val_idx)``: two sorted 1-D ``np.ndarray`` of dtype int64, disjoint, together
        exactly ``0 … N-1``. Per class ``c`` with ``n_c`` samples, validation gets
        ``clip(round(val_fraction * n_c), 1, n_c - 1)`` of them.
    """
    fraction = checks.number("val_fraction", val_fraction, minimum=0.0, maximum=1.0, min_inclusive=False,
                             max_inclusive=False, hint="예: 0.2 = 학습 데이터의 20%를 검증 데이터로.")
    seed = checks.integer("seed", seed)
    y = _labels_to_numpy(labels)
    classes, counts = np.unique(y, return_counts=True)
    lonely = classes[counts < 2]
    if lonely.size:
        raise ValueError(
            f"labels에서 클래스 {lonely.tolist()[:10]}의 샘플이 1개뿐입니다. 층화 분할은 클래스마다 학습과 "
            "검증에 적어도 1개씩 필요합니다. 그 클래스를 빼거나 샘플을 더 모으세요."
        )
    rng = np.random.default_rng(seed)
    train_parts, val_parts = [], []
    for c, n_c in zip(classes, counts, strict=True):
        idx = np.flatnonzero(y == c)
        rng.shuffle(idx)
        n_val = int(min(max(round(fraction * n_c), 1), n_c - 1))
        val_parts.append(idx[:n_val])
        train_parts.append(idx[n_val:])
    train_idx = np.sort(np.concatenate(train_parts)).astype(np.int64)
    val_idx = np.sort(np.concatenate(val_parts)).astype(np.int64)
    return train_idx, val_idx


def train_val_subsets(dataset: Dataset, labels: Any, val_fraction: float = 0.2, seed: int = 0) -> tuple[Subset, Subset]:
    """:func:`stratified_split` wrapped in two ``torch.utils.data.Subset`` of ``dataset``.

    ``labels[i]`` must be the class of ``dataset[i]`` (pass e.g. ``dataset.targets``), so the
    dataset is never decoded just to read its labels.
    """
    y = _labels_to_numpy(labels)
    try:
        n = len(dataset)
    except TypeError:
        raise TypeError(f"dataset은 len()이 있는 Dataset이어야 합니다. 받은 것: {type(dataset).__name__}") from None
    if n != y.size:
        raise ValueError(
            f"dataset의 샘플 수({n})와 labels의 길이({y.size})가 다릅니다. labels[i]는 dataset[i]의 클래스여야 합니다."
        )
    train_idx, val_idx = stratified_split(y, val_fraction=val_fraction, seed=seed)
    return Subset(dataset, train_idx.tolist()), Subset(dataset, val_idx.tolist())


@dataclass(frozen=True)
class SelectionOptimism:
    """How much a selection rule's reported accuracy overstates the accuracy on fresh data.

    Attributes (means over the repeats; accuracies in [0, 1]):
        reported_test_pick, fresh_test_pick: picking the winner on half A of the pool and reporting
            its accuracy on that same half A; the winner's accuracy on the other half B.
        reported_val_pick, fresh_val_pick: picking the winner on the validation set and reporting its
            accuracy on half A; its accuracy on half B.
        optimism_test_pick, optimism_val_pick: reported minus fresh.
        n_repeats: how many random A/B halvings of the pool were averaged.
    """

    reported_test_pick: float
    fresh_test_pick: float
    reported_val_pick: float
    fresh_val_pick: float
    n_repeats: int

    @property
    def optimism_test_pick(self) -> float:
        return self.reported_test_pick - self.fresh_test_pick

    @property
    def optimism_val_pick(self) -> float:
        return self.reported_val_pick - self.fresh_val_pick


def _correct_matrix(x: Any, name: str) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    arr = np.asarray(x)
    if arr.ndim != 2 or arr.shape[0] < 1 or arr.shape[1] < 2:
        raise ValueError(
            f"{name}는 모양 (후보 수 K, 샘플 수 N)의 2차원 배열이어야 합니다 (K ≥ 1, N ≥ 2; 원소 = 그 후보가 그 샘플을 "
            f"맞혔는지). 받은 모양: {tuple(arr.shape)}"
        )
    if arr.dtype != bool and not np.all((arr == 0) | (arr == 1)):
        raise ValueError(f"{name}의 원소는 맞힘(True/1) 또는 틀림(False/0)이어야 합니다.")
    return arr.astype(bool)


def selection_optimism(val_correct: Any, pool_correct: Any, n_repeats: int = 200, seed: int = 0) -> SelectionOptimism:
    """Model selection on the test set vs on the validation set, measured on data neither saw.

    ``K`` candidate models (settings of an ablation, epochs, thresholds) were each evaluated on the
    validation set and on a held-out pool. Each repeat halves the pool at random into A ("the test
    set") and B ("fresh data", seen by nobody), then

    - *test pick*: choose the candidate with the best accuracy on A and report that accuracy;
    - *val pick*: choose the candidate with the best validation accuracy and report its A accuracy;

    and records each winner's accuracy on B. Ties go to the lower candidate index.

    Args:
        val_correct (bool array [K, N_val]): ``val_correct[k, i]`` = candidate k got validation sample i right.
        pool_correct (bool array [K, N_pool]): the same on the held-out pool.
        n_repeats (int): random halvings to average over.
        seed (int): seed of the halvings.

    Returns:
        :class:`SelectionOptimism` (means over the repeats).
    """
    val = _correct_matrix(val_correct, "val_correct")
    pool = _correct_matrix(pool_correct, "pool_correct")
    if val.shape[0] != pool.shape[0]:
        raise ValueError(
            f"val_correct와 pool_correct의 후보 수(첫 번째 축)가 같아야 합니다: {val.shape[0]} vs {pool.shape[0]}"
        )
    n_repeats = checks.positive_int("n_repeats", n_repeats, hint="평균을 낼 무작위 반 나누기 횟수입니다.")
    rng = np.random.default_rng(seed)
    val_winner = int(np.argmax(val.mean(axis=1)))
    n = pool.shape[1]
    half = n // 2
    sums = np.zeros(4)
    for _ in range(n_repeats):
        order = rng.permutation(n)
        acc_a = pool[:, order[:half]].mean(axis=1)        # "the test set"
        acc_b = pool[:, order[half:]].mean(axis=1)        # fresh data nobody looked at
        test_winner = int(np.argmax(acc_a))
        sums += (acc_a[test_winner], acc_b[test_winner], acc_a[val_winner], acc_b[val_winner])
    reported_test, fresh_test, reported_val, fresh_val = (float(v) for v in sums / n_repeats)
    return SelectionOptimism(reported_test, fresh_test, reported_val, fresh_val, n_repeats=n_repeats)
