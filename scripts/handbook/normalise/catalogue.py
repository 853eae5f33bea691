"""What each repair rule does, by the id the build report and the note pages show for it (see registry.py)."""

from __future__ import annotations

from .registry import REGISTRY

REPAIR_RULES: dict[str, str] = {rule_id: REGISTRY[rule_id].description for rule_id in sorted(REGISTRY)}
