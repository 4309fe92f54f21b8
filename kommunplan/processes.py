"""The processes `kommunplan up` starts, what each runs, and whose database it uses.

Its own module so that the command line and the launcher both read it without importing
each other; a service's code is imported only when that process is chosen.
"""

import importlib
from collections.abc import Callable, Coroutine
from typing import Any

from contracts.write_services import WRITE_SERVICES
from plumbing.settings import ServiceSettings

Run = Callable[[ServiceSettings], Coroutine[Any, Any, None]]


def _from_bootstrap(service: str, function: str) -> Callable[[], Run]:
    """``function`` of ``services.<service>.bootstrap``, imported when it is asked for."""

    def load() -> Run:
        run: Run = getattr(importlib.import_module(f"services.{service}.bootstrap"), function)
        return run

    return load


# Each write service runs as two processes: the service, and its outbox relay, which reads
# the same database.
SERVICES: dict[str, Callable[[], Run]] = {
    **{
        name: loader
        for service in WRITE_SERVICES
        for name, loader in (
            (service.name, _from_bootstrap(service.name, "run")),
            (f"{service.name}-relay", _from_bootstrap(service.name, "run_relay")),
        )
    },
    "reporting": _from_bootstrap("reporting", "run"),
}

DATABASES = {
    **{
        name: service.name
        for service in WRITE_SERVICES
        for name in (service.name, f"{service.name}-relay")
    },
    "reporting": "reporting",
}
