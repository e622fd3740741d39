"""Where does a CNN look? CAM and Grad-CAM as one pipeline.

Both methods build a class activation map for class ``c`` the same way, from the feature maps
``A_k`` (``k = 1..K``, each ``h×w``) of one convolutional layer::

    map_c = ReLU( sum_k  w_k^c · A_k )        then upsample to the image size and scale to [0, 1]

and differ ONLY in where the channel weights ``w_k^c`` come from:

=====================  =====================================  =========================================
                       CAM (Zhou et al., 2016)                Grad-CAM (Selvaraju et al., 2017)
=====================  =====================================  =========================================
channel weights        FC weights of class c:                 spatial mean of the gradient of the
``w_k^c``              ``fc.weight[c, k]``                    class score: ``mean_ij dy_c / dA_kij``
backward pass          not needed                             one (down to the target layer only)
model structure        must end in conv → GAP → one Linear    any CNN, used as it is
here                   :class:`CAM`, :func:`cam_from_fc`      :class:`GradCAM`, :func:`gradcam_weights`
=====================  =====================================  =========================================

:class:`BaseCAM` owns the pipeline once; :class:`CAM` and :class:`GradCAM` each override one
method, :meth:`BaseCAM.channel_weights` -- the table's first row.

1. hook ``target_layer`` (only while a call runs) → forward → logits ``(N, num_classes)``
2. Grad-CAM only: gradient of the chosen class scores w.r.t. the layer output ``(N, K, h, w)``
3. channel weights ``(N, K)``                      ← the only step that differs
4. weighted sum over channels ``(N, h, w)``        (:func:`weighted_sum`)
5. ReLU: keep only what speaks *for* the class
6. bilinear upsampling to the input size ``(N, H, W)``  (:func:`upsample`)
7. per-image min-max scaling to [0, 1]             (:func:`normalize_maps`)

Why the two agree on a GAP + FC network. With GAP, the logit of class c is
``y_c = sum_k w_ck · (1 / (h·w)) · sum_ij A_kij + b_c``, so ``dy_c / dA_kij = w_ck / (h·w)``
at every position ``(i, j)``; its spatial mean -- Grad-CAM's weight -- is ``w_ck / (h·w)``.
Grad-CAM's map is CAM's map divided by the positive constant ``h·w``; ReLU and min-max scaling
ignore a positive factor, so the final maps are identical. Grad-CAM generalises CAM to any CNN.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Literal

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from helpers import checks
from helpers.training import forward_with_hint

__all__ = [
    "BaseCAM",
    "CAM",
    "GradCAM",
    "cam_from_fc",
    "gradcam_weights",
    "mass_inside_box",
    "normalize_maps",
    "upsample",
    "weighted_sum",
]


# ── the building blocks (pure functions; the lesson's exercises re-implement them) ──────────────


def gradcam_weights(gradients: Tensor) -> Tensor:
    """Grad-CAM channel weights: the spatial mean of the gradients (global average pooling).

    Args:
        gradients (Tensor[N, K, h, w]): ``dy_c / dA`` -- gradient of each image's class score
            with respect to the K feature maps of the target layer.

    Returns:
        Tensor[N, K]: ``alpha_k = (1 / (h·w)) · sum_ij dy_c / dA_kij``.
    """
    _check_feature_maps(gradients, "gradients")
    return gradients.mean(dim=(2, 3))


def weighted_sum(activations: Tensor, weights: Tensor) -> Tensor:
    """Combine K feature maps into one map per image: ``sum_k weights[n, k] · activations[n, k]``.

    Args:
        activations (Tensor[N, K, h, w]): feature maps of the target layer.
        weights (Tensor[N, K]): one weight per image and channel (a ``Tensor[K]`` is used for
            every image).

    Returns:
        Tensor[N, h, w]: the raw map, before ReLU (it can be negative).
    """
    _check_feature_maps(activations, "activations")
    if not isinstance(weights, Tensor):
        raise TypeError(f"weights는 torch.Tensor여야 합니다 (받은 타입: {type(weights).__name__}).")
    _check_finite(weights, "weights", "채널 가중치(FC 가중치나 기울기 평균)를 확인하세요")
    n, k = activations.shape[:2]
    if weights.dim() == 1:
        weights = weights.expand(n, -1)
    if weights.dim() != 2 or weights.shape[1] != k or weights.shape[0] != n:
        raise ValueError(
            f"weights의 모양은 (N, K) = ({n}, {k}) 또는 (K,) = ({k},) 이어야 합니다 "
            f"(받은 모양: {tuple(weights.shape)}). 채널 수 K는 activations.shape[1]과 같아야 합니다."
        )
    # (N, K, 1, 1) * (N, K, h, w) → sum over the channel axis → (N, h, w)
    return (weights[:, :, None, None] * activations).sum(dim=1)


def cam_from_fc(features: Tensor, fc_weight: Tensor, class_idx: int | Tensor) -> Tensor:
    """The original CAM: weight the last conv features by the FC weights of the class.

    For a network ``features → GAP → Linear(K, C)``, ``M_c = sum_k fc_weight[c, k] · features_k``
    (Zhou et al., 2016, no ReLU).

    Args:
        features (Tensor[N, K, h, w]): output of the last convolutional layer (before GAP).
        fc_weight (Tensor[C, K]): weight of the final ``nn.Linear(K, C)``, i.e. ``fc.weight``.
        class_idx (int or Tensor[N]): the class to explain, one for all images or one per image.

    Returns:
        Tensor[N, h, w]: the raw class activation map of each image.
    """
    _check_feature_maps(features, "features")
    if not isinstance(fc_weight, Tensor) or fc_weight.dim() != 2:
        got = tuple(fc_weight.shape) if isinstance(fc_weight, Tensor) else type(fc_weight).__name__
        raise ValueError(
            f"fc_weight는 (C, K) 모양의 텐서여야 합니다 (nn.Linear의 .weight). 받은 값: {got}."
        )
    _check_finite(fc_weight, "fc_weight", "학습이 발산하지 않았는지 확인하세요")
    num_classes, k = fc_weight.shape
    if k != features.shape[1]:
        raise ValueError(
            f"fc_weight의 입력 차원 K={k}가 features의 채널 수 {features.shape[1]}와 다릅니다. "
            "GAP 바로 다음의 nn.Linear와, GAP 바로 앞 층의 특징 맵을 짝지어 넣으세요."
        )
    classes = _as_class_indices(class_idx, features.shape[0], num_classes, "class_idx")
    return weighted_sum(features, fc_weight[classes.to(fc_weight.device)])


def normalize_maps(maps: Tensor, eps: float = 0.0) -> Tensor:
    """Scale each map to [0, 1]: ``(m - min) / (max - min + eps)``, per image.

    A flat map (``max == min``) has no place that stands out and becomes all zeros.
    ``eps=1e-7`` reproduces pytorch-grad-cam's ``scale_cam_image`` exactly.

    Args:
        maps (Tensor[..., h, w]): e.g. ``Tensor[N, h, w]``; min and max are taken per map over
            the last two dimensions.
        eps (float): added to the denominator (>= 0).

    Returns:
        Tensor[..., h, w]: same shape, values in [0, 1].
    """
    if not isinstance(maps, Tensor):
        raise TypeError(f"maps는 torch.Tensor여야 합니다 (받은 타입: {type(maps).__name__}).")
    if maps.dim() < 2 or not maps.is_floating_point():
        raise ValueError(
            f"maps는 (..., h, w) 모양(2차원 이상)의 실수 텐서여야 합니다 "
            f"(받은 모양: {tuple(maps.shape)}, dtype: {maps.dtype})."
        )
    eps = checks.number("eps", eps, minimum=0.0, hint="분모에 더하는 작은 수입니다 (예: 1e-7).")
    _check_finite(maps, "maps", "ReLU를 거친 유한한 맵을 넣으세요")
    lo = maps.amin(dim=(-2, -1), keepdim=True)
    hi = maps.amax(dim=(-2, -1), keepdim=True)
    span = hi - lo + eps
    span = torch.where(span > 0, span, torch.ones_like(span))  # flat map: 0 / 1 = 0
    return (maps - lo) / span


def upsample(maps: Tensor, size: tuple[int, int]) -> Tensor:
    """Resize maps to the image size with bilinear interpolation (pixel centres aligned).

    ``align_corners=False`` treats pixels as squares and samples at their centres, like
    ``cv2.resize(..., INTER_LINEAR)``; the two agree to ~1e-6 when enlarging.

    Args:
        maps (Tensor[N, h, w]): e.g. raw CAMs of the feature-map size.
        size (tuple[int, int]): target ``(H, W)`` -- height first, as in ``images.shape[-2:]``.

    Returns:
        Tensor[N, H, W]
    """
    if not isinstance(maps, Tensor) or maps.dim() != 3 or not maps.is_floating_point():
        got = f"{tuple(maps.shape)}, {maps.dtype}" if isinstance(maps, Tensor) else type(maps).__name__
        raise ValueError(f"maps는 (N, h, w) 모양의 실수 텐서여야 합니다 (받은 값: {got}).")
    _check_finite(maps, "maps", "맵을 만든 계산을 확인하세요")
    height_width = checks.size_hw(size, "size", example="예: upsample(maps, images.shape[-2:])")
    # interpolate wants a channel axis: (N, h, w) → (N, 1, h, w) → (N, 1, H, W) → (N, H, W)
    return F.interpolate(maps[:, None], size=height_width, mode="bilinear", align_corners=False)[:, 0]


def mass_inside_box(cam: Tensor, box_xyxy: Tensor | Sequence[float]) -> Tensor:
    """Fraction of a map's total mass that lies inside a box: ``sum(cam · inside) / sum(cam)``.

    Measures whether the model looks at the object (close to 1) or elsewhere, e.g. at a
    shortcut in the background (close to 0). A pixel ``(row i, column j)`` is inside when its
    centre ``(j + 0.5, i + 0.5)`` satisfies ``x1 <= x < x2`` and ``y1 <= y < y2``; for integer
    boxes this is exactly ``cam[..., y1:y2, x1:x2]``. A map without mass (all zeros) gives 0.

    Args:
        cam (Tensor[H, W] or Tensor[N, H, W]): non-negative maps, e.g. the output of
            :class:`GradCAM`.
        box_xyxy (Tensor[4] or Tensor[N, 4]): boxes in (x1, y1, x2, y2) pixel coordinates of the
            map; a single box is used for every map.

    Returns:
        Tensor[] (0-d) for a single map, Tensor[N] for N maps: fractions in [0, 1].
    """
    if not isinstance(cam, Tensor):
        raise TypeError(f"cam은 torch.Tensor여야 합니다 (받은 타입: {type(cam).__name__}).")
    if cam.dim() not in (2, 3) or not cam.is_floating_point():
        raise ValueError(
            f"cam은 (H, W) 또는 (N, H, W) 모양의 실수 텐서여야 합니다 "
            f"(받은 모양: {tuple(cam.shape)}, dtype: {cam.dtype})."
        )
    if not torch.isfinite(cam).all() or (cam < 0).any():
        raise ValueError(
            f"cam에 음수나 NaN/inf가 있습니다 (최솟값: {cam.min().item():.4g}). "
            "ReLU를 거친 맵(예: GradCAM이 돌려준 [0, 1] 맵)을 넣으세요."
        )
    single = cam.dim() == 2
    maps = cam[None] if single else cam  # (N, H, W)
    n, height, width = maps.shape

    boxes = torch.as_tensor(box_xyxy, dtype=maps.dtype, device=maps.device)
    if boxes.dim() == 1:
        boxes = boxes[None].expand(n, -1) if boxes.shape == (4,) else boxes[None]
    if boxes.dim() != 2 or boxes.shape != (n, 4):
        raise ValueError(
            f"box_xyxy는 (x1, y1, x2, y2) 네 값이거나 맵마다 하나씩 ({n}, 4) 모양이어야 합니다 "
            f"(받은 모양: {tuple(torch.as_tensor(box_xyxy).shape)})."
        )
    x1, y1, x2, y2 = boxes.unbind(dim=1)  # each (N,)
    if not torch.isfinite(boxes).all() or (x2 < x1).any() or (y2 < y1).any():
        raise ValueError(
            "box_xyxy는 x1 <= x2, y1 <= y2 인 (x1, y1, x2, y2) 형식이어야 합니다 "
            f"(받은 값: {boxes.tolist()}). (x, y, w, h) 형식이라면 먼저 변환하세요."
        )

    xs = torch.arange(width, dtype=maps.dtype, device=maps.device) + 0.5  # pixel centres
    ys = torch.arange(height, dtype=maps.dtype, device=maps.device) + 0.5
    in_x = (xs >= x1[:, None]) & (xs < x2[:, None])  # (N, W)
    in_y = (ys >= y1[:, None]) & (ys < y2[:, None])  # (N, H)
    inside = in_y[:, :, None] & in_x[:, None, :]  # (N, H, W)

    total = maps.sum(dim=(1, 2))
    inside_mass = (maps * inside).sum(dim=(1, 2))
    fraction = torch.where(total > 0, inside_mass / total.clamp_min(torch.finfo(maps.dtype).tiny), 0.0)
    return fraction[0] if single else fraction


# ── the pipeline ─────────────────────────────────────────────────────────────────────────────


class BaseCAM:
    """One pipeline for class activation maps; subclasses choose the channel weights.

    Hooks on ``target_layer`` live only while a call runs (also on errors), so nothing stays
    attached to the model and no autograd graph is kept between calls. The model is put in
    ``eval()`` mode for the call and its previous mode is restored afterwards; parameter
    ``.grad`` fields are never touched. Usable as a context manager, like pytorch-grad-cam::

        with GradCAM(model, model.layer4) as cam:
            maps = cam(images)               # Tensor[N, H, W] in [0, 1]

    After a call these hold the intermediate results, detached, for teaching:
    ``last_logits (N, num_classes)``, ``last_target_classes (N,)``,
    ``last_activations (N, K, h, w)``, ``last_gradients (N, K, h, w)`` (None for CAM),
    ``last_weights (N, K)`` and ``last_raw_maps (N, h, w)`` (weighted sum before ReLU,
    not upsampled, not normalised).
    """

    uses_gradients: bool = True
    # the intermediate results of the last call (None before the first call and after clear())
    last_logits: Tensor | None
    last_target_classes: Tensor | None
    last_activations: Tensor | None
    last_gradients: Tensor | None
    last_weights: Tensor | None
    last_raw_maps: Tensor | None

    def __init__(self, model: nn.Module, target_layer: nn.Module | str) -> None:
        if not isinstance(model, nn.Module):
            raise TypeError(f"model은 torch.nn.Module이어야 합니다 (받은 타입: {type(model).__name__}).")
        self.model = model
        self.target_layer = _find_layer(model, target_layer, "target_layer")
        self.clear()

    # the one step subclasses change
    def channel_weights(self, activations: Tensor, gradients: Tensor | None, target_classes: Tensor) -> Tensor:
        """Return one weight per image and channel, ``Tensor[N, K]``."""
        raise NotImplementedError

    def __call__(
        self,
        images: Tensor,
        target_classes: int | Sequence[int] | Tensor | None = None,
    ) -> Tensor:
        """Class activation maps of ``images`` for ``target_classes``.

        Args:
            images (Tensor[N, C, H, W]): float images, preprocessed as for the model (finite
                values; ``N = 0`` gives ``Tensor[0, H, W]``).
            target_classes (None, int, or Tensor[N] / list of N ints): class to explain per
                image; None explains the predicted class (argmax of the logits).

        Returns:
            Tensor[N, H, W]: one map per image in [0, 1], on the device of ``images``.
        """
        _check_images(images)
        # 1-2. forward (and backward) with hooks on the target layer
        logits, targets, activations, gradients = self._forward_backward(images, target_classes)
        # 3. channel weights: THE difference between CAM and Grad-CAM
        weights = self.channel_weights(activations, gradients, targets)
        # 4. weighted sum of the feature maps
        raw_maps = weighted_sum(activations, weights)
        # 5. ReLU: negative evidence (for other classes) is not shown
        maps = raw_maps.clamp(min=0)
        # 6-7. to the image size, then to [0, 1] per image
        maps = self.finish_maps(maps, tuple(images.shape[-2:]))

        self.last_logits, self.last_target_classes = logits, targets
        self.last_activations, self.last_gradients = activations, gradients
        self.last_weights, self.last_raw_maps = weights, raw_maps
        return maps.to(images.device)

    def finish_maps(self, maps: Tensor, size: tuple[int, int]) -> Tensor:
        """Steps 6-7: bilinear upsampling to the image ``size`` ``(H, W)``, then min-max to [0, 1].

        Args:
            maps (Tensor[N, h, w]): maps after ReLU.
            size (tuple[int, int]): ``images.shape[-2:]``.

        Returns:
            Tensor[N, H, W] in [0, 1].
        """
        return normalize_maps(upsample(maps, size))

    def _forward_backward(
        self, images: Tensor, target_classes: int | Sequence[int] | Tensor | None
    ) -> tuple[Tensor, Tensor, Tensor, Tensor | None]:
        """Steps 1-2: logits (N, C), targets (N,), activations (N, K, h, w), gradients or None."""
        images = images.to(checks.model_device(self.model, default=images.device))
        with _eval_mode(self.model), torch.inference_mode(False):
            if images.is_inference():  # made under torch.inference_mode(): autograd refuses it
                images = images.clone()
            with _recorded_outputs(self.target_layer, self.uses_gradients) as outputs:
                with torch.set_grad_enabled(self.uses_gradients):
                    logits = forward_with_hint(self.model, images, "images")
            activations = self._check_layer_output(outputs, images, logits)
            if target_classes is None:  # explain what the model predicts
                targets = logits.argmax(dim=1)
            else:
                n, num_classes = logits.shape
                targets = _as_class_indices(target_classes, n, num_classes, "target_classes").to(logits.device)
            gradients = None
            if self.uses_gradients:
                # d(sum_n y_n[c_n]) / dA: images do not interact in eval mode, so each image gets
                # the gradient of its own class score. autograd.grad stops at the target layer,
                # leaves parameters' .grad alone and frees the graph.
                score = logits.gather(1, targets[:, None]).sum()
                (gradients,) = torch.autograd.grad(score, activations)
        return logits.detach(), targets, activations.detach(), gradients

    def _check_layer_output(self, outputs: list[tuple[Tensor, int]], images: Tensor, logits: Any) -> Tensor:
        """Validate the model output and the captured target-layer output; return the latter."""
        if not isinstance(logits, Tensor) or logits.dim() != 2 or logits.shape[0] != images.shape[0]:
            got = tuple(logits.shape) if isinstance(logits, Tensor) else type(logits).__name__
            raise TypeError(
                f"model의 출력은 (N, num_classes) 모양의 logits 텐서여야 합니다 (받은 값: {got}). "
                "튜플/딕셔너리를 돌려주는 모델이라면 logits만 돌려주도록 감싸세요."
            )
        if len(outputs) == 0:
            raise ValueError(
                "forward 동안 target_layer가 한 번도 실행되지 않았습니다. "
                "model.forward에서 실제로 쓰이는 층을 고르세요."
            )
        if len(outputs) > 1:
            raise ValueError(
                f"target_layer가 한 번의 forward에서 {len(outputs)}번 실행되었습니다 "
                "(같은 모듈을 여러 곳에서 재사용). 한 번만 쓰이는 층을 고르세요 "
                "(예: resnet18이라면 model.layer4)."
            )
        out, version = outputs[0]
        if not isinstance(out, Tensor) or out.dim() != 4:
            got = tuple(out.shape) if isinstance(out, Tensor) else type(out).__name__
            raise ValueError(
                f"target_layer의 출력이 특징 맵 (N, K, h, w) 모양이 아닙니다 (받은 값: {got}). "
                "Linear/Flatten/GAP 뒤의 출력에는 위치 (h, w)가 없어서 어디를 보는지 그릴 수 없습니다. "
                "마지막 합성곱(conv) 층이나 블록을 고르세요 (예: resnet18의 model.layer4)."
            )
        if out.shape[-2:] == (1, 1):
            raise ValueError(
                f"target_layer의 특징 맵이 1×1입니다 (모양: {tuple(out.shape)}): 위치 정보가 없어 히트맵을 "
                "그릴 수 없습니다. 더 앞쪽 층을 고르거나 더 큰 이미지를 넣으세요."
            )
        if out._version != version:
            raise ValueError(
                "target_layer의 출력이 다음 층에서 제자리(in-place)로 바뀌었습니다 "
                "(예: 뒤따르는 nn.ReLU(inplace=True)). 그 ReLU 층을 target_layer로 고르세요."
            )
        return out

    def clear(self) -> None:
        """Forget the tensors of the last call."""
        self.last_logits = self.last_target_classes = None
        self.last_activations = self.last_gradients = None
        self.last_weights = self.last_raw_maps = None

    def __enter__(self) -> BaseCAM:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> Literal[False]:
        self.clear()
        return False  # never swallow an exception


class GradCAM(BaseCAM):
    """Grad-CAM: channel weights = spatial mean of the gradients of the class score.

    Works with any CNN as it is: ``GradCAM(model, target_layer)`` with ``target_layer`` a
    module whose output is a feature map ``(N, K, h, w)``, usually the last convolutional block
    (``model.layer4`` for a torchvision ResNet). See :class:`BaseCAM` for the call.
    """

    def channel_weights(self, activations: Tensor, gradients: Tensor | None, target_classes: Tensor) -> Tensor:
        return gradcam_weights(gradients)  # (N, K)


class CAM(BaseCAM):
    """CAM: channel weights = the FC weights of the class. Needs no backward pass.

    Only for networks ending in ``target_layer → global average pooling → fc_layer``, where
    ``fc_layer`` is the ``nn.Linear(K, num_classes)`` that produces the logits; this is checked
    on every call. On such a network the maps equal :class:`GradCAM`'s (see the module docstring).
    """

    uses_gradients = False

    def __init__(self, model: nn.Module, target_layer: nn.Module | str, fc_layer: nn.Module | str) -> None:
        super().__init__(model, target_layer)
        fc = _find_layer(model, fc_layer, "fc_layer")
        if not isinstance(fc, nn.Linear):
            raise TypeError(
                f"fc_layer는 GAP 바로 뒤의 nn.Linear여야 합니다 (받은 층: {type(fc).__name__}). "
                "이런 구조가 아닌 모델에는 GradCAM을 쓰세요."
            )
        self.fc_layer = fc

    def channel_weights(self, activations: Tensor, gradients: Tensor | None, target_classes: Tensor) -> Tensor:
        return self.fc_layer.weight.detach()[target_classes]  # (N, K)

    def _check_layer_output(self, outputs: list[tuple[Tensor, int]], images: Tensor, logits: Any) -> Tensor:
        activations = super()._check_layer_output(outputs, images, logits)
        fc = self.fc_layer
        k, num_classes = activations.shape[1], logits.shape[1]
        if fc.in_features != k:
            raise ValueError(
                f"fc_layer의 in_features={fc.in_features}가 target_layer의 채널 수 K={k}와 다릅니다. "
                "CAM에는 GAP 바로 앞 층(target_layer)과 GAP 바로 뒤 nn.Linear(fc_layer)가 필요합니다."
            )
        if fc.out_features != num_classes:
            raise ValueError(
                f"fc_layer의 out_features={fc.out_features}가 모델 출력의 클래스 수 "
                f"num_classes={num_classes}와 다릅니다. logits를 만드는 마지막 nn.Linear를 넣으세요."
            )
        with torch.no_grad():
            expected = fc(activations.mean(dim=(2, 3)))  # what GAP + fc gives
        tolerance = 1e-4 * max(1.0, logits.abs().amax().item() if logits.numel() else 0.0)
        if not torch.allclose(expected, logits, rtol=1e-3, atol=tolerance):
            raise ValueError(
                "model의 logits가 fc_layer(GAP(target_layer 출력))와 다릅니다: 이 모델은 "
                "'target_layer → GAP → fc_layer'로 끝나지 않아 CAM을 쓸 수 없습니다. GradCAM을 쓰세요."
            )
        return activations


# ── hooks and modes, always undone ───────────────────────────────────────────────────────


@contextmanager
def _recorded_outputs(layer: nn.Module, keep_grad: bool) -> Iterator[list[tuple[Tensor, int]]]:
    """Record ``(output, output._version)`` each time ``layer`` runs; the hook is removed on exit.

    The version counter lets us notice a later in-place change of the output (``ReLU(inplace=True)``).
    """
    outputs: list[tuple[Tensor, int]] = []

    def hook(module: nn.Module, inputs: tuple[Any, ...], output: Any) -> None:
        if isinstance(output, Tensor) and keep_grad and not output.requires_grad:
            output.requires_grad_(True)  # frozen model: still let gradients reach this layer
        outputs.append((output, getattr(output, "_version", 0)))

    handle = layer.register_forward_hook(hook)
    try:
        yield outputs
    finally:
        handle.remove()


@contextmanager
def _eval_mode(model: nn.Module) -> Iterator[None]:
    """BatchNorm and Dropout behave as at test time; every module's own mode is restored on exit."""
    modes = [(module, module.training) for module in model.modules()]
    model.eval()
    try:
        yield
    finally:
        for module, training in modes:
            module.training = training


