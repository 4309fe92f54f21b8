"""The plan's notes on units' tables and its reconciliation at the unit: a stated net that
revenue plus costs do not give, and frame changes that do not give the budget's growth."""

import re

from services.reporting.read_models.budget.tables import FigureRow, FrameChangeRow, NoteRow
from services.reporting.reports.plan.builder import PlanInput, build_plan
from services.reporting.reports.plan.export import plan_table
from services.reporting.reports.plan.html import render_plan_html
from services.reporting.reports.plan.json import plan_to_json
from services.reporting.reports.plan.view import FrameCheck, PlanView
from services.reporting.reports.shared.table_files import write_csv
from tests.unit.test_plan import BUDGET_2010, BUDGET_2011, PLAN_2012, node, tkr, unit

UNITS = [
    unit("KS", "Kommunstyrelsen", "board", None, 1),
    unit("KLF", "Kommunledningsförvaltningen", "administration", "KS", 2),
    unit("INFO", "Informationskontor", "unit", "KLF", 3),
    unit("PERS", "Personalkontor", "unit", "KLF", 4),
    unit("KC", "Kommuncentrala budgeteringsposter", "administration", "KS", 5),
    unit("KGM", "Kommungemensamt", "unit", "KC", 6),
]


def figure(
    code: str, year: int, kind: str, revenue: int, costs: int, stated: int | None
) -> FigureRow:
    stated_net = None if stated is None else tkr(stated)
    return FigureRow(code, year, kind, "adopted", tkr(revenue), tkr(costs), None, stated_net)


def note(
    code: str,
    year: int,
    note_id: str,
    text: str,
    table: str = "figures",
    kind: str | None = None,
    line: str | None = None,
    order: int = 0,
) -> NoteRow:
    return NoteRow(
        code, year, note_id, table, kind, line, text, "demo", None, "ekonomisystem", order
    )


def change(code: str, amount: int, order: int) -> FrameChangeRow:
    return FrameChangeRow(code, 2011, tkr(amount), f"{code}: ramförändring", None, order)


FIGURES = [
    # Informationskontor as printed: 25 - 6 162 is -6 137, the printed net -6 187.
    figure("INFO", 2010, "budget", 525, -5_372, -4_847),
    figure("INFO", 2011, "budget", 25, -6_162, -6_187),
    figure("PERS", 2010, "budget", 1_137, -20_769, -19_632),
    figure("PERS", 2011, "budget", 1_422, -20_953, -19_531),
    # KLF's own nets: its budget grows by 2 832 while its offices' changes give 2 831.
    figure("KLF", 2010, "budget", 0, -24_480, -24_480),
    figure("KLF", 2011, "budget", 0, -25_719, -25_719),
    # Kommungemensamt: 815 - 9 821 is -9 006, the printed net -5 595; the frame change -22.
    figure("KGM", 2010, "budget", 815, -6_432, -5_617),
    figure("KGM", 2011, "budget", 815, -9_821, -5_595),
]
CHANGES = [change("INFO", 1_340, 1), change("PERS", -101, 2), change("KGM", -22, 3)]
NOTES = [
    note("KS", 2011, "preliminart", "Preliminärt.", table="net_investments", order=1),
    note("KS", 2012, "klc", "Ett antagande.", kind="plan", order=2),
    note("PERS", 2010, "pers-6", "Summering, bokslut.", kind="actuals", order=3),
    note("PERS", 2010, "pers-5", "Summering, budget.", kind="budget", order=4),
    note("INFO", 2011, "info-netto", "Netto som tryckt.", kind="budget", line="net", order=5),
    note("KGM", 2014, "later", "Ett senare år.", kind="plan", order=6),
    note("KGM", 2012, "other-plan", "En annan plans tabell.", order=7),
]


def plan() -> PlanView:
    data = PlanInput(UNITS, FIGURES, CHANGES, [], [], notes=NOTES)
    return build_plan(data, "KS", 2011)


