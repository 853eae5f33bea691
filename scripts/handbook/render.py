"""Render stage: every generated page and export, from the merged notes and the data."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from textwrap import indent

from .account import AccountTotals, account_json, account_totals, merged_pointers, render_block_account
from .footnotes import LITERAL_KINDS, defined_labels, referenced_labels
from .glossary import Abbreviations, Glossary
from .glossary_page import render_glossary_page
from .inline_footnotes import as_references, label_maker
from .load import HiddenNotes
from .links import MissingLink, NoteIndex, asset_addresses, asset_files, find_missing_links, resolve_links
from .matrix import (
    Contradiction, Matrix, Mention, claim_json, contradiction_admonition, contradiction_report, find_contradictions,
    find_subjects_in, matrix_exports, render_matrix_pages, shown_pages, subject_target,
)
from .merge import MergeResult, merge_report, render_merge_audit, render_topic_pages
from .merge.render import notice_key
from .model import DEEPEST_HEADING, Block, GeneratedFile, Note, Section, Source
from .normalise import LIST_SEPARATOR, Finding, ListKinds, join_blocks
from .pages import (
    REPORT_TABLE_LIMIT, Home, NoteView, WantedNote, body_without_title, note_view, render_note_pages, render_repairs_section,
    render_report_page, report_json_bytes, wanted_notes,
)
from .paths import REPORT_PAGE
from .publish import UnpublishedNote
from .redirects import RedirectMap, moved_note_pages, render_redirects
from .templating import code_cell, md_text, path_cell
from .datafile import YamlDocument




@dataclass(frozen=True)
class RenderedSite:
    """Everything the write stage puts on disk, plus the figures for the summary."""

    pages: tuple[GeneratedFile, ...]
    exports: tuple[GeneratedFile, ...]
    counts: tuple[tuple[str, int], ...]
    contradictions: tuple[Contradiction, ...]
    missing_links: tuple[MissingLink, ...]


def _listing_section(heading: str, intro: str, columns: str, rows: Iterable[str]) -> str:
    """A build report section: its heading (with anchor), a sentence, and a table (`columns`: header and rule)."""
    return f"## {heading}\n\n{intro}\n\n{columns}\n" + "\n".join(rows)


def render_hidden_notes(hidden: Sequence[HiddenNotes]) -> str:
    """The report section naming the hidden or ignored folders and files whose notes were not published."""
    return _listing_section(
        "Hidden notes { #hidden-notes }",
        "Notes in hidden folders and files (names starting with a dot, such as Obsidian's `.trash`, where "
        "deleted notes go) are not published, nor are those the vault's own settings keep out: Obsidian's "
        "excluded files, the `.handbookignore` file and plugins' data folders. Move a note out of them, or "
        "change the setting, to publish it.",
        "| Folder or file | Notes | Why |\n| --- | ---: | --- |",
        (f"| {path_cell(h.path)} | {h.notes} | {h.reason.replace('|', chr(92) + '|')} |" for h in hidden),
    )


def render_unpublished_notes(unpublished: Sequence[UnpublishedNote]) -> str:
    """The report section naming the notes whose front matter keeps them off the site."""
    return _listing_section(
        "Unpublished notes { #unpublished-notes }",
        "Notes whose front matter says `draft: true` or `publish: false` are left out of the site: no page, "
        "no merged text, no repairs or words in this report. Remove the field to publish the note.",
        "| Note | Field |\n| --- | --- |",
        (f"| {path_cell(u.path)} | {code_cell(u.field)} |" for u in unpublished),
    )


def note_annotations(contradictions: Sequence[Contradiction]) -> dict[Source, tuple[str, ...]]:
    """The warning placed after each block that makes a claim the matrix contradicts."""
    by_source: dict[Source, list[str]] = defaultdict(list)
    for item in contradictions:
        by_source[item.source].append(contradiction_admonition(item, None))
    return {source: tuple(texts) for source, texts in sorted(by_source.items())}


def note_body(note: Note, annotations: Mapping[Source, Sequence[str]],
              notices: Mapping[Source, Sequence[str]] = {}) -> str:
    """A note's normalised Markdown rebuilt from its sections, with each inline footnote as a reference (its
    definition at the end), the `annotations` (pointers) after the blocks they concern, and each of the
    `notices` once on the page, after its block or, for a list item, after the list."""
    parts: list[str] = []
    inline: list[str] = []  # the definitions of its inline footnotes
    next_label = label_maker((defined_labels(note.markdown) | referenced_labels(note.markdown)).__contains__)
    shown: set[tuple[str, str]] = set()
    for section in note.sections:
        if section.level > 1:
            parts.append(section.heading or f"{'#' * min(section.level, DEEPEST_HEADING)} {md_text(section.title)}")
        group: list[Block] = []
        pending: list[str] = []  # notices waiting for the end of their list
        loose = False  # Python-Markdown reads a list as loose from its first blank line on
        kinds = ListKinds()
        for block in section.blocks:
            warnings = [text.rstrip("\n") for text in annotations.get(block.source, ())]
            if "^[" in block.markdown and block.kind not in LITERAL_KINDS:
                markdown, found = as_references(block.markdown, next_label)
                block = replace(block, markdown=markdown)
                inline += [definition for _, definition in found]
            is_item = block.kind == "list_item"
            other_kind = kinds.starts_other(block)
            if pending and (other_kind or not (is_item or block.depth)):
                if group:
                    parts.append(join_blocks(tuple(group)))
                    group = []
                parts.extend(pending)
                pending = []
                loose = False
            if other_kind:
                if group:
                    parts.append(join_blocks(tuple(group)))
                    group = []
                parts.append(LIST_SEPARATOR)
                loose = False
            loose = loose and is_item
            for notice in notices.get(block.source, ()):
                if notice_key(notice) not in shown:
                    shown.add(notice_key(notice))
                    pending.append(notice.rstrip("\n"))
            if is_item and (warnings or loose):
                if warnings:
                    # Inside the item, so that the items after it stay in the same list and out of the pointer.
                    inside = "\n\n".join(indent(text, "    ") for text in warnings)
                    block = replace(block, markdown=f"{block.markdown}\n\n{inside}")
                if group:
                    parts.append(join_blocks(tuple(group)))
                    group = []
                parts.append(join_blocks((block,)))
                loose = True
                continue
            group.append(block)
            if warnings or pending and not (is_item or block.depth):
                parts.append(join_blocks(tuple(group)))
                parts.extend(warnings)
                parts.extend(pending)
                group, pending = [], []
        if group:
            parts.append(join_blocks(tuple(group)))
        parts.extend(pending)
    return "\n\n".join(part for part in [*parts, *inline] if part.strip())


def section_subjects(result: MergeResult, matrix: Matrix) -> dict[tuple[str, str], list[str]]:
    """The matrix subjects each merged section names, keyed by (page, section id), found once for every use."""
    subjects = {}
    for page in result.pages:
        for section in page.sections:
            subjects[(page.path, section.id)] = find_subjects_in(
                [section.title, *(b.block.markdown for b in section.blocks)], matrix
            )
    return subjects


def matrix_mentions(result: MergeResult, subjects: dict[tuple[str, str], list[str]]) -> dict[str, list[Mention]]:
    """Which merged sections discuss which service or layer, for links from the matrix to the notes."""
    mentions: dict[str, list[Mention]] = defaultdict(list)
    for page in result.pages:
        for section in page.sections:
            for key in subjects[(page.path, section.id)]:
                mentions[key].append(Mention(f"{page.title} › {section.title}", page.path, section.id))
    return dict(mentions)


def section_matrix_links(
    result: MergeResult, matrix: Matrix, subjects: dict[tuple[str, str], list[str]]
) -> dict[tuple[str, str], tuple[str, ...]]:
    """One 'See in the matrix' line for each topic section that names services or layers, each target once,
    after the last of the section's note headings (they are part of it)."""
    links: dict[tuple[str, str], tuple[str, ...]] = {}
    for page in result.pages:
        groups: list[list] = []
        for section in page.sections:
            if section.note is None or not groups:
                groups.append([])
            groups[-1].append(section)
        for group in groups:
            keys = dict.fromkeys(key for section in group if section.blocks
                                 for key in subjects[(page.path, section.id)])
            targets = dict.fromkeys(subject_target(key, matrix) for key in keys)
            last = [section for section in group if section.blocks]
            if not targets or not last:
                continue
            items = " · ".join(
                f"[{label}](page:{target}{'#' + anchor if anchor else ''})" for target, anchor, label in targets
            )
            links[(page.path, last[-1].id)] = (
                f'<small class="handbook-matrix-links">See in the matrix: {items}</small>',)
    return links


