"""Connecting to NATS, and declaring and awaiting the JetStream streams a service uses."""

import asyncio
import logging
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import nats.errors
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError, ServiceUnavailableError
from pydantic import SecretStr

from plumbing.nats_users import inbox_prefix

log = logging.getLogger(__name__)


# A server that stops answering (hung, paused, its machine frozen) is given up on after
# two pings without a pong, 10-15 s, and the client connects again. nats-py's default (two
# minutes, twice) left every consumer waiting four minutes on a server that had long come
# back. Every idle process pings, so more often (it was every 2 s) is what kept an idle
# nats-server busy; a pull request lost with the connection is asked anew at the reconnect
# (plumbing.pull_requests), not after a timeout, so a later notice costs no catching up.
PING_INTERVAL_SECONDS = 5
MAX_OUTSTANDING_PINGS = 2


class SteadyClient(Client):
    """nats-py's client, surviving a pong that comes after its waiter gave up, and saying
    when it has connected again.

    ``flush(timeout)`` cancels its pong future when the server is slow (a /ready check
    during a pause); the pong that arrives later was set on the cancelled future, which
    raised InvalidStateError in the read loop and ended it for good: the connection then
    looked open but nothing more was read, and messages delivered meanwhile were lost.
    """

    def __init__(self) -> None:
        super().__init__()
        self._reconnected = asyncio.Event()

    def reconnected(self) -> asyncio.Event:
        """Set once the client has connected again after this was asked (what was asked of
        the server before may be lost with the old connection)."""
        return self._reconnected

    async def note_reconnect(self) -> None:
        """Wake whoever waits on ``reconnected``; given to nats-py as its reconnected_cb."""
        self._reconnected.set()
        self._reconnected = asyncio.Event()

    async def _process_pong(self) -> None:
        # Pongs answer pings in order: this one is for the oldest ping, given up on or not.
        if self._pongs:
            future = self._pongs.pop(0)
            if not future.done():
                future.set_result(True)
        self._pongs_received += 1
        self._pings_outstanding = 0


CONNECT_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class StreamSpec:
    name: str
    subjects: Sequence[str]
    max_age_seconds: float = 0.0  # 0 keeps messages for good
    duplicate_window_seconds: float = 120.0
    replicas: int = 1
    # When set, a message that would take the stream beyond it is refused to its sender
    # (discard new): nothing kept is dropped to make room.
    max_bytes: int | None = None


async def connect(
    url: str,
    name: str,
    user: str | None = None,
    password: SecretStr | None = None,
    ca_file: str | None = None,
) -> tuple[Client, JetStreamContext]:
    """Connect as ``user`` (none for a server without users), verifying TLS with ``ca_file``."""
    options: dict[str, Any] = {}
    if user is not None:
        secret = password.get_secret_value() if password is not None else ""
        options.update(user=user, password=secret, inbox_prefix=inbox_prefix(user))
    if ca_file is not None:
        options["tls"] = ssl.create_default_context(cafile=ca_file)
    options.update(
        name=name,
        # The server checks a password with bcrypt: on a host busy with other work a login
        # has taken 2-8 s, and at nats-py's 2 s every client gave up and tried again,
        # adding to the queue it waited in.
        connect_timeout=CONNECT_TIMEOUT_SECONDS,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.5,
        ping_interval=PING_INTERVAL_SECONDS,
        max_outstanding_pings=MAX_OUTSTANDING_PINGS,
    )
    nc = SteadyClient()
    options["reconnected_cb"] = nc.note_reconnect
    await nc.connect(servers=url.split(","), **options)
    return nc, nc.jetstream(timeout=10)


# In a cluster, making a replicated stream waits for its nodes to agree, and two processes
# of a service declaring the same stream at once (the service and its relay start together)
# may see a timeout or "unavailable" while the cluster settles: asked again, the stream is
# found, made by whichever request got through.
DECLARE_ATTEMPTS = 6


async def ensure_streams(js: JetStreamContext, specs: Sequence[StreamSpec]) -> None:
    for spec in specs:
        for attempt in range(1, DECLARE_ATTEMPTS + 1):
            try:
                await _ensure_stream(js, spec)
                break
            except (nats.errors.TimeoutError, ServiceUnavailableError) as error:
                if attempt == DECLARE_ATTEMPTS:
                    raise
                log.warning("declaring stream %s: %r; asking again", spec.name, error)
                await asyncio.sleep(1.0)


async def _ensure_stream(js: JetStreamContext, spec: StreamSpec) -> None:
    config = StreamConfig(
        name=spec.name,
        subjects=list(spec.subjects),
        storage=StorageType.FILE,
        max_age=spec.max_age_seconds,
        duplicate_window=spec.duplicate_window_seconds,
        num_replicas=spec.replicas,
        max_bytes=spec.max_bytes if spec.max_bytes is not None else -1,
        discard=DiscardPolicy.NEW if spec.max_bytes is not None else DiscardPolicy.OLD,
    )
    try:
        await js.stream_info(spec.name)
        await js.update_stream(config)
    except NotFoundError:
        await js.add_stream(config)


async def wait_for_stream(js: JetStreamContext, name: str, stop: asyncio.Event) -> None:
    """Wait until the owning service has declared ``name`` (it may start after us)."""
    while not stop.is_set():
        try:
            await js.stream_info(name)
            return
        except NotFoundError:
            log.info("waiting for stream %s", name)
            await asyncio.sleep(0.5)
