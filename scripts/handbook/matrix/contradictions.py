"""Find note text that the matrix data contradicts, using the rules in contradictions.yml."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import Block, Section, Source
from ..pages import capped_rows
from ..paths import NoteAddresses, rel_link
from ..templating import id_code, source_link
from .model import DEFAULT_NOTICE_KIND, NOTICE_KINDS, Matrix, Rule
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


def _all_match(patterns, text: str) -> bool:
    return all(p.search(text) for p in patterns)


def _any_match(patterns, text: str) -> bool:
    return any(p.search(text) for p in patterns)


def _found(rule: Rule, block: Block, claim: str) -> Contradiction:
    return Contradiction(rule=rule.id, source=block.source, claim=shorten(claim), message=rule.message,
                         page=rule.page, anchor=rule.anchor, kind=rule.kind)


def _block_hits(rule: Rule, copies: dict[tuple[str, str], list[Block]]) -> list[Contradiction]:
    """Blocks whose text the rule matches; `copies` groups the blocks by (text, kind), each group checked once."""
    hits = []
    for (markdown, kind), blocks in copies.items():
        if rule.kinds and kind not in rule.kinds:
            continue
        text = plain_text(markdown)
        if _all_match(rule.patterns, text) and not _any_match(rule.absent, text):
            hits.extend(_found(rule, block, text) for block in blocks)
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
    copies: dict[tuple[str, str], list[Block]] = {}
    for block in all_blocks.values():
        copies.setdefault((block.markdown, block.kind), []).append(block)
    found: dict[tuple[str, int, str], Contradiction] = {}
    for rule in matrix.rules:
        if rule.scope == "block":
            hits = _block_hits(rule, copies)
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
    if from_page is None:
        target = f"page:{c.page}" + (f"#{c.anchor}" if c.anchor else "")
    else:
        target = rel_link(from_page, c.page, c.anchor)
    kind = NOTICE_KINDS[c.kind]
    return (
        f'!!! {kind.admonition} "{kind.title}"\n'
        "\n"
        f"    {md_text(c.message)} [See the responsibility matrix]({target}).\n"
    )


def contradiction_report(contradictions: Sequence[Contradiction], from_page: str, limit: int | None = None,
                         addresses: NoteAddresses = NoteAddresses()) -> str:
    """A Markdown table of contradictions for the build report: where, which rule, the claim and a link (at
    most `limit` rows)."""
    if not contradictions:
        return "No note contradicts the responsibility matrix.\n"

    def row(c: Contradiction) -> str:
        target = rel_link(from_page, c.page, c.anchor)
        return (f"| {source_link(c.source, from_page, addresses)} | {id_code(c.rule)} | {NOTICE_KINDS[c.kind].title} | "
                f"{md_text(c.claim)} | [{md_text(c.message)}]({target}) |")

    return "\n".join(["| Note | Rule | Notice | Claim | Matrix |", "| --- | --- | --- | --- | --- |",
                      *capped_rows(contradictions, row, limit)]) + "\n"
