"""Checked downloads into a cache folder: the one way every helper fetches and unpacks a file.

- :func:`download_file` streams one URL into a file, with a timeout and a tqdm progress bar. It
  checks the HTTP status, the length (a body cut short is an error) and a checksum: an MD5, or the
  SHA-256 prefix that ``torch.hub`` puts in weight file names (``resnet18-f37072fd.pth``). The body
  goes to a temporary ``.part`` file next to the destination, renamed into place (atomically) only
  when it is complete and correct, and deleted on any failure, so a half-written or corrupt file
  never sits in the cache. A cached file with the right checksum is reused without the network.
- :func:`download_with_mirrors` tries several URLs in order and, when all fail, lists why each did.
- :func:`extract_archive` unpacks ``.gz`` / ``.tar`` / ``.tar.gz`` / ``.tgz`` / ``.zip`` with
  torchvision's ``extract_archive``, first into a temporary ``.part`` folder, so a corrupt archive
  leaves nothing behind; tar members that would land outside the target folder are refused.
- :func:`file_md5` (torchvision's ``calculate_md5``), :func:`file_sha256` and
  :func:`checksum_mismatch` check files already on disk.

Every failure raises :class:`DownloadError` (Korean message) or a subclass: :class:`ChecksumError`
(wrong checksum) and :class:`ArchiveError` (an archive that cannot be unpacked). Callers decide on
their fields (``offline``, ``status``) and types, never on the message text.

Used by :mod:`helpers.data` (datasets) and :mod:`helpers.pretrained` (model weights).
"""
from __future__ import annotations

import gzip
import hashlib
import http.client
import os
import re
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import warnings
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import IO, NamedTuple

from helpers import checks

__all__ = [
    "DownloadError", "ChecksumError", "ArchiveError",
    "download_file", "download_with_mirrors", "extract_archive",
    "file_md5", "file_sha256", "checksum_mismatch",
    "check_url", "writable_dir", "forget_unreachable_hosts",
    "ARCHIVE_SUFFIXES",
]

CHUNK_SIZE = 1 << 16
USER_AGENT = "vision-course (python urllib)"
# What extract_archive unpacks (a subset of torchvision's: the formats tested here).
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip", ".gz")

# Hosts that refused or timed out once in this Python process. Trying them again for every file
# would make an offline notebook wait ``timeout`` seconds per file; restart the kernel to retry.
_UNREACHABLE_HOSTS: set[str] = set()


class DownloadError(RuntimeError):
    """A download failed: HTTP error status, unreachable host, truncated or corrupt file.

    ``offline`` is True when the failure looks like "no network" (host unreachable), as opposed
    to a server that answered with an error or a file with the wrong checksum; ``status`` is the
    HTTP status when the server answered with one (e.g. 404), else None.
    """

    def __init__(self, message: str, *, offline: bool = False, status: int | None = None) -> None:
        super().__init__(message)
        self.offline = offline
        self.status = status


class ChecksumError(DownloadError):
    """A downloaded (or cached) file does not have the expected checksum (MD5 or SHA-256 prefix)."""


class ArchiveError(DownloadError):
    """An archive cannot be unpacked: corrupt, truncated, or with members outside the target folder."""


def forget_unreachable_hosts() -> None:
    """Try again hosts that failed earlier in this process (otherwise refused at once until restart)."""
    _UNREACHABLE_HOSTS.clear()


# ────────────────────────────────────────────────────────────────────────────────────────────────
# Arguments and folders
# ────────────────────────────────────────────────────────────────────────────────────────────────
def check_url(url: object, name: str) -> str:
    """``url`` if it is a string starting with ``http://`` or ``https://`` and a host name.

    Raises:
        TypeError: ``url`` is not a string.  ValueError: it is not an http(s) URL.
    """
    if not isinstance(url, str):
        raise TypeError(f"{name}는 문자열 URL이어야 합니다 (받은 값: {type(url).__name__}).")
    if not re.match(r"^https?://[^/\s]+", url):
        raise ValueError(
            f"{name}={url!r} 는 올바른 주소가 아닙니다. 'http://' 또는 'https://'로 시작하는 URL을 쓰세요."
        )
    return url


