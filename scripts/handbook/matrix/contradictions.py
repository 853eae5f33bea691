"""Find note text that the matrix data contradicts (contradictions.yml) or that AWS's documentation says
otherwise (data/claims.yml), and word the notice a reader meets after it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..merge.guards import NEGATIONS
from ..merge.result import SHOWN, NoteAccount
from ..model import Block, Section, Source
from ..pages import capped_rows
from ..paths import NoteAddresses, rel_link
from ..templating import id_code, source_link
from .mentions import find_subjects
from .model import DEFAULT_NOTICE_KIND, NOTICE_KINDS, OWNER_LABELS, ClaimSource, Matrix, Rule
from .text import md_text, plain_text, shorten

ADMONITION_TITLE = NOTICE_KINDS[DEFAULT_NOTICE_KIND].title


@dataclass(frozen=True)
class Contradiction:
    """A note block whose claim the matrix data contradicts, and where the matrix says otherwise."""

    rule: str
    source: Source
    claim: str
    message: str
    page: str
    anchor: str | None
    kind: str = DEFAULT_NOTICE_KIND  # a key of NOTICE_KINDS
    source_doc: ClaimSource | None = None  # the AWS document that says what is right, for a claim of claims.yml
    # A claim found in one sentence is quoted in its notice: after a list or a long paragraph, the reader
    # could not otherwise tell which line the notice is about.
    quoted: bool = False


def _all_match(patterns, text: str) -> bool:
    return all(p.search(text) for p in patterns)


def _any_match(patterns, text: str) -> bool:
    return any(p.search(text) for p in patterns)


def _found(rule: Rule, block: Block, claim: str, message: str | None = None,
           anchor: str | None = None, quoted: bool = False) -> Contradiction:
    return Contradiction(rule=rule.id, source=block.source, claim=shorten(claim), message=message or rule.message,
                         page=rule.page, anchor=anchor or rule.anchor, kind=rule.kind, source_doc=rule.source,
                         quoted=quoted or rule.by_sentence)


# A sentence ends at . ! or ? before a space and a capital, digit or quote ("e.g. a" goes on); a line of a
# list item that a note breaks is a sentence of its own.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_ABBREVIATION = re.compile(r"(?:^|\s|\()(?:e\.g|i\.e|vs|incl|approx|cf)\.$", re.IGNORECASE)


def sentences(text: str) -> list[str]:
    """The sentences of a block's plain text; "e.g. Okta" and "vs. Azure" do not end one."""
    found: list[str] = []
    for part in _SENTENCE_END.split(text):
        if found and _ABBREVIATION.search(found[-1]):
            found[-1] += " " + part
        elif part.strip():
            found.append(part)
    return found


def negated(sentence: str) -> bool:
    """Whether a sentence holds a negation word, as the merge's negation guard counts them."""
    return any(word in NEGATIONS for word in _WORD.findall(sentence.lower().replace("’", "'")))


def _sentence_match(rule: Rule, sentence: str) -> bool:
    return (_all_match(rule.patterns, sentence) and not _any_match(rule.absent, sentence)
            and not (rule.negation_guard and negated(sentence)))


@dataclass(frozen=True)
class _Context:
    """What an owner claim is checked against: the text's block and the title of its section."""

    block: str
    section: str


def _owners_about(text: str, layer_id: str, matrix: Matrix) -> list[tuple[str, str, str]]:
    """(subject, owner, explanation) of a layer for each service the text names, or else each category."""
    keys = find_subjects(text, matrix)
    services = [key.partition(":")[2] for key in keys if key.startswith("service:")]
    if services:
        found = []
        for service_id in services:
            service = matrix.service(service_id)
            cell = next(c for c in matrix.service_column(service) if c.layer.id == layer_id)
            found.append((service.name, cell.owner, cell.explanation))
        return found
    categories = [key.partition(":")[2] for key in keys if key.startswith("category:")]
    layer = matrix.layer(layer_id)
    return [(matrix.category(c).title.lower(), layer.cell(c).owner, layer.cell(c).explanation) for c in categories]


