"""Requests screened before FastAPI routes or parses them, and the one shape of an HTTP refusal.

An address whose path or query holds NUL, another control character or bytes that are not
UTF-8 names nothing here: no unit, project or period code holds them. Let through, such a
parameter would reach PostgreSQL, which refuses NUL and invalid UTF-8 in a text parameter
(asyncpg's CharacterNotInRepertoireError), and the caller would get a 500. So
``screen_requests(app)`` puts an ASGI middleware in front of the app's routes (and of any
middleware added before it) that answers such a path with 404 and such a query with 422,
in Swedish.

FastAPI also reads the whole body into memory and hands it to ``json.loads``: a body of a
gigabyte, or one nested a hundred thousand levels deep, costs memory or ends in a 500
before any validation runs. The same middleware reads at most ``max_bytes`` of each POST,
PUT and PATCH body and refuses with 413 (too large) or 422 (what
``plumbing.screening.screen`` finds), in Swedish.
"""

import re
from collections.abc import Callable, Sequence
from urllib.parse import unquote_to_bytes

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contracts.rejection import Problem
from plumbing.http_middleware import HttpMiddleware
from plumbing.screening import MAX_MESSAGE_BYTES, MAX_NESTING, screen, too_large

_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})

# What a single-line text may not hold (contracts.text.SINGLE_LINE), which every code is.
_CONTROL = re.compile(b"[\x00-\x1f\x7f]")
_NOT_A_CODE = "som ingen enhets-, projekt- eller periodkod innehåller"

# The answer to a request refused for its address: status and the reason, in Swedish.
Answer = Callable[[Scope, int, str], Response]


def refusal(problems: Sequence[Problem], status_code: int = 422) -> JSONResponse:
    """The answer to a request that is refused: what was wrong, field by field, in Swedish."""
    return JSONResponse(
        status_code=status_code,
        content={
            "fel": "Begäran kunde inte tas emot",
            "problems": [p.model_dump() for p in problems],
        },
    )


def _refused_address(_: Scope, status: int, message: str) -> Response:
    return refusal([Problem(field="", message=message)], status)


def _unreadable(decoded: bytes) -> str | None:
    """Which byte of ``decoded`` no code can hold, as it is written in an address."""
    control = _CONTROL.search(decoded)
    if control is not None:
        code = control.group()[0]
        return f"styrtecknet %{code:02X} (U+{code:04X})"
    if decoded.isascii():
        return None
    try:
        decoded.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"byten %{decoded[error.start]:02X} (inte giltig UTF-8)"
    return None


def address_problem(scope: Scope) -> tuple[int, str] | None:
    """404 and why, when the path of ``scope`` holds what no code can; 422 and why, when
    its query does; None when neither."""
    raw_path = scope.get("raw_path")
    if raw_path is None:  # optional in ASGI; the decoded path keeps what matters
        raw_path = scope["path"].encode("utf-8", "surrogatepass")
    found = _unreadable(unquote_to_bytes(raw_path))
    if found is not None:
        return 404, f"sidan finns inte: adressen innehåller {found}, {_NOT_A_CODE}"
    query: bytes = scope.get("query_string", b"")
    found = _unreadable(unquote_to_bytes(query.replace(b"+", b" "))) if query else None
    if found is not None:
        return 422, f"parametrarna efter ? innehåller {found}, som inget parametervärde innehåller"
    return None


def screen_requests(
    app: FastAPI,
    answer: Answer = _refused_address,
    max_bytes: int = MAX_MESSAGE_BYTES,
    max_nesting: int = MAX_NESTING,
) -> None:
    """Screen every request's address, and every POST, PUT and PATCH body, of ``app``.

    A path holding a control character or bytes that are not UTF-8 is answered 404, a query
    holding one 422, both by ``answer`` (by default in the shape of ``refusal``) before any
    route, dependency or other middleware added earlier sees the request. A Content-Length
    over ``max_bytes`` is refused (413) without reading the body; a body sent without one is
    read only until it passes ``max_bytes`` (413); a body with any problem ``screen`` finds
    is refused with 422. Both answers have the shape of ``refusal``.
    """
    app.add_middleware(_Screening, answer=answer, max_bytes=max_bytes, max_nesting=max_nesting)


class _ClientGone(Exception):
    """The client disconnected before sending its whole body: there is no one to answer."""


class _Screening(HttpMiddleware):
    def __init__(self, app: ASGIApp, answer: Answer, max_bytes: int, max_nesting: int) -> None:
        super().__init__(app)
        self._answer = answer
        self._max_bytes = max_bytes
        self._max_nesting = max_nesting

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        problem = address_problem(scope)
        if problem is not None:
            await self._answer(scope, *problem)(scope, receive, send)
            return
        if scope["method"] not in _WITH_BODY:
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
