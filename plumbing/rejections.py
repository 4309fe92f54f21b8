"""Rejections encoded to fit the server's payload limit, whatever the refused message held,
and the consumers through which each system reads its own.

A rejection carries the original, and escaping can make it six times larger (a NUL byte
becomes ``\\u0000``): a rejection built naively from a large or hostile message is refused
by the server, and a consumer that cannot publish its rejections cannot go on. So the
inbound consumer (plumbing.inbound) encodes each with ``encode_rejection``, within the
server's max payload less ``PAYLOAD_HEADROOM``.

A system reads its refusals only through the consumer the service makes for it
(``ensure_rejection_consumers``): nats-server lets the system read it, pull from it and
acknowledge, never make, change or delete a consumer (plumbing.nats_users), so no system
can give one a deliver subject on which the server would publish in its stead.
"""

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, ConsumerInfo, DeliverPolicy
from nats.js.errors import NotFoundError

from contracts.rejection import Problem, Rejection
from contracts.service import WriteService
from plumbing.screening import is_parseable

log = logging.getLogger(__name__)

PAYLOAD_HEADROOM = 8 * 1024
"""Room left under the server's max_payload for the headers published with a rejection."""

MIN_REJECTION_BYTES = 16 * 1024
"""Any ``max_bytes`` from this size up fits a rejection, whatever the message and problems."""

EXCERPT_BYTES = 4 * 1024
"""How much of an original too large to carry whole is carried: its first bytes."""

MAX_PROBLEMS = 20
MAX_FIELD_CHARS = 200
MAX_PROBLEM_CHARS = 1000
MAX_NAME_CHARS = 200
"""Longest message id, subject or source system carried."""


def encode_rejection(
    original: bytes,
    problems: Sequence[Problem],
    *,
    subject: str,
    source_system: str,
    message_id: str | None,
    max_bytes: int,
    rejected_at: datetime | None = None,
) -> bytes:
    """The JSON of a ``Rejection`` of ``original``, at most ``max_bytes`` long.

    Carries the whole original (decoded as UTF-8, bytes that are not shown as U+FFFD) when
    it fits, otherwise its first ``EXCERPT_BYTES`` (or fewer, when even those do not fit)
    cut between characters, with ``original_truncated`` set; its size and SHA-256 always.
    Problems after the first ``MAX_PROBLEMS`` are summed up in one more; long fields,
    messages and names are cut. Pass the server's max payload minus ``PAYLOAD_HEADROOM``.
    Raises ValueError only for a ``max_bytes`` below ``MIN_REJECTION_BYTES`` that cannot
    hold even a rejection without its original.
    """
    rejection = Rejection(
        message_id=None if message_id is None else _displayable(message_id, MAX_NAME_CHARS),
        subject=_displayable(subject, MAX_NAME_CHARS),
        source_system=_displayable(source_system, MAX_NAME_CHARS),
        problems=_capped(problems),
        original="",
        rejected_at=rejected_at or datetime.now(UTC),
        original_bytes=len(original),
        original_sha256=hashlib.sha256(original).hexdigest(),
    )
    for candidate in _shrinking(rejection, original, max_bytes, len(problems)):
        encoded = candidate.model_dump_json().encode()
        if len(encoded) <= max_bytes:
            return encoded
    raise ValueError(f"a rejection does not fit in {max_bytes} bytes even without the original")


def message_id_of(body: bytes) -> str | None:
    """The ``message_id`` of a JSON object body, or None when it has none or cannot be read.

    Safe for any body: one too large or too deeply nested for ``json.loads`` is not parsed.
    """
    if not is_parseable(body):
        return None
    try:
        return message_id_in(json.loads(body))
    except ValueError:
        return None


def message_id_in(body: Any) -> str | None:
    """The ``message_id`` a parsed body names at its top, or None (none, or no object)."""
    value = body.get("message_id") if isinstance(body, dict) else None
    return None if value is None else str(value)


