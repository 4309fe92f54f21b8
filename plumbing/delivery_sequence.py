"""Where a JetStream message stands, read from its reply subject (``$JS.ACK.…``).

nats-py's ``Msg.metadata`` parses every token of that subject into dataclasses and a datetime,
about 6 µs a message here: a few per cent of each service's CPU per event, where the loops need
three integers. The full metadata stays for what needs more (the time a message was stored).
"""

from typing import NamedTuple

from nats.aio.msg import Msg

# $JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<time>.<pending>, or
# with two more tokens after ACK (domain, account) and perhaps one at the end.
_WITHOUT_DOMAIN = 9
_WITH_DOMAIN = (11, 12)
_KEPT = "_kommunplan_sequences"


class Sequences(NamedTuple):
    stream: int  # the message's sequence in its stream
    consumer: int  # the delivery's number in the consumer that made it
    pending: int  # what the consumer had still to deliver after it


def sequences(msg: Msg) -> Sequences:
    # Kept on the message, as nats-py keeps its metadata: the pull loop, the reader and the
    # handler each ask, several times a message.
    known: Sequences | None = msg.__dict__.get(_KEPT)
    if known is None:
        known = msg.__dict__[_KEPT] = _read(msg)
    return known


def _read(msg: Msg) -> Sequences:
    tokens = (msg.reply or "").split(".")
    count = len(tokens)
    if tokens[:2] != ["$JS", "ACK"] or (count != _WITHOUT_DOMAIN and count not in _WITH_DOMAIN):
        metadata = msg.metadata  # not an acknowledgement subject: nats-py says why
        return Sequences(metadata.sequence.stream, metadata.sequence.consumer, metadata.num_pending)
    first = 5 if count == _WITHOUT_DOMAIN else 7
    return Sequences(int(tokens[first]), int(tokens[first + 1]), int(tokens[first + 3]))


def stream_sequence(msg: Msg) -> int:
    return sequences(msg).stream
