"""A write service's contract: its name, commands and events, and the subjects derived from them.

Everything a service publishes or takes in is named after it, so a declaration is all the kit
needs to derive subjects, streams, schemas, routes and the launcher's processes.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import overload

from contracts.envelope import Command, Event

# The roles a person's identity may carry that let them send commands (reader and operator
# send none); which role may send which command each service declares (WriteService.roles).
CONTROLLER = "controller"
PLANNER = "planner"


def catalogue_roles(
    commands: Iterable[str], follow_up: Iterable[type[Command]]
) -> dict[str, frozenset[str]]:
    """The roles of a service whose catalogue planners keep: each of ``commands`` (by name)
    a planner's, and those of ``follow_up`` a controller's too, who follows the catalogue
    up (goals' measurements, projects' status reports)."""
    followed_up = {command.command_name for command in follow_up}
    return {
        name: frozenset({CONTROLLER, PLANNER}) if name in followed_up else frozenset({PLANNER})
        for name in commands
    }


@dataclass(frozen=True)
class Learns:
    """Which of another service's published events a service reads, to keep a copy of what
    that service owns (goals: budget's organisation tree)."""

    owner: "WriteService"
    events: tuple[type[Event], ...]


@dataclass(frozen=True)
class Sends:
    """Which of another service's commands a service sends it, as a sender of its inbound
    subjects (``<target>.inbound.<sender>.<command>``): projects sends budget the project
    office's share. Only these are taken from it, and no administration's system may be
    given them."""

    target: "WriteService"
    commands: tuple[type[Command], ...]


class _StreamName:
    """A name a service's stream of one ``kind`` derives from the service's: the stream's
    (``GOALS_EVENTS``) or, with ``subjects``, the subjects it takes (``goals.events.>``)."""

    def __init__(self, kind: str, *, subjects: bool = False) -> None:
        self.kind = kind
        self.subjects = subjects

    @overload
    def __get__(self, service: None, owner: type) -> "_StreamName": ...
    @overload
    def __get__(self, service: "WriteService", owner: type) -> str: ...
    def __get__(self, service: "WriteService | None", owner: type) -> "str | _StreamName":
        if service is None:
            return self
        if self.subjects:
            return f"{service.name}.{self.kind}.>"
        return f"{service.name.upper()}_{self.kind.upper()}"


@dataclass(frozen=True)
class WriteService:
    name: str
    title: str  # how a Swedish message names the service: "budgettjänsten"
    commands: dict[str, type[Command]]
    events: dict[str, type[Event]]
    learns: tuple[Learns, ...] = ()
    sends: tuple[Sends, ...] = ()
    # The roles that may send each command over HTTP, by command name; no role may send one
    # not named. The service checks them (plumbing.permissions); the pages show a form only
    # to those who may send its command.
    roles: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @property
    def learns_from(self) -> tuple["WriteService", ...]:
        """The services whose published events it reads."""
        return tuple(learned.owner for learned in self.learns)

    @property
    def sends_to(self) -> tuple["WriteService", ...]:
        """The services it sends commands to."""
        return tuple(sent.target for sent in self.sends)

    @property
    def sends_commands(self) -> Mapping[str, tuple[str, ...]]:
        """What it sends each of them, by the target's name: the commands' names."""
        return {
            sent.target.name: tuple(command.command_name for command in sent.commands)
            for sent in self.sends
        }

    # Its streams, and each stream's subjects: GOALS_EVENTS takes goals.events.>.
    events_stream = _StreamName("events")
    events_subjects = _StreamName("events", subjects=True)
    inbound_stream = _StreamName("inbound")
    inbound_subjects = _StreamName("inbound", subjects=True)
    rejected_stream = _StreamName("rejected")
    rejected_subjects = _StreamName("rejected", subjects=True)

    def event_subject(self, event_type: str) -> str:
        """Subject on which the service publishes a stored event."""
        return f"{self.name}.events.{event_type}"

    def inbound_subject(self, source_system: str, command_name: str) -> str:
        """Subject on which an administration's system sends a command.

        Each system has its own subtree (``<name>.inbound.<system>.>``), so its
        permissions and its rejections can be kept apart from other systems'.
        """
        return f"{self.name}.inbound.{source_system}.{command_name}"

    def rejected_subject(self, source_system: str) -> str:
        """Subject where the service puts a system's refused messages, with the reason."""
        return f"{self.name}.rejected.{source_system}"
