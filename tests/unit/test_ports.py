"""The test workers' port bands: apart from each other and from the kernel's own picks."""

import socket

from tests import ports


def test_the_workers_bands_are_apart_and_below_the_kernels_range() -> None:
    bands = [ports.band(worker) for worker in ("", "gw0", "gw1", "gw2")]
    assert all(b is not None for b in bands)
    taken = [set(b) for b in bands if b is not None]
    assert all(not (a & b) for i, a in enumerate(taken) for b in taken[i + 1 :])
    assert max(max(b) for b in taken) < ports.ephemeral_start()


def test_a_band_that_would_reach_the_kernels_range_is_not_given() -> None:
    assert ports.band("gw99") is None


def test_a_port_handed_out_can_be_bound_and_is_not_handed_out_again_at_once() -> None:
    given = [ports.free_port() for _ in range(20)]
    assert len(set(given)) == 20
    with socket.socket() as server:
        server.bind(("127.0.0.1", given[0]))
