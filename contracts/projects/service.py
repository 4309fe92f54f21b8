"""The projects service's contract; it learns the units from budget's events and the result
goals from goals', and sends budget the project office's share of the projects it runs."""

from contracts.budget.commands import SetProjectShare
from contracts.budget.service import BUDGET
from contracts.budget.tree import TREE_EVENTS
from contracts.envelope import commands_by_name, events_by_type
from contracts.goals.events import GoalAdopted, GoalRetired
from contracts.goals.service import GOALS
from contracts.projects import commands, events
from contracts.service import Learns, Sends, WriteService, catalogue_roles

PROJECTS_COMMANDS = commands_by_name(
    commands.RegisterProject,
    commands.ChangeProjectStatus,
    commands.ChangeProjectManager,
    commands.PlanStep,
    commands.SetProjectBudget,
    commands.RecordFinancing,
    commands.ReportProjectStatus,
    commands.LinkGoal,
)
PROJECTS_EVENTS = events_by_type(
    events.ProjectRegistered,
    events.ProjectStatusChanged,
    events.ProjectManagerChanged,
    events.StepPlanned,
    events.ProjectBudgetSet,
    events.FinancingRecorded,
    events.ProjectStatusReported,
    events.GoalLinked,
)

PROJECTS = WriteService(
    name="projects",
    title="projekttjänsten",
    commands=PROJECTS_COMMANDS,
    events=PROJECTS_EVENTS,
    # Which result goals there are, adopted and retired, for the goals a project serves.
    learns=(Learns(BUDGET, TREE_EVENTS), Learns(GOALS, (GoalAdopted, GoalRetired))),
    # The project office's share of each project budget it runs (services.projects.office_share).
    sends=(Sends(BUDGET, (SetProjectShare,)),),
    # Planners keep the catalogue; a controller may also follow it up.
    roles=catalogue_roles(
        PROJECTS_COMMANDS, follow_up=(commands.ReportProjectStatus, commands.ChangeProjectManager)
    ),
)
