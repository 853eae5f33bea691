"""Fact guards: similar text that states a different fact is never merged.

Each guard reduces a compared text to a small signature (who acts, whether it is negated,
which service category, which numbers, units and storage classes, which services, what the text
is about). Two texts may merge only when every signature is equal, so those guards are transitive
and a cluster never mixes facts. The wording guard compares its signatures by inclusion instead: every
content word of the shorter text must be in the longer one, or be a slip of the pen of one of its
words ("on-deman" for "on-demand"), so "aws s3 rm: remove objects" never merges with "aws s3 mv: move
objects", nor "increasing the regularization" with "decreasing" it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from ..footnotes import defined_labels
from ..model import record
from .corpus import Corpus
from .outline import FactTerms
from rapidfuzz.distance import Levenshtein

from .settings import (
    ACTOR_GUARD, CATEGORY_GUARD, DIRECTION_GUARD, FOOTNOTE_GUARD, LINK_GUARD, NEGATION_GUARD, NUMBER_GUARD, SERVICE_GUARD,
    STORAGE_CLASS_GUARD, SUBJECT_GUARD, UNIT_GUARD, WORDING_GUARD, IDENTIFIER_GUARD,
)
from .text import STOPWORDS, heading_key, link_targets, words

NEGATIONS = frozenset(
    "not no never cannot cant can't don't dont doesn't doesnt isn't isnt aren't arent won't wont without "
    "neither nor none nothing unable".split()
)
# Words that say which way something goes or which side it is on: "security of the cloud" is AWS's part and
# "security in the cloud" the customer's; inbound and outbound rules, uploads and downloads are opposites.
# A preposition says a side only of the words it governs: "security of everything you put in the cloud" and
# "security in the cloud" put the cloud on the same side, while "to S3 from the internet" and "from S3 to the
# internet" put S3 on opposite ones.
PREPOSITIONS = frozenset("in of to from into onto".split())
# A word something moves to or from is no longer the one that acts when it stands without its preposition
# ("ingest data from Kinesis" is not "Kinesis ingests data"); "of" and "in" only say whose or where it is.
_MOVEMENT = frozenset("to from into onto".split())
DIRECTIONS = PREPOSITIONS | frozenset(
    "inbound outbound ingress egress incoming outgoing upload uploads uploaded download "
    "downloads downloaded import imports export exports read reads write writes send sends receive receives push "
    "pull upstream downstream source destination".split()
)
# Words that open the phrase a preposition governs without being what it is about ("of THE cloud").
_DETERMINERS = frozenset("the a an your their its our my his her this that these those all any every each".split())
_OBJECT_WORDS = 3  # the words of a governed phrase read as its object: "in the AWS Cloud" -> aws, cloud
# Words that end a governed phrase: other prepositions and conjunctions ("to S3 Standard AFTER thirty days").
_PHRASE_ENDS = frozenset(
    "after before without about over under between through during since until via than when while if because "
    "but not within across per against among beyond toward towards upon unless whether".split()
)
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve twenty thirty fifty hundred thousand million "
    "billion first third fourth fifth half double triple single dozen".split()
)  # "second" is the unit guard's: "per second" and "the second" both differ from "per hour" or "the first"
_NUMBER = re.compile(r"\d")
# Units of measure, each spelling under one name: "5 GB" is not "5 TB", "10 ms" not "10 s", "per hour" not
# "per second". The one-letter ones count only after a number ("5 s", not the "s" of "bucket(s)").
_UNIT_SPELLINGS = {
    "bit": "bit bits", "byte": "byte bytes", "kb": "kb kilobyte kilobytes", "kib": "kib", "mb": "mb megabyte megabytes",
    "mib": "mib", "gb": "gb gigabyte gigabytes", "gib": "gib", "tb": "tb terabyte terabytes", "tib": "tib",
    "pb": "pb petabyte petabytes", "eb": "eb exabyte exabytes", "kbps": "kbps", "mbps": "mbps", "gbps": "gbps",
    "iops": "iops", "ns": "ns nanosecond nanoseconds", "us": "microsecond microseconds",
    "ms": "ms millisecond milliseconds", "s": "s sec secs second seconds", "min": "min mins minute minutes",
    "h": "h hr hrs hour hours hourly", "day": "day days daily", "week": "week weeks weekly",
    "month": "month months monthly", "year": "year years yearly annual annually", "hz": "hz mhz ghz",
    "percent": "percent", "vcpu": "vcpu vcpus", "core": "core cores",
}
_UNIT_OF = {spelling: unit for unit, spellings in _UNIT_SPELLINGS.items() for spelling in spellings.split()}
_AFTER_NUMBER_ONLY = frozenset({"s", "h", "us", "min", "sec", "secs"})
# Most texts name nothing a guard looks for: they share this one empty set (each new one takes 216 bytes).
_NOTHING: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FactGuard:
    """A named rule: the part of a text that must be equal for two texts to merge."""

    id: str
    description: str
    signature: Callable[["Compared", "Lexicon"], frozenset[str] | tuple | bool]
    # Whether two signatures tell different facts; unequal signatures do, unless the guard says otherwise.
    differs: Callable[[object, object], bool] = lambda left, right: left != right


@record
class Compared:
    """A text as the guards see it: its words, its Markdown ("" for a sentence) and what its place is about."""

    tokens: tuple[str, ...]
    markdown: str = ""
    subject: frozenset[str] = frozenset()


class Lexicon:
    """The fact terms as n-gram lookups, built once per outline."""

    def __init__(self, terms: FactTerms):
        self.actor_of = {w: name for name, ws in terms.actors for w in ws}
        self.category_of = {tuple(words(w)): name for name, ws in terms.categories for w in ws}
        self.service_of = {tuple(words(s)): spellings[0] for spellings in terms.services for s in spellings}
        self.storage_classes = frozenset(tuple(words(s)) for s in terms.storage_classes)
        phrases = (*self.category_of, *self.service_of, *self.storage_classes)
        self.longest = max([len(k) for k in phrases] or [1])
        self.first_words = frozenset(k[0] for k in phrases if k)
        # Every stage asks what the same texts name and what their guards say (the block merge, the merge by
        # meaning, the account): the lexicon answers each text once.
        self._named: dict[tuple[str, ...], frozenset[str]] = {}
        self._signatures: dict[tuple[tuple[str, ...], str], tuple] = {}
        self.alone: dict[tuple[str, ...], bool] = {}  # stands_alone's answers

    def named(self, tokens: tuple[str, ...]) -> frozenset[str]:
        """The services and service categories that `tokens` name (what a text or heading is about)."""
        found = self._named.get(tokens)
        if found is None:
            services, categories = self.phrases(tokens, self.service_of), self.phrases(tokens, self.category_of)
            found = self._named[tokens] = services | categories if services or categories else _NOTHING
        return found

    def signatures(self, tokens: tuple[str, ...], markdown: str) -> tuple:
        """Every fact guard's signature of a text, in guard order, about no subject (fact_signature adds it)."""
        key = (tokens, markdown)
        found = self._signatures.get(key)
        if found is None:
            text = Compared(tokens, markdown)
            found = self._signatures[key] = tuple(guard.signature(text, self) for guard in FACT_GUARDS)
        return found

    def phrases(self, tokens: tuple[str, ...], table) -> frozenset[str]:
        """Every phrase of `tokens` (up to the longest term) found in `table`."""
        found = set()
        first_words = self.first_words
        for start, token in enumerate(tokens):
            if token not in first_words:
                continue
            for size in range(1, self.longest + 1):
                gram = tokens[start:start + size]
                if len(gram) == size and gram in table:
                    found.add(table[gram] if isinstance(table, dict) else " ".join(gram))
        return frozenset(found) if found else _NOTHING


