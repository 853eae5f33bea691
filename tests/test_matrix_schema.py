"""The matrix data loads, satisfies the issue's minimums, and broken data fails with exact messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.matrix import load_matrix
from handbook.model import BuildError

PROJECT = Path(__file__).resolve().parents[1]

SOURCES = """\
sources:
  - id: doc
    label: Doc
    title: A document
    section: Some section
    url: https://example.com/doc
"""

CATEGORIES = """\
categories:
  - id: infrastructure
    title: Infrastructure services
    short_title: Infrastructure
    summary: You run the operating system.
    whitepaper_examples: [ec2]
    sources: [doc]
  - id: container
    title: Container services
    short_title: Container
    summary: AWS runs the platform.
    whitepaper_examples: [rds]
    sources: [doc]
  - id: abstracted
    title: Abstracted services
    short_title: Abstracted
    summary: You only see an API.
    whitepaper_examples: [s3]
    sources: [doc]
"""

LAYERS = """\
layers:
  - id: customer-data
    title: Customer data
    description: Your content.
    cells:
      infrastructure: {owner: customer, explanation: Yours., sources: [doc]}
      container: {owner: customer, explanation: Yours., sources: [doc]}
      abstracted: {owner: customer, explanation: Yours., sources: [doc]}
  - id: hardware
    title: Hardware
    description: Servers.
    cells:
      infrastructure: {owner: aws, explanation: AWS runs it., sources: [doc]}
      container: {owner: aws, explanation: AWS runs it., sources: [doc]}
      abstracted: {owner: aws, explanation: AWS runs it., sources: [doc]}
"""

SERVICES = """\
services:
  - id: ec2
    name: Amazon EC2
    category: infrastructure
    aliases: [EC2]
    sources: [doc]
  - id: rds
    name: Amazon RDS
    category: container
    aliases: [RDS]
    sources: [doc]
    overrides:
      - layer: customer-data
        owner: shared
        explanation: Database users too.
        sources: [doc]
  - id: s3
    name: Amazon S3
    category: abstracted
    aliases: [S3]
    sources: [doc]
"""

RULES = """\
rules:
  - id: s3-is-not-iaas
    scope: block
    patterns: ['\\bS3\\b', 'IaaS']
    message: S3 is an abstracted service.
    link: {service: s3}
