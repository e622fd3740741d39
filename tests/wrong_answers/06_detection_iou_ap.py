"""Plausible wrong answers for lesson 06: each must lose points (see tests/test_notebooks.py)."""

WRONG_ANSWERS = {
    # Forgot max(0, ...): two disjoint boxes give a negative width AND height, whose product is a
    # positive "intersection" (IoU 1.0 for the public test's diagonal boxes).
    "l06_iou": (
        "def l06_iou(box_a, box_b):\n"
        "    ax1, ay1, ax2, ay2 = (float(v) for v in box_a)\n"
        "    bx1, by1, bx2, by2 = (float(v) for v in box_b)\n"
        "    inter = (min(ax2, bx2) - max(ax1, bx1)) * (min(ay2, by2) - max(ay1, by1))\n"
        "    union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter\n"
        "    return inter / union if union > 0 else 0.0\n"
    ),
    # Each prediction is judged on its best IoU alone: a GT is never marked as used, so
    # duplicates count as TPs.
    "l06_match": (
        "def l06_match(pred_boxes, scores, gt_boxes, iou_threshold=0.5):\n"
        "    order = torch.argsort(torch.as_tensor(scores), descending=True, stable=True)\n"
        "    iou = boxes.box_iou(pred_boxes, gt_boxes)[order]\n"
        "    if iou.shape[1] == 0:\n"
        "        return [False] * len(order)\n"
        "    return (iou.max(dim=1).values >= iou_threshold).tolist()\n"
    ),
    # Area under the raw precision (no envelope): right when precision never rises, too low
    # otherwise.
    "l06_ap_all_points": (
        "def l06_ap_all_points(recall, precision):\n"
        "    r = torch.cat([torch.zeros(1, dtype=torch.float64), torch.as_tensor(recall, dtype=torch.float64)])\n"
        "    p = torch.as_tensor(precision, dtype=torch.float64)\n"
        "    return float(((r[1:] - r[:-1]) * p).sum())\n"
    ),
}