def test_a_stated_net_that_revenue_and_costs_do_not_give_is_shown_at_the_unit() -> None:
    view = plan()
    info = node(view, "INFO").figures[BUDGET_2011]
    assert info is not None
    assert info.value.net == tkr(-6_137)
    assert (info.stated_net, info.stated_difference) == (tkr(-6_187), tkr(-50))
    kgm = node(view, "KGM").figures[BUDGET_2011]
    assert kgm is not None and kgm.stated_difference == tkr(3_411)
    assert node(view, "INFO").has_stated_difference and node(view, "KGM").has_stated_difference


def test_a_stated_net_that_agrees_or_none_stated_shows_no_difference() -> None:
    view = plan()
    pers = node(view, "PERS").figures[BUDGET_2011]
    assert pers is not None and pers.stated_net == tkr(-19_531)
    assert pers.stated_difference is None
    assert not node(view, "PERS").has_stated_difference
    plain = FigureRow("PERS", 2011, "budget", "adopted", tkr(1), tkr(-2), None)
    view = build_plan(PlanInput(UNITS, [plain], [], [], []), "PERS", 2011)
    cell = view.root.figures[BUDGET_2011]
    assert cell is not None and (cell.stated_net, cell.stated_difference) == (None, None)


def test_the_parent_still_rolls_up_revenue_plus_costs_not_the_stated_nets() -> None:
    view = plan()
    kc = node(view, "KC").figures[BUDGET_2011]
    assert kc is not None and kc.source == "rolled_up" and kc.value.net == tkr(-9_006)
    assert kc.stated_difference is None


def test_frame_changes_are_checked_against_the_growth_of_the_stated_net_budget() -> None:
    view = plan()
    # -22 against -5 617 to -5 595 as stated: agrees, so Kommungemensamt is flagged once only.
    assert node(view, "KGM").frame_check == FrameCheck(tkr(-22), tkr(-22), False)
    assert node(view, "INFO").frame_check == FrameCheck(tkr(1_340), tkr(1_340), False)
    klf = node(view, "KLF").frame_check
    assert klf == FrameCheck(tkr(1_239), tkr(1_239), True)
    assert klf.difference is None
    # The board's budget is its units' sum here: their own checks say where it does not add up.
    assert node(view, "KS").frame_changes_total == tkr(1_217)
    assert node(view, "KS").frame_check is None


def test_an_administrations_frame_changes_from_below_that_miss_its_growth_are_flagged() -> None:
    figures = [f for f in FIGURES if f.unit_code != "KLF"] + [
        figure("KLF", 2010, "budget", 0, -53_178, -53_178),
        figure("KLF", 2011, "budget", 0, -56_010, -56_010),
    ]
    changes = [change("INFO", 2_000, 1), change("PERS", 831, 2)]
    view = build_plan(PlanInput(UNITS, figures, changes, [], []), "KLF", 2011)
    check = view.root.frame_check
    assert check == FrameCheck(tkr(2_831), tkr(2_832), True)
    assert check is not None and check.difference == tkr(-1)
    html = render_plan_html(view)
    assert 'class="difference frame-check"' in html
    assert "ramförändringarna under enheten blir +2 831 tkr" in html
    assert "ändras med +2 832 tkr mot budget 2010" in html
    csv = write_csv(plan_table(view)).decode("utf-8-sig")
    # In kronor or tkr, as the file's scale says: the difference is -1 tkr.
    assert re.search("KLF;Kommunledningsförvaltningen;-1(000)?;Ej avstämt: ramförändringarna", csv)


def test_a_total_from_below_is_unknown_where_a_budgeted_unit_has_no_frame_change() -> None:
    changes = [c for c in CHANGES if c.unit_code != "PERS"]
    view = build_plan(PlanInput(UNITS, FIGURES, changes, [], []), "KS", 2011)
    assert node(view, "KLF").frame_changes_total is None
    assert node(view, "KLF").frame_check is None
    assert node(view, "KS").frame_check is None


