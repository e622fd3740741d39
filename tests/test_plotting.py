"""helpers.plotting: every function renders headless with tensors and arrays, draws the expected
artists with the expected values (checked against torch / torchvision / scikit-learn where one
exists), and rejects bad input with a Korean message."""
from __future__ import annotations

import io

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.collections import PolyCollection
from matplotlib.patches import Rectangle
from sklearn.metrics import confusion_matrix

from helpers import plotting

RNG = np.random.default_rng(0)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def render(fig) -> None:
    """Draw to PNG in memory: layout and text bugs only show up at draw time."""
    fig.savefig(io.BytesIO(), format="png", dpi=40)


def visible_axes(fig):
    return [ax for ax in fig.axes if ax.get_visible()]


def texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts if t.get_text()]


# ------------------------------------------------------------------------------- show_images
@pytest.mark.parametrize(
    "images, shape",
    [
        (torch.rand(5, 1, 8, 8), (8, 8)),  # N x 1 x H x W tensor -> grey
        (torch.rand(5, 3, 8, 6), (8, 6, 3)),  # N x C x H x W tensor
        (RNG.integers(0, 256, (5, 8, 8), dtype=np.uint8), (8, 8)),  # N x H x W uint8 array
        (RNG.random((5, 8, 6, 3)), (8, 6, 3)),  # N x H x W x C array
        (RNG.random((5, 3, 6, 3)), (6, 3, 3)),  # N x C x H x W wins when both fit
        ([torch.rand(3, 8, 6)] * 5, (8, 6, 3)),  # list of C x H x W
        ([RNG.random((8, 6, 4))] * 5, (8, 6, 4)),  # list of RGBA H x W x C
    ],
)
def test_show_images_layouts(images, shape):
    fig = plotting.show_images(images, titles=list("가나다라마"), ncols=2)
    axes = visible_axes(fig)
    assert len(axes) == 5 and len(fig.axes) == 6  # 3 rows x 2 columns, last one hidden
    for ax, title in zip(axes, "가나다라마", strict=True):
        assert len(ax.images) == 1
        assert ax.images[0].get_array().shape == shape
        assert ax.get_title() == title


def test_show_images_values_are_displayed_unchanged():
    floats = torch.rand(3, 3, 5, 7)
    fig = plotting.show_images(floats)
    for ax, img in zip(fig.axes, floats, strict=True):
        np.testing.assert_allclose(ax.images[0].get_array(), img.permute(1, 2, 0).numpy(), atol=1e-7)
    render(fig)
    ints = torch.randint(0, 256, (2, 1, 4, 4))  # int64 0..255 is shown like uint8
    fig = plotting.show_images(ints)
    arr = fig.axes[0].images[0].get_array()
    assert arr.dtype == np.uint8 and np.array_equal(arr, ints[0, 0].numpy())
    assert fig.axes[0].images[0].get_clim() == (0, 255)


def test_show_images_denormalize_matches_torchvision_normalize():
    from torchvision.transforms import Normalize

    mean, std = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
    images = torch.rand(4, 3, 6, 6)
    fig = plotting.show_images(Normalize(mean, std)(images), denormalize=(mean, std))
    for ax, img in zip(fig.axes, images, strict=True):
        np.testing.assert_allclose(ax.images[0].get_array(), img.permute(1, 2, 0).numpy(), atol=1e-6)
    grey = torch.rand(2, 1, 5, 5)
    fig = plotting.show_images(Normalize((0.1307,), (0.3081,))(grey), denormalize=(0.1307, 0.3081))
    np.testing.assert_allclose(fig.axes[0].images[0].get_array(), grey[0, 0].numpy(), atol=1e-6)


def test_show_images_normalised_without_denormalize_is_min_max_scaled():
    x = torch.randn(2, 1, 6, 6) * 3
    fig = plotting.show_images(x)
    arr = fig.axes[0].images[0].get_array()
    np.testing.assert_allclose(arr, (x[0, 0] - x[0, 0].min()) / (x[0, 0].max() - x[0, 0].min()), atol=1e-6)
    flat = plotting.show_images(torch.full((1, 4, 4), 7.0))  # constant image: no division by 0
    assert np.all(flat.axes[0].images[0].get_array() == 0)


