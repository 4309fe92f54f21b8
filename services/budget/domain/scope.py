"""Whether a budget command writes within its sender's scope (the units it was given and
everything under them)."""

from contracts.budget.commands import MoveUnit, RegisterUnit
from contracts.envelope import Command
from contracts.refusal import not_permitted
from contracts.scope import Scope
from services.budget.domain.organisation import Organisation


def _units_written(command: Command) -> list[tuple[str, str | None]]:
    """(field, unit code) of every unit the command writes for or under."""
    if isinstance(command, RegisterUnit):
        # The new unit is not in the tree yet: what counts is where it is placed.
        return [("parent_code", command.parent_code)]
    written = [("unit_code", getattr(command, "unit_code", None))]
    if isinstance(command, MoveUnit):
        written.append(("parent_code", command.parent_code))
    return written


def check_scope(org: Organisation, command: Command, scope: Scope) -> None:
    """Refuse ``command`` when it writes outside ``scope``.

    A unit the tree does not know is left to the decision itself, which says so more
    plainly; a new board (no parent) needs a scope of every unit.
    """
    if scope.everything:
        return
    for field, code in _units_written(command):
        if code is None or (code in org.units and not org.within(code, scope.roots)):
            raise not_permitted(
                field,
                f"avsändaren får inte skriva för enheten {code or '(ny nämnd)'}; "
                f"den får skriva för {scope.describe()} med underliggande enheter",
            )
