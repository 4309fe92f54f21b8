"""The projects domain decides without I/O: which event happens, or why not, naming the field;
every step of the lifecycle, allowed or refused; and the decider catches up with the store
and with budget's and goals' events once."""

import itertools
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from pydantic import ValidationError

from contracts.budget.commands import RegisterUnit, RenameUnit
from contracts.budget.events import UnitClosed, UnitRegistered, UnitRenamed
from contracts.budget.tree import OrganisationTree
from contracts.envelope import Command, Event, event_from
from contracts.goals.commands import AdoptGoal
from contracts.goals.events import GoalAdopted, GoalRetired
from contracts.projects.commands import (
    ChangeProjectManager,
    ChangeProjectStatus,
    LinkGoal,
    PlanStep,
    RecordFinancing,
    RegisterProject,
    ReportProjectStatus,
    SetProjectBudget,
)
from contracts.projects.events import (
    GoalLinked,
    ProjectBudgetSet,
    ProjectRegistered,
    ProjectStatusChanged,
    StepPlanned,
)
from contracts.projects.fields import ProjectStatus
from contracts.projects.service import PROJECTS
from contracts.refusal import NotKnownYet, NotPermitted, Refused
from contracts.scope import Scope
from kommunplan.demo_data.budget import unit_commands
from kommunplan.demo_data.goals import goals_demo_commands
from kommunplan.demo_data.projects import projects_demo_commands
from plumbing.decider import Decider
from plumbing.event_codec import stored_metadata
from plumbing.eventstore import NewEvent
from plumbing.memory_eventstore import InMemoryEventStore
from services.projects import bootstrap as projects_bootstrap
from services.projects.domain.decisions import decide, stream_for
from services.projects.domain.lifecycle import NEXT
from services.projects.domain.permissions import check_permission
from services.projects.domain.register import Register, ResultGoals
from services.projects.settings import ProjectsSettings

S = ProjectStatus
OFFICE = "PROJ"  # the project office's unit, as the settings name it by default


# (code, parent, kind): KS with KLF (the project office PROJ, IT, OLD) and NÄT; BUN with SKOL.
TREE = (
    ("KS", None, "board"),
    ("KLF", "KS", "administration"),
    ("PROJ", "KLF", "unit"),
    ("IT", "KLF", "unit"),
    ("NÄT", "KS", "administration"),
    ("BUN", None, "board"),
    ("SKOL", "BUN", "administration"),
    ("OLD", "KLF", "unit"),
)


def registered_unit(code: str, parent: str | None, kind: str) -> UnitRegistered:
    fields = dict(unit_code=code, name=code.title(), kind=kind, parent_code=parent)
    return UnitRegistered.model_validate({**fields, "effective_on": date(2010, 1, 1)})


def tree_events() -> list[Event]:
    """The tree, OLD closed in the middle of 2010."""
    closed = UnitClosed.model_validate({"unit_code": "OLD", "effective_on": "2010-06-30"})
    return [*(registered_unit(*unit) for unit in TREE), closed]


def organisation() -> OrganisationTree:
    tree = OrganisationTree()
    for event in tree_events():
        tree.apply(event)
    return tree


def adopted(goal_id: str) -> GoalAdopted:
    return GoalAdopted.model_validate(
        {
            "goal_id": goal_id,
            "unit_code": "KLF",
            "perspective_id": "p",
            "title": goal_id,
            "first_year": 2011,
            "last_year": 2013,
        }
    )


def result_goals() -> ResultGoals:
    goals = ResultGoals()
    for event in (
        adopted("fler-jobb"),
        adopted("ekonomi"),
        adopted("gammalt"),
        GoalRetired.model_validate({"goal_id": "gammalt", "last_year": 2011}),
    ):
        goals.apply(event)
    return goals


