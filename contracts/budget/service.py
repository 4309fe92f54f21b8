"""The budget service's contract."""

from contracts.budget.commands import BUDGET_COMMANDS
from contracts.budget.events import BUDGET_EVENTS
from contracts.service import WriteService

BUDGET = WriteService(
    name="budget", title="budgettjänsten", commands=BUDGET_COMMANDS, events=BUDGET_EVENTS
)
