"""Every repair rule is declared once in the registry, with a description the build report shows as written."""

from __future__ import annotations

import re
from pathlib import Path

from handbook.model import RawNote
from handbook.normalise import normalise_note
from handbook.normalise.catalogue import REPAIR_RULES
from handbook.normalise.registry import REGISTRY, RepairRule, declare
from handbook.normalise.rules import Rule
from tests.conftest import SEEDS, context
from tests.corpus import VAULT

TESTS = Path(__file__).resolve().parent
# Notes that exercise the rules: the seeds, the golden notes, the hostile inputs and, when present, a real vault.
CORPUS = [*SEEDS, *sorted((TESTS / "golden" / "normalise").glob("*.md")),
          *sorted(p for p in (TESTS / "hostile").rglob("*.md") if p.stat().st_size < 200_000),
          *(sorted(VAULT.rglob("*.md")) if VAULT.is_dir() else [])]
_ID = re.compile(r"[a-z]+(?:-[a-z0-9]+)*")


def logged_rules() -> set[str]:
    ctx = context()
    used: set[str] = set()
    for path in CORPUS:
        text = path.read_bytes().decode("utf-8", errors="replace")
        try:
            note = normalise_note(RawNote(path.name, text, len(text.encode("utf-8"))), ctx)
        except Exception:  # a hostile note may be refused (bad front matter): its rules are not the point here
            continue
        used.update(repair.rule for repair in note.repairs)
    return used


def test_every_rule_logged_while_normalising_the_test_notes_is_registered() -> None:
    used = logged_rules()
    assert {"obsidian-line-break", "heading-space", "title"} <= used
    assert sorted(used - REGISTRY.keys()) == []


def test_every_registered_rule_has_an_id_and_a_one_sentence_description() -> None:
    assert REGISTRY and all(isinstance(rule, RepairRule) and REGISTRY[rule.id] is rule for rule in REGISTRY.values())
    for rule in REGISTRY.values():
        assert _ID.fullmatch(rule.id), rule.id
        description = rule.description
        assert description[0].isupper() and description.endswith(".") and "\n" not in description, rule.id


def test_the_catalogue_is_the_registry_in_id_order() -> None:
    assert REPAIR_RULES == {rule.id: rule.description for rule in REGISTRY.values()}
    assert list(REPAIR_RULES) == sorted(REPAIR_RULES)


def test_a_rule_id_is_declared_only_once() -> None:
    import pytest

    with pytest.raises(ValueError):
        declare("heading-space", "Again.")


def test_every_rule_function_logs_under_a_registered_rule() -> None:
    from handbook.normalise.prose import PROSE_RULES
    from handbook.normalise.structure import STRUCTURE_RULES
    from handbook.normalise.text import TEXT_RULES

    for rule in (*TEXT_RULES, *STRUCTURE_RULES, *PROSE_RULES):
        assert isinstance(rule, Rule) and REGISTRY[rule.id] is rule.repair and rule.doc


def test_the_rule_names_other_stages_look_for_are_rules_the_normaliser_has() -> None:
    from handbook.normalise import BLOCK_ID_RULE

    assert BLOCK_ID_RULE in REPAIR_RULES


def test_every_description_shows_as_written_in_the_report() -> None:
    import html

    import markdown

    from tests.conftest import SITE_EXTENSIONS

    for rule, description in REPAIR_RULES.items():
        shown = markdown.markdown(f"| a |\n| --- |\n| {description} |", extensions=SITE_EXTENSIONS)
        cell = re.search(r"<td>(.*)</td>", shown).group(1)
        assert html.unescape(re.sub(r"</?code>", "", cell)) == description.replace("`", ""), rule
