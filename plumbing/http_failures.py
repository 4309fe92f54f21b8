"""What an HTTP caller is told when the service, not the request, is in trouble; and when
PostgreSQL could not take the text of a request after all."""

import logging

import asyncpg
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from contracts.rejection import Problem
from plumbing.errors import is_infrastructure
from plumbing.http_screening import refusal

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5

# PostgreSQL refuses a text parameter it cannot hold in the database's encoding: NUL or
# bytes that are not UTF-8 (22021), or a character the encoding lacks (22P05). The request
# screening (plumbing.http_screening) keeps such text out of addresses and bodies; should
# any still come through, it is the request's fault, not the service's.
UNREADABLE_TEXT_ERRORS = (
    asyncpg.exceptions.CharacterNotInRepertoireError,
    asyncpg.exceptions.UntranslatableCharacterError,
)
UNREADABLE_TEXT = "begäran innehåller tecken som inte kan läsas som text i databasen"


def log_unreadable(request: Request, error: Exception) -> None:
    path = request.url.path
    log.warning("%s %s: text the screening let through: %r", request.method, path, error)


def answer_failures(app: FastAPI) -> None:
    """503 with Retry-After while NATS or PostgreSQL cannot be reached; 422 for text that
    PostgreSQL could not take (``UNREADABLE_TEXT_ERRORS``); 500 otherwise.

    All in Swedish, never with a traceback; a request refused for its content gets its
    own answer (422) before it comes to this.
    """

    @app.exception_handler(Exception)
    async def failed(request: Request, error: Exception) -> JSONResponse:
        if isinstance(error, UNREADABLE_TEXT_ERRORS):
            log_unreadable(request, error)
            return refusal([Problem(field="", message=UNREADABLE_TEXT)], 422)
        if is_infrastructure(error):
            log.warning("%s %s: %r", request.method, request.url.path, error)
            return JSONResponse(
                status_code=503,
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
                content={"fel": "Tjänsten är tillfälligt otillgänglig; försök igen om en stund"},
            )
        log.error("%s %s failed", request.method, request.url.path, exc_info=error)
        return JSONResponse(status_code=500, content={"fel": "Ett internt fel inträffade"})
