"""helpers.environment: profile, device choice, seeding, preflight; packaging consistency."""
import os
import random
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest
import torch

from helpers import environment as env
from helpers import sizes

ROOT = Path(__file__).resolve().parents[1]


def test_profile_defaults_to_full(monkeypatch):
    monkeypatch.delenv(env.PROFILE_ENV, raising=False)
    assert env.get_profile() == "full"
    assert sizes.for_lesson("01").mnist_train is None


def test_profile_quick(monkeypatch):
    monkeypatch.setenv(env.PROFILE_ENV, " QUICK ")
    assert env.get_profile() == "quick"
    assert sizes.for_lesson("01").mnist_train == 2000


def test_unknown_profile_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(env.PROFILE_ENV, "fast")
    with pytest.raises(ValueError, match="COURSE_PROFILE='fast'.*'full'.*'quick'"):
        env.get_profile()


def test_device_auto_is_cpu_without_gpu(monkeypatch):
    monkeypatch.delenv(env.DEVICE_ENV, raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(env, "_mps_available", lambda: False)
    assert env.get_device() == torch.device("cpu")


def test_device_prefers_cuda_then_mps(monkeypatch):
    monkeypatch.delenv(env.DEVICE_ENV, raising=False)
    monkeypatch.setattr(env, "_mps_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert env.get_device().type == "cuda"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert env.get_device().type == "mps"


def test_device_override_from_env(monkeypatch):
    monkeypatch.setenv(env.DEVICE_ENV, "cpu")
    assert env.get_device() == torch.device("cpu")


def test_requesting_missing_cuda_explains_colab(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(RuntimeError, match="CUDA GPU를 찾을 수 없습니다.*런타임 유형 변경"):
        env.get_device("cuda")


def test_unknown_device_name(monkeypatch):
    with pytest.raises(ValueError, match="알 수 없는 장치 이름 'gpu'"):
        env.get_device("gpu")


def test_seed_everything_repeats_all_generators():
    def draw():
        return random.random(), np.random.rand(), torch.rand(3).tolist()

    env.seed_everything(123)
    first = draw()
    env.seed_everything(123)
    assert draw() == first
    env.seed_everything(124)
    assert draw() != first


def test_seed_must_be_int():
    with pytest.raises(TypeError, match=r"seed은\(는\) 정수여야"):
        env.seed_everything("42")


def test_seed_deterministic_flag_turns_on_deterministic_algorithms():
    try:
        env.seed_everything(0, deterministic=True)
        assert torch.are_deterministic_algorithms_enabled()
    finally:
        torch.use_deterministic_algorithms(False)


def test_num_workers_is_zero_in_quick_profile_and_off_linux(monkeypatch):
    monkeypatch.setenv(env.PROFILE_ENV, "quick")
    assert env.default_num_workers() == 0
    monkeypatch.setenv(env.PROFILE_ENV, "full")
    monkeypatch.setattr(env.platform, "system", lambda: "Windows")
    assert env.default_num_workers() == 0


def test_in_colab(monkeypatch):
    monkeypatch.delenv("COLAB_RELEASE_TAG", raising=False)
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    assert env.in_colab() is False
    monkeypatch.setenv("COLAB_RELEASE_TAG", "release-colab_20261101")
    assert env.in_colab() is True


def test_preflight_prints_korean_summary(capsys, monkeypatch):
    monkeypatch.setenv(env.PROFILE_ENV, "quick")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(env, "_mps_available", lambda: False)
    monkeypatch.setenv("COLAB_RELEASE_TAG", "x")
    info = env.preflight()
    out = capsys.readouterr().out
    assert info["device"] == "cpu" and info["profile"] == "quick" and info["colab"] is True
    assert "실행 환경 점검" in out and f"PyTorch {torch.__version__}" in out
    assert "런타임 > 런타임 유형 변경 > GPU" in out
    assert "quick 프로파일" in out


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_environment_yml_installs_this_package_through_pip():
    """environment.yml must not grow its own dependency list: pyproject is the one source."""
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    deps_block = text.split("dependencies:", 1)[1]
    deps = re.findall(r"^\s+-\s+(\S.*)$", deps_block, flags=re.M)
    conda_deps = [d for d in deps if not d.startswith(('-e', '"', "pip"))]
    assert conda_deps == ["python=3.11"], conda_deps
    assert '-e ".[test]"' in text
    py = _pyproject()["project"]["requires-python"]
    assert py == ">=3.10" and "python=3.11" in text


def test_pyproject_declares_what_the_notebooks_import():
    project = _pyproject()["project"]
    names = {re.split(r"[<>=\[ ;]", d)[0].lower() for d in project["dependencies"]}
    for needed in ["torch", "torchvision", "matplotlib", "seaborn", "jupyterlab", "ipywidgets",
                   "tqdm", "scikit-learn", "scikit-image", "mlxtend", "koreanize-matplotlib",
                   "otter-grader", "pycocotools"]:
        assert needed in names, needed
    extras = {re.split(r"[<>=\[ ;]", d)[0].lower() for d in project["optional-dependencies"]["test"]}
    for needed in ["pytest", "pytest-xdist", "nbclient", "jupytext", "grad-cam", "torchmetrics"]:
        assert needed in extras, needed


def test_torch_pin_allows_the_capped_release():
    """The registry here caps torch at 2.14.1: the project must never require newer."""
    from packaging.specifiers import SpecifierSet

    deps = {re.split(r"[<>=\[ ;]", d)[0].lower(): d for d in _pyproject()["project"]["dependencies"]}
    assert "2.14.1" in SpecifierSet(deps["torch"][len("torch"):])
    assert "0.29.1" in SpecifierSet(deps["torchvision"][len("torchvision"):])


def test_importing_helpers_is_quiet_and_does_not_import_koreanize():
    code = "import warnings, sys; warnings.simplefilter('error'); import helpers; print('koreanize_matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "MPLBACKEND": "Agg"})
    assert out.stdout.strip() == "False"
