"""The project office's share of the projects it runs: a process manager between projects and
budget.

The seed says the project office is financed by its projects: "de projekt som drivs och
organiseras vid projektkontoret får avsätta resurser för detta enligt grundprincipen 10 % av
projektbudget". Projects decides it; budget records it. For every ProjectBudgetSet of a
project registered as run by the project office, this sends budget SetProjectShare on
``budget.inbound.projects.set-project-share``: the office's revenue for the year from that
project, ``project_office_share`` (0.10) of the project budget, rounded to the öre. Budget
stores it as ProjectShareSet, which replaces the earlier share of the same project and year,
so a changed budget moves the revenue instead of adding to it.

Exactly once, whatever is delivered again:

- It reads the projects service's own published events (PROJECTS_EVENTS) on the project's
  pull loop (plumbing.consumer), one worker across every copy of the projects process (a
  lease, fenced), its position and its small state (which projects the office runs) written
  in one transaction of the projects database.
- A batch's commands are published, and JetStream has acknowledged them, before the batch's
  position is stored; a crash in between sends them again after the restart.
- Each command's ``message_id`` follows from the event's id (uuid5), so every resend is the
  same message: JetStream drops it within the inbound stream's duplicate window, and budget,
  which stores every message id it took, refuses it after that as a duplicate
  (on ``budget.rejected.projects``, which is expected and only noted).
- The budget event names the projects event as its cause (``causation_id``) in its
  correlation, and the command carries the event's W3C trace context in its NATS headers,
  so one trace shows both services.

A refusal that is not a duplicate (the project office's unit does not exist in budget, or is
closed for the year) is logged for an operator by ``BudgetRefusals``; it is not sent again,
since the same command would be refused the same way. Setting the project's budget again
once the unit is there sends the share anew.
"""

import asyncio
import logging
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID, uuid5

import asyncpg
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError
from opentelemetry import trace
from opentelemetry.trace import Span
from pydantic import TypeAdapter, ValidationError

from contracts.budget.commands import SetProjectShare
from contracts.budget.fields import UnitCode
from contracts.envelope import Envelope, EventMessage
from contracts.projects.events import ProjectBudgetSet, ProjectRegistered
from contracts.projects.service import PROJECTS
from contracts.rejection import Rejection
from contracts.service import WriteService
from plumbing import telemetry
from plumbing.command_handler import DUPLICATE
from plumbing.consumer import Consumer, consume_from_position
from plumbing.jetstream import Publisher
from plumbing.locks import Lease, fenced
from plumbing.migrations import migrate
from plumbing.readiness import WorkerStatus
from plumbing.service import BackgroundWorker
from plumbing.settings import ServiceSettings

log = logging.getLogger(__name__)

MIGRATIONS = ["plumbing.sql.office_share"]
DURABLE = "projects-office-share"
ACTOR = PROJECTS.name
# Fixed for good: a command's message id is uuid5(this, the ProjectBudgetSet's event id), so
# the same event always leads to the same message, however often it is sent.
MESSAGE_ID_NAMESPACE = UUID("6f1c3c2e-5b0a-4d8e-9a7c-2f4b1e0d9c51")
OERE = Decimal("0.01")
KEPT_REFUSALS = 100

_POSITION_SQL = "SELECT sequence FROM consumer_positions WHERE consumer = $1"
_STORE_POSITION_SQL = (
    "INSERT INTO consumer_positions (consumer, sequence) VALUES ($1, $2)"
    " ON CONFLICT (consumer) DO UPDATE SET sequence = EXCLUDED.sequence"
    " WHERE consumer_positions.sequence < EXCLUDED.sequence"
)
_OFFICE_PROJECTS_SQL = "SELECT project_code FROM office_share_projects"
_ADD_OFFICE_PROJECTS_SQL = (
    "INSERT INTO office_share_projects (project_code) SELECT * FROM unnest($1::text[])"
    " ON CONFLICT (project_code) DO NOTHING"
)


def message_id_for(event_id: UUID) -> UUID:
    """The message id of the command a ProjectBudgetSet leads to: the same for every resend."""
    return uuid5(MESSAGE_ID_NAMESPACE, str(event_id))


