"""The goals service's HTTP app: the kit's routes for its commands (plumbing.command_routes),
with the roles that may send each, and the catalogue for a reader."""

from typing import Any

from fastapi import FastAPI

from contracts.goals.service import GOALS
from plumbing.command_handler import CommandHandler
from plumbing.command_routes import command_app
from plumbing.http_identity import Access
from services.goals.domain.catalogue import Catalogue
from services.goals.domain.permissions import check_permission


def catalogue_json(catalogue: Catalogue) -> dict[str, list[dict[str, Any]]]:
    """Every perspective, goal, commitment, indicator and note, as their events state them;
    a goal as it stands now (its title and last year after any rewording or retirement)."""
    return {
        "perspectives": [p.model_dump(mode="json") for p in catalogue.perspectives.values()],
        "goals": [
            {
                **goal.adopted.model_dump(mode="json"),
                "title": goal.title,
                "last_year": goal.last_year,
                "retired": goal.retired,
            }
            for goal in catalogue.goals.values()
        ],
        "commitments": [c.model_dump(mode="json") for c in catalogue.commitments.values()],
        "indicators": [i.model_dump(mode="json") for i in catalogue.indicators.values()],
        "notes": [n.model_dump(mode="json") for n in catalogue.notes.values()],
    }


def create_app(service: CommandHandler[Catalogue], access: Access) -> FastAPI:
    async def goals() -> dict[str, list[dict[str, Any]]]:
        return catalogue_json(await service.state())

    description = "Perspektiv, resultatmål, åtaganden, indikatorer och mätvärden"
    return command_app(GOALS, service, access, check_permission, description, {"/api/goals": goals})
