"""Which roles may issue which command, as the budget's contract declares them
(contracts.budget.service: a planner shapes the tree, a controller keeps the figures, their
texts and the follow-up's ready-marking, no one sends the project office's share by hand);
the units a sender may write for are its scope."""

from contracts.budget.service import BUDGET
from plumbing.permissions import RolesFor

# Raises NotPermitted unless one of the roles may issue the command.
check_permission = RolesFor.declared(BUDGET)
