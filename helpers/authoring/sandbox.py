"""Run one untrusted command with a time limit, resource limits and, where the OS allows, a jail.

Isolation levels, the strongest that works is chosen once per process (:func:`detect_isolation`)
and every level is proven by a self-test, not assumed:

1. ``bwrap`` (bubblewrap, Debian package ``bubblewrap``): fresh network, PID, IPC and UTS
   namespaces and a private filesystem view built from nothing: a tmpfs root with only the
   operating system (``/usr``, ``/etc``, ``/bin``…), the Python installation and the read-only
   paths the caller names bound in **read-only**, a private size-limited tmpfs ``/tmp`` and
   ``/dev/shm``, and no other file of the machine (not the submissions folder, not the build
   folder, not other gradings' folders, not the gradebook, not the instructor's home). As root,
   the command also drops to an unprivileged uid of its own (``setpriv``: no capabilities, no
   bounding set, ``no_new_privs``); as another user, bubblewrap's user namespace is used.
2. ``unshare`` (util-linux): a fresh network namespace only (plus a PID namespace where allowed);
   the command sees the whole filesystem with the grader's rights.
3. nothing: the command runs with the network and the grader's rights.

``fs_isolated``/``user_isolated``/``network_isolated`` say which properties were proven;
``warning`` is the one line ``course-grade`` prints when the machine offers less than level 1.

The network self-test starts a TCP server on the grader's ``127.0.0.1`` **outside** the candidate
jail; inside, a connection to it must fail while a server on the jail's own loopback works
(Jupyter kernels need it), and the jail's network namespace inode must differ from the grader's.
("Connection refused" from some far address proves nothing: it answers at once on many hosts.)
The filesystem self-test puts a canary file next to the jail's own folder and checks that the
jailed command can neither see it nor write anywhere but its private ``/tmp``.

Limits (:class:`Limits`): ``RLIMIT_AS`` (address space of each process), ``RLIMIT_FSIZE`` (largest
file), ``RLIMIT_NPROC`` (processes of the jail's own uid, root jails only), ``RLIMIT_CORE`` 0, the
size of the private tmpfs, and the bytes the command may print (more: killed, ``output_exceeded``).

On timeout the whole process group and every descendant found (psutil) get ``SIGKILL``; with a
PID namespace, killing its first process kills everything in it.
"""
from __future__ import annotations

import functools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

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

# Run inside a candidate jail: argv = [outside port, canary path or "", expect_uid or ""].
_SELF_TEST = r"""
import os, socket, sys
port, canary, uid = int(sys.argv[1]), sys.argv[2], sys.argv[3]
print("netns", os.readlink("/proc/self/ns/net"))
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
socket.create_connection(srv.getsockname(), timeout=5).close()          # own loopback works
try:
    socket.create_connection(("127.0.0.1", port), timeout=2).close()     # the grader's must not
    print("reached-outside")
except OSError:
    print("outside-unreachable")
if canary:
    print("canary-visible" if os.path.exists(canary) else "canary-hidden")
    for target in (os.path.dirname(canary), "/", os.path.expanduser("~"), "/usr"):
        try:
            open(os.path.join(target, ".course-grade-write-test"), "w").close()
            print("wrote", target)
        except OSError:
            pass
    with open("/tmp/.course-grade-write-test", "w") as f:
        f.write("ok")
    print("tmp-writable")
if uid:
    print("uid", os.getuid(), os.geteuid())
print("self-test-done")
"""

OUTPUT_KEEP = 2 * 1024 * 1024  # bytes of the command's output kept (the tail); the rest is counted


@dataclass(frozen=True)
class Limits:
    """Resource limits for one command; ``None`` means unlimited.

    ``memory``: bytes of address space per process (``RLIMIT_AS``); ``output``: bytes the command
    may print and the largest file it may write (``RLIMIT_FSIZE``); ``disk``: size of the jail's
    private ``/tmp`` and ``/dev/shm`` (tmpfs, which is memory: always bounded in a jail);
    ``processes``: ``RLIMIT_NPROC`` for the jail's own uid (root jails only).
    """

    memory: int | None = 8 * 1024**3
    output: int | None = 64 * 1024**2
    disk: int = 2 * 1024**3
    processes: int = 1024


NO_LIMITS = Limits(memory=None, output=None)


