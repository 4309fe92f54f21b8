"""What the command handler is given and what it answers: a request (a command with who sent
it and how), and the outcome for each (accepted, refused with the reasons, or already stored).

Apart from the handler, so the entrypoints that make requests and read outcomes (HTTP routes,
the inbound consumer, a process manager's refusals) need not import how it decides.
"""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from uuid import UUID

from contracts.envelope import Command
from contracts.rejection import Problem
from contracts.scope import Scope


@dataclass(frozen=True)
class Request:
    command: Command
    source_system: str
    trace_headers: Mapping[str, str] = field(default_factory=dict)
    sequence: int | None = None  # the inbound stream sequence; None over HTTP
    scope: Scope | None = None  # the units the sender may write for; None: any
    actor_name: str | None = None  # the actor's display name, as its identity gives it
    # Sent by one of our own services through its process manager (projects' share to
    # budget), as plumbing.inbound knows from the declarations: its causation id is the
    # event that caused it and its correlation that event's, and both are kept as they
    # came. Anyone else's are its own references only (see _to_store).
    from_service: bool = False


@dataclass(frozen=True)
class Accepted:
    event_ids: list[UUID]


@dataclass(frozen=True)
class Rejected:
    problems: list[Problem]
    not_permitted: bool = False  # refused for who sent it rather than for what it says
    not_known_yet: bool = False  # refused for naming what another service may yet publish
    # The trace the refusal is kept in (plumbing.outcome_telemetry), sent back with it; not
    # part of what was decided, so two refusals for the same reasons are equal.
    trace_headers: Mapping[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class AlreadyStored:
    """The very message that was stored before, delivered again: nothing to do or say."""


Outcome = Accepted | Rejected | AlreadyStored
BeforeCommit = Callable[[list[Outcome]], Awaitable[None]]

DUPLICATE = "meddelandet med detta message_id har redan tagits emot; det lagras inte igen"
UNSTORABLE = (
    "meddelandet kunde inte lagras ({error}); det har inte sparats. "
    "Kontrollera fälten och skicka det igen."
)
