"""normalise_note: raw note text in, clean Markdown split into sections and blocks out."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace

from markdown_it.common.utils import normalizeReference

from ..footnotes import DEFINITION as FOOTNOTE_DEFINITION, LITERAL_KINDS, defined_labels, referenced_labels
from ..model import DEEPEST_HEADING, Asset, Block, Note, RawNote, Repair, Section, Source
from ..paths import file_stem
from ..plaintext import plain_text
from .join import LIST_SEPARATOR, Rendered, join_rendered
from .details import DETAILS_CLOSE, DETAILS_OPEN
from .obsidian.block_ids import BLOCK_ID_RULE
from .render import (
    CONTAINER_MARKER, LIST_TYPES, BlockRenderer, contained_text, heading_text_as_written,
    one_line, starts_with_definition, with_line_breaks,
)
from .context import NormaliseContext
from .frontmatter import FrontMatter, split_front_matter
from .inline import Unit, repair_inline
from .link_targets import REFERENCE_LABEL, convert_reference_definition, has_relative_link
from .prose import ODD_SPACE, TAG
from .log import Finding, Logged, LogMark, RepairLog
from .parse import PARSER, Parses
from .tree import Node
from .sections import LaidOutSection
from .references import drop_used_definitions, inline_reference_links
from .obsidian.footnotes import (
    escape_nested_definitions, escape_unreferenced_definitions, fill_empty_definitions, footnote_references,
)
from .structure import repair_structure
from .text import clean_text, escape_snippet_markers
from .registry import (
    RepairRule,
    EMPTY_HEADING, EMPTY_NOTE, FOOTNOTE_EMPTY, FOOTNOTE_NESTED, FOOTNOTE_UNUSED, FRONT_MATTER, HEADING_EMPHASIS, HEADING_FORMAT, HEADING_LEVEL,
    NON_BREAKING_SPACE, REFERENCE_DUPLICATE, REFERENCE_JOINED, REFERENCE_MOVED, SNIPPET_MARKER,
    SPELLING_DICTIONARY, TAB, TITLE, TRAILING_WHITESPACE,
)

# A file name that names nothing once its spaces and separators are gone (see _file_says_nothing).
_NAMELESS_STEM = re.compile(r"(?:untitled|newnote|notes?)\d*|\d{0,4}(?:(?=[0-9a-f]*[a-f])[0-9a-f]{8,})?")
_TRAILING_SPACE = re.compile(r"[ \t]$", re.M)
_WHOLE_EMPHASIS = re.compile(r"^(\*\*|__)(?P<text>(?:(?!\1).)+)\1$")


@dataclass(frozen=True)
class Heading:
    """A top-level heading of the note, repaired, with its levels before and after."""

    node: Node
    markdown: str  # inline Markdown of the heading text
    plain: str
    level: int
    line: int  # parsed-text line


def pretty_stem(path: str) -> str:
    """A readable title from a file name: 'shared_responsibility-notes.md' -> 'Shared responsibility notes';
    a name already written in words keeps its hyphens ('AWS IQ & re-Post.md' -> 'AWS IQ & re-Post')."""
    name = path.rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    separators = r"\s+" if re.search(r"\S\s+\S", stem) else r"[_\s-]+"
    words = re.sub(separators, " ", stem).strip() or "Untitled"
    return words[0].upper() + words[1:] if words[0].islower() else words


def written_heading(level: int, markdown: str) -> str:
    """A heading line at `level`, written at six at most, the deepest Markdown has."""
    return f"{'#' * min(level, DEEPEST_HEADING)} {markdown}"


def shifted_levels(levels: list[int]) -> list[int]:
    """Map heading levels so that the highest is 2 and no level is skipped, keeping the nesting (a level past six
    is kept for the nesting; its heading is written at six, see written_heading)."""
    stack: list[tuple[int, int]] = []
    out: list[int] = []
    for level in levels:
        while stack and stack[-1][0] >= level:
            stack.pop()
        new = stack[-1][1] + 1 if stack else 2
        stack.append((level, new))
        out.append(new)
    return out


TRAILING_CONTEXT = 24  # characters of the line shown before removed trailing whitespace


def _trailing_whitespace(lines: list[str], tree_tokens, body: str, log: RepairLog) -> None:
    ends = []  # numbers of the lines that end in a space or tab, counted along the text
    line, at = 0, 0
    for match in _TRAILING_SPACE.finditer(body):
        line += body.count("\n", at, match.start())
        at = match.start()
        ends.append(line)
    if not ends:
        return
    code: set[int] = set()
    for token in tree_tokens:
        if token.type in ("fence", "code_block") and token.map:
            code.update(range(token.map[0] + (token.type == "fence"), token.map[1]))
    for number in ends:
        line = lines[number]
        stripped = line.rstrip(" \t")
        if number not in code:
            # The end of the line, with the removed spaces and tabs made visible so the change can be seen.
            tail = ("…" if len(stripped) > TRAILING_CONTEXT else "") + stripped[-TRAILING_CONTEXT:]
            shown = line[len(stripped):].replace(" ", "\u2420").replace("\t", "\u21e5")
            log.repair(number, TRAILING_WHITESPACE, tail + shown, tail)


BLOCK_MEMO_SPAN = 20_000  # characters; longer blocks are rendered every time


@dataclass(frozen=True)
class _BlockResult:
    """What rendering one top-level block produced, with lines relative to the block's first line."""

    rendered: tuple[tuple[str, str, int, int], ...] | str  # blocks, or the repaired text of a heading
    logged: Logged


