"""Average precision (AP) for object detection, from scratch (lesson 06).

How a detector is scored, in four steps, each a function below:

1. :func:`match_detections`: within one image and class, predictions in order of decreasing score
   each claim the free ground-truth (GT) box they overlap most, if IoU >= threshold. A
   prediction that claims a GT is a true positive (TP); one that finds none (or only GTs already
   claimed: duplicates) is a false positive (FP). Each GT is matched at most once.
2. :func:`precision_recall`: sort all predictions of a class (over all images) by score and count
   cumulatively: ``precision = TP / (TP + FP)``, ``recall = TP / (number of GTs)``.
3. AP = the area under the precision-recall curve after replacing each precision by the best
   precision reachable at that recall or beyond (the *envelope*, :func:`precision_envelope`).
   Datasets differ in how they integrate: :func:`ap_voc07_11point` (Pascal VOC 2007, 11 recall
   levels), :func:`ap_all_points` (VOC 2010+, exact area), :func:`ap_coco_101` (COCO, 101 levels).
4. :func:`evaluate_detections`: steps 1-3 for every class, IoU threshold 0.50:0.05:0.95 and object
   size, averaged as COCO does: AP (= mAP@[.5:.95]), AP50, AP75, AP_small / AP_medium / AP_large.
   The numbers equal pycocotools' ``COCOeval`` (bbox) to 1e-6 (tested), also with COCO's
   per-object ``area`` and crowd regions (``iscrowd``) as :func:`helpers.annotations.read_coco`
   returns them.
5. :func:`evaluate_voc`: the Pascal VOC protocol (devkit matching, "difficult" objects ignored),
   equal to the devkit's ``voc_eval`` (tested against a port of py-faster-rcnn's).

Conventions: boxes are ``(x1, y1, x2, y2)`` in pixels with continuous coordinates, as COCO and
torchvision: a box's width is ``x2 - x1``. The old Pascal VOC devkit added one pixel
(``x2 - x1 + 1``) to widths, heights and areas; we do not. On VOC files read with
:func:`helpers.annotations.read_voc` (``x1 = xmin - 1``, ``x2 = xmax``) the two conventions give
identical IoUs (see :func:`evaluate_voc`).
"""
from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple, TypeAlias

import numpy as np
import torch

from helpers import checks
from helpers.boxes import ArrayLike, BoxesLike, check_boxes

__all__ = [
    "COCO_IOU_THRESHOLDS",
    "COCO_REC_THRESHOLDS",
    "COCO_AREA_RANGES",
    "MatchResult",
    "PRCurve",
    "match_detections",
    "precision_recall",
    "precision_envelope",
    "interpolated_precision",
    "ap_voc07_11point",
    "ap_all_points",
    "ap_coco_101",
    "evaluate_detections",
    "evaluate_voc",
    "VOC_DEVKIT_RECALL_LEVELS",
]

# COCO's settings (pycocotools Params.setDetParams). np.linspace, not np.arange or float32
# torch.linspace: their rounding puts 0.75 or a recall level a hair off, which changes results.
COCO_IOU_THRESHOLDS = np.linspace(0.5, 0.95, 10)  # 0.50, 0.55, ..., 0.95
COCO_REC_THRESHOLDS = np.linspace(0.0, 1.0, 101)  # 0.00, 0.01, ..., 1.00
# Object size = the annotation's ``area`` (in COCO files the segmentation's pixel count; the box
# area when no area is given): small < 32², medium 32²..96², large > 96² (bounds inclusive, as in
# COCOeval, so an area of exactly 32² counts as both small and medium).
# The 11 recall levels of the Python ports of the Pascal VOC devkit (py-faster-rcnn's voc_eval,
# np.arange(0., 1.1, 0.1)): 0.30000000000000004, 0.6000000000000001 and 0.7000000000000001 are a
# hair above 0.3, 0.6 and 0.7, so a recall of exactly 3/10, 6/10 or 7/10 does not reach them.
VOC_DEVKIT_RECALL_LEVELS = np.arange(0.0, 1.1, 0.1)
COCO_AREA_RANGES = {
    "all": (0.0, 1e5**2),
    "small": (0.0, 32.0**2),
    "medium": (32.0**2, 96.0**2),
    "large": (96.0**2, 1e5**2),
}


# One image's checked arrays, as _check_inputs / _check_voc_inputs return them (see there).
ImageArrays: TypeAlias = "tuple[np.ndarray, ...]"


class MatchResult(NamedTuple):
    """Outcome of :func:`match_detections`, one entry per prediction (input order).

    A prediction matched to an *ignored* GT is neither TP nor FP (COCO's rule for crowd regions
    and objects outside the size range being evaluated).
    """

    tp: np.ndarray  # bool [D] (or [T, D] for T thresholds): matched a GT
    fp: np.ndarray  # bool [D] (or [T, D]): matched nothing
    gt_index: np.ndarray  # int64 [D] (or [T, D]): index of the matched GT, -1 for none


class PRCurve(NamedTuple):
    """Cumulative precision and recall after each prediction, best score first."""

    precision: np.ndarray  # float64 [D] (or [..., D])
    recall: np.ndarray  # float64 [D] (or [..., D])
    scores: np.ndarray  # float64 [D]: the scores, sorted in decreasing order


