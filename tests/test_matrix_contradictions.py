"""Contradiction rules fire on the seed claims, stay quiet on correct statements, and render warnings."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest

from handbook.matrix import (
    Contradiction, contradiction_admonition, contradiction_report, find_contradictions, load_matrix,
)
from handbook.model import Block, Section, Source

PROJECT = Path(__file__).resolve().parents[1]
MATRIX = load_matrix(PROJECT / "data")


def item(text: str, note: str, line: int, depth: int = 0) -> Block:
    return Block(kind="list_item", markdown=f"- {text}", source=Source(note, line), depth=depth)


def para(text: str, note: str, line: int) -> Block:
    return Block(kind="paragraph", markdown=text, source=Source(note, line))


def rules_fired(blocks=(), sections=()) -> list[str]:
    return [c.rule for c in find_contradictions(blocks, MATRIX, sections)]


# The seed claims as the normaliser will hand them over: spelling fixed, ' -- ' turned into ' – '.
S3_IAAS = item("AWS products that fall into the well-understood category of Infrastructure as a Service (IaaS) "
               "– such as EC2, VPC, and S3 – are completely under your control and require you to perform all "
               "of the necessary security configuration and management tasks.", "003_b129a807bc61c766.md", 16)
CMK = para("When you select to encrypt an AWS resource, KMS will apply encryption using a customer master key "
           "(CMK) that’s been generated especially for your account.", "004_ef0476a4f866c9ca.md", 29)
MANAGED = item("handle basic security tasks like guest operating system (OS) and database patching, firewall "
               "configuration, and disaster recovery", "003_b129a807bc61c766.md", 11, depth=1)
CONTAINER_CUSTOMER = Section(
    title="2. Container Services", level=3, source=Source("001_0a4e5c7cdeddb7cc.md", 40),
    blocks=(
        item("**AWS Responsibility**: Manages the infrastructure, foundation services, operating system, and "
             "application platform.", "001_0a4e5c7cdeddb7cc.md", 41),
        item("**Customer Responsibility**: Manages customer data, encrypts data, and protects it through "
             "network firewalls and backups.", "001_0a4e5c7cdeddb7cc.md", 42),
    ),
)
CUSTOMER_LAYERS = Section(
    title="Customer Managed Security layers:", level=4, source=Source("000_d8822c3029f94220.md", 44),
    blocks=tuple(
        item(text, "000_d8822c3029f94220.md", 45 + i)
        for i, text in enumerate([
            "Client-side data encryption and data integrity authentication",
            "Server-side encryption (File system and/or data)",
            "Network Traffic protection (encryption, integrity, identity)",
            "OS, network, firewall",
            "Platform and application management",
            "Customer Data",
        ])
    ),
)


def test_each_seed_claim_fires_its_rule():
    found = find_contradictions([S3_IAAS, CMK, MANAGED], MATRIX, [CONTAINER_CUSTOMER, CUSTOMER_LAYERS])
    assert [(str(c.source), c.rule) for c in found] == [
        ("000_d8822c3029f94220.md:50", "customer-layers-include-iam"),
        ("001_0a4e5c7cdeddb7cc.md:41", "aws-alone-where-the-matrix-shares"),
        ("001_0a4e5c7cdeddb7cc.md:42", "container-backups-are-shared"),
        ("001_0a4e5c7cdeddb7cc.md:42", "customer-responsibility-includes-iam"),
        ("003_b129a807bc61c766.md:11", "managed-services-firewall-and-recovery"),
        ("003_b129a807bc61c766.md:16", "s3-is-not-iaas"),
        ("004_ef0476a4f866c9ca.md:29", "kms-key-renamed"),
    ]
    by_rule = {c.rule: c for c in found}
    assert (by_rule["s3-is-not-iaas"].page, by_rule["s3-is-not-iaas"].anchor) == ("services/s3.md", None)
    assert (by_rule["kms-key-renamed"].page, by_rule["kms-key-renamed"].anchor) == ("services/kms.md", None)
    assert by_rule["container-backups-are-shared"].anchor == "backup-recovery"
    assert by_rule["customer-layers-include-iam"].anchor == "customer-iam"
    assert by_rule["customer-layers-include-iam"].claim.startswith(
        "Customer Managed Security layers: Client-side data encryption")
    assert "customer master key (CMK)" in by_rule["kms-key-renamed"].claim


def test_unnormalised_seed_text_still_fires():
    raw = item("AWS products tat fall into the well-understood category of Infrastructure as a Service (IaaS) -- "
               "such as EC2, VPC, and S3 -- are completely under your control", "003.md", 16)
    raw_managed = item("handle basic security tasks like guest operating system (OS) and database patching, "
                       "firewall configuration, and disaster revocery", "003.md", 11, depth=1)
    assert rules_fired([raw, raw_managed]) == ["managed-services-firewall-and-recovery", "s3-is-not-iaas"]


@pytest.mark.parametrize(
    "text",
    [
        "EC2 and VPC are IaaS and completely under your control; S3 is not – it is an abstracted service.",
        "S3 is an abstracted service: you control your data and bucket policies, AWS runs the platform.",
        "EC2 is Infrastructure as a Service (IaaS) and completely under your control.",
        "AWS KMS encrypts data with KMS keys; you can create customer managed keys and schedule deletion.",
        "KMS keys were formerly called customer master keys (CMKs).",
        "For managed services AWS patches the guest OS, while you write the security groups (the firewall "
        "configuration) and disaster recovery is shared.",
    ],
)
def test_correct_statements_do_not_fire(text):
    assert rules_fired([para(text, "ok.md", 1)]) == []


def test_correct_sections_do_not_fire():
    container_ok = Section(title="Container Services", level=3, source=Source("ok.md", 1), blocks=(
        item("Customer: sets the backup retention period and tests restores; AWS takes automated backups.",
             "ok.md", 2),))
    layers_ok = Section(title="Customer managed security layers", level=4, source=Source("ok.md", 5), blocks=(
        item("Customer data", "ok.md", 6),
        item("Identity and access management (IAM users, roles, policies)", "ok.md", 7),
        item("OS, network and firewall configuration", "ok.md", 8),
    ))
    aws_layers = Section(title="AWS managed layers", level=4, source=Source("ok.md", 10), blocks=(
        item("Hardware", "ok.md", 11),))
    backups_elsewhere = Section(title="Infrastructure Services", level=3, source=Source("ok.md", 13), blocks=(
        item("Customer Responsibility: manages IAM access and protects data through firewalls and backups.",
             "ok.md", 14),))
    assert rules_fired(sections=[container_ok, layers_ok, aws_layers, backups_elsewhere]) == []


# Seed claims the newer rules answer: AWS alone doing server-side encryption for abstracted services,
# a "Customer Responsibility" summary without IAM under a heading that does not name the customer,
# and inter-Region traffic said to cross the public internet.
ABSTRACTED_AWS = item("**AWS Responsibility**: Operates the infrastructure layer, operating system, platforms, "
                      "server-side encryption, and data protection.", "001_0a4e5c7cdeddb7cc.md", 38)
ABSTRACTED_CUSTOMER = item("**Customer Responsibility**: Manages customer data and protects it through client-side "
                           "encryption.", "001_0a4e5c7cdeddb7cc.md", 39)
ABSTRACTED_SECTION = Section(title="3. Abstracted Services", level=3, source=Source("001_0a4e5c7cdeddb7cc.md", 37),
                             blocks=(ABSTRACTED_AWS, ABSTRACTED_CUSTOMER))
INTER_REGION = item("all communications between regions is across public internet infrastructure; therefore, "
                    "appropriate encryption methods should be used to protect sensitive data",
                    "003_b129a807bc61c766.md", 98)


def test_newer_seed_claims_fire_and_link_to_the_right_layer():
    found = find_contradictions([INTER_REGION], MATRIX, [ABSTRACTED_SECTION])
    assert [(str(c.source), c.rule) for c in found] == [
        ("001_0a4e5c7cdeddb7cc.md:38", "server-side-encryption-not-aws-alone"),
        ("001_0a4e5c7cdeddb7cc.md:39", "customer-responsibility-includes-iam"),
        ("003_b129a807bc61c766.md:98", "inter-region-traffic-stays-on-aws-network"),
    ]
    by_rule = {c.rule: c for c in found}
    assert (by_rule["server-side-encryption-not-aws-alone"].page,
            by_rule["server-side-encryption-not-aws-alone"].anchor) == ("matrix/who-owns.md", "server-side-encryption")
    assert by_rule["customer-responsibility-includes-iam"].anchor == "customer-iam"
    assert by_rule["inter-region-traffic-stays-on-aws-network"].anchor == "global-infrastructure"
    assert "public internet" in by_rule["inter-region-traffic-stays-on-aws-network"].claim


def test_section_rule_misses_an_item_label_so_the_block_rule_covers_it():
    # The heading names the category, not the customer, so the section rule cannot match it.
    assert "customer-layers-include-iam" not in rules_fired(sections=[ABSTRACTED_SECTION])
    assert rules_fired([ABSTRACTED_CUSTOMER]) == ["customer-responsibility-includes-iam"]


def test_unnormalised_inter_region_seed_still_fires():
    raw = item("all communications between regions is across public internet infrastructure; therefor, appropriate "
               "encryption methods should be used to protect sensitive data", "003.md", 98)
    assert rules_fired([raw]) == ["inter-region-traffic-stays-on-aws-network"]


@pytest.mark.parametrize(
    "text",
    [
        "AWS Responsibility: Operates the infrastructure layer, operating system and platforms.",
        "Server-side encryption is shared: AWS encrypts stored data, while you choose the KMS key.",
        "AWS manages server-side encryption with keys that you choose and control in AWS KMS.",
        "S3 encrypts new objects by default; you can select SSE-KMS keys instead.",
        "Customer Responsibility: Manages customer data, IAM users and roles, and client-side encryption.",
        "Customer Responsibility: Manages customer data and the bucket policies that decide who reaches it.",
        "Customer Responsibility: Controls access management and protects customer data.",
        "Traffic between Regions stays on the AWS global network and never crosses the public internet.",
        "Inter-Region VPC peering traffic does not traverse the public internet.",
        "Choose Regions close to your users; content is served to them over the internet.",
    ],
)
def test_correct_statements_about_the_newer_rules_do_not_fire(text):
    assert rules_fired([para(text, "ok.md", 1)]) == []


def test_a_block_seen_twice_is_reported_once():
    section = Section(title="Notes", level=2, source=Source("004_ef0476a4f866c9ca.md", 28), blocks=(CMK,))
    assert rules_fired([CMK, CMK], [section]) == ["kms-key-renamed"]


_HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*$")
_ITEM = re.compile(r"^(\s*)[-*+]\s+(.*)$")


def split_note(name: str, text: str) -> list[Section]:
    """A deliberately simple splitter: headings start sections, list lines are items, other lines paragraphs."""
    sections: list[Section] = []
    title, level, start, blocks = "", 0, 1, []
    for number, line in enumerate(text.splitlines(), start=1):
        if heading := _HEADING.match(line):
            sections.append(Section(title, level, Source(name, start), tuple(blocks)))
            title, level, start, blocks = heading.group(2), len(heading.group(1)), number, []
        elif listed := _ITEM.match(line):
            blocks.append(Block("list_item", f"- {listed.group(2)}", Source(name, number), len(listed.group(1)) // 4))
        elif line.strip():
            blocks.append(Block("paragraph", line.strip(), Source(name, number)))
    sections.append(Section(title, level, Source(name, start), tuple(blocks)))
    return sections


def test_rules_fire_exactly_on_the_known_claims_of_the_real_notes():
    sections = [s for note in sorted((PROJECT / "data" / "notes").glob("*.md"))
                for s in split_note(note.name, note.read_text(encoding="utf-8"))]
    blocks = [b for s in sections for b in s.blocks]
    found = {(c.source.note[:3], c.rule) for c in find_contradictions(blocks, MATRIX, sections)}
    assert found == {
        ("000", "customer-layers-include-iam"),
        ("001", "container-backups-are-shared"),
        ("002", "s3-is-not-iaas"),
        ("002", "managed-services-firewall-and-recovery"),
        ("003", "s3-is-not-iaas"),
        ("003", "managed-services-firewall-and-recovery"),
        ("003", "inter-region-traffic-stays-on-aws-network"),
        ("001", "server-side-encryption-not-aws-alone"),
        ("001", "customer-responsibility-includes-iam"),
        ("004", "kms-key-renamed"),
        # Derived from the matrix: the container platform and managed-database patching and replication
        # given to AWS alone, where the matrix says shared.
        ("001", "aws-alone-where-the-matrix-shares"),
        ("002", "aws-alone-where-the-matrix-shares"),
        ("003", "aws-alone-where-the-matrix-shares"),
        # data/claims.yml: what AWS's documentation says otherwise.
        ("003", "govcloud-is-two-regions"),
        # (The garbled sentence on API endpoints reads "wihich and" until the normaliser repairs the
        # spelling; test_claims checks that the built seeds flag it.)
        ("004", "iam-group-is-a-set-of-users"),
        ("004", "iam-roles-are-for-people-too"),
        ("004", "cognito-is-not-a-third-party-idp"),
        ("004", "kms-keys-have-their-own-console"),
        ("004", "s3-encrypts-new-objects-by-default"),
    }


def test_admonition_text_and_relative_link():
    contradiction = Contradiction(rule="kms-key-renamed", source=CMK.source, claim="customer master key (CMK)",
                                  message="Use *KMS key* | not CMK.", page="services/kms.md", anchor=None)
    assert contradiction_admonition(contradiction, "topics/aws-kms.md") == (
        '!!! warning "Contradicts the responsibility matrix"\n'
        "\n"
        "    Use \\*KMS key\\* \\| not CMK. [See the responsibility matrix](../services/kms.md).\n"
    )
    layer = find_contradictions([], MATRIX, [CUSTOMER_LAYERS])[0]
    admonition = contradiction_admonition(layer, "notes/000_d8822c3029f94220.md")
    html = markdown.markdown(admonition, extensions=["admonition"])
    # A list of customer duties that leaves out IAM is an omission, not a contradiction.
    assert layer.kind == "omission" and '<div class="admonition info">' in html and "Not mentioned here" in html
    assert 'href="../matrix/who-owns.md#customer-iam"' in html
    assert "Identity and access management is a customer layer" in html


def test_report_lists_every_contradiction():
    found = find_contradictions([S3_IAAS, CMK], MATRIX)
    report = contradiction_report(found, "report/index.md")
    lines = report.splitlines()
    assert lines[0] == "| Where | Claim | What is right |"
    assert {line.split(" | ")[1].split("**")[1] for line in lines[2:]} == {"Contradicts the responsibility matrix",
                                                                            "Outdated term"}
    assert len(lines) == 2 + len(found)
    assert "(../services/s3.md)" in lines[2] and "`s3-is-not-iaas`{ .handbook-id }" in lines[2]
    # The note column links to the note's page, as the merge audit's does; a block no topic page shows as
    # written has its notice on its note's page only.
    assert lines[2].startswith("| its note's page<br>[003\\_b129a807bc61c766.md:16](../notes/003_b129a807bc61c766.md) | ")
    shown = contradiction_report(found, "report/index.md", shown_on={S3_IAAS.source: "topics/aws-services.md"})
    assert shown.splitlines()[2].startswith("| [topics/aws-services.md](../topics/aws-services.md)<br>")
    assert contradiction_report([], "report/index.md") == "No note makes a claim the matrix or the claims list flags.\n"


def test_every_rule_has_a_declared_kind_and_each_kind_its_admonition():
    from handbook.matrix.model import NOTICE_KINDS

    assert {rule.kind for rule in MATRIX.rules} == set(NOTICE_KINDS)
    assert {NOTICE_KINDS[rule.kind].title for rule in MATRIX.rules if rule.id == "kms-key-renamed"} == {"Outdated term"}
    types = [kind.admonition for kind in NOTICE_KINDS.values()]
    assert len(set(types)) == len(types)  # each kind looks different
    for kind in NOTICE_KINDS.values():
        found = Contradiction(rule="r", source=CMK.source, claim="c", message="m.", page="services/kms.md",
                              anchor=None, kind=kind.id)
        assert contradiction_admonition(found, None).startswith(f'!!! {kind.admonition} "{kind.title}"\n')


def test_a_rule_with_an_unknown_kind_is_refused(tmp_path):
    import shutil

    from handbook.matrix import load_matrix
    from handbook.model import BuildError
    from tests.conftest import DATA

    shutil.copytree(DATA / "matrix", tmp_path / "matrix")
    rules = tmp_path / "matrix" / "contradictions.yml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("kind: outdated-term", "kind: stale"), encoding="utf-8")
    with pytest.raises(BuildError, match=r"kind: expected one of 'contradiction', 'omission', 'outdated-term'"):
        load_matrix(tmp_path)
