"""helpers.boxes against torchvision.ops: formats, area, IoU, NMS, clipping, and input checks."""
import numpy as np
import pytest
import torch
import torchvision.ops as tv

from helpers import boxes as B

DTYPES = [torch.float32, torch.float64]


def random_boxes(gen: torch.Generator, n: int, dtype=torch.float32, size=100.0, max_wh=60.0, grid=None):
    """[n, 4] valid xyxy boxes; ``grid`` snaps coordinates to multiples of it (to create ties)."""
    xy = torch.rand(n, 2, generator=gen, dtype=torch.float64) * size
    wh = torch.rand(n, 2, generator=gen, dtype=torch.float64) * max_wh
    boxes = torch.cat([xy, xy + wh], dim=1)
    if grid:
        boxes = torch.round(boxes / grid) * grid
    return boxes.to(dtype)


@pytest.fixture
def gen():
    return torch.Generator().manual_seed(1234)


# --------------------------------------------------------------------------------------------
# box_convert, box_area
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_box_convert_matches_torchvision(gen, dtype):
    for case in range(100):
        xyxy = random_boxes(gen, int(torch.randint(0, 30, (1,), generator=gen)), dtype)
        for in_fmt in B.BOX_FORMATS:
            boxes = tv.box_convert(xyxy, "xyxy", in_fmt)
            for out_fmt in B.BOX_FORMATS:
                ours = B.box_convert(boxes, in_fmt, out_fmt)
                ref = tv.box_convert(boxes, in_fmt, out_fmt)
                assert ours.dtype == dtype and ours.shape == ref.shape
                torch.testing.assert_close(ours, ref, rtol=0, atol=0, msg=f"{case} {in_fmt}->{out_fmt}")


def test_box_convert_known_values_and_round_trip(gen):
    xyxy = torch.tensor([[10.0, 20.0, 30.0, 60.0]])
    assert B.box_convert(xyxy, "xyxy", "xywh").tolist() == [[10.0, 20.0, 20.0, 40.0]]
    assert B.box_convert(xyxy, "xyxy", "cxcywh").tolist() == [[20.0, 40.0, 20.0, 40.0]]
    assert B.box_convert([[20.0, 40.0, 20.0, 40.0]], "cxcywh", "xyxy").tolist() == xyxy.tolist()
    boxes = random_boxes(gen, 50, torch.float64)
    for fmt in B.BOX_FORMATS:
        back = B.box_convert(B.box_convert(boxes, "xyxy", fmt), fmt, "xyxy")
        torch.testing.assert_close(back, boxes, rtol=0, atol=1e-12)
    same = B.box_convert(boxes, "xyxy", "xyxy")
    assert torch.equal(same, boxes) and same.data_ptr() != boxes.data_ptr()  # a copy, like torchvision


@pytest.mark.parametrize("dtype", DTYPES + [torch.int64])
def test_box_area_matches_torchvision(gen, dtype):
    for _ in range(100):
        boxes = random_boxes(gen, int(torch.randint(0, 40, (1,), generator=gen)), torch.float64, grid=1.0).to(dtype)
        ours, ref = B.box_area(boxes), tv.box_area(boxes)
        assert ours.dtype == ref.dtype
        torch.testing.assert_close(ours, ref, rtol=0, atol=0)
    assert B.box_area(torch.tensor([[1.0, 2.0, 4.0, 6.0], [3.0, 3.0, 3.0, 9.0]])).tolist() == [12.0, 0.0]


