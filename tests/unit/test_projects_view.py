"""Projects in reporting without servers: the plan's section, the register with its filters,
the project page, and the project office's shares in the plan's figures."""

import dataclasses
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from services.reporting.read_models.budget.tables import (
    FigureRow,
    ProjectShareRow,
    ShareRow,
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
    BudgetRow,
    FinancingRow,
    GoalLinkRow,
    ManagerRow,
    ProjectRow,
    ProjectsInput,
    StatusChangeRow,
    StatusReportRow,
    StepRow,
)
from services.reporting.read_models.senders import SenderRow
from services.reporting.reports.plan.builder import PlanInput, build_plan
from services.reporting.reports.plan.html import render_plan_html
from services.reporting.reports.plan.json import plan_to_json
from services.reporting.reports.projects.builder import genitive
from services.reporting.reports.projects.html import render_project_html, render_register_html
from services.reporting.reports.projects.json import project_page_to_json, register_to_json
from services.reporting.reports.projects.page import build_project_page
from services.reporting.reports.projects.register import RegisterFilters, build_register
from services.reporting.reports.projects.section import build_projects_section
from services.reporting.reports.shared.refusals import UnknownFilter, UnknownProject

REGISTERED = datetime(2011, 1, 10, 9, 0, tzinfo=UTC)
BUDGET_2010, ACTUALS_2010, BUDGET_2011, PLAN_2012, PLAN_2013 = range(5)

UNITS = (
    UnitNode("KS", "Kommunstyrelsen", None, 1),
    UnitNode("NÄT", "Näringsliv och tillväxt", "KS", 2),
    UnitNode("KLF", "Kommunledningsförvaltningen", "KS", 3),
    UnitNode("INFO", "Informationskontor", "KLF", 4),
    UnitNode("PROJ", "Projektkontoret", "KLF", 5),
)


def project(
    code: str,
    unit_code: str,
    status: str,
    order: int,
    *,
    start: date | None = None,
    end: date | None = None,
    **fields: Any,
) -> ProjectRow:
    values: dict[str, Any] = {
        "project_code": code,
        "name": code.capitalize(),
        "board_code": "KS",
        "unit_code": unit_code,
        "run_by_project_office": unit_code == "PROJ",
        "project_manager": None,
        "steering_group": (),
        "purpose": None,
        "goals_text": None,
        "planned_start": start,
        "planned_end": end,
        "directive": None,
        "decision": None,
        "registered_status": status,
        "status": status,
        "registered_at": REGISTERED,
        "registered_by": "Projektkontoret",
        "order": order,
    }
    values.update(fields)
    return ProjectRow(**values)


def demo(**parts: Any) -> ProjectsInput:
    projects = [
        project(
            "barn",
            "PROJ",
            "ongoing",
            1,
            purpose="Att främja en god hälsa.",
            goals_text="Goda uppväxtvillkor.",
            project_manager="Eva Ek",
        ),
        project("plattform", "INFO", "proposed", 2, purpose="Ett nytt intranät."),
        project("paus", "PROJ", "paused", 3, start=date(2010, 3, 1), end=date(2011, 6, 30)),
        project("hel", "PROJ", "decided", 4, directive="KS 2010-04-28 § 90"),
        project("klart", "NÄT", "completed", 5, start=date(2008, 1, 1), end=date(2010, 12, 31)),
        project("klc", "NÄT", "ongoing", 6, decision="Dnr KS/2011:31-069"),
    ]
    values: dict[str, Any] = {"projects": projects, "units": UNITS}
    values.update(parts)
    return ProjectsInput(**values)


# --- the plan's section -------------------------------------------------------------------


def test_the_section_lists_ongoing_then_new_in_registration_order_with_their_texts() -> None:
    section = build_projects_section(demo(), "Kommunstyrelsen", 2011)
    assert section is not None
    assert section.title == "Kommunstyrelsens pågående alternativt nya projekt 2011–2013"
    assert [p.project_code for p in section.ongoing] == ["barn", "paus", "klc"]
    assert [p.project_code for p in section.new] == ["plattform", "hel"]
    barn = section.ongoing[0]
    assert (barn.purpose, barn.goals_text) == ("Att främja en god hälsa.", "Goda uppväxtvillkor.")
    assert section.new[1].directive == "KS 2010-04-28 § 90"


def test_the_section_is_named_after_the_unit_in_the_genitive() -> None:
    assert genitive("Kommunledningsförvaltningen") == "Kommunledningsförvaltningens"
    assert genitive("Kultur och fritids") == "Kultur och fritids"
    section = build_projects_section(ProjectsInput(projects=[]), "Projektkontoret", 2012)
    assert section is not None and section.empty
    assert section.title == "Projektkontorets pågående alternativt nya projekt 2012–2014"


