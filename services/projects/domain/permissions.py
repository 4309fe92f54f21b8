"""Which roles may send which projects command, as its contract declares them: planners
keep the register (lifecycle, budget, financing, steps, goal links); a controller may also
report a project's status and change its manager."""

from contracts.projects.service import PROJECTS
from plumbing.permissions import RolesFor

# Raises NotPermitted unless one of the roles may send the command.
check_permission = RolesFor.declared(PROJECTS)
