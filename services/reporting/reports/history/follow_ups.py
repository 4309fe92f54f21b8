"""The measurements and the projects' status reports of a unit's subtree in a year, as the
history page lists them below the budget's changes: what, for which period, the value in
words, when it was recorded (Swedish time), who sent it and under which message."""

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from contracts.projects.fields import Light
from services.reporting.read_models.goals.measurement_history import MeasurementRecord
from services.reporting.read_models.projects.status_report_history import StatusReportRecord
from services.reporting.reports.shared import table_export as table
from services.reporting.reports.shared.formatting import format_number
from services.reporting.reports.shared.senders import sender_in_words, swedish_time
from services.reporting.vocabulary import LIGHT_LABELS

MEASUREMENT, STATUS_REPORT = "Mätning", "Lägesrapport"


@dataclass(frozen=True)
class FollowUpEntry:
    kind: str  # MEASUREMENT or STATUS_REPORT
    what: str
    unit_code: str
    period: str
    value: str  # in words
    recorded_at: datetime
    who: str
    message_id: UUID | None
    trace_id: str | None = None  # shown on the page for operators

    @property
    def when(self) -> str:
        return swedish_time(self.recorded_at)


def _who(actor: str | None, actor_name: str | None, source_system: str | None) -> str:
    if actor is None or source_system is None:
        return "okänd avsändare"  # recorded before senders were kept, until a rebuild
    return sender_in_words(actor, actor_name, source_system)


def _number(label: str, value: Decimal | None) -> str | None:
    return None if value is None else f"{label} {format_number(value)}"


def _measured(m: MeasurementRecord) -> str:
    parts = [_number("totalt", m.total), _number("kvinnor", m.women), _number("män", m.men)]
    said = ", ".join(part for part in parts if part) or "inget värde"
    return f"{said}; källa: {m.source}"


def _lights(r: StatusReportRecord) -> str:
    lights = ", ".join(
        f"{name} {LIGHT_LABELS[Light(value)]}"
        for name, value in (("tid", r.schedule), ("kostnad", r.cost), ("kvalitet", r.quality))
    )
    return f"{lights}; {r.text}" if r.text else lights


def follow_up_entries(
    measurements: Sequence[MeasurementRecord], reports: Sequence[StatusReportRecord]
) -> tuple[FollowUpEntry, ...]:
    """Both, in the order they were recorded."""
    entries = [
        FollowUpEntry(
            MEASUREMENT,
            m.what,
            m.unit_code,
            m.period,
            _measured(m),
            m.recorded_at,
            _who(m.actor, m.actor_name, m.source_system),
            m.message_id,
            m.trace_id,
        )
        for m in measurements
    ] + [
        FollowUpEntry(
            STATUS_REPORT,
            r.what,
            r.unit_code,
            r.period,
            _lights(r),
            r.recorded_at,
            f"{_who(r.actor, r.actor_name, r.source_system)}, rapporterad av {r.reported_by}",
            r.message_id,
            r.trace_id,
        )
        for r in reports
    ]
    return tuple(sorted(entries, key=lambda e: e.recorded_at))


def follow_up_json(entry: FollowUpEntry) -> dict[str, Any]:
    # The trace id is for operators on the page, as the budget's changes show theirs; the
    # JSON keeps the fields it had.
    fields = {k: v for k, v in dataclasses.asdict(entry).items() if k != "trace_id"}
    return {
        **fields,
        "recorded_at": entry.recorded_at.isoformat(),
        "when": entry.when,
        "message_id": None if entry.message_id is None else str(entry.message_id),
    }


FOLLOW_UP_SECTION = "Mätningar och lägesrapporter"
FOLLOW_UP_HEADERS = (
    "När (svensk tid)",
    "Slag",
    "Vad",
    "Enhet",
    "Period",
    "Värde",
    "Vem",
    "Meddelande",
)


def follow_up_section(entries: Sequence[FollowUpEntry]) -> table.Section:
    return table.Section(
        FOLLOW_UP_SECTION,
        FOLLOW_UP_HEADERS,
        tuple(
            (
                table.Moment(e.recorded_at, swedish=True),
                *table.plain(
                    e.kind,
                    e.what,
                    e.unit_code,
                    e.period,
                    e.value,
                    e.who,
                    None if e.message_id is None else str(e.message_id),
                ),
            )
            for e in entries
        ),
    )
