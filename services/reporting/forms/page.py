"""What a page shows its reader alone: who is signed in (or a way to sign in), the local
provider's notice, and the forms the person may use. Added to every page the route factory
makes (shared.routes), after the page itself is built, so pages stay a function of their
views and are kept for readers who are not signed in."""

from collections.abc import Mapping

from starlette.requests import Request

from plumbing.read_models import NotReady, ReadModels, ReadSession
from services.reporting.forms.slots import csrf_input, fill
from services.reporting.read_models.budget import queries as budget
from services.reporting.read_models.sources import BUDGET
from services.reporting.reports.shared.form_slot import CSRF_PLACE
from services.reporting.reports.shared.pages import PAGES
from services.reporting.signin.sessions import Sessions

PLACE = "<!-- inloggning -->"
# A person's page holds their CSRF token: kept by no one, and its forms send their origin.
PERSONAL_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "same-origin"}


class PersonalPages:
    def __init__(self, sessions: Sessions, models: ReadModels, local: bool) -> None:
        self._sessions = sessions
        self._models = models
        self._local = local

    async def parents(self) -> Mapping[str, str | None]:
        async def read(session: ReadSession) -> Mapping[str, str | None]:
            return {unit.code: unit.parent_code for unit in await budget.units(session)}

        try:
            return await self._models.read(read, (BUDGET,), None)
        except NotReady:
            return {}

    async def __call__(self, request: Request, page: str) -> tuple[str, dict[str, str]]:
        """``page`` as ``request``'s reader sees it, and the headers it is answered with."""
        signed_in = await self._sessions.signed_in(request)
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        bar = PAGES.get_template("signin_bar.html").render(
            signed_in=signed_in, local=self._local, here=here
        )
        page = await fill(page.replace(PLACE, bar, 1), signed_in, self.parents, here)
        token = "" if signed_in is None else str(csrf_input(signed_in.csrf))
        page = page.replace(CSRF_PLACE, token)
        return page, PERSONAL_HEADERS if signed_in is not None else {}
