"""A decided event as the store keeps it: with who sent it, when, which ids are the
service's and which the sender's own, and in which trace."""

import os
from uuid import UUID

from opentelemetry import trace
from opentelemetry.trace import Span

from contracts.envelope import Event
from plumbing import telemetry
from plumbing.event_codec import stored_metadata
from plumbing.eventstore import NewEvent
from plumbing.requests import Request


def new_event_ids(count: int) -> list[UUID]:
    """``count`` random (version 4) UUIDs, as uuid4 makes them, from one read of the system's
    randomness: uuid4 reads it once per id, a system call per stored event."""
    randomness = os.urandom(16 * count)
    return [UUID(bytes=randomness[i : i + 16], version=4) for i in range(0, 16 * count, 16)]


def to_store(
    request: Request,
    event: Event,
    stream_id: str,
    version: int,
    span: Span | None,
    event_id: UUID,
) -> NewEvent:
    """The event as the store keeps it, with who sent it, when, and in which trace.

    The ids are the service's: the event's own, and the message id of the command it
    received as the event's cause and correlation. A sender's own causation_id and
    correlation_id are its references, kept as such (``sender_causation_id``,
    ``sender_correlation_id``) and never as the event's cause, which the history shows as
    the message. Only a command one of our services sent keeps its cause and correlation:
    the event in that service that led to it (shared DESIGN.md, the process manager).
    """
    command = request.command
    # As text once, as the store writes it: the message id is written three times
    # (stored_metadata turns any other id into text).
    message_id = str(command.message_id)
    if request.from_service:
        cause = command.causation_id or message_id
        correlation = command.correlation_id or message_id
        references = {}
    else:
        cause = correlation = message_id
        references = {
            "sender_causation_id": command.causation_id,
            "sender_correlation_id": command.correlation_id,
        }
    envelope = {
        "occurred_at": command.occurred_at,
        "source_system": request.source_system,
        "actor": command.actor,
        "actor_name": request.actor_name or None,
        "correlation_id": correlation,
        "causation_id": cause,
        **trace_metadata(request, span),
    }
    beside = {"message_id": message_id} | {
        key: str(value) for key, value in references.items() if value is not None
    }
    metadata = stored_metadata(envelope, beside)
    return NewEvent(
        event_id=event_id,
        stream_id=stream_id,
        version=version,
        event_type=event.event_type,
        schema_version=event.schema_version,
        payload=event.model_dump(mode="json"),
        metadata=metadata,
    )


def trace_metadata(request: Request, span: Span | None) -> dict[str, str]:
    """The trace context to store with the event: the command's span, or when nothing
    records spans, the sender's own context passed on unchanged."""
    if span is None:
        return telemetry.well_formed(request.trace_headers)
    return telemetry.current_trace_headers(trace.set_span_in_context(span))
