"""Inline repairs inside one block's text: Obsidian links and embeds, hazards, spelling and names.

A small lexer splits the text into prose and protected spans (code, URLs, link targets, raw HTML,
templates...). Rules that change words only ever see prose, so code and addresses stay exactly as
written. The block structure itself comes from markdown-it; this module never decides structure.
"""

from __future__ import annotations

import functools
import html
from bisect import bisect_right
import posixpath
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qs, quote, unquote, urlsplit

import nh3
from markdown.blockprocessors import ReferenceProcessor
from markdown.inlinepatterns import AUTOLINK_RE, AUTOMAIL_RE, HTML_RE
from markdown_it.common import html_re

from ..model import Asset
from ..paths import file_stem
from .context import NormaliseContext
from .log import RepairLog
from .prose import (  # noqa: F401  (the prose rules are read from here too)
    ODD_SPACE, PROSE_RULES, TAG, TAG_LINE, ProseEvent, apply_prose_rules, collect_tags_and_findings,
    replay_prose_events,
)
from .registry import (
    BARE_URL, HTML_SANITISED, LINK_SCHEME, OBSIDIAN_EMBED, OBSIDIAN_EMBED_MISSING, OBSIDIAN_IMAGE_SIZE,
    OBSIDIAN_TRANSCLUSION, OBSIDIAN_URI, OBSIDIAN_WIKILINK, RELATIVE_LINK, STRAY_EMPHASIS, RepairRule,
)

MISSING_IMAGE_CLASS = "handbook-missing-image"
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".avif", ".tif", ".tiff"})

