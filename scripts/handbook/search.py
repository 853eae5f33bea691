"""Search tuned for the handbook: acronyms and their long names find each other, and sections outrank pages.

MkDocs writes `search/search_index.json`; this pass rewrites it:

- A long section is split into pieces of a few paragraphs, list items or table rows, each an entry of its
  own at an id given to its first element in the built page, so that a result leads to the passage that
  answers (the theme does not weigh a section's length: a long section holding every word of a question
  somewhere outranked the paragraph that answers it). Each piece keeps its page's title as hidden context.
- A table row reads "Header: cell · Header: cell", not the run-together words of its cells, in a section
  split or not.
- It appends to the indexed text of each section the glossary terms it mentions in either
  form (IAM and "AWS Identity and Access Management", MITM and "man-in-the-middle"), plus
  each term's other spellings (24x7 for "24*7*365"), so a reader's wording finds the section
  whichever form its author used. The words go in a hidden element after the section's own
  text: the search indexes them, result previews do not show them. So does each word's other
  spelling, British or American ("centres" finds a section that says "data centers").
- A page's own entry that holds nothing but its title (a generated page's text all sits under
  its headings, and its first heading repeats the title) is weighted down, so that a result
  leads to the section that holds the answer rather than to the top of its page: the theme
  shows each page's best entry first, and favours a page's own entry fourfold over a section.
- The index pages of the generated folders, which list other pages by title, are weighted
  down: a query that names a page's title should lead to that page, not to the list of it.
  So is the home page, which sums up the whole site in a few words and points to the pages
  that say it in full.
- The source list of a generated page (a topic's notes, the AWS documents behind a matrix or service
  page) weighs as those lists do: it names other documents by title, and a title that holds a
  query's words side by side ("encryption in transit") is not the passage that explains them.
- The pages of what a note says outside the topics are prose from the notes, as topic pages
  are, and weigh what topic pages weigh: one and a half times the matrix and service pages, which are tables
  that repeat the same rows for every service.
- Entries that show the same text on several pages (a category's rows, repeated on the page of
  each of its services) share one entry's weight, so that one row does not fill the results
  under twenty page names.

The field weights (a title counts three times its text, not the theme's thousand times, so a
section titled "Users, groups and roles" does not outrank the answer for every question with
"groups" in it) are set in mkdocs.yml, and the query side (stop words, word endings) in
docs/javascripts/handbook.js.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from breame.data.spelling_constants import AMERICAN_ENGLISH_SPELLINGS, BRITISH_ENGLISH_SPELLINGS

from .glossary import Glossary
from .merge.render import TOPIC_SEARCH_BOOST
from .paths import (
    GENERATED_DIR, MATRIX_DIR, MATRIX_SOURCES_ANCHOR, NOTES_DIR, OTHER_DIR, SERVICES_DIR, TOPIC_SOURCES_ANCHOR, TOPICS_DIR,
)
from .words import word_set

# The factor a page's own entry is weighted by when it holds only its title: low enough that its first
# section, which has the same title and the text, outranks it despite the theme's favour for page entries.
TITLE_ONLY_PAGE_BOOST = 0.25
# The factor the index pages of the generated folders (lists of other pages) are weighted by, and the home page,
# which says what the site holds and where: its summary repeats the topics' words, never with their detail.
LIST_PAGE_BOOST = 0.2
HOME_PAGE = ""
LIST_PAGES = frozenset({HOME_PAGE, *(f"{GENERATED_DIR}/{folder}/"
                                     for folder in (NOTES_DIR, OTHER_DIR, TOPICS_DIR, SERVICES_DIR))})
# The sections that list what a generated page is built from, by the kind of page: they name other documents by
# title ("Data protection in Amazon EC2 (encryption in transit)"), as the lists of pages do, and weigh what those weigh.
SOURCE_LIST_SECTIONS = {
    **{f"{GENERATED_DIR}/{folder}/": MATRIX_SOURCES_ANCHOR for folder in (MATRIX_DIR, SERVICES_DIR)},
    **{f"{GENERATED_DIR}/{folder}/": TOPIC_SOURCES_ANCHOR for folder in (TOPICS_DIR, OTHER_DIR)},
}
# Pages of what a note says outside the topics: prose from the notes, as topic pages are.
NOTE_PROSE_PAGES = f"{GENERATED_DIR}/{OTHER_DIR}/"
_HIDDEN = re.compile(r"<span hidden>.*?</span>", re.S)

_SPACES = re.compile(r"[\s\-]+")


def _phrase(text: str) -> re.Pattern[str]:
    """A case-insensitive pattern for a phrase, tolerant of hyphens and spacing."""
    words = [re.escape(w) for w in _SPACES.split(text.strip()) if w]
    return re.compile(r"(?<![\w])" + r"[\s\-]+".join(words) + r"(?![\w])", re.IGNORECASE)


def _term(term: str) -> re.Pattern[str]:
    """An acronym as written (case-sensitive), as a whole token."""
    return re.compile(r"(?<![\w+\-])" + re.escape(term) + r"(?![\w+])")


@lru_cache(maxsize=None)
def _matchers(term: str, expansion: str, search: tuple[str, ...],
              former: str | None = None) -> tuple[tuple[frozenset[str], re.Pattern[str]], ...]:
    """Each pattern of a term with the words (case-folded) a text must contain for it to match."""
    # The name that replaced a former one finds it too, so that the synonyms work both ways: a section on
    # "KMS keys" is found by "CMK" and "customer master key", as one on CMKs is found by "KMS key".
    forms = [(term, _term(term)), (expansion, _phrase(expansion)), *((a, _phrase(a)) for a in search),
             *(((former, _phrase(former)),) if former else ())]
    return tuple((word_set(form), pattern) for form, pattern in forms)


def keywords_for(text: str, glossary: Glossary, words: frozenset[str] | None = None) -> list[str]:
    """The glossary terms a text mentions in any form, each with its other forms (`words`: the text's word_set, when
    the caller has it)."""
    # A form can only match where each of its words is a word of the text: a set lookup rules out
    # most forms before their pattern scans a long section.
    words = word_set(text) if words is None else words
    found: list[str] = []
    for term in glossary.terms:
        if any(needed <= words and pattern.search(text)
               for needed, pattern in _matchers(term.term, term.expansion, term.search, term.former)):
            for word in (term.term, term.expansion, *term.search, *((term.former,) if term.former else ())):
                if word not in found:
                    found.append(word)
    return found


def other_spellings(words: frozenset[str]) -> list[str]:
    """The other spelling of each word that British and American English spell differently (breame's word lists,
    every inflected form listed), in order."""
    # breame names each table by the spelling it maps from: BRITISH_ENGLISH_SPELLINGS["centre"] is "center".
    found = {BRITISH_ENGLISH_SPELLINGS.get(word) or AMERICAN_ENGLISH_SPELLINGS.get(word) for word in words}
    return sorted(found - words - {None})


# An entry shorter than this (a label such as "Discussed in the notes:") is not counted as a copy of another.
COPY_MIN_CHARS = 40


def _own_text(doc: dict) -> str:
    """The text an entry shows, without what the search adds hidden, its spacing made even."""
    return _SPACE_RUN.sub(" ", _HIDDEN.sub("", doc.get("text", ""))).strip()


def copies_of(docs: list[dict]) -> list[int]:
    """For each entry, on how many pages an entry shows the same text (1 for a text of a label's length)."""
    texts = [_own_text(doc) for doc in docs]
    pages: dict[str, set[str]] = {}
    for doc, text in zip(docs, texts):
        if len(text) >= COPY_MIN_CHARS:
            pages.setdefault(text, set()).add(doc["location"].split("#", 1)[0])
    return [len(pages.get(text, ())) or 1 for text in texts]


def search_weight(doc: dict, copies: int = 1) -> float:
    """The weight an entry of the index gets for what kind of entry it is (1 for a section of a page), shared
    among the `copies` pages that show the same text (a service page repeats its category's rows word for word:
    together they weigh what one entry does, and a query finds the one that names what it asks about)."""
    location = doc.get("location", "")
    page = location.split("#", 1)[0]
    weight = float(doc.get("boost", 1))
    if page in LIST_PAGES or _is_source_list(location):
        weight *= LIST_PAGE_BOOST
    elif page.startswith(NOTE_PROSE_PAGES) and "boost" not in doc:
        weight = float(TOPIC_SEARCH_BOOST)
    if "#" not in location and not _HIDDEN.sub("", doc.get("text", "")).strip():
        weight *= TITLE_ONLY_PAGE_BOOST
    return weight / copies


def _is_source_list(location: str) -> bool:
    """True for the source list of a generated page, or a piece of it."""
    page, _, anchor = location.partition("#")
    piece = _PIECE_ANCHOR.fullmatch(anchor)
    section = piece.group(1) if piece else anchor
    return any(page.startswith(folder) and section == source_anchor
               for folder, source_anchor in SOURCE_LIST_SECTIONS.items())


# -- Sections split into pieces ----------------------------------------------------------------------------------

# A piece gathers a section's paragraphs, list items and table rows in order until its text is this long (a
# paragraph or three). Measured on the tuning questions: pieces of 120 characters ranked a lone sentence that
# shares a word or two with a question above the passage that answers it; 300 to 600 did best.
PIECE_MIN_CHARS = 300
# A section no longer than three pieces stays whole.
SPLIT_ABOVE_CHARS = 3 * PIECE_MIN_CHARS
PIECE_TITLE_JOIN = " › "
ROW_CELLS_JOIN = " · "
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">')
_TAG = re.compile(r"<[^>]*>")
_SPACE_RUN = re.compile(r"\s+")
_ID = re.compile(r'\sid="([^"]*)"')
_SUPERSCRIPT = re.compile(r"<sup>.*?</sup>", re.S)
_PIECE_ANCHOR = re.compile(r"(.+)--\d+")


class _Node:
    """An element of a page's article as the theme's search reads it: where it starts in the article, the part of
    its section's indexed text it holds (`first` to `last`, None while open or when it left its section), and
    its children."""

    __slots__ = ("tag", "id", "start", "section", "first", "last", "children")

    def __init__(self, tag: str, id_: str | None, start: int, section, first: int) -> None:
        self.tag, self.id, self.start, self.section, self.first = tag, id_, start, section, first
        self.last: int | None = None
        self.children: list[_Node] = []

    def text(self) -> str:
        """The indexed text the element holds."""
        return "".join(self.section.text[self.first:self.last]) if self.section is not None else ""


@lru_cache(maxsize=1)
def _article_reader() -> type:
    """The theme's own reader of a page into indexed sections, which also notes what each element holds of them,
    so that a piece's text is exactly what the theme indexed."""
    from material.plugins.search.plugin import Parser, void

    class ArticleReader(Parser):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
            self.root = _Node("", None, 0, None, 0)
            self.open = [self.root]

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            line, column = self.getpos()
            before = self.section
            first = len(before.text) if before is not None else 0
            super().handle_starttag(tag, attrs)
            if self.section is not before:  # the element opens a section (a heading, or the first element)
                first = len(self.section.text)
            node = _Node(tag, dict(attrs).get("id"), self.line_starts[line - 1] + column, self.section, first)
            self.open[-1].children.append(node)
            if tag not in void:  # as the theme keeps its context
                self.open.append(node)

        def handle_endtag(self, tag: str) -> None:
            closes = bool(self.context) and self.context[-1] == tag
            super().handle_endtag(tag)
            if closes:
                node = self.open.pop()
                if node.section is self.section:
                    node.last = len(self.section.text)

    return ArticleReader


def _read_article(article: str) -> _Node | None:
    """The article element of a page's article HTML, as the theme's search reads it."""
    reader = _article_reader()(article)
    reader.feed(article)
    reader.close()
    return reader.root.children[0] if reader.root.children else None


def _plain(indexed: str) -> str:
    """An indexed text without its markup, on one line."""
    return _SPACE_RUN.sub(" ", _TAG.sub(" ", indexed)).strip()


def _same_text(a: str, b: str) -> bool:
    """Whether two indexed texts hold the same text, markup and spacing aside."""
    return _SPACE_RUN.sub("", _TAG.sub("", a)) == _SPACE_RUN.sub("", _TAG.sub("", b))


@dataclass(frozen=True)
class Unit:
    """The smallest part of a section that stands alone in the search: a paragraph or other block, a list
    item, or a table row. `source` is the indexed text it holds, `text` how its entry shows it (a row as
    "Header: cell · Header: cell"), `label` what names it in a title (a row's first cell), `wrapper` the list
    an item is shown in."""

    node: _Node
    source: str
    text: str
    label: str
    wrapper: str = ""
    block: int = 0  # which block of the section it belongs to: items of one list share their wrapper


def _children(node: _Node, *tags: str) -> list[_Node]:
    return [child for child in node.children if child.tag in tags]


def _label(indexed: str) -> str:
    """What names a unit in a title: its text without footnote and source numbers."""
    return _plain(_SUPERSCRIPT.sub(" ", indexed))


def _row_units(table: _Node, block: int) -> list[Unit] | None:
    """A table's rows, each shown as "Header: cell · Header: cell"; None for a table of another shape."""
    parts = _children(table, "thead", "tbody")
    head = [row for part in parts if part.tag == "thead" for row in _children(part, "tr")]
    body = [row for part in parts if part.tag == "tbody" for row in _children(part, "tr")]
    if len(head) != 1 or not body:
        return None
    headers = [_plain(cell.text()) for cell in _children(head[0], "th", "td")]
    units = [Unit(table, " ".join(headers), "", "", block=block)]
    for row in body:
        cells = [cell.text().strip() for cell in _children(row, "td", "th")]
        if len(cells) != len(headers):
            return None
        shown = ROW_CELLS_JOIN.join(f"{header}: {cell}" if header else cell
                                    for header, cell in zip(headers, cells) if _plain(cell))
        units.append(Unit(row, " ".join(cells), f"<p>{shown}</p>", _label(cells[0]), block=block))
    return units


def _block_units(node: _Node, block: int) -> list[Unit]:
    """The units of one block of a section: a list's items, a table's rows, or the block itself."""
    if node.tag == "table":
        rows = _row_units(node, block)
        if rows is not None:
            return rows
    items = _children(node, "li")
    if node.tag in ("ul", "ol") and len(items) > 1 and len(items) == len(node.children):
        return [Unit(item, item.text(), item.text(), "", wrapper=node.tag, block=block) for item in items]
    return [Unit(node, node.text(), node.text(), "", block=block)]


def _section_units(blocks: list[_Node], indexed: str) -> list[Unit] | None:
    """A section's units in order, or None when they do not hold exactly the section's indexed text (an
    element left open, text the index leaves out), so that a section is split only where nothing is lost."""
    if any(node.last is None for node in blocks):
        return None
    units = [unit for number, node in enumerate(blocks) for unit in _block_units(node, number)]
    if not _same_text(" ".join(unit.source for unit in units), _HIDDEN.sub("", indexed)):
        return None
    # A table's header row stands in each of its rows' entries, not alone.
    return [unit for unit in units if _plain(unit.text)]


def _gathered(units: list[Unit]) -> list[list[Unit]]:
    """Units gathered in order into pieces of at least PIECE_MIN_CHARS; a short rest joins the last piece."""
    pieces: list[list[Unit]] = []
    current: list[Unit] = []
    size = 0
    for unit in units:
        current.append(unit)
        size += len(_plain(unit.text)) + 1
        if size >= PIECE_MIN_CHARS:
            pieces.append(current)
            current, size = [], 0
    if current:
        if pieces:
            pieces[-1] += current
        else:
            pieces.append(current)
    return pieces


def _piece_text(units: list[Unit]) -> str:
    """A piece's indexed text: its units', items of one list shown in one list."""
    parts: list[str] = []
    for number, unit in enumerate(units):
        before = units[number - 1] if number else None
        after = units[number + 1] if number + 1 < len(units) else None
        opens = unit.wrapper and not (before and (before.wrapper, before.block) == (unit.wrapper, unit.block))
        closes = unit.wrapper and not (after and (after.wrapper, after.block) == (unit.wrapper, unit.block))
        parts.append(f"{f'<{unit.wrapper}>' if opens else ''}{unit.text}{f'</{unit.wrapper}>' if closes else ''}")
    return " ".join(parts)


def _piece_title(section: str, piece: list[Unit]) -> str:
    """A piece's title: its section's, and the name of the table row it starts with ("Section › Row").

    A paragraph's or an item's first words would count as title words, thrice their weight in the text, and
    outrank the words that answer; its entry's preview shows them.
    """
    label = piece[0].label
    return f"{section}{PIECE_TITLE_JOIN}{label}" if label else section


@dataclass(frozen=True)
class SplitPage:
    """A page with an id on the first element of every piece, and its index entries with the pieces."""

    html: str
    docs: tuple[dict, ...]


def _long_sections(docs: list[dict]) -> dict[str, dict]:
    """The entries of a page's sections long enough to split, by their anchor."""
    return {doc["location"].split("#", 1)[1]: doc for doc in docs if "#" in doc["location"]
            and len(_plain(_HIDDEN.sub("", doc.get("text", "")))) > SPLIT_ABOVE_CHARS}


def _has_rows(units: list[Unit]) -> bool:
    """Whether some of a section's units are table rows."""
    return any(unit.node.tag == "tr" for unit in units)


def split_page(page: str, docs: list[dict]) -> SplitPage:
    """Split the long sections of one page (its HTML and its index entries, page entry first) into pieces.

    The section's own entry keeps its first piece; each further piece becomes an entry of its own, at an id
    given to its first element (its own id when it has one), titled as the section (a table row: "Section ›
    Row"), with the page's title as hidden context. A section too short to split that holds a table keeps its
    one entry, with the rows read as rows.
    """
    long_sections = _long_sections(docs)
    found = _ARTICLE.search(page)
    end = page.find("</article>", found.end()) if found else -1
    if end < 0:
        return SplitPage(page, tuple(docs))
    # Only the article is read: the navigation around it is most of a large site's page.
    offset = found.start()
    with_table = "<table" in page[offset:end]
    if not long_sections and not with_table:
        return SplitPage(page, tuple(docs))
    sections_of = long_sections if not with_table else {
        doc["location"].split("#", 1)[1]: doc for doc in docs if "#" in doc["location"]}
    article = _read_article(page[offset:end + len("</article>")])
    if article is None:
        return SplitPage(page, tuple(docs))
    sections: dict[str, list[_Node]] = {}
    blocks: list[_Node] | None = None
    for node in article.children:
        if node.id and node.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            blocks = sections.setdefault(node.id, []) if node.id in sections_of else None
        elif blocks is not None:
            blocks.append(node)
    used = set(_ID.findall(page))
    page_title = next((doc.get("title", "") for doc in docs if "#" not in doc["location"]), "")
    added: dict[str, list[dict]] = {}
    insertions: list[tuple[int, str]] = []
    for section, blocks in sections.items():
        doc = sections_of[section]
        units = _section_units(blocks, doc.get("text", ""))
        if units and section not in long_sections:
            if _has_rows(units):
                added[section] = [{**doc, "text": _piece_text(units)}]
            continue
        pieces = _gathered(units) if units else []
        anchors = [piece[0].node.id or f"{section}--{number}" for number, piece in enumerate(pieces[1:], 2)]
        if len(pieces) < 2 or any(anchor in used for anchor, piece in zip(anchors, pieces[1:])
                                  if not piece[0].node.id):
            continue
        page_address = doc["location"].split("#", 1)[0]
        kept = {key: value for key, value in doc.items() if key not in ("location", "title", "text")}
        # A long section names what it is about somewhere (its service, its product); its pieces keep that
        # context through the page's title, indexed but not shown.
        context = f' <span hidden>{page_title}</span>' if page_title else ""
        added[section] = [{**doc, "text": _piece_text(pieces[0]) + context}, *(
            {"location": f"{page_address}#{anchor}",
             "title": _piece_title(doc.get("title", ""), piece),
             "text": _piece_text(piece) + context, **kept}
            for anchor, piece in zip(anchors, pieces[1:]))]
        insertions += [(offset + piece[0].node.start + 1 + len(piece[0].node.tag), f' id="{anchor}"')
                       for anchor, piece in zip(anchors, pieces[1:]) if not piece[0].node.id]
    page = _inserted(page, insertions)
    new_docs: list[dict] = []
    for doc in docs:
        fragment = doc["location"].split("#", 1)[1] if "#" in doc["location"] else None
        new_docs += added.get(fragment, [doc]) if fragment is not None else [doc]
    return SplitPage(page, tuple(new_docs))


def _inserted(text: str, insertions: list[tuple[int, str]]) -> str:
    """The text with each (offset, addition) put in place, in one pass (a large page takes hundreds)."""
    parts: list[str] = []
    done = 0
    for at, addition in sorted(insertions):
        parts += [text[done:at], addition]
        done = at
    parts.append(text[done:])
    return "".join(parts)


def piece_sections(docs: list[dict]) -> dict[str, str]:
    """Each piece's address in the index, mapped to that of the section it was split from.

    A section's pieces follow it in the index, each at an anchor of the section's own and a number
    (`section--2`), or at an id of its first element and titled with the section's title.
    """
    sections: dict[str, str] = {}
    section: dict | None = None
    section_page = section_anchor = section_title = ""
    for doc in docs:
        page, _, anchor = doc["location"].partition("#")
        title = doc.get("title", "")
        if section is not None and anchor and page == section_page:
            numbered = _PIECE_ANCHOR.fullmatch(anchor)
            if numbered and numbered[1] == section_anchor or title == section_title \
                    or title.startswith(section_title + PIECE_TITLE_JOIN):
                sections[doc["location"]] = section["location"]
                continue
        # A page's own entry is never split: its sections follow it.
        section = doc if anchor else None
        section_page, section_anchor, section_title = page, anchor, title
    return sections


def page_file(site_dir: Path, page: str) -> Path:
    """The HTML file of a page address of the index."""
    path = unquote(page)
    return site_dir / path / "index.html" if path.endswith("/") or not path else site_dir / path


Splitter = Callable[[str, list[dict]], SplitPage]


def split_sections(site_dir: Path, docs: list[dict], split: Splitter = split_page) -> list[dict]:
    """The index's entries with every long section split into pieces (by `split`: split_page, or a cache of its
    results); the pages get the pieces' ids."""
    pages: dict[str, list[dict]] = {}
    for doc in docs:
        pages.setdefault(doc["location"].split("#", 1)[0], []).append(doc)
    result: list[dict] = []
    for page, entries in pages.items():
        file = page_file(site_dir, page)
        # A page without sections (its own entry alone) is not read at all.
        if len(entries) > 1 and file.is_file():
            html_text = file.read_text(encoding="utf-8")
            done = split(html_text, entries)
            if done.html != html_text:
                file.write_text(done.html, encoding="utf-8")
            entries = list(done.docs)
        result += entries
    return result


def rewrite_search_index(site_dir: Path, glossary: Glossary, split: Splitter = split_page) -> int:
    """Rewrite the site's search index: long sections split into pieces (by `split`), glossary keywords and
    weights added; returns how many entries gained words."""
    index_file = site_dir / "search" / "search_index.json"
    if not index_file.exists():
        return 0
    index = json.loads(index_file.read_text(encoding="utf-8"))
    index["docs"] = split_sections(site_dir, index.get("docs", []), split)
    changed = 0
    for doc, copies in zip(index["docs"], copies_of(index["docs"])):
        weight = search_weight(doc, copies)
        if weight != 1:
            doc["boost"] = round(weight, 4)
        text = f"{doc.get('title', '')} {doc.get('text', '')}"
        in_text = word_set(text)
        words = keywords_for(text, glossary, in_text)
        words += [word for word in other_spellings(in_text) if word not in words]
        if words:
            hidden = html.escape(" ".join(words), quote=False)
            doc["text"] = f"{doc.get('text', '')} <span hidden>{hidden}</span>".lstrip()
            changed += 1
    index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return changed
