"""The one writer of every view's tables: CSV for Swedish Excel and an Excel workbook."""

import io
import zipfile
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from services.reporting.reports.shared.table_export import (
    KRONOR_FORMAT,
    PERCENT_FORMAT,
    TKR_FORMAT,
    Amount,
    Day,
    Integer,
    Moment,
    Number,
    Percent,
    Report,
    Scale,
    Section,
    Text,
)
from services.reporting.reports.shared.table_files import (
    column_widths,
    header_row,
    sheet_names,
    write_csv,
    write_xlsx,
)

D = Decimal
NOTICE = "Exempeldata: siffrorna är påhittade."


def small_report(scale: Scale = Scale.KRONOR) -> Report:
    return Report(
        title="Uppföljning 2011 för IT-kontor",
        unit="IT IT-kontor",
        period="2011",
        notices=(NOTICE,),
        scale=scale,
        sections=(
            Section(
                "Budget",
                ("Enhet", "Budget", "Avvikelse %", "År"),
                (
                    (Text("IT; drift"), Amount(D("1234567.89")), Percent(D("-5.0")), Integer(2011)),
                    (Text("=SUMMA(A1)"), Amount(D("-0")), None, None),
                ),
            ),
            Section(
                "Händelser",
                ("Dag", "När", "Värde"),
                (
                    (
                        Day(date(2011, 3, 31)),
                        Moment(datetime(2011, 3, 1, 13, 5, 9, tzinfo=timezone(timedelta(hours=1)))),
                        Number(D("2.05")),
                    ),
                ),
            ),
        ),
    )


def test_the_csv_is_exact_to_the_byte() -> None:
    expected = (
        "\ufeff"
        "Uppföljning 2011 för IT-kontor;Enhet: IT IT-kontor;Period: 2011\r\n"
        "Belopp i kronor.\r\n"
        "Exempeldata: siffrorna är påhittade.\r\n"
        "\r\n"
        "Budget\r\n"
        "Enhet;Budget;Avvikelse %;År\r\n"
        '"IT; drift";1234567,89;-5,0;2011\r\n'
        "'=SUMMA(A1);0;;\r\n"
        "\r\n"
        "Händelser\r\n"
        "Dag;När;Värde\r\n"
        "2011-03-31;2011-03-01 12:05:09;2,05\r\n"
    )
    assert write_csv(small_report()) == expected.encode("utf-8")


def test_a_csv_of_a_page_in_tkr_is_in_tkr_exact_to_the_krona_and_says_so() -> None:
    lines = write_csv(small_report(Scale.TKR)).decode("utf-8-sig").splitlines()
    assert lines[1] == "Belopp i tkr, exakta på kronan (med decimaler där det behövs)."
    # Only the column of amounts is labelled; a percent or a year is not in tkr.
    assert lines[5] == "Enhet;Budget (tkr);Avvikelse %;År"
    assert lines[6] == '"IT; drift";1234,56789;-5,0;2011'
    assert lines[7] == "'=SUMMA(A1);0;;"


def test_whole_thousands_in_tkr_carry_no_trailing_zeros() -> None:
    report = Report("T", "U", "P", (Section("S", ("Budget",), ((Amount(D("-109550000")),),)),))
    tkr = Report(**{**report.__dict__, "scale": Scale.TKR})
    assert write_csv(tkr).decode("utf-8-sig").splitlines()[-1] == "-109550"


def test_a_report_with_a_per_moment_says_so_in_its_heading() -> None:
    report = Report("Plan", "KS Kommunstyrelsen", "2011–2013", (), per="2011-06-30")
    first_line = write_csv(report).decode("utf-8-sig").splitlines()[0]
    assert first_line == "Plan;Enhet: KS Kommunstyrelsen;Period: 2011–2013;Per: 2011-06-30"


def workbook(report: Report) -> list[Worksheet]:
    book = load_workbook(io.BytesIO(write_xlsx(report)))
    sheets: list[Worksheet] = []
    for name in book.sheetnames:
        sheet = book[name]
        assert isinstance(sheet, Worksheet)
        sheets.append(sheet)
    return sheets


def test_each_section_is_a_sheet_with_the_heading_on_top_and_frozen_headers() -> None:
    report = small_report()
    budget, events = workbook(report)
    assert (budget.title, events.title) == ("Budget", "Händelser")
    header = header_row(report)
    assert header == 8
    for sheet in (budget, events):
        assert [sheet.cell(row, 1).value for row in range(1, header - 1)] == [
            "Uppföljning 2011 för IT-kontor",
            "Enhet: IT IT-kontor",
            "Period: 2011",
            "Belopp i kronor.",
            NOTICE,
            None,
        ]
        assert sheet.cell(header - 1, 1).value == sheet.title
        assert sheet.freeze_panes == f"A{header + 1}"
    assert [cell.value for cell in budget[header]] == ["Enhet", "Budget", "Avvikelse %", "År"]


