"""The history view ("Historik"): every change of a unit's figures for a year, oldest first.

Pure: rows in, view out, no I/O. Each entry says when, who, from which system, under which
message and decision, and the value before and after.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from services.reporting.read_models.budget.history import Value
from services.reporting.reports.history.follow_ups import FollowUpEntry, follow_up_json
from services.reporting.reports.shared.formatting import (
    format_kronor,
    format_signed_tkr,
    format_tkr,
)
from services.reporting.reports.shared.senders import (
    PERSON_SOURCE,
    sender_in_words,
    source_in_words,
    swedish_time,
)
from services.reporting.reports.shared.unit_year import UnitYearView

DRAFT = "proposed"
SHORT_TEXT = 200

_FIGURE_KINDS = {"budget": "Budget", "plan": "Plan", "actuals": "Bokslut"}
_STATUSES = {
    "proposed": "förslag",
    "adopted": "fastställd",
    "revised": "reviderad",
    "ready": "klar",
    "reopened": "öppen igen",
}
_SECTIONS = {
    "activity_description": "Sammanfattande verksamhetsbeskrivning",
    "activity_changes": "Sammanfattande verksamhetsförändringar",
    "interim_report": "Text till delårsrapporten",
    "annual_report": "Text till årsredovisningen",
}


READINESS_WORDS = {"ReportMarkedReady": "Klarmarkerad", "ReportReopened": "Öppnad igen"}

# What a change of these types is called, from its item (a month, a note, a project) and
# its year.
_WHAT = {
    "ActualsRecorded": "Utfall {item}",
    "ForecastMade": "Prognos {item}",
    "MonthCommentWritten": "Kommentar och åtgärder {item}",
    "BudgetProfileSet": "Budgetprofil {year}",
    "FrameChanged": "Ramförändring {year}",
    "ProjectShareSet": "Projektandel {year}, projekt {item}",
    "TableNoteAttached": "Not {item}",
}
_READY_REPORTS = {
    "month_report": "månadsuppföljningen",
    "interim_report": "delårsrapporten",
    "annual_report": "årsredovisningen",
}


@dataclass(frozen=True)
class HistoryEntry:
    sequence: int
    event_id: UUID
    event_type: str
    year: int
    item: str | None  # a figure's kind, a month (YYYY-MM) or a narrative's section
    decision: str | None
    recorded_at: datetime
    actor: str
    actor_name: str | None
    source_system: str
    # The message the change comes from, as the service that stored it names it: the
    # message id of the command it took, or for a change another service's event led to
    # (a project share), that event's correlation, the message that started it. Never an
    # id the sender chose for anything else: the service keeps those as its references.
    correlation_id: UUID
    old: Value | None
    new: Value
    caused_by: UUID | None = None  # the event (of another service) that led to this one
    trace_id: str | None = None  # the trace the change was stored in

    @property
    def what(self) -> str:
        """What changed, in Swedish: "Budget 2011", "Utfall 2011-03", "Ramförändring 2011"."""
        item = self.item or ""
        if self.event_type == "FiguresSet":
            return f"{_FIGURE_KINDS.get(item, item)} {self.year}"
        named = _WHAT.get(self.event_type)
        if named is not None:
            return named.format(item=item, year=self.year)
        if self.event_type in READINESS_WORDS:
            report, _, period = item.partition(":")
            return (
                f"{READINESS_WORDS[self.event_type]}: {_READY_REPORTS.get(report, report)} {period}"
            )
        if self.event_type == "NetInvestmentSet":
            return f"Nettoinvesteringar, {_FIGURE_KINDS.get(item, item).lower()} {self.year}"
        return _SECTIONS.get(item, item)

    @property
    def is_draft(self) -> bool:
        return self.new.status == DRAFT

    @property
    def when(self) -> str:
        """When the change was stored, in Swedish time: "2026-12-06 23:41"."""
        return swedish_time(self.recorded_at)

    @property
    def by_person(self) -> bool:
        return self.source_system == PERSON_SOURCE

    @property
    def who(self) -> str:
        return sender_in_words(self.actor, self.actor_name, self.source_system)

    @property
    def from_where(self) -> str:
        return source_in_words(self.source_system)


def status_label(status: str | None) -> str | None:
    return None if status is None else _STATUSES.get(status, status)


def net(value: Value) -> Decimal | None:
    if value.revenue is None or value.costs is None:
        return None
    return value.revenue + value.costs


def shorten(text: str, limit: int = SHORT_TEXT) -> str:
    """A text cut at a word boundary near ``limit`` characters, with "…" when cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(maxsplit=1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip() + " …"


@dataclass(frozen=True)
class HistoryView(UnitYearView):
    entries: tuple[HistoryEntry, ...]
    parked: int = 0
    # The measurements and status reports of the subtree's year, oldest first.
    follow_ups: tuple[FollowUpEntry, ...] = ()

    @property
    def title(self) -> str:
        return f"Historik {self.year} för {self.unit_name}"


def without_drafts(entries: Sequence[HistoryEntry]) -> list[HistoryEntry]:
    """The entries a reader who may not see drafts sees.

    A proposed figure is left out, and so is a draft as the old value of the figure that
    replaced it: that entry's old value is then the one the reader last saw, if any.
    """
    seen: dict[tuple[str, int, str | None], Value] = {}
    shown: list[HistoryEntry] = []
    for entry in entries:
        key = (entry.event_type, entry.year, entry.item)
        if entry.is_draft:
            continue
        if entry.old is not None and entry.old.status == DRAFT:
            entry = replace(entry, old=seen.get(key))
        seen[key] = entry.new
        shown.append(entry)
    return shown


def build_history(
    unit_code: str,
    unit_name: str,
    year: int,
    entries: Sequence[HistoryEntry],
    *,
    drafts: bool,
    parked: int = 0,
    follow_ups: tuple[FollowUpEntry, ...] = (),
) -> HistoryView:
    ordered = sorted(entries, key=lambda e: (e.recorded_at, e.sequence))
    listed = ordered if drafts else without_drafts(ordered)
    return HistoryView(unit_code, unit_name, year, tuple(listed), parked, follow_ups)


# --- JSON ---------------------------------------------------------------------------------


def value_json(value: Value | None, event_type: str) -> dict[str, Any] | None:
    if value is None:
        return None
    result: dict[str, Any] = {}
    if value.status is not None:
        result["status"] = value.status
    amounts = {"revenue": value.revenue, "costs": value.costs, "net": net(value)}
    # A project share's amount is the project's budget it is a share of.
    amounts["project_budget" if event_type == "ProjectShareSet" else "amount"] = value.amount
    present = {name: amount for name, amount in amounts.items() if amount is not None}
    result.update({name: format_kronor(amount) for name, amount in present.items()})
    if present:
        signed = event_type == "FrameChanged"
        result["tkr"] = {
            name: format_signed_tkr(amount) if signed else format_tkr(amount)
            for name, amount in present.items()
        }
    if value.text is not None:
        result["text"] = value.text
    return result


def entry_json(entry: HistoryEntry) -> dict[str, Any]:
    return {
        "recorded_at": entry.recorded_at.isoformat(),
        "recorded_at_text": entry.when,
        "who": entry.who,
        "from": entry.from_where,
        "what": entry.what,
        "event_type": entry.event_type,
        "item": entry.item,
        "year": entry.year,
        "status": entry.new.status,
        "actor": entry.actor,
        "actor_name": entry.actor_name,
        "source_system": entry.source_system,
        "message_id": str(entry.correlation_id),
        "event_id": str(entry.event_id),
        "decision": entry.decision,
        "caused_by_event_id": None if entry.caused_by is None else str(entry.caused_by),
        "old": value_json(entry.old, entry.event_type),
        "new": value_json(entry.new, entry.event_type),
    }


def history_to_json(view: HistoryView) -> dict[str, Any]:
    return {
        **view.heading_json(view.title),
        "entries": [entry_json(entry) for entry in view.entries],
        "follow_ups": [follow_up_json(entry) for entry in view.follow_ups],
        "parked_events": view.parked,
    }
