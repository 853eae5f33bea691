"""Reference-style links (`[text][label]`, `[text][]`, `[label]`) written as inline links.

Merging moves a note's blocks onto several pages, and its link reference definitions cannot follow
each of them: a reference whose definition stayed behind would show as bracketed text. So every
reference is written with its target inline, and a definition that all its references took in is
dropped, each change logged. A block is only rewritten when markdown-it reads the result, without any
definition, as the same links and text it read before with them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it.common.utils import normalizeReference
from markdown_it.token import Token

from ..footnotes import LITERAL_KINDS
from .blocks import INLINE_PARSER, PARSER, Rendered
from .inline import REFERENCE_DEFINITION, REFERENCE_LABEL, lex
from .log import RepairLog

REFERENCE_RULE = "reference-inlined"
# `[label]` standing alone: a shortcut reference when its label is defined.
_SHORTCUT = re.compile(r"\[((?:[^\[\]\\]|\\.)+)\]")
# The start of a definition as written, whose target may be on the next line.
_DEFINITION_START = re.compile(r"^[ ]{0,3}" + REFERENCE_LABEL)


@dataclass(frozen=True)
class Definition:
    """A link reference definition: what an inline link to its target puts after the link text, and where it is."""

    destination: str  # `](target "title")`
    href: str
    title: str
    section: int
    block: int
    line: int  # within the block's Markdown


@dataclass(frozen=True)
class InlinedReferences:
    """The blocks and headings with their references inline, and the labels whose definitions can go."""

    rewritten: dict[int, str]  # index among the texts given -> its new text
    used: frozenset[str]  # normalised labels that some rewritten text took in
    complete: bool  # every text reads the same without the definitions


def note_definitions(sections: Sequence) -> dict[str, Definition]:
    """The link reference definitions in a note's laid-out sections (footnotes aside), by normalised label;
    the first definition of a label counts, as in Markdown."""
    found: dict[str, Definition] = {}
    for s, (*_, blocks) in enumerate(sections):
        for b, block in enumerate(blocks):
            if block.kind in LITERAL_KINDS or "]:" not in block.markdown:
                continue
            env: dict = {}
            PARSER.parse(block.markdown, env)
            lines = block.markdown.split("\n")
            for label, reference in env.get("references", {}).items():
                first, end = reference["map"]
                definition = REFERENCE_DEFINITION.match(lines[first]) if end - first == 1 else None
                if label.startswith("^") or label in found or definition is None:
                    continue
                destination = f"]({definition.group('target')}{definition.group('rest').rstrip()})"
                found[label] = Definition(destination, reference["href"], reference["title"], s, b, first)
    return found


def _link_text_opener(spans_before: Sequence[tuple[str, int, str]]) -> int | None:
    """Where the `[` that opens the link text ending at the end of these spans stands, or None."""
    depth = 0
    for kind, start, piece in reversed(spans_before):
        if kind != "prose":
            continue
        for offset in range(len(piece) - 1, -1, -1):
            if piece[offset] == "]":
                depth += 1
            elif piece[offset] == "[":
                if depth == 0:
                    return start + offset
                depth -= 1
    return None


def _references(text: str, definitions: dict[str, Definition]) -> list[tuple[int, int, str, str]]:
    """(start, end, replacement, label) for each reference to a defined label in a text, left to right."""
    found: list[tuple[int, int, str, str]] = []
    spans: list[tuple[str, int, str]] = []
    position = 0
    for span in lex(text):
        spans.append((span.kind, position, span.text))
        position += len(span.text)
    for index, (kind, start, piece) in enumerate(spans):
        if kind == "reference":  # `][label]` or `][]` after the link text
            label = piece[2:-1]
            if not label:
                opener = _link_text_opener(spans[:index])
                label = text[opener + 1:start] if opener is not None else ""
            key = normalizeReference(label) if label.strip() else ""
            if key in definitions:
                found.append((start, start + len(piece), definitions[key].destination, key))
        elif kind == "prose" and "[" in piece:
            for match in _SHORTCUT.finditer(piece):
                after = start + match.end()
                following = text[after:after + 1]
                key = normalizeReference(match.group(1))
                at_line_start = not text[text.rfind("\n", 0, start + match.start()) + 1:start + match.start()].strip(" ")
                if following == ":" and at_line_start:
                    continue  # a definition, not a reference
                if following not in ("[", "(") and key in definitions:
                    # Only the closing bracket changes: `[label]` becomes `[label](target)`.
                    found.append((after - 1, after, definitions[key].destination, key))
    return sorted(found)


def _shape(tokens: list[Token]) -> list[tuple]:
    """What a reader sees of parsed Markdown: every token's type, tag, text and attributes, nested ones too."""
    shape: list[tuple] = []
    for token in tokens:
        shape.append((token.type, token.tag, token.content if token.type != "inline" else "",
                      tuple(sorted(token.attrs.items()))))
        if token.children:
            shape.extend(_shape(token.children))
    return shape


