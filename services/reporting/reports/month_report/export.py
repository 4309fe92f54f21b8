"""The month report as a file to download: its one table for services.reporting.table_export.

One row per node and line (intäkter, kostnader, nettokostnad) with the report's columns, in
exact kronor (the digits of the JSON); the workbook shows them as whole kronor, percents with
one decimal.
"""

from __future__ import annotations

from collections.abc import Iterator

from services.reporting.reports.month_report.builder import (
    Figure,
    MonthReport,
    NodeReport,
)
from services.reporting.reports.shared.as_of import shown_moment
from services.reporting.reports.shared.table_export import (
    Cell,
    Report,
    Row,
    Scale,
    Section,
    amount,
    percent,
    text,
    yes_no,
)
from services.reporting.reports.shared.table_files import write_csv, write_xlsx

SECTION_TITLE = "Månadsuppföljning"
LINES = (("Intäkter", "revenue"), ("Kostnader", "costs"), ("Nettokostnad", "net"))


def headers(report: MonthReport) -> tuple[str, ...]:
    month = report.to_date_name
    return (
        "Enhetskod",
        "Enhet",
        "Rad",
        f"Budget {report.year}",
        f"Budget t.o.m. {month}",
        f"Utfall t.o.m. {month}",
        "Avvikelse",
        "Avvikelse %",
        "Prognos helår",
        "Prognosavvikelse",
        "Exempeldata",
        "Kommentar",
        "Åtgärder",
    )


def _amount(figure: Figure | None, part: str) -> Cell:
    return None if figure is None else amount(getattr(figure.value, part))


def _rows(node: NodeReport) -> Iterator[Row]:
    comment = node.comment
    for label, part in LINES:
        deviation = node.deviation_percent
        yield (
            text(node.code),
            text(node.name),
            text(label),
            _amount(node.budget, part),
            _amount(node.budget_to_date, part),
            _amount(node.actuals, part),
            _amount(node.deviation, part),
            None if deviation is None else percent(getattr(deviation, part)),
            _amount(node.forecast, part),
            _amount(node.forecast_deviation, part),
            yes_no(node.example_data),
            None if comment is None else text(comment.comment),
            None if comment is None else text(comment.measures),
        )


def month_report_table(report: MonthReport) -> Report:
    root = report.root
    return Report(
        title=report.title,
        unit=f"{root.code} {root.name}",
        period=report.period,
        per=shown_moment(report.per),
        notices=report.notices,
        scale=Scale.TKR,  # as the page shows its amounts
        sections=(
            Section(
                SECTION_TITLE,
                headers(report),
                tuple(row for node in report.nodes for row in _rows(node)),
            ),
        ),
    )


def file_name(report: MonthReport) -> str:
    """Without the extension, which is the format's."""
    return f"manadsuppfoljning-{report.root.code}-{report.period}"


def month_report_csv(report: MonthReport) -> bytes:
    return write_csv(month_report_table(report))


def month_report_xlsx(report: MonthReport) -> bytes:
    return write_xlsx(month_report_table(report))
