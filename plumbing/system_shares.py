"""Each sending system's share of what a service takes in over NATS, in bytes per hour.

The inbound stream has a byte limit of its own (plumbing.write_service.streams), which keeps
the disk from filling; this keeps one system from taking that room, and the service's time,
from the others: what a system sends beyond its share within the last hour is refused with
the reason, and its room is given back as the refused messages are let go.
"""

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

WINDOW_SECONDS = 3600.0

OVER_SHARE = (
    "systemet {system!r} har skickat {sent} byte till {service} den senaste timmen, mer än "
    "sin andel på {share} byte; meddelandet har inte tagits emot. Skicka resten senare, eller "
    "be förvaltningen höja andelen (inställningen KOMMUNPLAN_SYSTEM_MAX_BYTES_PER_HOUR)"
)


@dataclass
class _Sent:
    total: int = 0
    # (when, bytes) of each message taken within the window, oldest first.
    recent: deque[tuple[float, int]] = field(default_factory=deque)


class SystemShares:
    """Counts what each system sent in the last hour; says when one is over its share."""

    def __init__(self, share_bytes: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.share_bytes = share_bytes
        self._clock = clock
        self._sent: dict[str, _Sent] = {}

    def take(self, system: str, size: int) -> int | None:
        """Count ``size`` bytes from ``system``; None when within its share, otherwise what it
        has sent within the window (the message is then not counted: it is refused)."""
        now = self._clock()
        sent = self._sent.setdefault(system, _Sent())
        while sent.recent and sent.recent[0][0] <= now - WINDOW_SECONDS:
            sent.total -= sent.recent.popleft()[1]
        if sent.total + size > self.share_bytes:
            return sent.total
        sent.recent.append((now, size))
        sent.total += size
        return None
