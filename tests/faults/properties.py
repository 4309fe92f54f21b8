"""The properties every scenario must keep, checked from outside: the event store, the
read model, the rejection stream and the HTTP answers, as an operator would look at them."""

import asyncio
import contextlib
import json
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

import asyncpg
import httpx
from nats.aio.client import Client

from contracts import subjects
from contracts.budget.commands import RecordActuals
from tests.faults.ledger import SPARE_PERIOD, Key, Sender, figures, key_of, stream_of
from tests.faults.stack import FaultStack, Service
from tests.tokens import bearer

T = TypeVar("T")

# How /ready names the inbound consumer among a budget process's workers, and its state
# while it consumes.
INBOUND_WORKER = ("inkommande", "inbound")
WORKING = "arbetar"

# What the watch asks of each kind of service besides /health and /ready.
VIEWS = {"reporting": ["/api/plan/KS/2011"], "budget": ["/api/units"]}


@dataclass(frozen=True)
class Check:
    name: str
    held: bool
    detail: str = ""


@dataclass(frozen=True)
class Outcome:
    """One case or fault tried: what was done, and each property checked after it."""

    group: str
    name: str
    done: str
    checks: list[Check]
    logs: str = ""

    @property
    def held(self) -> bool:
        return all(c.held for c in self.checks)


# Conditions


async def wait_for(
    probe: Callable[[], Awaitable[T]],
    done: Callable[[T], bool],
    within: float = 240.0,
    quiet: float = 60.0,
    every: float = 0.25,
    hopeless: Callable[[], bool] = lambda: False,
) -> tuple[bool, T | None]:
    """Poll ``probe`` until ``done`` holds. Gives up at ``within`` seconds, or earlier when
    the value has not changed for ``quiet`` seconds (a stuck system does not recover by
    waiting) or ``hopeless()`` says so. Errors while probing (a server being restarted)
    count as no change."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    last: T | None = None
    changed_at = start
    while True:
        try:
            value = await probe()
        except Exception:
            pass
        else:
            if value != last:
                changed_at = loop.time()
            last = value
            if done(value):
                return True, value
        now = loop.time()
        if now - start > within or now - changed_at > quiet or hopeless():
            return False, last
        await asyncio.sleep(every)


async def query(database_url: str, sql: str, *args: object) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(database_url, timeout=5)
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


async def stored_actuals_count(stack: FaultStack) -> int:
    rows = await query(
        stack.budget_database, "SELECT count(*) FROM events WHERE event_type = 'ActualsRecorded'"
    )
    return int(rows[0][0])


async def stored_latest(stack: FaultStack) -> dict[Key, tuple[Decimal, Decimal]]:
    """Per (unit, month), the figures of the latest version of its stream for that month."""
    rows = await query(
        stack.budget_database,
        "SELECT DISTINCT ON (payload->>'unit_code', payload->>'period')"
        " payload->>'unit_code' AS unit, payload->>'period' AS period,"
        " payload->>'revenue' AS revenue, payload->>'costs' AS costs"
        " FROM events WHERE event_type = 'ActualsRecorded'"
        " ORDER BY payload->>'unit_code', payload->>'period', version DESC",
    )
    return {(r["unit"], r["period"]): (Decimal(r["revenue"]), Decimal(r["costs"])) for r in rows}


async def projected(stack: FaultStack) -> dict[Key, tuple[Decimal, Decimal]]:
    """reporting's active ``actuals`` read model; empty until a generation is active."""
    conn = await asyncpg.connect(stack.reporting_database, timeout=5)
    try:
        generation = await conn.fetchval(
            "SELECT generation FROM projection_active WHERE projection = 'reporting'"
        )
        if generation is None:
            return {}
        rows = await conn.fetch(
            f"SELECT unit_code, period, revenue, costs FROM reporting_g{int(generation)}.actuals"
        )
    except asyncpg.UndefinedTableError:
        return {}
    finally:
        await conn.close()
    return {(r["unit_code"], r["period"]): (r["revenue"], r["costs"]) for r in rows}


