"""Field types and field groups shared by the budget commands and events."""

import re
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from contracts.money import Amount

UNIT_CODE_PATTERN = r"^[A-ZÅÄÖ0-9][A-ZÅÄÖ0-9_-]{0,19}$"

UnitCode = Annotated[
    str,
    Field(
        pattern=UNIT_CODE_PATTERN,
        description="Unit code, upper case, as the organisation uses it: KS, KLF, NÄT",
        examples=["KLF"],
    ),
]
Year = Annotated[int, Field(ge=1990, le=2100, description="Fiscal (calendar) year")]

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def check_period(value: str) -> str:
    match = _PERIOD.match(value)
    if match is None:
        raise ValueError(f"perioden {value!r} ska skrivas ÅÅÅÅ-MM, t.ex. 2011-03")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"månad {month} finns inte; perioden ska ha månad 01–12")
    if not 1990 <= year <= 2100:
        raise ValueError(f"året {year} ligger utanför 1990–2100")
    return value


Period = Annotated[
    str,
    AfterValidator(check_period),
    Field(description="Month as YYYY-MM", examples=["2011-03"]),
]


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


class _Fields(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class UnitRegistration(_Fields):
    unit_code: UnitCode
    name: str = Field(min_length=1, max_length=200)
    kind: UnitKind
    parent_code: UnitCode | None = Field(default=None, description="None for a board")
    manager_title: str | None = Field(default=None, max_length=100, examples=["Kontorschef"])
    manager_name: str | None = Field(default=None, max_length=200)
    effective_on: date


class UnitRenaming(_Fields):
    unit_code: UnitCode
    name: str = Field(min_length=1, max_length=200)
    effective_on: date


class UnitMove(_Fields):
    unit_code: UnitCode
    parent_code: UnitCode
    effective_on: date


class UnitClosing(_Fields):
    unit_code: UnitCode
    effective_on: date


class ManagerAppointment(_Fields):
    unit_code: UnitCode
    manager_title: str | None = Field(default=None, max_length=100)
    manager_name: str = Field(min_length=1, max_length=200)
    effective_on: date


class YearFigures(_Fields):
    """Revenue (positive) and costs (negative) in kronor; net is their sum, never sent."""

    unit_code: UnitCode
    year: Year
    kind: FigureKind
    status: FigureStatus
    revenue: Amount
    costs: Amount
    decision: str | None = Field(default=None, max_length=200, examples=["KS 2010-11-24 § 228"])


class MonthFigures(_Fields):
    """Actuals or a full-year forecast for a unit, as of a month."""

    unit_code: UnitCode
    period: Period
    revenue: Amount
    costs: Amount


class FrameChangeFields(_Fields):
    """A change of a unit's frame: positive when the frame grows (ramökning)."""

    unit_code: UnitCode
    year: Year
    amount: Amount
    reasons: str = Field(min_length=1, max_length=5000)
    decision: str | None = Field(default=None, max_length=200)


class NetInvestmentFields(_Fields):
    unit_code: UnitCode
    year: Year
    kind: FigureKind
    amount: Amount


class NarrativeFields(_Fields):
    unit_code: UnitCode
    year: Year
    section: NarrativeSection
    text: str = Field(min_length=1, max_length=50000)
