"""The demo's projects as the code around them names them: the commands of projects.jsonl
beside this module (read and validated by kommunplan.demo_data) and the codes of the projects
the seed lists."""

from dataclasses import dataclass
from typing import Any

from contracts.envelope import Command
from contracts.projects.commands import RegisterProject
from contracts.projects.service import PROJECTS as PROJECTS_SERVICE
from kommunplan.demo_data import commands

CHILD_AND_YOUTH = "barn-och-ungdomsprojektet"
SKILLS_PLANNING = "kompetensplaneringsprojektet"
GENDER_AWARE = "genusmedveten-styrning"
COMMUNICATION_PLATFORM = "kommunikationsplattform"
CASE_AND_DOCUMENTS = "arende-och-dokumenthantering"
VISION_2025 = "vision-2025"
FULL_TIME = "hel-deltid"
LOGISTICS_CENTRE = "katrineholms-logistikcentrum"
ENERGY_EFFICIENCY = "energieffektiviseringsprojektet"
E_SERVICES = "e-tjanstprojektet"
QUALITY_IN_BRIEF = "kommunens-kvalitet-i-korthet"

SECTION_ONGOING = (CHILD_AND_YOUTH, SKILLS_PLANNING, GENDER_AWARE)
"""The section's "Pågående projekt", in its order."""
SECTION_NEW = (COMMUNICATION_PLATFORM, CASE_AND_DOCUMENTS, VISION_2025, FULL_TIME)
"""The section's "Nya projekt", in its order."""


@dataclass(frozen=True)
class Project:
    """A registered project: the fields of its register-project command, its code as ``code``."""

    registration: RegisterProject

    @property
    def code(self) -> str:
        return self.registration.project_code

    def __getattr__(self, name: str) -> Any:
        if name == "registration":  # not set yet, as while copying
            raise AttributeError(name)
        return getattr(self.registration, name)


def projects_demo_commands() -> list[Command]:
    return commands(PROJECTS_SERVICE)


PROJECTS = tuple(Project(c) for c in projects_demo_commands() if isinstance(c, RegisterProject))
