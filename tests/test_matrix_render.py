"""Rendered matrix pages: golden files, every HTML table cell against the YAML, escaping, links, exports."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import mkdocs_markdown
from tests.golden import assert_golden
from handbook.matrix import (
    GENERATED_COMMENT, Mention, find_subjects, find_subjects_in, load_matrix, matrix_exports, render_matrix_pages, subject_target,
)
from handbook.matrix.model import OWNER_LABELS
from handbook.matrix.text import md_cell, md_text, md_title, plain_text

PROJECT = Path(__file__).resolve().parents[1]
MATRIX = load_matrix(PROJECT / "data")
MENTIONS = {
    "service:rds": [Mention("Customer responsibilities › Container services", "topics/customer-responsibilities.md",
                            "container-services")],
    "layer:backup-recovery": [Mention("Customer responsibilities › Container services",
                                      "topics/customer-responsibilities.md", "container-services")],
    "category:container": [Mention("AWS responsibilities › Container services", "topics/aws-responsibilities.md",
                                   "container-services")],
}
PAGES = {f.path: f.content for f in render_matrix_pages(MATRIX, PROJECT / "templates", MENTIONS)}


def test_every_page_the_contract_names_is_generated():
    expected = {"matrix/SUMMARY.md", "matrix/index.md", "matrix/who-owns.md", "services/SUMMARY.md",
                "services/index.md"}
    expected |= {f"matrix/{c.id}.md" for c in MATRIX.categories}
    expected |= {f"services/{s.id}.md" for s in MATRIX.services}
    assert set(PAGES) == expected
    for path, content in PAGES.items():
        assert content.splitlines()[0] == GENERATED_COMMENT, path
        assert content.endswith("\n") and not content.endswith("\n\n\n"), path
        if not path.endswith("SUMMARY.md"):
            assert "## Sources { #sources }" in content and "`data/matrix/" in content, path


def test_golden_pages():
    for path in ["matrix/SUMMARY.md", "matrix/index.md", "matrix/who-owns.md", "matrix/infrastructure.md",
                 "matrix/container.md", "matrix/abstracted.md", "services/SUMMARY.md", "services/index.md",
                 "services/rds.md", "services/s3.md", "services/lambda.md", "services/ses.md"]:
        assert_golden("matrix/" + path.replace("/", "__"), PAGES[path])


class TableCells(HTMLParser):
    """Collects the first table's body rows: per cell its text, the owner classes and the links."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[dict]] = []
        self.in_body = False
        self.cell: dict | None = None
        self.done = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.done:
            return
        if tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append([])
        elif self.in_body and tag == "td":
            self.cell = {"text": "", "classes": [], "links": []}
        elif self.cell is not None and tag == "span":
            self.cell["classes"].append(attrs.get("class", ""))
        elif self.cell is not None and tag == "a":
            self.cell["links"].append((attrs.get("href"), attrs.get("title")))

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.rows[-1].append(self.cell)
            self.cell = None
        elif tag == "tbody" and self.in_body:
            self.in_body, self.done = False, True

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"] += data


def test_every_rendered_matrix_cell_matches_the_yaml(tmp_path):
    html = mkdocs_markdown(tmp_path).convert(PAGES["matrix/index.md"])
    parser = TableCells()
    parser.feed(html)
    raw = yaml.safe_load((PROJECT / "data" / "matrix" / "layers.yml").read_text(encoding="utf-8"))["layers"]
    categories = [c["id"] for c in yaml.safe_load(
        (PROJECT / "data" / "matrix" / "categories.yml").read_text(encoding="utf-8"))["categories"]]
    assert len(parser.rows) == len(raw)
    for row, layer in zip(parser.rows, raw, strict=True):
        assert len(row) == 1 + len(categories)
        assert row[0]["text"].strip() == layer["title"]
        assert row[0]["links"] == [(f"who-owns.md#{layer['id']}", None)]
        for cell, category in zip(row[1:], categories, strict=True):
            data = layer["cells"][category]
            owner = data["owner"]
            assert f"owner owner--{owner}" in cell["classes"], (layer["id"], category)
            assert cell["text"].strip().rstrip("†") == OWNER_LABELS[owner]
            assert cell["text"].strip().endswith("†") == bool(data.get("note"))
            [(href, title)] = cell["links"]
            assert href == f"who-owns.md#{layer['id']}"
            assert title.startswith(f"{OWNER_LABELS[owner]}: {data['explanation']}")
    assert 'id="legend"' in html and "owner-legend" in html


