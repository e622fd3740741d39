"""Pretrained torchvision classifiers when the weights are reachable, ``None`` (and why) when not.

Every lesson's core runs on models the notebook trains itself; a pretrained ImageNet model is an
extra that needs the network the first time (Colab: yes; this course's CI: no). So::

    model = pretrained.load_pretrained("resnet18")    # nn.Module in eval mode, or None offline
    if model is None:
        ...  # the function has already printed, in Korean, why and what is skipped

The weights file is cached where torchvision caches it (``torch.hub.get_dir()/checkpoints``), so
a file torchvision already downloaded is reused without touching the network. A download goes
through :func:`helpers.download.download_file` (a ``.part`` file renamed into place only when
complete and correct) with a short ``timeout`` (a blocked network costs seconds, not minutes),
and is checked against the SHA-256 prefix in its file name (``resnet18-f37072fd.pth``), as
``torch.hub`` does; so is a cached file.
"""
from __future__ import annotations

import re
import urllib.parse
from pathlib import Path
from typing import Any

import torch
from torch import nn

from helpers import checks, download, environment
from helpers.environment import OFFLINE_ENV

__all__ = ["load_pretrained", "weights_for", "cache_path"]

HASH_RE = re.compile(r"-([a-f0-9]+)\.")  # torch.hub's convention: name-<sha256 prefix>.pth
SKIP = "이 셀은 건너뜁니다: 레슨의 나머지 부분은 사전 학습 모델 없이 그대로 실행됩니다."


def weights_for(arch: str) -> Any:
    """The torchvision weights enum member for ``arch`` (its ``DEFAULT``, i.e. ImageNet weights).

    It works offline: ``.url``, ``.transforms()`` (the preprocessing the model was trained with)
    and ``.meta["categories"]`` (the 1,000 ImageNet class names) need no download.
    """
    import torchvision
    from torchvision.models import get_model_weights, list_models

    if not isinstance(arch, str):
        raise TypeError(f"arch는 모델 이름 문자열이어야 합니다 (받은 타입: {type(arch).__name__}). 예: 'resnet18'")
    names = list_models(module=torchvision.models)  # classification models only
    if arch not in names:
        close = [n for n in names if n.startswith(arch[:4])][:6]
        raise ValueError(
            f"arch={arch!r}는 torchvision의 분류 모델 이름이 아닙니다. "
            f"예: 'resnet18', 'resnet50', 'mobilenet_v3_small'{' (비슷한 이름: ' + ', '.join(close) + ')' if close else ''}."
        )
    return get_model_weights(arch).DEFAULT


def cache_path(url: str) -> Path:
    """Where the weights file of ``url`` is cached: ``torch.hub.get_dir()/checkpoints/<file name>``."""
    name = Path(urllib.parse.urlsplit(url).path).name
    return Path(torch.hub.get_dir()) / "checkpoints" / name


def load_pretrained(arch: str = "resnet18", timeout: float = 10.0, url: str | None = None,
                    progress: bool = True, verbose: bool = True) -> nn.Module | None:
    """A torchvision classifier with pretrained ImageNet weights, or ``None`` when they can't be had.

    Args:
        arch (str): a torchvision classification model name, e.g. ``"resnet18"``.
        timeout (float): seconds to wait for the server before giving up (> 0).
        url (str, optional): download from here instead of torchvision's URL (a mirror; tests).
        progress (bool): show a download progress bar.
        verbose (bool): print one Korean line saying what was loaded, or why nothing was.

    Returns:
        the model (``nn.Module``, eval mode, on the CPU; input ``Tensor[N, 3, H, W]`` preprocessed
        with ``weights_for(arch).transforms()``, output logits ``Tensor[N, 1000]``), or ``None``
        when the environment variable ``COURSE_OFFLINE`` is ``1``/``true``/``yes``/``on`` (as
        :func:`helpers.environment.offline` reads it, the same as :mod:`helpers.data`), the server
        cannot be reached in time, or the file is corrupt. Never raises for network problems.
    """
    weights = weights_for(arch)
    timeout = checks.positive_number("timeout", timeout, hint="timeout은 서버를 기다릴 시간(초)입니다.")
    url = weights.url if url is None else url
    if not isinstance(url, str) or not re.match(r"^https?://[^/\s]+/.+", url):
        raise ValueError(f"url은 http(s)://로 시작하는 파일 주소여야 합니다 (받은 값: {url!r}).")
    path = cache_path(url)

    source, reason = _fetch(url, path, timeout, progress)
    model = None
    if reason is None:
        model, reason = _read(arch, path)
    if model is None:
        if verbose:
            print(f"사전 학습된 {arch} 가중치를 쓸 수 없습니다 ({reason}). {SKIP} "
                  "인터넷이 되는 환경(예: Colab)에서 다시 실행하면 이 부분도 볼 수 있습니다.")
        return None
    model.eval()
    if verbose:
        print(f"사전 학습된 {arch} (ImageNet, 클래스 1,000개) 가중치를 불러왔습니다 (출처: {source}).")
    return model


def _fetch(url: str, path: Path, timeout: float, progress: bool) -> tuple[str, str | None]:
    """Put the verified weights file of ``url`` at ``path``: (where it came from, None) or ("", why not).

    A file already in the cache is checked against the SHA-256 prefix in its name and deleted
    when it differs (the next run downloads it again); a new one is downloaded and checked by
    :func:`helpers.download.download_file`.
    """
    match = HASH_RE.search(path.name)
    prefix = match.group(1) if match is not None else None
    if path.is_file():
        problem = download.checksum_mismatch(path, sha256_prefix=prefix)
        if problem is None:
            return "캐시", None
        path.unlink(missing_ok=True)
        return "", f"파일이 손상되었습니다: {problem}. 지웠으니 다시 실행하면 새로 내려받습니다"
    if environment.offline():
        return "", f"환경 변수 {OFFLINE_ENV}=1 (또는 true/yes/on)"
    try:
        download.download_file(url, path, progress=progress, timeout=timeout, sha256_prefix=prefix)
    except download.DownloadError as exc:
        return "", f"내려받기 실패: {exc}"
    except PermissionError as exc:
        return "", (f"캐시 폴더에 쓸 수 없음: {exc} torch.hub.set_dir() 또는 환경 변수 TORCH_HOME으로 "
                    "다른 폴더를 지정할 수 있습니다")
    return url, None


def _read(arch: str, path: Path) -> tuple[nn.Module | None, str | None]:
    """(the model with the weights at ``path``, None), or (None, why they cannot be read)."""
    import torchvision

    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
        model = torchvision.models.get_model(arch, weights=None)
        model.load_state_dict(state)
    except Exception as exc:  # noqa: BLE001 - a broken file must not stop the lesson
        return None, f"가중치 파일을 읽을 수 없음: {type(exc).__name__}: {exc}"
    return model, None
