"""Which roles may issue which command; the units a sender may write for are its scope.

A controller keeps the figures and their comments for its units; a planner may do that
too and also shapes the organisation tree (and, when goals come, the goals).
"""

from contracts.budget import commands
from contracts.envelope import Command
from plumbing.permissions import CONTROLLER, PLANNER, RolesFor

_FIGURES = (
    commands.SetFigures,
    commands.RecordActuals,
    commands.MakeForecast,
    commands.ChangeFrame,
    commands.SetNetInvestment,
    commands.WriteNarrative,
    commands.WriteMonthComment,
    commands.SetBudgetProfile,
    commands.WriteFollowUpText,
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
    # Only the projects service sends it, over NATS, as a project office's budget changes:
    # by hand it would move the office's revenue outside the 10 % rule, so no role may.
    commands.SetProjectShare: frozenset(),
}


# Raises NotPermitted unless one of the roles may issue the command.
check_permission = RolesFor(ROLES_FOR)
