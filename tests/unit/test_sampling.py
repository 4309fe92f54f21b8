"""Sampling: a share of new traces, the sender's decision followed, refusals and parked events
always kept, and no trace started by a database statement alone."""

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from plumbing import telemetry
from plumbing.telemetry import KEEP, KeepMarked

UNSAMPLED = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"
SAMPLED = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def tracer(ratio: float) -> tuple[trace.Tracer, InMemorySpanExporter]:
    spans = InMemorySpanExporter()
    provider = TracerProvider(sampler=KeepMarked(ratio))
    provider.add_span_processor(SimpleSpanProcessor(spans))
    return provider.get_tracer("test"), spans


def test_a_span_marked_for_keeping_is_kept_in_its_trace_even_when_nothing_else_is() -> None:
    tracer_, spans = tracer(0.0)
    context = telemetry.extract({"traceparent": UNSAMPLED})
    tracer_.start_span("refuse", context=context, attributes={KEEP: True}).end()
    tracer_.start_span("plain", context=context).end()
    tracer_.start_span("new trace").end()
    (kept,) = spans.get_finished_spans()
    assert kept.name == "refuse"
    assert format(kept.context.trace_id, "032x") == UNSAMPLED[3:35]


def test_the_senders_decision_is_followed_and_new_traces_are_sampled_by_the_ratio() -> None:
    tracer_, spans = tracer(1.0)
    tracer_.start_span(
        "sender said no", context=telemetry.extract({"traceparent": UNSAMPLED})
    ).end()
    tracer_.start_span("sender said yes", context=telemetry.extract({"traceparent": SAMPLED})).end()
    tracer_.start_span("new trace").end()
    assert {s.name for s in spans.get_finished_spans()} == {"sender said yes", "new trace"}


def test_a_database_statement_outside_any_trace_starts_none() -> None:
    tracer_, spans = tracer(1.0)
    tracer_.start_span("SELECT", kind=SpanKind.CLIENT).end()
    with tracer_.start_as_current_span("receive"):
        tracer_.start_span("SELECT", kind=SpanKind.CLIENT).end()
    assert [s.name for s in spans.get_finished_spans()] == ["SELECT", "receive"]


def test_only_a_context_of_an_unsampled_trace_needs_no_span_of_its_own() -> None:
    assert not telemetry.worth_a_span({"traceparent": UNSAMPLED})
    assert telemetry.worth_a_span({"traceparent": SAMPLED})
    assert telemetry.worth_a_span({})
    assert telemetry.worth_a_span({"traceparent": "not a traceparent"})


def test_the_shortcut_for_a_new_trace_decides_as_the_sampler_does() -> None:
    sampler = KeepMarked(0.3)
    trace_ids = [(n * 0x9E3779B97F4A7C15F39CC0605CEDC835) % 2**128 for n in range(1, 4001)]
    decided = [sampler.should_sample(None, t, "process").decision.is_sampled() for t in trace_ids]
    assert [sampler.keeps_new(t) for t in trace_ids] == decided
    assert 0.2 < sum(decided) / len(decided) < 0.4
