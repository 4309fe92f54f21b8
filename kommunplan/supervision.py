"""A process kept running: restarted after an unexpected exit, with backoff. `kommunplan up`
keeps its services so, and the NATS and PostgreSQL servers it started itself.

Nothing here reads the clock or sleeps: the caller passes the time in, so the policy can be
tested with made-up times and the launcher decides how often to look.
"""

import logging
import signal
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)


class Process(Protocol):
    """The part of ``subprocess.Popen`` supervision uses."""

    @property
    def pid(self) -> int: ...

    def poll(self) -> int | None: ...

    def send_signal(self, sig: int) -> None: ...

    def wait(self, timeout: float | None = None) -> int: ...

    def kill(self) -> None: ...


@dataclass
class Backoff:
    """Delays before restarts: ``first`` doubling up to ``longest``; a process that ran for
    ``steady_after`` seconds before exiting counts as healthy again and starts over."""

    first: float = 1.0
    longest: float = 30.0
    steady_after: float = 60.0
    _exits_in_a_row: int = 0

    def delay_after_exit(self, ran_for: float) -> float:
        if ran_for >= self.steady_after:
            self._exits_in_a_row = 0
        # The exponent stops growing once the cap is reached, so it never overflows a float.
        delay = min(self.first * 2.0 ** min(self._exits_in_a_row, 32), self.longest)
        self._exits_in_a_row += 1
        return delay


def by_code(code: int) -> str | None:
    """How a service's exit is told: by its code as Popen gives it."""
    return f"kod {code}"


def by_signal_or_code(code: int) -> str | None:
    """How a server's exit is told: killed by a signal (which Popen gives as a negative
    code), or the code it exited with; None when that is not known (above 255)."""
    if code < 0:
        return f"signal {-code}"
    return f"kod {code}" if code <= 255 else None


@dataclass
class SupervisedProcess:
    name: str
    launch: Callable[[], Process]
    log_path: Path
    backoff: Backoff = field(default_factory=Backoff)
    process: Process | None = None
    started_at: float = 0.0
    restart_at: float | None = None
    restarts: int = 0
    describe_exit: Callable[[int], str | None] = by_code
    # Said once a restart has succeeded, for a process whose launch returns only when it is
    # ready (a server); a service's readiness is asked separately.
    back_again: str | None = None

    def start(self, now: float) -> None:
        self.watch(self.launch(), now)

    def watch(self, process: Process, now: float) -> None:
        """Supervise ``process``, started by someone else (a server started with the rest)."""
        self.process = process
        self.started_at = now
        self.restart_at = None

    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def tick(self, now: float) -> str | None:
        """Restart when the delay is over, or notice an exit and set the delay.

        Returns a line for the operator when something happened.
        """
        if self.restart_at is not None:
            return self._restart(now) if now >= self.restart_at else None
        code = self.exit_code()
        if code is None:
            return None
        delay = self._delay(now)
        log.warning(
            "%s exited with code %s after %.1f s; restarting in %g s (output in %s)",
            self.name, code, now - self.started_at, delay, self.log_path,
        )  # fmt: skip
        cause = self.describe_exit(code)
        how = "" if cause is None else f" ({cause})"
        return f"{self.name} avslutades oväntat{how}; startas om om {delay:g} s"

    def _delay(self, now: float) -> float:
        delay = self.backoff.delay_after_exit(ran_for=now - self.started_at)
        self.restart_at = now + delay
        return delay

    def _restart(self, now: float) -> str | None:
        self.restarts += 1
        try:
            self.start(now)
        # Whatever went wrong, supervision goes on: the next attempt may well succeed.
        except Exception:
            self.started_at = now
            delay = self._delay(now)
            log.exception("%s could not be started (restart %d)", self.name, self.restarts)
            return f"{self.name} kunde inte startas; nytt försök om {delay:g} s (se up.log)"
        log.info("%s restarted (restart %d)", self.name, self.restarts)
        return self.back_again

    def terminate(self) -> None:
        """Ask the process to stop; a pending restart is dropped."""
        self.restart_at = None
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def wait(self, timeout: float) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            log.warning("%s did not stop within %g s; killing it", self.name, timeout)
            self.process.kill()
            self.process.wait()