# --------------------------------------------------------------------------------------------
# 1. Matching predictions to ground truth
# --------------------------------------------------------------------------------------------
def match_detections(pred_boxes: BoxesLike, pred_scores: ArrayLike, gt_boxes: BoxesLike,
                     iou_threshold: float | ArrayLike = 0.5, gt_ignore: ArrayLike | None = None, *,
                     gt_iscrowd: ArrayLike | None = None) -> MatchResult:
    """Greedy matching of one image's predictions to its GT boxes (one class).

    Predictions are visited by decreasing score (stable for equal scores). Each takes the free GT
    with the highest IoU, provided IoU >= ``iou_threshold``; on equal IoU the later GT wins, and
    an ignored GT is taken only when no regular one qualifies (exactly COCOeval's rules).

    Args:
        pred_boxes (Tensor or ndarray [D, 4]): predicted boxes, (x1, y1, x2, y2) format.
        pred_scores (Tensor or ndarray [D]): confidence of each prediction.
        gt_boxes (Tensor or ndarray [G, 4]): GT boxes, (x1, y1, x2, y2) format.
        iou_threshold (float or sequence of T floats): minimum IoU for a match. A sequence gives
            one row of results per threshold.
        gt_ignore (ndarray[G] bool, optional): GTs that are ignored: matching one makes the
            prediction neither TP nor FP, missing one is no false negative.
        gt_iscrowd (ndarray[G] 0/1 or bool, optional): COCO crowd regions (``iscrowd = 1``). A
            crowd region is ignored (as ``gt_ignore``), stays free after a match, so that several
            predictions may fall into it, and its IoU with a prediction is
            ``area(prediction ∩ region) / area(prediction)`` (COCOeval's rules).

    Returns:
        MatchResult: ``tp``, ``fp`` (bool) and ``gt_index`` (int64, -1 = unmatched), each of
        shape [D] for a single threshold or [T, D] for a sequence, in the input order.
    """
    pred_boxes = _boxes_np(pred_boxes, "pred_boxes")
    gt_boxes = _boxes_np(gt_boxes, "gt_boxes")
    scores = _scores_np(pred_scores, len(pred_boxes), "pred_scores")
    thresholds = _thresholds_np(iou_threshold, "iou_threshold")
    ignore = np.zeros(len(gt_boxes), dtype=bool)
    if gt_ignore is not None:
        ignore = _gt_flags(gt_ignore, len(gt_boxes), "gt_ignore")
    crowd = np.zeros(len(gt_boxes), dtype=bool)
    if gt_iscrowd is not None:
        crowd = _gt_flags(gt_iscrowd, len(gt_boxes), "gt_iscrowd")
    ignore = ignore | crowd

    order = np.argsort(-scores, kind="stable")  # best first; equal scores keep input order
    iou = _iou_np(pred_boxes[order], gt_boxes, crowd)  # [D, G]
    matched = _greedy_match(iou, thresholds, ignore[None, :], reusable=crowd)[0]  # [T, D], score order

    gt_index = np.empty_like(matched)
    gt_index[:, order] = matched  # back to the input order
    is_matched = gt_index >= 0
    on_ignored = is_matched & ignore[gt_index.clip(min=0)] if len(gt_boxes) else np.zeros_like(is_matched)
    tp, fp = is_matched & ~on_ignored, ~is_matched
    if np.ndim(iou_threshold) == 0:
        return MatchResult(tp[0], fp[0], gt_index[0])
    return MatchResult(tp, fp, gt_index)


def _gt_flags(values: ArrayLike, num_gt: int, name: str) -> np.ndarray:
    """One True/False (or 0/1) per GT -> bool [G]; anything else is refused (e.g. "yes", 0.5)."""
    flags = np.asarray(_numpy(values, name))
    if flags.size == 0 and num_gt == 0:
        return np.zeros(0, dtype=bool)
    if flags.shape != (num_gt,) or flags.dtype.kind not in "biuf" or not np.isin(flags, (0, 1)).all():
        raise ValueError(
            f"{name}는 GT마다 True/False 하나인 [G] = [{num_gt}] 배열이어야 합니다 (0/1도 됩니다). "
            f"받은 모양: {flags.shape}, dtype: {flags.dtype}"
            + (f", 값: {flags.ravel()[:5].tolist()}" if flags.size else "")
            + "."
        )
    return flags.astype(bool)


def _greedy_match(iou: np.ndarray, thresholds: np.ndarray, gt_ignore: np.ndarray,
                  reusable: np.ndarray | None = None) -> np.ndarray:
    """COCO's greedy matching for many IoU thresholds and ignore sets at once.

    Args:
        iou (ndarray[D, G]): IoU of each prediction (sorted best first) with each GT; -1 where
            a pair may never match (different classes).
        thresholds (ndarray[T]): IoU thresholds.
        gt_ignore (ndarray[A, G] bool): A alternative sets of ignored GTs (e.g. size ranges).
        reusable (ndarray[G] bool, optional): GTs that stay free after a match (crowd regions).

    Returns:
        ndarray[A, T, D] int64: index of the GT each prediction matched, -1 for none.
    """
    num_pred, num_gt = iou.shape
    matched = np.full((len(gt_ignore), len(thresholds), num_pred), -1, dtype=np.int64)
    if num_pred == 0 or num_gt == 0:
        return matched
    if reusable is None:
        reusable = np.zeros(num_gt, dtype=bool)
    # COCOeval compares against min(t, 1 - 1e-10): then IoU 1.0 still matches at threshold 1.0
    # even if rounding leaves it at 0.9999999999999999.
    thr = np.minimum(thresholds, 1 - 1e-10)
    overlaps = iou[:, None, :] >= thr[:, None]  # [D, T, G]: enough IoU at each threshold?
    regular = ~gt_ignore[:, None, :]  # [A, 1, G]
    free = np.ones((len(gt_ignore), len(thresholds), num_gt), dtype=bool)  # [A, T, G] not yet matched
    # Only predictions that reach the lowest threshold with some GT can match at all.
    for d in np.flatnonzero(overlaps.any(axis=(1, 2))):
        candidates = overlaps[d] & free  # [A, T, G]: free GTs overlapping enough
        # A regular GT beats any ignored one; an ignored GT is used only when no regular qualifies.
        regular_candidates = candidates & regular
        candidates = np.where(regular_candidates.any(axis=-1, keepdims=True), regular_candidates, candidates)
        # The highest IoU wins; on equal IoU the last GT, as COCOeval's loop replaces on >=
        # (argmax returns the first maximum, so search the reversed GT axis).
        iou_candidates = np.where(candidates, iou[d], -2.0)  # [A, T, G]
        best = num_gt - 1 - iou_candidates[..., ::-1].argmax(axis=-1)  # [A, T]
        a, t = np.nonzero(candidates.any(axis=-1))
        matched[a, t, d] = best[a, t]
        taken = ~reusable[best[a, t]]  # a crowd region stays free for the next predictions
        free[a[taken], t[taken], best[a, t][taken]] = False
    return matched


