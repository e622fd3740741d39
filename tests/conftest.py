"""Test-wide settings: the quick profile, a headless matplotlib, no accidental network."""
import os

os.environ.setdefault("COURSE_PROFILE", "quick")
os.environ.setdefault("MPLBACKEND", "Agg")
# Tests never touch the network: loaders go straight to their announced offline path
# (the download code itself is tested against a local HTTP server).
os.environ.setdefault("COURSE_OFFLINE", "1")


import pytest  # noqa: E402
import torch  # noqa: E402


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