def register_project(code: str = "p", **fields: Any) -> RegisterProject:
    body: dict[str, Any] = {
        "actor": "t",
        "project_code": code,
        "name": code.title(),
        "board_code": "KS",
        "unit_code": "PROJ",
        "planned_start": "2011-01-01",
        "planned_end": "2013-12-31",
        **fields,
    }
    return RegisterProject.model_validate(body)


def status(code: str, to: S, on: str = "2011-03-01") -> ChangeProjectStatus:
    return ChangeProjectStatus.model_validate(
        {"actor": "t", "project_code": code, "status": to, "effective_on": on}
    )


def manager(code: str, name: str, acting: bool = False) -> ChangeProjectManager:
    return ChangeProjectManager.model_validate(
        {
            "actor": "t",
            "project_code": code,
            "project_manager": name,
            "effective_on": "2011-05-01",
            "acting": acting,
        }
    )


def step(code: str = "p", number: int = 1, **fields: Any) -> PlanStep:
    return PlanStep.model_validate(
        {"actor": "t", "project_code": code, "step": number, "name": f"Steg {number}", **fields}
    )


def budget(code: str = "p", year: int = 2011, amount: str = "300000") -> SetProjectBudget:
    return SetProjectBudget.model_validate(
        {"actor": "t", "project_code": code, "year": year, "amount": amount}
    )


def financing(code: str = "p", year: int = 2011, amount: str = "7000000") -> RecordFinancing:
    return RecordFinancing.model_validate(
        {
            "actor": "t",
            "project_code": code,
            "source": "Statens folkhälsoinstitut",
            "year": year,
            "amount": amount,
        }
    )


def report(code: str = "p", period: str = "2011-04", light: str = "green") -> ReportProjectStatus:
    return ReportProjectStatus.model_validate(
        {
            "actor": "t",
            "project_code": code,
            "period": period,
            "schedule": light,
            "cost": "yellow",
            "quality": "red",
            "reported_by": "Projektverktyget",
        }
    )


def link(goal_id: str, code: str = "p") -> LinkGoal:
    return LinkGoal(actor="t", project_code=code, goal_id=goal_id)


def fresh_register() -> Register:
    """The test tree and result goals, no projects; PROJ is the project office."""
    return Register(organisation(), result_goals(), office_unit=OFFICE)


@pytest.fixture
def register() -> Register:
    """KS's project p (PROJ, 2011-2013, proposed, managed by Eva), with a goal linked."""
    found = fresh_register()
    decide(found, register_project("p", project_manager="Eva"))
    decide(found, link("fler-jobb"))
    return found


def with_status(register: Register, code: str, path: Iterable[S]) -> Register:
    """``code`` registered as proposed and taken along ``path``, a change a month."""
    decide(register, register_project(code))
    for month, to in enumerate(path, start=1):
        decide(register, status(code, to, f"2011-{month:02d}-01"))
    return register


# A way to reach each status from proposed along the lifecycle.
PATH_TO: dict[S, tuple[S, ...]] = {
    S.PROPOSED: (),
    S.DECIDED: (S.DECIDED,),
    S.ONGOING: (S.DECIDED, S.ONGOING),
    S.PAUSED: (S.DECIDED, S.ONGOING, S.PAUSED),
    S.COMPLETED: (S.DECIDED, S.ONGOING, S.COMPLETED),
    S.CANCELLED: (S.CANCELLED,),
}
ALLOWED = {
    (S.PROPOSED, S.DECIDED),
    (S.PROPOSED, S.CANCELLED),
    (S.DECIDED, S.ONGOING),
    (S.DECIDED, S.CANCELLED),
    (S.ONGOING, S.COMPLETED),
    (S.ONGOING, S.PAUSED),
    (S.ONGOING, S.CANCELLED),
    (S.PAUSED, S.ONGOING),
    (S.PAUSED, S.CANCELLED),
}


def refusal(register: Register, command: Command, scope: Scope | None = None) -> Refused:
    """The refusal of ``command``, checked to leave the register as it was."""
    before = dict(register.projects)
    with pytest.raises(Refused) as refused:
        decide(register, command, scope)
    assert register.projects == before
    return refused.value