def plan_data(projects: ProjectsInput | None, shares: Sequence[ProjectShareRow] = ()) -> PlanInput:
    return PlanInput(
        units=[
            UnitRow("KS", "Kommunstyrelsen", "board", None, None, None, None, 1),
            UnitRow(
                "KLF", "Kommunledningsförvaltningen", "administration", "KS", None, None, None, 2
            ),
            UnitRow("PROJ", "Projektkontoret", "unit", "KLF", None, None, None, 3),
            UnitRow("IT", "IT-kontor", "unit", "KLF", None, None, None, 4),
        ],
        figures=[
            FigureRow("KLF", 2011, "budget", "adopted", Decimal(3000), Decimal(-9000), None),
            FigureRow("PROJ", 2011, "budget", "adopted", Decimal(1000), Decimal(-2000), None),
            FigureRow("PROJ", 2010, "actuals", "adopted", Decimal(900), Decimal(-1900), None),
            FigureRow("IT", 2011, "budget", "adopted", Decimal(2000), Decimal(-7000), None),
        ],
        frame_changes=[],
        net_investments=[],
        narratives=[],
        project_shares=shares,
        projects=projects,
    )


def test_the_plan_shows_the_section_after_the_goals_and_says_when_there_is_none() -> None:
    view = build_plan(plan_data(ProjectsInput(projects=[])), "KS", 2011)
    html = render_plan_html(view)
    assert "Kommunstyrelsens pågående alternativt nya projekt 2011–2013" in html
    assert "Inga pågående eller nya projekt." in html
    assert plan_to_json(view)["projects"] == {
        "title": "Kommunstyrelsens pågående alternativt nya projekt 2011–2013",
        "ongoing": [],
        "new": [],
    }
    assert plan_to_json(build_plan(plan_data(None), "KS", 2011))["projects"] is None

    html = render_plan_html(build_plan(plan_data(demo()), "KS", 2011))
    section = html[html.index('id="projekt"') :]
    assert section.index("Pågående projekt") < section.index("Barn") < section.index("Nya projekt")
    assert "Syfte</span>Att främja en god hälsa." in section
    assert "Projektdirektiv: KS 2010-04-28 § 90" in section
    assert "Beslut: Dnr KS/2011:31-069" in section


def test_the_project_offices_shares_add_to_its_budget_revenue_and_roll_up() -> None:
    shares = [
        ProjectShareRow("PROJ", 2011, "barn", Decimal(100)),
        ProjectShareRow("PROJ", 2011, "hel", Decimal(50)),
        ProjectShareRow("PROJ", 2012, "barn", Decimal(70)),
        ProjectShareRow("PROJ", 2010, "barn", Decimal(30)),
    ]
    view = build_plan(plan_data(None, shares), "KS", 2011)
    office = next(n for n in view.nodes if n.code == "PROJ")
    budget = office.figures[BUDGET_2011]
    assert budget is not None
    assert (budget.value.revenue, budget.value.costs, budget.value.net) == (1150, -2000, -850)
    assert budget.project_shares == 150
    # Actuals are booked, not shared; a plan year without a figure shows the shares alone.
    actuals = office.figures[ACTUALS_2010]
    assert actuals is not None and actuals.value.revenue == 900 and actuals.project_shares is None
    plan = office.figures[PLAN_2012]
    assert plan is not None and (plan.value.revenue, plan.project_shares) == (70, 70)
    # KLF's own figure is what it adopted: the shares show as what its units differ by.
    klf = next(n for n in view.nodes if n.code == "KLF").figures[BUDGET_2011]
    assert klf is not None and klf.value.revenue == 3000 and klf.project_shares is None
    assert klf.difference is not None and klf.difference.revenue == -150
    ks = view.nodes[0].figures[PLAN_2012]
    assert ks is not None and (ks.source, ks.project_shares) == ("rolled_up", 70)

    node = plan_to_json(view)["nodes"][2]
    assert node["figures"][BUDGET_2011]["revenue"] == "1150"
    assert node["figures"][BUDGET_2011]["project_shares"] == {"amount": "150", "tkr": "0"}
    assert (
        plan_to_json(build_plan(plan_data(None), "KS", 2011))["nodes"][2]["figures"][BUDGET_2011][
            "project_shares"
        ]
        is None
    )


# --- the register ---------------------------------------------------------------------------


