"""Where the operators' view reads from, opened once per reporting process: each write
service's database (service_tables says why it may), reporting's own, JetStream, and each
process's /ready."""

import asyncio
import json
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

import asyncpg
from nats.js import JetStreamContext

from plumbing.database import Connection, create_pool

T = TypeVar("T")

READY_TIMEOUT_SECONDS = 3.0
REPORTING = "reporting"


@dataclass(frozen=True)
class Readiness:
    """A process's answer at /ready: ready or not, and each check's "ok" or what is wrong;
    ``problem`` when it did not answer."""

    process: str
    ready: bool
    checks: dict[str, str]
    problem: str | None = None


def _get_ready(url: str) -> tuple[int, object]:
    request = urllib.request.Request(f"{url}/ready", headers={"accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=READY_TIMEOUT_SECONDS) as response:
            return int(response.status), json.loads(response.read())
    except urllib.error.HTTPError as error:  # 503 with its checks
        return int(error.code), json.loads(error.read() or b"{}")


@dataclass
class Sources:
    """``databases``: each write service's database URL (ReportingSettings.service_databases),
    ``urls``: each process's address; reporting's own pool is ``own``."""

    own: asyncpg.Pool
    js: JetStreamContext
    databases: Mapping[str, str]
    urls: Mapping[str, str]
    _pools: dict[str, asyncpg.Pool] = field(default_factory=dict)
    _opening: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def services(self) -> list[str]:
        return list(self.databases)

    async def _pool(self, service: str) -> asyncpg.Pool:
        if service == REPORTING:
            return self.own
        async with self._opening:
            if service not in self._pools:
                # Small: only an operator's page reads through it.
                self._pools[service] = await asyncio.wait_for(
                    create_pool(self.databases[service], min_size=0, max_size=2), timeout=5
                )
            return self._pools[service]

    async def read(self, service: str, read: Callable[[Connection], Awaitable[T]]) -> T:
        """``read`` on a connection to ``service``'s database (or reporting's own)."""
        pool = await self._pool(service)
        async with pool.acquire(timeout=5) as conn:
            return await read(conn)

    async def readiness(self, process: str) -> Readiness:
        try:
            status, body = await asyncio.to_thread(_get_ready, self.urls[process])
        except (OSError, ValueError) as error:
            return Readiness(process, False, {}, f"svarar inte: {type(error).__name__}")
        checks = body.get("checks", {}) if isinstance(body, dict) else {}
        return Readiness(process, status == 200, {str(k): str(v) for k, v in checks.items()})

    async def close(self) -> None:
        for pool in self._pools.values():
            await pool.close()
