"""Security headers on every answer, and a strict Content-Security-Policy on HTML pages.

The views are server-rendered pages with one inline <style> block and no scripts at all,
so a policy that allows inline styles and nothing else leaves an injected script nothing
to run. Their one form (a view as it stood on a day) asks the same site again. FastAPI's
own API documentation (/docs, /redoc) is a script application loaded from a CDN: it keeps
its scripts and only gets the framing rule.
"""

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plumbing.http_middleware import HttpMiddleware

VIEW_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_POLICY = "frame-ancestors 'none'"

_ALWAYS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)


def add_security_headers(app: FastAPI) -> None:
    docs = {path for path in (app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url)}
    app.add_middleware(_SecurityHeaders, docs=frozenset(p for p in docs if p))


class _SecurityHeaders(HttpMiddleware):
    def __init__(self, app: ASGIApp, docs: frozenset[str]) -> None:
        super().__init__(app)
        self._docs = docs

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        policy = DOCS_POLICY if scope["path"] in self._docs else VIEW_POLICY

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(_ALWAYS)
                if _is_html(headers):
                    headers.append((b"content-security-policy", policy.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self._app(scope, receive, with_headers)


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(
        name.lower() == b"content-type" and value.startswith(b"text/html")
        for name, value in headers
    )
