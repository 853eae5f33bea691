"""Comparison text: Markdown reduced to lowercase words, sentences, and stable hashes."""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
import zlib
from functools import lru_cache

from ..plaintext import plain_text

_HEADING_NUMBER = re.compile(r"^\s*(?:\d+[.)]|[ivx]+[.)])\s*")
_WORD = re.compile(r"[a-z0-9]+(?:[+'][a-z0-9]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9*_`\[(])|\n+")

STOPWORDS = frozenset(
    "a an and are as at be by for from in is it its of on or that the this to was were will with".split()
)


def plain(markdown: str) -> str:
    """A block's visible text as the merge compares it: with entities as written (see plain_text)."""
    return plain_text(markdown, entities_as_written=True)


@lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")


@lru_cache(maxsize=1 << 17)
def words(markdown: str) -> tuple[str, ...]:
    """The lowercase words of a block, the unit every comparison works on."""
    # Each word kept once, however many blocks use it: a corpus repeats a few thousand words millions of times.
    return tuple(map(sys.intern, _WORD.findall(_fold(plain(markdown)))))


def comparison_text(markdown: str) -> str:
    """Words joined by single spaces: equal for blocks that differ only in markup, case or spacing."""
    return " ".join(words(markdown))


@lru_cache(maxsize=1 << 16)  # every copy of a note repeats its headings, and several stages read each one
def heading_key(title: str) -> str:
    """A heading reduced for alias matching: no numbering, markup, punctuation or case."""
    return " ".join(_WORD.findall(_fold(_HEADING_NUMBER.sub("", plain(title))).replace("'", " ")))


@lru_cache(maxsize=1 << 16)  # a kept block is read again for every block merged into it
def sentences(markdown: str) -> tuple[str, ...]:
    """Comparison texts of the sentences (or lines) of a block, empty ones left out."""
    out = []
    for piece in _SENTENCE_END.split(plain(markdown)):
        text = " ".join(_WORD.findall(_fold(piece)))
        if text:
            out.append(text)
    return tuple(out)


_NO_TARGETS: frozenset[str] = frozenset()  # most blocks link nowhere: they share one empty set
_TARGET = re.compile(r"\]\(\s*+([^)\s]++)[^)]*+\)|\[\[([^\]|]+)")
_WIKILINK_TARGET = re.compile(r"\[\[([^\]|]+)")
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^<>\s]+)>")


@lru_cache(maxsize=1 << 16)  # every stage asks it of the same blocks, each copied from note to note
def link_targets(markdown: str) -> frozenset[str]:
    """The targets of a block's links, autolinks (`<https://…>`) and wikilinks: two blocks saying 'see here'
    about different pages differ."""
    autolinks = _AUTOLINK.findall(markdown) if "<" in markdown else []
    if "[" not in markdown:
        return frozenset(target.lower() for target in autolinks) if autolinks else _NO_TARGETS
    # A link's `](` needs a `)` after it: past the last one only wikilinks match. Trying each `](` there,
    # every one reading to the end of the text, made unclosed links cost the square of their number.
    closed = markdown.rfind(")") + 1
    matches = list(_TARGET.finditer(markdown, 0, closed))
    targets = [m.group(1) or m.group(2) for m in matches]
    resume = closed
    if matches and matches[-1].end() == closed and matches[-1].group(2) is not None:
        whole = _WIKILINK_TARGET.match(markdown, matches[-1].start())  # a wikilink the bound cut short
        targets[-1], resume = whole.group(1), whole.end()
    targets += _WIKILINK_TARGET.findall(markdown, resume)
    return frozenset(target.strip().lower() for target in (*targets, *autolinks))


def text_hash(text: str) -> bytes:
    """A stable 16-byte digest of a comparison text (independent of PYTHONHASHSEED)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


@lru_cache(maxsize=1 << 18)
def token_hash(token: str) -> int:
    """A stable 32-bit hash of one word, the input of MinHash."""
    return zlib.crc32(token.encode("utf-8"))
