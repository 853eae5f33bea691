"""Every section of the five seed notes lands in a sensible topic section."""

from __future__ import annotations

import pytest

from handbook.merge import load_topics
from handbook.merge.assign import Assigner
from tests.conftest import DATA, norm, seed_notes


# (note, section title as the normaliser spells it) -> (topic section id, rule)
EXPECTED = {
    ("000", "Shared Responsibility model"): ("overview", "alias"),
    ("000", "AWS Global Secure Infrastructure"): ("global-infrastructure-security", "alias"),
    ("000", "IAM"): ("iam-basics", "alias"),
    ("000", "Regions, Availability Zones, and Endpoints"): ("regions-and-availability-zones", "alias"),
    ("000", "Infrastructure Services"): ("infrastructure-services", "alias"),
    ("000", "Customer Managed Security layers:"): ("infrastructure-services", "inherit"),
    ("000", "Container Services"): ("container-services", "alias"),
    ("000", "Abstracted Services"): ("abstracted-services", "alias"),
    ("001", "Security and the AWS Shared Responsibility Model"): ("overview", "alias"),
    ("001", "Overview"): ("overview", "alias"),
    ("001", "AWS Responsibilities"): ("security-of-the-cloud", "alias"),
    ("001", "1. Infrastructure Services"): ("infrastructure-services", "alias"),
    ("001", "2. Container Services"): ("container-services", "alias"),
    ("001", "3. Abstracted Services"): ("abstracted-services", "alias"),
    ("001", "Customer Responsibilities"): ("security-in-the-cloud", "alias"),
    ("001", "Key Customer Responsibilities"): ("key-customer-responsibilities", "alias"),
    ("001", "Conclusion"): ("in-short", "alias"),
    ("003", "Shared Security Responsibility Model"): ("overview", "alias"),
    ("003", "AWS security Responsibilities"): ("security-of-the-cloud", "alias"),
    ("003", "Customer Security Responsibilities"): ("security-in-the-cloud", "alias"),
    ("003", "AWS Global Infrastructure Security"): ("global-infrastructure-security", "alias"),
    ("003", "AWS Compliance Program"): ("compliance-programs", "alias"),
    ("003", "Physical and Environmental Security"): ("physical-and-environmental-security", "alias"),
    ("003", "Fire Detection and Suppression"): ("fire-detection-and-suppression", "alias"),
    ("003", "Power"): ("power", "alias"),
    ("003", "Climate and Temperature"): ("climate-and-temperature", "alias"),
    ("003", "Management"): ("facility-management", "alias"),
    ("003", "Storage Device Decommissioning"): ("storage-device-decommissioning", "alias"),
    ("003", "Business Continuity Management"): ("business-continuity-management", "alias"),
    ("003", "Availability"): ("availability", "alias"),
    ("003", "Incident Response"): ("incident-response", "alias"),
    ("003", "Company-Wide Executive Review"): ("executive-review", "alias"),
    ("003", "Communication"): ("communication", "alias"),
    ("003", "Network Security"): ("network-security-overview", "alias"),
    ("003", "Secure Network Architecture"): ("secure-network-architecture", "alias"),
    ("003", "Secure Access Points"): ("secure-access-points", "alias"),
    ("003", "Transmission Protection"): ("transmission-protection", "alias"),
    ("003", "Amazon Corporate Segregation"): ("corporate-segregation", "alias"),
    ("003", "Fault-Tolerant Design"): ("fault-tolerant-design", "alias"),
    ("003", "Network monitoring and protection"): ("network-monitoring-and-protection", "alias"),
    ("003", "AWS Access"): ("aws-access", "alias"),
    ("004", "The AWS shared responsibility model"): ("overview", "alias"),
    ("004", "Customers: Security in the cloud"): ("security-in-the-cloud", "alias"),
    ("004", "AWS: Security of the cloud"): ("security-of-the-cloud", "alias"),
    ("004", "IAM - Identity and Access management"): ("iam-basics", "alias"),
    ("004", "AWS KMS"): ("aws-kms", "alias"),
    ("004", "AWS Artifact"): ("audit-reports", "alias"),
}


@pytest.fixture(scope="module")
def assigner():
    return Assigner(load_topics(DATA))


