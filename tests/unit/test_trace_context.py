"""Trace context from outside is passed on only when it is well formed."""

from plumbing.telemetry import well_formed

PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def test_a_well_formed_context_is_passed_on_unchanged() -> None:
    headers = {"traceparent": PARENT, "tracestate": "vendor=x", "other": "y"}
    assert well_formed(headers) == {"traceparent": PARENT, "tracestate": "vendor=x"}


def test_a_traceparent_with_a_nul_or_of_the_wrong_shape_is_dropped() -> None:
    assert well_formed({"traceparent": PARENT[:-1] + "\x00"}) == {}
    assert well_formed({"traceparent": "x" * 10_000}) == {}


def test_a_tracestate_with_control_characters_is_dropped_but_the_parent_kept() -> None:
    assert well_formed({"traceparent": PARENT, "tracestate": "a=\x00"}) == {"traceparent": PARENT}
