"""FastAPI routes for controllers: one POST per command, and the organisation tree.

Every write carries the caller's token: the role decides which commands it may send, its
units where, and its subject is the actor stored with the event, whatever the body says.
"""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import Field, create_model

from contracts.budget.commands import BUDGET_COMMANDS
from contracts.envelope import Command
from contracts.text import Name
from plumbing.http_headers import add_security_headers
from plumbing.http_identity import Access, answer_identity_refusals
from plumbing.http_screening import refusal, screen_request_bodies
from plumbing.identity import Principal
from plumbing.validation import problems_from
from services.budget.application import Accepted, BudgetService, Rejected
from services.budget.application import Request as CommandRequest
from services.budget.domain.permissions import check_permission
from services.budget.domain.refusal import NotPermitted
from services.budget.domain.scope import Scope

HTTP_SOURCE = "http"


def _http_body(command_type: type[Command]) -> type[Command]:
    """The command as an HTTP caller sends it: the actor may be left out, since the
    token names it (systems over NATS still name themselves)."""
    return create_model(
        command_type.__name__,
        __base__=command_type,
        __doc__=command_type.__doc__,
        actor=(
            Name | None,
            Field(default=None, description="Används inte: den som agerar är tokens subjekt"),
        ),
    )


def _as_sent_by(body: Command, command_type: type[Command], principal: Principal) -> Command:
    return command_type.model_validate({**body.model_dump(), "actor": principal.subject})


def _route(
    service: BudgetService, command_type: type[Command], access: Access
) -> Callable[..., Awaitable[Any]]:
    authenticated = access.authenticated()

    async def handle(
        body: Any,
        request: Request,
        principal: Annotated[Principal, Depends(authenticated)],
    ) -> Any:
        command = _as_sent_by(body, command_type, principal)
        try:
            check_permission(principal.roles, command)
        except NotPermitted as refused:
            return refusal(refused.problems, 403)
        (outcome,) = await service.handle(
            [
                CommandRequest(
                    command,
                    HTTP_SOURCE,
                    trace_headers=dict(request.headers),
                    scope=Scope(principal.units),
                    actor_name=principal.name,
                )
            ]
        )
        if isinstance(outcome, Rejected):
            return refusal(outcome.problems, 403 if outcome.not_permitted else 422)
        assert isinstance(outcome, Accepted)
        return JSONResponse(
            status_code=201,
            content={
                "message_id": str(command.message_id),
                "event_ids": [str(e) for e in outcome.event_ids],
            },
        )

    handle.__annotations__["body"] = _http_body(command_type)
    handle.__name__ = command_type.__name__
    handle.__doc__ = command_type.__doc__
    return handle


def create_app(service: BudgetService, access: Access) -> FastAPI:
    app = FastAPI(title="Budget", description="Budget, plan och utfall per enhet och år")
    screen_request_bodies(app)
    add_security_headers(app)
    answer_identity_refusals(app)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        return refusal(problems_from(error.errors()))

    for name, command_type in BUDGET_COMMANDS.items():
        app.post(f"/api/{name}", status_code=201, name=name)(_route(service, command_type, access))

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
