"""Facts about the datasets the course talks about, each number with its source.

MNIST, CIFAR-10, ImageNet (ILSVRC-2012), Pascal VOC 2007 / 2012, COCO 2017 (detection) and
KITTI (2D object detection). Every value is a :class:`Fact` holding the value, where it comes
from (a paper or official page), what exactly that source says, and, where the course's seed notes
gave a different or looser number, what the notes said and why the value here differs.

Use :func:`facts_table` in a notebook for a comparison table, :func:`facts` for one dataset, and
:func:`seed_corrections` for the list of numbers the notes got wrong.
"""
from __future__ import annotations

import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TextIO, TypeAlias

# ``names`` arguments: one dataset name, several, or None for all of them
_Names: TypeAlias = str | Sequence[str] | None


@dataclass(frozen=True)
class Fact:
    """One value with its provenance.

    value: the number (int), text or list of names.
    source: citation or URL it comes from.
    says: what exactly the source says (quoted where possible), or how the value is derived.
    seed_says: what the course's seed notes said, only where they differ or are loose.
    note: Korean explanation (of the difference from the notes, or of a caveat), for students.
    """

    value: object
    source: str
    says: str
    seed_says: str | None = None
    note: str | None = None


# ── sources ────────────────────────────────────────────────────────────────────────────────────
MNIST_PAGE = "LeCun, Cortes & Burges, THE MNIST DATABASE of handwritten digits, http://yann.lecun.com/exdb/mnist/"
CIFAR_PAGE = "Krizhevsky, The CIFAR-10 dataset, https://www.cs.toronto.edu/~kriz/cifar.html"
ILSVRC_PAPER = ("Russakovsky et al., ImageNet Large Scale Visual Recognition Challenge, IJCV 115 (2015), "
                "Table 2 (ILSVRC2012-2014 classification); https://www.image-net.org/challenges/LSVRC/2012/")
ALEXNET_PAPER = ("Krizhevsky, Sutskever & Hinton, ImageNet Classification with Deep Convolutional Neural "
                 "Networks, NeurIPS 2012, Section 2 (The Dataset)")
TORCHVISION_WEIGHTS = "torchvision.models.ResNet18_Weights.IMAGENET1K_V1 (.meta['categories'], .transforms())"
VOC2007_DEVKIT = ("Everingham & Winn, The PASCAL VOC2007 Development Kit, Section 2 and Table 1; "
                  "http://host.robots.ox.ac.uk/pascal/VOC/voc2007/")
VOC2012_DEVKIT = ("Everingham & Winn, The PASCAL VOC2012 Development Kit, Table 'Main' (classification/"
                  "detection) image sets; http://host.robots.ox.ac.uk/pascal/VOC/voc2012/")
DETECTION_SURVEY = ("Liu et al., Deep Learning for Generic Object Detection: A Survey, IJCV 128 (2020), "
                    "Table 3 (statistics of commonly used object detection datasets)")
COCO_PAPER = "Lin et al., Microsoft COCO: Common Objects in Context, ECCV 2014, abstract"
COCO_SITE = "https://cocodataset.org (home page overview and the Download page, 2017 release)"
KITTI_DEVKIT = ("Geiger, Lenz & Urtasun, KITTI object benchmark development kit, readme.txt; "
                "https://www.cvlibs.net/datasets/kitti/eval_object.php")
KITTI_RAW_PAGE = "KITTI raw data page, Sensor setup; https://www.cvlibs.net/datasets/kitti/setup.php"

VOC_CLASSES = ["aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
               "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa",
               "train", "tvmonitor"]
CIFAR10_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
KITTI_CLASSES = ["Car", "Van", "Truck", "Pedestrian", "Person_sitting", "Cyclist", "Tram", "Misc"]

_VOC2007_CLASSES_SAYS = ("Person: person; Animal: bird, cat, cow, dog, horse, sheep; Vehicle: aeroplane, "
                         "bicycle, boat, bus, car, motorbike, train; Indoor: bottle, chair, dining table, "
                         "potted plant, sofa, tv/monitor")


def _voc_facts(year: int, devkit: str, task_says: str, num_classes_says: str) -> dict[str, Fact]:
    """The first facts of Pascal VOC 2007 and 2012, which share the twenty classes and the image sizes."""
    return {
        "title": Fact(f"Pascal VOC {year}", devkit, f"The PASCAL Visual Object Classes Challenge {year}"),
        "task": Fact("객체 탐지·분류 (object detection)", devkit, task_says),
        "num_classes": Fact(20, devkit, num_classes_says),
        "class_names": Fact(VOC_CLASSES, devkit, _VOC2007_CLASSES_SAYS),
        "image_size": Fact("가변 크기 (흔히 500×375)", devkit,
                           "every annotation file records the image's own <width> and <height>",
                           seed_says="500x375",
                           note="고정 크기가 아닙니다. 500×375는 흔한 크기일 뿐이라 이미지마다 XML의 <size>를 읽어야 합니다."),
    }


