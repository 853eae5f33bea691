"""Render stage for the pages every build has: one page per source note, the notes index and the build report."""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import TypeVar

from .links import target_name
from .model import GeneratedFile, Note, Repair
from .normalise.catalogue import REPAIR_RULES
from .paths import NOTES_DIR, REPORT_PAGE, NoteAddresses, distinct_titles, name_key, reading_order
from .templating import make_env, nav_label, nav_section_label

T = TypeVar("T")


@dataclass(frozen=True)
class Home:
    """A page where part of a note ended up, and the sections of it that hold that part."""

    title: str
    page: str
    sections: tuple[tuple[str, str], ...] = ()  # (section title, anchor), in the note's order


@dataclass(frozen=True)
class NoteView:
    """What a note page and the indexes show about one note."""

    path: str
    title: str
    page: str
    body: str
    raw: str
    raw_lines: int
    size: int
    tags: tuple[str, ...]
    repairs: tuple[Repair, ...]
    homes: tuple[Home, ...] = ()


def body_without_title(markdown: str) -> str:
    """The note's Markdown minus its leading `# Title` line (the page template writes the title)."""
    lines = markdown.split("\n")
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(lines).strip("\n")


def note_view(note: Note, size: int, homes: Sequence[Home] = (), body: str | None = None,
              addresses: NoteAddresses = NoteAddresses()) -> NoteView:
    """The view of a normalised note for its page; `body` replaces the note's own Markdown when given."""
    return NoteView(
        path=note.path,
        title=note.title,
        page=addresses.page(note.path),
        body=body if body is not None else body_without_title(note.markdown),
        raw=note.raw,
        raw_lines=len(note.raw.splitlines()),
        size=size,
        tags=note.tags,
        repairs=note.repairs,
        homes=tuple(homes),
    )


# Beyond this many notes a sidebar entry per note helps nobody, and MkDocs renders the whole
# navigation on every page, so build time would grow with the square of the note count.
NAV_NOTES_LIMIT = 60


def notes_nav(views: Sequence[NoteView]) -> str:
    """The SUMMARY.md of the notes section, nested by the notes' folders (just the index for large sets)."""
    lines = ["* [Source notes](index.md)"]
    if len(views) > NAV_NOTES_LIMIT:
        return "\n".join(lines) + "\n"
    labels = distinct_titles((view.path, view.title) for view in views)
    opened: list[str] = []
    for view in sorted(views, key=lambda v: reading_order(v.path)):
        folders = view.path.split("/")[:-1]
        common = 0
        while common < min(len(opened), len(folders)) and opened[common] == folders[common]:
            common += 1
        opened = opened[:common]
        for depth in range(common, len(folders)):
            lines.append("    " * depth + f"* {nav_section_label(folders[depth])}")
            opened.append(folders[depth])
        target = view.page[len(NOTES_DIR) + 1 :]
        lines.append("    " * len(folders) + f"* [{nav_label(labels[view.path])}]({target})")
    return "\n".join(lines) + "\n"


def render_note_pages(views: Sequence[NoteView], templates_dir: Path, notes_label: str,
                      final: Callable[[GeneratedFile], GeneratedFile] = lambda page: page,
                      with_body: Callable[[NoteView], NoteView] = lambda view: view) -> list[GeneratedFile]:
    """One page per note, the notes index and its navigation, each made `final` as soon as it is rendered; a note
    page shows the view `with_body` makes, when its body is made only for its page."""
    env = make_env(templates_dir)
    note_template = env.get_template("notes/note.md.j2")
    # A note shares its title with another: its page is titled as the navigation names it, with its file name.
    titles = distinct_titles((view.path, view.title) for view in views)
    files = [
        final(GeneratedFile(
            view.page,
            note_template.render(note=with_body(view), title=titles[view.path], page=view.page,
                                 report_page=REPORT_PAGE, notes_label=notes_label),
        ))
        for view in views
    ]
    index_page = f"{NOTES_DIR}/index.md"
    files.append(final(GeneratedFile(index_page,
                                     env.get_template("notes/index.md.j2").render(notes=views, page=index_page))))
    files.append(final(GeneratedFile(f"{NOTES_DIR}/SUMMARY.md", notes_nav(views))))
    return files


# The report page lists at most this many rows per table; report.json always has every record.
REPORT_TABLE_LIMIT = 300


def more_in_report(left_out: int) -> list[str]:
    """The lines after a report table cut short, saying how many more rows report.json lists (none if none)."""
    return ["", f"…and {left_out:,} more, listed in `report.json` at the site root."] if left_out > 0 else []


def capped(items: Sequence[T], limit: int | None) -> tuple[Sequence[T], list[str]]:
    """The first `limit` items (all when None), and the lines of more_in_report for the rest."""
    shown = items if limit is None else items[:limit]
    return shown, more_in_report(len(items) - len(shown))


def capped_rows(items: Sequence[T], row: Callable[[T], str], limit: int | None) -> list[str]:
    """The table rows of at most `limit` items (only those are rendered), then the lines of more_in_report."""
    shown, more = capped(items, limit)
    return [row(item) for item in shown] + more


