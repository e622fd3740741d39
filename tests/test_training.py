"""fit / evaluate / predict / checkpoints: real values against hand-written loops, and every error."""
from __future__ import annotations

import copy
import math
import os

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, IterableDataset, TensorDataset

from helpers import environment, training
from helpers.environment import seed_everything
from helpers.models import SmallCNN
from helpers.training import History, evaluate, fit, load_checkpoint, predict, save_checkpoint

pytestmark = pytest.mark.usefixtures("one_torch_thread")


# --------------------------------------------------------------------------- tiny problems
def blobs(n=240, seed=0, num_classes=3, dim=4, spread=0.3):
    """``n`` points around ``num_classes`` far-apart centres: linearly separable."""
    g = torch.Generator().manual_seed(seed)
    centres = torch.eye(num_classes, dim) * 4
    y = torch.arange(n) % num_classes
    x = centres[y] + spread * torch.randn(n, dim, generator=g)
    return x, y


def mlp(dim=4, num_classes=3, hidden=16):
    return nn.Sequential(nn.Linear(dim, hidden), nn.ReLU(), nn.Dropout(0.1), nn.Linear(hidden, num_classes))


def stripe_images(n=96, seed=0, size=8):
    """1×size×size images: class 0 = bright left half, class 1 = bright right half, plus noise."""
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % 2
    x = 0.5 * torch.randn(n, 1, size, size, generator=g)
    half = size // 2
    x[y == 0, :, :, :half] += 1.5
    x[y == 1, :, :, half:] += 1.5
    return x, y


def loader(x, y, batch_size=32, shuffle=False, **kw):
    return DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=shuffle, **kw)


QUIET = dict(progress=False, live=False, device="cpu")


# --------------------------------------------------------------------------- History
def test_history_basics():
    h = History(train_loss=[1.0, 0.5, 0.7], train_acc=[0.5, 0.8, 0.7], val_loss=[0.9, 0.4, 0.4],
                val_acc=[0.6, 0.85, 0.9], seconds=[1.0, 1.0, 2.0], lr=[0.1, 0.1, 0.01])
    assert h.epochs == len(h) == 3
    assert h.best_epoch == 2  # lowest val loss, earliest on ties
    d = h.as_dict()
    assert set(d) == {"train_loss", "train_acc", "val_loss", "val_acc", "seconds", "lr"}
    d["train_loss"].append(99)  # a copy, not the History's own list
    assert h.train_loss == [1.0, 0.5, 0.7]
    assert History.from_dict(h.as_dict()).as_dict() == h.as_dict()
    text = repr(h)
    assert "에폭 3개" in text and "1.0000 → 0.7000" in text and "60.0% → 90.0%" in text
    assert "최고 에폭 2" in text and "총 4.0초" in text


def test_history_best_epoch_without_validation_and_empty():
    assert History().best_epoch is None
    assert repr(History()) == "History(기록된 에폭 없음)"
    h = History(train_loss=[0.9, 0.3, 0.5], train_acc=[0.1, 0.2, 0.3], seconds=[1, 1, 1], lr=[1, 1, 1])
    assert h.best_epoch == 2
    assert "검증" not in repr(h)
    h.train_loss[1] = math.nan
    assert h.best_epoch == 3
    with pytest.raises(TypeError, match="dict가 필요"):
        History.from_dict([1, 2])


# --------------------------------------------------------------------------- fit: real values
def test_fit_reaches_high_accuracy_on_separable_blobs():
    seed_everything(0)
    x, y = blobs(300)
    xv, yv = blobs(150, seed=1)
    model = mlp()
    h = fit(model, loader(x, y, shuffle=True), loader(xv, yv), epochs=8,
            optimizer=torch.optim.Adam(model.parameters(), lr=0.03), **QUIET)
    assert h.epochs == 8 and len(h.val_acc) == 8 and len(h.seconds) == 8
    assert h.val_acc[-1] >= 0.98 and h.train_acc[-1] >= 0.95
    assert h.train_loss[-1] < 0.25 * h.train_loss[0]
    assert all(type(v) is float for v in h.train_loss + h.val_loss + h.train_acc + h.val_acc)
    assert not model.training  # left in eval mode
    assert evaluate(model, loader(xv, yv))["accuracy"] == pytest.approx(h.val_acc[-1])


