"""VOC / COCO / KITTI writers and readers: round trips, pycocotools, the formats' conventions, errors."""
import json
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import torch
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

from helpers.annotations import (
    KITTI_DONT_CARE,
    KITTI_FIELDS,
    AnnotationError,
    format_sample,
    mask_to_rle,
    read_coco,
    read_kitti,
    read_voc,
    rle_to_mask,
    voc_to_xyxy,
    write_coco,
    write_kitti,
    write_voc,
    xyxy_to_voc,
)
from helpers.shapes import ShapesConfig, generate

NAMES = ("circle", "square", "triangle")

# pycocotools' C extension predates NumPy 2's copy keyword; its warning is not ours to fix.
pytestmark = [
    pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword"),
    pytest.mark.usefixtures("one_torch_thread"),
]


@pytest.fixture(scope="module")
def dataset():
    return generate(ShapesConfig(num_images=25, allow_overlap=True, max_objects=6, seed=17))


def random_records(seed: int, n: int = 20, integer: bool = False) -> list[dict]:
    """Random float boxes of random sizes and counts (including images without objects)."""
    rng = np.random.default_rng(seed)
    records = []
    for i in range(n):
        width, height = int(rng.integers(20, 400)), int(rng.integers(20, 400))
        count = int(rng.integers(0, 7))
        x1 = rng.uniform(0, width - 1, count)
        y1 = rng.uniform(0, height - 1, count)
        x2 = x1 + rng.uniform(0, width - x1)
        y2 = y1 + rng.uniform(0, height - y1)
        boxes = np.stack([x1, y1, x2, y2], axis=1)
        if integer:
            boxes = np.floor(boxes)
            boxes[:, 2:] = np.maximum(boxes[:, 2:], boxes[:, :2] + 1)
        records.append({
            "file_name": f"img_{i:03d}.jpg", "width": width, "height": height, "image_id": 100 + i,
            "boxes": boxes, "labels": [str(rng.choice(NAMES)) for _ in range(count)],
        })  # fmt: skip
    return records


# -- VOC ---------------------------------------------------------------------------------------
def test_voc_coordinates_are_one_based_inclusive():
    # columns 10..19 and rows 5..7 (0-based) → VOC pixels 11..20 and 6..8 (1-based, inclusive)
    assert xyxy_to_voc([[10, 5, 20, 8]]).tolist() == [[11, 6, 20, 8]]
    assert voc_to_xyxy([[11, 6, 20, 8]]).tolist() == [[10.0, 5.0, 20.0, 8.0]]
    # rounding is half up; a box thinner than a pixel still covers one pixel
    assert xyxy_to_voc([[2.5, 0.49, 3.5, 0.51]]).tolist() == [[4, 1, 4, 1]]
    rng = np.random.default_rng(0)
    ints = rng.integers(0, 500, (200, 4)).astype(float)
    ints[:, 2:] = ints[:, :2] + rng.integers(1, 50, (200, 2))
    assert np.array_equal(voc_to_xyxy(xyxy_to_voc(ints)), ints)
    floats = random_records(1, n=50)
    boxes = np.concatenate([r["boxes"] for r in floats])
    back = voc_to_xyxy(xyxy_to_voc(boxes))
    assert np.abs(back - boxes).max() <= 1.0  # a sub-pixel box may grow to one whole pixel
    wide = (boxes[:, 2:] - boxes[:, :2] >= 1).all(axis=1)
    assert np.abs(back[wide] - boxes[wide]).max() <= 0.5 + 1e-9


