"""The plan's view: its columns and, per node of the tree, its figures."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Generic, Literal, TypeVar

from services.reporting.read_models.budget.tables import (
    FrameChangeRow,
)
from services.reporting.reports.goals.section import (
    GoalsSection,
)
from services.reporting.reports.projects.section import (
    ProjectsSection,
)
from services.reporting.reports.shared.amounts import Amounts
from services.reporting.reports.shared.tree_walk import WalkedNode

# --- the view -----------------------------------------------------------------------------


Source = Literal["own", "rolled_up"]
V = TypeVar("V", Amounts, Decimal)


@dataclass(frozen=True)
class Cell(Generic[V]):
    """What one node shows in one column. A column with nothing at or below is None."""

    value: V
    source: Source
    difference: V | None = None  # own minus children, only when both exist and differ
    status: str | None = None  # of the own figure: proposed / adopted / revised
    decision: str | None = None  # of the own figure
    # The part of the revenue that is the project office's shares of project budgets: its
    # own, or rolled up from below; None where the value has none.
    project_shares: Decimal | None = None
    # The net the sender stated with the own figure, and the stated net minus revenue plus
    # costs where they differ (the unit's own reconciliation, beside ``difference``).
    stated_net: Decimal | None = None
    stated_difference: Decimal | None = None


@dataclass(frozen=True)
class Column:
    label: str  # "Budget 2010", "Bokslut 2010", ...
    kind: str
    year: int


# (Swedish label, figure kind, offset from the budget year): the seed's five columns.
_COLUMNS = (
    ("Budget", "budget", -1),
    ("Bokslut", "actuals", -1),
    ("Budget", "budget", 0),
    ("Plan", "plan", 1),
    ("Plan", "plan", 2),
)


def plan_columns(year: int) -> tuple[Column, ...]:
    return tuple(
        Column(f"{label} {year + shift}", kind, year + shift) for label, kind, shift in _COLUMNS
    )


@dataclass(frozen=True)
class NoteView:
    """A note a sender attached to a unit's table, numbered through the plan."""

    number: int
    note_id: str
    table: str  # 'figures' | 'net_investments'
    column: int | None  # index into PlanView.columns; None: the whole table
    line: str | None  # 'revenue' | 'costs' | 'net' of the column; None: the column
    text: str
    sender: str  # who sent it, in words (shared.senders.sender_in_words)


@dataclass(frozen=True)
class FrameCheck:
    """A unit's frame changes of the budget year against the change of its net budget.

    ``total``: its own changes, or where it has none, its units' totals (``from_below``);
    ``growth``: how much the frame grew, Budget Y−1's net minus Budget Y's, each the net
    its sender stated where one was."""

    total: Decimal
    growth: Decimal
    from_below: bool

    @property
    def difference(self) -> Decimal | None:
        return None if self.total == self.growth else self.total - self.growth


@dataclass(frozen=True)
class NodeView(WalkedNode):
    closed_on: date | None
    figures: tuple[Cell[Amounts] | None, ...]  # aligned with PlanView.columns
    net_investments: tuple[Cell[Decimal] | None, ...]  # aligned with PlanView.columns
    frame_changes: tuple[FrameChangeRow, ...]  # of the budget year, in order
    activity_description: str | None
    activity_changes: str | None
    # Per column: nothing is shown, but a draft is recorded at or below that the reader may
    # not see ("ej beslutat, visas inte" rather than an empty cell). Empty: none withheld.
    drafts_not_shown: tuple[bool, ...] = ()
    notes: tuple[NoteView, ...] = ()  # in number order
    # The sum of the budget year's frame changes here or below (FrameCheck.total); None: not
    # known for every unit below that has a budget.
    frame_changes_total: Decimal | None = None
    frame_check: FrameCheck | None = None

    def notes_of(self, table: str) -> tuple[NoteView, ...]:
        return tuple(note for note in self.notes if note.table == table)

    def note_marks(self, table: str, column: int | None, line: str | None = None) -> list[int]:
        """The numbers a heading (``line`` None) or a figure of ``table`` carries."""
        return [
            n.number
            for n in self.notes
            if n.table == table and n.column == column and n.line == line
        ]

    @property
    def has_stated_difference(self) -> bool:
        return any(c is not None and c.stated_difference is not None for c in self.figures)

    @property
    def has_difference(self) -> bool:
        return any(cell is not None and cell.difference is not None for cell in self.figures)

    @property
    def has_investment_difference(self) -> bool:
        return any(c is not None and c.difference is not None for c in self.net_investments)

    @property
    def has_net_investments(self) -> bool:
        return any(cell is not None for cell in self.net_investments)


# The statuses of a budget as the cover says them.
STATUS_NAMES = {"proposed": "Förslag", "adopted": "Beslutad", "revised": "Reviderad"}
_DATE = re.compile(r"(?<![0-9])([0-9]{4}-[0-9]{2}-[0-9]{2})(?![0-9])")


@dataclass(frozen=True)
class Cover:
    """What the plan's first page says of it besides its title: the status of the root's own
    budget of the budget year and the decision that figure carries, dated as that decision is
    (a decision reference names its day: "KS 2010-11-24 § 228")."""

    status: str  # proposed / adopted / revised
    decision: str | None

    @property
    def status_name(self) -> str:
        return STATUS_NAMES.get(self.status, self.status)

    @property
    def dated(self) -> date | None:
        if self.decision is None:
            return None
        found = _DATE.search(self.decision)
        if found is None:
            return None
        try:
            return date.fromisoformat(found.group(1))
        except ValueError:
            return None


@dataclass(frozen=True)
class PlanView:
    year: int  # the budget year Y
    columns: tuple[Column, ...]
    nodes: tuple[NodeView, ...]  # the requested node first, then depth-first
    parked: int = 0
    goals: GoalsSection | None = None  # "Nämndens resultatmål och åtaganden"
    projects: ProjectsSection | None = None  # "… pågående alternativt nya projekt"
    latest_actuals: str | None = None  # the year's latest month with actuals, YYYY-MM
    per: datetime | None = None  # the moment the figures were read as of; None: now
    version: str | None = None  # the budget version shown, as ?version= names it; None: latest
    cover: Cover | None = None  # the plan's date, status and decision; None: no own budget

    @property
    def follow_up_period(self) -> str:
        """The month the plan's month report link opens: the latest with actuals, or January."""
        return self.latest_actuals or f"{self.year:04d}-01"

    @property
    def root(self) -> NodeView:
        return self.nodes[0]

    @property
    def title(self) -> str:
        return f"Planering med budget {self.year}–{self.year + 2} för {self.root.name}"
