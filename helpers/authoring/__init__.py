"""Authoring tools: ``course-build`` (lessons → notebooks) and ``course-grade`` (submissions → gradebook).

Modules:

- :mod:`helpers.authoring.build`: lesson masters → student notebooks, public tests, solutions and
  autograder zips (``course-build``); :func:`~helpers.authoring.build.build_lessons`,
  :func:`~helpers.authoring.build.check_up_to_date`.
- :mod:`helpers.authoring.grade`: a folder of submitted notebooks → gradebook CSVs
  (``course-grade``); :func:`~helpers.authoring.grade.grade_submissions`.
- :mod:`helpers.authoring.release`: the public student repository (``course-build --release``),
  scanned for solutions and hidden tests before it is written.
- :mod:`helpers.authoring.tamper_scan`: static scan of submissions;
  :mod:`helpers.authoring.tamper_probe`: the in-kernel integrity probe
  (:mod:`helpers.authoring.tamper` re-exports both for old imports).
- :mod:`helpers.authoring.sandbox`: one submission in its own process group, time limit and
  network namespace.
- :mod:`helpers.authoring.notebook_io`: reproducible notebook writing, answer cells.
- :mod:`helpers.authoring.runtime`: the environment otter and its kernels get (profile, private
  ``IPYTHONDIR``).

These modules are for instructors and maintainers; students never import them.
"""
from helpers.authoring.runtime import skip_iri_grammar as _skip_iri_grammar

_skip_iri_grammar()  # before any of these modules imports nbformat (see helpers.authoring.runtime)
