"""helpers.pretrained: weights from a local HTTP server, the cache, and every way to get None."""
from __future__ import annotations

import hashlib
import socket
import time
from pathlib import Path

import pytest
import torch
import torchvision

from helpers import download, environment, pretrained
from local_http import closed_port_url, loopback_only, serve

ARCH = "squeezenet1_1"  # the smallest torchvision classifier: a ~5 MB weights file


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Cache in a temporary folder, downloads allowed (loopback only), no memory of unreachable hosts."""
    hub = tmp_path / "hub"
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(hub))
    monkeypatch.delenv(environment.OFFLINE_ENV, raising=False)
    download.forget_unreachable_hosts()
    loopback_only(monkeypatch)
    yield
    download.forget_unreachable_hosts()


@pytest.fixture(scope="module")
def weights_file(tmp_path_factory) -> tuple[Path, dict]:
    """A real state dict of ARCH (random init) saved as torchvision names it: <arch>-<sha256[:8]>.pth."""
    torch.manual_seed(0)
    state = torchvision.models.get_model(ARCH, weights=None).state_dict()
    folder = tmp_path_factory.mktemp("served")
    tmp = folder / "weights.pth"
    torch.save(state, tmp)
    digest = hashlib.sha256(tmp.read_bytes()).hexdigest()
    path = folder / f"{ARCH}-{digest[:8]}.pth"
    tmp.rename(path)
    return path, state


@pytest.fixture()
def server(weights_file):
    """Serve the folder of ``weights_file`` on 127.0.0.1; yields the base URL (no trailing slash)."""
    with serve(weights_file[0].parent) as url:
        yield url.rstrip("/")


def _dead(name: str) -> str:
    """A URL for ``name`` on a closed local port."""
    return closed_port_url() + name


def test_downloads_checks_and_caches(server, weights_file, capsys, tmp_path):
    path, state = weights_file
    url = f"{server}/{path.name}"
    model = pretrained.load_pretrained(ARCH, url=url, progress=False, timeout=5)
    out = capsys.readouterr().out
    assert isinstance(model, torch.nn.Module) and not model.training
    assert "불러왔습니다" in out and url in out
    for name, tensor in model.state_dict().items():
        assert torch.equal(tensor, state[name]), name
    cached = tmp_path / "hub" / "checkpoints" / path.name
    assert cached.is_file() and pretrained.cache_path(url) == cached
    # second call: from the cache, even with the network gone
    again = pretrained.load_pretrained(ARCH, url=_dead(path.name), progress=False)
    assert again is not None and "출처: 캐시" in capsys.readouterr().out
    x = torch.rand(1, 3, 64, 64)
    with torch.no_grad():
        assert torch.allclose(model(x), again(x))


def test_unreachable_server_gives_none_quickly(capsys):
    url = _dead(f"{ARCH}-deadbeef.pth")
    start = time.perf_counter()
    assert pretrained.load_pretrained(ARCH, url=url, progress=False, timeout=5) is None
    assert time.perf_counter() - start < 5
    out = capsys.readouterr().out
    assert "내려받기 실패" in out and "건너뜁니다" in out and "Colab" in out


def test_silent_server_times_out(capsys):
    """A server that accepts the connection but never answers: give up after `timeout`."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/{ARCH}-deadbeef.pth"
        start = time.perf_counter()
        assert pretrained.load_pretrained(ARCH, url=url, progress=False, timeout=0.5) is None
        assert time.perf_counter() - start < 5
    assert "건너뜁니다" in capsys.readouterr().out


def test_offline_variable_skips_without_network(monkeypatch, capsys):
    monkeypatch.setenv(environment.OFFLINE_ENV, "1")
    monkeypatch.setattr(download, "download_file", lambda *a, **k: pytest.fail("must not download"))
    assert pretrained.load_pretrained("resnet18") is None
    out = capsys.readouterr().out
    assert "COURSE_OFFLINE=1" in out and "resnet18" in out and "건너뜁니다" in out


