"""The process's metrics: their names in one place, and /metrics for Prometheus.

Names follow the OpenTelemetry semantic conventions where one exists
(``http.server.request.duration`` comes from the FastAPI instrumentation,
``db.client.operation.duration``, ``db.client.connection.count``,
``messaging.client.sent.messages``, ``messaging.client.consumed.messages``,
``messaging.process.duration``); the rest are ours, under ``kommunplan.``. The Prometheus
exporter writes dots as underscores, adds the unit (``_seconds``) and ``_total`` to counters.

Instruments are made on first use, from the meter provider plumbing.telemetry.setup
installed (a no-op one before that, as in unit tests), never at import.
"""

import functools
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
from fastapi import FastAPI, Response, params
from opentelemetry import metrics
from opentelemetry.metrics import CallbackOptions, Observation
from opentelemetry.metrics import _Gauge as Gauge  # the API's synchronous gauge, not yet renamed

# Seconds, from a millisecond to a minute: the semantic conventions' advice for durations.
DURATION_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10, 60)


@dataclass(frozen=True)
class Instruments:
    commands_accepted: metrics.Counter
    commands_refused: metrics.Counter
    events_appended: metrics.Counter
    sent: metrics.Counter
    consumed: metrics.Counter
    process_duration: metrics.Histogram
    db_duration: metrics.Histogram
    outbox_backlog: Gauge
    outbox_oldest_age: Gauge
    consumer_lag: Gauge
    consumer_lag_age: Gauge
    consumer_pending: Gauge
    consumer_ack_pending: Gauge
    parked: Gauge


# Recorded by the FastAPI instrumentation (plumbing.telemetry.instrument_app), not here.
HTTP_SERVER_DURATION = "http.server.request.duration"


@functools.cache
def instruments() -> Instruments:
    """The process's instruments, from the meter provider plumbing.telemetry installed."""
    return make_instruments(metrics.get_meter("kommunplan"))


def make_instruments(meter: metrics.Meter) -> Instruments:
    return Instruments(
        commands_accepted=meter.create_counter(
            "kommunplan.commands.accepted",
            "{command}",
            "Commands stored, by service, sending system and command",
        ),
        commands_refused=meter.create_counter(
            "kommunplan.commands.refused",
            "{command}",
            "Commands refused, by service, sending system, command and reason class",
        ),
        events_appended=meter.create_counter(
            "kommunplan.events.appended", "{event}", "Events appended to the event store"
        ),
        sent=meter.create_counter(
            "messaging.client.sent.messages", "{message}", "Messages published to JetStream"
        ),
        consumed=meter.create_counter(
            "messaging.client.consumed.messages", "{message}", "Messages handled by a consumer"
        ),
        process_duration=meter.create_histogram(
            "messaging.process.duration",
            "s",
            "How long a consumer took to handle a batch",
            explicit_bucket_boundaries_advisory=DURATION_BUCKETS,
        ),
        db_duration=meter.create_histogram(
            "db.client.operation.duration",
            "s",
            "PostgreSQL statements, by operation",
            explicit_bucket_boundaries_advisory=DURATION_BUCKETS,
        ),
        outbox_backlog=meter.create_gauge(
            "kommunplan.outbox.backlog", "{event}", "Events stored but not yet published"
        ),
        outbox_oldest_age=meter.create_gauge(
            "kommunplan.outbox.oldest_age", "s", "How long the oldest unpublished event waits"
        ),
        consumer_lag=meter.create_gauge(
            "kommunplan.consumer.lag", "{message}", "Messages of the stream not yet handled"
        ),
        consumer_lag_age=meter.create_gauge(
            "kommunplan.consumer.lag_age",
            "s",
            "How long ago the last handled message was stored, while more wait (0: caught up)",
        ),
        consumer_pending=meter.create_gauge(
            "kommunplan.jetstream.consumer.pending",
            "{message}",
            "The JetStream consumer's messages not yet delivered",
        ),
        consumer_ack_pending=meter.create_gauge(
            "kommunplan.jetstream.consumer.ack_pending",
            "{message}",
            "The JetStream consumer's messages delivered and not yet acknowledged",
        ),
        parked=meter.create_gauge(
            "kommunplan.parked.events", "{event}", "Events parked by a projection"
        ),
    )


def add_metrics_route(
    app: FastAPI,
    refresh: Sequence[Callable[[], Awaitable[None]]] = (),
    guard: Sequence[params.Depends] = (),
) -> None:
    """GET /metrics: the process's metrics in Prometheus' text format, after each of
    ``refresh`` has set the gauges it keeps (counted when asked, not on a timer). ``guard``:
    who may read them, where the port is one the public reaches."""
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

    @app.get("/metrics", tags=["drift"], include_in_schema=False, dependencies=list(guard))
    async def prometheus_metrics() -> Response:
        for gauges in refresh:
            await gauges()
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


def observe_pool(pool: asyncpg.Pool, name: str, meter: metrics.Meter | None = None) -> None:
    """db.client.connection.count (used, idle) and .max of ``pool``, read when scraped."""
    attributes = {"db.client.connection.pool.name": name}

    def count(_: CallbackOptions) -> Iterable[Observation]:
        size, idle = pool.get_size(), pool.get_idle_size()
        yield Observation(size - idle, {**attributes, "db.client.connection.state": "used"})
        yield Observation(idle, {**attributes, "db.client.connection.state": "idle"})

    def most(_: CallbackOptions) -> Iterable[Observation]:
        yield Observation(pool.get_max_size(), attributes)

    meter = meter or metrics.get_meter("kommunplan")
    meter.create_observable_up_down_counter(
        "db.client.connection.count", [count], "{connection}", "Connections of the pool"
    )
    meter.create_observable_up_down_counter(
        "db.client.connection.max", [most], "{connection}", "The pool's most connections"
    )


def time_queries(conn: "asyncpg.Connection[Any]") -> None:
    """Record each statement's duration on ``conn`` as db.client.operation.duration."""
    histogram = instruments().db_duration

    def logged(query: Any) -> None:
        operation = query.query.lstrip().split(None, 1)[0].upper() if query.query else "?"
        histogram.record(
            query.elapsed,
            {"db.system.name": "postgresql", "db.operation.name": operation[:16]},
        )

    conn.add_query_logger(logged)
