"""Apply numbered SQL files from packages, once each, in order."""

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from plumbing.database import Connection, keeps_session_state

# Any constant works; it only has to be the same for every process migrating a database.
_MIGRATION_LOCK = 4_832_011


@dataclass(frozen=True)
class Migrations:
    """A package of ``*.sql`` files. ``formerly``: the package its files stood in before they
    moved; a file recorded as applied under that name is recorded under its new one and not
    applied again."""

    package: str
    formerly: str | None = None


async def migrate(conn: Connection, packages: Sequence[str | Migrations]) -> list[str]:
    """Apply the ``*.sql`` files of each package that this database has not seen yet.

    A file is known by ``<package>/<file name>`` in ``schema_migrations``. An advisory lock
    makes concurrent start-ups wait for each other instead of racing. Returns the names of
    the files applied now.
    """
    applied_now: list[str] = []
    keeps_session_state(conn)
    await conn.execute("SELECT pg_advisory_lock($1)", _MIGRATION_LOCK)
    try:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {r["name"] for r in await conn.fetch("SELECT name FROM schema_migrations")}
        for given in packages:
            migrations = given if isinstance(given, Migrations) else Migrations(given)
            files = sorted(
                (
                    f
                    for f in resources.files(migrations.package).iterdir()
                    if f.name.endswith(".sql")
                ),
                key=lambda f: f.name,
            )
            for file in files:
                name = f"{migrations.package}/{file.name}"
                if name in done:
                    continue
                moved = migrations.formerly is not None and (
                    f"{migrations.formerly}/{file.name}" in done
                )
                async with conn.transaction():
                    if not moved:
                        await conn.execute(file.read_text(encoding="utf-8"))
                    await conn.execute("INSERT INTO schema_migrations (name) VALUES ($1)", name)
                if not moved:
                    applied_now.append(name)
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", _MIGRATION_LOCK)
    return applied_now