def test_voc_round_trip_shapes_dataset_is_exact(dataset, tmp_path):
    paths = write_voc(dataset, tmp_path / "Annotations")
    assert [p.name for p in paths] == [f"{i:06d}.xml" for i in range(len(dataset))]
    back = read_voc(tmp_path / "Annotations")
    for rec, orig in zip(back, dataset.to_records(), strict=True):
        assert rec["file_name"] == orig["file_name"]
        assert (rec["width"], rec["height"]) == (128, 128)
        assert np.array_equal(rec["boxes"], orig["boxes"])  # whole pixels: no loss
        assert rec["labels"] == orig["labels"]
        assert not rec["difficult"].any() and not rec["truncated"].any()
    # one file gives a one-element list; the file itself follows the VOC layout
    (single,) = read_voc(paths[3])
    assert np.array_equal(single["boxes"], dataset.boxes[3])
    root = ET.parse(paths[3]).getroot()
    assert root.find("size/depth").text == "3" and root.find("filename").text == "000003.png"
    obj = root.find("object")
    assert [obj.find(t).text for t in ("pose", "truncated", "difficult")] == ["Unspecified", "0", "0"]
    x1, y1, x2, y2 = dataset.boxes[3][0]
    assert int(obj.find("bndbox/xmin").text) == x1 + 1 and int(obj.find("bndbox/xmax").text) == x2
    assert int(obj.find("bndbox/ymin").text) == y1 + 1 and int(obj.find("bndbox/ymax").text) == y2


@pytest.mark.parametrize("seed", range(5))
def test_voc_round_trip_random_float_boxes(seed, tmp_path):
    records = random_records(seed)
    records[0]["difficult"] = [True] * len(records[0]["labels"])
    records[1]["truncated"] = [0.4] * len(records[1]["labels"])
    write_voc(records, tmp_path)
    back = read_voc(tmp_path)
    assert [r["file_name"] for r in back] == [r["file_name"] for r in records]
    for rec, orig in zip(back, records, strict=True):
        assert (rec["width"], rec["height"]) == (orig["width"], orig["height"])
        assert rec["labels"] == orig["labels"]
        expected = voc_to_xyxy(xyxy_to_voc(orig["boxes"]))
        assert np.array_equal(rec["boxes"], expected)  # exactly what VOC can hold
        wide = (orig["boxes"][:, 2:] - orig["boxes"][:, :2] >= 1).all(axis=1)
        assert np.abs(rec["boxes"][wide] - orig["boxes"][wide]).max(initial=0) <= 0.5 + 1e-9
    assert back[0]["difficult"].all() and back[1]["truncated"].all()


def test_voc_reader_accepts_float_coordinates_and_extra_tags(tmp_path):
    xml = """<annotation><filename>a.jpg</filename><size><width>50</width><height>40</height></size>
    <object><name>dog</name><occluded>1</occluded><bndbox><xmin>10.5</xmin><ymin>3</ymin>
    <xmax>20</xmax><ymax>9.0</ymax></bndbox><part><name>head</name></part></object></annotation>"""
    (tmp_path / "a.xml").write_text(xml)
    (rec,) = read_voc(tmp_path / "a.xml")
    assert rec["boxes"].tolist() == [[9.5, 2.0, 20.0, 9.0]] and rec["labels"] == ["dog"]


VOC_OK = """<annotation>
  <filename>x.png</filename>
  <size><width>64</width><height>64</height><depth>3</depth></size>
  <object>
    <name>circle</name>
    <bndbox><xmin>1</xmin><ymin>2</ymin><xmax>10</xmax><ymax>12</ymax></bndbox>
  </object>
  <object>
    <name>square</name>
    BNDBOX
  </object>
</annotation>
"""


