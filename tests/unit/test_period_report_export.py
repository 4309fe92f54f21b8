"""The interim and annual reports' files (no I/O): a section per part of the page, the economy
as the month report writes it, investments with an outcome only where the report has one,
attainment counts with women and men, lights, texts, and why a section is empty."""

import csv
import dataclasses
import io
from datetime import UTC, datetime
from decimal import Decimal

from services.reporting.reports.month_report.builder import EXAMPLE_NOTICE
from services.reporting.reports.month_report.export import month_report_table
from services.reporting.reports.period_report.builder import GOALS_NOT_LOADED, PROJECTS_NOT_LOADED
from services.reporting.reports.period_report.export import (
    ATTAINMENT_HEADERS,
    PROJECT_HEADERS,
    period_report_file_name,
    period_report_table,
)
from services.reporting.reports.shared.as_of import shown_moment
from services.reporting.reports.shared.table_export import Amount, Integer, Scale, Section, Text
from services.reporting.reports.shared.table_files import write_csv
from tests.unit.test_period_report import FULL, annual, interim

D = Decimal


def sections(report_table: tuple[Section, ...]) -> dict[str, Section]:
    return {section.title: section for section in report_table}


def test_a_sheet_per_part_of_the_page_in_its_order() -> None:
    table = period_report_table(interim(month=6))
    assert [s.title for s in table.sections] == [
        "Ekonomi t.o.m. januari 2011",  # the month Staben and IT have both reported
        "Nettoinvesteringar 2011",
        "Måluppfyllelse per perspektiv",
        "Åtaganden",
        "Projekt",
        "Verksamhetens text",
    ]
    assert table.title == "Delårsrapport januari–juni 2011 för Kommunstyrelsen"
    assert (table.unit, table.period) == ("KS Kommunstyrelsen", "2011-01–2011-06")
    assert table.scale is Scale.TKR
    assert table.per is None


def test_the_economy_is_the_month_reports_table() -> None:
    report = interim()
    economy = period_report_table(report).sections[0]
    (month,) = month_report_table(report.economy).sections
    assert (economy.headers, economy.rows) == (month.headers, month.rows)
    assert economy.rows  # three lines per node of the tree


def test_the_interim_report_has_the_budget_of_investments_only() -> None:
    investments = sections(period_report_table(interim()).sections)["Nettoinvesteringar 2011"]
    assert investments.headers == ("Enhetskod", "Enhet", "Budget 2011")
    assert investments.rows == (
        (Text("KS"), Text("Kommunstyrelsen"), Amount(D("750000"))),
        (Text("IT"), Text("IT-kontor"), Amount(D("500000"))),
        (Text("STAB"), Text("Staben"), Amount(D("250000"))),
    )


def test_the_annual_report_has_outcome_and_deviation_where_there_is_an_outcome() -> None:
    investments = sections(period_report_table(annual()).sections)["Nettoinvesteringar 2011"]
    assert investments.headers == (
        "Enhetskod",
        "Enhet",
        "Budget 2011",
        "Utfall 2011",
        "Avvikelse",
    )
    ks, it, stab = investments.rows
    assert ks[2:] == (Amount(D("750000")), Amount(D("430000")), Amount(D("-320000")))
    assert it[2:] == (Amount(D("500000")), Amount(D("430000")), Amount(D("-70000")))
    assert stab[2:] == (Amount(D("250000")), None, None)


def test_attainment_counts_per_perspective_with_women_and_men_where_measured_so() -> None:
    attainment = sections(period_report_table(interim()).sections)["Måluppfyllelse per perspektiv"]
    assert attainment.headers == ATTAINMENT_HEADERS
    counts = [
        (row[0], row[1], *(c.value for c in row[2:] if isinstance(c, Integer)))
        for row in attainment.rows
    ]
    # Uppfyllt, delvis, ej uppfyllt, i fas, inte i fas, ej bedömt, ej mätt, summa.
    assert counts == [
        (Text("Medborgare"), Text("Åtaganden"), 0, 0, 0, 0, 2, 0, 0, 2),
        (Text("Medborgare"), Text("Kvinnor"), 0, 0, 0, 1, 0, 0, 0, 1),
        (Text("Medborgare"), Text("Män"), 0, 0, 0, 0, 1, 0, 0, 1),
        (Text("Medarbetare"), Text("Åtaganden"), 0, 0, 0, 0, 0, 0, 1, 1),
        (Text("Alla perspektiv"), Text("Åtaganden"), 0, 0, 0, 0, 2, 0, 1, 3),
    ]


