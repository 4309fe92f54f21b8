"""Read-side benchmark: the month report and the plan with a million actuals loaded.

Starts a stack of its own as ``kommunplan up`` does (bench/harness.py), loads the demo
(organisation, budget, goals, projects), registers a few hundred cost centres under the
administrations and sends the ledger's monthly actuals for them, every command through the
services' NATS inbound as the ledger system "ekonomisystem". Then it measures, on this machine:

1. the month report ``/api/uppfoljning/KS/2011-08`` and ``/uppfoljning/KS/2011-08`` and the
   plan ``/api/plan/KS/2011`` and ``/plan/KS/2011``: p50, p95, p99 and max over N sequential
   requests each, after a warm-up (target p95 < 50 ms), as readers meet them: answers kept
   until the read models change are given again (services/reporting/view_cache.py); and
   over ``--built-requests`` requests that each differ by an ignored parameter, so every
   answer is built from the read models anew (target p95 < 100 ms as JSON, 150 as a page,
   with ``?per=`` too);
2. the same with ``?per=<moment>``, a moment recorded when half the actuals had been stored,
   in Europe/Stockholm local time (target p95 < 100 ms), and whether the views took it into
   account (the month report differs from today's);
3. a rebuild of the budget read models from budget's events stream (ProjectionRunner.rebuild,
   the ``kommunplan rebuild`` path, run in this process: its CPU shows as "bench"), in events
   per second, against a plain pull consumer reading the same stream on the same machine in
   the same run, and their ratio;
4. the peak resident memory of the reporting process and the size of the read-model tables.

The data: the demo organisation plus ``--cost-centres`` units (kind "unit") under the
administrations KLF, NÄT and KLC, registered as the ledger's chart of cost centres; then, from
``--first-year`` to ``--last-year``, month by month, for every leaf unit, the month's booked
outcome as it grows (the ledger sends each open month's figure to date every working day, the
last one the closed month's), and about one closed month in twenty corrected one to three
months later with another figure. The number of sends per month is what makes ``--events``
in all; when ``--events`` is too few to send every month once, the earliest years are left
out. The exact shape is printed with the figures.

One JSON object goes to stdout, progress to stderr. The exit code is 1 when a correctness
check failed (events lost or refused, a request answered other than 200, a read model that
does not hold the last figure sent); a missed target is only reported.

    python bench/followup.py                              # a million actuals, 1,000 requests
    python bench/followup.py --events 20000 --requests 50 --built-requests 20  # minutes

Times are wall-clock on a machine that may be shared: the load averages and ``uptime`` are
printed next to them.
"""

import argparse
import asyncio
import http.client
import json
import logging
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

import asyncpg
import psutil  # type: ignore[import-untyped, unused-ignore]
from harness import (
    INBOUND_SUBJECT,
    MB,
    SOURCE_SYSTEM,
    AckTally,
    ReadModel,
    RunningStack,
    add_loading_arguments,
    connect_bench,
    consume_all,
    cpu_used,
    git_state,
    load_budget_demo,
    percentile,
    publish_all,
    run_on_stack,
    setup_logging,
    stored_problems,
    stream_state,
    wait_until_projected,
    wait_until_visible,
)
from nats.js import JetStreamContext
from pydantic import SecretStr

from contracts import subjects
from contracts.budget.commands import RegisterUnit
from contracts.budget.fields import UnitKind
from kommunplan.demo import (
    GOALS_PLANNING_SYSTEM,
    GOALS_STATISTICS_SYSTEM,
    PROJECTS_TOOL_SYSTEM,
    goals_demo_count,
    load_goals_demo,
    load_projects_demo,
)
from kommunplan.stack import goals_in_plan
from plumbing.service import calm_collector
from plumbing.settings import ServiceSettings
from services.reporting.bootstrap import build
from services.reporting.read_models.sources import BUDGET
from services.reporting.settings import ReportingSettings

