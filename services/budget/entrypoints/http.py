"""The budget service's HTTP app: the kit's routes for its commands (plumbing.command_routes),
with the roles that may send each, and the organisation tree."""

from typing import Any

from fastapi import Depends, FastAPI

from contracts.budget.service import BUDGET
from plumbing import command_routes
from plumbing.http_identity import Access
from services.budget.application import BudgetService
from services.budget.domain.permissions import check_permission


def create_app(service: BudgetService, access: Access) -> FastAPI:
    app = command_routes.create_app(
        BUDGET,
        service,
        access,
        check_permission,
        title="Budget",
        description="Budget, plan och utfall per enhet och år",
    )
    viewer = access.viewer()

    @app.get("/api/units", dependencies=[Depends(viewer)])
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

    return app
