"""The interim and annual reports built from rows (no I/O): the month report's economy at the
period's end, net investments, goal attainment per perspective, projects and narratives."""

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fastapi import HTTPException
from pydantic import ValidationError

from services.reporting.read_models.budget.tables import (
    FigureRow,
    MonthRow,
    NarrativeRow,
    NetInvestmentRow,
    UnitName,
    UnitNode,
    UnitRow,
)
from services.reporting.read_models.goals.tables import (
    CommitmentRow,
    GoalRow,
    GoalsInput,
    MeasurementRow,
    PerspectiveRow,
)
from services.reporting.read_models.projects.tables import (
    ProjectRow,
    ProjectsInput,
    StatusReportRow,
)
from services.reporting.reports.month_report.builder import EXAMPLE_NOTICE, MonthReportInput
from services.reporting.reports.month_report.json import month_report_to_json
from services.reporting.reports.month_report.walk import build_month_report
from services.reporting.reports.period_report.builder import (
    GOALS_NOT_LOADED,
    PROJECTS_NOT_LOADED,
    PeriodReportInput,
    ReportKind,
)
from services.reporting.reports.period_report.goal_attainment import Counts
from services.reporting.reports.period_report.json import period_report_to_json
from services.reporting.reports.period_report.report import PeriodReport, build_period_report
from services.reporting.reports.period_report.routes import (
    parse_till,
    parse_year,
    render_period_report_html,
)
from services.reporting.reports.shared.attainment import Attainment
from services.reporting.reports.shared.refusals import UnknownUnit
from services.reporting.settings import ReportingSettings

D = Decimal
AT = datetime(2011, 9, 1, tzinfo=UTC)

UNITS = (
    UnitRow("KS", "Kommunstyrelsen", "board", None, None, None, None, 1),
    UnitRow("IT", "IT-kontor", "unit", "KS", None, None, None, 2),
    UnitRow("STAB", "Staben", "unit", "KS", None, None, None, 3),
    UnitRow("KFN", "Kultur- och fritidsnämnden", "board", None, None, None, None, 4),
)


def actual(unit: str, period: str, revenue: str, costs: str, example: bool = False) -> MonthRow:
    return MonthRow(unit, period, D(revenue), D(costs), example)


ECONOMY = MonthReportInput(
    units=UNITS,
    figures=(
        FigureRow("IT", 2011, "budget", "adopted", D("1200000"), D("-12000001"), None),
        FigureRow("STAB", 2011, "budget", "adopted", D("600000"), D("-3600000"), None),
    ),
    actuals=(
        *(actual("IT", f"2011-{m:02d}", "100000", "-1000000") for m in range(1, 13)),
        actual("STAB", "2011-01", "50000", "-300000", example=True),
    ),
    forecasts=(
        actual("IT", "2011-05", "1200000", "-12500000"),
        actual("IT", "2011-10", "1200000", "-12900000"),
    ),
)

INVESTMENTS = (
    NetInvestmentRow("IT", 2011, "budget", D("500000")),
    NetInvestmentRow("STAB", 2011, "budget", D("250000")),
    NetInvestmentRow("IT", 2011, "actuals", D("430000")),
    NetInvestmentRow("IT", 2010, "budget", D("999")),  # another year
    NetInvestmentRow("IT", 2011, "plan", D("777")),  # a plan year's kind, not the budget
)

NARRATIVES = (
    NarrativeRow("KS", 2011, "interim_report", "Halvåret gick enligt plan."),
    NarrativeRow("IT", 2011, "annual_report", "Året avslutades med ett litet underskott."),
    NarrativeRow("STAB", 2011, "activity_description", "Staben stöder nämnden."),
    NarrativeRow("IT", 2010, "interim_report", "Förra året."),
)

PERSPECTIVES = (
    PerspectiveRow("medb", "KS", "Medborgare", 1, None, 1),
    PerspectiveRow("med", "KS", "Medarbetare", 2, None, 2),
)


