"""Obsidian's math (`$E = mc^2$`, and `$$…$$` on lines of its own): written as MathML, which browsers show
without a script or a font from elsewhere, and which Zensical and any other reader of plain Markdown pass on.

The lexer finds the math (lexer._DollarMath) and keeps it from the prose rules; this module turns TeX into
MathML with latex2mathml, lets through only MathML's presentation elements, and writes every punctuation
character of the formula's text as a character reference, so that Python-Markdown reads no emphasis, link
or escape in it. TeX that latex2mathml cannot read is shown as written, as code, and reported.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import nh3
from latex2mathml.converter import convert as tex_to_mathml

from ..registry import HTML_SANITISED, OBSIDIAN_MATH

if TYPE_CHECKING:
    from ..inline import Unit

# MathML Core's presentation elements and the attributes that change how they look; no links, no styles.
MATH_ELEMENTS = frozenset({
    "math", "annotation", "maction", "menclose", "merror", "mfenced", "mfrac", "mi", "mmultiscripts", "mn", "mo",
    "mover", "mpadded", "mphantom", "mprescripts", "mroot", "mrow", "ms", "mspace", "msqrt", "mstyle", "msub",
    "msubsup", "msup", "mtable", "mtd", "mtext", "mtr", "munder", "munderover", "none", "semantics",
})
_MATH_ATTRIBUTES = frozenset({
    "accent", "accentunder", "align", "columnalign", "columnlines", "columnspacing", "depth", "display",
    "displaystyle", "fence", "form", "frame", "height", "largeop", "linethickness", "lspace", "mathsize",
    "mathvariant", "maxsize", "minsize", "movablelimits", "notation", "rowalign", "rowlines", "rowspacing",
    "rspace", "scriptlevel", "separator", "stretchy", "symmetric", "voffset", "width",
})
_ATTRIBUTES = {element: set(_MATH_ATTRIBUTES) for element in MATH_ELEMENTS}
# What those attributes hold: words, lengths and sizes. Anything else (a `<` or a quote) is dropped: the math is
# written past the checks for tags in text, so no value may read as one to Python-Markdown.
_ATTRIBUTE_VALUE = re.compile(r"[\w .#%+-]{0,64}")
# The text between two tags, and in it a character reference, kept whole.
_TEXT = re.compile(r">([^<]+)<")
_REFERENCE_OR_CHARACTER = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);|.", re.S)


def clean_mathml(markup: str) -> str:
    """MathML with only MATH_ELEMENTS and their attributes, every ASCII punctuation character of its text written
    as a character reference (Python-Markdown reads `*`, `_`, `[` or `\\` there as Markdown), on one line."""
    cleaned = nh3.clean(markup, tags=set(MATH_ELEMENTS), attributes=_ATTRIBUTES, link_rel=None, url_schemes=set(),
                        attribute_filter=_plain_value)
    return _TEXT.sub(lambda text: ">" + _as_references(text.group(1)) + "<", cleaned.replace("\n", " "))


def _plain_value(element: str, attribute: str, value: str) -> str | None:
    """An attribute's value when it is a word, a length or a size (see _ATTRIBUTE_VALUE); else the attribute goes."""
    return value if _ATTRIBUTE_VALUE.fullmatch(value) else None


def _as_references(text: str) -> str:
    """Text with each ASCII punctuation character (the `&` of a reference left as it is) as a character reference."""
    return "".join(
        piece if len(piece) > 1 or piece.isalnum() or piece.isspace() or not piece.isascii() else f"&#{ord(piece)};"
        for piece in _REFERENCE_OR_CHARACTER.findall(text)
    )


# Python-Markdown reads `<math>` first on a line as the start of a block of raw HTML, which would split the paragraph
# there; inside an inline element it stays inline, as in CommonMark.
_WRAPPER = ("<span>", "</span>")


def mathml(tex: str, display: bool) -> str | None:
    """TeX (without its dollars) as cleaned MathML in a span, or None when latex2mathml cannot read it."""
    try:
        markup = tex_to_mathml(tex.strip(), display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - latex2mathml raises many kinds of error on TeX it cannot read
        return None
    return as_written_math(markup)


def convert_math(span: str, unit: Unit, line: int) -> str:
    """A math span as the lexer read it: TeX between dollars becomes MathML (its line ends kept after it, so the
    block keeps its lines), or code when it cannot be read; MathML a note wrote is the sanitiser's (sanitise_math)."""
    if not span.startswith("$"):
        return span
    display = span.startswith("$$")
    markup = mathml(span[2:-2] if display else span[1:-1], display)
    if markup is None:
        # As code: shown as written, and read as nothing else (Python-Markdown would read `**a**{b}` in it).
        code = as_code(span)
        unit.log.find(line, span[:60], "math whose TeX cannot be read: shown as written, as code")
        unit.log.repair(line, OBSIDIAN_MATH, span, code)
        return code
    unit.log.repair(line, OBSIDIAN_MATH, span, "(shown as a formula, in MathML)")
    return markup + "\n" * span.count("\n")


def as_code(text: str) -> str:
    """Text as a code span that shows it as written: fenced by one backtick more than its longest run."""
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return fence + pad + text + pad + fence


def as_written_math(markup: str) -> str:
    """MathML as the page gets it: cleaned, in a span (see mathml)."""
    return _wrapped(clean_mathml(_unwrapped(markup)))


def sanitise_math(markup: str, unit: Unit, line: int) -> str:
    """MathML as the lexer read it, as the page gets it (its line ends kept after it); what cleaning took away is
    logged."""
    inner = _unwrapped(markup)
    cleaned = clean_mathml(inner)
    if cleaned != inner.replace("\n", " "):
        unit.log.repair(line, HTML_SANITISED, inner, cleaned)
    return _wrapped(cleaned) + "\n" * markup.count("\n")


def _wrapped(markup: str) -> str:
    """Cleaned MathML in the span mathml puts it in."""
    return _WRAPPER[0] + markup + _WRAPPER[1]


def _unwrapped(markup: str) -> str:
    """MathML without the span mathml puts it in."""
    if markup.startswith(_WRAPPER[0]) and markup.endswith(_WRAPPER[1]):
        return markup[len(_WRAPPER[0]):-len(_WRAPPER[1])]
    return markup
