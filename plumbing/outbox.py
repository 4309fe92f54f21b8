"""The outbox relay: publishes stored events to the service's JetStream stream, in order."""

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

import asyncpg
from nats.js import JetStreamContext

from plumbing import telemetry
from plumbing.locks import sole_worker

log = logging.getLogger(__name__)

# One relay per database publishes; others stand by. Publishing in position order is what
# keeps each stream's events in version order on NATS (a stream's version n+1 is only
# written after version n has committed, so it always has the higher position).

_SELECT_BATCH = """
SELECT e.position, e.event_id, e.stream_id, e.version, e.event_type, e.schema_version,
       e.payload, e.metadata, e.recorded_at
FROM outbox o JOIN events e USING (position)
ORDER BY o.position
LIMIT $1
"""


def event_message(row: asyncpg.Record) -> tuple[bytes, dict[str, Any]]:
    """The EventMessage JSON (envelope + payload) for a stored event, and its metadata."""
    metadata: dict[str, Any] = json.loads(row["metadata"])
    envelope = {
        "event_id": str(row["event_id"]),
        "event_type": row["event_type"],
        "schema_version": row["schema_version"],
        "stream_id": row["stream_id"],
        "version": row["version"],
        "occurred_at": metadata["occurred_at"],
        "recorded_at": row["recorded_at"].isoformat(),
        "source_system": metadata["source_system"],
        "actor": metadata["actor"],
        "correlation_id": metadata["correlation_id"],
        "causation_id": metadata["causation_id"],
        "traceparent": metadata.get("traceparent"),
        "tracestate": metadata.get("tracestate"),
    }
    # The payload is already JSON text from the database; splice it in rather than
    # parsing and dumping it again on the hot path.
    body = '{"envelope":' + json.dumps(envelope) + ',"payload":' + row["payload"] + "}"
    return body.encode(), metadata


class OutboxRelay:
    def __init__(
        self,
        pool: asyncpg.Pool,
        js: JetStreamContext,
        subject_for: Callable[[str], str],
        batch_size: int = 500,
        idle_sleep_seconds: float = 0.02,
    ) -> None:
        self._pool = pool
        self._js = js
        self._subject_for = subject_for
        self._batch_size = batch_size
        self._idle_sleep = idle_sleep_seconds
        self._tracer = telemetry.tracer("plumbing.outbox")

    async def run(self, stop: asyncio.Event) -> None:
        async with sole_worker(self._pool, "outbox-relay", stop) as relaying:
            while relaying and not stop.is_set():
                try:
                    relayed = await self.relay_once()
                except Exception:
                    log.exception("outbox relay failed; retrying")
                    await asyncio.sleep(1.0)
                    continue
                if relayed == 0:
                    await asyncio.sleep(self._idle_sleep)

    async def relay_once(self) -> int:
        """Publish one batch and remove it from the outbox once JetStream acknowledged all."""
        rows = await self._pool.fetch(_SELECT_BATCH, self._batch_size)
        if not rows:
            return 0
        acks = []
        for row in rows:
            body, metadata = event_message(row)
            parent = telemetry.extract(metadata)
            with self._tracer.start_as_current_span(f"publish {row['event_type']}", context=parent):
                headers = {"Nats-Msg-Id": str(row["event_id"])}
                telemetry.inject(headers)
                acks.append(
                    await self._js.publish_async(
                        self._subject_for(row["event_type"]), body, headers=headers
                    )
                )
        await asyncio.gather(*acks)
        await self._pool.execute(
            "DELETE FROM outbox WHERE position = ANY($1::bigint[])",
            [r["position"] for r in rows],
        )
        return len(rows)
