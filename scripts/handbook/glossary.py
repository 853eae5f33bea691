"""The glossary of acronyms (data/glossary.yml) and the abbreviations snippet made from it."""

from __future__ import annotations

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
    """The snippet appended to every page so that each acronym explains itself."""
    lines = [f"*[{t.term}]: {tooltip(t)}" for t in sorted(glossary.terms, key=lambda t: t.term)]
    # One definition a paragraph: Python-Markdown reads a block of definitions one line at a time and
    # re-tests the rest of the block after each, so a single block cost a quarter of every page's build.
    return GeneratedFile(f"{SNIPPETS_DIR}/abbreviations.md", "\n\n".join(lines) + "\n")
