"""Which roles may issue which command; the units a sender may write for are its scope.

A controller keeps the figures and their comments for its units; a planner may do that
too and also shapes the organisation tree (and, when goals come, the goals).
"""

from contracts.budget import commands
from contracts.budget.service import BUDGET_COMMANDS
from contracts.envelope import Command
from plumbing.permissions import CONTROLLER, PLANNER, RolesFor

_TREE = (
    commands.RegisterUnit,
    commands.RenameUnit,
    commands.MoveUnit,
    commands.CloseUnit,
    commands.AppointManager,
)


def _roles(command: type[Command]) -> frozenset[str]:
    """A planner shapes the tree; the figures and their texts are a controller's too."""
    if command in _TREE:
        return frozenset({PLANNER})
    # Only the projects service sends it, over NATS, as a project office's budget changes:
    # by hand it would move the office's revenue outside the 10 % rule, so no role may.
    if command is commands.SetProjectShare:
        return frozenset()
    return frozenset({CONTROLLER, PLANNER})


ROLES_FOR: dict[type[Command], frozenset[str]] = {
    command: _roles(command) for command in BUDGET_COMMANDS.values()
}


# Raises NotPermitted unless one of the roles may issue the command.
check_permission = RolesFor(ROLES_FOR)
