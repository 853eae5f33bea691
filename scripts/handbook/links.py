"""Resolve `note:`, `asset:` and `page:` link targets into relative links between generated pages.

The normaliser turns `[[Note#Heading|text]]` into `[text](note:Note#Heading)` and
`![[image.png]]` into `![image.png](asset:path/image.png)`, and a Markdown link to a
path or heading in the notes folder likewise, because where a note's
content ends up is only known after merging. Text that appears on more than
one page (a warning shown on a topic page and on its note's page) links with
`page:<generated page path>#anchor`. This pass runs over every generated page
once everything is placed.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from .model import Asset, GeneratedFile, Note
from .normalise.lexer import LINK_GAP, LINK_SEPARATOR, LINK_TITLE
from .normalise.obsidian.embeds import MISSING_IMAGE_CLASS
from .paths import (
    ASSETS_DIR, NoteAddresses, heading_anchor, name_key, own_addresses, path_slug, rel_link, same_looking_names,
)
from .load import HiddenNotes
from .publish import UnpublishedNote

log = logging.getLogger("handbook")

# The link text is written as an unrolled loop (runs of plain characters between escapes): the same
# strings as `(?:[^\[\]\\]|\\.)*`, matched a run at a time instead of a character at a time. The
# pattern starts at `[` so that the regex engine can skip to each `[`; an image's `!` is looked up
# before it (see rewrite_link_targets).
# A Markdown link's title ("…", '…' or (…)) is kept after the rewritten target.
# A link's text may also hold brackets in balanced pairs, two deep (`[[a][b]](…)`), as Python-Markdown reads it;
# each pair opens with the one character a run of plain text cannot hold, so no text is read two ways, and the
# runs are possessive. It is tried only at brackets that open a link (link_matches): not after one backslash
# (`\[` is a bracket as text), but after two (`\\[`: the backslash is). The check comes after the `[`, so that
# the search still skips from one `[` to the next.
_PLAIN_RUN = r"[^\[\]\\]*+(?:\\.[^\[\]\\]*+)*+"
_INNER_PAIR = r"\[" + _PLAIN_RUN + r"\]"
_PAIR = r"\[" + _PLAIN_RUN + r"(?:" + _INNER_PAIR + _PLAIN_RUN + r")*\]"
_LINK_TEXT = _PLAIN_RUN + r"(?:" + _PAIR + _PLAIN_RUN + r")*"
# The normaliser keeps a line end written in a link (CommonMark allows one between `](`, target, title and
# `)`); the next line may start with indentation, in a list item, or a quote's markers (`> )`), which the page
# does not show.
_NEXT_LINE = r"\n(?![ \t]*(?:>[ \t]*)*\n)[ \t]*(?:>[ \t]?)*[ \t]*"
LINK_TARGET = re.compile(
    r"\[(?<!(?<!\\)\\.)(" + _LINK_TEXT + r")\]\((?:" + _NEXT_LINE + r")?(note|asset|page):([^)\s]*)"
    r"((?:(?:" + LINK_SEPARATOR + r"|[ \t]*" + _NEXT_LINE + r")" + LINK_TITLE + r")?)(?:" + LINK_GAP + r"|[ \t]*"
    + _NEXT_LINE + r")\)"
)
# A link reference definition whose target the normaliser wrote with one of those schemes.
DEFINITION_TARGET = re.compile(r"(?m)^([ ]{0,3}\[((?:[^\[\]\\\n]|\\.)+)\]:[ \t]*)(note|asset|page):(\S*)(.*)$")
_LINK_SCHEMES = ("](note:", "](asset:", "](page:")
_NEXT_LINE_SCHEME = re.compile(r"\]\(\n[ \t>]*(?:note|asset|page):")  # the target on the link's next line


def _holds_link_target(text: str) -> bool:
    """Whether a text may hold a `note:`/`asset:`/`page:` link (a quick test before the pattern)."""
    return any(scheme in text for scheme in _LINK_SCHEMES) or "](\n" in text and _NEXT_LINE_SCHEME.search(text) is not None


# (page, anchor) for a note and an optional heading, or None when unknown.
HomeFinder = Callable[[str, str | None], tuple[str, str | None] | None]


MISSING_LINK_CLASS = "handbook-missing-link"
# Every character Python-Markdown's inline patterns could read inside the tooltip before the tag is
# kept as raw HTML (escapes, code spans, links, emphasis), or that would end the attribute or a table cell.
_ATTRIBUTE_ENTITIES = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'|\\`[]()*_"})


@dataclass(frozen=True)
class LeftOutNote:
    """A note in a hidden or ignored place, which the build never read: its path and why it is left out."""

    path: str
    reason: str

    def describe(self) -> str:
        """The note and the reason, as tooltips and the report show them."""
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class MissingLink:
    """A link in a note to a note or file that is not in the notes folder; shown as marked text and reported."""

    note: str
    line: int
    target: str
    text: str
    unpublished: str = ""  # for a note kept off the site: its field ("draft: true"); "" for a missing note
    hidden: LeftOutNote | None = None  # for a note in a hidden or ignored place


def heading_anchors(note: Note) -> dict[str, str]:
    """Heading text (lower-cased) -> the anchor Python-Markdown's toc gives it on the note's own page."""
    anchors: dict[str, str] = {}
    used: set[str] = {"as-written", "repairs"}
    for section in note.sections[1:]:
        base = heading_anchor(section.title)
        anchor, n = base, 0
        while anchor in used:
            n += 1
            anchor = f"{base}_{n}"
        used.add(anchor)
        anchors.setdefault(section.title.lower(), anchor)
    return anchors


class NoteIndex:
    """Finds a note by the names a wikilink may use: path, file name, title or alias (case-insensitive)."""

    def __init__(self, notes: Sequence[Note], unpublished: Sequence[UnpublishedNote] = (),
                 hidden: Sequence[HiddenNotes] = ()):
        self.by_name: dict[str, Note] = {}
        for note in notes:  # first writer wins, in path order, so lookups are deterministic
            for name in note.link_names:
                self.by_name.setdefault(name_key(name), note)
        self.anchors = {note.path: heading_anchors(note) for note in notes}
        self.unpublished: dict[str, UnpublishedNote] = {}
        for left_out in unpublished:
            for name in left_out.link_names:
                self.unpublished.setdefault(name_key(name), left_out)
        # A note the build never read is known by its path and file name only (its title is inside it).
        self.hidden: dict[str, LeftOutNote] = {}
        for place in hidden:
            for path in place.note_paths:
                stem = posixpath.splitext(path)[0]
                for name in (path, stem, posixpath.basename(stem)):
                    self.hidden.setdefault(name_key(name), LeftOutNote(path, place.reason))

    def find(self, target: str) -> Note | None:
        """The note a wikilink target names, or None."""
        return self.by_name.get(name_key(target.strip()))

    def unpublished_field(self, target: str) -> str:
        """For a target that names no published note: the field that keeps the note it names off the site, or ""."""
        found = self.unpublished.get(name_key(target.strip()))
        return found.field if found is not None else ""

    def hidden_note(self, target: str) -> LeftOutNote | None:
        """For a target that names no note the build read: the hidden or ignored note it names, or None."""
        return self.hidden.get(name_key(target.strip()))


def target_name(target: str) -> str:
    """The note a `note:` link's (unquoted) target names, without the heading after its `#`."""
    return target.partition("#")[0].strip()


