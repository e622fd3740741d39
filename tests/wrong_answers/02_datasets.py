"""Plausible wrong answers for lesson 02: each must lose points (see tests/test_notebooks.py)."""

WRONG_ANSWERS = {
    # Sample standard deviation (divides by N*H*W - 1, torch's default): close, but not the
    # population std the lesson's formula (and transforms.Normalize statistics) use.
    "l02_channel_stats": (
        "def channel_mean_std(images):\n"
        "    return images.mean(dim=(0, 2, 3)), images.std(dim=(0, 2, 3))\n"
    ),
    # Balanced and deterministic, but not random: always the first per_class images of each
    # class, and silently fewer when a class runs short.
    "l02_balanced_indices": (
        "def balanced_indices(labels, per_class, seed=0):\n"
        "    return torch.cat([(labels == c).nonzero().flatten()[:per_class] for c in labels.unique()])\n"
    ),
    # reshape instead of permute: the shape is (C, H, W) but the pixels are scrambled.
    "l02_to_chw": (
        "def to_chw(image):\n"
        "    tensor = torch.from_numpy(np.asarray(image))\n"
        "    if tensor.dim() == 2:\n"
        "        tensor = tensor.unsqueeze(-1)\n"
        "    h, w, c = tensor.shape\n"
        "    return tensor.reshape(c, h, w).float() / 255\n"
    ),
}
