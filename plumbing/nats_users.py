"""NATS users and what each may do: one per service, one per administration's system.

Everything not allowed here is refused by nats-server, including anonymous connections
(there is no ``no_auth_user``). The subjects follow contracts.subjects and the JetStream
API subjects the services and nats-py send; each write service's follow from its declaration
(contracts.write_services), and each system's from the register of systems (plumbing.systems):
it publishes only the commands it is given, and reads its refusals only through the consumer
the service makes for it.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from contracts.service import WriteService
from contracts.write_services import WRITE_SERVICES
from plumbing.systems import (
    SystemRights,
    service_senders,
)

SERVICE_USERS = (
    *(name for s in WRITE_SERVICES for name in (s.name, f"{s.name}-relay")),
    "reporting",
)

# The operators' user: reads what JetStream holds about its streams and consumers (the
# account, their configuration and state, their names), and nothing else: no message, and
# no change to a stream or a consumer.
OPERATOR_USER = "operator"
OPERATOR_READS = (
    "$JS.API.INFO",
    "$JS.API.STREAM.NAMES",
    "$JS.API.STREAM.LIST",
    "$JS.API.STREAM.INFO.*",
    "$JS.API.CONSUMER.NAMES.*",
    "$JS.API.CONSUMER.LIST.*",
    "$JS.API.CONSUMER.INFO.*.*",
)

# A system's name is a token of its subjects and of its inbox and consumer names.
_SYSTEM_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True)
class Permissions:
    publish: tuple[str, ...]
    subscribe: tuple[str, ...]


def inbox_prefix(user: str) -> str:
    """Where the user's replies (JetStream acknowledgements, API answers) arrive.

    Each user subscribes only under its own prefix, so no one can listen to another's
    replies, which carry its rejections and acknowledgements.
    """
    return f"_INBOX.{user}"


def check_system_name(system: str) -> None:
    if not _SYSTEM_NAME.fullmatch(system):
        raise ValueError(
            f"systemnamnet {system!r} duger inte som NATS-användare; "
            "använd bokstäver a–z, siffror, - och _ (högst 64 tecken)"
        )
    if system in (*SERVICE_USERS, OPERATOR_USER):
        raise ValueError(f"systemnamnet {system!r} är upptaget av en tjänst; välj ett annat")


def _declares_streams(service: WriteService) -> tuple[str, ...]:
    return tuple(
        f"$JS.API.STREAM.{verb}.{stream}"
        for stream in (service.events_stream, service.inbound_stream, service.rejected_stream)
        for verb in ("INFO", "CREATE", "UPDATE")
    )


def _makes_rejection_consumers(service: WriteService) -> tuple[str, ...]:
    """What plumbing.rejections.ensure_rejection_consumers sends: each system's consumer on
    the service's rejection stream, filtered to a subject of that stream, read and replaced."""
    stream = service.rejected_stream
    return (
        f"$JS.API.CONSUMER.CREATE.{stream}.*.{service.name}.rejected.*",
        f"$JS.API.CONSUMER.INFO.{stream}.*",
        f"$JS.API.CONSUMER.DELETE.{stream}.*",
    )


def _consumes(stream: str) -> tuple[str, ...]:
    """What plumbing.jetstream's pull loop sends for ``stream``."""
    return (
        f"$JS.API.STREAM.INFO.{stream}",
        # Lists and deletes consumers left by earlier holders of the worker's lock.
        f"$JS.API.CONSUMER.LIST.{stream}",
        f"$JS.API.CONSUMER.DELETE.{stream}.*",
        f"$JS.API.CONSUMER.DURABLE.CREATE.{stream}.*",
        f"$JS.API.CONSUMER.INFO.{stream}.*",
        f"$JS.API.CONSUMER.MSG.NEXT.{stream}.*",
        f"$JS.ACK.{stream}.>",
    )


def _watches(stream: str) -> tuple[str, ...]:
    """What the operators' view (services.reporting.operations.jetstream) sends for
    ``stream``: its info, its consumers' info, and single messages (how long ago the oldest
    one a consumer has not acknowledged was stored; where a message of a journey went)."""
    return (
        f"$JS.API.STREAM.INFO.{stream}",
        f"$JS.API.CONSUMER.LIST.{stream}",
        f"$JS.API.CONSUMER.INFO.{stream}.*",
        f"$JS.API.STREAM.MSG.GET.{stream}",
    )


def follower_consumer(follower: str) -> str:
    """The consumer through which ``follower`` reads the events of the services it learns
    from (plumbing.followed_events), one on each of their events streams."""
    return f"{follower}-learns"


