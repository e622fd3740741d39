"""helpers.metrics: equal to scikit-learn on many random cases, edge cases, and Korean errors."""
import itertools
import warnings

import numpy as np
import pytest
import torch
from sklearn import metrics as skm
from sklearn.exceptions import UndefinedMetricWarning as SkUndefined

from helpers import metrics as M
from helpers.metrics import UndefinedMetricWarning

ATOL = 1e-12
ZERO_DIVISIONS = (0.0, 1.0, np.nan, "warn")
MULTI_AVERAGES = (None, "micro", "macro", "weighted")
N_CASES = 240

# scikit-learn notes single-label inputs; those are deliberate edge cases here.
pytestmark = pytest.mark.filterwarnings("ignore:A single label was found:UserWarning")


def assert_close(actual, expected):
    np.testing.assert_allclose(np.asarray(actual, dtype=float), np.asarray(expected, dtype=float),
                               rtol=0, atol=ATOL, equal_nan=True)


def run_quiet(fn, *args, **kwargs):
    """Call fn; return (result, number of undefined-metric warnings from us or scikit-learn)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fn(*args, **kwargs)
    count = sum(issubclass(w.category, (UndefinedMetricWarning, SkUndefined)) for w in caught)
    return result, count


def random_case(seed):
    """Labels covering the situations lesson 04 meets: random, noisy, absent classes, degenerate."""
    rng = np.random.default_rng(seed)
    binary = seed % 2 == 0
    C = 2 if binary else int(rng.integers(3, 8))
    n = int(rng.integers(1, 60))
    kind = (seed // 2) % 8
    y_true = rng.integers(0, C, n)
    if kind == 0:  # uniform random predictions
        y_pred = rng.integers(0, C, n)
    elif kind == 1:  # a decent model: 75 % correct
        y_pred = np.where(rng.random(n) < 0.75, y_true, rng.integers(0, C, n))
    elif kind == 2:  # some classes are never predicted
        y_pred = rng.choice(rng.choice(C, size=max(1, C - 2), replace=False), n)
    elif kind == 3:  # some classes never occur in y_true
        y_true = rng.choice(rng.choice(C, size=max(1, C - 2), replace=False), n)
        y_pred = rng.integers(0, C, n)
    elif kind == 4:  # a single class in y_true (and often in y_pred)
        y_true = np.full(n, rng.integers(0, C))
        y_pred = np.where(rng.random(n) < 0.5, y_true, rng.integers(0, C, n))
    elif kind == 5:  # all correct
        y_pred = y_true.copy()
    elif kind == 6:  # all wrong
        y_pred = (y_true + rng.integers(1, C, n)) % C
    else:  # imbalanced: mostly class 0, a model that mostly says 0
        y_true = np.where(rng.random(n) < 0.85, 0, rng.integers(0, C, n))
        y_pred = np.where(rng.random(n) < 0.85, 0, rng.integers(0, C, n))
    return y_true, y_pred, C, binary


SK_FUNCTIONS = ((M.precision, skm.precision_score), (M.recall, skm.recall_score), (M.f1_score, skm.f1_score))


def picks(seed, binary):
    """The (average, zero_division) pairs and the single-metric check made for one random case.

    scikit-learn is slow to call (~3 ms), so each case checks average=None plus one averaged pair
    and one (function, average, zero_division) triple. They cycle with the case number, skewed so
    each kind of case meets many of them; test_random_cases_cover_every_combination checks that
    every combination is met.
    """
    averages = MULTI_AVERAGES + (("binary",) if binary else ())
    averaged = list(itertools.product(averages[1:], ZERO_DIVISIONS))
    single = list(itertools.product(range(len(SK_FUNCTIONS)), averages, ZERO_DIVISIONS))
    k = seed // 2  # the k-th binary (or multiclass) case; its kind is k % 8
    step = k + k // 8
    return [(None, ZERO_DIVISIONS[step % 4]), averaged[step % len(averaged)]], single[step % len(single)]


def test_random_cases_cover_every_combination():
    seen = {True: set(), False: set()}
    seen_single = {True: set(), False: set()}
    kinds = set()
    for seed in range(N_CASES):
        binary = random_case(seed)[3]
        pairs, (fn, average, zd) = picks(seed, binary)
        seen[binary] |= {(a, str(z)) for a, z in pairs}
        seen_single[binary].add((fn, average, str(zd)))
        kinds.add((binary, (seed // 2) % 8))
    for binary in (True, False):
        averages = MULTI_AVERAGES + (("binary",) if binary else ())
        assert seen[binary] == {(a, str(z)) for a in averages for z in ZERO_DIVISIONS}
        assert seen_single[binary] == {(f, a, str(z)) for f in range(3) for a in averages for z in ZERO_DIVISIONS}
    assert len(kinds) == 16


@pytest.mark.parametrize("seed", range(N_CASES))
def test_matches_sklearn_on_random_cases(seed):
    y_true, y_pred, C, binary = random_case(seed)
    # Half the cases pass num_classes, the rest let it be inferred as max + 1.
    given = seed % 4 < 2
    num_classes = C if given else None
    size = C if given else int(max(y_true.max(), y_pred.max())) + 1
    labels = list(range(size))

    cm = M.confusion_matrix(y_true, y_pred, num_classes=num_classes)
    assert cm.dtype == np.int64 and cm.shape == (size, size)
    np.testing.assert_array_equal(cm, skm.confusion_matrix(y_true, y_pred, labels=labels))
    assert cm.sum() == y_true.size
    if seed % 3 == 0:
        assert M.accuracy(y_true, y_pred) == pytest.approx(skm.accuracy_score(y_true, y_pred), abs=ATOL)
    else:
        assert M.accuracy(y_true, y_pred) == pytest.approx(np.trace(cm) / cm.sum(), abs=ATOL)

    pairs, (fn_index, average, zd) = picks(seed, binary)
    for average_, zd_ in pairs:
        sk_labels = None if average_ == "binary" else labels
        ours, our_warnings = run_quiet(M.precision_recall_f1, y_true, y_pred, average=average_,
                                       zero_division=zd_, num_classes=num_classes)
        ref, sk_warnings = run_quiet(skm.precision_recall_fscore_support, y_true, y_pred,
                                     average=average_, zero_division=zd_, labels=sk_labels)
        for got, want in zip(ours, ref[:3], strict=True):
            assert_close(got, want)
            if average_ is None:
                assert isinstance(got, np.ndarray) and got.shape == (size,)
            else:
                assert isinstance(got, float)
        assert our_warnings == sk_warnings, (average_, zd_)

    ours_fn, sk_fn = SK_FUNCTIONS[fn_index]
    sk_labels = None if average == "binary" else labels
    got, our_warnings = run_quiet(ours_fn, y_true, y_pred, average=average, zero_division=zd,
                                  num_classes=num_classes)
    want, sk_warnings = run_quiet(sk_fn, y_true, y_pred, average=average, zero_division=zd, labels=sk_labels)
    assert_close(got, want)
    assert our_warnings == sk_warnings, (ours_fn.__name__, average, zd)


@pytest.mark.parametrize("seed", range(20))
def test_pos_label_and_labels_subsets_match_sklearn(seed):
    rng = np.random.default_rng(1000 + seed)
    # Binary with pos_label=0.
    y_true, y_pred = rng.integers(0, 2, 30), rng.integers(0, 2, 30)
    zd = ZERO_DIVISIONS[seed % 4]
    ours, _ = run_quiet(M.precision_recall_f1, y_true, y_pred, pos_label=0, zero_division=zd)
    ref, _ = run_quiet(skm.precision_recall_fscore_support, y_true, y_pred, average="binary",
                       pos_label=0, zero_division=zd)
    assert_close(ours, ref[:3])
    # Multiclass with a chosen subset of classes, in a shuffled order.
    C = int(rng.integers(3, 7))
    y_true, y_pred = rng.integers(0, C, 40), rng.integers(0, C, 40)
    labels = rng.permutation(C)[: int(rng.integers(1, C + 1))].tolist()
    np.testing.assert_array_equal(M.confusion_matrix(y_true, y_pred, num_classes=C, labels=labels),
                                  skm.confusion_matrix(y_true, y_pred, labels=labels))
    for i, average in enumerate(MULTI_AVERAGES):
        zd = ZERO_DIVISIONS[(seed + i) % 4]
        ours, _ = run_quiet(M.precision_recall_f1, y_true, y_pred, average=average, zero_division=zd,
                            labels=labels)
        ref, _ = run_quiet(skm.precision_recall_fscore_support, y_true, y_pred, average=average,
                           zero_division=zd, labels=labels)
        assert_close(ours, ref[:3])


def test_tp_fp_fn_tn_matches_sklearn_multilabel_confusion_matrix():
    rng = np.random.default_rng(7)
    for _ in range(50):
        C = int(rng.integers(2, 8))
        y_true, y_pred = rng.integers(0, C, 50), rng.integers(0, C, 50)
        counts = M.tp_fp_fn_tn(M.confusion_matrix(y_true, y_pred, num_classes=C))
        mcm = skm.multilabel_confusion_matrix(y_true, y_pred, labels=list(range(C)))  # [[tn, fp], [fn, tp]]
        np.testing.assert_array_equal(counts["tn"], mcm[:, 0, 0])
        np.testing.assert_array_equal(counts["fp"], mcm[:, 0, 1])
        np.testing.assert_array_equal(counts["fn"], mcm[:, 1, 0])
        np.testing.assert_array_equal(counts["tp"], mcm[:, 1, 1])
        assert all(v.dtype == np.int64 for v in counts.values())
    # Also from a list and a tensor.
    expected = {"tp": [2, 0], "fp": [1, 3], "fn": [3, 1], "tn": [0, 2]}
    for cm in ([[2, 3], [1, 0]], torch.tensor([[2, 3], [1, 0]])):
        got = M.tp_fp_fn_tn(cm)
        for key, value in expected.items():
            np.testing.assert_array_equal(got[key], value)


def test_hand_computed_example():
    # scikit-learn's documentation example, with cat=0, dog=1, pig=2.
    y_true, y_pred = [0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1]
    np.testing.assert_array_equal(M.confusion_matrix(y_true, y_pred), [[2, 0, 0], [1, 0, 1], [0, 2, 0]])
    p, r, f = M.precision_recall_f1(y_true, y_pred, average=None)
    assert_close(p, [2 / 3, 0, 0])
    assert_close(r, [1, 0, 0])
    assert_close(f, [0.8, 0, 0])
    assert_close(M.precision(y_true, y_pred, average="macro"), 2 / 9)
    assert_close(M.f1_score(y_true, y_pred, average="micro"), 1 / 3)  # micro = accuracy here
    assert M.accuracy(y_true, y_pred) == pytest.approx(1 / 3)


def test_f1_special_cases():
    # P + R = 0 (TP = 0 with FP and FN): F1 = 0 whatever zero_division says.
    for zd in ZERO_DIVISIONS:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # nothing is undefined here: no warning either
            assert M.f1_score([1, 0], [0, 1], zero_division=zd) == 0.0
    # Precision undefined (nothing predicted positive), recall 0: F1 is still 0, not zero_division.
    assert M.precision([1, 1, 0], [0, 0, 0], zero_division=1.0) == 1.0
    assert M.recall([1, 1, 0], [0, 0, 0], zero_division=1.0) == 0.0
    assert M.f1_score([1, 1, 0], [0, 0, 0], zero_division=1.0) == 0.0
    # No positives at all, true or predicted: all three are the zero_division value.
    for zd, value in ((0.0, 0.0), (1.0, 1.0), ("warn", 0.0)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert M.precision_recall_f1([0, 0, 0], [0, 0, 0], zero_division=zd) == (value, value, value)
    assert np.isnan(M.precision_recall_f1([0, 0], [0, 0], zero_division=np.nan)).all()
    with pytest.warns(UndefinedMetricWarning, match=r"F1 점수.*2·TP \+ FP \+ FN = 0"):
        assert M.f1_score([0, 0], [0, 0]) == 0.0


def test_nan_zero_division_is_left_out_of_averages():
    # Class 2 never occurs and is never predicted: with np.nan it does not drag the macro mean down.
    y_true, y_pred = [0, 0, 1, 1], [0, 1, 1, 1]
    p = M.precision(y_true, y_pred, average=None, num_classes=3, zero_division=np.nan)
    assert_close(p, [1.0, 2 / 3, np.nan])
    assert_close(M.precision(y_true, y_pred, average="macro", num_classes=3, zero_division=np.nan), 5 / 6)
    assert_close(M.precision(y_true, y_pred, average="macro", num_classes=3, zero_division=0.0), 5 / 9)


def test_accuracy_paradox():
    """90 % of patients are healthy; a model that always says "healthy" is 90 % accurate and useless."""
    rng = np.random.default_rng(0)
    y_true = rng.permutation(np.r_[np.ones(100, int), np.zeros(900, int)])  # 1 = 환자
    always_no = np.zeros_like(y_true)
    assert M.accuracy(y_true, always_no) == pytest.approx(0.9, abs=ATOL)
    assert M.recall(y_true, always_no) == 0.0
    with pytest.warns(UndefinedMetricWarning, match=r"정밀도\(precision\).*클래스 \[1\].*TP \+ FP = 0"):
        assert M.precision(y_true, always_no) == 0.0
    assert M.f1_score(y_true, always_no) == 0.0
    # The warning points at the caller's line, and recall warns when a class has no true samples.
    with pytest.warns(UndefinedMetricWarning, match=r"재현율\(recall\).*클래스 \[2\].*TP \+ FN = 0") as record:
        M.recall([0, 1, 1], [0, 1, 2], average="macro")
    assert record[0].filename == __file__
    np.testing.assert_array_equal(M.confusion_matrix(y_true, always_no), [[900, 0], [100, 0]])
    # Per class, the "healthy" class looks great; the average over classes tells the truth.
    assert_close(M.recall(y_true, always_no, average=None), [1.0, 0.0])
    assert_close(M.recall(y_true, always_no, average="macro"), 0.5)


def test_torch_tensors_numpy_and_lists_agree():
    rng = np.random.default_rng(3)
    y_true, y_pred = rng.integers(0, 5, 80), rng.integers(0, 5, 80)
    expected_cm = skm.confusion_matrix(y_true, y_pred, labels=range(5))
    expected = skm.precision_recall_fscore_support(y_true, y_pred, average="macro", zero_division=0.0)[:3]
    inputs = [
        (y_true, y_pred),
        (y_true.tolist(), y_pred.tolist()),
        (torch.from_numpy(y_true), torch.from_numpy(y_pred)),
        (torch.from_numpy(y_true).int(), torch.from_numpy(y_pred).to(torch.uint8)),
        (torch.from_numpy(y_true).float(), torch.from_numpy(y_pred).double()),  # 1.0-like floats
        (y_true.astype(np.float32), y_pred),
    ]
    for yt, yp in inputs:
        np.testing.assert_array_equal(M.confusion_matrix(yt, yp, num_classes=5), expected_cm)
        assert_close(M.precision_recall_f1(yt, yp, average="macro", zero_division=0.0), expected)
        assert M.accuracy(yt, yp) == pytest.approx(skm.accuracy_score(y_true, y_pred), abs=ATOL)
    # Booleans are 0/1 labels.
    bt, bp = torch.tensor([True, False, True, True]), torch.tensor([True, True, False, True])
    assert_close(M.precision_recall_f1(bt, bp), (2 / 3, 2 / 3, 2 / 3))
    # Predictions straight from a model: logits.argmax(1).
    logits = torch.randn(80, 5, generator=torch.Generator().manual_seed(0), requires_grad=True)
    np.testing.assert_array_equal(M.confusion_matrix(torch.from_numpy(y_true), logits.argmax(1), num_classes=5),
                                  skm.confusion_matrix(y_true, logits.argmax(1).numpy(), labels=range(5)))
    if torch.cuda.is_available():
        np.testing.assert_array_equal(
            M.confusion_matrix(torch.from_numpy(y_true).cuda(), torch.from_numpy(y_pred).cuda(), num_classes=5),
            expected_cm)


def test_single_sample_and_single_class():
    np.testing.assert_array_equal(M.confusion_matrix([0], [0]), [[1]])
    assert M.accuracy([3], [3]) == 1.0
    np.testing.assert_array_equal(M.confusion_matrix([2], [2], num_classes=4)[2], [0, 0, 1, 0])
    assert_close(M.precision_recall_f1([1, 1, 1], [1, 1, 1]), (1.0, 1.0, 1.0))


@pytest.mark.parametrize("seed", range(200))
def test_precision_recall_curve_matches_sklearn(seed):
    rng = np.random.default_rng(5000 + seed)
    n = int(rng.integers(1, 80))
    y_true = (rng.random(n) < rng.uniform(0.05, 1.0)).astype(int)
    if not y_true.any():
        y_true[rng.integers(0, n)] = 1
    mode = seed % 4
    if mode == 0:
        scores = rng.random(n)
    elif mode == 1:
        scores = np.round(rng.random(n), 1)  # many ties
    elif mode == 2:
        scores = rng.integers(-3, 4, n)  # integer scores (logit-like), ties
    else:
        scores = rng.normal(size=n) + 2 * y_true  # a useful classifier
    p, r, t = M.precision_recall_curve(y_true, scores)
    sp, sr, st = skm.precision_recall_curve(y_true, scores)
    assert p.shape == sp.shape and r.shape == sr.shape and t.shape == st.shape
    assert_close(p, sp)
    assert_close(r, sr)
    np.testing.assert_array_equal(t, st)


def test_precision_recall_curve_edge_cases():
    # Every score equal: a single threshold.
    p, r, t = M.precision_recall_curve([0, 1, 1, 0], [0.5, 0.5, 0.5, 0.5])
    assert_close(p, [0.5, 1.0])
    assert_close(r, [1.0, 0.0])
    assert_close(t, [0.5])
    # No positives: recall is set to 1, with a warning, like scikit-learn.
    with pytest.warns(UndefinedMetricWarning, match="양성\\(1\\) 샘플이 없어"):
        p, r, t = M.precision_recall_curve([0, 0, 0], [0.1, 0.2, 0.3])
    with pytest.warns(UserWarning):
        sp, sr, st = skm.precision_recall_curve([0, 0, 0], [0.1, 0.2, 0.3])
    assert_close(p, sp)
    assert_close(r, sr)
    assert_close(t, st)
    # Tensors: float32 scores with a graph, bool labels.
    scores = torch.tensor([0.9, 0.2, 0.7, 0.4], requires_grad=True)
    labels = torch.tensor([True, False, False, True])
    ours = M.precision_recall_curve(labels, scores * 1)
    ref = skm.precision_recall_curve(labels.numpy(), scores.detach().numpy())
    for got, want in zip(ours, ref, strict=True):
        assert_close(got, want)
    ours = M.precision_recall_curve(labels, scores.detach().to(torch.bfloat16))
    assert ours[2].size == 4


def brute_force_threshold(y_true, scores, min_recall):
    best = None
    for t in np.unique(scores):
        pred = scores >= t
        tp = np.sum(pred & (y_true == 1))
        p, r = tp / pred.sum(), tp / y_true.sum()
        if r >= min_recall and (best is None or (p, r) > (best[1], best[2])):
            best = (t, p, r)
    return best


@pytest.mark.parametrize("seed", range(60))
def test_threshold_for_recall_is_the_best_precision_keeping_recall(seed):
    rng = np.random.default_rng(9000 + seed)
    n = int(rng.integers(2, 60))
    y_true = (rng.random(n) < 0.3).astype(int)
    y_true[0] = 1
    scores = np.round(rng.normal(size=n) + 1.5 * y_true, 1 + seed % 2)
    min_recall = float(rng.choice([0.0, 0.5, 0.8, 0.9, 0.95, 1.0]))
    t, p, r = M.threshold_for_recall(y_true, scores, min_recall=min_recall)
    bt, bp, br = brute_force_threshold(y_true, scores, min_recall)
    assert t == bt
    assert_close([p, r], [bp, br])
    assert r >= min_recall
    # The returned numbers are what predicting "scores >= t" really gives.
    pred = (scores >= t).astype(int)
    assert_close([p, r], [skm.precision_score(y_true, pred), skm.recall_score(y_true, pred)])


def test_threshold_for_recall_known_example():
    y_true = [0, 0, 1, 1, 0, 1, 1, 1, 0, 1]
    scores = [0.1, 0.2, 0.3, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9]
    assert M.threshold_for_recall(y_true, scores, min_recall=1.0) == pytest.approx((0.3, 6 / 8, 1.0))
    # Asking for less recall buys precision: the threshold moves up.
    assert M.threshold_for_recall(y_true, scores, min_recall=0.8) == pytest.approx((0.3, 6 / 8, 1.0))
    assert M.threshold_for_recall(y_true, scores, min_recall=0.6) == pytest.approx((0.5, 4 / 5, 4 / 6))
    assert M.threshold_for_recall(y_true, scores, min_recall=0.1) == pytest.approx((0.9, 1.0, 1 / 6))


def test_classification_report_numbers_and_names():
    rng = np.random.default_rng(11)
    y_true, y_pred = rng.integers(0, 3, 50), rng.integers(0, 3, 50)
    names = ["고양이", "개", "돼지"]
    text = M.classification_report(y_true, y_pred, class_names=names, digits=4)
    ref = skm.classification_report(y_true, y_pred, output_dict=True, digits=4)
    lines = text.splitlines()
    for c, name in enumerate(names):
        line = next(row_text for row_text in lines if row_text.startswith(name + " "))
        row = ref[str(c)]
        expected = [f"{row['precision']:.4f}", f"{row['recall']:.4f}", f"{row['f1-score']:.4f}",
                    str(int(row["support"]))]
        assert line.split()[1:] == expected
    acc_line = next(row_text for row_text in lines if row_text.startswith("정확도"))
    assert acc_line.split()[1:] == [f"{ref['accuracy']:.4f}", "50"]
    for ours, theirs in (("매크로", "macro avg"), ("가중", "weighted avg")):
        line = next(row_text for row_text in lines if row_text.startswith(ours))
        assert line.split()[2:5] == [f"{ref[theirs][k]:.4f}" for k in ("precision", "recall", "f1-score")]
    assert "정밀도" in lines[0] and "재현율" in lines[0]
    # Without names the classes are numbered; an absent class still gets a row.
    with pytest.warns(UndefinedMetricWarning):
        text = M.classification_report([0, 1, 1], [0, 1, 0], num_classes=3)
    assert any(row_text.startswith("2 ") for row_text in text.splitlines())


# --- errors a student can trigger: Korean messages -------------------------------------------
@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: M.confusion_matrix([0, 1, 1], [0, 1]), ValueError, r"길이가 다릅니다: y_true 3개, y_pred 2개"),
        (lambda: M.precision([0, 1], [0, 1, 1]), ValueError, r"길이가 다릅니다"),
        (lambda: M.accuracy([], []), ValueError, r"y_true: 비어 있습니다"),
        (lambda: M.confusion_matrix(torch.tensor([]), torch.tensor([])), ValueError, r"비어 있습니다"),
        (lambda: M.confusion_matrix([0, -1], [0, 1]), ValueError, r"y_true: 클래스 번호는 0 이상.*위치 1에 -1"),
        (lambda: M.accuracy([0, 1], [0, -2]), ValueError, r"y_pred: 클래스 번호는 0 이상"),
        (lambda: M.confusion_matrix([0, 3], [0, 1], num_classes=3), ValueError,
         r"y_true: 클래스 번호 3이 있지만 num_classes=3.*0 ~ 2"),
        (lambda: M.recall([0, 1], [0, 5], average="macro", num_classes=3), ValueError,
         r"y_pred: 클래스 번호 5이 있지만 num_classes=3"),
        (lambda: M.confusion_matrix([0, 1.5], [0, 1]), ValueError, r"y_true: 클래스 번호는 정수.*1\.5.*1\.0 같은"),
        (lambda: M.accuracy(torch.tensor([0.0, 1.0]), torch.tensor([0.2, 0.9])), ValueError,
         r"y_pred: 클래스 번호는 정수.*argmax"),
        (lambda: M.accuracy([0.0, np.nan], [0, 1]), ValueError, r"y_true: 위치 1에 nan.*NaN/inf"),
        (lambda: M.confusion_matrix(np.zeros((4, 3)), np.zeros(4)), ValueError,
         r"y_true: 클래스 번호의 1차원 배열 \(N,\)이 필요한데 2차원 모양 \(4, 3\).*argmax\(1\)"),
        (lambda: M.accuracy([0, 1], torch.randn(2, 10)), ValueError, r"y_pred: .*2차원 모양 \(2, 10\)"),
        (lambda: M.accuracy(1, 1), ValueError, r"0차원"),
        (lambda: M.accuracy(["cat", "dog"], ["cat", "cat"]), TypeError, r"y_true: 클래스 번호\(정수\).*class_names"),
        (lambda: M.accuracy([[0, 1], [1]], [0, 1]), ValueError, r"y_true을\(를\) 배열로 바꿀 수 없습니다"),
        (lambda: M.precision([0, 1], [0, 1], average="samples"), ValueError,
         r"average: 'binary', 'micro', 'macro', 'weighted', None 중 하나.*'samples'"),
        (lambda: M.f1_score([0, 1], [0, 1], average="Macro"), ValueError, r"average:"),
        (lambda: M.precision([0, 1, 2], [0, 1, 1]), ValueError,
         r"average='binary'는 0/1 두 클래스용인데 y_true에 클래스 \[0, 1, 2\].*average='macro'"),
        (lambda: M.recall([0, 1, 1], [0, 2, 1]), ValueError, r"average='binary'.*y_pred"),
        (lambda: M.f1_score([0, 1], [0, 1], num_classes=3), ValueError, r"average='binary'는 두 클래스용.*num_classes=3"),
        (lambda: M.f1_score([0, 1], [0, 1], labels=[1]), ValueError, r"average='binary'에서는 labels를 쓰지 않습니다"),
        (lambda: M.precision([0, 1], [0, 1], pos_label=2), ValueError, r"pos_label: 0 또는 1"),
        (lambda: M.precision([0, 1], [0, 1], zero_division=0.5), ValueError,
         r"zero_division: 0\.0, 1\.0, np\.nan, 'warn' 중 하나.*0\.5"),
        (lambda: M.recall([0, 1], [0, 1], zero_division="zero"), ValueError, r"zero_division:.*'zero'"),
        (lambda: M.confusion_matrix([0, 1], [0, 1], num_classes=2.0), TypeError, r"num_classes은\(는\) 정수여야 합니다 \(받은 값: 2\.0"),
        (lambda: M.confusion_matrix([0], [0], num_classes=0), ValueError, r"num_classes은\(는\) 1 이상의 정수"),
        (lambda: M.confusion_matrix([0, 1], [0, 1], num_classes=2, labels=[0, 2]), ValueError,
         r"labels: 클래스 2이 있지만 num_classes=2"),
        (lambda: M.confusion_matrix([0, 1], [0, 1], labels=[1, 1]), ValueError, r"labels: 같은 클래스가 두 번"),
        (lambda: M.confusion_matrix([0, 1], [0, 1], labels=[-1, 0]), ValueError, r"labels: 클래스 번호는 0 이상"),
        (lambda: M.confusion_matrix([0, 1], [0, 123456]), ValueError, r"클래스 수 C=123457가 너무 큽니다"),
        (lambda: M.tp_fp_fn_tn(np.zeros((2, 3))), ValueError, r"cm: 정사각형 혼동 행렬 \(C, C\).*\(2, 3\)"),
        (lambda: M.tp_fp_fn_tn([[1, -1], [0, 2]]), ValueError, r"cm: 0 이상의 정수 개수"),
        (lambda: M.precision_recall_curve([0, 1, 2], [0.1, 0.2, 0.3]), ValueError,
         r"y_true: 0/1 이진 레이블.*\(y_true == c\)"),
        (lambda: M.precision_recall_curve([0, 1], np.ones((2, 2))), ValueError, r"scores: .*probs\[:, 1\]"),
        (lambda: M.precision_recall_curve([0, 1], [0.1, np.nan]), ValueError, r"scores: NaN 또는 inf"),
        (lambda: M.precision_recall_curve([0, 1], ["a", "b"]), TypeError, r"scores: 숫자 배열"),
        (lambda: M.precision_recall_curve([0, 1, 1], [0.1, 0.2]), ValueError, r"y_true와 scores의 길이가 다릅니다"),
        (lambda: M.precision_recall_curve([], []), ValueError, r"y_true: 비어 있습니다"),
        (lambda: M.threshold_for_recall([0, 1], [0.1, 0.2], min_recall=1.5), ValueError,
         r"min_recall은\(는\) 0 이상 1 이하의 유한한 실수.*0\.95"),
        (lambda: M.threshold_for_recall([0, 0], [0.1, 0.2]), ValueError, r"y_true: 양성\(1\) 샘플이 하나도 없어"),
        (lambda: M.classification_report([0, 1], [0, 1], class_names=["a", "b"], num_classes=3), ValueError,
         r"class_names는 2개인데 num_classes=3"),
    ],
)
def test_errors_are_korean_and_specific(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_integer_valued_floats_and_int_zero_division_are_accepted():
    assert M.accuracy([0.0, 1.0, 2.0], np.array([0, 1, 1], dtype=np.int8)) == pytest.approx(2 / 3)
    assert M.precision([0, 1], [1, 1], zero_division=1) == 0.5
    assert M.precision([0, 0], [0, 0], zero_division=1) == 1.0