def _actors(text: Compared, lex: Lexicon):
    return frozenset(lex.actor_of[t] for t in text.tokens if t in lex.actor_of) or _NOTHING


def _negated(text: Compared, lex: Lexicon):
    return any(t in NEGATIONS for t in text.tokens)


@record
class Directions:
    """A text's direction words other than prepositions, in order; the words prepositions govern, each with its
    prepositions; and the text's words, which equal directions and sides need not compare (a word governed the
    same way in both texts is governed in both)."""

    words: tuple[str, ...]
    sides: tuple[tuple[str, frozenset[str]], ...]  # (governed word, the prepositions governing it), by word
    tokens: tuple[str, ...] = field(compare=False)


def _directions(text: Compared, lex: Lexicon) -> Directions:
    # In order and counted: an upload is not a download, and "inbound" is not "inbound and outbound".
    tokens = text.tokens
    sides: dict[str, set[str]] = {}
    for at, token in enumerate(tokens):
        if token not in PREPOSITIONS or (token == "to" and at + 1 < len(tokens) and tokens[at + 1] in _INFINITIVES):
            continue  # "to avoid", "how to make": an infinitive goes nowhere
        start = at + 1
        while start < len(tokens) and tokens[start] in _DETERMINERS:
            start += 1
        for word in tokens[start:start + _OBJECT_WORDS]:
            if word in STOPWORDS or word in DIRECTIONS or word in _DETERMINERS or word in _PHRASE_ENDS:
                break
            sides.setdefault(word, set()).add(token)
    return Directions(tuple(t for t in tokens if t in DIRECTIONS and t not in PREPOSITIONS),
                      tuple((word, frozenset(found)) for word, found in sorted(sides.items())), tokens)


