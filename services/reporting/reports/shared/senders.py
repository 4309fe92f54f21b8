"""Who sent something and when, in the reader's words: a person by name, a system or a
service by its name, a moment in Swedish time. The history, the plan's notes and the
measurements and status reports all say it the same way."""

from datetime import datetime

from contracts.write_services import WRITE_SERVICES
from services.reporting.reports.shared.as_of import shown_moment

# The source a person's change comes from: signed in, over HTTP, with the token naming them.
PERSON_SOURCE = "http"
# The services that send each other commands, by the name they send under: "projekttjänsten".
_SERVICE_TITLES = {service.name: service.title for service in WRITE_SERVICES}


def sender_in_words(actor: str, actor_name: str | None, source_system: str) -> str:
    """Who sent something, in words: a person by name and account, "Anna Andersson
    (anna.controller)", a system by its name, "ekonomisystem", a service by its title."""
    if source_system == PERSON_SOURCE:
        if actor_name and actor_name != actor:
            return f"{actor_name} ({actor})"
        return actor
    return source_in_words(source_system)


def source_in_words(source_system: str) -> str:
    """Where something came from, in words: a system's or a service's name, or for a person
    signed in, "inloggad användare"."""
    if source_system == PERSON_SOURCE:
        return "inloggad användare"
    return _SERVICE_TITLES.get(source_system, source_system)


def swedish_time(moment: datetime) -> str:
    """A moment in Swedish time to the minute, summer or winter: "2026-12-06 23:41"."""
    shown = shown_moment(moment)
    assert shown is not None
    return shown
