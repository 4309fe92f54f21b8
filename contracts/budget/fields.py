"""Field types and field groups shared by the budget commands and events."""

import functools
import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Self

from pydantic import AfterValidator, Field, field_validator, model_validator

from contracts.field_group import FieldGroup
from contracts.identifiers import Identifier
from contracts.money import Amount
from contracts.text import MULTI_LINE, SINGLE_LINE, Name, Remark, excerpt

UNIT_CODE_PATTERN = r"^[A-ZÅÄÖ0-9][A-ZÅÄÖ0-9_-]{0,19}$"
UNIT_CODE_LENGTH = 20

UnitCode = Annotated[
    str,
    Field(
        max_length=UNIT_CODE_LENGTH,
        pattern=UNIT_CODE_PATTERN,
        description="Unit code, upper case, as the organisation uses it: KS, KLF, NÄT",
        examples=["KLF"],
    ),
]
FIRST_YEAR = 1990
LAST_YEAR = 2100
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR, description="Fiscal (calendar) year")]

PERIOD_PATTERN = r"^(199[0-9]|20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"
"""A month of a year in the Year range, as the schema publishes it."""

# ASCII digits only: \d would also take "２０１１" and other Unicode digits.
_PERIOD = re.compile(r"([0-9]{4})-([0-9]{2})")
_PERIOD_LENGTH = len("2011-03")


def check_year_in_range(year: int) -> None:
    """Refuse a year a period names outside the Year range."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"året {year} ligger utanför {FIRST_YEAR}–{LAST_YEAR}")


# Every event and command of a month names one, and the valid ones are few (a year's
# months in the Year range): each is checked once. A refusal raises, and so is never kept.
@functools.cache
def check_period(value: str) -> str:
    match = _PERIOD.fullmatch(value)
    if match is None:
        raise ValueError(
            f"perioden {excerpt(value)} ska skrivas ÅÅÅÅ-MM med siffrorna 0–9, t.ex. 2011-03"
        )
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"månad {month} finns inte; perioden ska ha månad 01–12")
    check_year_in_range(year)
    return value


Period = Annotated[
    str,
    AfterValidator(check_period),
    Field(
        description="Month as YYYY-MM",
        examples=["2011-03"],
        json_schema_extra={
            "pattern": PERIOD_PATTERN,
            "minLength": _PERIOD_LENGTH,
            "maxLength": _PERIOD_LENGTH,
        },
    ),
]

ManagerTitle = Annotated[
    str, Field(min_length=1, max_length=100, examples=["Kontorschef"]), SINGLE_LINE
]
DecisionReference = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        description="Where it was decided",
        examples=["KS 2010-11-24 § 228"],
    ),
    SINGLE_LINE,
]
NarrativeText = Annotated[str, Field(min_length=1, max_length=50000), MULTI_LINE]


class UnitKind(StrEnum):
    BOARD = "board"
    ADMINISTRATION = "administration"
    UNIT = "unit"


class FigureKind(StrEnum):
    BUDGET = "budget"
    PLAN = "plan"
    ACTUALS = "actuals"


class FigureStatus(StrEnum):
    PROPOSED = "proposed"
    ADOPTED = "adopted"
    REVISED = "revised"


class NarrativeSection(StrEnum):
    ACTIVITY_DESCRIPTION = "activity_description"
    ACTIVITY_CHANGES = "activity_changes"


class FollowUpReport(StrEnum):
    """The follow-up of a year a unit writes a text for: the interim report (delårsrapport)
    or the annual report (årsredovisning)."""

    INTERIM_REPORT = "interim_report"
    ANNUAL_REPORT = "annual_report"


class UnitRegistration(FieldGroup):
    unit_code: UnitCode
    name: Name
    kind: UnitKind
    parent_code: UnitCode | None = Field(default=None, description="None for a board")
    manager_title: ManagerTitle | None = None
    manager_name: Name | None = None
    effective_on: date


class UnitRenaming(FieldGroup):
    unit_code: UnitCode
    name: Name
    effective_on: date


class UnitMove(FieldGroup):
    unit_code: UnitCode
    parent_code: UnitCode
    effective_on: date


class UnitClosing(FieldGroup):
    unit_code: UnitCode
    effective_on: date


class ManagerAppointment(FieldGroup):
    unit_code: UnitCode
    manager_title: ManagerTitle | None = None
    manager_name: Name
    effective_on: date


class YearFigures(FieldGroup):
    """Revenue (positive) and costs (negative) in kronor; net is their sum, never sent.

    ``stated_net`` is the net the sender states with them (as its own document prints it):
    the views show where revenue plus costs does not give it. Figures sent without one (all
    sent before it existed) state none, and nothing is checked."""

    unit_code: UnitCode
    year: Year
    kind: FigureKind
    status: FigureStatus
    revenue: Amount
    costs: Amount
    decision: DecisionReference | None = None
    stated_net: Amount | None = Field(
        default=None, description="The net the sender expects (revenue + costs), e.g. as printed"
    )


class MonthFigures(FieldGroup):
    """Actuals or a full-year forecast for a unit, as of a month."""

    unit_code: UnitCode
    period: Period
    revenue: Amount
    costs: Amount


class FrameChangeFields(FieldGroup):
    """A change of a unit's frame: positive when the frame grows (ramökning)."""

    unit_code: UnitCode
    year: Year
    amount: Amount
    reasons: Remark
    decision: DecisionReference | None = None


