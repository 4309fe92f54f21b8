"""The plan's projects section: the subtree's ongoing and new projects."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from contracts.projects.fields import ProjectStatus
from services.reporting.read_models.projects.tables import (
    ProjectsInput,
)
from services.reporting.reports.projects.builder import NEW, ONGOING, genitive, status_label

# --- the plan's section -------------------------------------------------------------------


@dataclass(frozen=True)
class PlanProject:
    project_code: str
    name: str
    status: str
    status_label: str
    purpose: str | None  # "Syfte"
    goals_text: str | None  # "Mål"
    directive: str | None
    decision: str | None


@dataclass(frozen=True)
class ProjectsSection:
    title: str
    ongoing: tuple[PlanProject, ...]
    new: tuple[PlanProject, ...]

    @property
    def empty(self) -> bool:
        return not self.ongoing and not self.new


def section_title(root_name: str, year: int) -> str:
    return f"{genitive(root_name)} pågående alternativt nya projekt {year}–{year + 2}"


def build_projects_section(
    data: ProjectsInput | None, root_name: str, year: int
) -> ProjectsSection | None:
    """The projects of the units ``data`` holds (the plan's subtree), in registration order:
    ongoing (or paused) first, then new (proposed or decided). None without read models."""
    if data is None:
        return None

    def listed(statuses: tuple[ProjectStatus, ...]) -> tuple[PlanProject, ...]:
        return tuple(
            PlanProject(
                p.project_code,
                p.name,
                p.status,
                status_label(p.status),
                p.purpose,
                p.goals_text,
                p.directive,
                p.decision,
            )
            for p in sorted(data.projects, key=lambda p: p.order)
            if p.status in statuses
        )

    return ProjectsSection(section_title(root_name, year), listed(ONGOING), listed(NEW))


def projects_section_to_json(section: ProjectsSection) -> dict[str, Any]:
    return {
        "title": section.title,
        # Each project as it is listed.
        "ongoing": [asdict(p) for p in section.ongoing],
        "new": [asdict(p) for p in section.new],
    }
