"""Each HTTP request: its trace id back to the caller, a JSON log line, a refusal kept.

Runs inside the OpenTelemetry middleware (plumbing.telemetry.instrument_app), whose server
span is then current: it continues the caller's ``traceparent`` or, when the caller sent
none, starts the trace, and its id goes back in the answer's ``traceparent`` header.
"""

import logging
import time

from starlette.types import Message, Receive, Scope, Send

from plumbing import logs, telemetry
from plumbing.http_middleware import HttpMiddleware

log = logging.getLogger("kommunplan.http")

_LONGEST_PATH = 300


class TracedRequests(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        status = 500
        headers = telemetry.current_trace_headers()

        async def answer(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                if "traceparent" in headers:
                    message["headers"] = [
                        *message.get("headers", []),
                        (b"traceparent", headers["traceparent"].encode()),
                    ]
            await send(message)

        try:
            await self._app(scope, receive, answer)
        finally:
            self._done(scope, status, time.perf_counter() - started)

    def _done(self, scope: Scope, status: int, seconds: float) -> None:
        method, path = scope.get("method", ""), scope.get("path", "")[:_LONGEST_PATH]
        message_id = scope.get("state", {}).get("message_id")
        if 400 <= status < 500 and method != "GET":
            # A refused command is kept whatever the sampling says.
            telemetry.kept_span(
                "refused", attributes={"http.request.method": method, "url.path": path}
            ).end()
            logs.record(
                log,
                "refusal",
                f"{method} {path} refused ({status})",
                logging.INFO,
                status=status,
                message_id=message_id,
            )
        if path in ("/metrics", "/health", "/ready"):
            return  # probes, every few seconds: their line would drown the others
        logs.record(
            log,
            "request",
            f"{method} {path} {status}",
            method=method,
            path=path,
            status=status,
            duration_ms=round(seconds * 1000, 2),
            message_id=message_id,
        )
