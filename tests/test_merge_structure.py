"""Structure on topic pages: a note's headings stay headings, nested under the topic section, each with an anchor
of its own that links to the heading land on; a heading with nothing under it sends its links somewhere shown."""

from __future__ import annotations

import re

import pytest

from handbook.merge import load_topics, merge_notes, render_topic_pages
from handbook.merge.pages import whose_heading
from handbook.merge.records import nearest_shown
from tests.conftest import DATA, norm

IAM = "topics/identity-and-access-management.md"
SERVICES = "topics/service-categories.md"

# Two notes placed by the start of their titles, each with a "How it works"; a third that the topic's title names.
NOTES = [
    norm("# IAM Roles\nA role is an identity you assume for a while.\n"
         "## How it works\nThe caller asks STS for temporary credentials.\n"
         "### Trust\nThe trust policy says who may assume the role.\n"
         "## General info\n## Limits\nA role session lasts at most twelve hours.\n", path="roles.md"),
    norm("# IAM Groups\nA group holds users and their policies.\n"
         "## How it works\nA user in the group gets the group's policies.\n", path="groups.md"),
    norm("# Identity and Access Management\nIAM controls who can do what in an account.\n", path="iam.md"),
]

# Headings with nothing under them, on a topic page and on a note's own page, first, between and last.
EMPTY_HEADINGS = [
    norm("# Infrastructure as a service\n## General info\n## Patching\nYou patch the guest system.\n"
         "### Kernels\n### Modules\nSome kernel modules load at boot.\n## Resources\n", path="iaas.md"),
    norm("# Cooking pasta\n## General info\n## Boiling\nBoil the water with salt for ten minutes.\n"
         "### Timing\n## Resources\n", path="pasta.md"),
    norm("# Empty headings only\n## First\n## Second\n", path="empty.md"),
]

_ANCHOR = re.compile(r"\{:? #([^ }]+) \}")


@pytest.fixture(scope="module")
def outline():
    return load_topics(DATA)


def _build(notes, outline):
    result = merge_notes(notes, outline)
    return result, {f.path: f.content for f in render_topic_pages(result)}


def _headings(text: str) -> list[str]:
    """The page's headings, without the source list's at its end."""
    return [line for line in text.split("\n") if line.startswith("#") and "{ #handbook-sources " not in line]


def test_note_headings_are_headings_nested_under_their_topic_section(outline):
    result, files = _build(NOTES, outline)
    assert _headings(files[IAM]) == [
        "# Identity and access management { #identity-and-access-management }",
        "## Users, groups and roles { #iam-basics }",
        "### IAM Groups { #iam-groups }",
        "#### How it works — IAM Groups { #how-it-works-iam-groups }",
        "### IAM Roles { #iam-roles }",
        "#### How it works — IAM Roles { #how-it-works-iam-roles }",
        "##### Trust { #trust }",  # a sub-section of the heading before it, in its note and on the page
        "#### Limits { #limits }",  # said once on the page: not renamed; 'General info' has no text: not shown
    ]
    assert "**" not in files[IAM]
    [page] = [p for p in result.pages if p.path == IAM]
    assert [(s.id, s.note) for s in page.sections][:3] == [
        ("iam-basics", None), ("iam-groups", "groups.md"), ("how-it-works-iam-groups", "groups.md")]
    # The topics index lists the topic's own sections; the notes' headings are in the page's contents.
    assert "how-it-works" not in files["topics/index.md"]


def test_no_note_heading_stands_above_another_notes_text(outline):
    result, files = _build(NOTES, outline)
    text = files[IAM]
    # iam.md comes between groups.md and roles.md, but the topic's title names it: its text comes first.
    assert text.index("IAM controls who") < text.index("### IAM Groups") < text.index("A group holds") \
        < text.index("### IAM Roles") < text.index("A role is an identity")
    [page] = [p for p in result.pages if p.path == IAM]
    for section in page.sections:
        if section.note is not None:
            assert {b.sources[0].note for b in section.blocks} <= {section.note}, section.id


def test_a_sections_blocks_merged_from_another_notes_section_stay_under_the_topic_title(outline):
    body = ("- Regions are made up of several Availability Zones.\n- Each Availability Zone is an isolated location.\n"
            "- Data stays in the region where you store it.\n- Regions are far apart from each other.\n")
    first = norm("# Shared responsibility model\nWorkshop notes from Tuesday afternoon about regions.\n"
                 f"## AWS Responsibilities\n{body}", path="a.md")
    second = norm("# Shared responsibility model\nMy notes on the global network.\n"
                  f"## Where my data lives\n{body}- Extra fact about Local Zones here.\n", path="b.md")
    result, files = _build([first, second], outline)
    assert [m.level for m in result.merges].count("section") == 1
    text = files["topics/global-infrastructure.md"]
    # a.md's section merged into b.md's: its blocks are a.md's, so they stand under no heading of b.md.
    assert text.index("Regions are far apart") < text.index("### Where my data lives") < text.index("Extra fact")


