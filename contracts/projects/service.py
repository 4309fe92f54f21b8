"""The projects service's contract; it learns the units from budget's events and the result
goals from goals', and sends budget the project office's share of the projects it runs."""

from contracts.budget.commands import SetProjectShare
from contracts.budget.service import BUDGET
from contracts.goals.service import GOALS
from contracts.projects.commands import PROJECTS_COMMANDS
from contracts.projects.events import PROJECTS_EVENTS
from contracts.service import WriteService

PROJECTS = WriteService(
    name="projects",
    title="projekttjänsten",
    commands=PROJECTS_COMMANDS,
    events=PROJECTS_EVENTS,
    learns_from=(BUDGET, GOALS),
    # The project office's share of each project budget it runs (services.projects.office_share).
    sends_to=(BUDGET,),
    sends_commands={BUDGET.name: (SetProjectShare.command_name,)},
)