def test_show_images_single_image_grad_tensor_and_existing_axes():
    fig, axes = plt.subplots(1, 3)
    x = torch.rand(2, 3, 4, 4, requires_grad=True)
    out = plotting.show_images(x, titles=torch.tensor([3, 7]), axes=axes)
    assert out is fig and [ax.get_title() for ax in axes[:2]] == ["3", "7"]
    one = plotting.show_images(RNG.random((9, 9)))  # a single H x W image
    assert len(one.axes) == 1
    bf16 = plotting.show_images(torch.rand(1, 3, 4, 4, dtype=torch.bfloat16))
    assert bf16.axes[0].images[0].get_array().shape == (4, 4, 3)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"images": torch.rand(0, 1, 4, 4)}, ValueError, "비어 있습니다"),
        ({"images": torch.rand(2, 1, 1, 4, 4)}, ValueError, "5차원"),
        ({"images": torch.rand(2, 5, 4, 6)}, ValueError, "채널 수는 1, 3 또는 4"),
        ({"images": [torch.rand(5, 4, 6)]}, ValueError, "`images\\[0\\]`의 채널 수"),
        ({"images": torch.rand(3), }, ValueError, "1차원"),
        ({"images": torch.rand(2, 4, 4), "titles": ["a"]}, ValueError, "이미지 수\\(2\\)만큼"),
        ({"images": torch.rand(2, 4, 4), "titles": "ab"}, TypeError, "문자열 하나가 아니라"),
        ({"images": torch.rand(2, 4, 4), "ncols": 0}, ValueError, r"ncols은\(는\) 1 이상의 정수.*한 줄에"),
        ({"images": torch.rand(2, 4, 4), "ncols": 2.0}, TypeError, r"ncols은\(는\) 정수여야"),
        ({"images": "cat.png"}, TypeError, "텐서나 배열"),
        ({"images": [None]}, TypeError, "텐서나 배열"),
        ({"images": torch.rand(1, 3, 4, 4), "denormalize": ((0.5, 0.5), (0.2, 0.2))}, ValueError, "채널 수\\(3\\)"),
        ({"images": torch.rand(1, 3, 4, 4), "denormalize": 0.5}, ValueError, "\\(mean, std\\)"),
        ({"images": torch.randint(0, 255, (1, 4, 4), dtype=torch.uint8), "denormalize": (0.5, 0.5)},
         ValueError, "실수 이미지에만"),
    ],
)
def test_show_images_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        plotting.show_images(**kwargs)


def test_show_images_rejects_too_few_axes():
    _, axes = plt.subplots(1, 2)
    with pytest.raises(ValueError, match="3개 이상 필요한데 2개"):
        plotting.show_images(torch.rand(3, 4, 4), axes=axes)


# ------------------------------------------------------------------------------- histories
class History:
    def __init__(self, train_loss, train_acc, val_loss=(), val_acc=()):
        self.train_loss, self.train_acc = list(train_loss), list(train_acc)
        self.val_loss, self.val_acc = list(val_loss), list(val_acc)


def test_plot_history_object_and_dict():
    h = History([1.0, 0.5, 0.3], [0.5, 0.7, 0.9], [1.1, 0.8, 0.9], [0.4, 0.6, 0.65])
    fig = plotting.plot_history(h)
    loss_ax, acc_ax = fig.axes
    assert [len(ax.lines) for ax in fig.axes] == [2, 2]
    np.testing.assert_allclose(loss_ax.lines[0].get_xydata(), [[1, 1.0], [2, 0.5], [3, 0.3]])
    np.testing.assert_allclose(acc_ax.lines[1].get_ydata(), [0.4, 0.6, 0.65])
    assert acc_ax.lines[1].get_linestyle() == "--"  # validation is dashed
    assert loss_ax.get_xlabel() == "에폭" and loss_ax.get_ylabel() == "손실" and acc_ax.get_ylabel() == "정확도"
    assert [t.get_text() for t in loss_ax.get_legend().get_texts()] == ["학습", "검증"]
    render(fig)
    as_dict = {"train_loss": h.train_loss, "train_acc": h.train_acc}  # val keys may be missing
    fig = plotting.plot_history(as_dict)
    assert [len(ax.lines) for ax in fig.axes] == [1, 1]


