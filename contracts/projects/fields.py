"""Field types and field groups shared by the projects commands and events."""

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator

from contracts.budget.fields import DecisionReference, Period, UnitCode, Year
from contracts.field_group import FieldGroup
from contracts.identifiers import Identifier
from contracts.money import Amount
from contracts.refusal import lies_before
from contracts.text import MULTI_LINE, SINGLE_LINE, Name

ProjectCode = Annotated[
    Identifier,
    Field(description="The project's id, chosen once", examples=["barn-och-ungdomsprojektet"]),
]
ProjectText = Annotated[str, Field(min_length=1, max_length=20000), MULTI_LINE]
PeriodText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        description="A period as the plan words it",
        examples=["hösten 2010/våren 2011"],
    ),
    SINGLE_LINE,
]
StepNumber = Annotated[int, Field(ge=1, le=100, description="The step's number, from 1")]


class ProjectStatus(StrEnum):
    """proposed → decided → ongoing → completed; cancelled from any but completed; an
    ongoing project may be paused and resumed (back to ongoing)."""

    PROPOSED = "proposed"
    DECIDED = "decided"
    ONGOING = "ongoing"
    PAUSED = "paused"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


class ProjectRegistration(FieldGroup):
    """A project entered in the register, in the status it has when entered (an ongoing
    project registered late starts as ongoing)."""

    project_code: ProjectCode
    name: Name
    board_code: UnitCode = Field(description="The board that owns the project")
    unit_code: UnitCode = Field(description="The unit responsible for it, e.g. Projektkontoret")
    run_by_project_office: bool = Field(
        default=False, description="Run by the project office, which takes 10 % of its budget"
    )
    project_manager: Name | None = None
    steering_group: list[Name] = Field(default_factory=list, max_length=30)
    purpose: ProjectText | None = None
    goals_text: ProjectText | None = Field(default=None, description="The project's own goals")
    planned_start: date | None = None
    planned_end: date | None = None
    directive: DecisionReference | None = Field(
        default=None, examples=["KS 2010-04-28 § 90"], description="The project directive"
    )
    decision: DecisionReference | None = Field(
        default=None, examples=["Dnr KS/2011:31-069"], description="Where it was decided"
    )
    status: ProjectStatus = ProjectStatus.PROPOSED

    # On the field, so that the refusal names planned_end (planned_start, declared before
    # it, is validated first).
    @field_validator("planned_end")
    @classmethod
    def _ends_after_it_starts(cls, end: date | None, info: ValidationInfo) -> date | None:
        reason = lies_before("planned_end", end, info.data.get("planned_start"), "planned_start")
        if reason is not None:
            raise ValueError(reason)
        return end


class StatusChange(FieldGroup):
    project_code: ProjectCode
    status: ProjectStatus
    effective_on: date
    decision: DecisionReference | None = None
    reason: ProjectText | None = None


class ManagerChange(FieldGroup):
    """A new project manager, or a substitute while the manager is away (acting)."""

    project_code: ProjectCode
    project_manager: Name
    effective_on: date
    acting: bool = Field(default=False, description="A substitute, e.g. during parental leave")
    reason: ProjectText | None = None


class StepPlan(FieldGroup):
    """A step (phase) with its planned period and cost estimate; planned again, it replaces."""

    project_code: ProjectCode
    step: StepNumber
    name: Name
    period: PeriodText | None = None
    planned_start: date | None = None
    planned_end: date | None = None
    cost_estimate: Amount | None = Field(default=None, description="Kronor, as estimated")
    description: ProjectText | None = None


class ProjectBudget(FieldGroup):
    """The project's budget for a year, in kronor (costs as a positive amount); set again for
    the same year, it replaces the earlier amount."""

    project_code: ProjectCode
    year: Year
    amount: Amount
    decision: DecisionReference | None = None


class Financing(FieldGroup):
    """External financing from a source for a year; set again, it replaces."""

    project_code: ProjectCode
    source: Name = Field(examples=["Statens folkhälsoinstitut"])
    year: Year
    amount: Amount
    granted_on: date | None = None
    note: ProjectText | None = None


class StatusReport(FieldGroup):
    """How the project goes in a month: schedule, cost and quality as lights, with a text."""

    project_code: ProjectCode
    period: Period
    schedule: Light
    cost: Light
    quality: Light
    text: ProjectText | None = None
    reported_by: Name


class GoalLink(FieldGroup):
    """The project serves a result goal of the goals service."""

    project_code: ProjectCode
    goal_id: Identifier
