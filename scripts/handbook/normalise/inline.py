"""Inline repairs inside one block's text: Obsidian links and embeds, hazards, spelling and names.

A small lexer splits the text into prose and protected spans (code, URLs, link targets, raw HTML,
templates...). Rules that change words only ever see prose, so code and addresses stay exactly as
written. The block structure itself comes from markdown-it; this module never decides structure.
"""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass
from typing import Callable
from urllib.parse import parse_qs, quote, unquote, urlsplit

import nh3
from markdown_it.common.html_re import HTML_TAG_RE

from ..model import Asset
from ..paths import file_stem
from .context import NormaliseContext
from .log import RepairLog
from .rules import Rule, rule

MISSING_IMAGE_CLASS = "handbook-missing-image"
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".avif", ".tif", ".tiff"})

_LEXER = re.compile(
    r"(?P<code>(?<!`)(?P<ticks>`+)(?!`)[\s\S]*?(?<!`)(?P=ticks)(?!`))"
    r"|(?P<missing>\*Image not available: (?:[^*\\\n]|\\.)*\*\{ \." + MISSING_IMAGE_CLASS + r" \})"
    r"|(?P<embed>!\[\[[^\[\]\n]+?\]\])"
    r"|(?P<wikilink>\[\[[^\[\]\n]+?\]\])"
    r"|(?P<autolink><(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>)"
    r"|(?P<html>" + HTML_TAG_RE.pattern + r")"
    r"|(?P<dest>\]\((?:[ \t]*<[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))*)(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*\))"
    r"|(?P<reference>\]\[[^\[\]\n]*\])"
    r"|(?P<footnote>\[\^[^\[\]\s]+\])"
    r"|(?P<attr>\{:?[ \t]*(?:[.#][\w-]|[\w-]+=)[^{}\n]*\})"
    r"|(?P<template>\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\})"
    r"|(?P<url>(?:https?|ftp)://[^\s<>()\[\]\\]*[^\s<>()\[\].,;:!?'\"\\]|www\.[^\s<>()\[\]\\]*[^\s<>()\[\].,;:!?'\"\\])"
    r"|(?P<escape>\\[!-/:-@\[-`{-~])"
    r"|(?P<entity>&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
)

TAG = re.compile(r"(?<![\w&#/\\])#((?=[\w/-]*[^\W\d])[\w/-]*\w)")
TAG_LINE = re.compile(r"^(?:#(?=[\w/-]*[^\W\d])[\w/-]*\w[ \t]*)+$")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]<>])")
_SIZE = re.compile(r"^\s*(\d{1,5})(?:\s*[xX]\s*(\d{1,5}))?\s*$")
# The end of an image's alt text with an Obsidian size: `![alt|300` or `![alt\|300x200` (in a table).
_SIZED_IMAGE_END = re.compile(
    r"!\[(?:[^\[\]\\\n|]|\\[^|])*(?P<size>\\?\|[ \t]*(?P<width>\d{1,5})(?:[ \t]*[xX][ \t]*(?P<height>\d{1,5}))?[ \t]*)$"
)
# A link destination with no scheme: a path or an anchor, which only means something inside the notes folder.
# One lookahead, so that `<https://…>` cannot match by leaving its `<` out.
_RELATIVE_TARGET = r"(?![ \t]*<?[ \t]*(?:[A-Za-z][A-Za-z0-9+.-]*:|//|\)|>|$))"
_RELATIVE_DEST = re.compile(r"\]\(" + _RELATIVE_TARGET)
# The label of a link reference definition, `[label]:`, as markdown-it reads it.
REFERENCE_LABEL = r"\[(?P<label>(?:[^\[\]\\\n]|\\.)+)\]:"
_DEST_PARTS = re.compile(r"^\]\([ \t]*(?:<(?P<angled>[^<>\n]*)>|(?P<bare>(?:[^()\s]|\([^()\s]*\))*))(?P<rest>[\s\S]*)$")
REFERENCE_DEFINITION = re.compile(
    r"^(?P<head>[ ]{0,3}" + REFERENCE_LABEL + r"[ \t]*)(?P<target><[^<>\n]*>|\S+)(?P<rest>.*)$"
)
# attr_list writes any attribute a note names onto the element, an event handler or a link's href
# included; a note keeps classes, ids and these.
SAFE_ATTRIBUTES = frozenset({"width", "height", "title", "alt", "lang", "dir"})
_ATTRIBUTE = re.compile(r"""(?P<key>[\w-]+)=(?P<value>"[^"\n]*"|'[^'\n]*'|[^\s}]+)|(?P<shorthand>[.#][\w-]+)|(?P<other>[^\s}]+)""")
# Obsidian's "open" URI (`obsidian://open?vault=…&file=…`), which only opens in the author's own app.
_OBSIDIAN_OPEN_TARGET = re.compile(r"<?[ \t]*obsidian://open\?", re.I)
_OBSIDIAN_OPEN_DEST = re.compile(r"\]\([ \t]*" + _OBSIDIAN_OPEN_TARGET.pattern, re.I)
_UNSAFE_SCHEME = re.compile(r"^\s*<?\s*(?:javascript|vbscript|data(?!:image/(?:png|gif|jpe?g|webp);))\s*:", re.I)
_CONTENT_TAGS = ("script", "style")
_CONTENT_OPENING = re.compile(r"<(script|style)\b", re.I)
_TAG_NAME = re.compile(r"</?([A-Za-z][\w-]*)")
_STARS_BEFORE_LINK = re.compile(r"\*\*(?=\[)")
_BARE_PIPE = re.compile(r"(?<!\\)\|")


