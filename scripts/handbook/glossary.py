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
        anchors: dict[str, str] = {}
        for term in self.terms:
            if term.term in seen:
                raise ValueError(f"each term once; '{term.term}' is listed twice")
            seen.add(term.term)
            # The glossary page gives each term an anchor of its own, which case does not tell apart.
            other = anchors.setdefault(term_anchor(term.term), term.term)
            if other != term.term:
                raise ValueError(f"'{other}' and '{term.term}' would share the glossary's anchor "
                                 f"#{term_anchor(term.term)}; list one of them")
        return self


def load_glossary(data_dir: Path, limits: Limits = DEFAULT_LIMITS) -> Glossary:
    """Read and validate data/glossary.yml."""
    glossary, _ = load_model(data_dir / "glossary.yml", Glossary, f"{data_dir.name}/glossary.yml", limits)
    return glossary


def term_anchor(term: str) -> str:
    """The anchor of a term's entry on the glossary page (terms are letters, digits, '+' and '-')."""
    return "term-" + term.lower().replace("+", "plus")


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
        self._found = re.compile(_longest_term_pattern(self.lines)) if self.lines else None
        # Every start of a term, with the terms that start so (see _terms_within).
        self._starting: dict[str, list[str]] = {}
        for term in self.lines:
            for end in range(len(term) + 1):
                self._starting.setdefault(term[:end], []).append(term)
        self._within: dict[str, frozenset[str]] = {}

    def _terms_within(self, found: str) -> frozenset[str]:
        """The other terms the abbr extension may find where the search found `found`."""
        # The search goes on after the end of what it found, but the abbr extension may find a shorter term
        # where the longer one has no word boundary (`SSE` in `SSE-KMSx`, `KMS` in `xSSE-KMS`): one that
        # starts where the found term or a word in it starts. Finding a term counts those too. They are
        # looked up from the found term's words, once: trying every term against every other took five
        # seconds for 2,000 terms.
        within = self._within.get(found)
        if within is None:
            parts: set[str] = set()
            for start in _word_starts(found):
                parts.update(found[start:end] for end in range(start + 1, len(found) + 1)
                             if found[start:end] in self.lines)
                if start:
                    parts.update(self._starting.get(found[start:], ()))
            parts.discard(found)
            within = self._within[found] = frozenset(parts)
        return within

    def used_in(self, markdown: str) -> set[str]:
        """Every term the abbr extension could find in the page's text, and a few it will not (terms in code)."""
        used: set[str] = set()
        for found in set(self._found.findall(markdown)) if self._found else ():
            used.add(found)
            used.update(self._terms_within(found))
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


def _longest_term_pattern(terms: Iterable[str]) -> str:
    """A pattern that finds, where one of `terms` first starts, the longest one there."""
    # What an alternation of the terms, longest first, finds; but that tries every term at every character
    # of a page, so 2,000 terms cost seconds. A tree of the terms' letters tries one branch per letter.
    tree: dict = {}
    for term in terms:
        node = tree
        for char in term:
            node = node.setdefault(char, {})
        node[""] = {}  # a term ends here
    return _branch_pattern(tree)


def _branch_pattern(node: dict) -> str:
    branches = [re.escape(char) + _branch_pattern(child) for char, child in node.items() if char]
    if not branches:
        return ""
    either = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # Greedy: a longer term through this letter first, then the term that ends at it.
    return f"(?:{either})?" if "" in node else either


def _word_starts(term: str) -> list[int]:
    """Where a word starts within a term: at 0 and after each character that is no word character."""
    return [0] + [match.end() for match in re.finditer(r"\W", term)]
