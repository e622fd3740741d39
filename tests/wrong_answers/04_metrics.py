"""Plausible wrong answers for lesson 04: each must lose points (see tests/test_notebooks.py)."""

WRONG_ANSWERS = {
    # Rows and columns swapped (rows = predicted class): right shape, right total, wrong cells.
    "l04_confusion_matrix": (
        "def confusion_matrix(y_true, y_pred, num_classes):\n"
        "    cm = torch.zeros(num_classes, num_classes, dtype=torch.int64)\n"
        "    for t, p in zip(y_true.tolist(), y_pred.tolist()):\n"
        "        cm[p, t] += 1\n"
        "    return cm\n"
    ),
    # F1 as the arithmetic mean of precision and recall (the mistake section 8 warns about).
    "l04_precision_recall_f1": (
        "def precision_recall_f1(tp, fp, fn):\n"
        "    precision = tp / (tp + fp) if tp + fp > 0 else 0.0\n"
        "    recall = tp / (tp + fn) if tp + fn > 0 else 0.0\n"
        "    return float(precision), float(recall), float((precision + recall) / 2)\n"
    ),
    # Greedy: walks down from the highest score and stops at the first threshold that reaches the
    # recall, instead of comparing the precision of every threshold that does.
    "l04_pick_threshold": (
        "def pick_threshold(scores, labels, min_recall=0.95):\n"
        "    positives = labels.sum()\n"
        "    for t in torch.unique(scores).flip(0):\n"
        "        tp = ((scores >= t) & (labels == 1)).sum()\n"
        "        if tp / positives >= min_recall:\n"
        "            return float(t)\n"
        "    return float(scores.min())\n"
    ),
}
