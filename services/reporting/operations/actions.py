"""What operators did from the operators' view, kept in reporting's own database with who
did it (the token's subject and name), so the view shows every action and its outcome."""

from dataclasses import dataclass
from datetime import datetime

from plumbing.database import Connection
from plumbing.identity import Principal

REPLAY = "spela om"
SKIP = "hoppa över"
REBUILD = "bygg om"
SEEN = "markera sedda"
MIGRATIONS = "services.reporting.sql"
SHOWN = 20


@dataclass(frozen=True)
class Action:
    done_at: datetime
    actor: str
    actor_name: str | None
    action: str
    target: str
    outcome: str


async def record(
    conn: Connection, principal: Principal, action: str, target: str, outcome: str
) -> None:
    await conn.execute(
        "INSERT INTO operator_actions (actor, actor_name, action, target, outcome)"
        " VALUES ($1, $2, $3, $4, $5)",
        principal.subject,
        principal.name,
        action,
        target,
        outcome,
    )


async def latest(conn: Connection, limit: int = SHOWN) -> list[Action]:
    rows = await conn.fetch(
        "SELECT done_at, actor, actor_name, action, target, outcome FROM operator_actions"
        " ORDER BY id DESC LIMIT $1",
        limit,
    )
    return [Action(**dict(r)) for r in rows]
