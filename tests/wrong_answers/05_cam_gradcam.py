"""Plausible wrong answers for lesson 05: each must lose points (see tests/test_notebooks.py)."""

WRONG_ANSWERS = {
    # Sum over the positions instead of the mean: the weights come out h·w times too large.
    "l05_gradcam_weights": (
        "def gradcam_weights(gradients):\n"
        "    return gradients.sum(dim=(2, 3))\n"
    ),
    # Adds the ReLU of the visualisation step: the raw CAM must keep its negative values.
    "l05_cam_from_fc": (
        "def cam_from_fc(features, fc_weight, class_idx):\n"
        "    w = fc_weight[class_idx]\n"
        "    return torch.relu((w[None, :, None, None] * features).sum(dim=1))\n"
    ),
    # x and y swapped: indexes rows with x1:x2 and columns with y1:y2.
    "l05_mass_inside_box": (
        "def mass_inside_box(cam_map, box):\n"
        "    x1, y1, x2, y2 = box\n"
        "    total = cam_map.sum()\n"
        "    if total <= 0:\n"
        "        return 0.0\n"
        "    return float(cam_map[x1:x2, y1:y2].sum() / total)\n"
    ),
}
