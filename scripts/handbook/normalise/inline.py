"""Inline repairs inside one block's text: Obsidian links and embeds, hazards, spelling and names.

A small lexer splits the text into prose and protected spans (code, URLs, link targets, raw HTML,
templates...). Rules that change words only ever see prose, so code and addresses stay exactly as
written. The block structure itself comes from markdown-it; this module never decides structure.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote

import nh3
from markdown_it.common.html_re import HTML_TAG_RE

from ..model import Asset
from .context import NormaliseContext
from .log import RepairLog
from .rules import Rule, rule

MISSING_IMAGE_CLASS = "handbook-missing-image"
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".avif", ".tif", ".tiff"})

_LEXER = re.compile(
    r"(?P<code>(?P<ticks>`+)[\s\S]*?(?<!`)(?P=ticks)(?!`))"
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
    r"|(?P<url>(?:https?|ftp)://[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]|www\.[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"])"
    r"|(?P<escape>\\[!-/:-@\[-`{-~])"
    r"|(?P<entity>&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
)

TAG = re.compile(r"(?<![\w&#/\\])#((?=[\w/-]*[^\W\d])[\w/-]*\w)")
TAG_LINE = re.compile(r"^(?:#(?=[\w/-]*[^\W\d])[\w/-]*\w[ \t]*)+$")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]<>])")
_SIZE = re.compile(r"^\s*(\d{1,5})(?:\s*[xX]\s*(\d{1,5}))?\s*$")
_UNSAFE_SCHEME = re.compile(r"^\s*<?\s*(?:javascript|vbscript|data(?!:image/(?:png|gif|jpe?g|webp);))\s*:", re.I)
_CONTENT_TAGS = ("script", "style")


@dataclass
class Span:
    """A piece of a block's text: prose (rules may change words) or a protected construct."""

    kind: str
    text: str


def lex(text: str) -> list[Span]:
    """Split text into prose and protected spans, in order; joining them gives the text back."""
    spans: list[Span] = []
    position = 0
    for match in _LEXER.finditer(text):
        if match.start() > position:
            spans.append(Span("prose", text[position : match.start()]))
        spans.append(Span(match.lastgroup or "prose", match.group(0)))
        position = match.end()
    if position < len(text):
        spans.append(Span("prose", text[position:]))
    return spans


def escape_text(text: str) -> str:
    """Escape the characters that would start Markdown syntax inside link or emphasis text."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def note_link(target: str, heading: str, alias: str) -> str:
    """A Markdown link to another note with a `note:` URL the renderer resolves later."""
    target = target.strip()
    heading = heading.strip()
    text = alias.strip() or heading.rsplit("#", 1)[-1].strip() or target or "link"
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
        index = min(text.count("\n", 0, offset), len(self.lines) - 1)
        return self.lines[index]


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
        attrs = f'width="{size.group(1)}"' + (f' height="{size.group(2)}"' if size.group(2) else "")
        markdown += f"{{ {attrs} }}"
    unit.log.repair(line, "obsidian-embed", original, markdown)
    return markdown


def convert_wikilink(inner: str, unit: Unit, line: int) -> str:
    """Turn `[[Note#Heading|alias]]` into a Markdown link with a `note:` URL."""
    inner = inner.replace("\\|", "|")
    target, _, alias = inner.partition("|")
    target, _, heading = target.partition("#")
    link = note_link(target, heading, alias)
    unit.log.repair(line, "obsidian-wikilink", f"[[{inner}]]", link)
    return link


def convert_obsidian(text: str, unit: Unit) -> str:
    """Replace embeds and wikilinks outside code with ordinary Markdown."""
    if "[[" not in text:
        return text
    out: list[str] = []
    offset = 0
    for span in lex(text):
        line = unit.line_at(text, offset)
        if unit.in_table and re.search(r"(?<!\\)\|", span.text):
            # The table already split this link at its bare '|' into two cells; keep the cells.
            out.append(span.text)
        elif span.kind == "embed":
            out.append(convert_embed(span.text[3:-2], unit, line))
        elif span.kind == "wikilink":
            out.append(convert_wikilink(span.text[2:-2], unit, line))
        else:
            out.append(span.text)
        offset += len(span.text)
    return "".join(out)


# ---- Protected spans that still need a safety check -----------------------------------------------


def sanitise_tag(tag: str) -> str:
    """Keep an inline HTML tag only if it is allowed, without event handlers or unsafe URLs."""
    name = re.match(r"</?([A-Za-z][\w-]*)", tag)
    if not name or name.group(1).lower() not in nh3.ALLOWED_TAGS:
        return ""
    if tag.startswith("</"):
        return f"</{name.group(1).lower()}>"
    cleaned = nh3.clean(tag, link_rel=None)
    return cleaned.split(">", 1)[0] + ">" if cleaned.startswith("<") else ""


def sanitise_spans(spans: list[Span], unit: Unit, text: str) -> None:
    """Drop scripts, disallowed tags, event handlers and javascript: links from inline HTML and links."""
    offset = 0
    dropping: str | None = None
    dropped: list[str] = []
    drop_line = 0
    for span in spans:
        line = unit.line_at(text, offset)
        offset += len(span.text)
        if dropping is not None:
            dropped.append(span.text)
            closing = span.kind == "html" and re.match(rf"</{dropping}\s*>", span.text, re.I)
            span.text = ""
            if closing:
                unit.log.repair(drop_line, "html-sanitised", "".join(dropped), "")
                dropping, dropped = None, []
            continue
        if span.kind == "html":
            opening = re.match(r"<(script|style)\b", span.text, re.I)
            if opening:
                dropping, dropped, drop_line = opening.group(1).lower(), [span.text], line
                span.text = ""
                continue
            cleaned = sanitise_tag(span.text)
            if cleaned != span.text:
                unit.log.repair(line, "html-sanitised", span.text, cleaned)
                span.text = cleaned
        elif span.kind == "dest" and _UNSAFE_SCHEME.match(span.text[2:]):
            unit.log.repair(line, "html-sanitised", span.text, "](#)")
            span.text = "](#)"
    if dropping is not None:
        unit.log.repair(drop_line, "html-sanitised", "".join(dropped), "")


def repair_stray_emphasis(spans: list[Span], unit: Unit, text: str) -> None:
    """Remove an unpaired `**` that sits right against a link, which would show as literal stars."""
    prose = [s for s in spans if s.kind == "prose"]
    if sum(s.text.count("**") for s in prose) % 2 == 0:
        return
    offset = 0
    for index, span in enumerate(spans):
        if span.kind == "prose":
            after_link = index > 0 and spans[index - 1].kind == "dest" and span.text.startswith("**")
            before_link = re.search(r"\*\*(?=\[)", span.text)
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


@rule("non-breaking-space")
def plain_spaces(text: str, unit: Unit, report: Report) -> str:
    """Turn non-breaking and other odd spaces, and tabs inside prose, into plain spaces."""

    def replace(match: re.Match[str]) -> str:
        character = match.group(0)
        report(match.start(), "tab" if character == "\t" else "non-breaking-space", f"U+{ord(character):04X}", " ")
        return " "

    return re.sub(r"[\u00a0\u2007\u202f\t]", replace, text)


@rule("copy-paste-leftover")
def drop_copy_paste_leftovers(text: str, unit: Unit, report: Report) -> str:
    """Remove web-page leftovers such as "(opens in a new tab)" copied along with link text."""

    def replace(match: re.Match[str]) -> str:
        report(match.start(), "copy-paste-leftover", match.group(0).strip(), "")
        return ""

    return re.sub(r"[ \t]*\(opens in a new (?:tab|window)\)", replace, text, flags=re.I)


@rule("emphasis-escape")
def escape_multiplication(text: str, unit: Unit, report: Report) -> str:
    """Escape `*` between digits (24*7*365) so that it is not read as emphasis."""

    def replace(match: re.Match[str]) -> str:
        report(match.start(), "emphasis-escape", "*", "\\*")
        return "\\*"

    return re.sub(r"(?<=\d)\*(?=\d)", replace, text)


@rule("dash")
def spaced_dashes(text: str, unit: Unit, report: Report) -> str:
    """Write a `--` used as a dash between words as a spaced en dash."""

    def replace(match: re.Match[str]) -> str:
        report(match.start(), "dash", match.group(0), " – ")
        return " – "

    return re.sub(r"(?<=[^\s<>!-])(?: --|--|-- | -- )(?=[^\s<>-])", replace, text)


@rule("spelling")
def fix_spelling(text: str, unit: Unit, report: Report) -> str:
    """Fix misspellings from data/corrections.yml, then from codespell's general dictionary."""
    return unit.ctx.speller.correct(text, report)


