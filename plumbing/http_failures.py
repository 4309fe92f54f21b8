"""What an HTTP caller is told when the service, not the request, is in trouble."""

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from plumbing.errors import is_infrastructure

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


def answer_failures(app: FastAPI) -> None:
    """503 with Retry-After while NATS or PostgreSQL cannot be reached; 500 otherwise.

    Both in Swedish, never with a traceback; a request refused for its content gets its
    own answer (422) before it comes to this.
    """

    @app.exception_handler(Exception)
    async def failed(request: Request, error: Exception) -> JSONResponse:
        if is_infrastructure(error):
            log.warning("%s %s: %r", request.method, request.url.path, error)
            return JSONResponse(
                status_code=503,
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
                content={"fel": "Tjänsten är tillfälligt otillgänglig; försök igen om en stund"},
            )
        log.error("%s %s failed", request.method, request.url.path, exc_info=error)
        return JSONResponse(status_code=500, content={"fel": "Ett internt fel inträffade"})
