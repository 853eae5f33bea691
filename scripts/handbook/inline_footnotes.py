"""Obsidian's inline footnotes (`text^[the footnote]`), shown as footnotes on the pages.

Python-Markdown has no inline footnotes and would show `^[…]` as written. The normaliser keeps them
as the note wrote them; each page that shows a block with one writes a reference in its place
(`[^inline-1]`) and the definition at the end of the page, where Python-Markdown lists footnotes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from .normalise.lexer import lex_with_offsets

LABEL_PREFIX = "inline-"
_READER = MarkdownIt("commonmark").enable("table").use(footnote_plugin)
# Next to these, a reference would read as part of other syntax: `[x][^a]` a reference link, `![^a]`
# an image, `[^a](x)` a link, `[^a]:` a definition.
_BEFORE_OTHER_SYNTAX = ("[", "]", "!")
_AFTER_OTHER_SYNTAX = ("(", "[", ":")
# A line break inside a footnote (the normaliser writes `<br>` at each): the definition is one line.
_BREAK = re.compile(r"(?:<br>)?\n[ \t]*")


def _candidates(text: str) -> list[tuple[int, int, str]]:
    """(start, end, content) of each `^[content]` outside code, escapes and other constructs, in order."""
    spans = lex_with_offsets(text)
    closing = _closing_brackets(spans)
    found: list[tuple[int, int, str]] = []
    cursor = 0  # the text before it is taken
    for kind, start, piece in spans:
        at = max(cursor - start, 0)
        while kind == "prose" and (opening := piece.find("^[", at)) >= 0:
            close = closing.get(start + opening + 1)
            if close is None:
                break
            found.append((start + opening, close + 1, text[start + opening + 2:close]))
            cursor = close + 1
            at = cursor - start
    return found


def _closing_brackets(spans: Sequence[tuple[str, int, str]]) -> dict[int, int]:
    """Where the `]` that closes each `[` of the prose spans stands, brackets in between counted."""
    # Looking for the closing bracket of each `^[` after it cost the square of a text of many unclosed ones.
    closing: dict[int, int] = {}
    opened: list[int] = []
    for kind, start, piece in spans:
        if kind != "prose":
            continue
        for bracket in _BRACKET.finditer(piece):
            if bracket.group() == "[":
                opened.append(start + bracket.start())
            elif opened:
                closing[opened.pop()] = start + bracket.start()
    return closing


_BRACKET = re.compile(r"[\[\]]")


def _read_by_markdown_it(text: str) -> list[str]:
    """The contents of the inline footnotes markdown-it's footnote plugin finds in a text, in order."""
    env: dict = {}
    _READER.parse(text, env)
    entries = env.get("footnotes", {}).get("list", {})
    return [entries[i]["content"] for i in sorted(entries) if "content" in entries[i]]


def find_inline_footnotes(text: str) -> list[tuple[int, int, str]]:
    """(start, end, content) of each inline footnote in a block's Markdown that can become a reference:
    one markdown-it reads too, with something in it, and not next to syntax a reference would join."""
    if "^[" not in text:
        return []
    read = iter(map(_one_line, _read_by_markdown_it(text)))  # markdown-it strips the indent of later lines
    return [(start, end, content) for start, end, content in _candidates(text)
            if _one_line(content) in read and content.strip()
            and not (start > 0 and text[start - 1] in _BEFORE_OTHER_SYNTAX)
            and text[end:end + 1] not in _AFTER_OTHER_SYNTAX]


def as_references(text: str, next_label: Callable[[], str]) -> tuple[str, list[tuple[str, str]]]:
    """A block's Markdown with each inline footnote a reference, and (label, definition) of each."""
    found = find_inline_footnotes(text)
    if not found:
        return text, []
    labels = [next_label() for _ in found]
    for (start, end, _), label in zip(reversed(found), reversed(labels)):
        text = text[:start] + f"[^{label}]" + text[end:]
    return text, [(label, f"[^{label}]: {_one_line(content)}") for label, (*_, content) in zip(labels, found)]


def _one_line(content: str) -> str:
    return _BREAK.sub(" ", content).strip()


def label_maker(taken: Callable[[str], bool]) -> Callable[[], str]:
    """A source of labels `inline-1`, `inline-2`, … that passes over those `taken` says a note uses."""
    number = 0

    def next_label() -> str:
        nonlocal number
        number += 1
        while taken(f"{LABEL_PREFIX}{number}"):
            number += 1
        return f"{LABEL_PREFIX}{number}"
    return next_label