def missing_link(text: str, target: str, unpublished: str = "", hidden: LeftOutNote | None = None) -> str:
    """A link's text, marked as a link to a missing note (as Obsidian shows one) with the name it asked for;
    `unpublished` is the field of a note that is there but kept off the site, `hidden` a hidden or ignored note."""
    why = (f"is marked {unpublished} and not published" if unpublished
           else f"is left out of the site ({hidden.describe()})" if hidden else "is not in the notes folder")
    tooltip = f"\u201c{target_name(target)}\u201d {why}".translate(_ATTRIBUTE_ENTITIES)
    return f'<span class="{MISSING_LINK_CLASS}" title="{tooltip}">{text}</span>'


def _note_targets(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, target, link text) of each `note:` link and link definition in a text."""
    for match in link_matches(text):
        if match.group(2) == "note":
            yield match.start(), unquote(match.group(3)), match.group(1)
    if "]: note:" in text:
        for match in DEFINITION_TARGET.finditer(text):
            if match.group(3) == "note":
                yield match.start(), unquote(match.group(4)), match.group(2)


def _places(note: Note) -> Iterator[tuple[int, str]]:
    """(raw line, normalised Markdown) of every part of a note that can hold a link."""
    title = note.sections[0].source.line if note.sections else 0
    # The title is plain text on every page, but the links it was written with still name notes.
    if note.title_markup:
        yield title, note.title_markup
    for section in note.sections:
        if section.heading:
            yield section.source.line, section.heading
        for block in section.blocks:
            yield block.source.line, block.markdown


def find_missing_links(notes: Sequence[Note], index: NoteIndex) -> list[MissingLink]:
    """Every link in the notes to a note that is not in the notes folder, once per note, line and target:
    notes in the order given, each by line."""
    missing: dict[tuple[int, int, str], MissingLink] = {}
    for number, note in enumerate(notes):
        for line, text in _places(note):
            if "note:" not in text:
                continue
            for offset, target, label in _note_targets(text):
                name = target_name(target)
                if index.find(name) is None:
                    at = line + text.count("\n", 0, offset)
                    missing.setdefault((number, at, target),
                                       MissingLink(note.path, at, target, label, index.unpublished_field(name),
                                                   index.hidden_note(name)))
    # By note and line; links on one line in the order they come (the sort is stable).
    return [missing[key] for key in sorted(missing, key=lambda key: key[:2])]


# Files a note may attach that the site publishes: ones a browser shows, plays or downloads but never
# opens as a page of the site's own origin. A PDF opens in the browser's own viewer, whose scripting (if
# any) is kept apart from the site. Anything else (HTML, SVG, any XML, which browsers open as a page
# that can run script; scripts; kinds not listed) is left out, so that a note cannot publish a page
# that runs script as the site.
PUBLISHED_EXTENSIONS = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".ico", ".tif", ".tiff",
    ".pdf",
    ".mp3", ".m4a", ".wav", ".ogg", ".oga", ".flac", ".aac", ".opus", ".weba",
    ".mp4", ".m4v", ".webm", ".ogv", ".mov",
    ".txt", ".csv", ".tsv", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".rtf",
    ".epub", ".zip", ".gz", ".tgz", ".7z",
})
# Why an active kind of file is left out, for the warning and the tooltip.
_ACTIVE_KINDS = {
    **dict.fromkeys((".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml"),
                    "a web page, which could run script as the site"),
    **dict.fromkeys((".svg", ".svgz"), "an SVG image, which runs its script when opened as the site"),
    **dict.fromkeys((".xml", ".xsl", ".xslt", ".rss", ".atom", ".rdf"),
                    "an XML file, which a browser may open as a page that runs script"),
    **dict.fromkeys((".js", ".mjs", ".wasm"), "a script"),
}
WITHHELD_CLASS = "handbook-withheld-file"


def withheld_reason(source_path: str) -> str:
    """Why the site does not publish a file a note attaches; "" for a file it publishes (PUBLISHED_EXTENSIONS)."""
    extension = posixpath.splitext(source_path)[1].lower()
    if extension in PUBLISHED_EXTENSIONS:
        return ""
    if extension in _ACTIVE_KINDS:
        return _ACTIVE_KINDS[extension]
    return f"a {extension or 'nameless'} file, which is not a kind the site publishes"


def withheld_file(text: str, source_path: str, bang: str) -> str:
    """A link to or an embed of a file the site leaves out: its text, marked, with a tooltip saying why."""
    name = posixpath.basename(source_path)
    tooltip = f"\u201c{name}\u201d is not published: {withheld_reason(source_path)}".translate(_ATTRIBUTE_ENTITIES)
    classes = f"{MISSING_IMAGE_CLASS} {WITHHELD_CLASS}" if bang else f"{MISSING_LINK_CLASS} {WITHHELD_CLASS}"
    shown = f"File not published: {name.translate(_ATTRIBUTE_ENTITIES)}" if bang else text
    return f'<span class="{classes}" title="{tooltip}">{shown}</span>'


def withhold_active_files(notes: Sequence[Note], notes_label: str = "") -> None:
    """Warn, once per note, line and file, about each attached file the site leaves out (withheld_reason)."""
    warned: set[tuple[str, int, str]] = set()
    for note in notes:
        for asset in note.assets:
            reason = withheld_reason(asset.source_path)
            key = (note.path, asset.line, asset.source_path)
            if reason and key not in warned:
                warned.add(key)
                where = f"{notes_label}/{asset.note}" if notes_label else asset.note
                log.warning("%s:%d: attached file %r is not published: expected an image, PDF, audio, video or "
                            "document; received %s; shown as text, not as a link", where, asset.line,
                            asset.source_path, reason)


def asset_page_path(source_path: str) -> str:
    """Where an embedded file is copied: assets/<slugified folders>/<slugified name>.<ext>."""
    folder, name = posixpath.split(source_path)
    stem, dot, ext = name.rpartition(".")
    stem = stem if dot else name
    parts = [path_slug(p) for p in folder.split("/") if p] + [path_slug(stem) + (f".{ext.lower()}" if dot else "")]
    return f"{ASSETS_DIR}/" + "/".join(parts)


@dataclass(frozen=True)
class AssetAddresses:
    """Where each embedded file is copied: asset_page_path's address, but for files whose names clash once
    made addresses ('img/a b.png' and 'img/a-b.png'), each of which has one of its own."""

    own: Mapping[str, str] = field(default_factory=dict)  # file path -> its address, where not asset_page_path's
    clashes: tuple[tuple[str, ...], ...] = ()

    def address(self, source_path: str) -> str:
        return self.own.get(source_path) or asset_page_path(source_path)


def _first_embeds(notes: Sequence[Note]) -> dict[str, Asset]:
    """Each published embedded file (see withheld_reason), with the first place a note embeds it."""
    first_embed: dict[str, Asset] = {}
    for note in notes:
        for asset in note.assets:
            if not withheld_reason(asset.source_path):
                first_embed.setdefault(asset.source_path, asset)
    return first_embed


def asset_addresses(notes: Sequence[Note]) -> AssetAddresses:
    """The addresses of every file the notes embed; where names clash, the one written as the address keeps
    it and each other gets a short hash of its path before its extension (see own_addresses)."""
    own, clashes = own_addresses(
        _first_embeds(notes), asset_page_path,
        written_as=lambda path, address: posixpath.basename(path) == posixpath.basename(address),
        with_suffix=lambda address, suffix: re.sub(r"(\.[^./]*)?$", lambda end: f"-{suffix}{end.group()}", address, count=1),
    )
    return AssetAddresses(own, clashes)


def asset_files(notes: Sequence[Note], notes_root: Path, notes_label: str = "",
                addresses: AssetAddresses | None = None) -> list[GeneratedFile]:
    """Copies of every file the notes embed, each once, but for those withheld_reason leaves out (with a
    warning); files whose names make one address each get their own, with a warning once for each set."""
    withhold_active_files(notes, notes_label)
    first_embed = _first_embeds(notes)
    addresses = addresses or asset_addresses(notes)
    for clash in addresses.clashes:
        embed = first_embed[clash[0]]
        where = f"{notes_label}/{embed.note}" if notes_label else embed.note
        log.warning("%s:%d: the embedded file %r makes the same address as %s; each file is copied to an address "
                    "of its own, all but one with a short suffix; to choose which, %s", where, embed.line, clash[0],
                    " and ".join(repr(path) for path in clash[1:]), same_looking_names(clash[0], clash[1]))
    return [GeneratedFile(addresses.address(path), (notes_root / path).read_bytes()) for path in sorted(first_embed)]


# A link inside another's text (`[[a](note:x)](note:y)`) is rewritten on a later pass than the one around it.
_LINK_PASSES = 4
# A bracket after a run of backslashes, read from the run's start: an odd run escapes the bracket.
_BRACKET = re.compile(r"(?<!\\)(\\*)\[")


def link_matches(text: str) -> Iterator[re.Match]:
    """The `note:`/`asset:`/`page:` links of a text, in order, from brackets that are not escaped (tried from
    each of a line of escaped ones, the pattern read on to the line's end each time)."""
    if "\\\\\\[" not in text:
        yield from LINK_TARGET.finditer(text)  # its look-behind tells escapes of up to two backslashes apart
        return
    end = 0
    for bracket in _BRACKET.finditer(text):
        start = bracket.end() - 1
        if len(bracket.group(1)) % 2 or start < end:
            continue
        match = LINK_TARGET.match(text, start)
        if match is not None:
            end = match.end()
            yield match


def rewrite_link_targets(text: str, replace: Callable[[re.Match, str], str]) -> str:
    """Each `[text](note:|asset:|page:…)` (with the `!` of an image, if any) replaced by replace(match, bang),
    links in other links' text included."""
    for _ in range(_LINK_PASSES):
        rewritten = _rewrite_once(text, replace)
        if rewritten == text or not _holds_link_target(rewritten):
            return rewritten
        text = rewritten
    return text


def _rewrite_once(text: str, replace: Callable[[re.Match, str], str]) -> str:
    pieces: list[str] = []
    done = 0
    for match in link_matches(text):
        start = match.start()
        bang = "!" if start > done and text[start - 1] == "!" else ""
        pieces.append(text[done:start - len(bang)])
        pieces.append(replace(match, bang))
        done = match.end()
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def link_texts(markdown: str) -> str:
    """Each `note:`/`asset:`/`page:` link (or image) of a text as its text alone: for an excerpt shown away
    from the page it was resolved for (the build report quotes blocks), where such a target would be a
    dead link that the site's URL check (urlcheck.py) refuses."""
    return rewrite_link_targets(markdown, lambda match, bang: match.group(1))


def resolve_links(files: list[GeneratedFile], index: NoteIndex, home_of: HomeFinder,
                  addresses: NoteAddresses = NoteAddresses(), assets: AssetAddresses = AssetAddresses()
                  ) -> list[GeneratedFile]:
    """Rewrite every `note:`/`asset:` target in the Markdown pages; a link to a missing note becomes its text,
    marked as missing (find_missing_links reports it where the note wrote it).

    The list is rewritten in place and returned: at ten thousand notes the pages are a few hundred
    megabytes, and each page's old text is let go as soon as its new text exists.
    """
    for position, item in enumerate(files):
        if not item.path.endswith(".md") or not isinstance(item.content, str):
            continue
        if not _holds_link_target(item.content) and "]: note:" not in item.content and "]: asset:" not in item.content:
            continue

        def url(scheme: str, target: str, page: str = item.path) -> str | None:
            if scheme == "asset":
                return rel_link(page, assets.address(unquote(target)))
            if scheme == "page":
                to_page, _, anchor = target.partition("#")
                return rel_link(page, to_page, anchor or None)
            name, _, heading = unquote(target).partition("#")
            note = index.find(name)
            if note is None:
                return None
            home = home_of(note.path, heading or None)
            if home is None:
                anchor = index.anchors[note.path].get(heading.lower()) if heading else None
                home = (addresses.page(note.path), anchor)
            return rel_link(page, home[0], home[1])

        def replace(match: re.Match, bang: str) -> str:
            text, scheme, target, title = match.groups()
            if scheme == "asset" and withheld_reason(unquote(target)):
                return withheld_file(text, unquote(target), bang)
            found = url(scheme, target)
            if found is None:
                target = unquote(target)
                return missing_link(text, target, index.unpublished_field(target_name(target)),
                                    index.hidden_note(target_name(target)))
            return f"{bang}[{text}]({found}{title})"

        def replace_definition(match: re.Match) -> str:
            head, label, scheme, target, rest = match.groups()
            found = None if scheme == "asset" and withheld_reason(unquote(target)) else url(scheme, target)
            # Without its definition, a reference shows as the text it is.
            return "" if found is None else f"{head}{found}{rest}"

        content = rewrite_link_targets(item.content, replace)
        if "]: note:" in content or "]: asset:" in content:
            content = DEFINITION_TARGET.sub(replace_definition, content)
        files[position] = GeneratedFile(item.path, content)
    return files