@dataclass(frozen=True)
class Isolation:
    """How commands are wrapped, and which properties the self-test proved."""

    kind: str  # "bwrap", "unshare" or "none"
    prefix: tuple[str, ...]
    network_isolated: bool
    pid_namespace: bool
    description: str
    fs_isolated: bool = False
    user_isolated: bool = False
    root: bool = False  # bwrap as root: drop to a private uid with setpriv
    warning: str = ""

    def wrap(self, command: Sequence[str]) -> list[str]:
        """``unshare``/no isolation only: the command line (see :func:`bwrap_command` for bwrap)."""
        if self.kind != "unshare":
            return list(command)
        return [*self.prefix, sys.executable, "-c", LO_UP_EXEC, *command]


NO_ISOLATION = Isolation(
    "none", (), False, False, "격리 없음 (bwrap/unshare 를 쓸 수 없음)",
    warning="경고: 제출물을 격리할 수 없어(bwrap/unshare 불가) 네트워크와 파일 시스템 제한 없이 실행합니다.",
)

UNSHARE_CANDIDATES = (
    ("unshare --net --pid", ["unshare", "--net", "--pid", "--fork", "--kill-child"]),
    ("unshare -rn --pid (user namespace)", ["unshare", "-rn", "--pid", "--fork", "--kill-child"]),
    ("unshare --net", ["unshare", "--net"]),
    ("unshare -rn (user namespace)", ["unshare", "-rn"]),
)
UNSHARE_WARNING = (
    "경고: bubblewrap(bwrap)을 쓸 수 없어 네트워크만 격리합니다: 제출물이 이 컴퓨터의 파일을 "
    "채점기 권한으로 읽고 쓸 수 있습니다 (Debian: apt-get install bubblewrap)."
)

# the jail's first uid; job k of a run gets JAIL_UID_BASE + k (no file on the host belongs to it)
JAIL_UID_BASE = 61000


# --------------------------------------------------------------------------------------------
# Building the jail's command line
# --------------------------------------------------------------------------------------------
def _python_roots() -> list[str]:
    """Folders the interpreter and its packages live in (real paths, no duplicates)."""
    roots: list[str] = []
    for path in (sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.realpath(sys.executable))):
        real = os.path.realpath(path)
        if os.path.isdir(real) and not any(real == r or real.startswith(r + os.sep) for r in roots):
            roots.append(real)
    return roots


def _system_binds() -> list[str]:
    args: list[str] = []
    for top in ("/usr", "/etc"):
        if os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    return args


def _parents(path: str, made: set[str]) -> list[str]:
    """``--dir`` for every missing ancestor of ``path`` (0755, or 1777 under ``/tmp``; bwrap's default is 0700)."""
    args: list[str] = []
    parts = Path(path).parts[1:-1]
    current = "/"
    for part in parts:
        current = os.path.join(current, part)
        if current in made or current in ("/usr", "/etc", "/tmp", "/proc", "/dev"):
            continue
        made.add(current)
        # under the jail's /tmp the jail's uid must be able to add its own folders (HOME, caches)
        args += ["--perms", "1777" if current.startswith("/tmp/") else "0755", "--dir", current]
    return args


