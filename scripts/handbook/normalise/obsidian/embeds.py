"""Obsidian's embeds (`![[diagram.png|300]]`, `![[Other note]]`) and image sizes (`![alt|300](img.png)`).

An embedded file becomes an `asset:` image or link, an embedded note a link to it, and a file that is
not in the vault a visible marker (MISSING_IMAGE_CLASS) instead of a broken image.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from ...model import Asset
from ..registry import OBSIDIAN_EMBED, OBSIDIAN_EMBED_MISSING, OBSIDIAN_TRANSCLUSION
from .wikilinks import escape_text, note_link

if TYPE_CHECKING:
    from ..inline import Unit

MISSING_IMAGE_CLASS = "handbook-missing-image"
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".avif", ".tif", ".tiff"})
_SIZE = re.compile(r"^\s*(\d{1,5})(?:\s*[xX]\s*(\d{1,5}))?\s*$")
# The end of an image's alt text with an Obsidian size: `![alt|300` or `![alt\|300x200` (in a table).
SIZED_IMAGE_END = re.compile(
    r"!\[(?:[^\[\]\\\n|]|\\[^|])*(?P<size>\\?\|[ \t]*(?P<width>\d{1,5})(?:[ \t]*[xX][ \t]*(?P<height>\d{1,5}))?[ \t]*)$"
)


def convert_embed(inner: str, unit: Unit, line: int) -> str:
    """Resolve one `![[...]]` embed to an asset image, a note link, or a visible missing-image note."""
    inner = inner.replace("\\|", "|")
    target, _, option = inner.partition("|")
    target, _, heading = target.partition("#")
    target = target.strip()
    extension = posixpath.splitext(target)[1].lower()
    original = f"![[{inner}]]"
    if extension in ("", ".md"):
        link = note_link(target[:-3] if extension == ".md" else target, heading, option)
        unit.log.repair(line, OBSIDIAN_TRANSCLUSION, original, link)
        return link
    name = posixpath.basename(target)
    found = unit.ctx.find_file(target)
    if found is None:
        missing = f"*Image not available: {escape_text(name)}*{{ .{MISSING_IMAGE_CLASS} }}"
        unit.log.repair(line, OBSIDIAN_EMBED_MISSING, original, missing)
        return missing
    unit.assets.append(Asset(found, unit.log.note, unit.log.raw_line(line)))
    size = _SIZE.match(option) if option else None
    label = escape_text(option.strip() if option.strip() and not size else name)
    url = "asset:" + quote(found, safe="/")
    markdown = f"![{label}]({url})" if extension in IMAGE_EXTENSIONS else f"[{label}]({url})"
    if size:
        markdown += f"{{ {size_attributes(size.group(1), size.group(2))} }}"
    unit.log.repair(line, OBSIDIAN_EMBED, original, markdown)
    return markdown


def size_attributes(width: str, height: str | None) -> str:
    """attr_list attributes for an Obsidian size (`300` or `300x200`)."""
    return f'width="{width}"' + (f' height="{height}"' if height else "")
