"""NATS users and what each may do: one per service, one per administration's system.

Everything not allowed here is refused by nats-server, including anonymous connections
(there is no ``no_auth_user``). The subjects follow contracts.subjects and the JetStream
API subjects the services and nats-py send; each write service's follow from its declaration
(contracts.write_services).
"""

import json
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from contracts.service import WriteService
from contracts.write_services import WRITE_SERVICES

SERVICE_USERS = (
    *(name for s in WRITE_SERVICES for name in (s.name, f"{s.name}-relay")),
    "reporting",
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
    if system in SERVICE_USERS:
        raise ValueError(f"systemnamnet {system!r} är upptaget av en tjänst; välj ett annat")


def _declares_streams(service: WriteService) -> tuple[str, ...]:
    return tuple(
        f"$JS.API.STREAM.{verb}.{stream}"
        for stream in (service.events_stream, service.inbound_stream, service.rejected_stream)
        for verb in ("INFO", "CREATE", "UPDATE")
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
    sends on each target's inbound subjects and reads its own rejections there, with the
    rights a system has (``<target>.inbound.<service>.>``, its consumer named after it)."""
    if not service.sends_to:
        return ()
    return (
        *_consumes(service.events_stream),
        *(p for target in service.sends_to for p in _system_publishes(target, service.name)),
    )


def _write_service_publishes(user: str) -> tuple[str, ...] | None:
    for service in WRITE_SERVICES:
        if user == service.name:
            return (
                *_declares_streams(service),
                *_consumes(service.inbound_stream),
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
        publish = tuple(p for s in WRITE_SERVICES for p in _consumes(s.events_stream))
    if publish is None:
        raise ValueError(f"okänd tjänst {service!r}")
    return Permissions(publish=tuple(dict.fromkeys(publish)), subscribe=replies)


def system_permissions(system: str) -> Permissions:
    """Send on its own inbound subjects; read its own rejections, nothing else.

    Its consumer on each service's rejection stream (BUDGET_REJECTED) carries the system's
    name and is created with the filtered form of the API subject, so the server itself
    holds the filter to the system's own subject. A consumer of any other name is out of
    reach: through one, the system could read what another had filtered for itself.
    """
    check_system_name(system)
    return Permissions(
        publish=tuple(p for s in WRITE_SERVICES for p in _system_publishes(s, system)),
        subscribe=(f"{inbox_prefix(system)}.>",),
    )


def _system_publishes(service: WriteService, system: str) -> tuple[str, ...]:
    stream = service.rejected_stream
    own = service.rejected_subject(system)
    return (
        f"{service.name}.inbound.{system}.>",
        f"$JS.API.CONSUMER.CREATE.{stream}.{system}.{own}",
        f"$JS.API.CONSUMER.INFO.{stream}.{system}",
        f"$JS.API.CONSUMER.DELETE.{stream}.{system}",
        f"$JS.API.CONSUMER.MSG.NEXT.{stream}.{system}",
        f"$JS.ACK.{stream}.{system}.>",
    )


def all_permissions(systems: Iterable[str]) -> dict[str, Permissions]:
    """Every service's user and each system's, by user name."""
    users = {service: service_permissions(service) for service in SERVICE_USERS}
    users.update({system: system_permissions(system) for system in systems})
    return users


def literal(text: str) -> str:
    """A quoted string in nats-server's configuration (a bcrypt hash, a subject)."""
    return json.dumps(text)


def variable(name: str) -> str:
    """A reference nats-server fills from its environment when it reads the file."""
    return f"${name}"


def password_variable(user: str) -> str:
    return f"{user.upper().replace('-', '_')}_NATS_PASSWORD"


def _listed(items: Iterable[str]) -> str:
    return "[" + ", ".join(literal(item) for item in items) + "]"


def _user_entry(user: str, password: str, permissions: Permissions) -> str:
    return (
        f"    {{\n      user: {literal(user)}\n      password: {password}\n"
        f"      permissions: {{\n"
        f"        publish: {{ allow: {_listed(permissions.publish)} }}\n"
        f"        subscribe: {{ allow: {_listed(permissions.subscribe)} }}\n"
        f"      }}\n    }}"
    )


def authorization(passwords: Mapping[str, str], users: Mapping[str, Permissions]) -> str:
    """nats-server's ``authorization`` block for ``users``.

    ``passwords`` holds each user's password as written in the file: ``literal`` of a
    bcrypt hash, or ``variable`` naming where the server finds it.
    """
    entries = ",\n".join(
        _user_entry(user, passwords[user], permissions) for user, permissions in users.items()
    )
    return f"authorization {{\n  users: [\n{entries}\n  ]\n}}\n"


DEPLOY_HEADER = """\
# The NATS users of docker-compose.yml: generated by `python -m plumbing.nats_users
# <system> ...` (one argument per system in KOMMUNPLAN_SYSTEMS); a test keeps it in step
# with plumbing/nats_users.py. Each password is read from the server's environment, which
# deploy/with-secrets.sh fills from the secret files; none is written here.
"""


def deploy_users(systems: Iterable[str]) -> str:
    users = all_permissions(systems)
    passwords = {user: variable(password_variable(user)) for user in users}
    return DEPLOY_HEADER + authorization(passwords, users)


if __name__ == "__main__":
    sys.stdout.write(deploy_users(sys.argv[1:]))