def _reads_the_same(before: str, after: str, definitions: dict[str, Definition]) -> bool:
    """Whether `after`, with no definitions, reads as `before` does with them."""
    references = {label: {"href": d.href, "title": d.title} for label, d in definitions.items()}
    return _shape(INLINE_PARSER.parse(before, {"references": references})) == _shape(INLINE_PARSER.parse(after, {}))


def inline_references(texts: Sequence[str], definitions: dict[str, Definition]) -> InlinedReferences:
    """Each text with its references to these definitions written inline."""
    rewritten: dict[int, str] = {}
    used: set[str] = set()
    complete = True
    for index, text in enumerate(texts):
        if "]" not in text:
            continue
        found = _references(text, definitions)
        after = text
        for start, end, replacement, _ in reversed(found):
            after = after[:start] + replacement + after[end:]
        if _reads_the_same(text, after, definitions):
            if found:
                rewritten[index] = after
                used.update(label for *_, label in found)
        else:
            complete = False
    return InlinedReferences(rewritten, frozenset(used), complete)


def inline_note_references(sections: list, kept: Sequence[tuple[int, str]], log: RepairLog) -> list:
    """A laid-out note's sections with every reference inline and the definitions they used dropped, logged.

    `sections` are (title, level, raw line, heading Markdown, rendered blocks), as the layout gives them;
    `kept` is each definition line as written, with its parsed-text line (where a dropped one is logged).
    """
    definitions = note_definitions(sections)
    if not definitions:
        return sections
    places: list[tuple[int, int | None]] = []  # (section, block index or None for the heading)
    texts: list[str] = []
    for s, (_, _, _, heading_md, blocks) in enumerate(sections):
        if heading_md:
            places.append((s, None))
            texts.append(heading_md)
        for b, block in enumerate(blocks):
            if block.kind not in LITERAL_KINDS:
                places.append((s, b))
                texts.append(block.markdown)
    result = inline_references(texts, definitions)
    out = [(title, level, line, heading_md, list(blocks)) for title, level, line, heading_md, blocks in sections]
    for index, after in result.rewritten.items():
        s, b = places[index]
        title, level, line, heading_md, blocks = out[s]
        if b is None:
            log.raw_repair(line, REFERENCE_RULE, heading_md, after)
            out[s] = (title, level, line, after, blocks)
            continue
        block = blocks[b]
        for offset, (old, new) in enumerate(zip(block.markdown.split("\n"), after.split("\n"))):
            if old != new:
                log.repair(block.line + offset, REFERENCE_RULE, old.strip(), new.strip())
        blocks[b] = Rendered(block.kind, after, block.line, block.depth)
    if not result.complete or not result.used:
        return out  # a text still needs its definitions where it is
    written_at: dict[str, int] = {}
    for number, text in kept:
        start = _DEFINITION_START.match(text.strip())
        if start is not None:
            written_at.setdefault(normalizeReference(start.group("label")), number)
    dropped: dict[tuple[int, int], dict[int, str]] = {}
    for label in sorted(result.used, key=lambda label: (definitions[label].section, definitions[label].block,
                                                        definitions[label].line)):
        definition = definitions[label]
        dropped.setdefault((definition.section, definition.block), {})[definition.line] = label
    for (s, b), lines in dropped.items():
        block = out[s][4][b]
        markdown = block.markdown.split("\n")
        for offset, label in lines.items():
            log.repair(written_at.get(label, block.line), REFERENCE_RULE, markdown[offset],
                       "(written into the links that use it)")
        left = "\n".join(line for offset, line in enumerate(markdown) if offset not in lines)
        out[s][4][b] = Rendered(block.kind, left, block.line, block.depth) if left.strip() else None
    for *_, blocks in out:
        blocks[:] = [block for block in blocks if block is not None]
    return out