def problem(register: Register, command: Command, scope: Scope | None = None) -> tuple[str, str]:
    (found,) = refusal(register, command, scope).problems
    return found.field, found.message


def test_a_registered_project_is_on_its_own_stream_as_it_was_registered(
    register: Register,
) -> None:
    event = decide(register, register_project("ny", unit_code="IT", status="ongoing"))
    assert isinstance(event, ProjectRegistered)
    assert stream_for(event) == "project-ny"
    project = register.projects["ny"]
    assert (project.status, project.unit_code) == (S.ONGOING, "IT")


def test_each_event_of_a_project_is_applied_so_the_next_command_sees_it(
    register: Register,
) -> None:
    for command in (
        step(number=2, planned_start="2011-01-01", planned_end="2011-06-30", cost_estimate="0"),
        budget(year=2012, amount="0"),
        financing(year=2013),
        report(period="2011-05"),
        manager("p", "Olle", acting=True),
    ):
        decide(register, command)
    project = register.projects["p"]
    assert list(project.steps) == [2] and project.steps[2].cost_estimate == Decimal(0)
    assert project.budgets[2012].amount == Decimal(0)
    assert project.financing[("Statens folkhälsoinstitut", 2013)].amount == Decimal(7_000_000)
    assert [r.period for r in project.reports] == ["2011-05"]
    assert (project.manager, project.acting_manager) == ("Eva", "Olle")
    assert project.goal_ids == ("fler-jobb",)


def test_a_budget_step_or_financing_set_again_replaces_the_earlier(register: Register) -> None:
    decide(register, budget(year=2011, amount="100"))
    replaced = decide(register, budget(year=2011, amount="250.50"))
    assert isinstance(replaced, ProjectBudgetSet)
    decide(register, step(number=1, name="Förstudie"))
    decide(register, step(number=1, name="Förstudie och krav"))
    decide(register, financing(amount="10"))
    decide(register, financing(amount="20"))
    project = register.projects["p"]
    assert {y: b.amount for y, b in project.budgets.items()} == {2011: Decimal("250.50")}
    assert [s.name for s in project.steps.values()] == ["Förstudie och krav"]
    assert [f.amount for f in project.financing.values()] == [Decimal(20)]


@pytest.mark.parametrize(
    ("command", "field", "words"),
    [
        (register_project("q", unit_code="NONE"), "unit_code", "finns inte"),
        (register_project("q", board_code="NONE"), "board_code", "finns inte"),
    ],
)
def test_a_unit_not_heard_of_is_refused_as_not_known_yet(
    register: Register, command: Command, field: str, words: str
) -> None:
    refused = refusal(register, command)
    assert isinstance(refused, NotKnownYet)
    (found,) = refused.problems
    assert found.field == field and words in found.message


