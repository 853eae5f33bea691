"""Where generated pages live and how they link to each other.

All page paths are POSIX paths relative to the generated folder (`docs/handbook/`).
Links between generated pages are relative `.md` links so that MkDocs checks them
in strict mode and so that the site works under any sub-path.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from markdown.extensions.toc import slugify as toc_slugify

GENERATED_DIR = "handbook"

NOTES_DIR = "notes"
TOPICS_DIR = "topics"
OTHER_DIR = "other"
MATRIX_DIR = "matrix"
SERVICES_DIR = "services"
REPORT_PAGE = "report/index.md"
ASSETS_DIR = "assets"
SNIPPETS_DIR = "snippets"
# The sections that list what a generated page is built from: a topic's notes (prefixed, so that no section of a
# note takes the id) and the AWS documents behind a matrix or service page (whose headings all come from data).
TOPIC_SOURCES_ANCHOR = "handbook-sources"
MATRIX_SOURCES_ANCHOR = "sources"

@lru_cache(maxsize=1 << 16)  # the same headings recur in thousands of notes
def heading_anchor(title: str) -> str:
    """The id Python-Markdown's toc gives a heading of this text (mkdocs.yml keeps its default slugify)."""
    return toc_slugify(title, "-")


@lru_cache(maxsize=1 << 16)  # the same headings and folder names recur in thousands of notes
def path_slug(name: str) -> str:
    """A name as part of a URL (a file, a folder or a heading's anchor): the anchor toc gives a heading of that
    name, so that a page's address, its sections' anchors and MkDocs' own anchors follow one scheme."""
    slug = heading_anchor(name)
    if not _names_something(slug):
        # toc keeps only Latin letters, so names in other scripts (日本.md, заметки/, ## 第二部分) would all get
        # the one empty address; they keep their own letters, by toc's Unicode variant of the same rules (after
        # NFKC, so that a name synced from a Mac, its accents as separate marks, gets the same address).
        slug = toc_slugify(unicodedata.normalize("NFKC", name), "-", unicode=True)
    return slug if _names_something(slug) else "untitled"


def _names_something(slug: str) -> bool:
    return any(c.isalnum() for c in slug)


def name_key(name: str) -> str:
    """A file or note name as lookups compare it: without case, and with accents composed one way (NFC).

    A file synced from a Mac can spell 'é' as 'e' plus an accent (NFD) where a link typed elsewhere
    spells it as one character; both name the same note.
    """
    return unicodedata.normalize("NFC", name).lower()


def same_looking_names(first: str, second: str) -> str:
    """How to tell apart two names that need different addresses: a hint when they differ only in how
    their accents are encoded, which no one can see."""
    if first != second and unicodedata.normalize("NFC", first) == unicodedata.normalize("NFC", second):
        return ("rename one of the two; the names look the same but encode their accents differently, "
                "one as single characters (NFC) and one as letters plus accents (NFD)")
    return "rename one of the two"


def file_stem(path: str) -> str:
    """A note's file name without folder and extension, as wikilinks name it: 'a/IAM.md' -> 'IAM'."""
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


@lru_cache(maxsize=65536)  # every link to a note asks again; a build links each note from many places
def note_slug(note_path: str) -> str:
    """The URL path of a note, folder by folder: '1. Security/IAM.md' -> '1-security/iam'."""
    return slugged_note_path(note_path, path_slug)


def slugged_note_path(note_path: str, slug: Callable[[str], str]) -> str:
    """A note's path with each folder and its file name made URL parts by `slug`."""
    parts = note_path.split("/")
    stem = slug(file_stem(parts[-1]))
    if stem in ("index", "summary"):  # those names belong to the section's own index and navigation files
        stem += "-note"
    return "/".join([slug(p) for p in parts[:-1]] + [stem])


@dataclass(frozen=True)
class NoteAddresses:
    """Every note's page address: note_slug's, but for the notes whose names clash once made addresses
    ('a b.md' and 'a-b.md', 'a.b.md' and 'ab.md'), each of which has one of its own (see note_addresses)."""

    own: Mapping[str, str] = field(default_factory=dict)  # note path -> its address, where it is not note_slug's
    clashes: tuple[tuple[str, ...], ...] = ()  # the notes that share a note_slug address, by path

    def slug(self, note_path: str) -> str:
        """The note's URL path, folder by folder."""
        return self.own.get(note_path) or note_slug(note_path)

    def page(self, note_path: str) -> str:
        """The page that shows the note (note_page's, unless the note's name clashes)."""
        return f"{NOTES_DIR}/{self.slug(note_path)}.md"


def note_addresses(note_paths: Iterable[str]) -> NoteAddresses:
    """The page addresses of a set of notes. Where several share note_slug's address, the one whose file
    name is already written as that address ('a-b.md'), or else the first in path order, keeps it; each
    other gets it plus a short hash of its own path, which no other note changes."""
    own, clashes = own_addresses(
        note_paths, note_slug,
        written_as=lambda path, slug: file_stem(path) == slug.rsplit("/", 1)[-1],
        with_suffix=lambda slug, suffix: f"{slug}-{suffix}",
    )
    return NoteAddresses(own, clashes)