def render_report_page(
    views: Sequence[NoteView],
    counts: Sequence[tuple[str, int]],
    sections: Sequence[str],
    templates_dir: Path,
    limit: int | None = None,
) -> GeneratedFile:
    """The build report page: counts, notes read (at most `limit` rows; report.json lists all), then each stage's section."""
    env = make_env(templates_dir)
    shown, more = capped(views, limit)
    text = env.get_template("report/index.md.j2").render(
        page=REPORT_PAGE,
        notes=shown,
        labels=distinct_titles((view.path, view.title) for view in views),
        more=more,
        counts=counts,
        sections=sections,
        report_json_url="../../report.json",
    )
    return GeneratedFile(REPORT_PAGE, text)


def report_json(payload: dict) -> str:
    """The machine-readable build report: sorted keys, stable across builds, one record a line.

    A list may also be given as a generator of records: the largest (every repair) is then never
    held as a list of dictionaries beside its text.
    """
    return report_json_bytes(payload).decode("utf-8")


def report_json_bytes(payload: dict) -> bytes:
    """report_json as the UTF-8 file it is written to, encoded part by part into one buffer.

    At ten thousand notes the report is a hundred megabytes: joined as text from its parts, both were held
    at once, and one curly quote in it makes the text two bytes a character.
    """
    buffer = io.BytesIO()
    for part in chain(_json_parts(payload, ""), ("\n",)):
        buffer.write(part.encode("utf-8"))
    return buffer.getvalue()


# No check for cycles: the report is plain records, and the check costs a dictionary per record.
_COMPACT = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(", ", ": "), check_circular=False)
_NOTHING = object()


def _compact_json(value: object) -> str:
    return _COMPACT.encode(value)


def _json_parts(value: object, pad: str) -> Iterator[str]:
    # Objects open up key by key and lists item by item, but each list item stays on one line: the
    # report reads and diffs record by record, and json's C encoder (which `indent` turns off) writes
    # the records, which at ten thousand notes is most of the report's build time.
    inner = pad + "  "
    if isinstance(value, dict) and value:
        for number, key in enumerate(sorted(value)):
            yield ("{\n" if number == 0 else ",\n") + f"{inner}{_compact_json(key)}: "
            yield from _json_parts(value[key], inner)
        yield f"\n{pad}}}"
    elif isinstance(value, (list, Generator)):
        items = iter(value)
        first = next(items, _NOTHING)
        if first is _NOTHING:
            yield "[]"
            return
        yield f"[\n{inner}{_compact_json(first)}"
        for item in items:
            yield f",\n{inner}{_compact_json(item)}"
        yield f"\n{pad}]"
    else:
        yield _compact_json(value)


# Above this many repairs the report page lists counts per rule and per note; every repair
# stays on its note's page and in report.json, and the report page stays quick to read and build.
REPORT_REPAIR_LIMIT = 500


@dataclass(frozen=True)
class WantedNote:
    """A note that links ask for and the notes folder does not have: how many links, from how many notes."""

    name: str
    links: int
    notes: int


def wanted_notes(missing_links: Sequence) -> list[WantedNote]:
    """The missing notes that links name, most linked first; names a lookup would take for one (by case or
    accent encoding) are one note. Notes kept off the site (unpublished, hidden or ignored) are not wanted: they
    are written."""
    links: dict[str, list] = {}
    for link in missing_links:
        if link.unpublished or link.hidden:
            continue
        name = target_name(link.target)
        links.setdefault(name_key(name), []).append((name, link.note))
    wanted = [WantedNote(found[0][0], len(found), len({note for _, note in found})) for found in links.values()]
    return sorted(wanted, key=lambda w: (-w.links, -w.notes, w.name.lower(), w.name))


def render_repairs_section(
    views: Sequence[NoteView], findings: Sequence, missing_links: Sequence, templates_dir: Path,
    limit: int | None = None, wanted: Sequence[WantedNote] | None = None, addresses: NoteAddresses = NoteAddresses(),
) -> str:
    """The report's Repairs, suspicious words and links to missing notes sections (at most `limit` rows a table);
    `wanted` is wanted_notes(missing_links), when the caller has it already."""
    env = make_env(templates_dir)
    rules = Counter(repair.rule for view in views for repair in view.repairs)
    total = sum(rules.values())
    shown_findings, findings_more = capped(sorted(findings), limit)
    shown_links, missing_links_more = capped(missing_links, limit)
    shown_wanted, wanted_more = capped(wanted_notes(missing_links) if wanted is None else wanted, limit)
    return env.get_template("report/repairs.md.j2").render(
        page=REPORT_PAGE,
        note_page=addresses.page,
        repairs_total=total,
        detailed=total <= REPORT_REPAIR_LIMIT,
        by_note=[view for view in views if view.repairs],
        rules=[(rule, found, REPAIR_RULES.get(rule, "")) for rule, found in
               sorted(rules.items(), key=lambda item: (-item[1], item[0]))],
        findings=shown_findings,
        findings_more=findings_more,
        missing_links=shown_links,
        missing_links_more=missing_links_more,
        wanted_notes=shown_wanted,
        wanted_more=wanted_more,
    ).rstrip("\n")
