"""Detection annotations on disk: Pascal VOC XML, COCO JSON and KITTI txt, written and read back.

All three formats go through one in-memory **record** per image (a plain dict)::

    {"file_name": "000000.png", "width": 128, "height": 128,
     "boxes": ndarray[N, 4] float64,    # (x1, y1, x2, y2), 0-based pixel edges, x2/y2 exclusive
     "labels": ["circle", "square"],    # class names, one per box
     # optional, used by the writers when present and returned by readers that have them:
     "image_id": int, "difficult": [bool], "truncated": [float 0..1], "occluded": [int 0..3],
     "scores": [float], "areas": [float], "iscrowd": [int], "masks": ndarray[N, H, W] bool}

The box convention is the one of :mod:`helpers.shapes`, COCO and torchvision: pixel column ``j``
covers ``[j, j + 1)``, so a box spanning columns 10..19 is ``x1 = 10, x2 = 20``. How each format
stores that box:

========  =====================================================  ================================
format    stored as                                              precision of a round trip
========  =====================================================  ================================
VOC       ``xmin ymin xmax ymax``: **1-based inclusive integer   rounded to whole pixels
          pixels**: xmin = x1 + 1, xmax = x2 (and back:
          x1 = xmin - 1, x2 = xmax, as detectron2's VOC loader)
COCO      ``bbox = [x, y, w, h]`` = [x1, y1, x2 - x1, y2 - y1]   exact (JSON floats)
KITTI     ``left top right bottom`` = x1 y1 x2 y2, 2 decimals     0.005 px
========  =====================================================  ================================

Writers accept a list of records, one record, or a :class:`helpers.shapes.ShapesDataset` (anything
with ``to_records()``). Readers return a list of records. A malformed file raises
:class:`AnnotationError` (a ``ValueError``) whose Korean message names the file and the line or
field at fault.
"""
from __future__ import annotations

import codecs
import json
import math
import re
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias
from xml.parsers import expat

import numpy as np
import numpy.typing as npt

from helpers import checks

if TYPE_CHECKING:
    from helpers.shapes import ShapesDataset

__all__ = [
    "AnnotationError",
    "AnnotationWarning",
    "KITTI_FIELDS",
    "KITTI_DONT_CARE",
    "xyxy_to_voc",
    "voc_to_xyxy",
    "mask_to_rle",
    "rle_to_mask",
    "write_voc",
    "read_voc",
    "write_coco",
    "read_coco",
    "write_kitti",
    "read_kitti",
    "format_sample",
]

# The 15 columns of a KITTI object label line (a 16th, ``score``, appears in detection results).
KITTI_FIELDS = (
    "type", "truncated", "occluded", "alpha",
    "x1", "y1", "x2", "y2",             # 2-D box: left, top, right, bottom (0-based pixels)
    "h", "w", "l",                       # 3-D size in metres
    "x", "y", "z",                       # 3-D location in camera coordinates
    "rotation_y",
)  # fmt: skip

# What we write in KITTI's 3-D columns for 2-D synthetic objects: the "don't care" values the
# KITTI object devkit (readme.txt) uses for DontCare regions: alpha -10, dimensions -1,
# location -1000, rotation_y -10. KITTI tools treat them as "no 3-D information".
KITTI_DONT_CARE = {"alpha": -10.0, "h": -1.0, "w": -1.0, "l": -1.0,
                   "x": -1000.0, "y": -1000.0, "z": -1000.0, "rotation_y": -10.0}  # fmt: skip


Record: TypeAlias = "dict[str, Any]"  # one image's annotations, see the module docstring
# What the writers accept: a list of records, one record, or a ShapesDataset (``to_records()``).
RecordsLike: TypeAlias = "Sequence[Mapping[str, Any]] | Mapping[str, Any] | ShapesDataset"


