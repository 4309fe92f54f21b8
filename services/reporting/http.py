"""The views controllers and politicians read, in Swedish."""

import dataclasses
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Path, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from plumbing.http_headers import add_security_headers
from plumbing.http_identity import Access, answer_identity_refusals
from plumbing.http_screening import screen_requests
from plumbing.identity import Principal, Role
from plumbing.parking import ParkedRow
from plumbing.read_models import NotReady, ReadModels
from services.reporting.as_of_http import Moment
from services.reporting.budget_versions_http import (
    VersionParameter,
    chosen_version,
    versions_router,
)
from services.reporting.downloads import RESPONSES, Format, check_format, download
from services.reporting.error_pages import answer_in_swedish, refused_address
from services.reporting.goals_export import goals_file_name, goals_table
from services.reporting.goals_html import render_goals_html
from services.reporting.goals_view import (
    Filters,
    GoalsView,
    UnknownFilter,
    build_goals_view,
    goals_view_to_json,
)
from services.reporting.history_http import history_router
from services.reporting.month_report_http import month_report_router
from services.reporting.period_report import DEFAULT_INTERIM_LAST_MONTH
from services.reporting.period_report_http import period_report_router
from services.reporting.plan import PlanView, UnknownUnit, build_plan, plan_to_json
from services.reporting.plan_export import plan_file_name, plan_table
from services.reporting.plan_html import render_plan_html
from services.reporting.projects_http import projects_router
from services.reporting.queries import goals_input, plan_input
from services.reporting.read_models.parked import parked_events
from services.reporting.view_cache import ViewCache, keep_answers

PARKED_EXCERPT_BYTES = 2000

Year = Annotated[int, Path(ge=1990, le=2100, description="Budgetår")]


