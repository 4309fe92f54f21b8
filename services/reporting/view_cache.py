"""Finished answers of the views, kept until the read models change.

Every view is a function of the read models and of its request alone (the path, the query
with ``?per=`` and filters, who asks, and whether a page or JSON was asked for). The read
models change only in a transaction that also writes the projection's tracking row
(plumbing.projection: a batch moves its checkpoint, a replay of parked events touches it),
and a rebuild switches the generation. So an answer is kept under its request and the
generation and tracking row version of every projection, and given again while they stand:
many readers of the same report between two ledger loads cost one build. Anything else
(a new batch, a rebuild, another reader) is a new key, so a kept answer is never stale.

"Who asks" is the Authorization header as sent, and a token stays the same string after it
has expired (or its key has been withdrawn). So the token is checked as the views check it
(plumbing.http_identity) before a kept answer is looked for: a caller the views would refuse
now is refused, whatever was kept for the same token while it was valid.
"""

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence

import asyncpg
from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from plumbing.http_identity import Access
from plumbing.read_models import ReadModels
from services.reporting.signin.sessions import COOKIE

_Key = tuple[object, ...]


class ViewCache:
    """At most ``max_bytes`` of answers, the least recently given dropped first."""

    def __init__(
        self,
        models: ReadModels,
        projections: Sequence[str],
        max_bytes: int,
        views: tuple[str, ...] = (),
    ) -> None:
        """``views``: the addresses whose answers are kept (routes.view_prefixes); the
        operators' listings, readiness and the API documentation are not kept."""
        self._models = models
        self._views = views
        self._projections = list(projections)
        self._max_bytes = max_bytes
        self._kept: OrderedDict[_Key, tuple[int, list[tuple[str, str]], bytes]] = OrderedDict()
        self._bytes = 0
        self.given = 0  # answers given from the cache
        self.built = 0  # answers built because none was kept for the request as it stands

    async def state(self) -> tuple[object, ...]:
        """Each projection's active generation and the version of its tracking row."""
        return await self._models.state(self._projections)

    def _keep(self, key: _Key, answer: tuple[int, list[tuple[str, str]], bytes]) -> None:
        size = len(answer[2])
        if size > self._max_bytes // 4:
            return  # one answer may not push out most of the others
        self._kept[key] = answer
        self._bytes += size
        while self._bytes > self._max_bytes:
            _, dropped = self._kept.popitem(last=False)
            self._bytes -= len(dropped[2])

    def keeps(self, request: Request) -> bool:
        # A signed-in person's page is their own (their forms, their CSRF token).
        return (
            request.method == "GET"
            and request.url.path.startswith(self._views)
            and COOKIE not in request.cookies
        )

    async def answer(
        self, request: Request, build: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """The kept answer to ``request`` if the read models are as they were; else built."""
        try:
            state = await self.state()
        except (asyncpg.PostgresError, OSError):
            return await build(request)  # a table not there yet, or the database away
        key = (
            request.url.path,
            request.url.query,
            request.headers.get("authorization", ""),
            request.headers.get("accept", ""),
            state,
        )
        kept = self._kept.get(key)
        if kept is not None:
            self.given += 1
            self._kept.move_to_end(key)
            status, headers, body = kept
            response = Response(body, status_code=status)
            response.raw_headers = [(k.encode(), v.encode()) for k, v in headers]
            return response
        self.built += 1
        built = await build(request)
        if built.status_code != 200:
            return built
        body = b"".join([chunk async for chunk in built.body_iterator])  # type: ignore[attr-defined]
        headers = [(k.decode(), v.decode()) for k, v in built.raw_headers]
        self._keep(key, (built.status_code, headers, body))
        response = Response(body, status_code=built.status_code)
        response.raw_headers = list(built.raw_headers)
        return response


def keep_answers(app: FastAPI, cache: ViewCache, access: Access) -> None:
    """Answer ``app``'s views from ``cache`` while the read models stand, to a caller
    ``access`` lets read them now. Middleware added after this one wrap the kept answers
    too: headers they add are added afresh to each answer, not kept with it."""

    app.state.view_cache = cache

    @app.middleware("http")
    async def kept(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if not cache.keeps(request):
            return await call_next(request)
        refused = await access.refuse_viewer(request)
        if refused is not None:
            return refused
        return await cache.answer(request, call_next)