class AnnotationError(ValueError):
    """A malformed annotation file. ``path`` and ``line`` (1-based, or None) say where."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.path = None if path is None else Path(path)
        self.line = line


class AnnotationWarning(UserWarning):
    """A file was read by one of the documented rules for imperfect files (see :func:`read_voc`,
    :func:`read_coco`, :func:`read_kitti`); the Korean message names the file and the field."""


def _warn(message: str) -> None:
    warnings.warn(message, AnnotationWarning, stacklevel=4)


def _check_box_in_image(box: Sequence[float], width: float | None, height: float | None, where: str) -> None:
    """Warn (data unchanged) about a zero-width/height box or one reaching outside the image."""
    x1, y1, x2, y2 = box
    if x2 == x1 or y2 == y1:
        _warn(f"{where}: 너비 또는 높이가 0인 상자입니다 {list(box)}. 그대로 두지만 어떤 예측과도 IoU가 0이라 "
              "평가에서 늘 놓친 객체(FN)가 됩니다. 어노테이션을 확인하세요.")
    if width is not None and height is not None and (x1 < 0 or y1 < 0 or x2 > width or y2 > height):
        _warn(f"{where}: 상자 {list(box)}가 이미지 (너비 {width}, 높이 {height}) 밖으로 나갑니다. 좌표는 바꾸지 않습니다 "
              "(COCOeval과 VOC devkit도 자르지 않습니다). 필요하면 helpers.boxes.clip_boxes로 자르세요.")


# ---------------------------------------------------------------------------------------------
# Records: checking what the writers get
# ---------------------------------------------------------------------------------------------
def _as_records(data: RecordsLike, need_size: bool = True) -> list[Record]:
    """Normalise the writers' input to a list of checked records (boxes as float64 arrays)."""
    if hasattr(data, "to_records"):
        data = data.to_records()
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, (list, tuple)):
        raise TypeError(
            "어노테이션 입력은 레코드(dict)의 리스트, 레코드 하나, 또는 ShapesDataset이어야 합니다. "
            f"받은 값: {type(data).__name__}"
        )
    records = []
    for i, rec in enumerate(data):
        where = f"records[{i}]"
        if not isinstance(rec, dict):
            raise TypeError(f"{where}는 dict여야 합니다. 받은 값: {type(rec).__name__}")
        for key in ("file_name", "boxes", "labels") + (("width", "height") if need_size else ()):
            if key not in rec or rec[key] is None:
                raise ValueError(
                    f"{where}에 '{key}' 값이 없습니다. 레코드에는 file_name, width, height, boxes, labels가 필요합니다."
                )
        if not isinstance(rec["file_name"], str) or not rec["file_name"]:
            raise ValueError(f"{where}['file_name']은 비어 있지 않은 문자열이어야 합니다. 받은 값: {rec['file_name']!r}")
        if need_size:
            for key in ("width", "height"):
                checks.positive_int(f"{where}['{key}']", rec[key], hint="이미지의 픽셀 수입니다.")
        boxes = np.asarray(_tensor_to_numpy(rec["boxes"], f"{where}['boxes']"), dtype=np.float64)
        if boxes.size == 0:
            boxes = boxes.reshape(0, 4)
        if boxes.ndim != 2 or boxes.shape[1] != 4:
            raise ValueError(f"{where}['boxes']의 모양은 (N, 4)여야 합니다. 받은 모양: {tuple(boxes.shape)}")
        if not np.isfinite(boxes).all():
            raise ValueError(f"{where}['boxes']에 NaN이나 무한대 값이 있습니다.")
        if (boxes[:, 2] < boxes[:, 0]).any() or (boxes[:, 3] < boxes[:, 1]).any():
            bad = int(np.flatnonzero((boxes[:, 2] < boxes[:, 0]) | (boxes[:, 3] < boxes[:, 1]))[0])
            raise ValueError(
                f"{where}['boxes'][{bad}] = {boxes[bad].tolist()} 는 x2 ≥ x1, y2 ≥ y1 을 만족하지 않습니다. "
                "상자는 (x1, y1, x2, y2) 형식이어야 합니다."
            )
        labels = rec["labels"]
        if isinstance(labels, str) or not isinstance(labels, Iterable):
            raise TypeError(f"{where}['labels']는 클래스 이름의 리스트여야 합니다. 받은 값: {labels!r}")
        labels = list(labels)
        if len(labels) != len(boxes):
            raise ValueError(
                f"{where}: 상자 {len(boxes)}개와 labels {len(labels)}개의 개수가 다릅니다. 상자마다 이름이 하나씩 필요합니다."
            )
        for j, name in enumerate(labels):
            if not isinstance(name, str) or not name.strip():
                raise TypeError(
                    f"{where}['labels'][{j}]는 클래스 이름(문자열)이어야 합니다. 받은 값: {name!r}. "
                    "숫자 레이블이라면 dataset.classes[label]로 이름을 넣으세요."
                )
        out = dict(rec)
        out["boxes"], out["labels"] = boxes, labels
        for key in ("difficult", "truncated", "occluded", "scores", "areas", "iscrowd"):
            if rec.get(key) is not None and len(rec[key]) != len(boxes):
                raise ValueError(f"{where}['{key}']의 길이 {len(rec[key])}가 상자 개수 {len(boxes)}와 다릅니다.")
            if rec.get(key) is not None:
                _check_per_object(rec[key], key, where)
        records.append(out)
    return records


def _tensor_to_numpy(values: Any, name: str) -> Any:
    """A torch tensor (also on a GPU or with grad) as an ndarray; lists and arrays as they are."""
    return checks.to_numpy(values, name) if hasattr(values, "detach") else values


# What each optional per-object field may hold: (allowed values or a range, description).
_PER_OBJECT = {
    "difficult": ((0, 1), "True/False(또는 0/1)"),
    "iscrowd": ((0, 1), "0 또는 1"),
    "occluded": ((0, 1, 2, 3), "0, 1, 2, 3 중 하나 (KITTI: 0 보임 ~ 3 모름)"),
    "truncated": ((0.0, 1.0), "0 이상 1 이하의 실수"),
    "scores": ((-math.inf, math.inf), "유한한 실수"),
    "areas": ((0.0, math.inf), "0 이상의 유한한 실수"),
}


def _check_per_object(values: Any, key: str, where: str) -> None:
    """Refuse values a writer would store silently wrong (NaN in JSON, int("yes"), a truncated 0.5)."""
    allowed, what = _PER_OBJECT[key]
    for j, v in enumerate(_tensor_to_numpy(values, f"{where}['{key}']")):
        ok = isinstance(v, (bool, int, float, np.bool_, np.integer, np.floating)) and math.isfinite(float(v))
        if ok and key in ("difficult", "iscrowd", "occluded"):
            ok = float(v) in allowed
        elif ok and key in ("truncated", "areas"):
            ok = allowed[0] <= float(v) <= allowed[1]
        if not ok:
            raise ValueError(f"{where}['{key}'][{j}] = {v!r}: {key}는 {what}여야 합니다.")


def _per_object(record: Record, key: str, default: Any, j: int) -> Any:
    values = record.get(key)
    return default if values is None else values[j]


def _stem_paths(records: list[Record], out_dir: Path, suffix: str) -> list[Path]:
    paths = [out_dir / (Path(r["file_name"]).stem + suffix) for r in records]
    seen: dict[Path, int] = {}
    for i, p in enumerate(paths):
        if p in seen:
            raise ValueError(
                f"records[{seen[p]}]와 records[{i}]의 file_name이 같은 파일 {p.name}이 됩니다. file_name을 서로 다르게 하세요."
            )
        seen[p] = i
    return paths


