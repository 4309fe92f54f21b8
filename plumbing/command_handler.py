"""Command handling: load what the decision needs, decide, append with the expected versions."""

import asyncio
import dataclasses
import logging
from collections.abc import Sequence
from typing import Generic
from uuid import UUID

from contracts.refusal import NotKnownYet, NotPermitted, Refused
from contracts.rejection import Problem
from plumbing import outcome_telemetry, telemetry
from plumbing.batch_decisions import AcceptedRequest, BatchDecisions
from plumbing.decider import Decider, S
from plumbing.errors import is_infrastructure
from plumbing.eventstore import (
    ConcurrencyError,
    DuplicateMessageError,
    EventStore,
    FencedOut,
    InboundMessage,
    NewEvent,
    Position,
)
from plumbing.requests import (
    DUPLICATE,
    UNSTORABLE,
    Accepted,
    AlreadyStored,
    BeforeCommit,
    Outcome,
    Rejected,
    Request,
)
from plumbing.stored_event import new_event_ids, to_store

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5

# How long a batch waits, at most, for what another service has stored but not yet
# published (its relay polls every 20 ms), before a NotKnownYet refusal stands.
WAIT_FOR_OWNERS_SECONDS = 2.0
FIRST_PAUSE_SECONDS = 0.02
LONGEST_PAUSE_SECONDS = 0.25


class TooManyConflicts(Exception):
    """Other writers kept changing the same streams; the batch is tried again later."""


class _OwnersMayCatchUp(Exception):
    """A request was refused for naming what another service may not have published yet."""


