"""A node's table on the month report's page: its figures in tkr, its deviation in percent
and what it does not reconcile with its children. Written in Python rather than in the
page's template: a report of hundreds of units has thousands of cells, and a template
spends several times as long on each (its loops, macros and lookups) as these functions."""

from decimal import Decimal

from markupsafe import Markup, escape

from services.reporting.reports.month_report.builder import Figure, MonthReport, NodeReport
from services.reporting.reports.shared.formatting import format_number, format_tkr

_EXAMPLE_MARK = ' <span class="example">Exempeldata</span>'
_EXAMPLE = Markup(_EXAMPLE_MARK)
_NO_MARK = Markup("")
_ROLLED_UP_HINT = '<small class="hint">summa av underliggande</small>'
_LINES = (("Intäkter", "revenue", ""), ("Kostnader", "costs", ""), ("Nettokostnad", "net", "net"))
_PERCENT_COLUMN = 4  # the deviation in percent follows the fourth column, the deviation
_DIFFERENCE_HEAD = (
    '      <tr class="difference"><th scope="row">Ej fördelat / ej avstämt mot underliggande</th>\n'
)


def format_percent(value: Decimal | None) -> str:
    """A percent with one decimal as Swedish writes it: "-3,2 %"; empty for none."""
    return "" if value is None else f"{format_number(value)} %"


def example(flag: bool) -> Markup:
    """The mark beside what rests on example data; nothing beside what does not."""
    return _EXAMPLE if flag else _NO_MARK


def _columns(
    report: MonthReport, node: NodeReport
) -> tuple[tuple[str, Figure | None, str | None], ...]:
    """Each column's heading, figure and hint."""
    to_date = report.to_date_name_of(node)
    made = f"gjord {node.forecast_period}" if node.forecast_period else None
    return (
        (f"Budget {report.year}", node.budget, None),
        (
            f"Budget t.o.m. {to_date}",
            node.budget_to_date,
            "enligt budgetprofil" if node.profile else None,
        ),
        (f"Utfall t.o.m. {to_date}", node.actuals, None),
        ("Avvikelse", node.deviation, None),
        ("Prognos helår", node.forecast, made),
        ("Prognosavvikelse", node.forecast_deviation, None),
    )


def _heading(label: str, figure: Figure | None, hint: str | None) -> str:
    found = f'        <th scope="col">{escape(label)}'
    if figure is not None:
        if figure.source == "rolled_up":
            found += _ROLLED_UP_HINT
        if hint:
            found += f'<small class="hint">{escape(hint)}</small>'
        if figure.example_data:
            found += _EXAMPLE_MARK
    return found + "</th>\n"


def _cell(figure: Figure | None, part: str) -> str:
    if figure is None:
        return '        <td class="num"></td>\n\n'
    rolled = " rolled-up" if figure.source == "rolled_up" else ""
    amount = escape(format_tkr(getattr(figure.value, part)))
    return f'        <td class="num{rolled}">{amount}</td>\n\n'


def _percent(node: NodeReport, part: str) -> str:
    percents = node.deviation_percent
    if percents is None:
        return '<td class="num"></td>'
    percent = getattr(percents, part)
    deviation = node.deviation
    if percent is None and deviation is not None and getattr(deviation.value, part) != 0:
        return '<td class="num"><small class="hint">ej meningsfull</small></td>'
    return f'<td class="num">{escape(format_percent(percent))}</td>'


def _difference(figure: Figure | None) -> str:
    if figure is None or figure.difference is None:
        return '        <td class="num"></td>\n'
    gap = figure.difference
    found = f'        <td class="num">{escape(format_tkr(gap.net))}'
    if gap.revenue != 0:
        found += (
            f'<small class="hint">intäkter {escape(format_tkr(gap.revenue))},'
            f" kostnader {escape(format_tkr(gap.costs))}</small>"
        )
    return found + "</td>\n"


def node_table(report: MonthReport, node: NodeReport) -> Markup:
    """The node's table, from its opening tag to its closing one."""
    columns = _columns(report, node)
    parts = ['<table class="month-report">\n    <thead>\n      <tr>\n        <td></td>\n']
    for number, (label, figure, hint) in enumerate(columns, 1):
        parts.append(_heading(label, figure, hint))
        if number == _PERCENT_COLUMN:
            parts.append('<th scope="col">Avvikelse %</th>')
    parts.append("      </tr>\n    </thead>\n    <tbody>\n")
    for line, part, css in _LINES:
        attribute = f' class="{css}"' if css else ""
        parts.append(f'      <tr{attribute}><th scope="row">{line}</th>\n')
        for number, (_, figure, _) in enumerate(columns, 1):
            parts.append(_cell(figure, part))
            if number == _PERCENT_COLUMN:
                parts.append(_percent(node, part))
        parts.append("      </tr>\n")
    if node.has_difference:
        parts.append(_DIFFERENCE_HEAD)
        for number, (_, figure, _) in enumerate(columns, 1):
            parts.append(_difference(figure))
            if number == _PERCENT_COLUMN:
                parts.append("<td></td>")
        parts.append("      </tr>\n")
    parts.append("    </tbody>\n  </table>")
    return Markup("".join(parts))
