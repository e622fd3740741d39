"""Execute lesson notebooks top to bottom and record how long each takes.

    python -m benchmarks.notebook_times --profile full notebooks/*.ipynb
    python -m benchmarks.notebook_times --profile quick --append benchmarks/notebook_times.csv notebooks/01_*.ipynb

Each notebook runs in a fresh Jupyter kernel (nbclient) with ``COURSE_PROFILE`` set, so the time
includes kernel start, imports, data loading and training — what a learner waits for. Results are
printed as a table and appended to a CSV (date, device, profile, data source, seconds, status):
the README's "how long each lesson takes" comes from that file.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path

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


def run_one(path: Path, profile: str, timeout: int, save_to: Path | None = None) -> tuple[float, str, str]:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
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
    args = parser.parse_args(argv)

    import torch

    device, today = describe_device(), dt.date.today().isoformat()
    failures = 0
    print(f"{'notebook':<32} {'seconds':>8}  status  ({device}, profile={args.profile})", flush=True)
    for path in args.notebooks:
        seconds, status, source = run_one(path, args.profile, args.timeout, args.save_executed)
        failures += status != "ok"
        print(f"{path.name:<32} {seconds:8.1f}  {status}  [{source}]", flush=True)
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