"""

FILES = {"sources.yml": SOURCES, "categories.yml": CATEGORIES, "layers.yml": LAYERS,
         "services.yml": SERVICES, "contradictions.yml": RULES}


def write_data(root: Path, **changes: tuple[str, str]) -> Path:
    """Write the small valid dataset under root/matrix, applying (old, new) text changes per file stem."""
    folder = root / "matrix"
    folder.mkdir(parents=True)
    for name, text in FILES.items():
        change = changes.get(name.removesuffix(".yml"))
        if change is not None:
            old, new = change
            assert old in text, f"{old!r} is not in {name}"
            text = text.replace(old, new, 1)
        (folder / name).write_text(text, encoding="utf-8")
    return root


def error_of(root: Path) -> str:
    with pytest.raises(BuildError) as caught:
        load_matrix(root)
    return str(caught.value)


def test_small_dataset_loads(tmp_path):
    matrix = load_matrix(write_data(tmp_path))
    assert [c.id for c in matrix.categories] == ["infrastructure", "container", "abstracted"]
    assert matrix.service("rds").override("customer-data").owner == "shared"
    assert matrix.layer("hardware").cell("container").owner == "aws"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param(
            {"services": ("category: abstracted", "category: paas")},
            "data/matrix/services.yml:19: services[2].category: expected one of 'infrastructure', "
            "'container', 'abstracted'; received 'paas'",
            id="unknown-category",
        ),
        pytest.param(
            {"layers": ("container: {owner: aws,", "container: {owner: amazon,")},
            "data/matrix/layers.yml:14: layers[1].cells.container.owner: expected one of 'aws', "
            "'customer', 'shared'; received 'amazon'",
            id="unknown-owner",
        ),
        pytest.param(
            {"services": ("owner: shared", "owner: both")},
            "data/matrix/services.yml:14: services[1].overrides[0].owner: expected one of 'aws', "
            "'customer', 'shared'; received 'both'",
            id="unknown-owner-in-override",
        ),
        pytest.param(
            {"services": ("- layer: customer-data", "- layer: data")},
            "data/matrix/services.yml:13: services[1].overrides[0].layer: expected a layer id defined in "
            "data/matrix/layers.yml; received 'data'",
            id="unknown-layer-in-override",
        ),
        pytest.param(
            {"layers": ("      abstracted: {owner: aws,", "      serverless: {owner: aws,")},
            "data/matrix/layers.yml:15: layers[1].cells.serverless: expected one of 'infrastructure', "
            "'container', 'abstracted'; received 'serverless'",
            id="unknown-category-in-cells",
        ),
        pytest.param(
            {"layers": ("      abstracted: {owner: customer, explanation: Yours., sources: [doc]}\n", "")},
            "data/matrix/layers.yml:5: layers[0].cells: expected a cell for every category (missing "
            "'abstracted'); received cells for 'infrastructure', 'container'",
            id="missing-cell",
        ),
        pytest.param(
            {"layers": ("- id: hardware", "- id: customer-data")},
            "data/matrix/layers.yml:9: layers[1].id: expected a unique id; received 'customer-data', "
            "already used by layers[0] on line 2",
            id="duplicate-layer-id",
        ),
        pytest.param(
            {"services": ("- id: s3", "- id: ec2")},
            "data/matrix/services.yml:19: services[2].category: expected one category per service ('ec2' is "
            "already 'infrastructure' at services[0], line 2); received 'abstracted'",
            id="service-in-two-categories",
        ),
        pytest.param(
            {"services": ("- id: rds\n    name: Amazon RDS\n    category: container",
                          "- id: ec2\n    name: Amazon RDS\n    category: infrastructure")},
            "data/matrix/services.yml:7: services[1].id: expected a unique id; received 'ec2', already used "
            "by services[0], line 2",
            id="duplicate-service-id",
        ),
        pytest.param(
            {"services": ("category: infrastructure", "category: [infrastructure, container]")},
            "data/matrix/services.yml:4: services[0].category: expected exactly one category id; "
            "received a list",
            id="category-list",
        ),
        pytest.param(
            {"layers": ("container: {owner: customer, explanation: Yours., sources: [doc]}",
                        "container: {owner: customer, explanation: Yours.}")},
            "data/matrix/layers.yml:7: layers[0].cells.container.sources: expected a value (the key is "
            "missing); received nothing",
            id="missing-sources-key",
        ),
        pytest.param(
            {"layers": ("container: {owner: customer, explanation: Yours., sources: [doc]}",
                        "container: {owner: customer, explanation: Yours., sources: []}")},
            "data/matrix/layers.yml:7: layers[0].cells.container.sources: expected at least one source id "
            "from data/matrix/sources.yml; received an empty list",
            id="empty-sources",
        ),
        pytest.param(
            {"layers": ("infrastructure: {owner: customer, explanation: Yours., sources: [doc]}",
                        "infrastructure: {owner: customer, explanation: Yours., sources: [doc, whitepaper]}")},
            "data/matrix/layers.yml:6: layers[0].cells.infrastructure.sources[1]: expected a source id "
            "defined in data/matrix/sources.yml; received 'whitepaper'",
            id="unknown-source-id",
        ),
        pytest.param(
            {"sources": ("url: https://example.com/doc", "url: http://example.com/doc")},
            "data/matrix/sources.yml:6: sources[0].url: expected an https:// address; "
            "received 'http://example.com/doc'",
            id="insecure-source-url",
        ),
        pytest.param(
            {"categories": ("whitepaper_examples: [rds]", "whitepaper_examples: [rds, ec2]")},
            "data/matrix/categories.yml:12: categories[1].whitepaper_examples[1]: expected a service id from "
            "data/matrix/services.yml in category 'container'; received 'ec2'",
            id="example-in-wrong-category",
        ),
        pytest.param(
            {"categories": ("whitepaper_examples: [s3]", "whitepaper_examples: []")},
            "data/matrix/services.yml:17: services[2]: expected a judgement_call saying why the service is "
            "'abstracted' (the 2016 whitepaper does not classify it); received none",
            id="unlisted-service-without-judgement-call",
        ),
        pytest.param(
            {"services": ("aliases: [RDS]", "aliases: [RDS, ec2]")},
            "data/matrix/services.yml:10: services[1].aliases[1]: expected an alias no other service uses "
            "(services[0] 'ec2' has it); received 'ec2'",
            id="alias-of-two-services",
        ),
        pytest.param(
            {"layers": ("- id: hardware", "- id: Hardware")},
            "data/matrix/layers.yml:9: layers[1].id: expected a lowercase id of words joined by '-', e.g. "
            "'customer-data'; received 'Hardware'",
            id="bad-id",
        ),
        pytest.param(
            {"services": ("    aliases: [EC2]\n", "    aliases: [EC2]\n    tier: 1\n")},
            "data/matrix/services.yml:6: services[0].tier: expected no such key (unknown key); received 1",
            id="unknown-key",
        ),
        pytest.param(
            {"contradictions": ("'IaaS'", "'(IaaS'")},
            "data/matrix/contradictions.yml:4: rules[0].patterns[1]: expected a valid regular expression "
            "(missing ), unterminated subpattern); received '(IaaS'",
            id="bad-regex",
        ),
        pytest.param(
            {"contradictions": ("'IaaS'", "'(?<!not )IaaS'")},
            "data/matrix/contradictions.yml:4: rules[0].patterns[1]: expected a regular expression that runs in "
            "linear time: no look-around, back-references, atomic groups or possessive repeats, and at most 1000 "
            "repeats (invalid perl operator: (?<!); received '(?<!not )IaaS'",
            id="look-behind",
        ),
        pytest.param(
            {"contradictions": ("'IaaS'", "'(Iaa)S\\1'")},
            "data/matrix/contradictions.yml:4: rules[0].patterns[1]: expected a regular expression that runs in "
            "linear time: no look-around, back-references, atomic groups or possessive repeats, and at most 1000 "
            "repeats (invalid escape sequence: \\1); received '(Iaa)S\\\\1'",
            id="back-reference",
        ),
        pytest.param(
            {"contradictions": ("'IaaS'", "'x{2000}'")},
            "data/matrix/contradictions.yml:4: rules[0].patterns[1]: expected a regular expression that runs in "
            "linear time: no look-around, back-references, atomic groups or possessive repeats, and at most 1000 "
            "repeats (invalid repetition size: {2000}); received 'x{2000}'",
            id="too-many-repeats",
        ),
        pytest.param(
            {"contradictions": ("link: {service: s3}", "link: {service: s4}")},
            "data/matrix/contradictions.yml:6: rules[0].link.service: expected a service id defined in "
            "data/matrix/services.yml; received 's4'",
            id="unknown-link-target",
        ),
        pytest.param(
            {"contradictions": ("link: {service: s3}", "link: {service: s3, layer: hardware}")},
            "data/matrix/contradictions.yml:6: rules[0].link: expected exactly one of 'service', 'category', "
            "'layer', 'page'; received keys 'service', 'layer'",
            id="two-link-targets",
        ),
    ],
)
def test_broken_data_is_reported_exactly(tmp_path, changes, message):
    assert error_of(write_data(tmp_path, **changes)) == message


def test_a_pattern_that_backtracking_takes_exponential_time_on_runs_in_linear_time(tmp_path):
    matrix = load_matrix(write_data(tmp_path, contradictions=("'IaaS'", "'(a+)+$'")))
    pattern = matrix.rules[0].patterns[1]
    # Python's re takes about 2**40 steps on this text; RE2 reads it once.
    assert pattern.search("a" * 40 + "!") is None
    assert pattern.search("x " + "A" * 40) is not None  # case-insensitive, as the rules are written


def test_a_pattern_nested_deeper_than_python_can_parse_is_read_or_refused_without_a_traceback(tmp_path):
    nested = "(" * 2000 + "IaaS" + ")" * 2000
    matrix = load_matrix(write_data(tmp_path, contradictions=("'IaaS'", f"'{nested}'")))
    assert matrix.rules[0].patterns[1].search("iaas") is not None


def test_real_data_meets_the_issue_minimums():
    matrix = load_matrix(PROJECT / "data")
    assert [c.id for c in matrix.categories] == ["infrastructure", "container", "abstracted"]
    assert len(matrix.layers) >= 16
    assert len(matrix.services) >= 25
    layer_ids = {layer.id for layer in matrix.layers}
    assert {"customer-data", "customer-iam", "aws-iam-service", "platform-application-management", "guest-os",
            "network-firewall-config", "client-side-encryption", "server-side-encryption",
            "network-traffic-protection", "backup-recovery", "foundation-services", "host-os", "virtualization",
            "network-infrastructure", "hardware", "facilities", "global-infrastructure"} <= layer_ids
    whitepaper = {"infrastructure": {"ec2", "ebs", "vpc", "auto-scaling"},
                  "container": {"rds", "emr", "elastic-beanstalk"},
                  "abstracted": {"s3", "glacier", "dynamodb", "sqs", "ses"}}
    for category_id, service_ids in whitepaper.items():
        assert {s.id for s in matrix.services_in(category_id)} >= service_ids
        assert set(matrix.category(category_id).whitepaper_examples) == service_ids
    assert {"Amazon EC2", "Elastic Compute Cloud", "EC2"} <= set(matrix.service("ec2").aliases)
    assert all(service.aliases for service in matrix.services)
    assert all(cell.explanation and cell.sources for cell in matrix.cells)


def test_real_data_encodes_the_documented_facts():
    matrix = load_matrix(PROJECT / "data")
    assert matrix.layer("backup-recovery").cell("container").owner == "shared"
    assert matrix.layer("customer-iam").cell("abstracted").owner == "customer"
    assert matrix.layer("guest-os").cell("infrastructure").owner == "customer"
    assert matrix.layer("guest-os").cell("abstracted").owner == "aws"
    assert {layer.cell(c.id).owner for layer in matrix.layers[-7:] for c in matrix.categories} == {"aws"}
    assert matrix.service("s3").category == "abstracted"
    assert matrix.service("rds").override("customer-iam") is not None
    assert matrix.service("s3").override("customer-iam") is not None
    # Where the 2016 whitepaper and current documentation disagree, the cell says so.
    assert "2016" in matrix.layer("guest-os").cell("container").note
    assert "2016" in matrix.layer("backup-recovery").cell("container").note
