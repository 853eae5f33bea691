"""Which services and layers a piece of note text talks about, and where the matrix covers each."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..words import word_set
from .model import Matrix
from .pages import WHO_OWNS_PAGE, category_key, category_page, layer_key, service_key, service_page
from .text import plain_text


@lru_cache(maxsize=None)
def _alias_pattern(alias: str) -> re.Pattern[str]:
    # Short all-caps aliases (S3, EC2, IAM) must match case-sensitively so 'ses' in 'uses' does not count.
    flags = 0 if alias.isupper() or any(ch.isdigit() for ch in alias) else re.IGNORECASE
    return re.compile(r"(?<![\w-])" + re.escape(alias).replace(r"\ ", r"\s+") + r"(?![\w-])", flags)


@lru_cache(maxsize=None)
def _category_pattern(short_title: str) -> re.Pattern[str]:
    # "Container services", "a container service": the category's name with either number.
    return re.compile(r"(?<![\w-])" + re.escape(short_title) + r"\s+services?(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class _Subject:
    """One mention key and the patterns that name it, each with the words it cannot match without."""

    key: str
    patterns: tuple[tuple[frozenset[str], re.Pattern[str]], ...]


class SubjectFinder:
    """Finds the matrix subjects a text names, testing only those whose every word the text contains."""

    def __init__(self, matrix: Matrix):
        subjects = [
            _Subject(service_key(s.id), tuple((word_set(a), _alias_pattern(a)) for a in (s.name, *s.aliases)))
            for s in matrix.services
        ]
        subjects += [
            _Subject(layer_key(l.id), tuple((word_set(a), _alias_pattern(a)) for a in (l.title, *l.aliases)))
            for l in matrix.layers
        ]
        subjects += [
            _Subject(category_key(c.id), ((word_set(c.short_title), _category_pattern(c.short_title)),))
            for c in matrix.categories
        ]
        self.subjects = tuple(subjects)
        # Each pattern is filed under one of its words; a pattern without words is tried on every text.
        self.by_word: dict[str, set[int]] = {}
        self.always: set[int] = set()
        for number, subject in enumerate(self.subjects):
            for words, _ in subject.patterns:
                if words:
                    self.by_word.setdefault(min(words), set()).add(number)
                else:
                    self.always.add(number)

    def numbers(self, text: str) -> set[int]:
        """The positions (in data order) of the subjects the text names."""
        words = word_set(text)
        candidates = set(self.always)
        for word in words:
            candidates |= self.by_word.get(word, set())
        return {
            number for number in candidates
            if any(needed <= words and pattern.search(text) for needed, pattern in self.subjects[number].patterns)
        }

    def keys(self, numbers: set[int]) -> list[str]:
        """Mention keys in data order."""
        return [self.subjects[number].key for number in sorted(numbers)]


# The finder of the latest matrix: one build uses one, and the live preview loads a new one per rebuild.
_latest: list = [None, None]  # [matrix, its finder]


def subject_finder(matrix: Matrix) -> SubjectFinder:
    """The finder for a matrix, made once per matrix (the matrix is frozen)."""
    if _latest[0] is not matrix:
        _latest[:] = [matrix, SubjectFinder(matrix)]
    return _latest[1]


def find_subjects(markdown: str, matrix: Matrix) -> list[str]:
    """Mention keys ('service:<id>', 'layer:<id>', 'category:<id>') whose names appear in the text, in data order."""
    finder = subject_finder(matrix)
    return finder.keys(finder.numbers(plain_text(markdown)))


def find_subjects_in(parts: Iterable[str], matrix: Matrix) -> list[str]:
    """The subjects named in any of the parts (a section's title and blocks), in data order.

    Each part is read on its own: a name split across two blocks is not a mention, and a short block
    rules out nearly every name by its words, where one long section would make every pattern scan it.
    """
    finder = subject_finder(matrix)
    found: set[int] = set()
    for part in parts:
        found |= finder.numbers(plain_text(part))
    return finder.keys(found)


def subject_target(key: str, matrix: Matrix) -> tuple[str, str | None, str]:
    """(page, anchor, label) of the matrix entry for a mention key, for links from notes to the matrix."""
    kind, _, subject = key.partition(":")
    if kind == "service":
        return service_page(subject), None, matrix.service(subject).name
    if kind == "layer":
        return WHO_OWNS_PAGE, subject, matrix.layer(subject).title
    if kind == "category":
        return category_page(subject), None, matrix.category(subject).title
    raise KeyError(key)
