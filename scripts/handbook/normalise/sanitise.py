"""Sanitising a block's inline text: no scripts, disallowed tags, event handlers or unsafe link targets
reach the page, read as Python-Markdown will read them (which is not how the lexer, a CommonMark
reader, does); links into the notes folder get the URLs the renderer resolves."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import nh3
from markdown.blockprocessors import ReferenceProcessor
from markdown.inlinepatterns import AUTOLINK_RE, AUTOMAIL_RE, BACKTICK_RE, HTML_RE, BacktickInlineProcessor
from markdown.util import BLOCK_LEVEL_ELEMENTS

from .lexer import BARE_PIPE, DEST_PARTS, OpenBrackets, Span, lex
from .memo import Memo
from .link_targets import (
    RELATIVE_DEST, SCHEME, convert_relative_link, link_target_rule, only_python_markdown_links, target_prefix,
)
from .obsidian.math import sanitise_math
from .obsidian.uri import OPEN_DEST, convert_obsidian_uri, dest_opens_a_note, opens_a_note
from .registry import ATTRIBUTE_BRACES, HTML_SANITISED, LINK_QUOTES, LINK_SCHEME, LINK_SPACED_TARGET

if TYPE_CHECKING:
    from .inline import Unit

# attr_list writes any attribute a note names onto the element, an event handler or a link's href
# included; a note keeps classes, ids and these.
SAFE_ATTRIBUTES = frozenset({"width", "height", "title", "alt", "lang", "dir"})
_ATTRIBUTE = re.compile(r"""(?P<key>[\w-]+)=(?P<value>"[^"\n]*"|'[^'\n]*'|[^\s}]+)|(?P<shorthand>[.#][\w-]+)|(?P<other>[^\s}]+)""")
# What Python-Markdown itself reads, which is what the page gets (the lexer reads CommonMark): its
# autolink (any `scheme://`), mail autolink, inline tag and link reference definition.
_MD_AUTOLINK = re.compile(AUTOLINK_RE)
_MD_AUTOMAIL = re.compile(AUTOMAIL_RE)
_MD_TAG = re.compile(HTML_RE)
_MD_DEFINITION = ReferenceProcessor.RE
LONGEST_TAG = 4096
_MD_BACKTICK = re.compile(BACKTICK_RE)
_MD_CODE_SPANS = BacktickInlineProcessor(BACKTICK_RE)
# The characters a backslash escapes for Python-Markdown with the extensions mkdocs.yml loads (tables add
# `|`, pymdownx `/ = ~`); it reads no tag or link through an escaped one (`<name\>` is text). Not `<`.
_MD_ESCAPED = frozenset("\\`*_{}[]()>#+-.!|/=~")
_PUT_ASIDE = "\x02"  # Python-Markdown's placeholders start with this control character, as no markup does
_CONTENT_OPENING = re.compile(r"<(script|style)\b", re.I)
_TAG_NAME = re.compile(r"</?([A-Za-z][\w-]*)")


def sanitise_tag(tag: str) -> str:
    """Keep an inline HTML tag only if it is allowed, without event handlers or unsafe URLs."""
    name = _TAG_NAME.match(tag)
    if not name or name.group(1).lower() not in nh3.ALLOWED_TAGS:
        return ""
    if tag.startswith("</"):
        return f"</{name.group(1).lower()}>"
    cleaned = clean_html(tag)
    return cleaned.split(">", 1)[0] + ">" if cleaned.startswith("<") else ""


# Block elements md_in_html reads Markdown blocks in (its own split: these less its span-level and raw ones,
# which it keeps as one line of text or as written, and the void `hr`).
_MD_SPAN_LEVEL = frozenset({"address", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "legend", "li", "p",
                            "summary", "td", "th"})
_MD_RAW = frozenset({"canvas", "math", "option", "pre", "script", "style", "textarea"})
_MARKDOWN_HOLDERS = frozenset(BLOCK_LEVEL_ELEMENTS) - _MD_SPAN_LEVEL - _MD_RAW - {"hr"}


