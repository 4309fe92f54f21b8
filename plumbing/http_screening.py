"""Request bodies screened before FastAPI parses them, and the one shape of an HTTP refusal.

FastAPI reads the whole body into memory and hands it to ``json.loads``: a body of a
gigabyte, or one nested a hundred thousand levels deep, costs memory or ends in a 500
before any validation runs. ``screen_request_bodies(app)`` puts an ASGI middleware in
front that reads at most ``max_bytes`` of each POST, PUT and PATCH body and refuses with
413 (too large) or 422 (what ``plumbing.screening.screen`` finds), in Swedish.
"""

from collections.abc import Sequence

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contracts.rejection import Problem
from plumbing.screening import MAX_MESSAGE_BYTES, MAX_NESTING, screen, too_large

_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


def refusal(problems: Sequence[Problem], status_code: int = 422) -> JSONResponse:
    """The answer to a request that is refused: what was wrong, field by field, in Swedish."""
    return JSONResponse(
        status_code=status_code,
        content={
            "fel": "Begäran kunde inte tas emot",
            "problems": [p.model_dump() for p in problems],
        },
    )


def screen_request_bodies(
    app: FastAPI, max_bytes: int = MAX_MESSAGE_BYTES, max_nesting: int = MAX_NESTING
) -> None:
    """Screen every POST, PUT and PATCH body of ``app`` before it is parsed.

    A Content-Length over ``max_bytes`` is refused (413) without reading the body; a body
    sent without one is read only until it passes ``max_bytes`` (413); a body with any
    problem ``screen`` finds is refused with 422. Both answers have the shape of
    ``refusal``.
    """
    app.add_middleware(_BodyScreening, max_bytes=max_bytes, max_nesting=max_nesting)


class _ClientGone(Exception):
    """The client disconnected before sending its whole body: there is no one to answer."""


class _BodyScreening:
    def __init__(self, app: ASGIApp, max_bytes: int, max_nesting: int) -> None:
        self._app = app
        self._max_bytes = max_bytes
        self._max_nesting = max_nesting

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _WITH_BODY:
            await self._app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self._max_bytes:
            await refusal([too_large(declared, self._max_bytes)], 413)(scope, receive, send)
            return
        try:
            body = await _read_at_most(receive, self._max_bytes)
        except _ClientGone:
            return
        if body is None:
            await refusal([too_large(None, self._max_bytes)], 413)(scope, receive, send)
            return
        problems = screen(body, self._max_bytes, self._max_nesting)
        if problems:
            await refusal(problems, 422)(scope, receive, send)
            return
        await self._app(scope, _replaying(body, receive), send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _read_at_most(receive: Receive, max_bytes: int) -> bytes | None:
    """The whole body, or None as soon as it passes ``max_bytes`` (the rest is not read)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            raise _ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > max_bytes:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """``receive`` for the application: the body already read, then the client's messages."""
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if delivered:
            return await receive()
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