def _directions_differ(left: Directions, right: Directions) -> bool:
    """Whether the two texts go different ways, or a word one governs by a preposition stands in the other under
    another preposition, or under none when it moves to or from it."""
    if left.words != right.words:
        return True
    for mine, theirs in ((left, right), (right, left)):
        governed = dict(theirs.sides)
        for word, found in mine.sides:
            if word in governed:
                if governed[word] != found:
                    return True
            elif found & _MOVEMENT and word in theirs.tokens:
                return True
    return False


def _categories(text: Compared, lex: Lexicon):
    return lex.phrases(text.tokens, lex.category_of)


def _numbers(text: Compared, lex: Lexicon):
    # Every word with a digit, in order: "TLS 1.2" (words 1, 2) is not "TLS 1.3" nor "TLS 2.1", and a version
    # or size written into a name ("my-web:v2", "gp3", "ipv6", "N+1") counts as much as a number on its own.
    return tuple(t for t in text.tokens if _NUMBER.search(t) or t in _NUMBER_WORDS)


def _units(text: Compared, lex: Lexicon):
    tokens = text.tokens
    return tuple(_UNIT_OF[t] for i, t in enumerate(tokens) if t in _UNIT_OF
                 and (t not in _AFTER_NUMBER_ONLY or (i > 0 and tokens[i - 1][-1].isdigit())))


def _storage_classes(text: Compared, lex: Lexicon):
    return lex.phrases(text.tokens, lex.storage_classes)


def _services(text: Compared, lex: Lexicon):
    return lex.phrases(text.tokens, lex.service_of)


def _links(text: Compared, lex: Lexicon):
    return link_targets(text.markdown)


def _footnotes(text: Compared, lex: Lexicon):
    return defined_labels(text.markdown) or _NOTHING


def _subject(text: Compared, lex: Lexicon):
    return text.subject


# Names written as code or identifiers: `put-object`, StatusCheckFailed_Instance, --alarm-name, maxRetries (not
# product names such as CloudFront, which notes spell in several ways).
_IDENTIFIER = re.compile(r"`([^`\n]+)`|(?<![\w-])(--?[A-Za-z][\w-]*|\w+_\w+|[a-z]+[A-Z]\w*)")


def _identifiers(text: Compared, lex: Lexicon):
    if not text.markdown:
        return _NOTHING
    return frozenset((code or name).strip().lower() for code, name in _IDENTIFIER.findall(text.markdown)) or _NOTHING


def _content_words(text: Compared, lex: Lexicon):
    # Sorted and each once: equal exactly when the sets are, in a third of a set's memory.
    return tuple(sorted({t for t in text.tokens if t not in STOPWORDS}))


def _slip_of(word: str, others: tuple[str, ...]) -> bool:
    """Whether `word` is one of `others` misspelt or in another number: same first letter, one edit apart
    (two for long words), or the same word with an 's'."""
    if len(word) < 4:
        return False
    allowed = 2 if len(word) >= 8 else 1
    return any(other[0] == word[0] and (Levenshtein.distance(word, other, score_cutoff=allowed) <= allowed
                                        or word == other + "s" or other == word + "s")
               for other in others if abs(len(other) - len(word)) <= allowed)


