"""Projects events into the reporting read models: the register, its lifecycle, managers,
steps, budgets, financing, status reports and links to result goals.

Each event is read as its contract model (services.reporting.read_models.writers); one
that does not validate fails to apply and the runner parks it. Every statement is keyed by
the project's ids or by the event's id, so applying an event twice leaves the same rows.
"""

from contracts.projects.events import (
    FinancingRecorded,
    GoalLinked,
    ProjectBudgetSet,
    ProjectManagerChanged,
    ProjectRegistered,
    ProjectStatusChanged,
    ProjectStatusReported,
    StepPlanned,
)
from plumbing.projection import ReceivedEvent
from services.reporting.read_models import sources
from services.reporting.read_models.projects.tables import (
    BUDGETS,
    FINANCING,
    GOAL_LINKS,
    MANAGERS,
    PROJECTS,
    STATUS_CHANGES,
    STATUS_REPORTS,
    STEPS,
    TABLES,
)
from services.reporting.read_models.senders import PROJECT_SENDERS
from services.reporting.read_models.writers import (
    Statement,
    WrittenProjection,
    by_event_type,
    insert_sql,
    inserted,
)


def _registration_args(p: ProjectRegistered, e: ReceivedEvent) -> tuple[object, ...]:
    envelope = e.message.envelope
    return (
        p.project_code,
        p.name,
        p.board_code,
        p.unit_code,
        p.run_by_project_office,
        p.project_manager,
        list(p.steering_group),
        p.purpose,
        p.goals_text,
        p.planned_start,
        p.planned_end,
        p.directive,
        p.decision,
        p.status.value,
        p.status.value,
        envelope.occurred_at,
        envelope.actor_name or envelope.actor,
        e.sequence,
    )


# Registered again (a correction), the facts replace; the status the lifecycle reached stays.
_REGISTERED = Statement(
    ProjectRegistered,
    insert_sql(
        PROJECTS, kept=("registered_status", "status", "registered_at", "registered_by", "order")
    ),
    _registration_args,
)

_STATUS_CHANGED = Statement(
    ProjectStatusChanged,
    f"WITH changed AS (UPDATE {PROJECTS.name} SET status = $3 WHERE project_code = $2) "
    + insert_sql(STATUS_CHANGES, replaces=False),
    lambda s, e: (
        e.message.envelope.event_id,
        s.project_code,
        s.status.value,
        s.effective_on,
        s.decision,
        s.reason,
        e.message.envelope.recorded_at,
        e.message.envelope.actor_name or e.message.envelope.actor,
        e.sequence,
    ),
)

_MANAGER_CHANGED = inserted(ProjectManagerChanged, MANAGERS, replaces=False)

_STEP_PLANNED = inserted(StepPlanned, STEPS)

_BUDGET_SET = inserted(ProjectBudgetSet, BUDGETS)

_FINANCING_RECORDED = inserted(FinancingRecorded, FINANCING, kept=("order",))

_STATUS_REPORTED = inserted(ProjectStatusReported, STATUS_REPORTS, replaces=False)

_GOAL_LINKED = inserted(GoalLinked, GOAL_LINKS, replaces=False)


class ProjectsProjection(
    WrittenProjection, name=sources.PROJECTS, tables=TABLES, senders=PROJECT_SENDERS
):
    writers = by_event_type(
        [
            _REGISTERED,
            _STATUS_CHANGED,
            _MANAGER_CHANGED,
            _STEP_PLANNED,
            _BUDGET_SET,
            _FINANCING_RECORDED,
            _STATUS_REPORTED,
            _GOAL_LINKED,
        ]
    )
