"""The small named rule record shared by every normalisation step that is one function."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Generic, TypeVar

from .registry import RepairRule

F = TypeVar("F", bound=Callable)


@dataclass(frozen=True)
class Rule(Generic[F]):
    """One normalisation rule: the registered repair rule it logs under and the function that applies it."""

    repair: RepairRule
    apply: F

    @property
    def id(self) -> str:
        """The rule's stable kebab-case id, as the repair log shows it."""
        return self.repair.id

    @property
    def doc(self) -> str:
        """The rule's one-line description (its function's docstring)."""
        return (self.apply.__doc__ or "").strip()


def rule(repair: RepairRule) -> Callable[[F], Rule[F]]:
    """Decorator that turns a documented function into the Rule of a registered repair rule."""

    def wrap(function: F) -> Rule[F]:
        return Rule(repair, function)

    return wrap
