"""A report's tables written as files: CSV (semicolons, UTF-8 with BOM, decimal commas) and Excel
(a sheet per table, amounts as exact numbers)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import Cell as SheetCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from services.reporting.reports.shared.table_export import (
    _FORMULA_STARTS,
    CSV_TKR_NOTE,
    DAY_FORMAT,
    INTEGER_FORMAT,
    KRONOR_FORMAT,
    KRONOR_NOTE,
    MOMENT_FORMAT,
    NUMBER_FORMAT,
    PERCENT_FORMAT,
    SWEDISH_MOMENT_FORMAT,
    TKR_FORMAT,
    TKR_NOTE,
    Amount,
    Cell,
    Day,
    Integer,
    Moment,
    Number,
    Percent,
    Report,
    Scale,
    Section,
    Text,
    _notices,
    _plain,
    _swedish,
    _utc,
)

# --- CSV ------------------------------------------------------------------------------------


def _csv_text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _csv_cell(cell: Cell, scale: Scale = Scale.KRONOR) -> str:
    match cell:
        case None:
            return ""
        case Text(value):
            return _csv_text(value)
        case Amount(value) if scale is Scale.TKR:
            # scaleb moves the decimal point exactly; normalize drops the zeros it leaves.
            return _plain(value.scaleb(-3).normalize()).replace(".", ",")
        case Amount(value) | Percent(value) | Number(value):
            return _plain(value).replace(".", ",")
        case Integer(value):
            return str(value)
        case Day(value):
            return value.isoformat()
        case Moment(value, True):
            return _swedish(value).strftime("%Y-%m-%d %H:%M")
        case Moment(value):
            return _utc(value).strftime("%Y-%m-%d %H:%M:%S")


def write_csv(report: Report) -> bytes:
    """The heading on the first line, each notice on a line of its own, then per section a
    blank line, its title, its headers and its rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_text(line) for line in report.heading])
    amounts = CSV_TKR_NOTE if report.scale is Scale.TKR else KRONOR_NOTE
    for notice in _notices(report, amounts):
        writer.writerow([_csv_text(notice)])
    for section in report.sections:
        writer.writerow([])
        writer.writerow([_csv_text(section.title)])
        writer.writerow([_csv_text(header) for header in report.headers(section)])
        writer.writerows([_csv_cell(cell, report.scale) for cell in row] for row in section.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- Excel ----------------------------------------------------------------------------------

SHEET_NAME_LENGTH = 31
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
MIN_WIDTH, MAX_WIDTH = 8, 60
_NOTICE_FONT = Font(bold=True, color="9A1C00")


def sheet_names(titles: Iterable[str]) -> list[str]:
    """Names Excel accepts, one per title: at most 31 characters, none of []:*?/\\, no
    apostrophe at either end, not empty, and unique regardless of case."""
    names: list[str] = []
    taken: set[str] = set()
    for title in titles:
        base = _NOT_IN_SHEET_NAMES.sub("-", title).strip().strip("'").strip() or "Blad"
        name = base[:SHEET_NAME_LENGTH].rstrip()
        count = 1
        while name.casefold() in taken:
            count += 1
            suffix = f" ({count})"
            name = base[: SHEET_NAME_LENGTH - len(suffix)].rstrip() + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


def _sheet_cell(sheet: Worksheet, row: int, column: int) -> SheetCell:
    cell = sheet.cell(row=row, column=column)
    assert isinstance(cell, SheetCell)  # nothing on the sheet is merged
    return cell


def _put_text(sheet: Worksheet, row: int, column: int, value: str) -> SheetCell:
    """Text stays text, even where it begins like a formula."""
    cell = _sheet_cell(sheet, row, column)
    cell.value = value
    cell.data_type = "s"
    return cell


def _put_decimal(cell: SheetCell, value: Decimal, number_format: str) -> None:
    if not value.is_finite():
        cell.value = str(value)
        cell.data_type = "s"
        return
    cell.value = value  # a number to openpyxl, so the cell is numeric
    # openpyxl writes a number with "%.16g", through float; the stored text is the
    # Decimal's own digits instead, so the file holds exactly the kronor of the view.
    cell._value = _plain(value)  # type: ignore[attr-defined]
    cell.number_format = number_format


def _put(sheet: Worksheet, row: int, column: int, cell: Cell, scale: Scale) -> None:
    match cell:
        case None:
            return
        case Text(value):
            written = _put_text(sheet, row, column, value)
            if len(value) > MAX_WIDTH or "\n" in value:
                written.alignment = Alignment(wrap_text=True, vertical="top")
        case Amount(value):
            formats = {Scale.KRONOR: KRONOR_FORMAT, Scale.TKR: TKR_FORMAT}
            _put_decimal(_sheet_cell(sheet, row, column), value, formats[scale])
        case Percent(value):
            _put_decimal(_sheet_cell(sheet, row, column), value, PERCENT_FORMAT)
        case Number(value):
            _put_decimal(_sheet_cell(sheet, row, column), value, NUMBER_FORMAT)
        case Integer(value):
            written = _sheet_cell(sheet, row, column)
            written.value = value
            written.number_format = INTEGER_FORMAT
        case Day(value):
            written = _sheet_cell(sheet, row, column)
            written.value = value
            written.number_format = DAY_FORMAT
        case Moment(value, swedish):
            written = _sheet_cell(sheet, row, column)
            written.value = _swedish(value) if swedish else _utc(value)
            written.number_format = SWEDISH_MOMENT_FORMAT if swedish else MOMENT_FORMAT


def _shown_length(cell: Cell) -> int:
    """About how many characters the cell shows, for the column's width."""
    match cell:
        case None:
            return 0
        case Amount(value):
            # Whole kronor (or fewer digits, in tkr), with a separator per three digits.
            whole = _plain(value).split(".")[0]
            digits = len(whole.lstrip("-"))
            return len(whole) + (digits - 1) // 3
        case Moment():
            return 19
        case _:
            return max((len(line) for line in _csv_cell(cell).splitlines()), default=0)


def column_widths(section: Section) -> list[int]:
    """Wide enough for the longest cell, the header's longest word at least; long text
    wraps at the widest."""
    widths = []
    for index, header in enumerate(section.headers):
        longest_word = max((len(word) for word in header.split()), default=0)
        longest_cell = max((_shown_length(row[index]) for row in section.rows), default=0)
        widths.append(min(max(longest_word, longest_cell, MIN_WIDTH) + 2, MAX_WIDTH))
    return widths


def header_row(report: Report) -> int:
    """The sheet's row of column headers: below the heading, the notices, a blank row and
    the section's title."""
    return len(report.heading) + len(_notices(report, _amounts_note(report))) + 3


def _amounts_note(report: Report) -> str:
    return TKR_NOTE if report.scale is Scale.TKR else KRONOR_NOTE


def _write_sheet(sheet: Worksheet, report: Report, section: Section) -> None:
    row = 1
    for index, line in enumerate(report.heading):
        written = _put_text(sheet, row, 1, line)
        if index == 0:
            written.font = Font(bold=True, size=14)
        row += 1
    for notice in _notices(report, _amounts_note(report)):
        written = _put_text(sheet, row, 1, notice)
        if notice in report.notices:
            written.font = _NOTICE_FONT
        row += 1
    row += 1
    _put_text(sheet, row, 1, section.title).font = Font(bold=True, size=12)
    row += 1
    for column, header in enumerate(report.headers(section), start=1):
        written = _put_text(sheet, row, column, header)
        written.font = Font(bold=True)
        written.alignment = Alignment(wrap_text=True, vertical="bottom")
    first = row + 1
    for offset, cells in enumerate(section.rows):
        for column, cell in enumerate(cells, start=1):
            _put(sheet, first + offset, column, cell, report.scale)
    for column, width in enumerate(column_widths(section), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"A{first}"
    # Printed, each page repeats the headers; A4 as wide as the columns need.
    sheet.print_title_rows = f"{row}:{row}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    if len(section.headers) > 6:
        sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE


def write_xlsx(report: Report) -> bytes:
    """One sheet per section (a report without sections gets one with its heading only)."""
    sections: Sequence[Section] = report.sections or (Section(report.title, (), ()),)
    workbook = Workbook()
    first = workbook.active
    assert isinstance(first, Worksheet)
    workbook.remove(first)
    for name, section in zip(sheet_names(s.title for s in sections), sections, strict=True):
        _write_sheet(workbook.create_sheet(name), report, section)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
