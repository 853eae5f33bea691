"""Everything normalising needs besides the note: reviewed corrections, AWS names, the vault's files."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..datafile import YamlDocument, format_loc, load_model
from ..load import DEFAULT_LIMITS, Limits
from ..model import BuildError, Note, RawNote
from ..paths import name_key
from .memo import Memo
from .parse import Parses
from .spelling import WORD, Correction, NameCanon, ServiceName, Speller, general_dictionary

CORRECTIONS_FILE = "corrections.yml"
NAMES_FILE = "names.yml"
# The data files normalising reads: a cached result is only as good as these were.
DATA_FILES = (CORRECTIONS_FILE, NAMES_FILE)
# Every run of letters, and every run joined by apostrophes: a superset of the words the speller can meet in a
# note, whatever the repairs before it did to what stands around them.
_LETTERS = re.compile(r"[a-z]+")
# Starting only where a run of letters starts finds the same words: without the look-behind, every letter of a
# word without an apostrophe would start a failing match of its own (quadratic in the word's length).
_APOSTROPHE_WORD = re.compile(r"(?<![a-z])[a-z]++(?:'[a-z]++)+")


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("non-empty text")
    return value.strip()


class CorrectionEntry(BaseModel):
    """One line of the corrections file: a misspelling, its fix and why."""

    model_config = ConfigDict(extra="forbid")
    wrong: str
    right: str
    note: str | None = None

    _check = field_validator("wrong", "right")(_not_blank)


class CorrectionsFile(BaseModel):
    """data/corrections.yml: reviewed fixes plus words the general dictionary must leave alone."""

    model_config = ConfigDict(extra="forbid")
    corrections: list[CorrectionEntry]
    keep: list[str] = Field(default_factory=list)


class NameEntry(BaseModel):
    """One AWS name: its canonical spelling and the spellings that should become it."""

    model_config = ConfigDict(extra="forbid")
    canonical: str
    aliases: list[str] = Field(default_factory=list)
    case_sensitive: bool = False

    _check = field_validator("canonical")(_not_blank)


class NamesFile(BaseModel):
    """data/names.yml: canonical AWS service and product names."""

    model_config = ConfigDict(extra="forbid")
    names: list[NameEntry]


@dataclass(frozen=True)
class NormaliseContext:
    """Everything normalising needs besides the note itself."""

    notes_files: frozenset[str]
    speller: Speller = field(compare=False, repr=False)
    names: NameCanon = field(compare=False, repr=False)
    files_by_name: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)
    # Memo of the prose rules, which depend only on a span's text and this context's data (see prose.py).
    prose_cache: Memo = field(default_factory=lambda: Memo(50_000), compare=False, repr=False)
    # Memo of rendered top-level blocks, by their source lines (see pipeline.py).
    block_cache: Memo = field(default_factory=lambda: Memo(20_000), compare=False, repr=False)
    # Inline tags as the sanitiser leaves them, and front-matter blocks as read: neither depends on the
    # language (see sanitise.py, frontmatter.py).
    tag_cache: Memo = field(default_factory=lambda: Memo(4096), compare=False, repr=False)
    front_matter_cache: Memo = field(default_factory=lambda: Memo(4096), compare=False, repr=False)
    # markdown-it's readings of recent texts, which do not depend on the language (see parse.py).
    parses: Parses = field(default_factory=Parses, compare=False, repr=False)
    # The same context for notes in another language, made when the first such note comes.
    _foreign: list[NormaliseContext] = field(default_factory=list, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.files_by_name:
            index: dict[str, list[str]] = {}
            for file in self.notes_files:
                index.setdefault(name_key(posixpath.basename(file)), []).append(file)
            # Obsidian prefers the file closest to the vault root when a name repeats.
            ordered = {k: tuple(sorted(v, key=lambda p: (p.count("/"), p))) for k, v in index.items()}
            object.__setattr__(self, "files_by_name", ordered)

    def in_another_language(self) -> NormaliseContext | None:
        """This context for notes in another language: the team's corrections but not codespell's English
        dictionary, with memos of its own (their results differ). None when this context is that one."""
        if not self.speller.general:
            return None
        if not self._foreign:
            self._foreign.append(NormaliseContext(self.notes_files, self.speller.without_general(), self.names,
                                                  self.files_by_name, tag_cache=self.tag_cache,
                                                  front_matter_cache=self.front_matter_cache, parses=self.parses))
        return self._foreign[0]

    def vocabulary_choices(self, raw: RawNote, note: Note) -> tuple[tuple[str, str, bool], ...]:
        """The choices of the vault's vocabulary that the note's result rests on (Speller.vocabulary_choices).

        The speller meets the note's words as written or as earlier repairs left them; either way each one ends
        in the result, or in a repair's before or after.
        """
        text = "\n".join([raw.text, note.markdown, note.title, *(f"{r.before} {r.after}" for r in note.repairs)])
        # No word spans white space, so each distinct run of other characters is scanned once.
        text = " ".join(set(text.lower().replace("’", "'").split()))
        words = set(_LETTERS.findall(text))
        if "'" in text:
            words.update(_APOSTROPHE_WORD.findall(text))
        return self.speller.vocabulary_choices(words)

    def find_file(self, target: str) -> str | None:
        """The vault file an embed names: by path first when it has one, else by file name anywhere."""
        target = target.strip().lstrip("/")
        if target in self.notes_files:
            return target
        name = posixpath.basename(target)
        candidates = self.files_by_name.get(name_key(name), ())
        exact = [c for c in candidates if posixpath.basename(c) == name]
        key = name_key(target)
        for pool in (exact, list(candidates)):
            suffix_match = [c for c in pool if name_key(c).endswith(key)]
            if suffix_match:
                return suffix_match[0]
        return None


def _display(data_dir: Path, name: str) -> str:
    return f"{data_dir.name}/{name}" if data_dir.name else name


def _first_seen_error(document: YamlDocument, loc: tuple, key: str, value: str, first: tuple) -> BuildError:
    return BuildError(
        document.path,
        f"{format_loc(loc)}: expected {key}; received {value!r} again (first at line {document.line_of(first)})",
        line=document.line_of(loc),
    )


def load_corrections(data_dir: Path, limits: Limits = DEFAULT_LIMITS) -> Speller:
    """Read and check data/corrections.yml and combine it with codespell's general dictionary."""
    model, document = load_model(data_dir / CORRECTIONS_FILE, CorrectionsFile, _display(data_dir, CORRECTIONS_FILE),
                                 limits)
    seen: dict[str, tuple] = {}
    for index, entry in enumerate(model.corrections):
        key = entry.wrong if entry.wrong != entry.wrong.lower() else entry.wrong.lower()
        loc = ("corrections", index, "wrong")
        if key in seen:
            raise _first_seen_error(document, loc, "each misspelling once", entry.wrong, seen[key])
        seen[key] = loc
    folded = {e.wrong.lower() for e in model.corrections if e.wrong == e.wrong.lower()}
    exact = {e.wrong for e in model.corrections if e.wrong != e.wrong.lower()}

    def corrected_again(text: str) -> bool:
        return text.lower() in folded or text in exact

    for index, entry in enumerate(model.corrections):
        if corrected_again(entry.right) or any(corrected_again(word) for word in WORD.findall(entry.right)):
            raise document.error(
                ("corrections", index, "right"), "a fix that is not itself listed as a misspelling", entry.right
            )
    corrections = [
        Correction(e.wrong, e.right, exact=e.wrong != e.wrong.lower(), source="corrections") for e in model.corrections
    ]
    return Speller(corrections, general_dictionary(), model.keep)


