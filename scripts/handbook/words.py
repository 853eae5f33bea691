"""The words of a text, used to rule out name and phrase patterns before they scan it, and the words a spelling
fix must leave alone: dictionary words and the vault's own vocabulary."""

from __future__ import annotations

import functools
import gzip
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from importlib import resources

_WORD = re.compile(r"\w+")
_LETTERS = re.compile(r"[^\W\d_]+")
# A word the vault uses this often, and at least as often as the word a fix would make of it, is the vault's own
# vocabulary (a term, a name, a word of the notes' language), not a misspelling: one author's repeated slip is
# still outnumbered by the right spelling.
VOCABULARY_MIN_USES = 5


def word_set(text: str) -> frozenset[str]:
    """The text's words, case-folded: a pattern for a name can only match a text that holds each of its words."""
    return frozenset(_WORD.findall(text.casefold()))


@functools.lru_cache(maxsize=1)
def english_dictionary() -> frozenset[str]:
    """English words, folded: pyspellchecker's English word list (about 160,000 words and their variants)."""
    data = resources.files("spellchecker").joinpath("resources", "en.json.gz").read_bytes()
    return frozenset(word.casefold() for word in json.loads(gzip.decompress(data)))


def vocabulary(texts: Iterable[str]) -> Mapping[str, int]:
    """Each folded word used at least VOCABULARY_MIN_USES times in the texts, and how often."""
    # No word spans white space: the vault's distinct runs of other characters are counted first (in C), and
    # each is scanned for words once, however often it is used (at 10,000 notes, 2 s became 0.6 s).
    runs: Counter[str] = Counter()
    for text in texts:
        runs.update(text.casefold().split())
    uses: Counter[str] = Counter()
    for run, times in runs.items():
        for word in _LETTERS.findall(run):
            uses[word] += times
    # A plain dict: the normalising workers are handed it by pickle.
    return {word: n for word, n in sorted(uses.items()) if n >= VOCABULARY_MIN_USES}


def is_vault_vocabulary(word: str, fix: str, uses: Mapping[str, int]) -> bool:
    """Whether the vault uses `word` often enough, and at least as often as `fix`, to call it its own word."""
    word_uses = uses.get(word.casefold(), 0)
    return word_uses >= VOCABULARY_MIN_USES and word_uses >= uses.get(fix.casefold(), 0)
