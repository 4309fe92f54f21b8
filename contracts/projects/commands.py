"""Projects commands: what the project office and project tools ask the projects service."""

from contracts.envelope import Command
from contracts.projects import fields


class RegisterProject(Command, fields.ProjectRegistration):
    command_name = "register-project"


class ChangeProjectStatus(Command, fields.StatusChange):
    """A step of the lifecycle, with its date and decision; one it does not allow is refused."""

    command_name = "change-project-status"


class ChangeProjectManager(Command, fields.ManagerChange):
    command_name = "change-project-manager"


class PlanStep(Command, fields.StepPlan):
    command_name = "plan-step"


class SetProjectBudget(Command, fields.ProjectBudget):
    command_name = "set-project-budget"


class RecordFinancing(Command, fields.Financing):
    command_name = "record-financing"


class ReportProjectStatus(Command, fields.StatusReport):
    command_name = "report-project-status"


class LinkGoal(Command, fields.GoalLink):
    command_name = "link-goal"
