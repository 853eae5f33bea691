"""Memo: what normalise remembers about text that copies of notes repeat, within a fixed budget."""

from __future__ import annotations


class Memo(dict):
    """Remembered results, at most `limit` in weight (one per entry unless told, e.g. its characters).

    When the next entry would not fit, everything is forgotten and remembering starts again: copies
    of a note come in runs, so keeping the most recent entries would save little over starting again.
    """

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.weight = 0

    def remember(self, key, value, weight: int = 1):
        """Keep `value` under a key not yet remembered, and return it."""
        if self.weight + weight > self.limit:
            self.clear()
        self[key] = value
        self.weight += weight
        return value

    def clear(self) -> None:
        super().clear()
        self.weight = 0
