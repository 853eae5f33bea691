"""Spelling corrections and AWS name canonicalisation, compiled from the data files for fast matching."""

from __future__ import annotations

import copy
import functools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from importlib import resources
from typing import Callable, Iterable, Mapping

from ..words import english_dictionary, is_vault_vocabulary
from .language import ENGLISH, language_of, line_reads_as_english
from .registry import RepairRule, SERVICE_NAME, SPELLING, SPELLING_DICTIONARY

WORD = re.compile(r"(?<![\w'’])[A-Za-z]+(?:['’][A-Za-z]+)*(?![\w'’])")
_SPACES = re.compile(r"\s+")
_AFFIX = re.compile(r"^(?:AWS|Amazon)\s+")
_ABBREVIATION = re.compile(r"\(([^()]+)\)$")
# `EBS (` just before a name: the name is already the spelled-out form of that abbreviation.
_ABBREVIATION_BEFORE = re.compile(r"(?<![\w])(?:(?:AWS|Amazon)[ \t]+)?([A-Za-z0-9]{1,24})[ \t]*\($")
WORD_MEMO_LIMIT = 200_000  # distinct words remembered before the memo starts again


def _collapse(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def match_case(original: str, replacement: str) -> str:
    """Give `replacement` the capitalisation pattern of `original` (lower, Title or UPPER)."""
    if len(original) > 1 and original.isupper():
        return replacement.upper()
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[0].upper() + replacement[1:]
    return replacement


@dataclass(frozen=True)
class Correction:
    """One reviewed misspelling and its fix; `exact` entries match only with the given capitals."""

    wrong: str
    right: str
    exact: bool
    source: str  # "corrections" or "dictionary"


Changed = Callable[[int, RepairRule, str, str], None]  # (offset, rule, before, after)

# A note is judged English by its words before codespell's English misspellings are fixed in it: in
# Spanish or Hinglish notes, "doble" and "woh" are words, not misspellings of "double" and "who".
NOTE_MIN_WORDS = 20  # fewer words of prose say too little about a note's language
ENGLISH_MIN_SHARE = 0.5  # terse English notes still have most of their words in the word list
ENGLISH_SURE_SHARE = 0.8  # a note this full of English words is English whatever the language model says
NOTE_SAMPLE = 2_000  # characters a note is judged on: its opening tells its language as well as the whole
# What is not prose: fenced code, code spans, link targets, HTML tags and attribute lists.
_NOT_PROSE = re.compile(
    r"^[ \t]*(```|~~~)[^\n]*\n.*?^[ \t]*\1|`[^`\n]*`|\]\([^)\n]*\)|<[^<>\n]*>|\{[^{}\n]*\}", re.S | re.M)
_ABBREVIATION_WORD, _ENGLISH_WORD, _OTHER_WORD = 0, 1, 2
# A word joined to another by one of these (add-ons, re:Inforce, e-mail, S3/Glacier, file.txt, user@host) is part
# of a longer word or a name, which a fix for the word alone would break.
_JOINERS = frozenset("-:/.@_+=~\\")
# An arrow or "to" between a word and another, in quotes or marks or not: `aquire -> acquire`, "x" to "y".
_LEADS_TO = re.compile(r"[\"'“”‘’`*_ \t]*(?:-+>|=+>|→|\bto\b|\binto\b)[\"'“”‘’`*_ \t]*", re.I)
_URL = re.compile(r"(?:[A-Za-z][\w+.-]*://|www\.)\S+", re.I)


@functools.lru_cache(maxsize=1)
def _codespell_entries() -> tuple[tuple[str, str], ...]:
    """codespell's dictionary as (misspelling, suggestions) pairs, read once for both its uses."""
    text = resources.files("codespell_lib").joinpath("data", "dictionary.txt").read_text(encoding="utf-8")
    return tuple((wrong, right) for wrong, sep, right in (line.partition("->") for line in text.splitlines()) if sep)


@functools.lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """English words, folded: every word codespell's dictionary fixes a misspelling to."""
    return frozenset(word.lower() for _, right in _codespell_entries() for word in WORD.findall(right))


class Speller:
    """Fixes misspellings in prose, reviewed corrections first, then the general dictionary."""

    def __init__(self, corrections: Iterable[Correction], general: Mapping[str, str], keep: Iterable[str],
                 vocabulary: Mapping[str, int] | None = None):
        corrections = tuple(corrections)
        # The vault's own words and how often it uses them (words.vocabulary): never "fixed".
        self.vocabulary: Mapping[str, int] = vocabulary or {}
        self.protected: frozenset[str] = frozenset()  # folded words no fix may change (the words of AWS names)
        self.words_exact: dict[str, Correction] = {}
        self.words_folded: dict[str, Correction] = {}
        phrases: dict[str, Correction] = {}
        for entry in corrections:
            if WORD.fullmatch(entry.wrong):
                target = self.words_exact if entry.exact else self.words_folded
                target[entry.wrong if entry.exact else entry.wrong.lower()] = entry
            else:
                phrases[_collapse(entry.wrong).lower()] = entry
        self.phrases = phrases
        self.phrase_pattern = (
            re.compile(
                r"(?<![\w])(?:"
                + "|".join(
                    r"[ \t]+".join(re.escape(part) for part in key.split(" "))
                    for key in sorted(phrases, key=len, reverse=True)
                )
                + r")(?![\w])",
                re.IGNORECASE,
            )
            if phrases
            else None
        )
        keep_folded = {k.lower() for k in keep}
        self.general = {w: r for w, r in general.items() if w not in keep_folded}
        # Words that say a note is English: the word list, the team's own words and fixes (load_context adds AWS names).
        self.known = english_words() | keep_folded | {
            word.lower() for entry in corrections for word in WORD.findall(f"{entry.wrong} {entry.right}")}

    def without_general(self) -> Speller:
        """This speller with the team's corrections only, for a note in another language."""
        other = copy.copy(self)
        other.general = {}
        return other

    def note_reads_as_english(self, markdown: str) -> bool:
        """Whether a note's prose reads as English, or is too short to tell: most of its words are English (a
        misspelling counts as English) and the language model agrees, unless nearly all of them are.

        An all-capital word is an abbreviation (AS, VPC), which says nothing of the language around it.
        """
        kinds = self._word_kinds
        if len(kinds) > WORD_MEMO_LIMIT:
            kinds.clear()
        counted = english = 0
        prose = _NOT_PROSE.sub(" ", markdown[:NOTE_SAMPLE])
        for word in WORD.findall(prose):
            kind = kinds.get(word)
            if kind is None:
                folded = word.lower()
                kind = kinds[word] = _ABBREVIATION_WORD if word.isupper() else (
                    _ENGLISH_WORD if folded in self.known or folded in self._general else _OTHER_WORD)
            if kind != _ABBREVIATION_WORD:
                counted += 1
                english += kind == _ENGLISH_WORD
        if counted < NOTE_MIN_WORDS:
            return True
        return english >= ENGLISH_SURE_SHARE * counted or (
            english >= ENGLISH_MIN_SHARE * counted and language_of(self.as_fixed(prose)) == ENGLISH)

    @property
    def general(self) -> dict[str, str]:
        """The general dictionary (folded misspelling -> fix) after the keep list."""
        return self._general

    @general.setter
    def general(self, value: dict[str, str]) -> None:
        self._general = value
        # Every fix of each folded word, whatever its case: made by vocabulary_choices when first asked.
        self._fixes_by_folded: dict[str, list[str]] | None = None
        # Per-word results: word as written -> (fix, rule) or None. Words repeat across notes, so
        # each distinct word is looked up once; `_hits` holds the words that do change.
        self._memo: dict[str, tuple[str, RepairRule] | None] = {}
        self._hits: set[str] = set()
        self._word_kinds: dict[str, int] = {}  # word as written -> what it says of its span's language
        self._line_english: dict[str, bool] = {}  # line -> whether it reads as English

    def lookup(self, word: str) -> Correction | None:
        """The correction for one word, if any."""
        hit = self.words_exact.get(word)
        if hit:
            return hit
        folded = word.lower().replace("’", "'")
        hit = self.words_folded.get(folded)
        if hit:
            return hit
        # All-capital words are abbreviations (CAF, IAM): the general dictionary would misread them.
        right = None if word.isupper() else self.general.get(folded)
        if right:
            return Correction(folded, right, False, "dictionary")
        return None

    def vocabulary_choices(self, folded_words: Iterable[str]) -> tuple[tuple[str, str, bool], ...]:
        """For each word a fix could change, in any case it may be written in: the word (folded as _resolve folds
        it), the fix, and whether the vault's vocabulary keeps the word (see _resolve), sorted.

        The vocabulary is counted over every note, so these choices are the only part of one note's result that
        the other notes decide: a cached result stands as long as they come out the same.
        """
        if self._fixes_by_folded is None:
            fixes: dict[str, list[str]] = {}
            for wrong, entry in self.words_exact.items():
                fixes.setdefault(wrong.casefold().replace("’", "'"), []).append(entry.right)
            for wrong, entry in self.words_folded.items():
                fixes.setdefault(wrong.casefold().replace("’", "'"), []).append(entry.right)
            for wrong, right in self.general.items():
                fixes.setdefault(wrong.casefold().replace("’", "'"), []).append(right)
            self._fixes_by_folded = fixes
        fixes = self._fixes_by_folded
        fixable = [folded for folded in folded_words if folded in fixes]
        return tuple(sorted({(folded, fix.casefold(), is_vault_vocabulary(folded, fix, self.vocabulary))
                             for folded in fixable for fix in fixes[folded]}))

    def _resolve(self, found: str) -> tuple[str, RepairRule] | None:
        """The fix and repair rule for one word as written, or None when it stays.

        A word of an AWS name or of the vault's own vocabulary stays; so does a dictionary word, unless the team's
        corrections name it (they are reviewed: "tat" in these notes means "that").
        """
        entry = self.lookup(found)
        if entry is None:
            return None
        right = entry.right if entry.exact else match_case(found, entry.right)
        folded = found.casefold().replace("’", "'")
        if right == found or folded in self.protected or is_vault_vocabulary(folded, right, self.vocabulary):
            return None
        if entry.source == "dictionary" and folded in english_dictionary():
            return None
        return right, SPELLING if entry.source == "corrections" else SPELLING_DICTIONARY

    def correct(self, text: str, changed: Changed) -> str:
        """Fix the misspellings of one prose span, reporting each change."""
        if self.phrase_pattern is not None:
            text = self.phrase_pattern.sub(lambda m: self._phrase(m, changed), text)
        words = WORD.findall(text)
        if not words:
            return text
        memo = self._memo
        new = set(words).difference(memo)
        if new:
            if len(memo) > WORD_MEMO_LIMIT:
                memo.clear()
                self._hits.clear()
                new = set(words)
            for word in new:
                fix = memo[word] = self._resolve(word)
                if fix is not None:
                    self._hits.add(word)
        if self._hits.isdisjoint(words):
            return text
        span = _SpanLines(text)
        return WORD.sub(lambda m: self._word(m, changed, span), text)

    def _line_is_english(self, span: _SpanLines, offset: int) -> bool:
        index = span.line_index(offset)
        if index not in span.english:
            span.english[index] = self._line_text_is_english(span.line_text(index))
        return span.english[index]

    def _is_english_word(self, folded: str) -> bool:
        """Whether a folded word is English: a dictionary word, a word of the team's lists, or a misspelling the
        general dictionary fixes (which is English once fixed)."""
        return folded in english_dictionary() or folded in self.known or folded in self._general

    def _line_text_is_english(self, line: str) -> bool:
        known = self._line_english.get(line)
        if known is None:
            if len(self._line_english) > WORD_MEMO_LIMIT:
                self._line_english.clear()
            # Link targets, code spans and tags are not prose, and a repair can rewrite them (a wikilink to a link).
            known = self._line_english[line] = line_reads_as_english(_NOT_PROSE.sub(" ", line), self.protected,
                                                                     self._is_english_word, self.as_fixed)
        return known

    def as_fixed(self, prose: str) -> str:
        """Prose with every misspelling the speller knows fixed, whatever its line's language: what the language
        model reads, so that a line is judged the same before its fixes and after them."""
        return WORD.sub(lambda word: self._fixed_word(word.group()), prose)

    def _fixed_word(self, found: str) -> str:
        fix = self._memo[found] if found in self._memo else self._resolve(found)
        return found if fix is None else fix[0]

    def _phrase(self, match: re.Match[str], changed: Changed) -> str:
        found = match.group(0)
        entry = self.phrases.get(_collapse(found).lower())
        if entry is None or (entry.exact and _collapse(found) != _collapse(entry.wrong)):
            return found
        right = entry.right if entry.exact else match_case(found, entry.right)
        changed(match.start(), SPELLING, found, right)
        return right

    def _word(self, match: re.Match[str], changed: Changed, span: _SpanLines) -> str:
        found = match.group(0)
        fix = self._memo[found] if found in self._memo else self._resolve(found)
        if fix is None or _joined(match) or span.in_url(match.start()):
            return found
        if fix[1] is SPELLING_DICTIONARY and not self._line_is_english(span, match.start()):
            return found
        # A misspelling that leads to its fix (`aquire -> acquire`, "absense to absence") is shown on purpose.
        if _leads_to(match.string, match.end(), fix[0]):
            return found
        changed(match.start(), fix[1], found, fix[0])
        return fix[0]


class _SpanLines:
    """The lines and web addresses of one prose span, found once for every word in it: per word, a long line
    would cost the square of its length."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.english: dict[int, bool] = {}  # line index -> whether it reads as English
        self._ends: list[int] | None = None
        self._urls: tuple[list[int], list[int]] | None = None

    def line_index(self, offset: int) -> int:
        """The 0-based line that holds `offset`."""
        if self._ends is None:
            self._ends = [found.start() for found in re.finditer("\n", self.text)]
        return bisect_left(self._ends, offset)

    def line_text(self, index: int) -> str:
        """The text of line `index` (line_index was asked first)."""
        ends = self._ends or []
        start = ends[index - 1] + 1 if index else 0
        return self.text[start:ends[index] if index < len(ends) else len(self.text)]

    def in_url(self, offset: int) -> bool:
        """Whether `offset` is inside a web address written as text."""
        if self._urls is None:
            urls = list(_URL.finditer(self.text))
            self._urls = ([url.start() for url in urls], [url.end() for url in urls])
        starts, ends = self._urls
        at = bisect_right(starts, offset) - 1
        return at >= 0 and offset < ends[at]


def _joined(match: re.Match[str]) -> bool:
    """Whether the word is joined to another word (add-ons, re:Inforce, e-mail), so part of a longer one."""
    return _joined_at(match.string, match.start(), match.end())


def _joined_at(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is joined to a word before or after it by a joiner (add-ons, re:Inforce).

    Before it, any mark but a space beyond the joiner joins: "(IAM):word" is as joined as "IAM:word", which a
    repair of the name before it can turn it into. After it, only a letter or digit does: "RedShift.." ends a
    sentence. A lone backtick is no such mark: shown as text, it is escaped (`\\``), and the escape ends the
    prose a second pass reads, so the joiner would stand first in it."""
    before = start >= 2 and text[start - 1] in _JOINERS and not text[start - 2].isspace() and text[start - 2] != "`"
    after = end + 1 < len(text) and text[end] in _JOINERS and text[end + 1].isalnum()
    return before or after


def _leads_to(text: str, end: int, fix: str) -> bool:
    """Whether an arrow or "to" after a word leads to its fix (`aquire -> acquire`)."""
    arrow = _LEADS_TO.match(text, end)
    return bool(arrow) and text[arrow.end():arrow.end() + len(fix)].casefold() == fix.casefold()


@functools.lru_cache(maxsize=1)
def general_dictionary() -> dict[str, str]:
    """codespell's general misspellings that have exactly one suggestion and no caveat."""
    entries: dict[str, str] = {}
    for wrong, right in _codespell_entries():
        if "," in right or not WORD.fullmatch(wrong) or not right.strip():
            continue
        entries[wrong.strip().lower()] = right.strip()
    # A fix that is itself listed as a misspelling would make a second pass change it again.
    return {w: r for w, r in entries.items() if r.lower() not in entries}


@dataclass(frozen=True)
class ServiceName:
    """A canonical AWS name and the spellings that should become it."""

    canonical: str
    aliases: tuple[str, ...]
    case_sensitive: bool


class NameCanon:
    """Rewrites AWS service names to their canonical form without ever matching a canonical form again."""

    def __init__(self, names: Iterable[ServiceName]):
        self.by_form: dict[str, ServiceName] = {}
        self.exact_forms: set[str] = set()
        for name in names:
            for form in (name.canonical, *name.aliases):
                self.by_form[_collapse(form).lower()] = name
                if name.case_sensitive:
                    self.exact_forms.add(_collapse(form))
        forms = sorted(self.by_form, key=len, reverse=True)
        alternatives = "|".join(r"[ \t]+".join(re.escape(p) for p in form.split(" ")) for form in forms)
        self.pattern = (
            re.compile(
                r"(?<![\w])(?P<prefix>(?:AWS|Amazon)[ \t]+)?(?P<name>" + alternatives + r")(?![\w])"
                r"(?P<suffix>[ \t]*\((?P<abbr>[A-Za-z0-9 ]{1,24})\))?",
                re.IGNORECASE,
            )
            if forms
            else None
        )
        self.words = frozenset(w.lower() for form in self.by_form for w in WORD.findall(form))

    def canonicalise(self, text: str, changed: Changed) -> str:
        """Rewrite the AWS names of one prose span, reporting each change."""
        if self.pattern is None:
            return text
        return self.pattern.sub(lambda m: self._replace(m, changed), text)

    def _replace(self, match: re.Match[str], changed: Changed) -> str:
        found = match.group(0)
        name_text = _collapse(match.group("name"))
        entry = self.by_form.get(name_text.lower())
        if entry is None or (entry.case_sensitive and name_text not in self.exact_forms):
            # The prefix may have made a case-sensitive form fail; keep the text as it is.
            return found
        if _written_as_is(match, name_text):
            return found
        canonical = entry.canonical
        prefix = match.group("prefix") or ""
        if prefix and not _AFFIX.match(canonical):
            canonical = prefix + canonical
        suffix = match.group("suffix") or ""
        own = _ABBREVIATION.search(entry.canonical)
        own_abbreviation = _AFFIX.sub("", own.group(1)).lower() if own else None
        if suffix:
            if own_abbreviation != _AFFIX.sub("", match.group("abbr").strip()).lower():
                canonical += suffix
        elif own and _bracketed_after(match.string, match.end(), own_abbreviation):
            # `AWS Key Management Service [AWS KMS]`: the abbreviation is already there, in other brackets.
            canonical = canonical[:own.start()].rstrip()
        elif own and match.string[match.end():match.end() + 1] == ")":
            before = _ABBREVIATION_BEFORE.search(match.string, 0, match.start())
            if before and before.group(1).lower() == own_abbreviation:
                # `EBS (Elastic Block Store)`: the name spells out the abbreviation before it, once.
                canonical = canonical[:own.start()].rstrip()
        if canonical == found:
            return found
        changed(match.start(), SERVICE_NAME, found, canonical)
        return canonical


_BRACKETED = re.compile(r"[ \t]*\[(?:(?:AWS|Amazon)[ \t]+)?([A-Za-z0-9 ]{1,24})\]")
DESCRIPTION_MIN_WORDS = 3  # "key management service" in lowercase describes what a service does


def _written_as_is(match: re.Match[str], name_text: str) -> bool:
    """Whether a name's text is not prose to rewrite: part of a joined word (`AWS::ElasticBeanstalk::…`,
    `cloudwatch:PutMetricAlarm`, `amazon-cloudwatch-agent`), a command of the AWS CLI (`aws cloudwatch
    put-metric-alarm`, whose program and service are lowercase), or a lowercase description."""
    prefix = match.group("prefix") or ""
    if prefix.strip() == "aws":
        return True
    if " " in name_text and name_text.islower() and len(name_text.split()) >= DESCRIPTION_MIN_WORDS:
        return True
    return _joined_at(match.string, match.start(), match.end("name"))


def _bracketed_after(text: str, end: int, abbreviation: str | None) -> bool:
    """Whether the name's own abbreviation follows it in square brackets."""
    found = _BRACKETED.match(text, end)
    return bool(found and abbreviation and found.group(1).strip().lower() == abbreviation)
