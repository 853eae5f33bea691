"""Blocks whose meaning depends on where they stand, which the merge never takes one by one.

An answer option means something only under its question, a numbered step only in its procedure, and a
command only at its point in a setup: "B. AWS Trusted Advisor" in one question is not the "C. AWS Trusted
Advisor" of another, and a step that repeats an earlier command is still a step. Such a block may leave its
page only with its whole parent (a duplicate note), never on its own.
"""

from __future__ import annotations

import re

from ..model import Block

# `A. text`, `(b) text`, `- C) text`, `- **D.** text`: a lettered answer option, as a list item or a line of
# its own, its letter perhaps in bold.
_OPTION = re.compile(r"(?:[-*+][ \t]+)?(?:\*\*|__)?\(?[A-Ha-h][.)](?:\*\*|__)?[ \t]")
# `3. text` or `3) text`: a numbered step.
_STEP = re.compile(r"\d{1,9}[.)][ \t]")
_PLACE_KINDS = frozenset({"list_item", "paragraph"})


def depends_on_place(block: Block) -> bool:
    """True for code and commands, numbered steps and lettered answer options."""
    if block.kind == "code":
        return True
    if block.kind not in _PLACE_KINDS:
        return False
    text = block.markdown.lstrip()
    return _STEP.match(text) is not None or _OPTION.match(text) is not None