def test_fit_trains_smallcnn_on_tiny_images():
    seed_everything(0)
    x, y = stripe_images(128)
    xv, yv = stripe_images(64, seed=5)
    model = SmallCNN(1, 2, image_size=8, width=4)
    h = fit(model, loader(x, y, 16, shuffle=True), loader(xv, yv), epochs=4, **QUIET)
    assert h.val_acc[-1] >= 0.95


def _bare_loop(model, data, epochs, lr):
    """The textbook loop that fit must reproduce exactly (default Adam + CrossEntropy)."""
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    losses, accs = [], []
    n = len(data.dataset)
    for _ in range(epochs):
        model.train()
        total, correct = 0.0, 0
        for xb, yb in data:
            logits = model(xb)
            loss = loss_fn(logits, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(xb)
            correct += (logits.argmax(1) == yb).sum().item()
        losses.append(total / n)
        accs.append(correct / n)
    return losses, accs


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fit_equals_a_bare_pytorch_loop(seed):
    x, y = blobs(100, seed=seed)
    torch.manual_seed(seed)
    model = mlp()
    twin = copy.deepcopy(model)
    torch.manual_seed(123)
    h = fit(model, loader(x, y, 16, shuffle=True), epochs=3, **QUIET)  # default: Adam(lr=1e-3)
    torch.manual_seed(123)
    losses, accs = _bare_loop(twin, loader(x, y, 16, shuffle=True), epochs=3, lr=1e-3)
    assert h.train_loss == pytest.approx(losses, rel=1e-12, abs=1e-12)
    assert h.train_acc == accs
    for a, b in zip(model.parameters(), twin.parameters(), strict=True):
        assert torch.equal(a, b)
    assert h.lr == [1e-3] * 3


def test_fit_is_deterministic_with_the_same_seed():
    def run():
        seed_everything(7)
        x, y = stripe_images(64)
        model = SmallCNN(1, 2, image_size=8, width=4, dropout=0.3)
        h = fit(model, loader(x, y, 16, shuffle=True), loader(x[:32], y[:32]), epochs=2, **QUIET)
        return h, [p.detach().clone() for p in model.parameters()]

    (h1, w1), (h2, w2) = run(), run()
    for key in ("train_loss", "train_acc", "val_loss", "val_acc", "lr"):
        assert getattr(h1, key) == getattr(h2, key), key
    assert all(torch.equal(a, b) for a, b in zip(w1, w2, strict=True))


def test_fit_switches_train_and_eval_mode():
    modes = []

    class Spy(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(4, 3)

        def forward(self, x):
            modes.append(self.training)
            return self.lin(x)

    x, y = blobs(40)
    fit(Spy(), loader(x, y, 20), loader(x, y, 40), epochs=2, **QUIET)
    # per epoch: 2 training batches (train mode) then 1 validation batch (eval mode)
    assert modes == [True, True, False, True, True, False]


def test_fit_continues_an_existing_history(capsys):
    x, y = blobs(60)
    model = mlp()
    h = fit(model, loader(x, y), epochs=2, **QUIET)
    again = fit(model, loader(x, y), epochs=1, history=h, device="cpu", live=False, progress=True)
    assert again is h and h.epochs == 3
    assert "에폭 3/3 | 학습 손실" in capsys.readouterr().out


def test_fit_prints_one_line_per_epoch_outside_jupyter(capsys):
    x, y = blobs(60)
    h = fit(mlp(), loader(x, y), loader(x, y), epochs=2, device="cpu", live="auto", progress=True)
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("에폭")]
    assert len(lines) == 2
    assert lines[1].startswith("에폭 2/2 | 학습 손실 ")
    assert f"검증 손실 {h.val_loss[1]:.4f} 정확도 {h.val_acc[1]:.1%}" in lines[1]
    assert fit(mlp(), loader(x, y), epochs=1, **QUIET) and capsys.readouterr().out == ""


def test_fit_uses_the_given_loss_and_accepts_soft_labels():
    x, y = blobs(60)
    soft = nn.functional.one_hot(y, 3).float()
    h = fit(mlp(), loader(x, soft), epochs=2, **QUIET)
    assert 0 <= h.train_acc[-1] <= 1
    # a regression-style loss: accuracy is not defined → NaN, loss still recorded
    h = fit(nn.Linear(4, 1), loader(x, y.float()[:, None]), epochs=1, loss_fn=nn.MSELoss(), **QUIET)
    assert math.isnan(h.train_acc[0]) and h.train_loss[0] > 0


def test_fit_amp_request_on_cpu_is_ignored_with_a_notice(capsys):
    x, y = blobs(30)
    h = fit(mlp(), loader(x, y), epochs=1, amp=True, **QUIET)
    assert "혼합 정밀도(amp)는 CUDA GPU에서만" in capsys.readouterr().out
    assert h.epochs == 1


def test_fit_steps_schedulers():
    x, y = blobs(64)
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    h = fit(model, loader(x, y, 16), epochs=3, optimizer=opt,
            scheduler=torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5), **QUIET)
    assert h.lr == pytest.approx([0.1, 0.05, 0.025])

    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    one_cycle = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=3 * 4)
    fit(model, loader(x, y, 16), epochs=3, optimizer=opt, scheduler=one_cycle, **QUIET)
    assert one_cycle.last_epoch == 12  # stepped after each of the 4 batches × 3 epochs

    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0, factor=0.5)
    h = fit(model, loader(x, y, 16), loader(x, y), epochs=2, optimizer=opt, scheduler=plateau, **QUIET)
    assert plateau.best == pytest.approx(min(h.val_loss))


