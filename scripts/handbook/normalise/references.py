"""Reference-style links (`[text][label]`, `[text][]`, `[label]`) written as inline links.

Merging moves a note's blocks onto several pages, and its link reference definitions cannot follow
each of them: a reference whose definition stayed behind would show as bracketed text. So every
reference is written with its target inline, in the note's text before its blocks are laid out (so
that every other rule reads the links as a second reading would), and a definition that all its
references took in is dropped from the laid-out note, each change logged. A paragraph, heading or
table row is only rewritten when markdown-it reads it, without any definition, as the same links and
text it read before with them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from markdown_it.common.utils import normalizeReference
from markdown_it.helpers import parseLinkDestination, parseLinkTitle
from markdown_it.token import Token

from ..footnotes import LITERAL_KINDS
from .join import Rendered
from .render import CONTAINER_PREFIX, DEFINITION_START, DefinitionStarts, contained_text, paragraph_once_sanitised
from .details import DETAILS_CLOSE, DETAILS_OPEN, closers_by_token
from .parse import INLINE_PARSER, PARSER
from .lexer import lex, lex_with_offsets
from .link_targets import REFERENCE_DEFINITION, link_target_rule, written_as_url
from .obsidian.uri import opens_a_note
from .prose import ODD_SPACE
from .log import RepairLog
from .registry import REFERENCE_INLINED
from .sections import LaidOutSection

# Marks that open a formula or code span, which take precedence over a link: in a target the link rules
# rewrite (into the notes folder, or an Obsidian URI), they are percent-encoded.
_REWRITTEN_MARKS = re.compile(r"[$`]")

# `[label]` standing alone: a shortcut reference when its label is defined.
_SHORTCUT = re.compile(r"\[((?:[^\[\]\\]|\\.)+)\]")


@dataclass(frozen=True)
class Definition:
    """A link reference definition: what an inline link to its target puts after the link text."""

    destination: str  # `](target "title")`
    href: str
    title: str


def _definition_places(sections: Sequence[LaidOutSection]) -> dict[str, tuple[int, int, int]]:
    """Where each link reference definition of a laid-out note stands (footnotes aside), by normalised
    label: (section, block, line within the block); the first definition of a label counts."""
    found: dict[str, tuple[int, int, int]] = {}
    for s, section in enumerate(sections):
        for b, block in enumerate(section.blocks):
            if block.kind in LITERAL_KINDS or "]:" not in block.markdown:
                continue
            env: dict = {}
            PARSER.parse(block.markdown, env)
            for label, reference in env.get("references", {}).items():
                first, end = reference["map"]
                if not label.startswith("^") and end - first == 1:
                    found.setdefault(label, (s, b, first))
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


# How far past a label's `](` an inline link's target and title are looked for: a longer one is read as no link, and
# the check that the text reads the same with the reference written inline leaves the region as it is.
_LINK_WINDOW = 2000


def _references(text: str, definitions: dict[str, Definition], heading: bool = False) -> list[tuple[int, int, str, str]]:
    """(start, end, replacement, label) for each reference to a defined label in a text, left to right.

    A `[label]:` starting a line is taken for a definition (the layout reads it so), except in a
    heading, whose lines the layout writes as one.
    """
    found: list[tuple[int, int, str, str]] = []
    spans = lex_with_offsets(text)
    masked = _without_wikilinks(text)  # `[r][[Note]]` is a reference before a wikilink, as Obsidian reads it
    definition_starts: set[int] | None = None  # read when a `[label]:` starts a line
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
                following = masked[after:after + 1]
                key = normalizeReference(match.group(1))
                line_start = text.rfind("\n", 0, start + match.start()) + 1
                at_line_start = not text[line_start:start + match.start()].strip(" ")
                if following == ":" and at_line_start and not heading:
                    definition_starts = _definition_starts(text) if definition_starts is None else definition_starts
                    if line_start in definition_starts:
                        continue  # a definition, not a reference (a paragraph's later line is text: a use)
                if key in definitions and following != "[" and (following != "(" or not _inline_link_at(masked, after)):
                    # Only the closing bracket changes: `[label]` becomes `[label](target)`.
                    found.append((after - 1, after, definitions[key].destination, key))
    return sorted(found)


def _inline_link_at(text: str, opener: int) -> bool:
    """Whether the `(` at an offset, right after a label's `]`, opens an inline link as markdown-it reads one (when
    it does not, as in `[r](opens in a new tab)`, the label is a shortcut reference followed by text). Read within
    _LINK_WINDOW characters, so that a text of many `[r](` costs linear time."""
    end = min(len(text), opener + _LINK_WINDOW)
    at = _after_spaces(text, opener + 1, end)
    if at >= end:
        return True  # markdown-it reads neither a link nor a reference there: left as it is
    destination = parseLinkDestination(text, at, end)
    if destination.ok:
        after_destination = destination.pos
        at = _after_spaces(text, after_destination, end)
        title = parseLinkTitle(text, at, end)
        if at < end and at != after_destination and title.ok:
            at = _after_spaces(text, title.pos, end)
    return at < end and text[at] == ")"


def _after_spaces(text: str, at: int, end: int) -> int:
    """The offset of the first character from `at` (before `end`) that is no space, tab or line break."""
    while at < end and text[at] in " \t\n":
        at += 1
    return at


def _definition_starts(text: str) -> set[int]:
    """The offsets of the lines where a definition may start: the first, and each after a blank line or after a
    definition that stands where one may (a definition cannot interrupt a paragraph, so `[a]: x` under text is
    text, and so is the `[b]: y` under that)."""
    starts: set[int] = set()
    lines = text.split("\n")
    reads_definition = DefinitionStarts([line.lstrip(" ") for line in lines])
    at, may_start = 0, True
    for number, line in enumerate(lines):
        if may_start:
            starts.add(at)
        # Only a whole definition: `[a]:` with no target after it, and a line under it that is none, are text.
        shaped = DEFINITION_START.match(line.lstrip(" ")) is not None and reads_definition(number)
        may_start = not line.strip(" \t") or may_start and shaped  # a no-break space is text to CommonMark
        at += len(line) + 1
    return starts


def _shape(tokens: list[Token]) -> list[tuple]:
    """What a reader sees of parsed Markdown: every token's type, tag, text and attributes, nested ones too."""
    shape: list[tuple] = []
    for token in tokens:
        shape.append((token.type, token.tag, token.content if token.type != "inline" else "",
                      tuple(sorted(token.attrs.items()))))
        if token.children:
            shape.extend(_shape(token.children))
    return shape


