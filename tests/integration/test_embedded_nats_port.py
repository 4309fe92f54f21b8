"""An embedded nats-server is started only when it is the one listening: a port already
taken by another program is said at once, not mistaken for our server."""

import socket
from pathlib import Path

import pytest

from plumbing.embedded_nats import EmbeddedNats, listens
from tests.ports import free_port


def test_a_port_another_program_listens_on_is_refused_at_once(tmp_path: Path) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        nats = EmbeddedNats(tmp_path / "nats", port)
        said = rf"nats-server avslutades med kod 1 innan den lyssnade på port {port} "
        try:
            with pytest.raises(RuntimeError, match=said):
                nats.start()
        finally:
            nats.stop()  # a server wrongly taken as started would bind once the port is free


def test_the_server_started_is_the_one_listening(tmp_path: Path) -> None:
    port = free_port()
    nats = EmbeddedNats(tmp_path / "nats", port)
    nats.start()
    try:
        assert nats.process is not None
        assert listens(nats.process.pid, port)
        assert not listens(nats.process.pid, free_port())
    finally:
        nats.stop()