def test_fit_with_an_iterable_loader_without_length():
    class Stream(IterableDataset):
        def __iter__(self):
            x, y = blobs(40)
            return iter(zip(x, y, strict=True))

    h = fit(mlp(), DataLoader(Stream(), batch_size=10), epochs=1, **QUIET)
    assert h.epochs == 1


# --------------------------------------------------------------------------- live plot
class _FakeHandle:
    def __init__(self):
        self.updates = 0

    def update(self, obj):
        self.updates += 1


def _fake_display(monkeypatch):
    pytest.importorskip("IPython")
    import IPython.display

    calls = []

    def display(obj, display_id=False):
        calls.append(obj)
        return handle

    handle = _FakeHandle()
    monkeypatch.setattr(IPython.display, "display", display)
    monkeypatch.setattr(training, "_in_notebook", lambda: True)
    return calls, handle


def test_live_plot_in_jupyter_redraws_one_figure(monkeypatch, capsys):
    calls, handle = _fake_display(monkeypatch)
    x, y = blobs(60)
    fit(mlp(), loader(x, y), loader(x, y), epochs=3, device="cpu", progress=True)
    assert len(calls) == 1 and handle.updates == 2
    fig = calls[0]
    loss_ax, acc_ax = fig.axes[:2]
    assert len(loss_ax.lines) >= 2 and len(loss_ax.lines[0].get_xdata()) == 3
    assert "에폭" not in capsys.readouterr().out  # the figure replaces the text lines


def test_live_plot_shows_plotting_errors(monkeypatch):
    """No silent second drawing routine: an error in plot_history surfaces (it is a bug)."""
    _fake_display(monkeypatch)

    def broken(history, axes=None):
        raise RuntimeError("plot_history is broken")

    monkeypatch.setattr("helpers.plotting.plot_history", broken)
    x, y = blobs(60)
    with pytest.raises(RuntimeError, match="plot_history is broken"):
        fit(mlp(), loader(x, y), epochs=1, device="cpu", progress=False)


def test_not_in_notebook_here():
    assert training._in_notebook() is False


# --------------------------------------------------------------------------- evaluate / predict
def test_evaluate_matches_manual_computation_and_restores_mode():
    torch.manual_seed(0)
    x, y = blobs(70)
    model = mlp().train()
    result = evaluate(model, loader(x, y, 16))
    assert model.training  # restored
    model.eval()
    with torch.no_grad():
        logits = model(x)
    assert result["loss"] == pytest.approx(nn.functional.cross_entropy(logits, y).item(), rel=1e-6)
    assert result["accuracy"] == pytest.approx((logits.argmax(1) == y).float().mean().item())
    weighted = evaluate(model, loader(x, y, 16), loss_fn=nn.CrossEntropyLoss(reduction="mean", label_smoothing=0.1))
    assert weighted["loss"] > result["loss"]


