"""The month report's calculation: periodisation, actuals to date, deviations, roll-up."""

import dataclasses
import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest

from services.reporting.read_models.budget.tables import (
    CommentRow,
    FigureRow,
    MonthRow,
    ProjectShareRow,
    UnitRow,
)
from services.reporting.reports.month_report.builder import (
    EXAMPLE_NOTICE,
    MonthReportInput,
    NodeReport,
    ProfileRow,
)
from services.reporting.reports.month_report.html import render_month_report_html
from services.reporting.reports.month_report.json import month_report_to_json
from services.reporting.reports.month_report.to_date import PERCENT_NOTE, percent_of, periodise
from services.reporting.reports.month_report.walk import build_month_report
from services.reporting.reports.shared.amounts import Amounts
from services.reporting.reports.shared.refusals import UnknownUnit

D = Decimal

UNITS = (
    UnitRow("KS", "Kommunstyrelsen", "board", None, None, None, None, 1),
    UnitRow("IT", "IT-kontor", "unit", "KS", "Kontorschef", "Hans Haglund", None, 2),
    UnitRow("STAB", "Staben", "unit", "KS", None, None, None, 3),
)

# IT: revenue 1 200 000,00, costs -12 000 001,00 (not divisible by 12 to the öre).
IT_BUDGET = FigureRow("IT", 2011, "budget", "adopted", D("1200000"), D("-12000001"), None)
STAB_BUDGET = FigureRow("STAB", 2011, "budget", "adopted", D("600000"), D("-3600000"), None)
# A profile: less in July, summing to 100.
PROFILE = tuple(D(p) for p in ("9", "9", "9", "9", "9", "9", "1", "9", "9", "9", "9", "9"))


def actual(unit: str, period: str, revenue: str, costs: str, example: bool = False) -> MonthRow:
    return MonthRow(unit, period, D(revenue), D(costs), example)


def report_for(data: MonthReportInput, unit: str = "KS", month: int = 3) -> dict[str, NodeReport]:
    report = build_month_report(data, unit, 2011, month)
    return {node.code: node for node in report.nodes}


def test_twelfths_are_rounded_once_to_the_ore_and_month_twelve_is_the_whole_budget() -> None:
    budget = Amounts(D("1200000"), D("-12000001"))
    # -12 000 001 × 3/12 = -3 000 000,25 exactly; × 1/12 = -1 000 000,0833… → -1 000 000,08.
    assert periodise(budget, 3) == Amounts(D("300000.00"), D("-3000000.25"))
    assert periodise(budget, 1).costs == D("-1000000.08")
    # × 2/12 = -2 000 000,1666… → -2 000 000,17 (half away from zero at the öre).
    assert periodise(budget, 2).costs == D("-2000000.17")
    assert periodise(budget, 12) == budget


def test_half_an_ore_rounds_away_from_zero() -> None:
    # 0,06 × 1/12 = 0,005 exactly → 0,01 and -0,01.
    assert periodise(Amounts(D("0.06"), D("-0.06")), 1) == Amounts(D("0.01"), D("-0.01"))


def test_a_profile_spreads_the_budget_by_its_percents() -> None:
    budget = Amounts(D("1000000"), D("-2000000"))
    # Through July: 6 × 9 + 1 = 55 %.
    assert periodise(budget, 7, PROFILE) == Amounts(D("550000.00"), D("-1100000.00"))
    assert periodise(budget, 6, PROFILE).costs == D("-1080000.00")
    assert periodise(budget, 12, PROFILE) == budget
    odd = tuple(D(p) for p in ("8.33", "8.33", "8.34", *["8.333333"] * 9))
    assert periodise(Amounts(D("100"), D("0")), 1, odd).revenue == D("8.33")


def test_percent_is_of_the_size_of_the_budget_to_date_with_one_decimal() -> None:
    assert percent_of(D("-10000"), D("-300000")) == D("-3.3")
    assert percent_of(D("5000"), D("-300000")) == D("1.7")  # 1,666… → 1,7
    assert percent_of(D("2500"), D("-100000")) == D("2.5")
    assert percent_of(D("-1250"), D("100000")) == D("-1.3")  # -1,25 → -1,3, away from zero
    assert percent_of(D("10"), D("0")) is None