def _hex_digest(name: str, value: object, min_length: int, max_length: int) -> str | None:
    """``value`` in lowercase if it is None or a hex string of ``min_length``..``max_length`` digits."""
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(rf"[0-9a-fA-F]{{{min_length},{max_length}}}", value):
        digits = f"{max_length}자리" if min_length == max_length else f"{min_length}~{max_length}자리"
        raise ValueError(f"{name}는 16진수 {digits} 문자열이어야 합니다 (받은 값: {value!r}).")
    return value.lower()


def writable_dir(folder: str | os.PathLike[str], what: str = "내려받을 폴더",
                 hint: str = "쓰기 가능한 폴더를 고르세요.") -> Path:
    """``folder`` as a Path, created if needed and checked to be writable.

    ``what`` names the folder in the error message (``"기본 데이터 폴더"`` ...) and ``hint`` says
    how to choose another one.

    Raises:
        PermissionError: the folder cannot be created or written (Korean message).
    """
    path = Path(folder)
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise PermissionError(
            f"{what} '{path}'를 만들거나 쓸 수 없습니다 ({type(exc).__name__}: {exc}). {hint}".rstrip()
        ) from exc
    return path


# ────────────────────────────────────────────────────────────────────────────────────────────────
# Checksums
# ────────────────────────────────────────────────────────────────────────────────────────────────
def file_md5(path: str | os.PathLike[str]) -> str:
    """MD5 of a file as 32 lowercase hex digits, read in chunks (torchvision's ``calculate_md5``)."""
    from torchvision.datasets.utils import calculate_md5

    return str(calculate_md5(path))


def file_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file as 64 lowercase hex digits, read in chunks (what ``torch.hub`` checks)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class _Mismatch(NamedTuple):
    kind: str  # "MD5" or "SHA-256"
    text: str  # e.g. "MD5 0123… (기대값 4567…)"


def _mismatch(md5: str | None, sha256_prefix: str | None, actual_md5: str | None,
              actual_sha256: str | None) -> _Mismatch | None:
    """The first checksum that differs, or None when all match."""
    if md5 is not None and actual_md5 != md5:
        return _Mismatch("MD5", f"MD5 {actual_md5} (기대값 {md5})")
    if sha256_prefix is not None and actual_sha256 is not None and not actual_sha256.startswith(sha256_prefix):
        shown = actual_sha256[:max(12, len(sha256_prefix))]
        return _Mismatch("SHA-256", f"SHA-256 {shown}… (기대값 {sha256_prefix}…)")
    return None


def checksum_mismatch(path: str | os.PathLike[str], *, md5: str | None = None,
                      sha256_prefix: str | None = None) -> str | None:
    """None when the file at ``path`` has the expected checksums, else what differs (Korean).

    Args:
        md5: 32 hex digits, or None (not checked); compared with :func:`file_md5`.
        sha256_prefix: the first hex digits of the SHA-256 (torch.hub's ``name-<prefix>.pth``
            convention), or None (not checked).

    Returns:
        None, or e.g. ``"MD5 0123… (기대값 4567…)"``.
    """
    md5 = _hex_digest("md5", md5, 32, 32)
    sha256_prefix = _hex_digest("sha256_prefix", sha256_prefix, 1, 64)
    actual_md5 = file_md5(path) if md5 is not None else None
    actual_sha256 = file_sha256(path) if sha256_prefix is not None else None
    found = _mismatch(md5, sha256_prefix, actual_md5, actual_sha256)
    return found.text if found is not None else None


# ────────────────────────────────────────────────────────────────────────────────────────────────
# Downloads
# ────────────────────────────────────────────────────────────────────────────────────────────────
class _Received(NamedTuple):
    md5: str
    sha256: str | None
    size: int
    expected_size: int | None  # the Content-Length header, if the server sent one


