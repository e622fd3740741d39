"""Execute lesson notebooks top to bottom and record how long each takes.

    python -m benchmarks.notebook_times --profile full notebooks/*.ipynb
    python -m benchmarks.notebook_times --profile quick --append benchmarks/notebook_times.csv notebooks/01_*.ipynb
    OMP_NUM_THREADS=1 python -m benchmarks.notebook_times --profile quick --cells 3 notebooks/03_*.ipynb

Each notebook runs in a fresh Jupyter kernel (nbclient) with ``COURSE_PROFILE`` set, so the time
includes kernel start, imports, data loading and training — what a learner waits for. Results are
printed as a table and appended to a CSV (date, device, profile, data source, seconds, status):
the README's "how long each lesson takes" comes from that file.

``--cells N`` also measures each code cell's CPU seconds inside the kernel (an IPython
``pre_run_cell``/``post_run_cell`` hook, added to a copy of the notebook and removed before it is
saved) and prints their sum and the N heaviest cells. CPU time, unlike wall time, barely changes
when other programs load the machine; with ``OMP_NUM_THREADS=1`` (one torch thread, as CI gives
each notebook) it is the cell time of one core.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path

# Kernel-side cell timer (--cells): CPU seconds of every cell run after it, dumped by _DUMP.
_HOOK = """import json as _ct_json, time as _ct_time
_ct = {"cpu": [], "start": _ct_time.process_time()}
get_ipython().events.register("pre_run_cell", lambda *a: _ct.update(start=_ct_time.process_time()))
get_ipython().events.register("post_run_cell", lambda *a: _ct["cpu"].append(_ct_time.process_time() - _ct["start"]))"""
_DUMP = 'print("__cell_cpu__" + _ct_json.dumps(_ct["cpu"]))'

FIELDS = ["date", "notebook", "profile", "device", "seconds", "status", "data", "python", "torch"]


def describe_device() -> str:
    import torch

    if torch.cuda.is_available():
        return f"cuda: {torch.cuda.get_device_name(0)}"
    return f"cpu: {os.cpu_count()} cores ({platform.processor() or platform.machine()})"


def data_source_of(nb) -> str:
    """Which data the run used, read from the loaders' Korean notices in the outputs."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text = out.get("text", "")
            if "오프라인" in text:
                return "offline (packaged/stand-in data)"
            if "torchvision" in text and "불러왔습니다" in text:
                return "online (official downloads)"
    return "n/a"


def run_one(path: Path, profile: str, timeout: int, save_to: Path | None = None,
            cell_times: list[tuple[float, str]] | None = None) -> tuple[float, str, str]:
    """Execute ``path``; with ``cell_times`` (a list) also fill it with (CPU seconds, source) per code cell."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    if cell_times is not None:
        nb.cells = [nbformat.v4.new_code_cell(_HOOK), *nb.cells, nbformat.v4.new_code_cell(_DUMP)]
    env = {**os.environ, "COURSE_PROFILE": profile}  # the kernel's, not this process's
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    try:
        client.execute(env=env)
        status = "ok"
    except CellExecutionError as exc:
        status = "error: " + str(exc).strip().splitlines()[-1][:120]
    except Exception as exc:  # timeout, dead kernel
        status = f"error: {type(exc).__name__}: {str(exc)[:120]}"
    seconds = time.perf_counter() - start
    if cell_times is not None:
        dumped = [out.get("text", "") for out in nb.cells[-1].get("outputs", [])]
        cpu = next((json.loads(t.split("__cell_cpu__", 1)[1]) for t in dumped if "__cell_cpu__" in t), [])
        nb.cells = nb.cells[1:-1]
        code = [cell.source for cell in nb.cells if cell.cell_type == "code"]
        cell_times.extend(zip(cpu[1:], code, strict=False))  # cpu[0] is the hook cell; a failed run stops early
    if save_to is not None:  # the executed notebook: the numbers the run printed, for the record
        save_to.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, save_to / path.name)
    return seconds, status, data_source_of(nb)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--profile", choices=["full", "quick"], default="full")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    parser.add_argument("--append", type=Path, default=Path(__file__).with_name("notebook_times.csv"))
    parser.add_argument("--save-executed", type=Path, default=None, metavar="DIR",
                        help="also write each executed notebook (with its outputs) into DIR")
    parser.add_argument("--cells", type=int, default=0, metavar="N",
                        help="also print the CPU seconds of all code cells and of the N heaviest")
    args = parser.parse_args(argv)

    import torch

    device, today = describe_device(), dt.date.today().isoformat()
    failures = 0
    print(f"{'notebook':<32} {'seconds':>8}  status  ({device}, profile={args.profile})", flush=True)
    for path in args.notebooks:
        cells: list[tuple[float, str]] | None = [] if args.cells else None
        seconds, status, source = run_one(path, args.profile, args.timeout, args.save_executed, cells)
        failures += status != "ok"
        print(f"{path.name:<32} {seconds:8.1f}  {status}  [{source}]", flush=True)
        if cells:
            print(f"    code cells: {sum(c for c, _ in cells):.1f} s CPU; heaviest:", flush=True)
            for cpu, code in sorted(cells, key=lambda c: -c[0])[: args.cells]:
                print(f"    {cpu:6.1f} s  {code.splitlines()[0][:70] if code else ''}", flush=True)
        new_file = not args.append.exists()
        with args.append.open("a", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=FIELDS)
            if new_file:
                writer.writeheader()
            writer.writerow({"date": today, "notebook": path.name, "profile": args.profile,
                             "device": device, "seconds": f"{seconds:.1f}", "status": status,
                             "data": source, "python": platform.python_version(),
                             "torch": torch.__version__})
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