def _follows(service: WriteService) -> tuple[str, ...]:
    """What plumbing.followed_events sends for the services ``service`` learns from: its own
    consumer on each of their events streams, made, pulled from and replaced, nothing else."""
    consumer = follower_consumer(service.name)
    return tuple(
        f"$JS.API.CONSUMER.{verb}.{owner.events_stream}.{consumer}"
        for owner in service.learns_from
        for verb in ("CREATE", "DELETE", "MSG.NEXT")
    )


def sender_publishes(service: WriteService) -> tuple[str, ...]:
    """What a service that sends commands to others (its declaration's ``sends_to``) sends:
    its process manager reads the service's own events stream through the pull loop, and it
    sends each target only the commands it declares (``sends_commands``), and reads its own
    rejections there through a consumer named after it, which it makes itself (a service is
    trusted with that; a system is not), filtered by the server to its own subject."""
    if not service.sends_to:
        return ()
    publish = list(_consumes(service.events_stream))
    for target in service.sends_to:
        _, commands = service_senders(target)[service.name]
        stream = target.rejected_stream
        publish.extend(
            (
                *_sends(target, service.name, commands),
                f"$JS.API.CONSUMER.CREATE.{stream}.{service.name}."
                f"{target.rejected_subject(service.name)}",
                *_reads_rejections(target, service.name),
            )
        )
    return tuple(publish)


def _write_service_publishes(user: str) -> tuple[str, ...] | None:
    for service in WRITE_SERVICES:
        if user == service.name:
            return (
                *_declares_streams(service),
                *_consumes(service.inbound_stream),
                # Lets go of handled commands when the stream runs short of room.
                f"$JS.API.STREAM.PURGE.{service.inbound_stream}",
                *_makes_rejection_consumers(service),
                *_follows(service),
                *sender_publishes(service),
                service.rejected_subjects,
            )
        if user == f"{service.name}-relay":
            # The relay process declares the streams at start-up too (it may start first).
            return (*_declares_streams(service), service.events_subjects)
    return None


def service_permissions(service: str) -> Permissions:
    replies = (f"{inbox_prefix(service)}.>",)
    publish = _write_service_publishes(service)
    if publish is None and service == "reporting":
        publish = tuple(
            p
            for s in WRITE_SERVICES
            for p in (
                *_consumes(s.events_stream),
                *(
                    p
                    for stream in (s.inbound_stream, s.events_stream, s.rejected_stream)
                    for p in _watches(stream)
                ),
            )
        )
    if publish is None:
        raise ValueError(f"okänd tjänst {service!r}")
    return Permissions(publish=tuple(dict.fromkeys(publish)), subscribe=replies)


def system_permissions(system: str, rights: SystemRights) -> Permissions:
    """Send the commands it is given, each on its own subject; read its own rejections
    through the consumer the service made for it; nothing else.

    That consumer (plumbing.rejections.rejection_consumer) carries the system's name and is
    filtered to the system's own subject. The system may read its info, pull from it and
    acknowledge, not make, change or delete it: a consumer it made could carry a deliver
    subject, on which the server would publish the rejections for it, anywhere (another
    system's inbound subject, a service's events). A consumer of any other name is out of
    reach too: through one, the system could read what another had filtered for itself.
    """
    check_system_name(system)
    return Permissions(
        publish=tuple(
            p
            for s in WRITE_SERVICES
            for p in (
                *_sends(s, system, rights.commands_of(s.name)),
                *_reads_rejections(s, system),
            )
        ),
        subscribe=(f"{inbox_prefix(system)}.>",),
    )


def _sends(service: WriteService, sender: str, commands: Iterable[str]) -> tuple[str, ...]:
    """A subject per command given, never ``<service>.inbound.<sender>.>``: nats-server
    itself refuses every other command."""
    return tuple(service.inbound_subject(sender, command) for command in sorted(commands))


def _reads_rejections(service: WriteService, reader: str) -> tuple[str, ...]:
    stream = service.rejected_stream
    return (
        f"$JS.API.CONSUMER.INFO.{stream}.{reader}",
        f"$JS.API.CONSUMER.MSG.NEXT.{stream}.{reader}",
        f"$JS.ACK.{stream}.{reader}.>",
    )


def all_permissions(systems: Mapping[str, SystemRights]) -> dict[str, Permissions]:
    """Every service's user, the operators' and each system's, by user name."""
    users = {service: service_permissions(service) for service in SERVICE_USERS}
    users[OPERATOR_USER] = Permissions(OPERATOR_READS, (f"{inbox_prefix(OPERATOR_USER)}.>",))
    users.update({system: system_permissions(system, rights) for system, rights in systems.items()})
    return users
