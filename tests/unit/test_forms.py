"""Whom a page's form is shown to: those whose roles the owning service's contract names for
its command, within their units (a unit with everything under it)."""

from plumbing.identity import Principal
from services.reporting.forms.slots import may_use
from services.reporting.forms.specs import FORMS

PARENTS = {"KS": None, "KLF": "KS", "IT": "KLF", "NÄT": "KS"}


def _person(roles: set[str], units: set[str]) -> Principal:
    return Principal("p", None, frozenset(roles), frozenset(units))


def test_a_form_is_shown_to_the_roles_its_service_names_within_their_units() -> None:
    comment = FORMS["manadskommentar"]
    controller = _person({"controller"}, {"KLF"})
    assert may_use(comment, controller, "KLF", PARENTS)
    assert may_use(comment, controller, "IT", PARENTS)
    assert not may_use(comment, controller, "NÄT", PARENTS)
    assert not may_use(comment, controller, "KS", PARENTS)
    assert not may_use(comment, _person({"reader"}, {"*"}), "IT", PARENTS)
    assert not may_use(comment, _person({"operator"}, {"*"}), "IT", PARENTS)
    assert may_use(comment, _person({"planner"}, {"*"}), "NÄT", PARENTS)


def test_every_form_sends_a_command_its_service_lets_someone_send() -> None:
    for spec in FORMS.values():
        assert spec.roles, f"{spec.name}: no role may send {spec.command}"
    assert FORMS["matvarde"].roles == {"controller", "planner"}
    assert FORMS["klarmarkera"].roles == {"controller", "planner"}
