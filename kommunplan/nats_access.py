"""The NATS users of ``kommunplan up``: passwords made once in the data folder, and the
server's configuration holding only their bcrypt hashes."""

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import bcrypt

from plumbing.nats_config import authorization, literal
from plumbing.nats_users import SERVICE_USERS, all_permissions
from plumbing.systems import RegisterEntry, register

PASSWORD_FOLDER = "nats-users"
CONFIG_FILE = "nats.conf"
# nats-server checks the hash on every connection; 11 rounds keeps that near 0.1 s.
BCRYPT_ROUNDS = 11


@dataclass(frozen=True)
class NatsAccess:
    config_file: Path
    passwords: dict[str, str]  # by user name

    def environment(self, user: str) -> dict[str, str]:
        """The variables a service process reads its NATS user from."""
        return {"KOMMUNPLAN_NATS_USER": user, "KOMMUNPLAN_NATS_PASSWORD": self.passwords[user]}


def _write_private(path: Path, text: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # a file already there keeps its mode otherwise
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)


def _password(path: Path) -> str:
    """The user's password, made the first time: a system keeps the one it was given."""
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    password = secrets.token_urlsafe(32)
    _write_private(path, password + "\n")
    return password


def _bcrypt(password: str) -> str:
    salt = bcrypt.gensalt(rounds=BCRYPT_ROUNDS, prefix=b"2a")
    return bcrypt.hashpw(password.encode(), salt).decode()


def prepare(data_dir: Path, systems: Mapping[str, RegisterEntry]) -> NatsAccess:
    """Each service's and each system's password in ``data_dir/nats-users/<user>`` (0600),
    and ``data_dir/nats.conf`` for the server with their hashes and permissions: each system
    may send the commands the register ``systems`` gives it (KOMMUNPLAN_SYSTEMS) and no other."""
    try:
        users = all_permissions(register(systems))
    except ValueError as error:
        # What `up` reports as the reason it cannot start.
        raise RuntimeError(str(error)) from None
    folder = data_dir / PASSWORD_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    passwords = {user: _password(folder / user) for user in users}
    hashes = {user: literal(_bcrypt(password)) for user, password in passwords.items()}
    config = data_dir / CONFIG_FILE
    _write_private(config, authorization(hashes, users))
    return NatsAccess(config, passwords)


def passed_on(service: str, environment: Mapping[str, str]) -> dict[str, str]:
    """For servers of one's own: ``KOMMUNPLAN_<SERVICE>_NATS_USER`` and ``_PASSWORD`` from
    ``environment`` as the service's NATS user, when given."""
    assert service in SERVICE_USERS
    prefix = f"KOMMUNPLAN_{service.upper().replace('-', '_')}_NATS_"
    return {
        f"KOMMUNPLAN_NATS_{key}": environment[prefix + key]
        for key in ("USER", "PASSWORD")
        if prefix + key in environment
    }