@pytest.mark.parametrize(
    ("command", "field", "words"),
    [
        (register_project("q", unit_code="OLD"), "unit_code", "stängdes 2010-06-30"),
        (register_project("q", board_code="KLF"), "board_code", "KLF är ingen nämnd"),
        (register_project("q", unit_code="SKOL"), "unit_code", "hör till BUN, inte till KS"),
        (register_project("p"), "project_code", "projektet p finns redan"),
        (status("none", S.DECIDED), "project_code", "finns inte i projektregistret"),
        (manager("none", "Eva"), "project_code", "finns inte"),
        (step("none"), "project_code", "finns inte"),
        (budget("none"), "project_code", "finns inte"),
        (financing("none"), "project_code", "finns inte"),
        (report("none"), "project_code", "finns inte"),
        (link("ekonomi", code="none"), "project_code", "finns inte"),
        (step(planned_start="2011-06-01", planned_end="2011-05-31"), "planned_end", "före"),
        (step(cost_estimate="-1"), "cost_estimate", "kan inte vara negativ"),
        (budget(year=2010), "year", "år 2010 ligger utanför"),
        (budget(year=2014), "year", "(2011-01-01–2013-12-31)"),
        (budget(amount="-0.01"), "amount", "kan inte vara negativ"),
        (financing(year=2014), "year", "utanför projektets planerade period"),
        (financing(amount="-7000000"), "amount", "kan inte vara negativ"),
        (link("gammalt"), "goal_id", "resultatmålet gammalt har avslutats"),
        (link("fler-jobb"), "goal_id", "redan kopplat till resultatmålet fler-jobb"),
        (manager("p", "Eva"), "project_manager", "Eva är redan projektledare"),
        (status("p", S.PROPOSED), "status", "projektet är redan föreslaget"),
        (status("p", S.ONGOING), "status", "kan inte bli pågående; det kan bli beslutat"),
    ],
)
def test_each_refusal_names_its_field_and_leaves_the_register_as_it_was(
    register: Register, command: Command, field: str, words: str
) -> None:
    refused = refusal(register, command)
    assert not isinstance(refused, NotKnownYet | NotPermitted)
    (found,) = refused.problems
    assert found.field == field, found
    assert words in found.message, found.message


def test_a_goal_goals_has_not_published_is_refused_as_not_known_yet(register: Register) -> None:
    refused = refusal(register, link("okant-mal"))
    assert isinstance(refused, NotKnownYet)
    assert [(p.field, p.message) for p in refused.problems] == [
        ("goal_id", "resultatmålet okant-mal finns inte")
    ]


def test_a_unit_closed_after_the_project_starts_is_still_open_for_it(register: Register) -> None:
    event = decide(
        register,
        register_project("tidig", unit_code="OLD", planned_start="2010-02-01", planned_end=None),
    )
    assert isinstance(event, ProjectRegistered)


def test_without_a_planned_period_any_year_may_have_a_budget(register: Register) -> None:
    decide(register, register_project("open", planned_start=None, planned_end=None))
    decide(register, budget("open", year=1995))
    decide(register, financing("open", year=2090))
    decide(register, register_project("from", planned_start="2012-05-01", planned_end=None))
    decide(register, budget("from", year=2040))
    assert problem(register, budget("from", year=2011))[0] == "year"


def test_the_contract_itself_refuses_what_cannot_be_a_project() -> None:
    with pytest.raises(ValidationError, match="planned_end"):
        register_project("q", planned_start="2012-01-01", planned_end="2011-12-31")
    with pytest.raises(ValidationError, match="schedule"):
        report(light="blue")
    with pytest.raises(ValidationError, match="amount"):
        budget(amount="1.5e3")


@pytest.mark.parametrize(
    ("start", "to"),
    list(itertools.product(list(S), list(S))),
    ids=[f"{a.value}-{b.value}" for a, b in itertools.product(list(S), list(S))],
)
def test_every_step_of_the_lifecycle_is_allowed_or_refused_with_its_reason(start: S, to: S) -> None:
    register = with_status(fresh_register(), "x", PATH_TO[start])
    assert register.projects["x"].status is start
    command = status("x", to, "2011-12-31")
    if (start, to) in ALLOWED:
        event = decide(register, command)
        assert isinstance(event, ProjectStatusChanged)
        assert register.projects["x"].status is to
        assert register.projects["x"].status_changed_on == date(2011, 12, 31)
        return
    field, message = problem(register, command)
    assert field == "status"
    if start is to:
        assert "redan" in message
    elif start in (S.COMPLETED, S.CANCELLED):
        assert "ändras inte mer" in message
    else:
        assert "kan inte bli" in message and "det kan bli" in message


def test_the_lifecycle_table_is_the_one_described() -> None:
    assert {(a, b) for a, nexts in NEXT.items() for b in nexts} == ALLOWED