def test_plot_history_accepts_tensors_empty_and_redraws_live():
    fig, axes = plt.subplots(1, 2)
    h = History([], [])
    assert plotting.plot_history(h, axes=axes) is fig  # epoch 0: empty axes, no error
    for epoch in range(3):  # the live plot redraws the same axes after every epoch
        h.train_loss.append(torch.tensor(1.0 / (epoch + 1)))
        h.train_acc.append(np.float32(0.5 + 0.1 * epoch))
        h.val_loss.append(1.0)
        h.val_acc.append(0.5)
        plotting.plot_history(h, axes=axes)
    assert [len(ax.lines) for ax in axes] == [2, 2]
    np.testing.assert_allclose(axes[0].lines[0].get_ydata(), [1.0, 0.5, 1 / 3])
    render(fig)


def test_plot_history_rejects_bad_input():
    with pytest.raises(TypeError, match="'train_loss'가 없습니다"):
        plotting.plot_history({"loss": [1, 2]})
    with pytest.raises(TypeError, match="train_acc"):
        plotting.plot_history(object())
    _, axes = plt.subplots(1, 3)
    with pytest.raises(ValueError, match="두 개여야 하는데 3개"):
        plotting.plot_history(History([1], [0.5]), axes=axes)


def test_plot_histories_runs_and_gap():
    runs = {
        "기본": History([1, 0.5], [0.5, 0.8], [1.2, 1.0], [0.4, 0.6]),
        "BatchNorm": History([0.9, 0.4], [0.6, 0.9], [1.0, 0.7], [0.5, 0.7]),
        "Dropout": {"train_loss": [1, 0.7], "train_acc": [0.4, 0.7], "val_loss": [1, 0.8], "val_acc": [0.4, 0.65]},
    }
    fig = plotting.plot_histories(runs)  # default: val_acc only
    (ax,) = fig.axes
    assert len(ax.lines) == 3 and all(line.get_linestyle() == "--" for line in ax.lines)
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [0.5, 0.7])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(runs)
    assert ax.get_title() == "검증 정확도"

    fig = plotting.plot_histories(runs, metric=["acc", "train_loss"])
    acc_ax, loss_ax = fig.axes
    assert len(acc_ax.lines) == 6 and len(loss_ax.lines) == 3
    styles = [line.get_linestyle() for line in acc_ax.lines]
    assert styles == ["-", "--"] * 3  # solid train, dashed val
    assert acc_ax.lines[0].get_color() == acc_ax.lines[1].get_color() != acc_ax.lines[2].get_color()
    legends = [c for c in acc_ax.get_children() if type(c).__name__ == "Legend"]
    assert len(legends) == 2  # runs (colour) and train/val (line style)
    assert "학습" in [t.get_text() for leg in legends for t in leg.get_texts()]
    render(fig)


def test_plot_histories_rejects_bad_input():
    with pytest.raises(TypeError, match="dict여야"):
        plotting.plot_histories([History([1], [1])])
    with pytest.raises(ValueError, match="비어 있습니다"):
        plotting.plot_histories({})
    with pytest.raises(ValueError, match="'accuracy'"):
        plotting.plot_histories({"a": History([1], [1])}, metric="accuracy")
    with pytest.raises(TypeError, match="named_histories\\['b'\\]"):
        plotting.plot_histories({"a": History([1], [1]), "b": {"val_acc": [1]}})
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="metric 수\\(2\\)"):
        plotting.plot_histories({"a": History([1], [1])}, metric=["acc", "loss"], axes=[ax])


