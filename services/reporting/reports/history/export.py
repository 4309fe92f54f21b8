"""The history of a unit's figures as a file to download (services.reporting.table_export),
from the HistoryView the page is drawn from: one row per change, the old and the new value
in columns of their own, texts in full, times in Swedish time and who in words beside the
account. The workbook shows amounts in tkr, as the page."""

from __future__ import annotations

from services.reporting.read_models.budget.history import Value
from services.reporting.reports.history.builder import HistoryEntry, HistoryView, net, status_label
from services.reporting.reports.history.follow_ups import follow_up_section
from services.reporting.reports.shared import table_export as table

HEADERS = (
    "När (svensk tid)",
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
    "Konto",
    "Från system",
    "Meddelande",
    "Orsakad av händelse",
    "Beslut",
)


def _value(
    value: Value | None,
) -> tuple[table.Cell, table.Cell, table.Cell, table.Cell, table.Cell]:
    """Revenue, costs, net, the amount (a project share's: the project's budget) and text."""
    if value is None:
        return None, None, None, None, None
    return (
        table.amount(value.revenue),
        table.amount(value.costs),
        table.amount(net(value)),
        table.amount(value.amount),
        table.text(value.text),
    )


def _row(entry: HistoryEntry) -> table.Row:
    return (
        table.Moment(entry.recorded_at, swedish=True),
        table.Text(entry.what),
        table.text(status_label(entry.new.status)),
        *_value(entry.old),
        *_value(entry.new),
        table.Text(entry.who),
        table.text(entry.actor),
        table.Text(entry.from_where),
        table.Text(str(entry.correlation_id)),
        None if entry.caused_by is None else table.Text(str(entry.caused_by)),
        table.text(entry.decision),
    )


def history_table(view: HistoryView) -> table.Report:
    return table.Report(
        title=view.title,
        unit=f"{view.unit_code} {view.unit_name}",
        period=str(view.year),
        sections=(
            table.Section("Historik", HEADERS, tuple(_row(e) for e in view.entries)),
            follow_up_section(view.follow_ups),
        ),
        scale=table.Scale.TKR,
    )


def history_file_name(view: HistoryView) -> str:
    return f"historik-{view.unit_code}-{view.year}"
