"""A topic section reads as one document: leads first, then lists, then details and examples (merge/layout.py)."""

from __future__ import annotations

from handbook.merge import load_topics, merge_notes
from handbook.merge.layout import is_lead
from tests.conftest import DATA, norm


def shown_texts(notes) -> list[str]:
    """The first line of every block of the page that shows the first note's first block, in page order."""
    result = merge_notes(notes, load_topics(DATA))
    for page in result.pages:
        for section in page.sections:
            texts = [b.block.markdown.split("\n")[0] for b in section.blocks]
            if any("Marker" in t for t in texts):
                return texts
    raise AssertionError("no section shows the notes")


def test_a_lead_says_what_something_is_or_names_the_concept():
    assert is_lead("The shared responsibility model is a split of duties between AWS and you.", "paragraph")
    assert is_lead("Security groups are the firewall of an instance.", "paragraph")
    assert is_lead("AWS runs the hardware, you run the rest. This is known as the shared model.", "paragraph")
    assert is_lead("Security in the cloud refers to what you configure.", "paragraph")
    assert is_lead("The duties split in two (commonly referred to as “of” and “in” the cloud).", "paragraph")
    assert is_lead("Edge locations, also called points of presence, cache content.", "paragraph")
    assert is_lead("A customer managed key, also known as a CMK in older notes, is yours to rotate.", "paragraph")
    assert not is_lead("AWS calls the customer when an instance is retired.", "paragraph")
    assert not is_lead("AWS is responsible for the hardware.", "paragraph")
    assert not is_lead("For example, a bucket policy that allows everyone is a risk.", "list_item")
    # Said deep in a long sentence, "is a" does not make a definition.
    assert not is_lead("When you launch an instance in a region far from your users in a hurry, latency is a cost.",
                       "paragraph")


def test_leads_come_first_then_lists_then_details_each_in_the_notes_order():
    one = norm("# Shared responsibility model\n\n## Overview\n\nMarker intro paragraph of one.\n\n"
               "For example, a bucket left public leaks data.\n\n- AWS runs hardware\n- AWS runs cables\n\n"
               "| Who | What |\n| --- | --- |\n| AWS | racks |\n", path="a.md")
    two = norm("# Shared responsibility model\n\n## Overview\n\n- You run data\n- You run access\n\n"
               "The model is a split of duties between AWS and the customer.\n", path="b.md")
    texts = shown_texts([one, two])
    assert texts == ["Marker intro paragraph of one.", "The model is a split of duties between AWS and the customer.",
                     "- AWS runs hardware", "- AWS runs cables", "- You run data", "- You run access",
                     "For example, a bucket left public leaks data.", "| Who | What |"]


def test_a_paragraph_that_announces_a_list_moves_with_it():
    note = norm("# Shared responsibility model\n\n## Overview\n\nMarker opens the section.\n\n"
                "Some detail first.\n\nAWS runs three things:\n\n- hardware\n- cables\n", path="a.md")
    assert shown_texts([note]) == ["Marker opens the section.", "AWS runs three things:", "- hardware", "- cables",
                                   "Some detail first."]


def test_numbered_steps_stay_together_with_what_stands_between_them():
    note = norm("# Shared responsibility model\n\n## Overview\n\nMarker opens the section.\n\n1. First step.\n"
                "2. Second step.\n\nA remark between the steps.\n\n3. Third step.\n\n- A bullet after.\n", path="a.md")
    assert shown_texts([note]) == ["Marker opens the section.", "1. First step.", "2. Second step.",
                                   "A remark between the steps.", "3. Third step.", "- A bullet after."]


def test_a_page_of_one_note_outside_the_topics_keeps_the_note_order():
    note = norm("# Lambda pricing\n\nMarker: a remark first.\n\n- a list after\n\nLambda is a compute service.\n",
                path="b.md")
    result = merge_notes([note], load_topics(DATA))
    [page] = result.other_pages
    assert [b.block.markdown for s in page.sections for b in s.blocks] == [
        "Marker: a remark first.", "- a list after", "Lambda is a compute service."]