@pytest.mark.parametrize(
    "text, message",
    [
        (VOC_OK.replace("BNDBOX", ""), r"bad\.xml' \(8번째 줄\): 1번 <object>\('square'\)에 <bndbox>가 없습니다"),
        (
            VOC_OK.replace("BNDBOX", "<bndbox><xmin>abc</xmin><ymin>1</ymin><xmax>3</xmax><ymax>4</ymax></bndbox>"),
            r"bad\.xml' \(10번째 줄\): 1번 <object>\('square'\)의 <bndbox>의 <xmin> 값 'abc'은\(는\) 숫자가 아닙니다",
        ),
        (
            VOC_OK.replace("BNDBOX", "<bndbox><xmin>1</xmin><ymin>1</ymin><xmax>3</xmax></bndbox>"),
            r"<bndbox>에 <ymax>가 없습니다",
        ),
        (
            VOC_OK.replace("BNDBOX", "<bndbox><xmin>5</xmin><ymin>1</ymin><xmax>3</xmax><ymax>4</ymax></bndbox>"),
            r"xmax ≥ xmin",
        ),
        (VOC_OK.replace("<name>square</name>", "").replace("BNDBOX", ""), r"1번 <object>에 <name>\(클래스 이름\)이 없습니다"),
        (VOC_OK.replace("BNDBOX", "<bndbox>").replace("</annotation>", ""),
         r"bad\.xml'을\(를\) XML로 읽을 수 없습니다 \(\d+번째 줄, \d+번째 글자\)"),
        (VOC_OK.replace("<filename>x.png</filename>", ""), r"필수 항목 <filename>이 없습니다"),
        (VOC_OK.replace("<size><width>64</width><height>64</height><depth>3</depth></size>", ""), r"필수 항목 <size>"),
        (VOC_OK.replace("<width>64</width>", "<width>wide</width>"), r"<size>의 <width> 값 'wide'"),
        (VOC_OK.replace("<width>64</width>", "<width>nan</width>"), r"유한한 숫자가 아닙니다"),
        ("<root><a/></root>", r"최상위 태그가 <annotation>이어야 하는데 <root>입니다"),
    ],
)
def test_voc_malformed_files_name_file_line_and_field(tmp_path, text, message):
    path = tmp_path / "bad.xml"
    path.write_text(text)
    with pytest.raises(AnnotationError, match=message) as info:
        read_voc(path)
    assert info.value.path == path
    assert isinstance(info.value, ValueError)


def test_voc_error_line_number_is_the_object_line(tmp_path):
    path = tmp_path / "bad.xml"
    path.write_text(VOC_OK.replace("BNDBOX", ""))
    with pytest.raises(AnnotationError) as info:
        read_voc(tmp_path)
    assert info.value.line == 8 and VOC_OK.splitlines()[7].strip() == "<object>"


# -- COCO --------------------------------------------------------------------------------------
def test_coco_file_loads_in_pycocotools_with_the_same_boxes(dataset, tmp_path):
    path = write_coco(dataset, tmp_path / "instances.json")
    coco = COCO(str(path))
    assert sorted(coco.getImgIds()) == list(range(len(dataset)))
    assert [c["name"] for c in coco.loadCats(coco.getCatIds())] == list(NAMES)
    for i in range(len(dataset)):
        anns = coco.loadAnns(coco.getAnnIds(imgIds=[i]))
        xyxy = np.array([[x, y, x + w, y + h] for x, y, w, h in (a["bbox"] for a in anns)]).reshape(-1, 4)
        assert np.array_equal(xyxy, dataset.boxes[i])
        assert [a["category_id"] for a in anns] == dataset.labels[i].tolist()  # ids = dataset labels
        for ann, box in zip(anns, dataset.boxes[i], strict=True):
            mask = coco.annToMask(ann)  # the box polygon rasterises to exactly the box's pixels
            ys, xs = np.nonzero(mask)
            assert [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1] == box.tolist()
            assert mask.sum() == ann["area"] == (box[2] - box[0]) * (box[3] - box[1])
            assert ann["iscrowd"] == 0
    # a perfect detector scores AP = 1 under COCOeval
    dets = [{**a, "score": 1.0} for a in coco.loadAnns(coco.getAnnIds())]
    for d in dets:
        d.pop("segmentation")
        d.pop("area")
    ev = COCOeval(coco, coco.loadRes(dets), "bbox")
    ev.evaluate(), ev.accumulate(), ev.summarize()
    assert ev.stats[0] == pytest.approx(1.0)


