"""The history of a unit's figures as a file to download (services.reporting.table_export),
from the HistoryView the page is drawn from: one row per change, the old and the new value
in columns of their own, texts in full. The workbook shows amounts in tkr, as the page."""

from __future__ import annotations

from services.reporting.read_models.budget.history import Value
from services.reporting.reports.history.builder import HistoryEntry, HistoryView, net, status_label
from services.reporting.reports.shared.table_export import (
    Cell,
    Moment,
    Report,
    Row,
    Scale,
    Section,
    Text,
    amount,
    text,
)

HEADERS = (
    "När (UTC)",
    "Vad",
    "Status",
    "Tidigare intäkter",
    "Tidigare kostnader",
    "Tidigare netto",
    "Tidigare belopp",
    "Tidigare text",
    "Nya intäkter",
    "Nya kostnader",
    "Nytt netto",
    "Nytt belopp",
    "Ny text",
    "Vem",
    "Namn",
    "Från system",
    "Meddelande",
    "Orsakad av händelse",
    "Beslut",
)


def _value(value: Value | None) -> tuple[Cell, Cell, Cell, Cell, Cell]:
    """Revenue, costs, net, the amount (a project share's: the project's budget) and text."""
    if value is None:
        return None, None, None, None, None
    return (
        amount(value.revenue),
        amount(value.costs),
        amount(net(value)),
        amount(value.amount),
        text(value.text),
    )


def _row(entry: HistoryEntry) -> Row:
    return (
        Moment(entry.recorded_at),
        Text(entry.what),
        text(status_label(entry.new.status)),
        *_value(entry.old),
        *_value(entry.new),
        text(entry.actor),
        text(entry.actor_name),
        text(entry.source_system),
        Text(str(entry.correlation_id)),
        None if entry.caused_by is None else Text(str(entry.caused_by)),
        text(entry.decision),
    )


def history_table(view: HistoryView) -> Report:
    return Report(
        title=view.title,
        unit=f"{view.unit_code} {view.unit_name}",
        period=str(view.year),
        sections=(Section("Historik", HEADERS, tuple(_row(e) for e in view.entries)),),
        scale=Scale.TKR,
    )


def history_file_name(view: HistoryView) -> str:
    return f"historik-{view.unit_code}-{view.year}"
