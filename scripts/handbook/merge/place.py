"""Blocks whose meaning depends on where they stand, which the merge never takes one by one.

An answer option means something only under its question, a numbered step only in its procedure, and a
command only at its point in a setup: "B. AWS Trusted Advisor" in one question is not the "C. AWS Trusted
Advisor" of another, and a step that repeats an earlier command is still a step. Raw HTML (a `<details>`
answer) and a collapsible `???` admonition belong to the question they fold. A label that recurs ("Use
cases:", "What to Learn:") heads a different list each time: the label and the blocks under it, up to the
next label or heading, stay where they are, or the phases of a roadmap run together. A list item belongs to
its list: to the item above it ("Price depends on the chosen config" under Spot Instances is not the same
line under On-Demand), to the line that leads into the list ("--alarm-name" under two commands), to the
heading over it ("Knowledge of:" in two exam domains), unless it is a statement of its own ("AWS looks after
the physical security of its buildings") in a list no repeated label or heading heads. An image belongs to
the text it illustrates. Such a
block may leave its page only with its whole parent (a duplicate note), never on its own. A table is one
block: it merges only whole, never row by row.
"""

from __future__ import annotations

import re
from collections import Counter

from ..model import Block, record
from ..normalise.obsidian.embeds import MISSING_IMAGE_CLASS
from .corpus import Corpus
from .guards import Lexicon, stands_alone
from .settings import LABEL_WORDS
from .text import heading_key

# `A. text`, `(b) text`, `- C) text`, `- **D.** text`: a lettered answer option, as a list item or a line of
# its own, its letter perhaps in bold.
_OPTION = re.compile(r"(?:[-*+][ \t]+)?(?:\*\*|__)?\(?[A-Ha-h][.)](?:\*\*|__)?[ \t]")
# `3. text` or `3) text`: a numbered step.
_STEP = re.compile(r"\d{1,9}[.)][ \t]")
_PLACE_KINDS = frozenset({"list_item", "paragraph"})
_COLLAPSIBLE = re.compile(r"\?\?\?")
# A question ("Which approach should the architect recommend?", perhaps followed by "**(Select TWO.)**"): what
# it asks is told by the options and answers after it, not by its words.
_QUESTION = re.compile(r"\?[\s*_]*(?:\([^()]*\)[\s*_.]*)?$")
_SENTENCE_END = re.compile(r"[.!?;]$")
_MISSING_IMAGE = "{ ." + MISSING_IMAGE_CLASS + " }"


def depends_on_place(block: Block) -> bool:
    """True for code and commands, raw HTML, images, collapsible admonitions, numbered steps, lettered answer
    options and questions."""
    if block.kind in ("code", "html", "image") or _MISSING_IMAGE in block.markdown:
        return True
    if block.kind == "admonition":
        return _COLLAPSIBLE.match(block.markdown.lstrip()) is not None
    if block.kind not in _PLACE_KINDS:
        return False
    text = block.markdown.strip()
    return _STEP.match(text) is not None or _OPTION.match(text) is not None or _QUESTION.search(text) is not None


def is_label(block: Block, tokens: tuple[str, ...], following: Block | None) -> bool:
    """A short paragraph or list item that heads what follows: it ends with ':' ("Use cases:"), or it is a
    paragraph that ends no sentence and a list follows ("When Not to Use" above its list)."""
    if block.kind not in _PLACE_KINDS or not 0 < len(tokens) <= LABEL_WORDS:
        return False
    text = block.markdown.rstrip().rstrip("*_").rstrip()
    if text.endswith(":"):
        return True
    return (block.kind == "paragraph" and following is not None and following.kind == "list_item"
            and _SENTENCE_END.search(text) is None)


def is_option(block: Block) -> bool:
    """A lettered answer option ("- **B.** AWS Trusted Advisor")."""
    return block.kind in _PLACE_KINDS and _OPTION.match(block.markdown.lstrip()) is not None


@record
class Bound:
    """The items the merge never takes on their own (`anywhere`), and those it merges only with an equal item of
    their own note that lands in the same place (`local`: a statement under a heading the note repeats).
    `fixed` are those that even a merge of their whole list leaves in place (options, steps, code, what stands
    under a repeated label); the other list items may merge as part of their list."""

    anywhere: frozenset[int]
    local: frozenset[int]
    fixed: frozenset[int]

    def __contains__(self, item: int) -> bool:
        return item in self.anywhere or item in self.local


def bound_to_place(corpus: Corpus, lexicon: Lexicon) -> Bound:
    """Every item the merge never takes on its own: those that depend on their place, the question its options
    follow in their section, what stands under a repeated label, the list items that are not a statement of
    their own or are nested under another item; and the statements listed under a repeated heading."""
    items = corpus.items
    placed: dict[tuple[str, str], bool] = {}  # by kind and Markdown: copies of a note repeat its blocks
    bound = set()
    for item in items:
        block = item.block
        key = (block.kind, block.markdown)
        found = placed.get(key)
        if found is None:
            found = placed[key] = depends_on_place(block)
        if found:
            bound.add(item.index)
    for section in corpus.sections:
        first_option = next((n for n, i in enumerate(section.items) if is_option(items[i].block)), None)
        if first_option is not None:
            bound.update(section.items[:first_option])
    fixed = frozenset(bound) | under_repeated_labels(corpus)
    anywhere = fixed | {item.index for item in items if item.block.kind == "list_item"
                        and (item.parent is not None or not stands_alone(item.tokens, lexicon))}
    return Bound(anywhere, under_repeated_headings(corpus) - anywhere, fixed)


def under_repeated_headings(corpus: Corpus) -> frozenset[int]:
    """The list items of every section whose heading (numbering, case and markup aside) heads another section
    too, in this note or another ("Knowledge of:", "Relevant Links" in every question)."""
    keys = [heading_key(corpus.section(g).title) for g in range(len(corpus.sections))]
    said = Counter(key for key in keys if key)
    return frozenset(i for g, ref in enumerate(corpus.sections) if said[keys[g]] > 1
                     for i in ref.items if corpus.items[i].block.kind == "list_item")


def under_repeated_labels(corpus: Corpus) -> frozenset[int]:
    """The items that are a label said more than once in the notes, or stand under one up to the next label."""
    items = corpus.items
    labels: set[int] = set()
    for section in corpus.sections:
        for i, following in zip(section.items, (*section.items[1:], None)):
            if is_label(items[i].block, items[i].tokens, None if following is None else items[following].block):
                labels.add(i)
    said = Counter(items[i].text for i in labels)
    bound: set[int] = set()
    for section in corpus.sections:
        repeated = False
        for i in section.items:
            if i in labels:
                repeated = said[items[i].text] > 1
            if repeated:
                bound.add(i)
    return frozenset(bound)