def test_coco_with_masks_writes_rle_that_pycocotools_decodes(dataset, tmp_path):
    records = dataset.to_records(include_masks=True)
    write_coco(records, tmp_path / "masks.json", classes=NAMES)
    coco = COCO(str(tmp_path / "masks.json"))
    for rec in records:
        anns = coco.loadAnns(coco.getAnnIds(imgIds=[rec["image_id"]]))
        for ann, mask, box in zip(anns, rec["masks"], rec["boxes"], strict=True):
            assert np.array_equal(coco.annToMask(ann), mask)
            assert ann["area"] == mask.sum()
            assert mask_utils.toBbox(coco.annToRLE(ann)).tolist() == [box[0], box[1], box[2] - box[0], box[3] - box[1]]


@pytest.mark.parametrize("seed", range(4))
def test_mask_to_rle_matches_pycocotools(seed):
    rng = np.random.default_rng(seed)
    for _ in range(25):
        h, w = rng.integers(1, 30, 2)
        mask = rng.random((h, w)) < rng.uniform(0, 1)
        rle = mask_to_rle(mask)
        assert sum(rle["counts"]) == h * w and rle["size"] == [h, w]
        theirs = mask_utils.frPyObjects(rle, int(h), int(w))
        assert np.array_equal(mask_utils.decode(theirs), mask)
        assert mask_utils.area(theirs) == mask.sum()
        assert mask_utils.encode(np.asfortranarray(mask.astype(np.uint8)))["counts"] == theirs["counts"]
        assert np.array_equal(rle_to_mask(rle), mask)
    assert mask_to_rle(np.ones((2, 3)))["counts"] == [0, 6]
    assert mask_to_rle(np.zeros((2, 3)))["counts"] == [6]
    with pytest.raises(ValueError, match=r"mask의 모양은 \(H, W\).*\(2, 2, 2\)"):
        mask_to_rle(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="RLE counts의 합 5"):
        rle_to_mask({"counts": [2, 3], "size": [2, 3]})


@pytest.mark.parametrize("seed", range(5))
def test_coco_round_trip_random_float_boxes(seed, tmp_path):
    records = random_records(seed)
    write_coco(records, tmp_path / "c.json")
    back = read_coco(tmp_path / "c.json")
    assert [r["image_id"] for r in back] == [r["image_id"] for r in records]
    for rec, orig in zip(back, records, strict=True):
        assert (rec["file_name"], rec["width"], rec["height"]) == (orig["file_name"], orig["width"], orig["height"])
        assert rec["labels"] == orig["labels"]
        np.testing.assert_allclose(rec["boxes"], orig["boxes"], rtol=0, atol=1e-9)
        w, h = orig["boxes"][:, 2] - orig["boxes"][:, 0], orig["boxes"][:, 3] - orig["boxes"][:, 1]
        np.testing.assert_allclose(rec["areas"], w * h, rtol=1e-12)
    # pycocotools agrees on the bbox of every annotation
    coco = COCO(str(tmp_path / "c.json"))
    for orig in records:
        bbox = [a["bbox"] for a in coco.loadAnns(coco.getAnnIds(imgIds=[orig["image_id"]]))]
        expected = np.c_[orig["boxes"][:, :2], orig["boxes"][:, 2:] - orig["boxes"][:, :2]]
        np.testing.assert_allclose(np.array(bbox).reshape(-1, 4), expected, atol=1e-12)


def test_coco_file_is_one_item_per_line_and_categories_follow_classes(tmp_path):
    records = random_records(3, n=4)
    write_coco(records, tmp_path / "c.json", classes=("triangle", "square", "circle", "unused"))
    data = json.loads((tmp_path / "c.json").read_text())
    assert [c["name"] for c in data["categories"]] == ["triangle", "square", "circle", "unused"]
    lines = (tmp_path / "c.json").read_text().splitlines()
    # "{", info, licenses, "}" + a header and a closing line per list + one line per item
    assert len(lines) == 4 + 2 * 3 + len(data["images"]) + len(data["annotations"]) + len(data["categories"])
    name_of = {c["id"]: c["name"] for c in data["categories"]}
    assert [name_of[a["category_id"]] for a in data["annotations"]] == [n for r in records for n in r["labels"]]