# ------------------------------------------------------------------------------- class scores
def bar_heights(ax) -> np.ndarray:
    return np.array([p.get_height() for p in ax.patches if isinstance(p, Rectangle)])


@pytest.mark.parametrize("k", [2, 10, 100])
def test_plot_probabilities_bars_and_labels(k):
    probs = torch.softmax(torch.randn(k), 0)
    ax = plotting.plot_probabilities(probs, highlight=k - 1, title="확률")
    np.testing.assert_allclose(bar_heights(ax), probs.numpy(), rtol=1e-6)
    expected = [f"{v:.0%}" for v in probs.tolist() if v >= 0.01] if k <= plotting.MAX_ANNOTATED else []
    assert texts(ax) == expected  # bars under 1 % stay unlabelled
    colors = [p.get_facecolor() for p in ax.patches]
    assert colors[-1] != colors[0] and len(set(colors)) == 2
    assert ax.get_title() == "확률" and ax.get_ylabel() == "확률"
    if k == 10:
        render(ax.figure)


def test_plot_probabilities_names_highlight_by_name_and_numpy():
    names = ["고양이", "강아지", "자동차"]
    ax = plotting.plot_probabilities(np.array([0.1, 0.8, 0.1]), names, highlight="강아지", check_sum=True)
    assert [t.get_text() for t in ax.get_xticklabels()] == names
    assert ax.patches[1].get_facecolor() != ax.patches[0].get_facecolor()
    assert texts(ax) == ["10%", "80%", "10%"]
    top3 = plotting.plot_probabilities([0.5, 0.2, 0.1])  # a top-k slice need not sum to 1
    assert len(top3.patches) == 3


@pytest.mark.parametrize(
    "probs, kwargs, match",
    [
        (torch.rand(2, 3), {}, "1차원\\(K,\\)"),
        (torch.tensor([2.0, -1.0, 0.5]), {}, "softmax를 먼저"),
        (torch.tensor([0.5, 0.2]), {"check_sum": True}, "합이 1이어야"),
        (torch.tensor([0.5, float("nan")]), {}, "NaN"),
        (torch.tensor([0.5, 0.5]), {"class_names": ["a"]}, "이름이 2개"),
        (torch.tensor([0.5, 0.5]), {"class_names": "ab"}, "문자열 하나가 아니라"),
        (torch.tensor([0.5, 0.5]), {"highlight": 2}, "0..1 사이"),
        (torch.tensor([0.5, 0.5]), {"highlight": "개", "class_names": ["a", "b"]}, "class_names에 없습니다"),
        (torch.tensor([]), {}, "비어 있습니다"),
    ],
)
def test_plot_probabilities_rejects_bad_input(probs, kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        plotting.plot_probabilities(probs, **kwargs)


@pytest.mark.parametrize("scale", [1.0, 1000.0])  # huge logits must not overflow exp()
def test_plot_logits_and_probs_matches_torch_softmax(scale):
    logits = torch.randn(10) * scale
    names = [f"클래스{i}" for i in range(10)]
    fig = plotting.plot_logits_and_probs(logits, names)
    logit_ax, prob_ax = fig.axes
    np.testing.assert_allclose(bar_heights(logit_ax), logits.numpy(), rtol=1e-6)
    np.testing.assert_allclose(bar_heights(prob_ax), torch.softmax(logits.double(), 0).numpy(), atol=1e-12)
    negative = [p.get_facecolor() for p, v in zip(logit_ax.patches, logits, strict=True) if v < 0]
    positive = [p.get_facecolor() for p, v in zip(logit_ax.patches, logits, strict=True) if v >= 0]
    assert not set(negative) & set(positive)  # the sign is visible in the colour
    best = int(logits.argmax())
    assert prob_ax.patches[best].get_facecolor() != prob_ax.patches[best - 1].get_facecolor()
    assert len(texts(logit_ax)) == 10 and 1 <= len(texts(prob_ax)) <= 10
    if scale == 1.0:
        render(fig)


def test_plot_logits_and_probs_rejects_bad_input():
    with pytest.raises(ValueError, match="`logits`에 NaN"):
        plotting.plot_logits_and_probs(torch.tensor([1.0, float("nan")]))
    with pytest.raises(ValueError, match="`logits`는 1차원"):
        plotting.plot_logits_and_probs(torch.randn(4, 10))
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="두 개여야"):
        plotting.plot_logits_and_probs(torch.randn(3), axes=[ax])


