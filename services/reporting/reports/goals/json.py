"""The goals view (/mal) as JSON: every value as it was measured, with its attainment and rule."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from contracts.goals.fields import (
    CommitmentKind,
)
from services.reporting.reports.goals.builder import KIND_LABELS
from services.reporting.reports.goals.commitment import STATUS_WORDS, CommitmentView, Measured
from services.reporting.reports.goals.view import GoalsView, PerspectiveSummary
from services.reporting.reports.shared.as_of import moment_json
from services.reporting.reports.shared.attainment import Attainment
from services.reporting.reports.shared.formatting import format_measure


def _value(value: Decimal | None, unit: str | None) -> dict[str, str] | None:
    if value is None:
        return None
    return {"value": format(value, "f"), "text": format_measure(value, unit)}


def _measured_json(measured: Measured | None, unit: str | None) -> dict[str, Any] | None:
    if measured is None:
        return None
    return {
        "period": measured.period,
        "total": _value(measured.total, unit),
        "women": _value(measured.women, unit),
        "men": _value(measured.men, unit),
        "source": measured.source,
        "recorded_at": None if measured.recorded_at is None else measured.recorded_at.isoformat(),
        "replaced": [_measured_json(m, unit) for m in measured.replaced],
    }


def _attainment_json(attained: Attainment | None) -> dict[str, str] | None:
    return None if attained is None else {"code": attained.value, "label": attained.label}


def _commitment_json(view: CommitmentView) -> dict[str, Any]:
    unit = view.unit
    target = view.target
    return {
        "unit_code": view.unit_code,
        "unit_name": view.unit_name,
        "perspective_id": view.perspective_id,
        "perspective": view.perspective,
        "goal_id": view.goal_id,
        "goal": view.goal_title,
        "commitment_id": view.commitment_id,
        "kind": view.kind,
        "label": KIND_LABELS[CommitmentKind(view.kind)],
        "text": view.text,
        "by_gender": view.by_gender,
        "baseline": _measured_json(view.baseline, unit),
        "target": None
        if target is None
        else {
            "comparison": target.comparison,
            "words": target.words,
            "value": format(target.value, "f"),
            "text": target.text,
            "kind": target.kind,
            "change_basis": target.change_basis,
            "level": None if target.level is None else format(target.level, "f"),
            "unit": target.unit,
            "due_year": target.due_year,
            "due_on": None if target.due_on is None else target.due_on.isoformat(),
        },
        "latest": _measured_json(view.latest, unit),
        "assessment": None
        if view.assessment is None
        else {
            "period": view.assessment.period,
            "status": view.assessment.status,
            "text": STATUS_WORDS[view.assessment.status],
            "comment": view.assessment.comment,
        },
        "attainment": {
            "total": _attainment_json(view.attainment.total),
            "women": _attainment_json(view.attainment.women),
            "men": _attainment_json(view.attainment.men),
            "rule": view.rule,
        },
        "history": [_measured_json(m, unit) for m in view.history],
    }


def _summary_json(summary: PerspectiveSummary) -> dict[str, Any]:
    return {
        "perspective_id": summary.perspective_id or None,
        "perspective": summary.perspective,
        "commitments": summary.total,
        "attainment": {a.value: n for a, n in summary.counts},
    }


def goals_view_to_json(view: GoalsView) -> dict[str, Any]:
    """Values as exact strings, each with its Swedish rendering."""
    return {
        "title": view.title,
        "year": view.year,
        "unit_code": view.unit_code,
        "filters": {
            "perspektiv": view.filters.perspective_id,
            "maluppfyllelse": None
            if view.filters.attainment is None
            else view.filters.attainment.value,
        },
        "summary": [_summary_json(s) for s in (*view.summary, view.overall)],
        "commitments": [_commitment_json(c) for c in view.commitments],
        "parked_events": view.parked,
        "per": moment_json(view.per),
    }
