"""The glossary of acronyms (data/glossary.yml), and the abbreviation definitions made from it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .datafile import load_model
from .load import DEFAULT_LIMITS, Limits
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


def load_glossary(data_dir: Path, limits: Limits = DEFAULT_LIMITS) -> Glossary:
    """Read and validate data/glossary.yml."""
    glossary, _ = load_model(data_dir / "glossary.yml", Glossary, f"{data_dir.name}/glossary.yml", limits)
    return glossary


def tooltip(term: Term) -> str:
    """The text shown on hover or focus."""
    if term.former:
        return f"{term.expansion} (former name; now called {term.former})"
    return term.expansion


# Navigation files are read by literate-nav and snippets are included in pages: neither is a page itself.
_NO_DEFINITIONS = re.compile(rf"(?:^|/)SUMMARY\.md$|^{SNIPPETS_DIR}/")


class Abbreviations:
    """The glossary's abbreviation definitions, given to each page for the terms it may show.

    Python-Markdown's abbr extension tries every defined term on every text of a page, so appending all
    of them to every page cost a source-note page a fifth of its build; a page gets only those it uses.
    """

    def __init__(self, glossary: Glossary) -> None:
        self.lines = {term.term: f"*[{term.term}]: {tooltip(term)}" for term in glossary.terms}
        # Plain text, not the abbr extension's word-bounded pattern: a term as a word is a term as text, and
        # the search is four times quicker without the boundaries.
        longest_first = sorted(self.lines, key=len, reverse=True)
        self._found = re.compile("|".join(map(re.escape, longest_first))) if self.lines else None
        # The search goes on after the end of what it found, but the abbr extension may find a shorter term
        # where the longer one has no word boundary (`SSE` in `SSE-KMSx`, `KMS` in `xSSE-KMS`): one that
        # starts where the found term or a word in it starts. Finding a term counts those too.
        self._within = {found: tuple(term for term in self.lines if term != found and any(
            found.startswith(term, start) or start and term.startswith(found[start:])
            for start in _word_starts(found)))
            for found in self.lines}

    def used_in(self, markdown: str) -> set[str]:
        """Every term the abbr extension could find in the page's text, and a few it will not (terms in code)."""
        used: set[str] = set()
        for found in set(self._found.findall(markdown)) if self._found else ():
            used.add(found)
            used.update(self._within[found])
        return used

    def definitions_of(self, terms: Iterable[str]) -> str:
        """The definitions of `terms`, in term order, one a paragraph."""
        # One a paragraph: Python-Markdown reads a block of definitions one line at a time and re-tests the
        # rest of the block after each.
        return "\n\n".join(self.lines[term] for term in sorted(set(terms))) + "\n"

    def snippet(self) -> GeneratedFile:
        """The snippet of every definition, which hand-written pages include (`--8<-- "abbreviations.md"`)."""
        return GeneratedFile(f"{SNIPPETS_DIR}/abbreviations.md", self.definitions_of(self.lines))

    def append_to(self, page: GeneratedFile) -> GeneratedFile:
        """The page with the definitions of the terms it uses after its text (none for a page that uses none)."""
        if not page.path.endswith(".md") or _NO_DEFINITIONS.search(page.path) or not isinstance(page.content, str):
            return page
        used = self.used_in(page.content)
        if not used:
            return page
        separator = "\n" if page.content.endswith("\n") else "\n\n"
        return GeneratedFile(page.path, page.content + separator + self.definitions_of(used))


def _word_starts(term: str) -> list[int]:
    """Where a word starts within a term: at 0 and after each character that is no word character."""
    return [0] + [match.end() for match in re.finditer(r"\W", term)]
