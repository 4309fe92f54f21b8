"""The operators' routes, for the operator role only: the view (/drift, /api/drift), a
message's journey (/drift/resa/{id}), and the actions on parked events and the read models
(POST), each recorded with who took it."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import JSONResponse, RedirectResponse

from plumbing.http_identity import Access
from plumbing.identity import Principal, Role
from plumbing.read_models import ReadModels
from services.reporting.operations.journey_read import find
from services.reporting.operations.operator import Busy, Operator
from services.reporting.read_models.parked import parked_counts
from services.reporting.reports.drift.builder import DriftView, read_drift
from services.reporting.reports.drift.export import (
    drift_file_name,
    drift_table,
    journey_file_name,
    journey_table,
)
from services.reporting.reports.drift.journey import JourneyView, journey_view
from services.reporting.reports.drift.json import drift_to_json, journey_to_json
from services.reporting.reports.shared.pages import PAGES
from services.reporting.reports.shared.routes import Asked, Read, ReportRoutes, Shown, add_report

TAG = "drift"
# A message id is a UUID, a trace id 32 hexadecimal digits.
ID_PATTERN = r"^[0-9A-Fa-f-]{1,64}$"

Wanted = Annotated[
    str,
    Path(pattern=ID_PATTERN, description="Ett meddelande-id (UUID) eller ett spår-id"),
]
Projection = Annotated[str, Path(max_length=64, description="Projektionen, t.ex. reporting")]
ParkedAt = Annotated[int, Path(ge=1, description="Händelsens nummer i strömmen")]
# What an operator does with a parked event (Operator.replay, Operator.skip): who, the
# projection and the event's number; what happened, in Swedish.
ParkedAction = Callable[[Principal, str, int], Awaitable[str]]
P = TypeVar("P")
V = TypeVar("V")


@dataclass(frozen=True)
class Now:
    """The operators' view is asked nothing: it is always as things stand."""


@dataclass(frozen=True)
class Message:
    id: Wanted


def _operator_report(
    path: str, read: Read[P, V], shown: Shown[V], asked: Callable[..., P]
) -> ReportRoutes[P, V]:
    """A page of the operators: for the operator role only, and always as things stand."""
    return ReportRoutes(path, read, shown, asked, as_of=False, role=Role.OPERATOR)


def _page(template: str) -> Any:
    return lambda view: PAGES.get_template(template).render(view=view)


def operator_reports(operator: Operator) -> list[ReportRoutes[Any, Any]]:
    async def drift(models: ReadModels, asked: Asked[Now]) -> DriftView:
        """Driftvyn: varje tjänsts beredskap, lås och utkorg; varje avsändares kommandon
        den senaste timmen och de senaste avvisningarna; varje ströms konsumenter med
        eftersläpning; parkerade händelser och driftåtgärder."""
        return await read_drift(models, operator.sources)

    async def journey(models: ReadModels, asked: Asked[Message]) -> JourneyView:
        """Ett meddelandes resa, efter meddelande-id eller spår-id: mottaget, beslutat,
        lagrat, publicerat, inläst i rapporteringen, vyerna det syns i, och kommandon det
        ledde till i andra tjänster."""
        wanted = asked.parameters.id.lower()
        found = await find(models, operator.sources, wanted)
        parked, _ = await parked_counts(models)
        return journey_view(wanted, found, operator.trace_url, parked)

    drift_shown = Shown(_page("drift.html"), drift_to_json, drift_table, drift_file_name)
    journey_shown = Shown(_page("journey.html"), journey_to_json, journey_table, journey_file_name)
    return [
        _operator_report("/drift", drift, drift_shown, Now),
        _operator_report("/drift/resa/{id}", journey, journey_shown, Message),
    ]


def operator_routes(operator: Operator, models: ReadModels, access: Access) -> APIRouter:
    router = APIRouter(tags=[TAG])
    for report in operator_reports(operator):
        add_report(router, report, models, access, TAG)
    who = Annotated[Principal, Depends(access.with_role(Role.OPERATOR))]

    @router.get("/drift/resa", include_in_schema=False)
    async def look_up(_: who, id: Annotated[str, Query(pattern=ID_PATTERN)]) -> RedirectResponse:
        return RedirectResponse(f"/drift/resa/{id}", status_code=303)

    @router.post("/api/drift/parkerade/spela-om")
    async def replay_all(principal: who) -> dict[str, list[dict[str, Any]]]:
        """Spela om alla parkerade händelser, efter en rättning."""
        replayed = await operator.replay_all(principal)
        return {
            "projections": [
                {"projection": p, "applied": a, "still_parked": s} for p, a, s in replayed
            ]
        }

    @router.post("/api/drift/parkerade/{projection}/{sequence}/spela-om")
    async def replay(principal: who, projection: Projection, sequence: ParkedAt) -> dict[str, str]:
        """Spela om en parkerad händelse, efter en rättning."""
        return {"outcome": await operator.replay(principal, projection, sequence)}

    @router.post("/api/drift/parkerade/{projection}/{sequence}/hoppa-over")
    async def skip(principal: who, projection: Projection, sequence: ParkedAt) -> dict[str, str]:
        """Ta bort en parkerad händelse ur listan utan att läsa in den."""
        return {"outcome": await operator.skip(principal, projection, sequence)}

    # The page's forms: the same actions, then back to the view.
    def back_to_view(action: ParkedAction) -> Callable[..., Awaitable[RedirectResponse]]:
        async def form(
            principal: who, projection: Projection, sequence: ParkedAt
        ) -> RedirectResponse:
            await action(principal, projection, sequence)
            return RedirectResponse("/drift", status_code=303)

        return form

    for path, action in (("spela-om", operator.replay), ("hoppa-over", operator.skip)):
        router.post(
            f"/drift/parkerade/{{projection}}/{{sequence}}/{path}", include_in_schema=False
        )(back_to_view(action))

    @router.post("/api/drift/parkerade/sedda")
    async def seen(principal: who) -> dict[str, int]:
        """Markera alla parkerade händelser som sedda av driftansvarig."""
        return {"marked": await operator.mark_seen(principal)}

    @router.post("/api/drift/ombyggnad")
    async def rebuild(principal: who) -> JSONResponse:
        """Bygg om rapportmodellerna från strömmarna medan vyerna fortsätter svara."""
        try:
            rebuilt = await operator.rebuild(principal)
        except Busy as busy:
            return JSONResponse({"detail": str(busy)}, status_code=409)
        return JSONResponse(
            {"projections": [{"label": label, "generation": g} for label, g in rebuilt]}
        )

    return router