def coco_file(tmp_path, **changes):
    base = {
        "images": [{"id": 1, "file_name": "a.png", "width": 10, "height": 10}],
        "annotations": [{"id": 7, "image_id": 1, "category_id": 1, "bbox": [1, 2, 3, 4]}],
        "categories": [{"id": 1, "name": "circle"}],
    }
    base.update(changes)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(base))
    return path


def test_coco_minimal_file_defaults_area_and_iscrowd(tmp_path):
    (rec,) = read_coco(coco_file(tmp_path))
    assert rec["boxes"].tolist() == [[1, 2, 4, 6]] and rec["areas"].tolist() == [12] and rec["iscrowd"].tolist() == [0]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"annotations": [{"id": 7, "image_id": 5, "category_id": 1, "bbox": [1, 2, 3, 4]}]},
         r"annotations\[0\] \(id=7\)의 image_id=5인 이미지가 images에 없습니다"),
        ({"annotations": [{"id": 7, "image_id": 1, "category_id": 9, "bbox": [1, 2, 3, 4]}]},
         r"annotations\[0\] \(id=7\)의 category_id=9가 categories에 없습니다 \(있는 id: \[1\]\)"),
        ({"annotations": [{"image_id": 1, "category_id": 1, "bbox": [1, 2, "3", 4]}]},
         r"annotations\[0\]의 bbox는 숫자 4개 \[x, y, w, h\]"),
        ({"annotations": [{"image_id": 1, "category_id": 1, "bbox": [1, 2, 3]}]}, r"annotations\[0\]의 bbox는 숫자 4개"),
        ({"annotations": [{"image_id": 1, "category_id": 1, "bbox": [1, 2, -3, 4]}]}, r"annotations\[0\]의 bbox 너비/높이가 음수"),
        ({"annotations": [{"image_id": 1, "bbox": [1, 2, 3, 4]}]}, r"annotations\[0\]에 'category_id'가 없습니다"),
        ({"annotations": ["x"]}, r"annotations\[0\]는 객체여야"),
        ({"images": [{"id": 1, "file_name": "a.png", "width": 10}]}, r"images\[0\]에 'height'가 없습니다"),
        ({"images": [{"id": 1, "file_name": "a.png", "width": 10, "height": 10}] * 2}, r"images\[1\]의 id=1가 중복"),
        ({"images": ["x"]}, r"images\[0\]는 객체여야"),
        ({"categories": [{"id": 1}]}, r"categories\[0\]에 'id'와 'name'이 필요"),
        ({"categories": None}, r"필수 항목 'categories'\(리스트\)가 없습니다"),
    ],
)
def test_coco_malformed_content_is_named(tmp_path, changes, message):
    path = coco_file(tmp_path, **changes)
    with pytest.raises(AnnotationError, match=r"COCO 파일 '.*bad\.json': " + message):
        read_coco(path)


def test_coco_invalid_json_reports_the_position(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "images": [\n    {"id": 1 "file_name": "a.png"}\n  ]\n}\n')
    message = r"broken\.json'이\(가\) 올바른 JSON이 아닙니다: 3번째 줄, 14번째 글자 \(문자 위치 29\)"
    with pytest.raises(AnnotationError, match=message) as info:
        read_coco(path)
    assert info.value.line == 3
    path.write_text('[{"image_id": 1, "bbox": [0, 0, 1, 1], "score": 0.9}]')
    with pytest.raises(AnnotationError, match="탐지 결과\\(results\\) 파일로 보입니다"):
        read_coco(path)
    path.write_text('"hello"')
    with pytest.raises(AnnotationError, match="최상위가 JSON 객체여야 합니다.*str"):
        read_coco(path)


