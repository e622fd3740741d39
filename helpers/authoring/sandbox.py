"""Run one command with a time limit, in its own session, cut off from the network if possible.

Isolation is tried in this order, once per process (:func:`detect_isolation`):

1. ``unshare --net --pid --fork --kill-child`` (works as root): a fresh network namespace (no
   interface but loopback) and a PID namespace, so killing the command kills every process it
   started, including Jupyter kernels that put themselves in a new session.
2. ``unshare -rn --pid --fork --kill-child``: the same through an unprivileged user namespace.
3. the same two without ``--pid`` (some kernels forbid PID namespaces).
4. no isolation: the command runs with the network; ``network_isolated`` is ``False`` and a
   one-line warning is printed by ``course-grade``.

Jupyter kernels talk to their client over TCP on 127.0.0.1, and a fresh network namespace has
its loopback interface down, so inside the namespace a tiny Python shim first brings ``lo`` up
(``SIOCSIFFLAGS`` ioctl, no ``ip`` binary needed) and then ``exec``s the command.

On timeout the whole process group and every descendant found (psutil) get ``SIGKILL``
(on Windows, without process groups or namespaces: the descendants psutil finds).
"""
from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

# Brings the loopback interface up, then replaces itself with the command (argv[1:]).
LO_UP_EXEC = r"""
import fcntl, os, socket, struct, sys
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
try:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    flags = struct.unpack("16sH", fcntl.ioctl(s, SIOCGIFFLAGS, struct.pack("16sH", b"lo", 0)))[1]
    if not flags & IFF_UP:
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sH", b"lo", flags | IFF_UP))
    s.close()
except OSError as exc:
    sys.stderr.write("course-grade: loopback up failed: %s\n" % exc)
    sys.exit(97)
if len(sys.argv) > 1:
    os.execvp(sys.argv[1], sys.argv[1:])
"""

# Run inside a candidate namespace: loopback must work, the outside world must not.
_SELF_TEST = r"""
import socket, sys
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
socket.create_connection(srv.getsockname(), timeout=2).close()
try:
    socket.create_connection(("192.0.2.1", 9), timeout=1).close()   # TEST-NET-1, never routed
    sys.exit(3)
except OSError:
    pass
print("isolated-ok")
"""

CANDIDATES = (
    ("unshare --net --pid", ["unshare", "--net", "--pid", "--fork", "--kill-child"]),
    ("unshare -rn --pid (user namespace)", ["unshare", "-rn", "--pid", "--fork", "--kill-child"]),
    ("unshare --net", ["unshare", "--net"]),
    ("unshare -rn (user namespace)", ["unshare", "-rn"]),
)


@dataclass(frozen=True)
class Isolation:
    """How commands are wrapped: ``prefix + [python, -c, LO_UP_EXEC] + command`` when isolated."""

    prefix: tuple[str, ...]
    network_isolated: bool
    pid_namespace: bool
    description: str

    def wrap(self, command: list[str]) -> list[str]:
        if not self.network_isolated:
            return list(command)
        return [*self.prefix, sys.executable, "-c", LO_UP_EXEC, *command]


NO_ISOLATION = Isolation((), False, False, "격리 없음 (unshare 를 쓸 수 없음)")


@functools.lru_cache(maxsize=None)
def detect_isolation() -> Isolation:
    """The strongest isolation that works on this machine (cached for the process)."""
    if not sys.platform.startswith("linux"):
        return NO_ISOLATION
    for description, prefix in CANDIDATES:
        candidate = Isolation(tuple(prefix), True, "--pid" in prefix, description)
        try:
            proc = subprocess.run(
                candidate.wrap([sys.executable, "-c", _SELF_TEST]), capture_output=True, text=True, timeout=30
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if proc.returncode == 0 and "isolated-ok" in proc.stdout:
            return candidate
    return NO_ISOLATION


@dataclass
class RunOutcome:
    """What happened to one sandboxed command."""

    returncode: int | None
    output: str
    timed_out: bool
    seconds: float


def _descendants(pid: int) -> list[int]:
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil comes with ipykernel
        return []
    try:
        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except Exception:
        return []


KILL = getattr(signal, "SIGKILL", signal.SIGTERM)


def _kill_group(pgid: int) -> None:
    if hasattr(os, "killpg"):  # POSIX; on Windows only the process tree below is killed
        try:
            os.killpg(pgid, KILL)
        except (ProcessLookupError, PermissionError):
            pass


def kill_tree(proc: subprocess.Popen) -> None:
    """Kill ``proc``, its process group and every descendant (kernels start new sessions)."""
    victims = _descendants(proc.pid)
    _kill_group(proc.pid)
    for pid in [proc.pid, *victims]:
        try:
            os.kill(pid, KILL)
        except (ProcessLookupError, PermissionError, OSError):
            pass


def run_limited(
    command: list[str], *, timeout: float, cwd: str | None = None, env: dict | None = None,
    isolation: Isolation | None = None,
) -> RunOutcome:
    """Run ``command`` (wrapped by ``isolation``) with a wall-clock limit; never raises on timeout."""
    isolation = isolation or NO_ISOLATION
    start = time.perf_counter()
    proc = subprocess.Popen(
        isolation.wrap(command), cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL, start_new_session=True,
    )
    timed_out = False
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        kill_tree(proc)
        try:
            out, _ = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:  # a grandchild still holds the pipe
            out = b""
    else:
        # the command is done; whatever it left behind in its process group goes too
        # (a PID namespace, when used, has already taken everything else with it)
        _kill_group(proc.pid)
    text = (out or b"").decode("utf-8", errors="replace")
    return RunOutcome(None if timed_out else proc.returncode, text, timed_out, time.perf_counter() - start)


if __name__ == "__main__":  # pragma: no cover - manual check: python -m helpers.authoring.sandbox
    print(detect_isolation())