class CommandHandler(Generic[S]):
    """The only writer of a service's events.

    It keeps the state its decisions read and the version of each stream it has written in
    memory; both are caught up from the store, and a concurrent writer elsewhere shows
    up as a ConcurrencyError, after which the caches are dropped and the batch decided again.
    """

    def __init__(self, name: str, store: EventStore, decider: Decider[S]) -> None:
        self._name = name
        self._store = store
        self._decider = decider
        self._known = decider.empty()
        self._lock = asyncio.Lock()
        self._tracer = telemetry.tracer(f"services.{name}")

    @property
    def name(self) -> str:
        """The service's name, as its metrics and log lines name it."""
        return self._name

    async def state(self) -> S:
        """What the decisions read, caught up with the store: a copy to read from."""
        async with self._lock:
            await self._decider.catch_up(self._known, self._store)
            return self._known.state.copy()

    async def position(self, consumer: str) -> int:
        return await self._store.position(consumer)

    async def handle(
        self,
        requests: Sequence[Request],
        position: Position | None = None,
        before_commit: BeforeCommit | None = None,
    ) -> list[Outcome]:
        """Decide every request and store the accepted ones (with ``position``) at once.

        ``before_commit`` sees the outcomes before they are stored: what it publishes about
        them is then never missing for a batch that was stored.
        """
        async with self._lock:
            try:
                outcomes = await self._decide_and_store(requests, position, before_commit)
            except Exception as error:
                if is_infrastructure(error) or isinstance(error, FencedOut | TooManyConflicts):
                    raise
                # Something in the batch cannot be stored (a value the database refuses):
                # find which, refuse it, and store the rest, rather than fail for ever.
                log.warning("batch could not be stored (%r); storing one by one", error)
                outcomes = await self._one_by_one(requests, position, before_commit)
        outcome_telemetry.observed(self._name, requests, outcomes)
        return outcomes

    async def _decide_and_store(
        self,
        requests: Sequence[Request],
        position: Position | None,
        before_commit: BeforeCommit | None,
    ) -> list[Outcome]:
        # Duplicates are rare: the first attempt lets the store's unique message ids find
        # them (or a refusal that may be one, see _refused_but_known), and only then are
        # all the known ids looked up, saving a round trip.
        look_up_known = False
        attempt = 0
        waited, pause = 0.0, FIRST_PAUSE_SECONDS
        while attempt < MAX_ATTEMPTS:
            may_wait = waited < WAIT_FOR_OWNERS_SECONDS
            try:
                return await self._handle_once(
                    requests, position, before_commit, look_up_known, may_wait
                )
            except _OwnersMayCatchUp:
                # Not an attempt: the batch is decided again once the owners have had a
                # moment to publish (catch_up then brings what they did).
                await asyncio.sleep(pause)
                waited, pause = waited + pause, min(pause * 2, LONGEST_PAUSE_SECONDS)
                continue
            except DuplicateMessageError:
                look_up_known = True
            except ConcurrencyError as error:
                log.info("attempt %d: %s; deciding again", attempt + 1, error)
                self._forget()
            attempt += 1
        raise TooManyConflicts(f"gave up after {MAX_ATTEMPTS} concurrent conflicts")

    async def _refused_but_known(
        self, requests: Sequence[Request], outcomes: Sequence[Outcome]
    ) -> bool:
        """Whether a request refused by the domain was in fact stored before.

        A message stored once and delivered again may be refused by the domain (its unit
        now exists); it must be recognised as already stored instead.
        """
        refused = [
            r.command.message_id
            for r, o in zip(requests, outcomes, strict=True)
            if isinstance(o, Rejected)
        ]
        return bool(refused) and bool(await self._store.known_messages(refused))

    def _forget(self) -> None:
        self._known = self._decider.empty()

    async def _one_by_one(
        self,
        requests: Sequence[Request],
        position: Position | None,
        before_commit: BeforeCommit | None,
    ) -> list[Outcome]:
        """Each request stored on its own; the one the database refuses is refused.

        A crash half-way is safe: the requests stored so far carry their inbound
        sequence, so when the batch comes again they are recognised as already stored.
        """
        outcomes: list[Outcome] = []
        # Fenced like the batch, without moving the position (it only ever grows).
        fence_only = dataclasses.replace(position, sequence=0) if position else None
        for request in requests:
            try:
                (outcome,) = await self._decide_and_store([request], fence_only, None)
            except Exception as error:
                if is_infrastructure(error) or isinstance(error, FencedOut | TooManyConflicts):
                    raise
                self._forget()  # what was decided for it was never stored
                problem = Problem(field="", message=UNSTORABLE.format(error=type(error).__name__))
                outcome = Rejected([problem])
            outcomes.append(outcome)
        if before_commit is not None:
            await before_commit(outcomes)
        if position is not None:
            await self._store.append([], [], position)
        return outcomes

    async def _handle_once(
        self,
        requests: Sequence[Request],
        position: Position | None,
        before_commit: BeforeCommit | None,
        look_up_known: bool,
        may_wait: bool = False,
    ) -> list[Outcome]:
        await self._decider.catch_up(self._known, self._store)
        known = (
            await self._store.known_messages([r.command.message_id for r in requests])
            if look_up_known
            else {}
        )
        batch = self._known.copy()
        decisions = self._decide(requests, known, batch.state)
        try:
            if may_wait and any(
                isinstance(o, Rejected) and o.not_known_yet for o in decisions.outcomes
            ):
                raise _OwnersMayCatchUp()
            decided = await self._numbered(decisions, batch.versions)
            outcomes = decisions.all_decided()
            if not look_up_known and await self._refused_but_known(requests, outcomes):
                raise DuplicateMessageError("a refused message was stored before")
            # Before before_commit, which sends the refusals: each goes with its trace.
            outcomes = outcome_telemetry.kept(requests, outcomes)
            if before_commit is not None:
                await before_commit(outcomes)
            await self._store.append(
                [e for _, e in decided],
                [InboundMessage(r.command.message_id, r.sequence) for r, _ in decided],
                position,
            )
        finally:
            for span in decisions.spans:
                span.end()
        self._known = batch
        return outcomes

    def _decide(
        self, requests: Sequence[Request], known: dict[UUID, int | None], state: S
    ) -> BatchDecisions:
        """Each request decided in turn against ``state``, which takes in what is accepted."""
        decisions = BatchDecisions()
        seen: set[UUID] = set()
        tracing = telemetry.enabled()
        for request in requests:
            message_id = request.command.message_id
            if message_id in known and _same_delivery(request, known[message_id]):
                decisions.outcomes.append(AlreadyStored())
                continue
            if message_id in known or message_id in seen:
                decisions.outcomes.append(
                    Rejected([Problem(field="message_id", message=DUPLICATE)])
                )
                continue
            span = None
            if tracing and telemetry.worth_a_span(request.trace_headers):
                span = self._tracer.start_span(
                    f"{self._name} {request.command.command_name}",
                    context=telemetry.extract(request.trace_headers),
                )
                decisions.spans.append(span)
            try:
                event = self._decider.decide(state, request.command, request.scope)
            except Refused as refusal:
                decisions.outcomes.append(
                    Rejected(
                        refusal.problems,
                        isinstance(refusal, NotPermitted),
                        isinstance(refusal, NotKnownYet),
                    )
                )
                continue
            seen.add(message_id)
            stream_id = self._decider.stream_for(event)
            decisions.accepted.append(
                AcceptedRequest(len(decisions.outcomes), request, event, stream_id, span)
            )
            decisions.outcomes.append(None)
        return decisions

    async def _numbered(
        self, decisions: BatchDecisions, versions: dict[str, int]
    ) -> list[tuple[Request, NewEvent]]:
        """The accepted events as the store keeps them, each with the next version of its
        stream; their outcomes filled in."""
        # The versions of the streams the batch is the first to touch, in one round trip: a
        # ledger's month comes as one batch over hundreds of units' streams.
        unseen = {a.stream_id for a in decisions.accepted if a.stream_id not in versions}
        if unseen:
            versions.update(await self._store.stream_versions(sorted(unseen)))
        decided: list[tuple[Request, NewEvent]] = []
        ids = new_event_ids(len(decisions.accepted))
        for a, event_id in zip(decisions.accepted, ids, strict=True):
            versions[a.stream_id] = versions.get(a.stream_id, 0) + 1
            version = versions[a.stream_id]
            new_event = to_store(a.request, a.event, a.stream_id, version, a.span, event_id)
            decided.append((a.request, new_event))
            decisions.outcomes[a.index] = Accepted([new_event.event_id])
        return decided


def _same_delivery(request: Request, stored_sequence: int | None) -> bool:
    """Whether the stored message id came from this very inbound message (a redelivery)."""
    return request.sequence is not None and request.sequence == stored_sequence