def _top_block(renderer: BlockRenderer, node: Node, previous: Node | None, source_lines: list[str],
               log: RepairLog, assets: list[Asset], ctx: NormaliseContext) -> list[Rendered]:
    """renderer.block for a top-level node, remembered by the node's source lines.

    A top-level block's rendering and repairs depend only on its own lines (and, for a list, on
    whether a paragraph runs straight into it), so a block seen before is replayed at its new line.
    """
    start, end = node.map
    if node.token.map is None or end > len(source_lines):
        return renderer.block(node, 0, previous)
    text = "\n".join(source_lines[start:end])
    if len(text) > BLOCK_MEMO_SPAN:
        return renderer.block(node, 0, previous)
    after_paragraph = (
        node.type in LIST_TYPES and previous is not None and previous.type == "paragraph" and previous.map[1] == start
    )
    note = log.note
    # A relative link resolves against the note's own path, so the same text means another thing elsewhere.
    key = (node.type, after_paragraph, text, note if has_relative_link(text) else "")
    memo = ctx.block_cache
    base = log.raw_line(start)
    hit = memo.get(key)
    if hit is not None:
        hit.logged.replay(log, assets, base)
        return [Rendered(kind, markdown, start + line, depth) for kind, markdown, line, depth in hit.rendered]
    mark = LogMark.of(log, assets)
    rendered = renderer.block(node, 0, previous)
    result = _BlockResult(tuple((r.kind, r.markdown, r.line - start, r.depth) for r in rendered),
                          Logged.since(mark, log, assets, base))
    size = end - start
    # Only a result whose every line lies inside the block can be moved to another place.
    if all(0 <= line < size for line in [r[2] for r in result.rendered] + result.logged.lines):
        memo.remember(key, result)
    return rendered


@dataclass(frozen=True)
class _KeptRun:
    """A block of kept lines, and whether it is a footnote definition set apart (see _kept_lines), which no kept line
    before or after joins."""

    block: Rendered
    apart: bool


def _kept_lines(lines: list[tuple[int, str]], log: RepairLog, ctx: NormaliseContext,
                assets: list[Asset]) -> list[_KeptRun]:
    """Lines markdown-it keeps out of the token stream (link reference definitions), as written but
    for odd spaces (see _plain_definition_spaces) and a target in the notes folder, which gets the URL
    an inline link to it gets; one block per run of them.

    A footnote definition whose repaired text no longer reads as a definition's target (a formula written in
    it) is paragraph text to a second reading, which would set it apart from the definitions around it: it is
    a block of its own now."""
    joined = _definitions_on_one_line(lines, log)
    texts = [(number, _kept_line(_plain_definition_spaces(line, number, log), Unit([number], log, ctx, assets),
                                 number)) for number, line in joined]
    runs: list[tuple[bool, list[tuple[int, str]]]] = []
    for number, text in texts:
        apart = _FOOTNOTE_HEAD.match(text) is not None and not _whole_definition(text)
        if apart or not runs or runs[-1][0]:
            runs.append((apart, []))
        runs[-1][1].append((number, text))
    return [_KeptRun(Rendered("paragraph", "\n".join(text for _, text in run), run[0][0]), apart)
            for apart, run in runs]


_FOOTNOTE_HEAD = re.compile(r"^[ ]{0,3}" + FOOTNOTE_DEFINITION + r"[ \t]*")


def _kept_line(line: str, unit: Unit, number: int) -> str:
    """One kept line: a link reference definition with its target converted, or a footnote definition whose
    text markdown-it read as a definition's target (`[^1]: <tag/…>`), which is the footnote's text to
    Python-Markdown and gets every inline repair, sanitising first."""
    head = _FOOTNOTE_HEAD.match(line)
    if head is None:
        return convert_reference_definition(line, unit, number)
    return head.group() + repair_inline(line[head.end():], unit)


