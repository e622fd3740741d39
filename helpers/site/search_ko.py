"""Korean full-text search for the course website (a Sphinx search language, ``language = "ko"``).

Sphinx has no Korean splitter: for ``ko`` it falls back to English, which indexes whole
space-separated words. Korean attaches particles (조사) and endings to the word, so the page text
``소프트맥스는``/``정밀도를`` would index tokens a reader never types, and a search for
``소프트맥스`` would find them only through the browser's slower partial matching (and not at all
for two-syllable terms). :class:`SearchKorean` indexes every word as written **and**, for a word
that ends in Hangul, the word without its trailing particle or ending (``정밀도를`` → ``정밀도``).
Latin words are stemmed exactly as in English (Sphinx's snowball stemmer, the same one its
``english-stemmer.js`` applies to the query), so ``IoU``/``softmax`` searches behave as usual.

No dictionary or morphological analyser is needed (Sphinx's Chinese and Japanese splitters need
jieba/MeCab; nothing comparable is pure Python for Korean), so the build stays offline and
dependency-free; the cost is an occasional extra token, which only adds recall.
"""
from __future__ import annotations

import re

from sphinx.search.en import SearchEnglish

# Particles and common endings, longest first so "에서는" is removed before "는".
SUFFIXES = tuple(sorted({
    "에서는", "에서도", "에게서", "으로는", "으로도", "으로써", "으로서", "이라는", "이라고", "이라면", "입니다",
    "합니다", "됩니다", "했습니다", "에서", "에게", "으로", "로는", "로도", "로써", "로서", "까지", "부터", "처럼",
    "보다", "마다", "이나", "이며", "이고", "이다", "이란", "라는", "라고", "하는", "하고", "하면", "하여", "해서",
    "한다", "된다", "되는", "되고", "에는", "에도", "와는", "과는", "은", "는", "이", "가", "을", "를", "의",
    "에", "로", "와", "과", "도", "만", "란", "나", "요",
}, key=len, reverse=True))

_HANGUL_END = re.compile(r"[\uac00-\ud7a3]$")
_WORD = re.compile(r"\w+")


def strip_particle(word: str) -> str | None:
    """``word`` without one trailing particle/ending, or ``None`` (keeps at least two characters)."""
    if not _HANGUL_END.search(word):
        return None
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            return word[: -len(suffix)]
    return None


def split_korean(text: str) -> list[str]:
    """Words of ``text`` as written, each followed by its particle-less form when it has one."""
    words: list[str] = []
    for word in _WORD.findall(text):
        words.append(word)
        stem = strip_particle(word)
        if stem is not None:
            words.append(stem)
    return words


class SearchKorean(SearchEnglish):
    """Sphinx search language ``ko``: English handling plus Korean particle stripping."""

    lang = "ko"
    # Sphinx binds the query stemmer as `window.Stemmer = <language_name>Stemmer` from the
    # inherited english-stemmer.js: the same snowball stemmer as stem() uses for the index.
    language_name = "English"

    def split(self, input: str) -> list[str]:  # noqa: A002 - Sphinx's signature
        return split_korean(input)
