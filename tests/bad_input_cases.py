"""The registry of bad inputs given to the public helpers, and the Korean message each must raise.

One :class:`Case` per bad input: the public function, the category (issue 15's list), what is
wrong, the exception type and a regular expression the message must match. ``tests/test_bad_inputs.py``
runs every case; ``python -m tests.bad_input_table`` writes ``docs/bad_inputs.md`` from this list
(and a test checks that the file is up to date). Inputs handled by a documented rule rather than
refused (with a warning where data changes) are in ``tests/test_bad_inputs.py`` as ordinary tests
and listed in ``RULES`` below, so that the table shows them too.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from helpers import annotations, boxes, cam, environment, metrics, shapes, training
from helpers import average_precision as ap
from helpers.download import ArchiveError
from helpers.simulated_detections import simulate_detections

NAN, INF = float("nan"), float("inf")


@dataclass(frozen=True)
class Case:
    function: str  # public name, module.function
    category: str
    what: str  # the bad input, in a few words
    call: Callable[[Path], object]  # gets a fresh temporary folder
    exception: type
    match: str  # regular expression (Korean message)


# ── small models and files used by the cases ─────────────────────────────────────────────────
def _gap_net(in_channels=3):
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(in_channels, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.Linear(4, 3)).eval()


def _gradcam():
    m = _gap_net()
    return cam.GradCAM(m, m[1])


def _cam():
    m = _gap_net()
    return cam.CAM(m, m[1], m[4])


def _loader(x, y, batch_size=4):
    return torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=batch_size)


def _voc_text(xmin=10, width=100, height=100, difficult=0, name="cat", declaration=""):
    return (f"{declaration}<annotation><filename>a.jpg</filename><size><width>{width}</width>"
            f"<height>{height}</height><depth>3</depth></size><object><name>{name}</name>"
            f"<difficult>{difficult}</difficult><bndbox><xmin>{xmin}</xmin><ymin>10</ymin><xmax>50</xmax>"
            "<ymax>50</ymax></bndbox></object></annotation>")


def _write(tmp: Path, name: str, data: str | bytes) -> Path:
    path = tmp / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def _coco(image=None, ann=None, categories=None) -> dict:
    return {
        "images": [{"id": 1, "file_name": "a.jpg", "width": 100, "height": 100, **(image or {})}],
        "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [10, 10, 20, 20], "area": 400,
                         "iscrowd": 0, **(ann or {})}],
        "categories": categories or [{"id": 1, "name": "cat"}],
    }


def _coco_file(tmp: Path, **kwargs) -> Path:
    return _write(tmp, "gt.json", json.dumps(_coco(**kwargs)))


def _read_coco(**kwargs):
    return lambda tmp: annotations.read_coco(_coco_file(tmp, **kwargs))


def _setenv_offline(value):
    def call(tmp):
        import os

        old = os.environ.get(environment.OFFLINE_ENV)
        os.environ[environment.OFFLINE_ENV] = value
        try:
            return environment.offline()
        finally:
            if old is None:
                del os.environ[environment.OFFLINE_ENV]
            else:
                os.environ[environment.OFFLINE_ENV] = old

    return call


def _extract_cut_archive(tmp: Path) -> object:
    import gzip

    from helpers.download import extract_archive

    return extract_archive(_write(tmp, "cut.tar.gz", gzip.compress(bytes(10_000))[:20]), tmp / "out")


def _data_call(name: str, *args: object, **kwargs: object) -> Callable[[Path], object]:
    def call(tmp: Path) -> object:
        from helpers import data

        return getattr(data, name)(*args, **kwargs)

    return call


GT = {"boxes": [[0, 0, 10, 10]], "labels": [0]}
PRED = {"boxes": [[0, 0, 10, 10]], "scores": [0.9], "labels": [0]}
SIM_GT = {"boxes": [[0, 0, 10, 10]], "labels": [1]}
REC = {"file_name": "a.jpg", "width": 100, "height": 100, "boxes": [[0, 0, 10, 10]], "labels": ["cat"]}
X4 = torch.randn(8, 3, 8, 8)
Y4 = torch.randint(0, 3, (8,))

CASES: list[Case] = [
    # ── NaN / inf where a finite number is required ────────────────────────────────────────
    Case("cam.GradCAM.__call__", "NaN/inf", "NaN in images", lambda t: _gradcam()(torch.full((1, 3, 8, 8), NAN)),
         ValueError, r"images에 NaN 또는 무한대 값이 있습니다"),
    Case("cam.CAM.__call__", "NaN/inf", "inf in images", lambda t: _cam()(torch.full((1, 3, 8, 8), INF)),
         ValueError, r"images에 NaN 또는 무한대 값이 있습니다"),
    Case("cam.normalize_maps", "NaN/inf", "NaN in maps", lambda t: cam.normalize_maps(torch.tensor([[[NAN, 1.0]]])),
         ValueError, r"maps에 NaN 또는 무한대"),
    Case("cam.normalize_maps", "NaN/inf", "eps = inf", lambda t: cam.normalize_maps(torch.rand(1, 2, 2), eps=INF),
         ValueError, r"eps은\(는\) 0 이상의 유한한 실수"),
    Case("cam.upsample", "NaN/inf", "inf in maps", lambda t: cam.upsample(torch.full((1, 2, 2), INF), (4, 4)),
         ValueError, r"maps에 NaN 또는 무한대"),
    Case("cam.gradcam_weights", "NaN/inf", "NaN gradients", lambda t: cam.gradcam_weights(torch.full((1, 2, 2, 2), NAN)),
         ValueError, r"gradients에 NaN 또는 무한대"),
    Case("cam.weighted_sum", "NaN/inf", "NaN weights",
         lambda t: cam.weighted_sum(torch.rand(1, 2, 2, 2), torch.tensor([[NAN, 1.0]])), ValueError, r"weights에 NaN"),
    Case("cam.cam_from_fc", "NaN/inf", "NaN in fc_weight",
         lambda t: cam.cam_from_fc(torch.rand(1, 2, 2, 2), torch.full((3, 2), NAN), 0), ValueError, r"fc_weight에 NaN"),
    Case("boxes.clip_boxes", "NaN/inf", "image size NaN", lambda t: boxes.clip_boxes([[0, 0, 5, 5]], (NAN, 10)),
         ValueError, r"size의 높이와 너비는 유한한 수"),
    Case("boxes.clip_boxes", "NaN/inf", "image size inf", lambda t: boxes.clip_boxes([[0, 0, 5, 5]], (10, INF)),
         ValueError, r"size의 높이와 너비는 유한한 수"),
    Case("boxes.box_iou", "NaN/inf", "NaN in a box", lambda t: boxes.box_iou([[0, 0, NAN, 1]], [[0, 0, 1, 1]]),
         ValueError, r"boxes1\[0\]에 NaN 또는 무한대"),
    Case("boxes.nms", "NaN/inf", "NaN score", lambda t: boxes.nms([[0, 0, 1, 1]], torch.tensor([NAN]), 0.5),
         ValueError, r"scores\[0\]가 NaN 또는 무한대"),
    Case("average_precision.evaluate_detections", "NaN/inf", "NaN score",
         lambda t: ap.evaluate_detections([GT], [dict(PRED, scores=[NAN])]), ValueError, r"preds\[0\]\['scores'\]\[0\] = nan"),
    Case("average_precision.evaluate_detections", "NaN/inf", "inf in a GT box",
         lambda t: ap.evaluate_detections([dict(GT, boxes=[[0, 0, INF, 1]])], [PRED]), ValueError, r"gts\[0\]\['boxes'\]\[0\]에 NaN"),
    Case("average_precision.evaluate_detections", "NaN/inf", "NaN area",
         lambda t: ap.evaluate_detections([dict(GT, areas=[NAN])], [PRED]), ValueError, r"넓이는 0 이상의 유한한 실수"),
    Case("average_precision.evaluate_voc", "NaN/inf", "inf score",
         lambda t: ap.evaluate_voc([GT], [dict(PRED, scores=[INF])]), ValueError, r"점수는 유한한 실수"),
    Case("average_precision.precision_envelope", "NaN/inf", "NaN precision",
         lambda t: ap.precision_envelope([1.0, NAN]), ValueError, r"precision에 NaN"),
    Case("average_precision.ap_all_points", "NaN/inf", "NaN recall",
         lambda t: ap.ap_all_points([NAN], [1.0]), ValueError, r"recall 또는 precision에 NaN"),
    Case("metrics.precision_recall_curve", "NaN/inf", "NaN score",
         lambda t: metrics.precision_recall_curve([0, 1], [0.5, NAN]), ValueError, r"scores: NaN 또는 inf"),
    Case("shapes.size_category", "NaN/inf", "NaN box", lambda t: shapes.size_category(np.array([[0, 0, NAN, 4.0]])),
         ValueError, r"boxes\[0\]에 NaN"),
    Case("simulated_detections.simulate_detections", "NaN/inf", "miss_rate NaN",
         lambda t: simulate_detections([SIM_GT], image_size=32, miss_rate=NAN), ValueError, r"miss_rate은\(는\) 0 이상"),
    # ── shapes that would broadcast silently ─────────────────────────────────────────────────
    Case("cam.mass_inside_box", "shape", "2 boxes for 3 maps",
         lambda t: cam.mass_inside_box(torch.rand(3, 4, 4), torch.tensor([[0, 0, 2, 2]] * 2)), ValueError, r"\(3, 4\) 모양"),
    Case("cam.weighted_sum", "shape", "weights (1, K) for N = 2",
         lambda t: cam.weighted_sum(torch.rand(2, 3, 2, 2), torch.rand(1, 3)), ValueError, r"weights의 모양은 \(N, K\)"),
    Case("average_precision.precision_recall", "shape", "fp shape != tp shape",
         lambda t: ap.precision_recall([[True, False]], [0.5, 0.4], 2, fp=[False, True]), ValueError, r"fp의 모양"),
    Case("average_precision.match_detections", "shape", "gt_iscrowd of wrong length",
         lambda t: ap.match_detections([[0, 0, 1, 1]], [0.5], [[0, 0, 1, 1]], gt_iscrowd=[0, 1]), ValueError,
         r"gt_iscrowd는 GT마다 True/False 하나인 \[G\] = \[1\]"),
    Case("average_precision.evaluate_detections", "shape", "areas of wrong length",
         lambda t: ap.evaluate_detections([dict(GT, areas=[1.0, 2.0])], [PRED]), ValueError, r"areas'\]는 객체마다 넓이"),
    Case("metrics.confusion_matrix", "shape", "y_pred shorter than y_true",
         lambda t: metrics.confusion_matrix([0, 1, 1], [0, 1]), ValueError, r"y_true와 y_pred의 길이가 다릅니다"),
    Case("training.evaluate", "shape", "MSELoss output (N, 1) vs y (N,)",
         lambda t: training.evaluate(nn.Linear(3, 1), _loader(torch.randn(8, 3), torch.randn(8)), nn.MSELoss()),
         ValueError, r"MSELoss의 모델 출력 모양 \(4, 1\)과 정답 y의 모양 \(4,\)이 다릅니다"),
    Case("training.evaluate", "shape", "BCEWithLogitsLoss output (N, 1) vs y (N,)",
         lambda t: training.evaluate(nn.Linear(3, 1), _loader(torch.randn(8, 3), torch.rand(8)), nn.BCEWithLogitsLoss()),
         ValueError, r"BCEWithLogitsLoss의 모델 출력 모양 \(4, 1\)과 정답 y의 모양 \(4,\)이 다릅니다"),
    # ── counts that contradict the data ───────────────────────────────────────────────────────
    Case("average_precision.precision_recall", "count", "num_gt smaller than the TPs",
         lambda t: ap.precision_recall([True, True, True], [0.9, 0.8, 0.7], num_gt=2), ValueError,
         r"TP가 3개인데 num_gt\(정답 객체 수\)는 2"),
    Case("metrics.confusion_matrix", "count", "num_classes below the largest label",
         lambda t: metrics.confusion_matrix([0, 5], [0, 1], num_classes=3), ValueError, r"num_classes=3"),
    Case("simulated_detections.simulate_detections", "count", "num_classes below the largest label",
         lambda t: simulate_detections([{"boxes": [[0, 0, 5, 5]], "labels": [4]}], image_size=32, num_classes=2),
         ValueError, r"num_classes은\(는\) 4 이상의 정수.*가장 큰 레이블이 4"),
    # ── types coerced silently ────────────────────────────────────────────────────────────────
    Case("average_precision.evaluate_detections", "type", "class label 0.5",
         lambda t: ap.evaluate_detections([GT], [dict(PRED, labels=[0.5])]), TypeError, r"정수 클래스 번호"),
    Case("average_precision.evaluate_detections", "type", "iscrowd 'yes'",
         lambda t: ap.evaluate_detections([dict(GT, iscrowd=["yes"])], [PRED]), ValueError, r"iscrowd'\]는 GT마다 True/False"),
    Case("average_precision.evaluate_detections", "type", "names in gts, ids in preds",
         lambda t: ap.evaluate_detections([dict(GT, labels=["cat"])], [PRED]), TypeError, r"클래스 이름\(문자열\)인데"),
    Case("average_precision.evaluate_detections", "type", "labels mixing names and ids",
         lambda t: ap.evaluate_detections([dict(GT, labels=["cat", 1], boxes=[[0, 0, 1, 1]] * 2)], [PRED]), TypeError,
         r"클래스 이름\(문자열\)과 번호가 섞여"),
    Case("average_precision.evaluate_voc", "type", "difficult 'yes'",
         lambda t: ap.evaluate_voc([dict(GT, difficult=["yes"])], [PRED]), ValueError, r"difficult'\]는 GT마다 True/False"),
    Case("average_precision.match_detections", "type", "iou_threshold '0.5' (a string)",
         lambda t: ap.match_detections([[0, 0, 1, 1]], [0.5], [[0, 0, 1, 1]], "0.5"), TypeError,
         r"iou_threshold은\(는\) 0과 1 사이의 실수"),
    Case("metrics.accuracy", "type", "class label 1.5", lambda t: metrics.accuracy([0, 1.5], [0, 1]), ValueError,
         r"클래스 번호는 정수여야"),
    Case("cam.GradCAM.__call__", "type", "target class 1.0 (float)",
         lambda t: _gradcam()(torch.rand(1, 3, 8, 8), torch.tensor([1.0])), TypeError, r"정수 클래스 번호"),
    Case("boxes.batched_nms", "type", "float class ids", lambda t: boxes.batched_nms([[0, 0, 1, 1]], [0.5], torch.tensor([1.5]), 0.5),
         TypeError, r"idxs는 정수"),
    Case("simulated_detections.simulate_detections", "type", "class label 1.5",
         lambda t: simulate_detections([{"boxes": [[0, 0, 5, 5]], "labels": [1.5]}], image_size=32), ValueError,
         r"1 이상의 정수 클래스 번호"),
    Case("data.load_mnist", "type", "n = 2.0 (a float)", _data_call("load_mnist", n=2.0), TypeError,
         r"n은\(는\) 정수여야 합니다 \(받은 값: 2.0"),
    Case("data.make_loader", "type", "batch_size = 32.0 (a float)",
         _data_call("make_loader", torch.utils.data.TensorDataset(X4), batch_size=32.0), TypeError,
         r"batch_size은\(는\) 정수여야"),
    # ── thresholds outside [0, 1] ───────────────────────────────────────────────────────────────
    Case("boxes.nms", "threshold", "iou_threshold 1.5", lambda t: boxes.nms([[0, 0, 1, 1]], [0.5], 1.5), ValueError,
         r"iou_threshold은\(는\) 0 이상 1 이하"),
    Case("average_precision.evaluate_detections", "threshold", "iou_thresholds with 50 (percent)",
         lambda t: ap.evaluate_detections([GT], [PRED], iou_thresholds=[50]), ValueError, r"iou_thresholds은\(는\) 0과 1 사이"),
    Case("average_precision.evaluate_voc", "threshold", "iou_threshold -0.1",
         lambda t: ap.evaluate_voc([GT], [PRED], iou_threshold=-0.1), ValueError, r"iou_threshold은\(는\) 0과 1 사이"),
    Case("average_precision.interpolated_precision", "threshold", "recall level 1.01",
         lambda t: ap.interpolated_precision([0.5], [1.0], [0.0, 1.01]), ValueError, r"recall_thresholds은\(는\) 0과 1 사이"),
    Case("metrics.threshold_for_recall", "threshold", "min_recall 95 (percent)",
         lambda t: metrics.threshold_for_recall([0, 1], [0.2, 0.8], 95), ValueError, r"min_recall은\(는\) 0 이상 1 이하"),
    Case("simulated_detections.simulate_detections", "threshold", "duplicate_rate 1.2",
         lambda t: simulate_detections([SIM_GT], image_size=32, duplicate_rate=1.2), ValueError,
         r"duplicate_rate은\(는\) 0 이상 1 이하"),
    # ── loss settings that change what "mean loss" means ─────────────────────────────────────
    Case("training.evaluate", "loss", "loss_fn returning one loss per sample (plain function)",
         lambda t: training.evaluate(_gap_net(), _loader(X4, Y4),
                                     lambda out, y: nn.functional.cross_entropy(out, y, reduction="none")),
         ValueError, r"loss_fn이 스칼라\(배치 평균 손실 하나\)가 아닌 값"),
    # ── files as people save them ─────────────────────────────────────────────────────────────
    Case("annotations.read_coco", "file", "width null", _read_coco(image={"width": None}), annotations.AnnotationError,
         r"gt.json': images\[0\] \(id=1\)의 width=None은\(는\) 양의 정수"),
    Case("annotations.read_coco", "file", "width '640' (a string)", _read_coco(image={"width": "640"}),
         annotations.AnnotationError, r"width='640'은\(는\) 양의 정수"),
    Case("annotations.read_coco", "file", "width 0", _read_coco(image={"width": 0}), annotations.AnnotationError,
         r"width=0은\(는\) 양의 정수"),
    Case("annotations.read_coco", "file", "area '400' (a string)", _read_coco(ann={"area": "400"}),
         annotations.AnnotationError, r"annotations\[0\] \(id=1\)의 area='400'은\(는\) 0 이상의 숫자"),
    Case("annotations.read_coco", "file", "iscrowd 'yes'", _read_coco(ann={"iscrowd": "yes"}),
         annotations.AnnotationError, r"iscrowd='yes'은\(는\) 0 또는 1"),
    Case("annotations.read_coco", "file", "two categories with one name",
         _read_coco(categories=[{"id": 1, "name": "cat"}, {"id": 2, "name": "cat"}]), annotations.AnnotationError,
         r"categories\[1\] \(id=2\)의 name='cat'이\(가\) id=1의 이름과 같습니다"),
    Case("annotations.read_coco", "file", "image id a list", _read_coco(image={"id": [1]}), annotations.AnnotationError,
         r"images\[0\]의 id=\[1\]은\(는\) 정수"),
    Case("annotations.read_coco", "file", "not UTF-8 (cp949)",
         lambda t: annotations.read_coco(_write(t, "gt.json", json.dumps(_coco(categories=[{"id": 1, "name": "고양이"}]),
                                                                           ensure_ascii=False).encode("cp949"))),
         annotations.AnnotationError, r"UTF-8이 아닙니다"),
    Case("annotations.read_voc", "file", "`<width>` 0", lambda t: annotations.read_voc(_write(t, "a.xml", _voc_text(width=0))),
         annotations.AnnotationError, r"a.xml' \(1번째 줄\): <size>의 <width> 값 0은\(는\) 양의 정수"),
    Case("annotations.read_voc", "file", "`<difficult>` 2",
         lambda t: annotations.read_voc(_write(t, "a.xml", _voc_text(difficult=2))), annotations.AnnotationError,
         r"<difficult> 값 2은\(는\) 0 또는 1"),
    Case("annotations.read_voc", "file", "declared encoding unknown",
         lambda t: annotations.read_voc(_write(t, "a.xml", _voc_text(declaration='<?xml version="1.0" encoding="klingon"?>'))),
         annotations.AnnotationError, r"encoding=\"klingon\"은\(는\) 알 수 없는 인코딩"),
    Case("annotations.read_voc", "file", "cp949 bytes without a declaration",
         lambda t: annotations.read_voc(_write(t, "a.xml", _voc_text(name="고양이").encode("cp949"))),
         annotations.AnnotationError, r"UTF-8이 아닌 인코딩\(예: Windows의 ANSI = cp949/euc-kr\)"),
    Case("annotations.read_voc", "file", "declared euc-kr, bytes not euc-kr",
         lambda t: annotations.read_voc(_write(t, "a.xml", b'<?xml version="1.0" encoding="euc-kr"?>\n<annotation>\xff\xff</annotation>')),
         annotations.AnnotationError, r"encoding=\"euc-kr\"인데 그 인코딩으로 읽을 수 없는"),
    Case("annotations.read_kitti", "file", "not UTF-8",
         lambda t: annotations.read_kitti(_write(t, "0.txt", "고양이 0 0 0 1 1 5 5 0 0 0 0 0 0 0".encode("cp949"))),
         annotations.AnnotationError, r"KITTI 파일 .*UTF-8이 아닙니다"),
    Case("annotations.write_coco", "file", "record areas NaN (would be written as invalid JSON NaN)",
         lambda t: annotations.write_coco([dict(REC, areas=[NAN])], t / "gt.json"), ValueError,
         r"records\[0\]\['areas'\]\[0\] = nan: areas는 0 이상의 유한한 실수"),
    Case("annotations.write_coco", "file", "record iscrowd 'yes'",
         lambda t: annotations.write_coco([dict(REC, iscrowd=["yes"])], t / "gt.json"), ValueError,
         r"records\[0\]\['iscrowd'\]\[0\] = 'yes': iscrowd는 0 또는 1"),
    Case("annotations.write_voc", "file", "record difficult 2",
         lambda t: annotations.write_voc([dict(REC, difficult=[2])], t), ValueError, r"difficult는 True/False"),
    Case("annotations.write_kitti", "file", "record scores NaN",
         lambda t: annotations.write_kitti([dict(REC, scores=[NAN])], t), ValueError, r"scores는 유한한 실수"),
    Case("download.extract_archive", "file", "archive cut short (.tar.gz)", _extract_cut_archive, ArchiveError,
         r"압축 파일 'cut.tar.gz'을\(를\) 풀 수 없습니다: 파일이 손상되었거나 중간에 잘렸습니다"),
    # ── edge shapes ───────────────────────────────────────────────────────────────────────────
    Case("cam.GradCAM.__call__", "edge shape", "1-channel image, 3-channel model",
         lambda t: _gradcam()(torch.rand(2, 1, 8, 8)), RuntimeError,
         r"첫 합성곱 층은 채널 3개를 받는데 x는 1채널.*x.repeat\(1, 3, 1, 1\)"),
    Case("cam.CAM.__call__", "edge shape", "1-channel image, 3-channel model",
         lambda t: _cam()(torch.rand(2, 1, 8, 8)), RuntimeError, r"첫 합성곱 층은 채널 3개를 받는데 x는 1채널"),
    Case("training.evaluate", "edge shape", "1-channel images, 3-channel model",
         lambda t: training.evaluate(_gap_net(), _loader(torch.rand(8, 1, 8, 8), Y4)), RuntimeError,
         r"첫 합성곱 층은 채널 3개를 받는데 x는 1채널"),
    # ── environment variables ─────────────────────────────────────────────────────────────────
    Case("environment.offline", "environment", "COURSE_OFFLINE='ture' (a typo)", _setenv_offline("ture"), ValueError,
         r"환경 변수 COURSE_OFFLINE='ture' 는 알 수 없는 값"),
]

# Inputs handled by a documented rule instead of an error (tested in tests/test_bad_inputs.py).
RULES: list[tuple[str, str, str]] = [
    ("annotations.read_voc / read_coco / read_kitti", "UTF-8 byte-order mark (Windows Notepad)", "skipped"),
    ("annotations.read_voc", "XML declared in euc-kr (or another codec expat lacks)", "decoded with Python's codec"),
    ("annotations.read_voc", "`<xmin>`/`<ymin>` 0 (VOC is 1-based)", "read as 1, AnnotationWarning"),
    ("annotations.read_voc / read_coco / read_kitti", "box outside the image", "kept, AnnotationWarning"),
    ("annotations.read_voc / read_coco / read_kitti", "box of width or height 0", "kept, AnnotationWarning"),
    ("annotations.read_coco", "area / iscrowd missing or null", "box area / 0"),
    ("average_precision.evaluate_detections", "iscrowd and areas from read_coco", "used as COCOeval does"),
    ("average_precision.evaluate_detections", "VOC difficult flags", "not used (COCO protocol), UserWarning"),
    ("training.evaluate", "loss with reduction='sum' or 'none'", "turned into the data-set mean"),
    ("training.evaluate", "CrossEntropyLoss(ignore_index=...)", "ignored labels left out of loss and accuracy"),
    ("cam.CAM.__call__ / cam.GradCAM.__call__", "empty batch (N = 0)", "Tensor[0, H, W]"),
    ("environment.offline (data, pretrained)", "COURSE_OFFLINE=true / yes / on (any case)", "offline"),
]
