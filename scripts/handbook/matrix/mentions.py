"""Which services and layers a piece of note text talks about, and where the matrix covers each."""

from __future__ import annotations

import re
from functools import lru_cache

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


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=None)
def _words(alias: str) -> frozenset[str]:
    return frozenset(_WORD.findall(alias.casefold()))


def _named(names: tuple[str, ...], words: set[str], text: str) -> bool:
    # A name can only match where each of its words is a whole word of the text, so most names
    # are ruled out by a set lookup before their pattern scans a long merged section.
    return any(_words(name) <= words and _alias_pattern(name).search(text) for name in names)


def find_subjects(markdown: str, matrix: Matrix) -> list[str]:
    """Mention keys ('service:<id>', 'layer:<id>', 'category:<id>') whose names appear in the text, in data order."""
    text = plain_text(markdown)
    words = set(_WORD.findall(text.casefold()))
    found = []
    for service in matrix.services:
        if _named((service.name, *service.aliases), words, text):
            found.append(service_key(service.id))
    for layer in matrix.layers:
        if _named((layer.title, *layer.aliases), words, text):
            found.append(layer_key(layer.id))
    for category in matrix.categories:
        if _words(category.short_title) <= words and _category_pattern(category.short_title).search(text):
            found.append(category_key(category.id))
    return found


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
