"""The history's measurements and status reports: what, for which period, the value in words,
when in Swedish time and who in words, on the page, in the JSON and in the files."""

from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

from services.reporting.read_models.goals.measurement_history import MeasurementRecord
from services.reporting.read_models.projects.status_report_history import StatusReportRecord
from services.reporting.reports.history.builder import build_history, history_to_json
from services.reporting.reports.history.export import history_table
from services.reporting.reports.history.follow_ups import follow_up_entries
from services.reporting.reports.history.html import render_history_html
from services.reporting.reports.shared.table_files import write_csv

MESSAGE = UUID("00000000-0000-4000-8000-000000000001")
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def measured(at: datetime, actor: str | None = "statistiksystem") -> MeasurementRecord:
    return MeasurementRecord(
        measure_id="nki-foretag",
        what="NKI för företagsklimatet ska vara minst 70",
        unit_code="NÄT",
        period="2011",
        total=Decimal("65.5"),
        women=Decimal("60"),
        men=None,
        source="SKL Insikt",
        recorded_at=at,
        actor=actor,
        actor_name=None,
        source_system="statistiksystem" if actor else None,
        message_id=MESSAGE if actor else None,
        trace_id=TRACE if actor else None,
    )


def reported(at: datetime) -> StatusReportRecord:
    return StatusReportRecord(
        project_code="kommunikationsplattform",
        what="Kommunikationsplattform",
        unit_code="KLF",
        period="2011-08",
        schedule="green",
        cost="yellow",
        quality="green",
        text="Upphandlingen är klar.",
        reported_by="Eva Ek",
        recorded_at=at,
        order=7,
        actor="anna",
        actor_name="Anna Andersson",
        source_system="http",
        message_id=MESSAGE,
        trace_id=None,
    )


SUMMER = datetime(2011, 8, 31, 21, 30, tzinfo=UTC)  # 23:30 in Sweden
LATER = datetime(2011, 9, 1, 6, 0, tzinfo=UTC)


def test_both_kinds_in_the_order_recorded_in_the_readers_words() -> None:
    first, later = follow_up_entries([measured(LATER)], [reported(SUMMER)])
    assert first.kind == "Lägesrapport" and later.kind == "Mätning"
    assert first.when == "2011-08-31 23:30"
    assert first.value == "tid grön, kostnad gul, kvalitet grön; Upphandlingen är klar."
    assert first.who == "Anna Andersson (anna), rapporterad av Eva Ek"
    assert later.value == "totalt 65,5, kvinnor 60; källa: SKL Insikt"
    assert later.who == "statistiksystem"


def test_a_measurement_applied_before_senders_were_kept_says_its_sender_is_unknown() -> None:
    (entry,) = follow_up_entries([measured(LATER, actor=None)], [])
    assert entry.who == "okänd avsändare" and entry.message_id is None


def test_the_page_the_json_and_the_file_list_them() -> None:
    entries = follow_up_entries([measured(LATER)], [reported(SUMMER)])
    view = build_history("KS", "Kommunstyrelsen", 2011, [], drafts=False, follow_ups=entries)
    page = render_history_html(view)
    assert "Mätningar och lägesrapporter 2011" in page
    assert "NKI för företagsklimatet ska vara minst 70" in page and str(MESSAGE) in page
    listed = history_to_json(view)["follow_ups"]
    assert [e["kind"] for e in listed] == ["Lägesrapport", "Mätning"]
    assert listed[0]["when"] == "2011-08-31 23:30" and listed[0]["message_id"] == str(MESSAGE)
    lines = write_csv(history_table(view)).decode("utf-8-sig").splitlines()
    start = lines.index("Mätningar och lägesrapporter")
    assert lines[start + 1].startswith("När (svensk tid);Slag;Vad;Enhet;Period;Värde;Vem")
    assert lines[start + 2].startswith("2011-08-31 23:30;Lägesrapport;Kommunikationsplattform;KLF")


def test_the_page_shows_the_trace_each_was_stored_in_where_it_has_one() -> None:
    entries = follow_up_entries([measured(LATER)], [reported(SUMMER)])
    view = build_history("KS", "Kommunstyrelsen", 2011, [], drafts=False, follow_ups=entries)
    page = render_history_html(view)
    assert page.count(f"spår {TRACE}") == 1 and page.count("spår ") == 1
    assert all("trace_id" not in entry for entry in history_to_json(view)["follow_ups"])


def test_without_any_the_page_says_so() -> None:
    view = build_history("IT", "IT-kontor", 2011, [], drafts=False)
    assert "Inga mätningar av målen eller lägesrapporter" in render_history_html(view)
