"""A write service's contract: its name, commands and events, and the subjects derived from them.

Everything a service publishes or takes in is named after it, so a declaration is all the kit
needs to derive subjects, streams, schemas, routes and the launcher's processes.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from contracts.envelope import Command, Event


@dataclass(frozen=True)
class WriteService:
    name: str
    title: str  # how a Swedish message names the service: "budgettjänsten"
    commands: dict[str, type[Command]]
    events: dict[str, type[Event]]
    # The services whose published events it reads (goals learns the units from budget's).
    learns_from: tuple["WriteService", ...] = ()
    # The services it sends commands to, as a sender of their inbound subjects
    # (``<target>.inbound.<name>.<command>``): projects sends budget the project office's share.
    sends_to: tuple["WriteService", ...] = ()
    # What it sends each of them, by the target's name: only these of the target's commands
    # are taken from it, and no administration's system may be given them.
    sends_commands: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

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
