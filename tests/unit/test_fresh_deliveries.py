"""What of a fetched batch the pull loop hands over: each stream sequence after the last one
handled, once, in stream order, whatever came twice (a redelivery beside its first delivery)."""

from nats.aio.msg import Msg

from plumbing.delivery_sequence import stream_sequence
from plumbing.jetstream import _fresh


def _delivery(stream: int, consumer: int) -> Msg:
    reply = f"$JS.ACK.BUDGET_INBOUND.budget-inbound-e1.1.{stream}.{consumer}.1765092000123456789.0"
    return Msg(_client=None, subject="budget.inbound", reply=reply, data=b"{}")  # type: ignore[arg-type]


def test_a_redelivery_in_the_same_batch_as_its_first_delivery_is_handed_over_once() -> None:
    # 3 and 4 came again after their ack wait ran out, while the batch before was retried;
    # 2 was handled before this fetch.
    batch = [
        _delivery(stream, consumer)
        for consumer, stream in enumerate([2, 3, 4, 5, 2, 3, 4, 6], start=10)
    ]
    assert [stream_sequence(m) for m in _fresh(batch, handled=2)] == [3, 4, 5, 6]


def test_a_batch_of_first_deliveries_is_handed_over_whole() -> None:
    batch = [_delivery(stream, stream) for stream in range(1, 6)]
    assert _fresh(batch, handled=0) == batch
    assert _fresh(batch, handled=5) == []
