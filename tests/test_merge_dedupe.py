"""Deduplication: whole notes, sections, blocks and sentences; fact guards; the canonical rule; determinism."""

from __future__ import annotations

import random

import pytest

from handbook.footnotes import defined_labels
from handbook.merge import NEAR_DUPLICATE, load_topics, merge_notes, render_topic_pages
from handbook.merge.guards import Lexicon, fact_signature, guard_conflict
from handbook.merge.lsh import similarity
from handbook.merge.text import comparison_text, words
from handbook.model import Source
from tests.conftest import DATA, PROJECT, norm, seed_notes



@pytest.fixture(scope="module")
def outline():
    return load_topics(DATA)


def _pair(outline, left: str, right: str, swap: bool = False):
    paths = ("b.md", "a.md") if swap else ("a.md", "b.md")
    # Each note also says something of its own, so that neither is a duplicate of the other as a whole; that
    # sentence cites the footnotes the text defines, as the normaliser keeps only a definition its note uses.
    notes = [norm("# Shared responsibility model\nNotes from the first workshop on cloud security."
                  f"{_citing(left)}\n## AWS Responsibilities\n{left}\n", path=paths[0]),
             norm("# Shared responsibility model\nReading list for the certification exam in spring."
                  f"{_citing(right)}\n## Customer Responsibilities\n{right}\n", path=paths[1])]
    return merge_notes(notes, outline)


def _citing(text: str) -> str:
    """References to the footnotes that `text` defines."""
    return "".join(f"[^{label}]" for label in sorted(defined_labels(text)))


MUST_MERGE = [
    ("AWS is responsible for security of the cloud.", "AWS is responsible for the security of the cloud"),
    ("Customers are responsible for security in the cloud.", "Customers are responsible for the security in the cloud."),
    ("Availability Zones are designed to be fault tolerant.", "Availability Zones are designed to be fault-tolerant"),
    ("AWS manages the underlying infrastructure and foundation services.",
     "AWS manages the infrastructure and foundation services."),
    ("Core applications are deployed in an N+1 configuration", "Core applications are deployed in a N+1 configuration."),
    ("You are responsible for choosing the AZs in the same region", "You are responsible for choosing AZs in the same region."),
    ("AWS is responsible for security of the cloud.",
     "AWS is responsible for the security of the cloud. This covers the hardware and the facilities."),
]

MUST_NOT_MERGE = [
    ("AWS is responsible for patching the guest operating system of its managed databases.",
     "The customer is responsible for patching the guest operating system of its managed databases.", "actor"),
    ("Data is replicated across regions by default.", "Data is not replicated across regions by default.", "negation"),
    ("Core applications are deployed in an N+1 configuration", "Core applications are deployed in an N+2 configuration",
     "number"),
    ("Infrastructure services such as Amazon EC2 give you full control of the operating system.",
     "Container services such as Amazon EC2 give you full control of the operating system.", "category"),
    ("Infrastructure services: EC2", "Abstracted services: S3", "category"),
    ("You can encrypt the data stored in Amazon EC2 volumes.", "You can encrypt the data stored in Amazon EBS volumes.",
     "service"),
    ("Staff operators provide support 24 hours a day for incidents.",
     "Staff operators provide support 12 hours a day for incidents.", "number"),
    ("AWS can access the data stored in your account.", "AWS cannot access the data stored in your account.", "negation"),
    ("The customer is responsible for the guest operating system and the firewall.",
     "AWS is responsible for the guest operating system and the firewall.", "actor"),
    ("For more info, check [the policy](https://aws.amazon.com/aup/) before you scan ports.",
     "For more info, check [the policy](https://aws.amazon.com/partners/) before you scan ports.", "link"),
    ("[^wp]: From the AWS whitepaper on the shared responsibility model.",
     "From the AWS whitepaper on the shared responsibility model.", "footnote"),
    ("[^wp]: From the AWS whitepaper on the shared responsibility model.",
     "[^src]: From the AWS whitepaper on the shared responsibility model.", "footnote"),
    ("Control of inbound network traffic to your instances is the job of security groups.",
     "Control of outbound network traffic to your instances is the job of security groups.", "direction"),
    ("Customers are responsible for the security in the cloud that they configure.",
     "Customers are responsible for the security of the cloud that they configure.", "direction"),
    ("Data transfer to Amazon S3 from the internet costs nothing in any region.",
     "Data transfer from Amazon S3 to the internet costs nothing in any region.", "direction"),
    ("aws autoscaling enter-standby moves instances from the group to standby mode for maintenance.",
     "aws autoscaling exit-standby moves instances from the group out of standby mode for maintenance.",
     "direction"),
    ("Uploads to the bucket are encrypted with keys that the customer manages and rotates.",
     "Downloads from the bucket are encrypted with keys that the customer manages and rotates.", "direction"),
]