DATASETS: dict[str, dict[str, Fact]] = {
    "mnist": {
        "title": Fact("MNIST", MNIST_PAGE, "The MNIST database of handwritten digits"),
        "task": Fact("손글씨 숫자 분류 (image classification)", MNIST_PAGE, "handwritten digits"),
        "num_classes": Fact(10, MNIST_PAGE, "The labels values are 0 to 9."),
        "class_names": Fact([str(d) for d in range(10)], MNIST_PAGE, "The labels values are 0 to 9."),
        "image_size": Fact("28×28 흑백", MNIST_PAGE,
                           "the images were centered in a 28x28 image by computing the center of mass of "
                           "the pixels; the images contain grey levels"),
        "image_hw": Fact((28, 28), MNIST_PAGE, "centered in a 28x28 image"),
        "channels": Fact(1, MNIST_PAGE, "grey levels (one channel)"),
        "train_images": Fact(60_000, MNIST_PAGE, "has a training set of 60,000 examples"),
        "test_images": Fact(10_000, MNIST_PAGE, "and a test set of 10,000 examples"),
        "total_images": Fact(70_000, MNIST_PAGE, "60,000 training + 10,000 test examples"),
    },
    "cifar10": {
        "title": Fact("CIFAR-10", CIFAR_PAGE, "The CIFAR-10 dataset"),
        "task": Fact("사물·동물 10종 분류 (image classification)", CIFAR_PAGE, "60000 32x32 colour images in 10 classes"),
        "num_classes": Fact(10, CIFAR_PAGE, "60000 32x32 colour images in 10 classes, with 6000 images per class"),
        "class_names": Fact(CIFAR10_CLASSES, CIFAR_PAGE,
                            "airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck"),
        "image_size": Fact("32×32 컬러", CIFAR_PAGE, "32x32 colour images"),
        "image_hw": Fact((32, 32), CIFAR_PAGE, "32x32 colour images"),
        "channels": Fact(3, CIFAR_PAGE, "colour images (RGB)"),
        "images_per_class": Fact(6_000, CIFAR_PAGE, "with 6000 images per class"),
        "train_images": Fact(50_000, CIFAR_PAGE, "There are 50000 training images and 10000 test images."),
        "test_images": Fact(10_000, CIFAR_PAGE, "There are 50000 training images and 10000 test images."),
        "total_images": Fact(60_000, CIFAR_PAGE, "The CIFAR-10 dataset consists of 60000 32x32 colour images"),
    },
    "imagenet": {
        "title": Fact("ImageNet (ILSVRC-2012)", ILSVRC_PAPER, "ILSVRC2012 image classification"),
        "task": Fact("1,000종 이미지 분류 (image classification)", ILSVRC_PAPER, "1000 object classes"),
        "num_classes": Fact(1_000, ILSVRC_PAPER,
                            "Table 2: image classification annotations (1000 object classes)"),
        "class_names": Fact("1,000개 (helpers.data.imagenet_class_names())", TORCHVISION_WEIGHTS,
                            "meta['categories'] lists the 1,000 class names in model output order"),
        "image_size": Fact("가변 크기 (모델 입력은 보통 224×224)", ALEXNET_PAPER,
                           "ImageNet consists of variable-resolution images, while our system requires a "
                           "constant input dimensionality. Therefore, we down-sampled the images to a fixed "
                           "resolution of 256 × 256.",
                           seed_says="평균 469x387 픽셀 (학습 시 256x256으로 통일)",
                           note="이미지 크기는 제각각입니다. '평균 469×387'은 공식 출처(ILSVRC 논문, image-net.org)에서 "
                                "확인하지 못한 수치라 쓰지 않습니다. 256×256으로 맞춘 것은 AlexNet(2012)의 방식이고, "
                                "torchvision의 ResNet-18 사전 학습 가중치(IMAGENET1K_V1)는 짧은 변을 256으로 줄인 뒤 가운데 "
                                "224×224를 잘라 씁니다 (가중치마다 다르므로 weights.transforms()를 확인하세요; "
                                "예: ResNet-50 IMAGENET1K_V2는 232)."),
        "model_input": Fact("짧은 변 256으로 크기 조정 → 가운데 224×224 자르기", TORCHVISION_WEIGHTS,
                            "transforms(): ImageClassification(crop_size=[224], resize_size=[256])"),
        "channels": Fact(3, ALEXNET_PAPER, "we trained our network on the (centered) raw RGB values of the pixels"),
        "train_images": Fact(1_281_167, ILSVRC_PAPER, "Table 2, ILSVRC2012-2014 train: 1,281,167 images "
                             "(732-1300 per class)"),
        "val_images": Fact(50_000, ILSVRC_PAPER, "Table 2, val: 50,000 images (50 per class)"),
        "test_images": Fact(100_000, ILSVRC_PAPER, "Table 2, test: 100,000 images (100 per class), labels withheld"),
    },
    "voc2007": {
        **_voc_facts(2007, VOC2007_DEVKIT,
                     "Detection: Predicting the bounding box and label of each object from the twenty "
                     "target classes",
                     "There are twenty object classes"),
        "total_images": Fact(9_963, VOC2007_DEVKIT, "In total there are 9,963 images, containing 24,640 "
                             "annotated objects."),
        "total_objects": Fact(24_640, VOC2007_DEVKIT, "In total there are 9,963 images, containing 24,640 "
                              "annotated objects."),
        "trainval_images": Fact(5_011, VOC2007_DEVKIT,
                                "Table 1, trainval total: 5,011 images (the data has been split into 50% "
                                "for training/validation and 50% for testing)"),
        "trainval_objects": Fact(12_608, VOC2007_DEVKIT,
                                 "Table 1, trainval total: 12,608 objects; 'Object statistics list only the "
                                 "non-difficult objects used in the evaluation.'"),
        "test_images": Fact(4_952, DETECTION_SURVEY, "VOC07 test: 4952 images (= 9,963 - 5,011)"),
    },
    "voc2012": {
        **_voc_facts(2012, VOC2012_DEVKIT, "classification/detection (Main) task",
                     "the same twenty classes as VOC2007"),
        "trainval_images": Fact(11_540, VOC2012_DEVKIT,
                                "Main trainval total: 11,540 images (also VOC12 trainval 11,540 in the IJCV "
                                "2020 survey, Table 3)",
                                note="VOC2012 웹페이지의 요약 문장은 11,530장이라고 적고 있어, devkit 표의 11,540장과 "
                                     "10장 차이가 납니다. 이 코스는 표의 값을 씁니다."),
        "trainval_objects": Fact(27_450, VOC2012_DEVKIT,
                                 "Main trainval total: 27,450 objects (IJCV 2020 survey, Table 3: 27,450 boxes)"),
        "test_images": Fact(10_991, DETECTION_SURVEY, "VOC12 test: 10,991 images (annotations not released)"),
    },
    "coco": {
        "title": Fact("COCO 2017 (object detection)", COCO_SITE, "COCO 2017 train/val/test images"),
        "task": Fact("객체 탐지·분할 (object detection)", COCO_SITE, "object detection, segmentation, captioning"),
        "num_classes": Fact(80, COCO_SITE,
                            "80 object categories (detection task); the 2014 paper describes '91 object "
                            "types', category ids run from 1 to 90 with gaps",
                            seed_says="91개",
                            note="91은 논문이 처음 정한 객체 종류(category id)의 수입니다. 실제로 상자 어노테이션이 있는 "
                                 "탐지 클래스는 80개이고, 평가(mAP)도 80개로 합니다."),
        "paper_categories": Fact(91, COCO_PAPER, "Our dataset contains photos of 91 objects types that would be "
                                 "easily recognizable by a 4 year old."),
        "image_size": Fact("가변 크기 (긴 변 최대 640)", COCO_SITE,
                           "the width/height fields of instances_val2017.json: the longer side is at most 640",
                           seed_says="최대 640x480",
                           note="가로 640×세로 480이 최대인 것이 아니라 긴 변이 최대 640px입니다 (세로 사진은 480×640 등)."),
        "train_images": Fact(118_287, DETECTION_SURVEY, "MS COCO17 train: 118,287 images (Download page: "
                             "2017 Train images [118K])"),
        "val_images": Fact(5_000, DETECTION_SURVEY, "MS COCO17 val: 5000 images (Download page: 2017 Val "
                           "images [5K])"),
        "test_images": Fact(40_670, DETECTION_SURVEY, "MS COCO17 test: 40,670 images (Download page: 2017 "
                            "Test images [41K]), annotations not released"),
        "train_objects": Fact(860_001, DETECTION_SURVEY, "MS COCO17 train boxes: 860,001 (the annotations "
                              "in instances_train2017.json)"),
        "val_objects": Fact(36_781, DETECTION_SURVEY, "MS COCO17 val boxes: 36,781 (instances_val2017.json)"),
        "all_images": Fact(330_000, COCO_SITE, "330K images (>200K labeled), 1.5 million object instances, "
                           "80 object categories",
                           seed_says="33만 이미지 150만 어노테이션",
                           note="33만 장·150만 개는 COCO 전체(레이블 없는 테스트 이미지 포함)에 대한 홈페이지 요약입니다. "
                                "탐지 실습에서 쓰는 COCO 2017은 학습 118,287장(상자 860,001개) + 검증 5,000장"
                                "(상자 36,781개)입니다."),
        "all_instances": Fact(1_500_000, COCO_SITE, "1.5 million object instances"),
    },
    "kitti": {
        "title": Fact("KITTI (2D object detection)", KITTI_DEVKIT, "KITTI 2D object detection benchmark"),
        "task": Fact("자율주행 객체 탐지 (object detection)", KITTI_DEVKIT,
                     "2D object detection and orientation estimation benchmark"),
        "num_classes": Fact(8, KITTI_DEVKIT,
                            "Despite the fact that we have labeled 8 different classes, only the classes "
                            "'Car' and 'Pedestrian' are evaluated ...; type is one of 'Car', 'Van', 'Truck', "
                            "'Pedestrian', 'Person_sitting', 'Cyclist', 'Tram', 'Misc' or 'DontCare'",
                            seed_says="8개",
                            note="레이블 종류는 8개(+ 무시 영역 DontCare)가 맞지만, 공식 평가는 Car, Pedestrian, "
                                 "Cyclist 세 클래스로만 합니다."),
        "class_names": Fact(KITTI_CLASSES, KITTI_DEVKIT,
                            "'Car', 'Van', 'Truck', 'Pedestrian', 'Person_sitting', 'Cyclist', 'Tram', 'Misc'"),
        "evaluated_classes": Fact(["Car", "Pedestrian", "Cyclist"], KITTI_DEVKIT,
                                  "eval_object.php ranks methods separately for Car, Pedestrian and Cyclist"),
        "image_size": Fact("약 1242×375", KITTI_RAW_PAGE,
                           "'The camera images are cropped to a size of 1382 x 512 pixels ... After "
                           "rectification, the images get slightly smaller.' The object benchmark's PNG "
                           "files (image_2/) measure about 1242x375.",
                           seed_says="1248x384",
                           note="KITTI 객체 이미지는 보정(rectification) 후 약 1242×375 크기이고 이미지마다 조금씩 다릅니다. "
                                "1248×384는 공식 크기가 아닙니다."),
        "train_images": Fact(7_481, KITTI_DEVKIT,
                             "The benchmarks consist of 7481 training images (and point clouds) and 7518 test images"),
        "test_images": Fact(7_518, KITTI_DEVKIT, "... and 7518 test images (and point clouds) for each task"),
        "total_images": Fact(14_999, KITTI_DEVKIT, "7481 training + 7518 test images"),
        "total_objects": Fact(80_256, KITTI_DEVKIT,
                              "eval_object.php: '7481 training images and 7518 test images, comprising a "
                              "total of 80.256 labeled objects'"),
    },
}

