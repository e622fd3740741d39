"""Where the course runs: device, seeds, the run profile, Colab detection and a preflight.

The one setting that changes how much work a notebook does is the environment variable
``COURSE_PROFILE``: ``full`` (default, what learners run) or ``quick`` (what CI runs). Notebooks
never branch on it themselves; they read their sizes from :mod:`helpers.sizes` (one table per
lesson), which picks the column with :func:`get_profile`.

Every environment variable of the course is read here, and only here (other modules call these
functions):

======================  ==========================================  =========================
variable                meaning                                     read by
======================  ==========================================  =========================
``COURSE_PROFILE``      ``full`` (default) or ``quick``             :func:`profile`
``COURSE_DEVICE``       force a device, e.g. ``cpu``                :func:`get_device`
``COURSE_OFFLINE``      ``1``/``true``/``yes``/``on``: never touch  :func:`offline`
                        the network (``0``/``false``/``no``/``off``
                        or unset: allowed); case-insensitive
``COURSE_DATA_DIR``     the data cache folder                       :func:`data_dir`
``COURSE_DATA_MIRROR``  base URLs replacing the official mirrors    :func:`mirrors`
======================  ==========================================  =========================
"""
from __future__ import annotations

import os
import platform
import random
import re
import sys

import numpy as np
import torch

from helpers import checks

PROFILE_ENV = "COURSE_PROFILE"
DEVICE_ENV = "COURSE_DEVICE"
OFFLINE_ENV = "COURSE_OFFLINE"
DATA_DIR_ENV = "COURSE_DATA_DIR"
MIRROR_ENV = "COURSE_DATA_MIRROR"
# set by course-build, course-grade, course-site and the tests for the kernels they start: no
# frontend renders widgets there (helpers.interactive draws only its static figure)
NO_WIDGETS_ENV = "COURSE_NO_WIDGETS"
PROFILES = ("full", "quick")
TRUE_VALUES = ("1", "true", "yes", "on")
FALSE_VALUES = ("", "0", "false", "no", "off")



def get_profile() -> str:
    """Return the active profile, ``"full"`` or ``"quick"`` (from ``COURSE_PROFILE``)."""
    value = os.environ.get(PROFILE_ENV, "full").strip().lower() or "full"
    if value not in PROFILES:
        raise ValueError(
            f"환경 변수 {PROFILE_ENV}={value!r} 는 알 수 없는 값입니다. "
            f"'full'(기본값) 또는 'quick' 중 하나로 설정하세요."
        )
    return value


def profile() -> str:
    """The active profile, ``"full"`` or ``"quick"`` (``COURSE_PROFILE``); same as :func:`get_profile`."""
    return get_profile()


def widgets_disabled() -> bool:
    """True when ``COURSE_NO_WIDGETS`` is ``1``/``true``/``yes``/``on``: a headless kernel (no frontend).

    The course's tools set it for the kernels they start (runtime.subprocess_env): a widget
    there is never seen, and its comm messages have made nbclient wait for a whole cell timeout
    (jupyter/nbclient#312; seen once in this project's tests, 600 s after an explore() cell).
    """
    return os.environ.get(NO_WIDGETS_ENV, "").strip().lower() in TRUE_VALUES


def offline() -> bool:
    """True when ``COURSE_OFFLINE`` says never to use the network.

    ``1``, ``true``, ``yes``, ``on`` (any case, spaces ignored) mean offline; unset, ``0``,
    ``false``, ``no``, ``off`` mean online. Any other value is a typo and raises ``ValueError``
    in Korean, rather than being read silently as "online".
    """
    value = os.environ.get(OFFLINE_ENV, "").strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ValueError(
        f"환경 변수 {OFFLINE_ENV}={os.environ[OFFLINE_ENV]!r} 는 알 수 없는 값입니다. "
        f"오프라인이면 {'/'.join(TRUE_VALUES)}, 아니면 {'/'.join(v for v in FALSE_VALUES if v)} 중 하나로 설정하세요."
    )


def data_dir() -> str | None:
    """The data cache folder named by ``COURSE_DATA_DIR`` (spaces stripped), or None when unset.

    :func:`helpers.data.data_dir` decides the folder actually used (an argument wins, then this,
    then ``~/.cache/vision-course``) and creates it.
    """
    return os.environ.get(DATA_DIR_ENV, "").strip() or None


