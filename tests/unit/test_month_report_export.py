"""The month report as CSV for Swedish Excel and as an Excel workbook."""

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from services.reporting.read_models.budget.tables import CommentRow, FigureRow, MonthRow, UnitRow
from services.reporting.reports.month_report.builder import (
    EXAMPLE_NOTICE,
    MonthReport,
    MonthReportInput,
)
from services.reporting.reports.month_report.export import month_report_csv, month_report_xlsx
from services.reporting.reports.month_report.html import render_month_report_html
from services.reporting.reports.month_report.walk import build_month_report
from services.reporting.reports.shared.table_export import CSV_TKR_NOTE, TKR_FORMAT, TKR_NOTE

D = Decimal

UNITS = (
    UnitRow("KS", "Kommunstyrelsen", "board", None, None, None, None, 1),
    UnitRow("IT", "IT-kontor", "unit", "KS", "Kontorschef", "Hans Haglund", None, 2),
    UnitRow("STAB", "Staben", "unit", "KS", None, None, None, 3),
)

HEADERS = [
    "Enhetskod",
    "Enhet",
    "Rad",
    "Budget 2011 (tkr)",
    "Budget t.o.m. mars (tkr)",
    "Utfall t.o.m. mars (tkr)",
    "Avvikelse (tkr)",
    "Avvikelse %",
    "Prognos helår (tkr)",
    "Prognosavvikelse (tkr)",
    "Exempeldata",
    "Kommentar",
    "Åtgärder",
]


def actual(unit: str, period: str, revenue: str, costs: str, example: bool = False) -> MonthRow:
    return MonthRow(unit, period, D(revenue), D(costs), example)


def built() -> MonthReport:
    data = MonthReportInput(
        UNITS,
        [
            FigureRow("IT", 2011, "budget", "adopted", D("1200000"), D("-12000001"), None),
            FigureRow("STAB", 2011, "budget", "adopted", D("600000"), D("-3600000"), None),
        ],
        actuals=[
            actual("IT", "2011-01", "100000", "-1000000"),
            actual("IT", "2011-02", "100000", "-1100000"),
            actual("IT", "2011-03", "120000", "-1050000"),
            *(actual("STAB", f"2011-0{m}", "50000", "-280000", example=True) for m in (1, 2, 3)),
        ],
        forecasts=[actual("IT", "2011-03", "1250000", "-12300000")],
        comments=[
            CommentRow("IT", "2011-03", "Licenserna blev dyrare; åtgärd krävs", "=1+1"),
        ],
    )
    return build_month_report(data, "KS", 2011, 3)


def csv_rows(report: MonthReport) -> list[list[str]]:
    written = month_report_csv(report)
    assert written.startswith(b"\xef\xbb\xbf")  # the BOM Swedish Excel needs for UTF-8
    text = written.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


# The heading, the amounts' unit, the example-data notice, a blank line and the table's title.
FIRST_ROW = 6


def test_the_csv_names_the_report_then_has_swedish_headers_and_a_row_per_node_and_line() -> None:
    rows = csv_rows(built())
    assert rows[0] == [
        "Månadsuppföljning mars 2011 för Kommunstyrelsen",
        "Enhet: KS Kommunstyrelsen",
        "Period: 2011-03",
    ]
    assert rows[1:5] == [[CSV_TKR_NOTE], [EXAMPLE_NOTICE], [], ["Månadsuppföljning"]]
    assert rows[5] == HEADERS
    assert [(r[0], r[2]) for r in rows[FIRST_ROW:]] == [
        (code, line)
        for code in ("KS", "IT", "STAB")
        for line in ("Intäkter", "Kostnader", "Nettokostnad")
    ]


def test_the_csv_writes_exact_tkr_as_the_page_shows_with_a_decimal_comma() -> None:
    rows = {(r[0], r[2]): r for r in csv_rows(built())[FIRST_ROW:]}
    it_costs = rows[("IT", "Kostnader")]
    assert it_costs[3:11] == [
        "-12000,001",
        "-3000,00025",  # three twelfths, to the öre
        "-3150",
        "-149,99975",
        "-5,0",
        "-12300",
        "-299,999",
        "nej",
    ]
    it_net = rows[("IT", "Nettokostnad")]
    assert it_net[3:10] == [
        "-10800,001",
        "-2700,00025",
        "-2830",
        "-129,99975",
        "-4,8",
        "-11050",
        "-249,999",
    ]
    # A comment starting like a formula is written as text; the others as they are.
    assert it_net[11:] == ["Licenserna blev dyrare; åtgärd krävs", "'=1+1"]
    # Staben has no forecast: empty cells, not zeros; its actuals are example data.
    stab = rows[("STAB", "Intäkter")]
    assert stab[8:13] == ["", "", "ja", "", ""]
    assert rows[("KS", "Kostnader")][10] == "ja"


def sheet_of(report: MonthReport) -> Worksheet:
    workbook = load_workbook(io.BytesIO(month_report_xlsx(report)))
    assert workbook.sheetnames == ["Månadsuppföljning"]
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    return sheet


def test_the_workbook_has_the_title_the_notice_and_frozen_swedish_headers() -> None:
    sheet = sheet_of(built())
    assert sheet["A1"].value == "Månadsuppföljning mars 2011 för Kommunstyrelsen"
    assert sheet["A2"].value == "Enhet: KS Kommunstyrelsen"
    assert sheet["A3"].value == "Period: 2011-03"
    assert sheet["A4"].value == TKR_NOTE
    assert sheet["A5"].value == EXAMPLE_NOTICE
    assert sheet["A6"].value is None
    assert sheet["A7"].value == "Månadsuppföljning"
    assert [cell.value for cell in sheet[8]] == HEADERS
    assert sheet.freeze_panes == "A9"
    assert sheet.max_row == 8 + 9


def test_the_workbook_writes_amounts_and_percents_as_numbers() -> None:
    sheet = sheet_of(built())
    rows = {(row[0].value, row[2].value): row for row in sheet.iter_rows(min_row=9)}
    it_costs = rows[("IT", "Kostnader")]
    amounts = [it_costs[i] for i in (3, 4, 5, 6, 8, 9)]
    assert all(cell.data_type == "n" for cell in amounts)
    # Shown in tkr, as the page shows them; the cells hold the exact kronor.
    assert all(cell.number_format == TKR_FORMAT for cell in amounts)
    assert [D(str(cell.value)) for cell in amounts] == [
        D("-12000001"),
        D("-3000000.25"),
        D("-3150000"),
        D("-149999.75"),
        D("-12300000"),
        D("-299999"),
    ]
    percent = it_costs[7]
    assert percent.data_type == "n" and percent.number_format == "0.0"
    assert D(str(percent.value)) == D("-5.0")
    assert it_costs[10].value == "nej" and rows[("STAB", "Intäkter")][10].value == "ja"
    # Staben has no forecast: the cells are empty.
    assert rows[("STAB", "Intäkter")][8].value is None
    # Text that begins like a formula stays text.
    measures = rows[("IT", "Nettokostnad")][12]
    assert measures.value == "=1+1" and measures.data_type == "s"


def test_the_workbook_stores_the_decimals_digits_unchanged() -> None:
    with zipfile.ZipFile(io.BytesIO(month_report_xlsx(built()))) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<v>-3000000.25</v>" in xml and "<v>-149999.75</v>" in xml
    assert "<f>" not in xml


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_the_html_report_links_the_downloads(format: str) -> None:
    page = render_month_report_html(built())
    assert f'<a href="/uppfoljning/KS/2011-03?format={format}" download>' in page
    assert "Ladda ned som CSV" in page and "Ladda ned som Excel" in page