def sanitise_block_tag(tag: str, memo: Memo) -> str:
    """A lone tag that is an HTML block of its own, sanitised, and written so that what follows it reads
    as Markdown: an opening block element marked for md_in_html, any other block element closed at once.

    CommonMark, and so Obsidian, ends such a block at the blank line after the tag and reads on as Markdown
    (`<div>`, a blank line, `## Heading`); Python-Markdown would keep everything up to `</div>` as raw HTML,
    a heading in it no heading, and the rest of the page swallowed when the tag is never closed."""
    cleaned = remembered_sanitise_tag(tag, memo)
    name = _TAG_NAME.match(cleaned)
    if not name or cleaned.startswith("</") or cleaned.endswith("/>"):
        return cleaned
    element = name.group(1).lower()
    if element in _MARKDOWN_HOLDERS:
        return f'{cleaned[:-1]} markdown="1">'
    if element in BLOCK_LEVEL_ELEMENTS and element != "hr":
        return f"{cleaned}</{element}>"
    return cleaned


def remembered_sanitise_tag(tag: str, memo: Memo) -> str:
    """sanitise_tag(tag), remembered in `memo` (the context's): notes repeat their tags, and nh3 is slow."""
    known = memo.get(tag)
    return known if known is not None else memo.remember(tag, sanitise_tag(tag))


# nh3's own list also lets through ftp:, tel:, sms: and more, which the site does not link to.
_TAG_URL_SCHEMES = {"http", "https", "mailto"}


def _url_attribute(element: str, attribute: str, value: str) -> str | None:
    """An attribute as nh3 leaves it, but for a URL the site would not link to (nh3 checks no `cite`)."""
    return None if attribute in _URL_ATTRIBUTES and link_target_rule(value) else value


def clean_html(html_text: str) -> str:
    """HTML through nh3: allowed tags and attributes only, and URLs only that the site links to."""
    return nh3.clean(html_text, link_rel=None, url_schemes=_TAG_URL_SCHEMES, attribute_filter=_url_attribute)


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
    try:
        reader.feed(tag)
        reader.close()
    except AssertionError:  # html.parser gives up on a malformed declaration (`<![x`): read as one that acts
        return True
    return any(name in _ACTIVE_ELEMENTS or any(
        key.startswith("on") or key in ("style", "srcdoc") or key in _URL_ATTRIBUTES and link_target_rule(value or "")
        for key, value in attributes) for name, attributes in reader.tags)



