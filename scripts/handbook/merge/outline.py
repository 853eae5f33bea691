"""The topic outline (data/topics.yml): pages and sections in reading order, with the words that map notes to them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ..datafile import YamlDocument, load_model
from ..load import DEFAULT_LIMITS, Limits

TOPICS_FILE = "topics.yml"
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError("a lowercase slug of letters, digits and single '-' (e.g. 'network-security')")
    return value


Slug = Annotated[str, AfterValidator(_slug)]


class SectionSchema(_Strict):
    id: Slug
    title: str = Field(min_length=1)
    aliases: list[str] = []
    keywords: list[str] = []
    sections: list["SectionSchema"] = []


class PageSchema(_Strict):
    id: Slug
    title: str = Field(min_length=1)
    summary: str = ""
    aliases: list[str] = []
    keywords: list[str] = []
    sections: list[SectionSchema] = Field(min_length=1)


class FactTermsSchema(_Strict):
    actors: dict[str, list[str]]
    categories: dict[str, list[str]]
    services: list[str | list[str]]  # a name, or a service's spellings ([alb, application load balancer])
    storage_classes: list[str] = []


class TopicsSchema(_Strict):
    pages: list[PageSchema] = Field(min_length=1)
    fact_terms: FactTermsSchema


@dataclass(frozen=True)
class TopicSection:
    """One section of a topic page; `id` is its stable anchor, unique within the whole outline."""

    id: str
    page_id: str
    title: str
    level: int  # 2 for a page's sections, 3 for their sub-sections
    aliases: tuple[str, ...]
    keywords: tuple[str, ...]
    order: int  # reading order over the whole outline


@dataclass(frozen=True)
class TopicPageSpec:
    """One topic page of the outline: a stable id (its file name), title, summary and its sections in order."""

    id: str
    title: str
    summary: str
    sections: tuple[TopicSection, ...]


@dataclass(frozen=True)
class FactTerms:
    """Words the fact guards look for: who acts, which service category, which service, which storage class."""

    actors: tuple[tuple[str, tuple[str, ...]], ...]
    categories: tuple[tuple[str, tuple[str, ...]], ...]
    services: tuple[tuple[str, ...], ...]  # per service, its spellings: the first is its name
    storage_classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outline:
    """The site's topic pages and sections in reading order."""

    pages: tuple[TopicPageSpec, ...]
    fact_terms: FactTerms

    @property
    def sections(self) -> tuple[TopicSection, ...]:
        """Every topic section of every page, in reading order."""
        return tuple(section for page in self.pages for section in page.sections)

    def section(self, section_id: str) -> TopicSection:
        """The topic section with this id."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)


def _flatten(page: PageSchema, counter: list[int]) -> tuple[TopicSection, ...]:
    out: list[TopicSection] = []

    def add(schema: SectionSchema, level: int, extra_aliases: list[str], extra_keywords: list[str]) -> None:
        counter[0] += 1
        out.append(TopicSection(
            id=schema.id, page_id=page.id, title=schema.title, level=level,
            aliases=tuple([schema.title, *extra_aliases, *schema.aliases]),
            keywords=tuple([*extra_keywords, *schema.keywords]), order=counter[0],
        ))
        for child in schema.sections:
            add(child, level + 1, [], [])

    for index, section in enumerate(page.sections):
        # The page's own aliases and keywords lead to its first section.
        first = index == 0
        add(section, 2, page.aliases if first else [], page.keywords if first else [])
    return tuple(out)


def _check_unique_ids(model: TopicsSchema, document: YamlDocument) -> None:
    seen: dict[str, tuple] = {}

    def visit(ident: str, loc: tuple) -> None:
        if ident in seen:
            first_line = document.line_of(seen[ident])
            raise document.error(loc, f"an id used nowhere else in the outline (first used on line {first_line})",
                                 ident)
        seen[ident] = loc

    def visit_section(section: SectionSchema, loc: tuple) -> None:
        visit(section.id, loc + ("id",))
        for index, child in enumerate(section.sections):
            visit_section(child, loc + ("sections", index))

    for page_index, page in enumerate(model.pages):
        visit(page.id, ("pages", page_index, "id"))
        for section_index, section in enumerate(page.sections):
            visit_section(section, ("pages", page_index, "sections", section_index))


def outline_from_schema(model: TopicsSchema) -> Outline:
    """Turn the validated schema into the frozen outline the merge stage uses."""
    counter = [0]
    pages = tuple(
        TopicPageSpec(id=page.id, title=page.title, summary=page.summary.strip(), sections=_flatten(page, counter))
        for page in model.pages
    )
    terms = model.fact_terms
    return Outline(pages=pages, fact_terms=FactTerms(
        actors=tuple((name, tuple(words)) for name, words in terms.actors.items()),
        categories=tuple((name, tuple(words)) for name, words in terms.categories.items()),
        services=tuple((service,) if isinstance(service, str) else tuple(service) for service in terms.services),
        storage_classes=tuple(terms.storage_classes),
    ))


def load_topics(data_dir: Path, limits: Limits = DEFAULT_LIMITS) -> Outline:
    """Read and validate data/topics.yml; errors read 'topics.yml:LINE: key: expected ...; received ...'."""
    file = Path(data_dir) / TOPICS_FILE
    model, document = load_model(file, TopicsSchema, display=f"{Path(data_dir).name}/{TOPICS_FILE}", limits=limits)
    _check_unique_ids(model, document)
    return outline_from_schema(model)


__all__ = ["FactTerms", "Outline", "TopicPageSpec", "TopicSection", "load_topics"]
