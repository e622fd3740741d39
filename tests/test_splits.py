"""helpers.splits: stratified like scikit-learn's train_test_split, deterministic, disjoint, Korean errors."""
import numpy as np
import pytest
import torch
from sklearn.model_selection import train_test_split
from torch.utils.data import Subset, TensorDataset

from helpers.splits import SelectionOptimism, selection_optimism, stratified_split, train_val_subsets


def random_labels(seed):
    rng = np.random.default_rng(seed)
    C = int(rng.integers(2, 12))
    # Unbalanced classes, each with at least 2 samples.
    counts = rng.integers(2, 120, C)
    y = np.repeat(np.arange(C), counts)
    return rng.permutation(y)


@pytest.mark.parametrize("seed", range(40))
def test_class_proportions_match_sklearn(seed):
    y = random_labels(seed)
    frac = [0.1, 0.2, 0.25, 0.5][seed % 4]
    _, val_idx = stratified_split(y, val_fraction=frac, seed=seed)
    _, sk_val = train_test_split(np.arange(y.size), test_size=frac, stratify=y, random_state=seed)
    C = y.max() + 1
    ours = np.bincount(y[val_idx], minlength=C)
    theirs = np.bincount(y[sk_val], minlength=C)
    # Both put about val_fraction of every class in validation; rounding may differ by 1 per class
    # (scikit-learn distributes the remainder across classes to hit the total exactly).
    assert np.all(np.abs(ours - theirs) <= 1), (ours, theirs)
    assert abs(val_idx.size - sk_val.size) <= C
    counts = np.bincount(y, minlength=C)
    np.testing.assert_array_equal(ours, np.clip(np.round(frac * counts), 1, counts - 1))


@pytest.mark.parametrize("seed", range(10))
def test_disjoint_cover_sorted_int64(seed):
    y = random_labels(seed)
    train_idx, val_idx = stratified_split(y, 0.3, seed)
    assert type(train_idx) is np.ndarray and type(val_idx) is np.ndarray
    assert train_idx.dtype == np.int64 and val_idx.dtype == np.int64
    assert np.intersect1d(train_idx, val_idx).size == 0
    np.testing.assert_array_equal(np.sort(np.concatenate([train_idx, val_idx])), np.arange(y.size))
    assert np.all(np.diff(train_idx) > 0) and np.all(np.diff(val_idx) > 0)
    # every class on both sides
    assert set(y[train_idx]) == set(y) == set(y[val_idx])


def test_deterministic_and_seed_dependent():
    y = random_labels(3)
    torch.manual_seed(123)
    np.random.seed(5)
    a = stratified_split(y, 0.2, seed=7)
    torch.manual_seed(999)
    np.random.seed(77)
    b = stratified_split(y, 0.2, seed=7)
    c = stratified_split(y, 0.2, seed=8)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])


def test_accepts_list_numpy_torch_float_bool():
    y = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0]
    ref = stratified_split(y, 0.3, 1)
    for variant in (np.array(y), torch.tensor(y), torch.tensor(y, dtype=torch.float32), tuple(y)):
        got = stratified_split(variant, 0.3, 1)
        np.testing.assert_array_equal(got[0], ref[0])
        np.testing.assert_array_equal(got[1], ref[1])
    tr, va = stratified_split([True, False] * 5, 0.2, 0)
    assert tr.size + va.size == 10


def test_min_one_per_class_each_side():
    y = np.array([0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])
    tr, va = stratified_split(y, 0.01, 0)
    assert (y[va] == 0).sum() == 1 and (y[tr] == 0).sum() == 1
    tr, va = stratified_split(y, 0.99, 0)
    assert (y[tr] == 0).sum() == 1 and (y[tr] == 1).sum() == 1


@pytest.mark.parametrize("bad, match", [
    (0.0, "val_fraction"), (1.0, "val_fraction"), (-0.2, "val_fraction"), (1.5, "val_fraction"),
])
def test_bad_fraction_korean(bad, match):
    with pytest.raises(ValueError, match=match) as e:
        stratified_split([0, 0, 1, 1], val_fraction=bad)
    assert "0 초과 1 미만의 유한한 실수" in str(e.value) and "20%" in str(e.value)


