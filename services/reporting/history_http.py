"""The history routes: /historik/{unit}/{year} (HTML) and /api/historik/{unit}/{year} (JSON)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path
from fastapi.responses import HTMLResponse, Response

from plumbing.http_identity import Access, sees_drafts
from plumbing.identity import Principal
from plumbing.read_models import NotReady, ReadModels
from services.reporting.downloads import RESPONSES, Format, check_format, download
from services.reporting.history import HistoryView, history_to_json
from services.reporting.history_export import history_file_name, history_table
from services.reporting.history_html import render_history_html
from services.reporting.history_queries import unit_history
from services.reporting.plan import UnknownUnit

Year = Annotated[int, Path(ge=1990, le=2100, description="Budgetår")]


def history_router(models: ReadModels, access: Access) -> APIRouter:
    router = APIRouter(tags=["historik"])
    Viewer = Annotated[Principal | None, Depends(access.viewer())]

    async def history(unit_code: str, year: int, drafts: bool) -> HistoryView:
        try:
            return await unit_history(models, unit_code, year, drafts)
        except UnknownUnit:
            raise HTTPException(404, f"Enheten {unit_code} finns inte") from None
        except NotReady:
            raise HTTPException(503, "Rapporterna byggs fortfarande; försök igen strax") from None

    @router.get("/historik/{unit_code}/{year}", response_class=HTMLResponse, responses=RESPONSES)
    async def history_html(
        unit_code: str, year: Year, viewer: Viewer, format: Format = "html"
    ) -> Response:
        """Every change of the unit's figures for the year, oldest first, in Swedish; as CSV
        or an Excel workbook with ?format=csv or ?format=xlsx."""
        check_format(format)
        view = await history(unit_code, year, sees_drafts(viewer))
        if format == "html":
            return HTMLResponse(render_history_html(view))
        return download(history_table(view), format, history_file_name(view))

    @router.get("/api/historik/{unit_code}/{year}")
    async def history_json(unit_code: str, year: Year, viewer: Viewer) -> dict[str, Any]:
        """Every change of the unit's figures for the year: when, who, from where, old and new."""
        return history_to_json(await history(unit_code, year, sees_drafts(viewer)))

    return router
