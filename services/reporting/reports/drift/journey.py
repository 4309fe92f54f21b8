"""A message's journey: every step from the sending system to the views, with its time,
built from what journey_read found. Pure: found in, view model out."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from services.reporting.operations.journey_read import SERVICES, Found, projection_of
from services.reporting.operations.service_tables import Refusal, StoredEvent
from services.reporting.reports.shared.refusals import NotFound
from services.reporting.reports.shared.wayfinding import Link

HTTP_SOURCE = "http"


@dataclass(frozen=True)
class Step:
    at: datetime | None
    service: str
    what: str  # Mottaget, Godtaget, Avvisat, Lagrat, Publicerat, Inläst, Parkerat, …
    detail: str


@dataclass(frozen=True)
class Decided:
    """An event the message was accepted as: where it stands in its stream and in NATS."""

    event_id: str
    event_type: str
    stream_id: str
    version: int
    sequence: int | None  # in the events stream, once published and taken in


@dataclass(frozen=True)
class MessageJourney:
    service: str
    message_id: str
    source_system: str
    actor: str | None
    steps: tuple[Step, ...]
    views: tuple[Link, ...]  # the pages its figures show in
    caused: tuple["MessageJourney", ...]  # commands it led another service to take
    events: tuple[Decided, ...] = ()  # none: it was refused


@dataclass(frozen=True)
class JourneyView:
    wanted: str
    messages: tuple[MessageJourney, ...]
    trace_ids: tuple[str, ...]
    trace_url: str | None  # with {trace_id}
    problems: tuple[str, ...]
    parked: int = 0

    @property
    def title(self) -> str:
        return f"Meddelandets resa: {self.wanted}"

    def trace_link(self, trace_id: str) -> str | None:
        return None if self.trace_url is None else self.trace_url.replace("{trace_id}", trace_id)


def views_of(event: StoredEvent) -> list[Link]:
    """The pages where what ``event`` says is shown."""
    payload = event.payload
    unit, project = payload.get("unit_code"), payload.get("project_code")
    period = str(payload.get("period") or "")
    year = payload.get("year") or (period[:4] if period[:4].isdigit() else None)
    views = []
    if event.service == "budget" and unit and year:
        views.append(Link(f"Historiken för {unit} {year}", f"/historik/{unit}/{year}"))
        views.append(Link(f"Planen för {unit} {year}", f"/plan/{unit}/{year}"))
        if len(period) == 7:
            views.append(
                Link(f"Månadsuppföljningen {unit} {period}", f"/uppfoljning/{unit}/{period}")
            )
    if event.service == "goals" and unit and year:
        views.append(Link(f"Målen för {unit} {year}", f"/mal/{unit}/{year}"))
    if event.service == "projects" and project:
        views.append(Link(f"Projektet {project}", f"/projekt/{project}"))
    return views


def _received(found: Found, service: str, message_id: str, first: StoredEvent) -> Step:
    source = first.meta("source_system") or "okänt"
    row = found.received.get((service, message_id))
    if source == HTTP_SOURCE or row is None or row.sequence is None:
        at = row.received_at if row else first.recorded_at
        return Step(at, service, "Mottaget", f"över HTTP av {service}, från {first.meta('actor')}")
    stream = SERVICES[service].inbound_stream
    msg = found.inbound.get((service, row.sequence))
    subject = msg.subject if msg else f"{service}.inbound.{source}.…"
    at = msg.time if msg and msg.time else row.received_at
    where = f"på {subject} av {service} ({stream} nr {row.sequence})"
    return Step(at, service, "Mottaget", where)


def _event_steps(found: Found, event: StoredEvent) -> list[Step]:
    where = f"{event.event_type} {event.stream_id} version {event.version}"
    steps = [
        Step(event.recorded_at, event.service, "Lagrat", f"{where}, händelse {event.event_id}")
    ]
    reads = projection_of(event.service)
    stream = SERVICES[event.service].events_stream
    published = found.published.get(event.event_id)
    applied = found.applied.get(event.event_id)
    if event.event_id in found.waiting:
        steps.append(Step(None, event.service, "Väntar", "i utkorgen, ännu inte publicerad"))
    elif published is not None:
        detail = f"på {published.subject} ({stream} nr {published.seq})"
        steps.append(Step(published.time, event.service, "Publicerat", detail))
    elif applied is not None and applied.sequence is not None:
        detail = f"{stream} nr {applied.sequence}"
        steps.append(Step(None, event.service, "Publicerat", detail))
    parked = found.parked.get((event.stream_id, event.version))
    label = reads.label if reads else "–"
    if applied is not None:
        steps.append(Step(applied.applied_at, "reporting", "Inläst", f"av projektionen {label}"))
    elif parked is not None:
        detail = f"av projektionen {label} ({parked.kind.value}): {parked.reason}"
        steps.append(Step(parked.parked_at, "reporting", "Parkerat", detail))
    elif event.event_id not in found.waiting:
        steps.append(Step(None, "reporting", "Väntar", f"inte inläst av projektionen {label} än"))
    return steps


def _decided(found: Found, event: StoredEvent) -> Decided:
    applied = found.applied.get(event.event_id)
    published = found.published.get(event.event_id)
    sequence = published.seq if published else (applied.sequence if applied else None)
    return Decided(event.event_id, event.event_type, event.stream_id, event.version, sequence)


def _events(count: int) -> str:
    return "1 händelse" if count == 1 else f"{count} händelser"


def _journey(
    found: Found, service: str, message_id: str, events: list[StoredEvent]
) -> MessageJourney:
    first = events[0]
    listed = ", ".join(f"{e.event_type} ({e.stream_id} v{e.version})" for e in events)
    steps = [
        _received(found, service, message_id, first),
        Step(first.recorded_at, service, "Godtaget", f"{_events(len(events))}: {listed}"),
    ]
    for event in events:
        steps.extend(_event_steps(found, event))
    views = {v.href: v for e in events for v in views_of(e)}
    mine = {e.event_id for e in events}
    caused = _messages(
        found, lambda e: (e.meta("causation_id") or "") in mine and e.event_id not in mine
    )
    return MessageJourney(
        service,
        message_id,
        first.meta("source_system") or "",
        first.meta("actor"),
        tuple(steps),
        tuple(views.values()),
        tuple(caused),
        tuple(_decided(found, e) for e in events),
    )


def _messages(found: Found, wanted: Callable[[StoredEvent], bool]) -> list[MessageJourney]:
    groups: dict[tuple[str, str], list[StoredEvent]] = {}
    for event in found.events:
        if wanted(event):
            groups.setdefault((event.service, event.meta("message_id") or ""), []).append(event)
    return [
        _journey(found, service, message_id, events)
        for (service, message_id), events in groups.items()
    ]


def _refused(found: Found, refusal: Refusal) -> MessageJourney:
    reasons = "; ".join(f"{field}: {text}" if field else text for field, text in refusal.problems)
    msg = None
    if refusal.sequence is None:
        received = f"över HTTP av {refusal.service}, {refusal.subject}"
        answered = "avvisningen gavs i HTTP-svaret"
    else:
        msg = found.inbound.get((refusal.service, refusal.sequence))
        stream = SERVICES[refusal.service].inbound_stream
        received = f"på {refusal.subject} av {refusal.service} ({stream} nr {refusal.sequence})"
        answered = f"avvisningen skickades på {refusal.rejection_subject}"
    steps = (
        Step(
            msg.time if msg and msg.time else refusal.refused_at,
            refusal.service,
            "Mottaget",
            received,
        ),
        Step(
            refusal.refused_at,
            refusal.service,
            "Avvisat",
            f"{reasons}; {answered}",
        ),
    )
    return MessageJourney(
        refusal.service, refusal.message_id or "–", refusal.source_system, None, steps, (), ()
    )


def journey_view(wanted: str, found: Found, trace_url: str | None, parked: int) -> JourneyView:
    """The journeys of the messages found for ``wanted``: each one not caused by another
    found, with what it caused beneath it. NotFound when nothing was found at all."""
    if not found.events and not found.refusals:
        raise NotFound(
            f"Inget hittades för {wanted}: inget meddelande med det id:t och inget spår med"
            " det spår-id:t har tagits emot av någon tjänst"
        )
    causes = {e.event_id for e in found.events}
    roots = _messages(found, lambda e: (e.meta("causation_id") or "") not in causes)
    traces = {e.trace_id for e in found.events if e.trace_id} | {
        r.trace_id for r in found.refusals if r.trace_id
    }
    return JourneyView(
        wanted=wanted,
        messages=tuple([*roots, *(_refused(found, r) for r in found.refusals)]),
        trace_ids=tuple(sorted(traces)),
        trace_url=trace_url,
        problems=tuple(found.problems),
        parked=parked,
    )