# ------------------------------------------------------------------------------- confusion matrix
def heatmap_values(ax) -> np.ndarray:
    values = np.asarray(ax.collections[0].get_array())  # seaborn's QuadMesh, row by row
    k = int(round(np.sqrt(values.size)))
    return values.reshape(k, k)


@pytest.mark.parametrize("normalize", [None, "true", "pred", "all"])
def test_plot_confusion_matrix_matches_sklearn(normalize):
    for seed in range(2):
        rng = np.random.default_rng(seed)
        k = 3 + 2 * seed
        y_true = rng.integers(0, k, 60)
        y_pred = np.where(rng.random(60) < 0.6, y_true, rng.integers(0, k - 1, 60))  # last class: rarely predicted
        cm = confusion_matrix(y_true, y_pred, labels=range(k))
        expected = confusion_matrix(y_true, y_pred, labels=range(k), normalize=normalize)
        names = [f"클래스{i}" for i in range(k)]
        ax = plotting.plot_confusion_matrix(torch.tensor(cm), names, normalize=normalize)
        np.testing.assert_allclose(heatmap_values(ax), expected, atol=1e-12)
        labels = texts(ax)
        if normalize is None:
            assert labels == [str(v) for v in cm.ravel()]
        else:
            assert labels == [f"{v:.2f}" for v in expected.ravel()]
        assert ax.get_xlabel() == "예측" and ax.get_ylabel() == "실제(정답)"
        assert [t.get_text() for t in ax.get_yticklabels()] == names
        assert [t.get_text() for t in ax.get_xticklabels()] == names
        if normalize == "true" and seed == 0:
            render(ax.figure)
        plt.close(ax.figure)


def test_plot_confusion_matrix_empty_column_and_large_k():
    cm = np.array([[3, 0], [2, 0]])  # nothing predicted as class 1: its column normalises to 0
    ax = plotting.plot_confusion_matrix(cm, normalize="pred")
    np.testing.assert_allclose(heatmap_values(ax), [[0.6, 0.0], [0.4, 0.0]])
    big = plotting.plot_confusion_matrix(np.eye(plotting.MAX_ANNOTATED + 1) * 5)
    assert len(big.texts) == 0  # too many cells to annotate
    floats = plotting.plot_confusion_matrix(np.array([[0.5, 1.25], [0.0, 2.0]]))
    assert texts(floats) == ["0.5", "1.25", "0", "2"]


