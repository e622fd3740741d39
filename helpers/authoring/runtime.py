"""The environment ``course-build`` and ``course-grade`` give to otter and its kernels.

- ``COURSE_PROFILE`` (the lesson sizes), ``MPLBACKEND=Agg`` (no windows), UTF-8 output;
- the running interpreter's ``bin/`` first on ``PATH``, so kernels use this environment;
- a private ``IPYTHONDIR`` per run: the instructor's IPython profile, start-up files and history
  stay out of builds and grading, and one start-up file of ours runs before any cell.

That start-up file, and :data:`OTTER_CLI`, skip one import-time cost: jsonschema (imported by
otter through nbformat) compiles an IRI grammar when ``rfc3987-syntax`` is installed (it comes
with jupyterlab), about 3 s of CPU per process for a format check nbformat never uses.
:func:`skip_iri_grammar` does the same in this process; importing :mod:`helpers.authoring` or
:mod:`helpers.site` calls it, so the course's tools skip it too when they import nbformat after.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

SKIP_IRI_GRAMMAR = '__import__("sys").modules.setdefault("rfc3987_syntax", None)'


def skip_iri_grammar() -> None:
    """Make ``import rfc3987_syntax`` fail in this process, unless it was imported already.

    jsonschema then leaves out its IRI format check (which nbformat's schema does not use) instead
    of compiling the grammar on import. Call it before the first ``import nbformat``.
    """
    # None in sys.modules is Python's documented "this import fails" marker (typeshed: modules only)
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None on purpose

# tqdm.auto would draw an ipywidget: text bars where no frontend shows widgets
TEXT_PROGRESS_BARS = (
    "import tqdm.auto as _auto, tqdm.std as _std\n"
    "_auto.tqdm, _auto.trange = _std.tqdm, _std.trange\n"
    "del _auto, _std\n"
)
KERNEL_STARTUP = (
    "# course-build / course-grade: skip jsonschema's IRI grammar (≈3 s of CPU per kernel), unused\n"
    f"{SKIP_IRI_GRAMMAR}\n"
    "# no frontend renders widgets here (COURSE_NO_WIDGETS): text progress bars\n"
    f"{TEXT_PROGRESS_BARS}"
)

# `python -c OTTER_CLI assign ...` is `otter assign ...` without that import cost
OTTER_CLI = f"{SKIP_IRI_GRAMMAR}; from otter.cli import cli; cli(prog_name='otter')"


def private_ipython_dir(scratch: str | Path) -> Path:
    """Create ``scratch/ipython`` with our start-up file and return it."""
    ipython_dir = Path(scratch) / "ipython"
    startup = ipython_dir / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00_course.py").write_text(KERNEL_STARTUP, encoding="utf-8")
    return ipython_dir


def subprocess_env(profile: str, scratch: str | Path) -> dict[str, str]:
    """Environment for an otter subprocess and the kernels it starts."""
    env = dict(os.environ)
    env.update(
        COURSE_PROFILE=profile, MPLBACKEND="Agg", PYTHONIOENCODING="utf-8", JUPYTER_PLATFORM_DIRS="1",
        IPYTHONDIR=str(private_ipython_dir(scratch)), COURSE_NO_WIDGETS="1",
    )
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return env
