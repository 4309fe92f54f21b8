"""The projects service's HTTP app: the kit's routes for its commands (plumbing.command_routes),
with the roles that may send each, and the register for a reader."""

from typing import Any

from fastapi import FastAPI

from contracts.projects.service import PROJECTS
from plumbing.command_handler import CommandHandler
from plumbing.command_routes import command_app
from plumbing.http_identity import Access
from services.projects.domain.permissions import check_permission
from services.projects.domain.register import Project, Register


def _dumped(events: Any) -> list[dict[str, Any]]:
    return [event.model_dump(mode="json") for event in events]


def project_json(project: Project) -> dict[str, Any]:
    """A project as registered, with what has happened to it since, as its events state it."""
    return {
        **project.registered.model_dump(mode="json"),
        "status": project.status.value,
        "status_changed_on": project.status_changed_on and project.status_changed_on.isoformat(),
        "project_manager": project.manager,
        "acting_project_manager": project.acting_manager,
        "steps": _dumped(project.steps[n] for n in sorted(project.steps)),
        "budgets": _dumped(project.budgets[y] for y in sorted(project.budgets)),
        "financing": _dumped(project.financing[k] for k in sorted(project.financing)),
        "goal_ids": list(project.goal_ids),
        "status_reports": _dumped(project.reports),
    }


def register_json(register: Register) -> dict[str, list[dict[str, Any]]]:
    """Every project, in the order registered."""
    return {"projects": [project_json(p) for p in register.projects.values()]}


def create_app(service: CommandHandler[Register], access: Access) -> FastAPI:
    async def projects() -> dict[str, list[dict[str, Any]]]:
        return register_json(await service.state())

    description = "Projektregistret: projekt, livscykel, budget, finansiering och lägesrapporter"
    return command_app(
        PROJECTS, service, access, check_permission, description, {"/api/projects": projects}
    )