@pytest.mark.parametrize("swap", [False, True], ids=["forward", "backward"])
@pytest.mark.parametrize(("left", "right"), MUST_MERGE)
def test_near_duplicates_merge(outline, left, right, swap):
    result = _pair(outline, left, right, swap)
    assert result.counts.merged == 1, [m.rule for m in result.merges]
    (record,) = result.merges
    first, second = (right, left) if swap else (left, right)  # the text in a.md, then the one in b.md
    words_first, words_second = (len(comparison_text(t).split()) for t in (first, second))
    assert record.kept == (second if words_second > words_first else first)


@pytest.mark.parametrize("swap", [False, True], ids=["forward", "backward"])
@pytest.mark.parametrize(("left", "right", "guard"), MUST_NOT_MERGE)
def test_different_facts_never_merge(outline, left, right, guard, swap):
    first, second = (right, left) if swap else (left, right)
    lexicon = Lexicon(outline.fact_terms)
    signatures = [fact_signature(words(t), t, lexicon) for t in (first, second)]
    assert guard_conflict(*signatures) == guard
    result = _pair(outline, left, right, swap)
    assert result.counts.merged == 0
    similar = similarity(comparison_text(left), comparison_text(right)) >= NEAR_DUPLICATE
    # Pairs similar enough to merge otherwise are listed for the audit with the guard that stopped them.
    assert [g.guard for g in result.guarded] == ([guard] if similar else [])


def test_truncated_copy_is_a_duplicate_note_and_its_blocks_map_to_the_full_note(outline):
    notes = seed_notes()
    result = merge_notes(notes, outline)
    (duplicate,) = result.duplicate_notes
    assert (duplicate.note[:3], duplicate.duplicate_of[:3], duplicate.kind) == ("002", "003", "contained")
    assert duplicate.score >= 0.9
    note_002 = next(n for n in notes if n.path.startswith("002"))
    note_003 = next(n for n in notes if n.path.startswith("003"))
    for section in note_002.sections:
        for block in section.blocks:
            twin = Source(note_003.path, block.source.line)  # 002 is 003 cut short, line for line
            assert result.block_home(block.source) == result.block_home(twin)
    assert result.note_home(note_002.path) == result.note_home(note_003.path)


def test_identical_notes_are_exact_duplicates(outline):
    text = "# Lambda\nRuns code without servers and bills per request.\n"
    result = merge_notes([norm(text, path="README.md"), norm(text, path="Main.md")], outline)
    assert [(d.note, d.duplicate_of, d.kind) for d in result.duplicate_notes] == [("README.md", "Main.md", "exact")]
    assert [p.note for p in result.other_pages] == ["Main.md"]


def test_identical_files_titled_by_their_names_are_exact_duplicates(outline):
    # Text comes before the first heading, so each note is titled by its file name; the text is what they share.
    text = "Runs code without servers and bills per request.\n\n## Pricing\nPer request and per millisecond.\n"
    readme, main = norm(text, path="README.md"), norm(text, path="Main.md")
    assert (readme.title, main.title) == ("README", "Main")
    result = merge_notes([readme, main], outline)
    assert [(d.note, d.duplicate_of, d.kind) for d in result.duplicate_notes] == [("README.md", "Main.md", "exact")]
    other = norm(text.replace("## Pricing", "## Costs"), path="Other.md")
    result = merge_notes([main, other], outline)
    assert [d.kind for d in result.duplicate_notes] != ["exact"]  # other headings: not the same note


def test_section_repeated_in_another_note_is_merged_at_section_level(outline):
    body = ("Regions are made up of several Availability Zones.\n\nEach Availability Zone is an isolated location.\n\n"
            "Data stays in the region where you store it.\n\nRegions are far apart from each other.\n")
    first = norm("# Shared responsibility model\nWorkshop notes from Tuesday afternoon about regions.\n"
                 f"## AWS Responsibilities\n{body}", path="a.md")
    second = norm("# Shared responsibility model\nMy notes on the global network.\n"
                  f"## Where my data lives\n{body}\nExtra fact about Local Zones here.\n", path="b.md")
    result = merge_notes([first, second], outline)
    (record,) = [m for m in result.merges if m.level == "section"]
    assert (record.rule, record.canonical, record.merged, record.score) == (
        "section-contained>=0.8", Source("b.md", 3), (Source("a.md", 3),), 1.0)
    # The whole section now lives where the more complete one went, instead of being split over two pages:
    # what both notes say under the topic's title, what only the more complete one says under its heading.
    page = "topics/global-infrastructure.md"
    assert result.block_home(Source("a.md", 4)) == (page, "regions-and-availability-zones")
    assert result.block_home(Source("b.md", 12)) == (page, "where-my-data-lives")
    assert result.note_home("a.md", "AWS Responsibilities") == (page, "regions-and-availability-zones")


@pytest.mark.parametrize(("versions", "winner"), [
    ([("a.md", "AWS is responsible for security of the cloud"),
      ("b.md", "AWS is responsible for the security of the cloud")], "b.md"),  # more words
    # fewer unshared words: a slip into another real word, which the normaliser's spelling repairs leave alone
    ([("a.md", "AWS is responsible for the security of then cloud"),
      ("b.md", "AWS is responsible for the security of the cloud")], "b.md"),
    ([("b.md", "AWS is responsible for the security of the cloud."),
      ("a.md", "AWS is responsible for the **security** of the cloud")], "a.md"),  # earlier path
])
def test_canonical_rule(outline, versions, winner):
    notes = [norm(f"# Shared responsibility model\n## AWS Responsibilities\n{text}\n", path=path)
             for path, text in versions]
    result = merge_notes(notes, outline)
    (record,) = result.merges
    assert record.canonical.note == winner
    (section,) = [s for p in result.pages for s in p.sections if s.blocks]
    (block,) = section.blocks
    assert block.sources[0].note == winner and len(block.sources) == 2


