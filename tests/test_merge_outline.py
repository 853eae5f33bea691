"""data/topics.yml: the real outline loads, and schema errors name the file, line and key exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.merge import load_topics
from handbook.model import BuildError

DATA = Path(__file__).resolve().parents[1] / "data"
BASE = (DATA / "topics.yml").read_text(encoding="utf-8")


def test_real_outline_has_unique_stable_ids_in_reading_order():
    outline = load_topics(DATA)
    page_ids = [page.id for page in outline.pages]
    assert page_ids[:4] == ["shared-responsibility-model", "aws-responsibilities", "customer-responsibilities",
                            "service-categories"]
    ids = page_ids + [section.id for section in outline.sections]
    assert len(ids) == len(set(ids))
    assert [s.order for s in outline.sections] == sorted(s.order for s in outline.sections)
    assert outline.section("infrastructure-services").level == 3


def _load(tmp_path: Path, text: str):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "topics.yml").write_text(text, encoding="utf-8")
    return load_topics(folder)


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: t.replace("      - id: in-short", "      - id: overview", 1),
     "data/topics.yml:30: pages[0].sections[1].id: expected an id used nowhere else in the outline "
     "(first used on line 27); received 'overview'"),
    (lambda t: t.replace("    summary: Who secures", "    colour: red\n    summary: Who secures", 1),
     "data/topics.yml:18: pages[0].colour: expected no such key (unknown key); received 'red'"),
    (lambda t: t.replace("        title: In short\n", "", 1),
     "data/topics.yml:30: pages[0].sections[1].title: expected a value (the key is missing); received nothing"),
    (lambda t: t.replace("id: power", "id: Power Supply", 1),
     "data/topics.yml:118: pages[5].sections[0].sections[1].id: expected a lowercase slug of letters, digits and "
     "single '-' (e.g. 'network-security'); received 'Power Supply'"),
], ids=["duplicate-id", "unknown-field", "missing-title", "bad-slug"])
def test_schema_errors_are_pinned(tmp_path, edit, message):
    with pytest.raises(BuildError) as error:
        _load(tmp_path, edit(BASE))
    assert str(error.value) == message


def test_duplicate_page_id_is_reported(tmp_path):
    text = BASE.replace("  - id: compliance\n", "  - id: network-security\n", 1)
    with pytest.raises(BuildError, match=r"pages\[10\]\.id: expected an id used nowhere else in the outline"):
        _load(tmp_path, text)