# ── input checks ───────────────────────────────────────────────────────────────────────────


def _find_layer(model: nn.Module, layer: nn.Module | str, name: str) -> nn.Module:
    if isinstance(layer, str):
        try:
            return model.get_submodule(layer)
        except AttributeError:
            names = [n for n, _ in model.named_children()]
            raise ValueError(
                f"{name}={layer!r} 라는 층이 model 안에 없습니다. 최상위 층 이름: {names}. "
                "print(model)로 이름을 확인하세요."
            ) from None
    if not isinstance(layer, nn.Module):
        raise TypeError(f"{name}은 nn.Module(또는 층 이름 문자열)이어야 합니다 (받은 타입: {type(layer).__name__}).")
    if not any(module is layer for module in model.modules()):
        raise ValueError(
            f"{name}({type(layer).__name__})이 model.modules() 안에 없습니다: 다른 모델(예: 복사본)의 층입니다. "
            "같은 모델 객체에서 꺼낸 층을 넣으세요 (예: model.layer4)."
        )
    return layer


def _check_images(images: Any) -> None:
    if not isinstance(images, Tensor):
        raise TypeError(f"images는 torch.Tensor여야 합니다 (받은 타입: {type(images).__name__}).")
    if images.dim() != 4:
        hint = " 이미지 한 장이라면 images.unsqueeze(0)으로 배치 차원을 붙이세요." if images.dim() == 3 else ""
        raise ValueError(
            f"images는 (N, C, H, W) 4차원 텐서여야 합니다 (받은 모양: {tuple(images.shape)}).{hint}"
        )
    if not images.is_floating_point():
        raise TypeError(
            f"images는 실수(float) 텐서여야 합니다 (받은 dtype: {images.dtype}). "
            "모델을 학습할 때와 같은 전처리(예: ToTensor, Normalize)를 거친 텐서를 넣으세요."
        )
    _check_finite(images, "images", "전처리(정규화에서 0으로 나누기 등)나 이미지 읽기를 확인하세요")


