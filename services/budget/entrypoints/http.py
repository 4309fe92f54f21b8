"""The budget service's HTTP app: the kit's routes for its commands (plumbing.command_routes),
with the roles that may send each, and the organisation tree."""

from typing import Any

from fastapi import FastAPI

from contracts.budget.service import BUDGET
from plumbing.command_handler import CommandHandler
from plumbing.command_routes import command_app
from plumbing.http_identity import Access
from services.budget.domain.organisation import Organisation
from services.budget.domain.permissions import check_permission


def create_app(service: CommandHandler[Organisation], access: Access) -> FastAPI:
    async def units() -> list[dict[str, Any]]:
        organisation = await service.state()
        return [
            {
                "code": u.code,
                "name": u.name,
                "kind": u.kind.value,
                "parent_code": u.parent_code,
                "manager_title": u.manager_title,
                "manager_name": u.manager_name,
                "closed_on": u.closed_on.isoformat() if u.closed_on else None,
            }
            for u in organisation.units.values()
        ]

    description = "Budget, plan och utfall per enhet och år"
    reads = {"/api/units": units}
    return command_app(BUDGET, service, access, check_permission, description, reads)
