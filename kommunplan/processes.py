"""The processes `kommunplan up` starts, what each runs, and whose database it uses.

Its own module so that the command line and the launcher both read it without importing
each other; a service's code is imported only when that process is chosen.
"""

from collections.abc import Callable, Coroutine
from typing import Any

from plumbing.settings import ServiceSettings

Run = Callable[[ServiceSettings], Coroutine[Any, Any, None]]


def _budget() -> Run:
    from services.budget.bootstrap import run

    return run


def _budget_relay() -> Run:
    from services.budget.bootstrap import run_relay

    return run_relay


def _reporting() -> Run:
    from services.reporting.bootstrap import run

    return run


SERVICES: dict[str, Callable[[], Run]] = {
    "budget": _budget,
    "budget-relay": _budget_relay,
    "reporting": _reporting,
}

# The relay is the budget service's second process: it reads the budget database.
DATABASES = {"budget": "budget", "budget-relay": "budget", "reporting": "reporting"}