def _md_code_spans(text: str) -> list[tuple[int, int]]:
    """Where Python-Markdown's own code-span pattern finds code spans in a text, as (start, end)."""
    found: list[tuple[int, int]] = []
    position = 0
    while (match := _MD_BACKTICK.search(text, position)) is not None:
        element, begin, end = _MD_CODE_SPANS.handleMatch(match, text)
        if element is not None and not isinstance(element, str):
            found.append((begin, end))
        position = max(end or 0, match.end(), (begin or 0) + 1)
    return found


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
    # A code span hides its text only where Python-Markdown reads one too: the two pair backticks differently
    # (``` ``[a]`](<tag>)` ``` is code after `](` to the lexer, and code before it to Python-Markdown).
    md_code = _md_code_spans(text) if "`" in text else []
    position = 0
    for span in spans:
        end = position + len(span.text)
        code = span.kind == "code" and any(start <= position and end <= stop for start, stop in md_code)
        if code or span.kind == "escape" and span.text[1] in _MD_ESCAPED:
            # Python-Markdown reads neither as markup: it puts them aside before links and tags, behind a
            # placeholder that starts no tag name (`<\`\`>` is text).
            masked.append(_PUT_ASIDE * len(span.text))
        else:
            masked.append(span.text)
            if span.kind == "html":
                html_spans[position] = span.text
                inside.append((position + 1, position + len(span.text)))
            elif span.kind == "math" and not span.text.startswith("$"):
                inside.append((position, position + len(span.text)))  # all its tags are MathML's, cleaned above
            elif span.kind == "dest":
                dest_spans[position] = span.text
        position += len(span.text)
    seen = "".join(masked)
    found: list[tuple[int, int, str, str]] = []
    if "](" in seen:
        closing = _closing_parens(seen)
        # Python-Markdown reads a link from a `[` to the `]` that closes it: with no `[` open, `](` ends none.
        brackets = OpenBrackets(seen)
        for match in re.finditer(r"\]\(", seen):
            start = match.start()
            if not brackets.at(start):
                continue
            end = closing.get(start + 1)
            if end and in_table and BARE_PIPE.search(seen, start, end):
                end = None  # the cell ends first
            destinations.append((start, end or len(seen)))
            repair_rule = link_target_rule(target_prefix(seen, start + 2, (end - 1) if end else len(seen)))
            if repair_rule == LINK_SCHEME and dest_spans.get(start) == text[start:end] and dest_opens_a_note(text[start:end]):
                repair_rule = None  # sanitise_spans points it at the note's page
            if repair_rule is None and end and start not in dest_spans \
                    and only_python_markdown_links(seen, start + 2, end - 1):
                found.append((start, end, "]\\(" + text[start + 2:end], LINK_SPACED_TARGET))  # no link starts at `\(`
            elif repair_rule:
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
            if autolink and in_destination and seen[max(0, start - 64):start].rstrip(" \t\n").endswith("]("):
                continue  # the destination's own target, checked above
            if autolink:
                # Elsewhere after a `](` it is text that opens no link (`]([a]<javascript://>`), which
                # Python-Markdown reads as an autolink.
                repair_rule = link_target_rule(autolink.group(1))
                end = autolink.end()
            elif _MD_AUTOMAIL.match(seen, start):
                continue  # always a mailto: link
            else:
                tag = _MD_TAG.match(seen, start)
                if tag is None and (start == 0 or seen[start - 1] == "\n") and _TAG_NAME.match(seen, start):
                    # At a line's start Python-Markdown reads raw HTML as a browser does (`<script/…` opens a
                    # script): an element that acts there is written as text.
                    line_end = seen.find("\n", start)
                    line_end = line_end if line_end >= 0 else len(text)
                    closing = seen.find(">", start, line_end)
                    # Only a tag closed on its line: html.parser reads an open one again from every later `<`; and
                    # one longer than any a note means (thousands of `<a `) is text without being read.
                    if closing >= 0 and (closing - start > LONGEST_TAG or active_tag(text[start:closing + 1])):
                        found.append((start, start + 1, "&lt;", HTML_SANITISED))
                    continue
                if tag is None or not re.match(r"</?[A-Za-z]", tag.group(0)) or html_spans.get(start) == tag.group(0):
                    continue  # no tag, or one the lexer saw too: sanitise_spans cleans it with nh3
                if in_destination and not active_tag(text[start:tag.end()]):
                    continue  # a link's `<target>` (checked above), or a tag that cannot act if there is no link
                end = tag.end()
                scheme = SCHEME.match(tag.group(0), 1)
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


def _attribute_parts(attr: str) -> list[re.Match[str]]:
    """The parts of an attribute list (`{: .class #id key=value }`), as _ATTRIBUTE reads them."""
    return list(_ATTRIBUTE.finditer(attr[1:-1].lstrip(":")))


def holds_bare_word(attr: str) -> bool:
    """Whether an attribute list holds a word that is neither `#id`, `.class` nor `key=value`."""
    return any(m.group("other") for m in _attribute_parts(attr))


def sanitise_attributes(attr: str) -> str:
    """An attribute list (`{: .class #id key=value }`) with only classes, ids and SAFE_ATTRIBUTES;
    nothing at all when none is left."""
    found = _attribute_parts(attr)
    kept = [m.group(0) for m in found
            if m.group("shorthand") or (m.group("key") and m.group("key").lower() in SAFE_ATTRIBUTES)]
    if not kept:
        return ""
    return attr if len(kept) == len(found) else f"{{ {' '.join(kept)} }}"


