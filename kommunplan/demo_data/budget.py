"""The demo's budget as the code around it reads it: the units and the printed tables, in tkr,
of budget.jsonl beside this module (read and validated by kommunplan.demo_data)."""

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from contracts.budget.commands import RegisterUnit, SetFigures
from contracts.budget.fields import FigureKind, FigureStatus
from contracts.budget.service import BUDGET
from contracts.envelope import Command
from kommunplan.demo_data import commands

TKR = 1000
"""Kronor in one tkr; the seed prints every amount in tkr."""


@dataclass(frozen=True)
class Unit:
    code: str
    parent_code: str | None


Column = tuple[int, FigureKind, FigureStatus]
"""A column of the printed tables, "Budget 2010", "Bokslut 2010", "Plan 2012" ...: its year,
kind and status."""


@dataclass(frozen=True)
class Table:
    """A unit's printed table: its (column, revenue, costs) in tkr."""

    unit_code: str
    columns: tuple[tuple[Column, int, int], ...]

    def cells(self) -> Iterator[tuple[Column, int, int, int]]:
        """(column, revenue, costs, net) for each column, in tkr."""
        return ((column, r, c, r + c) for column, r, c in self.columns)


BUDGET_2011: Column = (2011, FigureKind.BUDGET, FigureStatus.ADOPTED)


def kronor(tkr: int) -> Decimal:
    """Exact kronor from an amount printed in tkr."""
    return Decimal(tkr * TKR)


def unit_commands() -> list[Command]:
    """The tree: every unit registered, parents first."""
    return [c for c in commands(BUDGET) if isinstance(c, RegisterUnit)]


def _tables() -> tuple[Table, ...]:
    cells: dict[str, list[tuple[Column, int, int]]] = {}
    for figures in commands(BUDGET):
        if isinstance(figures, SetFigures):
            column = (figures.year, figures.kind, figures.status)
            revenue, costs = (int(amount / TKR) for amount in (figures.revenue, figures.costs))
            cells.setdefault(figures.unit_code, []).append((column, revenue, costs))
    return tuple(Table(code, tuple(columns)) for code, columns in cells.items())


UNITS = tuple(
    Unit(c.unit_code, c.parent_code) for c in unit_commands() if isinstance(c, RegisterUnit)
)
TABLES = _tables()