def test_who_owns_has_a_stable_anchor_per_layer_and_lists_mentions():
    page = PAGES["matrix/who-owns.md"]
    for layer in MATRIX.layers:
        assert f"## {md_text(layer.title)} {{ #{layer.id} }}" in page
    assert ("- [Customer responsibilities › Container services]"
            "(../topics/customer-responsibilities.md#container-services)") in page


def test_service_page_applies_overrides_and_links_mentions():
    rds = PAGES["services/rds.md"]
    assert "**(detail)** RDS takes daily automated backups" in rds
    assert "(../topics/customer-responsibilities.md#container-services)" in rds
    emr = PAGES["services/emr.md"]
    assert "**(differs)** Cluster nodes are EC2 instances" in emr
    assert ('<span class="owner owner--aws">AWS</span> → <span class="owner owner--shared">Shared</span>'
            in emr)
    assert "No note section mentions Amazon EMR yet." in emr
    assert '!!! note "Judgement call"' in PAGES["services/lambda.md"]
    assert '!!! note "Judgement call"' not in PAGES["services/s3.md"]


def test_category_page_is_a_copyable_checklist():
    page = PAGES["matrix/infrastructure.md"]
    aws_part = page.split("## What AWS does")[1].split("## What you do")[0]
    you_part = page.split("## What you do")[1].split("##")[0]
    for layer in MATRIX.layers:
        owner = layer.cell("infrastructure").owner
        line = f"- [ ] [{md_text(layer.title)}](who-owns.md#{layer.id})"
        assert (line in aws_part) == (owner in ("aws", "shared"))
        assert (line in you_part) == (owner in ("customer", "shared"))


def test_every_relative_link_points_at_a_generated_page_and_anchor(tmp_path):
    anchors = {path: set(re.findall(r"\{ #([a-z0-9-]+) \}", content)) for path, content in PAGES.items()}
    for path, content in PAGES.items():
        if path.endswith("SUMMARY.md"):
            continue
        for target in re.findall(r"\]\(([^)\s]+)(?: \"[^\"]*\")?\)", content):
            if target.startswith("https://"):
                continue
            page, _, anchor = target.partition("#")
            resolved = str(Path(path).parent / page) if page else path
            resolved = re.sub(r"[^/]+/\.\./", "", resolved)
            if resolved.startswith("topics/"):
                continue  # supplied by the mentions map, not generated here
            if resolved in ("../matrix.json", "../matrix.csv"):
                continue  # the exports, written beside docs/handbook/ at the site root
            assert resolved in PAGES, (path, target)
            if anchor:
                assert anchor in anchors[resolved], (path, target)


def test_data_strings_are_escaped_not_interpreted():
    assert md_text("a | b *c* [d](e) <b> {#x}") == r"a \| b \*c\* \[d\](e) &lt;b&gt; \{\#x\}"
    assert md_cell("one\ntwo | three") == r"one two \| three"
    assert md_title('say "hi" | <now>') == "say &quot;hi&quot; &#124; &lt;now&gt;"
    assert plain_text("- **Customer Responsibility**: see [the page](x.md) and [alias](note:Note)") == (
        "Customer Responsibility: see the page and alias")


def test_templates_are_strict(tmp_path):
    (tmp_path / "matrix").mkdir()
    for template in (PROJECT / "templates" / "matrix").glob("*.j2"):
        text = template.read_text(encoding="utf-8")
        (tmp_path / "matrix" / template.name).write_text(text.replace("{{ generated_comment }}",
                                                                       "{{ no_such_value }}"), encoding="utf-8")
    try:
        render_matrix_pages(MATRIX, tmp_path, {})
    except Exception as exc:  # jinja2.UndefinedError
        assert "no_such_value" in str(exc)
    else:
        raise AssertionError("an undefined template value rendered silently")


