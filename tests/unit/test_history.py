"""The history of a unit's figures: rows written by the projection, and the view of them."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from contracts.budget.events import ActualsRecorded
from contracts.envelope import Envelope, EventMessage
from plumbing.projection import ReceivedEvent
from services.reporting.read_models.budget.history import VALUE_FIELDS, Value, history_rows
from services.reporting.reports.history.builder import (
    HistoryEntry,
    build_history,
    entry_json,
    history_to_json,
    shorten,
)
from services.reporting.reports.history.export import history_table
from services.reporting.reports.history.html import render_history_html
from services.reporting.reports.shared.senders import swedish_time
from services.reporting.reports.shared.table_files import write_csv

START = datetime(2011, 3, 1, 9, 0, tzinfo=UTC)
OLD = slice(12, 12 + len(VALUE_FIELDS))
NEW = slice(12 + len(VALUE_FIELDS), -1)
TRACE_ID = -1
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def event(event_type: str, payload: dict[str, Any], sequence: int) -> ReceivedEvent:
    envelope = Envelope(
        event_id=uuid4(),
        event_type=event_type,
        schema_version=1,
        stream_id="unit-IT",
        version=sequence,
        occurred_at=START,
        recorded_at=START + timedelta(minutes=sequence),
        source_system="ekonomisystem",
        actor="ledger",
        correlation_id=uuid4(),
        causation_id=uuid4(),
        traceparent=TRACEPARENT if sequence % 2 else None,
    )
    return ReceivedEvent(EventMessage(envelope=envelope, payload=payload), sequence)


def month(revenue: int, sequence: int) -> ReceivedEvent:
    payload = {"unit_code": "IT", "period": "2011-03", "revenue": str(revenue), "costs": "-10"}
    return event("ActualsRecorded", payload, sequence)


def change(
    revenue: int, sequence: int
) -> tuple[ReceivedEvent, ActualsRecorded, tuple[str, str], Value]:
    received = month(revenue, sequence)
    read = ActualsRecorded.model_validate(received.payload)
    return received, read, ("IT", "2011-03"), Value(revenue=Decimal(revenue))


def test_each_change_of_a_key_in_one_run_has_the_value_before_it_as_its_old_value() -> None:
    key = ("IT", "2011-03")
    changes = [change(r, s) for s, r in ((1, 5), (2, 7), (3, 9))]
    rows = history_rows(changes, before={key: Value(revenue=Decimal(3))})
    assert [(r[OLD][1], r[NEW][1]) for r in rows] == [(3, 5), (5, 7), (7, 9)]
    assert [(r[4], r[5]) for r in rows] == [(2011, "2011-03")] * 3
    assert rows[0][8:11] == ("ledger", None, "ekonomisystem")


def test_each_change_keeps_the_id_of_the_trace_it_was_stored_in_where_it_has_one() -> None:
    rows = history_rows([change(5, 1), change(7, 2)], {})
    assert [row[TRACE_ID] for row in rows] == ["4bf92f3577b34da6a3ce929d0e0e4736", None]


def test_a_key_never_written_before_has_no_old_value() -> None:
    (row,) = history_rows([change(5, 1)], {})
    assert row[OLD] == (None,) * len(VALUE_FIELDS)


def entry(sequence: int, status: str | None, costs: int, old: Value | None) -> HistoryEntry:
    return HistoryEntry(
        sequence=sequence,
        event_id=UUID(int=sequence),
        event_type="FiguresSet",
        year=2012,
        item="budget",
        decision="KS 2010-11-24 § 228",
        recorded_at=START + timedelta(minutes=sequence),
        actor="controller",
        actor_name="Karin Controller" if sequence == 3 else None,
        source_system="http",
        correlation_id=UUID(int=100 + sequence),
        old=old,
        new=Value(status=status, revenue=Decimal(0), costs=Decimal(costs)),
    )


ADOPTED = entry(1, "adopted", -1000, None)
PROPOSED = entry(2, "proposed", -2000, ADOPTED.new)
REVISED = entry(3, "revised", -3000, PROPOSED.new)


def test_without_drafts_a_proposed_figure_is_left_out_and_not_shown_as_an_old_value() -> None:
    everything = build_history("IT", "IT-kontor", 2012, [REVISED, PROPOSED, ADOPTED], drafts=True)
    assert [e.sequence for e in everything.entries] == [1, 2, 3]
    public = build_history("IT", "IT-kontor", 2012, [ADOPTED, PROPOSED, REVISED], drafts=False)
    assert [e.sequence for e in public.entries] == [1, 3]
    assert public.entries[1].old == ADOPTED.new


def test_json_has_exact_kronor_with_the_plans_tkr_and_who_from_where() -> None:
    data = entry_json(REVISED)
    assert data["what"] == "Budget 2012"
    assert data["old"]["status"] == "proposed"
    assert (data["new"]["costs"], data["new"]["net"], data["new"]["tkr"]["net"]) == (
        "-3000",
        "-3000",
        "-3",
    )
    assert data["message_id"] == str(UUID(int=103))
    assert data["actor_name"] == "Karin Controller"


def test_frame_changes_are_signed_and_narratives_shortened_in_the_page() -> None:
    frame = Value(amount=Decimal(1340000), text="Utökning av en informatör")
    text = "Informationskontoret ska verka för " * 20
    narrative = Value(text=text.strip())
    entries = [
        replace(ADOPTED, event_type="FrameChanged", new=frame),
        replace(
            REVISED, event_type="NarrativeWritten", item="activity_changes", old=None, new=narrative
        ),
    ]
    view = build_history("IT", "IT-kontor", 2012, entries, drafts=True)
    assert history_to_json(view)["entries"][0]["new"]["tkr"]["amount"] == "+1 340"
    page = render_history_html(view)
    assert "Ramförändring 2012" in page and "+1 340" in page
    assert "Sammanfattande verksamhetsförändringar" in page
    assert shorten(text) in page and text.strip() not in page
    assert "Karin Controller" in page


def test_the_page_shows_each_changes_trace_id_where_it_has_one() -> None:
    traced = replace(ADOPTED, trace_id="4bf92f3577b34da6a3ce929d0e0e4736")
    view = build_history("IT", "IT-kontor", 2012, [traced, REVISED], drafts=True)
    page = render_history_html(view)
    assert page.count("spår 4bf92f3577b34da6a3ce929d0e0e4736") == 1
    assert page.count("spår ") == 1


def test_a_short_text_is_kept_and_a_long_one_cut_at_a_word() -> None:
    assert shorten("kort text") == "kort text"
    cut = shorten("ord " * 100, limit=10)
    assert cut == "ord ord …"


def test_times_are_shown_in_swedish_time_in_winter_and_in_summer() -> None:
    assert swedish_time(datetime(2026, 12, 6, 21, 41, 30, tzinfo=UTC)) == "2026-12-06 22:41"
    assert swedish_time(datetime(2011, 7, 1, 21, 41, tzinfo=UTC)) == "2011-07-01 23:41"
    # The night summer time begins (01:00 UTC) and the night it ends.
    assert swedish_time(datetime(2011, 3, 27, 0, 59, tzinfo=UTC)) == "2011-03-27 01:59"
    assert swedish_time(datetime(2011, 3, 27, 1, 0, tzinfo=UTC)) == "2011-03-27 03:00"
    assert swedish_time(datetime(2011, 10, 30, 0, 30, tzinfo=UTC)) == "2011-10-30 02:30"
    assert swedish_time(datetime(2011, 10, 30, 1, 30, tzinfo=UTC)) == "2011-10-30 02:30"
    assert replace(ADOPTED, recorded_at=datetime(2012, 1, 2, 8, 5, tzinfo=UTC)).when == (
        "2012-01-02 09:05"
    )


def test_who_is_a_person_by_name_and_account_and_a_system_by_its_name() -> None:
    assert REVISED.who == "Karin Controller (controller)"
    assert ADOPTED.who == "controller"  # a token without a name
    system = replace(ADOPTED, source_system="ekonomisystem", actor="exempeldata")
    assert system.who == "ekonomisystem"
    service = replace(ADOPTED, source_system="projects", actor="projects")
    assert service.who == "projekttjänsten"


def test_the_page_the_json_and_the_files_say_who_in_words_and_when_in_swedish_time() -> None:
    shown = replace(REVISED, recorded_at=datetime(2026, 12, 6, 21, 41, tzinfo=UTC))
    view = build_history("IT", "IT-kontor", 2012, [shown], drafts=True)
    page = render_history_html(view)
    assert "2026-12-06 22:41" in page and "Karin Controller (controller)" in page
    assert "När (svensk tid)" in page and ">http<" not in page
    data = entry_json(shown)
    assert (data["recorded_at_text"], data["who"]) == ("2026-12-06 22:41", shown.who)
    assert (data["actor"], data["actor_name"], data["source_system"]) == (
        "controller",
        "Karin Controller",
        "http",
    )
    csv = write_csv(history_table(view)).decode("utf-8-sig")
    assert "2026-12-06 22:41;" in csv and "Karin Controller (controller);controller;" in csv
    assert "21:41" not in csv
