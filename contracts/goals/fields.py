"""Field types and field groups shared by the goals commands and events."""

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Self

from pydantic import AfterValidator, Field, model_validator

from contracts.budget.fields import DecisionReference, UnitCode, Year, check_year_in_range
from contracts.field_group import FieldGroup
from contracts.goals.measure import MeasureValue
from contracts.identifiers import Identifier
from contracts.refusal import lies_before
from contracts.text import MULTI_LINE, SINGLE_LINE, Name, Remark, excerpt

Wording = Annotated[
    str,
    Field(min_length=1, max_length=2000, description="As the plan prints it"),
    MULTI_LINE,
]
Source = Annotated[
    str,
    Field(
        min_length=1,
        max_length=300,
        description="Who produced the value",
        examples=["Trygghetsundersökningen i Södermanlands län"],
    ),
    SINGLE_LINE,
]

# A year, a month of a year, or a year's interim period (delår).
_MEASURE_PERIOD = re.compile(r"([0-9]{4})(?:-(0[1-9]|1[0-2])|-(interim))?")
MEASURE_PERIOD_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2])|-interim)?$"


def check_measure_period(value: str) -> str:
    match = _MEASURE_PERIOD.fullmatch(value)
    if match is None:
        raise ValueError(
            f"perioden {excerpt(value)} ska vara ett år (2011), en månad (2011-06) "
            "eller ett års delår (2011-interim)"
        )
    year = int(match.group(1))
    check_year_in_range(year)
    return value


MeasurePeriod = Annotated[
    str,
    AfterValidator(check_measure_period),
    Field(
        description="A year (2011), a month (2011-06) or the year's interim period (2011-interim)",
        examples=["2011", "2010-06", "2011-interim"],
        json_schema_extra={"pattern": MEASURE_PERIOD_PATTERN, "maxLength": 12},
    ),
]


def period_year(period: str) -> int:
    return int(period[:4])


class FollowUp(StrEnum):
    """In which follow-up a commitment is reported (Uppföljning: Månad, Delår, Årligen,
    Långsiktig)."""

    MONTH = "month"
    INTERIM = "interim"
    ANNUAL = "annual"
    LONG_TERM = "long_term"


class CommitmentKind(StrEnum):
    KEY_FIGURE = "key_figure"  # a value with a target level
    ACTIVITY = "activity"  # done or not, assessed by a controller
    FINANCIAL = "financial"  # a financial goal (finansiellt mål)


class Comparison(StrEnum):
    """How a measured value is held against the target; it also says which way is better."""

    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    AT_MOST = "at_most"
    LESS_THAN = "less_than"
    EQUAL = "equal"


class MeasureUnit(StrEnum):
    PERCENT = "percent"
    INDEX = "index"
    COUNT = "count"
    RANK = "rank"  # a place in a ranking: lower is better
    KRONOR = "kronor"
    OTHER = "other"


class Cadence(StrEnum):
    """How often an indicator is measured."""

    MONTHLY = "monthly"
    EVERY_SECOND_MONTH = "every_second_month"
    QUARTERLY = "quarterly"
    INTERIM = "interim"
    ANNUAL = "annual"


class ActivityStatus(StrEnum):
    DONE = "done"
    UNDER_WAY = "under_way"
    NOT_STARTED = "not_started"


class NoteKind(StrEnum):
    DEFINITION = "definition"
    FOOTNOTE = "footnote"


def _distinct(values: list[FollowUp]) -> list[FollowUp]:
    if len(set(values)) != len(values):
        raise ValueError("varje uppföljning får anges en gång")
    return values


FollowUps = Annotated[
    list[FollowUp],
    AfterValidator(_distinct),
    Field(max_length=4, description="The follow-ups it is reported in, each once"),
]


class TargetKind(StrEnum):
    """What a target states."""

    LEVEL = "level"  # the value itself: "60 eller högre", "mindre än 61 procent"
    CHANGE = "change"  # a change from the baseline: "öka med 25 procent", "öka från 2009 års nivå"
    RANK = "rank"  # a place in a ranking, lower is better: "plats 145 i ranking 2013"


class ChangeBasis(StrEnum):
    """What a change target's value counts in."""

    # Relative to the baseline: 25 means the baseline's value and a quarter of it.
    PERCENT_OF_BASELINE = "percent_of_baseline"
    # In the measure's own unit (percentage points for a share): "more_than 0" is any increase.
    MEASURE_UNIT = "measure_unit"


