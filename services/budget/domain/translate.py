from typing import TypeVar

from contracts.envelope import Command, Event

E = TypeVar("E", bound=Event)


def event_from(command: Command, event_type: type[E]) -> E:
    """The event recording ``command``: the fields they share, checked again by the event."""
    return event_type(**{name: getattr(command, name) for name in event_type.model_fields})