# --------------------------------------------------------------------------------------------
# 2. Precision and recall
# --------------------------------------------------------------------------------------------
def precision_recall(tp: ArrayLike, scores: ArrayLike, num_gt: int, fp: ArrayLike | None = None) -> PRCurve:
    """Cumulative precision and recall, visiting predictions by decreasing score.

    Args:
        tp (ndarray[D] or [..., D] bool): is each prediction a true positive? Leading axes (e.g.
            one row per IoU threshold) are computed at once.
        scores (ndarray[D]): score of each prediction; sorted stably (equal scores keep their
            order, as COCOeval's mergesort).
        num_gt (int): number of (non-ignored) GT objects, >= 1.
        fp (ndarray like ``tp``, optional): false positives. Default ``~tp``. Give it when some
            predictions are ignored (neither TP nor FP).

    Returns:
        PRCurve: ``precision`` and ``recall`` of the same shape as ``tp``, and ``scores`` sorted.
        After the k-th prediction, ``precision = TP_k / (TP_k + FP_k)`` (0 while no prediction has
        been counted) and ``recall = TP_k / num_gt``.
    """
    tp = _flags_np(tp, "tp")
    scores = _scores_np(scores, tp.shape[-1], "scores")
    fp = ~tp if fp is None else _flags_np(fp, "fp")
    if fp.shape != tp.shape:
        raise ValueError(f"fp의 모양 {fp.shape}이 tp의 모양 {tp.shape}과 같아야 합니다.")
    if bool(np.any(tp & fp)):
        raise ValueError("tp와 fp가 둘 다 True인 예측이 있습니다. 한 예측은 TP이거나 FP이거나 (무시) 중 하나입니다.")
    num_gt = checks.positive_int(
        "num_gt", num_gt,
        hint="num_gt는 정답 객체 수입니다. 정답이 없는 클래스는 재현율(recall)을 정의할 수 없으니 평가에서 빼세요.")
    num_tp = int(tp.sum(axis=-1).max()) if tp.size else 0
    if num_tp > num_gt:
        raise ValueError(
            f"TP가 {num_tp}개인데 num_gt(정답 객체 수)는 {num_gt}입니다: 한 정답 객체는 예측 하나와만 짝지어지므로 "
            "TP는 num_gt보다 많을 수 없습니다 (재현율이 1을 넘게 됩니다). num_gt에 무시하지 않는 정답 상자 수를 "
            "모든 이미지에 걸쳐 세어 넣었는지, 한 정답에 여러 예측을 TP로 세지 않았는지 확인하세요."
        )
    order = np.argsort(-scores, kind="stable")
    tp_cum = np.cumsum(tp[..., order], axis=-1, dtype=np.float64)
    fp_cum = np.cumsum(fp[..., order], axis=-1, dtype=np.float64)
    precision = tp_cum / np.maximum(tp_cum + fp_cum, 1.0)
    recall = tp_cum / num_gt
    return PRCurve(precision, recall, scores[order])


# --------------------------------------------------------------------------------------------
# 3. Average precision from a precision-recall curve
# --------------------------------------------------------------------------------------------
def precision_envelope(precision: ArrayLike) -> np.ndarray:
    """Make precision non-increasing: each value becomes the maximum of itself and all later ones.

    Args:
        precision (ndarray[..., D]): precision after each prediction (last axis in score order).

    Returns:
        ndarray[..., D]: ``out[i] = max(precision[i:])``, the best precision reachable at this
        recall or beyond. This removes the zig-zag of the raw curve before integrating.
    """
    precision = np.asarray(_numpy(precision, "precision"), dtype=np.float64)
    if not np.isfinite(precision).all():
        raise ValueError("precision에 NaN/무한대 값이 있습니다. precision_recall()의 결과를 넘기세요.")
    return np.flip(np.maximum.accumulate(np.flip(precision, axis=-1), axis=-1), axis=-1)


def interpolated_precision(recall: ArrayLike, precision: ArrayLike,
                           recall_thresholds: ArrayLike = COCO_REC_THRESHOLDS) -> np.ndarray:
    """Envelope precision at given recall levels (0 for levels the curve never reaches).

    For each level r: the envelope at the first point with recall >= r (``np.searchsorted(...,
    side='left')``, as COCOeval's accumulate).

    Args:
        recall (ndarray[D]): non-decreasing recall, e.g. from :func:`precision_recall`.
        precision (ndarray[D]): precision at the same points.
        recall_thresholds (ndarray[R]): increasing recall levels. Default COCO's 101 levels.

    Returns:
        ndarray[R] float64.
    """
    recall, precision = _check_curve(recall, precision)
    thresholds = _thresholds_np(recall_thresholds, "recall_thresholds")
    if np.any(np.diff(thresholds) < 0):
        raise ValueError(f"recall_thresholds는 증가하는 순서여야 합니다. 받은 값: {thresholds.tolist()[:12]}.")
    envelope = precision_envelope(precision)
    idx = np.searchsorted(recall, thresholds, side="left")  # first point reaching each level
    out = np.zeros(len(thresholds))
    reached = idx < len(recall)
    out[reached] = envelope[idx[reached]]
    return out


def ap_voc07_11point(recall: ArrayLike, precision: ArrayLike, levels: str = "exact") -> float:
    """Pascal VOC 2007 AP: mean envelope precision at the 11 recall levels 0, 0.1, ..., 1.

    Args:
        recall (ndarray[D]): non-decreasing recall.
        precision (ndarray[D]): precision at the same points.
        levels (str): ``"exact"`` (default): ``np.arange(11) / 10``, the floats nearest to 0.0,
            0.1, ..., 1.0. ``"devkit"``: :data:`VOC_DEVKIT_RECALL_LEVELS`, the levels of the Python
            ports of the devkit (py-faster-rcnn's ``voc_eval``: ``np.arange(0., 1.1, 0.1)``),
            whose 4th, 7th and 8th levels are 0.30000000000000004, 0.6000000000000001 and
            0.7000000000000001. The two differ only when a curve's recall is exactly 3/10, 6/10
            or 7/10 of something (e.g. 3 of 10 objects found): ``"exact"`` counts that recall as
            reaching the level 0.3, the devkit does not (tested).

    Returns:
        float in [0, 1]. Levels the curve never reaches count as precision 0.
    """
    recall, precision = _check_curve(recall, precision)
    if levels == "exact":
        grid = np.arange(11) / 10
    elif levels == "devkit":
        grid = VOC_DEVKIT_RECALL_LEVELS
    else:
        raise ValueError(f"levels는 'exact' 또는 'devkit'이어야 합니다. 받은 값: {levels!r}.")
    # At each level: the best precision among the points with at least that recall (else 0).
    best = [precision[recall >= r].max(initial=0.0) for r in grid]
    return float(np.mean(best))


def ap_all_points(recall: ArrayLike, precision: ArrayLike) -> float:
    """Pascal VOC 2010+ AP: exact area under the precision envelope (every recall step counts).

    The curve is extended with (recall 0, precision 0) in front and (recall 1, precision 0) at
    the end, made non-increasing, and summed as rectangles ``Δrecall × precision``.

    Args:
        recall (ndarray[D]): non-decreasing recall.
        precision (ndarray[D]): precision at the same points.

    Returns:
        float in [0, 1].
    """
    recall, precision = _check_curve(recall, precision)
    mrec = np.concatenate(([0.0], recall, [1.0]))
    mpre = precision_envelope(np.concatenate(([0.0], precision, [0.0])))
    steps = np.flatnonzero(mrec[1:] != mrec[:-1])  # where recall increases
    return float(np.sum((mrec[steps + 1] - mrec[steps]) * mpre[steps + 1]))


