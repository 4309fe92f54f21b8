"""The project register, a project's page and the plan's projects section as JSON: exact kronor as
strings, with tkr."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from services.reporting.reports.goals.json import goals_view_to_json
from services.reporting.reports.goals.view import GoalsView
from services.reporting.reports.projects.builder import Lights, Managers, light_label
from services.reporting.reports.projects.page import LinkedGoal, ProjectPage
from services.reporting.reports.projects.register import Register
from services.reporting.reports.shared.as_of import moment_json
from services.reporting.reports.shared.formatting import format_kronor, format_tkr
from services.reporting.reports.shared.optional import optional

# --- JSON ---------------------------------------------------------------------------------


def _money(amount: Decimal | None) -> dict[str, str] | None:
    return None if amount is None else {"amount": format_kronor(amount), "tkr": format_tkr(amount)}


def _day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _light_json(light: str) -> dict[str, str]:
    return {"code": light, "label": light_label(light)}


@optional
def _lights_json(lights: Lights) -> dict[str, Any]:
    return {
        "period": lights.period,
        "schedule": _light_json(lights.schedule),
        "cost": _light_json(lights.cost),
        "quality": _light_json(lights.quality),
        "text": lights.text,
        "reported_by": lights.reported_by,
        "recorded_at": lights.recorded_at.isoformat(),
    }


def _managers_json(managers: Managers) -> dict[str, str | None]:
    return {"project_manager": managers.manager, "acting_project_manager": managers.acting}


def register_to_json(register: Register) -> dict[str, Any]:
    return {
        "title": register.title,
        "filters": {
            "status": None if register.filters.status is None else register.filters.status.value,
            "enhet": register.filters.unit_code,
            "ar": register.filters.year,
        },
        "projects": [
            {
                "project_code": row.project_code,
                "name": row.name,
                "unit_code": row.unit_code,
                "unit_name": row.unit_name,
                "run_by_project_office": row.run_by_project_office,
                **_managers_json(row.managers),
                "status": row.status,
                "status_label": row.status_label,
                "planned_start": _day(row.planned_start),
                "planned_end": _day(row.planned_end),
                "budget": _money(row.budget),
                "external_financing": _money(row.financing),
                "latest_status_report": _lights_json(row.latest),
            }
            for row in register.rows
        ],
        "parked_events": register.parked,
        "per": moment_json(register.per),
    }


def _goal_json(goal: LinkedGoal) -> dict[str, Any]:
    # The commitments as the goals view (/api/mal) writes them.
    view = GoalsView("", goal.unit_name or "", goal.year or 0, goal.commitments)
    return {
        "goal_id": goal.goal_id,
        "title": goal.title,
        "unit_name": goal.unit_name,
        "year": goal.year,
        "commitments": goals_view_to_json(view)["commitments"],
    }


def project_page_to_json(page: ProjectPage) -> dict[str, Any]:
    p = page.project
    return {
        "title": page.title,
        "project_code": p.project_code,
        "name": p.name,
        "board_code": p.board_code,
        "board_name": page.board_name,
        "unit_code": p.unit_code,
        "unit_name": page.unit_name,
        "run_by_project_office": p.run_by_project_office,
        **_managers_json(page.managers),
        "steering_group": list(p.steering_group),
        "purpose": p.purpose,
        "goals_text": p.goals_text,
        "planned_start": _day(p.planned_start),
        "planned_end": _day(p.planned_end),
        "directive": p.directive,
        "decision": p.decision,
        "status": p.status,
        "status_label": page.status_label,
        "steps": [
            {
                "step": s.step,
                "name": s.name,
                "period": s.period,
                "planned_start": _day(s.planned_start),
                "planned_end": _day(s.planned_end),
                "cost_estimate": _money(s.cost_estimate),
                "description": s.description,
            }
            for s in page.steps
        ],
        "years": [
            {
                "year": y.year,
                "budget": _money(y.budget),
                "decision": y.decision,
                "external_financing": [
                    {
                        "source": f.source,
                        **(_money(f.amount) or {}),
                        "granted_on": _day(f.granted_on),
                        "note": f.note,
                    }
                    for f in y.financing
                ],
                "external_financing_total": _money(y.financing_total),
                "project_office_share": None
                if y.share is None
                else {
                    "unit_code": y.share.unit_code,
                    "project_budget": _money(y.share.project_budget),
                    "revenue": _money(y.share.revenue),
                },
            }
            for y in page.years
        ],
        "budget_total": _money(page.budget_total),
        "external_financing_total": _money(page.financing_total),
        "latest_status_report": _lights_json(page.latest),
        "timeline": [
            {
                "on": e.on.isoformat(),
                "kind": e.kind,
                "title": e.title,
                "text": e.text,
                "decision": e.decision,
                "who": e.who,
                "lights": _lights_json(e.lights),
            }
            for e in page.timeline
        ],
        "goals": [_goal_json(g) for g in page.goals],
        "parked_events": page.parked,
        "per": moment_json(page.per),
    }
