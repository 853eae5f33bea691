"""The one pass over a unit's text that turns Obsidian's links into Markdown: embeds, wikilinks, image sizes
written the Obsidian way, and math. It runs first, on the whole unit, before any other inline repair."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lexer import BARE_PIPE, lex
from ..registry import OBSIDIAN_IMAGE_SIZE
from .embeds import SIZED_IMAGE_END, convert_embed, size_attributes
from .math import convert_math
from .wikilinks import convert_wikilink

if TYPE_CHECKING:
    from ..inline import Unit


def convert_obsidian(text: str, unit: Unit) -> str:
    """Replace embeds and wikilinks outside code with ordinary Markdown, math with MathML, and give an image sized
    the Obsidian way (`![alt|300](img.png)`) a width instead."""
    if "[[" not in text and "$" not in text and not ("![" in text and "|" in text):
        return text
    out: list[str] = []
    newlines = 0  # line ends before the span: counted as we go, not from the start each time
    size_attrs = ""  # the size of the image whose destination came last, for the attribute list after it
    for span in lex(text):
        line = unit.line_after(newlines)
        if size_attrs and span.kind != "attr":
            out.append(f"{{ {size_attrs} }}")
        if unit.in_table and BARE_PIPE.search(span.text):
            # The table already split this link at its bare '|' into two cells; keep the cells.
            out.append(span.text)
        elif span.kind == "embed":
            out.append(convert_embed(span.text[3:-2], unit, line))
        elif span.kind == "wikilink":
            out.append(convert_wikilink(span.text[2:-2], unit, line))
        elif span.kind == "math":
            out.append(convert_math(span.text, unit, line))
        elif (span.kind == "dest" and out and (sized := SIZED_IMAGE_END.search(tail := "".join(out[-4:])))
              and not (unit.in_table and BARE_PIPE.search(sized.group("size")))):
            # The last few pieces: in a table the size's `\|` is an escape span of its own (a bare
            # `|` there split the image into two cells, which stay as they are).
            out[-4:] = [tail[: sized.start("size")]]
            size_attrs = size_attributes(sized.group("width"), sized.group("height"))
            unit.log.repair(line, OBSIDIAN_IMAGE_SIZE, sized.group(0) + span.text[:40], f"{{ {size_attrs} }}")
            out.append(span.text)
            newlines += span.text.count("\n")
            continue
        elif span.kind == "attr" and size_attrs:
            # The image has an attribute list of its own: the size joins it.
            out.append(f"{{ {size_attrs} {span.text[1:-1].lstrip(':').strip()} }}")
        else:
            out.append(span.text)
        size_attrs = ""
        newlines += span.text.count("\n")
    if size_attrs:
        out.append(f"{{ {size_attrs} }}")
    return "".join(out)
