"""Plausible wrong answers for lesson 07: each must lose points (see tests/test_notebooks.py)."""

WRONG_ANSWERS = {
    # w, h read as fractions of a cell instead of the image (YOLOv1's x, y are cell-relative, w, h are not).
    "l07_decode_cells": (
        "def decode_cells(output, image_size, score_threshold=0.01):\n"
        "    S = output.shape[0]\n"
        "    cell = image_size / S\n"
        "    rows = torch.arange(S, dtype=output.dtype).view(S, 1)\n"
        "    cols = torch.arange(S, dtype=output.dtype).view(1, S)\n"
        "    cx = (cols + output[..., 0]) * cell\n"
        "    cy = (rows + output[..., 1]) * cell\n"
        "    w, h = output[..., 2] * cell, output[..., 3] * cell\n"
        "    xyxy = torch.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], dim=-1).reshape(-1, 4)\n"
        "    xyxy = xyxy.clamp(0, image_size)\n"
        "    best_prob, best_class = output[..., 5:].max(dim=-1)\n"
        "    scores = (output[..., 4] * best_prob).reshape(-1)\n"
        "    labels = (best_class + 1).reshape(-1).long()\n"
        "    keep = scores > score_threshold\n"
        "    order = scores[keep].argsort(descending=True)\n"
        "    return {'boxes': xyxy[keep][order], 'scores': scores[keep][order], 'labels': labels[keep][order]}\n"
    ),
    # IoU exactly at neg_iou counted as background (<= instead of <).
    "l07_label_proposals": (
        "def label_by_iou(proposals, gt_boxes, gt_labels, pos_iou=0.5, neg_iou=0.3):\n"
        "    if len(gt_boxes) == 0:\n"
        "        return torch.zeros(len(proposals), dtype=torch.int64)\n"
        "    max_iou, matched = boxes.box_iou(proposals, gt_boxes).max(dim=1)\n"
        "    labels = torch.full((len(proposals),), -1, dtype=torch.int64)\n"
        "    labels[max_iou <= neg_iou] = 0\n"
        "    positive = max_iou >= pos_iou\n"
        "    labels[positive] = torch.as_tensor(gt_labels).long()[matched[positive]]\n"
        "    return labels\n"
    ),
    # Warm-up batches dropped from the time but not from the image count.
    "l07_speed_table": (
        "def speed_table(batch_seconds, images_per_batch, warmup):\n"
        "    if len(batch_seconds) != len(images_per_batch):\n"
        "        raise ValueError('length')\n"
        "    seconds = batch_seconds[warmup:]\n"
        "    if not seconds:\n"
        "        raise ValueError('no timed batch')\n"
        "    images_per_s = sum(images_per_batch) / sum(seconds)\n"
        "    return float(images_per_s), 1000.0 / images_per_s\n"
    ),
    # ">=" instead of ">": a box whose IoU is exactly the threshold is removed (torchvision keeps it).
    "l07_nms": (
        "def nms_greedy(candidates, scores, iou_threshold, labels=None):\n"
        "    order = torch.sort(scores, descending=True, stable=True).indices.tolist()\n"
        "    iou = boxes.box_iou(candidates, candidates)\n"
        "    suppressed = torch.zeros(len(candidates), dtype=torch.bool)\n"
        "    keep = []\n"
        "    for i in order:\n"
        "        if suppressed[i]:\n"
        "            continue\n"
        "        keep.append(i)\n"
        "        overlap = iou[i] >= iou_threshold\n"
        "        if labels is not None:\n"
        "            overlap &= labels == labels[i]\n"
        "        suppressed |= overlap\n"
        "    return torch.tensor(keep, dtype=torch.int64)\n"
    ),
    # Decoding without exp: the size is scaled by tw itself (w = pw * tw), not by e^tw.
    "l07_box_deltas": (
        "def encode_deltas(proposals, gt_boxes):\n"
        "    pw, ph = proposals[:, 2] - proposals[:, 0], proposals[:, 3] - proposals[:, 1]\n"
        "    px, py = proposals[:, 0] + pw / 2, proposals[:, 1] + ph / 2\n"
        "    gw, gh = gt_boxes[:, 2] - gt_boxes[:, 0], gt_boxes[:, 3] - gt_boxes[:, 1]\n"
        "    gx, gy = gt_boxes[:, 0] + gw / 2, gt_boxes[:, 1] + gh / 2\n"
        "    return torch.stack([(gx - px) / pw, (gy - py) / ph, torch.log(gw / pw), torch.log(gh / ph)], dim=1)\n"
        "\n"
        "\n"
        "def decode_deltas(proposals, deltas):\n"
        "    pw, ph = proposals[:, 2] - proposals[:, 0], proposals[:, 3] - proposals[:, 1]\n"
        "    px, py = proposals[:, 0] + pw / 2, proposals[:, 1] + ph / 2\n"
        "    cx, cy = px + pw * deltas[:, 0], py + ph * deltas[:, 1]\n"
        "    w, h = pw * deltas[:, 2], ph * deltas[:, 3]\n"
        "    return torch.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], dim=1)\n"
    ),
}
