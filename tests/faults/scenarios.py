"""Faults during ingest: a process or a server is killed or restarted while the ledger
sends, and afterwards every property is checked."""

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from nats.aio.client import Client

from contracts import subjects
from tests.faults.ledger import Sender, actuals, connect, organisation, stream_exists
from tests.faults.properties import (
    Check,
    HttpWatch,
    Outcome,
    every_property,
    one_inbound_consumer_at_a_time,
    settle,
    stored_actuals_count,
    wait_for,
)
from tests.faults.stack import ONE_OF_EACH, FaultStack

Fault = Callable[[FaultStack], Awaitable[str]]


@dataclass(frozen=True)
class Scenario:
    name: str
    fault: Fault
    services: tuple[tuple[str, str], ...] = tuple(ONE_OF_EACH)

    @property
    def standbys(self) -> bool:
        return sum(kind == "budget" for _, kind in self.services) > 1


async def _kill_and_start(stack: FaultStack, name: str) -> str:
    stack.kill_service(name)
    await stack.restart_service(name)
    return f"kill -9 {name}, started again"


def kill_service(name: str) -> Fault:
    async def fault(stack: FaultStack) -> str:
        return await _kill_and_start(stack, name)

    return fault


def server_fault(
    stop: Callable[[FaultStack], None],
    start: Callable[[FaultStack], None],
    done: str,
    down_for: float = 0.0,
) -> Fault:
    async def fault(stack: FaultStack) -> str:
        # In threads: starting and stopping the servers blocks, and the HTTP watch and
        # the sender must go on meanwhile.
        await asyncio.to_thread(stop, stack)
        # Down long enough for every client to notice it is gone, where that matters.
        await asyncio.sleep(down_for)
        await asyncio.to_thread(start, stack)
        return done

    return fault


kill_nats = server_fault(
    FaultStack.kill_nats,
    FaultStack.start_nats,
    "kill -9 nats-server, started again on the same port and data",
    down_for=1.0,
)
restart_nats = server_fault(
    FaultStack.stop_nats, FaultStack.start_nats, "nats-server stopped (SIGTERM) and started again"
)
kill_postgres = server_fault(
    FaultStack.kill_postgres,
    FaultStack.start_postgres,
    "kill -9 postmaster and backends, started again (crash recovery)",
    down_for=1.0,
)
restart_postgres = server_fault(
    FaultStack.stop_postgres,
    FaultStack.start_postgres,
    "PostgreSQL fast shutdown and start, with 3 budget processes",
)


def pause(server: str, seconds: float) -> Fault:
    """SIGSTOP ``server`` ("nats" or "postgres") for ``seconds``, then SIGCONT: a server that
    hangs with its connections open, which clients notice only by what does not come."""

    async def fault(stack: FaultStack) -> str:
        getattr(stack, f"pause_{server}")()
        try:
            await asyncio.sleep(seconds)
        finally:
            getattr(stack, f"resume_{server}")()
        return f"{server} paused (SIGSTOP) for {seconds:.0f} s, then continued"

    return fault


# Everything sent before and during a fault of up to 30 s is in the views this long after
# the fault's end (or after the last send, when sending went on longer).
CAUGHT_UP_WITHIN_SECONDS = 30.0

SCENARIOS = [
    Scenario("kill -9 budget", kill_service("budget")),
    Scenario("kill -9 budget-relay", kill_service("budget-relay")),
    Scenario("kill -9 reporting", kill_service("reporting")),
    Scenario("kill -9 NATS", kill_nats),
    Scenario("kill -9 PostgreSQL", kill_postgres),
    Scenario(
        "PostgreSQL restart, 3 budget processes",
        restart_postgres,
        (
            ("budget", "budget"),
            ("budget-2", "budget"),
            ("budget-3", "budget"),
            ("budget-relay", "budget-relay"),
            ("reporting", "reporting"),
        ),
    ),
    Scenario("NATS restart", restart_nats),
    Scenario("NATS paused 6 s", pause("nats", 6)),
    Scenario("NATS paused 20 s", pause("nats", 20)),
    Scenario("PostgreSQL paused 6 s", pause("postgres", 6)),
    Scenario("PostgreSQL paused 20 s", pause("postgres", 20)),
]


async def _when_ingest_is_under_way(
    stack: FaultStack, total: int, fault: Fault
) -> tuple[int, str, float]:
    """Where ingest was when the fault began, what was done, and when the fault ended."""
    await wait_for(
        lambda: stored_actuals_count(stack), lambda n: n >= total // 10, quiet=120, every=0.02
    )
    at = await stored_actuals_count(stack)
    done = await fault(stack)
    return at, done, asyncio.get_running_loop().time()


def caught_up_in_time(settled_at: float, fault_ended: float, sending_ended: float) -> Check:
    since = max(fault_ended, sending_ended)
    took = settled_at - since
    return Check(
        f"everything is in the views within {CAUGHT_UP_WITHIN_SECONDS:.0f} s of the fault's end",
        took <= CAUGHT_UP_WITHIN_SECONDS,
        f"{took:.1f} s after the fault ended and the last message was sent",
    )


async def _ingest(stack: FaultStack, nc: Client, scenario: Scenario, messages: int) -> Outcome:
    sender = Sender(nc)
    ready, _ = await wait_for(
        lambda: stream_exists(nc.jetstream(), subjects.BUDGET_INBOUND_STREAM), bool, within=60
    )
    if not ready:
        raise RuntimeError("the budget service never declared its inbound stream")
    await sender.send_all(organisation())
    sent = actuals(messages)
    watch = HttpWatch(stack)
    async with watch.running():
        fault = asyncio.create_task(_when_ingest_is_under_way(stack, messages, scenario.fault))
        await sender.send_all(sent)
        sending_ended = asyncio.get_running_loop().time()
        at, done, fault_ended = await fault
        await settle(stack, sent)
        settled_at = asyncio.get_running_loop().time()
        checks = [
            Check("the fault landed mid-ingest", 0 < at < messages, f"at {at} of {messages}"),
            caught_up_in_time(settled_at, fault_ended, sending_ended),
            *await every_property(stack, nc, sent, watch),
        ]
        if scenario.standbys:
            checks.append(one_inbound_consumer_at_a_time(watch))
    return Outcome("fault", scenario.name, f"at {at}/{messages} stored: {done}", checks)


async def run_scenario(scenario: Scenario, messages: int) -> Outcome:
    """A fresh stack, ``messages`` actuals with the fault among them, then the properties."""
    stack = FaultStack()
    outcome: Outcome | None = None
    try:
        await stack.start(list(scenario.services))
        nc = await connect(stack.nats_url)
        try:
            outcome = await _ingest(stack, nc, scenario, messages)
        finally:
            await nc.close()
    except Exception as error:
        outcome = Outcome(
            "fault",
            scenario.name,
            "did not run to the end",
            [Check("the scenario ran", False, repr(error))],
        )
    finally:
        keep = outcome is None or not outcome.held
        stack.stop(keep=keep)
    if not outcome.held:
        return dataclasses.replace(outcome, logs=str(stack.logs))
    return outcome
