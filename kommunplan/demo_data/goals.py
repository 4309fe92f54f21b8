"""The demo's goals as the code around them names them: the commands of goals.jsonl beside this
module (read and validated by kommunplan.demo_data), the catalogue apart from the values."""

from contracts.envelope import Command
from contracts.goals.commands import RecordMeasurement
from contracts.goals.service import GOALS
from kommunplan.demo_data import commands


def goals_demo_commands() -> list[Command]:
    """The catalogue: perspectives, goals, commitments, indicators and notes."""
    return [c for c in commands(GOALS) if not isinstance(c, RecordMeasurement)]


def goals_demo_measurements() -> list[Command]:
    """The values the seed states."""
    return [c for c in commands(GOALS) if isinstance(c, RecordMeasurement)]