def download_file(url: str, dest: str | os.PathLike[str], md5: str | None = None, progress: bool = True,
                  timeout: float = 30, *, sha256_prefix: str | None = None) -> Path:
    """Download ``url`` to ``dest`` (a file path) and return ``dest`` as a Path.

    - A file already at ``dest`` is reused when its checksums match (or when none is given); a
      cached file with a wrong checksum is reported, deleted and fetched again.
    - The body is streamed into a temporary ``.part`` file next to ``dest`` with a tqdm progress
      bar; only a complete file with the right checksums is renamed into place (atomically). On
      any failure, an interruption included, the partial file is deleted.

    Args:
        md5: expected MD5 (32 hex digits) or None.
        progress: show a progress bar labelled with the file name.
        timeout: seconds to wait for the server (connecting, and each read).
        sha256_prefix: expected first hex digits of the SHA-256 (torch.hub's file names) or None.

    Raises:
        DownloadError: HTTP error status (``status`` holds it), unreachable host (``offline`` is
            True; the host is then refused at once for the rest of the process, see
            :func:`forget_unreachable_hosts`), or a truncated body.
        ChecksumError: the file does not have the expected checksum.
        PermissionError: the folder of ``dest`` cannot be written.
        TypeError / ValueError: a bad argument.
    """
    url = check_url(url, "url")
    md5 = _hex_digest("md5", md5, 32, 32)
    sha256_prefix = _hex_digest("sha256_prefix", sha256_prefix, 1, 64)
    if not isinstance(dest, (str, os.PathLike)):
        raise TypeError(f"dest는 파일 경로(문자열 또는 Path)여야 합니다 (받은 값: {type(dest).__name__}).")
    timeout = checks.positive_number("timeout", timeout, hint="timeout은 서버를 기다릴 시간(초)입니다.")
    dest = Path(dest).expanduser()

    corrupt_note = ""
    if dest.is_file():
        cached = _mismatch(md5, sha256_prefix, file_md5(dest) if md5 is not None else None,
                           file_sha256(dest) if sha256_prefix is not None else None)
        if cached is None:
            return dest
        print(f"캐시에 있던 '{dest.name}' 파일이 손상되었습니다: {cached.text}. 지우고 다시 내려받습니다.")
        dest.unlink()
        corrupt_note = f"캐시에 있던 '{dest.name}' 파일이 손상되어({cached.kind} 불일치) 지웠지만, "

    writable_dir(dest.parent)  # creates it, or explains how to pick another
    host = urllib.parse.urlsplit(url).netloc
    if host in _UNREACHABLE_HOSTS:
        raise DownloadError(
            f"{corrupt_note}{url} 에 연결하지 않았습니다: 이 세션에서 이미 '{host}'에 연결하지 못했습니다. "
            "인터넷 연결을 확인한 뒤 커널을 다시 시작하세요.",
            offline=True,
        )

    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            received = _stream(url, out, progress, timeout, dest.name, sha256=sha256_prefix is not None)
        if received.expected_size is not None and received.size != received.expected_size:
            raise DownloadError(
                f"{corrupt_note}{url} 다운로드가 중간에 끊겼습니다 "
                f"({received.size:,} / {received.expected_size:,} 바이트). 다시 실행해 보세요."
            )
        problem = _mismatch(md5, sha256_prefix, received.md5, received.sha256)
        if problem is not None:
            raise ChecksumError(
                f"{corrupt_note}{url} 에서 받은 파일이 손상되었습니다: {problem.text}. "
                "받은 파일은 지웠습니다. 다시 실행하거나 다른 주소(미러)에서 내려받으세요."
            )
        os.replace(tmp, dest)
    except urllib.error.HTTPError as exc:
        raise DownloadError(
            f"{corrupt_note}{url} 에서 내려받지 못했습니다: 서버가 HTTP {exc.code} ({exc.reason})를 돌려주었습니다. "
            "주소가 바뀌었을 수 있으니 다른 주소(미러)에서 내려받아 보세요.",
            status=exc.code,
        ) from exc
    except http.client.HTTPException as exc:  # e.g. IncompleteRead: the server hung up mid-file
        raise DownloadError(
            f"{corrupt_note}{url} 다운로드가 중간에 끊겼습니다 ({type(exc).__name__}). 다시 실행해 보세요."
        ) from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        _UNREACHABLE_HOSTS.add(host)
        raise DownloadError(
            f"{corrupt_note}{url} 에 연결할 수 없습니다 ({getattr(exc, 'reason', exc)}). 인터넷 연결을 확인하세요.",
            offline=True,
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def _stream(url: str, out: IO[bytes], progress: bool, timeout: float, label: str, *, sha256: bool) -> _Received:
    """Copy the body of ``url`` into the open file ``out``, hashing it on the way."""
    from tqdm.auto import tqdm

    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        status = getattr(response, "status", 200)
        if status != 200:  # urlopen raises for 4xx/5xx; anything else but 200 is unexpected too
            raise DownloadError(f"{url} 에서 내려받지 못했습니다: 서버가 HTTP {status}를 돌려주었습니다.", status=status)
        length = response.headers.get("Content-Length")
        expected = int(length) if length and length.isdigit() else None
        md5_digest = hashlib.md5(usedforsecurity=False)  # an integrity check, not security
        sha_digest = hashlib.sha256() if sha256 else None
        size = 0
        with tqdm(total=expected, unit="B", unit_scale=True, unit_divisor=1024, desc=label,
                  disable=not progress, leave=False) as bar:
            while chunk := response.read(CHUNK_SIZE):
                out.write(chunk)
                md5_digest.update(chunk)
                if sha_digest is not None:
                    sha_digest.update(chunk)
                size += len(chunk)
                bar.update(len(chunk))
    return _Received(md5_digest.hexdigest(), sha_digest.hexdigest() if sha_digest is not None else None,
                     size, expected)


def download_with_mirrors(urls: str | Sequence[str], dest: str | os.PathLike[str], md5: str | None = None,
                          progress: bool = True, timeout: float = 30, *,
                          sha256_prefix: str | None = None) -> Path:
    """Try :func:`download_file` with each URL in order; return ``dest`` after the first success.

    A valid cached file is returned without touching the network. When every URL fails, raises
    :class:`DownloadError` listing each URL and why it failed; its ``offline`` attribute is True
    when every failure was an unreachable host, its ``status`` is the first HTTP status met, and
    it is a :class:`ChecksumError` when any URL served a corrupt file.
    """
    url_list = [urls] if isinstance(urls, str) else urls
    if not isinstance(url_list, Sequence) or len(url_list) == 0:
        raise ValueError(f"urls는 URL 문자열의 목록이어야 하며 비어 있으면 안 됩니다 (받은 값: {urls!r}).")
    for i, url in enumerate(url_list):
        check_url(url, f"urls[{i}]")
    errors: list[DownloadError] = []
    for url in url_list:
        try:
            return download_file(url, dest, md5=md5, progress=progress, timeout=timeout,
                                 sha256_prefix=sha256_prefix)
        except DownloadError as exc:  # each message names its URL and what went wrong
            errors.append(exc)
    lines = "\n".join(f"  - {exc}" for exc in errors)
    # the summary keeps the fields callers decide on: a corrupt file anywhere, the first HTTP status
    kind = ChecksumError if any(isinstance(exc, ChecksumError) for exc in errors) else DownloadError
    raise kind(
        f"'{Path(dest).name}' 파일을 내려받지 못했습니다 (시도한 주소 {len(url_list)}곳):\n{lines}",
        offline=all(exc.offline for exc in errors),
        status=next((exc.status for exc in errors if exc.status is not None), None),
    )


# ────────────────────────────────────────────────────────────────────────────────────────────────
# Extraction
# ────────────────────────────────────────────────────────────────────────────────────────────────
# What a damaged archive raises while it is read: gzip's bad header or CRC, a stream cut short,
# a damaged deflate stream, tar and zip structure errors.
_CORRUPT_ARCHIVE = (gzip.BadGzipFile, EOFError, zlib.error, tarfile.TarError, zipfile.BadZipFile)


def extract_archive(archive: str | os.PathLike[str], folder: str | os.PathLike[str] | None = None) -> list[Path]:
    """Unpack ``archive`` into ``folder`` (default: the archive's folder); return the files written.

    The format comes from the file name (:data:`ARCHIVE_SUFFIXES`): ``x.gz`` becomes the one file
    ``x``; ``.tar``, ``.tar.gz`` / ``.tgz`` and ``.zip`` unpack their tree. The unpacking itself is
    torchvision's ``extract_archive``. It writes into a temporary ``.part`` folder inside ``folder``;
    the files are then moved into place one by one (each move atomic, replacing an older copy), so
    an archive found corrupt halfway leaves nothing behind. Tar members that would land outside
    ``folder`` (absolute paths, ``..``, links pointing out) are refused before anything is written.

    Raises:
        ArchiveError: the archive is corrupt, truncated or unsafe (Korean message).
        FileNotFoundError: ``archive`` does not exist.
        ValueError: its name ends in none of :data:`ARCHIVE_SUFFIXES`.
    """
    from torchvision.datasets.utils import extract_archive as torchvision_extract

    source = Path(archive)
    if not source.is_file():
        raise FileNotFoundError(f"압축 파일 '{source}'이(가) 없습니다.")
    suffix = next((s for s in ARCHIVE_SUFFIXES if source.name.endswith(s)), None)
    if suffix is None:
        raise ValueError(f"'{source.name}'은(는) 풀 수 있는 압축 파일 이름이 아닙니다. "
                         f"이름이 {', '.join(ARCHIVE_SUFFIXES)} 중 하나로 끝나야 합니다.")
    target = writable_dir(source.parent if folder is None else folder, "압축을 풀 폴더")
    staging = Path(tempfile.mkdtemp(dir=target, prefix=f".{source.name}.", suffix=".part"))
    try:
        try:
            if suffix not in (".gz", ".zip"):
                _check_tar_members(source, staging)
            with warnings.catch_warnings():
                # Python 3.12/3.13 warn that extractall() has no filter: the members were checked above.
                warnings.filterwarnings("ignore", category=DeprecationWarning, message=".*filter")
                torchvision_extract(str(source), str(staging))
        except _CORRUPT_ARCHIVE as exc:
            raise ArchiveError(
                f"압축 파일 '{source.name}'을(를) 풀 수 없습니다: 파일이 손상되었거나 중간에 잘렸습니다 "
                f"({type(exc).__name__}: {exc}). 풀던 파일은 남기지 않았습니다. "
                "압축 파일을 지우고 다시 내려받으세요."
            ) from exc
        written = []
        for directory, _, files in os.walk(staging):
            for name in files:
                path = Path(directory) / name
                destination = target / path.relative_to(staging)
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, destination)
                written.append(destination)
        return sorted(written)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _check_tar_members(archive: Path, root: Path) -> None:
    """Raise :class:`ArchiveError` if a member of the tar ``archive`` would land outside ``root``."""
    data_filter = getattr(tarfile, "data_filter", None)  # Python >= 3.10.12 / 3.11.4
    root_text = str(root.resolve())
    with tarfile.open(archive, "r:*") as tar:
        for member in tar:
            try:
                # torchvision extracts without a filter, so an absolute name (which the "data"
                # filter would merely strip of its leading "/") must be refused here as well.
                if os.path.isabs(member.name) or member.name.startswith(("/", "\\")):
                    raise tarfile.TarError("absolute path")
                if data_filter is not None:
                    data_filter(member, root_text)  # ".." out of root, links pointing out, devices
                elif not str((root / member.name).resolve()).startswith(root_text):  # pragma: no cover
                    raise tarfile.TarError("outside the folder")
            except tarfile.TarError as exc:  # tarfile.FilterError and its kinds
                raise ArchiveError(
                    f"압축 파일 '{archive.name}'에 풀면 폴더 밖에 놓이는 항목이 있어 풀지 않았습니다: "
                    f"{member.name!r} ({type(exc).__name__})."
                ) from exc