def home_titles(result: MergeResult) -> dict[tuple[str, str | None], str]:
    """The titles of the places a note's blocks can end up, keyed by (page, None) for a page and (page,
    section id) for a section ("" where the section is the page's own, untitled or titled as the page);
    the first page with a path names it."""
    titles: dict[tuple[str, str | None], str] = {}
    for topic in (*result.pages, *result.other_pages):
        if (topic.path, None) in titles:
            continue
        titles[(topic.path, None)] = topic.title
        for section in topic.sections:
            titles.setdefault((topic.path, section.id), section.title if section.title != topic.title else "")
    return titles


def note_homes(note: Note, result: MergeResult, titles: Mapping[tuple[str, str | None], str]) -> tuple[Home, ...]:
    """The pages a note's blocks ended up on, each with the sections that hold them, in the note's order."""
    pages: dict[str, list[tuple[str, str]]] = {}
    seen: set[tuple[str, str | None]] = set()
    for section in note.sections:
        for block in section.blocks:
            home = result.block_home(block.source)
            if home in seen:
                continue
            seen.add(home)
            page, anchor = home
            found = pages.setdefault(page, [])
            title = titles.get(home, "") if anchor is not None else ""
            if title:
                found.append((title, anchor))
    return tuple(Home(titles.get((page, None), page), page, tuple(sections)) for page, sections in pages.items())


