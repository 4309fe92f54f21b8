"""The forms people write with in the browser, as data: which command of which service each
sends, and its fields in Swedish.

A form decides nothing: it sends its command to the owning service's HTTP endpoint with the
person's own token, and the service accepts or refuses it as it would over the API. It is
shown to those whose roles the service's contract names for its command (WriteService.roles)
and whose units include the unit it writes for.
"""

from dataclasses import dataclass

from contracts.write_services import WRITE_SERVICES
from services.reporting.reports.goals.commitment import STATUS_WORDS
from services.reporting.vocabulary import LIGHT_LABELS

ACTIVITY_STATUSES = tuple((status, words.capitalize()) for status, words in STATUS_WORDS.items())
LIGHTS = tuple((light.value, words.capitalize()) for light, words in LIGHT_LABELS.items())
PERIOD_HINT = "år (2011), månad (2011-08) eller delår (2011-interim)"


@dataclass(frozen=True)
class Field:
    name: str  # the command's field
    label: str
    kind: str = "text"  # text, textarea, number or a choice (choices)
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    hint: str = ""


@dataclass(frozen=True)
class FormSpec:
    name: str  # in the address: /skriv/{name}
    service: str
    command: str
    title: str
    submit: str
    fixed: tuple[str, ...]  # the command's fields the page sets (hidden)
    fields: tuple[Field, ...]
    folded: bool = True  # shown as a heading that opens it; a form of one button is not

    @property
    def roles(self) -> frozenset[str]:
        """Who may send its command, as the owning service's contract says."""
        owner = next(service for service in WRITE_SERVICES if service.name == self.service)
        return owner.roles.get(self.command, frozenset())

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.fixed) | {field.name for field in self.fields}


KRONOR_HINT = "i kronor, t.ex. -1234567; kostnader skrivs negativa"
AMOUNTS = (
    Field("revenue", "Intäkter", "number", required=True, hint=KRONOR_HINT),
    Field("costs", "Kostnader", "number", required=True, hint=KRONOR_HINT),
)
DECIDED = (("adopted", "Beslutad budget"), ("revised", "Reviderad budget"))

READINESS = ("unit_code", "year", "report", "month")
FORMS = {
    spec.name: spec
    for spec in (
        FormSpec(
            "manadskommentar",
            "budget",
            "write-month-comment",
            "Skriv månadens kommentar och åtgärder",
            "Spara kommentaren",
            ("unit_code", "period"),
            (
                Field("comment", "Kommentar", "textarea", required=True),
                Field("measures", "Åtgärder", "textarea"),
            ),
        ),
        FormSpec(
            "uppfoljningstext",
            "budget",
            "write-follow-up-text",
            "Skriv enhetens text för rapporten",
            "Spara texten",
            ("unit_code", "year", "report"),
            (Field("text", "Text", "textarea", required=True),),
        ),
        FormSpec(
            "budgetforslag",
            "budget",
            "set-figures",
            "Lägg ett budgetförslag",
            "Spara förslaget",
            ("unit_code", "year", "kind", "status"),
            (*AMOUNTS, Field("decision", "Ärende eller beslut (frivilligt)")),
        ),
        FormSpec(
            "budgetbeslut",
            "budget",
            "set-figures",
            "Registrera beslutad eller reviderad budget",
            "Spara budgeten",
            ("unit_code", "year", "kind"),
            (
                Field("status", "Version", choices=DECIDED, required=True),
                *AMOUNTS,
                Field("decision", "Beslut", required=True, hint="t.ex. KF 2010-11-15 § 13"),
            ),
        ),
        FormSpec(
            "klarmarkera",
            "budget",
            "mark-ready",
            "Klarmarkera",
            "Markera som klar",
            READINESS,
            (),
            folded=False,
        ),
        FormSpec(
            "oppna-igen",
            "budget",
            "reopen-report",
            "Öppna igen",
            "Öppna igen för ändringar",
            READINESS,
            (),
            folded=False,
        ),
        FormSpec(
            "lagesrapport",
            "projects",
            "report-project-status",
            "Skriv en lägesrapport",
            "Spara lägesrapporten",
            ("project_code",),
            (
                Field("period", "Månad", required=True, hint="ÅÅÅÅ-MM, t.ex. 2011-08"),
                Field("schedule", "Tid", choices=LIGHTS, required=True),
                Field("cost", "Kostnad", choices=LIGHTS, required=True),
                Field("quality", "Kvalitet", choices=LIGHTS, required=True),
                Field("text", "Kommentar", "textarea"),
                Field("reported_by", "Rapporterad av", required=True),
            ),
        ),
        FormSpec(
            "matvarde",
            "goals",
            "record-measurement",
            "Registrera ett mätvärde",
            "Spara mätvärdet",
            ("measure_id",),
            (
                Field("period", "Period", required=True, hint=PERIOD_HINT),
                Field("total", "Totalt", "number"),
                Field("women", "Kvinnor", "number"),
                Field("men", "Män", "number"),
                Field("source", "Källa", required=True),
            ),
        ),
        FormSpec(
            "bedomning",
            "goals",
            "assess-activity",
            "Bedöm aktiviteten",
            "Spara bedömningen",
            ("commitment_id",),
            (
                Field("period", "Period", required=True, hint=PERIOD_HINT),
                Field("status", "Bedömning", choices=ACTIVITY_STATUSES, required=True),
                Field("comment", "Kommentar", "textarea"),
            ),
        ),
    )
}  # fmt: skip