def _definitions_on_one_line(lines: list[tuple[int, str]], log: RepairLog) -> list[tuple[int, str]]:
    """Kept lines, without their indentation, with each definition that runs over several (`[AWS` then
    `docs]: …`) joined onto its first: Python-Markdown reads a label over lines as written, so `[AWS docs]`
    would find no definition.

    Where a definition runs is read from the lines as written: their indentation is part of what they are
    (`[b]:` then a tab and `<iframe >` is one definition; without the tab, a paragraph and a tag)."""
    written = "\n".join(text for _, text in lines)
    lines = [(number, line.strip(" \t")) for number, line in lines]
    if len(lines) < 2:
        return lines
    ends = {start: end for start, end, _ in _definitions(written)[1] if end - start > 1}
    out: list[tuple[int, str]] = []
    index = 0
    while index < len(lines):
        end = ends.get(index, index + 1)
        if end - index > 1:
            before = "\n".join(line for _, line in lines[index:end])
            log.repair(lines[index][0], REFERENCE_JOINED, before, before.replace("\n", " "))
        out.append((lines[index][0], " ".join(line for _, line in lines[index:end])))
        index = end
    return out


def _plain_definition_spaces(line: str, number: int, log: RepairLog) -> str:
    """A definition with plain spaces for odd ones (`[aws]:\u00a0https://…`, copied from a web page),
    which markdown-it reads as part of the target and Python-Markdown as no definition at all; only
    where the line is one whole definition both ways, so that the lines around it read as before."""
    if not ODD_SPACE.search(line) or not _whole_definition(line):
        return line
    plain = ODD_SPACE.sub(" ", line).strip(" ")
    if not _whole_definition(plain):
        return line
    for match in ODD_SPACE.finditer(line):
        log.repair(number, TAB if match.group() == "\t" else NON_BREAKING_SPACE, f"U+{ord(match.group()):04X}", " ")
    return plain


def _whole_definition(line: str) -> bool:
    tokens, found = _definitions(line)
    return not tokens and len(found) == 1


def _definitions(text: str) -> tuple[list, list[tuple[int, int, str]]]:
    """markdown-it's tokens of a text, and the (first line, end line, label) of each link reference
    definition in it, duplicates of a label included, in line order."""
    env: dict = {}
    tokens = PARSER.parse(text, env)
    found = [(*ref["map"], label) for label, ref in env.get("references", {}).items()]
    found += [(*duplicate["map"], duplicate["label"]) for duplicate in env.get("duplicate_refs", ())]
    return tokens, sorted(found)


def _add_kept_lines(blocks: list[Rendered], last_kept: Rendered | None, lines: list[tuple[int, str]],
                    log: RepairLog, ctx: NormaliseContext, assets: list[Asset]) -> Rendered | None:
    """Append _kept_lines to a section's blocks, joined to the kept lines before when nothing was shown
    between them (say, an empty heading): a second pass reads them as one run. Returns the last kept block
    that later kept lines may join (none after a footnote definition set apart)."""
    runs = _kept_lines(lines, log, ctx, assets)
    if blocks and blocks[-1] is last_kept and not runs[0].apart:
        last_kept.markdown += "\n" + runs[0].block.markdown
        runs = runs[1:]
        if not runs:
            return last_kept
    blocks.extend(run.block for run in runs)
    return None if runs[-1].apart else runs[-1].block


# A link reference definition, perhaps inside a list item, quote or callout: markdown-it reads it
# there, and no rendered block keeps it.
_CONTAINED_DEFINITION = re.compile(
    "^" + CONTAINER_MARKER + r"*[ \t]*(?P<definition>" + REFERENCE_LABEL + r"[ \t]*\S.*)$"
)
# Blocks whose lines are never a definition (a paragraph's later lines, say, even when they look like one).
_LEAF_BLOCKS = frozenset({"paragraph_open", "heading_open", "fence", "code_block", "html_block", "table_open", "hr"})


def _definitions_inside_containers(tokens, source_lines: list[str], log: RepairLog) -> list[tuple[int, str]]:
    """Link reference definitions that no rendered block kept (those inside a list item, quote or
    callout): moved to the end of the note, where a definition means the same, each logged. The
    first definition of a label is the one that counts, wherever it is."""
    leaf_lines: set[int] = set()
    contained_lines: set[int] = set()
    shown_after_closer: set[int] = set()  # lines whose text after a `</details>` a block renders
    closer_lines: dict[int, int] = {}  # where a closer ends a details element (line, column): the next block starts
    for index, token in enumerate(tokens):
        if token.type == DETAILS_OPEN and token.meta["closed"] and token.level > 0:
            closer_lines[token.map[1] - 1] = token.meta["closer"][1]  # a top-level one leaves it to the layout
        if token.map:
            after_closer = index > 0 and tokens[index - 1].type == DETAILS_CLOSE
            if after_closer:
                shown_after_closer.add(token.map[0])
            if token.type in _LEAF_BLOCKS:
                # A block that starts after a closer holds only the rest of its first line.
                leaf_lines.update(range(token.map[0] + after_closer, token.map[1]))
            if token.level == 0:
                contained_lines.update(range(*token.map))  # a top-level definition belongs to no token
    labels: set[str] = set()
    moved: list[tuple[int, str]] = []
    run: list[tuple[int, str]] = []  # consecutive contained lines that no rendered block holds
    for n, line in enumerate(source_lines):
        # A definition on a `<details>` line is the element's content: it moves without the opener. One after the
        # element's closer is the next block's, which no rendered block holds either.
        text = contained_text(line) if n in contained_lines and n not in leaf_lines else ""
        after = line[closer_lines[n]:] if n in closer_lines and n not in shown_after_closer else ""
        if text.strip():
            run.append((n, text))
            if not after.strip():
                continue
        if run:
            moved += _move_definitions(run, labels, log)
            run = []
        if after.strip():
            run.append((n, after))
            continue
        if n not in contained_lines and n not in leaf_lines and "]:" in line:
            match = _CONTAINED_DEFINITION.match(line)
            if match is not None and starts_with_definition([match.group("definition")]):
                labels.add(normalizeReference(match.group("label")))  # kept where it is, see _kept_lines
    if run:
        moved += _move_definitions(run, labels, log)
    return moved