def test_predict_from_loader_dataset_and_tensor_agree():
    torch.manual_seed(0)
    x, y = blobs(50)
    model = mlp().train()
    from_loader = predict(model, loader(x, y, 7))
    from_dataset = predict(model, TensorDataset(x, y), batch_size=8)
    from_tensor = predict(model, x, batch_size=13)
    from_x_only = predict(model, DataLoader(x, batch_size=9))
    assert model.training
    model.eval()
    with torch.no_grad():
        logits = model(x)
    for p in (from_loader, from_dataset, from_tensor, from_x_only):
        torch.testing.assert_close(p.logits, logits)
        torch.testing.assert_close(p.probs, logits.softmax(1))
        assert torch.equal(p.labels, logits.argmax(1))
        torch.testing.assert_close(p.probs.sum(1), torch.ones(50))
        assert len(p) == 50
    assert torch.equal(from_loader.targets, y) and torch.equal(from_dataset.targets, y)
    assert from_tensor.targets is None and from_x_only.targets is None
    assert "50개, 클래스 3개, 정확도" in repr(from_loader)


def test_predict_keeps_the_loader_order_with_targets():
    x, y = blobs(30)
    torch.manual_seed(3)
    p = predict(mlp(), loader(x, y, 8, shuffle=True))
    assert sorted(p.targets.tolist()) == sorted(y.tolist()) and not torch.equal(p.targets, y)


def test_predict_bad_inputs():
    model = mlp()
    with pytest.raises(TypeError, match="data는 DataLoader, Dataset, 또는 이미지 배치 텐서.*list"):
        predict(model, [[1, 2, 3, 4]])
    with pytest.raises(ValueError, match="data 텐서가 비어 있습니다"):
        predict(model, torch.empty(0, 4))
    with pytest.raises(ValueError, match=r"batch_size은\(는\) 1 이상의 정수.*받은 값: 0"):
        predict(model, torch.zeros(2, 4), batch_size=0)
    with pytest.raises(TypeError, match=r"batch_size은\(는\) 정수여야.*2.5"):
        predict(model, torch.zeros(2, 4), batch_size=2.5)
    with pytest.raises(ValueError, match=r"이미지 한 장이면 배치 차원을 붙이세요: x.unsqueeze\(0\)"):
        predict(SmallCNN(), torch.zeros(1, 28, 28))
    with pytest.raises(ValueError, match=r"\[N, 클래스 수\] 모양의 로짓.*\(2, 3, 1\)"):
        predict(nn.Unflatten(1, (3, 1)), torch.zeros(2, 3))


# --------------------------------------------------------------------------- errors in fit
def test_label_out_of_range_is_caught_before_cross_entropy():
    x, y = blobs(40)
    y_bad = y.clone()
    y_bad[5] = 3  # model has 3 outputs: classes 0, 1, 2
    with pytest.raises(ValueError, match=r"정답 레이블 3이\(가\) 범위 \[0, 3\) 밖에.*클래스 3개\(0~2번\)"):
        fit(mlp(), loader(x, y_bad), epochs=1, **QUIET)
    y_bad = y + 1  # labels 1..3 instead of 0..2
    with pytest.raises(ValueError, match=r"레이블 3이.*레이블은 1~3입니다.*y - 1"):
        fit(mlp(), loader(x, y_bad), epochs=1, **QUIET)
    y_neg = y.clone()
    y_neg[0] = -1
    with pytest.raises(ValueError, match=r"정답 레이블 -1이\(가\) 범위 \[0, 3\)"):
        evaluate(mlp(), loader(x, y_neg))
    y_ignored = y.clone()
    y_ignored[0] = -100  # CrossEntropyLoss's ignore_index is allowed
    assert fit(mlp(), loader(x, y_ignored), epochs=1, **QUIET).epochs == 1


