"""The views controllers and politicians read, in Swedish: every report of reports.catalog
through one route factory, the operators' view and listing of parked events, and the
refusals answered once for all of them."""

from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.responses import RedirectResponse

from plumbing.api_docs import add_api_docs
from plumbing.http_headers import add_security_headers
from plumbing.http_identity import Access, answer_identity_refusals
from plumbing.http_screening import screen_requests
from plumbing.identity import Role
from plumbing.read_models import NotReady, ReadModels
from services.reporting.operations.operator import Operator
from services.reporting.read_models.parked import parked_events
from services.reporting.reports.catalog import reports_by_tag
from services.reporting.reports.drift.builder import LABELS, ParkedEvent
from services.reporting.reports.drift.json import parked_json
from services.reporting.reports.drift.routes import operator_routes
from services.reporting.reports.period_report.builder import DEFAULT_INTERIM_LAST_MONTH
from services.reporting.reports.shared.errors import answer_in_swedish, refused_address
from services.reporting.reports.shared.routes import add_report
from services.reporting.view_cache import ViewCache, keep_answers


def create_app(
    models: ReadModels,
    access: Access,
    home: str = "/plan/KS/2011",
    interim_last_month: int = DEFAULT_INTERIM_LAST_MONTH,
    cache: ViewCache | None = None,
    operator: Operator | None = None,
) -> FastAPI:
    """``interim_last_month``: the interim report's last month by default (ServiceSettings);
    ``cache``: where finished answers are kept until the read models change (None: none);
    ``operator``: the operators' view and its actions (None: only the parked listing)."""
    app = FastAPI(
        title="Rapportering",
        description="Planering med budget och uppföljning",
        docs_url=None,
        redoc_url=None,
    )
    answer_identity_refusals(app)
    answer_in_swedish(app)
    # Middleware, innermost first: kept answers only for a caller the views would let in
    # now; an address no view can have refused before that; the headers on every answer.
    if cache is not None:
        keep_answers(app, cache, access)
    screen_requests(app, refused_address)
    add_security_headers(app)
    add_api_docs(app)

    @app.get("/", include_in_schema=False)
    async def index() -> RedirectResponse:
        return RedirectResponse(home)

    views = APIRouter()
    for tag, tagged in reports_by_tag(interim_last_month).items():
        for report in tagged:
            add_report(views, report, models, access, tag)
    app.include_router(views)
    app.include_router(_operations(models, access))
    if operator is not None:
        app.include_router(operator_routes(operator, models, access))
    return app


def _operations(models: ReadModels, access: Access) -> APIRouter:
    router = APIRouter(tags=["drift"], dependencies=[Depends(access.with_role(Role.OPERATOR))])

    @router.get("/api/drift/parkerade")
    async def parked() -> list[dict[str, Any]]:
        """Events the read models could not take in, with the reason, oldest first."""
        try:
            rows = await parked_events(models)
        except NotReady:
            return []
        return [parked_json(ParkedEvent(p, LABELS[p], row)) for p, row in rows]

    return router