@pytest.mark.parametrize(
    "cm, kwargs, match",
    [
        (np.zeros((2, 3)), {}, "정사각 행렬"),
        (np.array([1, 2, 3]), {}, "정사각 행렬"),
        (np.array([[1, -1], [0, 2]]), {}, "0 이상"),
        (np.array([[1, np.nan], [0, 2]]), {}, "NaN"),
        (np.eye(2), {"normalize": "row"}, "'row'"),
        (np.eye(2), {"class_names": ["a", "b", "c"]}, "이름이 2개"),
        (np.zeros((0, 0)), {}, "비어 있습니다"),
    ],
)
def test_plot_confusion_matrix_rejects_bad_input(cm, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plotting.plot_confusion_matrix(cm, **kwargs)


# ------------------------------------------------------------------------------- boxes
def rectangles(ax) -> np.ndarray:
    rects = [p for p in ax.patches if isinstance(p, Rectangle)]
    return np.array([[r.get_x(), r.get_y(), r.get_x() + r.get_width(), r.get_y() + r.get_height()] for r in rects])


@pytest.mark.parametrize("box_format", ["xyxy", "xywh", "cxcywh"])
def test_draw_boxes_formats_match_torchvision_box_convert(box_format):
    from torchvision.ops import box_convert

    for _ in range(5):
        xy = torch.rand(6, 2) * 40
        xyxy = torch.cat([xy, xy + torch.rand(6, 2) * 20], dim=1)
        boxes = box_convert(xyxy, "xyxy", box_format)
        ax = plotting.draw_boxes(torch.rand(3, 64, 64), boxes, box_format=box_format)
        np.testing.assert_allclose(rectangles(ax), xyxy.numpy(), atol=1e-4)
        assert len(ax.texts) == 0  # no labels, no scores: no captions
        plt.close(ax.figure)


def test_draw_boxes_captions_colours_and_inputs():
    image = RNG.integers(0, 256, (50, 80, 3), dtype=np.uint8)  # H x W x C array
    boxes = np.array([[5, 20, 30, 45], [40, 1, 70, 30], [10, 10, 20, 20]], dtype=np.float32)
    ax = plotting.draw_boxes(image, boxes, labels=torch.tensor([0, 1, 0]), scores=torch.tensor([0.91, 0.5, 0.123]),
                             class_names=["고양이", "강아지"])
    assert len(ax.patches) == 3 and len(ax.images) == 1
    assert texts(ax) == ["고양이 0.91", "강아지 0.50", "고양이 0.12"]
    edge = [p.get_edgecolor() for p in ax.patches]
    assert edge[0] == edge[2] != edge[1]  # one colour per class
    assert ax.images[0].get_array().shape == (50, 80, 3)
    render(ax.figure)

    only_labels = plotting.draw_boxes(torch.rand(1, 50, 80), boxes.tolist(), labels=["사람", "차", "사람"])
    assert texts(only_labels) == ["사람", "차", "사람"]
    edge = [p.get_edgecolor() for p in only_labels.patches]
    assert edge[0] == edge[2] != edge[1]
    yellow = plotting.draw_boxes(torch.rand(1, 50, 80), boxes, color="yellow")
    assert len({p.get_edgecolor() for p in yellow.patches}) == 1
    only_scores = plotting.draw_boxes(torch.rand(50, 80), torch.tensor(boxes), scores=[0.3, 0.2, 0.1],
                                      color=["red", "green", "blue"])
    assert texts(only_scores) == ["0.30", "0.20", "0.10"]
    empty = plotting.draw_boxes(image, torch.zeros(0, 4), labels=[], scores=[])
    assert len(empty.patches) == 0
    _, own_ax = plt.subplots()
    assert plotting.draw_boxes(image, boxes[:1], ax=own_ax) is own_ax


def test_draw_boxes_captions_of_overlapping_boxes_do_not_cover_each_other():
    # Three detections of one object, shifted by a pixel or two: the captions above them would
    # all land on the same spot. The most confident one keeps its place above its box.
    boxes = np.array([[20, 30, 70, 80], [21, 31, 71, 81], [19, 29, 69, 79]], dtype=np.float32)
    fig, ax = plt.subplots(figsize=(4, 4))
    plotting.draw_boxes(np.zeros((100, 100)), boxes, labels=[0, 0, 1], scores=[0.5, 0.9, 0.7],
                        class_names=["원", "사각형"], ax=ax)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    captions = {t.get_text(): t for t in ax.texts}
    assert set(captions) == {"원 0.50", "원 0.90", "사각형 0.70"}
    extents = [t.get_window_extent(renderer) for t in ax.texts]
    for i in range(3):
        for j in range(i + 1, 3):
            assert not extents[i].overlaps(extents[j]), (ax.texts[i].get_text(), ax.texts[j].get_text())
    best = captions["원 0.90"]
    assert best.get_position()[1] == 31 and best.get_verticalalignment() == "bottom"
    plt.close(fig)


@pytest.mark.parametrize(
    "boxes, kwargs, match",
    [
        (torch.tensor([1.0, 2, 3, 4]), {}, "boxes\\[None\\]"),
        (torch.rand(3, 5), {}, "\\(N, 4\\) 모양"),
        (torch.tensor([[10.0, 10, 5, 20]]), {}, "x2 < x1"),
        (torch.tensor([[10.0, 10, 5, 20]]), {"box_format": "xywh"}, None),  # valid as x, y, w, h
        (torch.tensor([[0.0, 0, 5, float("nan")]]), {}, "NaN"),
        (torch.rand(2, 4), {"box_format": "yxyx"}, "'yxyx'"),
        (torch.tensor([[0.0, 0, 5, 5]]), {"labels": [0, 1]}, "상자 수\\(1\\)만큼"),
        (torch.tensor([[0.0, 0, 5, 5]]), {"scores": [0.1, 0.2]}, "상자 수\\(1\\)만큼"),
        (torch.tensor([[0.0, 0, 5, 5]]), {"labels": [3], "class_names": ["a"]}, "범위\\(0..0\\) 밖"),
        (torch.tensor([[0.0, 0, 5, 5]]), {"color": ["red", "blue"]}, "상자 수\\(1\\)만큼의 리스트"),
    ],
)
def test_draw_boxes_rejects_bad_input(boxes, kwargs, match):
    image = torch.rand(3, 32, 32)
    if match is None:
        plotting.draw_boxes(image, boxes, **kwargs)
        return
    with pytest.raises(ValueError, match=match):
        plotting.draw_boxes(image, boxes, **kwargs)


def test_draw_boxes_rejects_bad_image():
    with pytest.raises(ValueError, match="`image`의 채널 수"):
        plotting.draw_boxes(torch.rand(5, 8, 8), torch.zeros(0, 4))
    with pytest.raises(ValueError, match="`image`는 \\(C, H, W\\)"):
        plotting.draw_boxes(torch.rand(1, 3, 8, 8), torch.zeros(0, 4))


# ------------------------------------------------------------------------------- heatmaps
def test_show_heatmap_overlay():
    image = torch.rand(3, 40, 60)
    cam = torch.rand(7, 7)
    ax = plotting.show_heatmap(image, cam, alpha=0.4, title="Grad-CAM 결과", colorbar=True)
    base, overlay = ax.images
    assert base.get_array().shape == (40, 60, 3)
    expected = torch.nn.functional.interpolate(cam[None, None].double(), size=(40, 60), mode="bilinear", align_corners=False)
    np.testing.assert_allclose(overlay.get_array(), expected[0, 0].numpy())
    assert overlay.get_alpha() == 0.4 and overlay.get_clim() == (0.0, 1.0)
    assert ax.get_title() == "Grad-CAM 결과" and len(ax.figure.axes) == 2  # image + colour bar
    render(ax.figure)
    raw = plotting.show_heatmap(np.zeros((20, 20), dtype=np.uint8), np.array([[-3.0, 5.0], [0.0, 1.0]]))
    assert raw.images[1].get_clim() == pytest.approx((-3.0, 5.0), abs=0.2)  # outside [0, 1]: own range
    same = plotting.show_heatmap(np.zeros((8, 8)), torch.ones(8, 8))  # same size: unchanged
    np.testing.assert_allclose(same.images[1].get_array(), 1.0)


@pytest.mark.parametrize(
    "heatmap, kwargs, match",
    [
        (torch.rand(1, 7, 7), {}, "heatmap\\[0\\]"),
        (torch.rand(7), {}, "2차원\\(h, w\\)"),
        (torch.tensor([[0.0, float("nan")]]), {}, "NaN"),
        (torch.rand(7, 7), {"alpha": 1.5}, r"alpha은\(는\) 0 이상 1 이하.*불투명도"),
    ],
)
def test_show_heatmap_rejects_bad_input(heatmap, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plotting.show_heatmap(torch.rand(3, 16, 16), heatmap, **kwargs)


# ------------------------------------------------------------------------------- PR curves
def ranked_pr(rng, n=25):
    """Recall and precision after each detection, ranked by descending score."""
    tp = rng.random(n) < 0.6
    n_gt = tp.sum() + rng.integers(0, 4)
    cum_tp = np.cumsum(tp)
    return cum_tp / max(n_gt, 1), cum_tp / np.arange(1, n + 1)


def voc_ap(rec, prec):
    """The PASCAL VOC devkit's all-point AP, written as in the devkit (loops), as a reference."""
    mrec = [0.0] + list(rec) + [1.0]
    mpre = [0.0] + list(prec) + [0.0]
    for i in range(len(mpre) - 2, -1, -1):
        mpre[i] = max(mpre[i], mpre[i + 1])
    return sum((mrec[i] - mrec[i - 1]) * mpre[i] for i in range(1, len(mrec)) if mrec[i] != mrec[i - 1])


def polygon_area(vertices):
    x, y = vertices[:, 0], vertices[:, 1]
    return 0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))


