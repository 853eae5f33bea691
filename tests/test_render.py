"""The render stage's note pages: the normalised note, with warnings placed after the blocks they concern."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import markdown
from hypothesis import HealthCheck, given, reject, settings

from handbook.model import BuildError, RawNote, Source
from handbook.normalise import load_context, normalise_note
from handbook.pages import body_without_title
from handbook.render import note_body
from tests.test_normalise_properties import HEADING_DOCUMENT

DATA = Path(__file__).resolve().parents[1] / "data"
WARNING = '!!! warning "Contradicts the responsibility matrix"\n\n    Backups are shared.\n'
EXTENSIONS = ["admonition", "attr_list", "tables", "pymdownx.details", "pymdownx.superfences"]


def rendered(text: str, warned_line: int) -> ElementTree.Element:
    """The HTML tree of a note's page body with a warning after the block on `warned_line`."""
    note = normalise_note(RawNote("note.md", text, len(text)), load_context(DATA, frozenset()))
    body = note_body(note, {Source("note.md", warned_line): (WARNING,)})
    return ElementTree.fromstring(f"<body>{markdown.markdown(body, extensions=EXTENSIONS)}</body>")


def warning_texts(tree: ElementTree.Element) -> list[str]:
    """The text inside every warning on the page."""
    return ["".join(div.itertext()) for div in tree.iter("div") if "warning" in div.get("class", "")]


def test_warning_after_a_nested_item_keeps_the_next_items_out_of_it():
    text = "# Note\n\n- managed services\n    - patching is done for you\n    - you set access controls\n- last item\n"
    tree = rendered(text, 4)
    [inside] = warning_texts(tree)
    assert "Backups are shared." in inside
    assert "access controls" not in inside and "last item" not in inside
    items = ["".join(li.itertext()) for li in tree.iter("li")]
    assert any(item.strip().startswith("you set access controls") for item in items)
    # The nested list goes on after the warning: both nested items sit under the same parent item.
    [outer] = [ul for ul in tree.iter("ul") if ul in list(tree)]
    nested = [ul for ul in outer.iter("ul") if ul is not outer]
    assert len(nested) == 1 and len(nested[0].findall("li")) == 2
    assert len(outer.findall("li")) == 2


def test_warning_after_a_paragraph_follows_it_at_top_level():
    tree = rendered("# Note\n\nS3 is IaaS.\n\nNext paragraph.\n", 3)
    assert [child.tag for child in tree] == ["p", "div", "p"]
    assert "Next paragraph." not in warning_texts(tree)[0]


def test_a_numbered_list_after_a_bulleted_one_stays_a_list_of_its_own_with_or_without_warnings():
    text = "# Note\n\n- bullet one\n    - nested\n- bullet two\n\n1. step one\n2. step two\n\n- after\n"
    for warned_line in (0, 4, 6):  # none, on the last bullet, on the first step
        tree = rendered(text, warned_line)
        lists = [(child.tag, ["".join(li.itertext()).strip().split("\n")[0] for li in child.findall("li")])
                 for child in tree if child.tag in ("ul", "ol")]
        assert lists == [("ul", ["bullet one", "bullet two"]), ("ol", ["step one", "step two"]), ("ul", ["after"])]


NOTICE = '!!! note "Outdated term"\n\n    Say KMS key.\n'


def noticed(text: str, lines: tuple[int, ...]) -> ElementTree.Element:
    """The HTML tree of a note's page body with the same notice for the blocks on `lines`."""
    note = normalise_note(RawNote("note.md", text, len(text)), load_context(DATA, frozenset()))
    body = note_body(note, {}, {Source("note.md", line): (NOTICE,) for line in lines})
    return ElementTree.fromstring(f"<body>{markdown.markdown(body, extensions=EXTENSIONS)}</body>")


def test_a_notice_follows_the_whole_list_once_however_often_its_claim_is_made():
    text = "# Note\n\n- a CMK per app\n    - a CMK per team\n- last item\n\nRotate each CMK.\n\n## More\n\nOne CMK.\n"
    tree = noticed(text, (3, 4, 7, 11))
    assert [child.tag for child in tree] == ["ul", "div", "p", "h2", "p"]
    [outer] = tree.findall("ul")
    assert len(outer.findall("li")) == 2 and "Say KMS key." not in "".join(outer.itertext())