@dataclass
class Span:
    """A piece of a block's text: prose (rules may change words) or a protected construct."""

    kind: str
    text: str


# Every construct the lexer knows begins with one of these; anywhere else the text is plain prose,
# so the (slow, many-branched) lexer is only tried where one of them stands.
_LEX_START = re.compile(r"[`*!\[<\]{\\&]|https?://|ftp://|www\.")


def lex(text: str) -> list[Span]:
    """Split text into prose and protected spans, in order; joining them gives the text back."""
    spans: list[Span] = []
    position = 0
    search = _LEX_START.search
    match_at = _LEXER.match
    at = 0
    while True:
        start = search(text, at)
        if start is None:
            break
        begin = start.start()
        match = match_at(text, begin)
        if match is None:
            at = begin + 1
            continue
        if begin > position:
            spans.append(Span("prose", text[position:begin]))
        spans.append(Span(match.lastgroup or "prose", match.group(0)))
        position = at = match.end()
    if position < len(text):
        spans.append(Span("prose", text[position:]))
    return spans


def lex_with_offsets(text: str) -> list[tuple[str, int, str]]:
    """lex(text) as (kind, offset in the text, text) of each span."""
    spans: list[tuple[str, int, str]] = []
    position = 0
    for span in lex(text):
        spans.append((span.kind, position, span.text))
        position += len(span.text)
    return spans


def escape_text(text: str) -> str:
    """Escape the characters that would start Markdown syntax inside link or emphasis text."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def note_link(target: str, heading: str, alias: str) -> str:
    """A Markdown link to another note with a `note:` URL the renderer resolves later."""
    target = target.strip()
    heading = heading.strip()
    # A link to a block (`#^fact-1`) reads as the note's name: the block id is not text.
    shown = file_stem(target) if heading.startswith("^") else heading.rsplit("#", 1)[-1].strip()
    text = alias.strip() or shown or target or "link"
    url = "note:" + quote(target, safe="/")
    if heading:
        url += "#" + quote(heading, safe="")
    return f"[{escape_text(text)}]({url})"


@dataclass
class Unit:
    """The text of one block being repaired, with the parsed-text line of each of its lines."""

    lines: list[int]
    log: RepairLog
    ctx: NormaliseContext
    assets: list
    in_table: bool = False

    def line_at(self, text: str, offset: int) -> int:
        """The parsed-text line of a character offset in `text` (a newline-for-newline image of the unit)."""
        return self.line_after(text.count("\n", 0, offset))

    def line_after(self, newlines: int) -> int:
        """The parsed-text line after `newlines` line ends of the unit's text."""
        return self.lines[min(newlines, len(self.lines) - 1)]


# ---- Obsidian syntax (applied first, on the whole unit) -------------------------------------------


