"""What operators see of each command's outcome: counters, a log line per refusal, and a span
kept for it whatever the sampling, whose trace goes back to the sender with the refusal."""

import dataclasses
import logging
from collections import Counter
from collections.abc import Mapping, Sequence

from opentelemetry import trace

from plumbing import logs, telemetry
from plumbing.metrics import instruments
from plumbing.requests import DUPLICATE, Accepted, Outcome, Rejected, Request

log = logging.getLogger("kommunplan.refusals")


def reason_class(outcome: Rejected) -> str:
    """The refusal's class, as the metrics and log lines name it."""
    if outcome.not_permitted:
        return "not_permitted"
    if outcome.not_known_yet:
        return "not_known_yet"
    if any(p.message == DUPLICATE for p in outcome.problems):
        return "duplicate"
    return "refused"


def keep(
    command: str, reason: str, trace_headers: Mapping[str, str], message_id: str | None
) -> dict[str, str]:
    """A span kept for a refusal in the trace of ``trace_headers`` (a new trace when there is
    none), whatever the sampling; its ``traceparent``, to send back with the refusal."""
    span = telemetry.kept_span(
        f"refuse {command}",
        telemetry.extract(trace_headers),
        {"kommunplan.refusal.reason": reason, "messaging.message.id": message_id or ""},
    )
    span.end()
    return telemetry.current_trace_headers(trace.set_span_in_context(span))


def counted(
    service: str,
    system: str,
    command: str,
    reason: str,
    trace_headers: Mapping[str, str],
    message_id: str | None = None,
    problems: Sequence[object] = (),
) -> None:
    """Count and log a refusal, kept (``keep``) in the trace of ``trace_headers``."""
    instruments().commands_refused.add(
        1, {"service": service, "system": system, "command": command, "reason": reason}
    )
    logs.record(
        log,
        "refusal",
        f"{command} from {system} refused: {reason}",
        trace_id=telemetry.trace_id_of(trace_headers.get("traceparent")),
        message_id=message_id,
        system=system,
        command=command,
        reason=reason,
        problems=[str(p) for p in problems[:5]],
    )


def kept(requests: Sequence[Request], outcomes: list[Outcome]) -> list[Outcome]:
    """``outcomes``, each refusal kept in its trace and carrying that trace's context."""
    return [
        dataclasses.replace(
            outcome,
            trace_headers=keep(
                request.command.command_name,
                reason_class(outcome),
                request.trace_headers,
                str(request.command.message_id),
            ),
        )
        if isinstance(outcome, Rejected)
        else outcome
        for request, outcome in zip(requests, outcomes, strict=True)
    ]


def observed(service: str, requests: Sequence[Request], outcomes: Sequence[Outcome]) -> None:
    """Count ``outcomes`` once they are stored (accepted, refused, events appended) and log
    each refusal."""
    counters = instruments()
    # Added up per batch first: an instrument's add costs more than the counting.
    accepted: Counter[tuple[str, str]] = Counter()
    appended = 0
    for request, outcome in zip(requests, outcomes, strict=True):
        command = request.command.command_name
        if isinstance(outcome, Accepted):
            accepted[request.source_system, command] += 1
            appended += len(outcome.event_ids)
        elif isinstance(outcome, Rejected):
            counted(
                service,
                request.source_system,
                command,
                reason_class(outcome),
                outcome.trace_headers or request.trace_headers,
                str(request.command.message_id),
                outcome.problems,
            )
    for (system, command), count in accepted.items():
        attributes = {"service": service, "system": system, "command": command}
        counters.commands_accepted.add(count, attributes)
    if appended:
        counters.events_appended.add(appended, {"service": service})