@dataclass(frozen=True)
class Rejected:
    sequence: int
    subject: str
    data: bytes


async def rejections(nc: Client, after: int = 0) -> list[Rejected]:
    """Every message on the rejection stream after sequence ``after``."""
    js = nc.jetstream()
    try:
        info = await js.stream_info(subjects.BUDGET_REJECTED_STREAM)
    except Exception:
        return []
    found = []
    for sequence in range(max(after + 1, info.state.first_seq), info.state.last_seq + 1):
        try:
            message = await js.get_msg(subjects.BUDGET_REJECTED_STREAM, sequence)
        except Exception:
            continue  # deleted or expired
        found.append(Rejected(sequence, message.subject or "", message.data or b""))
    return found


async def last_rejection_sequence(nc: Client) -> int:
    try:
        info = await nc.jetstream().stream_info(subjects.BUDGET_REJECTED_STREAM)
    except Exception:
        return 0
    return int(info.state.last_seq)


# HTTP answers


@dataclass
class HttpWatch:
    """Asks every running service's health, readiness and views, and remembers each answer."""

    stack: FaultStack
    answers: list[tuple[str, str, int]] = field(default_factory=list)
    # Per round, the inbound worker's state as each budget process reported it on /ready.
    inbound_states: list[dict[str, str]] = field(default_factory=list)

    def record(self, service: str, path: str, status: int) -> None:
        self.answers.append((service, path, status))

    def _note_workers(self, service: str, response: httpx.Response, states: dict[str, str]) -> None:
        try:
            workers = response.json().get("workers") or {}
        except (ValueError, AttributeError):
            return
        for worker, state in workers.items():
            if any(word in worker.lower() for word in INBOUND_WORKER):
                states[service] = str(state)

    async def _ask(
        self, client: httpx.AsyncClient, service: Service, path: str, states: dict[str, str]
    ) -> None:
        try:
            response = await client.get(service.url + path)
        except httpx.HTTPError:
            return  # killed or starting: no answer is not a wrong answer
        self.record(service.name, path, response.status_code)
        if path == "/ready" and service.kind == "budget":
            self._note_workers(service.name, response, states)

    async def _round(self, client: httpx.AsyncClient) -> None:
        # All at once: the states of the budget processes are then a snapshot of a moment.
        states: dict[str, str] = {}
        self.inbound_states.append(states)
        questions = []
        for service in list(self.stack.services.values()):
            paths = ["/health", "/ready", *VIEWS.get(service.kind, [])]
            questions += [self._ask(client, service, path, states) for path in paths]
        await asyncio.gather(*questions)

    @contextlib.asynccontextmanager
    async def running(self, every: float = 0.25) -> AsyncIterator["HttpWatch"]:
        async def loop() -> None:
            async with httpx.AsyncClient(timeout=10) as client:
                while True:
                    await self._round(client)
                    await asyncio.sleep(every)

        task = asyncio.create_task(loop())
        try:
            yield self
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def server_errors(self) -> list[tuple[str, str, int]]:
        # 503 is how /ready and the views say "not yet"; any other 5xx is a fault.
        return [a for a in self.answers if a[2] >= 500 and a[2] != 503]


def one_inbound_consumer_at_a_time(watch: HttpWatch) -> Check:
    """Seen on /ready: never two budget processes consuming at once, and the others seen
    standing by (an operator must be able to tell which one works)."""
    rounds = [r for r in watch.inbound_states if r]
    crowded = [r for r in rounds if sum(s == WORKING for s in r.values()) > 1]
    standing_by = [r for r in rounds if sum(s == WORKING for s in r.values()) == 1 and len(r) > 1]
    detail = f"{len(rounds)} rounds of /ready, {len(crowded)} with two or more consuming"
    if crowded:
        detail += f", e.g. {crowded[0]}"
    if not standing_by:
        detail += "; never seen one consuming while another stood by"
    return Check(
        "one budget process consumes, the others stand by",
        bool(standing_by) and not crowded,
        detail,
    )