def _check_feature_maps(x: Any, name: str) -> None:
    if not isinstance(x, Tensor):
        raise TypeError(f"{name}는 torch.Tensor여야 합니다 (받은 타입: {type(x).__name__}).")
    if x.dim() != 4 or not x.is_floating_point():
        raise ValueError(
            f"{name}는 (N, K, h, w) 모양의 실수 텐서여야 합니다 (받은 모양: {tuple(x.shape)}, dtype: {x.dtype})."
        )
    _check_finite(x, name, "모델 출력이 발산하지 않았는지 확인하세요")


def _check_finite(x: Tensor, name: str, hint: str) -> None:
    """Refuse NaN/inf: a map computed from them would be NaN or silently all zeros."""
    if x.numel() and not bool(torch.isfinite(x).all()):
        bad = (~torch.isfinite(x)).nonzero()[0].tolist()
        value = x[tuple(bad)].item()
        raise ValueError(
            f"{name}에 NaN 또는 무한대 값이 있습니다 (위치 {tuple(bad)}: {value}). 유한한 실수만 받습니다: {hint}."
        )


def _as_class_indices(classes: Any, n: int, num_classes: int, name: str) -> Tensor:
    """An int (for every image), a sequence or a Tensor of N ints → Tensor[N] of dtype long."""
    if isinstance(classes, bool) or (isinstance(classes, Tensor) and classes.dtype == torch.bool):
        raise TypeError(f"{name}는 정수 클래스 번호여야 합니다 (받은 값: {classes!r}).")
    try:
        values = torch.as_tensor(classes)
    except (TypeError, RuntimeError, ValueError):
        raise TypeError(f"{name}는 정수 클래스 번호(또는 그 목록/텐서)여야 합니다 (받은 값: {classes!r}).") from None
    if values.is_floating_point() or values.is_complex():
        raise TypeError(f"{name}는 정수 클래스 번호여야 합니다 (받은 dtype: {values.dtype}).")
    if values.dim() == 0:
        values = values.expand(n)
    if values.shape != (n,):
        raise ValueError(
            f"{name}는 정수 하나이거나 이미지마다 하나씩 길이 {n}이어야 합니다 (받은 모양: {tuple(values.shape)})."
        )
    bad = values[(values < 0) | (values >= num_classes)].unique()
    if bad.numel():
        raise ValueError(
            f"{name}의 값 {bad.tolist()}이(가) 범위를 벗어났습니다: 클래스 수 num_classes={num_classes}이므로 "
            f"0 ~ {num_classes - 1} 사이여야 합니다."
        )
    return values.long()