def _move_definitions(run: list[tuple[int, str]], labels: set[str], log: RepairLog) -> list[tuple[int, str]]:
    """The definitions among lines that no rendered block holds, as lines for the end of the note.

    A definition may run over lines (`[a]:` then its target, or a title on the next line); markdown-it
    says which lines each one takes, and it moves as one line. A label defined before is dropped, logged.
    """
    moved: list[tuple[int, str]] = []
    for start, end, label in _definitions("\n".join(text for _, text in run))[1]:
        # On one line: Python-Markdown reads a label or title over lines as written, so it would not match.
        definition = " ".join(text.strip(" \t") for _, text in run[start:end])
        line = run[start][0]
        if label in labels:
            log.repair(line, REFERENCE_DUPLICATE, definition, "(dropped: an earlier definition of the label counts)")
        else:
            labels.add(label)
            moved.append((line, definition))
            log.repair(line, REFERENCE_MOVED, definition, "end of the note")
    return moved


def _heading_prose(renderer: BlockRenderer, line: int, inline: str, log: RepairLog, assets: list[Asset],
                   ctx: NormaliseContext) -> str:
    """renderer.prose of one heading's text, remembered by the text (all its repairs are on its one line)."""
    note = log.note
    key = ("#heading-text", False, inline, note if has_relative_link(inline) else "")  # no node type starts with "#"
    memo = ctx.block_cache
    base = log.raw_line(line)
    hit = memo.get(key)
    if hit is not None:
        hit.logged.replay(log, assets, base)
        return hit.rendered
    mark = LogMark.of(log, assets)
    # A setext heading's text may run over several lines; the heading shows them as one.
    text = renderer.prose([(line, one_line(inline))], inline_only=True)[0]
    result = _BlockResult(text, Logged.since(mark, log, assets, base))
    if all(at == 0 for at in result.logged.lines) and len(inline) <= BLOCK_MEMO_SPAN:
        memo.remember(key, result)
    return text


def _log_changed_lines(before: str, after: str, line: int, rule: RepairRule, log: RepairLog) -> str:
    """`after`, with one repair logged per line of a block that differs from `before` (same line count)."""
    if after != before:
        for offset, (old, new) in enumerate(zip(before.split("\n"), after.split("\n"))):
            if old != new:
                log.repair(line + offset, rule, old.strip(), new.strip())
    return after


def _escape_snippets(markdown: str, line: int, log: RepairLog) -> str:
    """A block's Markdown with its snippets markers escaped, each escape logged."""
    return _log_changed_lines(markdown, escape_snippet_markers(markdown), line, SNIPPET_MARKER, log)


def _referenced_footnotes(sections: list[LaidOutSection], parses: Parses) -> frozenset[str]:
    """Every footnote label the note's headings and blocks reference (a nested definition's start, which the last
    escapes show as text, is none)."""
    labels: set[str] = set().union(*(referenced_labels(section.heading) for section in sections))
    for section in sections:
        labels.update(*(footnote_references(escape_nested_definitions(r.markdown, parses), parses)
                        for r in section.blocks if r.kind not in LITERAL_KINDS))
    return frozenset(labels)


def _escape_unused_footnotes(markdown: str, rendered: Rendered, referenced: frozenset[str], log: RepairLog,
                             parses: Parses) -> str:
    """A block's Markdown with definitions whose reference the repairs removed shown as text, each logged."""
    # The structure rule escaped those unused as written; a reference can still vanish later (an
    # emptied list item), or a repair can make a definition (a dropped attribute list before
    # `[^1]:`), and Python-Markdown would link its definition back to nowhere.
    if rendered.kind in LITERAL_KINDS or "[^" not in markdown:
        return markdown
    escaped = escape_unreferenced_definitions(markdown, referenced, parses)
    _log_changed_lines(markdown, escaped, rendered.line, FOOTNOTE_UNUSED, log)
    if escaped == markdown:
        return escaped
    if rendered.kind == "paragraph":
        # An escaped definition is a line of its paragraph now, and gets the line break every later line gets.
        return with_line_breaks([(rendered.line + i, line) for i, line in enumerate(escaped.split("\n"))], log)
    return _contained_line_breaks(markdown, escaped, rendered.line, log, parses)


