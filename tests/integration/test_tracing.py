"""One trace from the sending system's request, through storage and NATS, into the projection."""

import httpx
from opentelemetry import trace

from plumbing import telemetry
from tests.conftest import SPANS, eventually
from tests.system import ReportingStack
from tests.tokens import bearer


async def test_the_trace_context_is_carried_from_http_through_the_store_and_nats_to_the_projection(
    reporting_stack: ReportingStack,
) -> None:
    SPANS.clear()
    budget = reporting_stack.budget
    with trace.get_tracer("test").start_as_current_span("ekonomisystem sends") as root:
        headers = telemetry.current_trace_headers()
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=budget.app), base_url="http://budget"
        ) as http:
            response = await http.post(
                "/api/register-unit",
                headers={**headers, **bearer("planner")},
                json={
                    "actor": "controller",
                    "unit_code": "KS",
                    "name": "Kommunstyrelsen",
                    "kind": "board",
                    "effective_on": "2011-01-01",
                },
            )
    assert response.status_code == 201
    trace_id = root.get_span_context().trace_id

    def names() -> dict[str, list]:  # type: ignore[type-arg]
        spans = [s for s in SPANS.get_finished_spans() if s.context.trace_id == trace_id]
        return {s.name: s for s in spans}

    spans = await eventually(names, until=lambda found: "project UnitRegistered" in found)

    server = spans["POST /api/register-unit"]
    command = spans["budget register-unit"]
    publish = spans["publish UnitRegistered"]
    process = spans["process BUDGET_EVENTS"]
    project = spans["project UnitRegistered"]
    assert server.parent.span_id == root.get_span_context().span_id
    # Within the server's span (FastAPI's own telemetry puts a span of the route's function
    # between them).
    by_id = {s.context.span_id: s for s in spans.values()}
    above = command
    while above.parent is not None and above.parent.span_id != server.context.span_id:
        above = by_id[above.parent.span_id]
    assert above.parent is not None
    assert publish.parent.span_id == command.context.span_id
    assert process.parent.span_id == publish.context.span_id
    assert process.attributes["messaging.destination.name"] == "BUDGET_EVENTS"
    assert project.parent.span_id == process.context.span_id
