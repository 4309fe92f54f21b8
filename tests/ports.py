"""Ports for the tests' servers that the test workers never hand out twice.

The kernel names a free port from its ephemeral range (on Linux 32768-60999 by default).
Between a test finding such a port free and its server binding it, a test in the other
worker can be handed the same port. Its server then fails to start, or a client reaches the
other test's server instead. Each worker (pytest-xdist's ``gw0``, ``gw1``, …) therefore takes
its ports one after another from a band of its own below that range, where neither the
kernel nor the other workers pick. Beyond the bands that fit there, the kernel picks.
"""

import itertools
import os
import random
import socket
from collections.abc import Iterator
from pathlib import Path

from plumbing import embedded

FIRST_PORT = 20_000
BAND_WIDTH = 2_500


def ephemeral_start() -> int:
    """The first port of the kernel's ephemeral range."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32_768


def band(worker: str) -> range | None:
    """The ports of ``worker`` (``""`` when the tests run in one process), or None when
    its band would reach into the ephemeral range."""
    number = worker[2:]
    index = int(number) + 1 if worker.startswith("gw") and number.isdigit() else 0
    start = FIRST_PORT + index * BAND_WIDTH
    if start + BAND_WIDTH > ephemeral_start():
        return None
    return range(start, start + BAND_WIDTH)


def _ports(ports: range) -> Iterator[int]:
    # From a random place, so that a session does not start where the last one did.
    first = random.randrange(len(ports))
    return itertools.cycle([*ports[first:], *ports[:first]])


_BAND = band(os.environ.get("PYTEST_XDIST_WORKER", ""))
_NEXT = _ports(_BAND) if _BAND is not None else None


def free_port() -> int:
    """A port on the loopback nothing is bound to now, from this worker's band."""
    if _NEXT is None:
        return embedded.free_port()
    for _ in range(BAND_WIDTH):
        port = next(_NEXT)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port left in this worker's band ({_BAND})")