def test_no_percent_where_the_budget_to_date_is_smaller_than_100_tkr() -> None:
    # −5 049,3 % of a budget of 33 tkr says nothing; the page says why instead.
    assert percent_of(D("-1666269"), D("33000")) is None
    assert percent_of(D("-1666269"), D("-99999.99")) is None
    assert percent_of(D("-1000"), D("-100000")) == D("-1.0")


def test_a_leaf_shows_actuals_to_date_deviation_and_its_latest_forecast() -> None:
    data = MonthReportInput(
        UNITS,
        [IT_BUDGET, STAB_BUDGET],
        actuals=[
            actual("IT", "2011-01", "100000", "-1000000"),
            actual("IT", "2011-02", "100000", "-900000"),
            actual("IT", "2011-02", "100000", "-1100000"),  # replaces the earlier February
            actual("IT", "2011-03", "120000", "-1050000"),
            actual("IT", "2011-04", "999", "-999"),  # after the month: not counted
            actual("IT", "2010-12", "999", "-999"),  # another year
        ],
        forecasts=[
            actual("IT", "2011-01", "1200000", "-12500000"),
            actual("IT", "2011-03", "1250000", "-12300000"),
            actual("IT", "2011-02", "1100000", "-13000000"),
            actual("IT", "2011-04", "0", "0"),  # made after the month
        ],
        comments=[
            CommentRow("IT", "2011-03", "Licenser dyrare", "Omförhandla avtal"),
            CommentRow("IT", "2011-02", "Februari", None),
        ],
    )
    it = report_for(data)["IT"]
    assert it.budget is not None and it.budget.value == Amounts(D("1200000"), D("-12000001"))
    assert it.budget_to_date is not None
    assert it.budget_to_date.value == Amounts(D("300000.00"), D("-3000000.25"))
    assert it.actuals is not None
    assert it.actuals.value == Amounts(D("320000"), D("-3150000"))
    assert it.deviation is not None
    assert it.deviation.value == Amounts(D("20000.00"), D("-149999.75"))
    assert it.deviation.value.net == D("-129999.75")
    assert it.deviation_percent is not None
    # 20 000 / 300 000 = 6,666… %; -149 999,75 / 3 000 000,25 = -4,9999… %.
    assert (it.deviation_percent.revenue, it.deviation_percent.costs) == (D("6.7"), D("-5.0"))
    # Net: -129 999,75 / 2 700 000,25 = -4,8148… %.
    assert it.deviation_percent.net == D("-4.8")
    assert it.forecast is not None and it.forecast_period == "2011-03"
    assert it.forecast.value == Amounts(D("1250000"), D("-12300000"))
    assert it.forecast_deviation is not None
    assert it.forecast_deviation.value == Amounts(D("50000"), D("-299999"))
    assert it.comment is not None
    assert (it.comment.comment, it.comment.measures) == ("Licenser dyrare", "Omförhandla avtal")
    assert not it.example_data


def test_the_parent_without_figures_of_its_own_sums_its_children() -> None:
    data = MonthReportInput(
        UNITS,
        [IT_BUDGET, STAB_BUDGET],
        profiles=[ProfileRow("STAB", 2011, PROFILE)],
        actuals=[
            actual("IT", "2011-01", "100000", "-1000000"),
            actual("STAB", "2011-01", "50000", "-280000"),
        ],
        forecasts=[actual("STAB", "2011-01", "600000", "-3700000")],
    )
    nodes = report_for(data, month=1)
    ks, stab = nodes["KS"], nodes["STAB"]
    assert stab.profile and stab.budget_to_date is not None
    assert stab.budget_to_date.value == Amounts(D("54000.00"), D("-324000.00"))
    assert ks.budget is not None and ks.budget.source == "rolled_up"
    assert ks.budget.value == Amounts(D("1800000"), D("-15600001"))
    assert ks.budget_to_date is not None
    # IT in twelfths (100 000,00; -1 000 000,08) and Staben by its profile.
    assert ks.budget_to_date.value == Amounts(D("154000.00"), D("-1324000.08"))
    assert ks.actuals is not None and ks.actuals.value == Amounts(D("150000"), D("-1280000"))
    assert ks.deviation is not None
    assert ks.deviation.value == Amounts(D("-4000.00"), D("44000.08"))
    # Only Staben has a forecast: the sum of those there are.
    assert ks.forecast is not None and ks.forecast.value == Amounts(D("600000"), D("-3700000"))
    assert ks.forecast_period is None
    assert not ks.profile and ks.comment is None