def bwrap_command(
    command: Sequence[str], *, limits: Limits, readonly: Iterable[str | Path] = (),
    binds: Iterable[tuple[str | Path, str]] = (), uid: int | None = None, root: bool = True,
    cwd: str = "/tmp",
) -> list[str]:
    """The bubblewrap command line that runs ``command`` in a jail (see the module docstring).

    ``readonly``: host paths visible read-only at the same place; ``binds``: (host path, path in
    the jail) pairs, read-only too. Nothing is writable but the jail's private ``/tmp``.
    """
    args = ["bwrap", "--die-with-parent", "--new-session", "--unshare-net", "--unshare-pid",
            "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    if not root:
        args += ["--unshare-user", "--uid", "65534", "--gid", "65534"]
    args += _system_binds()
    args += ["--proc", "/proc", "--dev", "/dev"]
    args += ["--perms", "1777", "--size", str(limits.disk), "--tmpfs", "/dev/shm"]
    args += ["--perms", "1777", "--size", str(limits.disk), "--tmpfs", "/tmp"]
    made: set[str] = set()
    pairs = [(os.path.realpath(p), os.path.realpath(p)) for p in [*_python_roots(), *map(str, readonly)]]
    pairs += [(os.path.realpath(str(h)), inside) for h, inside in binds]
    for host, inside in pairs:
        if not os.path.exists(host):
            continue
        args += _parents(inside, made)
        made.add(inside)
        args += ["--ro-bind", host, inside]
    args += ["--chdir", cwd, "--"]
    if root:
        jail_uid = str(uid if uid is not None else JAIL_UID_BASE)
        args += ["setpriv", "--reuid", jail_uid, "--regid", jail_uid, "--clear-groups",
                 "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]
    return args + list(command)


def _rlimits(limits: Limits, root_jail: bool) -> list[str]:
    """``prlimit`` options (the limits are inherited through bwrap and setpriv)."""
    options = ["--core=0"]
    if limits.memory:
        options.append(f"--as={int(limits.memory)}")
    if limits.output:
        options.append(f"--fsize={int(limits.output)}")
    if root_jail and limits.processes:
        options.append(f"--nproc={int(limits.processes)}")
    return options


def full_command(
    command: Sequence[str], *, isolation: Isolation, limits: Limits, readonly: Iterable[str | Path] = (),
    binds: Iterable[tuple[str | Path, str]] = (), uid: int | None = None,
) -> list[str]:
    """``command`` wrapped by the limits and the isolation, ready for :func:`subprocess.Popen`."""
    if isolation.kind == "bwrap":
        wrapped = bwrap_command(command, limits=limits, readonly=readonly, binds=binds, uid=uid, root=isolation.root)
    else:
        wrapped = isolation.wrap(command)
    options = _rlimits(limits, isolation.kind == "bwrap" and isolation.root)
    if sys.platform.startswith("linux") and shutil.which("prlimit"):
        return ["prlimit", *options, "--", *wrapped]
    return wrapped  # no prlimit: :func:`run_limited` sets the limits itself (resource module)


# --------------------------------------------------------------------------------------------
# Self-tests
# --------------------------------------------------------------------------------------------
class LoopbackCounter:
    """A TCP server on the grader's 127.0.0.1 that counts the connections it accepts."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.count = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.count += 1
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


def _own_netns() -> str:
    try:
        return os.readlink("/proc/self/ns/net")
    except OSError:
        return ""


def self_test(isolation: Isolation) -> tuple[bool, str]:
    """Run the self-test in ``isolation``; ``(passed, explanation)``. Proves each claimed property."""
    server = LoopbackCounter()
    scratch = Path(tempfile.mkdtemp(prefix="course-grade-selftest-"))
    try:
        canary = scratch / "canary.txt"
        canary.write_text("outside", encoding="utf-8")
        check_fs = isolation.fs_isolated
        command = [sys.executable, "-c", _SELF_TEST, str(server.port), str(canary) if check_fs else "",
                   "1" if isolation.user_isolated else ""]
        outcome = run_limited(command, timeout=60, isolation=isolation, limits=Limits(memory=None, output=1 << 20))
        text = outcome.output
        lines = text.splitlines()
        if outcome.returncode != 0 or "self-test-done" not in lines:
            return False, f"self-test failed (exit {outcome.returncode}): {text.strip()[-300:]}"
        if isolation.network_isolated:
            inner = next((line.split(" ", 1)[1] for line in lines if line.startswith("netns ")), "")
            if server.count or "outside-unreachable" not in lines:
                return False, "the grader's loopback server was reachable from inside"
            if not inner or inner == _own_netns():
                return False, f"same network namespace inside ({inner})"
        if check_fs:
            if "canary-hidden" not in lines or any(line.startswith("wrote ") for line in lines) or "tmp-writable" not in lines:
                return False, "filesystem view not private: " + "; ".join(lines)
            if (scratch / ".course-grade-write-test").exists():
                return False, "wrote next to the canary"
        if isolation.user_isolated:
            uid_line = next((line for line in lines if line.startswith("uid ")), "uid -1 -1")
            if {int(v) for v in uid_line.split()[1:]} & {0, os.getuid()}:
                return False, f"not an unprivileged uid: {uid_line}"
        return True, "ok"
    finally:
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def bwrap_isolation() -> Isolation:
    root = hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("setpriv") is not None
    how = "bwrap + setpriv (전용 uid)" if root else "bwrap (사용자 네임스페이스)"
    return Isolation("bwrap", ("bwrap",), True, True, how, fs_isolated=True, user_isolated=root, root=root)


@functools.cache
def detect_isolation() -> Isolation:
    """The strongest isolation whose self-test passes on this machine (cached for the process)."""
    if not sys.platform.startswith("linux"):
        return NO_ISOLATION
    if shutil.which("bwrap"):
        candidate = bwrap_isolation()
        if self_test(candidate)[0]:
            return candidate
    if shutil.which("unshare"):
        for description, prefix in UNSHARE_CANDIDATES:
            candidate = Isolation("unshare", tuple(prefix), True, "--pid" in prefix, description, warning=UNSHARE_WARNING)
            if self_test(candidate)[0]:
                return candidate
    return NO_ISOLATION


# --------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------
@dataclass
class RunOutcome:
    """What happened to one jailed command."""

    returncode: int | None
    output: str
    timed_out: bool
    seconds: float
    output_exceeded: bool = False
    output_bytes: int = 0
    notes: list[str] = field(default_factory=list)


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


def _set_limits(limits: Limits) -> Callable[[], None]:  # pragma: no cover - used only where prlimit is missing
    def apply() -> None:
        import resource

        for name, value in (("RLIMIT_AS", limits.memory), ("RLIMIT_FSIZE", limits.output), ("RLIMIT_CORE", 0)):
            if value is not None and hasattr(resource, name):
                resource.setrlimit(getattr(resource, name), (value, value))
    return apply


def run_limited(
    command: Sequence[str], *, timeout: float, cwd: str | None = None, env: dict | None = None,
    isolation: Isolation | None = None, limits: Limits | None = None, readonly: Iterable[str | Path] = (),
    binds: Iterable[tuple[str | Path, str]] = (), uid: int | None = None, pass_fds: Sequence[int] = (),
) -> RunOutcome:
    """Run ``command`` jailed by ``isolation`` with ``limits`` and a wall-clock limit.

    Never raises for anything the command does. With a bwrap jail, ``cwd`` is ignored (the
    command starts in the jail's ``/tmp``) and only ``readonly``/``binds`` are visible.
    ``pass_fds``: file descriptors the command inherits; they are closed here once it started.
    """
    isolation = isolation or NO_ISOLATION
    limits = limits or NO_LIMITS
    argv = full_command(command, isolation=isolation, limits=limits, readonly=readonly, binds=binds, uid=uid)
    use_preexec = argv[:1] != ["prlimit"] and hasattr(os, "fork") and (limits.memory or limits.output)
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=None if isolation.kind == "bwrap" else cwd, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        preexec_fn=_set_limits(limits) if use_preexec else None, pass_fds=tuple(pass_fds),
    )
    for fd in pass_fds:
        os.close(fd)
    kept = bytearray()
    total = [0]
    exceeded = threading.Event()
    stream = proc.stdout
    assert stream is not None

    def reader() -> None:
        while chunk := os.read(stream.fileno(), 65536):
            total[0] += len(chunk)
            kept.extend(chunk)
            if len(kept) > OUTPUT_KEEP:
                del kept[: len(kept) - OUTPUT_KEEP]
            if limits.output and total[0] > limits.output and not exceeded.is_set():
                exceeded.set()
                kill_tree(proc)

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    timed_out = False
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        kill_tree(proc)
        proc.wait()
    else:
        # the command is done; whatever it left behind in its process group goes too
        # (a PID namespace, when used, has already taken everything else with it)
        _kill_group(proc.pid)
    thread.join(timeout=15)  # a grandchild outside the namespace may still hold the pipe
    stream.close()
    text = bytes(kept).decode("utf-8", errors="replace")
    over = exceeded.is_set()
    return RunOutcome(
        None if timed_out or over else proc.returncode, text, timed_out and not over,
        time.perf_counter() - start, output_exceeded=over, output_bytes=total[0],
    )


def parse_size(text: str | int | None) -> int | None:
    """``"8G"``, ``"512M"``, ``"64k"``, ``"1000"`` → bytes; ``"0"``/``"none"``/``None`` → unlimited."""
    if text is None:
        return None
    if isinstance(text, int):
        return text or None
    value = str(text).strip().lower().removesuffix("b").removesuffix("i")
    if value in ("", "0", "none", "unlimited"):
        return None
    factor = {"k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}.get(value[-1], 1)
    number = value[:-1] if value[-1] in "kmgt" else value
    try:
        result = int(float(number) * factor)
    except ValueError:
        raise ValueError(f"크기는 8G, 512M, 1000000 처럼 써야 합니다 (받은 값: {text!r}).") from None
    if result <= 0:
        raise ValueError(f"크기는 양수여야 합니다 (받은 값: {text!r}).")
    return result


if __name__ == "__main__":  # pragma: no cover - manual check: python -m helpers.authoring.sandbox
    found = detect_isolation()
    print(found)
    print(self_test(found))