def commitment(
    cid: str,
    goal_id: str,
    follow_up: tuple[str, ...],
    order: int,
    by_gender: bool = False,
    kind: str = "key_figure",
) -> CommitmentRow:
    has_target = kind != "activity"
    return CommitmentRow(
        commitment_id=cid,
        goal_id=goal_id,
        kind=kind,
        text=f"Åtagande {cid}",
        follow_up=follow_up,
        by_gender=by_gender,
        target_comparison="at_least" if has_target else None,
        target_value=D("60") if has_target else None,
        target_unit="index" if has_target else None,
        target_due_year=None,
        target_due_on=None,
        baseline_value=D("50") if has_target else None,
        baseline_women=None,
        baseline_men=None,
        baseline_period="2009" if has_target else None,
        baseline_source=None,
        order=order,
    )


def measured(
    mid: str, period: str, total: str | None, women: str | None = None, men: str | None = None
) -> MeasurementRow:
    def value(text: str | None) -> Decimal | None:
        return None if text is None else D(text)

    return MeasurementRow(mid, period, value(total), value(women), value(men), "SCB", AT)


GOALS = GoalsInput(
    units=(UnitName("KS", "Kommunstyrelsen"), UnitName("IT", "IT-kontor")),
    perspectives=PERSPECTIVES,
    goals=(
        GoalRow("g1", "KS", "medb", "Nöjda medborgare", 2011, 2013, None, 1),
        GoalRow("g2", "IT", "med", "Friska medarbetare", 2011, 2013, None, 2),
    ),
    commitments=(
        # Interim and annual: met at the interim, by gender.
        commitment("c-nki", "g1", ("interim", "annual"), 1, by_gender=True),
        # Interim only: partly met (moved from 50 toward 60).
        commitment("c-svar", "g1", ("interim",), 2),
        # Annual only: measured in October.
        commitment("c-halsa", "g2", ("annual",), 3),
        # Monthly only: in neither report.
        commitment("c-manad", "g2", ("month",), 4),
        # Interim, never measured.
        commitment("c-ny", "g2", ("interim",), 5),
    ),
    measurements=(
        measured("c-nki", "2011-interim", None, women="62", men="55"),
        measured("c-svar", "2011-06", "55"),
        measured("c-halsa", "2011-10", "40"),
        measured("c-manad", "2011-03", "70"),
    ),
)


def project(code: str, unit: str, order: int, **fields: object) -> ProjectRow:
    values: dict[str, object] = {
        "project_code": code,
        "name": f"Projekt {code}",
        "board_code": "KS",
        "unit_code": unit,
        "run_by_project_office": False,
        "project_manager": None,
        "steering_group": (),
        "purpose": None,
        "goals_text": None,
        "planned_start": None,
        "planned_end": None,
        "directive": None,
        "decision": None,
        "registered_status": "ongoing",
        "status": "ongoing",
        "registered_at": AT,
        "registered_by": "Projektkontoret",
        "order": order,
    }
    values.update(fields)
    return ProjectRow(**values)  # type: ignore[arg-type]


def status_report(code: str, period: str, schedule: str, order: int) -> StatusReportRow:
    return StatusReportRow(code, period, schedule, "green", "green", None, "PL", AT, order)


PROJECTS = ProjectsInput(
    projects=(
        project("intranat", "IT", 1),
        project(
            "gammalt", "STAB", 2, planned_start=date(2008, 1, 1), planned_end=date(2009, 12, 31)
        ),
        project("bibliotek", "KFN", 3),
    ),
    units=tuple(UnitNode(u.code, u.name, u.parent_code, u.order) for u in UNITS),
    status_reports=(
        status_report("intranat", "2011-05", "green", 1),
        status_report("intranat", "2011-11", "red", 2),
    ),
)

FULL = PeriodReportInput(ECONOMY, INVESTMENTS, NARRATIVES, GOALS, PROJECTS)


def interim(data: PeriodReportInput = FULL, unit: str = "KS", month: int = 8) -> PeriodReport:
    return build_period_report(data, unit, 2011, ReportKind.INTERIM, month)


def annual(data: PeriodReportInput = FULL, unit: str = "KS") -> PeriodReport:
    return build_period_report(data, unit, 2011, ReportKind.ANNUAL)


# --- economy ------------------------------------------------------------------------------


