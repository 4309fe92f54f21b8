"""The project register as its events built it: each project with its status, manager,
steps, budget per year, financing, status reports and the result goals it serves; and what
projects knows of others: budget's organisation tree and goals' result goals, which it only
reads."""

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Self

from contracts.budget.tree import OrganisationTree
from contracts.envelope import Event
from contracts.goals.events import GoalAdopted, GoalRetired
from contracts.projects import events
from contracts.projects.fields import ProjectStatus

PROJECT_STREAM_PREFIX = "project-"


def project_stream(project_code: str) -> str:
    """Each project's events on a stream of their own."""
    return f"{PROJECT_STREAM_PREFIX}{project_code}"


class ResultGoals:
    """The result goals goals has adopted, and those it has retired, from its events."""

    def __init__(self) -> None:
        self.adopted: set[str] = set()
        self.retired: set[str] = set()

    def apply(self, event: Event) -> None:
        match event:
            case GoalAdopted():
                self.adopted.add(event.goal_id)
            case GoalRetired():
                self.retired.add(event.goal_id)

    def copy(self) -> Self:
        return copy.deepcopy(self)


@dataclass(frozen=True)
class Project:
    """A project as it stands; replaced as a whole by each of its events, never changed."""

    registered: events.ProjectRegistered
    status: ProjectStatus = ProjectStatus.PROPOSED
    status_changed_on: date | None = None  # the last lifecycle change's date
    manager: str | None = None
    acting_manager: str | None = None  # a substitute while the manager is away
    steps: Mapping[int, events.StepPlanned] = field(default_factory=dict)
    budgets: Mapping[int, events.ProjectBudgetSet] = field(default_factory=dict)
    financing: Mapping[tuple[str, int], events.FinancingRecorded] = field(default_factory=dict)
    goal_ids: tuple[str, ...] = ()
    reports: tuple[events.ProjectStatusReported, ...] = ()

    @property
    def unit_code(self) -> str:
        return self.registered.unit_code

    @property
    def final(self) -> bool:
        return self.status in (ProjectStatus.COMPLETED, ProjectStatus.CANCELLED)

    def applied(self, event: Event) -> "Project":
        """The project after ``event``, one of its own."""
        match event:
            case events.ProjectStatusChanged():
                return replace(self, status=event.status, status_changed_on=event.effective_on)
            case events.ProjectManagerChanged() if event.acting:
                return replace(self, acting_manager=event.project_manager)
            case events.ProjectManagerChanged():
                return replace(self, manager=event.project_manager, acting_manager=None)
            case events.StepPlanned():
                return replace(self, steps={**self.steps, event.step: event})
            case events.ProjectBudgetSet():
                return replace(self, budgets={**self.budgets, event.year: event})
            case events.FinancingRecorded():
                key = (event.source, event.year)
                return replace(self, financing={**self.financing, key: event})
            case events.GoalLinked():
                return replace(self, goal_ids=(*self.goal_ids, event.goal_id))
            case events.ProjectStatusReported():
                return replace(self, reports=(*self.reports, event))
            case _:
                raise ValueError(f"{type(event).__name__} is no event of a registered project")


def registered(event: events.ProjectRegistered) -> Project:
    return Project(event, status=event.status, manager=event.project_manager)


class Register:
    """What the projects decisions read. ``office_unit``: the project office's unit in
    budget, whose revenue the projects it runs move (services.projects.office_share); from
    the settings.

    The projects in it are immutable, so a copy shares them; the tree and the result goals
    are snapshots the decider replaces as budget's and goals' events arrive.
    """

    def __init__(
        self,
        tree: OrganisationTree | None = None,
        goals: ResultGoals | None = None,
        *,
        office_unit: str,
    ) -> None:
        self.tree = tree if tree is not None else OrganisationTree()
        self.goals = goals if goals is not None else ResultGoals()
        self.office_unit = office_unit
        self.projects: dict[str, Project] = {}

    def copy(self) -> "Register":
        twin = copy.copy(self)
        twin.projects = dict(self.projects)
        return twin

    def apply(self, event: Event) -> None:
        if isinstance(event, events.ProjectRegistered):
            self.projects[event.project_code] = registered(event)
            return
        code = getattr(event, "project_code", None)
        if not isinstance(code, str) or code not in self.projects:
            raise ValueError(f"{type(event).__name__} names no registered project")
        self.projects[code] = self.projects[code].applied(event)

    def learn_tree(self, tree: OrganisationTree) -> None:
        """Budget's organisation tree as last published, to decide against from now on."""
        self.tree = tree

    def learn_goals(self, goals: ResultGoals) -> None:
        """Goals' result goals as last published, to decide against from now on."""
        self.goals = goals
