from typing import TypeVar

from contracts.envelope import Command, Event

E = TypeVar("E", bound=Event)


def event_from(command: Command, event_type: type[E]) -> E:
    """The event recording ``command``: the fields they share.

    Built without validating again: the command has just been validated with the very
    same field definitions (both come from contracts.budget.fields).
    """
    return event_type.model_construct(
        **{name: getattr(command, name) for name in event_type.model_fields}
    )