def test_the_economy_is_the_month_report_of_the_periods_last_month() -> None:
    report = interim(month=6)
    assert report.economy == build_month_report(ECONOMY, "KS", 2011, 6)
    it = {node.code: node for node in report.economy.nodes}["IT"]
    assert it.actuals is not None and it.actuals.value.net == D("-5400000")
    # The forecast of October is after June: May's is the latest.
    assert it.forecast_period == "2011-05"
    assert report.title == "Delårsrapport januari–juni 2011 för Kommunstyrelsen"
    assert (report.first_period, report.last_period) == ("2011-01", "2011-06")


def test_the_annual_report_is_the_whole_year_whatever_month_it_is_given() -> None:
    report = build_period_report(FULL, "KS", 2011, ReportKind.ANNUAL, 3)
    assert report.last_month == 12
    assert report.economy == build_month_report(ECONOMY, "KS", 2011, 12)
    root = report.economy.root
    assert root.budget is not None and root.budget_to_date is not None
    assert root.reported_month == 12
    # IT has reported every month, Staben January alone: each unit's budget to date runs to
    # its own last reported month, and KS's to January, the one month both have reported.
    it = next(n for n in report.economy.nodes if n.code == "IT")
    assert it.budget is not None and it.budget_to_date is not None
    assert it.budget_to_date.value == it.budget.value
    assert root.budget_to_date.value != root.budget.value
    assert root.compared_month == 1
    assert report.title == "Årsredovisning 2011 för Kommunstyrelsen"


def test_a_period_of_one_month_is_named_by_that_month_alone() -> None:
    assert interim(month=1).title == "Delårsrapport januari 2011 för Kommunstyrelsen"


def test_an_unknown_unit_is_refused() -> None:
    with pytest.raises(UnknownUnit):
        interim(unit="FINNS_EJ")


def test_example_data_is_marked_in_json_and_html() -> None:
    report = interim()
    assert report.example_data
    found = period_report_to_json(report)
    assert found["example_data"] is True
    assert found["notice"] == EXAMPLE_NOTICE
    stab = next(n for n in found["economy"]["nodes"] if n["code"] == "STAB")
    assert stab["actuals_to_date"]["example_data"] is True
    assert found["economy"]["nodes"] == month_report_to_json(report.economy)["nodes"]
    page = render_period_report_html(report)
    assert EXAMPLE_NOTICE in page
    assert "Exempeldata</span>" in page
    only_it = interim(unit="IT")
    assert not only_it.example_data
    assert period_report_to_json(only_it)["notice"] is None
    assert "Exempeldata" not in render_period_report_html(only_it)


# --- net investments ------------------------------------------------------------------------


def test_the_interim_report_shows_the_budget_and_says_the_outcome_is_not_reported() -> None:
    section = interim().investments
    assert not section.with_outcome
    assert section.note is not None and "delårsrapporten visar årets budget" in section.note
    by_code = {unit.code: unit for unit in section.units}
    assert list(by_code) == ["KS", "IT", "STAB"]
    ks = by_code["KS"]
    assert ks.budget is not None
    assert (ks.budget.value, ks.budget.source) == (D("750000"), "rolled_up")
    assert all(unit.outcome is None for unit in section.units)


def test_the_annual_report_holds_the_outcome_against_the_budget() -> None:
    section = annual().investments
    assert section.with_outcome and section.note is None
    by_code = {unit.code: unit for unit in section.units}
    assert by_code["IT"].deviation == D("-70000")
    # Only IT reported an outcome: the board's is IT's, against the board's whole budget.
    ks = by_code["KS"]
    assert ks.outcome is not None and ks.outcome.value == D("430000")
    assert ks.deviation == D("-320000")
    assert by_code["STAB"].outcome is None and by_code["STAB"].deviation is None
    units = period_report_to_json(annual())["net_investments"]["units"]
    assert units[1]["outcome"] == {
        "source": "own",
        "amount": "430000",
        "tkr": "430",
        "difference": None,
    }


def test_an_annual_report_without_any_outcome_says_so() -> None:
    budgets = tuple(i for i in INVESTMENTS if i.kind == "budget")
    section = annual(dataclasses.replace(FULL, net_investments=budgets)).investments
    assert section.note == (
        "Utfallet för nettoinvesteringarna 2011 är inte rapporterat; avsnittet visar budgeten."
    )