def register_data() -> ProjectsInput:
    return demo(
        budgets=[
            BudgetRow("barn", 2010, Decimal(2000000), None),
            BudgetRow("barn", 2011, Decimal(2500000), "KS § 1"),
            BudgetRow("plattform", 2012, Decimal(300000), None),
        ],
        financing=[
            FinancingRow(
                "barn", "Statens folkhälsoinstitut", 2009, Decimal(7000000), None, None, 1
            ),
            FinancingRow("barn", "EU", 2011, Decimal(100000), None, None, 2),
        ],
        managers=[
            ManagerRow("barn", "Lisa Lind", date(2011, 2, 1), True, "Föräldraledighet", 7),
        ],
        status_reports=[
            StatusReportRow(
                "barn", "2011-02", "green", "yellow", "green", None, "Lisa Lind", REGISTERED, 8
            ),
            StatusReportRow(
                "barn", "2011-03", "red", "green", "yellow", "Sen.", "Lisa Lind", REGISTERED, 9
            ),
            StatusReportRow(
                "barn", "2011-01", "green", "green", "green", None, "Lisa Lind", REGISTERED, 10
            ),
        ],
    )


def codes(data: ProjectsInput, **filters: str | None) -> list[str]:
    parsed = RegisterFilters.parse(filters.get("status"), filters.get("enhet"), filters.get("ar"))
    return [row.project_code for row in build_register(data, parsed).rows]


def test_the_register_filters_by_status_unit_subtree_and_year() -> None:
    data = register_data()
    assert codes(data) == ["barn", "plattform", "paus", "hel", "klart", "klc"]
    assert codes(data, status="ongoing") == ["barn", "klc"]
    assert codes(data, status="pågående") == ["barn", "klc"]
    assert codes(data, status="avslutat") == ["klart"]
    assert codes(data, enhet="KLF") == ["barn", "plattform", "paus", "hel"]
    assert codes(data, enhet="NÄT") == ["klart", "klc"]
    assert codes(data, enhet="KS", status="decided") == ["hel"]
    # A planned period or a budget covering the year; an unknown period covers nothing.
    assert codes(data, ar="2010") == ["barn", "paus", "klart"]
    assert codes(data, ar="2012") == ["plattform"]
    assert codes(data, ar="2011", enhet="PROJ") == ["barn", "paus"]


@pytest.mark.parametrize(
    ("status", "enhet", "ar", "message"),
    [
        ("klar", None, None, "status=klar finns inte; välj en av proposed (föreslaget)"),
        (None, "XYZ", None, "enhet=XYZ finns inte"),
        (None, None, "tjugoelva", "ar=tjugoelva är inget år"),
        (None, None, "1200", "ar=1200 är inget år"),
    ],
)
def test_unknown_filter_values_are_refused_in_swedish(
    status: str | None, enhet: str | None, ar: str | None, message: str
) -> None:
    with pytest.raises(UnknownFilter, match=message.replace("(", r"\(").replace(")", r"\)")):
        build_register(register_data(), RegisterFilters.parse(status, enhet, ar))


def test_a_register_row_has_money_for_the_year_or_all_years_managers_and_the_latest_lights() -> (
    None
):
    data = register_data()
    everything = register_to_json(build_register(data))
    barn = everything["projects"][0]
    assert barn["unit_name"] == "Projektkontoret"
    assert (barn["project_manager"], barn["acting_project_manager"]) == ("Eva Ek", "Lisa Lind")
    assert barn["status_label"] == "pågående"
    assert barn["budget"] == {"amount": "4500000", "tkr": "4 500"}
    assert barn["external_financing"] == {"amount": "7100000", "tkr": "7 100"}
    latest = barn["latest_status_report"]
    assert latest["period"] == "2011-03"
    assert [latest[k]["label"] for k in ("schedule", "cost", "quality")] == ["röd", "grön", "gul"]
    # Nothing invented: no budget set, no amount shown.
    hel = next(p for p in everything["projects"] if p["project_code"] == "hel")
    assert (hel["budget"], hel["external_financing"], hel["latest_status_report"]) == (
        None,
        None,
        None,
    )

    in_2011 = register_to_json(build_register(data, RegisterFilters.parse(None, None, "2011")))
    barn = in_2011["projects"][0]
    assert barn["budget"]["amount"] == "2500000"
    assert barn["external_financing"]["amount"] == "100000"

    html = render_register_html(build_register(data))
    assert '<span class="light light-red"><span class="dot" aria-hidden="true">●</span> röd' in html
    assert "tf. Lisa Lind" in html
    assert "4 500 000" in html


# --- the project page -----------------------------------------------------------------------


def goals_input() -> GoalsInput:
    return GoalsInput(
        units=[UnitName("KLF", "Kommunledningsförvaltningen")],
        perspectives=[PerspectiveRow("p", "KS", "Interna funktioner", 1, None, 1)],
        goals=[GoalRow("g1", "KLF", "p", "Attraktiv arbetsgivare", 2011, 2013, None, 1)],
        commitments=[
            CommitmentRow(
                "c1",
                "g1",
                "key_figure",
                "Sjukfrånvaro",
                ["annual"],
                False,
                "less_than",
                Decimal(5),
                "percent",
                2013,
                None,
                Decimal(6),
                None,
                None,
                "2010",
                "HR",
                1,
            )
        ],
        measurements=[
            MeasurementRow("c1", "2011", Decimal("4.5"), None, None, "HR", REGISTERED),
        ],
    )


