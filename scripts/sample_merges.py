"""Print a fixed random sample of the block merges of a notes folder, for checking by hand.

Usage: python scripts/sample_merges.py NOTES_FOLDER [--size 50] [--seed 22]

Each entry shows the merged block and its twin (the version shown), each with its note, line and the headings
it stands under, and the rule that merged them. Reading one entry answers: does the twin, where it stands,
say everything the merged block said where it stood? The same folder, size and seed give the same sample.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from handbook.merge.result import MERGED
from handbook.model import Note, Source
from workbench import build_in_memory


def headings_above(note: Note, source: Source) -> str:
    """The note's title and the heading of the section holding the block at `source`."""
    for section in note.sections:
        if any(block.source == source for block in section.blocks):
            return note.title if section.title == note.title else f"{note.title} › {section.title}"
    return note.title


def block_at(note: Note, source: Source) -> str:
    """The Markdown of the block at `source`."""
    return next(b.markdown for s in note.sections for b in s.blocks if b.source == source)


def main() -> None:
    """Build the folder in memory and print the sample."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notes", type=Path)
    parser.add_argument("--size", type=int, default=50)
    parser.add_argument("--seed", type=int, default=22)
    args = parser.parse_args()
    built = build_in_memory(args.notes)
    notes = {note.path: note for note in built.normalised.notes}
    merged = [fate for account in built.merged.result.account for fate in account.blocks if fate.status == MERGED]
    sample = sorted(random.Random(args.seed).sample(merged, min(args.size, len(merged))), key=lambda f: f.source)
    print(f"{len(sample)} of {len(merged)} merged blocks, seed {args.seed}\n")
    for number, fate in enumerate(sample, 1):
        assert fate.twin is not None
        mine, twin = notes[fate.source.note], notes[fate.twin.note]
        print(f"## {number}. {fate.rule}")
        print(f"merged  {fate.source}  [{headings_above(mine, fate.source)}]")
        print("   " + block_at(mine, fate.source).replace("\n", "\n   "))
        print(f"twin    {fate.twin}  [{headings_above(twin, fate.twin)}]  shown on {fate.page}#{fate.anchor}")
        print("   " + block_at(twin, fate.twin).replace("\n", "\n   "))
        print()


if __name__ == "__main__":
    main()
