"""A nats-server of its own with the users `kommunplan up` generates, and connections as them.

The shared test server asks for no credentials; this one refuses anyone without them.
"""

import contextlib
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext

from kommunplan.nats_access import prepare
from plumbing.embedded_nats import EmbeddedNats
from plumbing.nats_users import inbox_prefix
from tests.ports import free_port


@dataclass(frozen=True)
class LockedNats:
    url: str
    passwords: Mapping[str, str]
    monitor_url: str | None = None


@contextlib.contextmanager
def locked_nats(root: Path, systems: Mapping[str, list[str]]) -> Iterator[LockedNats]:
    access = prepare(root, systems)
    server = EmbeddedNats(root / "nats", free_port(), access.config_file, free_port())
    url = server.start()
    try:
        yield LockedNats(url, access.passwords, server.monitor_url)
    finally:
        server.stop()


@dataclass
class Session:
    """A connection as one user, with the errors the server sent it."""

    nc: Client
    js: JetStreamContext
    errors: list[str] = field(default_factory=list)

    def violated(self, subject: str) -> bool:
        """Whether the server refused a publish or subscription on ``subject``.

        nats-py hands the server's message over in lower case.
        """
        return any(
            "permissions violation" in e.lower() and f'"{subject.lower()}"' in e.lower()
            for e in self.errors
        )


@contextlib.asynccontextmanager
async def session(server: LockedNats, user: str) -> AsyncIterator[Session]:
    errors: list[str] = []

    async def on_error(error: Exception) -> None:
        errors.append(str(error))

    nc = await nats.connect(
        server.url,
        user=user,
        password=server.passwords[user],
        inbox_prefix=inbox_prefix(user),
        error_cb=on_error,
        allow_reconnect=False,
    )
    try:
        yield Session(nc, nc.jetstream(timeout=10), errors)
    finally:
        await nc.close()
