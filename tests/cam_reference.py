"""Test scaffolding for helpers.cam: pytorch-grad-cam's exact normalisation steps.

pytorch-grad-cam scales each raw map with ``scale_cam_image``: ReLU → min-max with ``max + 1e-7``
→ cv2 bilinear resize → min-max with ``+ 1e-7`` again. Its 1e-7 dominates when raw CAM values are
tiny, so to compare maps to ~1e-6 the tests reproduce those steps here, outside the student-facing
API (``helpers.cam`` uses plain min-max).
"""
from helpers.cam import CAM, GradCAM, normalize_maps, upsample

PYTORCH_GRAD_CAM_EPS = 1e-7  # pytorch-grad-cam divides by (max + 1e-7) in scale_cam_image


def _pytorch_grad_cam_steps(maps, size):
    maps = normalize_maps(maps, eps=PYTORCH_GRAD_CAM_EPS)
    return normalize_maps(upsample(maps, size), eps=PYTORCH_GRAD_CAM_EPS)


class RefStepsGradCAM(GradCAM):
    """GradCAM whose steps 6-7 are pytorch-grad-cam's."""

    def finish_maps(self, maps, size):
        return _pytorch_grad_cam_steps(maps, size)


class RefStepsCAM(CAM):
    """CAM whose steps 6-7 are pytorch-grad-cam's."""

    def finish_maps(self, maps, size):
        return _pytorch_grad_cam_steps(maps, size)
