"""The words of a text, used to rule out name and phrase patterns before they scan it."""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+")


def word_set(text: str) -> frozenset[str]:
    """The text's words, case-folded: a pattern for a name can only match a text that holds each of its words."""
    return frozenset(_WORD.findall(text.casefold()))
