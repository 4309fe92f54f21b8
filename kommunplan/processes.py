"""The processes `kommunplan up` starts, what each runs, and whose database it uses.

Its own module so that the command line and the launcher both read it without importing
each other; a service's code is imported only when that process is chosen.
"""

import importlib
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from contracts.write_services import WRITE_SERVICES
from plumbing.settings import ServiceSettings


@dataclass(frozen=True)
class Process:
    """A process: its settings class, read from the environment when it starts, and its
    main, given those settings."""

    settings: type[ServiceSettings]
    main: Callable[[Any], Coroutine[Any, Any, None]]

    def start(self) -> Coroutine[Any, Any, None]:
        return self.main(self.settings())


def _write_service(service: str, relay: bool) -> Callable[[], Process]:
    """The service's process or its relay's, from ``services.<service>.bootstrap``'s parts
    (plumbing.write_service), imported when it is asked for."""

    def load() -> Process:
        from plumbing import write_service

        parts = importlib.import_module(f"services.{service}.bootstrap").PARTS
        run = write_service.run_relay if relay else write_service.run
        return Process(parts.settings, lambda settings: run(parts, settings))

    return load


def _reporting() -> Process:
    from services.reporting.bootstrap import run
    from services.reporting.settings import ReportingSettings

    return Process(ReportingSettings, run)


# Each write service runs as two processes: the service, and its outbox relay, which reads
# the same database.
SERVICES: dict[str, Callable[[], Process]] = {
    **{
        name: loader
        for service in WRITE_SERVICES
        for name, loader in (
            (service.name, _write_service(service.name, relay=False)),
            (f"{service.name}-relay", _write_service(service.name, relay=True)),
        )
    },
    "reporting": _reporting,
}

DATABASES = {
    **{
        name: service.name
        for service in WRITE_SERVICES
        for name in (service.name, f"{service.name}-relay")
    },
    "reporting": "reporting",
}
