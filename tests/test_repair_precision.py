"""A repair never makes correct text wrong: the spelling, name and dash rules leave alone what is not a misspelling,
and the hand-labelled sample of real repairs (tests/labels/repairs.yml) keeps its precision."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from handbook.model import RawNote
from handbook.normalise import load_context
from handbook.normalise.pipeline import normalise_note, normalise_text
from handbook.words import VOCABULARY_MIN_USES, vocabulary

from .conftest import DATA, context

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "scripts"))
from bench_repairs import CORPORA, LABELS, TEXT_RULES, held_out, load_labels, precision, repair_key, vault_repairs  # noqa: E402

ENGLISH = ("We use the service every day to keep the data of the whole team safe, and we check the logs of the "
           "accounts each week so that nothing is lost or changed without a record of who did it.")
HINGLISH = "Jab bhi hum bucket banate hain, woh ek naya region choose karta hai aur uske baad data wahan jata hai."


def repaired(text: str, ctx=None) -> tuple[str, list[tuple[str, str, str]]]:
    """The note's body after normalising, and its text-changing repairs as (rule, before, after)."""
    out, repairs = normalise_text(f"# T\n\n{ENGLISH}\n\n{text}\n", ctx or context())
    body = out.split("\n\n", 2)[2].rstrip("\n")
    return body, [(r.rule, r.before, r.after) for r in repairs if r.rule in TEXT_RULES]


# Each from the issue or the labelled sample: text that must come out as it went in.
@pytest.mark.parametrize("text", [
    "We met at re:Inforce in June.",  # a word joined by a colon
    "Install the add-ons and bolt-ons first.",  # hyphenated words
    "Send an e-mail to the team, then see <https://example.com/teh/recieve> for the rest.",  # a web address
    "The app is synching the files now.",  # a dictionary word, though codespell lists it
    "**aws cloudwatch put-metric-alarm** => create a new alarm",  # an AWS CLI command
    "Important types: AWS::ElasticBeanstalk::Application and AWS::ElasticBeanstalk::Environment",
    "- cloudwatch:PutMetricAlarm and cloudwatch:DeleteAlarms",  # IAM actions
    "Config is /opt/aws/amazon-cloudwatch-agent/etc/common-config.toml",  # a path
    "Keys (for example, AWS Key Management Service [AWS KMS]) and certificates",  # abbreviation in brackets
    "KMS is the key management service.",  # a lowercase description, not the name
    "- insertion of a char => aquire -> acquire, and substitution: absense to absence",  # shown on purpose
    '- deletion of a char in a given string => "neccessary" to "necessary"',
    "**aws ecr create-repository --repository-name app --region us-east-1**",  # command-line options
    "- [--instance-ids]: list of strings",
])
def test_correct_text_stays_as_written(text: str) -> None:
    assert repaired(text) == (text, [])


@pytest.mark.parametrize("text, fixed, repair", [
    ("The data is transfered to S3.", "The data is transferred to S3.",
     ("spelling-dictionary", "transfered", "transferred")),
    ("Send the logs to cloudwatch for alarms.", "Send the logs to CloudWatch for alarms.",
     ("service-name", "cloudwatch", "CloudWatch")),
    ("Build it with cloud formation templates.", "Build it with CloudFormation templates.",
     ("service-name", "cloud formation", "CloudFormation")),
    ("Keys come from AWS Key Management Service for the bucket.",
     "Keys come from AWS Key Management Service (AWS KMS) for the bucket.",
     ("service-name", "AWS Key Management Service", "AWS Key Management Service (AWS KMS)")),
    ("A task--but not a big one.", "A task – but not a big one.", ("dash", "--", " – ")),
    ("The fee is charged, then snapshots of RedShift..", "The fee is charged, then snapshots of Redshift..",
     ("service-name", "RedShift", "Redshift")),
    ("We test it and receives reponse, response headers and logs.",
     "We test it and receives response, response headers and logs.", ("spelling-dictionary", "reponse", "response")),
])
def test_misspellings_and_names_are_still_fixed(text: str, fixed: str, repair: tuple) -> None:
    assert repaired(text) == (fixed, [repair])


def test_a_web_address_written_as_text_keeps_its_words() -> None:
    body, repairs = repaired("See https://example.com/teh/recieve for the rest.")
    assert "https://example.com/teh/recieve" in body and repairs == []


def test_hinglish_lines_in_an_english_note_keep_their_words() -> None:
    # The case: six Hinglish "woh" in a note that reads as English; English lines are still fixed.
    note = "\n\n".join([ENGLISH, *(f"{HINGLISH} Step {n}." for n in range(6)), "Then teh bucket is ready."])
    body, repairs = repaired(note)
    assert all(f"{HINGLISH} Step {n}." in body for n in range(6))
    assert repairs == [("spelling-dictionary", "teh", "the")]


