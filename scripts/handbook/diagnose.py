"""When MkDocs cannot build a note's page, find the line of the note that breaks it.

Run only after a failed build: the note's blocks are read again with the site's own Markdown
settings, one growing prefix at a time (by bisection), each followed by a marker heading. The first
block after which reading fails, or the marker no longer shows as a heading (an HTML block left
open swallows the rest of the page), is the line to fix.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from .model import Note, Source

_MARKER = "handbook-marker-heading"


def site_markdown(config_file: Path) -> Callable[[str], str]:
    """Python-Markdown with the extensions and settings mkdocs.yml lists, as a text → HTML function."""
    import markdown
    from mkdocs.config import load_config

    config = load_config(str(config_file))
    converter = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    return lambda text: converter.reset().convert(text)


def _pieces(note: Note) -> list[tuple[Source, str]]:
    pieces = []
    for section in note.sections:
        if section.heading:
            pieces.append((section.source, section.heading))
        pieces.extend((block.source, block.markdown) for block in section.blocks)
    return pieces


def _reads(convert: Callable[[str], str], pieces: Sequence[tuple[Source, str]]) -> bool:
    text = "\n\n".join(markdown for _, markdown in pieces) + f"\n\n## {_MARKER}\n"
    try:
        html = convert(text)
    except Exception:  # noqa: BLE001 - an extension failing on the text is what is being looked for
        return False
    return f'<h2 id="{_MARKER}"' in html  # the table of contents gives every heading its slug as id


def breaking_line(note: Note, convert: Callable[[str], str]) -> Source | None:
    """Where in `note` the text stops reading as Markdown, or None when all of it reads."""
    pieces = _pieces(note)
    if _reads(convert, pieces):
        return None
    low, high = 0, len(pieces)  # pieces[:low] read; pieces[:high] do not
    while high - low > 1:
        middle = (low + high) // 2
        if _reads(convert, pieces[:middle]):
            low = middle
        else:
            high = middle
    return pieces[high - 1][0] if high else None


def note_locator(notes: Sequence[Note], config_file: Path, shown: str) -> Callable[[str], tuple[str, int] | None]:
    """A function from a generated page ('handbook/notes/a.md') to the note file and line that break it."""
    from .paths import GENERATED_DIR, note_addresses

    addresses = note_addresses(note.path for note in notes)
    by_page = {f"{GENERATED_DIR}/{addresses.page(note.path)}": note for note in notes}
    converters: list[Callable[[str], str]] = []  # made on the first failure only

    def locate(page: str) -> tuple[str, int] | None:
        note = by_page.get(page)
        if note is None:
            return None
        if not converters:
            converters.append(site_markdown(config_file))
        found = breaking_line(note, converters[0])
        return (f"{shown}/{found.note}", found.line) if found else None

    return locate