def test_float_labels_and_batch_size_mismatch_get_hints():
    x, y = blobs(40)
    with pytest.raises(TypeError, match="정답 y의 dtype이 torch.float32.*y.long"):
        fit(mlp(), loader(x, y.float()), epochs=1, **QUIET)

    class BadFlatten(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(8, 3)

        def forward(self, x):
            return self.lin(x.view(-1, 8))  # merges pairs of samples: the classic view() bug

    with pytest.raises(ValueError, match=r"모델 출력은 5개인데 정답 y는 10개.*flatten\(1\)"):
        fit(BadFlatten(), loader(x, y, 10), epochs=1, **QUIET)


def test_nan_loss_stops_with_epoch_and_batch():
    x, y = blobs(64)
    x[40] = float("nan")  # batch 3 of 16 samples
    with pytest.raises(FloatingPointError, match=r"에폭 1, 배치 3에서 손실\(loss\)이 NaN.*lr=0.001.*10배"):
        fit(mlp(), loader(x, y, 16), epochs=2, **QUIET)


def test_diverging_learning_rate_is_reported():
    x, y = blobs(64)
    x = x * 1e3
    model = mlp()
    opt = torch.optim.SGD(model.parameters(), lr=1e12)
    with pytest.raises(FloatingPointError, match=r"에폭 \d+, 배치 \d+에서.*lr=1000000000000.0"):
        fit(model, loader(x, y, 16), epochs=5, optimizer=opt, **QUIET)


def test_meter_device_path_matches_cpu_path_and_finds_first_bad_batch():
    # the GPU code path (sums kept as tensors, read lazily), exercised on the CPU
    torch.manual_seed(0)
    eager = training._Meter(torch.device("cpu"))
    lazy = training._Meter(torch.device("cpu"), sync_every_batch=False)
    losses = [0.5, 0.25, float("nan"), 1.0, float("inf")]
    for i, value in enumerate(losses, start=1):
        logits, y = torch.randn(8, 3), torch.randint(0, 3, (8,))
        eager.add(torch.tensor(value), logits, y, i)
        lazy.add(torch.tensor(value), logits, y, i)
    assert eager.first_bad_batch() == lazy.first_bad_batch() == 3
    assert eager.accuracy == lazy.accuracy
    assert math.isnan(eager.loss) and math.isnan(lazy.loss)
    ok = training._Meter(torch.device("cpu"), sync_every_batch=False)
    ok.add(torch.tensor(2.0), torch.randn(4, 3), torch.zeros(4, dtype=torch.long), 1)
    ok.add(torch.tensor(1.0), torch.randn(2, 3), torch.zeros(2, dtype=torch.long), 2)
    assert ok.first_bad_batch() is None and ok.loss == pytest.approx((8 + 2) / 6)


def test_empty_loaders_are_rejected():
    empty = loader(torch.empty(0, 4), torch.empty(0, dtype=torch.long))
    with pytest.raises(ValueError, match=r"train_loader이\(가\) 비어 있습니다 \(배치 0개\)"):
        fit(mlp(), empty, epochs=1, **QUIET)
    x, y = blobs(10)
    with pytest.raises(ValueError, match=r"val_loader이\(가\) 비어 있습니다"):
        fit(mlp(), loader(x, y), empty, epochs=1, **QUIET)
    drop = loader(x, y, batch_size=32, drop_last=True)
    with pytest.raises(ValueError, match="drop_last=True"):
        fit(mlp(), drop, epochs=1, **QUIET)

    class Nothing(IterableDataset):
        def __iter__(self):
            return iter([])

    with pytest.raises(ValueError, match="비어 있습니다"):
        fit(mlp(), DataLoader(Nothing(), batch_size=4), epochs=1, **QUIET)
    with pytest.raises(ValueError, match=r"loader이\(가\) 비어 있습니다"):
        evaluate(mlp(), empty)


def test_meta_device_model_is_rejected():
    with torch.device("meta"):
        model = mlp()
    with pytest.raises(ValueError, match="'meta' 장치.*to_empty"):
        fit(model, loader(*blobs(10)), epochs=1, **QUIET)
    with pytest.raises(ValueError, match="'meta' 장치"):
        evaluate(model, loader(*blobs(10)))
    with pytest.raises(ValueError, match="'meta' 장치"):
        predict(model, torch.zeros(2, 4))


def test_device_mismatch_inside_the_model_gets_a_korean_hint():
    class WrongDevice(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(4, 3)

        def forward(self, x):
            raise RuntimeError("Expected all tensors to be on the same device, but found at least "
                               "two devices, cuda:0 and cpu!")

    with pytest.raises(RuntimeError, match=r"서로 다른 장치\(device\).*모델: cpu, 배치 x: cpu") as info:
        fit(WrongDevice(), loader(*blobs(10)), epochs=1, **QUIET)
    assert "Expected all tensors" in str(info.value)
    assert isinstance(info.value.__cause__, RuntimeError)


def test_model_split_across_devices_is_rejected():
    model = mlp()
    model[0].to("meta")
    with pytest.raises(ValueError, match="여러 장치에 나뉘어"):
        training._model_device(model)


def test_model_device_of_empty_and_meta_models(monkeypatch):
    monkeypatch.setenv(environment.DEVICE_ENV, "cpu")
    assert training._model_device(nn.ReLU()) == torch.device("cpu")  # no tensors: the default device
    assert training._model_device(mlp()) == torch.device("cpu")
    with torch.device("meta"):
        model = mlp()
    assert training._model_device(model, allow_meta=True) == torch.device("cpu")
    with pytest.raises(ValueError, match="'meta' 장치.*to_empty"):
        training._model_device(model)


def test_wrong_input_shape_is_reraised_with_the_batch_shape():
    x, y = stripe_images(16, size=28)
    with pytest.raises(RuntimeError, match=r"배치 x의 모양은 \(8, 1, 28, 28\), dtype은 torch.float32.*in_channels") as info:
        fit(SmallCNN(in_channels=3), loader(x, y, 8), epochs=1, **QUIET)
    assert isinstance(info.value.__cause__, RuntimeError)
    assert "원래 오류:" in str(info.value)
    with pytest.raises(RuntimeError, match=r"실수\(float\)가 아닙니다"):
        fit(SmallCNN(), loader((x * 50).to(torch.uint8), y, 8), epochs=1, **QUIET)


def test_bad_arguments_to_fit():
    x, y = blobs(20)
    dl = loader(x, y)
    with pytest.raises(TypeError, match="DataLoader로 감싸세요"):
        fit(mlp(), TensorDataset(x, y), epochs=1, **QUIET)
    with pytest.raises(TypeError, match="train_loader은\\(는\\) \\(x, y\\) 배치를 내놓는 DataLoader.*Tensor"):
        fit(mlp(), x, epochs=1, **QUIET)
    with pytest.raises(TypeError, match=r"model은 torch.nn.Module.*SmallCNN\(\)"):
        fit(SmallCNN, dl, epochs=1, **QUIET)
    with pytest.raises(ValueError, match=r"epochs은\(는\) 1 이상의 정수.*받은 값: 0\).*epochs=5"):
        fit(mlp(), dl, epochs=0, **QUIET)
    with pytest.raises(TypeError, match=r"epochs은\(는\) 정수여야.*True"):
        fit(mlp(), dl, epochs=True, **QUIET)
    with pytest.raises(ValueError, match="live는 'auto', True, False"):
        fit(mlp(), dl, epochs=1, live="yes", progress=False, device="cpu")
    with pytest.raises(ValueError, match="amp는 'auto', True, False"):
        fit(mlp(), dl, epochs=1, amp="fp16", **QUIET)
    with pytest.raises(TypeError, match=r"loss_fn=CrossEntropyLoss\(\)"):
        fit(mlp(), dl, epochs=1, loss_fn=nn.CrossEntropyLoss, **QUIET)
    with pytest.raises(TypeError, match="loss_fn은 호출할 수 있는"):
        fit(mlp(), dl, epochs=1, loss_fn="ce", **QUIET)
    with pytest.raises(TypeError, match=r"optimizer=torch.optim.Adam\(model.parameters\(\)"):
        fit(mlp(), dl, epochs=1, optimizer=torch.optim.Adam, **QUIET)
    with pytest.raises(ValueError, match="optimizer가 이 model의 파라미터를 하나도"):
        fit(mlp(), dl, epochs=1, optimizer=torch.optim.Adam(mlp().parameters()), **QUIET)
    with pytest.raises(TypeError, match="scheduler는 torch.optim.lr_scheduler의 스케줄러.*str"):
        fit(mlp(), dl, epochs=1, scheduler="step", **QUIET)
    with pytest.raises(TypeError, match="history는 fit이 돌려준 History"):
        fit(mlp(), dl, epochs=1, history={}, **QUIET)
    with pytest.raises(TypeError, match="device는 'cpu', 'cuda' 같은 문자열"):
        fit(mlp(), dl, epochs=1, progress=False, live=False, device=0)
    with pytest.raises(TypeError, match=r"\(입력 x, 정답 y\) 쌍이어야.*텐서 하나 \(모양 \(10, 4\)\)"):
        fit(mlp(), DataLoader(x, batch_size=10), epochs=1, **QUIET)
    with pytest.raises(TypeError, match="입력 x가 텐서가 아닙니다.*ToTensor"):
        fit(mlp(), [(["not", "a", "tensor"], y[:3])], epochs=1, **QUIET)


# --------------------------------------------------------------------------- checkpoints
def test_checkpoint_round_trip(tmp_path):
    x, y = blobs(40)
    model = mlp()
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    h = fit(model, loader(x, y), loader(x, y), epochs=2, optimizer=opt, **QUIET)
    path = save_checkpoint(tmp_path / "sub" / "model.pt", model, opt, h, epoch=2,
                           class_names=["a", "b", "c"], note={"lr": 0.01, "ok": True}, mean=torch.ones(3))
    assert path == tmp_path / "sub" / "model.pt" and path.is_file()
    assert os.listdir(path.parent) == ["model.pt"]  # no temp file left behind

    fresh = mlp()
    fresh_opt = torch.optim.Adam(fresh.parameters(), lr=0.01)
    ckpt = load_checkpoint(path, fresh, fresh_opt)
    for a, b in zip(model.parameters(), fresh.parameters(), strict=True):
        assert torch.equal(a, b)
    assert fresh_opt.state_dict()["state"][0]["step"] == opt.state_dict()["state"][0]["step"]
    torch.testing.assert_close(fresh_opt.state_dict()["state"][0]["exp_avg"], opt.state_dict()["state"][0]["exp_avg"])
    assert isinstance(ckpt["history"], History) and ckpt["history"].as_dict() == h.as_dict()
    assert ckpt["epoch"] == 2 and ckpt["class_names"] == ["a", "b", "c"] and ckpt["note"]["ok"] is True
    assert torch.equal(ckpt["mean"], torch.ones(3))
    # and the loaded model predicts exactly like the saved one
    assert torch.equal(predict(fresh, x).logits, predict(model, x).logits)


def test_checkpoint_minimal_and_plain_state_dict(tmp_path):
    model = mlp()
    ckpt = load_checkpoint(save_checkpoint(tmp_path / "m.pt", model), mlp())
    assert ckpt["history"] is None and ckpt["optimizer"] is None
    torch.save(model.state_dict(), tmp_path / "raw.pt")
    other = mlp()
    load_checkpoint(tmp_path / "raw.pt", other)
    assert all(torch.equal(a, b) for a, b in zip(model.parameters(), other.parameters(), strict=True))


def test_interrupted_save_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "model.pt"
    model = mlp()
    save_checkpoint(path, model, epoch=1)
    before = path.read_bytes()

    def broken_save(obj, f, *args, **kwargs):
        f.write(b"PK\x03\x04 half a checkpoint")
        raise KeyboardInterrupt  # e.g. the student pressed stop in the middle of the save

    monkeypatch.setattr(torch, "save", broken_save)
    with pytest.raises(KeyboardInterrupt):
        save_checkpoint(path, mlp(), epoch=2)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.pt"]


def test_corrupt_or_wrong_checkpoints_give_korean_errors(tmp_path):
    model = mlp()
    path = save_checkpoint(tmp_path / "good.pt", model, torch.optim.SGD(model.parameters(), lr=0.1))
    data = path.read_bytes()
    (tmp_path / "trunc.pt").write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="trunc.pt 을\\(를\\) 읽을 수 없습니다: 파일이 잘렸거나 손상"):
        load_checkpoint(tmp_path / "trunc.pt", mlp())
    (tmp_path / "junk.pt").write_bytes(b"this is not a checkpoint")
    with pytest.raises(ValueError, match="잘렸거나 손상"):
        load_checkpoint(tmp_path / "junk.pt", mlp())
    torch.save([1, 2, 3], tmp_path / "list.pt")
    with pytest.raises(ValueError, match=r"save_checkpoint로 저장한 체크포인트가 아닙니다 \(최상위 타입: list\)"):
        load_checkpoint(tmp_path / "list.pt", mlp())
    with pytest.raises(FileNotFoundError, match="체크포인트 파일이 없습니다"):
        load_checkpoint(tmp_path / "missing.pt", mlp())
    with pytest.raises(RuntimeError, match="이 모델 구조와 맞지 않습니다.*num_classes") as info:
        load_checkpoint(path, mlp(num_classes=5))
    assert "size mismatch" in str(info.value)
    bare = save_checkpoint(tmp_path / "bare.pt", model)
    with pytest.raises(ValueError, match="옵티마이저 상태가 없습니다"):
        load_checkpoint(bare, mlp(), torch.optim.SGD(model.parameters(), lr=0.1))


def test_save_checkpoint_bad_arguments(tmp_path):
    import numpy as np

    model = mlp()
    with pytest.raises(TypeError, match="추가 항목 'acc'에 저장할 수 없는 타입 float64.*float\\(x\\)"):
        save_checkpoint(tmp_path / "a.pt", model, acc=np.float64(0.9))
    with pytest.raises(TypeError, match="optimizer는 torch.optim.Optimizer"):
        save_checkpoint(tmp_path / "a.pt", model, optimizer="adam")
    with pytest.raises(TypeError, match="history는 History"):
        save_checkpoint(tmp_path / "a.pt", model, history=[1])
    with pytest.raises(TypeError, match="dict 키는 문자열이나 정수"):
        save_checkpoint(tmp_path / "a.pt", model, table={(1, 2): 3})
    assert not list(tmp_path.glob(".*.tmp"))


def test_save_checkpoint_rejects_reserved_names(tmp_path):
    with pytest.raises(ValueError, match="추가 항목 이름 'format'는 체크포인트가 내부에서 씁니다"):
        save_checkpoint(tmp_path / "a.pt", mlp(), format=2)


# --------------------------------------------------------------------------- CUDA (GPU machines only)
@pytest.mark.skipif(not torch.cuda.is_available(), reason="CUDA GPU가 없습니다")
def test_fit_on_cuda_with_mixed_precision():
    seed_everything(0)
    x, y = blobs(512)
    model = mlp()
    h = fit(model, loader(x, y, 64, shuffle=True), loader(x, y, 128), epochs=5,
            optimizer=torch.optim.Adam(model.parameters(), lr=0.03), device="cuda", progress=False, live=False)
    assert next(model.parameters()).device.type == "cuda"
    assert h.val_acc[-1] >= 0.98
    p = predict(model, x)
    assert p.logits.device.type == "cpu" and (p.labels == y).float().mean() >= 0.98
    bad = x.clone()
    bad[200] = float("nan")
    with pytest.raises(FloatingPointError, match="에폭 1, 배치 4에서"):
        fit(mlp(), loader(bad, y, 64), epochs=1, device="cuda", progress=False, live=False)


# --------------------------------------------------------------------------- benchmark runner
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def benchmarks_importable(monkeypatch):
    """``benchmarks/`` is a top-level folder, not part of the installed package."""
    monkeypatch.syspath_prepend(REPO)


def test_benchmark_runner_rows_table_and_cli(capsys, benchmarks_importable):
    from benchmarks import run

    assert "training" in run.available()
    row = run.check_row({"name": "x", "measured": 1.02, "budget": 1.05, "unit": "×", "note": "n"}, "demo")
    assert row["ok"] and row["ratio"] == pytest.approx(1.02 / 1.05) and row["module"] == "demo"
    over = run.check_row({"name": "y", "measured": 2e-6, "budget": 1e-6, "unit": "", "note": ""}, "demo")
    assert not over["ok"] and over["ratio"] == pytest.approx(2.0)
    nan = run.check_row({"name": "z", "measured": float("nan"), "budget": 1.0, "unit": "s", "note": ""}, "demo")
    assert not nan["ok"]
    with pytest.raises(ValueError, match=r"키 \['budget'\]가 없습니다"):
        run.check_row({"name": "x", "measured": 1.0, "unit": "", "note": ""}, "demo")
    with pytest.raises(TypeError, match="'measured' 값 '1'의 타입이 str"):
        run.check_row({"name": "x", "measured": "1", "budget": 1.0, "unit": "", "note": ""}, "demo")
    table = run.format_table([row, over], {"broken": "ImportError: nope"})
    lines = table.splitlines()
    assert [cell.strip() for cell in lines[0].split("|")] == ["name", "measured", "budget", "ratio", "ok", "note"]
    assert "1.02 ×" in table and "≤ 1.05 ×" in table and "✓" in table and "✗" in table
    assert "✗ bench_broken: 실행 실패 — ImportError: nope" in table
    rows, error, _ = run.run_module("does_not_exist")
    assert rows == [] and "ModuleNotFoundError" in error
    assert run.main(["--list"]) == 0 and "training" in capsys.readouterr().out.split()
    with pytest.raises(SystemExit):
        run.main(["no_such_benchmark"])


def test_bench_training_compare_runs_on_tiny_sizes(benchmarks_importable):
    from benchmarks import bench_training

    result = bench_training.compare(torch.device("cpu"), n_train=64, n_val=32, batch_size=32,
                                    epochs=1, repeats=1, width=2)
    assert result["fit"] > 0 and result["bare"] > 0
    assert result["ratio"] == pytest.approx(result["fit"] / result["bare"])
    row = bench_training._row(torch.device("cpu"), result, "tiny")
    assert row["budget"] == 1.05 and row["unit"] == "×" and "tiny" in row["note"]
