"""The plan's goals section and the goals view, built from rows (no I/O)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from services.reporting.read_models.budget.tables import UnitName, UnitRow
from services.reporting.read_models.goals.tables import (
    CommitmentRow,
    GoalRow,
    GoalsInput,
    IndicatorRow,
    MeasurementRow,
    NoteRow,
    PerspectiveRow,
)
from services.reporting.reports.goals.builder import period_key
from services.reporting.reports.goals.section import build_goals_section
from services.reporting.reports.goals.view import Filters, build_goals_view
from services.reporting.reports.plan.builder import PlanInput, build_plan
from services.reporting.reports.plan.html import render_plan_html
from services.reporting.reports.shared.refusals import UnknownFilter

UNITS = (UnitName("KLF", "Kommunledningsförvaltningen"), UnitName("IT", "IT-kontor"))
PERSPECTIVES = (
    PerspectiveRow("tvar", "KS", "Tvärfrågor", 2, None, 2),
    PerspectiveRow("samhalle", "KS", "Samhällsutveckling", 1, None, 1),
    PerspectiveRow("jam", "KS", "Jämställdhet", 2, "tvar", 4),
    PerspectiveRow("folk", "KS", "Folkhälsa", 1, "tvar", 3),
)


def goal(
    goal_id: str, perspective: str, order: int, unit: str = "KLF", last: int = 2013
) -> GoalRow:
    return GoalRow(goal_id, unit, perspective, f"Mål {goal_id}", 2011, last, None, order)


def commitment(
    commitment_id: str,
    goal_id: str,
    order: int,
    kind: str = "key_figure",
    follow_up: tuple[str, ...] = (),
    target: tuple[str, str, str] | None = None,
    baseline: str | None = None,
) -> CommitmentRow:
    comparison, value, unit = target if target else (None, None, None)
    return CommitmentRow(
        commitment_id,
        goal_id,
        kind,
        f"Åtagande {commitment_id}",
        follow_up,
        False,
        comparison,
        None if value is None else Decimal(value),
        unit,
        None,
        None,
        None if baseline is None else Decimal(baseline),
        None,
        None,
        None if baseline is None else "2009",
        None,
        order,
    )


def data() -> GoalsInput:
    return GoalsInput(
        units=UNITS,
        perspectives=PERSPECTIVES,
        goals=(
            goal("g-jam", "jam", 30),
            goal("g-folk", "folk", 20),
            goal("g-samhalle", "samhalle", 10),
            GoalRow("g-old", "KLF", "samhalle", "Mål g-old", 2009, 2010, None, 5),
        ),
        commitments=(
            commitment("c1", "g-samhalle", 11, follow_up=("month", "long_term")),
            commitment("c2", "g-folk", 21, kind="financial", target=("at_least", "1", "percent")),
            commitment("c3", "g-jam", 31, kind="activity"),
        ),
        indicators=(
            IndicatorRow("i1", "c1", None, "Användning", None, ("month",), None, False, 12),
        ),
        notes=(
            NoteRow("n-b", "c2", "footnote", "Om c2", 22),
            NoteRow("n-a", "i1", "definition", "Om i1", 13),
            NoteRow("n-c", "g-jam", "footnote", "Om g-jam", 32),
        ),
    )


def test_perspectives_in_the_boards_order_with_sub_areas_under_their_parent() -> None:
    section = build_goals_section(data(), "KLF", 2011)
    (klf,) = section.units
    assert [(p.name, p.depth, [g.goal_id for g in p.goals]) for p in klf.perspectives] == [
        ("Samhällsutveckling", 0, ["g-samhalle"]),
        ("Tvärfrågor", 0, []),
        ("Folkhälsa", 1, ["g-folk"]),
        ("Jämställdhet", 1, ["g-jam"]),
    ]


def test_footnotes_are_numbered_in_order_of_appearance() -> None:
    section = build_goals_section(data(), "KLF", 2011)
    assert [(f.number, f.text) for f in section.footnotes] == [
        (1, "Om i1"),
        (2, "Om c2"),
        (3, "Om g-jam"),
    ]
    samhalle, _, folk, jam = section.units[0].perspectives
    assert samhalle.goals[0].commitments[0].indicators[0].notes == (1,)
    assert folk.goals[0].commitments[0].notes == (2,)
    assert jam.goals[0].notes == (3,)


def test_follow_up_marks_and_kinds() -> None:
    samhalle = build_goals_section(data(), "KLF", 2011).units[0].perspectives[0]
    (c1,) = samhalle.goals[0].commitments
    assert c1.follow_up == (True, False, False, True)
    assert c1.indicators[0].follow_up == (True, False, False, False)
    folk = build_goals_section(data(), "KLF", 2011).units[0].perspectives[2]
    assert folk.goals[0].commitments[0].is_financial


def test_only_goals_whose_years_cover_the_year_and_an_empty_section_says_so() -> None:
    assert build_goals_section(data(), "KLF", 2011).empty is None
    empty = build_goals_section(data(), "Kommunledningsförvaltningen", 2014)
    assert empty.units == ()
    assert (
        empty.empty == "Inga resultatmål är registrerade för Kommunledningsförvaltningen år 2014."
    )
    old = build_goals_section(data(), "KLF", 2010)
    assert [g.goal_id for p in old.units[0].perspectives for g in p.goals] == ["g-old"]


def test_the_plan_page_shows_the_section_after_the_units() -> None:
    units = [
        UnitRow("KLF", "Kommunledningsförvaltningen", "administration", None, None, None, None, 1)
    ]
    rows = data()
    rows = GoalsInput(
        units=rows.units,
        perspectives=rows.perspectives,
        goals=(*rows.goals, GoalRow("g-x", "KLF", "samhalle", "<b>Fet</b>", 2011, 2013, None, 99)),
        commitments=rows.commitments,
        indicators=rows.indicators,
        notes=rows.notes,
    )
    view = build_plan(PlanInput(units, [], [], [], [], goals=rows), "KLF", 2011)
    html = render_plan_html(view)
    assert html.index("Kommunledningsförvaltningen</h2>") < html.index(
        "<h2>Nämndens resultatmål och åtaganden"
    )
    assert "&lt;b&gt;Fet&lt;/b&gt;" in html
    assert '<sup class="ref"><a href="#fotnot-2">2</a></sup>' in html
    assert "Finansiellt mål" in html and "Aktivitet:" in html and "Indikator:" in html
    no_goals = render_plan_html(build_plan(PlanInput(units, [], [], [], []), "KLF", 2011))
    assert "Resultatmålen har ännu inte lästs in." in no_goals


def test_the_goals_view_filters_and_refuses_unknown_values() -> None:
    rows = data()
    klf = UNITS[0]
    view = build_goals_view(rows, klf, 2011)
    assert [c.commitment_id for c in view.commitments] == ["c1", "c2", "c3"]
    cross = build_goals_view(rows, klf, 2011, Filters("tvar"))
    assert [c.perspective for c in cross.commitments] == [
        "Tvärfrågor – Folkhälsa",
        "Tvärfrågor – Jämställdhet",
    ]
    unmeasured = build_goals_view(rows, klf, 2011, Filters.parse(None, "ej_matt"))
    assert len(unmeasured.commitments) == 3
    with pytest.raises(UnknownFilter, match="maluppfyllelse=kanske finns inte"):
        Filters.parse(None, "kanske")
    with pytest.raises(UnknownFilter, match="perspektiv=nej finns inte"):
        build_goals_view(rows, klf, 2011, Filters("nej"))


def test_the_latest_measurement_up_to_the_year_and_the_history_oldest_first() -> None:
    at = datetime(2011, 1, 1, tzinfo=UTC)

    def m(period: str, total: str) -> MeasurementRow:
        return MeasurementRow("c2", period, Decimal(total), None, None, "SCB", at)

    rows = data()
    rows = GoalsInput(
        units=rows.units,
        perspectives=rows.perspectives,
        goals=rows.goals,
        commitments=rows.commitments,
        measurements=(m("2012", "2"), m("2011-interim", "0.5"), m("2011-03", "0.2")),
        measurement_history=(m("2011-03", "0.1"), m("2011-03", "0.2")),
    )
    c2 = next(
        c for c in build_goals_view(rows, UNITS[0], 2011).commitments if c.commitment_id == "c2"
    )
    assert [h.period for h in c2.history] == ["2011-03", "2011-interim", "2012"]
    assert [r.total for r in c2.history[0].replaced] == [Decimal("0.1")]
    assert c2.latest is not None and c2.latest.period == "2011-interim"
    # 0,5 % against at least 1 % for the year, in August: not failed before the year's end,
    # and with no baseline to draw a path from, not judged.
    assert c2.attainment.total.label == "ej bedömt"
    assert period_key("2011") > period_key("2011-12") > period_key("2011-interim")