def test_a_change_dated_before_the_previous_one_is_refused(register: Register) -> None:
    decide(register, status("p", S.DECIDED, "2011-03-01"))
    field, message = problem(register, status("p", S.ONGOING, "2011-02-28"))
    assert field == "effective_on" and "2011-03-01" in message
    decide(register, status("p", S.ONGOING, "2011-03-01"))  # the same day is no step back


@pytest.mark.parametrize("final", [S.COMPLETED, S.CANCELLED])
def test_a_completed_or_cancelled_project_takes_no_more_changes(final: S) -> None:
    register = with_status(fresh_register(), "x", PATH_TO[final])
    for command in (
        manager("x", "Ny"),
        step("x"),
        budget("x"),
        financing("x"),
        link("ekonomi", code="x"),
    ):
        field, message = problem(register, command)
        assert field == "project_code" and "kan inte ändras mer" in message, message


@pytest.mark.parametrize("final", [S.COMPLETED, S.CANCELLED])
def test_a_closed_project_takes_status_reports_up_to_the_month_it_closed(final: S) -> None:
    register = with_status(fresh_register(), "x", PATH_TO[final])
    closed = register.projects["x"].status_changed_on
    assert closed is not None
    decide(register, report("x", period=f"{closed:%Y-%m}"))
    decide(register, report("x", period="2010-12"))
    field, message = problem(register, report("x", period=f"{closed.year}-{closed.month + 1:02d}"))
    assert field == "period" and "kan inte gälla" in message


def test_a_paused_project_is_resumed_as_ongoing_and_may_then_complete(register: Register) -> None:
    for to in (S.DECIDED, S.ONGOING, S.PAUSED, S.ONGOING, S.PAUSED, S.ONGOING, S.COMPLETED):
        decide(register, status("p", to))
    assert register.projects["p"].status is S.COMPLETED


def test_an_acting_manager_stands_in_until_a_manager_is_named_again(register: Register) -> None:
    decide(register, manager("p", "Olle", acting=True))
    field, message = problem(register, manager("p", "Olle", acting=True))
    assert field == "project_manager" and "tillförordnad" in message
    decide(register, manager("p", "Eva"))  # back from leave: the substitute goes
    project = register.projects["p"]
    assert (project.manager, project.acting_manager) == ("Eva", None)


def test_goal_links_are_kept_in_order_and_a_goal_twice_is_refused(register: Register) -> None:
    event = decide(register, link("ekonomi"))
    assert isinstance(event, GoalLinked) and stream_for(event) == "project-p"
    assert register.projects["p"].goal_ids == ("fler-jobb", "ekonomi")


def test_a_sender_writes_only_for_projects_under_its_units(register: Register) -> None:
    it_only = Scope(frozenset({"IT"}))
    refused = refusal(register, register_project("q"), it_only)
    assert isinstance(refused, NotPermitted)
    assert refused.problems[0].field == "unit_code"
    refused = refusal(register, budget(), it_only)
    assert isinstance(refused, NotPermitted)
    assert refused.problems[0].field == "project_code"
    assert "får inte skriva för enheten PROJ" in refused.problems[0].message
    klf = Scope(frozenset({"KLF"}))
    assert isinstance(decide(register, budget(), klf), ProjectBudgetSet)
    assert isinstance(decide(register, register_project("it", unit_code="IT"), it_only), Event)
    # A project the register does not know is refused for that, not for the scope.
    assert problem(register, budget("none"), it_only)[1].startswith("projektet none finns inte")


IT_ONLY = Scope(frozenset({"IT"}))
IT_AND_OFFICE = Scope(frozenset({"IT", OFFICE}))