# -- KITTI -------------------------------------------------------------------------------------
def test_kitti_lines_have_fifteen_fields_with_dont_care_3d(dataset, tmp_path):
    paths = write_kitti(dataset, tmp_path / "label_2")
    assert [p.name for p in paths] == [f"{i:06d}.txt" for i in range(len(dataset))]
    records = dataset.to_records()
    for path, rec in zip(paths, records, strict=True):
        lines = path.read_text().splitlines()
        assert len(lines) == len(rec["labels"])
        for line, name, box, occ in zip(lines, rec["labels"], rec["boxes"], rec["occluded"], strict=True):
            fields = dict(zip(KITTI_FIELDS, line.split(), strict=True))
            assert len(line.split()) == 15
            assert fields["type"] == name and float(fields["truncated"]) == 0 and int(fields["occluded"]) == occ
            assert [float(fields[k]) for k in ("x1", "y1", "x2", "y2")] == box.tolist()
            assert {k: float(fields[k]) for k in KITTI_DONT_CARE} == KITTI_DONT_CARE
    assert KITTI_DONT_CARE == {"alpha": -10, "h": -1, "w": -1, "l": -1, "x": -1000, "y": -1000, "z": -1000, "rotation_y": -10}


@pytest.mark.parametrize("seed", range(5))
def test_kitti_round_trip_random_float_boxes(seed, tmp_path):
    records = random_records(seed)
    for r in records[:3]:
        r["scores"] = np.linspace(0.1, 0.9, len(r["labels"]))
        r["truncated"] = [0.25] * len(r["labels"])
        r["occluded"] = [2] * len(r["labels"])
    write_kitti(records, tmp_path)
    back = read_kitti(tmp_path, image_ext=".jpg")
    assert [r["file_name"] for r in back] == [r["file_name"] for r in records]
    for rec, orig in zip(back, records, strict=True):
        assert rec["labels"] == orig["labels"] and rec["width"] is None
        np.testing.assert_allclose(rec["boxes"], orig["boxes"], rtol=0, atol=0.005 + 1e-9)  # 2 decimals
        assert np.array_equal(rec["boxes"], np.round(orig["boxes"], 2))
    for rec, orig in zip(back[:3], records[:3], strict=True):
        if len(orig["labels"]):
            np.testing.assert_allclose(rec["scores"], orig["scores"], atol=5e-5)
            assert rec["truncated"].tolist() == [0.25] * len(orig["labels"])
            assert rec["occluded"].tolist() == [2] * len(orig["labels"])
    assert all("scores" not in r for r in back[3:])


def test_kitti_reads_real_kitti_lines_and_image_size(tmp_path):
    (tmp_path / "000123.txt").write_text(
        "Pedestrian 0.00 0 -0.20 712.40 143.00 810.73 307.92 1.89 0.48 1.20 1.84 1.47 8.41 0.01\n"
        "\n"
        "DontCare -1 -1 -10 503.89 169.71 590.61 190.13 -1 -1 -1 -1000 -1000 -1000 -10\n"
    )
    (rec,) = read_kitti(tmp_path / "000123.txt", image_size=(1242, 375))
    assert rec["file_name"] == "000123.png" and (rec["width"], rec["height"]) == (1242, 375)
    assert rec["labels"] == ["Pedestrian", "DontCare"]
    np.testing.assert_allclose(rec["boxes"], [[712.40, 143.00, 810.73, 307.92], [503.89, 169.71, 590.61, 190.13]])
    assert rec["occluded"].tolist() == [0, -1] and rec["truncated"].tolist() == [0.0, -1.0]


KITTI_OK = "circle 0.00 0 -10 1.00 2.00 3.00 4.00 -1 -1 -1 -1000 -1000 -1000 -10"