def _contained_line_breaks(before: str, after: str, line: int, log: RepairLog, parses: Parses) -> str:
    """A container block (a list, quote or admonition) whose escaped definitions are lines of a paragraph in it now,
    with that paragraph's line breaks, as a paragraph at the margin gets them."""
    changed = [number for number, (old, new) in enumerate(zip(before.split("\n"), after.split("\n"))) if old != new]
    lines = after.split("\n")
    tokens = parses.blocks(after)
    for index, token in enumerate(tokens):
        if token.type != "paragraph_open" or not token.map:
            continue
        start, end = token.map
        contents = tokens[index + 1].content.split("\n")
        if not any(start < number < end for number in changed) or len(contents) != end - start:
            continue
        if not all(text.endswith(content) for text, content in zip(lines[start:end], contents)):
            continue  # a line markdown-it reads otherwise than as written: left as it is
        prefixes = [text[: len(text) - len(content)] for text, content in zip(lines[start:end], contents)]
        broken = with_line_breaks([(line + start + k, content) for k, content in enumerate(contents)], log)
        lines[start:end] = [prefix + text for prefix, text in zip(prefixes, broken.split("\n"))]
    return "\n".join(lines)


def _escape_nested_footnotes(rendered: Rendered, log: RepairLog, parses: Parses) -> str:
    """A block's Markdown with each footnote definition that a repair brought to the start of another's text
    escaped, logged."""
    if rendered.kind in LITERAL_KINDS or "[^" not in rendered.markdown:
        return rendered.markdown
    escaped = escape_nested_definitions(rendered.markdown, parses)
    return _log_changed_lines(rendered.markdown, escaped, rendered.line, FOOTNOTE_NESTED, log)


def _fill_empty_footnotes(markdown: str, rendered: Rendered, log: RepairLog, parses: Parses) -> str:
    """A block's Markdown with each footnote definition a later repair left empty given its no-break space, logged."""
    if rendered.kind in LITERAL_KINDS or "[^" not in markdown:
        return markdown
    return _log_changed_lines(markdown, fill_empty_definitions(markdown, parses), rendered.line, FOOTNOTE_EMPTY, log)


def _finished_markdown(rendered: Rendered, referenced: frozenset[str], log: RepairLog, parses: Parses) -> str:
    """A block's Markdown after the escapes that only the whole laid-out note decides, each logged: nested and unused
    footnote definitions, footnote definitions left empty, snippet markers."""
    markdown = _escape_nested_footnotes(rendered, log, parses)
    markdown = _escape_unused_footnotes(markdown, rendered, referenced, log, parses)
    markdown = _fill_empty_footnotes(markdown, rendered, log, parses)
    return _escape_snippets(markdown, rendered.line, log)


@dataclass(frozen=True)
class _Layout:
    """A note's title and sections of rendered blocks, before the last escapes."""

    title_md: str
    title_plain: str
    sections: list[LaidOutSection]
    assets: list[Asset]
    kept: list[tuple[int, str]]  # parsed-text line and text of every definition kept as written


def _file_says_nothing(path: str) -> bool:
    """Whether a note's file name says nothing of it: a short number or a hash, "Untitled 3", "note-12"."""
    stem = re.sub(r"[\s_.-]+", "", file_stem(path).lower())
    return _NAMELESS_STEM.fullmatch(stem) is not None


def _only_tags(lines: list[str]) -> bool:
    """Whether lines hold nothing but #tags (a note's tag line, which is no text before its title)."""
    return not TAG.sub("", "\n".join(lines)).strip()


