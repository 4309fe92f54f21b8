"""The projects service's settings: a write service's, and the project office's share."""

from dataclasses import dataclass
from decimal import Decimal

from pydantic import Field, TypeAdapter, ValidationError

from contracts.budget.fields import UnitCode
from plumbing.settings import WriteServiceSettings


@dataclass(frozen=True)
class OfficeShareSettings:
    rate: Decimal
    unit_code: str  # the project office's unit in budget


class ProjectsSettings(WriteServiceSettings):
    # The project office's revenue from each project it runs (services.projects.office_share).
    project_office_share: Decimal = Field(
        default=Decimal("0.10"),
        ge=0,
        le=1,
        description="The project office's share of a project's budget, exact: 0.10 is 10 %",
    )
    project_office_unit: str = Field(
        default="PROJ", description="The project office's unit code in the budget service"
    )

    def office_share(self) -> OfficeShareSettings:
        """The share and the office's unit; a unit code budget would refuse every time is a
        mistake in the settings, refused at start."""
        unit = self.project_office_unit
        try:
            TypeAdapter(UnitCode).validate_python(unit)
        except ValidationError as error:
            raise ValueError(
                f"KOMMUNPLAN_PROJECT_OFFICE_UNIT={unit!r} duger inte som enhetskod: "
                f"{error.errors()[0]['msg']}"
            ) from None
        return OfficeShareSettings(self.project_office_share, unit)
