"""The budget's notes on tables and stated nets: what the contract takes, what the domain
decides, and that figures stored before the stated net existed still read, with none."""

from decimal import Decimal

import pytest
from pydantic import ValidationError

from contracts.budget.commands import AttachTableNote, SetFigures
from contracts.budget.events import FiguresSet, TableNoteAttached
from services.budget.domain.decisions import decide, stream_for
from services.budget.domain.organisation import Organisation
from tests.unit.test_budget_domain import refusal, tree

__all__ = ["tree"]  # the fixture, used by name


def note(**fields: object) -> AttachTableNote:
    body = {"actor": "t", "unit_code": "IT", "year": 2010, "note_id": "n-1", "text": "Not."}
    return AttachTableNote.model_validate({**body, **fields})


def test_a_note_on_a_column_is_stored_on_the_units_year_with_its_place(
    tree: Organisation,
) -> None:
    event = decide(tree, note(kind="actuals", line="net"))
    assert isinstance(event, TableNoteAttached)
    assert (event.table, event.kind, event.line, event.text) == (
        "figures",
        "actuals",
        "net",
        "Not.",
    )
    assert stream_for(event) == "unit-IT-2010"


def test_a_note_for_an_unknown_unit_is_refused(tree: Organisation) -> None:
    field, message = refusal(tree, note(unit_code="OKÄND"))
    assert field == "unit_code" and "OKÄND" in message


@pytest.mark.parametrize(
    "fields", [{"line": "net"}, {"table": "net_investments", "kind": "budget", "line": "net"}]
)
def test_a_note_on_a_line_needs_a_column_of_the_figures(fields: dict[str, str]) -> None:
    with pytest.raises(ValidationError, match="en not på en rad"):
        note(**fields)


def test_a_note_needs_a_text_and_an_id_of_its_own_form() -> None:
    with pytest.raises(ValidationError):
        note(text="")
    with pytest.raises(ValidationError):
        note(note_id="Fotnot 1")


def test_figures_may_state_their_net_and_those_stored_before_state_none(
    tree: Organisation,
) -> None:
    body = {
        "actor": "t",
        "unit_code": "IT",
        "year": 2011,
        "kind": "budget",
        "status": "adopted",
        "revenue": "25000",
        "costs": "-6162000",
    }
    stated = decide(tree, SetFigures.model_validate({**body, "stated_net": "-6187000"}))
    assert isinstance(stated, FiguresSet) and stated.stated_net == Decimal(-6_187_000)
    # An event stored before the field existed has no stated_net in its payload.
    old_payload = {k: v for k, v in stated.model_dump(mode="json").items() if k != "stated_net"}
    assert FiguresSet.model_validate(old_payload).stated_net is None