def share_of(project_budget: Decimal, rate: Decimal) -> Decimal:
    """The office's revenue from a project budget: ``rate`` of it, exact, rounded to the öre
    (half away from zero, as amounts in kronor are rounded)."""
    return (project_budget * rate).quantize(OERE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class OfficeShareSettings:
    rate: Decimal
    unit_code: str  # the project office's unit in budget

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> "OfficeShareSettings":
        unit = settings.project_office_unit
        try:  # a unit code budget would refuse every time is a mistake in the settings
            TypeAdapter(UnitCode).validate_python(unit)
        except ValidationError as error:
            raise ValueError(
                f"KOMMUNPLAN_PROJECT_OFFICE_UNIT={unit!r} duger inte som enhetskod: "
                f"{error.errors()[0]['msg']}"
            ) from None
        return cls(settings.project_office_share, unit)

    def command(self, envelope: Envelope, budget: ProjectBudgetSet) -> SetProjectShare:
        """SetProjectShare for ``budget`` (stored in ``envelope``): the same for every resend."""
        return SetProjectShare(
            message_id=message_id_for(envelope.event_id),
            actor=ACTOR,
            occurred_at=envelope.occurred_at,
            causation_id=envelope.event_id,
            correlation_id=envelope.correlation_id,
            unit_code=self.unit_code,
            year=budget.year,
            project_code=budget.project_code,
            project_budget=budget.amount,
            revenue=share_of(budget.amount, self.rate),
        )


@dataclass(frozen=True)
class _Decided:
    """What one batch leads to: the office's projects it adds, and the commands to send."""

    office_projects: list[str]
    commands: list[tuple[SetProjectShare, Envelope]]


Followed = tuple[Envelope, ProjectRegistered | ProjectBudgetSet]


def decide(events: Sequence[Followed], office: set[str], settings: OfficeShareSettings) -> _Decided:
    """The commands ``events`` lead to, in order; ``office`` (the projects the office runs)
    is added to as registrations come. Plain Python, no I/O."""
    added: list[str] = []
    commands: list[tuple[SetProjectShare, Envelope]] = []
    for envelope, event in events:
        if isinstance(event, ProjectRegistered):
            if event.run_by_project_office and event.project_code not in office:
                office.add(event.project_code)
                added.append(event.project_code)
        elif event.project_code in office:
            try:
                commands.append((settings.command(envelope, event), envelope))
            except ValidationError as error:
                # Not expected (the project's fields are budget's too); never a reason to
                # stop the shares of every later budget.
                log.error("no share for %s: %s", envelope.event_id, error.errors()[:3])
    return _Decided(added, commands)


_FOLLOWED: dict[str, type[ProjectRegistered] | type[ProjectBudgetSet]] = {
    ProjectRegistered.event_type: ProjectRegistered,
    ProjectBudgetSet.event_type: ProjectBudgetSet,
}


def _read(msg: Msg) -> Followed | None:
    """The event in ``msg`` if it is one this follows; None for any other (what is not a
    projects event at all is logged)."""
    try:
        message = EventMessage.model_validate_json(msg.data)
        event_type = _FOLLOWED.get(message.envelope.event_type)
        if event_type is None:
            return None
        return message.envelope, event_type.model_validate(message.payload)
    except ValidationError as error:
        # Only projects' relay publishes here, so this is not expected; it is not a reason
        # to stop the office's shares of every later budget.
        log.error(
            "office share passes over %s #%d, not a projects event: %s",
            msg.subject,
            msg.metadata.sequence.stream,
            error.errors()[:3],
        )
        return None


class OfficeShare:
    """The process manager: projects' budget events in, budget's SetProjectShare out."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        nc: Client,
        settings: OfficeShareSettings,
        target: WriteService,
        batch_size: int = 500,
        ack_wait_seconds: float = 30.0,
    ) -> None:
        self._pool = pool
        self._nc = nc
        self._settings = settings
        self._subject = target.inbound_subject(ACTOR, SetProjectShare.command_name)
        self._publisher = Publisher(nc)
        self._tracer = telemetry.tracer("services.projects.office_share")
        self._office: set[str] = set()
        self.status = WorkerStatus("projektkontorets andel")
        self._consumer = Consumer(
            stream=PROJECTS.events_stream,
            subject=PROJECTS.events_subjects,
            durable=DURABLE,
            batch_size=batch_size,
            ack_wait_seconds=ack_wait_seconds,
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Send from just after the stored position; one projects process at a time."""
        async with self._pool.acquire() as conn:
            await migrate(conn, MIGRATIONS)
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
            self._office = {r["project_code"] for r in await conn.fetch(_OFFICE_PROJECTS_SQL)}
            return int(await conn.fetchval(_POSITION_SQL, DURABLE) or 0)

    async def handle_batch(self, msgs: list[Msg], lease: Lease) -> None:
        office = set(self._office)
        events = [event for event in map(_read, msgs) if event is not None]
        decided = decide(events, office, self._settings)
        spans: list[Span] = []
        try:
            messages = [self._message(c, e, spans) for c, e in decided.commands]
            lease.check()
            # Acknowledged by JetStream before the position moves: a crash in between sends
            # the same messages again, which JetStream and budget store once.
            await self._publisher.publish(messages)
        finally:
            for span in spans:
                span.end()
        async with self._pool.acquire() as conn, conn.transaction():
            await fenced(conn, lease)
            if decided.office_projects:
                await conn.execute(_ADD_OFFICE_PROJECTS_SQL, decided.office_projects)
            await conn.execute(_STORE_POSITION_SQL, DURABLE, msgs[-1].metadata.sequence.stream)
        self._office = office
        for command, _ in decided.commands:
            log.info(
                "sent budget the project office's share of %s for %d: %s of %s kr",
                command.project_code,
                command.year,
                command.revenue,
                command.project_budget,
            )

    def _message(
        self, command: SetProjectShare, envelope: Envelope, spans: list[Span]
    ) -> tuple[str, bytes, dict[str, str]]:
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
                f"{ACTOR} {command.command_name}", context=telemetry.extract(stored_context)
            )
            spans.append(span)
            headers.update(telemetry.current_trace_headers(trace.set_span_in_context(span)))
        else:
            # Nothing records spans here; pass the event's own context on unchanged.
            headers.update(telemetry.well_formed(stored_context))
        return self._subject, command.model_dump_json().encode(), headers


