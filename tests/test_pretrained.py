"""helpers.pretrained: weights from a local HTTP server, the cache, and every way to get None."""
from __future__ import annotations

import hashlib
import http.server
import socket
import threading
import time
from functools import partial
from pathlib import Path

import pytest
import torch
import torchvision

from helpers import data, pretrained

ARCH = "squeezenet1_1"  # the smallest torchvision classifier: a ~5 MB weights file


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Cache in a temporary folder, network allowed, no memory of unreachable hosts."""
    hub = tmp_path / "hub"
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(hub))
    monkeypatch.delenv(data.OFFLINE_ENV, raising=False)
    monkeypatch.setattr(data, "_UNREACHABLE_HOSTS", set())
    yield


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
    """Serve the folder of ``weights_file`` on 127.0.0.1; yields the base URL."""
    folder = weights_file[0].parent
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    again = pretrained.load_pretrained(ARCH, url=f"http://127.0.0.1:{_closed_port()}/{path.name}", progress=False)
    assert again is not None and "출처: 캐시" in capsys.readouterr().out
    x = torch.rand(1, 3, 64, 64)
    with torch.no_grad():
        assert torch.allclose(model(x), again(x))


def test_unreachable_server_gives_none_quickly(capsys):
    url = f"http://127.0.0.1:{_closed_port()}/{ARCH}-deadbeef.pth"
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
    monkeypatch.setenv(data.OFFLINE_ENV, "1")
    monkeypatch.setattr(data, "download_file", lambda *a, **k: pytest.fail("must not download"))
    assert pretrained.load_pretrained("resnet18") is None
    out = capsys.readouterr().out
    assert "COURSE_OFFLINE=1" in out and "resnet18" in out and "건너뜁니다" in out


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
    assert "손상" in out and "0badc0de" in out
    assert not (tmp_path / "hub" / "checkpoints" / wrong.name).exists()


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
    url = f"http://127.0.0.1:{_closed_port()}/{ARCH}-deadbeef.pth"
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
        ({"timeout": 0}, ValueError, "timeout은 양수"),
        ({"timeout": True}, ValueError, "timeout은 양수"),
        ({"url": "ftp://example.org/x.pth"}, ValueError, "url은 http\\(s\\)://"),
        ({"url": "http://example.org"}, ValueError, "url은 http\\(s\\)://"),
    ],
)
def test_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        pretrained.load_pretrained(**{"arch": ARCH, **kwargs})
