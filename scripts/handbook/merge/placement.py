"""Assignment stage: each note section goes to a topic section or its note's own page (rules: handbook.merge.assign)."""

from __future__ import annotations

from typing import Mapping

from ..model import record
from .assign import Assigner, Assignment
from .corpus import Corpus, Destination, OtherDestination, Progress, TopicDestination
from .outline import Outline
from .text import sentences


@record
class Placement:
    """Per note section (index into Corpus.sections): its assignment and destination; and the blocks placed
    elsewhere than their section (item -> destination)."""

    assignments: tuple[Assignment, ...]
    destinations: tuple[Destination, ...]
    moved: Mapping[int, Destination]


def place_sections(corpus: Corpus, outline: Outline, progress: Progress) -> Placement:
    """Assign every note section, then move each closing lead-in to the sub-sections it introduces."""
    assigner = Assigner(outline)
    assignments: list[Assignment] = []
    for done, note in enumerate(corpus.notes):
        if done % 500 == 0:
            progress("assign", done, len(corpus.notes))
        groups = corpus.note_sections[done]
        assignments.extend(assigner.assign_note(note, lambda index: tuple(
            t for i in corpus.sections[groups[index]].items for t in corpus.items[i].tokens)))
    progress("assign", len(corpus.notes), len(corpus.notes))
    destinations = tuple(
        TopicDestination(assignment.topic) if assignment.topic else OtherDestination(ref.note, ref.index)
        for ref, assignment in zip(corpus.sections, assignments))
    moved: dict[int, Destination] = {}
    for g in range(len(corpus.sections) - 1):
        lead_in = _lead_in_destination(corpus, outline, destinations, g)
        if lead_in is not None:
            moved[corpus.sections[g].items[-1]] = lead_in
    return Placement(tuple(assignments), destinations, moved)


def _lead_in_destination(corpus: Corpus, outline: Outline, destinations: tuple[Destination, ...],
                         g: int) -> TopicDestination | None:
    """A section's closing 'categorised into three types:' introduces its sub-sections: it goes with them."""
    here, after = corpus.sections[g], corpus.sections[g + 1]
    ids, next_destination = here.items, destinations[g + 1]
    if not ids or here.note != after.note or not isinstance(next_destination, TopicDestination) \
            or destinations[g] == next_destination:
        return None
    last = corpus.items[ids[-1]].block
    note = corpus.notes[here.note]
    if len(ids) < 2 or last.kind != "paragraph" or not last.markdown.rstrip().endswith(":") \
            or len(sentences(last.markdown)) != 1 \
            or note.sections[after.index].level <= note.sections[here.index].level:
        return None
    target = outline.section(next_destination.topic)
    if target.level > 2:
        earlier = [t for t in outline.sections if t.order < target.order and t.level < target.level]
        target = earlier[-1] if earlier else target
    return TopicDestination(target.id)