_LINE_BREAK_TAG = re.compile(r"<br\s*/?>", re.I)
_CELL_END = re.compile(r"[ ]*\|")  # a table cell's end: the lexer reads an escaped pipe apart
# The last characters of the inline elements the site's Markdown makes: emphasis, code, a link or image, an
# autolink or tag, a footnote reference; and of ==mark== and ~~strikethrough~~, two of them.
_ELEMENT_ENDS = frozenset("*_`)>]")
_DOUBLE_ELEMENT_ENDS = ("==", "~~")


def after_element(text: str, at: int) -> bool:
    """Whether offset `at` of a text comes right after what may end an inline element, or starts a line after the
    first (attr_list reads braces there as the paragraph's when an element ends the paragraph after them)."""
    if at == 0:
        return False
    if text[at - 1] in _ELEMENT_ENDS or text.startswith(_DOUBLE_ELEMENT_ENDS, at - 2, at):
        return True
    before = at - 1
    while before >= 0 and text[before] == " ":
        before -= 1
    if before < 0 or text[before] != "\n":
        return False
    # Only a line with text above makes this one a paragraph's later line: a line a repair emptied (a dropped
    # leftover) goes from the page.
    while before >= 0 and text[before] in " \t\n":
        before -= 1
    return before >= 0


def _ends_line(spans: list[Span], index: int, or_break: bool = False) -> bool:
    """Whether nothing but spaces follows span `index` on its line (`or_break`: or the `<br>` that shows a line
    break, which the line-break rule may yet write there)."""
    index += 1
    if or_break and index < len(spans) and spans[index].kind == "html" and _LINE_BREAK_TAG.fullmatch(spans[index].text):
        index += 1
    # Every span up to the line's end is read: spaces can be a span of their own before an escape (`\``).
    for span in spans[index:]:
        rest, newline, _ = span.text.partition("\n")
        if rest.strip():
            return False
        if newline:
            return True
    return True


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
            done = newlines = 0  # line ends before `done`, counted as the hazards go (never again from the start)
            for start, end, replacement, repair_rule in hazards:
                newlines += text.count("\n", done, start)
                unit.log.repair(unit.line_after(newlines), repair_rule, text[start:end], replacement)
                pieces += [text[done:start], replacement]
                newlines += text.count("\n", start, end)
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
    offset = after = 0  # where the span starts and ends in `text`
    for index, span in enumerate(spans):
        offset, after = after, after + len(span.text)
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
            cleaned = remembered_sanitise_tag(span.text, unit.ctx.tag_cache)
            if cleaned != span.text:
                unit.log.repair(line, HTML_SANITISED, span.text, cleaned)
                span.text = cleaned
                changed = True
        elif span.kind == "math" and not span.text.startswith("$"):
            written = sanitise_math(span.text, unit, line)
            changed = changed or written != span.text
            span.text = written
        elif span.kind == "attr" and not _read_as_attributes(spans, index, text, offset, unit.in_table):
            # Braces in the middle of text (`tags {Environment=prod} here`): attr_list reads none there, and the
            # page shows them as written, as Obsidian does; escaped, so that no reading can take them.
            escaped = "\\" + span.text
            unit.log.repair(line, ATTRIBUTE_BRACES, span.text, escaped)
            span.text, changed = escaped, True
        elif span.kind == "attr" and holds_bare_word(span.text):
            # attr_list would make each bare word an attribute of that name, which the page never shows: the
            # note wrote text in braces (`{#5 steps}`), shown as written.
            escaped = "\\" + span.text
            unit.log.repair(line, ATTRIBUTE_BRACES, span.text, escaped)
            span.text, changed = escaped, True
        elif span.kind == "attr":
            cleaned = sanitise_attributes(span.text)
            if cleaned != span.text:
                unit.log.repair(line, HTML_SANITISED, span.text, cleaned)
                span.text = cleaned
                changed = True
        elif _ends_line_as_statement(spans, index):
            # attr_list would read a `{% endif %}` that ends its line as the block's attributes, and the
            # page would lose it: escaped, it shows as written (and is never run: notes are no templates).
            unit.log.repair(line, ATTRIBUTE_BRACES, span.text, "\\" + span.text)
            span.text = "\\" + span.text
        elif span.kind == "dest" and OPEN_DEST.match(span.text):
            converted = convert_obsidian_uri(span.text, unit, line)
            changed = changed or converted != span.text
            span.text = converted
        elif span.kind == "dest" and RELATIVE_DEST.match(span.text):
            converted = convert_relative_link(span.text, unit, line)
            changed = changed or converted != span.text
            span.text = converted
        elif span.kind == "dest" and ('"' in span.text or "'" in span.text):
            encoded = _quotes_encoded(span.text)
            if encoded != span.text:
                unit.log.repair(line, LINK_QUOTES, span.text, encoded)
                span.text, changed = encoded, True
    if dropping is not None:
        unit.log.repair(drop_line, HTML_SANITISED, "".join(dropped), "")
    return changed


