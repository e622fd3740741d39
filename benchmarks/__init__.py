"""Benchmarks: each ``bench_<name>.py`` measures one budget from COURSE_DESIGN §7.

Run them with ``python -m benchmarks.run [name ...]`` (see ``benchmarks/README.md``).
"""
