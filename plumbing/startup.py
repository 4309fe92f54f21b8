"""What every service process opens before it serves: its database, brought up to date,
and its NATS connection.

Each step is logged as it completes, so that a process which hangs while starting says
in its log which step it is waiting on (`kommunplan up` shows the last lines when a
process never answers).
"""

from collections.abc import Sequence

import asyncpg
from nats.aio.client import Client
from nats.js import JetStreamContext

from plumbing import logs
from plumbing.database import create_pool
from plumbing.migrations import Migrations, migrate
from plumbing.nats_connection import connect
from plumbing.settings import ServiceSettings

POOL_SIZE = 6


async def open_database(
    settings: ServiceSettings, migrations: Sequence[str | Migrations]
) -> asyncpg.Pool:
    pool = await create_pool(settings.database_url, max_size=POOL_SIZE)
    async with pool.acquire() as conn:
        applied = await migrate(conn, migrations)
    logs.lifecycle("database ready", migrations_applied=len(applied))
    return pool


async def open_nats(settings: ServiceSettings, name: str) -> tuple[Client, JetStreamContext]:
    nc, js = await connect(
        settings.nats_url,
        name,
        settings.nats_user,
        settings.nats_password,
        settings.nats_ca_file,
    )
    logs.lifecycle("nats connected")
    return nc, js