def test_a_parent_with_its_own_budget_shows_the_difference_to_its_children() -> None:
    own = FigureRow("KS", 2011, "budget", "adopted", D("1800000"), D("-16000000"), None)
    data = MonthReportInput(UNITS, [own, IT_BUDGET, STAB_BUDGET])
    ks = report_for(data)["KS"]
    assert ks.budget is not None and ks.budget.source == "own"
    assert ks.budget.difference == Amounts(D("0"), D("-399999"))
    assert ks.budget_to_date is not None
    assert ks.budget_to_date.value == Amounts(D("450000.00"), D("-4000000.00"))
    # Children: IT 300 000,00 / -3 000 000,25 and Staben 150 000,00 / -900 000,00.
    assert ks.budget_to_date.difference == Amounts(D("0.00"), D("-99999.75"))
    assert ks.has_difference
    assert ks.deviation is None  # no actuals anywhere


def test_project_shares_of_the_year_add_to_the_budget_revenue() -> None:
    # Which version of a budget is compared is the query's choice (queries.figures_sql).
    shares = [
        ProjectShareRow("IT", 2011, "P1", D("120000")),
        ProjectShareRow("IT", 2012, "P1", D("999")),
    ]
    data = MonthReportInput(UNITS, [IT_BUDGET], project_shares=shares)
    nodes = report_for(data, month=12)
    assert nodes["STAB"].budget is None
    it = nodes["IT"]
    assert it.budget is not None and it.budget.value.revenue == D("1320000")
    assert it.budget_to_date is not None and it.budget_to_date.value.revenue == D("1320000.00")


def test_example_data_marks_the_figures_the_nodes_and_the_report() -> None:
    data = MonthReportInput(
        UNITS,
        [IT_BUDGET, STAB_BUDGET],
        actuals=[
            actual("IT", "2011-01", "1", "-1", example=True),
            actual("STAB", "2011-01", "1", "-1"),
        ],
        comments=[CommentRow("STAB", "2011-01", "Text", None, example_data=True)],
    )
    report = build_month_report(data, "KS", 2011, 1)
    nodes = {node.code: node for node in report.nodes}
    assert nodes["IT"].actuals is not None and nodes["IT"].actuals.example_data
    assert nodes["IT"].deviation is not None and nodes["IT"].deviation.example_data
    assert nodes["IT"].budget is not None and not nodes["IT"].budget.example_data
    stab_actuals = nodes["STAB"].actuals
    assert nodes["STAB"].example_data and stab_actuals is not None
    assert not stab_actuals.example_data
    assert nodes["KS"].actuals is not None and nodes["KS"].actuals.example_data
    assert report.example_data
    body = month_report_to_json(report)
    assert body["notice"] == EXAMPLE_NOTICE and body["example_data"] is True
    assert body["nodes"][1]["actuals_to_date"]["example_data"] is True
    assert body["nodes"][2]["comment"]["example_data"] is True
    page = render_month_report_html(report)
    assert EXAMPLE_NOTICE in page and page.count(">Exempeldata</span>") >= 4
    plain = build_month_report(MonthReportInput(UNITS, [IT_BUDGET]), "KS", 2011, 1)
    assert not plain.example_data
    assert "Exempeldata" not in render_month_report_html(plain)
    assert month_report_to_json(plain)["notice"] is None


