"""A write service's decisions, registered per command type, and ``decide`` around them, written
once: the decision for the command's type, the sender's scope checked first, and the event
applied to the batch's state at once, so the commands after it in the same batch see it.

A decision is a plain function of the state and its own command type::

    decisions = Decisions(check_scope)

    @decisions.on(AdoptGoal)
    def _adopt_goal(catalogue: Catalogue, command: AdoptGoal) -> Event: ...
"""

from collections.abc import Callable, Collection
from typing import Any, Generic, Protocol, TypeVar

from contracts.envelope import Command, Event
from contracts.refusal import refuse
from contracts.scope import Scope


class Applies(Protocol):
    def apply(self, event: Event) -> None: ...


State = TypeVar("State", bound=Applies)
C = TypeVar("C", bound=Command)
Decision = Callable[[State, C], Event]


class Decisions(Generic[State]):
    """``decide(state, command, scope)``: the event ``command`` leads to, or Refused with the
    reasons. ``scope`` None means no limit."""

    def __init__(self, check_scope: Callable[[State, Command, Scope], None]) -> None:
        # Each decision takes the command type it was registered for, and only that.
        self._decisions: dict[type[Command], Callable[[State, Any], Event]] = {}
        self._check_scope = check_scope

    def on(self, command_type: type[C]) -> Callable[[Decision[State, C]], Decision[State, C]]:
        """Registers the decoration as the decision of ``command_type``."""

        def register(decision: Decision[State, C]) -> Decision[State, C]:
            self.add(command_type, decision)
            return decision

        return register

    def add(self, command_type: type[C], decision: Decision[State, C]) -> None:
        """Registers ``decision`` for ``command_type``; one decision a command type."""
        if command_type in self._decisions:
            raise ValueError(f"{command_type.__name__} has a decision already")
        self._decisions[command_type] = decision

    @property
    def commands(self) -> Collection[type[Command]]:
        """The command types that have a decision."""
        return self._decisions.keys()

    def __call__(self, state: State, command: Command, scope: Scope | None = None) -> Event:
        decision = self._decisions.get(type(command))
        if decision is None:
            raise refuse("", f"okänt kommando {type(command).__name__}")
        if scope is not None:
            self._check_scope(state, command, scope)
        event = decision(state, command)
        state.apply(event)
        return event
