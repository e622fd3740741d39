"""Sphinx configuration of the course website (built by ``course-site``, see helpers/site/build.py).

``course-site`` stages the source folder (home page, executed student notebooks, glossary,
instructors' guide, API pages) and runs Sphinx with this folder as the configuration directory.
Notebooks arrive already executed (jupyter-cache, keyed by profile and content), so MyST-NB only
renders them: ``nb_execution_mode = "off"``.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
if str(REPO) not in sys.path:  # autodoc imports `helpers` from this checkout
    sys.path.insert(0, str(REPO))

project = "비전 딥러닝 실습 코스"
author = "vision-course contributors"
copyright = "vision-course contributors (MIT); NanumGothic © NHN/NAVER (SIL OFL 1.1)"
language = "ko"  # Korean UI strings; the search splitter is helpers.site.search_ko (registered below)

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
]

# Sources: the staged folder holds only what the site shows.
exclude_patterns = ["_build", "downloads/**", "**/tests/**", "**.ipynb_checkpoints"]
html_static_path = [str(HERE / "_static")]  # course-site appends the staged assets (fonts, MathJax)
html_css_files = ["course.css"]

# MyST / MyST-NB: render pre-executed notebooks; progress bars as their final text.
nb_execution_mode = "off"
nb_execution_raise_on_error = True
nb_merge_streams = True  # coalesce stdout/stderr and apply '\r' (tqdm's final line only)
nb_output_stderr = "show"
nb_ipywidgets_js = {}  # no widget manager from a CDN: course-site turns widgets into text beforehand
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 6
suppress_warnings = ["myst.header", "ref.python"]  # ref.python: ambiguous short type names in docstrings  # lessons may start at ## after a badge/set-up cell

# autodoc: the API reference of `helpers`, from its docstrings (no source code is published).
# members defined in each module only (ignore __all__ re-exports, which would document a class twice)
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": True, "ignore-module-all": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = True  # "Attributes:" as fields, not a second description of dataclass fields

# MathJax 2 from jupyter-server-mathjax, copied into _static by course-site: no CDN, works offline.
# That bundle ships only the STIX-Web fonts (as Jupyter configures it).
mathjax_path = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"
mathjax2_config = {
    "HTML-CSS": {"availableFonts": [], "webFont": "STIX-Web", "imageFont": None},
    "SVG": {"font": "STIX-Web"},
    "menuSettings": {"zoom": "None"},
}

html_theme = "sphinx_book_theme"
html_favicon = str(HERE / "_static" / "favicon.svg")
html_context = {"default_mode": "light"}  # figures have white backgrounds
html_title = project
html_last_updated_fmt = None
html_copy_source = False  # search snippets come from the built pages; executed notebooks are large
html_show_sourcelink = False
html_theme_options = {
    "repository_url": os.environ.get("COURSE_SITE_REPOSITORY", "https://github.com/vision-course-kr/vision-course"),
    "use_repository_button": True,
    "use_download_button": False,  # each lesson links the clean student notebook instead
    "use_fullscreen_button": False,
    "show_toc_level": 2,
    "navigation_with_keys": False,
}


def setup(app):
    from helpers.site.search_ko import SearchKorean

    app.add_search_language(SearchKorean)
    return {"parallel_read_safe": True}