def _owner_claim_message(rule: Rule, sentence: str, context: _Context, matrix: Matrix) -> tuple[str, str] | None:
    """What the matrix says of each layer the sentence wrongly gives to one owner alone, and the first one's anchor."""
    claim = rule.owner_claim
    assert claim is not None
    said = []
    first = None
    for layer_id, terms in claim.layers:
        if not _any_match(terms, sentence):
            continue
        owners: list[tuple[str, str, str]] = []
        for text in (sentence, context.block, context.section):  # the nearest text that names a subject
            owners = _owners_about(text, layer_id, matrix)
            if owners:
                break
        if not owners or any(owner == claim.owner for _, owner, _ in owners):
            continue
        subject, owner, explanation = owners[0]
        said.append(f"{matrix.layer(layer_id).title} for {subject}: {OWNER_LABELS[owner]} – {explanation}")
        first = first or layer_id
    if first is None:
        return None
    return f"{rule.message} " + " ".join(said), first


@dataclass(frozen=True)
class _Copies:
    """Blocks of the same Markdown and kind (the same text in many notes), checked once per rule."""

    kind: str
    text: str  # their plain text, read once for every rule
    blocks: list[Block]


def _block_hits(rule: Rule, copies: Iterable[_Copies], matrix: Matrix,
                section_of: Mapping[tuple[str, int], str]) -> list[Contradiction]:
    """Blocks whose text the rule matches."""
    hits = []
    for group in copies:
        if rule.kinds and group.kind not in rule.kinds:
            continue
        text, blocks = group.text, group.blocks
        # A sentence matches only if the whole text does: most blocks are ruled out without splitting them.
        if not _all_match(rule.patterns, text):
            continue
        if not rule.by_sentence:
            if not _any_match(rule.absent, text):
                # A notice stands after the whole list, so an item's claim is quoted; a paragraph's is the block itself.
                hits.extend(_found(rule, block, text, quoted=group.kind == "list_item") for block in blocks)
            continue
        for sentence in sentences(text):
            if not _sentence_match(rule, sentence):
                continue
            if rule.owner_claim is None:
                hits.extend(_found(rule, block, sentence) for block in blocks)
                break
            said_under: dict[str, tuple[str, str] | None] = {}  # copies under the same heading say the same
            for block in blocks:  # copies in other notes sit under other headings
                heading = section_of.get((block.source.note, block.source.line), "")
                if heading not in said_under:
                    said_under[heading] = _owner_claim_message(rule, sentence, _Context(text, plain_text(heading)),
                                                               matrix)
                said = said_under[heading]
                if said is not None:
                    hits.append(_found(rule, block, sentence, *said))
    return hits


def _section_hits(rule: Rule, sections: Sequence[Section]) -> list[Contradiction]:
    """Sections whose heading the rule names and whose blocks make its claim."""
    heading_named: dict[str, bool] = {}  # many sections share a heading: each heading is read once
    hits = []
    for section in sections:
        named = heading_named.get(section.title)
        if named is None:
            named = heading_named[section.title] = _all_match(rule.heading, plain_text(section.title))
        if named and (hit := _section_hit(rule, section)) is not None:
            hits.append(hit)
    return hits


def _section_hit(rule: Rule, section: Section) -> Contradiction | None:
    """The claim a section whose heading the rule names makes, if its blocks make it."""
    blocks = [b for b in section.blocks if not rule.kinds or b.kind in rule.kinds]
    if not blocks:
        return None
    texts = [plain_text(b.markdown) for b in section.blocks]
    if any(_any_match(rule.absent, text) for text in texts):
        return None
    if rule.patterns:
        for block in blocks:
            text = plain_text(block.markdown)
            if _all_match(rule.patterns, text):
                return _found(rule, block, text)
        return None
    # A claim made by what a list leaves out sits on the whole list; anchor it on the last item
    # so a warning placed after that block follows the list instead of splitting it.
    listed = "; ".join(plain_text(b.markdown) for b in blocks)
    return _found(rule, blocks[-1], f"{plain_text(section.title).rstrip(':')}: {listed}")