def load_names(data_dir: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[NameCanon, tuple[ServiceName, ...]]:
    """Read and check data/names.yml; every spelling may belong to one name only."""
    model, document = load_model(data_dir / NAMES_FILE, NamesFile, _display(data_dir, NAMES_FILE), limits)
    owner: dict[str, tuple] = {}
    names = []
    for index, entry in enumerate(model.names):
        forms = [(("names", index, "canonical"), entry.canonical)] + [
            (("names", index, "aliases", i), alias) for i, alias in enumerate(entry.aliases)
        ]
        for loc, form in forms:
            key = " ".join(form.split()).lower()
            if key in owner and owner[key][1] != index:
                raise _first_seen_error(document, loc, "a spelling no other name uses", form, owner[key])
            owner.setdefault(key, (*loc,))
        names.append(ServiceName(entry.canonical.strip(), tuple(a.strip() for a in entry.aliases if a.strip()), entry.case_sensitive))
    return NameCanon(names), tuple(names)


def load_context(data_dir: Path, notes_files: frozenset[str], limits: Limits = DEFAULT_LIMITS,
                 vocabulary: Mapping[str, int] | None = None) -> NormaliseContext:
    """Load the corrections and names data files (BuildError with file:line on bad data); `vocabulary` is the
    vault's own words (words.vocabulary of the notes being built), which no spelling fix changes."""
    speller = load_corrections(data_dir, limits)
    names, _ = load_names(data_dir, limits)
    speller.vocabulary = vocabulary or {}
    speller.protected = names.words
    # The general dictionary must never "correct" a word that is part of an AWS name.
    speller.general = {w: r for w, r in speller.general.items() if w not in names.words}
    speller.known |= names.words
    return NormaliseContext(notes_files=frozenset(notes_files), speller=speller, names=names)
