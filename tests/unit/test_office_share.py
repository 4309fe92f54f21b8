"""The project office's share, without servers: the amount, the command each budget event leads
to, who is known as a sender, and what the projects service's NATS user may do for it."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from contracts.budget.service import BUDGET
from contracts.envelope import Envelope
from contracts.goals.service import GOALS
from contracts.projects.events import ProjectBudgetSet, ProjectRegistered
from contracts.projects.service import PROJECTS
from contracts.rejection import Problem, Rejection
from contracts.scope import Scope
from plumbing.inbound_reading import known_systems
from plumbing.nats_users import sender_publishes, service_permissions, system_permissions
from plumbing.process_manager import ProcessManagerWorker, Reacted
from plumbing.requests import DUPLICATE
from plumbing.sent_refusals import SentRefusals
from plumbing.settings import WriteServiceSettings
from plumbing.systems import register
from services.budget import bootstrap as budget_bootstrap
from services.projects import bootstrap as projects_bootstrap
from services.projects.office_share import OFFICE_SHARE, OfficeShare, message_id_for, share_of
from services.projects.settings import OfficeShareSettings, ProjectsSettings

TENTH = OfficeShareSettings(Decimal("0.10"), "PROJ")


def decide(events: Any, office: set[str], settings: OfficeShareSettings) -> Reacted:
    return OfficeShare(settings).react(events, office)


def envelope(event: ProjectRegistered | ProjectBudgetSet, **fields: Any) -> Envelope:
    event_id = uuid.uuid4()
    return Envelope(
        **{
            "event_id": event_id,
            "event_type": event.event_type,
            "schema_version": 1,
            "stream_id": "project-p1",
            "version": 1,
            "occurred_at": datetime(2011, 3, 1, tzinfo=UTC),
            "recorded_at": datetime(2011, 3, 1, 0, 0, 1, tzinfo=UTC),
            "source_system": "projektverktyg",
            "actor": "anna",
            "correlation_id": uuid.uuid4(),
            "causation_id": uuid.uuid4(),
            **fields,
        }
    )


def registered(code: str, by_office: bool = True) -> ProjectRegistered:
    return ProjectRegistered(
        project_code=code,
        name="Ett projekt",
        board_code="KS",
        unit_code="PROJ",
        run_by_project_office=by_office,
    )


def budget(code: str, amount: str, year: int = 2011) -> ProjectBudgetSet:
    return ProjectBudgetSet(project_code=code, year=year, amount=Decimal(amount))


@pytest.mark.parametrize(
    ("project_budget", "rate", "share"),
    [
        ("1000000", "0.10", "100000.00"),
        ("2000000", "0.10", "200000.00"),
        ("1234.55", "0.10", "123.46"),  # 123.455: half an öre rounds up
        ("1234.54", "0.10", "123.45"),
        ("-1234.55", "0.10", "-123.46"),  # away from zero
        ("999999999999999.99", "0.10", "100000000000000.00"),
        ("300000", "0.125", "37500.00"),
        ("0", "0.10", "0.00"),
    ],
)
def test_the_share_is_exact_and_rounded_to_the_oere(
    project_budget: str, rate: str, share: str
) -> None:
    found = share_of(Decimal(project_budget), Decimal(rate))
    assert found == Decimal(share) and found.as_tuple().exponent == -2


def test_an_event_leads_to_the_same_message_every_time_and_another_to_another() -> None:
    event_id = uuid.uuid4()
    assert message_id_for(event_id) == message_id_for(event_id)
    assert message_id_for(event_id) != message_id_for(uuid.uuid4())
    assert message_id_for(event_id) != event_id


def test_a_budget_of_a_project_the_office_runs_leads_to_its_share_with_its_cause() -> None:
    cause = budget("p1", "1000000")
    cause_envelope = envelope(cause)
    office: set[str] = set()
    decided = decide(
        [(envelope(registered("p1")), registered("p1")), (cause_envelope, cause)], office, TENTH
    )
    assert decided.remembered == ["p1"] and office == {"p1"}
    ((command, carried),) = decided.commands
    assert carried is cause_envelope
    assert command.message_id == message_id_for(cause_envelope.event_id)
    assert (command.causation_id, command.correlation_id) == (
        cause_envelope.event_id,
        cause_envelope.correlation_id,
    )
    assert (command.actor, command.occurred_at) == ("projects", cause_envelope.occurred_at)
    assert (command.unit_code, command.year, command.project_code) == ("PROJ", 2011, "p1")
    assert (command.project_budget, command.revenue) == (Decimal("1000000"), Decimal("100000"))
    # Decided again (redelivery, replay), it is the very same message, byte for byte.
    ((again, _),) = decide([(cause_envelope, cause)], {"p1"}, TENTH).commands
    assert again.model_dump_json() == command.model_dump_json()


def test_a_project_the_office_does_not_run_or_does_not_know_sends_nothing() -> None:
    office: set[str] = set()
    decided = decide(
        [
            (envelope(registered("p2", by_office=False)), registered("p2", by_office=False)),
            (envelope(budget("p2", "5000000")), budget("p2", "5000000")),
            (envelope(budget("p3", "5000000")), budget("p3", "5000000")),
        ],
        office,
        TENTH,
    )
    assert decided.commands == [] and decided.remembered == [] and office == set()


def test_a_project_registered_before_is_known_from_the_stored_state() -> None:
    decided = decide([(envelope(budget("p1", "10")), budget("p1", "10"))], {"p1"}, TENTH)
    ((command, _),) = decided.commands
    assert command.revenue == Decimal("1.00") and decided.remembered == []


def test_the_rate_and_the_unit_are_settings_read_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    assert (ProjectsSettings().project_office_share, ProjectsSettings().project_office_unit) == (
        Decimal("0.10"),
        "PROJ",
    )
    monkeypatch.setenv("KOMMUNPLAN_PROJECT_OFFICE_SHARE", "0.1000000000000000055511151231257827")
    monkeypatch.setenv("KOMMUNPLAN_PROJECT_OFFICE_UNIT", "PK")
    chosen = ProjectsSettings().office_share()
    assert chosen == OfficeShareSettings(Decimal("0.1000000000000000055511151231257827"), "PK")
    monkeypatch.setenv("KOMMUNPLAN_PROJECT_OFFICE_SHARE", "1.5")
    with pytest.raises(ValidationError):
        ProjectsSettings()


def test_a_unit_code_budget_would_always_refuse_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="KOMMUNPLAN_PROJECT_OFFICE_UNIT"):
        ProjectsSettings(project_office_unit="inte en kod!").office_share()


def test_projects_declares_that_it_sends_to_budget_and_budget_knows_it_for_every_unit() -> None:
    assert PROJECTS.sends_to == (BUDGET,)
    assert PROJECTS.sends_commands == {"budget": ("set-project-share",)}
    assert BUDGET.sends_to == () and GOALS.sends_to == ()
    settings = WriteServiceSettings(systems={"ekonomisystem": ["*"], "lonesystem": ["KLF"]})
    known = known_systems(settings, BUDGET)
    assert {name: sender.scope for name, sender in known.items()} == {
        "ekonomisystem": Scope(frozenset({"*"})),
        "lonesystem": Scope(frozenset({"KLF"})),
        "projects": Scope(frozenset({"*"})),
    }
    # Projects sends the share and nothing else; no system may send the share.
    assert known["projects"].commands == {"set-project-share"} and known["projects"].service
    systems = ("ekonomisystem", "lonesystem")
    assert not any("set-project-share" in known[s].commands for s in systems)
    assert "projects" not in known_systems(settings, GOALS)
    assert "projects" not in known_systems(settings, PROJECTS)


def test_the_projects_user_sends_on_its_own_subjects_of_budget_and_reads_its_own_rejections() -> (
    None
):
    publish = set(service_permissions("projects").publish)
    assert set(sender_publishes(PROJECTS)) <= publish
    # The share, on its own subject, and no other command of budget's.
    assert "budget.inbound.projects.set-project-share" in publish
    assert not {"budget.inbound.>", "budget.inbound.*.>", "budget.inbound.projects.>"} & publish
    assert [p for p in publish if p.startswith("budget.")] == [
        "budget.inbound.projects.set-project-share"
    ]
    # Its rejections, through a consumer of its own name filtered by the server to its subject.
    assert "$JS.API.CONSUMER.CREATE.BUDGET_REJECTED.projects.budget.rejected.projects" in publish
    assert not any("BUDGET_REJECTED" in p and ".projects" not in p for p in publish), (
        "no other consumer on budget's rejections"
    )
    # Its own events, through the pull loop; no one else's inbound stream.
    assert "$JS.API.CONSUMER.MSG.NEXT.PROJECTS_EVENTS.*" in publish
    assert not any("BUDGET_INBOUND" in p for p in publish)
    # It reads its rejections as a system does, and makes its consumer itself.
    rights = register({"ekonomisystem": ["*"]})["ekonomisystem"]
    system = {
        p.replace("ekonomisystem", "projects")
        for p in system_permissions("ekonomisystem", rights).publish
        if "BUDGET_REJECTED" in p
    }
    assert {p for p in publish if "BUDGET_REJECTED" in p} == {
        *system,
        "$JS.API.CONSUMER.CREATE.BUDGET_REJECTED.projects.budget.rejected.projects",
    }


def test_services_that_send_to_no_one_get_no_sender_rights() -> None:
    for user in ("budget", "goals", "budget-relay", "projects-relay", "reporting"):
        publish = service_permissions(user).publish
        assert not any(".inbound.projects" in p or "rejected.projects" in p for p in publish)
    assert not any("PROJECTS_EVENTS.*" in p for p in service_permissions("projects-relay").publish)
    assert sender_publishes(BUDGET) == () and sender_publishes(GOALS) == ()


def test_the_projects_process_runs_the_office_share_and_budget_none_of_its_own() -> None:
    class Pool:  # only kept by the workers until they run
        pass

    class Nats:
        def new_inbox(self) -> str:
            return "_INBOX.projects.x"

    parts = projects_bootstrap.PARTS
    workers = parts.workers(Pool(), Nats(), ProjectsSettings())  # type: ignore[arg-type]
    assert [type(w) for w in workers] == [ProcessManagerWorker, SentRefusals]
    assert budget_bootstrap.PARTS.workers(Pool(), Nats(), WriteServiceSettings()) == []  # type: ignore[arg-type]


def _rejection(*problems: Problem) -> bytes:
    return (
        Rejection(
            message_id=str(uuid.uuid4()),
            subject="budget.inbound.projects.set-project-share",
            source_system="projects",
            problems=list(problems),
            original="{}",
            rejected_at=datetime.now(UTC),
        )
        .model_dump_json()
        .encode()
    )


def test_a_duplicate_refusal_is_expected_and_any_other_is_kept_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    refusals = SentRefusals(object(), OFFICE_SHARE)  # type: ignore[arg-type]
    refusals.note(_rejection(Problem(field="message_id", message=DUPLICATE)))
    assert (refusals.duplicates, list(refusals.refused)) == (1, [])
    unknown = Problem(field="unit_code", message="enheten 'PROJ' finns inte")
    refusals.note(_rejection(unknown))
    refusals.note(b"not a rejection")
    assert refusals.duplicates == 1
    assert [r.problems for r in refusals.refused] == [[unknown]]
    assert "enheten 'PROJ' finns inte" in caplog.text