def ap_coco_101(recall: ArrayLike, precision: ArrayLike) -> float:
    """COCO AP: mean envelope precision at the 101 recall levels 0, 0.01, ..., 1.

    Args:
        recall (ndarray[D]): non-decreasing recall.
        precision (ndarray[D]): precision at the same points.

    Returns:
        float in [0, 1], as COCOeval computes it for one class and one IoU threshold.
    """
    return float(np.mean(interpolated_precision(recall, precision, COCO_REC_THRESHOLDS)))


# --------------------------------------------------------------------------------------------
# 4. COCO-style evaluation of a whole data set
# --------------------------------------------------------------------------------------------
def evaluate_detections(
    gts: Sequence[Mapping[str, Any]],
    preds: Sequence[Mapping[str, Any]],
    iou_thresholds: ArrayLike = COCO_IOU_THRESHOLDS,
    area_ranges: Mapping[str, tuple[float, float]] = COCO_AREA_RANGES,
    max_dets: int = 100,
) -> dict[str, Any]:
    """COCO-style AP of a detector on a data set; equal to pycocotools COCOeval (bbox).

    Args:
        gts: one dict per image: ``boxes`` (Tensor/ndarray[G, 4], (x1, y1, x2, y2)) and ``labels``
            ([G] class ids >= 0, or class names as strings). Optional, as
            :func:`helpers.annotations.read_coco` returns them: ``areas`` ([G] floats >= 0, COCO's
            ``area``: the object's segmentation area, which decides its size range; default the
            box area) and ``iscrowd`` ([G] 0/1: crowd regions, see below).
        preds: one dict per image, in the same order as ``gts`` (the position is the image id):
            ``boxes`` [D, 4], ``scores`` [D], ``labels`` [D] (ids, or names if ``gts`` uses
            names). The output of torchvision detection models has this form.
        iou_thresholds (sequence of T floats): default COCO's 0.50:0.05:0.95.
        area_ranges (dict name -> (min_area, max_area)): object sizes to evaluate, bounds
            inclusive; must contain ``"all"``. Default COCO's all / small / medium / large.
        max_dets (int): at most this many predictions per image *and class* (the best-scored)
            are evaluated, as the largest of COCOeval's maxDets.

    Returns:
        dict with
        ``AP`` (mean over classes and IoU thresholds, "all" sizes), ``AP50``, ``AP75`` (one
        threshold; -1 if 0.5 / 0.75 is not among ``iou_thresholds``), ``AP_<size>`` per other
        area range (``AP_small``, ``AP_medium``, ``AP_large``), ``AR`` (recall reached with
        ``max_dets`` predictions, averaged like AP: COCO's AR@100), ``AR@1``, ``AR@10`` and
        ``AR@<max_dets>`` (COCO's maxDets 1 / 10 / 100: recall with only the best 1 / 10 / 100
        predictions per image and class), ``AR_<size>`` per other area range (at ``max_dets``),
        ``per_class`` {class: AP}, ``per_class_AP50`` {class: AP50},
        ``pr_curves`` {class: {"recall": [R], "precision": [T, R]}} (interpolated, "all" sizes),
        and COCOeval's arrays ``precision`` [T, R, K, A], ``recall`` [T, K, A] with ``classes``
        [K], ``iou_thresholds`` [T], ``rec_thresholds`` [R], ``area_names`` [A].
        A class without GT objects (in a size range) gets -1 there and is left out of the means,
        as in COCOeval; a mean over nothing is -1. Classes given as names are reported by name.

    Details reproduced from COCOeval: predictions sorted by score with a stable sort (ties keep
    their input order, then image order), IoU compared with ``>= min(t, 1 - 1e-10)``, a GT
    outside the size range (by its ``areas`` value) is ignored (matching it is neither TP nor
    FP) and an unmatched prediction whose *box* area is outside the range is ignored, every
    class weighted equally. Crowd regions (``iscrowd = 1``) are never counted as objects to
    find; a prediction matched to one is ignored (not a false positive); several predictions may
    match the same crowd region; the IoU with a crowd region is ``area(pred ∩ region) /
    area(pred)``; a regular object is always preferred to a crowd region. The VOC ``difficult``
    flag is not part of the COCO protocol: use :func:`evaluate_voc` for VOC files.
    """
    images, class_names = _check_inputs(gts, preds)
    thresholds = _thresholds_np(iou_thresholds, "iou_thresholds")
    area_names, bounds = _check_area_ranges(area_ranges)
    max_dets = checks.positive_int("max_dets", max_dets, hint="이미지와 클래스마다 평가할 예측 수입니다 (COCO: 100).")
    if any(gt.get("difficult") is not None and np.any(_numpy(gt["difficult"], "difficult")) for gt in gts):
        warnings.warn(
            "gts에 VOC의 difficult 표시가 있지만 COCO 방식 평가(evaluate_detections)는 이를 쓰지 않습니다: "
            "difficult 객체도 찾아야 할 객체로 셉니다. VOC 규칙으로 평가하려면 evaluate_voc를 쓰세요.",
            UserWarning,
            stacklevel=2,
        )

    # Step 1: match each image (all classes and size ranges at once).
    results = [_evaluate_image(image, thresholds, bounds, max_dets) for image in images]
    scores = np.concatenate([r["scores"] for r in results])  # [N] image order, best first
    labels = np.concatenate([r["labels"] for r in results])  # [N]
    rank = np.concatenate([r["rank"] for r in results])  # [N] rank within its image and class
    tp = np.concatenate([r["tp"] for r in results], axis=-1)  # [A, T, N]
    fp = np.concatenate([r["fp"] for r in results], axis=-1)  # [A, T, N]
    gt_labels = np.concatenate([r["gt_labels"] for r in results])  # [M]
    gt_counted = np.concatenate([r["gt_counted"] for r in results], axis=-1)  # [A, M]

    # Steps 2 and 3: per class and size range, one PR curve per IoU threshold.
    classes = np.unique(np.concatenate([gt_labels, *(image[6] for image in images)]))
    ar_dets = sorted({m for m in (1, 10, int(max_dets)) if m <= max_dets})
    rec_thresholds = COCO_REC_THRESHOLDS
    T, R, K, A = len(thresholds), len(rec_thresholds), len(classes), len(area_names)
    precision = -np.ones((T, R, K, A))  # -1: no GT objects, AP undefined
    recall = -np.ones((T, K, A))
    recall_at = {m: -np.ones((T, K, A)) for m in ar_dets}  # COCO's AR@1, AR@10, AR@100
    for k, cls in enumerate(classes):
        is_cls = labels == cls
        for a in range(A):
            num_gt = int(np.count_nonzero(gt_counted[a] & (gt_labels == cls)))
            if num_gt == 0:
                continue
            curve = precision_recall(tp[a][:, is_cls], scores[is_cls], num_gt, fp=fp[a][:, is_cls])
            for t in range(T):
                precision[t, :, k, a] = interpolated_precision(curve.recall[t], curve.precision[t], rec_thresholds)
                recall[t, k, a] = curve.recall[t, -1] if curve.recall.shape[-1] else 0.0
            for m in ar_dets:
                recall_at[m][:, k, a] = np.count_nonzero(tp[a][:, is_cls & (rank < m)], axis=-1) / num_gt

    # Summaries, as COCOeval.summarize: the mean of all entries that are not -1.
    all_ = area_names.index("all")
    out: dict[str, Any] = {"AP": _mean_valid(precision[..., all_])}
    for name, value in (("AP50", 0.5), ("AP75", 0.75)):
        at = np.flatnonzero(np.isclose(thresholds, value))
        out[name] = _mean_valid(precision[at, :, :, all_])
    for a, name in enumerate(area_names):
        if name != "all":
            out[f"AP_{name}"] = _mean_valid(precision[..., a])
    out["AR"] = _mean_valid(recall[..., all_])
    for m in ar_dets:
        out[f"AR@{m}"] = _mean_valid(recall_at[m][..., all_])
    for a, name in enumerate(area_names):
        if name != "all":
            out[f"AR_{name}"] = _mean_valid(recall[..., a])
    if class_names is not None:
        classes = np.array([class_names[int(c)] for c in classes], dtype=object)
    t50 = np.flatnonzero(np.isclose(thresholds, 0.5))
    out["per_class"] = {_py(c): _mean_valid(precision[:, :, k, all_]) for k, c in enumerate(classes)}
    out["per_class_AP50"] = {_py(c): _mean_valid(precision[t50, :, k, all_]) for k, c in enumerate(classes)}
    out["pr_curves"] = {
        _py(c): {"recall": rec_thresholds.copy(), "precision": precision[:, :, k, all_].copy()}
        for k, c in enumerate(classes)
    }
    out.update(
        precision=precision,
        recall=recall,
        classes=classes,
        iou_thresholds=thresholds,
        rec_thresholds=rec_thresholds.copy(),
        area_names=list(area_names),
    )
    return out


