"""The budget domain decides without I/O: which event happens, or why not."""

from datetime import date

import pytest

from contracts.budget.commands import (
    AppointManager,
    CloseUnit,
    MoveUnit,
    RecordActuals,
    RegisterUnit,
    RenameUnit,
    SetFigures,
    WriteNarrative,
)
from contracts.budget.events import ActualsRecorded, FiguresSet, UnitMoved, UnitRegistered
from contracts.refusal import Refused
from services.budget.domain.decisions import decide, stream_for
from services.budget.domain.organisation import ORGANISATION_STREAM, Organisation


def register(code: str, parent: str | None, kind: str = "unit") -> RegisterUnit:
    return RegisterUnit(
        actor="t",
        unit_code=code,
        name=code.title(),
        kind=kind,
        parent_code=parent,
        effective_on="2011-01-01",
    )


@pytest.fixture
def tree() -> Organisation:
    organisation = Organisation()
    for command in (
        register("KS", None, "board"),
        register("KLF", "KS", "administration"),
        register("IT", "KLF"),
        register("EKO", "KLF"),
    ):
        decide(organisation, command)
    return organisation


def refusal(organisation: Organisation, command: object) -> tuple[str, str]:
    with pytest.raises(Refused) as refused:
        decide(organisation, command)  # type: ignore[arg-type]
    (problem,) = refused.value.problems
    return problem.field, problem.message


def test_registering_a_unit_applies_it_so_the_next_command_sees_it(tree: Organisation) -> None:
    event = decide(tree, register("NEW", "IT"))
    assert isinstance(event, UnitRegistered)
    assert tree.units["NEW"].parent_code == "IT"
    assert len(tree.units) == 5


def test_a_unit_code_can_be_registered_only_once(tree: Organisation) -> None:
    assert refusal(tree, register("IT", "KLF")) == ("unit_code", "enheten IT finns redan")


def test_a_unit_needs_a_known_parent_and_a_board_has_none(tree: Organisation) -> None:
    assert refusal(tree, register("X", "NOPE"))[0] == "parent_code"
    assert refusal(tree, register("X", None))[0] == "parent_code"
    assert refusal(tree, register("Y", "KS", "board"))[0] == "parent_code"


def test_a_unit_cannot_move_under_its_own_descendant(tree: Organisation) -> None:
    decide(tree, register("SUB", "IT"))
    command = MoveUnit(actor="t", unit_code="KLF", parent_code="SUB", effective_on="2011-06-01")
    assert refusal(tree, command)[0] == "parent_code"
    moved = decide(
        tree, MoveUnit(actor="t", unit_code="SUB", parent_code="EKO", effective_on="2011-06-01")
    )
    assert isinstance(moved, UnitMoved) and tree.units["SUB"].parent_code == "EKO"


def test_a_unit_with_open_children_cannot_close(tree: Organisation) -> None:
    field, message = refusal(tree, CloseUnit(actor="t", unit_code="KLF", effective_on="2011-12-31"))
    assert field == "unit_code" and "EKO, IT" in message


def test_nothing_is_recorded_on_a_closed_unit_after_it_closed(tree: Organisation) -> None:
    decide(tree, CloseUnit(actor="t", unit_code="EKO", effective_on="2011-06-30"))
    before = RecordActuals(actor="t", unit_code="EKO", period="2011-06", revenue=1, costs=-1)
    after = RecordActuals(actor="t", unit_code="EKO", period="2011-07", revenue=1, costs=-1)
    assert isinstance(decide(tree, before), ActualsRecorded)
    field, message = refusal(tree, after)
    assert field == "unit_code" and "stängdes 2011-06-30" in message
    figures = SetFigures(
        actor="t", unit_code="EKO", year=2012, kind="plan", status="proposed", revenue=0, costs=-1
    )
    assert refusal(tree, figures)[0] == "unit_code"
    assert (
        refusal(tree, RenameUnit(actor="t", unit_code="EKO", name="x", effective_on="2011-08-01"))[
            0
        ]
        == "unit_code"
    )


def test_figures_of_an_unknown_unit_are_refused(tree: Organisation) -> None:
    command = SetFigures(
        actor="t", unit_code="NOPE", year=2011, kind="budget", status="adopted", revenue=0, costs=0
    )
    assert refusal(tree, command) == ("unit_code", "enheten NOPE finns inte i organisationen")


def test_figures_keep_their_exact_amounts_and_decision(tree: Organisation) -> None:
    command = SetFigures(
        actor="t",
        unit_code="IT",
        year=2011,
        kind="budget",
        status="adopted",
        revenue="36130000.10",
        costs="-36130000",
        decision="KF 2010-11-15 § 13",
    )
    event = decide(tree, command)
    assert isinstance(event, FiguresSet)
    assert str(event.revenue) == "36130000.10" and event.decision == "KF 2010-11-15 § 13"


def test_each_event_goes_to_the_tree_or_to_its_units_year(tree: Organisation) -> None:
    actuals = decide(
        tree, RecordActuals(actor="t", unit_code="IT", period="2011-03", revenue=1, costs=-1)
    )
    narrative = decide(
        tree,
        WriteNarrative(
            actor="t", unit_code="IT", year=2012, section="activity_changes", text="Inga."
        ),
    )
    manager = decide(
        tree,
        AppointManager(
            actor="t", unit_code="IT", manager_name="Hans Haglund", effective_on=date(2011, 1, 1)
        ),
    )
    assert stream_for(actuals) == "unit-IT-2011"
    assert stream_for(narrative) == "unit-IT-2012"
    assert stream_for(manager) == ORGANISATION_STREAM
