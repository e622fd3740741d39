"""Authoring tools: ``course-build`` (lessons → notebooks) and ``course-grade`` (submissions → gradebook).

Modules:

- :mod:`helpers.authoring.build`: lesson masters → student notebooks, public tests, solutions and
  autograder zips (``course-build``); :func:`~helpers.authoring.build.build_lessons`,
  :func:`~helpers.authoring.build.check_up_to_date`.
- :mod:`helpers.authoring.grade`: a folder of submitted notebooks → gradebook CSVs
  (``course-grade``); :func:`~helpers.authoring.grade.grade_submissions`.
- :mod:`helpers.authoring.tamper`: static scan of submissions and the in-kernel integrity probe.
- :mod:`helpers.authoring.sandbox`: one submission in its own process group, time limit and
  network namespace.
- :mod:`helpers.authoring.notebook_io`: reproducible notebook writing, answer cells.

These modules are for instructors and maintainers; students never import them.
"""