def page_data() -> ProjectsInput:
    return demo(
        projects=[
            project(
                "plattform",
                "INFO",
                "ongoing",
                2,
                registered_status="proposed",
                purpose="Ett nytt intranät.",
                steering_group=("Anna", "Bo"),
                project_manager="Eva Ek",
                run_by_project_office=True,
            )
        ],
        status_changes=[
            StatusChangeRow(
                "plattform",
                "decided",
                date(2011, 2, 1),
                "KS 2011-02-01 § 3",
                None,
                REGISTERED,
                "Karin",
                3,
            ),
            StatusChangeRow(
                "plattform", "ongoing", date(2011, 3, 1), None, "Start", REGISTERED, "Karin", 4
            ),
        ],
        steps=[
            StepRow(
                "plattform",
                2,
                "Förstudie",
                "hösten 2010/våren 2011",
                None,
                None,
                Decimal(300000),
                None,
            ),
            StepRow("plattform", 1, "Upphandling", "vintern 2010", None, None, None, None),
        ],
        budgets=[BudgetRow("plattform", 2011, Decimal(1000000), None)],
        shares=[ShareRow("PROJ", 2011, "plattform", Decimal(1000000), Decimal(100000))],
        status_reports=[
            StatusReportRow(
                "plattform", "2011-03", "green", "yellow", "green", "Bra.", "Eva Ek", REGISTERED, 5
            ),
        ],
        goal_links=[GoalLinkRow("plattform", "g1", 6), GoalLinkRow("plattform", "okänt", 7)],
        goals=goals_input(),
    )


def test_the_project_page_has_every_fact_steps_money_timeline_and_goals() -> None:
    page = build_project_page(page_data(), "plattform")
    document = project_page_to_json(page)
    assert (document["board_name"], document["unit_name"]) == (
        "Kommunstyrelsen",
        "Informationskontor",
    )
    assert document["steering_group"] == ["Anna", "Bo"]
    assert document["planned_start"] is None
    assert [s["step"] for s in document["steps"]] == [1, 2]
    assert document["steps"][0]["cost_estimate"] is None
    assert document["steps"][1]["cost_estimate"] == {"amount": "300000", "tkr": "300"}
    (year,) = document["years"]
    assert year["budget"]["amount"] == "1000000"
    assert year["project_office_share"]["revenue"]["amount"] == "100000"
    assert [(e["on"], e["kind"]) for e in document["timeline"]] == [
        ("2011-01-10", "registered"),
        ("2011-02-01", "status"),
        ("2011-03-01", "status"),
        ("2011-03-31", "report"),
    ]
    assert document["timeline"][0]["title"] == "Registrerat i projektregistret som föreslaget"
    assert document["timeline"][1]["decision"] == "KS 2011-02-01 § 3"
    assert document["timeline"][3]["who"] == "Eva Ek"
    goal, unknown = document["goals"]
    assert (goal["title"], goal["year"]) == ("Attraktiv arbetsgivare", 2013)
    # 4,5 in 2011 against less than 5 due 2013: ahead of the path from 6 in 2010, not yet due.
    assert goal["commitments"][0]["attainment"]["total"]["code"] == "i_fas"
    assert (unknown["goal_id"], unknown["title"], unknown["commitments"]) == ("okänt", None, [])

    html = render_project_html(page)
    assert "Steg 2 Förstudie" in html and "300 000" in html
    assert "Lägesrapport mars 2011" in html
    assert "Projektkontorets andel" in html
    assert "uppfyllt" in html
    assert "Målet finns ännu inte i målrapporteringen." in html


def test_the_timeline_says_who_sent_each_step_in_words_where_the_sender_is_kept() -> None:
    def sent(order: int, actor: str, name: str | None, system: str) -> SenderRow:
        return SenderRow(UUID(int=order), actor, name, system, UUID(int=order), REGISTERED, order)

    senders = {
        3: sent(3, "planering", None, "planeringssystem"),
        5: sent(5, "anna", "Anna Andersson", "http"),
    }
    data = dataclasses.replace(page_data(), senders=senders)
    timeline = project_page_to_json(build_project_page(data, "plattform"))["timeline"]
    # A step whose sender is not kept (read before senders were) keeps the account.
    assert [e["who"] for e in timeline] == [
        timeline[0]["who"],
        "planeringssystem",
        "Karin",
        "Eva Ek (Anna Andersson (anna))",
    ]


def test_an_unknown_project_is_not_found() -> None:
    with pytest.raises(UnknownProject):
        build_project_page(page_data(), "finns-inte")
