"""Notes their authors keep off the site: front matter `draft: true` or `publish: false`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import Note
from .normalise import Finding


@dataclass(frozen=True)
class UnpublishedNote:
    """A note left out of the site, and the front-matter field that asked for it."""

    path: str
    field: str  # "draft: true" or "publish: false"
    link_names: tuple[str, ...] = ()  # the names links may give it, to tell its links from links to missing notes
    blocks: int = 0  # the blocks the normaliser made of it, all left out


def unpublished_field(note: Note) -> str | None:
    """The field that keeps a note off the site, or None; the normaliser wrote both as "true" or "false"."""
    meta = dict(note.meta)
    if meta.get("draft") == "true":
        return "draft: true"
    if meta.get("publish") == "false":
        return "publish: false"
    return None


def split_unpublished(
    notes: Sequence[Note], findings: Sequence[Finding] = ()
) -> tuple[list[Note], list[Finding], list[UnpublishedNote]]:
    """The notes to publish and their findings, in their order, and the notes their front matter keeps off the site."""
    published: list[Note] = []
    unpublished: list[UnpublishedNote] = []
    for note in notes:
        field = unpublished_field(note) if note.meta else None
        if field is None:
            published.append(note)
        else:
            unpublished.append(UnpublishedNote(note.path, field, note.link_names,
                                               sum(len(section.blocks) for section in note.sections)))
    left_out = {u.path for u in unpublished}
    return published, [f for f in findings if f.note not in left_out], unpublished