def no_server_errors(watch: HttpWatch) -> Check:
    errors = watch.server_errors()
    shown = sorted({f"{s} {p} → {c}" for s, p, c in errors})
    return Check(
        "no service answers 500",
        not errors,
        f"{len(watch.answers)} answers" if not errors else f"{len(errors)}: {', '.join(shown)}",
    )


# The properties


def _expected_latest(sent: Sequence[RecordActuals]) -> dict[Key, tuple[Decimal, Decimal]]:
    return {key_of(c): figures(c) for c in sent}


def _differences(
    expected: dict[Key, tuple[Decimal, Decimal]], found: dict[Key, tuple[Decimal, Decimal]]
) -> str:
    wrong = [k for k in expected if found.get(k) != expected[k]]
    extra = [k for k in found if k not in expected]
    if not wrong and not extra:
        return ""
    sample = ", ".join(f"{u}/{p}: {found.get((u, p))} ≠ {expected[(u, p)]}" for u, p in wrong[:3])
    return f"{len(wrong)} of {len(expected)} keys wrong ({sample}); {len(extra)} unexpected"


async def settle(stack: FaultStack, sent: Sequence[RecordActuals]) -> None:
    """Wait until the store and the read model hold what was sent, or stop changing."""
    expected = _expected_latest(sent)
    # Nothing starts a service that ended on its own again, so there is no point waiting.
    await wait_for(
        lambda: stored_actuals_count(stack),
        lambda n: n >= len(sent),
        hopeless=lambda: bool(stack.exited()),
    )
    await wait_for(
        lambda: projected(stack),
        lambda found: _differences(expected, found) == "",
        hopeless=lambda: bool(stack.exited()),
    )


async def latest_values(stack: FaultStack, sent: Sequence[RecordActuals]) -> list[Check]:
    expected = _expected_latest(sent)
    in_store = _differences(expected, await stored_latest(stack))
    in_view = _differences(expected, await projected(stack))
    fine = f"all {len(expected)} keys as last sent"
    return [
        Check("every key holds its last value in the event store", not in_store, in_store or fine),
        Check("every key holds its last value in the read model", not in_view, in_view or fine),
    ]


async def store_order(stack: FaultStack, sent: Sequence[RecordActuals]) -> Check:
    """Each stream's versions, read in order, are the commands for it in send order."""
    expected: dict[str, list[Decimal]] = defaultdict(list)
    for command in sent:
        expected[stream_of(command)].append(command.revenue)
    rows = await query(
        stack.budget_database,
        "SELECT stream_id, version, payload->>'revenue' AS revenue FROM events"
        " WHERE event_type = 'ActualsRecorded' ORDER BY stream_id, version",
    )
    found: dict[str, list[Decimal]] = defaultdict(list)
    gaps = []
    for row in rows:
        versions = found[row["stream_id"]]
        versions.append(Decimal(row["revenue"]))
        if row["version"] != len(versions):
            gaps.append(f"{row['stream_id']} v{row['version']}")
    out_of_order = sorted(s for s in set(expected) | set(found) if expected[s] != found[s])
    detail = ""
    if out_of_order:
        first = out_of_order[0]
        pairs = zip(expected[first], found[first], strict=False)
        at = next(
            (i for i, (a, b) in enumerate(pairs) if a != b),
            min(len(expected[first]), len(found[first])),
        )
        detail = (
            f"{len(out_of_order)} of {len(expected)} streams differ; {first} first at #{at + 1}"
            f" (sent {len(expected[first])}, stored {len(found[first])})"
        )
    if gaps:
        detail += f"; versions not 1..n in {gaps[:3]}"
    fine = f"{len(expected)} streams, {len(rows)} events, each stream in send order"
    return Check("each stream's order in the store is the send order", not detail, detail or fine)