def test_offline_variable_still_uses_a_valid_cached_file(server, weights_file, monkeypatch, capsys):
    path, state = weights_file
    assert pretrained.load_pretrained(ARCH, url=f"{server}/{path.name}", progress=False, verbose=False) is not None
    monkeypatch.setenv(environment.OFFLINE_ENV, "1")
    monkeypatch.setattr(download, "download_file", lambda *a, **k: pytest.fail("must not download"))
    model = pretrained.load_pretrained(ARCH, url=f"{server}/{path.name}", progress=False)
    assert model is not None and "출처: 캐시" in capsys.readouterr().out
    assert all(torch.equal(t, state[name]) for name, t in model.state_dict().items())


def test_http_error_gives_none(server, capsys):
    assert pretrained.load_pretrained(ARCH, url=f"{server}/{ARCH}-00000000.pth", progress=False) is None
    assert "HTTP 404" in capsys.readouterr().out


def test_wrong_hash_is_deleted(server, weights_file, capsys, tmp_path):
    path, _ = weights_file
    wrong = path.parent / f"{ARCH}-0badc0de.pth"
    wrong.write_bytes(path.read_bytes())
    try:
        assert pretrained.load_pretrained(ARCH, url=f"{server}/{wrong.name}", progress=False) is None
    finally:
        wrong.unlink()
    out = capsys.readouterr().out
    assert "내려받기 실패" in out and "손상되었습니다: SHA-256" in out and "기대값 0badc0de" in out
    checkpoints = tmp_path / "hub" / "checkpoints"
    assert not (checkpoints / wrong.name).exists() and not list(checkpoints.glob("*.part"))


def test_corrupt_cached_file_is_deleted(server, weights_file, capsys, tmp_path):
    """A cached file whose SHA-256 does not start with the prefix in its name is never loaded."""
    path, _ = weights_file
    cached = pretrained.cache_path(f"{server}/{path.name}")
    cached.parent.mkdir(parents=True)
    cached.write_bytes(path.read_bytes()[:-10] + b"0123456789")  # same size, wrong hash
    assert pretrained.load_pretrained(ARCH, url=f"{server}/{path.name}", progress=False) is None
    out = capsys.readouterr().out
    assert "파일이 손상되었습니다: SHA-256" in out and f"기대값 {path.stem.rsplit('-', 1)[1]}" in out
    assert not cached.exists()
    # the next run downloads it again
    assert pretrained.load_pretrained(ARCH, url=f"{server}/{path.name}", progress=False, verbose=False) is not None
    assert download.file_sha256(cached) == hashlib.sha256(path.read_bytes()).hexdigest()


def test_unreadable_file_gives_none(server, weights_file, capsys):
    folder = weights_file[0].parent
    junk = b"not a state dict"
    name = f"{ARCH}-{hashlib.sha256(junk).hexdigest()[:8]}.pth"
    (folder / name).write_bytes(junk)
    try:
        assert pretrained.load_pretrained(ARCH, url=f"{server}/{name}", progress=False) is None
    finally:
        (folder / name).unlink()
    assert "읽을 수 없음" in capsys.readouterr().out


def test_verbose_false_prints_nothing(capsys):
    url = _dead(f"{ARCH}-deadbeef.pth")
    assert pretrained.load_pretrained(ARCH, url=url, progress=False, verbose=False) is None
    assert capsys.readouterr().out == ""


def test_weights_for_works_offline():
    weights = pretrained.weights_for("resnet18")
    assert weights.url.endswith(".pth") and len(weights.meta["categories"]) == 1000
    x = weights.transforms()(torch.randint(0, 256, (3, 300, 400), dtype=torch.uint8))
    assert x.shape == (3, 224, 224)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"arch": "resnet19"}, ValueError, "torchvision의 분류 모델 이름이 아닙니다.*resnet18"),
        ({"arch": "fasterrcnn_resnet50_fpn"}, ValueError, "분류 모델 이름이 아닙니다"),
        ({"arch": 18}, TypeError, "arch는 모델 이름 문자열"),
        ({"timeout": 0}, ValueError, r"timeout은\(는\) 0 초과의 유한한 실수.*기다릴 시간\(초\)"),
        ({"timeout": True}, TypeError, r"timeout은\(는\) 실수여야"),
        ({"url": "ftp://example.org/x.pth"}, ValueError, "url은 http\\(s\\)://"),
        ({"url": "http://example.org"}, ValueError, "url은 http\\(s\\)://"),
    ],
)
def test_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        pretrained.load_pretrained(**{"arch": ARCH, **kwargs})
