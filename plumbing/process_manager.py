"""A process manager: a rule that crosses services, from one service's published events to
commands sent to another through its public contract, exactly once, written once.

A service declares it (``ProcessManager``): whose events it reads and which, the service it
sends to (one its contract ``sends`` to), what it remembers between events, and its rule, plain
Python (``Rule``). The kit runs it (``ProcessManagerWorker``):

- It reads the events on the project's pull loop (plumbing.consumer), one worker across every
  copy of the process (a lease, fenced), through the envelope codec; its position and what it
  remembers are written in one transaction of the service's database.
- A batch's commands are published, and JetStream has acknowledged them, before the batch's
  position is stored; a crash in between sends them again after the restart.
- Each command's ``message_id`` follows from its event's id (``caused_by``: uuid5), so every
  resend is the same message: JetStream drops it within the inbound stream's duplicate window,
  and the target, which stores every message id it took, refuses it after that as a duplicate
  (plumbing.sent_refusals notes that and logs any other refusal for an operator).
- The target's event names the causing event as its cause (``causation_id``) in its
  correlation, and the command carries the event's W3C trace context in its NATS headers, so
  one trace shows both services.
"""

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypedDict
from uuid import UUID, uuid5

import asyncpg
from nats.aio.client import Client
from nats.aio.msg import Msg
from opentelemetry import trace
from opentelemetry.trace import Span

from contracts.envelope import Command, Envelope, Event
from contracts.service import WriteService
from plumbing import telemetry
from plumbing.consumer import Consumer, consume_from_position
from plumbing.delivery_sequence import stream_sequence
from plumbing.event_codec import OtherEvent, UnreadableEvent, read_event
from plumbing.locks import Lease, fenced
from plumbing.migrations import Migrations, migrate
from plumbing.publisher import Publisher
from plumbing.readiness import WorkerStatus

log = logging.getLogger(__name__)

Received = tuple[Envelope, Event]

_POSITION_SQL = "SELECT sequence FROM consumer_positions WHERE consumer = $1"
_STORE_POSITION_SQL = (
    "INSERT INTO consumer_positions (consumer, sequence) VALUES ($1, $2)"
    " ON CONFLICT (consumer) DO UPDATE SET sequence = EXCLUDED.sequence"
    " WHERE consumer_positions.sequence < EXCLUDED.sequence"
)


@dataclass(frozen=True)
class Memory:
    """What a process manager remembers between events: a set of keys, in a table of its
    service's (``column`` its primary key), made by ``migrations``."""

    table: str
    column: str
    migrations: Migrations


@dataclass(frozen=True)
class Reacted:
    """What a batch of events leads to: the keys to remember, and the commands to send,
    each with the envelope of the event that caused it."""

    remembered: list[str]
    commands: list[tuple[Command, Envelope]]


class Rule(Protocol):
    def react(self, events: Sequence[Received], memory: set[str]) -> Reacted:
        """The commands ``events`` lead to, in order; ``memory`` is added to as they come.
        Plain Python, no I/O."""
        ...


class CausedBy(TypedDict):
    message_id: UUID
    actor: str
    occurred_at: datetime
    causation_id: UUID
    correlation_id: UUID


@dataclass(frozen=True)
class ProcessManager:
    """A process manager's declaration."""

    name: str  # its consumer, lease and position: "projects-office-share"
    title: str  # how /ready names it, in Swedish: "projektkontorets andel"
    what: str  # what its commands are, as a log line names them: "the project office's share"
    sender: WriteService  # the service it belongs to, which sends the commands as itself
    reads: WriteService  # whose published events it reads
    events: tuple[type[Event], ...]  # which of them; the others are passed over
    target: WriteService  # where the commands go: one that ``sender`` declares it sends to
    memory: Memory
    # Fixed for good: a command's message id is uuid5(this, its event's id), so the same
    # event always leads to the same message, however often it is sent.
    message_ids: UUID

    def __post_init__(self) -> None:
        if self.target not in self.sender.sends_to:
            raise ValueError(f"{self.sender.name} declares no commands to {self.target.name}")

    def message_id_for(self, event_id: UUID) -> UUID:
        """The message id of the command an event leads to: the same for every resend."""
        return uuid5(self.message_ids, str(event_id))

    def caused_by(self, envelope: Envelope) -> CausedBy:
        """The fields of a command that ``envelope``'s event leads to, the same for every
        resend: its id, the sender as actor, the event's time, cause and correlation."""
        return CausedBy(
            message_id=self.message_id_for(envelope.event_id),
            actor=self.sender.name,
            occurred_at=envelope.occurred_at,
            causation_id=envelope.event_id,
            correlation_id=envelope.correlation_id,
        )


