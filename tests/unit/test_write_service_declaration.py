"""A write service's subjects, streams and processes follow from its declaration."""

from contracts import subjects
from contracts.budget.service import BUDGET
from contracts.service import WriteService
from kommunplan.processes import DATABASES, SERVICES
from kommunplan.stack import Stack
from plumbing.settings import StackSettings
from plumbing.systems import register


def test_a_declaration_names_its_subjects_and_streams_after_the_service() -> None:
    goals = WriteService(name="goals", title="måltjänsten", commands={}, events={})
    assert goals.inbound_subject("hr", "set-goal") == "goals.inbound.hr.set-goal"
    assert goals.event_subject("GoalSet") == "goals.events.GoalSet"
    assert goals.rejected_subject("ekonomisystem") == "goals.rejected.ekonomisystem"
    assert (goals.inbound_stream, goals.events_stream, goals.rejected_stream) == (
        "GOALS_INBOUND",
        "GOALS_EVENTS",
        "GOALS_REJECTED",
    )
    assert (goals.inbound_subjects, goals.events_subjects, goals.rejected_subjects) == (
        "goals.inbound.>",
        "goals.events.>",
        "goals.rejected.>",
    )


def test_the_budget_names_are_those_of_its_declaration() -> None:
    assert subjects.BUDGET_EVENTS_STREAM == "BUDGET_EVENTS"
    assert subjects.BUDGET_INBOUND_SUBJECTS == "budget.inbound.>"
    assert subjects.budget_inbound("lonesystem", "record-actuals") == (
        "budget.inbound.lonesystem.record-actuals"
    )
    assert subjects.budget_rejected("lonesystem") == BUDGET.rejected_subject("lonesystem")


def test_each_write_service_runs_as_itself_and_its_relay_on_its_own_database() -> None:
    assert set(SERVICES) == {
        "budget",
        "budget-relay",
        "goals",
        "goals-relay",
        "projects",
        "projects-relay",
        "reporting",
    }
    assert DATABASES == {
        "budget": "budget",
        "budget-relay": "budget",
        "goals": "goals",
        "goals-relay": "goals",
        "projects": "projects",
        "projects-relay": "projects",
        "reporting": "reporting",
    }


def test_each_process_gets_a_port_of_its_own_unless_told_otherwise() -> None:
    stack = Stack(StackSettings())
    ports = {process: stack.port(process) for process in SERVICES}
    assert ports == {
        "reporting": 8000,
        "budget": 8001,
        "budget-relay": 8002,
        "goals": 8003,
        "goals-relay": 8004,
        "projects": 8005,
        "projects-relay": 8006,
    }
    moved = Stack(StackSettings(reporting_port=9000, ports={"budget": 9100, "goals": 9200}))
    assert [
        moved.port(p) for p in ("reporting", "budget", "budget-relay", "goals", "projects-relay")
    ] == [9000, 9100, 9002, 9200, 9006]


def test_the_demo_systems_are_known_to_the_stack_for_every_unit() -> None:
    systems = StackSettings().systems
    demo = ("ekonomisystem", "planeringssystem", "statistiksystem", "projektverktyg")
    assert {name: register(systems)[name].units for name in demo} == {
        "ekonomisystem": {"*"},
        "planeringssystem": {"*"},
        "statistiksystem": {"*"},
        "projektverktyg": {"*"},
    }