def _without_wikilinks(text: str) -> str:
    """The text with each wikilink, embed and formula as plain letters: the layout makes them whole links and
    MathML, which markdown-it, reading `[[Note]][x]` as `[` and a link `[Note][x]` (and a `[r]` in `$…$` as a
    reference), would not see."""
    return "".join("w" * len(span.text) if span.kind in ("wikilink", "embed", "math") else span.text
                   for span in lex(text))


def _reads_the_same(before: str, after: str, definitions: dict[str, Definition]) -> bool:
    """Whether `after`, with no definitions, reads as `before` does with them."""
    references = {label: {"href": d.href, "title": d.title} for label, d in definitions.items()}
    before, after = _without_wikilinks(before), _without_wikilinks(after)
    return _shape(INLINE_PARSER.parse(before, {"references": references})) == _shape(INLINE_PARSER.parse(after, {}))


def _closer_around(tokens: list[Token], closers: dict[int, tuple[int, int, int]], index: int, step: int
                   ) -> tuple[int, int, int] | tuple[()]:
    """The closer (see closers_by_token) of the details element that ends right before the block of an inline token
    (step -1: only other blocks' openings between them) or right after it (step 1: only closings), else ()."""
    other = index + step
    while 0 <= other < len(tokens) and tokens[other].nesting == -step \
            and tokens[other].type not in (DETAILS_OPEN, DETAILS_CLOSE):
        other += step
    return closers.get(other, ())


def _after_closers(tokens: list[Token]) -> dict[int, int]:
    """Where the text after a details element's closer starts, by line: the column after the last such closer."""
    columns: dict[int, int] = {}
    for line, _, end in closers_by_token(tokens).values():
        columns[line] = max(end, columns.get(line, 0))
    return columns


