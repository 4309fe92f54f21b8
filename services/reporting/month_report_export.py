"""The month report as a file to download: CSV for Swedish Excel and an Excel workbook.

One row per node and line (intäkter, kostnader, nettokostnad) with the report's columns.
Amounts are exact kronor, the digits of the JSON: in the CSV with a decimal comma, as
Swedish Excel reads numbers from a semicolon-separated file; in the workbook as numbers
(written from the Decimal, never through float here) shown as whole kronor ('#,##0'),
percents as numbers with one decimal.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from services.reporting.formatting import format_kronor
from services.reporting.month_report import EXAMPLE_NOTICE, Figure, MonthReport, NodeReport

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

KRONOR_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0"
AMOUNTS_NOTE = "Belopp i kronor."

LINES = (("Intäkter", "revenue"), ("Kostnader", "costs"), ("Nettokostnad", "net"))

# Text a spreadsheet would take for a formula; written with a leading apostrophe in the CSV.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def headers(report: MonthReport) -> list[str]:
    month = report.month_name
    return [
        "Enhetskod",
        "Enhet",
        "Rad",
        f"Budget {report.year}",
        f"Budget t.o.m. {month}",
        f"Utfall t.o.m. {month}",
        "Avvikelse",
        "Avvikelse %",
        "Prognos helår",
        "Prognosavvikelse",
        "Exempeldata",
        "Kommentar",
        "Åtgärder",
    ]


AMOUNT_COLUMNS = (4, 5, 6, 7, 9, 10)  # 1-based, in the order of headers()
PERCENT_COLUMN = 8
EXAMPLE_COLUMN = 11


@dataclass(frozen=True)
class Line:
    """One row of the table: amounts in the order of the amount columns."""

    code: str
    name: str
    label: str
    amounts: tuple[Decimal | None, ...]
    percent: Decimal | None
    example_data: bool
    comment: str
    measures: str


def _amount(figure: Figure | None, part: str) -> Decimal | None:
    if figure is None:
        return None
    value: Decimal = getattr(figure.value, part)
    return value


def _lines(node: NodeReport) -> Iterator[Line]:
    figures = (
        node.budget,
        node.budget_to_date,
        node.actuals,
        node.deviation,
        node.forecast,
        node.forecast_deviation,
    )
    comment = node.comment
    for label, part in LINES:
        percent = node.deviation_percent
        yield Line(
            code=node.code,
            name=node.name,
            label=label,
            amounts=tuple(_amount(figure, part) for figure in figures),
            percent=None if percent is None else getattr(percent, part),
            example_data=node.example_data,
            comment="" if comment is None else comment.comment,
            measures="" if comment is None or comment.measures is None else comment.measures,
        )


def lines(report: MonthReport) -> list[Line]:
    return [line for node in report.nodes for line in _lines(node)]


def heading(report: MonthReport) -> list[str]:
    """The first line: the report, the unit and the period."""
    root = report.root
    return [report.title, f"Enhet: {root.code} {root.name}", f"Period: {report.period}"]


def file_name(report: MonthReport, extension: str) -> str:
    return f"manadsuppfoljning-{report.root.code}-{report.period}.{extension}"


# --- CSV ----------------------------------------------------------------------------------


def _csv_number(value: Decimal | None) -> str:
    """Exact, as in the JSON, with the decimal comma Swedish Excel reads; empty for none."""
    return "" if value is None else format_kronor(value).replace(".", ",")


def _csv_text(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def month_report_csv(report: MonthReport) -> bytes:
    """Semicolon-separated, UTF-8 with a byte order mark, so Swedish Excel opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_text(cell) for cell in heading(report)])
    writer.writerow(headers(report))
    for line in lines(report):
        amounts = [_csv_number(amount) for amount in line.amounts]
        writer.writerow(
            [
                _csv_text(line.code),
                _csv_text(line.name),
                line.label,
                *amounts[:4],
                _csv_number(line.percent),
                *amounts[4:],
                "ja" if line.example_data else "nej",
                _csv_text(line.comment),
                _csv_text(line.measures),
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- Excel --------------------------------------------------------------------------------

SHEET_TITLE = "Månadsuppföljning"
HEADER_ROW = 6
_WIDTHS = (12, 30, 14, 16, 16, 16, 14, 12, 16, 16, 12, 50, 50)


def _cell(sheet: Worksheet, row: int, column: int) -> Cell:
    cell = sheet.cell(row=row, column=column)
    assert isinstance(cell, Cell)  # nothing on the sheet is merged
    return cell


def _text(sheet: Worksheet, row: int, column: int, text: str) -> Cell:
    """Text stays text, even where it begins like a formula."""
    cell = _cell(sheet, row, column)
    cell.value = text
    cell.data_type = "s"
    return cell


def _number(sheet: Worksheet, row: int, column: int, value: Decimal, number_format: str) -> None:
    """The Decimal itself, written as a number; only the format rounds what is shown."""
    cell = _cell(sheet, row, column)
    cell.value = value
    cell.number_format = number_format


def month_report_xlsx(report: MonthReport) -> bytes:
    """One sheet: title, unit, period, the amounts' unit and the example-data notice at the
    top, then the table with its header row frozen."""
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = SHEET_TITLE
    title, unit, period = heading(report)
    _text(sheet, 1, 1, title).font = Font(bold=True, size=14)
    _text(sheet, 2, 1, unit)
    _text(sheet, 3, 1, period)
    _text(sheet, 4, 1, AMOUNTS_NOTE)
    if report.example_data:
        _text(sheet, 5, 1, EXAMPLE_NOTICE).font = Font(bold=True, color="9A1C00")

    for column, header in enumerate(headers(report), start=1):
        cell = _text(sheet, HEADER_ROW, column, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        sheet.column_dimensions[get_column_letter(column)].width = _WIDTHS[column - 1]

    for row, line in enumerate(lines(report), start=HEADER_ROW + 1):
        _text(sheet, row, 1, line.code)
        _text(sheet, row, 2, line.name)
        _text(sheet, row, 3, line.label)
        for column, amount in zip(AMOUNT_COLUMNS, line.amounts, strict=True):
            if amount is not None:
                _number(sheet, row, column, amount, KRONOR_FORMAT)
        if line.percent is not None:
            _number(sheet, row, PERCENT_COLUMN, line.percent, PERCENT_FORMAT)
        _text(sheet, row, EXAMPLE_COLUMN, "ja" if line.example_data else "nej")
        for column, text in (
            (EXAMPLE_COLUMN + 1, line.comment),
            (EXAMPLE_COLUMN + 2, line.measures),
        ):
            if text:
                _text(sheet, row, column, text).alignment = Alignment(
                    wrap_text=True, vertical="top"
                )

    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