def test_plot_pr_curve_shaded_area_is_voc_ap():
    for seed in range(20):
        rec, prec = ranked_pr(np.random.default_rng(seed))
        ax = plotting.plot_pr_curve(torch.tensor(rec), torch.tensor(prec), label="고양이", ap=0.5, interpolated=True)
        (fill,) = [c for c in ax.collections if isinstance(c, PolyCollection)]
        area = sum(polygon_area(path.vertices) for path in fill.get_paths())
        assert area == pytest.approx(voc_ap(rec, prec), abs=1e-9)
        curve = ax.lines[0]
        assert curve.get_drawstyle() == "steps-pre"
        np.testing.assert_allclose(curve.get_xdata(), rec)
        np.testing.assert_allclose(curve.get_ydata(), prec)
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert labels[0] == "고양이 (AP=0.500)" and "보간된 정밀도" in labels
        assert ax.get_xlabel() == "재현율(Recall)" and ax.get_ylabel() == "정밀도(Precision)"
        if seed == 0:
            render(ax.figure)
        plt.close(ax.figure)


def test_plot_pr_curve_sklearn_order_and_several_curves():
    from sklearn.metrics import precision_recall_curve

    y = RNG.integers(0, 2, 40)
    s = RNG.random(40) + y * 0.3
    precision, recall, _ = precision_recall_curve(y, s)  # recall decreasing
    ax = plotting.plot_pr_curve(recall, precision)
    assert ax.get_legend() is None and len(ax.collections) == 0
    xs = ax.lines[0].get_xdata()
    assert np.all(np.diff(xs) >= 0)
    plotting.plot_pr_curve(recall, precision, ax=ax, ap=0.7)
    assert len(ax.lines) == 2 and ax.get_legend().get_texts()[0].get_text() == "AP=0.700"


@pytest.mark.parametrize(
    "recall, precision, kwargs, match",
    [
        ([0.1, 0.2], [1.0], {}, "길이가 같아야"),
        ([[0.1, 0.2]], [[1.0, 0.5]], {}, "1차원"),
        ([0.1, 1.5], [1.0, 0.5], {}, "`recall`는 0과 1 사이"),
        ([0.1, 0.2], [1.0, -0.5], {}, "`precision`는 0과 1 사이"),
        ([0.1, 0.5, 0.3, 0.6], [1.0, 1.0, 1.0, 1.0], {}, "단조 증가"),
        ([0.1, 0.2], [1.0, 0.5], {"ap": 3.0}, r"ap은\(는\) 0 이상 1.001 이하"),
    ],
)
def test_plot_pr_curve_rejects_bad_input(recall, precision, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plotting.plot_pr_curve(np.array(recall), np.array(precision), **kwargs)


def test_every_public_function_is_tested_here():
    import inspect

    source = open(__file__, encoding="utf-8").read()
    for name in plotting.__all__:
        assert f"plotting.{name}(" in source, name
        assert inspect.getdoc(getattr(plotting, name)), name
