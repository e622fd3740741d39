"""Dataset facts: every number has a source, the numbers agree with each other and with the data."""
from __future__ import annotations

import re
import unicodedata

import pytest

from helpers import dataset_facts as F

COUNT_FIELDS = [f for f in F.FIELD_LABELS if f.endswith(("_images", "_objects", "_classes"))]


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def test_every_fact_has_a_source_and_what_it_says():
    for name, entry in F.DATASETS.items():
        for field, fact in entry.items():
            assert isinstance(fact, F.Fact), (name, field)
            assert fact.source.strip() and fact.says.strip(), (name, field)
            assert re.search(r"https?://|IJCV|NeurIPS|ECCV|torchvision", fact.source), (name, field)
            if fact.seed_says is not None:
                assert fact.note, f"{name}.{field}: a seed difference needs a Korean note"


def test_counts_are_positive_integers():
    for name, entry in F.DATASETS.items():
        for field in COUNT_FIELDS:
            if field in entry:
                value = entry[field].value
                assert isinstance(value, int) and not isinstance(value, bool) and value > 0, (name, field)


def _v(name: str, *fields: str):
    values = tuple(F.value(name, f) for f in fields)
    return values[0] if len(values) == 1 else values


def test_classification_datasets_add_up():
    train, test, total = _v("mnist", "train_images", "test_images", "total_images")
    assert train + test == total == 70_000
    train, test, total = _v("cifar10", "train_images", "test_images", "total_images")
    assert train + test == total == _v("cifar10", "images_per_class") * _v("cifar10", "num_classes") == 60_000
    assert (_v("mnist", "num_classes"), _v("cifar10", "num_classes")) == (10, 10)
    assert _v("imagenet", "train_images", "val_images", "test_images", "num_classes") == (
        1_281_167, 50_000, 100_000, 1_000)


def test_detection_datasets_add_up():
    trainval, test, total = _v("voc2007", "trainval_images", "test_images", "total_images")
    assert trainval + test == total == 9_963
    assert _v("voc2007", "total_objects") == 24_640
    assert _v("voc2012", "trainval_images", "trainval_objects") == (11_540, 27_450)
    assert _v("voc2007", "num_classes") == _v("voc2012", "num_classes") == 20
    assert _v("coco", "train_images", "val_images", "num_classes", "paper_categories") == (118_287, 5_000, 80, 91)
    train, test, total = _v("kitti", "train_images", "test_images", "total_images")
    assert train + test == total == 14_999
    assert _v("kitti", "total_objects") == 80_256
    assert set(F.value("kitti", "evaluated_classes")) <= set(F.value("kitti", "class_names"))


def test_class_name_lists_match_class_counts():
    for name, entry in F.DATASETS.items():
        names = entry["class_names"].value if "class_names" in entry else None  # COCO's 80 are too long
        if isinstance(names, list):
            assert len(names) == len(set(names)) == entry["num_classes"].value, name


def test_facts_agree_with_the_course_data(monkeypatch, tmp_path):
    from helpers import data

    monkeypatch.setenv(data.OFFLINE_ENV, "1")
    monkeypatch.setenv(data.DATA_DIR_ENV, str(tmp_path))
    assert len(data.imagenet_class_names()) == F.value("imagenet", "num_classes")
    mnist = data.load_mnist("test", n=10, verbose=False)
    assert tuple(mnist.data.shape[1:]) == (F.value("mnist", "channels"), *F.value("mnist", "image_hw"))
    assert mnist.classes == F.value("mnist", "class_names")
    standin = data.load_cifar10("test", n=10, verbose=False)
    assert tuple(standin.data.shape[1:]) == (F.value("cifar10", "channels"), *F.value("cifar10", "image_hw"))


def test_seed_corrections_cover_the_known_loose_numbers():
    rows = {(r["name"], r["field"]): r for r in F.seed_corrections()}
    assert rows[("coco", "num_classes")]["seed_says"] == "91개" and rows[("coco", "num_classes")]["value"] == 80
    assert "1248x384" in rows[("kitti", "image_size")]["seed_says"]
    assert "469x387" in rows[("imagenet", "image_size")]["seed_says"]
    assert "33만" in rows[("coco", "all_images")]["seed_says"]
    assert all(r["note"] for r in rows.values())
    assert {r["name"] for r in F.seed_corrections("coco")} == {"coco"}


def test_facts_table_prints_an_aligned_table(capsys):
    text = F.facts_table()
    assert capsys.readouterr().out.rstrip("\n") == text
    lines = text.splitlines()
    assert lines[0].startswith("데이터셋") and "클래스 수" in lines[0]
    assert len(lines) == 2 + len(F.NAMES)
    assert "1,281,167" in text and "118,287" in text and "80,256" in text
    # Every "|" sits at the same display column on every line (Korean characters are two wide).
    columns = {tuple(_display_width(line[:i]) for i, ch in enumerate(line) if ch == "|")
               for line in lines if "|" in line}
    assert len(columns) == 1
    quiet = F.facts_table(["mnist", "cifar10"], fields=["title", "train_images", "test_images"], show=False)
    assert capsys.readouterr().out == ""
    assert quiet.splitlines()[2].split("|")[1].strip() == "60,000"
    assert "검증 이미지" not in quiet  # a column empty for every selected dataset is dropped


def test_rows_names_and_aliases():
    rows = F.facts_rows(["voc"], fields=["num_classes", "trainval_images"])
    assert [r["name"] for r in rows] == ["voc2007", "voc2012"]
    assert rows[1] == {"name": "voc2012", "num_classes": 20, "trainval_images": 11_540}
    assert F.facts_rows("COCO-2017", fields=["val_images"]) == [{"name": "coco", "val_images": 5_000}]
    assert F.facts("ILSVRC2012")["num_classes"].value == 1_000
    assert F.facts_rows(["mnist"], fields=["val_images"]) == [{"name": "mnist", "val_images": None}]
    assert {r["field"] for r in F.sources("kitti")} == set(F.DATASETS["kitti"])


def test_errors_name_what_is_valid():
    with pytest.raises(ValueError, match="알 수 없는 데이터셋 이름 'svhn' 입니다. 쓸 수 있는 이름: mnist, cifar10"):
        F.facts("svhn")
    with pytest.raises(ValueError, match="데이터셋 하나의 이름"):
        F.facts("voc")
    with pytest.raises(ValueError, match="알 수 없는 항목 \\['colour'\\]"):
        F.facts_rows(fields=["colour"])
    with pytest.raises(ValueError, match="'mnist'에는 'val_images' 항목이 없습니다"):
        F.value("mnist", "val_images")
    with pytest.raises(TypeError, match="names는 데이터셋 이름"):
        F.facts_rows(5)
