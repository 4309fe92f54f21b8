"""Projects commands: what the project office and project tools ask the projects service."""

from contracts.envelope import Command
from contracts.projects.fields import (
    Financing,
    GoalLink,
    ManagerChange,
    ProjectBudget,
    ProjectRegistration,
    StatusChange,
    StatusReport,
    StepPlan,
)


class RegisterProject(Command, ProjectRegistration):
    command_name = "register-project"


class ChangeProjectStatus(Command, StatusChange):
    """A step of the lifecycle, with its date and decision; one it does not allow is refused."""

    command_name = "change-project-status"


class ChangeProjectManager(Command, ManagerChange):
    command_name = "change-project-manager"


class PlanStep(Command, StepPlan):
    command_name = "plan-step"


class SetProjectBudget(Command, ProjectBudget):
    command_name = "set-project-budget"


class RecordFinancing(Command, Financing):
    command_name = "record-financing"


class ReportProjectStatus(Command, StatusReport):
    command_name = "report-project-status"


class LinkGoal(Command, GoalLink):
    command_name = "link-goal"


PROJECTS_COMMANDS: dict[str, type[Command]] = {
    cls.command_name: cls
    for cls in (
        RegisterProject,
        ChangeProjectStatus,
        ChangeProjectManager,
        PlanStep,
        SetProjectBudget,
        RecordFinancing,
        ReportProjectStatus,
        LinkGoal,
    )
}