def convert_embed(inner: str, unit: Unit, line: int) -> str:
    """Resolve one `![[...]]` embed to an asset image, a note link, or a visible missing-image note."""
    inner = inner.replace("\\|", "|")
    target, _, option = inner.partition("|")
    target, _, heading = target.partition("#")
    target = target.strip()
    extension = posixpath.splitext(target)[1].lower()
    original = f"![[{inner}]]"
    if extension in ("", ".md"):
        link = note_link(target[:-3] if extension == ".md" else target, heading, option)
        unit.log.repair(line, "obsidian-transclusion", original, link)
        return link
    name = posixpath.basename(target)
    found = unit.ctx.find_file(target)
    if found is None:
        missing = f"*Image not available: {escape_text(name)}*{{ .{MISSING_IMAGE_CLASS} }}"
        unit.log.repair(line, "obsidian-embed-missing", original, missing)
        return missing
    unit.assets.append(Asset(found, unit.log.note, unit.log.raw_line(line)))
    size = _SIZE.match(option) if option else None
    label = escape_text(option.strip() if option.strip() and not size else name)
    url = "asset:" + quote(found, safe="/")
    markdown = f"![{label}]({url})" if extension in IMAGE_EXTENSIONS else f"[{label}]({url})"
    if size:
        markdown += f"{{ {_size_attributes(size.group(1), size.group(2))} }}"
    unit.log.repair(line, "obsidian-embed", original, markdown)
    return markdown


def has_relative_link(text: str) -> bool:
    """Whether a text may hold a link whose meaning depends on the note's own path: a relative
    Markdown link (see convert_relative_link) or a wikilink to one of its own headings."""
    return ("](" in text and _RELATIVE_DEST.search(text) is not None) or "[[#" in text


def relative_url(target: str, unit: Unit, line: int) -> str:
    """The `note:` or `asset:` URL of a link target that names a place in the notes folder (a path, a
    heading of this note, or both), which the renderer resolves once it knows where every note's text went.

    Left as written, MkDocs would look for the path among the site's pages and stop the strict build
    when it is not there; and an anchor in a note is rarely an anchor of the page its text ends on.
    """
    path, hash_, anchor = unquote(target).partition("#")
    here = unit.log.note
    if not path:
        resolved = here
    elif path.startswith("/"):
        resolved = path.lstrip("/")
    else:
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(here), path))
    extension = posixpath.splitext(resolved)[1].lower()
    found = None if extension in ("", ".md") else (
        resolved if resolved in unit.ctx.notes_files else unit.ctx.find_file(path)
    )
    if found is not None:
        unit.assets.append(Asset(found, here, unit.log.raw_line(line)))
        return "asset:" + quote(found, safe="/")
    # A note, or a file that is not there: the renderer links the note or shows the text and reports it.
    return "note:" + quote(resolved, safe="/") + (hash_ + quote(anchor, safe="") if anchor else "")


def convert_relative_link(dest: str, unit: Unit, line: int) -> str:
    """A link destination (`](target "title")`) into the notes folder, with a URL from relative_url."""
    parts = _DEST_PARTS.match(dest)
    if parts is None:
        return dest
    target = parts.group("angled") if parts.group("angled") is not None else parts.group("bare")
    converted = f"]({relative_url(target, unit, line)}{parts.group('rest')}"
    unit.log.repair(line, "relative-link", dest, converted)
    return converted


def obsidian_uri_url(target: str) -> str | None:
    """The `note:` URL of an Obsidian URI that opens a note (`obsidian://open?vault=…&file=Folder%2FNote%23Heading`),
    which names the note as a wikilink does; None for one that names no note (it opens a vault, or a
    note by a path on the author's disk)."""
    query = parse_qs(urlsplit(target.strip("<> \t")).query)
    file = query.get("file", [""])[0]
    path, hash_, heading = file.partition("#")
    path = path.strip()
    if not path:
        return None
    if path.lower().endswith(".md"):
        path = path[:-3]
    return "note:" + quote(path, safe="/") + (hash_ + quote(heading, safe="") if heading else "")


def convert_obsidian_uri(dest: str, unit: Unit, line: int) -> str:
    """A link destination that opens a note in Obsidian, as a link to that note on the site."""
    parts = _DEST_PARTS.match(dest)
    url = None if parts is None else obsidian_uri_url(
        parts.group("angled") if parts.group("angled") is not None else parts.group("bare"))
    if url is None:
        return dest
    converted = f"]({url}{parts.group('rest')}"
    unit.log.repair(line, "obsidian-uri", dest, converted)
    return converted


