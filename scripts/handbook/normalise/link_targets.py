"""Link targets: which ones the site may link to (link_target_rule), and those that name a place in the
notes folder (a relative path, a heading of the note), which get the `note:` or `asset:` URLs the
renderer resolves once it knows where every note's text went."""

from __future__ import annotations

import html
import posixpath
import re
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from markdown_it import MarkdownIt

from ..model import Asset
from .lexer import DEST_PARTS, dest_lead, dest_target
from .obsidian.uri import OPEN_TARGET, obsidian_uri_url, opens_a_note
from .registry import HTML_SANITISED, LINK_SCHEME, OBSIDIAN_URI, RELATIVE_LINK, RepairRule

if TYPE_CHECKING:
    from .inline import Unit

# A link destination with no scheme: a path or an anchor, which only means something inside the notes folder.
# One lookahead, so that `<https://…>` cannot match by leaving its `<` out.
RELATIVE_TARGET = r"(?![ \t\n]*<?[ \t]*(?:[A-Za-z][A-Za-z0-9+.-]*:|//|\)|>|$))"
RELATIVE_DEST = re.compile(r"\]\(" + RELATIVE_TARGET)
# The label of a link reference definition, `[label]:`, as markdown-it reads it.
REFERENCE_LABEL = r"\[(?P<label>(?:[^\[\]\\\n]|\\.)+)\]:"
REFERENCE_DEFINITION = re.compile(
    r"^(?P<head>[ ]{0,3}" + REFERENCE_LABEL + r"[ \t]*)(?P<target><[^<>\n]*>|\S+)(?P<rest>.*)$"
)
# A link target a browser runs as script, as the browser reads it (see browser_view): javascript: and
# the like, or data: other than a raster image (a pasted screenshot).
_UNSAFE_SCHEME = re.compile(r"^(?:javascript|vbscript|livescript|data(?!:image/(?:png|gif|jpe?g|webp)[;,]))(?=:)", re.I)
# Schemes a link in a note keeps: web pages, mail, and the build's own note:, asset: and page: (the
# renderer turns them into relative links). The built site is checked against the same list (urlcheck.py).
LINK_SCHEMES = frozenset({"http", "https", "mailto", "note", "asset", "page"})
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# Browsers drop tabs and line ends anywhere in a URL and skip spaces and control characters around it;
# all of them go, and backslashes (which Python-Markdown keeps), so that `java script:` and
# `javascript\:` count as what they try to be.
_INVISIBLE = re.compile(r"[\x00-\x20\x7f\\]+")


def browser_view(target: str) -> str:
    """A link target as a browser reads it once Python-Markdown has written it into the page: character
    references decoded (Python-Markdown leaves them as written) and the characters in _INVISIBLE dropped."""
    for _ in range(3):  # a browser decodes once; decoding again only refuses more
        decoded = html.unescape(target)
        if decoded == target:
            break
        target = decoded
    return _INVISIBLE.sub("", target).lstrip("<")


def link_target_rule(target: str) -> RepairRule | None:
    """The rule that neutralises a link target, or None when the site may link to it: `html-sanitised`
    for one a browser would run as script, however it is written; `link-scheme` for any other scheme
    outside LINK_SCHEMES (a raster `data:image` stays, as an image can hold no script).

    Only the target's first _TARGET_REACH characters count (after its leading spaces), so that a text
    of many nested links costs its length times that at most; a scheme padded further is left to the
    site's URL check (urlcheck.py), which stops the build.
    """
    start = _MAY_START_A_SCHEME.match(target)
    if start is None:
        return None  # `/`, `.`, `#`, `[`, a digit…: no scheme can follow
    seen = browser_view(target[:start.end() + _TARGET_REACH])
    scheme = SCHEME.match(seen)
    if scheme is None or scheme.group(1).lower() in LINK_SCHEMES:
        return None
    if _UNSAFE_SCHEME.match(seen):
        return HTML_SANITISED
    return None if scheme.group(1).lower() == "data" else LINK_SCHEME


# How much of a link target (after its leading spaces) is read for its scheme (see link_target_rule).
_TARGET_REACH = 512
# A scheme starts with a letter, written as it is or as a character reference, after characters a
# browser drops.
# What a browser skips before a target (and a `<` that opens one): a scheme may start after it.
_LEADING = r"[\x00-\x20\x7f\\<]*"
_MAY_START_A_SCHEME = re.compile(_LEADING + r"(?=[A-Za-z&])")
_LEADING_RUN = re.compile(_LEADING)


