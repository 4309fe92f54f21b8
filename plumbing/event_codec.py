"""The envelope codec: an event's envelope (contracts.envelope.Envelope) as the event store
keeps it and as NATS carries it, and the one way an event is read back.

The envelope's fields are written once, in the contract. The events table keeps some of them
in columns of their own (``COLUMNS``: what the store assigns, orders and finds events by);
every other field is a key of the event's metadata under the envelope's own name. The
command handler writes the metadata through ``stored_metadata``, the outbox builds the
published envelope with ``envelope_json_sql``, and whatever reads an event (a follower's copy,
a process manager, a service replaying its own events) reads it with ``read_event``.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from contracts.envelope import Envelope, Event, EventMessage
from plumbing.eventstore import StoredEvent

# The envelope's fields that the events table keeps as columns, named as in the envelope.
COLUMNS = ("event_id", "event_type", "schema_version", "stream_id", "version", "recorded_at")
# Every other field of the envelope: kept in the metadata, in the envelope's order.
METADATA_FIELDS = tuple(name for name in Envelope.model_fields if name not in COLUMNS)
_METADATA_NAMES = frozenset(METADATA_FIELDS)
_REQUIRED_METADATA = frozenset(
    name for name in METADATA_FIELDS if Envelope.model_fields[name].is_required()
)

EventTypes = Mapping[str, type[Event]]


class UnreadableEvent(ValueError):
    """What was read is not an event of the contract; the message says why."""


class OtherEvent(UnreadableEvent):
    """An event, but none of the types read here."""


def stored_metadata(
    envelope: Mapping[str, Any], beside: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The metadata of an event about to be stored.

    ``envelope``: the envelope's fields the store has no column for (a None is left out, as
    the envelope reads a missing optional field as None). ``beside``: what the store keeps
    with the event but never publishes (the message id, a sender's own references).
    """
    unknown = envelope.keys() - _METADATA_NAMES
    missing = _REQUIRED_METADATA - envelope.keys()
    if unknown or missing:
        raise ValueError(f"not the envelope's metadata: {sorted(unknown)} {sorted(missing)}")
    kept = {name: _json(value) for name, value in envelope.items() if value is not None}
    return {**(beside or {}), **kept}


def _json(value: Any) -> Any:
    """A value as the store has always written it: times in ISO 8601, ids as text."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


def envelope_json_sql(row: str) -> str:
    """SQL for the published envelope of the events row ``row``: a JSON object with every
    field of the envelope, in its order, from its column or its metadata."""
    fields = (
        f"'{name}', {row}.{name}" if name in COLUMNS else f"'{name}', {row}.metadata->'{name}'"
        for name in Envelope.model_fields
    )
    return "json_build_object(" + ", ".join(fields) + ")"


def read_message(data: bytes | str) -> EventMessage:
    """The envelope and the untyped payload of a published event."""
    try:
        return EventMessage.model_validate_json(data)
    except ValidationError as error:
        raise UnreadableEvent(f"no event message: {error}") from error


def message_of(stored: StoredEvent) -> EventMessage:
    """A stored event as it is published: its envelope from its columns and metadata."""
    columns = {name: getattr(stored, name) for name in COLUMNS}
    metadata = {name: stored.metadata[name] for name in METADATA_FIELDS if name in stored.metadata}
    try:
        envelope = Envelope.model_validate({**metadata, **columns})
    except ValidationError as error:
        raise UnreadableEvent(f"no envelope: {error}") from error
    return EventMessage(envelope=envelope, payload=stored.payload)


def read_event(
    source: bytes | str | EventMessage | StoredEvent, events: EventTypes
) -> tuple[Envelope, Event]:
    """The envelope and the typed event of ``source`` (published bytes, a message, or a
    stored event), one of ``events`` by type name at the version its model has; raises
    UnreadableEvent saying why it is not."""
    if isinstance(source, StoredEvent):
        message = message_of(source)
    elif isinstance(source, EventMessage):
        message = source
    else:
        message = read_message(source)
    envelope = message.envelope
    model = events.get(envelope.event_type)
    if model is None:
        raise OtherEvent(f"{envelope.event_type!r} is not one of the events read here")
    if envelope.schema_version != model.schema_version:
        raise UnreadableEvent(
            f"{envelope.event_type} version {envelope.schema_version},"
            f" read here as version {model.schema_version}"
        )
    try:
        return envelope, model.model_validate(message.payload)
    except ValidationError as error:
        raise UnreadableEvent(f"{envelope.event_type} breaks its contract: {error}") from error