def test_notes_are_numbered_in_reading_order_and_placed_at_their_column() -> None:
    view = plan()
    numbered = [(n.number, n.note_id) for node_ in view.nodes for n in node_.notes]
    # KS: its figures' column note before its net investments' table note; then the
    # offices in tree order, each by column; notes of no column of this plan left out.
    assert numbered == [
        (1, "klc"),
        (2, "preliminart"),
        (3, "info-netto"),
        (4, "pers-5"),
        (5, "pers-6"),
    ]
    ks = node(view, "KS")
    assert ks.note_marks("figures", PLAN_2012) == [1]
    assert ks.note_marks("net_investments", None) == [2]
    assert node(view, "PERS").note_marks("figures", BUDGET_2010) == [4]
    assert node(view, "INFO").note_marks("figures", BUDGET_2011) == []
    assert node(view, "INFO").note_marks("figures", BUDGET_2011, "net") == [3]
    assert ks.notes[0].sender == "ekonomisystem"


def test_notes_are_in_the_json_the_page_and_the_file() -> None:
    view = plan()
    pers = next(n for n in plan_to_json(view)["nodes"] if n["code"] == "PERS")
    assert pers["notes"][0] == {
        "number": 4,
        "note_id": "pers-5",
        "table": "figures",
        "column": "Budget 2010",
        "line": None,
        "text": "Summering, budget.",
        "sender": "ekonomisystem",
    }
    html = render_plan_html(view)
    item = '<li id="not-4" value="4">Summering, budget. <span class="sender">'
    assert item + "(ekonomisystem)</span></li>" in html
    assert 'Budget 2010<sup class="note-ref"><a href="#not-4">4</a></sup>' in html
    assert '<sup class="note-ref"><a href="#not-3">3</a></sup>' in html
    csv = write_csv(plan_table(view)).decode("utf-8-sig")
    assert "Noter\r\nNot;Enhetskod;Enhet;Tabell;Kolumn;Rad;Text;Avsändare\r\n" in csv
    assert (
        "4;PERS;Personalkontor;Budget och plan;Budget 2010;;Summering, budget.;ekonomisystem" in csv
    )
    assert "3;INFO;Informationskontor;Budget och plan;Budget 2011;Nettokostnad;" in csv
    difference = "INFO;Informationskontor;Avvikelse: angiven nettokostnad mot intäkter + kostnader"
    assert re.search(f"{re.escape(difference)};;;-50(000)?;;\r\n", csv)


def test_a_note_on_a_table_without_amounts_is_still_shown() -> None:
    html = render_plan_html(plan())
    board = html[html.index('<section id="enhet-KS"') :]
    board = board[: board.index("</section>")]
    assert 'Nettoinvesteringar<sup class="note-ref"><a href="#not-2">2</a></sup></h3>' in board
    assert '<li id="not-2" value="2">Preliminärt.' in board
    assert '<table class="net-investments">' not in board


def test_the_page_opens_with_a_table_of_contents_linking_each_section() -> None:
    view = plan()
    html = render_plan_html(view)
    contents = html[html.index('<nav class="contents"') : html.index("</nav>")]
    for code in ("KS", "KLF", "INFO", "PERS", "KC", "KGM"):
        assert f'href="#enhet-{code}"' in contents
        assert f'<section id="enhet-{code}"' in html
    assert html.index("</nav>") < html.index('<section id="enhet-KS"')
    assert plan_to_json(view)["contents"][0] == {"title": "Kommunstyrelsen", "anchor": "enhet-KS"}


def test_the_stated_difference_is_on_the_units_own_rows_of_the_page() -> None:
    html = render_plan_html(plan())
    info = html[html.index('<section id="enhet-INFO"') :]
    info = info[: info.index("</section>")]
    assert "Angiven nettokostnad" in info and "Avvikelse: angiven nettokostnad" in info
    kc = html[html.index('<section id="enhet-KC"') :]
    assert "Avvikelse: angiven" not in kc[: kc.index("</section>")]