def _evaluate_image(image: ImageArrays, thresholds: np.ndarray, bounds: np.ndarray,
                    max_dets: int) -> dict[str, np.ndarray]:
    """Match one image's predictions, for every class, IoU threshold and size range at once."""
    gt_boxes, gt_labels, gt_area, gt_crowd, boxes, scores, labels = image
    # Best first (stable for ties, as COCOeval), then at most max_dets per class.
    order = np.argsort(-scores, kind="stable")
    boxes, scores, labels = boxes[order], scores[order], labels[order]
    rank = _rank_within_class(labels)
    keep = rank < max_dets
    boxes, scores, labels, rank = boxes[keep], scores[keep], labels[keep], rank[keep]

    # IoU of every prediction with every GT (crowd regions: share of the prediction inside);
    # a prediction may only match a GT of its class.
    iou = _iou_np(boxes, gt_boxes, gt_crowd)  # [D, G]
    iou[labels[:, None] != gt_labels[None, :]] = -1.0

    # Size ranges by the annotation's area: a GT outside the range is ignored (neither found
    # nor missed), and so is every crowd region.
    lo, hi = bounds[:, :1], bounds[:, 1:]  # [A, 1]
    gt_ignore = (gt_area < lo) | (gt_area > hi) | gt_crowd  # [A, G]
    matched = _greedy_match(iou, thresholds, gt_ignore, reusable=gt_crowd)  # [A, T, D]

    is_matched = matched >= 0
    if len(gt_boxes):
        ignore_abg = np.broadcast_to(gt_ignore[:, None, :], (*matched.shape[:2], len(gt_boxes)))
        on_ignored = is_matched & np.take_along_axis(ignore_abg, matched.clip(min=0), axis=-1)
    else:
        on_ignored = np.zeros_like(is_matched)
    # An unmatched prediction outside the size range is ignored too (it may well have found an
    # object of another size); inside the range it is a false positive.
    area = _area_np(boxes)
    outside = ((area < lo) | (area > hi))[:, None, :]  # [A, 1, D]
    return {
        "scores": scores,
        "labels": labels,
        "rank": rank,
        "tp": is_matched & ~on_ignored,
        "fp": ~is_matched & ~outside,
        "gt_labels": gt_labels,
        "gt_counted": ~gt_ignore,
    }


