"""The envelope every event travels in, and the base classes for events and commands."""

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, TypeVar
from uuid import UUID, uuid4

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from contracts.text import SINGLE_LINE, Name, check_single_line

# Generous for what the services write today (a class name, "unit-<code>-<year>", a subject
# token or "http"): the projection reads every envelope back, so a bound here must never be
# narrower than what a writer can store.
EventType = Annotated[str, Field(min_length=1, max_length=100), SINGLE_LINE]
StreamId = Annotated[str, Field(min_length=1, max_length=200), SINGLE_LINE]
SourceSystem = Annotated[str, Field(min_length=1, max_length=100), SINGLE_LINE]
# W3C trace context: a version-00 traceparent has 55 characters, and vendors are asked to
# pass on at least 512 characters of tracestate; both leave room beyond that.
TRACEPARENT_LENGTH = 256
TRACESTATE_LENGTH = 1024
TraceParent = Annotated[str, Field(max_length=TRACEPARENT_LENGTH), SINGLE_LINE]
TraceState = Annotated[str, Field(max_length=TRACESTATE_LENGTH), SINGLE_LINE]


def _unusable_as_none(max_length: int) -> Callable[[Any], Any]:
    """Reads a trace context that breaks the bounds as none at all.

    The trace context comes from the sender's headers and decides nothing: an event whose
    context cannot be used is still the event, so it is read without one (as W3C asks of
    a context that cannot be parsed) rather than refused.
    """

    def usable(value: Any) -> Any:
        if not isinstance(value, str) or len(value) > max_length:
            return None if isinstance(value, str) else value
        try:
            return check_single_line(value)
        except ValueError:
            return None

    return usable


class Envelope(BaseModel):
    """Who, when, where from and in which trace an event happened."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: UUID
    event_type: EventType
    schema_version: int
    stream_id: StreamId
    version: int = Field(ge=1, description="Position of the event in its stream, from 1")
    occurred_at: datetime = Field(description="When it happened in the sending system")
    recorded_at: datetime = Field(description="When the owning service stored it")
    source_system: SourceSystem
    actor: Name
    actor_name: Name | None = Field(
        default=None, description="The actor's display name, when its identity gives one"
    )
    correlation_id: UUID
    causation_id: UUID
    traceparent: Annotated[
        TraceParent | None, BeforeValidator(_unusable_as_none(TRACEPARENT_LENGTH))
    ] = Field(default=None, description="W3C trace context")
    tracestate: Annotated[
        TraceState | None, BeforeValidator(_unusable_as_none(TRACESTATE_LENGTH))
    ] = None


class EventMessage(BaseModel):
    """An event as published on NATS: the envelope and the event's own fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    envelope: Envelope
    payload: dict[str, Any]


class Event(BaseModel):
    """Base of every event payload: a fact, named in the past tense, never changed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str]
    schema_version: ClassVar[int] = 1


class Command(BaseModel):
    """Base of every command an administration's system or a controller sends.

    ``message_id`` is chosen by the sender and identifies the message for good: the
    same id sent twice is stored once, and the second copy is refused as a duplicate.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    command_name: ClassVar[str]

    message_id: UUID = Field(default_factory=uuid4)
    actor: Name = Field(description="Person or account acting")
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    # Set by a service whose own event leads it to send this command (projects' 10 % rule):
    # the stored event then names that event as its cause, in that event's correlation.
    # From anyone else they are the sender's own references: the stored event keeps them
    # beside it (sender_causation_id, sender_correlation_id in the store's metadata), and
    # its cause and correlation are the message id the service received.
    causation_id: UUID | None = Field(
        default=None, description="The event that caused this command, if one did"
    )
    correlation_id: UUID | None = Field(
        default=None, description="The correlation of the causing event, if one did"
    )


def commands_by_name(*commands: type[Command]) -> dict[str, type[Command]]:
    """A service's commands, by the name each is sent under."""
    return {command.command_name: command for command in commands}


def events_by_type(*events: type[Event]) -> dict[str, type[Event]]:
    """A service's events, by their type."""
    return {event.event_type: event for event in events}


E = TypeVar("E", bound=Event)


def event_from(command: Command, event_type: type[E]) -> E:
    """The event recording ``command``: the fields they share.

    Built without validating again: a service's commands and events take their fields from
    the same field groups (contracts.<service>.fields), and the command has just been
    validated with them.
    """
    return event_type.model_construct(
        **{name: getattr(command, name) for name in _field_names(event_type)}
    )


@functools.cache
def _field_names(model: type[BaseModel]) -> tuple[str, ...]:
    # Asked for every event decided; pydantic answers model_fields through a descriptor
    # that warns when an instance asks, a cost of its own each time.
    return tuple(model.model_fields)