def test_json_has_exact_kronor_tkr_and_percent_and_html_the_plans_format() -> None:
    data = MonthReportInput(
        UNITS,
        [IT_BUDGET],
        actuals=[actual("IT", "2011-01", "90000", "-1100000.5")],
        comments=[CommentRow("IT", "2011-01", "Dyra <licenser>", "Säg upp avtal")],
    )
    report = build_month_report(data, "IT", 2011, 1)
    it = month_report_to_json(report)["nodes"][0]
    assert it["budget_to_date"]["costs"] == "-1000000.08"
    assert it["budget_to_date"]["tkr"]["costs"] == "-1 000"
    assert it["deviation"]["costs"] == "-100000.42"
    assert it["deviation_percent"] == {"revenue": "-10.0", "costs": "-10.0", "net": "-12.2"}
    assert it["periodisation"] == "twelfths"
    assert it["forecast"] is None and it["forecast_deviation"] is None
    page = render_month_report_html(report)
    assert "Månadsuppföljning januari 2011 för IT-kontor" in page
    assert "Budget t.o.m. januari" in page and "-10,0 %" in page and "-1 000" in page
    assert "Dyra &lt;licenser&gt;" in page and "Säg upp avtal" in page


def test_an_unknown_unit_is_refused() -> None:
    with pytest.raises(UnknownUnit):
        build_month_report(MonthReportInput(UNITS, []), "NOPE", 2011, 1)


def _charts(page: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r"<svg.*?</svg>", page, re.DOTALL)]


def _desc(chart: ET.Element) -> str:
    desc = chart.find("{http://www.w3.org/2000/svg}desc")
    assert desc is not None and desc.text is not None
    return desc.text


def test_the_trend_is_each_months_report_for_the_unit_net() -> None:
    data = MonthReportInput(
        UNITS,
        [IT_BUDGET, STAB_BUDGET],
        profiles=[ProfileRow("STAB", 2011, PROFILE)],
        actuals=[
            actual("IT", "2011-01", "100000", "-1000000"),
            actual("STAB", "2011-01", "0", "0"),  # reported, with nothing booked
            actual("IT", "2011-02", "100000", "-1100000"),
            actual("STAB", "2011-02", "50000", "-280000"),
            actual("IT", "2011-03", "120000", "-1050000"),  # Staben has not reported March
            actual("IT", "2011-04", "1", "-1"),  # after the month
        ],
        forecasts=[actual("IT", "2011-02", "1250000", "-12300000")],
    )
    report = build_month_report(data, "KS", 2011, 3)
    trend = report.trend
    assert trend is not None and [p.month for p in trend.months] == list(range(1, 13))
    for point in trend.months:
        month = build_month_report(data, "KS", 2011, point.month)
        alone = month.root
        assert alone.budget_to_date is not None
        # The report's budget to date runs to the months all units have reported; the
        # trend's is the calendar's, so the two agree where that is the point's month.
        if month.compared_month in (None, point.month):
            assert point.budget_to_date == alone.budget_to_date.value.net
        if point.actuals_to_date is not None:
            assert alone.actuals is not None
            assert point.actuals_to_date == alone.actuals.value.net
    # IT in twelfths and Staben by its profile, to the öre: January 100 000,00 - 1 000 000,08
    # + 54 000 - 324 000; December the whole year.
    assert trend.months[0].budget_to_date == D("-1170000.08")
    assert trend.months[11].budget_to_date == D("1800000") + D("-15600001")
    # March is missing for Staben, so KS's actuals to the end of March are not known.
    assert [p.actuals_to_date for p in trend.months[:3]] == [
        D("-900000"),
        D("-900000") + D("-1000000") + D("-230000"),
        None,
    ]
    assert report.compared_month == 2 and report.reported_month == 3
    assert report.root.actuals is not None
    assert trend.months[1].actuals_to_date == report.root.actuals.value.net
    assert all(p.actuals_to_date is None for p in trend.months[3:])
    assert trend.forecast == D("-11050000") and trend.forecast_period is None
    body = month_report_to_json(report)["trend"]
    assert body["months"][0] == {
        "period": "2011-01",
        "budget_to_date_net": "-1170000.08",
        "actuals_to_date_net": "-900000",
    }
    assert body["months"][3]["actuals_to_date_net"] is None
    assert body["months"][11]["budget_to_date_net"] == "-13800001.00"
    assert body["forecast_net"] == "-11050000"