# --------------------------------------------------------------------------------------------
# 5. The Pascal VOC protocol (devkit rules, "difficult" objects)
# --------------------------------------------------------------------------------------------
def evaluate_voc(gts: Sequence[Mapping[str, Any]], preds: Sequence[Mapping[str, Any]], iou_threshold: float = 0.5,
                 metric: str = "all_points") -> dict[str, Any]:
    """Pascal VOC AP per class and mAP, with the devkit's matching rules; equal to its ``voc_eval``.

    The rules of the VOC devkit (``VOCevaldet.m``; py-faster-rcnn's ``voc_eval.py``), which differ
    from COCO's :func:`evaluate_detections`:

    * Predictions of a class are visited by decreasing score. Each one is compared with **every**
      GT of its class in its image (also those already matched) and goes to the one of highest IoU
      (the first one on equal IoU). If that IoU is **greater than** ``iou_threshold`` (strictly):
      a ``difficult`` GT makes the prediction ignored (neither TP nor FP); otherwise it is a TP if
      that GT is still unmatched, else a FP (a duplicate), even when another free GT also
      overlaps it enough. An IoU at or below the threshold makes it a FP.
    * Difficult GTs are not counted in the number of objects (``npos``), so missing them costs
      nothing.
    * No maxDets, no size ranges, one IoU threshold.

    Coordinates: the devkit reads 1-based inclusive pixel indices and adds 1 to every width and
    height (``xmax - xmin + 1``). This function uses continuous (x1, y1, x2, y2) edges, as the rest
    of the course; on boxes converted with :func:`helpers.annotations.voc_to_xyxy` (which
    :func:`helpers.annotations.read_voc` applies: ``x1 = xmin - 1``, ``x2 = xmax``) every IoU is
    exactly the devkit's. Predictions must be converted the same way (a VOC results file stores
    them in the devkit's coordinates).

    Args:
        gts: one dict per image: ``boxes`` [G, 4], ``labels`` [G] (ids or names), optional
            ``difficult`` [G] (True/False or 0/1), as :func:`helpers.annotations.read_voc` returns.
        preds: one dict per image, same order: ``boxes`` [D, 4], ``scores`` [D], ``labels`` [D].
        iou_threshold (float): in [0, 1]; VOC uses 0.5.
        metric (str): ``"all_points"`` (VOC 2010+, :func:`ap_all_points`) or ``"11point"``
            (VOC 2007, the devkit's 11 recall levels ``np.arange(0., 1.1, 0.1)``, see
            :func:`ap_voc07_11point` with ``levels="devkit"``).

    Returns:
        dict with ``mAP`` (mean AP over the classes that have non-difficult GT objects; -1 if
        none), ``per_class`` {class: AP, -1 for a class with no non-difficult GT},
        ``num_gt`` {class: number of non-difficult GTs}, ``pr_curves`` {class: {"recall": [D],
        "precision": [D], "scores": [D]}} (raw, not interpolated, ignored predictions left
        out), ``metric`` and ``iou_threshold``.

    Ties in score are visited in input order (a stable sort), then image order; the devkit's
    ``np.argsort`` gives no such guarantee.
    """
    images, class_names = _check_voc_inputs(gts, preds)
    threshold = float(_thresholds_np(iou_threshold, "iou_threshold")[0]) if np.ndim(iou_threshold) == 0 else None
    if threshold is None:
        raise ValueError(f"iou_threshold는 0과 1 사이의 실수 하나여야 합니다. 받은 값: {iou_threshold!r}.")
    if metric not in ("all_points", "11point"):
        raise ValueError(f"metric은 'all_points' 또는 '11point'여야 합니다. 받은 값: {metric!r}.")

    per_image = [_match_voc(image, threshold) for image in images]
    scores = np.concatenate([r[0] for r in per_image])
    labels = np.concatenate([r[1] for r in per_image])
    tp = np.concatenate([r[2] for r in per_image])
    fp = np.concatenate([r[3] for r in per_image])
    gt_labels = np.concatenate([image[1] for image in images])
    gt_difficult = np.concatenate([image[2] for image in images])
    classes = np.unique(np.concatenate([gt_labels, labels]))

    out: dict[str, Any] = {"per_class": {}, "num_gt": {}, "pr_curves": {}, "metric": metric, "iou_threshold": threshold}
    for cls in classes:
        key = class_names[int(cls)] if class_names is not None else _py(cls)
        npos = int(np.count_nonzero((gt_labels == cls) & ~gt_difficult))
        out["num_gt"][key] = npos
        is_cls = (labels == cls) & (tp | fp)  # ignored predictions (on difficult GTs) left out
        if npos == 0:
            out["per_class"][key] = -1.0
            continue
        curve = precision_recall(tp[is_cls], scores[is_cls], npos, fp=fp[is_cls])
        if metric == "11point":
            value = ap_voc07_11point(curve.recall, curve.precision, levels="devkit")
        else:
            value = ap_all_points(curve.recall, curve.precision)
        out["per_class"][key] = value
        out["pr_curves"][key] = {"recall": curve.recall, "precision": curve.precision, "scores": curve.scores}
    valid = [v for v in out["per_class"].values() if v > -1]
    out["mAP"] = float(np.mean(valid)) if valid else -1.0
    return out


