"""Requests with bytes no code can hold in each parameter of each route an app has.

The routes come from the app's own route table, so a route added later is probed without
anyone listing it: every GET route's path parameters and query parameters (those of its
dependencies too) get each hostile value in turn, the others a plausible one; and every
route, whatever its method, gets a hostile segment after its path. Each answer must be 404
or 422 with a message in Swedish; a page route asked by a browser answers with the Swedish
error page.
"""

import dataclasses
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import httpx
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import RouteContext, iter_route_contexts

from tests.faults.hostile import looks_swedish

# NUL, another control character, DEL, an overlong encoding of "/" and a UTF-16
# surrogate encoded as UTF-8: none of them is a character a code may hold.
HOSTILE = ("%00", "%01", "%7F", "%C0%AF", "%ED%A0%80")
REFUSED = frozenset({404, 422})

# A value each parameter could have, so that only the hostile one is wrong.
PLAUSIBLE = {
    "unit_code": "KS",
    "year": "2011",
    "period": "2011-08",
    "project_code": "kommunikationsplattform",
}
OTHERWISE = "x"

BROWSER = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
SCRIPT = {"accept": "application/json"}

_PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")


@dataclass(frozen=True)
class Probe:
    service: str
    method: str
    route: str  # the route's path as declared, e.g. /plan/{unit_code}/{year}
    parameter: str  # "unit_code", "?per", or "/" for a segment after the path
    value: str
    url: str
    browser: bool  # asked as a browser asks for a page
    page: bool  # the answer must be the Swedish error page

    def __str__(self) -> str:
        asked = "as a browser" if self.browser else "as a script"
        return f"{self.service} {self.method} {self.url} ({asked})"


@dataclass(frozen=True)
class Tried:
    """What a run of probes covered, for the test's output."""

    routes: int
    path_parameters: int
    query_parameters: int
    requests: int

    def __str__(self) -> str:
        return (
            f"{self.requests} requests: {self.routes} routes, {self.path_parameters} path "
            f"and {self.query_parameters} query parameters, {len(HOSTILE)} hostile values "
            "in each and after each path, as a script and as a browser"
        )


def routes(app: FastAPI) -> list[RouteContext]:
    """Every route in ``app``'s route table, including those of included routers."""
    return [route for route in iter_route_contexts(app.routes) if route.path]


def _methods(route: RouteContext) -> set[str]:
    # A mount (the docs pages' own files) names no methods; it is read with GET.
    return set(route.methods or ("GET",))


def _query_parameters(route: RouteContext) -> list[str]:
    dependant = getattr(route.original_route, "dependant", None)
    if not isinstance(dependant, Dependant):
        return []
    names: list[str] = []
    pending = [dependant]
    while pending:
        current = pending.pop()
        names.extend(field.alias for field in current.query_params)
        pending.extend(current.dependencies)
    return sorted(set(names))


def _filled(template: str, values: Mapping[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return values.get(name, PLAUSIBLE.get(name, OTHERWISE))

    return _PARAMETER.sub(value, template)


def _path_parameters(route: RouteContext) -> list[str]:
    return _PARAMETER.findall(str(route.path))


def probes(service: str, app: FastAPI, pages: bool = False) -> tuple[list[Probe], Tried]:
    """The hostile requests for every route of ``app``; ``pages``: whether its routes outside
    /api/ answer a browser with a page."""
    found: list[Probe] = []
    counted_routes = counted_path = counted_query = 0
    for route in routes(app):
        template = str(route.path)
        method = "GET" if "GET" in _methods(route) else sorted(_methods(route))[0]
        page = pages and not template.startswith("/api/")
        plain = _filled(template, {})
        targets = [("/", value, f"{plain.rstrip('/')}/{value}") for value in HOSTILE]
        if method == "GET":
            path_parameters, query_parameters = _path_parameters(route), _query_parameters(route)
            for name in path_parameters:
                targets.extend((name, value, _filled(template, {name: value})) for value in HOSTILE)
            for name in query_parameters:
                targets.extend((f"?{name}", value, f"{plain}?{name}={value}") for value in HOSTILE)
            counted_path += len(path_parameters)
            counted_query += len(query_parameters)
        counted_routes += 1
        for parameter, value, url in targets:
            for browser in (False, True):
                asked = Probe(service, method, template, parameter, value, url, browser, False)
                found.append(dataclasses.replace(asked, page=page and browser))
    return found, Tried(counted_routes, counted_path, counted_query, len(found))


def headers(probe: Probe) -> dict[str, str]:
    return BROWSER if probe.browser else SCRIPT


def _message(response: httpx.Response) -> str:
    """What the answer tells its reader: the JSON's messages, or the page's text."""
    if response.headers.get("content-type", "").startswith("text/html"):
        return re.sub(r"<[^>]+>", " ", response.text)
    try:
        body = response.json()
    except json.JSONDecodeError:
        return response.text
    if not isinstance(body, dict):
        return str(body)
    parts = [body.get("detail"), body.get("fel")]
    parts.extend(p.get("message") for p in body.get("problems") or [] if isinstance(p, dict))
    return " ".join(str(part) for part in parts if isinstance(part, str))


def wrong(probe: Probe, response: httpx.Response) -> str | None:
    """What is wrong with ``response`` as the answer to ``probe``; None when nothing."""
    answer = f"{response.status_code} {response.text[:160]!r}"
    if response.status_code not in REFUSED:
        return f"{probe}: {answer}"
    message = _message(response)
    if not looks_swedish(message):
        return f"{probe}: not in Swedish: {answer}"
    is_page = response.headers.get("content-type", "").startswith("text/html")
    if probe.page and not (is_page and '<html lang="sv">' in response.text):
        return f"{probe}: no Swedish error page: {answer}"
    if not probe.page and is_page:
        return f"{probe}: a page where JSON was due: {answer}"
    return None


async def answer_all(http: httpx.AsyncClient, found: list[Probe]) -> list[str]:
    """Send every probe with ``http``; what was wrong with the answers."""
    problems = []
    for probe in found:
        response = await http.request(probe.method, probe.url, headers=headers(probe))
        problem = wrong(probe, response)
        if problem is not None:
            problems.append(problem)
    return problems


def summary(service: str, tried: Tried, problems: list[str]) -> str:
    shown = "\n  ".join(problems[:20])
    more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
    return f"{service}: {len(problems)} of {tried} answered wrongly\n  {shown}{more}"


def by_route(found: list[Probe]) -> Iterator[str]:
    """Each route probed once, for assertions that the table was read."""
    yield from sorted({probe.route for probe in found})
