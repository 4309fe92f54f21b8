"""Keeping the services of `kommunplan up` and its own servers running, and saying when a
service is not ready."""

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from kommunplan.readiness import Readiness, ReadinessWatch, probe
from kommunplan.supervision import SupervisedProcess

log = logging.getLogger(__name__)

# Each probe costs every service a request with a round trip to NATS and PostgreSQL;
# asking a ready service seldom is what keeps an idle stack quiet (bench/idle_cpu.py). It
# was every 10 s for every service; a service not ready, or started again, is asked more
# often, so that it is said to be ready again as soon as it is.
READINESS_EVERY = 30.0
UNREADY_EVERY = 5.0
# Longer than a service's own checks take to give up (2 s each, one after another), so
# that we hear why it is not ready rather than only that it did not answer.
PROBE_TIMEOUT = 10.0
# How often exits are looked for: a restart waits at least a second anyway.
TICK_SECONDS = 1.0
# A process that has just been started is not expected to answer HTTP yet.
STARTUP_GRACE = 30.0


def keep_running(
    services: dict[str, SupervisedProcess],
    servers: dict[str, SupervisedProcess],
    url: Callable[[str], str],
    stopping: Callable[[], bool],
) -> None:
    """Restart the servers and services that exit, and say when a service stops or starts
    being ready. Nothing is started again once ``stopping`` says so."""
    watches = {name: ReadinessWatch(name) for name in services}
    # A service's own checks may take seconds to time out: ask in the background, so a slow
    # answer neither hides its reasons behind our timeout nor delays noticing an exit.
    pool = ThreadPoolExecutor(max_workers=max(1, len(services)))
    asking: dict[str, Future[Readiness]] = {}
    next_probe = dict.fromkeys(services, 0.0)
    try:
        while not stopping():
            _restart_exited_servers(servers, stopping)
            now = time.monotonic()
            for name in _restart_exited(services, watches, now, stopping):
                next_probe[name] = now + UNREADY_EVERY
            for name, answer in list(asking.items()):
                if answer.done():
                    del asking[name]
                    readiness = answer.result()
                    _report(services[name], watches[name], readiness, now)
                    every = READINESS_EVERY if readiness.ready else UNREADY_EVERY
                    next_probe[name] = now + every
            for name, service in services.items():
                due = now >= next_probe[name]
                if due and name not in asking and service.restart_at is None:
                    asking[name] = pool.submit(probe, url(name), PROBE_TIMEOUT)
            time.sleep(TICK_SECONDS)
    finally:
        # An answer still on its way is not worth delaying Ctrl-C for.
        pool.shutdown(wait=False, cancel_futures=True)


def _restart_exited_servers(
    servers: dict[str, SupervisedProcess], stopping: Callable[[], bool]
) -> None:
    # A server's start returns once it is ready, which may take seconds (PostgreSQL recovers
    # from its WAL), so each is given the time of its own turn.
    for server in servers.values():
        if stopping():
            return
        if (line := server.tick(time.monotonic())) is not None:
            log.info("%s", line)
            print(line, flush=True)


def _restart_exited(
    services: dict[str, SupervisedProcess],
    watches: dict[str, ReadinessWatch],
    now: float,
    stopping: Callable[[], bool],
) -> list[str]:
    """Restart the services whose delay is over, and say which exited or were restarted."""
    changed = []
    for name, service in services.items():
        if stopping():
            break
        if (line := service.tick(now)) is not None:
            print(line, flush=True)
            watches[name].restarted()
            changed.append(name)
    return changed


def _report(
    service: SupervisedProcess, watch: ReadinessWatch, readiness: Readiness, now: float
) -> None:
    if service.restart_at is not None:
        return  # the exit has been reported; this answer is about the process that ended
    if not readiness.answered and now - service.started_at < STARTUP_GRACE:
        return
    if (line := watch.observe(readiness)) is not None:
        log.info("%s", line)
        print(line, flush=True)