def test_the_page_draws_the_trend_and_each_units_deviation() -> None:
    units = (*UNITS, UnitRow("X", "<script>alert(1)</script>", "unit", "KS", None, None, None, 4))
    data = MonthReportInput(
        units,
        [IT_BUDGET, STAB_BUDGET],
        actuals=[
            actual("IT", "2011-01", "100000", "-1200000"),
            actual("STAB", "2011-01", "50000", "-200000"),
        ],
    )
    report = build_month_report(data, "KS", 2011, 1)
    assert [node.code for node in report.children] == ["IT", "STAB", "X"]
    page = render_month_report_html(report)
    assert "<script>alert" not in page
    trend, deviation = _charts(page)
    assert "Nettokostnad för Kommunstyrelsen 2011" in _desc(trend)
    assert "Utfall t.o.m. månaden: jan -1 250." in _desc(trend)
    labels = {
        g.get("data-label"): g.get("data-value")
        for g in deviation.iter("{http://www.w3.org/2000/svg}g")
        if g.get("class") == "bar"
    }
    # IT: -1 100 000 against 100 000,00 - 1 000 000,08; Staben: -150 000 against -250 000.
    assert labels == {"IT-kontor": "-199999.92", "Staben": "100000.00"}
    assert "Saknar utfall eller budget: <script>alert(1)</script>." in _desc(deviation)
    # A leaf has no units under it, and a unit without figures nothing to draw.
    leaf = render_month_report_html(build_month_report(data, "IT", 2011, 1))
    assert len(_charts(leaf)) == 1
    assert _charts(render_month_report_html(build_month_report(data, "X", 2011, 1))) == []


# --- months not reported --------------------------------------------------------------------


def test_a_month_not_reported_is_missing_and_budget_to_date_runs_to_the_last_reported() -> None:
    data = MonthReportInput(
        UNITS,
        [IT_BUDGET, STAB_BUDGET],
        actuals=[
            actual("IT", "2011-01", "100000", "-1000000"),
            actual("IT", "2011-02", "100000", "-1000000"),
            actual("STAB", "2011-01", "50000", "-300000"),
        ],
    )
    report = build_month_report(data, "KS", 2011, 5)
    it, stab = (n for n in report.nodes if n.code in ("IT", "STAB"))
    assert (report.reported_month, it.reported_month, stab.reported_month) == (2, 2, 1)
    assert report.missing_months == (3, 4, 5)
    # IT's budget for January–February, not January–May: the same months as its actuals.
    assert it.budget_to_date is not None
    assert it.budget_to_date.value == periodise(Amounts(D("1200000"), D("-12000001")), 2)
    assert stab.budget_to_date is not None
    assert stab.budget_to_date.value == Amounts(D("50000.00"), D("-300000.00"))
    # KS compares January, the one month both units have reported.
    assert report.compared_month == 1 and report.to_date_name == "januari"
    notice = report.missing_notice
    assert notice is not None and "mars–maj 2011" in notice and "inte som noll" in notice
    assert report.uneven_notice is not None and "februari saknas för Staben" in report.uneven_notice
    page = render_month_report_html(report)
    assert "Utfall t.o.m. februari" in page and "Utfall t.o.m. maj" not in page
    assert "mars–maj 2011" in page
    found = month_report_to_json(report)
    assert found["missing_months"] == ["2011-03", "2011-04", "2011-05"]
    assert found["reported_month"] == 2


def test_nothing_is_missing_when_the_month_is_reported() -> None:
    booked = [actual("IT", f"2011-0{m}", "1", "-1") for m in (1, 2, 3)]
    report = build_month_report(MonthReportInput(UNITS, [IT_BUDGET], actuals=booked), "KS", 2011, 3)
    assert report.missing_months == () and report.missing_notice is None
    assert report.notices == ()


