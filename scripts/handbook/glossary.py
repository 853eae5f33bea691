"""The glossary of acronyms (data/glossary.yml), and the abbreviation definitions made from it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .datafile import load_model
from .model import GeneratedFile
from .paths import SNIPPETS_DIR


class Term(BaseModel):
    """One acronym and what it stands for."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    term: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9+\-]*$")
    expansion: str = Field(min_length=1)
    former: str | None = None
    search: tuple[str, ...] = ()  # other ways people write it, found by search


class Glossary(BaseModel):
    """All acronyms, each term once."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    terms: tuple[Term, ...]

    @model_validator(mode="after")
    def _terms_are_unique(self) -> "Glossary":
        seen: set[str] = set()
        for term in self.terms:
            if term.term in seen:
                raise ValueError(f"each term once; '{term.term}' is listed twice")
            seen.add(term.term)
        return self


def load_glossary(data_dir: Path) -> Glossary:
    """Read and validate data/glossary.yml."""
    glossary, _ = load_model(data_dir / "glossary.yml", Glossary, display=f"{data_dir.name}/glossary.yml")
    return glossary


def tooltip(term: Term) -> str:
    """The text shown on hover or focus."""
    if term.former:
        return f"{term.expansion} (former name; now called {term.former})"
    return term.expansion


def render_abbreviations(glossary: Glossary) -> GeneratedFile:
    """The snippet of every definition, which hand-written pages include (`--8<-- "abbreviations.md"`)."""
    return GeneratedFile(f"{SNIPPETS_DIR}/abbreviations.md", Abbreviations(glossary).definitions_of(
        term.term for term in glossary.terms))


# Navigation files are read by literate-nav and snippets are included in pages: neither is a page itself.
_NO_DEFINITIONS = re.compile(rf"(?:^|/)SUMMARY\.md$|^{SNIPPETS_DIR}/")


class Abbreviations:
    """The glossary's abbreviation definitions, given to each page for the terms it may show.

    Python-Markdown's abbr extension tries every defined term on every text of a page, so appending all
    of them to every page cost a source-note page a fifth of its build; a page gets only those it uses.
    """

    def __init__(self, glossary: Glossary) -> None:
        self.lines = {term.term: f"*[{term.term}]: {tooltip(term)}" for term in glossary.terms}
        self._found = self._pattern(self.lines)
        # A term inside a longer one (KMS in SSE-KMS) still shows alone where markup splits the longer one.
        self._inside = {term: tuple(other for other in self.lines if other != term
                                    and self._pattern([other]).search(term)) for term in self.lines}

    @staticmethod
    def _pattern(terms: Iterable[str]) -> re.Pattern[str]:
        # The abbr extension's own: longest term first, a word boundary either side.
        ordered = sorted(terms, key=len, reverse=True)
        return re.compile(r"\b(?:" + "|".join(map(re.escape, ordered)) + r")\b")

    def used_in(self, markdown: str) -> set[str]:
        """Every term the abbr extension could find in the page's text, and a few it will not (terms in code)."""
        used: set[str] = set()
        if not self.lines:
            return used
        # Markup that is a word character (`_` of emphasis) or an escape (which becomes a placeholder
        # starting no word) leaves a term on its own in the text shown: `_KMS_` and `\_KMS` show KMS.
        for text in (markdown, _SPLITS.sub("\x03", markdown) if "_" in markdown or "\\" in markdown else ""):
            for match in self._found.finditer(text):
                used.add(match.group())
                used.update(self._inside[match.group()])
        return used

    def definitions_of(self, terms: Iterable[str]) -> str:
        """The definitions of `terms`, in term order, one a paragraph."""
        # One a paragraph: Python-Markdown reads a block of definitions one line at a time and re-tests the
        # rest of the block after each.
        return "".join(f"{self.lines[term]}\n\n" for term in sorted(set(terms)))[:-1]

    def append_to(self, page: GeneratedFile) -> GeneratedFile:
        """The page with the definitions of the terms it uses after its text (none for a page that uses none)."""
        if not page.path.endswith(".md") or _NO_DEFINITIONS.search(page.path) or not isinstance(page.content, str):
            return page
        used = self.used_in(page.content)
        if not used:
            return page
        separator = "\n" if page.content.endswith("\n") else "\n\n"
        return GeneratedFile(page.path, page.content + separator + self.definitions_of(used))


# Underscores, and backslash escapes of any ASCII punctuation (more than Python-Markdown escapes).
_SPLITS = re.compile(r"\\[!-/:-@\[-`{-~]|_")