@pytest.mark.parametrize(
    "lines, message",
    [
        ([KITTI_OK, KITTI_OK, KITTI_OK.rsplit(" ", 1)[0]],
         r"3번째 줄: 필드가 15개\(점수를 포함한 결과 파일은 16개\)여야 하는데 14개입니다"),
        ([KITTI_OK, KITTI_OK + " 0.5 7"], r"2번째 줄: 필드가 15개.*17개입니다"),
        ([KITTI_OK.replace("3.00", "3,00")], r"1번째 줄: 'x2' 필드 값 '3,00'은\(는\) 숫자가 아닙니다"),
        ([KITTI_OK.rsplit(" ", 1)[0] + " inf"], r"1번째 줄: 'rotation_y' 필드 값 'inf'은\(는\) 유한한"),
        ([KITTI_OK + " 0.9", KITTI_OK], r"2번째 줄: 필드 개수가 15개로, 앞줄들\(16개\)과 다릅니다"),
        ([KITTI_OK.replace("1.00 2.00 3.00", "5.00 2.00 3.00")], r"1번째 줄: 상자가 x2 ≥ x1, y2 ≥ y1 을 만족하지 않습니다"),
    ],
)
def test_kitti_malformed_lines_name_file_and_line(tmp_path, lines, message):
    path = tmp_path / "000007.txt"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(AnnotationError, match=r"KITTI 파일 '.*000007\.txt' " + message) as info:
        read_kitti(tmp_path)
    assert info.value.path == path


# -- the same image in all three formats -------------------------------------------------------
def test_format_sample_shows_the_same_boxes_three_ways(dataset, tmp_path):
    record = dataset.to_records(include_masks=True)[4]
    texts = format_sample(record, classes=NAMES)
    assert set(texts) == {"voc", "coco", "kitti"}
    (tmp_path / "s.xml").write_text(texts["voc"])
    (tmp_path / "s.json").write_text(texts["coco"])
    (tmp_path / "s.txt").write_text(texts["kitti"])
    voc, coco, kitti = read_voc(tmp_path / "s.xml")[0], read_coco(tmp_path / "s.json")[0], read_kitti(tmp_path / "s.txt")[0]
    for rec in (voc, coco, kitti):
        assert np.array_equal(rec["boxes"], record["boxes"])
        assert rec["labels"] == record["labels"]
    assert "segmentation" in texts["coco"] and "counts" not in texts["coco"]  # masks left out
    assert texts["voc"].startswith("<annotation>") and "<xmin>" in texts["voc"]
    assert len(texts["kitti"].splitlines()) == len(record["labels"])
    # the string is the writer's output, byte for byte
    write_voc([record], tmp_path / "voc")
    assert (tmp_path / "voc" / "000004.xml").read_text() == texts["voc"]
    with pytest.raises(TypeError, match="레코드 하나\\(dict\\)를 주세요.*ShapesDataset"):
        format_sample(dataset)


# -- what the writers accept -------------------------------------------------------------------
def test_writers_accept_one_record_and_tensor_boxes(tmp_path):
    record = {"file_name": "a.png", "width": 32, "height": 32, "boxes": torch.tensor([[1.0, 2.0, 5.0, 9.0]]), "labels": ["x"]}
    assert len(write_voc(record, tmp_path)) == 1
    assert read_voc(tmp_path)[0]["boxes"].tolist() == [[1, 2, 5, 9]]
    empty = {"file_name": "b.png", "width": 32, "height": 32, "boxes": [], "labels": []}
    write_kitti(empty, tmp_path / "k")
    assert (tmp_path / "k" / "b.txt").read_text() == ""
    assert read_kitti(tmp_path / "k")[0]["boxes"].shape == (0, 4)
    write_coco([empty], tmp_path / "c.json")
    assert read_coco(tmp_path / "c.json")[0]["boxes"].shape == (0, 4)


def good():
    return {"file_name": "a.png", "width": 32, "height": 32, "boxes": [[1, 2, 5, 9]], "labels": ["circle"]}


