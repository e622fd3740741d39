"""The course as a website: ``course-site`` (Sphinx + MyST-NB + sphinx-book-theme).

- :mod:`helpers.site.build`: stage the executed student notebooks, glossary, instructors' guide
  and API pages, and build the static HTML site; :func:`~helpers.site.build.build_site`.
- :mod:`helpers.site.search_ko`: Korean words for Sphinx's full-text search.

Needs the ``[site]`` extra (``pip install -e ".[site]"``). For maintainers; students never import it.
"""
from helpers.authoring.runtime import skip_iri_grammar as _skip_iri_grammar

_skip_iri_grammar()  # before helpers.site.build imports nbformat (see helpers.authoring.runtime)
