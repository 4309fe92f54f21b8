"""The plan view, with figures from the seed (Katrineholm, KS 2011–2013), in kronor."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import pytest

from services.reporting.read_models.budget.tables import (
    FigureRow,
    FrameChangeRow,
    NarrativeRow,
    NetInvestmentRow,
    UnitRow,
)
from services.reporting.reports.plan.builder import PlanInput, build_plan
from services.reporting.reports.plan.export import plan_table
from services.reporting.reports.plan.html import render_plan_html
from services.reporting.reports.plan.json import plan_to_json
from services.reporting.reports.plan.view import NodeView, PlanView
from services.reporting.reports.shared.amounts import Amounts
from services.reporting.reports.shared.refusals import UnknownUnit
from services.reporting.reports.shared.table_files import write_csv

BUDGET_2010, ACTUALS_2010, BUDGET_2011, PLAN_2012, PLAN_2013 = range(5)


def tkr(amount: int) -> Decimal:
    return Decimal(amount) * 1000


def unit(
    code: str,
    name: str,
    kind: str,
    parent: str | None,
    order: int,
    manager: tuple[str, str] | None = None,
    closed_on: date | None = None,
) -> UnitRow:
    title, person = manager if manager is not None else (None, None)
    return UnitRow(code, name, kind, parent, title, person, closed_on, order)


def figure(
    code: str, year: int, kind: str, revenue: int, costs: int, status: str = "adopted"
) -> FigureRow:
    return FigureRow(code, year, kind, status, tkr(revenue), tkr(costs), None)


def plan_input(
    units: Sequence[UnitRow],
    figures: Sequence[FigureRow] = (),
    frame_changes: Sequence[FrameChangeRow] = (),
    net_investments: Sequence[NetInvestmentRow] = (),
    narratives: Sequence[NarrativeRow] = (),
) -> PlanInput:
    return PlanInput(units, figures, frame_changes, net_investments, narratives)


def seed_board() -> PlanInput:
    """KS with its three administrations as the seed prints them, plus IT-kontor."""
    return plan_input(
        units=[
            unit(
                "KS",
                "Kommunstyrelsen",
                "board",
                None,
                1,
                ("Förvaltningschef", "Mattias Jansson och Conny Petrén"),
            ),
            unit(
                "NÄT",
                "Näringsliv och tillväxt",
                "administration",
                "KS",
                2,
                ("Förvaltningschef", "Conny Petrén"),
            ),
            unit(
                "KC",
                "Kommuncentrala ansvarsnivåer",
                "administration",
                "KS",
                3,
                ("Kanslichef", "Gunnar Westermark"),
            ),
            unit(
                "KLF",
                "Kommunledningsförvaltningen",
                "administration",
                "KS",
                4,
                ("Förvaltningschef", "Mattias Jansson"),
            ),
            unit("IT", "IT-kontor", "unit", "KLF", 5, ("Kontorschef", "Hans Haglund")),
        ],
        figures=[
            figure("KS", 2010, "budget", 188_663, -287_816),
            figure("KS", 2010, "actuals", 213_372, -312_516),
            figure("KS", 2011, "budget", 188_724, -298_274),
            figure("KS", 2012, "plan", 188_724, -298_174),
            figure("KS", 2013, "plan", 188_724, -298_074),
            figure("NÄT", 2011, "budget", 247, -7_453),
            figure("KC", 2011, "budget", 133_985, -179_201),
            figure("KLF", 2011, "budget", 54_492, -110_502),
        ],
        frame_changes=[
            FrameChangeRow("IT", 2011, Decimal(0), "Är intäktsfinansierat", None, 2),
            FrameChangeRow("IT", 2011, tkr(1_340), "Utökning av en informatör", "KS § 228", 1),
            FrameChangeRow("IT", 2010, tkr(-999), "Ett annat år", None, 3),
        ],
        net_investments=[
            NetInvestmentRow("KS", 2010, "budget", tkr(92_087)),
            NetInvestmentRow("KS", 2010, "actuals", tkr(9_798)),
            NetInvestmentRow("KS", 2011, "budget", tkr(111_756)),
            NetInvestmentRow("KS", 2012, "plan", tkr(25_350)),
            NetInvestmentRow("KS", 2013, "plan", tkr(27_850)),
        ],
        narratives=[
            NarrativeRow("KS", 2011, "activity_description", "KS är kommunens ledande organ."),
            NarrativeRow("KS", 2011, "activity_changes", "Se respektive budgeteringsområde."),
            NarrativeRow("KS", 2010, "activity_changes", "Förra årets text."),
        ],
    )


def node(view: PlanView, code: str) -> NodeView:
    return next(n for n in view.nodes if n.code == code)


def test_a_node_without_its_own_figure_shows_the_sum_of_its_children_recursively() -> None:
    data = plan_input(
        units=[
            unit("KS", "Kommunstyrelsen", "board", None, 1),
            unit("KLF", "Kommunledningsförvaltningen", "administration", "KS", 2),
            unit("IT", "IT-kontor", "unit", "KLF", 3),
            unit("STAB", "Staben", "unit", "KLF", 4),
            unit("INFO", "Informationskontor", "unit", "KLF", 5),
        ],
        figures=[
            figure("IT", 2011, "budget", 36_130, -36_130),
            figure("STAB", 2011, "budget", 600, -5_175),
        ],
    )

    view = build_plan(data, "KS", 2011)

    for code in ("KS", "KLF"):
        cell = node(view, code).figures[BUDGET_2011]
        assert cell is not None
        assert cell.source == "rolled_up"
        assert cell.value == Amounts(tkr(36_730), tkr(-41_305))
        assert cell.value.net == tkr(-4_575)
        assert cell.difference is None
    assert node(view, "INFO").figures[BUDGET_2011] is None
    assert node(view, "KS").figures[BUDGET_2010] is None


def test_an_own_figure_that_differs_from_the_children_carries_the_difference() -> None:
    view = build_plan(seed_board(), "KS", 2011)

    cell = node(view, "KS").figures[BUDGET_2011]
    assert cell is not None
    assert cell.source == "own"
    assert cell.value == Amounts(tkr(188_724), tkr(-298_274))
    assert cell.value.net == tkr(-109_550)
    assert cell.difference is not None
    assert cell.difference.revenue == 0
    assert cell.difference.costs == tkr(-1_118)
    assert cell.difference.net == tkr(-1_118)
    assert node(view, "KS").has_difference


def test_an_own_figure_equal_to_its_children_has_no_difference() -> None:
    data = plan_input(
        units=[
            unit("KLF", "Kommunledningsförvaltningen", "administration", None, 1),
            unit("IT", "IT-kontor", "unit", "KLF", 2),
        ],
        figures=[
            figure("KLF", 2011, "budget", 36_130, -36_130),
            figure("IT", 2011, "budget", 36_130, -36_130),
        ],
    )

    cell = build_plan(data, "KLF", 2011).nodes[0].figures[BUDGET_2011]

    assert cell is not None
    assert cell.source == "own"
    assert cell.difference is None


def test_plan_years_are_present_only_at_the_top_where_they_were_set() -> None:
    view = build_plan(seed_board(), "KS", 2011)

    board = node(view, "KS")
    for column, costs in ((PLAN_2012, -298_174), (PLAN_2013, -298_074)):
        cell = board.figures[column]
        assert cell is not None
        assert (cell.source, cell.value.costs, cell.difference) == ("own", tkr(costs), None)
    for code in ("NÄT", "KC", "KLF", "IT"):
        assert node(view, code).figures[PLAN_2012] is None
        assert node(view, code).figures[PLAN_2013] is None


def test_net_is_revenue_plus_costs_even_when_the_printed_net_disagrees() -> None:
    # The seed prints Kommungemensamt's Budget 2011 as 815 / -9 821 / net -5 595.
    data = plan_input(
        units=[unit("KGEM", "Kommungemensamt", "unit", None, 1)],
        figures=[figure("KGEM", 2011, "budget", 815, -9_821)],
    )

    view = build_plan(data, "KGEM", 2011)

    cell = view.nodes[0].figures[BUDGET_2011]
    assert cell is not None
    assert cell.value.net == tkr(-9_006)
    assert plan_to_json(view)["nodes"][0]["figures"][BUDGET_2011]["net"] == "-9006000"


def test_an_unknown_unit_raises_unknown_unit_with_its_code() -> None:
    with pytest.raises(UnknownUnit) as raised:
        build_plan(seed_board(), "KSX", 2011)

    assert raised.value.unit_code == "KSX"


def test_nodes_are_listed_depth_first_with_children_in_registration_order() -> None:
    data = plan_input(
        units=[
            unit("IT", "IT-kontor", "unit", "KLF", 5),
            unit("KLF", "Kommunledningsförvaltningen", "administration", "KS", 3),
            unit("NÄT", "Näringsliv och tillväxt", "administration", "KS", 4),
            unit("KS", "Kommunstyrelsen", "board", None, 1),
            unit("INFO", "Informationskontor", "unit", "KLF", 2),
        ]
    )

    view = build_plan(data, "KS", 2011)

    assert [(n.code, n.depth) for n in view.nodes] == [
        ("KS", 0),
        ("KLF", 1),
        ("INFO", 2),
        ("IT", 2),
        ("NÄT", 1),
    ]


def test_the_plan_of_an_administration_holds_only_its_subtree() -> None:
    view = build_plan(seed_board(), "KLF", 2011)

    assert [(n.code, n.depth) for n in view.nodes] == [("KLF", 0), ("IT", 1)]
    assert view.title == "Planering med budget 2011–2013 för Kommunledningsförvaltningen"


def test_a_parent_cycle_in_bad_data_does_not_loop_forever() -> None:
    data = plan_input(
        units=[
            unit("A", "A", "administration", "B", 1),
            unit("B", "B", "unit", "A", 2),
        ]
    )

    assert [n.code for n in build_plan(data, "A", 2011).nodes] == ["A", "B"]


def test_a_unit_closed_before_the_plan_is_left_out_but_one_closed_during_it_is_kept() -> None:
    data = plan_input(
        units=[
            unit("KLF", "Kommunledningsförvaltningen", "administration", None, 1),
            unit("ADM", "Administrativa kontoret", "unit", "KLF", 2, closed_on=date(2009, 1, 1)),
            unit("LÖN", "Lönekontoret", "unit", "KLF", 3, closed_on=date(2011, 1, 1)),
        ],
        figures=[figure("LÖN", 2010, "actuals", 0, -3_000)],
    )

    view = build_plan(data, "KLF", 2011)

    assert [n.code for n in view.nodes] == ["KLF", "LÖN"]
    assert node(view, "LÖN").closed_on == date(2011, 1, 1)
    klf_actuals = view.nodes[0].figures[ACTUALS_2010]
    assert klf_actuals is not None and klf_actuals.value.costs == tkr(-3_000)


def test_the_last_row_for_a_figure_wins_so_a_revision_replaces_the_adopted_budget() -> None:
    data = plan_input(
        units=[unit("IT", "IT-kontor", "unit", None, 1)],
        figures=[
            figure("IT", 2011, "budget", 36_130, -36_130),
            figure("IT", 2011, "budget", 36_130, -36_500, status="revised"),
        ],
    )

    cell = build_plan(data, "IT", 2011).nodes[0].figures[BUDGET_2011]

    assert cell is not None
    assert (cell.value.costs, cell.status) == (tkr(-36_500), "revised")


def test_frame_changes_and_narratives_are_those_of_the_budget_year_in_order() -> None:
    view = build_plan(seed_board(), "KS", 2011)

    it = node(view, "IT")
    assert [(c.amount, c.reasons) for c in it.frame_changes] == [
        (tkr(1_340), "Utökning av en informatör"),
        (Decimal(0), "Är intäktsfinansierat"),
    ]
    board = node(view, "KS")
    assert board.activity_description == "KS är kommunens ledande organ."
    assert board.activity_changes == "Se respektive budgeteringsområde."
    assert node(view, "NÄT").activity_changes is None


def test_net_investments_roll_up_and_show_differences_like_figures() -> None:
    data = plan_input(
        units=[
            unit("KS", "Kommunstyrelsen", "board", None, 1),
            unit("KLF", "Kommunledningsförvaltningen", "administration", "KS", 2),
            unit("IT", "IT-kontor", "unit", "KLF", 3),
        ],
        net_investments=[
            NetInvestmentRow("KS", 2011, "budget", tkr(111_756)),
            NetInvestmentRow("IT", 2011, "budget", tkr(5_000)),
            NetInvestmentRow("IT", 2012, "plan", tkr(2_000)),
        ],
    )

    view = build_plan(data, "KS", 2011)

    board, klf = node(view, "KS"), node(view, "KLF")
    budget = board.net_investments[BUDGET_2011]
    assert budget is not None
    assert (budget.value, budget.source, budget.difference) == (
        tkr(111_756),
        "own",
        tkr(106_756),
    )
    plan = klf.net_investments[PLAN_2012]
    assert plan is not None and (plan.value, plan.source) == (tkr(2_000), "rolled_up")
    assert board.net_investments[PLAN_2013] is None


def test_json_carries_exact_kronor_strings_swedish_labels_and_tkr() -> None:
    view = build_plan(seed_board(), "KS", 2011)

    document = plan_to_json(view)

    assert document["title"] == "Planering med budget 2011–2013 för Kommunstyrelsen"
    assert [c["label"] for c in document["columns"]] == [
        "Budget 2010",
        "Bokslut 2010",
        "Budget 2011",
        "Plan 2012",
        "Plan 2013",
    ]
    board = document["nodes"][0]
    cell = board["figures"][BUDGET_2011]
    assert (cell["revenue"], cell["costs"], cell["net"]) == (
        "188724000",
        "-298274000",
        "-109550000",
    )
    assert cell["tkr"] == {"revenue": "188 724", "costs": "-298 274", "net": "-109 550"}
    assert cell["source"] == "own"
    assert cell["difference"]["costs"] == "-1118000"
    assert cell["difference"]["tkr"]["net"] == "-1 118"
    assert board["net_investments"][BUDGET_2011] == {
        "source": "own",
        "amount": "111756000",
        "tkr": "111 756",
        "difference": None,
    }
    it = next(n for n in document["nodes"] if n["code"] == "IT")
    assert it["figures"][PLAN_2012] is None
    assert it["frame_changes"][0]["amount"] == "1340000"
    assert it["frame_changes"][0]["tkr"] == "+1 340"


def test_json_keeps_öre_exactly() -> None:
    data = plan_input(
        units=[unit("IT", "IT-kontor", "unit", None, 1)],
        figures=[FigureRow("IT", 2011, "budget", "adopted", Decimal("1234.50"), Decimal(-1), None)],
    )

    cell = plan_to_json(build_plan(data, "IT", 2011))["nodes"][0]["figures"][BUDGET_2011]

    assert (cell["revenue"], cell["net"]) == ("1234.50", "1233.50")


def test_html_shows_the_title_the_amounts_in_tkr_and_the_manager_line() -> None:
    html = render_plan_html(build_plan(seed_board(), "KS", 2011))

    assert '<html lang="sv">' in html
    assert "Planering med budget 2011–2013 för Kommunstyrelsen" in html
    assert "Belopp i tkr" in html
    assert "-109 550" in html
    assert "Kontorschef: Hans Haglund" in html
    assert "Ej fördelat / ej avstämt mot underliggande" in html
    assert "-1 118" in html
    assert "Ramförändringar 2011" in html
    assert "+1 340" in html and "±0" in html
    assert "Nettoinvesteringar" in html and "111 756" in html
    assert "Sammanfattande verksamhetsbeskrivning" in html
    assert "Sammanfattande verksamhetsförändringar" in html
    assert "@media print" in html


def test_html_marks_cells_rolled_up_from_children() -> None:
    data = plan_input(
        units=[
            unit("KLF", "Kommunledningsförvaltningen", "administration", None, 1),
            unit("IT", "IT-kontor", "unit", "KLF", 2),
        ],
        figures=[figure("IT", 2011, "budget", 36_130, -36_130)],
    )

    html = render_plan_html(build_plan(data, "KLF", 2011))

    assert "summa av underliggande" in html
    assert 'class="num rolled-up"' in html
    assert "Ej fördelat" not in html


def test_html_escapes_text_typed_by_users() -> None:
    data = plan_input(units=[unit("X", "<script>alert(1)</script>", "unit", None, 1)])

    html = render_plan_html(build_plan(data, "X", 2011))

    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_a_cell_empty_because_a_draft_is_withheld_says_so() -> None:
    data = plan_input(
        units=[
            unit("KS", "Kommunstyrelsen", "board", None, 1),
            unit("KLF", "Kommunledningsförvaltningen", "administration", "KS", 2),
        ],
        figures=[figure("KS", 2011, "budget", 188_724, -298_274)],
    )
    withheld = PlanInput(
        data.units,
        data.figures,
        (),
        (),
        (),
        withheld=frozenset({("KLF", 2012, "plan")}),
    )

    view = build_plan(withheld, "KS", 2011)

    assert node(view, "KLF").drafts_not_shown[PLAN_2012]
    assert node(view, "KS").drafts_not_shown[PLAN_2012]  # nothing shown there either
    assert not node(view, "KS").drafts_not_shown[PLAN_2013]  # nothing exists
    assert not node(view, "KS").drafts_not_shown[BUDGET_2011]  # shown
    assert plan_to_json(view)["nodes"][0]["drafts_not_shown"][PLAN_2012] is True
    assert render_plan_html(view).count("ej beslutat, visas inte") == 6  # 3 rows, 2 nodes
    csv = write_csv(plan_table(view)).decode("utf-8-sig")
    assert csv.count("ej beslutat, visas inte") == 6


def test_a_cell_empty_because_nothing_exists_stays_empty() -> None:
    html = render_plan_html(build_plan(seed_board(), "KS", 2011))

    assert "ej beslutat, visas inte" not in html


def test_the_cover_shows_the_date_status_and_decision_of_the_roots_budget() -> None:
    data = seed_board()
    decided = [
        FigureRow(f.unit_code, f.year, f.kind, f.status, f.revenue, f.costs, "KS 2011-03-22 § 7")
        if (f.unit_code, f.year) == ("KS", 2011)
        else f
        for f in data.figures
    ]
    view = build_plan(PlanInput(data.units, decided, (), (), ()), "KS", 2011)

    assert view.cover is not None and view.cover.dated == date(2011, 3, 22)
    cover = plan_to_json(view)["cover"]
    assert cover == {
        "date": "2011-03-22",
        "status": "adopted",
        "status_name": "Beslutad",
        "decision": "KS 2011-03-22 § 7",
    }
    html = render_plan_html(view)
    assert "Datum: 2011-03-22" in html
    assert "Status: Beslutad" in html and "Beslut: KS 2011-03-22 § 7" in html


def test_a_cover_without_a_decision_shows_the_status_and_no_date() -> None:
    view = build_plan(seed_board(), "KS", 2011)

    assert view.cover is not None and view.cover.dated is None
    html = render_plan_html(view)
    cover = html[html.index('<p class="cover">') :].split("</p>", 1)[0]
    assert "Status: Beslutad" in cover and "Datum:" not in cover and "Beslut:" not in cover
    assert build_plan(seed_board(), "IT", 2011).cover is None  # no own budget
