"""The ledger's RecordActuals commands as the ingest benchmarks send them (bench/ingest.py and
bench/telemetry_cost.py): made ahead, each with its key and its figures to check against."""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from uuid import uuid4

from contracts.budget.commands import RecordActuals

ACTOR = "ekonomisystem-import"
PERIODS = tuple(f"{year}-{month:02d}" for year in (2011, 2012) for month in range(1, 13))


@dataclass(frozen=True)
class Actuals:
    """One RecordActuals command as the ledger sends it: its id, its key, its JSON."""

    message_id: str
    unit_code: str
    period: str
    revenue: Decimal
    costs: Decimal
    body: bytes

    @property
    def key(self) -> tuple[str, str]:
        return self.unit_code, self.period


def _amount(rng: random.Random, max_kronor: int) -> Decimal:
    return Decimal(rng.randrange(0, max_kronor * 100)).scaleb(-2)  # exact, to the öre


def make_commands(count: int, units: Sequence[str], rng: random.Random) -> list[Actuals]:
    """``count`` commands cycling through every (unit, month) key; the last per key wins."""
    keys = [(unit, period) for period in PERIODS for unit in units]
    commands = []
    for i in range(count):
        unit, period = keys[i % len(keys)]
        revenue, costs = _amount(rng, 5_000_000), -_amount(rng, 8_000_000)
        command = RecordActuals(
            message_id=uuid4(),
            actor=ACTOR,
            unit_code=unit,
            period=period,
            revenue=str(revenue),  # type: ignore[arg-type]  # strings are how amounts travel
            costs=str(costs),  # type: ignore[arg-type]
        )
        commands.append(
            Actuals(
                str(command.message_id),
                unit,
                period,
                revenue,
                costs,
                command.model_dump_json().encode(),
            )
        )
    return commands


def last_per_key(commands: Sequence[Actuals]) -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
    return {c.key: (c.revenue, c.costs) for c in commands}