def find_contradictions(blocks: Iterable[Block], matrix: Matrix,
                        sections: Iterable[Section] = ()) -> list[Contradiction]:
    """Every contradiction in the blocks (block rules) and sections (section and block rules), sorted by (source, rule)."""
    sections = tuple(sections)
    # Keyed by plain values: hashing a Source record is a Python call, and there is one per block.
    all_blocks: dict[tuple[str, int, str], Block] = {}
    for block in blocks:
        all_blocks.setdefault((block.source.note, block.source.line, block.markdown), block)
    for section in sections:
        for block in section.blocks:
            all_blocks.setdefault((block.source.note, block.source.line, block.markdown), block)
    # Copies of a block (the same text in many notes) are checked once per rule.
    grouped: dict[tuple[str, str], list[Block]] = {}
    for block in all_blocks.values():
        grouped.setdefault((block.markdown, block.kind), []).append(block)
    copies = [_Copies(kind, plain_text(markdown), blocks) for (markdown, kind), blocks in grouped.items()]
    section_of = {(block.source.note, block.source.line): section.title  # read as plain text when asked
                  for section in sections for block in section.blocks}
    found: dict[tuple[str, int, str], Contradiction] = {}
    for rule in matrix.rules:
        if rule.scope == "block":
            hits = _block_hits(rule, copies, matrix, section_of)
        else:
            hits = _section_hits(rule, sections)
        for hit in hits:
            found.setdefault((hit.source.note, hit.source.line, hit.rule), hit)
    return [found[key] for key in sorted(found)]


def contradiction_admonition(c: Contradiction, from_page: str | None) -> str:
    """The admonition placed after the block that makes the claim, typed and titled by the rule's kind, linking
    to the matrix.

    With `from_page=None` the link is a `page:` target that the link pass resolves for whichever
    page the warning ends up on (the same claim can show on a topic page and on its note's page).
    """
    kind = NOTICE_KINDS[c.kind]
    quote = f"    The note says: “{md_text(c.claim.strip())}”\n\n" if c.quoted else ""
    return (
        f'!!! {kind.admonition} "{kind.title}"\n'
        "\n"
        f"{quote}"
        f"    {md_text(c.message)} {_see(c, from_page)}\n"
    )


def _see(c: Contradiction, from_page: str | None) -> str:
    """The closing link of a notice: the AWS document a claim rests on, or the matrix."""
    if c.source_doc is not None:
        doc = c.source_doc
        return f"Source: [{md_text(doc.title)}]({doc.url}), checked {doc.checked}."
    if from_page is None:
        target = f"page:{c.page}" + (f"#{c.anchor}" if c.anchor else "")
    else:
        target = rel_link(from_page, c.page, c.anchor)
    return f"[See the responsibility matrix]({target})."


def contradiction_report(contradictions: Sequence[Contradiction], from_page: str, limit: int | None = None,
                         addresses: NoteAddresses = NoteAddresses(), shown_on: Mapping[Source, str] = {}) -> str:
    """The build report's table of flagged claims: where (page, note and line), the claim (kind, rule, text) and what is right with its source."""
    if not contradictions:
        return "No note makes a claim the matrix or the claims list flags.\n"

    # Three columns, each stacking its parts: seven side by side left a few words a line on a laptop.
    def row(c: Contradiction) -> str:
        page = shown_on.get(c.source)
        shown = f"[{md_text(page)}]({rel_link(from_page, page)})" if page else "its note's page"
        if c.source_doc is not None:
            source = f"Source: [{md_text(c.source_doc.title)}]({c.source_doc.url}), checked {c.source_doc.checked}."
        else:
            source = f"[Responsibility matrix]({rel_link(from_page, c.page, c.anchor)})."
        return (f"| {shown}<br>{source_link(c.source, from_page, addresses)} | "
                f"**{NOTICE_KINDS[c.kind].title}** {id_code(c.rule)}<br>{md_text(c.claim)} | "
                f"{md_text(c.message)} {source} |")

    return "\n".join(["| Where | Claim | What is right |",
                      "| --- | --- | --- |",
                      *capped_rows(contradictions, row, limit)]) + "\n"


def claim_json(c: Contradiction, shown_on: Mapping[Source, str] = {}) -> dict:
    """One flagged claim as report.json carries it."""
    out = {"rule": c.rule, "note": c.source.note, "line": c.source.line, "claim": c.claim, "message": c.message,
           "kind": c.kind, "page": shown_on.get(c.source)}
    if c.source_doc is not None:
        out["source"] = {"title": c.source_doc.title, "url": c.source_doc.url, "checked": c.source_doc.checked}
    else:
        out["source"] = {"matrix": c.page + (f"#{c.anchor}" if c.anchor else "")}
    return out


def shown_pages(account: Iterable[NoteAccount]) -> dict[Source, str]:
    """The topic page that shows each block as written (a merge result's `account`), where its notice stands too."""
    return {fate.source: fate.page for note in account for fate in note.blocks if fate.status == SHOWN}
