"""Search tuned for the handbook's vocabulary: acronyms and their long names find each other.

MkDocs writes `search/search_index.json`; this pass appends to the indexed text of each
section the glossary terms it mentions in either form (IAM and "AWS Identity and Access
Management", MITM and "man-in-the-middle"), plus each term's other spellings (24x7 for
"24*7*365"), so a reader's wording finds the section whichever form its author used.
The words go in a hidden element after the section's own text: the search indexes them,
result previews do not show them.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from pathlib import Path

from .glossary import Glossary
from .words import word_set

_SPACES = re.compile(r"[\s\-]+")


def _phrase(text: str) -> re.Pattern[str]:
    """A case-insensitive pattern for a phrase, tolerant of hyphens and spacing."""
    words = [re.escape(w) for w in _SPACES.split(text.strip()) if w]
    return re.compile(r"(?<![\w])" + r"[\s\-]+".join(words) + r"(?![\w])", re.IGNORECASE)


def _term(term: str) -> re.Pattern[str]:
    """An acronym as written (case-sensitive), as a whole token."""
    return re.compile(r"(?<![\w+\-])" + re.escape(term) + r"(?![\w+])")


@lru_cache(maxsize=None)
def _matchers(term: str, expansion: str, search: tuple[str, ...]) -> tuple[tuple[frozenset[str], re.Pattern[str]], ...]:
    """Each pattern of a term with the words (case-folded) a text must contain for it to match."""
    forms = [(term, _term(term)), (expansion, _phrase(expansion)), *((a, _phrase(a)) for a in search)]
    return tuple((word_set(form), pattern) for form, pattern in forms)


def keywords_for(text: str, glossary: Glossary) -> list[str]:
    """The glossary terms a text mentions in any form, each with its other forms."""
    # A form can only match where each of its words is a word of the text: a set lookup rules out
    # most forms before their pattern scans a long section.
    words = word_set(text)
    found: list[str] = []
    for term in glossary.terms:
        if any(needed <= words and pattern.search(text)
               for needed, pattern in _matchers(term.term, term.expansion, term.search)):
            for word in (term.term, term.expansion, *term.search, *((term.former,) if term.former else ())):
                if word not in found:
                    found.append(word)
    return found


def add_search_keywords(site_dir: Path, glossary: Glossary) -> int:
    """Rewrite the site's search index with glossary keywords; returns how many sections gained some."""
    index_file = site_dir / "search" / "search_index.json"
    if not index_file.exists():
        return 0
    index = json.loads(index_file.read_text(encoding="utf-8"))
    changed = 0
    for doc in index.get("docs", []):
        words = keywords_for(f"{doc.get('title', '')} {doc.get('text', '')}", glossary)
        if words:
            hidden = html.escape(" ".join(words), quote=False)
            doc["text"] = f"{doc.get('text', '')} <span hidden>{hidden}</span>".lstrip()
            changed += 1
    index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return changed
