"""A message's journey built from what the services recorded (pure): the steps in order, the
pages it shows in, the command it caused nested under it, and nothing found said in Swedish."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.reporting.operations.journey_read import Applied, Found
from services.reporting.operations.service_tables import Received, Refusal, StoredEvent
from services.reporting.reports.drift.journey import journey_view, views_of
from services.reporting.reports.shared.refusals import NotFound

T0 = datetime(2011, 3, 1, 12, 0, tzinfo=UTC)
PROJECTS_MESSAGE = "11111111-1111-1111-1111-111111111111"
SHARE_MESSAGE = "22222222-2222-2222-2222-222222222222"


def event(service: str, event_id: str, message_id: str, **meta: Any) -> StoredEvent:
    payload = meta.pop("payload", {})
    return StoredEvent(
        service=service,
        event_id=event_id,
        stream_id=f"{service}-stream",
        version=1,
        event_type=meta.pop("event_type", "Something"),
        recorded_at=T0 + timedelta(seconds=len(event_id)),
        payload=payload,
        metadata={"message_id": message_id, "correlation_id": PROJECTS_MESSAGE, **meta},
    )


def found(*events: StoredEvent, refusals: tuple[Refusal, ...] = ()) -> Found:
    return Found(list(events), list(refusals), {}, {}, {}, {}, set(), {}, [])


def test_the_command_a_message_caused_stands_beneath_it_with_its_own_steps() -> None:
    budget_set = event(
        "projects",
        "e-projects",
        PROJECTS_MESSAGE,
        source_system="http",
        actor="pia",
        causation_id=PROJECTS_MESSAGE,
        event_type="ProjectBudgetSet",
        payload={"project_code": "vision-2025", "year": 2011},
    )
    share = event(
        "budget",
        "e-budget-share",
        SHARE_MESSAGE,
        source_system="projects",
        causation_id="e-projects",
        event_type="ProjectShareSet",
        payload={"unit_code": "PROJ", "year": 2011},
    )
    seen = found(budget_set, share)
    seen.received[("budget", SHARE_MESSAGE)] = Received(SHARE_MESSAGE, T0, 7)
    seen.applied["e-budget-share"] = Applied(42, T0 + timedelta(seconds=1))
    view = journey_view(PROJECTS_MESSAGE, seen, "http://jaeger/trace/{trace_id}", 0)
    (root,) = view.messages
    assert root.service == "projects" and [v.href for v in root.views] == ["/projekt/vision-2025"]
    (caused,) = root.caused
    assert caused.message_id == SHARE_MESSAGE
    assert [s.what for s in caused.steps] == [
        "Mottaget",
        "Godtaget",
        "Lagrat",
        "Publicerat",
        "Inläst",
    ]
    assert "BUDGET_INBOUND nr 7" in caused.steps[0].detail
    assert "BUDGET_EVENTS nr 42" in caused.steps[3].detail
    assert "/historik/PROJ/2011" in [v.href for v in caused.views]
    # Not taken in yet: said so, not left out.
    assert [s.what for s in root.steps][-1] == "Väntar"


def test_a_refusal_shows_its_reasons_and_where_the_rejection_went() -> None:
    refusal = Refusal(
        "budget",
        9,
        T0,
        "ekonomisystem",
        "budget.inbound.ekonomisystem.record-actuals",
        "budget.rejected.ekonomisystem",
        SHARE_MESSAGE,
        None,
        (("unit_code", "enheten NOPE finns inte"),),
    )
    (message,) = journey_view(SHARE_MESSAGE, found(refusals=(refusal,)), None, 0).messages
    refused = {s.what: s.detail for s in message.steps}
    assert refused["Avvisat"].startswith("unit_code: enheten NOPE finns inte")
    assert "budget.rejected.ekonomisystem" in refused["Avvisat"]
    assert refused["Mottaget"].endswith("(BUDGET_INBOUND nr 9)")


def test_nothing_found_is_said_in_swedish() -> None:
    with pytest.raises(NotFound, match=r"^Inget hittades för abc"):
        journey_view("abc", found(), None, 0)


def test_a_month_of_actuals_shows_in_the_history_the_plan_and_the_month_report() -> None:
    actuals = event("budget", "e1", "m", payload={"unit_code": "IT", "period": "2011-03"})
    assert [v.href for v in views_of(actuals)] == [
        "/historik/IT/2011",
        "/plan/IT/2011",
        "/uppfoljning/IT/2011-03",
    ]
