"""Tracing and metrics: one W3C trace context carried through HTTP, the event store, NATS and
projections, and the process's metrics, served at /metrics and exported over OTLP.

``setup`` is the one place a process installs them, at start-up. A tracer provider is always
installed, so every command and message has a trace id (handed back to its sender, logged and
stored with its events) even when nothing is sampled or exported; spans are sampled by the
parent's decision or, at a trace's first contact, by ``trace_sample_ratio``, except those
marked with ``KEEP`` (a refusal, a parked event), which are always kept.
"""

import os
import re
from collections.abc import Mapping, MutableMapping, Sequence
from typing import TYPE_CHECKING

from opentelemetry import metrics, trace
from opentelemetry.context import Context
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import MetricReader, PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.sampling import (
    Decision,
    ParentBased,
    Sampler,
    SamplingResult,
    TraceIdRatioBased,
)
from opentelemetry.trace import Link, SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from opentelemetry.util.types import Attributes

if TYPE_CHECKING:
    from fastapi import FastAPI

_PROPAGATOR = TraceContextTextMapPropagator()

KEEP = "kommunplan.keep"
"""A span started with this attribute true is kept whatever the sampling ratio says."""

_installed: set[str] = set()


class KeepMarked(Sampler):
    """The parent's decision, or ``ratio`` of new traces; always a span marked ``KEEP``."""

    def __init__(self, ratio: float) -> None:
        self._ratio = ratio
        self._new_traces = TraceIdRatioBased(ratio)
        self._base = ParentBased(self._new_traces)

    def keeps_new(self, trace_id: int) -> bool:
        """The decision for a trace that starts here with no parent and no mark: the ratio's
        own test, without looking up a parent that is not there."""
        return trace_id & TraceIdRatioBased.TRACE_ID_LIMIT < self._new_traces.bound

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        trace_state: trace.TraceState | None = None,
    ) -> SamplingResult:
        parent = trace.get_current_span(parent_context).get_span_context()
        if attributes and attributes.get(KEEP):
            return SamplingResult(Decision.RECORD_AND_SAMPLE, attributes, parent.trace_state)
        if kind == SpanKind.CLIENT and not parent.is_valid:
            # A database statement outside any trace (a relay's poll, a lock's watch) starts
            # none: thousands a minute, each alone, would bury the traces worth reading.
            return SamplingResult(Decision.DROP)
        return self._base.should_sample(
            parent_context, trace_id, name, kind, attributes, links, trace_state
        )

    def get_description(self) -> str:
        return f"KeepMarked{{ParentBased{{TraceIdRatioBased{{{self._ratio}}}}}}}"


def setup(
    service_name: str,
    sample_ratio: float,
    exporter: SpanExporter | None = None,
    enabled: bool = True,
) -> None:
    """Install tracing, metrics and the FastAPI and asyncpg instrumentation, once per process;
    nothing when not ``enabled`` (the API's no-op providers stay).

    Spans and metrics go over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set (or spans to
    ``exporter``); metrics are always readable at /metrics (plumbing.metrics).
    """
    if not enabled:
        _installed.add("off")
        return
    if "tracing" not in _installed:
        _installed.add("tracing")
        setup_tracing(service_name, exporter, sample_ratio)
    if "metrics" not in _installed:
        _installed.add("metrics")
        _setup_metrics(service_name)
        # The stable names (http.server.request.duration, db.client.operation.duration);
        # read by the instrumentation when it is first used, so set before.
        os.environ.setdefault("OTEL_SEMCONV_STABILITY_OPT_IN", "http,database")
        from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor

        AsyncPGInstrumentor().instrument()  # type: ignore[no-untyped-call]


def setup_tracing(
    service_name: str, exporter: SpanExporter | None = None, sample_ratio: float = 1.0
) -> None:
    """Install a tracer provider sampling with ``KeepMarked``, exporting where configured."""
    if exporter is None and os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter()
    provider = TracerProvider(
        resource=Resource.create({"service.name": service_name}),
        sampler=KeepMarked(sample_ratio),
    )
    if exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)


