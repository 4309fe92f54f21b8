"""Amounts as every report shows them: revenue and costs, the net always derived, in exact
kronor, and as JSON with kronor as strings and tkr beside them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from services.reporting.reports.shared.formatting import format_kronor, format_tkr


@dataclass(frozen=True)
class Amounts:
    revenue: Decimal
    costs: Decimal

    @property
    def net(self) -> Decimal:
        # Always derived: printed nets in source documents are sometimes inconsistent.
        return self.revenue + self.costs

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(self.revenue + other.revenue, self.costs + other.costs)

    def __sub__(self, other: Amounts) -> Amounts:
        return Amounts(self.revenue - other.revenue, self.costs - other.costs)


# Constrained: each sum is of one kind, amounts or plain kronor.
Summed = TypeVar("Summed", Amounts, Decimal)


def total_of(values: Sequence[Summed]) -> Summed | None:
    """The sum of ``values``; None for none (no figure, rather than a zero one)."""
    if not values:
        return None
    total = values[0]
    for value in values[1:]:
        total = total + value
    return total


def amounts_json(amounts: Amounts) -> dict[str, Any]:
    parts = {"revenue": amounts.revenue, "costs": amounts.costs, "net": amounts.net}
    return {
        **{name: format_kronor(value) for name, value in parts.items()},
        "tkr": {name: format_tkr(value) for name, value in parts.items()},
    }


def sourced_amounts_json(source: str, value: Amounts, difference: Amounts | None) -> dict[str, Any]:
    """A node's figure as JSON: whether its own or rolled up, its amounts, and its own minus
    its children's where they differ."""
    return {
        "source": source,
        **amounts_json(value),
        "difference": None if difference is None else amounts_json(difference),
    }
