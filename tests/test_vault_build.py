"""The public obsidian-aws vault builds into a strict site: every embed resolved or marked, tags kept, duplicates merged."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import BuiltSite, copy_project, run_build
from tests.corpus import vault_or_skip

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

EMBED = re.compile(r"!\[\[[^\]]+\]\]")


def shown_text(page: Path) -> str:
    """The note as the page shows it, without its repairs table and raw text."""
    return re.split(r"^## (?:Repairs|As written) ", page.read_text(encoding="utf-8"), maxsplit=1, flags=re.M)[0]


def visible_notes(vault: Path) -> list[Path]:
    """The vault's notes outside dot-folders (Obsidian keeps deleted notes in .trash)."""
    return [p for p in sorted(vault.rglob("*.md")) if not any(part.startswith(".") for part in p.relative_to(vault).parts)]


@pytest.fixture(scope="module")
def vault_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    vault = vault_or_skip()
    root = copy_project(tmp_path_factory.mktemp("vault"))
    assert run_build(root, notes=vault) == 0
    return BuiltSite(root)


def test_every_note_has_a_page_and_main_and_readme_are_merged(vault_site: BuiltSite) -> None:
    vault = vault_or_skip()
    report = json.loads((vault_site.docs / "report.json").read_text(encoding="utf-8"))
    assert report["counts"]["notes read"] == len(visible_notes(vault))
    assert sorted(n["path"] for n in report["notes"]) == sorted(p.relative_to(vault).as_posix() for p in visible_notes(vault))
    # The rest are Obsidian's deleted notes: counted and named in the report, not published.
    hidden = len(list(vault.rglob("*.md"))) - len(visible_notes(vault))
    assert hidden > 0
    assert report["counts"]["hidden notes skipped"] == hidden
    assert report["hidden_notes"] == [{"path": ".trash", "notes": hidden, "reason": "hidden folder or file"}]
    duplicates = {(d["note"], d["duplicate_of"]) for d in report["merge"]["duplicate_notes"]}
    assert ("README.md", "Main.md") in duplicates or ("Main.md", "README.md") in duplicates
    pages = [p for p in (vault_site.docs / "handbook" / "notes").rglob("*.md") if p.name not in ("index.md", "SUMMARY.md")]
    assert len(pages) == len(visible_notes(vault))


def test_every_embed_is_resolved_or_marked(vault_site: BuiltSite) -> None:
    vault = vault_or_skip()
    embeds = sum(len(EMBED.findall(p.read_text(encoding="utf-8"))) for p in visible_notes(vault))
    pages = list((vault_site.docs / "handbook" / "notes").rglob("*.md"))
    shown = sum(
        len(re.findall(r"Image not available: |!\[[^\]]*\]\([^)]*assets/", shown_text(p))) for p in pages
    )
    assert embeds > 300
    assert shown == embeds
    assert not any("![[" in shown_text(p) for p in pages)


def test_obsidian_tags_become_page_tags(vault_site: BuiltSite) -> None:
    tagged = [p for p in (vault_site.docs / "handbook" / "notes").rglob("*.md")
              if re.search(r"^tags:\n  - \"(organize|concept)\"", p.read_text(encoding="utf-8"), re.M)]
    assert tagged, "no note page carries the vault's #organize / #concept tags"


def test_wikilinks_become_links_between_pages(vault_site: BuiltSite) -> None:
    report = json.loads((vault_site.docs / "report.json").read_text(encoding="utf-8"))
    linked = sum(page.read_text(encoding="utf-8").count("](../") for page in (vault_site.docs / "handbook" / "other").rglob("*.md"))
    assert linked > 100
    # Links to notes that are not in the vault (or only in its .trash) stay plain text and are reported,
    # once for each line of a note that has one, whichever pages show that line.
    missing = report["unresolved_links"]
    assert len(missing) == 13
    assert len({(u["note"], u["line"], u["target"]) for u in missing}) == len(missing)
    vault = vault_or_skip()
    for link in missing:
        assert not link["target"].startswith(("http", "/"))
        written = (vault / link["note"]).read_text(encoding="utf-8").splitlines()[link["line"] - 1]
        assert f"[[{link['target']}" in written, link