def _check_path(path: str | Path, what: str) -> Path:
    if not isinstance(path, (str, Path)):
        raise TypeError(f"{what} 경로는 str 또는 Path여야 합니다. 받은 값: {type(path).__name__}")
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{what} 경로 '{path}'가 없습니다. 경로를 확인하세요.")
    return path


def _files_in(path: Path, suffix: str, what: str) -> list[Path]:
    if path.is_file():
        return [path]
    files = sorted(path.glob(f"*{suffix}"))
    if not files:
        raise FileNotFoundError(f"폴더 '{path}'에 {what} 파일(*{suffix})이 없습니다.")
    return files


# ---------------------------------------------------------------------------------------------
# Pascal VOC XML: one file per image, 1-based integer pixel coordinates
# ---------------------------------------------------------------------------------------------
def xyxy_to_voc(boxes: npt.ArrayLike) -> np.ndarray:
    """(x1, y1, x2, y2) pixel edges → VOC ``xmin, ymin, xmax, ymax`` (1-based, inclusive, int).

    ``xmin = round(x1) + 1``, ``xmax = round(x2)``: the first and last pixel the box covers,
    counted from 1. A box thinner than one pixel still covers one pixel (``xmax >= xmin``).

    Args:
        boxes (ndarray[N, 4]) in (x1, y1, x2, y2) format.
    Returns:
        ndarray[N, 4] int64 in VOC (xmin, ymin, xmax, ymax) format.
    """
    b = np.floor(np.asarray(boxes, dtype=np.float64).reshape(-1, 4) + 0.5).astype(np.int64)  # round half up
    voc = b.copy()
    voc[:, :2] += 1
    voc[:, 2:] = np.maximum(voc[:, 2:], voc[:, :2])
    return voc


def voc_to_xyxy(voc: npt.ArrayLike) -> np.ndarray:
    """VOC ``xmin, ymin, xmax, ymax`` (1-based, inclusive) → (x1, y1, x2, y2) pixel edges (float64).

    ``x1 = xmin - 1``, ``x2 = xmax``; the exact inverse of :func:`xyxy_to_voc` on whole pixels.
    """
    b = np.asarray(voc, dtype=np.float64).reshape(-1, 4).copy()
    b[:, :2] -= 1
    return b


def _voc_element(record: Record, folder: str) -> ET.Element:
    root = ET.Element("annotation")
    ET.SubElement(root, "folder").text = folder
    ET.SubElement(root, "filename").text = record["file_name"]
    ET.SubElement(ET.SubElement(root, "source"), "database").text = "helpers.shapes"
    size = ET.SubElement(root, "size")
    ET.SubElement(size, "width").text = str(int(record["width"]))
    ET.SubElement(size, "height").text = str(int(record["height"]))
    ET.SubElement(size, "depth").text = str(int(record.get("depth", 3)))
    ET.SubElement(root, "segmented").text = "0"
    for j, (name, box) in enumerate(zip(record["labels"], xyxy_to_voc(record["boxes"]), strict=True)):
        obj = ET.SubElement(root, "object")
        ET.SubElement(obj, "name").text = name
        ET.SubElement(obj, "pose").text = "Unspecified"
        ET.SubElement(obj, "truncated").text = str(int(float(_per_object(record, "truncated", 0, j)) > 0))
        ET.SubElement(obj, "difficult").text = str(int(bool(_per_object(record, "difficult", False, j))))
        bndbox = ET.SubElement(obj, "bndbox")
        for key, value in zip(("xmin", "ymin", "xmax", "ymax"), box, strict=True):
            ET.SubElement(bndbox, key).text = str(int(value))
    ET.indent(root, space="  ")
    return root


def _voc_string(record: Record, folder: str = "shapes") -> str:
    return ET.tostring(_voc_element(record, folder), encoding="unicode") + "\n"


def write_voc(data: RecordsLike, out_dir: str | Path, folder: str = "shapes") -> list[Path]:
    """Write one Pascal VOC XML file per image into ``out_dir`` (``000000.png`` → ``000000.xml``).

    In the VOC devkit these files live in ``Annotations/`` next to the images in ``JPEGImages/``.
    Boxes are stored as 1-based integer pixels (see :func:`xyxy_to_voc`). Returns the paths.
    """
    records = _as_records(data)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = _stem_paths(records, out, ".xml")
    for record, path in zip(records, paths, strict=True):
        path.write_text(_voc_string(record, folder), encoding="utf-8")
    return paths


_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_EXPAT_ENCODINGS = {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "utf-16"}


def _xml_bytes(path: Path) -> bytes:
    """The file's bytes, ready for expat: an XML declared in a legacy multi-byte encoding (e.g.
    ``encoding="euc-kr"``, which expat cannot read) is decoded with Python's codec and handed on
    as UTF-8. No data changes; a file that does not decode raises :class:`AnnotationError`."""
    data = path.read_bytes()
    if data.startswith(codecs.BOM_UTF8):  # Windows Notepad's byte-order mark
        data = data[len(codecs.BOM_UTF8):]
    match = _XML_DECLARATION.match(data)
    if match is None:
        return data
    declared = match.group(1).decode("ascii")
    if declared.lower() in _EXPAT_ENCODINGS:
        return data
    try:
        codec = codecs.lookup(declared)
    except LookupError:
        raise AnnotationError(
            f"VOC 파일 '{path}': XML 선언의 encoding=\"{declared}\"은(는) 알 수 없는 인코딩입니다. "
            "UTF-8로 다시 저장하세요.",
            path,
            1,
        ) from None
    try:
        text = data.decode(codec.name)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise AnnotationError(
            f"VOC 파일 '{path}' ({line}번째 줄): XML 선언은 encoding=\"{declared}\"인데 그 인코딩으로 읽을 수 없는 "
            f"바이트가 있습니다 ({exc.reason}). 파일을 실제로 저장한 인코딩을 선언에 적거나 UTF-8로 다시 저장하세요.",
            path,
            line,
        ) from None
    before = len(data[: match.start(1)].decode(codec.name))  # characters before the encoding name
    return (text[:before] + "utf-8" + text[before + len(declared):]).encode("utf-8")