def convert_reference_definition(text: str, unit: Unit, line: int) -> str:
    """A link reference definition (`[label]: target "title"`) whose target is in the notes folder,
    with a URL from relative_url; any other line as it is."""
    definition = REFERENCE_DEFINITION.match(text)
    if definition is None or definition.group("label").startswith("^"):  # `[^1]:` is a footnote
        return text
    target = definition.group("target")
    if _OBSIDIAN_OPEN_TARGET.match(target) and (url := obsidian_uri_url(target)) is not None:
        rule_id = "obsidian-uri"
    elif re.match(_RELATIVE_TARGET, target):
        url, rule_id = relative_url(target.strip("<>"), unit, line), "relative-link"
    else:
        return text
    # One space after the colon: the renderer finds these definitions by it.
    converted = definition.group("head").rstrip() + " " + url + definition.group("rest")
    unit.log.repair(line, rule_id, text, converted)
    return converted


def convert_wikilink(inner: str, unit: Unit, line: int) -> str:
    """Turn `[[Note#Heading|alias]]` into a Markdown link with a `note:` URL; `[[#Heading]]` is this note's."""
    inner = inner.replace("\\|", "|")
    target, _, alias = inner.partition("|")
    target, _, heading = target.partition("#")
    link = note_link(target if target.strip() else unit.log.note, heading, alias)
    unit.log.repair(line, "obsidian-wikilink", f"[[{inner}]]", link)
    return link


def convert_obsidian(text: str, unit: Unit) -> str:
    """Replace embeds and wikilinks outside code with ordinary Markdown, and give an image sized the
    Obsidian way (`![alt|300](img.png)`) a width instead."""
    if "[[" not in text and not ("![" in text and "|" in text):
        return text
    out: list[str] = []
    newlines = 0  # line ends before the span: counted as we go, not from the start each time
    size_attrs = ""  # the size of the image whose destination came last, for the attribute list after it
    for span in lex(text):
        line = unit.line_after(newlines)
        if size_attrs and span.kind != "attr":
            out.append(f"{{ {size_attrs} }}")
        if unit.in_table and _BARE_PIPE.search(span.text):
            # The table already split this link at its bare '|' into two cells; keep the cells.
            out.append(span.text)
        elif span.kind == "embed":
            out.append(convert_embed(span.text[3:-2], unit, line))
        elif span.kind == "wikilink":
            out.append(convert_wikilink(span.text[2:-2], unit, line))
        elif (span.kind == "dest" and out and (sized := _SIZED_IMAGE_END.search(tail := "".join(out[-4:])))
              and not (unit.in_table and _BARE_PIPE.search(sized.group("size")))):
            # The last few pieces: in a table the size's `\|` is an escape span of its own (a bare
            # `|` there split the image into two cells, which stay as they are).
            out[-4:] = [tail[: sized.start("size")]]
            size_attrs = _size_attributes(sized.group("width"), sized.group("height"))
            unit.log.repair(line, "obsidian-image-size", sized.group(0) + span.text[:40], f"{{ {size_attrs} }}")
            out.append(span.text)
            newlines += span.text.count("\n")
            continue
        elif span.kind == "attr" and size_attrs:
            # The image has an attribute list of its own: the size joins it.
            out.append(f"{{ {size_attrs} {span.text[1:-1].lstrip(':').strip()} }}")
        else:
            out.append(span.text)
        size_attrs = ""
        newlines += span.text.count("\n")
    if size_attrs:
        out.append(f"{{ {size_attrs} }}")
    return "".join(out)


def _size_attributes(width: str, height: str | None) -> str:
    """attr_list attributes for an Obsidian size (`300` or `300x200`)."""
    return f'width="{width}"' + (f' height="{height}"' if height else "")


# ---- Protected spans that still need a safety check -----------------------------------------------


@functools.lru_cache(maxsize=4096)
def sanitise_tag(tag: str) -> str:
    """Keep an inline HTML tag only if it is allowed, without event handlers or unsafe URLs."""
    name = _TAG_NAME.match(tag)
    if not name or name.group(1).lower() not in nh3.ALLOWED_TAGS:
        return ""
    if tag.startswith("</"):
        return f"</{name.group(1).lower()}>"
    cleaned = nh3.clean(tag, link_rel=None)
    return cleaned.split(">", 1)[0] + ">" if cleaned.startswith("<") else ""


def sanitise_attributes(attr: str) -> str:
    """An attribute list (`{: .class #id key=value }`) with only classes, ids and SAFE_ATTRIBUTES;
    nothing at all when none is left."""
    found = list(_ATTRIBUTE.finditer(attr[1:-1].lstrip(":")))
    kept = [m.group(0) for m in found
            if m.group("shorthand") or (m.group("key") and m.group("key").lower() in SAFE_ATTRIBUTES)]
    if not kept:
        return ""
    return attr if len(kept) == len(found) else f"{{ {' '.join(kept)} }}"


