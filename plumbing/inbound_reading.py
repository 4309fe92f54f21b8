"""Reading a message on ``<service>.inbound.<system>.<command>``: who may send what, and the
request it makes or why it is refused before anything is decided (plumbing.inbound)."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from nats.aio.msg import Msg
from pydantic import ValidationError

from contracts.rejection import Problem
from contracts.scope import EVERY_UNIT, Scope
from contracts.service import WriteService
from contracts.write_services import WRITE_SERVICES
from plumbing.delivery_sequence import stream_sequence
from plumbing.requests import Request
from plumbing.screening import screen
from plumbing.settings import WriteServiceSettings
from plumbing.system_shares import OVER_SHARE, SystemShares
from plumbing.systems import register, reserved_for, service_senders
from plumbing.validation import problems_from

UNKNOWN_SYSTEM = (
    "systemet {system!r} är inte känt av {service}; bara system i registret över "
    "avsändare (inställningen KOMMUNPLAN_SYSTEMS) får skicka"
)


NOT_GRANTED = (
    "systemet {system!r} får inte skicka kommandot {command!r} till {service}; {granted} "
    "(registret över avsändare, inställningen KOMMUNPLAN_SYSTEMS)"
)
ONLY_FROM_SERVICE = (
    "kommandot {command!r} tar {service} bara emot från {sender}, inte från systemet {system!r}"
)


NO_MESSAGE_ID = (
    "fältet saknas; varje meddelande behöver ett eget UUID så att det bara lagras en gång"
)


class Unreadable(NamedTuple):
    """A message refused before it is decided on: the reason's class and the problems."""

    reason: str
    problems: list[Problem]


@dataclass(frozen=True)
class Sender:
    """Who may send a service commands over NATS: for which units, and which commands."""

    scope: Scope
    commands: frozenset[str]
    # One of our own services (a declaration's ``sends_to``), not an administration's
    # system: the service makes no consumer of refusals for it (it makes its own).
    service: bool = False


def known_systems(
    settings: WriteServiceSettings,
    declaration: WriteService,
    services: Iterable[WriteService] = WRITE_SERVICES,
) -> dict[str, Sender]:
    """The register's systems, each with the ``declaration``'s commands given to it, and each
    service that declares it sends ``declaration`` commands (its ``sends_to``), for every
    unit and only the commands it declares (``sends_commands``): a service decides for the
    whole municipality, and no system may take its name
    (plumbing.nats_users.check_system_name)."""
    known = tuple(services)
    senders = {
        name: Sender(rights.scope, rights.commands_of(declaration.name))
        for name, rights in register(settings.systems, known).items()
    }
    for name, (_, commands) in service_senders(declaration, known).items():
        senders[name] = Sender(Scope(frozenset({EVERY_UNIT})), commands, service=True)
    return senders


class InboundReader:
    """Turns an inbound message into a request, or says why it is refused unread."""

    def __init__(
        self,
        declaration: WriteService,
        systems: Mapping[str, Sender],
        shares: SystemShares | None,
        share_used: Callable[[Msg, str], int | None],
    ) -> None:
        self._declaration = declaration
        self._systems = systems
        self._shares = shares
        self._share_used = share_used

    def read(self, msg: Msg) -> Request | Unreadable:
        problems = screen(msg.data)
        if problems:
            return Unreadable("screening", problems)
        tokens = msg.subject.split(".")
        name = self._declaration.name
        if len(tokens) != 4:
            return Unreadable(
                "subject",
                [
                    Problem(
                        field="",
                        message=(
                            f"ämnet ska vara {name}.inbound.<system>.<kommando>, inte {msg.subject}"
                        ),
                    )
                ],
            )
        source_system, command_name = tokens[2], tokens[3]
        sender = self._systems.get(source_system)
        if sender is None:
            return Unreadable(
                "unknown_system",
                [
                    Problem(
                        field="",
                        message=UNKNOWN_SYSTEM.format(
                            system=source_system, service=self._declaration.title
                        ),
                    )
                ],
            )
        commands = self._declaration.commands
        command_type = commands.get(command_name)
        if command_type is None:
            known = ", ".join(sorted(commands))
            message = f"okänt kommando {command_name!r}; kända: {known}"
            return Unreadable("unknown_command", [Problem(field="", message=message)])
        if command_name not in sender.commands:
            message = self._not_granted(source_system, command_name)
            return Unreadable("not_permitted", [Problem(field="", message=message)])
        sent = self._share_used(msg, source_system)
        if sent is not None:
            assert self._shares is not None
            message = OVER_SHARE.format(
                system=source_system,
                sent=sent,
                service=self._declaration.title,
                share=self._shares.share_bytes,
            )
            return Unreadable("over_share", [Problem(field="", message=message)])
        try:
            command = command_type.model_validate_json(msg.data)
        except ValidationError as error:
            return Unreadable("invalid", problems_from(error.errors()))
        if "message_id" not in command.model_fields_set:
            return Unreadable("invalid", [Problem(field="message_id", message=NO_MESSAGE_ID)])
        return Request(
            command=command,
            source_system=source_system,
            trace_headers=dict(msg.headers or {}),
            sequence=stream_sequence(msg),
            scope=sender.scope,
            from_service=sender.service,
        )

    def _not_granted(self, system: str, command: str) -> str:
        service = self._declaration
        only_from = reserved_for(service).get(command)
        if only_from is not None:
            return ONLY_FROM_SERVICE.format(
                command=command, service=service.title, sender=only_from.title, system=system
            )
        granted = sorted(self._systems[system].commands)
        return NOT_GRANTED.format(
            system=system,
            command=command,
            service=service.title,
            granted=(
                "det får skicka " + ", ".join(granted)
                if granted
                else "det får inte skicka något hit"
            ),
        )


class Refused(NamedTuple):
    """A refused message, its problems, the trace its refusal is kept in, and, refused
    before it was decided on, the reason's class (the command handler counts the others)."""

    msg: Msg
    problems: list[Problem]
    trace_headers: Mapping[str, str]
    reason: str = ""


def sender_and_command(subject: str) -> tuple[str, str]:
    """The system and command a subject ``<service>.inbound.<system>.<command>`` names."""
    tokens = subject.split(".")
    system = tokens[2] if len(tokens) >= 3 else "okänd"
    return system, tokens[3] if len(tokens) == 4 else "okänt"
