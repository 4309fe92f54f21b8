"""Keeping the services of `kommunplan up` running, and saying when one is not ready."""

import logging
import time
from collections.abc import Callable

from kommunplan.readiness import ReadinessWatch, probe
from kommunplan.supervision import SupervisedProcess

log = logging.getLogger(__name__)

READINESS_EVERY = 2.0
# A process that has just been started is not expected to answer HTTP yet.
STARTUP_GRACE = 30.0


def keep_running(
    services: dict[str, SupervisedProcess], url: Callable[[str], str], stopping: Callable[[], bool]
) -> None:
    """Restart the services that exit, and say when one stops or starts being ready."""
    watches = {name: ReadinessWatch(name) for name in services}
    next_probe = 0.0
    while not stopping():
        now = time.monotonic()
        for name, service in services.items():
            if (line := service.tick(now)) is not None:
                print(line, flush=True)
                watches[name].restarted()
        if now >= next_probe:
            next_probe = now + READINESS_EVERY
            for name, service in services.items():
                _probe(url(name), service, watches[name], now)
        time.sleep(0.2)


def _probe(url: str, service: SupervisedProcess, watch: ReadinessWatch, now: float) -> None:
    if service.restart_at is not None:
        return
    readiness = probe(url)
    if not readiness.answered and now - service.started_at < STARTUP_GRACE:
        return
    if (line := watch.observe(readiness)) is not None:
        log.info("%s", line)
        print(line, flush=True)
