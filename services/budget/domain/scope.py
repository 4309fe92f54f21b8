"""Whether a budget command writes within its sender's scope (the units it was given and
everything under them)."""

from contracts.budget.commands import MoveUnit, RegisterUnit
from contracts.envelope import Command
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
    """Refuse ``command`` when it writes outside ``scope``."""
    org.check_written_within(scope, _units_written(command))