@dataclass(frozen=True)
class BuildState:
    """What the stages before render hand it: the notes, what merging made of them, and the data."""

    notes: Sequence[Note]
    sizes: Mapping[str, int]  # each note's size in bytes, by path
    findings: Sequence[Finding]
    merge: MergeResult
    matrix: Matrix
    glossary: Glossary
    templates_dir: Path
    notes_root: Path
    notes_label: str  # the notes folder as messages and pages name it
    redirects: tuple[RedirectMap, YamlDocument] | None = None
    hidden: Sequence[HiddenNotes] = ()
    unpublished: Sequence[UnpublishedNote] = ()
    # Each Markdown page as UTF-8 bytes as soon as it is final (the build, which writes them as they are); as text
    # for callers that read the pages. In text, one curly quote or arrow makes a whole page two bytes a character:
    # at ten thousand notes the pages held until the write stage were then hundreds of megabytes.
    pages_as_bytes: bool = False


def _in_place(pages: list[GeneratedFile], final: Callable[[GeneratedFile], GeneratedFile]) -> list[GeneratedFile]:
    """The pages made final one by one, each page's former text let go as soon as its final one exists."""
    for number, page in enumerate(pages):
        pages[number] = final(page)
    return pages


def render_site(state: BuildState) -> RenderedSite:
    """All pages, with every cross-page link resolved, and the machine-readable exports."""
    notes, result, matrix, findings = state.notes, state.merge, state.matrix, state.findings
    templates_dir, hidden, unpublished = state.templates_dir, state.hidden, state.unpublished
    all_blocks = [block for note in notes for section in note.sections for block in section.blocks]
    all_sections: list[Section] = [section for note in notes for section in note.sections]
    contradictions = tuple(find_contradictions(all_blocks, matrix, sections=all_sections))
    titles = home_titles(result)
    notices = note_annotations(contradictions)
    pointers = merged_pointers(result, titles)
    # A page without notices, pointers or inline footnotes shows the normalised note as it is (test_render
    # holds the two equal).
    rebuilt = {source.note for source in (*notices, *pointers)} | {note.path for note in notes if "^[" in note.markdown}
    # Without their bodies: each is made as its page is rendered (with_body), so that the bodies of all the notes,
    # together as large as the notes, are never held at once.
    views = [note_view(note, state.sizes[note.path], note_homes(note, result, titles), body="",
                       addresses=result.addresses) for note in notes]
    by_path = {note.path: note for note in notes}

    def with_body(view: NoteView) -> NoteView:
        note = by_path[view.path]
        return replace(view, body=note_body(note, pointers, notices) if note.path in rebuilt
                       else body_without_title(note.markdown))

    index = NoteIndex(notes, unpublished, hidden)
    missing_links = find_missing_links(notes, index)
    wanted = wanted_notes(missing_links)
    totals = account_totals(notes, result, unpublished)
    counts = (
        ("notes read", len(notes)),
        ("hidden notes skipped", sum(h.notes for h in hidden)),
        ("unpublished notes", len(unpublished)),
        ("duplicate notes", result.counts.duplicate_notes),
        ("input blocks", result.counts.input_blocks),
        ("blocks kept", result.counts.kept),
        ("blocks merged", result.counts.merged),
        ("blocks left out", totals.left_out),
        ("blocks unaccounted", totals.unaccounted),
        ("repairs", sum(len(note.repairs) for note in notes)),
        ("words reported", len(findings)),
        ("unassigned sections", len(result.unassigned)),
        ("flagged claims", len(contradictions)),
        ("unresolved links", len(missing_links)),
    )
    shown = shown_pages(result.account)
    # Before the pages: the report is the largest file, and writing it while they are held made the build's peak.
    report_file = GeneratedFile("report.json", _report_json(views, counts, contradictions, shown, missing_links,
                                                            wanted, totals, state))

    assets = asset_addresses(notes)
    abbreviations = Abbreviations(state.glossary)

    def final(page: GeneratedFile, resolve: bool = True) -> GeneratedFile:
        """The page as written: its links resolved, the terms it uses defined after its text (see pages_as_bytes)."""
        if resolve:
            page = resolve_links([page], index, result.note_home, result.addresses, assets)[0]
        page = abbreviations.append_to(page)
        if state.pages_as_bytes and isinstance(page.content, str) and page.path.endswith(".md"):
            return GeneratedFile(page.path, page.content.encode("utf-8"))
        return page

    # Each group is made final as it comes, the note pages one by one: no page is held twice, nor as text longer
    # than it takes to finish it.
    pages: list[GeneratedFile] = []
    subjects = section_subjects(result, matrix)
    # A topic page shows the block a merged one joined, so the pointers to it would point at the page itself.
    pages += _in_place(render_topic_pages(result, notices, section_matrix_links(result, matrix, subjects),
                                          templates_dir), final)
    pages += _in_place(list(render_matrix_pages(matrix, templates_dir, matrix_mentions(result, subjects))), final)
    pages += render_note_pages(views, templates_dir, state.notes_label, final, with_body)
    pages += _in_place(asset_files(notes, state.notes_root, state.notes_label, assets), final)
    pages.append(final(abbreviations.snippet()))
    pages.append(final(render_glossary_page(state.glossary, templates_dir)))

    if state.redirects is not None:
        titles = {page.path: page.title for page in (*result.pages, *result.other_pages)}
        pages += _in_place(render_redirects(*state.redirects, {p.path for p in pages if p.path.endswith(".md")},
                                            titles, moved_note_pages(result.titles, result.addresses)), final)

    report_sections = [render_hidden_notes(hidden)] if hidden else []
    report_sections += [render_unpublished_notes(unpublished)] if unpublished else []
    report_sections += [
        "## Flagged claims { #contradictions }\n\n"
        "Claims in the notes that the responsibility matrix contradicts, or that AWS's documentation says are "
        "wrong, outdated, incomplete or unclear; each is flagged once on the page that shows it, after its "
        "block.\n\n"
        + contradiction_report(contradictions, REPORT_PAGE, REPORT_TABLE_LIMIT, result.addresses,
                               shown).rstrip("\n"),
        render_block_account(totals, result, unpublished, hidden, REPORT_PAGE, REPORT_TABLE_LIMIT),
        render_merge_audit(result, REPORT_PAGE, limit=REPORT_TABLE_LIMIT).rstrip("\n"),
        render_repairs_section(views, findings, missing_links, templates_dir, REPORT_TABLE_LIMIT, wanted,
                               result.addresses),
    ]
    # Its links stay as written: the report quotes them, never follows them.
    pages.append(final(render_report_page(views, counts, report_sections, templates_dir, limit=REPORT_TABLE_LIMIT),
                       resolve=False))
    exports = [GeneratedFile(name, text) for name, text in sorted(matrix_exports(matrix).items())]
    exports.append(report_file)
    return RenderedSite(tuple(pages), tuple(exports), counts, contradictions, tuple(missing_links))