class Target(FieldGroup):
    """A target: "60 eller högre" is at_least 60 index; "plats 145 i ranking 2013" is a rank,
    at_most 145, due 2013; "ska öka med 25 procent under 2011" is a change of at_least 25
    percent of the baseline, due 2011; "ska öka från 2009 års nivå" a change of more_than 0
    in the measure's unit from the baseline of 2009.

    For a change, ``comparison`` and ``value`` hold the change from the baseline, not the
    value measured. ``kind`` and ``change_basis`` came after the first targets were stored:
    a target without ``kind`` is a level, or a rank where its unit is a rank, as it always
    meant; ``change_basis`` belongs to a change only.
    """

    comparison: Comparison
    value: MeasureValue
    unit: MeasureUnit
    due_year: Year | None = None
    due_on: date | None = None
    kind: TargetKind | None = None
    change_basis: ChangeBasis | None = None

    @property
    def stated_kind(self) -> TargetKind:
        """The kind, also of a target stored before kinds were named."""
        if self.kind is not None:
            return self.kind
        return TargetKind.RANK if self.unit is MeasureUnit.RANK else TargetKind.LEVEL

    @model_validator(mode="after")
    def _kind_fits(self) -> Self:
        if self.kind is TargetKind.CHANGE and self.change_basis is None:
            raise ValueError(
                "ett förändringsmål (kind change) anger change_basis: percent_of_baseline"
                " eller measure_unit"
            )
        if self.kind is not TargetKind.CHANGE and self.change_basis is not None:
            raise ValueError("change_basis hör bara till ett förändringsmål (kind change)")
        if self.kind is TargetKind.RANK and self.unit is not MeasureUnit.RANK:
            raise ValueError("en placering (kind rank) har enheten rank")
        return self


class Baseline(FieldGroup):
    """The value a target starts from: "NKI 63 i mätningen 2009".

    ``value`` may be left out where the plan names the baseline's period but not its value
    ("från 2009 års nivå"): the measurement of that period gives it. Baselines stored before
    it could be left out all have one.
    """

    value: MeasureValue | None = None
    women: MeasureValue | None = None
    men: MeasureValue | None = None
    period: MeasurePeriod
    source: Source | None = None


class PerspectiveDefinition(FieldGroup):
    """A perspective of a board's goals, in the board's order; a sub-area names its parent."""

    board_code: UnitCode
    perspective_id: Identifier
    name: Name
    position: int = Field(ge=1, le=1000, description="Order among its siblings, from 1")
    parent_id: Identifier | None = None


class GoalAdoption(FieldGroup):
    goal_id: Identifier
    unit_code: UnitCode
    perspective_id: Identifier
    title: Wording
    first_year: Year
    last_year: Year
    decision: DecisionReference | None = None

    @model_validator(mode="after")
    def _years_in_order(self) -> Self:
        reason = lies_before("last_year", self.last_year, self.first_year, "first_year")
        if reason is not None:
            raise ValueError(reason)
        return self


class GoalRewording(FieldGroup):
    goal_id: Identifier
    title: Wording
    decision: DecisionReference | None = None


class GoalRetirement(FieldGroup):
    goal_id: Identifier
    last_year: Year = Field(description="The last year the goal applies")
    decision: DecisionReference | None = None


class CommitmentFields(FieldGroup):
    commitment_id: Identifier
    goal_id: Identifier
    kind: CommitmentKind
    text: Wording
    follow_up: FollowUps = Field(default_factory=list)
    target: Target | None = None
    baseline: Baseline | None = None
    by_gender: bool = Field(default=False, description="Measured for women and men apart")


class IndicatorFields(FieldGroup):
    """Measured and shown, with no target; under a commitment or directly under a goal."""

    indicator_id: Identifier
    commitment_id: Identifier | None = None
    goal_id: Identifier | None = None
    name: Wording
    cadence: Cadence | None = None
    follow_up: FollowUps = Field(default_factory=list)
    unit: MeasureUnit | None = None
    by_gender: bool = False

    @model_validator(mode="after")
    def _one_parent(self) -> Self:
        if (self.commitment_id is None) == (self.goal_id is None):
            raise ValueError("ange antingen commitment_id eller goal_id, inte båda eller inget")
        return self


class NoteFields(FieldGroup):
    """A definition or footnote attached to a goal, commitment or indicator."""

    note_id: Identifier
    attached_to: Identifier = Field(description="The goal, commitment or indicator")
    kind: NoteKind
    text: Remark


class MeasurementFields(FieldGroup):
    """A key figure's or indicator's value for a period: total and/or women and men."""

    measure_id: Identifier = Field(description="The commitment or indicator measured")
    period: MeasurePeriod
    total: MeasureValue | None = None
    women: MeasureValue | None = None
    men: MeasureValue | None = None
    source: Source

    @model_validator(mode="after")
    def _some_value(self) -> Self:
        if self.total is None and self.women is None and self.men is None:
            raise ValueError("ange minst ett värde: total, women eller men")
        return self


class ActivityAssessment(FieldGroup):
    commitment_id: Identifier
    period: MeasurePeriod
    status: ActivityStatus
    comment: Remark | None = None