log = logging.getLogger("bench.followup")

SYSTEMS = (SOURCE_SYSTEM, GOALS_PLANNING_SYSTEM, GOALS_STATISTICS_SYSTEM, PROJECTS_TOOL_SYSTEM)
REGISTER_SUBJECT = subjects.budget_inbound(SOURCE_SYSTEM, RegisterUnit.command_name)
UNIT_ACTOR = "ekonomisystem-kodplan"  # the ledger's upkeep of its chart of cost centres
ACTUALS_ACTOR = "ekonomisystem-utfall"

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MONTH, YEAR = "2011-08", 2011
VIEWS = (
    f"/api/uppfoljning/KS/{MONTH}",
    f"/uppfoljning/KS/{MONTH}",
    f"/api/plan/KS/{YEAR}",
    f"/plan/KS/{YEAR}",
)
# Where the month report shows whether ?per= was taken into account: as of the middle of
# the load it cannot equal today's.
PER_WITNESS = VIEWS[0]
TARGET_P95_MS = {"now": 50.0, "per": 100.0}
# Built anew (no answer cached), as of now or ?per=: a JSON answer and a page apart.
TARGET_BUILT_P95_MS = {"json": 100.0, "page": 150.0}


def built_target(path: str) -> float:
    return TARGET_BUILT_P95_MS["json" if path.startswith("/api/") else "page"]


# Cost centres per administration, in parts of the whole: KLF runs most offices.
ADMINISTRATIONS = {"KLF": 45, "NÄT": 30, "KLC": 25}
FUNCTIONS = (
    "Ledning",
    "Administration",
    "Drift",
    "Lokaler",
    "Service",
    "Utveckling",
    "Projekt",
    "Stöd",
)
CORRECTED_ONE_IN = 20
# A month's share of a year's level, in basis points of a twelfth: less in July, catching
# up in August and at the year's end.
SEASON_BP = (9500, 10000, 10000, 10000, 10000, 10500, 8000, 11000, 10000, 10000, 10000, 11000)
BP = 10_000
ORE = Decimal("0.01")


# --- The data --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    message_id: str
    body: bytes


def cost_centres(count: int) -> list[RegisterUnit]:
    """``count`` cost centres spread over the administrations, numbered as a ledger would."""
    whole = sum(ADMINISTRATIONS.values())
    commands: list[RegisterUnit] = []
    for index, (parent, part) in enumerate(ADMINISTRATIONS.items()):
        last = index == len(ADMINISTRATIONS) - 1
        share = count - len(commands) if last else count * part // whole
        for number in range(1, share + 1):
            code = f"{parent}-{(index + 1) * 1000 + number}"
            commands.append(
                RegisterUnit(
                    actor=UNIT_ACTOR,
                    unit_code=code,
                    name=f"{FUNCTIONS[number % len(FUNCTIONS)]} {code}",
                    kind=UnitKind.UNIT,
                    parent_code=parent,
                    effective_on=date(2001, 1, 1),
                )
            )
    return commands


def as_message(command: RegisterUnit) -> Message:
    return Message(str(command.message_id), command.model_dump_json().encode())


Key = tuple[int, int]  # (unit index, period index)
Figures = tuple[int, int]  # (revenue, costs) in öre