def mirrors() -> list[str] | None:
    """Base URLs from ``COURSE_DATA_MIRROR`` (separated by commas or spaces), or None when unset."""
    value = os.environ.get(MIRROR_ENV, "").strip()
    if not value:
        return None
    return [m for m in re.split(r"[,\s]+", value) if m]


def in_colab() -> bool:
    """True when running inside Google Colab."""
    return "google.colab" in sys.modules or "COLAB_RELEASE_TAG" in os.environ


def get_device(prefer: str | None = None) -> torch.device:
    """Pick the best available device: CUDA, then Apple MPS, then CPU.

    ``prefer`` (or the ``COURSE_DEVICE`` environment variable) forces one, e.g. ``"cpu"``.
    """
    choice = (prefer or os.environ.get(DEVICE_ENV, "")).strip().lower()
    if choice:
        if choice.startswith("cuda") and not torch.cuda.is_available():
            raise RuntimeError(
                f"장치 {choice!r} 를 요청했지만 CUDA GPU를 찾을 수 없습니다. "
                "Colab이라면 '런타임 > 런타임 유형 변경 > GPU'를 선택하거나, 'cpu'를 사용하세요."
            )
        if choice == "mps" and not _mps_available():
            raise RuntimeError("장치 'mps' 를 요청했지만 이 컴퓨터에서는 Apple MPS를 쓸 수 없습니다.")
        try:
            return torch.device(choice)
        except RuntimeError as exc:  # e.g. "gpu"
            raise ValueError(
                f"알 수 없는 장치 이름 {choice!r} 입니다. 'cuda', 'mps', 'cpu' 중 하나를 쓰세요."
            ) from exc
    if torch.cuda.is_available():
        return torch.device("cuda")
    if _mps_available():
        return torch.device("mps")
    return torch.device("cpu")


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def seed_everything(seed: int = 0, deterministic: bool = False) -> int:
    """Seed Python, NumPy and PyTorch (all devices). Returns the seed.

    With ``deterministic=True`` PyTorch also refuses non-deterministic kernels, so two runs
    on the same machine give identical numbers (slower on GPU).
    """
    seed = checks.integer("seed", seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)
    if deterministic:
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True, warn_only=True)
        torch.backends.cudnn.deterministic = True
        torch.backends.cudnn.benchmark = False
    return seed


def default_num_workers() -> int:
    """DataLoader worker count that is safe everywhere.

    Worker processes are re-imported with ``spawn`` on Windows and macOS, where functions defined
    in a notebook cannot be pickled; there (and in the quick profile) we load in the main process.
    On Linux with a GPU, a couple of workers keep the GPU fed.
    """
    if platform.system() != "Linux" or get_profile() == "quick":
        return 0
    if not torch.cuda.is_available():
        return 0
    return max(0, min(4, (os.cpu_count() or 1) - 1))


def _version(module_name: str) -> str:
    try:
        from importlib.metadata import version

        return version(module_name)
    except Exception:  # not installed
        return "설치 안 됨"


def preflight(verbose: bool = True) -> dict:
    """Print (and return) versions, device, profile and advice in Korean."""
    device = get_device()
    info = {
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "torch": torch.__version__,
        "torchvision": _version("torchvision"),
        "numpy": np.__version__,
        "device": str(device),
        "gpu": torch.cuda.get_device_name(0) if device.type == "cuda" else None,
        "profile": get_profile(),
        "colab": in_colab(),
    }
    advice = []
    if device.type == "cpu":
        if info["colab"]:
            advice.append("GPU가 꺼져 있습니다: '런타임 > 런타임 유형 변경 > GPU(T4)'를 선택하면 훨씬 빠릅니다.")
        else:
            advice.append("CPU로 실행합니다. 모든 실습은 CPU에서도 돌아가도록 설계되었습니다 (학습 셀은 몇 분 걸릴 수 있어요).")
    if info["profile"] == "quick":
        advice.append("quick 프로파일: 데이터와 에폭을 줄여 빠르게 확인하는 모드입니다 (CI용). 정확도 목표는 full 프로파일 기준입니다.")
    info["advice"] = advice
    if verbose:
        print("── 실행 환경 점검 ──")
        print(f"Python {info['python']} | PyTorch {info['torch']} | torchvision {info['torchvision']} | NumPy {info['numpy']}")
        gpu = f" ({info['gpu']})" if info["gpu"] else ""
        print(f"장치(device): {info['device']}{gpu} | 프로파일(profile): {info['profile']} | Colab: {'예' if info['colab'] else '아니오'}")
        for line in advice:
            print("• " + line)
    return info
