"""The normalise stage: turns each raw note into clean Markdown and records every repair it made."""

from __future__ import annotations

from .join import LIST_SEPARATOR, ListKinds
from .join import join_rendered as join_blocks
from .obsidian.block_ids import BLOCK_ID_RULE
from .context import NormaliseContext, load_context
from .log import Finding
from .parallel import normalise_all, worker_count
from .pipeline import find_suspicious_words, normalise_note, normalise_text, normalise_with_findings
from .text import decode_note_bytes

__all__ = [
    "BLOCK_ID_RULE",
    "LIST_SEPARATOR",
    "ListKinds",
    "Finding",
    "NormaliseContext",
    "decode_note_bytes",
    "find_suspicious_words",
    "join_blocks",
    "load_context",
    "normalise_all",
    "normalise_note",
    "normalise_text",
    "normalise_with_findings",
    "worker_count",
]
