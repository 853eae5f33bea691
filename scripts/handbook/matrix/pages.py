"""Where the matrix pages live (relative to docs/handbook/) and the keys of the mentions map."""

from __future__ import annotations

from ..paths import MATRIX_DIR, SERVICES_DIR

OVERVIEW_PAGE = f"{MATRIX_DIR}/index.md"
WHO_OWNS_PAGE = f"{MATRIX_DIR}/who-owns.md"
MATRIX_SUMMARY = f"{MATRIX_DIR}/SUMMARY.md"
SERVICES_INDEX = f"{SERVICES_DIR}/index.md"
SERVICES_SUMMARY = f"{SERVICES_DIR}/SUMMARY.md"

# Category and service pages share folders with these, so their ids may not take the names.
RESERVED_IDS = frozenset({"index", "who-owns", "summary"})


def category_page(category_id: str) -> str:
    """The page of one category."""
    return f"{MATRIX_DIR}/{category_id}.md"


def service_page(service_id: str) -> str:
    """The page of one service."""
    return f"{SERVICES_DIR}/{service_id}.md"


def service_key(service_id: str) -> str:
    """The mentions-map key for a service: 'service:<id>'."""
    return f"service:{service_id}"


def layer_key(layer_id: str) -> str:
    """The mentions-map key for a layer: 'layer:<id>'."""
    return f"layer:{layer_id}"


def category_key(category_id: str) -> str:
    """The mentions-map key for a category: 'category:<id>'."""
    return f"category:{category_id}"
