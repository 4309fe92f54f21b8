"""What a write service's ``decide`` does around its decisions, written once: the decision for
the command's type, the sender's scope checked first, and the event applied to the batch's
state at once, so the commands after it in the same batch see it."""

from collections.abc import Callable, Mapping
from typing import Generic, Protocol, TypeVar

from contracts.envelope import Command, Event
from contracts.refusal import refuse
from contracts.scope import Scope


class Applies(Protocol):
    def apply(self, event: Event) -> None: ...


State = TypeVar("State", bound=Applies)


class Decisions(Generic[State]):
    """``decide(state, command, scope)``: the event ``command`` leads to, or Refused with the
    reasons. ``scope`` None means no limit."""

    def __init__(
        self,
        decisions: Mapping[type[Command], Callable[[State, Command], Event]],
        check_scope: Callable[[State, Command, Scope], None],
    ) -> None:
        self.decisions = dict(decisions)
        self._check_scope = check_scope

    def __call__(self, state: State, command: Command, scope: Scope | None = None) -> Event:
        decision = self.decisions.get(type(command))
        if decision is None:
            raise refuse("", f"okänt kommando {type(command).__name__}")
        if scope is not None:
            self._check_scope(state, command, scope)
        event = decision(state, command)
        state.apply(event)
        return event
