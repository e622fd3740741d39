"""helpers.sizes: one (full, quick) table per lesson; the profile picks the column."""
from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from helpers import environment, sizes

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted(p.name[:2] for p in (ROOT / "lessons").glob("0*_*.md"))


def _leaves(table: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in table.items():
        if isinstance(value, Mapping):
            out += _leaves(value, f"{prefix}{key}.")
        else:
            out.append((prefix + key, value))
    return out


def _keys(table: Mapping[str, Any]) -> list[str]:
    return [name for name, _ in _leaves(table)]


def test_every_lesson_has_a_table_and_reads_it():
    assert LESSONS == [k for k in sizes.TABLES if not k.isalpha() and not k.startswith("bench_")]
    for lesson in LESSONS:
        text = next((ROOT / "lessons").glob(f"{lesson}_*.md")).read_text(encoding="utf-8")
        assert f'sizes.show("{lesson}")' in text, lesson
        assert "by_profile" not in text and "default_size" not in text and "lesson_plan" not in text, lesson


@pytest.mark.parametrize("name", list(sizes.TABLES))
def test_every_leaf_is_a_full_quick_pair_with_quick_not_larger(name):
    for key, pair in _leaves(sizes.TABLES[name]):
        assert type(pair) is tuple and len(pair) == 2, (name, key, pair)
        full, quick = pair
        assert type(full) is type(quick) or full is None, (name, key, pair)
        if key.startswith("max_1_minus"):  # an error budget, not a size: quick is only looser
            assert quick >= full, (name, key, pair)
        elif isinstance(quick, (int, float)) and not isinstance(quick, bool):
            # None (all of the data) is the largest size
            assert full is None or quick <= full, (name, key, pair)
        if isinstance(quick, tuple):
            assert all(q <= f for q, f in zip(quick, full, strict=True)), (name, key, pair)


@pytest.mark.parametrize("name", list(sizes.TABLES))
def test_both_profiles_have_the_same_keys(name):
    pick = sizes.for_lesson if name in LESSONS else sizes.for_module
    full, quick = pick(name, profile="full"), pick(name, profile="quick")
    assert _keys(full) == _keys(quick) == _keys(sizes.TABLES[name])
    assert all(type(v) is not tuple or key == "splits" for key, v in _leaves(full))


def test_profile_switch(monkeypatch):
    monkeypatch.setenv(environment.PROFILE_ENV, "full")
    full = sizes.for_lesson("03")
    assert full.epochs == full["epochs"] == 4 and full.mnist_train is None
    assert sizes.for_lesson("07").yolo.fit == {"epochs": 5, "batch_size": 8, "lr": 3e-3}
    assert sizes.for_module("shapes").num_images == 1000
    monkeypatch.setenv(environment.PROFILE_ENV, "quick")
    quick = sizes.for_lesson("03")
    assert quick.epochs == sizes.TABLES["03"]["epochs"][1]
    assert quick.mnist_train == sizes.TABLES["03"]["mnist_train"][1]
    assert sizes.for_lesson("03", profile="full") == full  # an explicit profile wins
    assert type(quick) is sizes.Sizes and isinstance(quick, dict)


def test_nested_tables_pass_as_keywords():
    plan = sizes.for_lesson("07", profile="full")
    assert type(plan.yolo) is sizes.Sizes and dict(**plan.yolo.fit)["batch_size"] == 8
    assert plan.ssdlite.fit is None and plan["faster_rcnn"]["model"] == {"backbone": "small"}
    full, quick = sizes.for_lesson("07", profile="full"), sizes.for_lesson("07", profile="quick")
    for name in ("yolo", "retinanet", "faster_rcnn"):  # equal budgets within each profile
        assert full[name]["fit"] == full.yolo.fit and quick[name]["fit"] == quick.yolo.fit
        assert full[name]["images"] == full.train_images and quick[name]["images"] == quick.train_images


def test_unknown_lesson_profile_or_key_is_a_clear_korean_error():
    with pytest.raises(ValueError, match=re.escape("레슨 '08' 의 크기 표가 없습니다. 있는 레슨: 01, 02")):
        sizes.for_lesson("08")
    with pytest.raises(ValueError, match="레슨 3 의 크기 표가 없습니다"):
        sizes.for_lesson(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="레슨 'shapes' 의 크기 표가 없습니다"):
        sizes.for_lesson("shapes")
    with pytest.raises(ValueError, match="모듈 'data' 의 크기 표가 없습니다. 있는 모듈: shapes, bench_training"):
        sizes.for_module("data")
    with pytest.raises(ValueError, match="profile은 'full' 또는 'quick' 이어야 합니다.*받은 값: 'fast'"):
        sizes.for_lesson("01", profile="fast")
    with pytest.raises(AttributeError, match="크기 표에 'epoch' 항목이 없습니다. 있는 항목: mnist_train"):
        _ = sizes.for_lesson("01").epoch


def test_show_prints_both_columns_and_marks_the_active_one(monkeypatch, capsys):
    monkeypatch.setenv(environment.PROFILE_ENV, "quick")
    returned = sizes.show("01")
    out = capsys.readouterr().out
    assert returned == sizes.for_lesson("01", profile="quick")
    assert "프로파일(profile): quick" in out and "quick (지금)" in out and "full (지금)" not in out
    epochs = next(line for line in out.splitlines() if line.startswith("epochs"))
    full_epochs, quick_epochs = sizes.TABLES["01"]["epochs"]
    assert epochs.split()[1:3] == [str(full_epochs), str(quick_epochs)]
    mnist = next(line for line in out.splitlines() if line.startswith("mnist_train"))
    assert "전부" in mnist and "← quick에서 줄임" in mnist
    sizes.show("07")
    out = capsys.readouterr().out
    assert "yolo.fit.epochs" in out and "전부" not in out
    assert next(line for line in out.splitlines() if line.startswith("ssdlite.fit")).split()[1:] == ["없음", "없음"]


def test_benchmarks_and_helpers_read_sizes_only_from_the_tables():
    """No second way: nothing calls a per-call (full, quick) picker; benchmarks use for_module."""
    assert not hasattr(environment, "by_profile")
    for folder in ("helpers", "benchmarks"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "by_profile" not in text and "default_size" not in text, path
    for name in ("bench_cam", "bench_map", "bench_training", "bench_detectors"):
        assert f'for_module("{name}")' in (ROOT / "benchmarks" / f"{name}.py").read_text(encoding="utf-8")
        assert sizes.for_module(name, profile="quick") is not None
    budgets = sizes.for_module("bench_detectors", profile="full").max_1_minus_map50
    assert budgets == {"yolo": 0.3, "retinanet": 1.0, "faster_rcnn": 0.2, "rcnn": 1.0}

