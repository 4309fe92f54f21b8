"""What an operator may do from the operators' view: replay or skip a parked event, rebuild
the read models. Each action is recorded with who did it and how it went (actions)."""

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from plumbing.database import Connection
from plumbing.identity import Principal
from plumbing.projection import ProjectionRunner
from plumbing.read_models import ReadModels
from services.reporting.operations import actions
from services.reporting.operations.sources import REPORTING, Sources
from services.reporting.read_models.parked import mark_parked_seen, parked_events
from services.reporting.reports.shared.refusals import NotFound

Rebuild = Callable[[], Awaitable[list[tuple[str, int | None]]]]


class Busy(Exception):
    """The action cannot be taken now; the message says why, in Swedish (409)."""


@dataclass
class Operator:
    models: ReadModels
    sources: Sources
    runners: Mapping[str, ProjectionRunner]  # by projection name (read_models.sources)
    rebuild_all: Rebuild
    trace_url: str | None = None
    _rebuilding: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def _record(self, who: Principal, action: str, target: str, outcome: str) -> None:
        async def write(conn: Connection) -> None:
            await actions.record(conn, who, action, target, outcome)

        await self.sources.read(REPORTING, write)

    async def _parked(self, projection: str, sequence: int) -> ProjectionRunner:
        runner = self.runners.get(projection)
        if runner is None:
            raise NotFound(f"Projektionen {projection} finns inte")
        if (projection, sequence) not in {
            (p, r.sequence) for p, r in await parked_events(self.models)
        }:
            raise NotFound(f"Ingen händelse nr {sequence} är parkerad i {projection}")
        return runner

    async def replay(self, who: Principal, projection: str, sequence: int) -> str:
        """Apply the parked event again, after a fix; what happened, in Swedish."""
        runner = await self._parked(projection, sequence)
        applied, _ = await runner.replay_parked([sequence])
        outcome = "inläst" if applied else "parkerad igen (se orsaken)"
        await self._record(who, actions.REPLAY, f"{projection}:{sequence}", outcome)
        return outcome

    async def replay_all(self, who: Principal) -> list[tuple[str, int, int]]:
        """Apply every parked event again, projection by projection: (projection, applied,
        still parked)."""
        replayed = []
        for projection, runner in self.runners.items():
            applied, still = await runner.replay_parked()
            replayed.append((projection, applied, still))
        outcome = ", ".join(f"{p}: {a} inlästa, {s} kvar" for p, a, s in replayed)
        await self._record(who, actions.REPLAY, "alla parkerade", outcome)
        return replayed

    async def skip(self, who: Principal, projection: str, sequence: int) -> str:
        """Take the parked event off the list unapplied; what happened, in Swedish."""
        runner = await self._parked(projection, sequence)
        skipped = await runner.skip_parked(sequence)
        outcome = "överhoppad" if skipped else "fanns inte längre"
        await self._record(who, actions.SKIP, f"{projection}:{sequence}", outcome)
        return outcome

    async def mark_seen(self, who: Principal) -> int:
        """Mark every parked event seen (then /ready no longer names them); how many."""
        marked = await mark_parked_seen(self.models)
        await self._record(who, actions.SEEN, "alla parkerade", f"{marked} markerade")
        return marked

    async def rebuild(self, who: Principal) -> list[tuple[str, int | None]]:
        """Rebuild every projection's read models from its stream while the views serve."""
        if self._rebuilding.locked():
            raise Busy("En ombyggnad pågår redan; vänta tills den är klar")
        async with self._rebuilding:
            rebuilt = await self.rebuild_all()
        outcome = ", ".join(
            f"{label}: {'ingen ström än' if generation is None else f'generation {generation}'}"
            for label, generation in rebuilt
        )
        await self._record(who, actions.REBUILD, "alla projektioner", outcome)
        return rebuilt
