"""Which roles may issue which command; the units a sender may write for are its scope.

A controller keeps the figures and their comments for its units; a planner may do that
too and also shapes the organisation tree (and, when goals come, the goals).
"""

from collections.abc import Collection

from contracts.budget import commands
from contracts.envelope import Command
from contracts.refusal import not_permitted

CONTROLLER = "controller"
PLANNER = "planner"

_FIGURES = (
    commands.SetFigures,
    commands.RecordActuals,
    commands.MakeForecast,
    commands.ChangeFrame,
    commands.SetNetInvestment,
    commands.WriteNarrative,
)
_TREE = (
    commands.RegisterUnit,
    commands.RenameUnit,
    commands.MoveUnit,
    commands.CloseUnit,
    commands.AppointManager,
)

ROLES_FOR: dict[type[Command], frozenset[str]] = {
    **{command: frozenset({CONTROLLER, PLANNER}) for command in _FIGURES},
    **{command: frozenset({PLANNER}) for command in _TREE},
}


def check_permission(roles: Collection[str], command: Command) -> None:
    """Refuse ``command`` (NotPermitted) unless one of ``roles`` may issue it."""
    allowed = ROLES_FOR.get(type(command), frozenset())
    if allowed.isdisjoint(roles):
        needed = " eller ".join(sorted(allowed)) or "ingen roll"
        held = ", ".join(sorted(roles)) or "inga roller"
        raise not_permitted(
            "",
            f"{command.command_name} kräver rollen {needed}; inloggningen har {held}",
        )
