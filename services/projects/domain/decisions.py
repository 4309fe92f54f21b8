"""What each projects command decides, given the register, the organisation tree and the
result goals as they stand.

Every refusal names the field it is about, in Swedish, as a sender sees it. A completed or
cancelled project takes no more changes, only status reports for the months up to its end
(the project tool's last report may come after the project was closed).
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from contracts.budget.tree import check_on_board
from contracts.envelope import Event, event_from
from contracts.projects import commands, events
from contracts.refusal import check_not_before, not_known_yet, refuse
from plumbing.decisions import Decisions
from services.projects.domain.lifecycle import SWEDISH, why_not
from services.projects.domain.register import Project, Register, project_stream
from services.projects.domain.scope import check_scope

# The event a command leads to, applied to the batch's copy of the register at once; raises
# Refused with the reasons when it may not happen.
decide: Decisions[Register] = Decisions(check_scope)


def _project(register: Register, code: str) -> Project:
    project = register.projects.get(code)
    if project is None:
        raise refuse("project_code", f"projektet {code} finns inte i projektregistret")
    return project


def _open(register: Register, code: str) -> Project:
    """The project, unless it is completed or cancelled."""
    project = _project(register, code)
    if project.final:
        raise refuse(
            "project_code",
            f"projektet {code} är {SWEDISH[project.status]}; det kan inte ändras mer",
        )
    return project


def _existing_unit(register: Register, code: str, field: str, day: date) -> None:
    """Refuse a unit this copy of budget's tree has not heard of (as not known yet), or one
    closed before ``day``."""
    register.tree.heard_of(code, field)
    register.tree.open_on(code, day, field)


def _not_negative(amount: Decimal | None, field: str, what: str) -> None:
    if amount is not None and amount < 0:
        raise refuse(field, f"{what} kan inte vara negativ; ange kronor som ett positivt belopp")


def _within_period(project: Project, year: int) -> None:
    start, end = project.registered.planned_start, project.registered.planned_end
    if (start is not None and year < start.year) or (end is not None and year > end.year):
        period = f"{start.isoformat() if start else '…'}–{end.isoformat() if end else '…'}"
        raise refuse(
            "year",
            f"år {year} ligger utanför projektets planerade period ({period})",
        )


@decide.on(commands.RegisterProject)
def _register(register: Register, command: commands.RegisterProject) -> Event:
    if command.project_code in register.projects:
        raise refuse("project_code", f"projektet {command.project_code} finns redan")
    day = command.planned_start or command.occurred_at.date()
    _existing_unit(register, command.board_code, "board_code", day)
    _existing_unit(register, command.unit_code, "unit_code", day)
    register.tree.heard_of_board(command.board_code)
    check_on_board(
        "unit_code",
        f"enheten {command.unit_code}",
        register.tree.board_of(command.unit_code),
        command.board_code,
    )
    return event_from(command, events.ProjectRegistered)


@decide.on(commands.ChangeProjectStatus)
def _change_status(register: Register, command: commands.ChangeProjectStatus) -> Event:
    project = _project(register, command.project_code)
    reason = why_not(project.status, command.status)
    if reason is not None:
        raise refuse("status", reason)
    check_not_before(
        "effective_on",
        command.effective_on,
        project.status_changed_on,
        "projektets förra statusändring",
    )
    return event_from(command, events.ProjectStatusChanged)


@decide.on(commands.ChangeProjectManager)
def _change_manager(register: Register, command: commands.ChangeProjectManager) -> Event:
    project = _open(register, command.project_code)
    holding = project.acting_manager if command.acting else project.manager
    if command.project_manager == holding and (command.acting or project.acting_manager is None):
        role = "tillförordnad projektledare" if command.acting else "projektledare"
        raise refuse("project_manager", f"{command.project_manager} är redan {role}")
    return event_from(command, events.ProjectManagerChanged)


@decide.on(commands.PlanStep)
def _plan_step(register: Register, command: commands.PlanStep) -> Event:
    _open(register, command.project_code)
    check_not_before("planned_end", command.planned_end, command.planned_start, "planned_start")
    _not_negative(command.cost_estimate, "cost_estimate", "en kostnadsberäkning")
    return event_from(command, events.StepPlanned)


def _money_for_a_year(
    event_type: type[events.ProjectBudgetSet | events.FinancingRecorded], what: str
) -> Callable[[Register, commands.SetProjectBudget | commands.RecordFinancing], Event]:
    """Money for a year of the project's period: what it records, and how a refusal names it."""

    def decision(
        register: Register, command: commands.SetProjectBudget | commands.RecordFinancing
    ) -> Event:
        _within_period(_open(register, command.project_code), command.year)
        _not_negative(command.amount, "amount", what)
        return event_from(command, event_type)

    return decision


decide.add(
    commands.SetProjectBudget, _money_for_a_year(events.ProjectBudgetSet, "en projektbudget")
)
decide.add(commands.RecordFinancing, _money_for_a_year(events.FinancingRecorded, "en finansiering"))


@decide.on(commands.ReportProjectStatus)
def _report_status(register: Register, command: commands.ReportProjectStatus) -> Event:
    project = _project(register, command.project_code)
    ended = project.status_changed_on
    if project.final and ended is not None and command.period > f"{ended:%Y-%m}":
        raise refuse(
            "period",
            f"projektet {command.project_code} är {SWEDISH[project.status]} sedan {ended}; "
            f"en lägesrapport kan inte gälla {command.period}",
        )
    return event_from(command, events.ProjectStatusReported)


@decide.on(commands.LinkGoal)
def _link_goal(register: Register, command: commands.LinkGoal) -> Event:
    project = _open(register, command.project_code)
    goal = command.goal_id
    if goal not in register.goals.adopted:
        # Perhaps adopted a moment ago and not yet published: the handler waits for it.
        raise not_known_yet("goal_id", f"resultatmålet {goal} finns inte")
    if goal in register.goals.retired:
        raise refuse("goal_id", f"resultatmålet {goal} har avslutats")
    if goal in project.goal_ids:
        raise refuse("goal_id", f"projektet är redan kopplat till resultatmålet {goal}")
    return event_from(command, events.GoalLinked)


def stream_for(event: Event) -> str:
    """The project's own stream: every projects event names its project."""
    code = getattr(event, "project_code", None)
    if not isinstance(code, str):
        raise ValueError(f"{type(event).__name__} names no project")
    return project_stream(code)