def sanitise_spans(spans: list[Span], unit: Unit, text: str) -> bool:
    """Drop scripts, disallowed tags, event handlers and javascript: links from inline HTML, links and
    attribute lists; give links into the notes folder the URLs the renderer resolves (relative_url).

    Returns whether any span changed.
    """
    changed = False
    newlines = 0
    dropping: str | None = None
    dropped: list[str] = []
    drop_line = 0
    for span in spans:
        if span.kind == "prose" and dropping is None:
            newlines += span.text.count("\n")
            continue
        line = unit.line_after(newlines)
        newlines += span.text.count("\n")
        if dropping is not None:
            changed = True
            dropped.append(span.text)
            closing = span.kind == "html" and re.match(rf"</{dropping}\s*>", span.text, re.I)
            span.text = ""
            if closing:
                unit.log.repair(drop_line, "html-sanitised", "".join(dropped), "")
                dropping, dropped = None, []
            continue
        if span.kind == "html":
            opening = _CONTENT_OPENING.match(span.text)
            if opening:
                dropping, dropped, drop_line = opening.group(1).lower(), [span.text], line
                span.text = ""
                changed = True
                continue
            cleaned = sanitise_tag(span.text)
            if cleaned != span.text:
                unit.log.repair(line, "html-sanitised", span.text, cleaned)
                span.text = cleaned
                changed = True
        elif span.kind == "dest" and _UNSAFE_SCHEME.match(span.text[2:]):
            unit.log.repair(line, "html-sanitised", span.text, "](#)")
            span.text = "](#)"
            changed = True
        elif span.kind == "attr":
            cleaned = sanitise_attributes(span.text)
            if cleaned != span.text:
                unit.log.repair(line, "html-sanitised", span.text, cleaned)
                span.text = cleaned
                changed = True
        elif span.kind == "dest" and _OBSIDIAN_OPEN_DEST.match(span.text):
            converted = convert_obsidian_uri(span.text, unit, line)
            changed = changed or converted != span.text
            span.text = converted
        elif span.kind == "dest" and _RELATIVE_DEST.match(span.text):
            converted = convert_relative_link(span.text, unit, line)
            changed = changed or converted != span.text
            span.text = converted
    if dropping is not None:
        unit.log.repair(drop_line, "html-sanitised", "".join(dropped), "")
    return changed


def repair_stray_emphasis(spans: list[Span], unit: Unit, text: str) -> None:
    """Remove an unpaired `**` that sits right against a link, which would show as literal stars."""
    prose = [s for s in spans if s.kind == "prose"]
    if sum(s.text.count("**") for s in prose) % 2 == 0:
        return
    offset = 0
    for index, span in enumerate(spans):
        if span.kind == "prose":
            after_link = index > 0 and spans[index - 1].kind == "dest" and span.text.startswith("**")
            before_link = _STARS_BEFORE_LINK.search(span.text)
            if after_link or before_link:
                at = 0 if after_link else before_link.start()
                line = unit.line_at(text, offset + at)
                snippet_text = span.text[max(0, at - 10) : at + 12]
                span.text = span.text[:at] + span.text[at + 2 :]
                unit.log.repair(line, "stray-emphasis", snippet_text, snippet_text.replace("**", "", 1))
                return
        offset += len(span.text)


# ---- Prose rules: each sees one prose span and reports changes by offset --------------------------

Report = Callable[[int, str, str, str], None]

# Spaces a web page or editor leaves that Markdown does not read as spaces.
ODD_SPACE = re.compile(r"[\u00a0\u2007\u202f\t]")
_LEFTOVER = re.compile(r"[ \t]*\(opens in a new (?:tab|window)\)", re.I)
_MULTIPLICATION = re.compile(r"(?<=\d)\*(?=\d)")
# A snippets marker (--8<--) is not a dash; the escape added for it (;--8<--) must survive a second pass.
_DASH = re.compile(r"(?<=[^\s<>!-])(?: --|--|-- | -- )(?=[^\s<>-])(?!8<)")


