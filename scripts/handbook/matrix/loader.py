"""Read data/matrix/*.yml, validate each file against its schema and cross-check the ids.

Every problem becomes a BuildError naming the file (relative to the project), the line,
the key, what was expected and what was received.
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import re2
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict

from ..datafile import Loc, YamlDocument, format_loc, format_value, load_model
from ..load import DEFAULT_LIMITS, Limits
from ..model import BuildError
from .model import (
    CLAIM_KINDS, DEFAULT_NOTICE_KIND, NOTICE_KINDS, OWNERS, Category, Cell, ClaimSource, DocSource, Layer, Matrix,
    Override, OwnerClaim, Rule, Service,
)
from .pages import OVERVIEW_PAGE, RESERVED_IDS, SERVICES_INDEX, WHO_OWNS_PAGE, category_page, service_page

DATA_PREFIX = "data/matrix"
CLAIMS_FILE = "data/claims.yml"
# The guards a claim may name (see data/claims.yml): each silences it on a look-alike that says the opposite.
CLAIM_GUARDS = ("negation",)
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_BLOCK_KINDS = ("paragraph", "list_item", "code", "table", "quote", "admonition", "html", "rule", "image")


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError("a lowercase id of words joined by '-', e.g. 'customer-data'")
    return value


def _check_line(value: str) -> str:
    if not value.strip() or "\n" in value.strip():
        raise ValueError("one line of text")
    return value.strip()


def _check_https(value: str) -> str:
    if not value.startswith("https://") or any(c.isspace() or c in "()<>\"" for c in value):
        raise ValueError("an https:// address")
    return value


def _check_single(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        raise ValueError("exactly one category id")
    return value


def _date_text(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def _check_date(value: str) -> str:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError("a date written YYYY-MM-DD") from None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a date written YYYY-MM-DD")
    return value


Id = Annotated[str, AfterValidator(_check_id)]
Line = Annotated[str, AfterValidator(_check_line)]


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceEntry(_Schema):
    id: Id
    label: Line
    title: Line
    section: Line
    url: Annotated[str, AfterValidator(_check_https)]
    published: str | None = None


class SourcesFile(_Schema):
    sources: list[SourceEntry]


class CategoryEntry(_Schema):
    id: Id
    title: Line
    short_title: Line
    summary: Line
    whitepaper_examples: list[Id]
    sources: list[Id]


class CategoriesFile(_Schema):
    categories: list[CategoryEntry]


class CellEntry(_Schema):
    owner: str
    explanation: Line
    sources: list[Id]
    note: Line | None = None


class LayerEntry(_Schema):
    id: Id
    title: Line
    description: Line
    aliases: list[Line] = []
    cells: dict[str, CellEntry]


class LayersFile(_Schema):
    layers: list[LayerEntry]


class OverrideEntry(_Schema):
    layer: str
    owner: str
    explanation: Line
    sources: list[Id]
    note: Line | None = None


class ServiceEntry(_Schema):
    id: Id
    name: Line
    category: Annotated[str, BeforeValidator(_check_single)]
    aliases: list[Line]
    sources: list[Id]
    overrides: list[OverrideEntry] = []
    judgement_call: Line | None = None


class ServicesFile(_Schema):
    services: list[ServiceEntry]


class LinkEntry(_Schema):
    service: str | None = None
    category: str | None = None
    layer: str | None = None
    page: str | None = None


class OwnerClaimEntry(_Schema):
    owner: str
    layers: dict[str, list[str]]


class RuleEntry(_Schema):
    id: Id
    scope: Literal["block", "section"]
    heading: list[str] = []
    patterns: list[str] = []
    absent: list[str] = []
    kinds: list[str] = []
    kind: Id = DEFAULT_NOTICE_KIND
    message: Line
    link: LinkEntry | None = None
    owner_claim: OwnerClaimEntry | None = None


class RulesFile(_Schema):
    rules: list[RuleEntry]


class ClaimSourceEntry(_Schema):
    title: Line
    url: Annotated[str, AfterValidator(_check_https)]
    checked: Annotated[str, BeforeValidator(_date_text), AfterValidator(_check_date)]


class ClaimEntry(_Schema):
    id: Id
    kind: str
    patterns: list[str]
    absent: list[str] = []
    guards: list[str] = []
    kinds: list[str] = []
    right: Line
    source: ClaimSourceEntry


class ClaimsFile(_Schema):
    claims: list[ClaimEntry]


def _error(document: YamlDocument, loc: Loc, expected: str, received: str) -> BuildError:
    """A BuildError whose 'received' part is already worded (not a repr of one value)."""
    return BuildError(document.path, f"{format_loc(loc)}: expected {expected}; received {received}",
                      line=document.line_of(loc))


def _one_of(ids: list[str]) -> str:
    return "one of " + ", ".join(repr(i) for i in ids)


def _check_unique_ids(document: YamlDocument, key: str, entries: list[Any]) -> None:
    first: dict[str, int] = {}
    for index, entry in enumerate(entries):
        if entry.id in first:
            earlier = first[entry.id]
            raise _error(document, (key, index, "id"), "a unique id",
                         f"{format_value(entry.id)}, already used by {key}[{earlier}] on line "
                         f"{document.line_of((key, earlier, 'id'))}")
        if entry.id in RESERVED_IDS:
            raise _error(document, (key, index, "id"), "an id other than " + _one_of(sorted(RESERVED_IDS)),
                         format_value(entry.id))
        first[entry.id] = index


def _check_sources(document: YamlDocument, loc: Loc, source_ids: list[str], known: set[str]) -> None:
    if not source_ids:
        raise _error(document, loc, f"at least one source id from {DATA_PREFIX}/sources.yml", "an empty list")
    for index, source_id in enumerate(source_ids):
        if source_id not in known:
            raise _error(document, loc + (index,), f"a source id defined in {DATA_PREFIX}/sources.yml",
                         format_value(source_id))


def _check_owner(document: YamlDocument, loc: Loc, owner: str) -> None:
    if owner not in OWNERS:
        raise _error(document, loc, _one_of(list(OWNERS)), format_value(owner))


def _re2_options() -> re2.Options:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # the error becomes a BuildError; RE2 would also print it to stderr
    return options


_RE2_OPTIONS = _re2_options()


def _compile(document: YamlDocument, loc: Loc, pattern: str) -> re2._Regexp:
    """A pattern from the data, compiled for RE2, whose matching time grows linearly with the text.

    Python's backtracking engine can take exponential time on a pattern such as '(a+)+$', which would
    hang the build on one note; RE2 has no such patterns, and refuses the features that need them.
    """
    try:
        return re2.compile(pattern, _RE2_OPTIONS)
    except re2.error as exc:
        refusal = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
    try:
        re.compile(pattern)  # Python's parser words syntax errors best (and is what most authors know)
    except re.error as exc:
        raise _error(document, loc, f"a valid regular expression ({exc.msg})", format_value(pattern)) from None
    except RecursionError:
        pass
    raise _error(document, loc, "a regular expression that runs in linear time: no look-around, back-references, "
                 f"atomic groups or possessive repeats, and at most 1000 repeats ({refusal})",
                 format_value(pattern)) from None


def load_sources(data_dir: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[DocSource, ...]:
    """Load sources.yml."""
    parsed, document = load_model(data_dir / "sources.yml", SourcesFile, f"{DATA_PREFIX}/sources.yml", limits)
    _check_unique_ids(document, "sources", parsed.sources)
    return tuple(DocSource(id=s.id, label=s.label, title=s.title, section=s.section, url=s.url, published=s.published)
                 for s in parsed.sources)


def load_categories(data_dir: Path, source_ids: set[str],
                    limits: Limits = DEFAULT_LIMITS) -> tuple[tuple[Category, ...], YamlDocument]:
    """Load categories.yml (its whitepaper examples are checked once services are known)."""
    parsed, document = load_model(data_dir / "categories.yml", CategoriesFile, f"{DATA_PREFIX}/categories.yml",
                                  limits)
    _check_unique_ids(document, "categories", parsed.categories)
    for index, entry in enumerate(parsed.categories):
        _check_sources(document, ("categories", index, "sources"), entry.sources, source_ids)
    categories = tuple(
        Category(id=c.id, title=c.title, short_title=c.short_title, summary=c.summary,
                 whitepaper_examples=tuple(c.whitepaper_examples), sources=tuple(c.sources))
        for c in parsed.categories
    )
    return categories, document


def load_layers(data_dir: Path, category_ids: list[str], source_ids: set[str],
                limits: Limits = DEFAULT_LIMITS) -> tuple[Layer, ...]:
    """Load layers.yml: one cell per category for every layer."""
    parsed, document = load_model(data_dir / "layers.yml", LayersFile, f"{DATA_PREFIX}/layers.yml", limits)
    _check_unique_ids(document, "layers", parsed.layers)
    layers = []
    for index, entry in enumerate(parsed.layers):
        loc: Loc = ("layers", index, "cells")
        for key in entry.cells:
            if key not in category_ids:
                raise _error(document, loc + (key,), _one_of(category_ids), format_value(key))
        missing = [c for c in category_ids if c not in entry.cells]
        if missing:
            raise _error(document, loc, "a cell for every category (missing " + ", ".join(map(repr, missing)) + ")",
                         "cells for " + (", ".join(map(repr, entry.cells)) or "no category"))
        cells = []
        for category_id in category_ids:
            cell = entry.cells[category_id]
            _check_owner(document, loc + (category_id, "owner"), cell.owner)
            _check_sources(document, loc + (category_id, "sources"), cell.sources, source_ids)
            cells.append(Cell(layer=entry.id, category=category_id, owner=cell.owner,  # type: ignore[arg-type]
                              explanation=cell.explanation, sources=tuple(cell.sources), note=cell.note))
        layers.append(Layer(id=entry.id, title=entry.title, description=entry.description,
                            aliases=tuple(entry.aliases), cells=tuple(cells)))
    return tuple(layers)


def load_services(data_dir: Path, categories: tuple[Category, ...], layer_ids: set[str],
                  source_ids: set[str], limits: Limits = DEFAULT_LIMITS) -> tuple[Service, ...]:
    """Load services.yml: each service in exactly one category, overrides naming known layers.

    A service the 2016 whitepaper does not list must say why it sits in its category (judgement_call).
    """
    category_ids = [c.id for c in categories]
    whitepaper_listed = {service_id for c in categories for service_id in c.whitepaper_examples}
    parsed, document = load_model(data_dir / "services.yml", ServicesFile, f"{DATA_PREFIX}/services.yml", limits)
    seen: dict[str, int] = {}
    alias_owner: dict[str, int] = {}
    services = []
    for index, entry in enumerate(parsed.services):
        if entry.category not in category_ids:
            raise _error(document, ("services", index, "category"), _one_of(category_ids), format_value(entry.category))
        if entry.id in seen:
            earlier = parsed.services[seen[entry.id]]
            where = f"services[{seen[entry.id]}], line {document.line_of(('services', seen[entry.id], 'id'))}"
            if earlier.category != entry.category:
                raise _error(document, ("services", index, "category"),
                             f"one category per service ({entry.id!r} is already {earlier.category!r} at {where})",
                             format_value(entry.category))
            raise _error(document, ("services", index, "id"), "a unique id",
                         f"{format_value(entry.id)}, already used by {where}")
        if entry.id in RESERVED_IDS:
            raise _error(document, ("services", index, "id"), "an id other than " + _one_of(sorted(RESERVED_IDS)),
                         format_value(entry.id))
        seen[entry.id] = index
        for alias_index, alias in enumerate(entry.aliases):
            other = alias_owner.get(alias.casefold())
            if other is not None and other != index:
                raise _error(document, ("services", index, "aliases", alias_index),
                             f"an alias no other service uses (services[{other}] {parsed.services[other].id!r} has it)",
                             format_value(alias))
            alias_owner[alias.casefold()] = index
        if entry.judgement_call is None and entry.id not in whitepaper_listed:
            raise _error(document, ("services", index), "a judgement_call saying why the service is "
                         f"{entry.category!r} (the 2016 whitepaper does not classify it)", "none")
        _check_sources(document, ("services", index, "sources"), entry.sources, source_ids)
        overridden: set[str] = set()
        overrides = []
        for o_index, override in enumerate(entry.overrides):
            loc: Loc = ("services", index, "overrides", o_index)
            if override.layer not in layer_ids:
                raise _error(document, loc + ("layer",), f"a layer id defined in {DATA_PREFIX}/layers.yml",
                             format_value(override.layer))
            if override.layer in overridden:
                raise _error(document, loc + ("layer",), "each layer overridden at most once per service",
                             f"{format_value(override.layer)} again")
            overridden.add(override.layer)
            _check_owner(document, loc + ("owner",), override.owner)
            _check_sources(document, loc + ("sources",), override.sources, source_ids)
            overrides.append(Override(layer=override.layer, owner=override.owner,  # type: ignore[arg-type]
                                      explanation=override.explanation, sources=tuple(override.sources),
                                      note=override.note))
        services.append(Service(id=entry.id, name=entry.name, category=entry.category,
                                aliases=tuple(entry.aliases), sources=tuple(entry.sources),
                                overrides=tuple(overrides), judgement_call=entry.judgement_call))
    return tuple(services)


def check_whitepaper_examples(document: YamlDocument, categories: tuple[Category, ...],
                              services: tuple[Service, ...]) -> None:
    """Whitepaper examples must be services of their category; every other service needs a judgement_call."""
    category_of = {s.id: s.category for s in services}
    for index, category in enumerate(categories):
        for e_index, service_id in enumerate(category.whitepaper_examples):
            if category_of.get(service_id) != category.id:
                raise _error(document, ("categories", index, "whitepaper_examples", e_index),
                             f"a service id from {DATA_PREFIX}/services.yml in category {category.id!r}",
                             format_value(service_id))


def load_rules(data_dir: Path, categories: tuple[Category, ...], layers: tuple[Layer, ...],
               services: tuple[Service, ...], limits: Limits = DEFAULT_LIMITS) -> tuple[Rule, ...]:
    """Load contradictions.yml and compile its patterns."""
    parsed, document = load_model(data_dir / "contradictions.yml", RulesFile, f"{DATA_PREFIX}/contradictions.yml",
                                  limits)
    _check_unique_ids(document, "rules", parsed.rules)
    targets = {
        "service": ({s.id for s in services}, lambda i: (service_page(i), None)),
        "category": ({c.id for c in categories}, lambda i: (category_page(i), None)),
        "layer": ({layer.id for layer in layers}, lambda i: (WHO_OWNS_PAGE, i)),
    }
    fixed_pages = [OVERVIEW_PAGE, WHO_OWNS_PAGE, SERVICES_INDEX]
    rules = []
    for index, entry in enumerate(parsed.rules):
        loc: Loc = ("rules", index)
        owner_claim = None
        if entry.owner_claim is not None:
            owner_claim = _owner_claim(document, loc + ("owner_claim",), entry.owner_claim, layers)
            if entry.link is not None:
                raise _error(document, loc + ("link",), "no link for an owner claim (it links to the layer it "
                             "finds)", "a link")
        elif entry.link is None:
            raise _error(document, loc + ("link",), "exactly one of 'service', 'category', 'layer', 'page'",
                         "no link")
        chosen = ({k: v for k, v in entry.link.model_dump().items() if v is not None} if entry.link
                  else {"page": WHO_OWNS_PAGE})
        if len(chosen) != 1:
            raise _error(document, loc + ("link",), "exactly one of 'service', 'category', 'layer', 'page'",
                         "keys " + ", ".join(map(repr, chosen)) if chosen else "no key")
        (kind, target), = chosen.items()
        if kind == "page":
            if target not in fixed_pages:
                raise _error(document, loc + ("link", "page"), _one_of(fixed_pages), format_value(target))
            page, anchor = target, None
        else:
            known, locate = targets[kind]
            if target not in known:
                raise _error(document, loc + ("link", kind), f"a {kind} id defined in {DATA_PREFIX}/{kind}s.yml"
                             if kind != "layer" else f"a layer id defined in {DATA_PREFIX}/layers.yml",
                             format_value(target))
            page, anchor = locate(target)
        if entry.scope == "block" and not entry.patterns:
            raise _error(document, loc + ("patterns",), "at least one pattern for a block rule", "an empty list")
        if entry.scope == "block" and entry.heading:
            raise _error(document, loc + ("heading",), "no heading patterns for a block rule (use scope: section)",
                         "a list")
        if entry.scope == "section" and not entry.heading:
            raise _error(document, loc + ("heading",), "at least one heading pattern for a section rule",
                         "an empty list")
        if entry.scope == "section" and not entry.patterns and not entry.absent:
            raise _error(document, loc + ("absent",), "patterns or absent patterns for a section rule",
                         "neither")
        if entry.kind not in NOTICE_KINDS:
            raise _error(document, loc + ("kind",), _one_of(list(NOTICE_KINDS)), format_value(entry.kind))
        for k_index, kind_name in enumerate(entry.kinds):
            if kind_name not in _BLOCK_KINDS:
                raise _error(document, loc + ("kinds", k_index), _one_of(list(_BLOCK_KINDS)), format_value(kind_name))
        compiled = {
            key: tuple(_compile(document, loc + (key, i), p) for i, p in enumerate(getattr(entry, key)))
            for key in ("heading", "patterns", "absent")
        }
        if owner_claim is not None and entry.scope != "block":
            raise _error(document, loc + ("scope",), "'block' for an owner claim", format_value(entry.scope))
        rules.append(Rule(id=entry.id, scope=entry.scope, heading=compiled["heading"], patterns=compiled["patterns"],
                          absent=compiled["absent"], kinds=tuple(entry.kinds), message=entry.message,
                          page=page, anchor=anchor, kind=entry.kind, by_sentence=owner_claim is not None,
                          owner_claim=owner_claim))
    return tuple(rules)


def _owner_claim(document: YamlDocument, loc: Loc, entry: OwnerClaimEntry, layers: tuple[Layer, ...]) -> OwnerClaim:
    """An owner claim's owner and the terms of each layer it checks, every layer id one of layers.yml's."""
    _check_owner(document, loc + ("owner",), entry.owner)
    layer_ids = [layer.id for layer in layers]
    if not entry.layers:
        raise _error(document, loc + ("layers",), "at least one layer id with the terms that name it", "none")
    checked = []
    for layer_id, terms in entry.layers.items():
        if layer_id not in layer_ids:
            raise _error(document, loc + ("layers", layer_id), f"a layer id defined in {DATA_PREFIX}/layers.yml",
                         format_value(layer_id))
        if not terms:
            raise _error(document, loc + ("layers", layer_id), "at least one term", "an empty list")
        checked.append((layer_id, tuple(_compile(document, loc + ("layers", layer_id, i), term)
                                        for i, term in enumerate(terms))))
    return OwnerClaim(owner=entry.owner, layers=tuple(checked))  # type: ignore[arg-type]


def load_claims(file: Path, taken: dict[str, str], limits: Limits = DEFAULT_LIMITS) -> tuple[Rule, ...]:
    """Load data/claims.yml, refusing ids the matrix rules (`taken`: id -> file) already use."""
    parsed, document = load_model(file, ClaimsFile, CLAIMS_FILE, limits)
    _check_unique_ids(document, "claims", parsed.claims)
    claims = []
    for index, entry in enumerate(parsed.claims):
        loc: Loc = ("claims", index)
        if entry.id in taken:
            raise _error(document, loc + ("id",), f"an id no rule in {taken[entry.id]} uses", format_value(entry.id))
        if entry.kind not in CLAIM_KINDS:
            raise _error(document, loc + ("kind",), _one_of(list(CLAIM_KINDS)), format_value(entry.kind))
        if not entry.patterns:
            raise _error(document, loc + ("patterns",), "at least one pattern", "an empty list")
        for g_index, guard in enumerate(entry.guards):
            if guard not in CLAIM_GUARDS:
                raise _error(document, loc + ("guards", g_index), _one_of(list(CLAIM_GUARDS)), format_value(guard))
        for k_index, kind_name in enumerate(entry.kinds):
            if kind_name not in _BLOCK_KINDS:
                raise _error(document, loc + ("kinds", k_index), _one_of(list(_BLOCK_KINDS)), format_value(kind_name))
        compiled = {key: tuple(_compile(document, loc + (key, i), p) for i, p in enumerate(getattr(entry, key)))
                    for key in ("patterns", "absent")}
        source = ClaimSource(title=entry.source.title, url=entry.source.url, checked=entry.source.checked)
        claims.append(Rule(id=entry.id, scope="block", heading=(), patterns=compiled["patterns"],
                           absent=compiled["absent"], kinds=tuple(entry.kinds), message=entry.right, page="",
                           anchor=None, kind=entry.kind, by_sentence=True,
                           negation_guard="negation" in entry.guards, source=source))
    return tuple(claims)


def load_matrix(data_dir: Path, limits: Limits = DEFAULT_LIMITS) -> Matrix:
    """Load and cross-check data/matrix/ (pass the project's data/ folder or data/matrix/ itself)."""
    folder = data_dir / "matrix" if (data_dir / "matrix").is_dir() else data_dir
    sources = load_sources(folder, limits)
    source_ids = {s.id for s in sources}
    categories, categories_document = load_categories(folder, source_ids, limits)
    category_ids = [c.id for c in categories]
    layers = load_layers(folder, category_ids, source_ids, limits)
    services = load_services(folder, categories, {layer.id for layer in layers}, source_ids, limits)
    check_whitepaper_examples(categories_document, categories, services)
    rules = (load_rules(folder, categories, layers, services, limits)
             if os.path.lexists(folder / "contradictions.yml") else ())
    # data/claims.yml sits beside the matrix folder: it is read when the project's data/ folder is given.
    if folder != data_dir and os.path.lexists(data_dir / "claims.yml"):
        rules += load_claims(data_dir / "claims.yml", {rule.id: f"{DATA_PREFIX}/contradictions.yml" for rule in rules},
                             limits)
    return Matrix(sources=sources, categories=categories, layers=layers, services=services, rules=rules)