# --------------------------------------------------------------------------------------------
# box_iou, iou_single
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_box_iou_matches_torchvision(gen, dtype):
    for case in range(100):
        n, m = (int(v) for v in torch.randint(0, 25, (2,), generator=gen))
        grid = 5.0 if case % 4 == 0 else None  # shared edges and identical boxes
        boxes1, boxes2 = random_boxes(gen, n, dtype, grid=grid), random_boxes(gen, m, dtype, grid=grid)
        if case % 5 == 0 and n:  # some zero-area boxes (a line) next to normal ones
            boxes1[0, 2] = boxes1[0, 0]
        ours, ref = B.box_iou(boxes1, boxes2), tv.box_iou(boxes1, boxes2)
        assert ours.shape == (n, m) and ours.dtype == dtype
        # torchvision's NaN (0 / 0) only where both boxes have zero area; ours is 0 there
        empty = (tv.box_area(boxes1)[:, None] == 0) & (tv.box_area(boxes2)[None, :] == 0)
        assert torch.equal(torch.isnan(ref), empty)
        assert bool((ours[empty] == 0).all())
        torch.testing.assert_close(ours[~empty], ref[~empty], rtol=0, atol=0, msg=f"case {case}")
        assert bool(((ours >= 0) & (ours <= 1)).all())


def test_box_iou_edge_cases():
    a = torch.tensor([[0.0, 0.0, 10.0, 10.0]])
    others = torch.tensor(
        [
            [20.0, 20.0, 30.0, 30.0],  # disjoint
            [10.0, 0.0, 20.0, 10.0],  # touching along an edge
            [10.0, 10.0, 20.0, 20.0],  # touching at a corner
            [2.0, 2.0, 7.0, 7.0],  # contained: 25 / 100
            [0.0, 0.0, 10.0, 10.0],  # identical
            [5.0, 0.0, 15.0, 10.0],  # half overlap: 50 / 150
            [0.0, 0.0, 10.0, 5.0],  # half of it: 50 / 100
        ]
    )
    expected = [0.0, 0.0, 0.0, 0.25, 1.0, 1 / 3, 0.5]
    torch.testing.assert_close(B.box_iou(a, others)[0], torch.tensor(expected))
    torch.testing.assert_close(B.box_iou(a, others), tv.box_iou(a, others))
    # symmetric
    torch.testing.assert_close(B.box_iou(others, a)[:, 0], torch.tensor(expected))


def test_box_iou_zero_area_is_zero_where_torchvision_gives_nan():
    point = torch.tensor([[5.0, 5.0, 5.0, 5.0]])
    line = torch.tensor([[0.0, 5.0, 10.0, 5.0]])
    box = torch.tensor([[0.0, 0.0, 10.0, 10.0]])
    # zero-area vs a real box: 0 / area = 0 in both libraries
    assert B.box_iou(point, box).item() == 0.0 == tv.box_iou(point, box).item()
    assert B.box_iou(line, box).item() == 0.0 == tv.box_iou(line, box).item()
    # two zero-area boxes: union 0 -> torchvision NaN, ours 0 (deliberate; pycocotools also says 0)
    assert torch.isnan(tv.box_iou(point, point)).all()
    assert B.box_iou(point, point).item() == 0.0
    assert B.box_iou(line, point).item() == 0.0
    assert B.iou_single([5, 5, 5, 5], [5, 5, 5, 5]) == 0.0


def test_box_iou_empty_sets():
    boxes = torch.tensor([[0.0, 0.0, 1.0, 1.0]] * 3)
    assert B.box_iou(torch.zeros(0, 4), boxes).shape == (0, 3)
    assert B.box_iou(boxes, torch.zeros(0, 4)).shape == (3, 0)
    assert B.box_iou([], []).shape == (0, 0)
    assert B.box_area(torch.zeros(0, 4)).shape == (0,)
    assert B.box_convert(torch.zeros(0, 4), "xyxy", "cxcywh").shape == (0, 4)
    assert B.clip_boxes(torch.zeros(0, 4), (10, 10)).shape == (0, 4)


def test_box_iou_accepts_numpy_and_lists():
    a = np.array([[0, 0, 10, 10]])
    b = [[5, 0, 15, 10]]
    iou = B.box_iou(a, b)
    assert isinstance(iou, torch.Tensor) and iou.is_floating_point()
    assert iou.item() == pytest.approx(1 / 3)


