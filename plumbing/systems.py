"""The register of systems: which administrations' systems may send commands over NATS,
which commands to which service, and for which units (the setting KOMMUNPLAN_SYSTEMS).

Each system is written in one of two forms::

    {"ekonomisystem": {"units": ["*"],
                       "commands": {"budget": ["set-figures", "record-actuals"]}},
     "lonesystem": ["KLF"]}

The first names the unit codes (each with everything under it, ``"*"`` for every unit)
and, by service, the commands the system may send; ``"*"`` as a command is every command
of that service a system may be given. The second, unit codes alone, is the register's
older form, read as it was meant before commands were named: every command a system may
be given, of every service.

A command one of our own services sends another through its process manager (its
declaration's ``sends_commands``: projects sends budget ``set-project-share``) is taken
only from that service and is given to no system; a register that tries is refused when
the settings are read, as is an unknown service or command.

The same register gives the services their senders (plumbing.inbound) and nats-server
its users (plumbing.nats_users), so a command not given is refused by both.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, NotRequired

from pydantic import AfterValidator, ConfigDict, TypeAdapter, with_config

# pydantic reads a TypedDict's fields from typing_extensions' before Python 3.12.
from typing_extensions import TypedDict

from contracts.scope import Scope
from contracts.service import WriteService
from contracts.write_services import WRITE_SERVICES

EVERY_COMMAND = "*"


@with_config(ConfigDict(extra="forbid"))
class SystemEntry(TypedDict):
    """A system in the register's JSON: its units and, by service, its commands."""

    units: list[str]
    commands: NotRequired[dict[str, list[str]]]


RegisterEntry = list[str] | SystemEntry
"""A system as the register writes it: unit codes alone (the older form) or a SystemEntry."""


@dataclass(frozen=True)
class SystemRights:
    """What one system may send: for which units, and which commands, by service name."""

    units: frozenset[str]
    commands: Mapping[str, frozenset[str]]

    @property
    def scope(self) -> Scope:
        return Scope(self.units)

    def commands_of(self, service: str) -> frozenset[str]:
        return self.commands.get(service, frozenset())


def service_senders(
    target: WriteService, services: Iterable[WriteService] = WRITE_SERVICES
) -> dict[str, tuple[WriteService, frozenset[str]]]:
    """The services that send ``target`` commands (their ``sends_to``), by name, each with
    the commands it sends: projects sends budget ``set-project-share`` and nothing else."""
    return {
        sender.name: (sender, frozenset(sender.sends_commands.get(target.name, ())))
        for sender in services
        if target.name in {t.name for t in sender.sends_to}
    }


def reserved_for(
    target: WriteService, services: Iterable[WriteService] = WRITE_SERVICES
) -> dict[str, WriteService]:
    """``target``'s commands that only one of our own services sends, and which one."""
    return {
        command: sender
        for sender, commands in service_senders(target, services).values()
        for command in commands
    }


def grantable(
    service: WriteService, services: Iterable[WriteService] = WRITE_SERVICES
) -> frozenset[str]:
    """Every command of ``service`` a system may be given."""
    return frozenset(service.commands) - frozenset(reserved_for(service, services))


def _commands_for(
    system: str,
    service: WriteService,
    names: list[str],
    services: tuple[WriteService, ...],
) -> frozenset[str]:
    reserved = reserved_for(service, services)
    for name in names:
        if name == EVERY_COMMAND:
            continue
        if name in reserved:
            raise ValueError(
                f"systemet {system!r} kan inte få kommandot {name!r} till {service.name}: "
                f"det tar {service.title} bara emot från {reserved[name].title}"
            )
        if name not in service.commands:
            raise ValueError(
                f"systemet {system!r} har ett okänt kommando {name!r} för {service.name}; "
                "kända: " + ", ".join(sorted(service.commands))
            )
    return grantable(service, services) if EVERY_COMMAND in names else frozenset(names)


def rights(
    system: str, entry: RegisterEntry, services: Iterable[WriteService] = WRITE_SERVICES
) -> SystemRights:
    """What ``entry`` gives ``system``; ValueError in Swedish when it names an unknown
    service or command, or one no system may be given."""
    known = tuple(services)
    if isinstance(entry, list):
        # The older form: every command a system may be given, as before commands were named.
        return SystemRights(frozenset(entry), {s.name: grantable(s, known) for s in known})
    by_name = {s.name: s for s in known}
    commands: dict[str, frozenset[str]] = {}
    for service_name, names in entry.get("commands", {}).items():
        service = by_name.get(service_name)
        if service is None:
            raise ValueError(
                f"systemet {system!r} har kommandon för en okänd tjänst {service_name!r}; "
                "kända: " + ", ".join(sorted(by_name))
            )
        commands[service_name] = _commands_for(system, service, names, known)
    return SystemRights(frozenset(entry["units"]), commands)


def register(
    entries: Mapping[str, RegisterEntry], services: Iterable[WriteService] = WRITE_SERVICES
) -> dict[str, SystemRights]:
    """Every system's rights, by name (see the module's description of the forms)."""
    known = tuple(services)
    return {system: rights(system, entry, known) for system, entry in entries.items()}


def _checked(entries: dict[str, RegisterEntry]) -> dict[str, RegisterEntry]:
    register(entries)
    return entries


Register = Annotated[dict[str, RegisterEntry], AfterValidator(_checked)]
"""The register as a setting: JSON as written, checked against the services' contracts
when read, so a service with a register it cannot honour does not start."""


def read_register(text: str) -> dict[str, RegisterEntry]:
    """The register from its JSON (as KOMMUNPLAN_SYSTEMS holds it), checked as the settings
    check it; pydantic's ValidationError (a ValueError) says what is wrong."""
    return TypeAdapter(Register).validate_json(text)
