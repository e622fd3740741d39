"""Run the benchmarks and print one table: name | measured | budget | ratio | ok.

    python -m benchmarks.run                 # every benchmarks/bench_*.py
    python -m benchmarks.run training map    # only bench_training.py and bench_map.py
    python -m benchmarks.run --list          # what is there
    python -m benchmarks.run --strict        # exit 1 if a row is over budget or a module failed
    python -m benchmarks.run --json out.json # also write the rows as JSON

Each ``bench_<name>.py`` defines ``rows() -> list[dict]``; a row has ``name`` (str),
``measured`` (float), ``budget`` (float), ``unit`` (str, e.g. "×" or "s") and ``note`` (str).
Every budget is an upper bound: a row is ok when ``measured <= budget``; ``ratio`` is
``measured / budget``, so 0.8 means 20 % headroom and 1.2 means 20 % over.
A module that fails to import or raises is reported as a row, and the others still run.
"""
from __future__ import annotations

import argparse
import importlib
import json
import math
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
REQUIRED = {"name": str, "measured": (int, float), "budget": (int, float), "unit": str, "note": str}


def available() -> list[str]:
    """Names of the benchmark modules (``bench_<name>.py`` → ``<name>``), sorted."""
    return sorted(p.stem[len("bench_"):] for p in HERE.glob("bench_*.py"))


def check_row(row, module: str) -> dict:
    """Validate one row of ``module``'s ``rows()`` and add ``ratio`` and ``ok``."""
    if not isinstance(row, dict):
        raise TypeError(f"bench_{module}.rows()의 항목은 dict여야 합니다 (받은 타입: {type(row).__name__}).")
    missing = [key for key in REQUIRED if key not in row]
    if missing:
        raise ValueError(f"bench_{module}.rows()의 행 {row!r}에 키 {missing}가 없습니다.")
    for key, kind in REQUIRED.items():
        if not isinstance(row[key], kind) or isinstance(row[key], bool):
            raise TypeError(
                f"bench_{module}.rows()의 '{key}' 값 {row[key]!r}의 타입이 {type(row[key]).__name__}입니다 "
                f"(기대: {kind})."
            )
    measured, budget = float(row["measured"]), float(row["budget"])
    if budget > 0:
        ratio = measured / budget
    else:
        ratio = 0.0 if measured <= budget else math.inf
    return {**row, "module": module, "measured": measured, "budget": budget, "ratio": ratio,
            "ok": bool(math.isfinite(measured) and measured <= budget)}


def run_module(name: str) -> tuple[list[dict], str | None, float]:
    """Import ``benchmarks.bench_<name>`` and run its ``rows()``.

    Returns (rows, error text or None, seconds).
    """
    start = time.perf_counter()
    try:
        module = importlib.import_module(f"benchmarks.bench_{name}")
        rows = [check_row(row, name) for row in module.rows()]
        return rows, None, time.perf_counter() - start
    except Exception as exc:  # one broken benchmark must not hide the others
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return [], detail, time.perf_counter() - start


def _number(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    if value == 0:
        return "0"
    if abs(value) < 1e-3 or abs(value) >= 1e5:
        return f"{value:.2e}"
    return f"{value:.4g}"


def format_table(rows: list[dict], errors: dict[str, str]) -> str:
    """The rows as an aligned text table, then one line per failed module."""
    header = ("name", "measured", "budget", "ratio", "ok", "note")
    lines = [header]
    for row in rows:
        unit = row["unit"]
        lines.append((
            row["name"],
            f"{_number(row['measured'])} {unit}".strip(),
            f"≤ {_number(row['budget'])} {unit}".strip(),
            _number(row["ratio"]),
            "✓" if row["ok"] else "✗",
            row["note"],
        ))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header) - 1)]
    out = []
    for i, line in enumerate(lines):
        cells = [cell.ljust(width) for cell, width in zip(line[:-1], widths, strict=True)] + [line[-1]]
        out.append(" | ".join(cells).rstrip())
        if i == 0:
            out.append("-+-".join("-" * w for w in widths) + "-+-" + "-" * 4)
    for module, error in errors.items():
        out.append(f"✗ bench_{module}: 실행 실패 — {error}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all): " + ", ".join(available()))
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--strict", action="store_true", help="exit 1 if any row is over budget or a module failed")
    parser.add_argument("--json", metavar="PATH", help="also write the rows as JSON")
    args = parser.parse_args(argv)

    names = available()
    if args.list:
        print("\n".join(names))
        return 0
    unknown = [n for n in args.names if n not in names]
    if unknown:
        parser.error(f"알 수 없는 벤치마크 {unknown}. 있는 것: {', '.join(names)}")
    selected = args.names or names

    rows: list[dict] = []
    errors: dict[str, str] = {}
    for name in selected:
        print(f"… bench_{name}", file=sys.stderr, flush=True)
        module_rows, error, seconds = run_module(name)
        print(f"  bench_{name}: {seconds:.1f}초", file=sys.stderr, flush=True)
        rows.extend(module_rows)
        if error:
            errors[name] = error
    print(format_table(rows, errors))
    if args.json:
        Path(args.json).write_text(
            json.dumps({"rows": rows, "errors": errors}, ensure_ascii=False, indent=2), encoding="utf-8"
        )
    failed = bool(errors) or not all(row["ok"] for row in rows)
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    sys.exit(main())