def test_iou_single_matches_box_iou(gen):
    for _ in range(200):
        a, b = random_boxes(gen, 2, torch.float64, grid=2.0 if _ % 3 == 0 else None)
        assert B.iou_single(a.numpy(), b.tolist()) == pytest.approx(B.box_iou(a[None], b[None]).item(), abs=1e-12)
    assert B.iou_single((0, 0, 2, 2), (1, 1, 3, 3)) == pytest.approx(1 / 7)
    assert B.iou_single(torch.tensor([0, 0, 4, 4]), np.array([0, 0, 4, 4])) == 1.0
    assert B.iou_single([0, 0, 1, 1], [1, 0, 2, 1]) == 0.0  # touching


# --------------------------------------------------------------------------------------------
# nms, batched_nms
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("batched", [False, True], ids=["nms", "batched_nms"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_nms_and_batched_nms_match_torchvision(gen, dtype, batched):
    for case in range(100):
        n = int(torch.randint(0, 80, (1,), generator=gen))
        boxes = random_boxes(gen, n, dtype, size=60.0, max_wh=40.0)
        scores = torch.rand(n, generator=gen, dtype=dtype)
        idxs = torch.randint(0, 4, (n,), generator=gen)
        thr = float(torch.rand(1, generator=gen)) * 0.9 + 0.05
        if batched:
            ours, ref = B.batched_nms(boxes, scores, idxs, thr), tv.batched_nms(boxes, scores, idxs, thr)
        else:
            ours, ref = B.nms(boxes, scores, thr), tv.nms(boxes, scores, thr)
        assert ours.dtype == torch.int64
        assert torch.equal(ours, ref), f"case {case}, thr {thr}"
        assert bool((scores[ours][:-1] >= scores[ours][1:]).all())  # sorted by decreasing score


def test_nms_keeps_best_of_each_cluster_and_uses_strictly_greater():
    boxes = torch.tensor([[0.0, 0, 10, 10], [0, 0, 10, 5], [1, 1, 11, 11], [50, 50, 60, 60]])
    scores = torch.tensor([0.9, 0.8, 0.7, 0.1])
    # IoU(0, 1) = 0.5 exactly: kept at threshold 0.5 (not > 0.5), removed at 0.49
    assert B.nms(boxes, scores, 0.5).tolist() == [0, 1, 3] == tv.nms(boxes, scores, 0.5).tolist()
    assert B.nms(boxes, scores, 0.49).tolist() == [0, 3] == tv.nms(boxes, scores, 0.49).tolist()
    assert B.nms(boxes, scores, 1.0).tolist() == [0, 1, 2, 3]
    assert B.nms(boxes, scores, 0.0).tolist() == [0, 3]


def test_nms_compares_float32_iou_like_torchvision():
    # IoU 40 / 100: as float32 that is 0.4000000059604645 > 0.4, so torchvision's kernel (which
    # compares in double) suppresses the box; in float64 the IoU is 0.4 exactly and it stays.
    boxes = torch.tensor([[0.0, 0, 10, 10], [0, 0, 10, 4]])
    scores = torch.tensor([0.9, 0.8])
    assert B.nms(boxes, scores, 0.4).tolist() == tv.nms(boxes, scores, 0.4).tolist() == [0]
    assert B.nms(boxes.double(), scores.double(), 0.4).tolist() == tv.nms(boxes.double(), scores.double(), 0.4).tolist() == [0, 1]


def test_nms_ties_keep_input_order():
    """Equal scores: ours visits boxes in input order (stable sort), and so does torchvision's CPU
    kernel (its docs leave the order of ties open: on a GPU compare kept sets, not order)."""
    gen = torch.Generator().manual_seed(7)
    for case in range(100):
        n = int(torch.randint(1, 60, (1,), generator=gen))
        boxes = random_boxes(gen, n, size=50.0, max_wh=30.0, grid=5.0)  # IoUs exactly at 0.4 occur
        scores = torch.randint(0, 4, (n,), generator=gen).float() / 4  # many ties
        ours, ref = B.nms(boxes, scores, 0.4), tv.nms(boxes, scores, 0.4)
        assert torch.equal(ours, ref), f"case {case}"
        for a, b in zip(ours[:-1].tolist(), ours[1:].tolist(), strict=True):  # ties ascending by index
            assert scores[a] > scores[b] or (scores[a] == scores[b] and a < b)
    # all scores equal and identical boxes: the first one wins
    same = torch.tensor([[0.0, 0, 10, 10]] * 4)
    assert B.nms(same, torch.ones(4), 0.5).tolist() == [0]


def test_nms_zero_area_and_empty():
    boxes = torch.tensor([[5.0, 5, 5, 5], [5.0, 5, 5, 5], [0, 0, 10, 10]])
    scores = torch.tensor([0.9, 0.8, 0.7])
    # zero-area boxes never suppress anything (IoU 0 here, NaN in torchvision: same decisions)
    assert B.nms(boxes, scores, 0.5).tolist() == tv.nms(boxes, scores, 0.5).tolist() == [0, 1, 2]
    empty = B.nms(torch.zeros(0, 4), torch.zeros(0), 0.5)
    assert empty.dtype == torch.int64 and empty.shape == (0,)
    assert B.batched_nms(torch.zeros(0, 4), torch.zeros(0), torch.zeros(0, dtype=torch.int64), 0.5).shape == (0,)


def test_batched_nms_is_nms_per_class(gen):
    for _ in range(30):
        boxes = random_boxes(gen, 60, size=50.0, max_wh=30.0)
        scores = torch.rand(60, generator=gen)
        idxs = torch.randint(0, 3, (60,), generator=gen)
        kept = B.batched_nms(boxes, scores, idxs, 0.5)
        expected = []
        for c in range(3):
            members = (idxs == c).nonzero()[:, 0]
            expected += members[B.nms(boxes[members], scores[members], 0.5)].tolist()
        assert sorted(kept.tolist()) == sorted(expected)
    # identical boxes of two classes both survive
    two = torch.tensor([[0.0, 0, 10, 10]] * 2)
    assert B.batched_nms(two, torch.tensor([0.9, 0.8]), torch.tensor([0, 1]), 0.5).tolist() == [0, 1]
    assert B.nms(two, torch.tensor([0.9, 0.8]), 0.5).tolist() == [0]


# --------------------------------------------------------------------------------------------
# clip_boxes
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_clip_boxes_matches_torchvision(gen, dtype):
    for _ in range(100):
        boxes = random_boxes(gen, 20, dtype, size=120.0, max_wh=80.0) - 20
        size = (int(torch.randint(1, 100, (1,), generator=gen)), int(torch.randint(1, 100, (1,), generator=gen)))
        torch.testing.assert_close(B.clip_boxes(boxes, size), tv.clip_boxes_to_image(boxes, size), rtol=0, atol=0)
    clipped = B.clip_boxes(torch.tensor([[-5.0, -5, 50, 30], [200, 10, 300, 20]]), (20, 100))  # (height, width)
    assert clipped.tolist() == [[0.0, 0.0, 50.0, 20.0], [100.0, 10.0, 100.0, 20.0]]
    assert B.clip_boxes(torch.tensor([[-5.0, -5, 50, 30]]), torch.Size([20, 100])).tolist() == [[0.0, 0.0, 50.0, 20.0]]


# --------------------------------------------------------------------------------------------
# Korean error messages
# --------------------------------------------------------------------------------------------
def test_errors_shape():
    with pytest.raises(ValueError, match=r"boxes1의 모양은 \[N, 4\].*받은 모양: \(3, 3\)"):
        B.box_iou(torch.zeros(3, 3), torch.zeros(1, 4))
    with pytest.raises(ValueError, match=r"boxes2의 모양은 \[N, 4\].*\(4,\).*reshape\(1, 4\)"):
        B.box_iou(torch.zeros(1, 4), torch.tensor([0.0, 0, 1, 1]))
    with pytest.raises(ValueError, match=r"boxes의 모양은 \[N, 4\]"):
        B.box_area(torch.zeros(2, 4, 1))
    with pytest.raises(ValueError, match=r"box_a은\(는\) 좌표 4개"):
        B.iou_single([0, 0, 1], [0, 0, 1, 1])


def test_errors_invalid_corners_name_the_index():
    boxes = torch.tensor([[0.0, 0, 1, 1], [0.0, 0, 1, 1], [5.0, 0, 1, 1]])
    with pytest.raises(ValueError, match=r"boxes1\[2\] = \[5\.0, 0\.0, 1\.0, 1\.0\].*x2 >= x1"):
        B.box_iou(boxes, boxes[:1])
    with pytest.raises(ValueError, match=r"boxes\[0\].*y2 >= y1"):
        B.nms(torch.tensor([[0.0, 5, 1, 1]]), torch.ones(1), 0.5)
    with pytest.raises(ValueError, match=r"boxes\[1\].*너비/높이가 음수.*xywh"):
        B.box_convert(torch.tensor([[0.0, 0, 1, 1], [0.0, 0, -1, 1]]), "xywh", "xyxy")
    with pytest.raises(ValueError, match=r"box_b\[0\].*x2 >= x1"):
        B.iou_single([0, 0, 1, 1], [3, 0, 1, 1])


def test_errors_nan_and_types():
    with pytest.raises(ValueError, match=r"boxes\[1\]에 NaN 또는 무한대"):
        B.box_area(torch.tensor([[0.0, 0, 1, 1], [0.0, float("nan"), 1, 1]]))
    with pytest.raises(ValueError, match=r"boxes2\[0\]에 NaN"):
        B.box_iou(torch.zeros(1, 4), torch.tensor([[0.0, 0, float("inf"), 1]]))
    with pytest.raises(ValueError, match=r"scores\[1\]가 NaN"):
        B.nms(torch.zeros(2, 4), torch.tensor([0.5, float("nan")]), 0.5)
    with pytest.raises(TypeError, match=r"boxes은\(는\) torch.Tensor.*str"):
        B.box_area("0 0 1 1")
    with pytest.raises(TypeError, match=r"boxes을\(를\) 텐서로 바꿀 수 없습니다"):
        B.box_area([[0, 0, 1, 1], [0, 0]])
    with pytest.raises(TypeError, match=r"dtype은 실수 또는 정수"):
        B.box_area(torch.ones(1, 4, dtype=torch.bool))


def test_errors_formats_scores_thresholds_and_sizes():
    boxes = torch.tensor([[0.0, 0, 1, 1]])
    with pytest.raises(ValueError, match=r"out_fmt='yolo'.*'xyxy', 'xywh', 'cxcywh'"):
        B.box_convert(boxes, "xyxy", "yolo")
    with pytest.raises(ValueError, match=r"in_fmt='XYXY'"):
        B.box_convert(boxes, "XYXY", "xywh")
    with pytest.raises(ValueError, match=r"scores의 모양은 \[N\] = \[1\].*\(2,\)"):
        B.nms(boxes, torch.ones(2), 0.5)
    with pytest.raises(ValueError, match=r"iou_threshold은\(는\) 0 이상 1 이하의 유한한 실수.*1.5"):
        B.nms(boxes, torch.ones(1), 1.5)
    with pytest.raises(TypeError, match=r"iou_threshold은\(는\) 실수여야.*'0.5'"):
        B.nms(boxes, torch.ones(1), "0.5")
    with pytest.raises(ValueError, match=r"idxs의 모양은 \[N\] = \[1\]"):
        B.batched_nms(boxes, torch.ones(1), torch.zeros(3, dtype=torch.int64), 0.5)
    with pytest.raises(TypeError, match=r"idxs는 정수.*float32.*\.long\(\)"):
        B.batched_nms(boxes, torch.ones(1), torch.zeros(1), 0.5)
    with pytest.raises(ValueError, match=r"size는 \(높이, 너비\)"):
        B.clip_boxes(boxes, 10)
    with pytest.raises(ValueError, match=r"size의 높이와 너비는 0 이상"):
        B.clip_boxes(boxes, (-1, 10))