def create_app(
    models: ReadModels,
    access: Access,
    home: str = "/plan/KS/2011",
    interim_last_month: int = DEFAULT_INTERIM_LAST_MONTH,
    cache: ViewCache | None = None,
) -> FastAPI:
    """``interim_last_month``: the interim report's last month by default (ServiceSettings);
    ``cache``: where finished answers are kept until the read models change (None: none)."""
    app = FastAPI(title="Rapportering", description="Planering med budget och uppföljning")
    answer_identity_refusals(app)
    answer_in_swedish(app)
    # Middleware, innermost first: kept answers only for a caller the views would let in
    # now; an address no view can have refused before that; the headers on every answer.
    if cache is not None:
        keep_answers(app, cache, access)
    screen_requests(app, refused_address)
    add_security_headers(app)
    Viewer = Annotated[Principal | None, Depends(access.viewer())]

    async def plan(
        unit_code: str,
        year: int,
        viewer: Principal | None,
        moment: datetime | None,
        version: str | None,
    ) -> PlanView:
        chosen = chosen_version(version, viewer)
        try:
            data = await plan_input(
                models, year, unit_code, moment, chosen.statuses, in_order=chosen.in_order
            )
            view = build_plan(data, unit_code, year)
            return dataclasses.replace(view, per=moment, version=chosen.name)
        except UnknownUnit:
            raise HTTPException(404, f"Enheten {unit_code} finns inte") from None
        except NotReady:
            raise HTTPException(503, "Rapporterna byggs fortfarande; försök igen strax") from None

    @app.get("/", include_in_schema=False)
    async def index() -> RedirectResponse:
        return RedirectResponse(home)

    @app.get("/plan/{unit_code}/{year}", response_class=HTMLResponse, responses=RESPONSES)
    async def plan_html(
        unit_code: str,
        year: Year,
        viewer: Viewer,
        moment: Moment,
        version: VersionParameter = None,
        format: Format = "html",
    ) -> Response:
        """The plan; its tables as CSV or an Excel workbook with ?format=csv or ?format=xlsx;
        as it stood at an earlier moment with ?per=, one budget version with ?version=."""
        check_format(format)
        view = await plan(unit_code, year, viewer, moment, version)
        if format == "html":
            return HTMLResponse(render_plan_html(view))
        return download(plan_table(view), format, plan_file_name(view))

    @app.get("/api/plan/{unit_code}/{year}")
    async def plan_json(
        unit_code: str,
        year: Year,
        viewer: Viewer,
        moment: Moment,
        version: VersionParameter = None,
    ) -> dict[str, Any]:
        return plan_to_json(await plan(unit_code, year, viewer, moment, version))

    async def goals(
        unit_code: str,
        year: int,
        perspective: str | None,
        attained: str | None,
        moment: datetime | None,
    ) -> GoalsView:
        # Goals carry no drafts: every reader of the plan sees them alike.
        try:
            filters = Filters.parse(perspective, attained)
            data = await goals_input(models, unit_code, year, moment)
            root = data.units[0]
            view = build_goals_view(data, root, year, filters)
            return dataclasses.replace(view, per=moment)
        except UnknownFilter as error:
            raise HTTPException(422, str(error)) from None
        except UnknownUnit:
            raise HTTPException(404, f"Enheten {unit_code} finns inte") from None
        except NotReady:
            raise HTTPException(503, "Rapporterna byggs fortfarande; försök igen strax") from None

    Perspective = Annotated[
        str | None, Query(alias="perspektiv", description="Perspektivets id; med underområden")
    ]
    Attained = Annotated[
        str | None,
        Query(
            alias="maluppfyllelse",
            description="uppfyllt, delvis, ej_uppfyllt eller ej_matt",
        ),
    ]

    @app.get("/mal/{unit_code}/{year}", response_class=HTMLResponse, responses=RESPONSES)
    async def goals_html(
        unit_code: str,
        year: Year,
        viewer: Viewer,
        moment: Moment,
        perspective: Perspective = None,
        attained: Attained = None,
        format: Format = "html",
    ) -> Response:
        """Result goals and commitments of the unit and everything under it, with attainment;
        as CSV or an Excel workbook with ?format=csv or ?format=xlsx; as it stood at an
        earlier moment with ?per=."""
        check_format(format)
        view = await goals(unit_code, year, perspective, attained, moment)
        if format == "html":
            return HTMLResponse(render_goals_html(view))
        return download(goals_table(view), format, goals_file_name(view))

    @app.get("/api/mal/{unit_code}/{year}")
    async def goals_json(
        unit_code: str,
        year: Year,
        viewer: Viewer,
        moment: Moment,
        perspective: Perspective = None,
        attained: Attained = None,
    ) -> dict[str, Any]:
        return goals_view_to_json(await goals(unit_code, year, perspective, attained, moment))

    operator = Depends(access.with_role(Role.OPERATOR))

    @app.get("/api/drift/parkerade", tags=["drift"], dependencies=[operator])
    async def parked() -> list[dict[str, Any]]:
        """Events the read models could not take in, with the reason, oldest first."""
        try:
            rows = await parked_events(models)
        except NotReady:
            return []
        return [_parked_json(projection, row) for projection, row in rows]

    app.include_router(history_router(models, access))
    app.include_router(versions_router(models, access))
    app.include_router(projects_router(models, access))
    app.include_router(month_report_router(models, access))
    app.include_router(period_report_router(models, access, interim_last_month))
    return app


def _parked_json(projection: str, row: ParkedRow) -> dict[str, Any]:
    return {
        "projection": projection,
        "sequence": row.sequence,
        "kind": row.kind.value,
        "reason": row.reason,
        "stream_id": row.stream_id,
        "version": row.version,
        "event_type": row.event_type,
        "parked_at": row.parked_at.isoformat() if row.parked_at else None,
        "seen_at": row.seen_at.isoformat() if row.seen_at else None,
        "size": len(row.body),
        "excerpt": row.body[:PARKED_EXCERPT_BYTES].decode("utf-8", errors="replace"),
    }
