"""The validated responsibility matrix as small frozen records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

Owner = Literal["aws", "customer", "shared"]
OWNERS: tuple[Owner, ...] = ("aws", "customer", "shared")
OWNER_LABELS: dict[str, str] = {"aws": "AWS", "customer": "You", "shared": "Shared"}


@dataclass(frozen=True)
class DocSource:
    """An AWS document (and the section or figure of it) that a fact rests on."""

    id: str
    label: str
    title: str
    section: str
    url: str
    published: str | None = None


@dataclass(frozen=True)
class Category:
    """A service category of the 2016 whitepaper: infrastructure, container or abstracted."""

    id: str
    title: str
    short_title: str
    summary: str
    whitepaper_examples: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Cell:
    """Who owns one layer in one category, why, and on which sources that rests."""

    layer: str
    category: str
    owner: Owner
    explanation: str
    sources: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True)
class Layer:
    """A row of the matrix with one cell per category, in category order."""

    id: str
    title: str
    description: str
    aliases: tuple[str, ...]
    cells: tuple[Cell, ...]

    def cell(self, category: str) -> Cell:
        """The cell of this layer for one category id."""
        for cell in self.cells:
            if cell.category == category:
                return cell
        raise KeyError(category)


@dataclass(frozen=True)
class Override:
    """Where one service differs from its category's cell for a layer."""

    layer: str
    owner: Owner
    explanation: str
    sources: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True)
class Service:
    """An AWS service, its single category, the names notes use for it and its differences."""

    id: str
    name: str
    category: str
    aliases: tuple[str, ...]
    sources: tuple[str, ...]
    overrides: tuple[Override, ...] = ()
    judgement_call: str | None = None

    def override(self, layer: str) -> Override | None:
        """The override for a layer id, if the service has one."""
        for override in self.overrides:
            if override.layer == layer:
                return override
        return None


@dataclass(frozen=True)
class ServiceCell:
    """One entry of a service's column: the category cell or the service's override of it."""

    layer: Layer
    category_cell: Cell
    override: Override | None

    @property
    def owner(self) -> Owner:
        """The owner that applies to the service."""
        return self.override.owner if self.override else self.category_cell.owner

    @property
    def explanation(self) -> str:
        """The explanation that applies to the service."""
        return self.override.explanation if self.override else self.category_cell.explanation

    @property
    def sources(self) -> tuple[str, ...]:
        """The sources of whichever explanation applies."""
        return self.override.sources if self.override else self.category_cell.sources

    @property
    def note(self) -> str | None:
        """The override's note, else the category cell's (its caveat still applies to a refined explanation)."""
        if self.override and self.override.note:
            return self.override.note
        return self.category_cell.note

    @property
    def owner_differs(self) -> bool:
        """True when the service's owner is not its category's owner for this layer."""
        return self.override is not None and self.override.owner != self.category_cell.owner


RuleScope = Literal["block", "section"]


class Pattern(Protocol):
    """A compiled regular expression from the data: RE2's, which runs in time linear in the text."""

    def search(self, text: str, /):  # noqa: D102 - the match object, or None
        ...


@dataclass(frozen=True)
class ClaimSource:
    """The AWS document that says what is right about a claim, and the day someone checked that it still does."""

    title: str
    url: str
    checked: str  # YYYY-MM-DD


@dataclass(frozen=True)
class OwnerClaim:
    """A claim giving layers to one owner alone, checked against the matrix; each layer with the terms naming it."""

    owner: Owner
    layers: tuple[tuple[str, tuple[Pattern, ...]], ...]


@dataclass(frozen=True)
class Rule:
    """A rule from data: what a wrong claim looks like and where the truth is (the matrix, or an AWS document)."""

    id: str
    scope: RuleScope
    heading: tuple[Pattern, ...]
    patterns: tuple[Pattern, ...]
    absent: tuple[Pattern, ...]
    kinds: tuple[str, ...]
    message: str
    page: str
    anchor: str | None
    kind: str = "contradiction"  # a key of NOTICE_KINDS: how the notice is labelled
    # Claims (data/claims.yml) match within one sentence and cite an AWS document instead of the matrix.
    by_sentence: bool = False
    negation_guard: bool = False  # silent on a sentence that holds a negation ("is not", "never", "no longer")
    source: ClaimSource | None = None
    owner_claim: OwnerClaim | None = None


@dataclass(frozen=True)
class NoticeKind:
    """What a rule's notice tells the reader, and the admonition that says it."""

    id: str
    admonition: str  # the admonition type (its colour and icon)
    title: str
    description: str


# Declared once: a rule in contradictions.yml or claims.yml names one of these by id with `kind:`.
NOTICE_KINDS = {kind.id: kind for kind in (
    NoticeKind("contradiction", "warning", "Contradicts the responsibility matrix",
               "the note claims something the matrix says otherwise"),
    NoticeKind("omission", "info", "Not mentioned here",
               "a list of duties leaves out one that the matrix gives the same owner"),
    NoticeKind("outdated-term", "note", "Outdated term",
               "the note uses a name AWS has retired; shown once per page"),
    NoticeKind("wrong", "danger", "Wrong", "the note says something AWS's documentation says otherwise"),
    NoticeKind("outdated", "abstract", "Outdated", "the note was right once, but AWS has changed it since"),
    NoticeKind("incomplete", "example", "Incomplete", "the note is right as far as it goes but leaves out what "
               "changes its meaning"),
    NoticeKind("unclear", "question", "Unclear", "the sentence is too garbled to read for sure; it is shown "
               "as written, with what it most likely means"),
)}
# The kinds a claim in data/claims.yml may have (the others are the matrix's own).
CLAIM_KINDS = ("wrong", "outdated", "incomplete", "unclear")
DEFAULT_NOTICE_KIND = "contradiction"


@dataclass(frozen=True)
class Matrix:
    """Everything in data/matrix/, cross-checked: sources, categories, layers, services, rules."""

    sources: tuple[DocSource, ...]
    categories: tuple[Category, ...]
    layers: tuple[Layer, ...]
    services: tuple[Service, ...]
    rules: tuple[Rule, ...] = ()

    @property
    def cells(self) -> tuple[Cell, ...]:
        """Every cell, layer by layer."""
        return tuple(cell for layer in self.layers for cell in layer.cells)

    def source(self, source_id: str) -> DocSource:
        """The source with this id."""
        return _by_id(self.sources, source_id)

    def category(self, category_id: str) -> Category:
        """The category with this id."""
        return _by_id(self.categories, category_id)

    def layer(self, layer_id: str) -> Layer:
        """The layer with this id."""
        return _by_id(self.layers, layer_id)

    def service(self, service_id: str) -> Service:
        """The service with this id."""
        return _by_id(self.services, service_id)

    def services_in(self, category_id: str) -> tuple[Service, ...]:
        """The services of one category, in data order."""
        return tuple(s for s in self.services if s.category == category_id)

    def service_column(self, service: Service) -> tuple[ServiceCell, ...]:
        """A service's column of the matrix, top layer first, with its overrides applied."""
        return tuple(
            ServiceCell(layer=layer, category_cell=layer.cell(service.category), override=service.override(layer.id))
            for layer in self.layers
        )


def _by_id(items, item_id):
    for item in items:
        if item.id == item_id:
            return item
    raise KeyError(item_id)