def _setup_metrics(service_name: str) -> None:
    from opentelemetry.exporter.prometheus import PrometheusMetricReader

    readers: list[MetricReader] = [PrometheusMetricReader()]
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter

        readers.append(PeriodicExportingMetricReader(OTLPMetricExporter()))
    resource = Resource.create({"service.name": service_name})
    metrics.set_meter_provider(MeterProvider(resource=resource, metric_readers=readers))


def instrument_app(app: "FastAPI") -> None:
    """HTTP server spans and http.server.request.duration for a FastAPI app."""
    if "off" in _installed:
        return
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(app, excluded_urls="/metrics,/health,/ready")


def enabled() -> bool:
    """Whether spans are recorded anywhere (a tracer provider has been installed)."""
    return not isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider)


def tracer(name: str) -> trace.Tracer:
    return trace.get_tracer(name)


def trace_id(context: Context | None = None) -> str | None:
    """The current (or given) context's trace id as 32 hex digits; None outside a trace."""
    span = trace.get_current_span(context).get_span_context()
    return format(span.trace_id, "032x") if span.is_valid else None


def trace_id_of(traceparent: str | None) -> str | None:
    """The trace id in a W3C ``traceparent`` value, None when there is none."""
    if traceparent is None or not _TRACEPARENT.fullmatch(traceparent):
        return None
    return traceparent[3:35]


_TRACEPARENT = re.compile(r"[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")
_TRACESTATE = re.compile(r"[\x20-\x7e]{1,512}")


def well_formed(headers: Mapping[str, str]) -> dict[str, str]:
    """The sender's W3C trace context, if it is well formed, to pass on unchanged.

    Headers come from outside: anything else (too long, control characters) is dropped
    here rather than stored with an event.
    """
    context: dict[str, str] = {}
    parent = headers.get("traceparent")
    if parent is not None and _TRACEPARENT.fullmatch(parent):
        context["traceparent"] = parent
        state = headers.get("tracestate")
        if state is not None and _TRACESTATE.fullmatch(state):
            context["tracestate"] = state
    return context


def worth_a_span(carrier: Mapping[str, str] | None) -> bool:
    """Whether a span continuing ``carrier``'s context could be recorded: False when it
    carries a well-formed ``traceparent`` whose trace is not sampled.

    A span there would be recorded nowhere; passing the context on unchanged keeps the trace
    id as well, for a fraction of the cost (most traces are not sampled: the hot paths make a
    span per message). A trace starts only where there is no context to continue.
    """
    parent = (carrier or {}).get("traceparent")
    if parent is None or not _TRACEPARENT.fullmatch(parent):
        return True
    return bool(int(parent[-2:], 16) & 1)


def unsampled_start(name: str) -> dict[str, str] | None:
    """The context of a trace starting here that the sampler leaves out, made without a span;
    None when it keeps the trace (then start a span marked ``KEEP``: the coin is tossed once).

    Most traces are not sampled, and a message with no context of its own starts one: its id
    is all the trace needs from here, and a span object per message costs the hot path more
    than the rest of its telemetry.
    """
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        return None
    trace_id = provider.id_generator.generate_trace_id()
    sampler = provider.sampler
    if isinstance(sampler, KeepMarked):
        kept = sampler.keeps_new(trace_id)
    else:
        kept = sampler.should_sample(None, trace_id, name).decision != Decision.DROP
    if kept:
        return None
    return {"traceparent": f"00-{trace_id:032x}-{provider.id_generator.generate_span_id():016x}-00"}


def extract(carrier: Mapping[str, str] | None) -> Context:
    """The trace context found in headers or event metadata (empty when there is none)."""
    return _PROPAGATOR.extract(carrier=dict(carrier or {}))


def inject(carrier: MutableMapping[str, str], context: Context | None = None) -> None:
    """Write ``traceparent`` (and ``tracestate``) of the current or given context."""
    _PROPAGATOR.inject(carrier, context=context)


def current_trace_headers(context: Context | None = None) -> dict[str, str]:
    headers: dict[str, str] = {}
    inject(headers, context)
    return headers


def kept_span(
    name: str, context: Context | None = None, attributes: Mapping[str, str] | None = None
) -> trace.Span:
    """A span that is kept whatever the sampling (a refusal, a parked event); end it."""
    return tracer("kommunplan").start_span(
        name, context=context, attributes={KEEP: True, **(attributes or {})}
    )
