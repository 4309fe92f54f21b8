"""The service's own note of each command it refused, for the operators' view.

A refusal over NATS goes to the sending system on ``<service>.rejected.<system>``, one over
HTTP in the answer; this keeps, in the service's database, who sent what on which subject or
route, why it was refused and in which trace, so an operator can count a sender's refusals
and follow a refused message (services.reporting.operations reads it). A refusal over NATS is
noted once per inbound stream sequence: a batch handled again after a crash notes its
refusals once.
"""

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg
from nats.aio.msg import Msg

from contracts.rejection import Problem
from plumbing.delivery_sequence import stream_sequence
from plumbing.errors import is_infrastructure

log = logging.getLogger(__name__)

# What is kept of a refusal: its reasons as the system reads them, cut to a size that
# a flood of hostile messages cannot make a burden.
MAX_PROBLEMS = 20
MAX_CHARACTERS = 1000

_INSERT = (
    "INSERT INTO refusals (sequence, message_id, source_system, subject, rejection_subject,"
    " problems, trace_id) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (sequence) DO NOTHING"
)


@dataclass(frozen=True)
class RefusalNote:
    sequence: int | None  # in the service's inbound stream; None over HTTP
    message_id: str | None
    source_system: str
    subject: str  # the NATS subject, or the HTTP method and path
    rejection_subject: str | None  # None over HTTP: the refusal was the answer
    problems: Sequence[Problem]
    traceparent: str | None

    @classmethod
    def of(
        cls,
        msg: Msg,
        message_id: str | None,
        source_system: str,
        rejection_subject: str,
        problems: Sequence[Problem],
    ) -> "RefusalNote":
        """The note of refusing ``msg``, a message of the inbound stream. Where its body
        names no message id (one that cannot be read names none), the sender's
        ``Nats-Msg-Id`` is the id it knows the message by, and the note is kept under it."""
        headers = msg.headers or {}
        return cls(
            stream_sequence(msg),
            message_id or headers.get("Nats-Msg-Id"),
            source_system,
            msg.subject,
            rejection_subject,
            problems,
            headers.get("traceparent"),
        )


def trace_id(traceparent: str | None) -> str | None:
    """The trace id of a W3C ``traceparent`` (version 00: ``00-<32 hex>-<16 hex>-<2 hex>``)."""
    if traceparent is None:
        return None
    parts = traceparent.split("-")
    found = parts[1].lower() if len(parts) == 4 else ""
    if len(found) != 32 or any(c not in "0123456789abcdef" for c in found):
        return None
    return found


def _kept(text: str | None, limit: int = MAX_CHARACTERS) -> str | None:
    """``text`` as PostgreSQL's text and jsonb take it (no NUL), at most ``limit`` long."""
    return None if text is None else text[:limit].replace("\x00", "\ufffd")


def _problems(problems: Sequence[Problem]) -> str:
    kept = [
        {"field": _kept(p.field, 200), "message": _kept(p.message)} for p in problems[:MAX_PROBLEMS]
    ]
    return json.dumps(kept, ensure_ascii=False)


async def note_refusals(pool: asyncpg.Pool, notes: Sequence[RefusalNote]) -> None:
    """Note ``notes``; a note the database will not take is logged and left out, since a
    message's content must never hold the consumer back (only PostgreSQL failing does)."""
    if not notes:
        return
    rows = [
        (
            n.sequence,
            _kept(n.message_id, 200),
            _kept(n.source_system, 200),
            _kept(n.subject, 500),
            _kept(n.rejection_subject, 500),
            _problems(n.problems),
            trace_id(n.traceparent),
        )
        for n in notes
    ]
    try:
        await pool.executemany(_INSERT, rows)
    except Exception as error:
        if is_infrastructure(error):
            raise
        log.error("refusals %s not noted: %r", [n.sequence for n in notes], error)


async def note_answered(pool: asyncpg.Pool, note: RefusalNote) -> None:
    """Note a refusal the sender had as its answer (over HTTP): the answer is given whatever
    happens here, so a database that fails is logged, not raised."""
    try:
        await note_refusals(pool, [note])
    except Exception as error:
        log.warning("a refusal (%s, %s) not noted: %r", note.subject, note.message_id, error)
