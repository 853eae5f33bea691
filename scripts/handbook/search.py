"""Search tuned for the handbook: acronyms and their long names find each other, and sections outrank pages.

MkDocs writes `search/search_index.json`; this pass rewrites it:

- It appends to the indexed text of each section the glossary terms it mentions in either
  form (IAM and "AWS Identity and Access Management", MITM and "man-in-the-middle"), plus
  each term's other spellings (24x7 for "24*7*365"), so a reader's wording finds the section
  whichever form its author used. The words go in a hidden element after the section's own
  text: the search indexes them, result previews do not show them.
- A page's own entry that holds nothing but its title (a generated page's text all sits under
  its headings, and its first heading repeats the title) is weighted down, so that a result
  leads to the section that holds the answer rather than to the top of its page: the theme
  shows each page's best entry first, and favours a page's own entry fourfold over a section.
- The index pages of the generated folders, which list other pages by title, are weighted
  down: a query that names a page's title should lead to that page, not to the list of it.
- The pages of what a note says outside the topics are prose from the notes, as topic pages
  are, and weigh what topic pages weigh: twice the matrix and service pages, which are tables
  that repeat the same rows for every service.

The field weights (a title counts three times its text, not the theme's thousand times, so a
section titled "Users, groups and roles" does not outrank the answer for every question with
"groups" in it) are set in mkdocs.yml, and the query side (stop words, word endings) in
docs/javascripts/handbook.js.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from pathlib import Path

from .glossary import Glossary
from .merge.render import TOPIC_SEARCH_BOOST
from .paths import GENERATED_DIR, NOTES_DIR, OTHER_DIR, SERVICES_DIR, TOPICS_DIR
from .words import word_set

# The factor a page's own entry is weighted by when it holds only its title: low enough that its first
# section, which has the same title and the text, outranks it despite the theme's favour for page entries.
TITLE_ONLY_PAGE_BOOST = 0.25
# The factor the index pages of the generated folders (lists of other pages) are weighted by.
LIST_PAGE_BOOST = 0.2
LIST_PAGES = frozenset(f"{GENERATED_DIR}/{folder}/" for folder in (NOTES_DIR, OTHER_DIR, TOPICS_DIR, SERVICES_DIR))
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


def keywords_for(text: str, glossary: Glossary) -> list[str]:
    """The glossary terms a text mentions in any form, each with its other forms."""
    # A form can only match where each of its words is a word of the text: a set lookup rules out
    # most forms before their pattern scans a long section.
    words = word_set(text)
    found: list[str] = []
    for term in glossary.terms:
        if any(needed <= words and pattern.search(text)
               for needed, pattern in _matchers(term.term, term.expansion, term.search, term.former)):
            for word in (term.term, term.expansion, *term.search, *((term.former,) if term.former else ())):
                if word not in found:
                    found.append(word)
    return found


def search_weight(doc: dict) -> float:
    """The weight an entry of the index gets for what kind of entry it is (1 for a section of a page)."""
    location = doc.get("location", "")
    page = location.split("#", 1)[0]
    weight = float(doc.get("boost", 1))
    if page in LIST_PAGES:
        weight *= LIST_PAGE_BOOST
    elif page.startswith(NOTE_PROSE_PAGES) and "boost" not in doc:
        weight = float(TOPIC_SEARCH_BOOST)
    if "#" not in location and not _HIDDEN.sub("", doc.get("text", "")).strip():
        weight *= TITLE_ONLY_PAGE_BOOST
    return weight


def add_search_keywords(site_dir: Path, glossary: Glossary) -> int:
    """Rewrite the site's search index with glossary keywords and weights; returns how many sections gained words."""
    index_file = site_dir / "search" / "search_index.json"
    if not index_file.exists():
        return 0
    index = json.loads(index_file.read_text(encoding="utf-8"))
    changed = 0
    for doc in index.get("docs", []):
        weight = search_weight(doc)
        if weight != 1:
            doc["boost"] = round(weight, 4)
        words = keywords_for(f"{doc.get('title', '')} {doc.get('text', '')}", glossary)
        if words:
            hidden = html.escape(" ".join(words), quote=False)
            doc["text"] = f"{doc.get('text', '')} <span hidden>{hidden}</span>".lstrip()
            changed += 1
    index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return changed
