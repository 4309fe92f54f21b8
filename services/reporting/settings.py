"""What the reporting process reads besides what every service does: how its views mark
example data, how many finished answers it keeps, and where the interim report ends."""

from pydantic import Field

from plumbing.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    example_actors: list[str] = Field(
        default_factory=lambda: ["exempeldata"],
        description=(
            "Actors whose events are example data, generated for trying the system; the"
            " reports mark what rests on them"
        ),
    )
    view_cache_bytes: int = Field(
        default=64 * 1024 * 1024,
        ge=0,
        description=(
            "How many bytes of finished report answers reporting keeps until the read models"
            " change; 0 keeps none"
        ),
    )
    interim_last_month: int = Field(
        default=8,
        ge=1,
        le=12,
        description=(
            "The last month of the interim report (delårsrapport) unless ?till= names"
            " another: 8 is January–August"
        ),
    )
