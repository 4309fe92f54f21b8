"""The budget's demo data states the seed's printed nets with its tables and attaches the seed's
notes on the board's and the personnel office's tables where the seed prints their markers."""

from decimal import Decimal

import pytest

from contracts.budget.commands import AttachTableNote, SetFigures
from contracts.budget.fields import FigureKind
from contracts.budget.notes import NoteTable
from kommunplan.demo import demo_commands
from tests.seed_text import collapse, read_seed_text
from tests.unit.test_demo_data import PRINTED_NETS, TKR, printed_net


@pytest.fixture(scope="module")
def seed() -> str:
    """The seed's text, read when a test asks for it: skipped where it is not on the machine."""
    return collapse(read_seed_text())


PERSONNEL = "Beloppen är en summering av Personalkontoret och lönekontoret för år 2010."


def _notes() -> dict[str, AttachTableNote]:
    return {c.note_id: c for c in demo_commands() if isinstance(c, AttachTableNote)}


def test_every_table_states_the_net_the_seed_prints() -> None:
    tables = [c for c in demo_commands() if isinstance(c, SetFigures)]
    assert len(tables) == 51
    for figures in tables:
        assert figures.stated_net is not None, figures.unit_code
        assert figures.stated_net == Decimal(printed_net(figures) * TKR), figures.unit_code


def test_the_stated_nets_differ_from_the_rows_exactly_where_the_seed_does() -> None:
    differing = {
        (c.unit_code, c.year, c.kind)
        for c in demo_commands()
        if isinstance(c, SetFigures) and c.stated_net != c.revenue + c.costs
    }
    assert differing == set(PRINTED_NETS)


def test_the_logistics_centre_states_its_frame_from_the_boards_overview(seed: str) -> None:
    [klc] = [c for c in demo_commands() if isinstance(c, SetFigures) and c.unit_code == "KLC"]
    assert "Katrineholms Logistikcentrum (KLC) 1 118tkr" in seed
    assert klc.stated_net == Decimal(-1_118_000)


def test_the_notes_are_the_seeds_and_sit_where_its_markers_are(seed: str) -> None:
    notes = _notes()
    placed = {
        note_id: (n.unit_code, n.table, n.year, n.kind, n.line) for note_id, n in notes.items()
    }
    figures, investments = NoteTable.FIGURES, NoteTable.NET_INVESTMENTS
    assert placed == {
        # "Budget Bokslut Budget Plan Plan 2013 2010 2010 2011 2012 1": after Plan 2012's year.
        "ks-fotnot-1-klc-avskrivningar": ("KS", figures, 2012, FigureKind.PLAN, None),
        # "Budget 2010 Bokslut 2010 Budget 2011 2 Plan 2012"
        "ks-fotnot-2-ombudgeteringar": ("KS", investments, 2011, FigureKind.BUDGET, None),
        # The table's caption: "nettoinvesteringar är preliminärt ..."; the whole table.
        "ks-nettoinvesteringar-preliminart": ("KS", investments, 2011, None, None),
        # "Budget 2010 5 Bokslut 2010 6"
        "pers-fotnot-5-summering": ("PERS", figures, 2010, FigureKind.BUDGET, None),
        "pers-fotnot-6-summering": ("PERS", figures, 2010, FigureKind.ACTUALS, None),
    }
    assert "Plan Plan 2013 2010 2010 2011 2012 1 Intäkter" in seed
    assert "Budget 2010 Bokslut 2010 Budget 2011 2 Plan 2012" in seed
    assert "Budget 2010 5 Bokslut 2010 6 Budget 2011" in seed
    assert f"1 {notes['ks-fotnot-1-klc-avskrivningar'].text}" in seed
    assert f"2 {notes['ks-fotnot-2-ombudgeteringar'].text}" in seed
    assert f"5 {PERSONNEL} 6 {PERSONNEL}" in seed
    assert notes["pers-fotnot-5-summering"].text == PERSONNEL
    assert notes["pers-fotnot-6-summering"].text == PERSONNEL
    preliminary = notes["ks-nettoinvesteringar-preliminart"].text
    assert preliminary.startswith("Preliminärt: ")
    assert (
        "nettoinvesteringar är preliminärt " + preliminary.removeprefix("Preliminärt: ").rstrip(".")
        in seed
    )
