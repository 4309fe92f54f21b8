"""Every view's tables as a file to download: CSV for Swedish Excel, or an Excel workbook.

A report is a heading (title, unit, period, the optional "per" moment and notices) and
sections; a section is a title, Swedish column headers and rows of typed cells. The views
build their reports from the view models they already have; this module only writes them.

CSV: semicolon-separated, UTF-8 with a byte order mark, so Swedish Excel opens it; the
heading and the notices first, then each section after a blank line and its title. Numbers
are exact, the digits of the Decimal with a decimal comma; amounts are always in kronor.

Excel: one sheet per section, with the heading and the notices on top of each sheet and the
Swedish headers frozen below them. Numbers are numbers, written with the Decimal's own
digits (openpyxl would pass a Decimal through float); only the cell's format rounds what is
shown: amounts as whole kronor or as tkr, as the report's page shows them, percents with one
decimal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Generic, TypeVar

from services.reporting.reports.shared.as_of import LOCAL_TIME
from services.reporting.reports.shared.formatting import format_kronor

V = TypeVar("V")

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

KRONOR_FORMAT = "#,##0"
TKR_FORMAT = "#,##0,"  # the trailing comma shows thousands; the cell keeps the kronor
PERCENT_FORMAT = "0.0"
INTEGER_FORMAT = "0"
NUMBER_FORMAT = "General"
DAY_FORMAT = "yyyy-mm-dd"
MOMENT_FORMAT = "yyyy-mm-dd hh:mm:ss"
SWEDISH_MOMENT_FORMAT = "yyyy-mm-dd hh:mm"

KRONOR_NOTE = "Belopp i kronor."
TKR_NOTE = "Belopp i tkr; cellerna har exakta kronor."
# A CSV has no cell format: its amounts are written in tkr, exact to the krona.
CSV_TKR_NOTE = "Belopp i tkr, exakta på kronan (med decimaler där det behövs)."
TKR_HEADER = " (tkr)"

# Text a spreadsheet would take for a formula; written with a leading apostrophe in the CSV.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Scale(Enum):
    """How the workbook shows amounts: as the report's page does."""

    KRONOR = "kronor"
    TKR = "tkr"


# --- cells ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Value(Generic[V]):
    """A typed cell: its type says how the files write it."""

    value: V


class Text(Value[str]):
    pass


class Amount(Value[Decimal]):
    """Kronor, exact."""


class Percent(Value[Decimal]):
    """Percent points, as the page prints them: -5.0 is "-5,0 %"."""


class Number(Value[Decimal]):
    """A measured value, exact, in the unit its row names."""


class Integer(Value[int]):
    pass


class Day(Value[date]):
    pass


@dataclass(frozen=True)
class Moment:
    """A point in time, shown in UTC to the second; ``swedish``: in Swedish time to the minute,
    as the pages show it."""

    value: datetime
    swedish: bool = False


Cell = Text | Amount | Percent | Number | Integer | Day | Moment | None
Row = tuple[Cell, ...]


def text(value: str | None) -> Text | None:
    return None if not value else Text(value)


def amount(value: Decimal | None) -> Amount | None:
    return None if value is None else Amount(value)


def percent(value: Decimal | None) -> Percent | None:
    return None if value is None else Percent(value)


def number(value: Decimal | None) -> Number | None:
    return None if value is None else Number(value)


def integer(value: int | None) -> Integer | None:
    return None if value is None else Integer(value)


def day(value: date | None) -> Day | None:
    return None if value is None else Day(value)


def plain(*values: str | int | None) -> Row:
    """A row of texts and whole numbers as they are: each a cell of its type, None empty (an
    empty text stays a text cell, unlike ``text``)."""
    return tuple(
        None if v is None else Text(v) if isinstance(v, str) else Integer(v) for v in values
    )


def yes_no(value: bool) -> Text:
    return Text("ja" if value else "nej")


# --- the report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    title: str
    headers: tuple[str, ...]
    rows: tuple[Row, ...]

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.headers):
                raise ValueError(
                    f"{self.title}: a row has {len(row)} cells for {len(self.headers)} headers"
                )


@dataclass(frozen=True)
class Report:
    title: str
    unit: str
    period: str
    sections: tuple[Section, ...]
    notices: tuple[str, ...] = ()
    scale: Scale = Scale.KRONOR
    per: str | None = None  # the moment the figures are read as of, when one was chosen

    @property
    def heading(self) -> list[str]:
        lines = [self.title, f"Enhet: {self.unit}", f"Period: {self.period}"]
        if self.per:
            lines.append(f"Per: {self.per}")
        return lines

    def headers(self, section: Section) -> list[str]:
        """``section``'s headers, each column of amounts marked " (tkr)" where the report
        shows tkr, so a file read alone says its unit in every column."""
        if self.scale is not Scale.TKR:
            return list(section.headers)
        amounts = [
            any(isinstance(row[i], Amount) for row in section.rows)
            for i in range(len(section.headers))
        ]
        return [h + TKR_HEADER if a else h for h, a in zip(section.headers, amounts, strict=True)]

    @property
    def has_amounts(self) -> bool:
        return any(
            isinstance(cell, Amount)
            for section in self.sections
            for row in section.rows
            for cell in row
        )


def _notices(report: Report, amounts_note: str) -> list[str]:
    return ([amounts_note] if report.has_amounts else []) + list(report.notices)


def _plain(value: Decimal) -> str:
    """The Decimal's digits in plain notation ("1000", never "1E+3"), never "-0"."""
    return format_kronor(value)


def _swedish(moment: datetime) -> datetime:
    """Naive Swedish time, summer or winter; a naive moment is taken to be UTC."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(LOCAL_TIME).replace(tzinfo=None)


def _utc(moment: datetime) -> datetime:
    """Naive UTC, as a spreadsheet holds time; a naive moment is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)
