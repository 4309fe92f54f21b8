"""The operators' commands against a running ``kommunplan up``: status, parked, rebuild and
journey. They find it by the note ``up`` leaves in its data folder (stack_state), sign an
operator token with its local key, and ask reporting's /api/drift; no database URL or NATS
credential is needed. What goes wrong is said in one Swedish line, with a non-zero exit."""

import getpass
import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from kommunplan import local_identity, stack_state
from kommunplan.operator_text import journey_lines, parked_lines, status_lines
from plumbing.settings import StackSettings

NO_TOKEN = (
    "KOMMUNPLAN_REPORTING_URL är satt men inte KOMMUNPLAN_OPERATOR_TOKEN; ange en token med"
    " rollen operator från kommunens identitetsleverantör."
)
NOT_RUNNING = (
    "Kommunplan körs inte med datamappen {data_dir}; starta den med `python3 run.py up`"
    " (eller ange samma KOMMUNPLAN_DATA_DIR som den startades med)."
)
# What `parked --replay` without an id stands for.
EVERY = "alla"
# A rebuild replays every stream; the views keep answering meanwhile.
REBUILD_SECONDS = 3600.0


class Refused(Exception):
    """What to tell the operator, in one Swedish line."""


def _local_token(data_dir: Path) -> str:
    user = getpass.getuser()
    return local_identity.issue_token(
        data_dir, ["operator"], [], user, f"{user} (kommandoraden)", hours=0.25
    )


def _reporting(settings: StackSettings) -> tuple[str, str]:
    """Where reporting answers and the operator's token: as given, or the running `up`'s."""
    if settings.reporting_url is not None:
        if settings.operator_token is None:
            raise Refused(NO_TOKEN)
        return settings.reporting_url.rstrip("/"), settings.operator_token.get_secret_value()
    data_dir = Path(settings.data_dir).resolve()
    running = stack_state.running(data_dir)
    if running is None:
        raise Refused(NOT_RUNNING.format(data_dir=data_dir))
    return running.reporting_url, _local_token(data_dir)


def _call(settings: StackSettings, method: str, path: str, timeout: float = 30.0) -> Any:
    url, token = _reporting(settings)
    request = urllib.request.Request(
        url + path,
        method=method,
        headers={"Authorization": f"Bearer {token}", "accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        raise Refused(f"Rapporteringen svarade {error.code}: {_detail(error)}") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise Refused(
            f"Rapporteringen på {url} svarar inte ({reason}); den kanske startar om,"
            " försök igen strax."
        ) from None


def _detail(error: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(error.read())
    except ValueError:
        return error.reason
    if isinstance(body, dict):
        if isinstance(body.get("detail"), str):
            return str(body["detail"])
        problems = body.get("problems")
        if isinstance(problems, list) and problems:
            return "; ".join(str(p.get("message", "")) for p in problems)
    return str(body)


def _parked_path(given: str, action: str) -> str:
    projection, _, sequence = given.rpartition(":")
    if not projection or not sequence.isdigit():
        raise Refused(f"{given!r} är inget id för en parkerad händelse; skriv t.ex. reporting:12")
    return f"/api/drift/parkerade/{projection}/{sequence}/{action}"


def status(settings: StackSettings) -> list[str]:
    return status_lines(_call(settings, "GET", "/api/drift"))


def parked(settings: StackSettings, replay: str | None, skip: str | None, seen: bool) -> list[str]:
    lines: list[str] = []
    if replay == EVERY:
        answer = _call(settings, "POST", "/api/drift/parkerade/spela-om")
        lines.extend(
            f"Omspelning ({p['projection']}): {p['applied']} händelser inlästa,"
            f" {p['still_parked']} fortfarande parkerade."
            for p in answer["projections"]
        )
    elif replay is not None:
        answer = _call(settings, "POST", _parked_path(replay, "spela-om"))
        lines.append(f"{replay}: {answer['outcome']}.")
    if skip is not None:
        answer = _call(settings, "POST", _parked_path(skip, "hoppa-over"))
        lines.append(f"{skip}: {answer['outcome']}.")
    if seen:
        answer = _call(settings, "POST", "/api/drift/parkerade/sedda")
        lines.append(f"{answer['marked']} parkerade händelser markerade som sedda.")
    return lines + parked_lines(_call(settings, "GET", "/api/drift")["parked"])


def rebuild(settings: StackSettings) -> list[str]:
    answer = _call(settings, "POST", "/api/drift/ombyggnad", timeout=REBUILD_SECONDS)
    lines: list[str] = []
    for projection in answer["projections"]:
        models = f"Rapportmodellerna för {projection['label']}"
        if projection["generation"] is None:
            lines.append(f"{models}: ingen händelseström ännu, inget att bygga om.")
        else:
            lines.append(f"{models} är ombyggda; generation {projection['generation']} används nu.")
    return lines


def journey(settings: StackSettings, wanted: str) -> list[str]:
    return journey_lines(
        _call(settings, "GET", f"/api/drift/resa/{urllib.parse.quote(wanted, safe='')}")
    )
