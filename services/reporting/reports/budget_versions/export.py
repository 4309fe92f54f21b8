"""The budget versions side by side as a file to download (services.reporting.table_export):
a row per unit with each version's revenue, costs and net, and after every version but the
first the change from the one before it. The files show amounts in tkr, as the page."""

from __future__ import annotations

from collections.abc import Iterator

from services.reporting.reports.budget_versions.builder import VersionRow, VersionsView
from services.reporting.reports.plan.export import LINES
from services.reporting.reports.shared import table_export as table
from services.reporting.reports.shared.amounts import Amounts
from services.reporting.reports.shared.as_of import shown_moment

SECTION_TITLE = "Budgetversioner"


def _parts(amounts: Amounts | None) -> Iterator[table.Cell]:
    for _, part in LINES:
        yield None if amounts is None else table.amount(getattr(amounts, part))


def _line_headers(prefix: str) -> Iterator[str]:
    for label, _ in LINES:
        yield f"{prefix}: {label.lower()}"


def headers(view: VersionsView) -> tuple[str, ...]:
    found = ["Enhetskod", "Enhet"]
    labels = view.labels
    for i, label in enumerate(labels):
        found += _line_headers(label)
        if i > 0:
            found += _line_headers(f"Förändring {labels[i - 1].lower()}–{label.lower()}")
    return tuple(found)


def _row(row: VersionRow) -> table.Row:
    cells: list[table.Cell] = [table.text(row.code), table.text(row.name)]
    for i, amounts in enumerate(row.versions):
        cells += _parts(amounts)
        if i > 0:
            cells += _parts(row.change(i - 1, i))
    return tuple(cells)


def versions_table(view: VersionsView) -> table.Report:
    notices = () if view.rows else (f"Det finns ingen budget för {view.year} i någon version.",)
    return table.Report(
        title=view.title,
        unit=f"{view.unit_code} {view.unit_name}",
        period=str(view.year),
        per=shown_moment(view.per),
        notices=notices,
        sections=(table.Section(SECTION_TITLE, headers(view), tuple(_row(r) for r in view.rows)),),
        scale=table.Scale.TKR,
    )


def versions_file_name(view: VersionsView) -> str:
    return f"budgetversioner-{view.unit_code}-{view.year}"