class BudgetRefusals:
    """Reads what budget refused of projects' commands (``budget.rejected.projects``), as a
    system reads its rejections: through a consumer named after the sender.

    A duplicate is a resend of a share budget already stored (after JetStream's duplicate
    window): expected, noted at info. Anything else is logged as an error for an operator and
    not sent again, since it would be refused the same way.
    """

    def __init__(self, nc: Client, target: WriteService, fetch_timeout: float = 1.0) -> None:
        self._nc = nc
        self._stream = target.rejected_stream
        self._subject = target.rejected_subject(ACTOR)
        self._title = target.title
        self._timeout = fetch_timeout
        self.status = WorkerStatus("avvisat av budget")
        # Since the process started: the duplicates noted, and the latest other refusals.
        self.duplicates = 0
        self.refused: deque[Rejection] = deque(maxlen=KEPT_REFUSALS)

    async def run(self, stop: asyncio.Event) -> None:
        js = self._nc.jetstream()
        self.status.standby()
        while not stop.is_set():
            try:
                await js.add_consumer(
                    self._stream,
                    ConsumerConfig(
                        name=ACTOR,
                        durable_name=ACTOR,
                        filter_subject=self._subject,
                        ack_policy=AckPolicy.EXPLICIT,
                        deliver_policy=DeliverPolicy.ALL,
                    ),
                )
                break
            except NotFoundError:  # budget has not declared its streams yet
                await asyncio.sleep(1.0)
        if stop.is_set():
            return
        subscription = await js.pull_subscribe_bind(durable=ACTOR, stream=self._stream)
        self.status.working()
        try:
            while not stop.is_set():
                try:
                    msgs = await subscription.fetch(100, timeout=self._timeout)
                except TimeoutError:
                    continue
                for msg in msgs:
                    self.note(msg.data)
                    await msg.ack()
        finally:
            await subscription.unsubscribe()

    def note(self, data: bytes) -> None:
        try:
            rejection = Rejection.model_validate_json(data)
        except ValidationError:
            log.error("%s refused a message of projects: %r", self._title, data[:500])
            return
        if rejection.problems and all(
            p.field == "message_id" and p.message == DUPLICATE for p in rejection.problems
        ):
            self.duplicates += 1
            log.info(
                "%s has the share %s already; resend refused", self._title, rejection.message_id
            )
            return
        self.refused.append(rejection)
        log.error(
            "%s refused the project office's share %s; not sent again: %s",
            self._title,
            rejection.message_id,
            "; ".join(f"{p.field}: {p.message}" for p in rejection.problems),
        )


def workers(pool: asyncpg.Pool, nc: Client, settings: ServiceSettings) -> list[BackgroundWorker]:
    """What the projects process runs beside its inbound consumer (WriteServiceParts.workers)."""
    (budget,) = PROJECTS.sends_to
    return [
        OfficeShare(
            pool,
            nc,
            OfficeShareSettings.from_settings(settings),
            budget,
            settings.batch_size,
            settings.ack_wait_seconds,
        ),
        BudgetRefusals(nc, budget),
    ]
