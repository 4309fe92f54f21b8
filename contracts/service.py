"""A write service's contract: its name, commands and events, and the subjects derived from them.

Everything a service publishes or takes in is named after it, so a declaration is all the kit
needs to derive subjects, streams, schemas, routes and the launcher's processes.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from contracts.envelope import Command, Event

# The roles a person's identity may carry that let them send commands (reader and operator
# send none); which role may send which command each service declares (WriteService.roles).
CONTROLLER = "controller"
PLANNER = "planner"


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

    @property
    def events_stream(self) -> str:
        return f"{self.name.upper()}_EVENTS"

    @property
    def events_subjects(self) -> str:
        return f"{self.name}.events.>"

    @property
    def inbound_stream(self) -> str:
        return f"{self.name.upper()}_INBOUND"

    @property
    def inbound_subjects(self) -> str:
        return f"{self.name}.inbound.>"

    @property
    def rejected_stream(self) -> str:
        return f"{self.name.upper()}_REJECTED"

    @property
    def rejected_subjects(self) -> str:
        return f"{self.name}.rejected.>"

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
