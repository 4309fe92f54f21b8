"""Which roles may send which projects command: planners keep the register (lifecycle,
budget, financing, steps, goal links); a controller may also report a project's status and
change its manager."""

from contracts.envelope import Command
from contracts.projects import commands
from contracts.projects.service import PROJECTS_COMMANDS
from plumbing.permissions import CONTROLLER, PLANNER, RolesFor

_FOLLOW_UP = (commands.ReportProjectStatus, commands.ChangeProjectManager)

ROLES_FOR: dict[type[Command], frozenset[str]] = {
    command: frozenset({CONTROLLER, PLANNER}) if command in _FOLLOW_UP else frozenset({PLANNER})
    for command in PROJECTS_COMMANDS.values()
}

# Raises NotPermitted unless one of the roles may send the command.
check_permission = RolesFor(ROLES_FOR)
