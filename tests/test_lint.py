"""ruff (lint) and mypy (types) over the repository, as configured in ``pyproject.toml``.

Both tools come with the ``test`` extra; a test is skipped only when its tool is not installed.
Run them by hand: ``python -m ruff check .`` and ``python -m mypy`` (the ``[tool.mypy]`` section
says what is checked); ``python -m ruff check --fix .`` fixes import order and similar.
"""
from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _run_tool(module: str, *args: str) -> subprocess.CompletedProcess:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} 가 설치되어 있지 않습니다: python -m pip install -e \".[test]\"")
    return subprocess.run(
        [sys.executable, "-m", module, *args], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, encoding="utf-8", errors="replace", timeout=600,
    )


def test_ruff_finds_nothing():
    proc = _run_tool("ruff", "check", "--no-cache", "--output-format", "concise", ".")
    assert proc.returncode == 0, f"ruff 가 고칠 곳을 찾았습니다 (python -m ruff check --fix . 로 일부 자동 수정):\n{proc.stdout[-8000:]}"


@pytest.mark.slow  # a cold run type-checks numpy's stubs: 20-60 s
def test_mypy_finds_nothing(request):
    cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider
    cache = cache.mkdir("mypy") if cache is not None else Path(tempfile.mkdtemp(prefix="mypy-cache-"))
    proc = _run_tool("mypy", "--cache-dir", str(cache))
    assert proc.returncode == 0, f"mypy 가 타입 오류를 찾았습니다:\n{proc.stdout[-8000:]}"