def test_a_project_the_office_runs_is_registered_only_by_a_sender_who_may_write_for_it(
    register: Register,
) -> None:
    """The office's revenue follows the budgets of the projects it runs: registering one
    writes for the office's unit as well as for the project's."""
    office_run = register_project("q", unit_code="IT", run_by_project_office=True)
    refused = refusal(register, office_run, IT_ONLY)
    assert isinstance(refused, NotPermitted)
    (found,) = refused.problems
    assert found.field == "run_by_project_office"
    assert "drivs av projektkontoret" in found.message
    assert "får inte skriva för enheten PROJ" in found.message
    assert "den får skriva för IT med underliggande enheter" in found.message
    # The same project, not run by the office, is the sender's own.
    assert isinstance(
        decide(register.copy(), register_project("q", unit_code="IT"), IT_ONLY), ProjectRegistered
    )
    for scope in (IT_AND_OFFICE, Scope(frozenset({"KLF"})), Scope(frozenset({"*"})), None):
        assert isinstance(decide(register.copy(), office_run, scope), ProjectRegistered), scope


def test_the_budget_of_a_project_the_office_runs_needs_the_offices_unit_in_scope(
    register: Register,
) -> None:
    decide(register, register_project("q", unit_code="IT", run_by_project_office=True))
    decide(register, register_project("egen", unit_code="IT"))
    refused = refusal(register, budget("q", amount="70000000"), IT_ONLY)
    assert isinstance(refused, NotPermitted)
    (found,) = refused.problems
    assert found.field == "project_code"
    assert "projektet q drivs av projektkontoret, så dess budget" in found.message
    assert "får inte skriva för enheten PROJ" in found.message
    # The sender's own project, and the office's with the office in scope.
    assert isinstance(decide(register, budget("egen"), IT_ONLY), ProjectBudgetSet)
    assert isinstance(decide(register, budget("q"), IT_AND_OFFICE), ProjectBudgetSet)
    assert register.projects["q"].budgets[2011].amount == Decimal("300000")


def test_what_does_not_move_the_offices_share_stays_within_the_projects_scope(
    register: Register,
) -> None:
    """Financing, steps, goals, managers, status reports and the lifecycle (a cancelled
    project's shares stand) do not enter the office's share."""
    decide(register, register_project("q", unit_code="IT", run_by_project_office=True))
    for command in (
        financing("q"),
        step("q"),
        link("ekonomi", "q"),
        manager("q", "Olle"),
        report("q"),
        status("q", S.CANCELLED),
    ):
        assert isinstance(decide(register, command, IT_ONLY), Event), command.command_name
    assert register.projects["q"].status is S.CANCELLED


def test_the_office_is_the_unit_the_register_was_given_known_to_the_tree_or_not() -> None:
    elsewhere = Register(organisation(), result_goals(), office_unit="NÄT")
    office_run = register_project("q", unit_code="KLF", run_by_project_office=True)
    klf = Scope(frozenset({"KLF"}))
    found = problem(elsewhere, office_run, klf)
    assert found[0] == "run_by_project_office" and "enheten NÄT" in found[1]
    assert isinstance(decide(elsewhere.copy(), office_run, Scope(frozenset({"KS"}))), Event)
    # An office the tree has not heard of is out of scope unless the scope names it.
    unheard = Register(organisation(), result_goals(), office_unit="NYTT")
    assert "enheten NYTT" in problem(unheard, office_run, klf)[1]
    assert isinstance(decide(unheard, office_run, Scope(frozenset({"KLF", "NYTT"}))), Event)


@pytest.mark.parametrize(
    ("command", "roles", "allowed"),
    [
        (register_project("q"), {"planner"}, True),
        (register_project("q"), {"controller"}, False),
        (status("p", S.DECIDED), {"controller"}, False),
        (budget(), {"controller", "reader"}, False),
        (financing(), {"planner"}, True),
        (step(), {"controller"}, False),
        (link("ekonomi"), {"controller"}, False),
        (link("ekonomi"), {"planner"}, True),
        (report(), {"controller"}, True),
        (report(), {"planner"}, True),
        (report(), {"reader"}, False),
        (manager("p", "Ny"), {"controller"}, True),
        (manager("p", "Ny"), {"operator"}, False),
    ],
)
def test_roles(command: Command, roles: set[str], allowed: bool) -> None:
    if allowed:
        check_permission(roles, command)
        return
    with pytest.raises(NotPermitted, match=command.command_name):
        check_permission(roles, command)


