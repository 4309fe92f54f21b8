"""The sequences read from a JetStream reply subject are those nats-py's metadata reads."""

import pytest
from nats.aio.msg import Msg
from nats.errors import NotJSMessageError

from plumbing.delivery_sequence import Sequences, sequences, stream_sequence

REPLIES = [
    "$JS.ACK.BUDGET_EVENTS.reporting_g3-e2.1.48213.48190.1765092000123456789.17",
    "$JS.ACK.hub.ACCHASH.BUDGET_EVENTS.reporting_g3-e2.2.48213.48190.1765092000123456789.17",
    "$JS.ACK.hub.ACCHASH.BUDGET_EVENTS.reporting_g3-e2.2.48213.48190.1765092000123456789.17.x9",
]


def _msg(reply: str) -> Msg:
    return Msg(_client=None, subject="budget.events", reply=reply, data=b"{}")  # type: ignore[arg-type]


@pytest.mark.parametrize("reply", REPLIES)
def test_sequences_agree_with_the_clients_metadata(reply: str) -> None:
    metadata = _msg(reply).metadata
    assert sequences(_msg(reply)) == Sequences(48213, 48190, 17)
    assert sequences(_msg(reply)) == (
        metadata.sequence.stream,
        metadata.sequence.consumer,
        metadata.num_pending,
    )
    assert stream_sequence(_msg(reply)) == 48213


@pytest.mark.parametrize("reply", ["", "_INBOX.abc.1", "$JS.ACK.S.C.1.2"])
def test_a_message_that_is_no_delivery_is_refused_as_the_client_refuses_it(reply: str) -> None:
    with pytest.raises(NotJSMessageError):
        sequences(_msg(reply))
