"""The Swedish words every report uses alike: months, budget versions, project statuses and
lights, and goal attainment. Written once, so that a page, its JSON and its files agree."""

from contracts.projects.fields import Light, ProjectStatus

MONTH_NAMES = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip
MONTH_ABBREVIATIONS = tuple(name[:3] for name in MONTH_NAMES)  # jan, feb, … dec

# The budget's versions: the status of its figures, in the order a budget goes through them.
PROPOSED, ADOPTED, REVISED = "proposed", "adopted", "revised"
VERSION_LABELS = {PROPOSED: "Förslag", ADOPTED: "Beslutad", REVISED: "Reviderad"}
# ?version= in the URL, in the users' words.
VERSION_PARAMETERS = {"forslag": PROPOSED, "beslutad": ADOPTED, "reviderad": REVISED}

PROJECT_STATUS_LABELS: dict[ProjectStatus, str] = {
    ProjectStatus.PROPOSED: "föreslaget",
    ProjectStatus.DECIDED: "beslutat",
    ProjectStatus.ONGOING: "pågående",
    ProjectStatus.PAUSED: "pausat",
    ProjectStatus.COMPLETED: "avslutat",
    ProjectStatus.CANCELLED: "avbrutet",
}
LIGHT_LABELS: dict[Light, str] = {Light.GREEN: "grön", Light.YELLOW: "gul", Light.RED: "röd"}

# Goal attainment, by the code a filter names it with (?maluppfyllelse=delvis).
ATTAINMENT_LABELS = {
    "uppfyllt": "uppfyllt",
    "delvis": "delvis uppfyllt",
    "ej_uppfyllt": "ej uppfyllt",
    # Before a target's due year: judged against the path from the baseline, or not at all.
    "i_fas": "i fas",
    "inte_i_fas": "inte i fas",
    "ej_bedomt": "ej bedömt",
    "ej_matt": "ej mätt",
}