def test_an_own_investment_budget_that_differs_from_the_units_shows_the_gap() -> None:
    rows = (*INVESTMENTS, NetInvestmentRow("KS", 2011, "budget", D("800000")))
    [ks, *_] = interim(dataclasses.replace(FULL, net_investments=rows)).investments.units
    assert ks.budget is not None
    assert (ks.budget.value, ks.budget.source, ks.budget.difference) == (
        D("800000"),
        "own",
        D("50000"),
    )


def test_without_net_investments_the_section_stays_and_says_so() -> None:
    report = interim(dataclasses.replace(FULL, net_investments=()))
    assert report.investments.empty == (
        "Inga nettoinvesteringar är budgeterade för Kommunstyrelsen år 2011."
    )
    assert "Inga nettoinvesteringar är budgeterade" in render_period_report_html(report)


# --- goal attainment ------------------------------------------------------------------------


def test_goal_attainment_counts_the_interim_commitments_per_perspective() -> None:
    section = interim().goals
    assert section.follow_up == "Delår"
    [citizens, staff] = section.perspectives
    assert citizens.name == "Medborgare"
    assert [c.commitment_id for c in citizens.commitments] == ["c-nki", "c-svar"]
    # Neither is due before the year's end. c-nki in August, 20 of 24 months from 50 (2009)
    # toward 60 (2011's end), where the path is at 58,3: women 62 on track, men 55 not; its
    # total is the lesser of the two. c-svar 55 in June, behind the path's 57,5.
    assert citizens.total == Counts(off_track=2)
    assert citizens.women == Counts(on_track=1)
    assert citizens.men == Counts(off_track=1)
    assert staff.name == "Medarbetare"
    assert [c.commitment_id for c in staff.commitments] == ["c-ny"]
    assert staff.total == Counts(not_measured=1)
    assert staff.women is None and staff.men is None


def test_the_annual_report_evaluates_every_commitment_with_the_whole_years_values() -> None:
    section = annual().goals
    assert section.follow_up == "Årligen"
    ids = [c.commitment_id for p in section.perspectives for c in p.commitments]
    assert ids == ["c-nki", "c-svar", "c-halsa", "c-manad", "c-ny"]
    assert section.others == 0
    assert section.note is not None and "alla 5 åtaganden" in section.note
    halsa = section.perspectives[1].commitments[0]
    assert halsa.latest is not None and halsa.latest.period == "2011-10"
    # The year not over, each value is on its path or not: c-halsa 40 in October (behind
    # 59,2), c-manad 70 in March (ahead of 56,3); c-ny never measured.
    assert section.perspectives[1].total == Counts(on_track=1, off_track=1, not_measured=1)
    assert section.overall == Counts(on_track=1, off_track=3, not_measured=1)
    # The year's own values decide once they are there: 61 is met, 55 only partly.
    whole_year = (measured("c-halsa", "2011", "61"), measured("c-svar", "2011", "55"))
    goals = dataclasses.replace(GOALS, measurements=(*GOALS.measurements, *whole_year))
    judged = {
        c.commitment_id: c.attainment.total
        for p in annual(dataclasses.replace(FULL, goals=goals)).goals.perspectives
        for c in p.commitments
    }
    assert (judged["c-halsa"], judged["c-svar"]) == (Attainment.MET, Attainment.PARTLY_MET)


def test_the_interim_report_says_how_many_other_commitments_the_year_has() -> None:
    section = interim().goals
    assert section.others == 2
    assert section.note == (
        "Delårsrapporten visar de 3 åtaganden som följs upp vid delåret (Delår); ytterligare 2"
        " av årets åtaganden följs upp först i årsredovisningen."
    )
    page = render_period_report_html(interim())
    assert section.note in page and "Alla perspektiv" in page and "I fas" in page
    assert period_report_to_json(interim())["goals"]["others"] == 2


def test_values_after_the_periods_end_are_not_counted() -> None:
    # The interim value is the delår's: a report ending in June has no value for c-nki yet,
    # and c-svar's June value still counts.
    [citizens, _] = interim(month=6).goals.perspectives
    assert citizens.total == Counts(off_track=1, not_measured=1)
    assert citizens.women == Counts(not_measured=1)


