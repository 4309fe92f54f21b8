"""The goals' read-model tables, each declared once by the row its readers read. The
organisation tree is the budget's (units)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from plumbing.read_model_tables import EVENT_ID, Column, Ord, Table
from services.reporting.read_models.budget.tables import UnitName


@dataclass(frozen=True)
class PerspectiveRow:
    perspective_id: str
    board_code: str
    name: str
    position: int
    parent_id: str | None
    order: Ord


@dataclass(frozen=True)
class GoalRow:
    goal_id: str
    unit_code: str
    perspective_id: str
    title: str
    first_year: int
    last_year: int
    decision: str | None
    order: Ord


@dataclass(frozen=True)
class CommitmentRow:
    commitment_id: str
    goal_id: str
    kind: str
    text: str
    follow_up: Sequence[str]
    by_gender: bool
    target_comparison: str | None
    target_value: Decimal | None
    target_unit: str | None
    target_due_year: int | None
    target_due_on: date | None
    baseline_value: Decimal | None
    baseline_women: Decimal | None
    baseline_men: Decimal | None
    baseline_period: str | None
    baseline_source: str | None
    order: Ord
    # Last, with defaults, as they came after the others: None reads as a level (a rank where
    # the unit is one), as contracts.goals.fields.Target says.
    target_kind: str | None = None
    target_change_basis: str | None = None


@dataclass(frozen=True)
class IndicatorRow:
    indicator_id: str
    commitment_id: str | None
    goal_id: str | None
    name: str
    cadence: str | None
    follow_up: Sequence[str]
    unit: str | None
    by_gender: bool
    order: Ord


@dataclass(frozen=True)
class NoteRow:
    note_id: str
    attached_to: str
    kind: str
    text: str
    order: Ord


@dataclass(frozen=True)
class MeasurementRow:
    """A measure's value for a period: a commitment's key figure or an indicator."""

    measure_id: str
    period: str
    total: Decimal | None
    women: Decimal | None
    men: Decimal | None
    source: str
    recorded_at: datetime


@dataclass(frozen=True)
class KeptMeasurement(MeasurementRow):
    event_id: UUID


@dataclass(frozen=True)
class AssessmentRow:
    commitment_id: str
    period: str
    status: str
    comment: str | None


@dataclass(frozen=True)
class KeptAssessment(AssessmentRow):
    recorded_at: datetime


@dataclass(frozen=True)
class GoalsInput:
    """The goals of a subtree (or named), with all that hangs on them."""

    units: Sequence[UnitName]  # the subtree, in tree order
    perspectives: Sequence[PerspectiveRow]
    goals: Sequence[GoalRow]
    commitments: Sequence[CommitmentRow]
    indicators: Sequence[IndicatorRow] = ()
    notes: Sequence[NoteRow] = ()
    measurements: Sequence[MeasurementRow] = ()  # the latest per measure and period
    measurement_history: Sequence[MeasurementRow] = ()  # every value, oldest first
    assessments: Sequence[AssessmentRow] = ()
    parked: int = 0


PERSPECTIVES = Table("perspectives", PerspectiveRow, key=("perspective_id",))
GOALS = Table("goals", GoalRow, key=("goal_id",), indexes=(("goals_unit", "unit_code"),))
COMMITMENTS = Table(
    "commitments",
    CommitmentRow,
    key=("commitment_id",),
    indexes=(("commitments_goal", "goal_id"),),
    # A generation made before targets had kinds reads them as levels (ranks) until rebuilt.
    upgrades=(
        "ALTER TABLE commitments ADD COLUMN IF NOT EXISTS target_kind text;",
        "ALTER TABLE commitments ADD COLUMN IF NOT EXISTS target_change_basis text;",
    ),
)
INDICATORS = Table("indicators", IndicatorRow, key=("indicator_id",))
NOTES = Table("notes", NoteRow, key=("note_id",))
# The value of a measure for a period: a later measurement for the same period replaces it.
MEASUREMENTS = Table("measurements", KeptMeasurement, key=("measure_id", "period"))
# Every value ever recorded, replaced ones too, oldest first.
MEASUREMENT_HISTORY = Table(
    "measurement_history",
    MeasurementRow,
    key=("event_id",),
    first=(EVENT_ID,),
    last=(Column("ord", "bigint"),),
    indexes=(("measurement_history_measure", "measure_id, period"),),
)
# An activity's status for a period: a later assessment for the same period replaces it.
ACTIVITY_ASSESSMENTS = Table(
    "activity_assessments", KeptAssessment, key=("commitment_id", "period")
)

TABLES: tuple[Table[Any], ...] = (
    PERSPECTIVES,
    GOALS,
    COMMITMENTS,
    INDICATORS,
    NOTES,
    MEASUREMENTS,
    MEASUREMENT_HISTORY,
    ACTIVITY_ASSESSMENTS,
)
