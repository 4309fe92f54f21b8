"""A moment a view is read as of (``?per=``): parsed, checked and shown; the views read what
was known then from the events' recorded times (plumbing.read_model_versions)."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

# The municipality's clock: a moment written without an offset is Swedish time.
LOCAL_TIME = ZoneInfo("Europe/Stockholm")

# ASCII digits only: a date, optionally a time to the minute or second, optionally an offset.
_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?)?"
    r"(?:Z|[+-][0-9]{2}:[0-9]{2})?"
)


class BadMoment(ValueError):
    """A ``per`` that names no moment, or one not yet come; the message is Swedish."""


def parse_moment(text: str, now: datetime) -> datetime:
    """The moment ``text`` names; a date alone is the end of that day, Swedish time."""
    if _MOMENT.fullmatch(text) is None:
        raise BadMoment(
            f"Tidpunkten {text[:40]} går inte att läsa; skriv ÅÅÅÅ-MM-DD eller"
            " ÅÅÅÅ-MM-DDTTT:MM, t.ex. 2011-09-15T12:00"
        )
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BadMoment(f"Tidpunkten {text} finns inte i kalendern") from None
    whole_day = len(text) == len("2011-09-15")
    if whole_day:
        moment = datetime.combine(moment.date() + timedelta(days=1), time()) - timedelta(
            microseconds=1
        )
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TIME)
    if whole_day and moment > now >= moment - timedelta(days=1):
        return now  # today: as far as it has come
    if moment > now:
        raise BadMoment(
            f"Tidpunkten {text} ligger i framtiden; rapporten kan visas som den såg ut fram till nu"
        )
    return moment


def shown_moment(moment: datetime | None) -> str | None:
    """The moment as the pages print it, in Swedish time: "2011-09-15 12:00"."""
    if moment is None:
        return None
    return moment.astimezone(LOCAL_TIME).strftime("%Y-%m-%d %H:%M")


def shown_instant(moment: datetime | None) -> str | None:
    """To the millisecond, in Swedish time, for steps that follow each other closely."""
    if moment is None:
        return None
    return moment.astimezone(LOCAL_TIME).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def moment_json(moment: datetime | None) -> str | None:
    """The moment in a view's JSON: ISO 8601 with its offset, or null for now."""
    return None if moment is None else moment.isoformat()