def _lay_out(body: str, front: FrontMatter, path: str, log: RepairLog, ctx: NormaliseContext) -> _Layout:
    """The note's title and its sections of rendered blocks, from the text after the structure rules."""
    tokens = ctx.parses.blocks(body)
    source_lines = body.split("\n")
    _trailing_whitespace(source_lines, tokens, body, log)
    assets: list[Asset] = []
    renderer = BlockRenderer(source_lines, lambda lines: Unit(list(lines) or [0], log, ctx, assets))
    tree = ctx.parses.tree(body)

    headings: list[Heading] = []
    for node in tree:
        if node.type != "heading":
            continue
        inline = node.children[0].token.content if node.children else ""
        text_md = _heading_prose(renderer, node.map[0], inline, log, assets, ctx)
        whole = _WHOLE_EMPHASIS.match(text_md)
        if whole:
            log.repair(node.map[0], HEADING_EMPHASIS, text_md, whole.group("text"))
            text_md = whole.group("text").strip()
        text_md = heading_text_as_written(text_md, log, node.map[0])
        # A heading the note nested deeper than Markdown can is written at level six, and keeps its depth here so
        # that what it held stays under it (an empty heading over deeper ones is kept as their parent).
        level = log.deep_headings.get(node.map[0], int(node.token.tag[1]))
        original = source_lines[node.map[0]].strip() if node.map[0] < len(source_lines) else ""
        if original != written_heading(level, inline).strip() and original != written_heading(level, text_md).strip():
            if node.token.markup in ("=", "-") or original.rstrip("#").strip() != original:
                log.repair(node.map[0], HEADING_FORMAT, original, written_heading(level, inline))
        if not text_md:
            log.repair(node.map[0], EMPTY_HEADING, original, "")
            continue
        headings.append(Heading(node, text_md, plain_text(text_md, inline=True), level, node.map[0]))

    title_heading: Heading | None = None
    if front.title:
        title_heading = next((h for h in headings if h.level == 1 and h.plain.casefold() == front.title.casefold()), None)
    elif headings:
        # Obsidian names a note by its file. A heading names it here only when it is the note's top heading:
        # its one `#` heading, if no other heading comes before it (an image or a line above it may); or,
        # with none, a first heading that opens the note, that no later one outranks and that no other
        # shares its level with. A heading further in is a section, whatever its level (text, then
        # `## Policies`; `## Setup`, then `# Usage`; `##### Story`, then `### Rooms`; `# What?`, then
        # `# Status classes`), and the file names the note, unless its name says nothing (a hash,
        # "Untitled 3").
        nameless = _file_says_nothing(path)
        tops = [h for h in headings if h.level == 1]
        first = headings[0]
        if tops:
            title_heading = tops[0] if (len(tops) == 1 and tops[0] is first) or nameless else None
        elif all(h.level >= first.level for h in headings) \
                and (nameless or sum(h.level == first.level for h in headings) == 1) and all(
                    node.type == "heading" or not node.map or node.map[0] > first.line
                    or _only_tags(source_lines[node.map[0]:node.map[1]]) for node in tree):
            title_heading = first
    if front.title:
        title_md, title_plain, title_line = front.title, front.title, 1
    elif title_heading is not None:
        title_md, title_plain, title_line = title_heading.markdown, title_heading.plain, log.raw_line(title_heading.line)
        if title_heading.level != 1:
            log.repair(title_heading.line, HEADING_LEVEL, f"{'#' * title_heading.level} {title_heading.plain}", f"# {title_plain}")
    else:
        title_plain = pretty_stem(path)
        title_md, title_line = title_plain, 1
        log.raw_repair(1, TITLE, "(no heading)", f"# {title_plain}")

    others = [h for h in headings if h is not title_heading]
    levels = dict(zip((id(h) for h in others), shifted_levels([h.level for h in others])))
    for heading in others:
        # As written: a heading past level six is written at six before and after (heading-depth says so).
        before = written_heading(heading.level, heading.plain)
        after = written_heading(levels[id(heading)], heading.plain)
        if before != after:
            log.repair(heading.line, HEADING_LEVEL, before, after)

    # Walk the top level: headings open sections, everything else is rendered into the current one.
    by_node = {id(h.node): h for h in headings}
    sections = [LaidOutSection(title_plain, 1, title_line, "", [])]
    seen_content_before_title = False
    previous: Node | None = None
    last_kept: Rendered | None = None
    kept: list[tuple[int, str]] = []  # every line _kept_lines keeps, as written
    position = 0
    after_closer: list[tuple[int, str]] = []  # the text after a details element's closer that no block starts with
    for index, node in enumerate(tree):
        start = node.map[0] if node.token.map else position
        gap = [(n, source_lines[n]) for n in range(position, min(start, len(source_lines))) if source_lines[n].strip()]
        if after_closer and start > after_closer[0][0]:
            gap = after_closer + gap  # a definition there is kept as one at the margin is, with any lines it runs on
        after_closer = []
        if gap:
            # Lines markdown-it keeps out of the token stream (link reference definitions), see _kept_lines.
            last_kept = _add_kept_lines(sections[-1].blocks, last_kept, gap, log, ctx, assets)
            kept += gap
        position = max(position, node.map[1] if node.token.map else position)
        if node.type == "details" and node.token.meta["closed"]:
            rest = source_lines[node.map[1] - 1][node.token.meta["closer"][1]:]
            after_closer = [(node.map[1] - 1, rest)] if rest.strip() else []
        if node.type == "heading":
            heading = by_node.get(id(node))
            if heading is title_heading and heading is not None:
                if seen_content_before_title:
                    log.repair(heading.line, TITLE, f"{'#' * heading.level} {heading.plain}", "moved to the top")
                # Content under the title heading belongs to the title section.
                if len(sections) > 1:
                    sections.append(LaidOutSection(title_plain, 1, title_line, "", []))
                    log.repair(heading.line, TITLE, "title below other headings", "its text joins the top")
            elif heading is not None:
                level = levels[id(heading)]
                sections.append(LaidOutSection(heading.plain, level, log.raw_line(heading.line),
                                               written_heading(level, heading.markdown), []))
            previous = node
            continue
        if _separates_list_kinds(node, previous, tree[index + 1] if index + 1 < len(tree) else None):
            continue  # the separator the blocks are joined with (join_rendered writes it again)
        rendered = _top_block(renderer, node, previous, source_lines, log, assets, ctx)
        if rendered and title_heading is not None and len(sections) == 1:
            seen_content_before_title = seen_content_before_title or node.map[0] < title_heading.line
        sections[-1].blocks.extend(rendered)
        previous = node
    trailing = [(n, source_lines[n]) for n in range(position, len(source_lines)) if source_lines[n].strip()]
    trailing = after_closer + trailing
    if trailing:
        last_kept = _add_kept_lines(sections[-1].blocks, last_kept, trailing, log, ctx, assets)
        kept += trailing
    moved = _definitions_inside_containers(tokens, source_lines, log) if "]:" in body else []
    if moved:
        _add_kept_lines(sections[-1].blocks, last_kept, moved, log, ctx, assets)
        kept += moved

    # A title heading found below other headings starts a second level-1 section; fold it into the first.
    merged: list[LaidOutSection] = []
    for section in sections:
        if merged and section.level == 1 and section.heading == "":
            merged[0].blocks.extend(section.blocks)
        else:
            merged.append(section)
    return _Layout(title_md, title_plain, merged, assets, kept)