NAMES = tuple(DATASETS)
_ALIASES = {"cifar": "cifar10", "ilsvrc2012": "imagenet", "ilsvrc": "imagenet", "imagenet1k": "imagenet",
            "coco2017": "coco", "mscoco": "coco", "kittiobject": "kitti", "pascalvoc2007": "voc2007",
            "pascalvoc2012": "voc2012"}
_GROUPS = {"voc": ("voc2007", "voc2012"), "pascalvoc": ("voc2007", "voc2012")}

# Column labels (Korean) for facts_table; the order is the default column order.
FIELD_LABELS = {
    "title": "데이터셋",
    "task": "작업",
    "num_classes": "클래스 수",
    "image_size": "이미지 크기",
    "train_images": "학습 이미지",
    "val_images": "검증 이미지",
    "trainval_images": "학습+검증 이미지",
    "test_images": "테스트 이미지",
    "total_images": "전체 이미지",
    "train_objects": "학습 객체 수",
    "val_objects": "검증 객체 수",
    "trainval_objects": "학습+검증 객체 수",
    "total_objects": "전체 객체 수",
    "channels": "채널",
    "images_per_class": "클래스당 이미지",
    "class_names": "클래스 이름",
}
DEFAULT_FIELDS = ("title", "num_classes", "image_size", "train_images", "val_images", "trainval_images",
                  "test_images", "total_objects")