def test_a_heading_said_more_than_once_on_a_page_names_its_note():
    assert whose_heading("How it works", "IAM Roles", "IAM Roles") == "How it works — IAM Roles"
    # A heading that is its note's title says it once: the title, with its file name where notes share it.
    assert whose_heading("IAM roles", "IAM Roles", "IAM Roles (roles-a)") == "IAM Roles (roles-a)"


def test_links_to_a_note_heading_land_on_it(outline):
    result, _ = _build(NOTES, outline)
    assert result.note_home("roles.md", "How it works") == (IAM, "how-it-works-iam-roles")
    assert result.note_home("groups.md", "How it works") == (IAM, "how-it-works-iam-groups")
    assert result.note_home("roles.md", "Trust") == (IAM, "trust")
    assert result.note_home("roles.md") == (IAM, "iam-roles")
    assert result.note_home("iam.md") == (IAM, "iam-basics")
    # An empty heading: the section after it in the same part of the note.
    assert result.note_home("roles.md", "General info") == (IAM, "limits")


def test_every_home_of_a_note_or_heading_is_on_a_page(outline):
    result, files = _build([*NOTES, *EMPTY_HEADINGS], outline)
    anchors = {path: set(_ANCHOR.findall(text)) for path, text in files.items()}
    for note, heading, page, anchor in result.note_homes:
        assert page in files, (note, heading, page)
        assert anchor is None or anchor in anchors[page], (note, heading, page, anchor)
    home = result.note_home
    assert home("iaas.md", "General info") == (SERVICES, "patching")  # the next section
    assert home("iaas.md", "Kernels") == (SERVICES, "modules")  # the next one in the same part
    assert home("iaas.md", "Resources") == (SERVICES, "infrastructure-services")  # last: the section holding it
    assert home("pasta.md", "Timing") == ("other/pasta.md", "boiling")  # last of its part: its parent
    assert home("pasta.md", "General info") == ("other/pasta.md", "boiling")
    assert home("pasta.md", "Resources") == ("other/pasta.md", "cooking-pasta")
    # Nothing of the note is shown: its links go to the note's own page (no home here).
    assert home("empty.md") is None and home("empty.md", "First") is None


def test_anchors_on_a_page_never_clash(outline):
    notes = [norm("# IAM Roles\nA role is an identity you assume for a while.\n"
                  "## IAM basics\nRoles have no long-term keys. ^keys\n"
                  "## Block keys\nA policy may deny access keys.\n", path="roles.md")]
    result, files = _build(notes, outline)
    found = _ANCHOR.findall(files[IAM])
    assert len(found) == len(set(found))
    # The topic section keeps its id; the note's heading of the same words gets another one.
    assert "iam-basics" in found and "iam-basics-2" in found
    assert result.note_home("roles.md", "IAM basics") == (IAM, "iam-basics-2")
    assert result.note_home("roles.md", "^keys")[0] == IAM


def test_a_note_heading_goes_no_deeper_than_six(outline):
    note = norm("# Infrastructure as a service\nYou run the servers yourself.\n"
                "## Patching\nYou patch the guest system.\n### Kernels\nKernel updates need a reboot.\n"
                "#### Live patching\nSome kernels patch without one.\n##### Caveats\nNot every module supports it.\n",
                path="iaas.md")
    _, files = _build([note], outline)
    assert _headings(files[SERVICES])[-5:] == [
        "### Infrastructure services { #infrastructure-services }", "#### Patching { #patching }",
        "##### Kernels { #kernels }", "###### Live patching { #live-patching }", "###### Caveats { #caveats }"]


@pytest.mark.parametrize(("k", "expected"), [
    (0, "a"),  # shown
    (1, "c"),  # not shown: the next shown section in its part (under the level-1 heading)
    (2, "a"),  # last of its part (under #1): not #3, a sibling of its parent; the nearest shown one holding it
    (4, None),  # nothing after it and nothing holding it is shown
])
def test_the_nearest_shown_section(k, expected):
    levels = [1, 2, 3, 2, 1]
    places = [("p", "a"), ("p", "b"), ("p", "x"), ("p", "c"), None]
    found = nearest_shown(levels, places, k, {("p", "a"), ("p", "c")})
    assert found == (None if expected is None else ("p", expected))