def _separates_list_kinds(node: Node, previous: Node | None, following: Node | None) -> bool:
    """Whether a node is the LIST_SEPARATOR between a numbered and a bulleted list (either way round)."""
    return (node.type == "html_block" and node.token.content.strip() == LIST_SEPARATOR
            and previous is not None and following is not None
            and {previous.type, following.type} == set(LIST_TYPES))


def _unused_kept_footnotes(layout: _Layout, referenced: frozenset[str]) -> list[int]:
    """Lines of footnote definitions kept as written that nothing references once the note is rendered."""
    return [number for number, text in layout.kept
            if "[^" in text and defined_labels(text.strip()) - referenced]


_FOOTNOTE_DEFINITION_AT = re.compile(FOOTNOTE_DEFINITION)


def _unused_block_footnotes(layout: _Layout, referenced: frozenset[str], body: str, parses: Parses) -> list[int]:
    """Lines of the text that hold a footnote definition inside a rendered block that nothing references.

    Escaped only after the layout, such a definition would be paragraph text that no prose rule had read: the
    line above it would keep no line break, as none goes before a definition (a second run adds it).
    """
    lines = body.split("\n")
    found: list[int] = []
    for section in layout.sections:
        for rendered in section.blocks:
            if rendered.kind in LITERAL_KINDS or "[^" not in rendered.markdown:
                continue
            before = rendered.markdown.split("\n")
            after = escape_unreferenced_definitions(rendered.markdown, referenced, parses).split("\n")
            for offset, (old, new) in enumerate(zip(before, after)):
                number = rendered.line + offset
                if old == new or number >= len(lines):
                    continue
                # Only where the text's line is this definition (the first `[^` on it opens the label the
                # block escaped), so an offset that the rendering shifted never escapes anything else.
                at = lines[number].find("[^")
                label = _FOOTNOTE_DEFINITION_AT.match(lines[number], at) if at >= 0 else None
                if label is not None and label.group("label") not in referenced and label.group(0) in old:
                    found.append(number)
    return found


def _escape_footnote_lines(body: str, numbers: list[int]) -> tuple[str, list[tuple[int, str, str]]]:
    """The text with the footnote definition on each of these lines escaped (after any list or quote
    marker), and each change as (line, before, after)."""
    lines = body.split("\n")
    changes = []
    for number in numbers:
        at = lines[number].find("[^")
        if at < 0:
            continue  # the label starts on a later line: the definition stays as it is
        escaped = lines[number][:at] + "\\" + lines[number][at:]
        changes.append((number, lines[number].strip(), escaped.strip()))
        lines[number] = escaped
    return "\n".join(lines), changes


def normalise_with_findings(raw: RawNote, ctx: NormaliseContext) -> tuple[Note, tuple[Finding, ...]]:
    """Normalise one note and also return the words that look wrong (reported, never changed).

    A note that codespell's English dictionary changed but whose normalised prose is not English is
    normalised again without that dictionary. Judging the normalised text keeps a second pass to the
    same judgement: normalising is idempotent, and a misspelling and its fix both count as English.
    """
    note, findings = _normalise_once(raw, ctx)
    if not any(repair.rule == SPELLING_DICTIONARY.id for repair in note.repairs) \
            or ctx.speller.note_reads_as_english(note.markdown):
        return note, findings
    other = ctx.in_another_language()
    return (note, findings) if other is None else _normalise_once(raw, other)


