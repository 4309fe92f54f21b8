"""Every write service's contract; schemas and the launcher's processes are derived from these."""

from contracts.budget.service import BUDGET
from contracts.goals.service import GOALS
from contracts.projects.service import PROJECTS
from contracts.service import WriteService

WRITE_SERVICES: tuple[WriteService, ...] = (BUDGET, GOALS, PROJECTS)
