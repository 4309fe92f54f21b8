"""Security headers on every answer, and a strict Content-Security-Policy on HTML pages.

The views are server-rendered pages with one inline <style> block and no scripts at all,
so a policy that allows inline styles and nothing else leaves an injected script nothing
to run. Their one form (a view as it stood on a day) asks the same site again. A page that
states a policy of its own keeps it: the API documentation (plumbing.api_docs, /docs) is a
script application served from the service's own files, and allows those and its one inline
script by hash.
"""

from fastapi import FastAPI
from starlette.types import Message, Receive, Scope, Send

from plumbing.http_middleware import HttpMiddleware

VIEW_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

_ALWAYS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)


def add_security_headers(app: FastAPI) -> None:
    app.add_middleware(_SecurityHeaders)


class _SecurityHeaders(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(h for h in _ALWAYS if not _has(headers, h[0]))
                if _is_html(headers) and not _has_policy(headers):
                    headers.append((b"content-security-policy", VIEW_POLICY.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self._app(scope, receive, with_headers)


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(
        name.lower() == b"content-type" and value.startswith(b"text/html")
        for name, value in headers
    )


def _has_policy(headers: list[tuple[bytes, bytes]]) -> bool:
    return _has(headers, b"content-security-policy")


def _has(headers: list[tuple[bytes, bytes]], wanted: bytes) -> bool:
    """Whether the answer states ``wanted`` itself: a page with forms names its own
    referrer policy, so that the browser sends its origin with them (signin.guard)."""
    return any(name.lower() == wanted for name, _ in headers)