def test_bad_types_korean():
    with pytest.raises(TypeError, match="val_fraction"):
        stratified_split([0, 0, 1, 1], val_fraction="0.2")
    with pytest.raises(TypeError, match="seed"):
        stratified_split([0, 0, 1, 1], seed=0.5)
    with pytest.raises(TypeError, match="labels"):
        stratified_split("0011")
    with pytest.raises(ValueError, match="1차원"):
        stratified_split(np.zeros((4, 2), dtype=int))
    with pytest.raises(ValueError, match="비어"):
        stratified_split([])
    with pytest.raises(ValueError, match="정수가 아닌"):
        stratified_split([0.5, 1.0, 1.0, 0.5])
    with pytest.raises(TypeError, match="정수 클래스"):
        stratified_split(np.array(["a", "a", "b", "b"]))


def test_single_sample_class_is_korean_error():
    with pytest.raises(ValueError, match=r"클래스 \[2\]의 샘플이 1개뿐") as e:
        stratified_split([0, 0, 1, 1, 2])
    assert "labels" in str(e.value)


def test_train_val_subsets():
    x = torch.arange(20.0).unsqueeze(1)
    y = torch.tensor([0] * 10 + [1] * 10)
    ds = TensorDataset(x, y)
    train, val = train_val_subsets(ds, y, val_fraction=0.2, seed=0)
    assert type(train) is Subset and type(val) is Subset
    assert len(train) == 16 and len(val) == 4
    tr, va = stratified_split(y, 0.2, 0)
    assert list(train.indices) == tr.tolist() and list(val.indices) == va.tolist()
    assert sorted(int(val[i][1]) for i in range(4)) == [0, 0, 1, 1]
    with pytest.raises(ValueError, match="샘플 수"):
        train_val_subsets(ds, y[:10])
    with pytest.raises(TypeError, match="dataset"):
        train_val_subsets(object(), y)


def _noisy_candidates(k, n, accuracy, rng):
    return rng.random((k, n)) < accuracy


def test_selection_optimism_on_identical_candidates():
    # 20 candidates with the same true accuracy: any winner picked on A is only lucky on A.
    rng = np.random.default_rng(0)
    val = _noisy_candidates(20, 300, 0.8, rng)
    pool = _noisy_candidates(20, 400, 0.8, rng)
    result = selection_optimism(val, pool, n_repeats=300, seed=1)
    assert type(result) is SelectionOptimism and result.n_repeats == 300
    assert result.optimism_test_pick > 0.02                 # max of 20 noisy estimates: clearly optimistic
    assert abs(result.optimism_val_pick) < 0.01              # A and B are exchangeable for a fixed winner
    assert abs(result.fresh_test_pick - 0.8) < 0.03 and abs(result.fresh_val_pick - 0.8) < 0.03


def test_selection_optimism_by_hand():
    # one repeat, pool of 4: the halving is the seeded permutation, recomputed here
    val = np.array([[1, 0], [1, 1]], dtype=bool)             # candidate 1 wins on validation
    pool = np.array([[1, 1, 0, 0], [0, 1, 1, 1]], dtype=bool)
    order = np.random.default_rng(5).permutation(4)
    a, b = order[:2], order[2:]
    acc_a, acc_b = pool[:, a].mean(1), pool[:, b].mean(1)
    w = int(np.argmax(acc_a))
    r = selection_optimism(val, pool, n_repeats=1, seed=5)
    assert r.reported_test_pick == acc_a[w] and r.fresh_test_pick == acc_b[w]
    assert r.reported_val_pick == acc_a[1] and r.fresh_val_pick == acc_b[1]


def test_selection_optimism_errors():
    ok = np.ones((3, 10), dtype=bool)
    with pytest.raises(ValueError, match="후보 수"):
        selection_optimism(ok, np.ones((2, 10), dtype=bool))
    with pytest.raises(ValueError, match="2차원"):
        selection_optimism(np.ones(10, dtype=bool), ok)
    with pytest.raises(ValueError, match="맞힘"):
        selection_optimism(ok * 0.5, ok)
    with pytest.raises(ValueError, match=r"n_repeats은\(는\) 1 이상의 정수"):
        selection_optimism(ok, ok, n_repeats=0)
    with pytest.raises(TypeError, match=r"n_repeats은\(는\) 정수여야"):
        selection_optimism(ok, ok, n_repeats=2.0)
    torch_ok = torch.ones(3, 10, dtype=torch.bool)
    assert selection_optimism(torch_ok, torch_ok, n_repeats=2).optimism_test_pick == 0.0
