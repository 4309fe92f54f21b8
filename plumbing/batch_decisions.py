"""A batch of commands as the command handler decides it, before its events are numbered:
each request's outcome in order, and the accepted ones with their events, whose outcomes wait
for the stream versions the batch looks up at once."""

import dataclasses

from opentelemetry.trace import Span

from contracts.envelope import Event
from plumbing.requests import Outcome, Request


@dataclasses.dataclass(frozen=True)
class AcceptedRequest:
    index: int  # of its outcome
    request: Request
    event: Event
    stream_id: str
    span: Span | None


@dataclasses.dataclass
class BatchDecisions:
    outcomes: list[Outcome | None] = dataclasses.field(default_factory=list)  # None: accepted
    accepted: list[AcceptedRequest] = dataclasses.field(default_factory=list)
    spans: list[Span] = dataclasses.field(default_factory=list)  # to end once stored or not

    def all_decided(self) -> list[Outcome]:
        """The outcomes, once every accepted request's has been filled in."""
        found = [outcome for outcome in self.outcomes if outcome is not None]
        if len(found) != len(self.outcomes):
            raise AssertionError("an accepted request was left without its outcome")
        return found
