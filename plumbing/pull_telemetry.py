"""What the pull loop (plumbing.jetstream) tells operators of each consumer: a process span per
message, a log line per batch, and its metrics (messages handled, how long a batch took, how far
behind it is, and what JetStream says is pending and unacknowledged)."""

import contextlib
import logging
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind

from plumbing import logs, telemetry
from plumbing.delivery_sequence import stream_sequence
from plumbing.metrics import instruments

log = logging.getLogger("kommunplan.consumer")

# How often, at most, the consumer's own counts are asked of JetStream: as often as
# Prometheus commonly scrapes, not at each of an idle consumer's pulls.
CONSUMER_INFO_SECONDS = 15.0


class PullTelemetry:
    def __init__(self, stream: str, durable: str) -> None:
        self._stream = stream
        self._durable = durable
        self._attributes = {
            "messaging.system": "nats",
            "messaging.destination.name": stream,
            "messaging.consumer.group.name": durable,
        }
        self._tracer = telemetry.tracer("plumbing.jetstream")
        self._asked = 0.0
        # JetStream last said nothing waited or was unacknowledged, and nothing came since:
        # an idle consumer's counts are not asked again until something does.
        self._quiet = False

    def processing(self, msgs: Sequence[Msg]) -> list[Span]:
        """A process span per message, child of the context it was sent with (or the start of
        its trace); each message's ``traceparent`` header now names its span, so what handles
        it continues the trace from there. A message in a trace that is not sampled keeps its
        context as it came (telemetry.worth_a_span)."""
        spans = []
        name = f"process {self._stream}"
        for msg in msgs:
            if not telemetry.worth_a_span(msg.headers):
                continue
            attributes = None
            if "traceparent" not in (msg.headers or {}):
                started = telemetry.unsampled_start(name)
                if started is not None:
                    msg.headers = {**(msg.headers or {}), **started}
                    continue
                attributes = {telemetry.KEEP: True}  # the sampler chose this trace already
            span = self._tracer.start_span(
                name,
                context=telemetry.extract(msg.headers),
                kind=SpanKind.CONSUMER,
                attributes=attributes,
            )
            if span.is_recording():
                span.set_attributes(self._attributes)
                span.set_attribute(
                    "messaging.message.id", (msg.headers or {}).get("Nats-Msg-Id", "")
                )
                span.set_attribute("messaging.operation.type", "process")
            headers = dict(msg.headers or {})
            headers.pop("tracestate", None)
            telemetry.inject(headers, trace.set_span_in_context(span))
            msg.headers = headers
            spans.append(span)
        return spans

    @contextlib.contextmanager
    def receiving(self, count: int) -> Iterator[None]:
        """A receive span for the batch, current while it is handled, so what the handler
        asks of PostgreSQL is traced under it (a trace of its own: the batch's messages each
        have theirs)."""
        with self._tracer.start_as_current_span(
            f"receive {self._stream}",
            kind=SpanKind.CONSUMER,
            attributes={
                **self._attributes,
                "messaging.operation.type": "receive",
                "messaging.batch.message_count": count,
            },
        ):
            yield

    def handled(
        self, msgs: Sequence[Msg], spans: Sequence[Span], seconds: float, pending: int | None
    ) -> None:
        for span in spans:
            span.end()
        counters = instruments()
        counters.consumed.add(len(msgs), self._attributes)
        counters.process_duration.record(seconds, self._attributes)
        if pending is not None:
            counters.consumer_lag.set(pending, self._attributes)
            behind = 0.0
            stored = msgs[-1].metadata.timestamp if pending > 0 else None
            if stored is not None:
                behind = max((datetime.now(UTC) - stored).total_seconds(), 0.0)
            counters.consumer_lag_age.set(behind, self._attributes)
        logs.record(
            log,
            "batch",
            f"{self._durable}: {len(msgs)} handled",
            trace_id=telemetry.trace_id_of((msgs[0].headers or {}).get("traceparent"))
            if len(msgs) == 1
            else None,
            message_id=(msgs[0].headers or {}).get("Nats-Msg-Id") if len(msgs) == 1 else None,
            consumer=self._durable,
            stream=self._stream,
            messages=len(msgs),
            first_sequence=stream_sequence(msgs[0]),
            last_sequence=stream_sequence(msgs[-1]),
            duration_ms=round(seconds * 1000, 2),
            pending=pending,
        )

    def delivered(self) -> None:
        """Messages came (handled, or redelivered and passed over): JetStream's counts move."""
        self._quiet = False

    def caught_up(self) -> None:
        """Nothing waits: the lag is none."""
        counters = instruments()
        counters.consumer_lag.set(0, self._attributes)
        counters.consumer_lag_age.set(0.0, self._attributes)

    async def ask_consumer(self, js: JetStreamContext, consumer: str) -> None:
        """The consumer's pending and unacknowledged messages, as JetStream counts them, every
        few seconds while it works; a failure to ask is left for the next time."""
        if self._quiet or time.monotonic() - self._asked < CONSUMER_INFO_SECONDS:
            return
        self._asked = time.monotonic()
        try:
            info = await js.consumer_info(self._stream, consumer)
        except Exception as error:
            log.debug("consumer info of %s: %r", consumer, error)
            return
        pending, ack_pending = int(info.num_pending or 0), int(info.num_ack_pending or 0)
        self._quiet = pending == 0 and ack_pending == 0
        counters = instruments()
        counters.consumer_pending.set(pending, self._attributes)
        counters.consumer_ack_pending.set(ack_pending, self._attributes)