@rule("service-name")
def canonical_names(text: str, unit: Unit, report: Report) -> str:
    """Write AWS service names the canonical way given in data/names.yml."""
    return unit.ctx.names.canonicalise(text, report)


PROSE_RULES: tuple[Rule, ...] = (plain_spaces, drop_copy_paste_leftovers, escape_multiplication, spaced_dashes, fix_spelling, canonical_names)

_SHIFT_TYPO = re.compile(r"(?<![\w'’-])[A-Z]{2}[a-z]{2,}(?![\w'’-])")
_MISSING_SPACE = re.compile(r"(?<![\w.])[a-z]{2,}[.][A-Z][a-z]+")


def collect_tags_and_findings(text: str, unit: Unit, line_of: Callable[[int], int]) -> None:
    """Collect inline #tags and report words that look wrong; neither changes the text."""
    for match in TAG.finditer(text):
        unit.log.tags.append(match.group(1))
    for match in _SHIFT_TYPO.finditer(text):
        if match.group(0).lower() not in unit.ctx.names.words:
            unit.log.find(line_of(match.start()), match.group(0), "odd capitals")
    for match in _MISSING_SPACE.finditer(text):
        unit.log.find(line_of(match.start()), match.group(0), "missing space after full stop")


def repair_inline(text: str, unit: Unit) -> str:
    """Apply every inline repair to one block's text and return the repaired text."""
    text = convert_obsidian(text, unit)
    spans = lex(text)
    sanitise_spans(spans, unit, text)
    # Removed tags can join two prose spans; prose rules must see them as one, as a second pass would.
    spans = lex("".join(s.text for s in spans))
    newlines_before = 0
    for span in spans:
        if span.kind == "prose" and span.text:

            def line_of(at: int, _span: Span = span, _before: int = newlines_before) -> int:
                index = min(_before + _span.text.count("\n", 0, at), len(unit.lines) - 1)
                return unit.lines[index]

            def report(at: int, rule_id: str, before: str, after: str, _line_of=line_of) -> None:
                unit.log.repair(_line_of(at), rule_id, before, after)

            for prose_rule in PROSE_RULES:
                span.text = prose_rule.apply(span.text, unit, report)
            collect_tags_and_findings(span.text, unit, line_of)
        newlines_before += span.text.count("\n")
    # Last, so that it sees the text after leftovers such as "(opens in a new tab)" are gone.
    repair_stray_emphasis(spans, unit, "".join(s.text for s in spans))
    return "".join(s.text for s in spans)
