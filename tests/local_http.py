"""A static HTTP server on 127.0.0.1 for the download tests: no test touches the network.

``serve(folder)`` serves the files under ``folder``, plus two ways to fail:

- ``/error503``: HTTP 503;
- ``/truncated/<path>``: the headers promise the whole file (``Content-Length``) but only its
  first 1,000 bytes come before the server hangs up (a transfer cut short).

A closed local port (:func:`closed_port_url`) plays the unreachable host, and
:func:`loopback_only` turns any other host name lookup into a test failure.
"""
from __future__ import annotations

import contextlib
import functools
import socket
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

TRUNCATED_BYTES = 1_000


class _Handler(SimpleHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path == "/error503":
            self.send_error(503, "Service Unavailable")
            return
        if self.path.startswith("/truncated/"):
            payload = (Path(self.directory) / self.path.removeprefix("/truncated/")).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload[:TRUNCATED_BYTES])
            self.wfile.flush()
            self.close_connection = True
            return
        super().do_GET()

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (a free port) while the block runs; yields the base URL (``.../``)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def closed_port_url() -> str:
    """``http://127.0.0.1:<port>/`` on a port nobody listens on: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any host name lookup other than 127.0.0.1 / localhost fail the test."""
    real_getaddrinfo = socket.getaddrinfo

    def lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in ("127.0.0.1", "localhost"):
            raise AssertionError(f"test tried to reach the network: {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