def test_without_the_goals_read_model_the_section_says_so() -> None:
    report = interim(dataclasses.replace(FULL, goals=None))
    assert report.goals.empty == GOALS_NOT_LOADED
    assert report.goals.perspectives == ()
    assert GOALS_NOT_LOADED in render_period_report_html(report)
    assert period_report_to_json(report)["goals"]["empty"] == GOALS_NOT_LOADED


def test_a_unit_without_commitments_for_the_report_says_so() -> None:
    # As the query reads them: the goals of Staben's subtree, which has none.
    none = dataclasses.replace(GOALS, units=(UnitName("STAB", "Staben"),), goals=())
    report = interim(dataclasses.replace(FULL, goals=none), unit="STAB")
    assert report.goals.empty == (
        "Staben och enheterna under har inga åtaganden 2011 som följs upp i delårsrapporten"
        " (Delår)."
    )


def test_goal_attainment_in_json_has_counts_and_the_commitments() -> None:
    goals = period_report_to_json(interim())["goals"]
    assert goals["follow_up"] == "interim"
    citizens = goals["perspectives"][0]
    assert citizens["attainment"] == {
        "met": 0,
        "partly_met": 0,
        "not_met": 0,
        "on_track": 0,
        "off_track": 2,
        "not_judged": 0,
        "not_measured": 0,
        "total": 2,
    }
    assert goals["attainment"]["total"] == 3 and goals["labels"]["on_track"] == "i fas"
    assert citizens["women"]["on_track"] == 1
    assert citizens["commitments"][0]["attainment"]["women"]["label"] == "i fas"


# --- projects ---------------------------------------------------------------------------------


def test_projects_of_the_subtree_with_their_latest_status_up_to_the_periods_end() -> None:
    rows = interim().projects.rows
    # The library is another board's; the old project ended in 2009.
    assert [row.project_code for row in rows] == ["intranat"]
    assert rows[0].latest is not None
    assert (rows[0].latest.period, rows[0].latest.schedule) == ("2011-05", "green")
    [annual_row] = annual().projects.rows
    assert annual_row.latest is not None and annual_row.latest.schedule == "red"
    found = period_report_to_json(interim())["projects"]["projects"]
    assert found[0]["latest_status_report"]["schedule"] == {"code": "green", "label": "grön"}


def test_without_projects_the_section_says_so() -> None:
    report = interim(unit="STAB")
    assert report.projects.empty == (
        "Inga projekt är registrerade för Staben och enheterna under år 2011."
    )
    not_loaded = interim(dataclasses.replace(FULL, projects=None))
    assert not_loaded.projects.empty == PROJECTS_NOT_LOADED
    assert PROJECTS_NOT_LOADED in render_period_report_html(not_loaded)


# --- narratives -----------------------------------------------------------------------------


def test_each_report_shows_the_texts_written_for_it() -> None:
    interim_texts = {unit.code: unit.narrative for unit in interim().narratives.units}
    assert interim_texts == {"KS": "Halvåret gick enligt plan."}
    annual_texts = {unit.code: unit.narrative for unit in annual().narratives.units}
    assert annual_texts == {"IT": "Året avslutades med ett litet underskott."}
    assert annual().narratives.title == "Verksamhetens text till årsredovisningen"
    assert period_report_to_json(annual())["narratives"]["section"] == "annual_report"


def test_without_a_text_the_section_says_so() -> None:
    report = interim(unit="STAB")
    assert report.narratives.empty == (
        "Ingen text till delårsrapporten 2011 är skriven för Staben eller enheterna under."
    )


# --- the page -------------------------------------------------------------------------------


def test_the_page_has_every_section_in_swedish() -> None:
    page = render_period_report_html(interim())
    # Staben has reported January alone, so KS's economy compares January (see
    # test_month_report's months reported unevenly).
    assert "de månader som alla har rapporterat" in page
    for heading in (
        "Ekonomi t.o.m. januari 2011",
        "Nettoinvesteringar 2011",
        "Måluppfyllelse per perspektiv",
        "Projekt</h2>",
        "Verksamhetens text till delårsrapporten",
    ):
        assert heading in page
    assert 'href="/uppfoljning/KS/2011-08"' in page
    # A measurement by gender alone shows both values, and the delår by its Swedish name.
    assert "kvinnor 62, män 55" in page
    assert "delår 2011" in page and "2011-interim" not in page
    assert "Halvåret gick enligt plan." in page
    assert "<title>Delårsrapport januari–augusti 2011 för Kommunstyrelsen</title>" in page