async def one_event_per_command(stack: FaultStack, sent: Sequence[RecordActuals]) -> Check:
    stored = await stored_actuals_count(stack)
    return Check(
        "one stored ActualsRecorded per accepted command",
        stored == len(sent),
        f"stored {stored}, accepted {len(sent)}",
    )


async def stored_never_rejected(
    stack: FaultStack, nc: Client, sent: Sequence[RecordActuals]
) -> Check:
    stored_revenues = {
        Decimal(r[0])
        for r in await query(
            stack.budget_database,
            "SELECT payload->>'revenue' FROM events WHERE event_type = 'ActualsRecorded'",
        )
    }
    stored_ids = {str(c.message_id) for c in sent if c.revenue in stored_revenues}
    rejected: list[str] = []
    unreadable = 0
    for found in await rejections(nc):
        try:
            rejected.append(str(json.loads(found.data).get("message_id")))
        except (ValueError, AttributeError):
            unreadable += 1
    both = stored_ids & set(rejected)
    return Check(
        "nothing stored is on the rejection stream",
        not both and not unreadable,
        f"{len(rejected)} rejections, {len(both)} of them stored, {unreadable} unreadable",
    )


async def still_moving(stack: FaultStack, nc: Client, value: int = 999_999_999) -> Check:
    """One more command afterwards is stored and projected."""
    command = RecordActuals(
        message_id=uuid.uuid4(),
        actor="ekonomisystem",
        unit_code="E00",
        period=SPARE_PERIOD,
        revenue=Decimal(value),
        costs=Decimal(-1),
    )
    await Sender(nc).send(command)
    key = ("E00", SPARE_PERIOD)
    wanted = figures(command)
    stored, _ = await wait_for(
        lambda: stored_latest(stack),
        lambda found: found.get(key) == wanted,
        quiet=90,
        hopeless=lambda: bool(stack.exited()),
    )
    shown, _ = await wait_for(
        lambda: projected(stack),
        lambda found: found.get(key) == wanted,
        quiet=90,
        hopeless=lambda: bool(stack.exited()),
    )
    exited = stack.exited()
    detail = f"stored: {stored}, projected: {shown}"
    if exited:
        detail += f"; exited on their own: {', '.join(exited)}"
    return Check("the consumers still move afterwards", stored and shown, detail)


async def nothing_parked(stack: FaultStack) -> Check:
    """Every event sent was valid, so reporting has none it could not apply."""
    url = f"{stack.services['reporting'].url}/api/drift/parkerade"
    try:
        async with httpx.AsyncClient(timeout=30, headers=bearer("operator")) as client:
            response = await client.get(url)
        parked = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError) as error:
        return Check("reporting parked no event", False, repr(error))
    if not isinstance(parked, list):
        return Check("reporting parked no event", False, f"{response.status_code} from {url}")
    reasons = "; ".join(str(p.get("reason")) for p in parked[:3] if isinstance(p, dict))
    return Check("reporting parked no event", not parked, f"{len(parked)} parked {reasons}".strip())


async def every_property(
    stack: FaultStack, nc: Client, sent: Sequence[RecordActuals], watch: HttpWatch
) -> list[Check]:
    """The properties of the scenarios, in the order the table shows them."""
    await settle(stack, sent)
    checks = [
        *await latest_values(stack, sent),
        await store_order(stack, sent),
        await one_event_per_command(stack, sent),
        await stored_never_rejected(stack, nc, sent),
        await nothing_parked(stack),
    ]
    checks.append(await still_moving(stack, nc))
    checks.append(no_server_errors(watch))
    return checks


def failed(checks: Sequence[Check]) -> list[Check]:
    return [c for c in checks if not c.held]


def describe(checks: Sequence[Check]) -> str:
    return "; ".join(f"{c.name}: {c.detail}" for c in failed(checks))
