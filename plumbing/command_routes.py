"""A write service's HTTP app: one POST per command of its declaration.

Every write carries the caller's token: the role decides which commands it may send, its
units where, and its subject is the actor stored with the event, whatever the body says.
"""

from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from typing import Annotated, Any

import asyncpg
from fastapi import Body, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.models import Example
from fastapi.responses import JSONResponse
from pydantic import Field, create_model

from contracts.envelope import Command
from contracts.refusal import NotPermitted
from contracts.rejection import Problem
from contracts.scope import Scope
from contracts.service import WriteService
from contracts.text import Name
from plumbing import outcome_telemetry, telemetry
from plumbing.api_docs import add_api_docs
from plumbing.asyncapi import add_asyncapi_routes
from plumbing.command_examples import EXAMPLES
from plumbing.command_handler import CommandHandler
from plumbing.http_headers import add_security_headers
from plumbing.http_identity import Access, answer_identity_refusals
from plumbing.http_screening import refusal, screen_requests
from plumbing.identity import Principal
from plumbing.refusal_log import RefusalNote, note_answered
from plumbing.rejections import message_id_in
from plumbing.requests import Accepted, Rejected
from plumbing.requests import Request as CommandRequest
from plumbing.validation import problems_from

HTTP_SOURCE = "http"

# Raises NotPermitted unless one of the roles may send the command.
CheckPermission = Callable[[Collection[str], Command], None]


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


def _documented_body(command_type: type[Command]) -> Any:
    """The HTTP body, with the Swedish example the API documentation shows for it."""
    example = EXAMPLES.get(command_type.command_name)
    if example is None:
        return _http_body(command_type)
    examples: dict[str, Example] = {"exempel": {"summary": "Exempel", "value": example.body}}
    return Annotated[_http_body(command_type), Body(openapi_examples=examples)]


def _description(command_type: type[Command]) -> str | None:
    example = EXAMPLES.get(command_type.command_name)
    return example.description if example is not None else command_type.__doc__


def keep_refusals(app: FastAPI, pool: asyncpg.Pool) -> None:
    """Note the commands ``app`` refuses in the service's database (``pool``), beside those
    refused over NATS, for the operators' view and a message's journey."""
    app.state.refusals_pool = pool


async def _noted(
    request: Request,
    message_id: str | None,
    problems: Sequence[Problem],
    trace_headers: Mapping[str, str],
) -> None:
    pool = getattr(request.app.state, "refusals_pool", None)
    if pool is not None:
        route = f"{request.method} {request.url.path}"
        traceparent = trace_headers.get("traceparent")
        note = RefusalNote(None, message_id, HTTP_SOURCE, route, None, problems, traceparent)
        await note_answered(pool, note)


def _as_sent_by(body: Command, command_type: type[Command], principal: Principal) -> Command:
    return command_type.model_validate({**body.model_dump(), "actor": principal.subject})


def _route(
    service: CommandHandler[Any],
    command_type: type[Command],
    access: Access,
    check_permission: CheckPermission,
) -> Callable[..., Awaitable[Any]]:
    authenticated = access.authenticated()

    async def handle(
        body: Any,
        request: Request,
        principal: Annotated[Principal, Depends(authenticated)],
    ) -> Any:
        command = _as_sent_by(body, command_type, principal)
        request.state.message_id = str(command.message_id)  # for the request's log line
        # The HTTP server span's context: it continues the caller's trace, or starts one.
        trace_headers = telemetry.current_trace_headers() or dict(request.headers)
        try:
            check_permission(principal.roles, command)
        except NotPermitted as refused:
            outcome_telemetry.counted(
                service.name,
                HTTP_SOURCE,
                command_type.command_name,
                "not_permitted",
                trace_headers,
                str(command.message_id),
                refused.problems,
            )
            await _noted(request, str(command.message_id), refused.problems, trace_headers)
            return refusal(refused.problems, 403)
        (outcome,) = await service.handle(
            [
                CommandRequest(
                    command,
                    HTTP_SOURCE,
                    trace_headers=trace_headers,
                    scope=Scope(principal.units),
                    actor_name=principal.name,
                )
            ]
        )
        if isinstance(outcome, Rejected):
            await _noted(request, str(command.message_id), outcome.problems, trace_headers)
            return refusal(outcome.problems, 403 if outcome.not_permitted else 422)
        assert isinstance(outcome, Accepted)
        return JSONResponse(
            status_code=201,
            content={
                "message_id": str(command.message_id),
                "event_ids": [str(e) for e in outcome.event_ids],
            },
        )

    handle.__annotations__["body"] = _documented_body(command_type)
    handle.__name__ = command_type.__name__
    handle.__doc__ = command_type.__doc__
    return handle


def create_app(
    declaration: WriteService,
    service: CommandHandler[Any],
    access: Access,
    check_permission: CheckPermission,
    title: str,
    description: str,
) -> FastAPI:
    app = FastAPI(title=title, description=description, docs_url=None, redoc_url=None)
    screen_requests(app)
    add_security_headers(app)
    answer_identity_refusals(app)
    add_asyncapi_routes(app, declaration)
    add_api_docs(app)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = problems_from(error.errors())
        command = request.url.path.rsplit("/", 1)[-1][:64]
        outcome_telemetry.counted(
            service.name,
            HTTP_SOURCE,
            command if command in declaration.commands else "okänt",
            "invalid",
            telemetry.current_trace_headers(),
            problems=problems,
        )
        message_id = message_id_in(error.body)
        await _noted(request, message_id, problems, telemetry.current_trace_headers())
        return refusal(problems)

    for name, command_type in declaration.commands.items():
        route = _route(service, command_type, access, check_permission)
        app.post(
            f"/api/{name}", status_code=201, name=name, description=_description(command_type)
        )(route)
    return app


def command_app(
    declaration: WriteService,
    service: CommandHandler[Any],
    access: Access,
    check_permission: CheckPermission,
    description: str,
    reads: Mapping[str, Callable[[], Awaitable[Any]]],
) -> FastAPI:
    """The kit's routes for the declaration's commands, and the service's own GET routes
    (path: what it answers) for anyone who may view."""
    app = create_app(
        declaration,
        service,
        access,
        check_permission,
        title=declaration.title.capitalize(),
        description=description,
    )
    for path, read in reads.items():
        app.get(path, dependencies=[Depends(access.viewer())])(read)
    return app