@pytest.mark.parametrize(
    "writer, data, error, message",
    [
        (write_voc, 42, TypeError, "레코드\\(dict\\)의 리스트.*int"),
        (write_voc, [good(), "x"], TypeError, r"records\[1\]는 dict여야"),
        (write_voc, [{**good(), "width": None}], ValueError, r"records\[0\]에 'width' 값이 없습니다"),
        (write_voc, [{**good(), "height": 0}], ValueError, r"records\[0\]\['height'\]은\(는\) 1 이상의 정수.*0"),
        (write_voc, [{**good(), "file_name": ""}], ValueError, r"\['file_name'\]은 비어 있지 않은 문자열"),
        (write_coco, [{**good(), "boxes": [[1, 2, 3]]}], ValueError, r"\['boxes'\]의 모양은 \(N, 4\).*\(1, 3\)"),
        (write_coco, [{**good(), "boxes": [[1, 2, np.nan, 3]]}], ValueError, "NaN이나 무한대"),
        (write_kitti, [{**good(), "boxes": [[5, 2, 1, 9]]}], ValueError, r"\['boxes'\]\[0\] = \[5.0, 2.0, 1.0, 9.0\] 는 x2 ≥ x1"),
        (write_kitti, [{**good(), "labels": ["a", "b"]}], ValueError, "상자 1개와 labels 2개"),
        (write_kitti, [{**good(), "labels": [1]}], TypeError, r"\['labels'\]\[0\]는 클래스 이름.*dataset.classes"),
        (write_kitti, [{**good(), "labels": "circle"}], TypeError, r"\['labels'\]는 클래스 이름의 리스트"),
        (write_kitti, [{**good(), "labels": ["traffic light"]}], ValueError, "공백을 쓸 수 없습니다.*'traffic light'"),
        (write_kitti, [{**good(), "occluded": [0, 1]}], ValueError, r"\['occluded'\]의 길이 2가 상자 개수 1"),
        (write_voc, [good(), {**good(), "file_name": "sub/a.jpg"}], ValueError,
         r"records\[0\]와 records\[1\]의 file_name이 같은 파일 a\.xml"),
    ],
)
def test_writers_reject_bad_records(tmp_path, writer, data, error, message):
    target = tmp_path / ("c.json" if writer is write_coco else "out")
    with pytest.raises(error, match=message):
        writer(data, target)


def test_coco_writer_checks_classes_and_ids(tmp_path):
    with pytest.raises(ValueError, match=r"records\[0\]의 클래스 \['circle'\]가 classes \['square'\]에 없습니다"):
        write_coco([good()], tmp_path / "c.json", classes=["square"])
    with pytest.raises(ValueError, match="classes에 같은 이름이 두 번"):
        write_coco([good()], tmp_path / "c.json", classes=["circle", "circle"])
    twins = [{**good(), "image_id": 3}, {**good(), "file_name": "b.png", "image_id": 3}]
    with pytest.raises(ValueError, match="image_id가 서로 달라야"):
        write_coco(twins, tmp_path / "c.json")


def test_readers_report_missing_paths(tmp_path):
    with pytest.raises(FileNotFoundError, match="VOC 경로 '.*nope'가 없습니다"):
        read_voc(tmp_path / "nope")
    with pytest.raises(FileNotFoundError, match="COCO 경로"):
        read_coco(tmp_path / "nope.json")
    with pytest.raises(FileNotFoundError, match=r"KITTI 레이블 파일\(\*\.txt\)이 없습니다"):
        read_kitti(tmp_path)
    with pytest.raises(TypeError, match="VOC 경로는 str 또는 Path"):
        read_voc(3)
    (tmp_path / "a.txt").write_text(KITTI_OK)
    with pytest.raises(ValueError, match=r"image_size는 양의 정수 두 개 \(width, height\).*\(0, 5\)"):
        read_kitti(tmp_path, image_size=(0, 5))
