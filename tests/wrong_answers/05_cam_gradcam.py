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
    # Differentiates the softmax probability instead of the logit: the other classes' gradients
    # mix in (section 4.1), so the map differs from pytorch-grad-cam's.
    "l05_grad_cam": (
        "def grad_cam(model, layer, images, class_idx):\n"
        "    saved = []\n"
        "    handle = layer.register_forward_hook(lambda module, inputs, output: saved.append(output))\n"
        "    try:\n"
        "        probs = model(images).softmax(dim=1)\n"
        "    finally:\n"
        "        handle.remove()\n"
        "    A = saved[0]\n"
        "    targets = torch.as_tensor(class_idx)\n"
        "    (grads,) = torch.autograd.grad(probs[torch.arange(len(targets)), targets].sum(), A)\n"
        "    maps = torch.relu((grads.mean(dim=(2, 3))[:, :, None, None] * A.detach()).sum(dim=1))\n"
        "    maps = torch.nn.functional.interpolate(maps[:, None], size=tuple(images.shape[-2:]),\n"
        "                                           mode='bilinear', align_corners=False)[:, 0]\n"
        "    lo = maps.amin(dim=(1, 2), keepdim=True)\n"
        "    span = maps.amax(dim=(1, 2), keepdim=True) - lo\n"
        "    return (maps - lo) / torch.where(span > 0, span, torch.ones_like(span))\n"
    ),
}