@dataclass
class LedgerHistory:
    """Which actuals are sent, in which order, and what each month ends as.

    Amounts are whole öre (ints) until they are written as kronor, so they stay exact.
    """

    units: Sequence[str]
    periods: Sequence[str]
    events: int
    rng: random.Random
    finals: dict[Key, Figures] = field(default_factory=dict)
    corrections: dict[Key, Figures] = field(default_factory=dict)
    corrections_due: dict[int, list[Key]] = field(default_factory=dict)
    extra_send: set[Key] = field(default_factory=set)
    sends_per_month: int = 0

    @classmethod
    def plan(
        cls, units: Sequence[str], first_year: int, last_year: int, events: int, seed: int
    ) -> "LedgerHistory":
        periods = [f"{y}-{m:02d}" for y in range(first_year, last_year + 1) for m in range(1, 13)]
        # Each month of each unit is sent at least once, and one in twenty once more.
        fitting = events * CORRECTED_ONE_IN // ((CORRECTED_ONE_IN + 1) * len(units))
        if fitting < 1:
            least = -(-len(units) * (CORRECTED_ONE_IN + 1) // CORRECTED_ONE_IN)
            raise SystemExit(f"--events must be at least {least} for {len(units)} units")
        history = cls(units, periods[-fitting:], events, random.Random(seed))
        history._choose()
        return history

    def _choose(self) -> None:
        rng, months = self.rng, len(self.periods)
        for u in range(len(self.units)):
            # A unit's monthly costs, 80 000–2 500 000 kr, and its revenue, up to 40 % of them.
            level = rng.randrange(80_000, 2_500_000) * 100
            revenue_bp = rng.randrange(0, 4000)
            for p, period in enumerate(self.periods):
                season = SEASON_BP[int(period[5:7]) - 1]
                costs = level * season // BP * (BP + rng.randrange(-1000, 1000)) // BP
                revenue = costs * revenue_bp // BP * (BP + rng.randrange(-1000, 1000)) // BP
                self.finals[(u, p)] = (revenue, -costs)
        keys = list(self.finals)
        for key in rng.sample(keys, len(keys) // CORRECTED_ONE_IN):
            revenue, costs = self.finals[key]
            change = BP + rng.choice((-1, 1)) * rng.randrange(50, 500)
            self.corrections[key] = (revenue, costs * change // BP)
            due = min(key[1] + rng.randrange(1, 4), months - 1)
            self.corrections_due.setdefault(due, []).append(key)
        daily = self.events - len(self.corrections)
        self.sends_per_month = daily // len(keys)
        self.extra_send = set(rng.sample(keys, daily % len(keys)))

    def sends(self, key: Key) -> int:
        return self.sends_per_month + (key in self.extra_send)

    def last_figures(self) -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
        """What each unit's month should show once everything is in: the last figure sent."""
        last = {**self.finals, **self.corrections}
        return {
            (self.units[u], self.periods[p]): (_kronor(revenue), _kronor(costs))
            for (u, p), (revenue, costs) in last.items()
        }

    def figures(self) -> Iterator[tuple[str, str, int, int]]:
        """(unit, period, revenue, costs) in the order the ledger sends them: month by month,
        every working day each unit's figure to date, then the corrections falling due."""
        for p, period in enumerate(self.periods):
            for day in range(self.sends_per_month + 1):
                for u, unit in enumerate(self.units):
                    sends = self.sends((u, p))
                    if day < sends:
                        revenue, costs = self.finals[(u, p)]
                        # The figure to date grows to the closed month's on the last send.
                        yield unit, period, revenue * (day + 1) // sends, costs * (day + 1) // sends
            for u, q in self.corrections_due.get(p, []):
                revenue, costs = self.corrections[(u, q)]
                yield self.units[u], self.periods[q], revenue, costs

    def messages(self) -> Iterator[Message]:
        """Each figure as the ledger writes a record-actuals command: JSON of its own making
        (no pydantic on the sending side, which would cost this process more than the
        services it shares the cores with), amounts as kronor strings."""
        for unit, period, revenue, costs in self.figures():
            message_id = str(uuid4())
            command = {
                "message_id": message_id,
                "actor": ACTUALS_ACTOR,
                "occurred_at": datetime.now(UTC).isoformat(),
                "unit_code": unit,
                "period": period,
                "revenue": str(_kronor(revenue)),
                "costs": str(_kronor(costs)),
            }
            yield Message(message_id, json.dumps(command, ensure_ascii=False).encode())

    def shape(self, cost_centres: int, demo_leaves: int) -> dict[str, Any]:
        return {
            "organisation": {
                "demo": "kommunplan's demo: Katrineholm's KS with budget, goals and projects",
                "cost_centres_registered": cost_centres,
                "cost_centres_by_administration": _spread(cost_centres),
                "demo_leaf_units": demo_leaves,
                "leaf_units_with_actuals": len(self.units),
            },
            "periods": {
                "first": self.periods[0],
                "last": self.periods[-1],
                "months": len(self.periods),
            },
            "unit_months": len(self.finals),
            "sends_per_unit_month": f"{self.sends_per_month} or {self.sends_per_month + 1}"
            " (the figure to date each working day; the last is the closed month)",
            "corrections": len(self.corrections),
            "actuals_events": self.events,
            "order": "month by month; corrections one to three months after the month",
        }


def _spread(count: int) -> dict[str, int]:
    spread: dict[str, int] = {}
    for command in cost_centres(count):
        assert command.parent_code is not None
        spread[command.parent_code] = spread.get(command.parent_code, 0) + 1
    return spread


def _kronor(ore: int) -> Decimal:
    return Decimal(ore).scaleb(-2).quantize(ORE)


# --- Requests --------------------------------------------------------------------------------


@dataclass
class Series:
    """The timings of one view's requests, with what came back."""

    path: str
    milliseconds: list[float]
    statuses: dict[int, int]
    bytes_last: int
    body_last: bytes

    def summary(self, target_p95: float) -> dict[str, Any]:
        ordered = sorted(self.milliseconds)
        p95 = percentile(ordered, 95)
        return {
            "requests": len(ordered),
            "p50": percentile(ordered, 50),
            "p95": p95,
            "p99": percentile(ordered, 99),
            "max": round(ordered[-1], 1) if ordered else None,
            "target_p95_ms": target_p95,
            "target_met": p95 is not None and p95 < target_p95,
            "statuses": self.statuses,
            "response_bytes": self.bytes_last,
        }


def time_requests(
    host: str, port: int, path: str, warm_up: int, count: int, built: bool = False
) -> Series:
    """GET ``path`` ``warm_up`` times untimed, then ``count`` times one after the other on one
    kept-alive connection, timing each from sending to the last byte read. ``built``: each
    request differs by a parameter the view ignores, so reporting builds every answer
    rather than giving one it kept (services/reporting/view_cache.py)."""
    conn = http.client.HTTPConnection(host, port, timeout=120)
    timings: list[float] = []
    statuses: dict[int, int] = {}
    body = b""
    try:
        for i in range(warm_up + count):
            started = time.perf_counter()
            joiner = "&" if "?" in path else "?"
            conn.request("GET", f"{path}{joiner}bygg={i}" if built else path)
            response = conn.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            if i >= warm_up:
                timings.append(elapsed)
                statuses[response.status] = statuses.get(response.status, 0) + 1
    finally:
        conn.close()
    return Series(path, timings, statuses, len(body), body)


# --- Reading the database --------------------------------------------------------------------


async def table_sizes(conn: asyncpg.Connection) -> dict[str, Any]:
    """pg_total_relation_size of every table of each projection's active generation (its
    indexes and TOAST included), and the rows of the budget projection's."""
    schemas = [
        f"{row['projection']}_g{row['generation']}"
        for row in await conn.fetch("SELECT projection, generation FROM projection_active")
    ]
    # A generation may keep its rows' earlier versions in a schema beside it.
    schemas += [f"{schema}_per" for schema in schemas]
    rows = await conn.fetch(
        "SELECT n.nspname AS schema, c.relname AS name, pg_total_relation_size(c.oid) AS size"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1::text[])"
        " ORDER BY size DESC",
        schemas,
    )
    tables: dict[str, Any] = {}
    for row in rows:
        entry: dict[str, Any] = {"mb": round(row["size"] / MB, 2)}
        if row["schema"].startswith("reporting_g") and row["size"] > MB:
            entry["rows"] = await conn.fetchval(
                f'SELECT count(*) FROM {row["schema"]}."{row["name"]}"'
            )
        tables[f"{row['schema']}.{row['name']}"] = entry
    return {
        "total_mb": round(sum(int(r["size"]) for r in rows) / MB, 1),
        "tables": tables,
    }


async def events_known_at(budget_db: asyncpg.Connection, moment: datetime) -> dict[str, int]:
    """How many of budget's stored events were recorded at ``moment`` or before, and after."""
    row = await budget_db.fetchrow(
        "SELECT count(*) FILTER (WHERE recorded_at <= $1) AS before,"
        " count(*) FILTER (WHERE recorded_at > $1) AS after,"
        " max(payload->>'period') FILTER (WHERE recorded_at <= $1"
        "   AND event_type = 'ActualsRecorded') AS last_period"
        " FROM events",
        moment,
    )
    assert row is not None  # an aggregate without GROUP BY always gives a row
    return dict(row)


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return " ".join(f"{load:.2f}" for load in os.getloadavg())


# --- The benchmark ---------------------------------------------------------------------------


@dataclass
class FollowUpBench:
    args: argparse.Namespace
    running: RunningStack
    problems: list[str] = field(default_factory=list)
    machine: list[dict[str, Any]] = field(default_factory=list)

    def problem(self, text: str) -> None:
        log.error("MISMATCH: %s", text)
        self.problems.append(text)

    def note_load(self, when: str) -> None:
        self.machine.append({"when": when, "uptime": uptime()})

    async def run(self) -> dict[str, Any]:
        self.note_load("start")
        nc, js = await connect_bench(self.running, self.args.max_in_flight)
        budget_db = await asyncpg.connect(self.running.database_urls["budget"])
        reporting_db = await asyncpg.connect(self.running.database_urls["reporting"])
        try:
            return await self.measure(js, budget_db, reporting_db)
        finally:
            await reporting_db.close()
            await budget_db.close()
            await nc.drain()

    async def measure(
        self,
        js: JetStreamContext,
        budget_db: asyncpg.Connection,
        reporting_db: asyncpg.Connection,
    ) -> dict[str, Any]:
        demo_leaves = await self.load_demo(js)
        leaves = sorted({*demo_leaves, *(await self.register_cost_centres(js))})
        history = LedgerHistory.plan(
            leaves, self.args.first_year, self.args.last_year, self.args.events, self.args.seed
        )
        shape = history.shape(self.args.cost_centres, len(demo_leaves))
        log.info("shape: %s", json.dumps(shape, ensure_ascii=False))
        loading = await self.load_actuals(js, budget_db, history)
        self.note_load("after loading")
        moment = loading.pop("moment")
        sizes = await table_sizes(reporting_db)
        memory_after_load = self.reporting_rss_mb()

        now = await self.time_views("", lambda _: TARGET_P95_MS["now"])
        per_query = f"?per={moment.strftime('%Y-%m-%dT%H:%M:%S')}"
        per = await self.time_views(per_query, lambda _: TARGET_P95_MS["per"])
        per_in_effect = per.pop("_witness") != now.pop("_witness")
        built = await self.time_views("", built_target, built=True)
        built_per = await self.time_views(per_query, built_target, built=True)
        built.pop("_witness", None)
        built_per.pop("_witness", None)
        self.note_load("after the requests")

        found = {
            "shape": shape,
            "loading": loading,
            "views": now,
            "views_per": {
                "per": per_query.removeprefix("?per="),
                "per_in_effect": per_in_effect,
                "events_known_at_per": await events_known_at(budget_db, moment),
                **per,
            },
            # Each answer built from the read models, none given from those kept.
            "views_built": built,
            "views_per_built": built_per,
        }
        if not self.args.views_only:
            found["rebuild"] = await self.rebuild_against_raw_read(js, history)
        return {
            **found,
            "reporting_peak_rss_mb": {
                "after_loading": memory_after_load,
                "whole_run": self.reporting_rss_mb(),
            },
            "read_model_tables_after_loading": sizes,
            "rss_mb": self.running.monitor.peak_rss_mb(),
            "problems": self.problems,
            "machine": {
                "cpu_count": psutil.cpu_count(),
                "load": self.machine,
                "git": git_state(),
                "batch_size": self.args.batch_size or ServiceSettings().batch_size,
                "max_in_flight": self.args.max_in_flight,
            },
        }

    async def rebuild_against_raw_read(
        self, js: JetStreamContext, history: LedgerHistory
    ) -> dict[str, Any]:
        rebuild = await self.rebuild(js, history)
        raw = await self.raw_read(js)
        self.note_load("after the rebuild and the raw read")
        ratio = rebuild["events_per_second"] / raw["events_per_second"]
        return {
            **rebuild,
            "raw_read_events_per_second": raw["events_per_second"],
            "ratio": round(ratio, 4),
            "raw_read": raw,
        }

    # -- loading ---------------------------------------------------------------------------

    async def load_demo(self, js: JetStreamContext) -> list[str]:
        """The budget demo, then the goals and projects demo, as `up` sends them."""
        leaves = await load_budget_demo(self.running, js)
        passwords = self.running.users.passwords

        def password_for(system: str) -> SecretStr:
            return SecretStr(passwords[system])

        await load_goals_demo(self.running.nats_url, password_for)
        await load_projects_demo(self.running.nats_url, password_for)
        goals = goals_demo_count()
        deadline = time.monotonic() + 120
        while (shown := await asyncio.to_thread(self.goals_in_plan)) < goals:
            self.running.stack.check_alive()
            if time.monotonic() > deadline:
                raise RuntimeError(f"the plan shows {shown} of the demo's {goals} goals")
            await asyncio.sleep(0.2)
        log.info("goals and projects demo projected")
        return leaves

    def goals_in_plan(self) -> int:
        return goals_in_plan(self.running.stack)

    async def register_cost_centres(self, js: JetStreamContext) -> list[str]:
        commands = cost_centres(self.args.cost_centres)
        before, _ = await stream_state(js, subjects.BUDGET_EVENTS_STREAM)
        tally = AckTally()
        await publish_all(js, REGISTER_SUBJECT, map(as_message, commands), tally)
        if tally.acked != len(commands):
            self.problem(f"cost centres: publishes {tally} for {len(commands)} commands")
        await wait_until_projected(self.running, js, before + len(commands), "the cost centres")
        log.info("%d cost centres registered and projected", len(commands))
        return [command.unit_code for command in commands]

    async def load_actuals(
        self, js: JetStreamContext, budget_db: asyncpg.Connection, history: LedgerHistory
    ) -> dict[str, Any]:
        """Send every actuals command, note the moment half of them are stored, and wait
        until reporting has projected them all; then check what was stored and projected."""
        n = history.events
        initial, _ = await stream_state(js, subjects.BUDGET_EVENTS_STREAM)
        read_model = await ReadModel.open(self.running.database_urls["reporting"])
        tally = AckTally()
        cpu_before = self.running.monitor.cpu_seconds()
        started = time.perf_counter()
        log.info("loading %d actuals on %s", n, INBOUND_SUBJECT)
        publisher = asyncio.create_task(publish_all(js, INBOUND_SUBJECT, history.messages(), tally))
        halfway = asyncio.create_task(self.moment_when_stored(js, initial + n // 2))
        try:
            visible = await wait_until_visible(
                js,
                read_model,
                initial + n,
                started,
                self.running.stack.check_alive,
                self.args.stall_seconds,
                label="loading",
            )
            moment = await asyncio.wait_for(halfway, 5)
        finally:
            for task in (publisher, halfway):
                if not task.done():
                    task.cancel()
            await asyncio.gather(publisher, halfway, return_exceptions=True)
        cpu = cpu_used(cpu_before, self.running.monitor.cpu_seconds(), visible.elapsed)
        if not visible.complete:
            self.problem(
                f"loading: events stream holds {visible.messages - initial} of {n} actuals;"
                f" projected up to {visible.tracking} of {visible.last_seq}"
            )
        if tally.acked != n:
            self.problem(f"loading: publishes {tally} for {n} commands")
        for problem in await stored_problems(js, budget_db, n, "loading"):
            self.problem(problem)
        await self.check_actuals(read_model, history, "loading")
        await read_model.close()
        return {
            "moment": moment,
            "seconds": round(visible.elapsed, 1),
            "events_per_second": round(n / visible.elapsed, 1),
            **cpu,
        }

    async def moment_when_stored(self, js: JetStreamContext, messages: int) -> datetime:
        """The local time, to the second, when budget's events stream first holds
        ``messages``: what was stored after it was recorded after it."""
        while True:
            held, _ = await stream_state(js, subjects.BUDGET_EVENTS_STREAM)
            if held >= messages:
                break
            await asyncio.sleep(0.1)
        # Whole seconds, as a reader writes it; rounded down, so it is still before the rest.
        return datetime.now(STOCKHOLM).replace(microsecond=0)

    async def check_actuals(
        self, read_model: ReadModel, history: LedgerHistory, label: str
    ) -> None:
        expected = history.last_figures()
        actual = await read_model.actuals()
        wrong = [key for key, figures in expected.items() if actual.get(key) != figures]
        if wrong or len(actual) != len(expected):
            self.problem(
                f"{label}: read model has {len(actual)} actuals rows for {len(expected)} unit"
                f" months; {len(wrong)} differ from the last figure sent (e.g. {wrong[:3]})"
            )

    # -- the views -------------------------------------------------------------------------

    async def time_views(
        self, query: str, target_p95: Callable[[str], float], built: bool = False
    ) -> dict[str, Any]:
        """Each view in turn, sequentially, each against ``target_p95`` of its path; also
        the witness's last body, under _witness. ``built``: every answer built anew
        (``time_requests``), --built-requests of them."""
        stack = self.running.stack
        port = stack.port("reporting")
        count = self.args.built_requests if built else self.args.requests
        results: dict[str, Any] = {}
        for path in VIEWS:
            log.info("timing %d requests of %s%s (built: %s)", count, path, query, built)
            series = await asyncio.to_thread(
                time_requests,
                stack.settings.http_host,
                port,
                path + query,
                self.args.warm_up,
                count,
                built,
            )
            summary = series.summary(target_p95(path))
            log.info("%s%s: p50 %s ms, p95 %s ms", path, query, summary["p50"], summary["p95"])
            if set(series.statuses) != {200}:
                self.problem(f"{path}{query} answered {series.statuses}")
            results[path] = summary
            if path == PER_WITNESS:
                results["_witness"] = series.body_last
        return results

    # -- rebuild and the raw read ----------------------------------------------------------

    def reporting_settings(self) -> ReportingSettings:
        password = self.running.users.passwords["reporting"]
        return ReportingSettings(
            nats_url=self.running.nats_url,
            database_url=self.running.database_urls["reporting"],
            nats_user="reporting",
            nats_password=SecretStr(password),
            batch_size=self.args.batch_size or ServiceSettings().batch_size,
        )

    async def rebuild(self, js: JetStreamContext, history: LedgerHistory) -> dict[str, Any]:
        """ProjectionRunner.rebuild of the budget projection, as `kommunplan rebuild` runs it
        (here in this process), timed from its start to the switch and the old one dropped."""
        messages, _ = await stream_state(js, subjects.BUDGET_EVENTS_STREAM)
        process = await build(self.reporting_settings())
        # As the reporting process does before it serves (and so rebuilds).
        calm_collector()
        try:
            log.info("rebuilding the budget read models from %d events", messages)
            cpu_before = self.running.monitor.cpu_seconds()
            started = time.perf_counter()
            generation = await process.runner(BUDGET).rebuild(asyncio.Event())
            elapsed = time.perf_counter() - started
            cpu = cpu_used(cpu_before, self.running.monitor.cpu_seconds(), elapsed)
        finally:
            await process.close()
        log.info("rebuilt in %.1fs (%.0f events/s)", elapsed, messages / elapsed)
        read_model = await ReadModel.open(self.running.database_urls["reporting"])
        try:
            if read_model.schema != f"reporting_g{generation}":
                self.problem(f"rebuild: {read_model.schema} is active, not generation {generation}")
            await self.check_actuals(read_model, history, "rebuild")
        finally:
            await read_model.close()
        return {
            "events": messages,
            "seconds": round(elapsed, 2),
            "events_per_second": round(messages / elapsed, 1),
            "generation": generation,
            **cpu,
        }

    async def raw_read(self, js: JetStreamContext) -> dict[str, Any]:
        """A plain pull consumer reading every message of budget's events stream."""
        messages, _ = await stream_state(js, subjects.BUDGET_EVENTS_STREAM)
        durable = "bench-raw-read"
        batch_size = self.args.batch_size or ServiceSettings().batch_size
        log.info("raw read of %d events", messages)
        cpu_before = self.running.monitor.cpu_seconds()
        started = time.perf_counter()
        try:
            await consume_all(
                js,
                subjects.BUDGET_EVENTS_STREAM,
                subjects.BUDGET_EVENTS_SUBJECTS,
                durable,
                messages,
                batch_size,
            )
            elapsed = time.perf_counter() - started
            cpu = cpu_used(cpu_before, self.running.monitor.cpu_seconds(), elapsed)
        finally:
            await js.delete_consumer(subjects.BUDGET_EVENTS_STREAM, durable)
        log.info("raw read in %.1fs (%.0f events/s)", elapsed, messages / elapsed)
        return {
            "events": messages,
            "seconds": round(elapsed, 2),
            "events_per_second": round(messages / elapsed, 1),
            "method": "nats-py pull consumer, fetch in batches, an explicit ack per message",
            **cpu,
        }

    # -- memory ----------------------------------------------------------------------------

    def reporting_rss_mb(self) -> float:
        return self.running.monitor.peak_rss_mb()["reporting"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="actuals to load")
    parser.add_argument("--requests", type=int, default=1000, help="timed requests per view")
    parser.add_argument("--warm-up", type=int, default=20, help="untimed requests first")
    parser.add_argument(
        "--built-requests",
        type=int,
        default=200,
        help="timed requests per view that reporting must build anew (none kept)",
    )
    parser.add_argument("--cost-centres", type=int, default=400)
    parser.add_argument("--first-year", type=int, default=2001)
    parser.add_argument("--last-year", type=int, default=2011)
    parser.add_argument(
        "--views-only",
        action="store_true",
        help="time the views and leave out the rebuild and the raw read (3.)",
    )
    add_loading_arguments(parser, stall_seconds=120.0)
    # Many in flight: the loading is bound by the services, not by waiting for acks.
    parser.set_defaults(max_in_flight=4000)
    args = parser.parse_args(argv)
    if args.events < 1 or args.requests < 1 or args.built_requests < 1 or args.cost_centres < 0:
        parser.error("--events and --requests must be positive, --cost-centres not negative")
    if not args.first_year <= YEAR <= args.last_year:
        parser.error(f"the years must include {YEAR}, the year of the views")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    setup_logging(log)
    return run_on_stack(
        lambda running: FollowUpBench(args, running).run(), args.batch_size, SYSTEMS
    )


if __name__ == "__main__":
    sys.exit(main())