def test_canonical_rule_keeps_the_wording_two_notes_write_over_one_notes(outline):
    # One word differs between the two wordings, so neither has fewer words of its own; but a word one note
    # alone writes is the likelier slip, so the wording b.md and c.md both write is shown, though a.md comes first.
    statement = ("If a Lambda function needs to call other AWS services, you need to {} an IAM role that it can "
                 "assume at execution time.")
    notes = [norm(f"# Shared responsibility model\n## Compliance\n{statement.format(verb)}\n", path=path)
             for path, verb in (("a.md", "make"), ("b.md", "create"), ("c.md", "create"))]
    result = merge_notes(notes, outline)
    (section,) = [s for p in result.pages for s in p.sections if s.blocks]
    (block,) = section.blocks
    assert [s.note for s in block.sources] == ["b.md", "a.md", "c.md"]
    assert "you need to create an IAM role" in block.block.markdown
    assert [(source.note, "you need to make" in text) for source, text in block.variants] == [("a.md", True)]


def test_nested_item_of_a_merged_parent_moves_under_the_kept_parent(outline):
    first = norm("# Shared responsibility model\n## AWS Responsibilities\n"
                 "- AWS looks after the physical security of its buildings\n    - guards\n", path="a.md")
    second = norm("# Shared responsibility model\n## Physical security\n"
                  "- AWS looks after the physical security of its buildings\n    - cameras\n", path="b.md")
    result = merge_notes([first, second], outline)
    (section,) = [s for p in result.pages for s in p.sections if s.blocks]
    assert [(b.block.markdown, b.depth) for b in section.blocks] == [
        ("- AWS looks after the physical security of its buildings", 0), ("- guards", 1), ("- cameras", 1)]


def test_short_list_items_never_merge_one_by_one(outline):
    # "EC2" means "an infrastructure service" in one list and "a container service" in the other; and in two
    # lists under one heading, each list is its note's.
    notes = [norm("# Shared responsibility model\n## Infrastructure services\n- EC2\n- VPC\n", path="a.md"),
             norm("# Shared responsibility model\n## Container services\n- EC2\n- RDS\n", path="b.md"),
             norm("# Shared responsibility model\n## Infrastructure services\n- EC2\n", path="c.md")]
    result = merge_notes(notes, outline)
    assert result.merges == ()


def _render(notes, outline) -> dict[str, str]:
    result = merge_notes(notes, outline)
    return {f.path: f.content for f in render_topic_pages(result)}


def test_shuffled_input_gives_identical_output(outline):
    notes = seed_notes()
    expected = _render(notes, outline)
    for seed in range(3):
        shuffled = list(notes)
        random.Random(seed).shuffle(shuffled)
        assert _render(shuffled, outline) == expected


def test_output_does_not_depend_on_the_hash_seed(tmp_path):
    import os
    import subprocess
    import sys

    script = ("import hashlib,sys;from pathlib import Path;from handbook.merge import *;"
              "from tests.conftest import seed_notes;"
              "r=merge_notes(seed_notes(),load_topics(Path('data')));"
              "print(hashlib.sha256(repr([(f.path,f.content) for f in render_topic_pages(r)]).encode()+"
              "repr(merge_report(r)).encode()).hexdigest())")
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": os.pathsep.join([str(PROJECT / "scripts"), str(PROJECT)])}
        out = subprocess.run([sys.executable, "-c", script], cwd=PROJECT, env=env, capture_output=True, text=True,
                             check=True)
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_candidate_search_is_not_all_pairs(monkeypatch):
    from types import SimpleNamespace

    from handbook.merge import lsh

    calls = []
    real = lsh.Indel.normalized_similarity

    def counting(left, right, score_cutoff=None):
        calls.append(1)
        return real(left, right, score_cutoff=score_cutoff)

    monkeypatch.setattr(lsh, "Indel", SimpleNamespace(normalized_similarity=counting))
    rng = random.Random(7)
    vocabulary = [f"word{n}" for n in range(300)]
    texts = [" ".join(rng.choice(vocabulary) for _ in range(12)) for _ in range(2000)]
    texts += [text + " again" for text in texts[:200]]  # 200 real near-duplicates
    tokens = [tuple(t.split()) for t in texts]
    leader_of, _ = lsh.leader_clusters(texts, tokens, [()] * len(texts), NEAR_DUPLICATE, lambda a, b: None)
    assert sum(1 for i, leader in enumerate(leader_of) if leader != i) == 200
    assert len(calls) <= lsh.MAX_CANDIDATES * len(texts) < len(texts) ** 2 / 100
