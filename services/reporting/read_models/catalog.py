"""Every projection of reporting as data: which stream and subjects it reads, what it writes
(its projection, made from the settings), and how an operator and /ready name it."""

from collections.abc import Callable
from dataclasses import dataclass

from contracts import subjects
from contracts.goals.service import GOALS
from contracts.projects.service import PROJECTS
from plumbing.projection import Projection, Source
from services.reporting.read_models import sources
from services.reporting.read_models.budget.projection import BudgetProjection
from services.reporting.read_models.goals.projection import GoalsProjection
from services.reporting.read_models.projects.projection import ProjectsProjection
from services.reporting.settings import ReportingSettings


@dataclass(frozen=True)
class Reads:
    name: str  # its schemas' and its consumers' name (read_models.sources)
    label: str  # in an operator's listing
    status_name: str  # in /ready
    source: Source
    projection: Callable[[ReportingSettings], Projection]


PROJECTIONS: tuple[Reads, ...] = (
    Reads(
        sources.BUDGET,
        "budget",
        "projektion",
        Source(subjects.BUDGET_EVENTS_STREAM, subjects.BUDGET_EVENTS_SUBJECTS),
        lambda settings: BudgetProjection(settings.example_actors),
    ),
    Reads(
        sources.GOALS,
        "mål",
        "projektion mål",
        Source(GOALS.events_stream, GOALS.events_subjects),
        lambda _: GoalsProjection(),
    ),
    Reads(
        sources.PROJECTS,
        "projekt",
        "projektion projekt",
        Source(PROJECTS.events_stream, PROJECTS.events_subjects),
        lambda _: ProjectsProjection(),
    ),
)