def _match_voc(image: ImageArrays, threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The devkit's matching in one image: (scores, labels, tp, fp), ignored = neither."""
    gt_boxes, gt_labels, gt_difficult, boxes, scores, labels = image
    order = np.argsort(-scores, kind="stable")
    boxes, scores, labels = boxes[order], scores[order], labels[order]
    iou = _iou_np(boxes, gt_boxes)  # [D, G]
    iou[labels[:, None] != gt_labels[None, :]] = -np.inf  # only GTs of the prediction's class
    tp = np.zeros(len(boxes), dtype=bool)
    fp = np.zeros(len(boxes), dtype=bool)
    used = np.zeros(len(gt_boxes), dtype=bool)
    for d in range(len(boxes)):
        if not len(gt_boxes) or not np.isfinite(iou[d]).any():
            fp[d] = True
            continue
        j = int(np.argmax(iou[d]))  # the highest IoU, first GT on ties (np.argmax, as the devkit)
        if iou[d, j] > threshold:
            if gt_difficult[j]:
                continue  # on a difficult object: ignored
            if used[j]:
                fp[d] = True  # duplicate
            else:
                tp[d] = used[j] = True
        else:
            fp[d] = True
    return scores, labels, tp, fp


def _check_voc_inputs(gts: Sequence[Mapping[str, Any]],
                      preds: Sequence[Mapping[str, Any]]) -> tuple[list[ImageArrays], list[str] | None]:
    out = []
    checked = _check_inputs_raw(gts, preds)
    for i, (gt, (gt_boxes, gt_labels, boxes, scores, labels)) in enumerate(zip(gts, checked, strict=True)):
        difficult = np.zeros(len(gt_boxes), dtype=bool)
        if gt.get("difficult") is not None:
            difficult = _gt_flags(gt["difficult"], len(gt_boxes), f"gts[{i}]['difficult']")
        out.append([gt_boxes, gt_labels, difficult, boxes, scores, labels])
    return _names_to_ids(out, label_slots=(1, 5))


def _rank_within_class(labels: np.ndarray) -> np.ndarray:
    """For labels in score order: how many better-scored predictions have the same class."""
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    first_of_class = np.searchsorted(sorted_labels, sorted_labels, side="left")
    rank = np.empty(len(labels), dtype=np.int64)
    rank[order] = np.arange(len(labels)) - first_of_class
    return rank


def _mean_valid(values: np.ndarray) -> float:
    valid = values[values > -1]
    return float(np.mean(valid)) if valid.size else -1.0


def _py(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


# --------------------------------------------------------------------------------------------
# Array helpers and input checks (Korean messages: students trigger these)
# --------------------------------------------------------------------------------------------
def _numpy(x: Any, name: str) -> Any:
    """Tensors (also on a GPU, with grad, half precision) as ndarrays; anything else as it is, so
    that the caller's own checks say what is wrong with it."""
    return checks.to_numpy(x, name) if isinstance(x, torch.Tensor) else x


def _iou_np(boxes1: np.ndarray, boxes2: np.ndarray, crowd: np.ndarray | None = None) -> np.ndarray:
    """IoU of every pair [N, M] (float64), 0 where the union is empty.

    For a crowd region (``crowd[j]``) the denominator is the area of ``boxes1[i]`` alone, as
    pycocotools' ``maskUtils.iou(..., iscrowd)``: the share of the prediction inside the region.
    """
    area1, area2 = _area_np(boxes1), _area_np(boxes2)
    wh = np.minimum(boxes1[:, None, 2:], boxes2[None, :, 2:]) - np.maximum(boxes1[:, None, :2], boxes2[None, :, :2])
    wh = wh.clip(min=0)
    inter = wh[..., 0] * wh[..., 1]  # [N, M]
    union = area1[:, None] + area2[None, :] - inter
    if crowd is not None and crowd.any():
        union = np.where(crowd[None, :], area1[:, None], union)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(union > 0, inter / np.where(union > 0, union, 1.0), 0.0)


def _area_np(boxes: np.ndarray) -> np.ndarray:
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def _boxes_np(boxes: BoxesLike, name: str) -> np.ndarray:
    boxes = _numpy(boxes, name)
    if isinstance(boxes, np.ndarray) and boxes.dtype.kind in "iuf":
        boxes = torch.from_numpy(np.ascontiguousarray(boxes, dtype=np.float64))
    return check_boxes(boxes, name).to(torch.float64).numpy()


def _scores_np(scores: ArrayLike, n: int, name: str) -> np.ndarray:
    scores = np.asarray(_numpy(scores, name))
    if scores.ndim == 1 and scores.size == 0:
        scores = scores.astype(np.float64)
    if scores.shape != (n,):
        raise ValueError(f"{name}의 모양은 [{n}] (예측마다 점수 하나)여야 합니다. 받은 모양: {scores.shape}.")
    if scores.dtype.kind not in "iuf":
        raise TypeError(f"{name}은(는) 실수 배열이어야 합니다. 받은 dtype: {scores.dtype}.")
    scores = scores.astype(np.float64)
    if not np.isfinite(scores).all():
        i = int(np.flatnonzero(~np.isfinite(scores))[0])
        raise ValueError(f"{name}[{i}] = {scores[i]} 입니다. 점수는 유한한 실수여야 합니다 (NaN/무한대 불가).")
    return scores


def _labels_np(labels: ArrayLike, n: int, name: str) -> np.ndarray:
    """Class ids -> int64 [n]; class names (str) -> object [n] of str (mapped to ids later)."""
    if not isinstance(labels, (np.ndarray, torch.Tensor)) and isinstance(labels, Sequence) and not isinstance(labels, str):
        is_name = [isinstance(v, str) for v in labels]
        if any(is_name) and not all(is_name):
            raise TypeError(f"{name}에 클래스 이름(문자열)과 번호가 섞여 있습니다. 한 가지로 맞추세요. 받은 값: {list(labels)[:5]}.")
        if len(labels) and all(is_name):
            if len(labels) != n:
                raise ValueError(f"{name}의 길이는 {n} (상자마다 클래스 하나)이어야 합니다. 받은 길이: {len(labels)}.")
            return np.array(labels, dtype=object)
    labels = np.asarray(_numpy(labels, name))
    if labels.ndim == 1 and labels.size == 0:
        labels = labels.astype(np.int64)
    if labels.shape != (n,):
        raise ValueError(f"{name}의 모양은 [{n}] (상자마다 클래스 번호 하나)여야 합니다. 받은 모양: {labels.shape}.")
    if labels.dtype.kind in "US":
        return labels.astype(str).astype(object)
    if labels.dtype.kind == "f" and not np.isfinite(labels).all():
        i = int(np.flatnonzero(~np.isfinite(labels))[0])
        raise ValueError(f"{name}[{i}] = {labels[i]}: 클래스 번호에는 NaN/무한대가 올 수 없습니다.")
    if labels.dtype.kind == "f" and np.all(labels == np.round(labels)):
        labels = labels.astype(np.int64)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"{name}은(는) 정수 클래스 번호여야 합니다. 받은 dtype: {labels.dtype}.")
    labels = labels.astype(np.int64)
    if labels.size and labels.min() < 0:
        i = int(np.flatnonzero(labels < 0)[0])
        raise ValueError(f"{name}[{i}] = {labels[i]}: 클래스 번호는 0 이상의 정수여야 합니다.")
    return labels


def _flags_np(flags: ArrayLike, name: str) -> np.ndarray:
    flags = np.asarray(_numpy(flags, name))
    if flags.ndim == 0:
        raise ValueError(f"{name}은(는) 예측마다 True/False 하나인 [D] 배열이어야 합니다. 받은 값: {flags!r}.")
    if flags.size == 0 or flags.dtype == bool:
        return flags.astype(bool)
    if flags.dtype.kind not in "biu" or not np.isin(flags, (0, 1)).all():
        raise ValueError(f"{name}은(는) True/False(또는 0/1) 배열이어야 합니다. 받은 dtype: {flags.dtype}.")
    return flags.astype(bool)


def _thresholds_np(value: float | ArrayLike, name: str) -> np.ndarray:
    raw = np.atleast_1d(np.asarray(_numpy(value, name)))
    if raw.dtype.kind not in "iuf":  # "0.5", True, None: not a threshold
        raise TypeError(f"{name}은(는) 0과 1 사이의 실수(또는 그 목록)여야 합니다. 받은 값: {value!r}.")
    thresholds = raw.astype(np.float64)
    if thresholds.ndim != 1 or thresholds.size == 0:
        raise ValueError(f"{name}은(는) 0과 1 사이의 실수 하나 또는 1차원 목록이어야 합니다. 받은 값: {value!r}.")
    if not (np.all(thresholds >= 0) and np.all(thresholds <= 1)):
        raise ValueError(f"{name}은(는) 0과 1 사이여야 합니다. 받은 값: {thresholds.tolist()}.")
    return thresholds


def _check_curve(recall: ArrayLike, precision: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    recall = np.asarray(_numpy(recall, "recall"), dtype=np.float64)
    precision = np.asarray(_numpy(precision, "precision"), dtype=np.float64)
    if recall.ndim != 1 or recall.shape != precision.shape:
        raise ValueError(
            f"recall과 precision은 길이가 같은 1차원 배열이어야 합니다. 받은 모양: {recall.shape}, "
            f"{precision.shape}. precision_recall()의 결과를 그대로 넘기세요."
        )
    if not (np.isfinite(recall).all() and np.isfinite(precision).all()):
        raise ValueError("recall 또는 precision에 NaN/무한대 값이 있습니다.")
    if np.any(np.diff(recall) < 0):
        i = int(np.flatnonzero(np.diff(recall) < 0)[0])
        raise ValueError(
            f"recall은 점수 내림차순으로 누적한 값이라 줄어들 수 없습니다: recall[{i}] = {recall[i]} > "
            f"recall[{i + 1}] = {recall[i + 1]}. (precision, recall) 순서를 바꿔 넘기지 않았는지 확인하세요."
        )
    if recall.size and (recall.min() < 0 or recall.max() > 1 or precision.min() < 0 or precision.max() > 1):
        raise ValueError("recall과 precision은 0과 1 사이의 값이어야 합니다.")
    return recall, precision


def _check_area_ranges(area_ranges: Mapping[str, tuple[float, float]]) -> tuple[list[str], np.ndarray]:
    if not isinstance(area_ranges, Mapping) or "all" not in area_ranges:
        raise ValueError(
            "area_ranges는 {'all': (0, 1e10), 'small': (0, 32**2), ...} 처럼 이름 -> (최소, 최대 넓이) 사전이며 "
            f"'all'을 포함해야 합니다. 받은 값: {area_ranges!r}."
        )
    names = list(area_ranges)
    try:
        bounds = np.array([[float(v) for v in area_ranges[n]] for n in names])
    except (TypeError, ValueError):
        bounds = np.zeros((0,))
    if bounds.shape != (len(names), 2) or np.any(bounds[:, 0] > bounds[:, 1]):
        raise ValueError(f"area_ranges의 각 값은 (최소 넓이, 최대 넓이), 최소 <= 최대여야 합니다. 받은 값: {area_ranges!r}.")
    return names, bounds


def _check_inputs_raw(gts: Sequence[Mapping[str, Any]], preds: Sequence[Mapping[str, Any]]) -> list[ImageArrays]:
    """(gt_boxes, gt_labels, boxes, scores, labels) per image, checked."""
    for name, value in (("gts", gts), ("preds", preds)):
        if isinstance(value, Mapping) or not isinstance(value, Sequence):
            raise TypeError(
                f"{name}은(는) 이미지마다 사전(dict) 하나씩인 리스트여야 합니다. 받은 타입: {type(value).__name__}. "
                "이미지가 하나라도 [dict(boxes=..., labels=...)] 처럼 리스트로 감싸세요."
            )
    if len(gts) == 0:
        raise ValueError("gts와 preds가 비어 있습니다. 이미지가 적어도 하나 있어야 평가할 수 있습니다.")
    if len(gts) != len(preds):
        raise ValueError(
            f"gts와 preds의 길이(이미지 수)가 같아야 합니다: len(gts)={len(gts)}, len(preds)={len(preds)}. "
            "예측이 없는 이미지도 빈 dict(boxes=[], scores=[], labels=[])로 자리를 채우세요."
        )
    images: list[ImageArrays] = []
    for i, (gt, pred) in enumerate(zip(gts, preds, strict=True)):
        for name, item, keys in (("gts", gt, ("boxes", "labels")), ("preds", pred, ("boxes", "scores", "labels"))):
            if not isinstance(item, Mapping) or any(k not in item for k in keys):
                have = sorted(item) if isinstance(item, Mapping) else type(item).__name__
                raise ValueError(f"{name}[{i}]는 키 {list(keys)}를 가진 dict여야 합니다. 받은 것: {have}.")
        gt_boxes = _boxes_np(gt["boxes"], f"gts[{i}]['boxes']")
        gt_labels = _labels_np(gt["labels"], len(gt_boxes), f"gts[{i}]['labels']")
        boxes = _boxes_np(pred["boxes"], f"preds[{i}]['boxes']")
        scores = _scores_np(pred["scores"], len(boxes), f"preds[{i}]['scores']")
        labels = _labels_np(pred["labels"], len(boxes), f"preds[{i}]['labels']")
        images.append((gt_boxes, gt_labels, boxes, scores, labels))
    return images


def _check_inputs(gts: Sequence[Mapping[str, Any]],
                  preds: Sequence[Mapping[str, Any]]) -> tuple[list[ImageArrays], list[str] | None]:
    """COCO inputs: checked arrays per image (with areas and crowd flags), and the class names
    when labels are names (else None)."""
    images = []
    checked = _check_inputs_raw(gts, preds)
    for i, (gt, (gt_boxes, gt_labels, boxes, scores, labels)) in enumerate(zip(gts, checked, strict=True)):
        area_key = "areas" if gt.get("areas") is not None else "area"
        if gt.get(area_key) is None:
            gt_area = _area_np(gt_boxes)
        else:
            gt_area = _areas_np(gt[area_key], len(gt_boxes), f"gts[{i}]['{area_key}']")
        crowd = np.zeros(len(gt_boxes), dtype=bool)
        if gt.get("iscrowd") is not None:
            crowd = _gt_flags(gt["iscrowd"], len(gt_boxes), f"gts[{i}]['iscrowd']")
        images.append([gt_boxes, gt_labels, gt_area, crowd, boxes, scores, labels])
    return _names_to_ids(images, label_slots=(1, 6))


def _names_to_ids(images: list[list[np.ndarray]],
                  label_slots: tuple[int, int]) -> tuple[list[ImageArrays], list[str] | None]:
    """Class names (str) in both gts and preds -> ids 0..K-1 in sorted name order; ids stay ids."""
    gt_slot, pred_slot = label_slots
    kinds: dict[bool, str] = {}
    for i, image in enumerate(images):
        for slot, name in ((gt_slot, "gts"), (pred_slot, "preds")):
            if image[slot].size:
                kinds.setdefault(image[slot].dtype == object, f"{name}[{i}]['labels']")
    if len(kinds) == 2:
        raise TypeError(
            f"{kinds[True]}는 클래스 이름(문자열)인데 {kinds[False]}는 클래스 번호(정수)입니다. "
            "gts와 preds의 labels를 한 가지로 맞추세요: 예를 들어 이름을 번호로 바꾸려면 "
            "[classes.index(name) for name in labels], 번호를 이름으로 바꾸려면 [classes[i] for i in labels]."
        )
    if not kinds.get(True):
        return [tuple(image) for image in images], None
    names = sorted({str(n) for image in images for slot in label_slots for n in image[slot]})
    ids = {n: k for k, n in enumerate(names)}
    for image in images:
        for slot in label_slots:
            image[slot] = np.array([ids[str(n)] for n in image[slot]], dtype=np.int64)
    return [tuple(image) for image in images], names


def _areas_np(areas: ArrayLike, n: int, name: str) -> np.ndarray:
    values = np.asarray(_numpy(areas, name))
    if values.ndim == 1 and values.size == 0:
        values = values.astype(np.float64)
    if values.shape != (n,) or values.dtype.kind not in "iuf":
        raise ValueError(
            f"{name}는 객체마다 넓이(실수) 하나인 [{n}] 배열이어야 합니다. 받은 모양: {values.shape}, dtype: {values.dtype}."
        )
    values = values.astype(np.float64)
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{name}[{i}] = {values[i]}: 넓이는 0 이상의 유한한 실수여야 합니다.")
    return values
