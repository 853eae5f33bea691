"""Machine-readable exports of the matrix (JSON and CSV) for other tools and wikis."""

from __future__ import annotations

import csv
import io
import json

from .model import Matrix

SCHEMA_VERSION = 1
CSV_COLUMNS = ("kind", "layer", "category", "service", "owner", "explanation", "note", "sources")


def matrix_document(matrix: Matrix) -> dict:
    """The whole matrix as plain JSON-ready data, in data order."""
    return {
        "schema_version": SCHEMA_VERSION,
        "categories": [
            {"id": c.id, "title": c.title, "summary": c.summary,
             "whitepaper_examples": list(c.whitepaper_examples), "sources": list(c.sources)}
            for c in matrix.categories
        ],
        "layers": [
            {
                "id": layer.id, "title": layer.title, "description": layer.description,
                "owners": {
                    cell.category: {"owner": cell.owner, "explanation": cell.explanation,
                                    "note": cell.note, "sources": list(cell.sources)}
                    for cell in layer.cells
                },
            }
            for layer in matrix.layers
        ],
        "services": [
            {
                "id": s.id, "name": s.name, "category": s.category, "aliases": list(s.aliases),
                "judgement_call": s.judgement_call, "sources": list(s.sources),
                "overrides": [
                    {"layer": o.layer, "owner": o.owner, "explanation": o.explanation,
                     "note": o.note, "sources": list(o.sources)}
                    for o in s.overrides
                ],
            }
            for s in matrix.services
        ],
        "sources": [
            {"id": s.id, "label": s.label, "title": s.title, "section": s.section, "url": s.url,
             "published": s.published}
            for s in matrix.sources
        ],
    }


def matrix_csv(matrix: Matrix) -> str:
    """One row per layer x category cell, then one per service override."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for layer in matrix.layers:
        for cell in layer.cells:
            writer.writerow(("cell", layer.id, cell.category, "", cell.owner, cell.explanation,
                             cell.note or "", " ".join(cell.sources)))
    for service in matrix.services:
        for o in service.overrides:
            writer.writerow(("override", o.layer, service.category, service.id, o.owner, o.explanation,
                             o.note or "", " ".join(o.sources)))
    return buffer.getvalue()


def matrix_exports(matrix: Matrix) -> dict[str, str]:
    """{'matrix.json': ..., 'matrix.csv': ...}: deterministic, sorted keys, trailing newline."""
    as_json = json.dumps(matrix_document(matrix), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return {"matrix.json": as_json, "matrix.csv": matrix_csv(matrix)}
