"""A service process kept running: restarted after an unexpected exit, with backoff.

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

    def start(self, now: float) -> None:
        self.process = self.launch()
        self.started_at = now
        self.restart_at = None

    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def tick(self, now: float) -> str | None:
        """Restart when the delay is over, or notice an exit and set the delay.

        Returns a line for the operator when something happened.
        """
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.start(now)
                self.restarts += 1
                log.info("%s restarted (restart %d)", self.name, self.restarts)
            return None
        code = self.exit_code()
        if code is None:
            return None
        delay = self.backoff.delay_after_exit(ran_for=now - self.started_at)
        self.restart_at = now + delay
        log.warning(
            "%s exited with code %s after %.1f s; restarting in %g s (output in %s)",
            self.name, code, now - self.started_at, delay, self.log_path,
        )  # fmt: skip
        return f"{self.name} avslutades oväntat (kod {code}); startas om om {delay:g} s"

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
