"""The goals service's contract; it learns the organisation tree from budget's events."""

from contracts.budget.service import BUDGET
from contracts.budget.tree import TREE_EVENTS
from contracts.goals.commands import GOALS_COMMANDS
from contracts.goals.events import GOALS_EVENTS
from contracts.service import Learns, WriteService

GOALS = WriteService(
    name="goals",
    title="måltjänsten",
    commands=GOALS_COMMANDS,
    events=GOALS_EVENTS,
    learns=(Learns(BUDGET, TREE_EVENTS),),
)
