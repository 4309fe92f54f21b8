"""The NATS users `kommunplan up` makes: passwords kept once and private, only hashes in the
server's configuration, and a register whose names can be users."""

import stat
from pathlib import Path

import bcrypt
import pytest

from contracts.budget.service import BUDGET
from contracts.goals.service import GOALS
from contracts.write_services import WRITE_SERVICES
from kommunplan.nats_access import passed_on, prepare
from plumbing.nats_config import deploy_users
from plumbing.nats_users import (
    OPERATOR_USER,
    SERVICE_USERS,
    all_permissions,
    follower_consumer,
    service_permissions,
)
from plumbing.systems import register

SYSTEMS = {"ekonomisystem": ["*"], "lonesystem": ["KLF"]}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_each_user_gets_a_private_password_made_once(tmp_path: Path) -> None:
    first = prepare(tmp_path, SYSTEMS)
    assert set(first.passwords) == {*SERVICE_USERS, OPERATOR_USER, *SYSTEMS}
    assert len(set(first.passwords.values())) == len(first.passwords)
    for user in first.passwords:
        assert _mode(tmp_path / "nats-users" / user) == 0o600
    assert _mode(tmp_path / "nats-users") == 0o700
    assert _mode(first.config_file) == 0o600
    # A system added later gets a password; the others keep theirs.
    again = prepare(tmp_path, {**SYSTEMS, "enkatsystem": ["BUF"]})
    assert {u: again.passwords[u] for u in first.passwords} == first.passwords


def test_the_server_configuration_holds_hashes_not_passwords(tmp_path: Path) -> None:
    access = prepare(tmp_path, SYSTEMS)
    config = access.config_file.read_text(encoding="utf-8")
    assert "no_auth_user" not in config
    for user, password in access.passwords.items():
        assert password not in config
        (hashed,) = [
            line.split('"')[1] for line in config.split(f'user: "{user}"', 1)[1].splitlines()[1:2]
        ]
        assert bcrypt.checkpw(password.encode(), hashed.encode())


@pytest.mark.parametrize("name", ["budget", "reporting", "operator", "löne", "a.b", "a*", ""])
def test_a_system_name_that_cannot_be_its_own_user_is_refused(name: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="systemnamnet"):
        all_permissions(register({name: ["*"]}))
    with pytest.raises(RuntimeError, match="systemnamnet"):
        prepare(tmp_path, {name: ["*"]})


def test_with_servers_of_ones_own_each_service_takes_its_own_variables() -> None:
    environment = {
        "KOMMUNPLAN_BUDGET_RELAY_NATS_USER": "relay",
        "KOMMUNPLAN_BUDGET_RELAY_NATS_PASSWORD": "hemligt",
    }
    assert passed_on("budget-relay", environment) == {
        "KOMMUNPLAN_NATS_USER": "relay",
        "KOMMUNPLAN_NATS_PASSWORD": "hemligt",
    }
    assert passed_on("budget", environment) == {}


def test_the_deploy_users_read_every_password_from_the_environment() -> None:
    text = deploy_users(SYSTEMS)
    for user in (*SERVICE_USERS, OPERATOR_USER, *SYSTEMS):
        variable = user.upper().replace("-", "_") + "_NATS_PASSWORD"
        assert f"password: ${variable}\n" in text


def _api_rights_on(user: str, stream: str) -> set[str]:
    permissions = service_permissions(user)
    return {p for p in permissions.publish if p.startswith("$JS.") and f".{stream}" in p}


def test_a_service_may_follow_the_events_of_those_it_learns_from_through_its_own_consumer() -> None:
    for service in WRITE_SERVICES:
        consumer = follower_consumer(service.name)
        for owner in service.learns_from:
            assert _api_rights_on(service.name, owner.events_stream) == {
                f"$JS.API.CONSUMER.CREATE.{owner.events_stream}.{consumer}",
                f"$JS.API.CONSUMER.DELETE.{owner.events_stream}.{consumer}",
                f"$JS.API.CONSUMER.MSG.NEXT.{owner.events_stream}.{consumer}",
            }
        for other in WRITE_SERVICES:
            if other is not service and other not in service.learns_from:
                assert _api_rights_on(service.name, other.events_stream) == set()
        # Its relay publishes; it follows nothing.
        for owner in service.learns_from:
            assert _api_rights_on(f"{service.name}-relay", owner.events_stream) == set()


def test_goals_learns_from_budget_and_budget_from_no_one() -> None:
    assert GOALS.learns_from == (BUDGET,)
    assert _api_rights_on("goals", BUDGET.events_stream)
    assert _api_rights_on("budget", GOALS.events_stream) == set()
    assert not any("goals-learns" in p for p in service_permissions("budget").publish)
