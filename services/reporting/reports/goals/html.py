"""The goals view as a Swedish HTML page, formatted like the plan, with a chart of each
measured commitment."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

from contracts.goals.fields import CommitmentKind, MeasureUnit
from services.reporting.reports.goals.builder import KIND_LABELS, period_label
from services.reporting.reports.goals.commitment import STATUS_WORDS, CommitmentView, Measured
from services.reporting.reports.goals.view import CARDS, GoalsView
from services.reporting.reports.shared.attainment import Attainment
from services.reporting.reports.shared.charts import Axis, Reference, Series
from services.reporting.reports.shared.formatting import format_measure
from services.reporting.reports.shared.line_chart import line_chart
from services.reporting.reports.shared.pages import PAGES

AXIS_LABELS = {
    MeasureUnit.PERCENT.value: "procent",
    MeasureUnit.INDEX.value: "index",
    MeasureUnit.COUNT.value: "antal",
    MeasureUnit.RANK.value: "placering (lägre är bättre)",
    MeasureUnit.KRONOR.value: "kronor",
}
# A place in a ranking is a whole number; no tick between two places.
SMALLEST_STEPS = {MeasureUnit.RANK.value: Decimal(1), MeasureUnit.COUNT.value: Decimal(1)}


@dataclass(frozen=True)
class Chart:
    caption: str
    svg: Markup


def _series(
    name: str, measured: tuple[Measured, ...], part: Callable[[Measured], Decimal | None]
) -> Series:
    return Series(name, [part(m) for m in measured])


def measurement_chart(view: CommitmentView) -> Chart | None:
    """The commitment's measurements period by period against its baseline and target;
    None for an activity or where nothing has been measured."""
    measured = view.measured
    if view.kind == CommitmentKind.ACTIVITY.value or not measured:
        return None
    unit = view.unit
    series = [_series("Totalt", measured, lambda m: m.total)]
    if view.by_gender:
        series += [
            _series("Kvinnor", measured, lambda m: m.women),
            _series("Män", measured, lambda m: m.men),
        ]
    references = []
    if view.baseline is not None and view.baseline.total is not None:
        baseline_period = period_label(view.baseline.period)
        references.append(Reference(f"Utgångsvärde {baseline_period}", view.baseline.total))
    if view.target is not None and view.target.level is not None:
        references.append(Reference(f"Målnivå ({view.target.words})", view.target.level))
    axis = Axis(
        AXIS_LABELS.get(unit or "", ""),
        lambda value: format_measure(value, unit),
        SMALLEST_STEPS.get(unit or ""),
        include_zero=False,
    )
    caption = "Mätvärden över tid mot utgångsvärde och målnivå"
    summary = f"{view.text}: mätvärden per period."
    svg = line_chart(
        f"matvarden-{view.commitment_id}",
        caption,
        summary,
        [period_label(m.period) for m in measured],
        series,
        axis,
        references,
    )
    return Chart(caption, svg)


def render_goals_html(view: GoalsView) -> str:
    charts = {
        c.commitment_id: chart
        for c in view.commitments
        if view.display == CARDS and (chart := measurement_chart(c)) is not None
    }
    return PAGES.get_template("goals.html").render(
        view=view,
        kind_labels={kind.value: label for kind, label in KIND_LABELS.items()},
        status_words=STATUS_WORDS,
        charts=charts,
        attainments=list(Attainment),
        perspective_names=dict(view.perspectives),
    )
