"""The model's records: a record that crosses between processes comes back equal."""

from __future__ import annotations

import pickle

from handbook.model import Asset, Block, Note, Repair, Section, Source


def test_a_note_with_every_field_set_survives_pickling() -> None:
    source = Source("team/a.md", 3)
    note = Note(
        path="team/a.md", title="A", raw="##A\ntext\n", markdown="# A\n\ntext\n",
        sections=(Section("A", 1, Source("team/a.md", 1), (Block("paragraph", "text", source, 0),
                                                          Block("list_item", "- x", Source("team/a.md", 4), 1))),),
        repairs=(Repair("team/a.md", 1, "heading-space", "##A", "## A"),),
        tags=("aws",), aliases=("Alpha",), author="Sam", assets=(Asset("img/x.png", "team/a.md", 5),),
        meta=(("course", "CLF"),),
    )
    copy = pickle.loads(pickle.dumps(note, pickle.HIGHEST_PROTOCOL))
    assert copy == note
    assert type(copy.sections[0].blocks[1].source) is Source
    assert copy.sections[0].blocks[1].depth == 1