def test_a_unit_without_actuals_reports_every_month_missing() -> None:
    report = build_month_report(MonthReportInput(UNITS, [IT_BUDGET]), "KS", 2011, 2)
    assert report.reported_month is None and report.missing_months == (1, 2)
    assert report.missing_notice is not None and "ingen månad" in report.missing_notice


def test_a_percent_of_a_small_budget_to_date_is_not_shown_and_the_page_says_why() -> None:
    small = FigureRow("STAB", 2011, "budget", "adopted", D("0"), D("-396000"), None)
    data = MonthReportInput(
        UNITS, [IT_BUDGET, small], actuals=[actual("STAB", "2011-01", "0", "-1700000")]
    )
    report = build_month_report(data, "KS", 2011, 1)
    stab = next(n for n in report.nodes if n.code == "STAB")
    assert stab.budget_to_date is not None
    assert stab.budget_to_date.value.net == D("-33000.00")
    assert stab.deviation_percent is not None and stab.deviation_percent.net is None
    assert stab.percent_withheld and report.percent_withheld
    assert PERCENT_NOTE in report.notices
    page = render_month_report_html(report)
    assert "5 049" not in page and "ej meningsfull" in page
    assert "mindre än 100 tkr" in page


def _uneven() -> MonthReportInput:
    """IT has reported January–August and October, but not September; Staben January–August."""
    months = [*range(1, 9), 10]
    return MonthReportInput(
        UNITS,
        [IT_BUDGET, STAB_BUDGET],
        actuals=[
            *(actual("IT", f"2011-{m:02d}", "100000", "-1000000") for m in months),
            *(actual("STAB", f"2011-{m:02d}", "50000", "-300000") for m in range(1, 9)),
        ],
    )


def test_a_node_compares_only_the_months_all_its_units_have_reported() -> None:
    report = build_month_report(_uneven(), "KS", 2011, 11)
    ks = report.root
    it = next(node for node in report.nodes if node.code == "IT")
    assert (report.reported_month, report.compared_month) == (10, 8)
    assert report.missing_months == (11,)
    # January–August on both sides: IT's October waits until September is in for IT and
    # September and October are in for Staben.
    to_date = periodise(Amounts(D("1200000"), D("-12000001")), 8) + periodise(
        Amounts(D("600000"), D("-3600000")), 8
    )
    assert ks.budget_to_date is not None and ks.budget_to_date.value == to_date
    actuals = Amounts(D("800000") + D("400000"), D("-8000000") + D("-2400000"))
    assert ks.actuals is not None and ks.actuals.value == actuals
    assert ks.deviation is not None and ks.deviation.value == actuals - to_date
    # IT's own row: a month missing inside its months is missing too.
    assert (it.reported_month, it.compared_month) == (10, 8)
    assert it.actuals is not None and it.actuals.value == Amounts(D("800000"), D("-8000000"))
    notice = report.uneven_notice
    assert notice is not None and notice in report.notices
    assert "avser januari–augusti 2011" in notice
    assert "september saknas för IT-kontor och Staben" in notice
    assert "IT-kontor oktober" in notice
    assert report.to_date_name == "augusti"
    page = render_month_report_html(report)
    assert "Utfall t.o.m. augusti" in page and "Utfall t.o.m. oktober" not in page
    assert "september saknas för IT-kontor och Staben" in page
    found = month_report_to_json(report)
    assert (found["reported_month"], found["compared_month"]) == (10, 8)
    assert [u["unit_code"] for u in found["uneven_units"]] == ["IT", "STAB"]
    assert found["uneven_units"][0]["reported_months"][-2:] == ["2011-08", "2011-10"]
    assert report.trend is not None
    known = [p.month for p in report.trend.months if p.actuals_to_date is not None]
    assert known == list(range(1, 9))