def test_every_seed_section_is_assigned_as_expected(assigner):
    seen = {}
    for note in seed_notes():
        for section, assignment in zip(note.sections, assigner.assign_note(note)):
            seen[(note.path[:3], section.title)] = (assignment.topic, assignment.rule)
    # 002 is a truncated copy of 003 and is assigned the same way.
    for (note, title), expected in EXPECTED.items():
        assert seen[(note, title)] == expected, (note, title)
    assert {k for k in seen if k[0] != "002"} == set(EXPECTED)


def test_sub_section_that_names_another_topic_leaves_its_parent(assigner):
    note = norm("# Security notes\n## AWS Responsibilities\nAWS secures the hardware.\n"
                "### Physical and Environmental Security\nGuards at the door.\n"
                "### Things to remember\nAWS patches the hosts.\n", path="n.md")
    rules = [(a.topic, a.rule) for a in assigner.assign_note(note)]
    assert rules[1:] == [("security-of-the-cloud", "alias"), ("physical-and-environmental-security", "alias"),
                         ("security-of-the-cloud", "inherit")]


@pytest.mark.parametrize("heading, topic", [
    ("Responsibilities of AWS", "security-of-the-cloud"),  # the words of an alias in another order
    ("Physical & Environmental Security", "physical-and-environmental-security"),
    ("Secure Network Architectures", "secure-network-architecture"),
])
def test_a_heading_worded_close_to_an_alias_is_placed_by_the_fuzzy_rule(assigner, heading, topic):
    # The normaliser mends misspelt headings first, so these differ from an alias in wording, not spelling.
    note = norm(f"# Shared responsibility model\nSome words.\n## {heading}\nMore words.\n", path="n.md")
    assert note.sections[1].title == heading
    assignment = assigner.assign_note(note)[1]
    assert (assignment.topic, assignment.rule) == (topic, "fuzzy")


def test_keywords_place_a_section_with_an_unknown_heading(assigner):
    note = norm("# Shared responsibility model\n## Random heading\n"
                "Customer master key encryption with KMS: you encrypt data and manage KMS keys.\n", path="n.md")
    assignment = assigner.assign_note(note)[1]
    assert (assignment.topic, assignment.rule) == ("aws-kms", "keyword")


def test_generic_heading_in_a_note_about_one_topic_stays_with_it(assigner):
    note = norm("# Identity and Access Management\nUsers and roles.\n## Notes\nDeny always wins.\n", path="IAM.md")
    assert [(a.topic, a.rule) for a in assigner.assign_note(note)] == [("iam-basics", "alias"),
                                                                        ("iam-basics", "inherit")]


def test_note_about_another_subject_keeps_its_own_page(assigner):
    note = norm("# Lambda\nRuns code without servers.\n## Pricing\nPay per request.\n", path="Compute/Lambda.md")
    assert {(a.topic, a.rule) for a in assigner.assign_note(note)} == {(None, "off-topic-note")}


@pytest.mark.parametrize("title, topic", [
    ("IAM Roles", "iam-basics"),  # an acronym alias starts the heading
    ("KMS key rotation", "aws-kms"),
    ("Network security groups", "network-security-overview"),  # an alias of several words does
    ("Management Governance", None),  # one plain word does not name a topic at the start of a heading
    ("Power BI dashboards", None),
    ("IAMx tooling", None),  # the alias must be a whole word
])
def test_a_heading_that_starts_with_a_distinctive_alias_goes_to_its_topic(assigner, title, topic):
    note = norm(f"# {title}\nSome words about it.\n## Details\nMore words.\n", path="n.md")
    first, second = assigner.assign_note(note)
    if topic is None:
        assert (first.topic, second.topic) == (None, None)
    else:
        assert [(a.topic, a.rule) for a in (first, second)] == [(topic, "alias-prefix"), (topic, "inherit")]


def test_a_note_placed_by_the_start_of_its_title_is_headed_with_it():
    from handbook.merge import merge_notes
    from handbook.merge.render import render_topic_page

    notes = [norm("# IAM Roles\nA role is an identity you assume for a while.\n", path="IAM Roles.md"),
             norm("# IAM Groups\nA group holds users and their policies.\n", path="IAM Groups.md")]
    result = merge_notes(notes, load_topics(DATA))
    [page] = [p for p in result.pages if p.id == "identity-and-access-management"]
    text = render_topic_page(page, result)
    # Each note's text follows its title, so that a reader sees where one note ends and the next begins.
    assert text.index("\n### IAM Groups { #iam-groups }\n") < text.index("A group holds") \
        < text.index("\n### IAM Roles { #iam-roles }\n") \
        < text.index("A role is an identity")