def _written_definitions(lines: Sequence[str], env: dict, after_closers: dict[int, int]) -> dict[str, Definition]:
    """The link reference definitions markdown-it found in a note's text (footnotes aside), by normalised
    label, with the target and title as written on one line, odd spaces made plain (as the layout
    writes the definitions); a definition that cannot be read back so is left out."""
    found: dict[str, Definition] = {}
    for label, reference in env.get("references", {}).items():
        first, end = reference["map"]
        # A definition on a `<details>` line starts after the opener: the element's content does; or after the
        # closer, where the next block starts.
        rest = [contained_text(line.strip()) for line in lines[first + 1:end]]
        heads = [contained_text(lines[first].strip()),
                 lines[first][after_closers[first]:].strip() if first in after_closers else ""]
        written_from = [ODD_SPACE.sub(" ", " ".join([head, *rest])).strip() for head in heads if head]
        written = next((text for text in written_from[1:] if label in _defined_labels(text)), written_from[0]) \
            if written_from else ""
        definition = REFERENCE_DEFINITION.match(written)
        if definition is not None and _REWRITTEN_MARKS.search(definition.group("target")) \
                and written_as_url(definition.group("target")):
            # The link rules write such a target as a URL with every mark percent-encoded: written so inline
            # already, its `$` or backtick never pairs with one of the text's (a formula or code span where the
            # note had a link), and a second reading, which sees the written URL, inlines it the same.
            target = _REWRITTEN_MARKS.sub(lambda mark: f"%{ord(mark.group()):02X}", definition.group("target"))
            written = written[:definition.start("target")] + target + written[definition.end("target"):]
            definition = REFERENCE_DEFINITION.match(written)
        if definition is not None and _ends_with_literal_backslash(definition.group("target")):
            # At the end of a definition's target a backslash is a letter; before the `)` of an inline link it
            # would escape it. Written as the URL both read it as (`%5C`), the link closes.
            at = definition.end("target") - 1
            written = written[:at] + "%5C" + written[at + 1:]
            definition = REFERENCE_DEFINITION.match(written)
        alone: dict = {}
        PARSER.parse(written, alone)
        read = alone.get("references", {}).get(label)
        if label.startswith("^") or definition is None or read is None:
            continue
        destination = f"]({definition.group('target')}{definition.group('rest').rstrip()})"
        found[label] = Definition(destination, read["href"], read["title"])
    return found


def _defined_labels(text: str) -> set[str]:
    """The labels of the link reference definitions markdown-it reads in a text."""
    env: dict = {}
    PARSER.parse(text, env)
    return set(env.get("references", {}))


def _ends_with_literal_backslash(target: str) -> bool:
    """Whether a target written bare ends with a backslash that escapes nothing (an odd run of them)."""
    return not target.startswith("<") and (len(target) - len(target.rstrip("\\"))) % 2 == 1


def neutralise_definitions(body: str, log: RepairLog) -> str:
    """The note's text with the target of each link reference definition that the site must not link to
    (see link_target_rule) written as `#`, each logged, outside code.

    markdown-it refuses a `javascript:` definition and leaves it as text, which Python-Markdown still
    reads as a definition; as `#`, both read it, and its references are written inline like any other.
    """
    lines = body.split("\n")
    unsafe: list[tuple[int, str, re.Match, str]] = []
    for number, line in enumerate(lines):
        if "]:" not in line:
            continue
        prefix = CONTAINER_PREFIX.match(line).group(0)
        definition = REFERENCE_DEFINITION.match(line[len(prefix):])
        if definition is None or definition.group("label").startswith("^"):  # `[^1]:` is a footnote
            continue
        target = definition.group("target")
        repair_rule = link_target_rule(target)
        if repair_rule is not None and not opens_a_note(target):
            unsafe.append((number, prefix, definition, repair_rule))
    if not unsafe:
        return body
    # Only now is the note parsed: a definition written in a code block is code, and stays as written.
    code: set[int] = set()
    for token in PARSER.parse(body):
        if token.type in ("fence", "code_block") and token.map:
            code.update(range(*token.map))
    changed = False
    for number, prefix, definition, repair_rule in unsafe:
        if number in code:
            continue
        before = lines[number]
        lines[number] = prefix + definition.group("head") + "#" + definition.group("rest")
        log.repair(number, repair_rule, before.strip(), lines[number].strip())
        changed = True
    return "\n".join(lines) if changed else body


def _raw_html_as_paragraph(token: Token, lines: Sequence[str]) -> str | None:
    """The paragraph text an HTML block becomes once sanitised (whose references the page then reads), or None for
    any other token and for a block whose lines hold more than its list and quote markers before its text."""
    if token.type != "html_block":
        return None
    written = _without_containers("\n".join(lines[token.map[0]:token.map[1]]))
    return paragraph_once_sanitised(written) if written.strip("\n") == token.content.strip("\n") else None


