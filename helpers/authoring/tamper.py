"""Tampering checks for submitted notebooks (kept for old imports).

The static scan lives in :mod:`helpers.authoring.tamper_scan`, the in-kernel integrity probe in
:mod:`helpers.authoring.tamper_probe`; this module re-exports both.
"""
from __future__ import annotations

from helpers.authoring.tamper_probe import *  # noqa: F401,F403
from helpers.authoring.tamper_probe import PROBE_TAG, PROBE_TARGETS, instrument, missing_targets, read_probe  # noqa: F401
from helpers.authoring.tamper_scan import *  # noqa: F401,F403
from helpers.authoring.tamper_scan import Finding, scan_notebook, scan_source  # noqa: F401
