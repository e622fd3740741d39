"""Plausible wrong answers for lesson 01: each must lose points (see tests/test_notebooks.py)."""

WRONG_ANSWERS = {
    # Naive softmax: right on small logits, nan on logits of 1000 (forgot to subtract the max).
    "l01_stable_softmax": (
        "def stable_softmax(logits, dim=-1):\n"
        "    exp = torch.exp(logits)\n"
        "    return exp / exp.sum(dim=dim, keepdim=True)\n"
    ),
    # Ascending order: the least likely classes first.
    "l01_top_k": (
        "def top_k(probs, k, class_names):\n"
        "    values, indices = torch.topk(probs, k, largest=False)\n"
        "    return [(class_names[i], float(v)) for v, i in zip(values.tolist(), indices.tolist())]\n"
    ),
    # -log(softmax) computed naively: matches F.cross_entropy on small logits, inf/nan on big ones.
    "l01_cross_entropy": (
        "def cross_entropy(logits, targets):\n"
        "    probs = torch.exp(logits) / torch.exp(logits).sum(dim=1, keepdim=True)\n"
        "    return -torch.log(probs[torch.arange(len(targets)), targets]).mean()\n"
    ),
}
