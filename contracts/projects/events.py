"""Projects events, version 1: facts the projects service has stored."""

from contracts.envelope import Event
from contracts.projects import fields


class ProjectRegistered(Event, fields.ProjectRegistration):
    event_type = "ProjectRegistered"


class ProjectStatusChanged(Event, fields.StatusChange):
    event_type = "ProjectStatusChanged"


class ProjectManagerChanged(Event, fields.ManagerChange):
    event_type = "ProjectManagerChanged"


class StepPlanned(Event, fields.StepPlan):
    event_type = "StepPlanned"


class ProjectBudgetSet(Event, fields.ProjectBudget):
    """Replaces the project's budget for the year; for a project run by the project office it
    also moves the office's revenue (the 10 % rule)."""

    event_type = "ProjectBudgetSet"


class FinancingRecorded(Event, fields.Financing):
    event_type = "FinancingRecorded"


class ProjectStatusReported(Event, fields.StatusReport):
    event_type = "ProjectStatusReported"


class GoalLinked(Event, fields.GoalLink):
    event_type = "GoalLinked"