def _quotes_encoded(dest: str) -> str:
    """A link destination whose bare address has its quotes percent-encoded where Python-Markdown would read a title
    in it: every `"` (CommonMark encodes them in the address it links), and `'` when there are two or more."""
    parts = DEST_PARTS.match(dest)
    if parts is None or parts.group("bare") is None:
        return dest
    address = parts.group("bare").replace('"', "%22")
    if address.count("'") > 1:
        address = address.replace("'", "%27")
    return "](" + parts.group("lead") + address + parts.group("rest")


def has_hazards(text: str, unit: Unit) -> bool:
    """Whether Python-Markdown would read a link or tag to sanitise in `text`, or attr_list a template statement
    that ends its line (a repair can make either: a dropped leftover brings a definition to the start of its
    line, or leaves a `{% … %}` last on its line)."""
    spans = lex(text)
    if "{%" in text and _statement_ends_line(spans):
        return True
    if "{" in text and _braces_in_text(spans, text, unit.in_table):
        return True
    return ("](" in text or "<" in text or "]:" in text) and bool(
        _markdown_hazards(text, spans, unit.in_table, unit.inline_only))


def escape_line_end_statements(text: str) -> str:
    """The text with each template statement that ends its line escaped, as sanitise_spans escapes one: a repair
    after the inline ones (a dropped block id after `{% y %}`) can leave a statement last on its line."""
    if "{%" not in text:
        return text
    spans = lex(text)
    return "".join("\\" + span.text if _ends_line_as_statement(spans, index) else span.text
                   for index, span in enumerate(spans))


def _braces_in_text(spans: list[Span], text: str, in_table: bool) -> bool:
    """Whether an attribute list stands where attr_list reads none (see sanitise_spans): a repair can bring one
    there (a dropped leftover before it)."""
    offset = 0
    for index, span in enumerate(spans):
        if span.kind == "attr" and not _read_as_attributes(spans, index, text, offset, in_table):
            return True
        offset += len(span.text)
    return False


def _read_as_attributes(spans: list[Span], index: int, text: str, offset: int, in_table: bool) -> bool:
    """Whether attr_list may read the attribute list of span `index` (at `offset` of `text`) as attributes: right
    after an inline element, or at the end of its line or table cell (a heading's, a term's, a paragraph's)."""
    if after_element(text, offset) or _ends_line(spans, index, or_break=True):
        return True
    return in_table and _CELL_END.match(text, offset + len(spans[index].text)) is not None


def _statement_ends_line(spans: list[Span]) -> bool:
    """Whether a template statement that nothing follows on its line is left unescaped."""
    return any(_ends_line_as_statement(spans, index) for index in range(len(spans)))


def _ends_line_as_statement(spans: list[Span], index: int) -> bool:
    """Whether span `index` is a template statement (`{% endif %}`) that nothing but spaces follows on its line."""
    span = spans[index]
    return span.kind == "template" and span.text.startswith("{%") and _ends_line(spans, index)
