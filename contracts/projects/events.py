"""Projects events, version 1: facts the projects service has stored."""

from contracts.envelope import Event
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


class ProjectRegistered(Event, ProjectRegistration):
    event_type = "ProjectRegistered"


class ProjectStatusChanged(Event, StatusChange):
    event_type = "ProjectStatusChanged"


class ProjectManagerChanged(Event, ManagerChange):
    event_type = "ProjectManagerChanged"


class StepPlanned(Event, StepPlan):
    event_type = "StepPlanned"


class ProjectBudgetSet(Event, ProjectBudget):
    """Replaces the project's budget for the year; for a project run by the project office it
    also moves the office's revenue (the 10 % rule)."""

    event_type = "ProjectBudgetSet"


class FinancingRecorded(Event, Financing):
    event_type = "FinancingRecorded"


class ProjectStatusReported(Event, StatusReport):
    event_type = "ProjectStatusReported"


class GoalLinked(Event, GoalLink):
    event_type = "GoalLinked"


PROJECTS_EVENTS: dict[str, type[Event]] = {
    cls.event_type: cls
    for cls in (
        ProjectRegistered,
        ProjectStatusChanged,
        ProjectManagerChanged,
        StepPlanned,
        ProjectBudgetSet,
        FinancingRecorded,
        ProjectStatusReported,
        GoalLinked,
    )
}