def target_prefix(text: str, start: int, stop: int) -> str:
    """As much of the link target `text[start:stop]` as link_target_rule reads, without copying the rest: a
    text of thousands of `](` that nothing closes would otherwise copy its length for each of them."""
    lead = _LEADING_RUN.match(text, start, stop).end()
    return text[start:min(stop, lead + _TARGET_REACH)]


# CommonMark's reading of a link, as Obsidian shows one: only its inline rules are used.
_COMMONMARK = MarkdownIt("commonmark")
# A longer target with spaces is left to the site's link check: the test reads it whole (and nested links
# whose targets each run to the end of the text would cost its length squared).
LONGEST_SPACED_TARGET = 2000
# Where the two readings of a target part: CommonMark reads no white space in one (outside angle brackets and a
# title), and nothing after the `>` of one in angle brackets but a title.
_READINGS_PART = re.compile(r"[ \t\n<]")


def only_python_markdown_links(text: str, start: int, stop: int) -> bool:
    """Whether `[text](target)`, its target `text[start:stop]`, is a link to Python-Markdown only: the target holds
    white space or angle brackets that CommonMark and Obsidian never read as part of a link (`<https://…>x`), so
    they show the text."""
    if stop - start > LONGEST_SPACED_TARGET or not _READINGS_PART.search(text, start, stop):
        return False
    tokens = _COMMONMARK.parseInline(f"[x]({text[start:stop]})")
    # An autolink inside the target (`<https://…>x`) is a link of its own, not the one asked about.
    return not any(token.type == "link_open" and token.markup != "autolink" for token in tokens[0].children or ())


def has_relative_link(text: str) -> bool:
    """Whether a text may hold a link whose meaning depends on the note's own path: a relative
    Markdown link (see convert_relative_link) or a wikilink to one of its own headings."""
    return ("](" in text and RELATIVE_DEST.search(text) is not None) or "[[#" in text


def written_as_url(target: str) -> bool:
    """Whether the link rules write a link target as a `note:` or `asset:` URL, every mark percent-encoded: one into
    the notes folder (relative_url), or an Obsidian URI that opens a note."""
    return re.match(RELATIVE_TARGET, target) is not None or opens_a_note(target)


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


# A link written as another link's target, `[x]([y](https://…))`, which CommonMark reads as one link to the
# relative address `[y](https://…)`: its author meant the inner link.
_LINK_AS_TARGET = re.compile(r"^(?P<text>\[[^\[\]\n]*)(?P<dest>\]\([^()\s]*\))$")


def convert_relative_link(dest: str, unit: Unit, line: int) -> str:
    """A link destination (`](target "title")`) into the notes folder, with a URL from relative_url; one
    that is itself a link is shown as written, its own target a link of its own."""
    parts = DEST_PARTS.match(dest)
    if parts is None:
        return dest
    inner = _LINK_AS_TARGET.match(parts.group("bare") or "")
    if inner is not None:
        inner_dest = inner.group("dest")
        if RELATIVE_DEST.match(inner_dest):
            inner_dest = convert_relative_link(inner_dest, unit, line)
        # An escaped `(` leaves the outer brackets as text, so the page shows every character as written.
        converted = f"]\\({dest_lead(parts)}{inner.group('text')}{inner_dest}{parts.group('rest')}"
    else:
        converted = f"]({dest_lead(parts)}{relative_url(dest_target(parts), unit, line)}{parts.group('rest')}"
    unit.log.repair(line, RELATIVE_LINK, dest, converted)
    return converted


def convert_reference_definition(text: str, unit: Unit, line: int) -> str:
    """A link reference definition (`[label]: target "title"`) whose target is in the notes folder,
    with a URL from relative_url; any other line as it is."""
    definition = REFERENCE_DEFINITION.match(text)
    if definition is None or definition.group("label").startswith("^"):  # `[^1]:` is a footnote
        return text
    target = definition.group("target")
    if (repair_rule := link_target_rule(target)) and not opens_a_note(target):
        converted = definition.group("head").rstrip() + " #" + definition.group("rest")
        unit.log.repair(line, repair_rule, text, converted)
        return converted
    if OPEN_TARGET.match(target) and (url := obsidian_uri_url(target)) is not None:
        repair_rule = OBSIDIAN_URI
    elif re.match(RELATIVE_TARGET, target):
        url, repair_rule = relative_url(target.strip("<>"), unit, line), RELATIVE_LINK
    else:
        return text
    # One space after the colon: the renderer finds these definitions by it.
    converted = definition.group("head").rstrip() + " " + url + definition.group("rest")
    unit.log.repair(line, repair_rule, text, converted)
    return converted
