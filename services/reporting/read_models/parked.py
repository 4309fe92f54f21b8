"""The parked events of every projection of reporting (plumbing.parking), for operators."""

from plumbing import parking
from plumbing.read_models import NotReady, ReadModels, ReadSession
from services.reporting.read_models.catalog import PROJECTIONS


async def parked_events(models: ReadModels) -> list[tuple[str, parking.ParkedRow]]:
    """The parked events of every projection's active generation: (projection, row)."""
    found: list[tuple[str, parking.ParkedRow]] = []
    for projection in PROJECTIONS:
        try:
            rows = await models.read(ReadSession.parked_listing, (projection.name,))
        except NotReady:
            continue
        found.extend((projection.name, row) for row in rows)
    return found


async def parked_counts(models: ReadModels) -> tuple[int, int]:
    """How many events are parked, and how many no operator has seen (0, 0 before any),
    over every projection."""
    parked = unseen = 0
    for projection in PROJECTIONS:
        try:
            counts = await models.read(ReadSession.parked_counts, (projection.name,))
        except NotReady:
            continue
        parked, unseen = parked + counts[0], unseen + counts[1]
    return parked, unseen


async def mark_parked_seen(models: ReadModels) -> int:
    marked = 0
    for projection in PROJECTIONS:
        try:
            marked += await models.read(ReadSession.mark_parked_seen, (projection.name,))
        except NotReady:
            continue
    return marked
