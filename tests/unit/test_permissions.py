"""Who may send which command, and for which units: refused as not permitted, not as wrong."""

import pytest

from contracts.budget.commands import RecordActuals, RegisterUnit, RenameUnit, WriteNarrative
from contracts.envelope import Command
from contracts.refusal import NotPermitted, Refused
from contracts.scope import Scope
from services.budget.domain.decisions import decide
from services.budget.domain.organisation import Organisation
from services.budget.domain.permissions import check_permission
from tests.unit.test_budget_domain import register, tree  # noqa: F401 (a fixture)

ACTUALS = RecordActuals(actor="t", unit_code="IT", period="2011-03", revenue=1, costs=-1)
NARRATIVE = WriteNarrative(
    actor="t", unit_code="IT", year=2011, section="activity_changes", text="Fler e-tjänster"
)
RENAME = RenameUnit(actor="t", unit_code="IT", name="IT-kontoret", effective_on="2011-02-01")


@pytest.mark.parametrize(
    ("roles", "command", "allowed"),
    [
        ({"controller"}, ACTUALS, True),
        ({"controller"}, NARRATIVE, True),
        ({"controller"}, RENAME, False),
        ({"controller"}, register("NEW", "IT"), False),
        ({"planner"}, ACTUALS, True),
        ({"planner"}, RENAME, True),
        ({"reader", "operator"}, ACTUALS, False),
        (set(), NARRATIVE, False),
    ],
)
def test_roles_decide_which_commands_may_be_sent(
    roles: set[str], command: Command, allowed: bool
) -> None:
    if allowed:
        check_permission(roles, command)
    else:
        with pytest.raises(NotPermitted, match="kräver rollen"):
            check_permission(roles, command)


def test_a_unit_under_the_scope_is_within_it_and_one_beside_it_is_not_permitted(
    tree: Organisation,  # noqa: F811
) -> None:
    klf = Scope(frozenset({"KLF"}))
    decide(tree, ACTUALS, klf)
    with pytest.raises(NotPermitted) as refused:
        decide(tree, register("NEW", "KS"), klf)
    assert refused.value.problems[0].field == "parent_code"


def test_an_unknown_unit_is_refused_as_wrong_not_as_not_permitted(
    tree: Organisation,  # noqa: F811
) -> None:
    with pytest.raises(Refused) as refused:
        decide(
            tree,
            RecordActuals(**{**ACTUALS.model_dump(), "unit_code": "NOPE"}),
            Scope(frozenset({"KLF"})),
        )
    assert not isinstance(refused.value, NotPermitted)


def test_a_new_board_needs_every_unit(tree: Organisation) -> None:  # noqa: F811
    with pytest.raises(NotPermitted):
        decide(
            tree,
            RegisterUnit(
                actor="t", unit_code="BUN", name="Bun", kind="board", effective_on="2011-01-01"
            ),
            Scope(frozenset({"KS"})),
        )
    decide(
        tree,
        RegisterUnit(
            actor="t", unit_code="BUN", name="Bun", kind="board", effective_on="2011-01-01"
        ),
        Scope(frozenset({"*"})),
    )
