"""Projects events into the reporting read models: the register, its lifecycle, managers,
steps, budgets, financing, status reports and links to result goals.

Each event is read as its contract model (services.reporting.projection.Statement); one
that does not validate fails to apply and the runner parks it. Every statement is keyed by
the project's ids or by the event's id, so applying an event twice leaves the same rows.
"""

from collections.abc import Sequence
from importlib import resources
from itertools import groupby

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
from contracts.projects.service import PROJECTS
from plumbing.database import Connection
from plumbing.projection import ReceivedEvent
from plumbing.projection import Source as StreamSource
from services.reporting.projection import Statement, Writer

PROJECTS_EVENTS = StreamSource(PROJECTS.events_stream, PROJECTS.events_subjects)

_PROJECT_COLUMNS = (
    "project_code",
    "name",
    "board_code",
    "unit_code",
    "run_by_project_office",
    "project_manager",
    "steering_group",
    "purpose",
    "goals_text",
    "planned_start",
    "planned_end",
    "directive",
    "decision",
    "registered_status",
    "status",
    "registered_at",
    "registered_by",
    "ord",
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
    f"INSERT INTO projects ({', '.join(_PROJECT_COLUMNS)})"
    f" VALUES ({', '.join(f'${i}' for i in range(1, len(_PROJECT_COLUMNS) + 1))})"
    " ON CONFLICT (project_code) DO UPDATE SET "
    + ", ".join(f"{name} = EXCLUDED.{name}" for name in _PROJECT_COLUMNS[1:13]),
    _registration_args,
)

_STATUS_CHANGED = Statement(
    ProjectStatusChanged,
    "WITH changed AS (UPDATE projects SET status = $3 WHERE project_code = $2)"
    " INSERT INTO project_status_changes (event_id, project_code, status, effective_on,"
    " decision, reason, recorded_at, actor, ord) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    " ON CONFLICT (event_id) DO NOTHING",
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

_MANAGER_CHANGED = Statement(
    ProjectManagerChanged,
    "INSERT INTO project_managers (event_id, project_code, project_manager, effective_on,"
    " acting, reason, ord) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING",
    lambda m, e: (
        e.message.envelope.event_id,
        m.project_code,
        m.project_manager,
        m.effective_on,
        m.acting,
        m.reason,
        e.sequence,
    ),
)

_STEP_PLANNED = Statement(
    StepPlanned,
    "INSERT INTO project_steps (project_code, step, name, period, planned_start, planned_end,"
    " cost_estimate, description) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    " ON CONFLICT (project_code, step) DO UPDATE SET name = EXCLUDED.name,"
    " period = EXCLUDED.period, planned_start = EXCLUDED.planned_start,"
    " planned_end = EXCLUDED.planned_end, cost_estimate = EXCLUDED.cost_estimate,"
    " description = EXCLUDED.description",
    lambda s, _: (
        s.project_code,
        s.step,
        s.name,
        s.period,
        s.planned_start,
        s.planned_end,
        s.cost_estimate,
        s.description,
    ),
)

_BUDGET_SET = Statement(
    ProjectBudgetSet,
    "INSERT INTO project_budgets (project_code, year, amount, decision) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (project_code, year) DO UPDATE SET amount = EXCLUDED.amount,"
    " decision = EXCLUDED.decision",
    lambda b, _: (b.project_code, b.year, b.amount, b.decision),
)

_FINANCING_RECORDED = Statement(
    FinancingRecorded,
    "INSERT INTO project_financing (project_code, source, year, amount, granted_on, note, ord)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (project_code, source, year) DO UPDATE"
    " SET amount = EXCLUDED.amount, granted_on = EXCLUDED.granted_on, note = EXCLUDED.note",
    lambda f, e: (f.project_code, f.source, f.year, f.amount, f.granted_on, f.note, e.sequence),
)

_STATUS_REPORTED = Statement(
    ProjectStatusReported,
    "INSERT INTO project_status_reports (event_id, project_code, period, schedule, cost,"
    " quality, text, reported_by, recorded_at, ord)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (event_id) DO NOTHING",
    lambda r, e: (
        e.message.envelope.event_id,
        r.project_code,
        r.period,
        r.schedule.value,
        r.cost.value,
        r.quality.value,
        r.text,
        r.reported_by,
        e.message.envelope.recorded_at,
        e.sequence,
    ),
)

_GOAL_LINKED = Statement(
    GoalLinked,
    "INSERT INTO project_goal_links (project_code, goal_id, ord) VALUES ($1, $2, $3)"
    " ON CONFLICT (project_code, goal_id) DO NOTHING",
    lambda g, e: (g.project_code, g.goal_id, e.sequence),
)

_WRITERS: dict[str, Writer] = {
    writer.event_type: writer
    for writer in (
        _REGISTERED,
        _STATUS_CHANGED,
        _MANAGER_CHANGED,
        _STEP_PLANNED,
        _BUDGET_SET,
        _FINANCING_RECORDED,
        _STATUS_REPORTED,
        _GOAL_LINKED,
    )
}


class ProjectsProjection:
    name = "reporting_projects"
    tables_sql = (
        resources.files("services.reporting").joinpath("projects_tables.sql").read_text("utf-8")
    )

    async def apply(self, conn: Connection, events: Sequence[ReceivedEvent]) -> None:
        for event_type, run in groupby(events, key=lambda e: e.event_type):
            writer = _WRITERS.get(event_type)
            # A later event type unknown to this version is skipped, as budget's are.
            if writer is not None:
                await writer.write(conn, list(run))