_TEMPLATE_EXPRESSION = r"\{\{[\s\S]*?\}\}"
_TEMPLATE_STATEMENT = r"\{%[\s\S]*?%\}"
# The constructs the lexer reads, in the order it tries them. A code span (_BacktickRuns) and an HTML
# comment (_Closings.comment_end), which come first and third among these, are read apart.
_CONSTRUCTS = (
    ("missing", r"\*Image not available: (?:[^*\\\n]|\\.)*\*\{ \." + MISSING_IMAGE_CLASS + r" \}"),
    ("embed", r"!\[\[[^\[\]\n]+?\]\]"),
    ("wikilink", r"\[\[[^\[\]\n]+?\]\]"),
    ("autolink", r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>"),
    ("html", (html_re.open_tag, html_re.close_tag, html_re.processing, html_re.declaration, html_re.cdata)),
    ("dest", r"\]\((?:[ \t]*<[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))*)(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*\)"),
    ("reference", r"\]\[[^\[\]\n]*\]"),
    ("footnote", r"\[\^[^\[\]\s]+\]"),
    ("attr", r"\{:?[ \t]*(?:[.#][\w-]|[\w-]+=)[^{}\n]*\}"),
    ("template", (_TEMPLATE_EXPRESSION, _TEMPLATE_STATEMENT)),
    ("url", r"(?:https?|ftp)://[^\s<>()\[\]\\]*[^\s<>()\[\].,;:!?'\"\\]|www\.[^\s<>()\[\]\\]*[^\s<>()\[\].,;:!?'\"\\]"),
    ("escape", r"\\[!-/:-@\[-`{-~]"),
    ("entity", r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"),
)
# Constructs that read on to a closing string wherever it is, with that string and the least distance
# from the construct's start at which it can begin. Where it does not come again the construct cannot
# match and is not tried: tried at each opening, each reading to the end of the text, a note of
# unclosed `{{` or `<?` cost the square of its length.
_CLOSED_BY = {
    html_re.processing: ("?>", 2), html_re.declaration: (">", 2), html_re.cdata: ("]]>", 9),
    _TEMPLATE_EXPRESSION: ("}}", 2), _TEMPLATE_STATEMENT: ("%}", 2),
}
_HTML_COMMENT = re.compile(html_re.comment)
_NOT_DASH = re.compile("[^-]")


@functools.lru_cache(maxsize=None)
def _lexer(without: frozenset[str] = frozenset()) -> re.Pattern[str]:
    """The lexer's pattern for every construct but those of `without` (patterns of _CLOSED_BY)."""
    branches = []
    for name, pattern in _CONSTRUCTS:
        options = [pattern] if isinstance(pattern, str) else [p for p in pattern if p not in without]
        if options:
            branches.append(f"(?P<{name}>" + "|".join(options) + ")")
    return re.compile("|".join(branches))


_BACKTICKS = re.compile("`+")


# Searching the text after each opening run of backticks cost its length for each run nothing closes.
class _BacktickRuns:
    """A text's runs of backticks by length, so that a code span's opening run finds at once the next run
    of the same length, which closes it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: dict[int, list[int]] = {}
        for run in _BACKTICKS.finditer(text):
            self.starts.setdefault(run.end() - run.start(), []).append(run.start())

    def code_span(self, begin: int) -> tuple[int | None, int]:
        """The end of the code span that opens at `begin` (None when there is none), and of the run there."""
        run_end = _BACKTICKS.match(self.text, begin).end()  # type: ignore[union-attr]
        if begin and self.text[begin - 1] == "`":
            return None, run_end  # inside a run, which opens nothing
        starts = self.starts[run_end - begin]
        after = bisect_right(starts, begin)
        return (starts[after] + run_end - begin if after < len(starts) else None), run_end


class _Closings:
    """How far the constructs that read on to a closing string can reach in a text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._last: dict[str, int] = {}  # closing string -> where it last starts
        self._comment_unclosed = False  # a comment was read to the end of the text without closing

    def unclosed(self, begin: int) -> frozenset[str]:
        """The patterns of _CLOSED_BY that cannot match at `begin`: their closing string does not follow."""
        missing = []
        for pattern, (closing, least) in _CLOSED_BY.items():
            last = self._last.get(closing)
            if last is None:
                last = self._last[closing] = self.text.rfind(closing)
            if last < begin + least:
                missing.append(pattern)
        return frozenset(missing)

    def comment_end(self, begin: int) -> int | None:
        """The end of the HTML comment (markdown-it's pattern) that opens at `begin`, or None."""
        # The pattern reads a comment's text in steps that each end at a character other than `-`, so
        # a later reading is in step with an earlier one after the first such character. Once a comment
        # was read to the end of the text unclosed, a later one can only close before that character.
        end = len(self.text)
        if self._comment_unclosed:
            other = _NOT_DASH.search(self.text, begin + 4)
            end = other.end() if other else end
        match = _HTML_COMMENT.match(self.text, begin, end)
        if match is None and end == len(self.text):
            self._comment_unclosed = True
        return match.end() if match else None


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
# A link target a browser runs as script, as the browser reads it (see browser_view): javascript: and
# the like, or data: other than a raster image (a pasted screenshot).
_UNSAFE_SCHEME = re.compile(r"^(?:javascript|vbscript|livescript|data(?!:image/(?:png|gif|jpe?g|webp)[;,]))(?=:)", re.I)
# Schemes a link in a note keeps: web pages, mail, and the build's own note:, asset: and page: (the
# renderer turns them into relative links). The built site is checked against the same list (urlcheck.py).
LINK_SCHEMES = frozenset({"http", "https", "mailto", "note", "asset", "page"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# Browsers drop tabs and line ends anywhere in a URL and skip spaces and control characters around it;
# all of them go, and backslashes (which Python-Markdown keeps), so that `java script:` and
# `javascript\:` count as what they try to be.
_INVISIBLE = re.compile(r"[\x00-\x20\x7f\\]+")
# What Python-Markdown itself reads, which is what the page gets (the lexer reads CommonMark): its
# autolink (any `scheme://`), mail autolink, inline tag and link reference definition.
_MD_AUTOLINK = re.compile(AUTOLINK_RE)
_MD_AUTOMAIL = re.compile(AUTOMAIL_RE)
_MD_TAG = re.compile(HTML_RE)
_MD_DEFINITION = ReferenceProcessor.RE
# The characters a backslash escapes for Python-Markdown with the extensions mkdocs.yml loads (tables add
# `|`, pymdownx `/ = ~`); it reads no tag or link through an escaped one (`<name\>` is text). Not `<`.
_MD_ESCAPED = frozenset("\\`*_{}[]()>#+-.!|/=~")
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
    match_at = _lexer().match
    runs = _BacktickRuns(text) if "`" in text else None
    closings = _Closings(text) if "<" in text or "{" in text else None
    at = 0
    while True:
        start = search(text, at)
        if start is None:
            break
        begin = start.start()
        first = text[begin]
        if first == "`" and runs is not None:  # no other construct starts with a backtick
            end, run_end = runs.code_span(begin)
            if end is None:
                at = run_end
                continue
            kind = "code"
        else:
            match = (_lexer(closings.unclosed(begin)).match if first in "<{" and closings else match_at)(text, begin)
            if match is not None:
                kind, end = match.lastgroup or "prose", match.end()
            elif closings and text.startswith("<!--", begin) and (comment := closings.comment_end(begin)):
                kind, end = "html", comment  # only an autolink comes before it there
            else:
                at = begin + 1
                continue
        if begin > position:
            spans.append(Span("prose", text[position:begin]))
        spans.append(Span(kind, text[begin:end]))
        position = at = end
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
    # Text Python-Markdown reads only as inline text (a heading's, a title's, a table row's): none of its
    # lines can be a link reference definition.
    inline_only: bool = False

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
        unit.log.repair(line, OBSIDIAN_TRANSCLUSION, original, link)
        return link
    name = posixpath.basename(target)
    found = unit.ctx.find_file(target)
    if found is None:
        missing = f"*Image not available: {escape_text(name)}*{{ .{MISSING_IMAGE_CLASS} }}"
        unit.log.repair(line, OBSIDIAN_EMBED_MISSING, original, missing)
        return missing
    unit.assets.append(Asset(found, unit.log.note, unit.log.raw_line(line)))
    size = _SIZE.match(option) if option else None
    label = escape_text(option.strip() if option.strip() and not size else name)
    url = "asset:" + quote(found, safe="/")
    markdown = f"![{label}]({url})" if extension in IMAGE_EXTENSIONS else f"[{label}]({url})"
    if size:
        markdown += f"{{ {_size_attributes(size.group(1), size.group(2))} }}"
    unit.log.repair(line, OBSIDIAN_EMBED, original, markdown)
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
    unit.log.repair(line, RELATIVE_LINK, dest, converted)
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
    unit.log.repair(line, OBSIDIAN_URI, dest, converted)
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
    if _OBSIDIAN_OPEN_TARGET.match(target) and (url := obsidian_uri_url(target)) is not None:
        repair_rule = OBSIDIAN_URI
    elif re.match(_RELATIVE_TARGET, target):
        url, repair_rule = relative_url(target.strip("<>"), unit, line), RELATIVE_LINK
    else:
        return text
    # One space after the colon: the renderer finds these definitions by it.
    converted = definition.group("head").rstrip() + " " + url + definition.group("rest")
    unit.log.repair(line, repair_rule, text, converted)
    return converted


def convert_wikilink(inner: str, unit: Unit, line: int) -> str:
    """Turn `[[Note#Heading|alias]]` into a Markdown link with a `note:` URL; `[[#Heading]]` is this note's."""
    inner = inner.replace("\\|", "|")
    target, _, alias = inner.partition("|")
    target, _, heading = target.partition("#")
    link = note_link(target if target.strip() else unit.log.note, heading, alias)
    unit.log.repair(line, OBSIDIAN_WIKILINK, f"[[{inner}]]", link)
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
            unit.log.repair(line, OBSIDIAN_IMAGE_SIZE, sized.group(0) + span.text[:40], f"{{ {size_attrs} }}")
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
    cleaned = clean_html(tag)
    return cleaned.split(">", 1)[0] + ">" if cleaned.startswith("<") else ""


# nh3's own list also lets through ftp:, tel:, sms: and more, which the site does not link to.
_TAG_URL_SCHEMES = {"http", "https", "mailto"}


def _url_attribute(element: str, attribute: str, value: str) -> str | None:
    """An attribute as nh3 leaves it, but for a URL the site would not link to (nh3 checks no `cite`)."""
    return None if attribute in _URL_ATTRIBUTES and link_target_rule(value) else value


def clean_html(html_text: str) -> str:
    """HTML through nh3: allowed tags and attributes only, and URLs only that the site links to."""
    return nh3.clean(html_text, link_rel=None, url_schemes=_TAG_URL_SCHEMES, attribute_filter=_url_attribute)


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
    scheme = _SCHEME.match(seen)
    if scheme is None or scheme.group(1).lower() in LINK_SCHEMES:
        return None
    if _UNSAFE_SCHEME.match(seen):
        return HTML_SANITISED
    return None if scheme.group(1).lower() == "data" else LINK_SCHEME


# How much of a link target (after its leading spaces) is read for its scheme (see link_target_rule).
_TARGET_REACH = 512
# A scheme starts with a letter, written as it is or as a character reference, after characters a
# browser drops.
_MAY_START_A_SCHEME = re.compile(r"[\x00-\x20\x7f\\<]*(?=[A-Za-z&])")
_PARENTHESIS = re.compile(r"[()]")


def _closing_parens(text: str) -> dict[int, int]:
    """For each `(` of a text that something closes: the position after its `)`, nested ones counted as
    Python-Markdown counts them in a link destination."""
    closing: dict[int, int] = {}
    open_at: list[int] = []
    for match in _PARENTHESIS.finditer(text):
        if match.group() == "(":
            open_at.append(match.start())
        elif open_at:
            closing[open_at.pop()] = match.end()
    return closing


def opens_a_note(target: str) -> bool:
    """Whether a link target is an obsidian:// link that names a note, which becomes a link to its page."""
    return _OBSIDIAN_OPEN_TARGET.match(target) is not None and obsidian_uri_url(target) is not None


# Elements that act as soon as they are on a page, whatever their attributes.
_ACTIVE_ELEMENTS = frozenset({"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
                              "meta", "link", "form", "svg", "math", "template", "portal"})
# Attributes that take a URL (the site's URL check, urlcheck.py, reads more; these are the ones that act).
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcset",
                             "background", "codebase", "cite"})


class _TagReader(HTMLParser):
    """The start tags of a piece of HTML as a browser reads them: name and attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def active_tag(tag: str) -> bool:
    """Whether a tag, as a browser reads it, can act: an active element, an event handler, a style, or a
    URL the site would not link to (`<details/open/ontoggle=…>`, `<a/href=javascript:…>`)."""
    reader = _TagReader()
    reader.feed(tag)
    reader.close()
    return any(name in _ACTIVE_ELEMENTS or any(
        key.startswith("on") or key in ("style", "srcdoc") or key in _URL_ATTRIBUTES and link_target_rule(value or "")
        for key, value in attributes) for name, attributes in reader.tags)


def _opens_a_note(dest: str) -> bool:
    """Whether a link destination (`](…)`) is an obsidian:// link that names a note (see convert_obsidian_uri)."""
    parts = _OBSIDIAN_OPEN_DEST.match(dest) and _DEST_PARTS.match(dest)
    return bool(parts) and opens_a_note(parts.group("angled") if parts.group("angled") is not None
                                        else parts.group("bare"))


def _markdown_hazards(text: str, spans: list[Span], in_table: bool,
                      inline_only: bool = False) -> list[tuple[int, int, str, str]]:
    """(start, end, replacement, rule) for each link, definition, autolink or tag that Python-Markdown
    would write into the page, read as it reads them, whose target is not one the site links to, or
    which is a tag the lexer did not see (`<svg/onload=…>`, `\\<script>`): left to right, none overlapping.

    The lexer reads CommonMark, Python-Markdown does not: it takes a target after spaces or a line end
    (`]( javascript:…)`), nested parentheses, any `scheme://` between angle brackets, and a tag whose
    attributes follow a `/`. Only code spans are left alone: Python-Markdown reads links there as text.
    """
    masked: list[str] = []
    html_spans: dict[int, str] = {}
    dest_spans: dict[int, str] = {}
    # Where a `<` is no tag of its own: inside a tag the lexer read (whose attributes nh3 cleans); and
    # where it may be part of a link's destination (`](<page.md>)`) or a tag (`](<svg/onload=…>`).
    inside: list[tuple[int, int]] = []
    destinations: list[tuple[int, int]] = []
    position = 0
    for span in spans:
        if span.kind == "code" or span.kind == "escape" and span.text[1] in _MD_ESCAPED:
            # Python-Markdown reads neither as markup: it puts them aside before links and tags.
            masked.append("x" * len(span.text))
        else:
            masked.append(span.text)
            if span.kind == "html":
                html_spans[position] = span.text
                inside.append((position + 1, position + len(span.text)))
            elif span.kind == "dest":
                dest_spans[position] = span.text
        position += len(span.text)
    seen = "".join(masked)
    found: list[tuple[int, int, str, str]] = []
    if "](" in seen:
        closing = _closing_parens(seen)
        for match in re.finditer(r"\]\(", seen):
            start = match.start()
            end = closing.get(start + 1)
            if end and in_table and _BARE_PIPE.search(seen, start, end):
                end = None  # the cell ends first
            destinations.append((start, end or len(seen)))
            target = seen[start + 2:(end - 1) if end else len(seen)]
            repair_rule = link_target_rule(target)
            if repair_rule == LINK_SCHEME and dest_spans.get(start) == text[start:end] and _opens_a_note(text[start:end]):
                repair_rule = None  # sanitise_spans points it at the note's page
            if repair_rule:
                # Nothing closes it: Python-Markdown may still find an end (its quotes hide parentheses),
                # so the parenthesis is written as text and no link can start there.
                found.append((start, end, "](#)", repair_rule) if end else (start, start + 2, "]&#40;", repair_rule))
    if "]:" in seen and not (inline_only or in_table):
        # A no-break space before a label is made a space by a later rule, which makes the line a
        # definition on the next reading: judged as one now, the next reading finds nothing to change.
        for match in _MD_DEFINITION.finditer(seen.replace("\u00a0", " ")):
            if (not match.group(1).startswith("^") and (repair_rule := link_target_rule(match.group(2)))
                    and not opens_a_note(match.group(2))):  # left for convert_obsidian_uri, as above
                found.append((match.start(2), match.end(2), "#", repair_rule))
    if "<" in seen:
        reach = [0, 0]  # the end of the ranges (of `inside`, of `destinations`) that start before the `<`
        next_range = [0, 0]
        for match in re.finditer("<", seen):
            start = match.start()
            for kind, ranges in enumerate((inside, destinations)):
                while next_range[kind] < len(ranges) and ranges[next_range[kind]][0] <= start:
                    reach[kind] = max(reach[kind], ranges[next_range[kind]][1])
                    next_range[kind] += 1
            if start < reach[0]:
                continue  # part of a tag the lexer read
            in_destination = start < reach[1]
            autolink = _MD_AUTOLINK.match(seen, start)
            if autolink and in_destination:
                continue  # the destination's own target, checked above
            if autolink:
                repair_rule = link_target_rule(autolink.group(1))
                end = autolink.end()
            elif _MD_AUTOMAIL.match(seen, start):
                continue  # always a mailto: link
            else:
                tag = _MD_TAG.match(seen, start)
                if tag is None or not re.match(r"</?[A-Za-z]", tag.group(0)) or html_spans.get(start) == tag.group(0):
                    continue  # no tag, or one the lexer saw too: sanitise_spans cleans it with nh3
                if in_destination and not active_tag(text[start:tag.end()]):
                    continue  # a link's `<target>` (checked above), or a tag that cannot act if there is no link
                end = tag.end()
                scheme = _SCHEME.match(tag.group(0), 1)
                # `<tel:123>` is a tag to Python-Markdown (no `//`): as the autolink it was meant to be.
                repair_rule = (link_target_rule(tag.group(0)[1:-1]) or HTML_SANITISED) if scheme else HTML_SANITISED
            if repair_rule:
                # As text: `&lt;` can start no tag or link.
                found.append((start, end, "&lt;" + text[start + 1:end], repair_rule))
    found.sort()
    kept: list[tuple[int, int, str, str]] = []
    for hazard in found:
        if not kept or hazard[0] >= kept[-1][1]:
            kept.append(hazard)
    return kept


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
    attribute lists, reading links and tags as Python-Markdown will (_markdown_hazards); give links into
    the notes folder the URLs the renderer resolves (relative_url).

    Returns whether any span changed.
    """
    if "](" in text or "<" in text or "]:" in text:
        hazards = _markdown_hazards(text, spans, unit.in_table, unit.inline_only)
        if hazards:
            pieces: list[str] = []
            done = 0
            for start, end, replacement, repair_rule in hazards:
                unit.log.repair(unit.line_at(text, start), repair_rule, text[start:end], replacement)
                pieces += [text[done:start], replacement]
                done = end
            pieces.append(text[done:])
            # Read again from the text: the replacements change what the lexer sees.
            spans[:] = [Span("prose", "".join(pieces))]
            return True
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
                unit.log.repair(drop_line, HTML_SANITISED, "".join(dropped), "")
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
                unit.log.repair(line, HTML_SANITISED, span.text, cleaned)
                span.text = cleaned
                changed = True
        elif span.kind == "attr":
            cleaned = sanitise_attributes(span.text)
            if cleaned != span.text:
                unit.log.repair(line, HTML_SANITISED, span.text, cleaned)
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
        unit.log.repair(drop_line, HTML_SANITISED, "".join(dropped), "")
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
                unit.log.repair(line, STRAY_EMPHASIS, snippet_text, snippet_text.replace("**", "", 1))
                return
        offset += len(span.text)


REREAD_LIMIT = 3  # further readings of a text whose repairs made new constructs


def _has_hazards(text: str, unit: Unit) -> bool:
    """Whether Python-Markdown would read a link or tag to sanitise in `text` (a repair can make one: a
    dropped leftover brings a definition to the start of its line)."""
    return ("](" in text or "<" in text or "]:" in text) and bool(
        _markdown_hazards(text, lex(text), unit.in_table, unit.inline_only))


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
    if result != lexed and rereads < REREAD_LIMIT and (_new_constructs(spans, result) or _has_hazards(result, unit)):
        # A repair made a new construct out of prose (a dropped leftover closes a tag, say); read the
        # text again as a second pass would, keeping only what the new reading adds to the log.
        with unit.log.second_reading():
            result = repair_inline(result, unit, rereads + 1)
    return result


# Not ftp://, which browsers no longer open: the site links only to what LINK_SCHEMES lists.
_WEB_ADDRESS = re.compile(r"https?://")


def link_bare_url(span: Span, log: RepairLog, line: int) -> None:
    """Make a bare web address (`https://…` in text) a link, as Obsidian shows it: an autolink `<https://…>`."""
    log.repair(line, BARE_URL, span.text, f"<{span.text}>")
    span.text, span.kind = f"<{span.text}>", "autolink"


def _new_constructs(spans: list[Span], text: str) -> bool:
    """Whether `text` (the spans joined) lexes into other constructs than the spans."""
    kinds = [s.kind for s in spans if s.text]
    merged = [k for i, k in enumerate(kinds) if k != "prose" or i == 0 or kinds[i - 1] != "prose"]
    return [s.kind for s in lex(text)] != merged