def own_addresses(
    paths: Iterable[str], address: Callable[[str], str], written_as: Callable[[str, str], bool],
    with_suffix: Callable[[str, str], str],
) -> tuple[dict[str, str], tuple[tuple[str, ...], ...]]:
    """For files whose names make one `address`: each one's own, where it is not `address`'s, and the sets
    that clash. The one `written_as` its address, or else the first in path order, keeps it; each other
    gets `with_suffix(address, a short hash of its path)`."""
    by_address: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        by_address[address(path)].append(path)
    taken = set(by_address)
    own: dict[str, str] = {}
    clashes = []
    for shared, sharing in sorted(by_address.items()):
        if len(sharing) == 1:
            continue
        sharing.sort()
        keeper = min(sharing, key=lambda path: not written_as(path, shared))
        clashes.append(tuple(sharing))
        for path in sharing:
            if path == keeper:
                continue
            digest = hashlib.sha1(path.encode("utf-8")).hexdigest()
            length = 6
            while with_suffix(shared, digest[:length]) in taken:  # a name may itself end in such a hash
                length += 1
            own[path] = with_suffix(shared, digest[:length])
            taken.add(own[path])
    return own, tuple(clashes)


def distinct_titles(titles: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Note path -> a label that tells it apart: its title, plus its file name where notes share a title."""
    pairs = list(titles)
    shared = Counter(title.casefold() for _, title in pairs)
    stems = Counter(file_stem(path) for path, title in pairs if shared[title.casefold()] > 1)
    labels = {}
    for path, title in pairs:
        if shared[title.casefold()] == 1:
            labels[path] = title
        else:
            labels[path] = f"{title} ({file_stem(path) if stems[file_stem(path)] == 1 else path})"
    return labels


_DIGITS = re.compile(r"(\d+)")


def _natural(name: str) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, int(chunk)) if chunk.isdigit() else (1, chunk.casefold()) for chunk in _DIGITS.split(name) if chunk)


def reading_order(path: str) -> tuple:
    """A sort key that lists notes as a vault's file explorer does: a folder's subfolders before its
    files, and names in natural order (2 before 10), whatever their case; the path itself breaks ties."""
    *folders, name = path.split("/")
    return (*((0, _natural(folder)) for folder in folders), (1, _natural(name))), path


def note_page(note_path: str) -> str:
    """The page that shows one source note (raw and normalised)."""
    return f"{NOTES_DIR}/{note_slug(note_path)}.md"


def rel_link(from_page: str, to_page: str, anchor: str | None = None) -> str:
    """A relative Markdown link target from one generated page to another (or to a file)."""
    target = _relative(from_page, to_page)
    return f"{target}#{anchor}" if anchor else target


def _relative(from_page: str, to_page: str) -> str:
    """posixpath.relpath from a page's folder, without asking for the working directory."""
    # relpath makes both paths absolute first (a getcwd call each time), which dominated rendering large
    # corpora; and there are far fewer pairs of folders than of pages, so the folder part is what is cached.
    if to_page == from_page:
        return posixpath.basename(to_page)
    base = posixpath.dirname(from_page)
    folder, _, name = to_page.rpartition("/")
    prefix, next_base_part = _folder_prefix(base, folder)
    if prefix is None or name in ("", ".", "..") or name == next_base_part:
        # `..` in a path, or a target that is one of the page's own folders: the general walk.
        return _parts_relative(base, to_page)
    return prefix + name


@lru_cache(maxsize=4096)
def _folder_prefix(base: str, folder: str) -> tuple[str | None, str | None]:
    """The relative path from folder `base` to folder `folder` ('' or ending in '/'), and the part of
    `base` right after `folder` when `folder` contains `base` (None otherwise)."""
    if ".." in base.split("/") or ".." in folder.split("/"):
        return None, None
    relative = _parts_relative(base, folder)
    base_parts, folder_parts = _parts(base), _parts(folder)
    inside = len(base_parts) > len(folder_parts) and base_parts[: len(folder_parts)] == folder_parts
    return ("" if relative == "." else f"{relative}/"), base_parts[len(folder_parts)] if inside else None


def _parts(path: str) -> list[str]:
    return [part for part in path.split("/") if part not in ("", ".")]


def _parts_relative(base: str, to_page: str) -> str:
    if ".." in base.split("/") or ".." in to_page.split("/"):
        return posixpath.relpath(to_page, base or ".")
    base_parts, to_parts = _parts(base), _parts(to_page)
    common = 0
    while common < min(len(base_parts), len(to_parts)) and base_parts[common] == to_parts[common]:
        common += 1
    return "/".join([".."] * (len(base_parts) - common) + to_parts[common:]) or "."