def test_the_commitments_counted_are_listed_perspective_by_perspective() -> None:
    listed = sections(period_report_table(interim()).sections)["Åtaganden"]
    assert [row[4] for row in listed.rows] == [
        Text("Åtagande c-nki"),
        Text("Åtagande c-svar"),
        Text("Åtagande c-ny"),
    ]
    assert [row[19] for row in listed.rows] == [
        Text("inte i fas"),
        Text("inte i fas"),
        Text("ej mätt"),
    ]
    # The annual report evaluates every commitment of the year, whatever its follow-up.
    annual_ids = sections(period_report_table(annual()).sections)["Åtaganden"]
    assert [row[4] for row in annual_ids.rows] == [
        Text(f"Åtagande {cid}") for cid in ("c-nki", "c-svar", "c-halsa", "c-manad", "c-ny")
    ]


def test_projects_with_their_latest_lights_up_to_the_periods_end() -> None:
    (interim_row,) = sections(period_report_table(interim()).sections)["Projekt"].rows
    assert len(interim_row) == len(PROJECT_HEADERS)
    assert interim_row[0] == Text("intranat")
    assert interim_row[4:8] == (Text("2011-05"), Text("grön"), Text("grön"), Text("grön"))
    (annual_row,) = sections(period_report_table(annual()).sections)["Projekt"].rows
    assert annual_row[4:6] == (Text("2011-11"), Text("röd"))
    # Before May there is no status report to show.
    (early,) = sections(period_report_table(interim(month=4)).sections)["Projekt"].rows
    assert early[4:] == (Text("Ingen lägesrapport"), None, None, None, None)


def test_each_report_has_the_texts_written_for_it() -> None:
    interim_texts = sections(period_report_table(interim()).sections)["Verksamhetens text"]
    assert interim_texts.rows == (
        (Text("KS"), Text("Kommunstyrelsen"), Text("Halvåret gick enligt plan.")),
    )
    annual_texts = sections(period_report_table(annual()).sections)["Verksamhetens text"]
    assert [row[0] for row in annual_texts.rows] == [Text("IT")]


def test_notices_warn_of_example_data_and_say_why_a_section_is_empty() -> None:
    report = interim()
    assert report.economy.uneven_notice is not None  # Staben has reported January alone
    assert period_report_table(report).notices == (
        EXAMPLE_NOTICE,
        report.economy.uneven_notice,
        report.investments.note,
        "Delårsrapporten visar de 3 åtaganden som följs upp vid delåret (Delår); ytterligare 2"
        " av årets åtaganden följs upp först i årsredovisningen.",
    )
    bare = interim(dataclasses.replace(FULL, goals=None, projects=None, narratives=()))
    table = period_report_table(bare)
    assert GOALS_NOT_LOADED in table.notices and PROJECTS_NOT_LOADED in table.notices
    assert bare.narratives.empty in table.notices
    by_title = sections(table.sections)
    assert by_title["Måluppfyllelse per perspektiv"].rows == ()
    assert by_title["Projekt"].rows == ()
    # Only Staben's January is example data.
    it = period_report_table(annual(unit="IT"))
    assert EXAMPLE_NOTICE not in it.notices


def test_the_moment_read_as_of_is_in_the_file() -> None:
    moment = datetime(2011, 9, 15, 10, 0, tzinfo=UTC)
    report = dataclasses.replace(interim(), per=moment)
    table = period_report_table(report)
    assert table.per == shown_moment(moment) == "2011-09-15 12:00"
    first = next(csv.reader(io.StringIO(write_csv(table).decode("utf-8-sig")), delimiter=";"))
    assert first[-1] == "Per: 2011-09-15 12:00"


def test_file_names_say_which_report_of_which_unit_and_year() -> None:
    assert period_report_file_name(interim()) == "delarsrapport-KS-2011"
    assert period_report_file_name(annual(unit="IT")) == "arsredovisning-IT-2011"
