"""Encoding and line-ending repairs applied to a note's whole text before it is parsed, and the
escape of snippets markers applied to the Markdown it becomes.

Every rule here keeps the number of lines, so line numbers stay those of the raw note.
"""

from __future__ import annotations

import re
import unicodedata

from pymdownx.snippets import SnippetPreprocessor

from ..load import decode_note as decode_note_bytes  # noqa: F401  (re-exported: decoding is the load stage's)
from .log import RepairLog
from .rules import Rule, rule
from .registry import RepairRule, BYTE_ORDER_MARK, CONTROL_CHARACTERS, LINE_ENDINGS, UNICODE_NFC

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@rule(BYTE_ORDER_MARK)
def strip_byte_order_mark(text: str, log: RepairLog) -> str:
    """Drop the UTF-8 byte-order mark some editors put at the start of a file."""
    if text.startswith("\ufeff"):
        log.raw_repair(1, BYTE_ORDER_MARK, "U+FEFF", "")
        return text[1:]
    return text


@rule(LINE_ENDINGS)
def unify_line_endings(text: str, log: RepairLog) -> str:
    """Turn CRLF and lone CR line ends into LF (logged once per note with a count)."""
    if "\r" not in text:
        return text
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    kinds = ", ".join(f"{n} {kind}" for n, kind in ((crlf, "CRLF"), (cr, "CR")) if n)
    log.raw_repair(1, LINE_ENDINGS, kinds, "LF")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _changed_lines(before: str, after: str, log: RepairLog, rule: RepairRule) -> None:
    for number, (old, new) in enumerate(zip(before.split("\n"), after.split("\n")), start=1):
        if old != new:
            log.raw_repair(number, rule, old, new)


@rule(UNICODE_NFC)
def compose_unicode(text: str, log: RepairLog) -> str:
    """Compose Unicode to NFC so that the same word is always the same characters."""
    if unicodedata.is_normalized("NFC", text):
        return text
    composed = unicodedata.normalize("NFC", text)
    _changed_lines(text, composed, log, UNICODE_NFC)
    return composed


@rule(CONTROL_CHARACTERS)
def drop_control_characters(text: str, log: RepairLog) -> str:
    """Remove invisible control characters (tabs and line ends are kept)."""
    if not _CONTROL.search(text):
        return text
    cleaned = _CONTROL.sub("", text)
    _changed_lines(text, cleaned, log, CONTROL_CHARACTERS)
    return cleaned


TEXT_RULES: tuple[Rule, ...] = (strip_byte_order_mark, unify_line_endings, compose_unicode, drop_control_characters)


def clean_text(text: str, log: RepairLog) -> str:
    """Apply the whole-text rules in order."""
    for text_rule in TEXT_RULES:
        text = text_rule.apply(text, log)
    return text


def _escaped_snippet_marker(line: str) -> str:
    """The line with a `;` before an unescaped snippets marker, or the line as it was."""
    whole = SnippetPreprocessor.RE_ALL_SNIPPETS.match(line)
    if whole:
        return line if whole.group("escape") else f"{whole.group('space')};{line[whole.end('space'):]}"
    section = SnippetPreprocessor.RE_SNIPPET_SECTION.match(line)
    if section and not section.group("escape"):
        return f"{section.group('pre')};{line[section.end('pre'):]}"
    return line


def escape_snippet_markers(markdown: str) -> str:
    """Markdown with a `;` before every `--8<--` marker the site's snippets extension would act on.

    Unescaped, such a line in a note would pull a site file into the page, stop the build naming a
    missing file, or vanish. Snippets drops the `;` again, so the reader sees the line as written.
    """
    if "8<-" not in markdown:
        return markdown
    return "\n".join(_escaped_snippet_marker(line) if "8<-" in line else line for line in markdown.split("\n"))
