"""The small named rule record shared by every normalisation step."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Generic, TypeVar

F = TypeVar("F", bound=Callable)


@dataclass(frozen=True)
class Rule(Generic[F]):
    """One named normalisation rule: a stable kebab-case id and the function that applies it."""

    id: str
    apply: F

    @property
    def doc(self) -> str:
        """The rule's one-line description (its function's docstring)."""
        return (self.apply.__doc__ or "").strip()


def rule(rule_id: str) -> Callable[[F], Rule[F]]:
    """Decorator that turns a documented function into a named Rule."""

    def wrap(function: F) -> Rule[F]:
        return Rule(rule_id, function)

    return wrap
