"""The operators' view and a journey as files to download (shared.table_export): the same
tables as the pages, times in Swedish time."""

from datetime import datetime

from services.reporting.reports.drift.builder import DriftView
from services.reporting.reports.drift.journey import JourneyView, MessageJourney
from services.reporting.reports.shared import table_export as table


def _moment(value: datetime | None) -> table.Moment | None:
    return None if value is None else table.Moment(value, swedish=True)


def drift_table(view: DriftView) -> table.Report:
    services = tuple(
        (
            table.Text(s.name),
            table.yes_no(s.ready),
            table.integer(s.backlog.waiting if s.backlog else None),
            table.text("; ".join(f"{lock.name}: {lock.holder or 'ingen'}" for lock in s.locks)),
            table.text(s.problem),
        )
        for s in view.services
    )
    systems = tuple(
        table.plain(t.system, t.service, t.received, t.accepted, t.refused) for t in view.traffic
    )
    consumers = tuple(
        table.plain(
            s.name,
            s.last_sequence,
            c.name,
            c.acknowledged,
            c.pending,
            None if c.lag_seconds is None else f"{c.lag_seconds:.1f}",
        )
        for s in view.streams
        for c in s.consumers
    )
    parked = tuple(table.plain(p.id, p.row.kind.value, p.row.reason) for p in view.parked_events)
    return table.Report(
        title=view.title,
        unit="",
        period="",
        sections=(
            table.Section("Tjänster", ("Tjänst", "Redo", "Utkorg", "Lås", "Problem"), services),
            table.Section(
                "System senaste timmen",
                ("System", "Tjänst", "Mottagna", "Godtagna", "Avvisade"),
                systems,
            ),
            table.Section(
                "Strömmar",
                ("Ström", "Senaste nr", "Konsument", "Kvitterat t.o.m.", "Väntar", "Eftersläp (s)"),
                consumers,
            ),
            table.Section("Parkerade", ("Id", "Slag", "Orsak"), parked),
        ),
    )


def _steps(message: MessageJourney) -> list[table.Row]:
    rows = [
        (_moment(step.at), *table.plain(message.message_id, step.service, step.what, step.detail))
        for step in message.steps
    ]
    for caused in message.caused:
        rows.extend(_steps(caused))
    return rows


def journey_table(view: JourneyView) -> table.Report:
    rows = tuple(row for message in view.messages for row in _steps(message))
    return table.Report(
        title=view.title,
        unit="",
        period="",
        sections=(
            table.Section(
                "Resan", ("När (svensk tid)", "Meddelande", "Tjänst", "Steg", "Vad"), rows
            ),
        ),
    )


def drift_file_name(view: DriftView) -> str:
    return "drift"


def journey_file_name(view: JourneyView) -> str:
    return f"resa-{view.wanted}"
