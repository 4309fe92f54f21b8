"""A system's share of the inbound stream: bytes within the last hour."""

from plumbing.system_shares import WINDOW_SECONDS, SystemShares


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_system_within_its_share_is_taken_and_one_over_it_is_told_what_it_sent() -> None:
    shares = SystemShares(share_bytes=1000, clock=Clock())
    assert shares.take("ekonomisystem", 600) is None
    assert shares.take("ekonomisystem", 400) is None
    assert shares.take("ekonomisystem", 1) == 1000


def test_each_system_has_a_share_of_its_own() -> None:
    shares = SystemShares(share_bytes=1000, clock=Clock())
    assert shares.take("ekonomisystem", 1000) is None
    assert shares.take("ekonomisystem", 1) == 1000
    assert shares.take("statistiksystem", 1000) is None


def test_what_was_sent_more_than_an_hour_ago_no_longer_counts() -> None:
    clock = Clock()
    shares = SystemShares(share_bytes=1000, clock=clock)
    assert shares.take("ekonomisystem", 900) is None
    clock.now += WINDOW_SECONDS / 2
    assert shares.take("ekonomisystem", 200) == 900
    clock.now += WINDOW_SECONDS / 2
    assert shares.take("ekonomisystem", 200) is None


def test_a_refused_message_takes_nothing_of_the_share() -> None:
    shares = SystemShares(share_bytes=1000, clock=Clock())
    assert shares.take("ekonomisystem", 5000) == 0
    assert shares.take("ekonomisystem", 1000) is None