def _normalise_once(raw: RawNote, ctx: NormaliseContext) -> tuple[Note, tuple[Finding, ...]]:
    """One reading of the note with this context's corrections and names."""
    log = RepairLog(raw.path)
    text = clean_text(raw.text, log)
    front, body = split_front_matter(text, raw.path, ctx.front_matter_cache)
    log.line_offset = front.lines
    if front.keys:
        log.raw_repair(1, FRONT_MATTER, ", ".join(front.keys), "note fields")
    body = repair_structure(body, log, ctx.parses)
    body, used_definitions = inline_reference_links(body, log) if "]:" in body else (body, frozenset())
    while True:
        marks = len(log.repairs), len(log.findings), len(log.tags)
        layout = _lay_out(body, front, raw.path, log, ctx)
        referenced = _referenced_footnotes(layout.sections, ctx.parses) if "[^" in body else frozenset()
        unused = sorted({*_unused_kept_footnotes(layout, referenced),
                         *_unused_block_footnotes(layout, referenced, body, ctx.parses)}) if "[^" in body else []
        if not unused:
            break
        # A definition kept as written whose reference the repairs removed: escaped, it is paragraph
        # text, which gets the prose repairs and may join the lines around it, so the note is laid out
        # again from the escaped text, as a second run would read it.
        body, changes = _escape_footnote_lines(body, unused)
        if not changes:
            break
        del log.repairs[marks[0]:], log.findings[marks[1]:], log.tags[marks[2]:]
        for number, before, after in changes:
            log.repair(number, FOOTNOTE_UNUSED, before, after)
    title_md, title_plain, merged, assets = layout.title_md, layout.title_plain, layout.sections, layout.assets
    if used_definitions:
        merged = drop_used_definitions(merged, layout.kept, used_definitions, log)

    if not body.strip():
        log.raw_repair(1, EMPTY_NOTE, "(empty)", f"# {title_plain}")

    model_sections: list[Section] = []
    parts = [f"# {title_md}"]
    for section in merged:
        blocks = tuple(
            Block(r.kind, _finished_markdown(r, referenced, log, ctx.parses),  # type: ignore[arg-type]
                  Source(raw.path, log.raw_line(r.line)), r.depth)
            for r in section.blocks
        )
        model_sections.append(Section(section.title, section.level, Source(raw.path, section.line), blocks,
                                      section.heading))
        if section.heading:
            parts.append(section.heading)
        if blocks:
            parts.append(join_rendered(blocks, top_level=True))
    markdown = "\n\n".join(parts) + "\n"
    model_sections = _with_block_ids(model_sections, log.repairs)

    tags = tuple(sorted(set(front.tags) | {t for t in log.tags}))
    note = Note(
        path=raw.path,
        title=title_plain,
        raw=raw.text,
        markdown=markdown,
        sections=tuple(model_sections),
        repairs=tuple(log.repairs),
        tags=tags,
        aliases=front.aliases,
        author=front.author,
        assets=tuple(assets),
        meta=front.meta,
        title_markup=title_md,
    )
    return note, tuple(log.findings)


def _with_block_ids(sections: list[Section], repairs: list[Repair]) -> list[Section]:
    """The sections with each Obsidian block id on the block it names: the last block starting on or before
    the line the id stood on."""
    named = [(r.line, name.lower()) for r in repairs if r.rule == BLOCK_ID_RULE for name in r.before.split()]
    if not named:
        return sections
    starts = sorted((block.source.line, s, b) for s, section in enumerate(sections)
                    for b, block in enumerate(section.blocks))
    lines = [line for line, _, _ in starts]
    found: dict[tuple[int, int], list[str]] = {}
    for line, name in named:
        before = bisect_right(lines, line)
        if before:
            found.setdefault(starts[before - 1][1:], []).append(name)
    return [
        replace(section, blocks=tuple(
            replace(block, ids=tuple(dict.fromkeys(found[s, b]))) if (s, b) in found else block
            for b, block in enumerate(section.blocks)))
        for s, section in enumerate(sections)
    ]


def normalise_note(raw: RawNote, ctx: NormaliseContext) -> Note:
    """Normalise one note; raises BuildError only for a malformed front-matter block."""
    return normalise_with_findings(raw, ctx)[0]


def normalise_text(text: str, ctx: NormaliseContext, path: str = "note.md") -> tuple[str, tuple]:
    """The normalised Markdown of a text and the repairs made (for tests and idempotence checks)."""
    note = normalise_note(RawNote(path, text, len(text.encode("utf-8"))), ctx)
    return note.markdown, note.repairs


def find_suspicious_words(raw: RawNote, ctx: NormaliseContext) -> tuple[Finding, ...]:
    """Words in a note that look wrong but are in no correction list (reported, never changed)."""
    return normalise_with_findings(raw, ctx)[1]
