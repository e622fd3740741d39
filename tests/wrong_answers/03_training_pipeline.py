"""Plausible wrong answers for lesson 03: each must lose points (see tests/test_notebooks.py)."""

WRONG_ANSWERS = {
    # Forgot optimizer.zero_grad(): right on the first call, but gradients pile up from the
    # second call on (and leftovers from an earlier backward() leak into the step).
    "l03_train_step": (
        "def l03_train_step(model, images, labels, optimizer, loss_fn):\n"
        "    model.train()\n"
        "    loss = loss_fn(model(images), labels)\n"
        "    loss.backward()\n"
        "    optimizer.step()\n"
        "    return loss.item()\n"
    ),
    # One pipeline used for both: the test images get random crops, flips and colour changes too,
    # so test_tf is not deterministic and its values are not just (x - mean) / std.
    "l03_make_transforms": (
        "def l03_make_transforms(mean, std):\n"
        "    tf = v2.Compose([v2.RandomCrop(32, padding=4), v2.RandomHorizontalFlip(),\n"
        "                     v2.ToImage(), v2.ToDtype(torch.float32, scale=True),\n"
        "                     v2.Normalize(list(mean), list(std))])\n"
        "    return tf, tf\n"
    ),
    # Forgot model.eval(): Dropout stays on and BatchNorm normalises with the batch's own
    # statistics (and updates its running averages), so the labels differ from eval mode.
    "l03_predict": (
        "def l03_predict(model, images):\n"
        "    with torch.no_grad():\n"
        "        return model(images).argmax(dim=1)\n"
    ),
}
