"""The block account: what became of every block of every note, for the build report, report.json and the
pointers a note's page shows where a block of it merged into a twin.

Every block the normaliser made of a published note is shown, or merged into a kept twin (the twin credits
the note, and the note's page links to it); every block of an unpublished note is left out, and why is said;
notes in hidden folders are not read at all. The totals count the blocks in from the notes themselves, so
"unaccounted" is a check, not a difference that is zero by construction.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from .load import HiddenNotes
from .merge import MergeResult
from .merge.result import LEFT_OUT, MERGED, SHOWN, BlockFate, NoteAccount
from .model import Note, Source
from .pages import capped_rows
from .paths import rel_link
from .publish import UnpublishedNote
from .templating import count, list_text, md_cell, path_cell



@dataclass(frozen=True)
class AccountTotals:
    """One row of the account: notes and blocks, and what became of the blocks."""

    notes: int
    blocks_in: int
    shown: int
    merged: int
    left_out: int

    @property
    def unaccounted(self) -> int:
        """Blocks in that are neither shown, merged nor left out: always 0 unless a stage lost one."""
        return self.blocks_in - self.shown - self.merged - self.left_out


def block_count(note: Note) -> int:
    """The blocks the normaliser made of a note."""
    return sum(len(section.blocks) for section in note.sections)


def account_totals(notes: Sequence[Note], result: MergeResult, unpublished: Sequence[UnpublishedNote]) -> AccountTotals:
    """The whole build's account; blocks in are counted from the notes, the rest from the merge's account."""
    shown = sum(n.shown for n in result.account)
    merged = sum(n.merged for n in result.account)
    unpublished_blocks = sum(u.blocks for u in unpublished)
    left_out = unpublished_blocks + sum(n.left_out for n in result.account)
    blocks_in = sum(map(block_count, notes)) + unpublished_blocks
    return AccountTotals(len(notes) + len(unpublished), blocks_in, shown, merged, left_out)


def merged_pointers(result: MergeResult, titles: Mapping[tuple[str, str | None], str]) -> dict[Source, tuple[str, ...]]:
    """For each block merged into a twin: the line its note's page shows after it, linking to where the twin is.

    A duplicate note gets none: the box at the top of its page already says which note it repeats."""
    duplicates = {d.note for d in result.duplicate_notes}
    pointers: dict[Source, tuple[str, ...]] = {}
    for note in result.account:
        if note.note in duplicates:
            continue
        for fate in note.blocks:
            if fate.status == MERGED:
                pointers[fate.source] = (_pointer(fate, result, titles),)
    return pointers


def _pointer(fate: BlockFate, result: MergeResult, titles: Mapping[tuple[str, str | None], str]) -> str:
    twin = fate.twin
    assert twin is not None, "a merged block has a twin"
    where = titles.get((fate.page, fate.anchor)) or titles.get((fate.page, None), fate.page)
    page_title = titles.get((fate.page, None), fate.page)
    if where != page_title:
        where = f"{page_title} › {where}"
    twin_text = (f"line {twin.line} of this note" if twin.note == fate.source.note
                 else f"the same point in [{md_cell(result.title_of(twin.note))}](page:{result.addresses.page(twin.note)})")
    return (f'<small class="handbook-merged">Merged with {twin_text}, shown in '
            f"[{md_cell(where)}](page:{fate.page}#{fate.anchor}).</small>")


def render_block_account(totals: AccountTotals, result: MergeResult, unpublished: Sequence[UnpublishedNote],
                         hidden: Sequence[HiddenNotes], from_page: str, limit: int | None) -> str:
    """The report section that accounts for every block: totals, then one row per note."""
    rows = [
        "## Block account { #block-account }", "",
        "What became of every block (paragraph, list item, table, code block…) of every note: shown on a page, "
        "merged into a kept twin that says the same (the twin credits the note, and the note's page links to it "
        "where the block stood), or left out for the reason given. Notes in hidden folders, or kept out by the vault's settings, are not read.", "",
        "| Notes | Blocks in | Shown | Merged into a twin | Left out | Unaccounted |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {totals.notes:,} | {totals.blocks_in:,} | {totals.shown:,} | {totals.merged:,} | {totals.left_out:,} "
        f"| {totals.unaccounted:,} |", "",
        "| Note | Blocks | Shown | Merged | Left out | Why left out |", "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    lines = [*((f"[{list_text(n.note)}]({rel_link(from_page, result.addresses.page(n.note))})", len(n.blocks), n.shown,
                n.merged, n.left_out, _reasons(n)) for n in result.account),
             *((path_cell(u.path), u.blocks, 0, 0, u.blocks, f"unpublished: `{u.field}`") for u in unpublished),
             *((path_cell(h.path), "not read", 0, 0, "–", f"{h.reason.replace('|', chr(92) + '|')} ({count(h.notes, 'note')})")
               for h in hidden)]
    rows += capped_rows(lines, lambda r: "| " + " | ".join(map(str, r)) + " |", limit)
    return "\n".join(rows)


def _reasons(note: NoteAccount) -> str:
    """Why the note's left-out blocks are left out, each reason once."""
    return "; ".join(md_cell(reason) for reason in dict.fromkeys(
        fate.reason for fate in note.blocks if fate.status == LEFT_OUT and fate.reason))


def account_json(totals: AccountTotals, result: MergeResult, unpublished: Sequence[UnpublishedNote],
                 hidden: Sequence[HiddenNotes]) -> dict:
    """The account as plain JSON data for report.json (the blocks as a generator, written as they come)."""
    return {
        "totals": {"notes": totals.notes, "blocks_in": totals.blocks_in, "shown": totals.shown,
                   "merged": totals.merged, "left_out": totals.left_out, "unaccounted": totals.unaccounted},
        "notes": _notes_json(result, unpublished),
        "hidden": [{"path": h.path, "notes": h.notes, "reason": f"{h.reason}: not read"} for h in hidden],
    }


def _notes_json(result: MergeResult, unpublished: Sequence[UnpublishedNote]) -> Iterator[dict]:
    for note in result.account:
        yield {"note": note.note, "blocks": len(note.blocks), "shown": note.shown, "merged": note.merged,
               "left_out": note.left_out, "fates": [_fate_json(fate) for fate in note.blocks]}
    for left_out in unpublished:
        yield {"note": left_out.path, "blocks": left_out.blocks, "shown": 0, "merged": 0, "left_out": left_out.blocks,
               "reason": f"unpublished: {left_out.field}"}


def _fate_json(fate: BlockFate) -> dict:
    out = {"line": fate.source.line, "kind": fate.kind, "status": fate.status, "page": fate.page,
           "anchor": fate.anchor}
    if fate.status == MERGED and fate.twin is not None:
        out |= {"twin": {"note": fate.twin.note, "line": fate.twin.line}, "rule": fate.rule}
    if fate.status == LEFT_OUT:
        out["reason"] = fate.reason
    return out


__all__ = ["LEFT_OUT", "MERGED", "SHOWN", "AccountTotals", "account_json", "account_totals", "block_count",
           "merged_pointers", "render_block_account"]