def _without_containers(text: str) -> str:
    """Each line of a text without the list and quote markers and indentation before it."""
    return "\n".join(line[CONTAINER_PREFIX.match(line).end():] for line in text.split("\n"))


def _replaced(text: str, replacements: list[tuple[int, int, str]]) -> str:
    """A text with each (start, end, new text) of `replacements` (in order, none overlapping) made, in one pass."""
    pieces, last = [], 0
    for start, end, replacement in replacements:
        pieces += [text[last:start], replacement]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def inline_reference_links(body: str, log: RepairLog) -> tuple[str, frozenset[str]]:
    """The note's text with each reference written inline, each changed line logged; and the labels
    whose definitions are no longer needed (none when some reference could not be written inline)."""
    body = neutralise_definitions(body, log)
    env: dict = {}
    tokens = INLINE_PARSER.parse(body, env)
    lines = body.split("\n")
    definitions = _written_definitions(lines, env, _after_closers(tokens))
    if not definitions:
        return body, frozenset()
    # (first line, end, heading, the text sanitising leaves of raw HTML read as a paragraph, else "", and the closers
    # of the details elements right before and after its block: see closers_by_token)
    closers = closers_by_token(tokens)
    regions = sorted({(*token.map, index > 0 and tokens[index - 1].type == "heading_open",
                       "" if token.type == "inline" else sanitised,
                       _closer_around(tokens, closers, index, -1) if token.type == "inline" else (),
                       _closer_around(tokens, closers, index, 1) if token.type == "inline" else ())
                      for index, token in enumerate(tokens)
                      if token.map and (token.type == "inline" or (sanitised := _raw_html_as_paragraph(token, lines)))})
    used: set[str] = set()
    complete = True
    for first, end, heading, sanitised_before, closer_before, closer_after in regions:
        # A line that a `</details>` splits holds two blocks' text: the region reads its own part only.
        head = lines[first][:closer_before[2]] if closer_before and closer_before[0] == first else ""
        tail = lines[end - 1][closer_after[1]:] if closer_after and closer_after[0] == end - 1 else ""
        before = "\n".join(lines[first:end])[len(head):len("\n".join(lines[first:end])) - len(tail)]
        if "]" not in before:
            continue
        found = _references(before, definitions, heading)
        after = _replaced(before, [(start, stop, replacement) for start, stop, replacement, _ in found])
        # Raw HTML that sanitising leaves as paragraph text is read as the page will read it.
        read_before, read_after = (before, after) if not sanitised_before \
            else (sanitised_before, paragraph_once_sanitised(_without_containers(after)))
        if read_before is None or read_after is None or not _reads_the_same(read_before, read_after, definitions):
            complete = False
            continue
        written = (head + after + tail).split("\n")
        for number, (old, new) in enumerate(zip(lines[first:end], written), first):
            if old != new:
                log.repair(number, REFERENCE_INLINED, old.strip(), new.strip())
                lines[number] = new
        used.update(label for *_, label in found)
    return "\n".join(lines), frozenset(used) if complete else frozenset()


def drop_used_definitions(sections: list[LaidOutSection], kept: Sequence[tuple[int, str]], used: frozenset[str],
                          log: RepairLog) -> list[LaidOutSection]:
    """A laid-out note's sections without the definitions of `used` labels, whose references are all
    inline now, each logged at its line.

    `kept` is each definition line as written, with its parsed-text line.
    """
    places = {label: place for label, place in _definition_places(sections).items() if label in used}
    if not places:
        return sections
    written_at: dict[str, int] = {}
    for number, text in kept:
        start = DEFINITION_START.match(text.strip())
        if start is not None:
            written_at.setdefault(normalizeReference(start.group("label")), number)
    dropped: dict[tuple[int, int], dict[int, str]] = {}
    for label, (s, b, line) in sorted(places.items(), key=lambda item: item[1]):
        dropped.setdefault((s, b), {})[line] = label
    blocks = [list(section.blocks) for section in sections]
    for (s, b), lines in dropped.items():
        block = blocks[s][b]
        markdown = block.markdown.split("\n")
        for offset, label in lines.items():
            log.repair(written_at.get(label, block.line), REFERENCE_INLINED, markdown[offset],
                       "(written into the links that use it)")
        left = "\n".join(line for offset, line in enumerate(markdown) if offset not in lines)
        blocks[s][b] = Rendered(block.kind, left, block.line, block.depth) if left.strip() else None
    return [replace(section, blocks=[block for block in own if block is not None])
            for section, own in zip(sections, blocks)]