def test_numbers_are_numbers_with_the_reports_formats() -> None:
    budget, events = workbook(small_report())
    name, amount, percent, year = budget[9]
    assert name.value == "IT; drift" and name.data_type == "s"
    assert amount.data_type == "n" and amount.number_format == KRONOR_FORMAT
    assert D(str(amount.value)) == D("1234567.89")
    assert percent.data_type == "n" and percent.number_format == PERCENT_FORMAT
    assert percent.value == -5
    assert year.value == 2011 and year.data_type == "n"
    formula_like, zero, empty, _ = budget[10]
    assert formula_like.value == "=SUMMA(A1)" and formula_like.data_type == "s"
    assert zero.value == 0 and empty.value is None
    day, moment, measured = events[9]
    assert day.value == datetime(2011, 3, 31)
    assert moment.value == datetime(2011, 3, 1, 12, 5, 9)  # in UTC
    assert measured.data_type == "n" and D(str(measured.value)) == D("2.05")


def test_tkr_reports_keep_exact_kronor_in_the_cell_and_show_thousands() -> None:
    budget, _ = workbook(small_report(Scale.TKR))
    assert budget["A4"].value == "Belopp i tkr; cellerna har exakta kronor."
    assert budget["B9"].number_format == TKR_FORMAT
    assert D(str(budget["B9"].value)) == D("1234567.89")


def test_the_file_holds_the_decimals_own_digits() -> None:
    # 0.1 + 0.2 as a float is 0.30000000000000004; the Decimal is written as it is.
    report = Report(
        "T",
        "U",
        "P",
        (
            Section(
                "S",
                ("A",),
                ((Amount(D("1234567.89")),), (Amount(D("0.3")),), (Amount(D("1E+3")),)),
            ),
        ),
    )
    with zipfile.ZipFile(io.BytesIO(write_xlsx(report))) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<v>1234567.89</v>" in xml and "<v>0.3</v>" in xml and "<v>1000</v>" in xml
    assert "<f>" not in xml


def test_sheet_names_are_made_valid_short_and_unique() -> None:
    assert sheet_names(
        [
            "Budget: [drift]/plan?",
            "Kommunstyrelsens pågående alternativt nya projekt 2011–2013",
            "Kommunstyrelsens pågående alternativt nya projekt 2012–2014",
            "budget- -drift--plan-",
            "'citerad'",
            "*",
        ]
    ) == [
        "Budget- -drift--plan-",
        "Kommunstyrelsens pågående alter",
        "Kommunstyrelsens pågående a (2)",
        "budget- -drift--plan- (2)",
        "citerad",
        "-",
    ]
    assert sheet_names(["", "''"]) == ["Blad", "Blad (2)"]
    assert all(len(name) <= 31 for name in sheet_names(["x" * 40, "x" * 40]))


def test_the_workbook_uses_the_valid_names() -> None:
    report = Report("T", "U", "P", (Section("a/b", (), ()), Section("A-B", (), ())))
    assert [sheet.title for sheet in workbook(report)] == ["a-b", "A-B (2)"]


def test_columns_are_as_wide_as_their_longest_cell_within_bounds() -> None:
    section = Section(
        "S",
        ("Kort", "Belopp", "Lång text"),
        ((Text("ab"), Amount(D("-12000001")), Text("x" * 200)),),
    )
    assert column_widths(section) == [10, 13, 60]


def test_a_row_must_have_a_cell_per_header() -> None:
    with pytest.raises(ValueError, match="2 cells for 1 headers"):
        Section("S", ("A",), ((None, None),))


def test_utc_moments_are_written_unchanged() -> None:
    report = Report(
        "T",
        "U",
        "P",
        (Section("S", ("När",), ((Moment(datetime(2011, 1, 2, 3, 4, 5, tzinfo=UTC)),),)),),
    )
    assert "2011-01-02 03:04:05" in write_csv(report).decode("utf-8-sig")


def test_swedish_moments_are_in_swedish_time_in_winter_and_summer_in_both_files() -> None:
    winter = datetime(2026, 12, 6, 21, 41, 30, tzinfo=UTC)
    summer = datetime(2011, 7, 1, 21, 41, tzinfo=UTC)
    rows = ((Moment(winter, swedish=True),), (Moment(summer, swedish=True),))
    report = Report("T", "U", "P", (Section("S", ("När",), rows),))
    text = write_csv(report).decode("utf-8-sig")
    assert "2026-12-06 22:41\r\n" in text or "2026-12-06 22:41\n" in text
    assert "2011-07-01 23:41" in text
    (sheet,) = workbook(report)
    cells = [c.value for (c,) in sheet.iter_rows() if isinstance(c.value, datetime)]
    assert cells == [datetime(2026, 12, 6, 22, 41, 30), datetime(2011, 7, 1, 23, 41)]
