"""Test-wide settings: the quick profile, a headless matplotlib, no accidental network."""
import os

os.environ.setdefault("COURSE_PROFILE", "quick")
os.environ.setdefault("MPLBACKEND", "Agg")
