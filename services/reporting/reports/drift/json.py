"""The operators' view and a message's journey as JSON (/api/drift, /api/drift/resa/{id})."""

from dataclasses import asdict
from datetime import datetime
from typing import Any

from services.reporting.reports.drift.builder import DriftView, ParkedEvent
from services.reporting.reports.drift.journey import JourneyView, MessageJourney


def _at(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def parked_json(parked: ParkedEvent) -> dict[str, Any]:
    row = parked.row
    return {
        "id": parked.id,
        "projection": parked.projection,
        "label": parked.label,
        "sequence": row.sequence,
        "kind": row.kind.value,
        "reason": row.reason,
        "stream_id": row.stream_id,
        "version": row.version,
        "event_type": row.event_type,
        "parked_at": _at(row.parked_at),
        "seen_at": _at(row.seen_at),
        "size": len(row.body),
        "excerpt": parked.excerpt,
    }


def drift_to_json(view: DriftView) -> dict[str, Any]:
    return {
        "moment": _at(view.moment),
        "services": [
            {
                "name": s.name,
                "ready": s.ready,
                "problem": s.problem,
                "processes": [asdict(p) for p in s.processes],
                "locks": [
                    {
                        "name": lock.name,
                        "epoch": lock.epoch,
                        "acquired_at": _at(lock.acquired_at),
                        "holder": lock.holder,
                    }
                    for lock in s.locks
                ],
                "outbox": None
                if s.backlog is None
                else {"waiting": s.backlog.waiting, "oldest": _at(s.backlog.oldest)},
            }
            for s in view.services
        ],
        "systems": [
            {
                "system": t.system,
                "service": t.service,
                "received": t.received,
                "accepted": t.accepted,
                "refused": t.refused,
            }
            for t in view.traffic
        ],
        "refusals": [
            {
                "service": r.service,
                "refused_at": _at(r.refused_at),
                "system": r.source_system,
                "subject": r.subject,
                "rejection_subject": r.rejection_subject,
                "message_id": r.message_id,
                "trace_id": r.trace_id,
                "reasons": [{"field": f, "message": m} for f, m in r.problems],
            }
            for r in view.refusals
        ],
        "streams": [
            {
                "name": s.name,
                "messages": s.messages,
                "last_sequence": s.last_sequence,
                "problem": s.problem,
                "consumers": [asdict(c) for c in s.consumers],
            }
            for s in view.streams
        ],
        "parked": [parked_json(p) for p in view.parked_events],
        "actions": [
            {
                "done_at": _at(a.done_at),
                "actor": a.actor,
                "actor_name": a.actor_name,
                "action": a.action,
                "target": a.target,
                "outcome": a.outcome,
            }
            for a in view.actions
        ],
    }


def _message_json(message: MessageJourney) -> dict[str, Any]:
    return {
        "service": message.service,
        "message_id": message.message_id,
        "source_system": message.source_system,
        "actor": message.actor,
        "steps": [
            {"at": _at(s.at), "service": s.service, "what": s.what, "detail": s.detail}
            for s in message.steps
        ],
        # Each event as it is: its place in its stream and in NATS.
        "events": [asdict(e) for e in message.events],
        "views": [{"label": v.label, "href": v.href} for v in message.views],
        "caused": [_message_json(m) for m in message.caused],
    }


def journey_to_json(view: JourneyView) -> dict[str, Any]:
    return {
        "id": view.wanted,
        "trace_ids": list(view.trace_ids),
        "trace_links": [link for t in view.trace_ids if (link := view.trace_link(t))],
        "problems": list(view.problems),
        "messages": [_message_json(m) for m in view.messages],
    }
