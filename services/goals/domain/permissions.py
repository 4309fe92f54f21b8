"""Which roles may send which goals command: planners keep the catalogue; a controller may
also record what was measured and assess activities."""

from contracts.envelope import Command
from contracts.goals import commands
from contracts.goals.service import GOALS_COMMANDS
from plumbing.permissions import CONTROLLER, PLANNER, RolesFor

_FOLLOW_UP = (commands.RecordMeasurement, commands.AssessActivity)

ROLES_FOR: dict[type[Command], frozenset[str]] = {
    command: frozenset({CONTROLLER, PLANNER}) if command in _FOLLOW_UP else frozenset({PLANNER})
    for command in GOALS_COMMANDS.values()
}

# Raises NotPermitted unless one of the roles may send the command.
check_permission = RolesFor(ROLES_FOR)
