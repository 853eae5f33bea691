"""Test-only helpers: a tiny normaliser for hand-made and seed notes (the real one lives in handbook.normalise)."""

from __future__ import annotations

import re
from pathlib import Path

from handbook.model import Block, Note, Section, Source

SEEDS = Path(__file__).resolve().parents[1] / "data" / "notes"
_HEADING = re.compile(r"^(#{1,6})(?: +|(?<=##)(?=[^#\s]))(.*?)\s*#*\s*$")  # "##Title" too, not "#tag"
_ITEM = re.compile(r"^((?:    |\t)*)\s{0,3}[-*+]\s+(.*)$")
_WIKI_IMAGE = re.compile(r"!\[\[([^\]]+)\]\]")


def _title(text: str) -> str:
    return text.replace("**", "").strip()


def make_note(path: str, text: str, tags: tuple[str, ...] = ()) -> Note:
    """Split Markdown into a Note the way the normaliser's contract describes (no spelling repairs)."""
    lines = text.splitlines()
    headings = [(i, m) for i, line in enumerate(lines) if (m := _HEADING.match(line))]
    first_level = len(headings[0][1].group(1)) if headings else 1
    shift = first_level - 2 if any(len(m.group(1)) <= first_level for _, m in headings[1:]) else first_level - 1
    title = _title(headings[0][1].group(2)) if headings else path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    sections: list[Section] = []
    current: tuple[str, int, int] = (title, 1, headings[0][0] + 1 if headings else 1)
    blocks: list[Block] = []
    paragraph: list[tuple[int, str]] = []

    def flush_paragraph() -> None:
        if paragraph:
            text = "\n".join(p for _, p in paragraph)
            kind = "table" if text.startswith("|") else "paragraph"
            blocks.append(Block(kind, text, Source(path, paragraph[0][0])))
            paragraph.clear()

    def flush_section() -> None:
        flush_paragraph()
        sections.append(Section(current[0], current[1], Source(path, current[2]), tuple(blocks)))
        blocks.clear()

    for index in range(len(lines)):
        if headings and index == headings[0][0]:
            continue
        line = lines[index].rstrip()
        number = index + 1
        heading = _HEADING.match(line)
        if heading:
            flush_section()
            current = (_title(heading.group(2)), max(2, len(heading.group(1)) - shift), number)
            continue
        item = _ITEM.match(line)
        if not line.strip():
            flush_paragraph()
        elif _WIKI_IMAGE.fullmatch(line.strip()):
            flush_paragraph()
            target = _WIKI_IMAGE.fullmatch(line.strip()).group(1)
            blocks.append(Block("image", f"![{target}](asset:{target})", Source(path, number)))
        elif line.lstrip().startswith("|"):
            if paragraph and paragraph[-1][1].startswith("|"):
                paragraph.append((number, line.strip()))
                continue
            flush_paragraph()
            paragraph.append((number, line.strip()))
        elif item:
            flush_paragraph()
            depth = len(item.group(1).replace("\t", "    ")) // 4
            blocks.append(Block("list_item", "- " + item.group(2).strip(), Source(path, number), depth))
        else:
            paragraph.append((number, line.strip()))
    flush_section()
    body = "\n".join(line for i, line in enumerate(lines) if not headings or i != headings[0][0])
    return Note(path=path, title=title, raw=text, markdown=f"# {title}\n{body}", sections=tuple(sections),
                tags=tags)


def seed_notes() -> list[Note]:
    """The five seed notes, split by the test helper."""
    return [make_note(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.md"))]


def real_normaliser():
    """The real normaliser's entry point when it is importable, else None."""
    try:
        from handbook import normalise  # noqa: F401
    except ImportError:
        return None
    return normalise