class NetInvestmentFields(FieldGroup):
    unit_code: UnitCode
    year: Year
    kind: FigureKind
    amount: Amount


class NarrativeFields(FieldGroup):
    unit_code: UnitCode
    year: Year
    section: NarrativeSection
    text: NarrativeText


class FollowUpTextFields(FieldGroup):
    """A unit's text for the follow-up of a year: how the year has gone, in its own words.
    Written again for the same report, it replaces the earlier one."""

    unit_code: UnitCode
    year: Year
    report: FollowUpReport
    text: NarrativeText


class ProjectShareFields(FieldGroup):
    """The project office's revenue from a project it runs: its share (10 %) of the project's
    budget for the year, as the projects service decides it. Set again for the same project
    and year, it replaces the earlier share."""

    unit_code: UnitCode = Field(description="The project office")
    year: Year
    project_code: Identifier
    project_budget: Amount
    revenue: Amount


class MonthCommentFields(FieldGroup):
    """A unit's comment on a month of its follow-up: why it deviates from its budget, and
    the measures it takes. Written again for the same month, it replaces the earlier one."""

    unit_code: UnitCode
    period: Period
    comment: Remark
    measures: Remark | None = Field(default=None, description="Åtgärder")


MONTHS = 12


class BudgetProfileFields(FieldGroup):
    """How a unit's budget for a year is spread over its months, in percent of the year
    per month, January first, summing to exactly 100 (e.g. less in July); without one, a
    twelfth a month. Set again, it replaces the earlier profile."""

    unit_code: UnitCode
    year: Year
    monthly_percent: list[Amount] = Field(min_length=MONTHS, max_length=MONTHS)

    @field_validator("monthly_percent")
    @classmethod
    def _whole_year(cls, values: list[Decimal]) -> list[Decimal]:
        if any(value < 0 for value in values):
            raise ValueError("en månads andel kan inte vara negativ")
        total = sum(values, Decimal(0))
        if total != 100:
            raise ValueError(f"månadernas andelar ska bli 100 procent tillsammans, inte {total}")
        return values


class FollowUpKind(StrEnum):
    """A follow-up a unit marks ready for its parent unit: the month report of a month, or
    the interim or the annual report of a year."""

    MONTH_REPORT = "month_report"
    INTERIM_REPORT = "interim_report"
    ANNUAL_REPORT = "annual_report"


class ReadinessFields(FieldGroup):
    """A unit's follow-up marked ready for its parent unit (klarmarkerad), or opened again:
    the month report of ``month`` in ``year``, or the interim or annual report of ``year``.
    Marked again, it is marked anew; the latest marking or reopening stands."""

    unit_code: UnitCode
    year: Year
    report: FollowUpKind
    month: int | None = Field(
        default=None, ge=1, le=12, description="The month, for a month report (only then)"
    )

    @model_validator(mode="after")
    def _month_for_a_month_report(self) -> Self:
        if self.report is FollowUpKind.MONTH_REPORT and self.month is None:
            raise ValueError("en månadsuppföljning klarmarkeras för en månad: ange month")
        if self.report is not FollowUpKind.MONTH_REPORT and self.month is not None:
            raise ValueError("delårsrapporten och årsredovisningen gäller året: ange ingen month")
        return self

    @property
    def period(self) -> str:
        """The month as YYYY-MM, or the year, the marking is for."""
        return f"{self.year}-{self.month:02d}" if self.month is not None else str(self.year)