def _parse_xml_with_lines(path: Path) -> tuple[ET.Element, dict[int, int]]:
    """Parse XML and remember each element's line (ElementTree alone forgets it)."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate()
    lines: dict[int, int] = {}

    def start(tag: str, attrs: dict[str, str]) -> None:
        lines[id(builder.start(tag, attrs))] = parser.CurrentLineNumber

    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    data = _xml_bytes(path)
    try:
        parser.Parse(data, True)
        root = builder.close()
    except expat.ExpatError as exc:
        hint = "태그가 제대로 닫혔는지 확인하세요."
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            hint = (
                "파일이 UTF-8이 아닌 인코딩(예: Windows의 ANSI = cp949/euc-kr)으로 저장된 것 같습니다. "
                "UTF-8로 다시 저장하거나, 첫 줄에 <?xml version=\"1.0\" encoding=\"euc-kr\"?>처럼 인코딩을 적으세요."
            )
        raise AnnotationError(
            f"VOC 파일 '{path}'을(를) XML로 읽을 수 없습니다 ({exc.lineno}번째 줄, {exc.offset + 1}번째 글자): "
            f"{expat.ErrorString(exc.code)}. {hint}",
            path,
            exc.lineno,
        ) from None
    return root, lines


def _read_one_voc(path: Path) -> Record:
    root, lines = _parse_xml_with_lines(path)

    def line_of(el: ET.Element | None) -> int | None:
        return lines.get(id(el))

    def fail(message: str, el: ET.Element | None) -> AnnotationError:
        line = line_of(el)
        where = f" ({line}번째 줄)" if line else ""
        return AnnotationError(f"VOC 파일 '{path}'{where}: {message}", path, line)

    def number(el: ET.Element, tag: str, what: str) -> float:
        child = el.find(tag)
        if child is None:
            raise fail(f"{what}에 <{tag}>가 없습니다.", el)
        text = (child.text or "").strip()
        try:
            value = float(text)
        except ValueError:
            raise fail(f"{what}의 <{tag}> 값 {text!r}은(는) 숫자가 아닙니다.", child) from None
        if not math.isfinite(value):
            raise fail(f"{what}의 <{tag}> 값 {text!r}은(는) 유한한 숫자가 아닙니다.", child)
        return value

    if root.tag != "annotation":
        raise fail(f"최상위 태그가 <annotation>이어야 하는데 <{root.tag}>입니다. VOC 어노테이션 파일이 맞나요?", root)
    filename = root.find("filename")
    if filename is None or not (filename.text or "").strip():
        raise fail("필수 항목 <filename>이 없습니다.", root)
    size = root.find("size")
    if size is None:
        raise fail("필수 항목 <size>(width, height, depth)가 없습니다.", root)
    width, height = (number(size, tag, "<size>") for tag in ("width", "height"))
    for tag, value in (("width", width), ("height", height)):
        if value <= 0 or value != int(value):
            raise fail(
                f"<size>의 <{tag}> 값 {value:g}은(는) 양의 정수여야 합니다 (이미지의 픽셀 수). 이미지 파일을 열어 "
                "실제 크기를 적으세요.",
                size.find(tag),
            )
    width, height = int(width), int(height)

    boxes, labels, difficult, truncated = [], [], [], []
    for k, obj in enumerate(root.findall("object")):
        name_el = obj.find("name")
        name = "" if name_el is None else (name_el.text or "").strip()
        if not name:
            raise fail(f"{k}번 <object>에 <name>(클래스 이름)이 없습니다.", obj)
        what = f"{k}번 <object>('{name}')"
        bndbox = obj.find("bndbox")
        if bndbox is None:
            raise fail(f"{what}에 <bndbox>가 없습니다. 상자 좌표(xmin, ymin, xmax, ymax)가 필요합니다.", obj)
        voc = [number(bndbox, tag, f"{what}의 <bndbox>") for tag in ("xmin", "ymin", "xmax", "ymax")]
        line = line_of(bndbox)
        where = f"VOC 파일 '{path}'" + (f" ({line}번째 줄)" if line else "") + f" {what}"
        for i, tag in ((0, "xmin"), (1, "ymin")):
            if voc[i] == 0:  # VOC pixels are 1-based: 0 is the off-by-one of a 0-based tool
                voc[i] = 1.0
                _warn(f"{where}: <{tag}>가 0입니다. VOC 좌표는 1부터 시작하므로 첫 픽셀인 1로 읽습니다 "
                      "(0부터 세는 도구로 만든 파일이라면 다른 좌표도 1씩 작을 수 있습니다).")
        if voc[2] < voc[0] or voc[3] < voc[1]:
            raise fail(f"{what}의 <bndbox>가 xmax ≥ xmin, ymax ≥ ymin 을 만족하지 않습니다: {voc}", bndbox)
        boxes.append(voc)
        labels.append(name)
        _check_box_in_image(voc_to_xyxy(voc)[0].tolist(), width, height, where)
        # optional 0/1 flags (absent = 0)
        flag = number(obj, "difficult", what) if obj.find("difficult") is not None else 0.0
        if flag not in (0.0, 1.0):
            raise fail(f"{what}의 <difficult> 값 {flag:g}은(는) 0 또는 1이어야 합니다.", obj.find("difficult"))
        difficult.append(flag == 1.0)
        truncated.append(number(obj, "truncated", what) if obj.find("truncated") is not None else 0.0)
    return {
        "file_name": (filename.text or "").strip(),
        "width": width,
        "height": height,
        "boxes": voc_to_xyxy(np.array(boxes, dtype=np.float64).reshape(-1, 4)),
        "labels": labels,
        "difficult": np.array(difficult, dtype=bool),
        "truncated": np.array(truncated, dtype=np.float64),
    }


def read_voc(path: str | Path) -> list[Record]:
    """Read one VOC XML file, or every ``*.xml`` in a folder (sorted by name), into records.

    Records get ``file_name``, ``width``, ``height``, ``boxes`` (back to 0-based pixel edges, see
    :func:`voc_to_xyxy`), ``labels``, ``difficult`` (bool) and ``truncated`` (0/1). A single file
    gives a one-element list.

    Files as people save them (each rule tested):

    * a UTF-8 byte-order mark is skipped; an XML declared in another encoding (e.g.
      ``encoding="euc-kr"``, which the XML parser cannot read itself) is decoded with Python's
      codec; a file that is not in its declared encoding raises :class:`AnnotationError` with a
      hint (e.g. saved as cp949 without a declaration).
    * ``<xmin>`` or ``<ymin>`` 0: VOC counts pixels from 1, so 0 is read as 1 (the first pixel),
      with an :class:`AnnotationWarning`.
    * a box reaching outside ``<size>``, or of zero width/height: kept as it is, with an
      :class:`AnnotationWarning` (the devkit does not clip either).
    * ``<size>`` width/height that is not a positive integer (0 from a broken tool), a
      ``<difficult>`` other than 0/1: :class:`AnnotationError` naming the file, line and tag.
    """
    path = _check_path(path, "VOC")
    return [_read_one_voc(p) for p in _files_in(path, ".xml", "VOC XML")]


# ---------------------------------------------------------------------------------------------
# COCO JSON: one file for the whole dataset
# ---------------------------------------------------------------------------------------------
def mask_to_rle(mask: npt.ArrayLike) -> dict[str, list[int]]:
    """Binary mask (ndarray[H, W]) → COCO *uncompressed* RLE ``{"counts": [...], "size": [H, W]}``.

    COCO reads pixels column by column (Fortran order) and stores run lengths that alternate
    0-runs and 1-runs, starting with a (possibly empty) run of 0s.
    """
    m = np.asarray(mask)
    if m.ndim != 2:
        raise ValueError(f"mask의 모양은 (H, W)여야 합니다. 받은 모양: {tuple(m.shape)}")
    flat = m.astype(bool).ravel(order="F")
    starts = np.flatnonzero(flat[1:] != flat[:-1]) + 1  # where a new run begins
    counts = np.diff(np.concatenate([[0], starts, [flat.size]])).tolist()
    if flat.size and flat[0]:
        counts = [0] + counts
    return {"counts": counts, "size": [int(m.shape[0]), int(m.shape[1])]}


def rle_to_mask(rle: Mapping[str, Any]) -> np.ndarray:
    """COCO uncompressed RLE → binary mask ndarray[H, W] (uint8), the inverse of :func:`mask_to_rle`."""
    height, width = rle["size"]
    counts = np.asarray(rle["counts"], dtype=np.int64)
    if counts.sum() != height * width:
        raise ValueError(f"RLE counts의 합 {int(counts.sum())}이(가) H×W = {height * width}와 다릅니다.")
    values = np.arange(len(counts)) % 2  # runs alternate 0, 1, 0, ...
    return np.repeat(values, counts).astype(np.uint8).reshape((height, width), order="F")


def _coco_categories(records: list[Record], classes: Sequence[str] | None) -> list[str]:
    names = list(classes) if classes is not None else sorted({n for r in records for n in r["labels"]})
    if classes is not None:
        if len(set(names)) != len(names):
            raise ValueError(f"classes에 같은 이름이 두 번 이상 있습니다: {names}")
        for i, r in enumerate(records):
            unknown = sorted(set(r["labels"]) - set(names))
            if unknown:
                raise ValueError(f"records[{i}]의 클래스 {unknown}가 classes {names}에 없습니다.")
    return names


def _coco_dict(records: list[Record], categories: list[str]) -> dict[str, Any]:
    cat_id = {name: k for k, name in enumerate(categories, start=1)}  # COCO ids start at 1
    images: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    for i, r in enumerate(records):
        image_id = int(r.get("image_id", i))
        images.append(
            {"id": image_id, "file_name": r["file_name"], "width": int(r["width"]), "height": int(r["height"])}
        )
        masks = r.get("masks")
        for j, (box, name) in enumerate(zip(r["boxes"], r["labels"], strict=True)):
            x1, y1, x2, y2 = (float(v) for v in box)
            ann = {
                "id": len(annotations) + 1,
                "image_id": image_id,
                "category_id": cat_id[name],
                "bbox": [x1, y1, x2 - x1, y2 - y1],
            }
            if masks is not None:  # COCO's area is the segmentation's pixel count
                ann["segmentation"] = mask_to_rle(masks[j])
                ann["area"] = float(np.count_nonzero(masks[j]))
            else:  # without a mask, the box itself is the segmentation (a 4-corner polygon)
                ann["segmentation"] = [[x1, y1, x2, y1, x2, y2, x1, y2]]
                ann["area"] = (x2 - x1) * (y2 - y1)
            if r.get("areas") is not None:
                ann["area"] = float(r["areas"][j])
            ann["iscrowd"] = int(_per_object(r, "iscrowd", 0, j))
            annotations.append(ann)
    ids = [im["id"] for im in images]
    if len(set(ids)) != len(ids):
        raise ValueError("records의 image_id가 서로 달라야 합니다 (COCO의 images.id는 중복될 수 없습니다).")
    return {
        "info": {"description": "helpers.annotations export", "version": "1.0"},
        "licenses": [],
        "images": images,
        "annotations": annotations,
        "categories": [{"id": k, "name": n, "supercategory": "shape"} for n, k in cat_id.items()],
    }


def _coco_json(coco: Mapping[str, Any]) -> str:
    """Valid JSON with one image / annotation / category per line: diffable and readable."""
    parts = []
    for key, value in coco.items():
        if isinstance(value, list) and value:
            items = ",\n".join("  " + json.dumps(item, ensure_ascii=False) for item in value)
            parts.append(f"{json.dumps(key)}: [\n{items}\n]")
        else:
            parts.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def write_coco(data: RecordsLike, path: str | Path, classes: Sequence[str] | None = None) -> Path:
    """Write all images' annotations into one COCO JSON file (loadable by ``pycocotools.coco.COCO``).

    ``bbox`` is ``[x, y, w, h]`` (top-left corner, width, height) in pixels; ``category_id`` is
    1-based in the order of ``classes`` (default: the dataset's classes for a ShapesDataset, else
    the sorted label names), which matches the dataset's labels. Images keep their ``image_id``
    (default: position in the list). ``segmentation`` is the mask as uncompressed RLE when records
    carry ``masks``, otherwise the box as a polygon; ``area`` is the mask's pixel count or the box's.
    """
    if classes is None and hasattr(data, "classes") and hasattr(data, "to_records"):
        classes = [c for c in data.classes if c != "__background__"]
    records = _as_records(data)
    coco = _coco_dict(records, _coco_categories(records, classes))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_coco_json(coco), encoding="utf-8")
    return path


def read_coco(path: str | Path) -> list[Record]:
    """Read a COCO JSON file into records, in the order of its ``images`` list.

    Records get ``file_name``, ``width``, ``height``, ``image_id``, ``boxes`` (xyxy, from
    ``bbox`` [x, y, w, h]), ``labels`` (category names), ``areas`` and ``iscrowd``; pass them to
    :func:`helpers.average_precision.evaluate_detections` as they are (it uses ``areas`` for the
    size ranges and ``iscrowd`` for crowd regions, as COCOeval).

    Files as people save them (each rule tested): a UTF-8 byte-order mark is skipped; a missing
    or ``null`` ``area`` is the box area, a missing or ``null`` ``iscrowd`` is 0; a box of zero
    width/height or reaching outside the image is kept as it is, with an
    :class:`AnnotationWarning`. Refused with :class:`AnnotationError` naming the file and the
    field: ``width``/``height`` that are not positive integers (``null``, ``"640"``, 0), an
    ``area`` that is not a number >= 0 (``"1024"``), ``iscrowd`` other than 0/1 (``"yes"``),
    ``bbox`` not four numbers, duplicate ids, two categories with one name (records name classes,
    so they would merge), a file that is not UTF-8.
    """
    path = _check_path(path, "COCO")
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark (Windows Notepad) is skipped
    except UnicodeDecodeError as exc:
        raise AnnotationError(
            f"COCO 파일 '{path}'이(가) UTF-8이 아닙니다 (바이트 위치 {exc.start}). JSON은 UTF-8이어야 합니다: "
            "편집기에서 UTF-8로 다시 저장하세요.",
            path,
        ) from None
    try:
        coco = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AnnotationError(
            f"COCO 파일 '{path}'이(가) 올바른 JSON이 아닙니다: {exc.lineno}번째 줄, {exc.colno}번째 글자 "
            f"(문자 위치 {exc.pos}): {exc.msg}. 쉼표나 괄호가 빠지지 않았는지 확인하세요.",
            path,
            exc.lineno,
        ) from None

    def fail(message: str) -> AnnotationError:
        return AnnotationError(f"COCO 파일 '{path}': {message}", path)

    def is_number(v: Any) -> bool:
        return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)

    def check_id(value: Any, where: str) -> int | str:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise fail(f"{where}의 id={value!r}은(는) 정수여야 합니다.")
        return value

    if isinstance(coco, list):
        raise fail(
            "최상위가 리스트입니다. 이것은 탐지 결과(results) 파일로 보입니다; "
            "정답 파일은 images, annotations, categories를 가진 객체여야 합니다."
        )
    if not isinstance(coco, dict):
        raise fail(f"최상위가 JSON 객체여야 합니다. 받은 값: {type(coco).__name__}")
    for key in ("images", "annotations", "categories"):
        if not isinstance(coco.get(key), list):
            raise fail(f"필수 항목 '{key}'(리스트)가 없습니다.")

    categories: dict[int | str, str] = {}
    for k, cat in enumerate(coco["categories"]):
        if not isinstance(cat, dict) or "id" not in cat or "name" not in cat:
            raise fail(f"categories[{k}]에 'id'와 'name'이 필요합니다. 받은 값: {cat!r}")
        cat_id = check_id(cat["id"], f"categories[{k}]")
        if not isinstance(cat["name"], str) or not cat["name"].strip():
            raise fail(f"categories[{k}]의 name={cat['name']!r}은(는) 비어 있지 않은 문자열이어야 합니다.")
        if cat_id in categories:
            raise fail(f"categories[{k}]의 id={cat_id!r}가 중복됩니다.")
        same = [i for i, n in categories.items() if n == cat["name"]]
        if same:
            raise fail(
                f"categories[{k}] (id={cat_id!r})의 name={cat['name']!r}이(가) id={same[0]!r}의 이름과 같습니다. "
                "레코드는 클래스를 이름으로 구분하므로 두 클래스가 하나로 합쳐집니다. 이름을 서로 다르게 고치세요."
            )
        categories[cat_id] = cat["name"]

    records: dict[int | str, Record] = {}
    for k, im in enumerate(coco["images"]):
        if not isinstance(im, dict):
            raise fail(f"images[{k}]는 객체여야 합니다. 받은 값: {im!r}")
        for key in ("id", "file_name", "width", "height"):
            if key not in im:
                raise fail(f"images[{k}]에 '{key}'가 없습니다.")
        image_id = check_id(im["id"], f"images[{k}]")
        if image_id in records:
            raise fail(f"images[{k}]의 id={image_id!r}가 중복됩니다.")
        if not isinstance(im["file_name"], str) or not im["file_name"]:
            raise fail(f"images[{k}]의 file_name={im['file_name']!r}은(는) 비어 있지 않은 문자열이어야 합니다.")
        for key in ("width", "height"):
            value = im[key]
            if not is_number(value) or value <= 0 or value != int(value):
                raise fail(
                    f"images[{k}] (id={image_id!r})의 {key}={value!r}은(는) 양의 정수(픽셀 수)여야 합니다. "
                    "이미지 파일을 열어 실제 크기를 적으세요."
                )
        records[image_id] = {
            "file_name": im["file_name"], "width": int(im["width"]), "height": int(im["height"]),
            "image_id": image_id, "boxes": [], "labels": [], "areas": [], "iscrowd": [],
        }  # fmt: skip

    for k, ann in enumerate(coco["annotations"]):
        where = f"annotations[{k}]" + (f" (id={ann['id']})" if isinstance(ann, dict) and "id" in ann else "")
        if not isinstance(ann, dict):
            raise fail(f"{where}는 객체여야 합니다. 받은 값: {ann!r}")
        for key in ("image_id", "category_id", "bbox"):
            if key not in ann:
                raise fail(f"{where}에 '{key}'가 없습니다.")
        if not isinstance(ann["image_id"], (int, str)) or ann["image_id"] not in records:
            raise fail(f"{where}의 image_id={ann['image_id']!r}인 이미지가 images에 없습니다.")
        if not isinstance(ann["category_id"], (int, str)) or ann["category_id"] not in categories:
            raise fail(
                f"{where}의 category_id={ann['category_id']!r}가 categories에 없습니다 "
                f"(있는 id: {sorted(categories, key=str)})."
            )
        bbox = ann["bbox"]
        if not isinstance(bbox, list) or len(bbox) != 4 or not all(is_number(v) for v in bbox):
            raise fail(f"{where}의 bbox는 숫자 4개 [x, y, w, h]여야 합니다. 받은 값: {bbox!r}")
        x, y, w, h = (float(v) for v in bbox)
        if w < 0 or h < 0:
            raise fail(f"{where}의 bbox 너비/높이가 음수입니다: {bbox!r}. COCO bbox는 [x, y, w, h]입니다.")
        area = ann.get("area", w * h)
        if area is None:
            area = w * h
        if not is_number(area) or area < 0:
            raise fail(
                f"{where}의 area={area!r}은(는) 0 이상의 숫자여야 합니다 (문자열 \"1024\"가 아니라 1024). "
                "area는 COCO 평가에서 객체 크기(small/medium/large)를 정합니다."
            )
        crowd = ann.get("iscrowd", 0)
        if crowd is None:
            crowd = 0
        if crowd not in (0, 1) or isinstance(crowd, float) and crowd != int(crowd):
            raise fail(f"{where}의 iscrowd={crowd!r}은(는) 0 또는 1이어야 합니다 (1 = 여러 객체를 묶은 군중 영역).")
        rec = records[ann["image_id"]]
        _check_box_in_image([x, y, x + w, y + h], rec["width"], rec["height"], f"COCO 파일 '{path}' {where}")
        rec["boxes"].append([x, y, x + w, y + h])
        rec["labels"].append(categories[ann["category_id"]])
        rec["areas"].append(float(area))
        rec["iscrowd"].append(int(crowd))

    out = []
    for rec in records.values():
        rec["boxes"] = np.array(rec["boxes"], dtype=np.float64).reshape(-1, 4)
        rec["areas"] = np.array(rec["areas"], dtype=np.float64)
        rec["iscrowd"] = np.array(rec["iscrowd"], dtype=np.int64)
        out.append(rec)
    return out


# ---------------------------------------------------------------------------------------------
# KITTI txt: one file per image, one object per line, 15 space-separated fields
# ---------------------------------------------------------------------------------------------
def _kitti_lines(record: Record) -> list[str]:
    d = KITTI_DONT_CARE
    lines = []
    for j, (name, (x1, y1, x2, y2)) in enumerate(zip(record["labels"], record["boxes"], strict=True)):
        if any(ch.isspace() for ch in name):
            raise ValueError(
                f"KITTI 클래스 이름에는 공백을 쓸 수 없습니다 (필드를 공백으로 나누기 때문). 받은 이름: {name!r}. "
                "예: 'traffic light' → 'traffic_light'"
            )
        truncated = float(_per_object(record, "truncated", 0.0, j))
        occluded = int(_per_object(record, "occluded", 0, j))
        fields = [
            name, f"{truncated:.2f}", str(occluded), f"{d['alpha']:.2f}",
            f"{x1:.2f}", f"{y1:.2f}", f"{x2:.2f}", f"{y2:.2f}",
            f"{d['h']:.2f}", f"{d['w']:.2f}", f"{d['l']:.2f}",
            f"{d['x']:.2f}", f"{d['y']:.2f}", f"{d['z']:.2f}", f"{d['rotation_y']:.2f}",
        ]  # fmt: skip
        if record.get("scores") is not None:  # detection results carry a 16th field
            fields.append(f"{float(record['scores'][j]):.4f}")
        lines.append(" ".join(fields))
    return lines


def write_kitti(data: RecordsLike, out_dir: str | Path) -> list[Path]:
    """Write one KITTI label file per image into ``out_dir`` (``000000.png`` → ``000000.txt``).

    Each object is one line of the 15 :data:`KITTI_FIELDS`: the 2-D box with 2 decimals, then
    KITTI's "don't care" values for the 3-D fields (:data:`KITTI_DONT_CARE`), since synthetic 2-D
    objects have no 3-D pose. ``truncated`` (0..1) and ``occluded`` (0 fully visible, 1 partly,
    2 largely, 3 unknown) come from the record, default 0. Records with ``scores`` get a 16th
    field, as in KITTI result files. Returns the paths.
    """
    records = _as_records(data, need_size=False)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = _stem_paths(records, out, ".txt")
    for record, path in zip(records, paths, strict=True):
        lines = _kitti_lines(record)
        path.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
    return paths


def _read_one_kitti(path: Path, image_ext: str, image_size: tuple[int, int] | None) -> Record:
    boxes, labels, truncated, occluded, scores = [], [], [], [], []
    has_scores = None
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark (Windows Notepad) is skipped
    except UnicodeDecodeError as exc:
        raise AnnotationError(
            f"KITTI 파일 '{path}'이(가) UTF-8이 아닙니다 (바이트 위치 {exc.start}). UTF-8로 다시 저장하세요.", path
        ) from None
    width, height = image_size if image_size is not None else (None, None)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        fields = line.split()
        where = f"KITTI 파일 '{path}' {number}번째 줄"
        if len(fields) not in (15, 16):
            raise AnnotationError(
                f"{where}: 필드가 15개(점수를 포함한 결과 파일은 16개)여야 하는데 {len(fields)}개입니다: {line.strip()!r}. "
                f"순서: {' '.join(KITTI_FIELDS)} [score]",
                path,
                number,
            )
        if has_scores is None:
            has_scores = len(fields) == 16
        elif has_scores != (len(fields) == 16):
            raise AnnotationError(
                f"{where}: 필드 개수가 {len(fields)}개로, 앞줄들({16 if has_scores else 15}개)과 다릅니다. "
                "한 파일 안에서는 모든 줄에 점수가 있거나 모두 없어야 합니다.",
                path,
                number,
            )
        values = []
        # 15 fields leave "score" unpaired: the lengths differ on purpose.
        for name, text in zip(KITTI_FIELDS[1:] + ("score",), fields[1:], strict=False):
            try:
                value = float(text)
            except ValueError:
                raise AnnotationError(
                    f"{where}: '{name}' 필드 값 {text!r}은(는) 숫자가 아닙니다.", path, number
                ) from None
            if not math.isfinite(value):
                raise AnnotationError(f"{where}: '{name}' 필드 값 {text!r}은(는) 유한한 숫자가 아닙니다.", path, number)
            values.append(value)
        x1, y1, x2, y2 = values[3:7]
        if x2 < x1 or y2 < y1:
            raise AnnotationError(
                f"{where}: 상자가 x2 ≥ x1, y2 ≥ y1 을 만족하지 않습니다: ({x1}, {y1}, {x2}, {y2}). "
                "KITTI 상자 순서는 left top right bottom 입니다.",
                path,
                number,
            )
        _check_box_in_image([x1, y1, x2, y2], width, height, f"{where} ('{fields[0]}')")
        labels.append(fields[0])
        truncated.append(values[0])
        occluded.append(int(values[1]))
        boxes.append([x1, y1, x2, y2])
        if has_scores:
            scores.append(values[14])
    record = {
        "file_name": path.stem + image_ext,
        "width": width,
        "height": height,
        "boxes": np.array(boxes, dtype=np.float64).reshape(-1, 4),
        "labels": labels,
        "truncated": np.array(truncated, dtype=np.float64),
        "occluded": np.array(occluded, dtype=np.int64),
    }
    if has_scores:
        record["scores"] = np.array(scores, dtype=np.float64)
    return record


def read_kitti(path: str | Path, image_ext: str = ".png", image_size: tuple[int, int] | None = None) -> list[Record]:
    """Read one KITTI label file, or every ``*.txt`` in a folder (sorted by name), into records.

    KITTI labels do not store the image's name or size: ``file_name`` is the label's stem plus
    ``image_ext``, and ``width``/``height`` are ``image_size = (width, height)`` if given, else
    ``None``. Records get ``boxes``, ``labels`` (the ``type`` column, ``DontCare`` regions
    included), ``truncated``, ``occluded`` and, for 16-field result files, ``scores``.

    A UTF-8 byte-order mark is skipped (it would otherwise become part of the first class name);
    a box of zero width/height, or one reaching outside ``image_size`` when given, is kept with an
    :class:`AnnotationWarning`.
    """
    path = _check_path(path, "KITTI")
    if image_size is not None:
        image_size = checks.size_pair(image_size, "image_size", order="(width, height)")
    return [_read_one_kitti(p, image_ext, image_size) for p in _files_in(path, ".txt", "KITTI 레이블")]


# ---------------------------------------------------------------------------------------------
# The same image in all three formats, for a side-by-side look
# ---------------------------------------------------------------------------------------------
def format_sample(record: Record, classes: Sequence[str] | None = None) -> dict[str, str]:
    """The text each format stores for one image: ``{"voc": xml, "coco": json, "kitti": txt}``.

    The COCO text holds just this image, its annotations and the categories (``classes``, default
    the record's sorted label names). Masks, if the record has them, are left out for brevity.
    """
    if not isinstance(record, dict):
        raise TypeError(
            f"format_sample에는 레코드 하나(dict)를 주세요 (예: dataset.to_records()[0]). 받은 값: {type(record).__name__}"
        )
    (rec,) = _as_records(record)
    rec.pop("masks", None)
    coco = _coco_dict([rec], _coco_categories([rec], classes))
    coco = {key: coco[key] for key in ("images", "annotations", "categories")}
    return {"voc": _voc_string(rec), "coco": _coco_json(coco), "kitti": "\n".join(_kitti_lines(rec)) + "\n"}
