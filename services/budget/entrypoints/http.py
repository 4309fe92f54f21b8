"""FastAPI routes for controllers: one POST per command, and the organisation tree."""

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from contracts.budget.commands import BUDGET_COMMANDS
from contracts.envelope import Command
from plumbing.http_screening import refusal, screen_request_bodies
from plumbing.validation import problems_from
from services.budget.application import Accepted, BudgetService, Rejected
from services.budget.application import Request as CommandRequest

HTTP_SOURCE = "http"


def _route(service: BudgetService, command_type: type[Command]) -> Callable[..., Awaitable[Any]]:
    async def handle(command: Any, request: Request) -> Any:
        (outcome,) = await service.handle(
            [CommandRequest(command, HTTP_SOURCE, trace_headers=dict(request.headers))]
        )
        if isinstance(outcome, Rejected):
            return refusal(outcome.problems)
        assert isinstance(outcome, Accepted)
        return JSONResponse(
            status_code=201,
            content={
                "message_id": str(command.message_id),
                "event_ids": [str(e) for e in outcome.event_ids],
            },
        )

    handle.__annotations__["command"] = command_type
    handle.__name__ = command_type.__name__
    handle.__doc__ = command_type.__doc__
    return handle


def create_app(service: BudgetService) -> FastAPI:
    app = FastAPI(title="Budget", description="Budget, plan och utfall per enhet och år")
    screen_request_bodies(app)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        return refusal(problems_from(error.errors()))

    for name, command_type in BUDGET_COMMANDS.items():
        app.post(f"/api/{name}", status_code=201, name=name)(_route(service, command_type))

    @app.get("/api/units")
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