def test_a_line_judged_english_by_its_words_even_when_the_model_is_unsure() -> None:
    # Terse technical lines full of English words are English whatever the language model says.
    body, repairs = repaired("- RDS backups with continous replication to another region")
    assert repairs == [("spelling-dictionary", "continous", "continuous")]


def test_the_vault_s_own_vocabulary_is_not_fixed() -> None:
    term = "Our team calls it the wel board."
    notes = [f"{term} The wel stays.\n"] * 3  # "wel" six times, "well" never
    uses = vocabulary(notes)
    assert uses["wel"] == 6 >= VOCABULARY_MIN_USES
    own = load_context(DATA, frozenset(), vocabulary=uses)
    assert repaired(term, own) == (term, [])
    # A slip the vault makes often, but less often than the right word, is still a slip.
    common = vocabulary(notes + ["It works well. " * 7])
    assert repaired(term, load_context(DATA, frozenset(), vocabulary=common))[1] == [
        ("spelling-dictionary", "wel", "well")]


def test_the_vocabulary_is_counted_from_the_notes_being_built(tmp_path: Path) -> None:
    from workbench import build_in_memory

    for n in range(5):
        (tmp_path / f"n{n}.md").write_text(f"# Note {n}\n\n{ENGLISH} The wel board is ours.\n", encoding="utf-8")
    built = build_in_memory(tmp_path)
    assert not [r for note in built.normalised.notes for r in note.repairs if r.rule == "spelling-dictionary"]
    assert all("wel board" in note.markdown for note in built.normalised.notes)


def test_the_team_s_reviewed_corrections_still_fix_dictionary_words() -> None:
    # "tat" is a word, but data/corrections.yml says the notes mean "that".
    note = normalise_note(RawNote("note.md", f"# T\n\n{ENGLISH} And tat is all.\n", 0), context())
    assert "And that is all." in note.markdown


def test_the_same_notes_give_the_same_repairs() -> None:
    text = "\n\n".join([ENGLISH, HINGLISH, "Then teh bucket is ready.", "- woh"])
    assert repaired(text) == repaired(text, load_context(DATA, frozenset()))


# The labelled sample.
LABELLED = yaml.safe_load(LABELS.read_text(encoding="utf-8"))["labels"]


def test_the_labels_are_whole_and_split_by_hash() -> None:
    assert len(LABELLED) == 200
    keys = [repair_key(e["vault"], e["note"], e["line"], e["rule"], e["before"], e["after"]) for e in LABELLED]
    # A key repeats only for the same repair made twice on one line, which carries one label.
    assert len({(k, e["label"]) for k, e in zip(keys, LABELLED)}) == len(set(keys))
    assert {e["label"] for e in LABELLED} == {"right", "wrong"}
    assert all(e["reason"] for e in LABELLED)
    assert [e["part"] == "held-out" for e in LABELLED] == [held_out(k) for k in keys]
    assert 0.15 < sum(map(held_out, keys)) / len(keys) < 0.35


# A line alone is a note too short to judge its language and has no vocabulary, so each label is checked on its
# own line: every wrong repair must not happen, every right one must.
@pytest.mark.parametrize("entry", LABELLED[::4] + [e for e in LABELLED if e["label"] == "wrong"],
                         ids=lambda e: f"{e['label']}-{e['rule']}-{e['before']}")
def test_a_labelled_repair_happens_only_when_it_is_right(entry: dict) -> None:
    _, repairs = normalise_text(f"# T\n\n{entry['text']}\n", context())
    made = (entry["rule"], entry["before"], entry["after"]) in [(r.rule, r.before, r.after) for r in repairs]
    assert made is (entry["label"] == "right")


@pytest.fixture(scope="module")
def made_repairs() -> list[tuple]:
    vaults = sorted(p for p in CORPORA.iterdir() if p.is_dir()) if CORPORA.is_dir() else []
    if not vaults:
        pytest.skip("the shared corpora are not present beside the project")
    made = []
    for folder in vaults:
        repairs, _ = vault_repairs(folder)
        made += [repair_key(folder.name, r.note, r.line, r.rule, r.before, r.after) for r in repairs
                 if r.rule in TEXT_RULES]
    return made


@pytest.mark.parametrize("part", ["tuning", "held out"])
def test_the_corpora_s_repairs_are_at_least_98_percent_right(made_repairs: list[tuple], part: str) -> None:
    labels = load_labels()
    keys = [k for k in made_repairs if held_out(k) is (part == "held out")]
    right, labelled = precision(keys, labels)
    assert labelled >= 30
    assert right >= 0.98 * labelled
    assert not [k for k in keys if k in labels and labels[k]["label"] == "wrong"]
    assert Counter(k[3] for k in made_repairs)["spelling-dictionary"] > 50  # the rules still fix misspellings
