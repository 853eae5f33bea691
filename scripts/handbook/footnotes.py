"""Footnotes in notes: their labels belong to one note, but a topic page shows blocks of many.

Python-Markdown's footnotes extension reads `[^label]` as a reference and a line starting
`[^label]:` as the definition. Two notes that both use `[^1]` on one page would share one
definition (the last wins, the other text is lost), and a definition nobody references gets a
back-link to an anchor that does not exist, which stops a strict build.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable

# What a footnote looks like, declared once for the normaliser, the merge stage and the renderer. As
# Python-Markdown's footnotes extension reads it, which is what the page gets: `[^label]` is a reference
# and `[^label]:` at the start of a line (indented or not) a definition; a label runs to the `]` on its line, and may
# be empty (`[^]`).
LABEL = r"[^\]\n]*"
REFERENCE = r"\[\^(?P<label>" + LABEL + r")\]"
DEFINITION = REFERENCE + ":"
# A definition escape_definitions wrote as text: `\[^label]:`.
ESCAPED_DEFINITION = r"\\\[\^" + LABEL + r"\]:"
# A definition's start that markdown-it's footnote plugin (like Obsidian) reads too: a label with no
# space in it, indented at most three spaces. A line break before it would join it to the line before.
DEFINITION_START = re.compile(r"^[ ]{0,3}\[\^[^\]\s]+\]:")
# A reference as the inline lexer keeps it from the prose rules: no space or bracket in the label.
LEXED_REFERENCE = r"\[\^[^\[\]\s]+\]"

# These are read with regular expressions, not markdown-it's footnote plugin (mdit_py_plugins.footnote):
# the plugin finds a reference only where its definition is in the same parse, and blocks are read one
# by one here (a page shows blocks of many notes); its inline tokens carry no offsets, and relabelling
# and escaping change the text in place; and it reads labels by its own rules, not Python-Markdown's
# (a space or a tab in a label). inline_footnotes.py uses it where a whole block is read: `^[…]`.

# Code spans and backslash escapes come first so that a `[^1]` inside them is left alone; a code span
# ends with its paragraph, at a blank line. A definition may be indented: inside a list item or once a
# continuation line is unindented, it is one.
_FOOTNOTE = re.compile(
    r"(?P<code>(?<!`)(?P<ticks>`+)(?!`)(?:(?!\n[ \t]*\n)[\s\S])*?(?<!`)(?P=ticks)(?!`))"
    r"|(?P<escape>\\.)"
    r"|(?P<start>^[ \t]*)?" + REFERENCE + r"(?P<colon>:)?",
    re.M,
)


# Kinds of block whose text Python-Markdown never reads for footnotes.
LITERAL_KINDS = frozenset({"code", "html"})


def _without_open_labels(markdown: str) -> str:
    """The text with every `[` that no `]` follows on its line written as another character, of the
    same length, that none of _FOOTNOTE's branches treats apart (read matches' spans, not their text)."""
    # No footnote can start there, but _FOOTNOTE tried one at each `[^`, each reading to the end of the
    # line: a line of unclosed `[^` cost the square of its length.
    lines = markdown.split("\n")
    for number, line in enumerate(lines):
        closed = line.rfind("]") + 1
        if "[" in line[closed:]:
            lines[number] = line[:closed] + line[closed:].replace("[", "\0")
    return "\n".join(lines)


def _all_matches(markdown: str) -> Iterable[re.Match[str]]:
    """_FOOTNOTE's matches in the text: code spans, escapes and footnotes (spans as in the text)."""
    return _FOOTNOTE.finditer(_without_open_labels(markdown))


def _matches(markdown: str) -> Iterable[re.Match[str]]:
    if "[^" not in markdown:
        return ()
    return (m for m in _all_matches(markdown) if m.group("label") is not None)


def _substitute(markdown: str, replace: Callable[[re.Match[str]], str | None]) -> str:
    """The text with each footnote match replaced by `replace(match)`, or kept where that is None."""
    out: list[str] = []
    position = 0
    for match in _all_matches(markdown):
        replacement = replace(match) if match.group("label") is not None else None
        if replacement is not None:
            out += (markdown[position:match.start()], replacement)
            position = match.end()
    return "".join(out) + markdown[position:]


def _is_definition(match: re.Match[str]) -> bool:
    return match.group("start") is not None and match.group("colon") is not None


def defined_labels(markdown: str) -> frozenset[str]:
    """The footnote labels a block defines (`[^label]:` at the start of a line)."""
    return frozenset(m.group("label") for m in _matches(markdown) if _is_definition(m))


def referenced_labels(markdown: str) -> frozenset[str]:
    """The footnote labels a block references."""
    return frozenset(m.group("label") for m in _matches(markdown) if not _is_definition(m))


def relabel(markdown: str, rename: Callable[[str, bool], str]) -> str:
    """The block with every footnote label replaced by `rename(label, is_definition)`."""
    if "[^" not in markdown:
        return markdown

    def replace(match: re.Match[str]) -> str:
        renamed = rename(match.group("label"), _is_definition(match))
        return f"{match.group('start') or ''}[^{renamed}]{match.group('colon') or ''}"

    return _substitute(markdown, replace)


def escape_definitions(markdown: str, labels: frozenset[str]) -> str:
    """The block with the definitions of `labels` escaped, so that they show as the text they are."""
    if not labels or "[^" not in markdown:
        return markdown
    return _substitute(markdown, lambda m: (f"{m.group('start')}\\[^{m.group('label')}]:"
                                            if m.group("label") in labels and _is_definition(m) else None))


# A line that starts a footnote definition (perhaps indented, as in a list item).
_DEFINITION_LINE = re.compile(r"^[ \t]*" + DEFINITION)


def definitions_by_label(markdown: str) -> dict[str, str]:
    """Each footnote a block defines, by label: its first line and the lines that follow up to the next one."""
    if "[^" not in markdown:
        return {}
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in markdown.split("\n"):
        start = _DEFINITION_LINE.match(line)
        if start is not None and start.group("label") in defined_labels(line):
            current = found[start.group("label")] = [line.lstrip(" \t")]
        elif current is not None:
            current.append(line)
    return {label: "\n".join(lines).rstrip() for label, lines in found.items()}


def note_key(note: str) -> str:
    """A short label suffix that is the same for one note in every build."""
    return hashlib.sha1(note.encode("utf-8")).hexdigest()[:8]
