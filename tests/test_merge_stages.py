"""The merge stages one by one: each takes what the earlier ones returned and hands on a frozen record."""

from __future__ import annotations

import dataclasses

import pytest

from handbook.merge import load_topics, merge_notes
from handbook.merge.corpus import Clusters, OtherDestination, TopicDestination, read_corpus
from handbook.merge.guards import subjects
from handbook.merge.place import bound_to_place
from handbook.merge.dedupe import choose_canonicals, dedupe_blocks, dedupe_notes, dedupe_sections
from handbook.merge.guards import Lexicon
from handbook.merge.layout import lay_out
from handbook.merge.placement import place_sections
from handbook.merge.settings import EXACT_HASH_RULE, MERGE_RULES, NOTE_CONTAINED_RULE, NOTE_EXACT_RULE
from tests.conftest import DATA, norm


NOTES = [
    norm(path="b.md", text="# IAM\n\nIAM users sign in with a password and an MFA device.\n\n"
                           "## Cooking\n\nBoil the pasta for ten minutes in salted water.\n"),
    norm(path="a.md", text="# IAM\n\nIAM users sign in with a password and an MFA device.\n\n"
                           "## Cooking\n\nBoil the pasta for ten minutes in salted water.\n"),
    norm(path="c.md", text="# Identity and Access Management\n\n"
                           "IAM users sign in with a password and an MFA device.\n\n- users\n- roles\n"),
]


@pytest.fixture(scope="module")
def outline():
    return load_topics(DATA)


def _silent(stage, done, total):
    pass


def test_each_stage_reads_only_the_results_it_is_given(outline):
    corpus = read_corpus(NOTES)
    assert [note.path for note in corpus.notes] == ["a.md", "b.md", "c.md"]
    assert [item.index for item in corpus.items] == list(range(len(corpus.items)))
    assert all(corpus.items[i].section == g for g, ref in enumerate(corpus.sections) for i in ref.items)

    clusters = Clusters(len(corpus.items))
    lexicon = Lexicon(outline.fact_terms)
    bound = bound_to_place(corpus, lexicon)
    notes = dedupe_notes(corpus, clusters, bound, _silent)
    assert [(d.note, d.duplicate_of, d.kind) for d in notes.duplicates] == [("b.md", "a.md", "exact")]
    assert dict(notes.duplicate_of) == {1: 0}
    assert set(clusters.rule_of.values()) == {NOTE_EXACT_RULE}

    placement = place_sections(corpus, outline, _silent)
    assert len(placement.destinations) == len(placement.assignments) == len(corpus.sections)
    for ref, assignment, destination in zip(corpus.sections, placement.assignments, placement.destinations):
        expected = TopicDestination(assignment.topic) if assignment.topic else OtherDestination(ref.note, ref.index)
        assert destination == expected

    guarded = dedupe_blocks(corpus, clusters, notes, placement.destinations, lexicon, bound,
                            subjects(corpus, lexicon), _silent)
    assert guarded == ()
    assert EXACT_HASH_RULE in clusters.rule_of.values()  # c.md says the IAM sentence too

    sections = dedupe_sections(corpus, clusters, notes)
    canonicals = choose_canonicals(corpus, clusters)
    assert all(canonicals.canonical[c.canonical] == c.canonical for c in canonicals.clusters)
    assert all(canonicals.canonical[m] == c.canonical for c in canonicals.clusters for m in c.members)

    layout = lay_out(corpus, placement, sections, canonicals)
    shown = [placed.item for dest in layout.groups for placed in layout.blocks(dest)]
    kept = [i for i, c in enumerate(canonicals.canonical) if c == i]
    assert sorted(shown) == kept  # every kept block exactly once, no merged one


def test_stage_results_are_frozen(outline):
    corpus = read_corpus(NOTES)
    placement = place_sections(corpus, outline, _silent)
    for record in (corpus, corpus.items[0], corpus.sections[0], placement, placement.destinations[0]):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(record, dataclasses.fields(record)[0].name, None)


def test_a_destination_is_a_value_not_a_tagged_tuple():
    assert TopicDestination("iam-basics") == TopicDestination("iam-basics")
    assert OtherDestination(0, 1) != TopicDestination("iam-basics")
    assert len({TopicDestination("x"), TopicDestination("x"), OtherDestination(0, 0)}) == 2


def test_clusters_record_the_rule_of_each_join_once():
    clusters = Clusters(4)
    clusters.merge(1, 0, EXACT_HASH_RULE, 1.0)
    clusters.merge(1, 0, NOTE_CONTAINED_RULE, 0.5)  # already together: nothing changes
    clusters.merge(3, 1, NOTE_CONTAINED_RULE, 0.95)
    assert [clusters.find(i) for i in range(4)] == [0, 0, 2, 0]
    assert clusters.rule_of == {1: EXACT_HASH_RULE, 3: NOTE_CONTAINED_RULE}
    assert clusters.score_of == {1: 1.0, 3: 0.95}


def test_rule_ids_are_distinct_and_the_progress_is_reported_per_stage(outline):
    assert len({rule.id for rule in MERGE_RULES}) == len(MERGE_RULES)
    seen = []
    merge_notes(NOTES, outline, lambda stage, done, total: seen.append(stage))
    assert list(dict.fromkeys(seen)) == ["notes", "assign", "blocks", "layout"]


def test_notes_are_read_in_the_order_the_notes_pages_list_them() -> None:
    notes = [norm(f"# Note {n}\n\nText of note number {n} about the shared model.\n", path=f"{n}.md") for n in (13, 2, 1)]
    assert [note.path for note in read_corpus(notes).notes] == ["1.md", "2.md", "13.md"]
