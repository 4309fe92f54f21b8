"""Tracing: one W3C trace context carried through HTTP, the event store, NATS and projections."""

import os
import re
from collections.abc import Mapping, MutableMapping

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_PROPAGATOR = TraceContextTextMapPropagator()


def setup_tracing(service_name: str, exporter: SpanExporter | None = None) -> None:
    """Install a tracer provider that exports spans, when there is somewhere to send them.

    With no exporter given and no OTEL_EXPORTER_OTLP_ENDPOINT set, the API's no-op tracer
    stays: trace context is still passed along, but no spans are recorded, which keeps the
    hot path cheap on a laptop.
    """
    if exporter is None and os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter()
    if exporter is None:
        return
    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)


def enabled() -> bool:
    """Whether spans are recorded anywhere (a tracer provider has been installed)."""
    return not isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider)


def tracer(name: str) -> trace.Tracer:
    return trace.get_tracer(name)


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
