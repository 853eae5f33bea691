"""Print the block account of each vault: notes, blocks in, shown, merged with a pointer, left out, unaccounted,
and, for vaults of practice questions, the questions and answer options in the notes and on the site.

Usage: python scripts/bench_account.py [NOTES_FOLDER ...]   (default: the seeds and the public vaults beside the
project). Questions are counted as runs of lettered answer options ("- A. …", "- **B.** …"); the notes are read
as the normaliser left them, the site as the topic and other pages show them.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from handbook.account import account_totals
from handbook.merge.result import MERGED
from handbook.paths import NOTES_DIR
from workbench import ROOT, build_in_memory

VAULTS = [ROOT / "data" / "notes", *(ROOT.parent / "shared" / "corpora" / name
                                     for name in ("obsidian-aws", "aws-exam-qa", "aws-services"))]
OPTION = re.compile(r"^[ \t]*(?:[-*+][ \t]+)?(?:\*\*|__)?\(?[A-H][.)](?:\*\*|__)?[ \t]+\S")


def option_runs(lines: list[str]) -> tuple[int, int]:
    """(questions, options): runs of lettered option lines, and the option lines; blank lines and an option's
    own indented lines (a warning placed inside it) do not end a run."""
    questions = options = 0
    in_run = False
    for line in lines:
        if OPTION.match(line):
            options += 1
            questions += not in_run
            in_run = True
        elif line.strip() and not line[:1].isspace():
            in_run = False
    return questions, options


def main(folders: list[Path]) -> None:
    """Build each folder in memory and print one row of the account each."""
    print("| Vault | Notes | Blocks in | Shown | Merged (pointer) | Left out | Unaccounted | Questions in/site "
          "| Options in/site | Seconds |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for folder in folders:
        if not folder.is_dir():
            print(f"| {folder.name} | absent | | | | | | | | |")
            continue
        started = time.perf_counter()
        built = build_in_memory(folder)
        seconds = time.perf_counter() - started
        notes, result = built.normalised.notes, built.merged.result
        totals = account_totals(notes, result, built.normalised.unpublished)
        pages = built.pages
        duplicates = {d.note for d in result.duplicate_notes}
        pointed = sum(1 for account in result.account for fate in account.blocks if fate.status == MERGED
                      and (account.note in duplicates or f"#{fate.anchor})" in pages[result.addresses.page(account.note)]))
        note_lines = [line for note in notes for section in note.sections for block in section.blocks
                      for line in block.markdown.split("\n")]
        site_lines = [line for path, text in pages.items() if not path.startswith(f"{NOTES_DIR}/")
                      and path.startswith(("topics/", "other/")) for line in text.split("\n")]
        q_in, o_in = option_runs(note_lines)
        q_site, o_site = option_runs(site_lines)
        name = "seeds" if folder == VAULTS[0] else folder.name
        print(f"| {name} | {totals.notes:,} | {totals.blocks_in:,} | {totals.shown:,} | {totals.merged:,} "
              f"({pointed:,}) | {totals.left_out:,} | {totals.unaccounted:,} | {q_in:,}/{q_site:,} "
              f"| {o_in:,}/{o_site:,} | {seconds:.1f} |", flush=True)


if __name__ == "__main__":
    main([Path(arg) for arg in sys.argv[1:]] or VAULTS)
