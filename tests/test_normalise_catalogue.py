"""Every repair rule the normaliser can log is described for the build report, and no description is stale."""

from __future__ import annotations

import re
from pathlib import Path

from handbook.normalise import normalise_text
from handbook.normalise.catalogue import REPAIR_RULES
from tests.conftest import SEEDS, context

NORMALISER = Path(__file__).resolve().parents[1] / "scripts" / "handbook" / "normalise"
_ID = r'"([a-z]+(?:-[a-z0-9]+)*)"'
# Where a rule id is written: a repair call, a rule decorator, a rule constant, the spelling rule's two ids.
_RULE_IDS = re.compile(
    r"(?:\b(?:repair|raw_repair|report|_changed_lines|_log_changed_lines)\((?:[^()]|\([^()]*\))*?|@rule\(|_RULE = )" + _ID
    + r"|\"(spelling(?:-dictionary)?)\""
)


def source_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(NORMALISER.glob("*.py"))
                     if path.name != "catalogue.py")


def test_every_rule_id_written_in_the_normaliser_is_described() -> None:
    written = {a or b for a, b in _RULE_IDS.findall(source_text())}
    assert {"obsidian-line-break", "reference-inlined", "obsidian-block-id", "snippet-marker", "spelling-dictionary",
            "non-breaking-space", "tab"} <= written  # the pattern finds each way of writing one
    assert sorted(written - REPAIR_RULES.keys()) == []


def test_every_rule_the_seed_notes_need_is_described() -> None:
    used = {repair.rule for path in SEEDS for repair in normalise_text(path.read_text(encoding="utf-8"), context())[1]}
    assert used and used <= REPAIR_RULES.keys()


def test_every_description_names_a_rule_the_normaliser_has_and_reads_as_one_sentence() -> None:
    text = source_text()
    assert [rule for rule in REPAIR_RULES if f'"{rule}"' not in text] == []
    assert list(REPAIR_RULES) == sorted(REPAIR_RULES)
    for description in REPAIR_RULES.values():
        assert description[0].isupper() and description.endswith(".") and "\n" not in description


def test_the_rule_names_other_stages_look_for_are_rules_the_normaliser_has() -> None:
    from handbook.links import _LINK_RULES
    from handbook.normalise import BLOCK_ID_RULE

    assert _LINK_RULES | {BLOCK_ID_RULE} <= REPAIR_RULES.keys()


def test_every_description_shows_as_written_in_the_report() -> None:
    import html

    import markdown

    from tests.conftest import SITE_EXTENSIONS

    for rule, description in REPAIR_RULES.items():
        shown = markdown.markdown(f"| a |\n| --- |\n| {description} |", extensions=SITE_EXTENSIONS)
        cell = re.search(r"<td>(.*)</td>", shown).group(1)
        assert html.unescape(re.sub(r"</?code>", "", cell)) == description.replace("`", ""), rule
