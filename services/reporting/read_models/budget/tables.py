"""The budget's read-model tables, each declared once by the row its readers read."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from plumbing.read_model_tables import EVENT_ID, Column, Ord, Sql, Table

# Whether a row was sent by an example-data actor (ServiceSettings); the tables of actuals
# and forecasts gained it later, so older generations get it with its default.
ExampleData = Annotated[bool, Sql(default="false")]


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    kind: str  # 'board' | 'administration' | 'unit'
    parent_code: str | None
    manager_title: str | None
    manager_name: str | None
    closed_on: date | None
    order: Ord  # registration order, for stable sorting
    opened_on: date | None = None  # from when the registration was in force; last, as added


@dataclass(frozen=True)
class UnitName:
    """A unit as a list of goals names it."""

    code: str
    name: str


@dataclass(frozen=True)
class UnitNode(UnitName):
    """A unit as the project register places it in the tree."""

    parent_code: str | None
    order: int


@dataclass(frozen=True)
class FigureRow:
    unit_code: str
    year: int
    kind: str  # 'budget' | 'plan' | 'actuals'
    status: str
    revenue: Decimal
    costs: Decimal
    decision: str | None
    # The net its sender states with it; added later, so older generations get NULL: none.
    stated_net: Annotated[Decimal | None, Sql(default="NULL")] = None
    # The event's stream sequence: of two versions recorded in the same transaction (at the
    # same moment) the later sent is the later version. Added later: older rows have none.
    order: Annotated[int | None, Sql("bigint", name="ord", default="NULL")] = None


@dataclass(frozen=True)
class NoteRow:
    """A note on a unit's table (contracts.budget.notes), with who sent it."""

    unit_code: str
    year: int
    note_id: str
    table: Annotated[str, Sql(name="note_table")]  # 'figures' | 'net_investments'
    kind: str | None  # the column's kind; None: the whole table of the plan year
    line: str | None  # 'revenue' | 'costs' | 'net'; None: the column
    text: str
    actor: str
    actor_name: str | None
    source_system: str
    order: Ord  # when it was (last) attached, for numbering in that order


@dataclass(frozen=True)
class FrameChangeRow:
    unit_code: str
    year: int
    amount: Decimal
    reasons: str
    decision: str | None
    order: Ord


@dataclass(frozen=True)
class NetInvestmentRow:
    unit_code: str
    year: int
    kind: str
    amount: Decimal


@dataclass(frozen=True)
class NarrativeRow:
    unit_code: str
    year: int
    section: str  # 'activity_description' | 'activity_changes', or a report's text
    text: str


@dataclass(frozen=True)
class ShareRow:
    """The project office's revenue from a project for a year, and the project's budget it
    is a share of."""

    unit_code: str
    year: int
    project_code: str
    project_budget: Decimal
    revenue: Decimal


@dataclass(frozen=True)
class ProjectShareRow:
    """The project office's revenue from a project it runs, for a year: added to its
    budget's revenue, and listed on its own."""

    unit_code: str
    year: int
    project_code: str
    revenue: Decimal


@dataclass(frozen=True)
class MonthRow:
    """Actuals booked for a month, or a full-year forecast made in it."""

    unit_code: str
    period: str  # YYYY-MM
    revenue: Decimal
    costs: Decimal
    example_data: ExampleData = False


@dataclass(frozen=True)
class CommentRow:
    unit_code: str
    period: str
    comment: str
    measures: str | None
    example_data: bool = False


@dataclass(frozen=True)
class ReadyRow:
    """Whether a unit's follow-up is marked ready for its parent unit: the latest marking
    or reopening, who did it and when."""

    unit_code: str
    report: str  # 'month_report' | 'interim_report' | 'annual_report'
    period: str  # YYYY-MM for a month report, else the year
    state: str  # 'ready' | 'reopened'
    actor: str
    actor_name: str | None
    marked_at: datetime


SUMMARY = Column("summary", "text")  # the row as the history shows it
EXAMPLE_DATA = Column("example_data", "boolean")


def _latest_per_unit(name: str, when: Column, *columns: Column) -> Table[Any]:
    """A table of what a unit sent for a period or a year (``when``), the latest: keyed by
    the unit and ``when``, with its summary for the history and whether it is example data.
    No row type reads it whole."""
    return Table(
        name,
        None,
        key=("unit_code", when.name),
        first=(Column("unit_code", "text"), when, *columns, SUMMARY, EXAMPLE_DATA),
    )


UNITS = Table(
    "units",
    UnitRow,
    key=("code",),
    added=("opened_on",),
)

# A figure per status: the proposed, the adopted and the revised budget of a year are kept
# side by side. A generation made when a later status replaced an earlier one loses that
# key here; a rebuild brings the replaced versions back.
FIGURES = Table(
    "figures",
    FigureRow,
    upgrades=(
        "ALTER TABLE figures DROP CONSTRAINT IF EXISTS figures_pkey;",
        "CREATE UNIQUE INDEX IF NOT EXISTS figures_version"
        " ON figures (unit_code, year, kind, status);",
    ),
)
NOTES = Table("table_notes", NoteRow, key=("unit_code", "year", "note_id"))
FRAME_CHANGES = Table("frame_changes", FrameChangeRow, key=("event_id",), first=(EVENT_ID,))
NET_INVESTMENTS = Table("net_investments", NetInvestmentRow, key=("unit_code", "year", "kind"))
NARRATIVES = Table("narratives", NarrativeRow, key=("unit_code", "year", "section"))
READY_MARKS = Table("ready_marks", ReadyRow, key=("unit_code", "report", "period"))
ACTUALS = Table("actuals", MonthRow, key=("unit_code", "period"))
FORECASTS = Table("forecasts", MonthRow, key=("unit_code", "period"))
# The project office's revenue from each project it runs, per year: the latest share.
PROJECT_SHARES = Table(
    "project_shares", ShareRow, key=("unit_code", "year", "project_code"), last=(EVENT_ID,)
)
# The event that caused one the history lists, where another service's event did.
CAUSED_BY: Table[Any] = Table(
    "caused_by",
    None,
    key=("event_id",),
    first=(EVENT_ID, Column("causation_id", "uuid")),
    versioned=False,
)
# A unit's comment and measures for a month: the latest.
MONTH_COMMENTS = _latest_per_unit(
    "month_comments",
    Column("period", "text"),
    Column("comment", "text"),
    Column("measures", "text", nullable=True),
)
# A numeric column per month (unnest cannot carry an array per row): percent_01 … percent_12.
PROFILE_COLUMNS = tuple(f"percent_{month:02d}" for month in range(1, 13))
# How a unit's budget for a year is spread over its months, percent per month: the latest.
BUDGET_PROFILES = _latest_per_unit(
    "budget_profiles",
    Column("year", "integer"),
    *(Column(name, "numeric") for name in PROFILE_COLUMNS),
)