@rule("non-breaking-space")
def plain_spaces(text: str, unit: Unit, report: Report) -> str:
    """Turn non-breaking and other odd spaces, and tabs inside prose, into plain spaces."""

    def replace(match: re.Match[str]) -> str:
        character = match.group(0)
        report(match.start(), "tab" if character == "\t" else "non-breaking-space", f"U+{ord(character):04X}", " ")
        return " "

    return ODD_SPACE.sub(replace, text)


_COMMENT = re.compile(r"%%[\s\S]*?%%")


@rule("obsidian-comment")
def drop_comments_in_prose(text: str, unit: Unit, report: Report) -> str:
    """Remove an Obsidian comment that a repair brought out of a code span (an escaped backtick run).

    The structure rule drop_obsidian_comments removes every other one before the text is parsed.
    """

    def replace(match: re.Match[str]) -> str:
        report(match.start(), "obsidian-comment", match.group(0), "")
        return ""

    return _COMMENT.sub(replace, text) if "%%" in text else text


@rule("copy-paste-leftover")
def drop_copy_paste_leftovers(text: str, unit: Unit, report: Report) -> str:
    """Remove web-page leftovers such as "(opens in a new tab)" copied along with link text."""

    def replace(match: re.Match[str]) -> str:
        report(match.start(), "copy-paste-leftover", match.group(0).strip(), "")
        # The space before the leftover stays between two words, which would otherwise run together.
        after = match.string[match.end():match.end() + 1]
        return " " if match.group(0)[:1] in " \t" and after.isalnum() else ""

    return _LEFTOVER.sub(replace, text) if "(" in text else text


@rule("emphasis-escape")
def escape_multiplication(text: str, unit: Unit, report: Report) -> str:
    """Escape `*` between digits (24*7*365) so that it is not read as emphasis."""

    def replace(match: re.Match[str]) -> str:
        report(match.start(), "emphasis-escape", "*", "\\*")
        return "\\*"

    return _MULTIPLICATION.sub(replace, text) if "*" in text else text


@rule("dash")
def spaced_dashes(text: str, unit: Unit, report: Report) -> str:
    """Write a `--` used as a dash between words as a spaced en dash."""

    def replace(match: re.Match[str]) -> str:
        report(match.start(), "dash", match.group(0), " – ")
        return " – "

    return _DASH.sub(replace, text) if "--" in text else text


@rule("spelling")
def fix_spelling(text: str, unit: Unit, report: Report) -> str:
    """Fix misspellings from data/corrections.yml, then from codespell's general dictionary."""
    return unit.ctx.speller.correct(text, report)


@rule("service-name")
def canonical_names(text: str, unit: Unit, report: Report) -> str:
    """Write AWS service names the canonical way given in data/names.yml."""
    return unit.ctx.names.canonicalise(text, report)


PROSE_RULES: tuple[Rule, ...] = (
    drop_comments_in_prose, plain_spaces, drop_copy_paste_leftovers, escape_multiplication, spaced_dashes,
    fix_spelling, canonical_names,
)

_SHIFT_TYPO = re.compile(r"(?<![\w'’-])[A-Z]{2}[a-z]{2,}(?![\w'’-])")
_MISSING_SPACE = re.compile(r"(?<![\w.])[a-z]{2,}[.][A-Z][a-z]+")


# What the prose rules did to one span, to be written to a note's log: repairs and findings carry
# the number of line ends before their offset in the span, so they can be replayed on any unit.
_REPAIR, _TAG, _FINDING = 0, 1, 2
ProseEvent = tuple
PROSE_CACHE_SPAN = 2_000  # longer spans are rare and not worth keeping


def _tag_and_finding_events(text: str, names_words: frozenset[str], events: list[ProseEvent]) -> None:
    if "#" in text:
        for match in TAG.finditer(text):
            events.append((_TAG, match.group(1)))
    for match in _SHIFT_TYPO.finditer(text):
        if match.group(0).lower() not in names_words:
            events.append((_FINDING, text.count("\n", 0, match.start()), match.group(0), "odd capitals"))
    if "." in text:
        for match in _MISSING_SPACE.finditer(text):
            events.append(
                (_FINDING, text.count("\n", 0, match.start()), match.group(0), "missing space after full stop")
            )


def collect_tags_and_findings(text: str, unit: Unit, line_of: Callable[[int], int]) -> None:
    """Collect inline #tags and report words that look wrong; neither changes the text."""
    events: list[ProseEvent] = []
    _tag_and_finding_events(text, unit.ctx.names.words, events)
    for event in events:
        if event[0] == _TAG:
            unit.log.tags.append(event[1])
        else:
            at = _nth_line_start(text, event[1])
            unit.log.find(line_of(at), event[2], event[3])


