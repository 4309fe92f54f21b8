"""The budget service's HTTP app: the kit's routes for its commands (plumbing.command_routes),
with the roles that may send each, and the organisation tree."""

from typing import Any

from fastapi import FastAPI

from contracts.budget.service import BUDGET
from plumbing.http_identity import Access
from plumbing.write_service import command_app
from services.budget.application import BudgetService
from services.budget.domain.permissions import check_permission


def create_app(service: BudgetService, access: Access) -> FastAPI:
    async def units() -> list[dict[str, Any]]:
        organisation = await service.organisation()
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