def test_exports_are_deterministic_and_match_the_yaml():
    first, second = matrix_exports(MATRIX), matrix_exports(load_matrix(PROJECT / "data"))
    assert first == second
    assert set(first) == {"matrix.json", "matrix.csv"}
    assert all(text.endswith("\n") for text in first.values())
    document = json.loads(first["matrix.json"])
    assert first["matrix.json"] == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert document["schema_version"] == 1
    raw_layers = yaml.safe_load((PROJECT / "data/matrix/layers.yml").read_text(encoding="utf-8"))["layers"]
    assert [layer["id"] for layer in document["layers"]] == [layer["id"] for layer in raw_layers]
    for exported, raw in zip(document["layers"], raw_layers, strict=True):
        assert {c: v["owner"] for c, v in exported["owners"].items()} == {
            c: v["owner"] for c, v in raw["cells"].items()}
    raw_services = yaml.safe_load((PROJECT / "data/matrix/services.yml").read_text(encoding="utf-8"))["services"]
    assert [(s["id"], s["category"]) for s in document["services"]] == [
        (s["id"], s["category"]) for s in raw_services]
    rows = list(csv.DictReader(io.StringIO(first["matrix.csv"])))
    cells = [r for r in rows if r["kind"] == "cell"]
    overrides = [r for r in rows if r["kind"] == "override"]
    assert len(cells) == len(raw_layers) * len(document["categories"])
    assert len(overrides) == sum(len(s.get("overrides", [])) for s in raw_services)
    assert {(r["layer"], r["category"], r["owner"]) for r in cells} == {
        (layer["id"], c, v["owner"]) for layer in raw_layers for c, v in layer["cells"].items()}


_NAMES = sorted({n for s in MATRIX.services for n in (s.name, *s.aliases)}
                | {n for l in MATRIX.layers for n in (l.title, *l.aliases)}
                | {c.short_title + " services" for c in MATRIX.categories})


def _subjects_by_every_pattern(text: str) -> list[str]:
    """The plain definition: each name's pattern searched over the whole text."""
    from handbook.matrix.mentions import _alias_pattern, _category_pattern

    plain = plain_text(text)
    found = [f"service:{s.id}" for s in MATRIX.services
             if any(_alias_pattern(a).search(plain) for a in (s.name, *s.aliases))]
    found += [f"layer:{l.id}" for l in MATRIX.layers if any(_alias_pattern(a).search(plain) for a in (l.title, *l.aliases))]
    return found + [f"category:{c.id}" for c in MATRIX.categories if _category_pattern(c.short_title).search(plain)]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_NAMES) | st.sampled_from([" ", "-", "s", "uses", "\n", "The ", "(", "é"])
                | st.text(max_size=4), max_size=12).map("".join))
def test_subjects_are_those_every_pattern_finds(text: str) -> None:
    assert find_subjects(text, MATRIX) == _subjects_by_every_pattern(text)


@settings(max_examples=100)
@given(st.lists(st.lists(st.sampled_from(_NAMES) | st.sampled_from([" ", "-", "uses"]), max_size=4).map("".join), max_size=4))
def test_a_section_names_what_its_title_or_any_block_names(parts: list[str]) -> None:
    named = {key for part in parts for key in _subjects_by_every_pattern(part)}
    assert find_subjects_in(parts, MATRIX) == [key for key in _subjects_by_every_pattern("\n\n".join(parts)) if key in named]


def test_a_name_split_across_two_blocks_is_not_a_mention() -> None:
    assert find_subjects_in(["Elastic Load", "Balancing"], MATRIX) == []
    assert find_subjects_in(["Elastic Load Balancing"], MATRIX) == ["service:elb"]


def test_subjects_found_by_alias_and_linked_back():
    keys = find_subjects("AWS products such as EC2, VPC, and S3 are under your control; "
                         "it uses the guest OS and backups.", MATRIX)
    assert keys == ["service:ec2", "service:vpc", "service:s3", "layer:guest-os", "layer:backup-recovery"]
    assert "service:ses" not in find_subjects("the customer uses services", MATRIX)
    assert subject_target("layer:guest-os", MATRIX) == ("matrix/who-owns.md", "guest-os",
                                                        "Guest operating system and patching")
    assert subject_target("service:s3", MATRIX) == ("services/s3.md", None, "Amazon S3")