def test_the_whole_projects_demo_is_accepted_against_the_demo_tree_and_goals() -> None:
    tree = OrganisationTree()
    for command in unit_commands():
        model = UnitRegistered if isinstance(command, RegisterUnit) else UnitRenamed
        assert isinstance(command, RegisterUnit | RenameUnit)
        tree.apply(event_from(command, model))
    goals = ResultGoals()
    for command in goals_demo_commands():
        if isinstance(command, AdoptGoal):
            goals.apply(event_from(command, GoalAdopted))
    register = Register(tree, goals, office_unit=OFFICE)
    commands = projects_demo_commands()
    events = [decide(register, command) for command in commands]
    assert len(register.projects) == sum(isinstance(c, RegisterProject) for c in commands) > 5
    assert sum(isinstance(e, StepPlanned) for e in events) == 4
    assert sum(len(p.goal_ids) for p in register.projects.values()) == sum(
        isinstance(c, LinkGoal) for c in commands
    )


async def store_event(store: InMemoryEventStore, event: Event, version: int) -> None:
    """``event`` stored as the command handler stores one, at ``version`` of its stream."""
    metadata = stored_metadata(
        {
            "occurred_at": datetime.now(UTC),
            "source_system": "http",
            "actor": "t",
            "correlation_id": uuid4(),
            "causation_id": uuid4(),
        }
    )
    new = NewEvent(
        uuid4(),
        stream_for(event),
        version,
        event.event_type,
        1,
        event.model_dump(mode="json"),
        metadata,
    )
    await store.append([new])


class Published:
    """An owner's published events, given out once each, as plumbing.followed_events does."""

    def __init__(self, events: Iterable[Event]) -> None:
        self.waiting = list(events)

    async def new_events(self) -> AsyncIterator[Event]:
        waiting, self.waiting = self.waiting, []
        for event in waiting:
            yield event


async def test_the_decider_catches_up_with_the_store_budget_and_goals_once() -> None:
    tree, goals = Published(tree_events()), Published([adopted("ekonomi")])
    sources = {"budget": tree, "goals": goals}
    domain = projects_bootstrap.domain(ProjectsSettings(project_office_unit=OFFICE))
    decider = Decider(PROJECTS, domain, lambda owner: sources[owner.name])
    store = InMemoryEventStore()
    known = decider.empty()
    await decider.catch_up(known, store)
    state = known.state
    assert "PROJ" in state.tree.units and state.goals.adopted == {"ekonomi"}
    # What this process decided and stored is in its state already; read back, it is not
    # applied twice.
    for version, command in enumerate((register_project("p"), link("ekonomi")), start=1):
        await store_event(store, decide(state, command), version)
        known.versions["project-p"] = version
    await decider.catch_up(known, store)
    assert state.projects["p"].goal_ids == ("ekonomi",) and known.position == 2
    await store_event(store, decide(state, step()), 3)
    known.versions["project-p"] = 3
    await decider.catch_up(known, store)
    assert known.versions == {"project-p": 3} and known.position == 3
    # What another writer stored is applied; budget's and goals' news replace the snapshots.
    await store_event(store, budget_set := event_from(budget(), ProjectBudgetSet), 4)
    tree.waiting.append(registered_unit("NY", "KLF", "unit"))
    goals.waiting.append(adopted("nytt"))
    before = state.tree
    await decider.catch_up(known, store)
    assert state.projects["p"].budgets[2011] == budget_set
    assert known.versions == {"project-p": 4}
    assert "NY" in state.tree.units and "NY" not in before.units
    assert state.goals.adopted == {"ekonomi", "nytt"}
    # Started again from nothing, it reads everything.
    fresh = decider.empty()
    await decider.catch_up(fresh, store)
    assert fresh.versions == {"project-p": 4} and fresh.state.projects["p"].goal_ids == ("ekonomi",)