def test_a_notice_after_a_paragraph_follows_it_and_one_in_a_list_waits_for_the_next_list_kind():
    tree = noticed("# Note\n\nA CMK.\n\nNext paragraph.\n", (3,))
    assert [child.tag for child in tree] == ["p", "div", "p"]
    tree = noticed("# Note\n\n- a CMK\n- two\n\n1. step one\n2. step two\n", (3,))
    assert [child.tag for child in tree] == ["ul", "div", "ol"]


def test_sections_that_name_a_service_category_are_linked_to_its_page():
    from handbook.matrix import find_subjects, load_matrix

    matrix = load_matrix(DATA)
    found = find_subjects("## Container services\n\nA container service such as RDS runs on infrastructure.", matrix)
    assert "category:container" in found and "category:abstracted" not in found
    assert "category:infrastructure" not in find_subjects("AWS runs the infrastructure.", matrix)


def test_a_note_page_keeps_the_markup_of_its_headings():
    text = "# Note\n\n## Analyze with the **Six Pillars**\n\nText.\n\n### The `aws` command\n\n- item\n"
    note = normalise_note(RawNote("note.md", text, len(text)), load_context(DATA, frozenset()))
    body = note_body(note, {})
    assert "## Analyze with the **Six Pillars**" in body and "### The `aws` command" in body


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(HEADING_DOCUMENT)
def test_a_note_page_without_warnings_shows_the_normalised_note(text: str):
    try:
        note = normalise_note(RawNote("note.md", text, len(text)), load_context(DATA, frozenset()))
    except BuildError:
        reject()  # a leading '---' block that is not valid YAML stops the build by design
    assert note_body(note, {}) == body_without_title(note.markdown)


def test_a_note_page_names_each_page_its_content_went_to_once_with_the_sections_that_hold_it():
    from handbook.merge import load_topics, merge_notes
    from handbook.pages import Home
    from handbook.render import home_titles, note_homes

    ctx = load_context(DATA, frozenset())
    notes = [normalise_note(RawNote(p.name, p.read_text(encoding="utf-8"), p.stat().st_size), ctx)
             for p in sorted((DATA / "notes").glob("*.md"))]
    result = merge_notes(notes, load_topics(DATA))
    note = next(n for n in notes if n.path.startswith("001_"))
    homes = note_homes(note, result, home_titles(result))
    assert len({home.page for home in homes}) == len(homes)
    assert homes[0] == Home("The shared responsibility model", "topics/shared-responsibility-model.md",
                            (("Overview", "overview"), ("In short", "in-short")))
    assert Home("Service categories", "topics/service-categories.md", (
        ("Three kinds of service", "three-categories"), ("Infrastructure services", "infrastructure-services"),
        ("Container services", "container-services"), ("Abstracted services", "abstracted-services"),
    )) in homes


def test_see_in_the_matrix_shows_once_per_topic_section_each_target_once():
    from handbook.matrix import load_matrix
    from handbook.merge import load_topics, merge_notes
    from handbook.render import section_matrix_links, section_subjects
    from tests.conftest import seed_notes

    matrix = load_matrix(DATA)
    result = merge_notes(seed_notes(), load_topics(DATA))
    subjects = section_subjects(result, matrix)
    links = section_matrix_links(result, matrix, subjects)
    assert links
    for page in result.pages:
        groups: list[list[str]] = []
        for section in page.sections:
            if section.note is None or not groups:
                groups.append([])
            groups[-1].append(section.id)
        for group in groups:
            lines = [line for sid in group for line in links.get((page.path, sid), ())]
            assert len(lines) <= 1, (page.path, group)
            if lines:
                targets = re.findall(r"\]\((page:[^)]+)\)", lines[0])
                assert len(targets) == len(set(targets))
                # It follows the group's last section with blocks, so it ends the topic section.
                assert (page.path, [sid for sid in group if next(s for s in page.sections if s.id == sid).blocks][-1]) \
                    in links
    with_notes = [page for page in result.pages if any(section.note for section in page.sections)]
    assert with_notes, "the seeds place note headings under topic sections"