def _wording_differs(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    """Whether the shorter text has a content word the longer one lacks, slips of the pen aside."""
    shorter, longer = (left, right) if len(left) <= len(right) else (right, left)
    return any(word not in longer and not _slip_of(word, longer) for word in shorter)


FACT_GUARDS: tuple[FactGuard, ...] = (
    FactGuard(ACTOR_GUARD, "a different owner (AWS, the customer, you), or an owner named in one only", _actors),
    FactGuard(NEGATION_GUARD, "one says not/no/never/cannot/without, the other does not", _negated),
    FactGuard(CATEGORY_GUARD, "a different service category (infrastructure, container, abstracted)", _categories),
    FactGuard(SERVICE_GUARD, "different AWS services (EC2 vs S3)", _services),
    FactGuard(NUMBER_GUARD, "different numbers or versions (N+1 vs N+2, TLS 1.2 vs 1.3, my-web:v2 vs my-web)",
              _numbers),
    FactGuard(UNIT_GUARD, "different units (GB vs TB, ms vs s, per hour vs per second)", _units),
    FactGuard(STORAGE_CLASS_GUARD, "different storage classes or tiers (S3 Standard vs Standard-IA, "
              "frequent vs infrequent access)", _storage_classes),
    # Read after the guards of names, so a name that differs is reported as such, not as what governs it.
    FactGuard(DIRECTION_GUARD, "a different direction or side (inbound vs outbound; a word governed by 'of' in "
              "one and 'in' in the other, by 'to' in one and 'from' in the other)", _directions, _directions_differ),
    FactGuard(LINK_GUARD, "links to different pages or notes ('check here' pointing elsewhere)", _links),
    FactGuard(FOOTNOTE_GUARD, "footnote definitions with different labels, or one text is a footnote and the other not",
              _footnotes),
    FactGuard(SUBJECT_GUARD, "a different subject: the services or categories the text names, else those its "
              "headings and note title name (a 'global service' under IAM vs under Health Dashboard), and the heading "
              "itself for a text that names no owner either ('can be used for fraud detection' under two algorithms)",
              _subject),
    FactGuard(IDENTIFIER_GUARD, "different names written as code or identifiers (StatusCheckFailed_Instance vs "
              "StatusCheckFailed_System, --alarm-name vs --alarm-names)", _identifiers),
    FactGuard(WORDING_GUARD, "a content word of the shorter text missing from the longer one, slips of the pen "
              "aside ('aws s3 rm: remove objects' vs 'aws s3 mv: move objects')", _content_words, _wording_differs),
)


_SUBJECT_AT = [guard.id for guard in FACT_GUARDS].index(SUBJECT_GUARD)


def fact_signature(tokens: tuple[str, ...], markdown: str, lexicon: Lexicon,
                   subject: frozenset[str] = frozenset()) -> tuple:
    """The signature of every guard, in guard order."""
    found = lexicon.signatures(tokens, markdown)
    return (*found[:_SUBJECT_AT], subject, *found[_SUBJECT_AT + 1:]) if subject else found


def _links_differ(left: frozenset[str], right: frozenset[str]) -> bool:
    """Whether neither text links to every page the other links to."""
    return not (left <= right or right <= left)


# Merges by meaning compare concepts, not words, so every guard but the wording one holds for them; and a
# statement may fold under one that links to all it links to and more ("[[NACL]]: at subnet level" under
# "[[NACL]]: controls traffic at [[Subnets]] level"), as the kept statement must then carry its links.
MEANING_GUARDS: tuple[FactGuard, ...] = tuple(
    FactGuard(guard.id, guard.description, guard.signature, _links_differ) if guard.id == LINK_GUARD else guard
    for guard in FACT_GUARDS if guard.id != WORDING_GUARD)
_MEANING_AT = tuple(at for at, guard in enumerate(FACT_GUARDS) if guard.id != WORDING_GUARD)


def meaning_signature(tokens: tuple[str, ...], markdown: str, lexicon: Lexicon,
                      subject: frozenset[str] = frozenset()) -> tuple:
    """The signature of every guard a merge by meaning must pass, in guard order (compared by meaning_conflict)."""
    found = fact_signature(tokens, markdown, lexicon, subject)
    return tuple(found[at] for at in _MEANING_AT)


def guard_conflict(left: tuple, right: tuple) -> str | None:
    """The id of the first guard whose signatures differ, or None when the texts may merge."""
    # Copies of a text share its signatures' parts: one identity test spares comparing equal sets item by item.
    for guard, a, b in zip(FACT_GUARDS, left, right):
        if a is not b and a != b and guard.differs(a, b):
            return guard.id
    return None


def meaning_conflict(left: tuple, right: tuple) -> str | None:
    """The id of the first guard of a merge by meaning whose signatures differ, or None when they agree."""
    for guard, a, b in zip(MEANING_GUARDS, left, right):
        if a is not b and a != b and guard.differs(a, b):
            return guard.id
    return None


# A sentence that states its own subject has a verb of its own a few words in ("Availability Zones are designed
# to…", "Data stays in…"); one that opens with a pronoun or a verb ("It's a global service", "Can be used for…")
# or has none ("Pay as you go", "Good for finding outliers") leans on its place. The verbs: auxiliaries, and the
# third person of verbs notes use (a word that merely ends in -s is as often a plural: "launch configuration names").
_ACTION_VERBS = (
    "stay run provide offer support allow let give manage handle own secure protect control store keep include cover "
    "need require use make take mean depend apply work help create send receive replicate encrypt decrypt move copy "
    "delete scale cost charge bill add remove return contain hold span consist live sit host serve route connect share "
    "build deploy launch start stop trigger track monitor log record detect prevent block enable disable define "
    "describe determine ensure guarantee reduce increase improve change update set get go come become remain follow "
    "happen lead operate perform process read write call invoke execute integrate automate check verify validate "
    "retain expire rotate grant deny assume inherit belong apply limit restrict expose publish subscribe trigger "
    "back restore fail recover balance distribute cache load save"
).split()
_FINITE_VERBS = frozenset(
    "is are was were has have can cannot could must should will would may might does do isn't aren't doesn't don't "
    "won't can't".split()
    + [verb + ("es" if verb.endswith(("s", "sh", "ch", "x", "o")) else "s") for verb in _ACTION_VERBS]
    + ["applies", "denies", "copies", "relies", "carries", "varies", "replies"]
)
# Verbs "to" opens as an infinitive rather than pointing somewhere ("to ensure", not "to S3").
_INFINITIVES = frozenset(_ACTION_VERBS) | frozenset(
    "be do have avoid know understand learn see find pay choose select configure patch access identify implement "
    "think edit meet achieve gain prove reach satisfy".split()
)
_LEANING_OPENERS = frozenset(
    "it it's its this these that those they them there here which who also and but or so then can cannot could "
    "must should will would may might is are was were be been has have does do used using".split()
)


def stands_alone(tokens: tuple[str, ...], lexicon: Lexicon) -> bool:
    """Whether a text is a statement of its own: it opens with an owner ("AWS is responsible for…"), or with a
    subject that a verb follows within five words, not with a pronoun or a verb."""
    found = lexicon.alone.get(tokens)
    if found is None:
        found = lexicon.alone[tokens] = _stands_alone(tokens, lexicon)
    return found


def _stands_alone(tokens: tuple[str, ...], lexicon: Lexicon) -> bool:
    opening = next((token for token in tokens if token != "the"), "")
    if opening in lexicon.actor_of:
        return True
    if not opening or opening in _LEANING_OPENERS:
        return False
    start = tokens.index(opening)
    return any(token in _FINITE_VERBS for token in tokens[start + 1:start + 6])


def subjects(corpus: Corpus, lexicon: Lexicon) -> tuple[frozenset[str], ...]:
    """What every item is about: the services and categories its text names; else, for a statement that stands
    alone, those of the nearest of its headings (then the note title) that names any; else, for a fragment,
    those, or the note's title when none does, and its own heading."""
    of_title: dict[str, frozenset[str]] = {}

    def named(title: str) -> frozenset[str]:
        found = of_title.get(title)
        if found is None:
            found = of_title[title] = lexicon.named(words(title))
        return found

    context: list[frozenset[str]] = []  # per corpus section: the nearest heading's terms, else none
    note_of: list[str] = []  # per corpus section: its note's title, for a text that names nothing itself
    for note_index, note in enumerate(corpus.notes):
        # (level, what the heading names) of the headings the current section sits under; the title first.
        chain: list[tuple[int, frozenset[str]]] = [(0, named(note.title))]
        for section in note.sections:
            while len(chain) > 1 and chain[-1][0] >= section.level:
                chain.pop()
            if section.title and section.level > 0 and section.title != note.title:
                chain.append((section.level, named(section.title)))
            context.append(next((terms for _, terms in reversed(chain) if terms), _NOTHING))
            note_of.append(f"note: {heading_key(note.title)}")
    # Per corpus section, what the fragments under it are about, each value kept once for the copies of a note.
    of_fragment: dict[int, frozenset[str]] = {}
    distinct: dict[frozenset[str], frozenset[str]] = {}

    def subject(item) -> frozenset[str]:
        own = lexicon.named(item.tokens)
        if own:
            return own
        if stands_alone(item.tokens, lexicon):
            return context[item.section]
        # A fragment ("Pay as you go", "can be used for fraud detection", "It's a global service") says
        # something of what its heading names, in its note.
        found = of_fragment.get(item.section)
        if found is None:
            heading = heading_key(corpus.section(item.section).title)
            found = (context[item.section] or frozenset({note_of[item.section]})) | {f"heading: {heading}"}
            found = of_fragment[item.section] = distinct.setdefault(found, found)
        return found

    return tuple(subject(item) for item in corpus.items)