def test_a_month_missing_for_one_unit_from_january_leaves_nothing_to_compare() -> None:
    data = MonthReportInput(
        UNITS,
        [IT_BUDGET, STAB_BUDGET],
        actuals=[
            actual("IT", "2011-01", "100000", "-1000000"),
            actual("STAB", "2011-02", "50000", "-300000"),
        ],
    )
    report = build_month_report(data, "KS", 2011, 2)
    assert report.compared_month == 0
    assert report.root.actuals is None and report.root.deviation is None
    notice = report.uneven_notice
    assert notice is not None and "januari 2011 saknas för Staben" in notice
    assert "visas inte" in notice


def test_units_that_reported_the_same_months_say_nothing_of_it() -> None:
    data = _uneven()
    even = dataclasses.replace(data, actuals=[a for a in data.actuals if a.period <= "2011-08"])
    report = build_month_report(even, "KS", 2011, 8)
    assert report.compared_month == report.reported_month == 8
    assert report.uneven_notice is None and report.uneven_units == ()


def test_a_unit_where_the_ledger_books_that_has_sent_nothing_has_every_month_missing() -> None:
    data = MonthReportInput(
        UNITS,
        [IT_BUDGET, STAB_BUDGET],
        actuals=[actual("IT", f"2011-0{m}", "100000", "-1000000") for m in (1, 2, 3)],
    )
    report = build_month_report(data, "KS", 2011, 3)
    # Staben has a budget and nothing under it: the ledger books there, and has sent nothing.
    assert (report.reported_month, report.compared_month) == (3, 0)
    assert report.root.actuals is None and report.root.deviation is None
    notice = report.uneven_notice
    assert notice is not None and "januari 2011 saknas för Staben" in notice
    assert "IT-kontor januari–mars" in notice
    found = month_report_to_json(report)
    assert {"unit_code": "STAB", "name": "Staben", "reported_months": []} in found["uneven_units"]
    # IT's own row is whole.
    it = next(node for node in report.nodes if node.code == "IT")
    assert it.compared_month == 3 and it.actuals is not None


def _with_staben(
    opened_on: date | None = None, closed_on: date | None = None
) -> tuple[UnitRow, ...]:
    ks, it, stab = UNITS
    return (ks, it, dataclasses.replace(stab, opened_on=opened_on, closed_on=closed_on))


def _reported(unit: str, months: range) -> list[MonthRow]:
    return [actual(unit, f"2011-{m:02d}", "10000", "-100000") for m in months]


def test_a_unit_is_to_report_only_the_months_it_exists_in() -> None:
    it_all_year = _reported("IT", range(1, 9))
    # Staben registered from July: January–June are not its to report.
    opened = MonthReportInput(
        _with_staben(opened_on=date(2011, 7, 1)),
        [IT_BUDGET, STAB_BUDGET],
        actuals=[*it_all_year, *_reported("STAB", range(7, 9))],
    )
    report = build_month_report(opened, "KS", 2011, 8)
    assert report.compared_month == 8 and report.uneven_notice is None
    # Closed from 1 June: June on are not its to report, and it holds nothing back.
    closed = MonthReportInput(
        _with_staben(closed_on=date(2011, 6, 1)),
        [IT_BUDGET, STAB_BUDGET],
        actuals=[*it_all_year, *_reported("STAB", range(1, 6))],
    )
    report = build_month_report(closed, "KS", 2011, 8)
    assert report.compared_month == 8 and report.uneven_units == ()
    # Closed on 15 June, June is still its to report.
    mid_june = dataclasses.replace(closed, units=_with_staben(closed_on=date(2011, 6, 15)))
    report = build_month_report(mid_june, "KS", 2011, 8)
    assert report.compared_month == 5
    assert report.uneven_notice is not None and "juni saknas för Staben" in report.uneven_notice
    # Registered from July and nothing sent yet: not missing in June's report, missing in July's.
    silent = dataclasses.replace(opened, actuals=it_all_year)
    assert build_month_report(silent, "KS", 2011, 6).compared_month == 6
    assert build_month_report(silent, "KS", 2011, 7).compared_month == 6
    # Without a date of registration a unit is to report every month of the year.
    unknown = dataclasses.replace(opened, units=UNITS)
    assert build_month_report(unknown, "KS", 2011, 8).compared_month == 0
