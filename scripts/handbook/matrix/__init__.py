"""The responsibility matrix: YAML data -> validated Matrix -> Markdown pages, exports and contradiction checks."""

from .contradictions import (
    Contradiction, claim_json, contradiction_admonition, contradiction_report, find_contradictions, shown_pages,
)
from .exports import matrix_exports
from .loader import load_matrix
from .mentions import find_subjects, find_subjects_in, subject_target
from .model import Category, Cell, DocSource, Layer, Matrix, Override, Rule, Service, ServiceCell
from .render import GENERATED_COMMENT, Mention, render_matrix_pages

__all__ = [
    "Category", "Cell", "Contradiction", "DocSource", "GENERATED_COMMENT", "Layer", "Matrix", "Mention",
    "Override", "Rule", "Service", "ServiceCell", "claim_json", "contradiction_admonition", "contradiction_report",
    "find_contradictions", "find_subjects", "find_subjects_in", "load_matrix", "matrix_exports", "render_matrix_pages",
    "shown_pages", "subject_target",
]