def _shrinking(
    rejection: Rejection, original: bytes, max_bytes: int, problem_count: int
) -> Iterator[Rejection]:
    """Ever smaller versions of ``rejection``, the first with the whole original."""
    # Escaping never makes the original shorter, so a whole original over the limit is not
    # worth encoding; each excerpt after the first is half the one before.
    if len(original) <= max_bytes:
        yield rejection.model_copy(update={"original": _decoded(original)})
    size = EXCERPT_BYTES
    while True:
        cut = _character_boundary(original, min(size, len(original)))
        yield rejection.model_copy(
            update={"original": _decoded(original[:cut]), "original_truncated": cut < len(original)}
        )
        if cut == 0:
            break
        size = cut // 2
    yield rejection.model_copy(
        update={"problems": [_too_many(problem_count)], "original_truncated": bool(original)}
    )


def _character_boundary(data: bytes, at: int) -> int:
    # A UTF-8 character is at most four bytes: step back over at most three continuation
    # bytes (10xxxxxx) so the cut does not split one.
    for back in range(min(3, at) + 1):
        if at - back == len(data) or data[at - back] & 0xC0 != 0x80:
            return at - back
    return at


def _decoded(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _capped(problems: Sequence[Problem]) -> list[Problem]:
    shown = [
        Problem(
            field=_displayable(p.field, MAX_FIELD_CHARS),
            message=_displayable(p.message, MAX_PROBLEM_CHARS),
        )
        for p in problems[:MAX_PROBLEMS]
    ]
    if len(problems) > MAX_PROBLEMS:
        shown.append(
            Problem(
                field="", message=f"ytterligare {len(problems) - MAX_PROBLEMS} problem visas inte"
            )
        )
    return shown


def _too_many(count: int) -> Problem:
    return Problem(
        field="", message=f"meddelandet har {count} problem, för många för att visas här"
    )


def _displayable(text: str, max_chars: int) -> str:
    if len(text) > max_chars:
        text = text[: max_chars - 1] + "…"
    # Lone surrogates (from a JSON escape in the message) cannot be encoded as UTF-8.
    return text.encode("utf-8", errors="replace").decode("utf-8")


def rejection_consumer(declaration: WriteService, system: str) -> ConsumerConfig:
    """The consumer through which ``system`` reads what ``declaration``'s service refused
    it: durable, pulled from, named after the system and filtered to its own subject."""
    return ConsumerConfig(
        name=system,
        durable_name=system,
        filter_subject=declaration.rejected_subject(system),
        ack_policy=AckPolicy.EXPLICIT,
        deliver_policy=DeliverPolicy.ALL,
    )


def _as_made(info: ConsumerInfo, wanted: ConsumerConfig) -> bool:
    """Whether a consumer found is the one the service makes: pulled from (no deliver
    subject or group), filtered to the system's subject alone, each message acknowledged.

    Settings the server fills in itself (ack wait, pending limits) are left out, so a
    consumer made by an earlier start is kept, with what its system has acknowledged.
    """
    found = info.config
    return (
        found.deliver_subject is None
        and found.deliver_group is None
        and not found.filter_subjects
        and found.filter_subject == wanted.filter_subject
        and found.ack_policy == AckPolicy.EXPLICIT
        and not found.headers_only
    )


async def ensure_rejection_consumers(
    js: JetStreamContext, declaration: WriteService, systems: Iterable[str]
) -> None:
    """Each of ``systems``' consumer on the service's rejection stream, as
    ``rejection_consumer`` says; one found otherwise (made by a system while systems still
    could) is deleted and made anew, losing only its position."""
    stream = declaration.rejected_stream
    for system in sorted(systems):
        wanted = rejection_consumer(declaration, system)
        try:
            found: ConsumerInfo | None = await js.consumer_info(stream, system)
        except NotFoundError:
            found = None
        if found is not None and _as_made(found, wanted):
            continue
        if found is not None:
            log.warning(
                "replacing %s's consumer on %s: deliver subject %s, filter %s",
                system,
                stream,
                found.config.deliver_subject,
                found.config.filter_subjects or found.config.filter_subject,
            )
            await js.delete_consumer(stream, system)
        await js.add_consumer(stream, wanted)
