"""Test-wide settings: the quick profile, a headless matplotlib, no accidental network."""
import os

os.environ.setdefault("COURSE_PROFILE", "quick")
os.environ.setdefault("MPLBACKEND", "Agg")
# Tests never touch the network: loaders go straight to their announced offline path
# (the download code itself is tested against a local HTTP server).
os.environ.setdefault("COURSE_OFFLINE", "1")