def _resolve(names: _Names) -> list[str]:
    """Canonical dataset keys for ``names`` (None = all; a str or a list of str)."""
    if names is None:
        return list(NAMES)
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, Sequence):
        raise TypeError(f"names는 데이터셋 이름(문자열) 또는 그 목록이어야 합니다 (받은 값: {type(names).__name__}).")
    out: list[str] = []
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"데이터셋 이름은 문자열이어야 합니다 (받은 값: {name!r}).")
        key = "".join(ch for ch in name.lower() if ch.isalnum())
        key = _ALIASES.get(key, key)
        keys = _GROUPS.get(key, (key,))
        for k in keys:
            if k not in DATASETS:
                raise ValueError(
                    f"알 수 없는 데이터셋 이름 {name!r} 입니다. 쓸 수 있는 이름: {', '.join(NAMES)} (또는 'voc')."
                )
            if k not in out:
                out.append(k)
    return out


def facts(name: str) -> dict[str, Fact]:
    """All facts of one dataset: field name -> :class:`Fact` (``facts("mnist")["train_images"].value``)."""
    keys = _resolve(name)
    if len(keys) != 1:
        raise ValueError(f"facts()에는 데이터셋 하나의 이름을 주세요 ({name!r}는 {keys}를 뜻합니다).")
    return dict(DATASETS[keys[0]])


