"""Which prose reads as English, so that English spelling fixes touch only English text.

py3langid (a naive Bayes model over character n-grams, deterministic, offline) names a text's language; a line
also counts as English when most of its words are English dictionary words, since terse technical lines full of
names can read to the model as another language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

import py3langid

from ..words import english_dictionary

_WORD = re.compile(r"(?<![\w'’])[A-Za-z]+(?:['’][A-Za-z]+)*(?![\w'’])")
LINE_MIN_WORDS = 5  # a shorter line says too little about its language and follows its note
LINE_ENGLISH_SHARE = 0.75  # a line this full of dictionary words is English whatever the model says
ENGLISH = "en"


def language_of(text: str) -> str:
    """The ISO 639-1 code of the language the text reads as."""
    return py3langid.classify(text)[0]


def prose_words(text: str) -> list[str]:
    """The words of a text that can tell its language: all-capital words are abbreviations (VPC, AS)."""
    return [word for word in _WORD.findall(text) if not word.isupper()]


def line_reads_as_english(line: str, ignored: Collection[str] = frozenset(),
                          english: Callable[[str], bool] | None = None,
                          fixed: Callable[[str], str] | None = None) -> bool:
    """Whether one line of prose reads as English; a line with too few words to tell does.

    Folded words in `ignored` (the words of AWS names) say nothing of the language, and another rule may rewrite
    them (Amazon to AWS), so they are not counted; `english` says whether a folded word is English (by default,
    whether it is in the dictionary). A misspelling the speller fixes should count as English, so that the line
    is judged the same once it is fixed; for the same reason the model reads `fixed(line)`, the line as the speller
    would write it, when given.
    """
    words = [word for word in prose_words(line) if word.casefold() not in ignored]
    if len(words) < LINE_MIN_WORDS:
        return True
    is_english = english or english_dictionary().__contains__
    known = sum(is_english(word.casefold().replace("’", "'")) for word in words)
    return known >= LINE_ENGLISH_SHARE * len(words) or language_of(line if fixed is None else fixed(line)) == ENGLISH