def _report_json(views: Sequence[NoteView], counts: tuple[tuple[str, int], ...],
                 contradictions: Sequence[Contradiction], shown: Mapping[Source, str],
                 missing_links: Sequence[MissingLink], wanted: Sequence[WantedNote], totals: AccountTotals,
                 state: BuildState) -> bytes:
    """report.json: every figure, note, claim, repair, word, link and merge of the build, as UTF-8."""
    notes, result, findings, hidden, unpublished = state.notes, state.merge, state.findings, state.hidden, \
        state.unpublished
    report = {
        "counts": dict(counts),
        "hidden_notes": [{"path": h.path, "notes": h.notes, "reason": h.reason} for h in hidden],
        "unpublished_notes": [{"path": u.path, "field": u.field} for u in unpublished],
        "notes": ({"path": v.path, "title": v.title, "lines": v.raw_lines, "bytes": v.size} for v in views),
        "contradictions": [claim_json(c, shown) for c in contradictions],
        "repairs": (  # a generator: report_json writes each record as it comes
            {"note": r.note, "line": r.line, "rule": r.rule, "before": r.before, "after": r.after}
            for note in notes for r in note.repairs
        ),
        "suspicious_words": [{"note": f.note, "line": f.line, "word": f.word, "reason": f.reason} for f in findings],
        "unresolved_links": [
            {"note": m.note, "line": m.line, "target": m.target, "text": m.text,
             **({"unpublished": m.unpublished} if m.unpublished else {}), **({"hidden": m.hidden.describe()} if m.hidden else {})}
            for m in missing_links
        ],
        "wanted_notes": [{"name": w.name, "links": w.links, "notes": w.notes} for w in wanted],
        "merge": merge_report(result),
        "account": account_json(totals, result, unpublished, hidden),
    }
    return report_json_bytes(report)
