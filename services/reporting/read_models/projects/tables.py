"""The projects' read-model tables, each declared once by the row its readers read. Every
table is named project_* (but the register itself) so that none shadows another source's on
a shared search path; the organisation tree is the budget's, the result goals the goals'."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from plumbing.read_model_tables import EVENT_ID, Ord, Table
from services.reporting.read_models.budget.tables import ShareRow, UnitNode
from services.reporting.read_models.goals.tables import GoalsInput
from services.reporting.read_models.senders import SenderRow


@dataclass(frozen=True)
class ProjectRow:
    project_code: str
    name: str
    board_code: str
    unit_code: str
    run_by_project_office: bool
    project_manager: str | None
    steering_group: Sequence[str]
    purpose: str | None
    goals_text: str | None
    planned_start: date | None
    planned_end: date | None
    directive: str | None
    decision: str | None
    registered_status: str
    status: str
    registered_at: datetime
    registered_by: str
    order: Ord


@dataclass(frozen=True)
class StatusChangeRow:
    project_code: str
    status: str
    effective_on: date
    decision: str | None
    reason: str | None
    recorded_at: datetime
    actor: str
    order: Ord


@dataclass(frozen=True)
class ManagerRow:
    project_code: str
    project_manager: str
    effective_on: date
    acting: bool
    reason: str | None
    order: Ord


@dataclass(frozen=True)
class StepRow:
    project_code: str
    step: int
    name: str
    period: str | None
    planned_start: date | None
    planned_end: date | None
    cost_estimate: Decimal | None
    description: str | None


@dataclass(frozen=True)
class BudgetRow:
    project_code: str
    year: int
    amount: Decimal
    decision: str | None


@dataclass(frozen=True)
class FinancingRow:
    project_code: str
    source: str
    year: int
    amount: Decimal
    granted_on: date | None
    note: str | None
    order: Ord


@dataclass(frozen=True)
class StatusReportRow:
    project_code: str
    period: str
    schedule: str
    cost: str
    quality: str
    text: str | None
    reported_by: str
    recorded_at: datetime
    order: Ord


@dataclass(frozen=True)
class GoalLinkRow:
    project_code: str
    goal_id: str
    order: Ord


R = TypeVar("R")


def _per_event(name: str, row: type[R]) -> Table[R]:
    """A table of a row per event, each found by its project."""
    return Table(
        name,
        row,
        key=("event_id",),
        first=(EVENT_ID,),
        indexes=((f"{name}_project", "project_code"),),
    )


PROJECTS = Table(
    "projects", ProjectRow, key=("project_code",), indexes=(("projects_unit", "unit_code"),)
)
# The lifecycle: every change of status, with its date and decision.
STATUS_CHANGES = _per_event("project_status_changes", StatusChangeRow)
# Every change of manager, acting ones (substitutes) too.
MANAGERS = _per_event("project_managers", ManagerRow)
# A step as last planned.
STEPS = Table("project_steps", StepRow, key=("project_code", "step"))
# The budget for a year as last set.
BUDGETS = Table("project_budgets", BudgetRow, key=("project_code", "year"))
# External financing per source and year, as last recorded.
FINANCING = Table("project_financing", FinancingRow, key=("project_code", "source", "year"))
# Every status report; the latest per project is the one of the latest period.
STATUS_REPORTS = _per_event("project_status_reports", StatusReportRow)
GOAL_LINKS = Table("project_goal_links", GoalLinkRow, key=("project_code", "goal_id"))

TABLES: tuple[Table[Any], ...] = (
    PROJECTS,
    STATUS_CHANGES,
    MANAGERS,
    STEPS,
    BUDGETS,
    FINANCING,
    STATUS_REPORTS,
    GOAL_LINKS,
)


@dataclass(frozen=True)
class ProjectsInput:
    """Projects with all that hangs on them, and what the register places them by."""

    projects: Sequence[ProjectRow]
    units: Sequence[UnitNode] = ()  # the whole tree, for names and subtrees
    status_changes: Sequence[StatusChangeRow] = ()
    managers: Sequence[ManagerRow] = ()
    steps: Sequence[StepRow] = ()
    budgets: Sequence[BudgetRow] = ()
    financing: Sequence[FinancingRow] = ()
    status_reports: Sequence[StatusReportRow] = ()
    goal_links: Sequence[GoalLinkRow] = ()
    shares: Sequence[ShareRow] = ()
    goals: GoalsInput | None = None  # the linked goals; None: no goals read model yet
    parked: int = 0
    # Who sent the events of one project's page, by stream sequence (senders.py).
    senders: Mapping[int, SenderRow] = field(default_factory=dict)
