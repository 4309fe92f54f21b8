"""Which roles may send which goals command, as its contract declares them: planners keep
the catalogue; a controller may also record what was measured and assess activities."""

from contracts.goals.service import GOALS
from plumbing.permissions import RolesFor

# Raises NotPermitted unless one of the roles may send the command.
check_permission = RolesFor.declared(GOALS)
