"""Waiting, briefly, until what a form stored is in the read models, so the page the person
is sent back to shows it: the service stores at once, reporting takes it in a moment later
from the service's events."""

import asyncio
import time
from collections.abc import Sequence

from plumbing.read_models import NotReady, ReadModels, ReadSession
from services.reporting.operations.journey_read import projection_of

WAIT_SECONDS = 5.0


async def until_shown(models: ReadModels, service: str, event_ids: Sequence[str]) -> bool:
    """Whether reporting has taken in every one of ``event_ids`` (events of ``service``)
    within WAIT_SECONDS; the page is shown either way, as it then stands."""
    reads = projection_of(service)
    if reads is None or not event_ids:
        return False

    async def taken(session: ReadSession) -> bool:
        found = await session.fetchval(
            "SELECT count(*) FROM applied_events WHERE event_id = ANY($1::uuid[])",
            list(event_ids),
        )
        return int(found) >= len(event_ids)

    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            if await models.read(taken, (reads.name,)):
                return True
        except NotReady:
            pass
        await asyncio.sleep(0.2)
    return False