def value(name: str, field: str) -> object:
    """One value, e.g. ``value("coco", "train_images") == 118_287``."""
    entry = facts(name)
    if field not in entry:
        raise ValueError(f"{name!r}에는 {field!r} 항목이 없습니다. 있는 항목: {', '.join(entry)}.")
    return entry[field].value


def facts_rows(names: _Names = None, fields: str | Sequence[str] = DEFAULT_FIELDS) -> list[dict[str, Any]]:
    """One plain dict per dataset with the requested fields (missing ones are None), plus ``name``.

    Handy for a DataFrame or a plot; no pandas needed.
    """
    fields = _check_fields(fields)
    return [{"name": key, **{f: (DATASETS[key][f].value if f in DATASETS[key] else None) for f in fields}}
            for key in _resolve(names)]


def sources(name: str) -> list[dict[str, Any]]:
    """Rows ``{field, value, source, says}`` for one dataset: where every number comes from."""
    return [{"field": f, "value": fact.value, "source": fact.source, "says": fact.says}
            for f, fact in facts(name).items()]


def seed_corrections(names: _Names = None) -> list[dict[str, Any]]:
    """Every fact where the seed notes gave a number: ``{name, field, seed_says, value, note}``."""
    return [{"name": key, "field": f, "seed_says": fact.seed_says, "value": fact.value, "note": fact.note}
            for key in _resolve(names) for f, fact in DATASETS[key].items() if fact.seed_says is not None]


def facts_table(names: _Names = None, fields: str | Sequence[str] | None = None, show: bool = True,
                file: TextIO | None = None) -> str:
    """A text table comparing datasets (rows) on ``fields`` (columns, Korean headers).

    Numbers get thousands separators; a missing field shows "-". Prints it (unless ``show=False``)
    and returns it.
    """
    fields = _check_fields(DEFAULT_FIELDS if fields is None else fields)
    rows = facts_rows(names, fields)
    # Drop columns that are empty for every selected dataset.
    fields = [f for f in fields if any(row[f] is not None for row in rows)]
    header = [FIELD_LABELS.get(f, f) for f in fields]
    body = [[_format(row[f]) for f in fields] for row in rows]
    widths = [max(_width(cell) for cell in column) for column in zip(header, *body, strict=True)]

    def line(cells: list[str]) -> str:
        return " | ".join(cell + " " * (w - _width(cell)) for cell, w in zip(cells, widths, strict=True)).rstrip()

    text = "\n".join([line(header), "-+-".join("-" * w for w in widths), *(line(r) for r in body)])
    if show:
        print(text, file=file or sys.stdout)
    return text


def _check_fields(fields: str | Sequence[str]) -> list[str]:
    if isinstance(fields, str):
        fields = [fields]
    known = {f for entry in DATASETS.values() for f in entry}
    unknown = [f for f in fields if f not in known]
    if unknown:
        raise ValueError(f"알 수 없는 항목 {unknown} 입니다. 쓸 수 있는 항목: {', '.join(sorted(known))}.")
    return list(fields)


def _format(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _width(text: str) -> int:
    """Display width in a monospace font: Korean (wide) characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)