class ProcessManagerWorker:
    """Runs ``declaration`` with ``rule``: events in, the target's commands out."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        nc: Client,
        declaration: ProcessManager,
        rule: Rule,
        batch_size: int = 500,
        ack_wait_seconds: float = 30.0,
    ) -> None:
        self._pool = pool
        self._nc = nc
        self._declaration = declaration
        self._rule = rule
        self._events = {event.event_type: event for event in declaration.events}
        memory = declaration.memory
        self._load_sql = f"SELECT {memory.column} FROM {memory.table}"
        self._remember_sql = (
            f"INSERT INTO {memory.table} ({memory.column}) SELECT * FROM unnest($1::text[])"
            f" ON CONFLICT ({memory.column}) DO NOTHING"
        )
        self._publisher = Publisher(nc)
        self._tracer = telemetry.tracer(f"process_manager.{declaration.name}")
        self._memory: set[str] = set()
        self.status = WorkerStatus(declaration.title)
        self._consumer = Consumer(
            stream=declaration.reads.events_stream,
            subject=declaration.reads.events_subjects,
            durable=declaration.name,
            batch_size=batch_size,
            ack_wait_seconds=ack_wait_seconds,
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Send from just after the stored position; one process at a time."""
        async with self._pool.acquire() as conn:
            await migrate(conn, [self._declaration.memory.migrations])
        await consume_from_position(
            self._pool,
            self._nc,
            self._consumer,
            self._position,
            self.handle_batch,
            stop,
            self.status,
        )

    async def _position(self) -> int:
        """Where the last holder stopped, and what it knew then (read once the lease holds)."""
        async with self._pool.acquire() as conn, conn.transaction():
            self._memory = {r[0] for r in await conn.fetch(self._load_sql)}
            return int(await conn.fetchval(_POSITION_SQL, self._declaration.name) or 0)

    async def handle_batch(self, msgs: list[Msg], lease: Lease) -> None:
        memory = set(self._memory)
        events = [event for event in map(self._read, msgs) if event is not None]
        reacted = self._rule.react(events, memory)
        spans: list[Span] = []
        try:
            messages = [self._message(c, e, spans) for c, e in reacted.commands]
            lease.check()
            # Acknowledged by JetStream before the position moves: a crash in between sends
            # the same messages again, which JetStream and the target store once.
            await self._publisher.publish(messages)
        finally:
            for span in spans:
                span.end()
        async with self._pool.acquire() as conn, conn.transaction():
            await fenced(conn, lease)
            if reacted.remembered:
                await conn.execute(self._remember_sql, reacted.remembered)
            last = stream_sequence(msgs[-1])
            await conn.execute(_STORE_POSITION_SQL, self._declaration.name, last)
        self._memory = memory
        for command, envelope in reacted.commands:
            log.info(
                "%s sent %s %s, caused by %s",
                self._declaration.name,
                self._declaration.target.name,
                command.model_dump_json(),
                envelope.event_id,
            )

    def _read(self, msg: Msg) -> Received | None:
        """The event in ``msg`` if it is one this follows; None for any other (what is not
        an event of the contract at all is logged)."""
        try:
            return read_event(msg.data, self._events)
        except OtherEvent:
            return None  # not this rule's
        except UnreadableEvent as error:
            # Only the service's relay publishes here, so this is not expected; it is not a
            # reason to stop the commands of every later event.
            log.error(
                "%s passes over %s #%d: %s",
                self._declaration.name,
                msg.subject,
                stream_sequence(msg),
                error,
            )
            return None

    def _message(
        self, command: Command, envelope: Envelope, spans: list[Span]
    ) -> tuple[str, bytes, dict[str, str]]:
        declaration = self._declaration
        headers = {"Nats-Msg-Id": str(command.message_id)}
        stored_context = {
            key: value
            for key, value in (
                ("traceparent", envelope.traceparent),
                ("tracestate", envelope.tracestate),
            )
            if value is not None
        }
        if telemetry.enabled():
            span = self._tracer.start_span(
                f"{declaration.sender.name} {command.command_name}",
                context=telemetry.extract(stored_context),
            )
            spans.append(span)
            headers.update(telemetry.current_trace_headers(trace.set_span_in_context(span)))
        else:
            # Nothing records spans here; pass the event's own context on unchanged.
            headers.update(telemetry.well_formed(stored_context))
        subject = declaration.target.inbound_subject(declaration.sender.name, command.command_name)
        return subject, command.model_dump_json().encode(), headers