def test_parked_events_of_every_read_model_are_counted() -> None:
    data = PeriodReportInput(
        dataclasses.replace(ECONOMY, parked=1),
        goals=dataclasses.replace(GOALS, parked=2),
        projects=dataclasses.replace(PROJECTS, parked=4),
    )
    assert interim(data).parked == 7
    assert period_report_to_json(interim(data))["parked_events"] == 7


# --- the query's words ------------------------------------------------------------------------


def test_till_names_a_month_of_the_reports_year() -> None:
    assert parse_till(None, 2011, 8) == 8
    assert parse_till("2011-06", 2011, 8) == 6
    for wrong, words in (
        ("2011-6", "ÅÅÅÅ-MM"),
        ("2011-13", "Månad 13 finns inte"),
        ("2010-06", "ligger inte i 2011"),
        ("juni", "ÅÅÅÅ-MM"),
    ):
        with pytest.raises(HTTPException) as refused:
            parse_till(wrong, 2011, 8)
        assert refused.value.status_code == 422
        assert words in str(refused.value.detail)


def test_the_year_is_four_digits_in_the_allowed_range() -> None:
    assert parse_year("2011") == 2011
    for wrong, words in (
        ("1989", "utanför 1990–2100"),
        ("２０１１", "fyra siffror"),
        ("11", "fyra siffror"),
    ):
        with pytest.raises(HTTPException) as refused:
            parse_year(wrong)
        assert refused.value.status_code == 422
        assert words in str(refused.value.detail)


def test_the_interim_reports_last_month_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ReportingSettings().interim_last_month == 8
    monkeypatch.setenv("KOMMUNPLAN_INTERIM_LAST_MONTH", "6")
    assert ReportingSettings().interim_last_month == 6
    monkeypatch.setenv("KOMMUNPLAN_INTERIM_LAST_MONTH", "13")
    with pytest.raises(ValidationError):
        ReportingSettings()


# --- months not reported and a year not closed ---------------------------------------------

AUGUST = dataclasses.replace(
    FULL,
    economy=dataclasses.replace(
        ECONOMY, actuals=tuple(a for a in ECONOMY.actuals if a.period <= "2011-08")
    ),
)


def test_an_annual_report_of_a_year_not_closed_says_so_and_shows_no_full_year_outcome() -> None:
    report = annual(AUGUST)
    assert not report.closed
    economy = report.economy
    assert economy.reported_month == 8 and economy.missing_months == (9, 10, 11, 12)
    root = economy.root
    assert root.budget is not None and root.budget_to_date is not None
    # Budget and actuals for the months every unit has reported (Staben: January), not the
    # year's budget against eight months.
    assert root.budget_to_date.value != root.budget.value
    assert economy.compared_month == 1
    notice = report.not_closed_notice
    assert notice is not None and "inte avslutat" in notice and "prognos" in notice
    assert notice in report.notices and economy.missing_notice in report.notices
    page = render_period_report_html(report)
    assert "Utfall t.o.m. januari" in page and "Utfall t.o.m. december" not in page
    assert "Året 2011 är inte avslutat" in page and "Prognos helår" in page
    found = period_report_to_json(report)
    assert found["closed"] is False and notice in found["notices"]
    assert found["economy"]["missing_months"] == ["2011-09", "2011-10", "2011-11", "2011-12"]


def test_the_year_is_closed_when_its_outcome_exists_for_the_unit_or_below() -> None:
    closed = annual(dataclasses.replace(AUGUST, closed_units=frozenset({"IT"})))
    assert closed.closed and closed.not_closed_notice is None
    elsewhere = annual(dataclasses.replace(AUGUST, closed_units=frozenset({"ANNAN"})))
    assert not elsewhere.closed


def test_an_interim_report_says_which_months_are_missing() -> None:
    report = build_period_report(AUGUST, "STAB", 2011, ReportKind.INTERIM, 8)
    assert report.not_closed_notice is None  # the interim report has no year end to close
    assert report.economy.missing_months == tuple(range(2, 9))
    assert "februari–augusti 2011" in render_period_report_html(report)