def _nth_line_start(text: str, newlines: int) -> int:
    at = 0
    for _ in range(newlines):
        at = text.index("\n", at) + 1
    return at


def apply_prose_rules(text: str, unit: Unit) -> tuple[str, tuple[ProseEvent, ...]]:
    """Run PROSE_RULES in order over one prose span, then collect its tags and findings.

    The result depends only on the text and the context's data, so it is remembered per context.
    """
    cache = unit.ctx.prose_cache
    hit = cache.get(text)
    if hit is not None:
        return hit
    events: list[ProseEvent] = []
    current = text

    def report(at: int, rule_id: str, before: str, after: str) -> None:
        # `current` is the text the running rule was given, which is what `at` counts in.
        events.append((_REPAIR, current.count("\n", 0, at), rule_id, before, after))

    for prose_rule in PROSE_RULES:
        current = prose_rule.apply(current, unit, report)
    _tag_and_finding_events(current, unit.ctx.names.words, events)
    result = (current, tuple(events))
    if len(text) <= PROSE_CACHE_SPAN:
        cache.remember(text, result)
    return result


def replay_prose_events(events: tuple[ProseEvent, ...], unit: Unit, newlines_before: int) -> None:
    """Write the repairs, tags and findings of one prose span to the unit's log."""
    log = unit.log
    for event in events:
        kind = event[0]
        if kind == _REPAIR:
            log.repair(unit.line_after(newlines_before + event[1]), event[2], event[3], event[4])
        elif kind == _TAG:
            log.tags.append(event[1])
        else:
            log.find(unit.line_after(newlines_before + event[1]), event[2], event[3])


REREAD_LIMIT = 3  # further readings of a text whose repairs made new constructs


def repair_inline(text: str, unit: Unit, rereads: int = 0) -> str:
    """Apply every inline repair to one block's text and return the repaired text."""
    text = convert_obsidian(text, unit)
    spans = lex(text)
    while sanitise_spans(spans, unit, text):
        # Removed tags can join two prose spans, or make a new tag (`<<script>…</script>x>`): read the
        # text again, as a second pass would, until nothing is left to sanitise.
        text = "".join(s.text for s in spans)
        spans = lex(text)
    lexed = "".join(s.text for s in spans)
    newlines_before = 0
    brackets = 0  # link text left open: a web address inside it is the link's text, not a link of its own
    for span in spans:
        if span.kind == "prose" and span.text:
            brackets = max(0, brackets + span.text.count("[") - span.text.count("]"))
            span.text, events = apply_prose_rules(span.text, unit)
            if events:
                replay_prose_events(events, unit, newlines_before)
        elif span.kind in ("dest", "reference"):
            brackets = max(0, brackets - 1)
        elif span.kind == "url" and not brackets and _WEB_ADDRESS.match(span.text):
            link_bare_url(span, unit.log, unit.line_after(newlines_before))
        newlines_before += span.text.count("\n")
    # Last, so that it sees the text after leftovers such as "(opens in a new tab)" are gone.
    repair_stray_emphasis(spans, unit, "".join(s.text for s in spans))
    result = "".join(s.text for s in spans)
    if result != lexed and rereads < REREAD_LIMIT and _new_constructs(spans, result):
        # A repair made a new construct out of prose (a dropped leftover closes a tag, say); read the
        # text again as a second pass would, keeping only what the new reading adds to the log.
        with unit.log.second_reading():
            result = repair_inline(result, unit, rereads + 1)
    return result


_WEB_ADDRESS = re.compile(r"(?:https?|ftp)://")


def link_bare_url(span: Span, log: RepairLog, line: int) -> None:
    """Make a bare web address (`https://…` in text) a link, as Obsidian shows it: an autolink `<https://…>`."""
    log.repair(line, "bare-url", span.text, f"<{span.text}>")
    span.text, span.kind = f"<{span.text}>", "autolink"


def _new_constructs(spans: list[Span], text: str) -> bool:
    """Whether `text` (the spans joined) lexes into other constructs than the spans."""
    kinds = [s.kind for s in spans if s.text]
    merged = [k for i, k in enumerate(kinds) if k != "prose" or i == 0 or kinds[i - 1] != "prose"]
    return [s.kind for s in lex(text)] != merged
