"""helpers.download against a local HTTP server (no network): downloads, checksums, extraction.

The server on 127.0.0.1 serves a good file, a corrupt one (same size, one byte off), a 404, a 503
and a transfer cut short; a closed port plays the unreachable host. Checksums are compared with
hashlib and torchvision's ``check_md5``; extraction with ``tarfile`` / ``zipfile`` / ``gzip``.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import os
import tarfile
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from torchvision.datasets.utils import check_md5

from helpers import download
from local_http import TRUNCATED_BYTES, closed_port_url, loopback_only, serve

GOOD = b"vision-course test payload\n" * 5000  # ~135 kB: several chunks, so the loop really loops
GOOD_MD5 = hashlib.md5(GOOD).hexdigest()
GOOD_SHA256 = hashlib.sha256(GOOD).hexdigest()
GOOD_GZ = gzip.compress(GOOD)
TREE = {"pack/a.txt": b"alpha\n", "pack/sub/b.bin": bytes(range(256)) * 40, "pack/c.txt": b""}


# ── fixtures ─────────────────────────────────────────────────────────────────────────────────────
@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("www")
    (root / "good.bin").write_bytes(GOOD)
    (root / "corrupt.bin").write_bytes(GOOD[:-1] + b"X")  # same size, different checksums
    with serve(root) as url:
        yield SimpleNamespace(url=url)


@pytest.fixture
def dead_url() -> str:
    return closed_port_url()


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch):
    """No memory of unreachable hosts between tests, and only loopback connections."""
    download.forget_unreachable_hosts()
    loopback_only(monkeypatch)
    yield
    download.forget_unreachable_hosts()


def _leftovers(folder: Path) -> list[str]:
    """Temporary files and folders a download or extraction must not leave behind."""
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".part"))


def _tar_gz(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, payload in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    return buffer.getvalue()


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, payload in files.items():
            archive.writestr(name, payload)
    return buffer.getvalue()


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ── download_file ────────────────────────────────────────────────────────────────────────────────
def test_good_file_is_downloaded_and_verified(server, tmp_path, capsys):
    dest = tmp_path / "sub" / "good.bin"
    out = download.download_file(server.url + "good.bin", dest, md5=GOOD_MD5, progress=True)
    assert out == dest and dest.read_bytes() == GOOD
    assert download.file_md5(dest) == GOOD_MD5 and check_md5(dest, GOOD_MD5)
    assert download.file_sha256(dest) == GOOD_SHA256
    assert _leftovers(tmp_path) == []
    assert "good.bin" in capsys.readouterr().err  # the tqdm bar is labelled with the file name


def test_sha256_prefix_is_checked_as_torch_hub_does(server, tmp_path):
    dest = tmp_path / "good.bin"
    download.download_file(server.url + "good.bin", dest, progress=False, sha256_prefix=GOOD_SHA256[:8].upper())
    assert dest.read_bytes() == GOOD
    with pytest.raises(download.ChecksumError, match=r"손상되었습니다: SHA-256 [0-9a-f]{12}… \(기대값 0badc0de…\)"):
        download.download_file(server.url + "good.bin", tmp_path / "x-0badc0de.bin", progress=False,
                               sha256_prefix="0badc0de")
    assert not (tmp_path / "x-0badc0de.bin").exists() and _leftovers(tmp_path) == []


def test_cached_file_is_reused_without_network(server, tmp_path, dead_url):
    dest = tmp_path / "good.bin"
    download.download_file(server.url + "good.bin", dest, md5=GOOD_MD5, progress=False)
    # The URL is dead now, yet the cached file with the right checksums is returned.
    assert download.download_file(dead_url + "good.bin", dest, md5=GOOD_MD5, progress=False) == dest
    assert download.download_file(dead_url + "good.bin", dest, progress=False, sha256_prefix=GOOD_SHA256[:10]) == dest
    # Without a checksum any existing file is trusted.
    assert download.download_file(dead_url + "good.bin", dest, progress=False) == dest


def test_corrupt_download_is_deleted_and_reported(server, tmp_path):
    dest = tmp_path / "good.bin"
    with pytest.raises(download.ChecksumError, match=r"손상되었습니다: MD5 [0-9a-f]{32} \(기대값 " + GOOD_MD5) as info:
        download.download_file(server.url + "corrupt.bin", dest, md5=GOOD_MD5, progress=False)
    assert isinstance(info.value, download.DownloadError) and not info.value.offline and info.value.status is None
    assert not dest.exists() and _leftovers(tmp_path) == []


def test_http_404_is_reported_with_its_status(server, tmp_path):
    dest = tmp_path / "missing.bin"
    with pytest.raises(download.DownloadError, match="HTTP 404") as info:
        download.download_file(server.url + "missing.bin", dest, progress=False)
    assert not info.value.offline and info.value.status == 404  # a field to decide on, not the text
    assert not dest.exists() and _leftovers(tmp_path) == []


def test_http_503_is_reported_with_its_status(server, tmp_path):
    with pytest.raises(download.DownloadError, match="HTTP 503") as info:
        download.download_file(server.url + "error503", tmp_path / "x.bin", progress=False)
    assert info.value.status == 503 and _leftovers(tmp_path) == []


def test_truncated_transfer_is_an_error_and_leaves_nothing(server, tmp_path):
    dest = tmp_path / "t.bin"
    with pytest.raises(download.DownloadError, match="중간에 끊겼습니다") as info:
        download.download_file(server.url + "truncated/good.bin", dest, progress=False)
    assert not info.value.offline and not isinstance(info.value, download.ChecksumError)
    assert not dest.exists() and _leftovers(tmp_path) == []
    assert TRUNCATED_BYTES < len(GOOD)


def test_interrupted_download_leaves_nothing(server, tmp_path, monkeypatch):
    """The student presses Stop (KeyboardInterrupt) halfway: no partial file, the error goes through."""
    import tqdm.auto

    class StopAfterFirstChunk(tqdm.auto.tqdm):
        def update(self, n=1):
            raise KeyboardInterrupt

    monkeypatch.setattr(tqdm.auto, "tqdm", StopAfterFirstChunk)
    dest = tmp_path / "good.bin"
    with pytest.raises(KeyboardInterrupt):
        download.download_file(server.url + "good.bin", dest, md5=GOOD_MD5, progress=False)
    assert not dest.exists() and list(tmp_path.iterdir()) == []


def test_unreachable_host_is_an_offline_error_remembered_until_forgotten(dead_url, tmp_path):
    with pytest.raises(download.DownloadError, match="연결할 수 없습니다") as info:
        download.download_file(dead_url + "good.bin", tmp_path / "good.bin", progress=False, timeout=5)
    assert info.value.offline and info.value.status is None
    # The host is remembered: the second try fails at once, saying why.
    with pytest.raises(download.DownloadError, match="이미 .*연결하지 못했습니다") as info:
        download.download_file(dead_url + "good.bin", tmp_path / "good.bin", progress=False)
    assert info.value.offline
    download.forget_unreachable_hosts()
    with pytest.raises(download.DownloadError, match="에 연결할 수 없습니다"):
        download.download_file(dead_url + "good.bin", tmp_path / "good.bin", progress=False)
    assert _leftovers(tmp_path) == []


def test_corrupt_cached_file_is_detected_and_refetched(server, tmp_path, capsys):
    dest = tmp_path / "good.bin"
    dest.write_bytes(b"garbage")
    download.download_file(server.url + "good.bin", dest, md5=GOOD_MD5, progress=False)
    assert download.file_md5(dest) == GOOD_MD5
    assert "'good.bin' 파일이 손상되었습니다: MD5" in capsys.readouterr().out
    dest.write_bytes(b"garbage")
    download.download_file(server.url + "good.bin", dest, progress=False, sha256_prefix=GOOD_SHA256[:8])
    assert dest.read_bytes() == GOOD and "손상되었습니다: SHA-256" in capsys.readouterr().out


def test_corrupt_cached_file_while_offline_is_a_clear_error(dead_url, tmp_path):
    dest = tmp_path / "good.bin"
    dest.write_bytes(b"garbage")
    with pytest.raises(download.DownloadError, match="캐시에 있던 'good.bin' 파일이 손상되어\\(MD5 불일치\\).*연결할 수 없습니다"):
        download.download_file(dead_url + "good.bin", dest, md5=GOOD_MD5, progress=False)
    assert not dest.exists()


def test_unwritable_destination_folder_is_a_permission_error(server, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(PermissionError, match="내려받을 폴더 .*a-file/sub.*를 만들거나 쓸 수 없습니다"):
        download.download_file(server.url + "good.bin", blocker / "sub" / "good.bin", progress=False)
    with pytest.raises(PermissionError, match="^기본 폴더 .* 다른 곳을 쓰세요\\.$"):
        download.writable_dir(blocker / "x", "기본 폴더", "다른 곳을 쓰세요.")


# ── download_with_mirrors ───────────────────────────────────────────────────────────────────────
def test_mirrors_are_tried_in_order(server, tmp_path, dead_url):
    urls = [dead_url + "good.bin", server.url + "missing.bin", server.url + "corrupt.bin",
            server.url + "truncated/good.bin", server.url + "good.bin"]
    dest = download.download_with_mirrors(urls, tmp_path / "good.bin", md5=GOOD_MD5, progress=False)
    assert download.file_md5(dest) == GOOD_MD5 and _leftovers(tmp_path) == []
    one = download.download_with_mirrors(server.url + "good.bin", tmp_path / "one.bin", progress=False)
    assert one.read_bytes() == GOOD  # a single URL string works too


def test_all_mirrors_failing_lists_every_reason(server, tmp_path, dead_url):
    urls = [dead_url + "good.bin", server.url + "missing.bin", server.url + "corrupt.bin"]
    with pytest.raises(download.DownloadError, match="시도한 주소 3곳") as info:
        download.download_with_mirrors(urls, tmp_path / "good.bin", md5=GOOD_MD5, progress=False)
    text = str(info.value)
    assert "연결할 수 없습니다" in text and "HTTP 404" in text and "MD5" in text
    assert not info.value.offline  # a server did answer
    # the summary keeps the fields: a corrupt file among the answers, the first HTTP status
    assert isinstance(info.value, download.ChecksumError) and info.value.status == 404
    with pytest.raises(download.DownloadError) as info:
        download.download_with_mirrors([dead_url + "a.bin"], tmp_path / "a.bin", progress=False)
    assert info.value.offline and not isinstance(info.value, download.ChecksumError)


# ── arguments ────────────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"url": "ftp://example.org/x"}, ValueError, "올바른 주소가 아닙니다"),
        ({"url": 42}, TypeError, "url는 문자열 URL"),
        ({"md5": "abc"}, ValueError, "md5는 16진수 32자리"),
        ({"sha256_prefix": "xyz"}, ValueError, "sha256_prefix는 16진수 1~64자리"),
        ({"timeout": 0}, ValueError, r"timeout은\(는\) 0 초과의 유한한 실수.*기다릴 시간\(초\)"),
        ({"timeout": float("nan")}, ValueError, r"timeout은\(는\) 0 초과"),
        ({"timeout": True}, TypeError, r"timeout은\(는\) 실수여야"),
        ({"dest": 3}, TypeError, "dest는 파일 경로"),
    ],
)
def test_download_file_validates_arguments(tmp_path, kwargs, error, match):
    args = {"url": "http://127.0.0.1:9/x", "dest": tmp_path / "x", "progress": False, **kwargs}
    with pytest.raises(error, match=match):
        download.download_file(**args)
    assert list(tmp_path.iterdir()) == []


def test_download_with_mirrors_validates_arguments(tmp_path):
    with pytest.raises(ValueError, match="비어 있으면 안 됩니다"):
        download.download_with_mirrors([], tmp_path / "x")
    with pytest.raises(ValueError, match=r"urls\[1\]="):
        download.download_with_mirrors(["http://127.0.0.1:9/x", "nope"], tmp_path / "x")


# ── checksums of files on disk ──────────────────────────────────────────────────────────────────
def test_checksums_match_hashlib_and_torchvision(tmp_path):
    path = tmp_path / "f.bin"
    for payload in (b"", b"abc", GOOD, os.urandom(3 << 20)):  # empty, tiny, several chunks
        path.write_bytes(payload)
        md5, sha = hashlib.md5(payload).hexdigest(), hashlib.sha256(payload).hexdigest()
        assert download.file_md5(path) == md5 and check_md5(path, md5)
        assert download.file_sha256(path) == sha
        assert download.checksum_mismatch(path, md5=md5.upper(), sha256_prefix=sha[:8]) is None
        assert download.checksum_mismatch(path) is None
    path.write_bytes(GOOD)
    wrong = "0" * 32
    assert download.checksum_mismatch(path, md5=wrong) == f"MD5 {GOOD_MD5} (기대값 {wrong})"
    assert download.checksum_mismatch(path, sha256_prefix="0badc0de") == f"SHA-256 {GOOD_SHA256[:12]}… (기대값 0badc0de…)"
    with pytest.raises(ValueError, match="md5는 16진수 32자리"):
        download.checksum_mismatch(path, md5="xyz")


# ── extract_archive ──────────────────────────────────────────────────────────────────────────────
def test_gz_becomes_one_file(tmp_path):
    archive = tmp_path / "data.bin.gz"
    archive.write_bytes(gzip.compress(GOOD))
    out = tmp_path / "out"
    assert download.extract_archive(archive, out) == [out / "data.bin"]
    assert (out / "data.bin").read_bytes() == GOOD
    assert download.extract_archive(archive) == [tmp_path / "data.bin"]  # default: next to the archive
    assert (tmp_path / "data.bin").read_bytes() == GOOD and _leftovers(tmp_path) == []


@pytest.mark.parametrize("suffix", [".tar.gz", ".tgz", ".tar", ".zip"])
def test_archives_unpack_their_tree(tmp_path, suffix):
    blob = _zip(TREE) if suffix == ".zip" else _tar_gz(TREE)
    if suffix == ".tar":
        blob = gzip.decompress(blob)
    archive = tmp_path / f"pack{suffix}"
    archive.write_bytes(blob)
    out = tmp_path / "out"
    written = download.extract_archive(archive, out)
    assert written == sorted(out / name for name in TREE)
    assert _tree(out) == TREE
    # the same tree as the standard library's extraction
    reference = tmp_path / "reference"
    if suffix == ".zip":
        with zipfile.ZipFile(archive) as z:
            z.extractall(reference)
    else:
        with tarfile.open(archive) as tar:
            tar.extractall(reference, filter="data")
    assert _tree(reference) == _tree(out)
    assert _leftovers(tmp_path) == []


def test_extraction_replaces_an_older_copy(tmp_path):
    archive = tmp_path / "pack.tar.gz"
    archive.write_bytes(_tar_gz(TREE))
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "a.txt").write_bytes(b"damaged")
    (tmp_path / "pack" / "kept.txt").write_bytes(b"not in the archive")
    download.extract_archive(archive)
    assert (tmp_path / "pack" / "a.txt").read_bytes() == TREE["pack/a.txt"]
    assert (tmp_path / "pack" / "kept.txt").read_bytes() == b"not in the archive"


@pytest.mark.parametrize(
    ("name", "blob"),
    [
        ("bad.bin.gz", b"this is not gzip data at all"),
        ("cut.bin.gz", GOOD_GZ[:len(GOOD_GZ) // 2]),  # a stream cut short
        ("crc.bin.gz", GOOD_GZ[:-8] + b"\0" * 8),  # wrong CRC and length trailer
        ("cut.tar.gz", _tar_gz(TREE)[:300]),
        ("bad.tar.gz", b"\x1f\x8b" + b"garbage" * 50),
        ("bad.zip", b"PK\x03\x04 not really a zip"),
    ],
)
def test_corrupt_archive_is_a_clear_error_and_leaves_nothing(tmp_path, name, blob):
    archive = tmp_path / name
    archive.write_bytes(blob)
    out = tmp_path / "out"
    with pytest.raises(download.ArchiveError, match=f"압축 파일 '{name}'을\\(를\\) 풀 수 없습니다: 파일이 손상되었거나") as info:
        download.extract_archive(archive, out)
    assert isinstance(info.value, download.DownloadError) and not info.value.offline
    assert list(out.iterdir()) == []  # no partial file, no temporary folder


@pytest.mark.parametrize("member", ["../evil.txt", "{tmp}/deep/evil.txt", "pack/../../evil.txt"])
def test_tar_members_outside_the_folder_are_refused(tmp_path, member):
    member = member.format(tmp=tmp_path)  # an absolute path, as in a hostile archive
    archive = tmp_path / "evil.tar.gz"
    archive.write_bytes(_tar_gz({"pack/ok.txt": b"ok", member: b"evil"}))
    out = tmp_path / "deep" / "out"
    with pytest.raises(download.ArchiveError, match="폴더 밖에 놓이는 항목이 있어 풀지 않았습니다"):
        download.extract_archive(archive, out)
    assert list(out.iterdir()) == [] and not (tmp_path / "deep" / "evil.txt").exists()


def test_tar_links_pointing_outside_are_refused(tmp_path):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        link = tarfile.TarInfo("pack/link")
        link.type, link.linkname = tarfile.SYMTYPE, "../../outside.txt"
        tar.addfile(link)
    archive = tmp_path / "links.tar.gz"
    archive.write_bytes(buffer.getvalue())
    with pytest.raises(download.ArchiveError, match="폴더 밖에 놓이는 항목.*'pack/link'"):
        download.extract_archive(archive, tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


def test_extract_archive_arguments(tmp_path):
    with pytest.raises(FileNotFoundError, match="압축 파일 .*이\\(가\\) 없습니다"):
        download.extract_archive(tmp_path / "absent.tar.gz")
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(ValueError, match="풀 수 있는 압축 파일 이름이 아닙니다.*\\.tar\\.gz"):
        download.extract_archive(tmp_path / "notes.txt")
