"""What the API documentation says of each command: a description and an example body, in
Swedish, as a controller or an administration's system would send it.

Kept beside the routes rather than on the contract models, so the published JSON Schemas
(contracts/schemas/) stay as they are. The actor is left out of every body: the token names it.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CommandExample:
    description: str
    body: dict[str, Any]


_DECISION = "KS 2010-11-24 § 228"

EXAMPLES: dict[str, CommandExample] = {
    # budget
    "register-unit": CommandExample(
        "Registrerar en enhet i organisationsträdet: en nämnd, en förvaltning eller en enhet "
        "under en förvaltning, från och med ett datum.",
        {
            "unit_code": "IT",
            "name": "IT-enheten",
            "kind": "unit",
            "parent_code": "KLF",
            "manager_title": "IT-chef",
            "manager_name": "Karin Lind",
            "effective_on": "2011-01-01",
        },
    ),
    "rename-unit": CommandExample(
        "Ger en enhet ett nytt namn från och med ett datum.",
        {"unit_code": "IT", "name": "Digitaliseringsenheten", "effective_on": "2011-07-01"},
    ),
    "move-unit": CommandExample(
        "Flyttar en enhet till en annan förvaltning eller nämnd från och med ett datum.",
        {"unit_code": "IT", "parent_code": "KLF", "effective_on": "2011-07-01"},
    ),
    "close-unit": CommandExample(
        "Avvecklar en enhet från och med ett datum; dess historik finns kvar.",
        {"unit_code": "IT", "effective_on": "2011-12-31"},
    ),
    "appoint-manager": CommandExample(
        "Utser en chef för en enhet från och med ett datum.",
        {
            "unit_code": "KLF",
            "manager_title": "Kontorschef",
            "manager_name": "Anna Berg",
            "effective_on": "2011-03-01",
        },
    ),
    "set-figures": CommandExample(
        "Sätter en enhets intäkter och kostnader för ett år: budget, plan eller utfall, "
        "föreslagna, antagna eller reviderade.",
        {
            "unit_code": "KLF",
            "year": 2011,
            "kind": "budget",
            "status": "adopted",
            "revenue": "12 500 000",
            "costs": "-58 300 000",
            "decision": _DECISION,
        },
    ),
    "record-actuals": CommandExample(
        "Bokför en månads utfall för en enhet, som ekonomisystemet rapporterar det.",
        {"unit_code": "KLF", "period": "2011-03", "revenue": "1 050 000", "costs": "-4 870 000"},
    ),
    "make-forecast": CommandExample(
        "Lämnar en prognos för helåret i en månads uppföljning.",
        {
            "unit_code": "KLF",
            "period": "2011-03",
            "revenue": "12 600 000",
            "costs": "-58 900 000",
        },
    ),
    "change-frame": CommandExample(
        "Ändrar en enhets budgetram för ett år, med skälen och beslutet.",
        {
            "unit_code": "KLF",
            "year": 2011,
            "amount": "-500 000",
            "reasons": "Minskad ram efter lägre skatteintäkter.",
            "decision": _DECISION,
        },
    ),
    "attach-table-note": CommandExample(
        "Fäster en not vid en enhets tabell, en kolumn eller ett belopp i den, t.ex. att "
        "beloppen är preliminära; samma not-id ersätter en tidigare not.",
        {
            "unit_code": "KS",
            "year": 2011,
            "note_id": "ombudgeteringar-2010",
            "table": "net_investments",
            "kind": "budget",
            "text": "Eventuella ombudgeteringar från år 2010 är ej inräknade.",
        },
    ),
    "set-net-investment": CommandExample(
        "Sätter en enhets nettoinvestering för ett år: budget, plan eller utfall.",
        {"unit_code": "KLF", "year": 2011, "kind": "budget", "amount": "2 000 000"},
    ),
    "write-narrative": CommandExample(
        "Skriver en text i en enhets plan för ett år: verksamhetsbeskrivningen eller "
        "förändringarna i verksamheten.",
        {
            "unit_code": "KLF",
            "year": 2011,
            "section": "activity_description",
            "text": "Kommunledningsförvaltningen stödjer kommunstyrelsen i styrning och "
            "uppföljning av kommunens verksamheter.",
        },
    ),
    "set-project-share": CommandExample(
        "Sätter projektkontorets andel av ett projekts budget ett år, som intäkt för enheten.",
        {
            "unit_code": "KLF",
            "year": 2011,
            "project_code": "barn-och-ungdomsprojektet",
            "project_budget": "1 000 000",
            "revenue": "100 000",
        },
    ),
    "write-month-comment": CommandExample(
        "Skriver en enhets kommentar till en månads uppföljning, med eventuella åtgärder.",
        {
            "unit_code": "KLF",
            "period": "2011-03",
            "comment": "Kostnaderna ligger något över budget på grund av vakanser som "
            "täckts med konsulter.",
            "measures": "Rekrytering pågår; konsultinsatserna avslutas i maj.",
        },
    ),
    "mark-ready": CommandExample(
        "Klarmarkerar en enhets månadsuppföljning (eller delårsrapport eller årsredovisning,"
        " då utan month) för den överordnade enheten.",
        {"unit_code": "IT", "year": 2011, "report": "month_report", "month": 8},
    ),
    "reopen-report": CommandExample(
        "Öppnar en klarmarkerad uppföljning igen, för att ändra i den.",
        {"unit_code": "IT", "year": 2011, "report": "month_report", "month": 8},
    ),
    "set-budget-profile": CommandExample(
        "Fördelar en enhets årsbudget på årets tolv månader, i procent.",
        {
            "unit_code": "KLF",
            "year": 2011,
            "monthly_percent": [8, 8, 9, 8, 8, 9, 5, 7, 9, 9, 10, 10],
        },
    ),
    "write-follow-up-text": CommandExample(
        "Skriver en enhets text till delårsrapporten eller årsredovisningen för ett år.",
        {
            "unit_code": "KLF",
            "year": 2011,
            "report": "interim_report",
            "text": "Verksamheten har bedrivits enligt plan under årets första åtta månader.",
        },
    ),
    # goals
    "define-perspective": CommandExample(
        "Inför ett perspektiv i en nämnds plan, som målen ordnas under.",
        {
            "board_code": "KS",
            "perspective_id": "medborgare",
            "name": "Medborgare",
            "position": 1,
        },
    ),
    "adopt-goal": CommandExample(
        "Antar ett resultatmål för en enhet i organisationsträdet, för en period av år.",
        {
            "goal_id": "trygg-kommun",
            "unit_code": "KS",
            "perspective_id": "medborgare",
            "title": "Invånarna ska känna sig trygga i kommunen.",
            "first_year": 2011,
            "last_year": 2014,
            "decision": _DECISION,
        },
    ),
    "reword-goal": CommandExample(
        "Formulerar om ett resultatmål.",
        {
            "goal_id": "trygg-kommun",
            "title": "Invånarna ska känna sig trygga i hela kommunen.",
            "decision": _DECISION,
        },
    ),
    "retire-goal": CommandExample(
        "Avslutar ett resultatmål efter ett visst år.",
        {"goal_id": "trygg-kommun", "last_year": 2012, "decision": _DECISION},
    ),
    "make-commitment": CommandExample(
        "Gör ett åtagande under ett resultatmål: ett nyckeltal med målvärde, en aktivitet "
        "eller ett finansiellt mål.",
        {
            "commitment_id": "trygghetsindex",
            "goal_id": "trygg-kommun",
            "kind": "key_figure",
            "text": "Trygghetsindex i medborgarundersökningen ska vara 60 eller högre.",
            "follow_up": ["annual"],
            "target": {"comparison": "at_least", "value": 60, "unit": "index"},
        },
    ),
    "add-indicator": CommandExample(
        "Lägger till ett mått som följer upp ett åtagande eller ett mål.",
        {
            "indicator_id": "trygghetsindex-matt",
            "commitment_id": "trygghetsindex",
            "name": "Trygghetsindex, medborgarundersökningen",
            "cadence": "annual",
            "follow_up": ["annual"],
            "unit": "index",
        },
    ),
    "attach-note": CommandExample(
        "Fäster en definition eller en fotnot vid ett mål, ett åtagande eller ett mått.",
        {
            "note_id": "trygghetsindex-definition",
            "attached_to": "trygghetsindex",
            "kind": "definition",
            "text": "Index 0–100 ur SCB:s medborgarundersökning.",
        },
    ),
    "record-measurement": CommandExample(
        "Registrerar ett uppmätt värde för en period, som ett enkät- eller statistiksystem "
        "rapporterar det; ersätter ett tidigare värde för samma period.",
        {
            "measure_id": "trygghetsindex-matt",
            "period": "2011",
            "total": "61,5",
            "women": "58",
            "men": "65",
            "source": "SCB:s medborgarundersökning",
        },
    ),
    "assess-activity": CommandExample(
        "Bedömer hur långt en aktivitet har kommit i en period.",
        {
            "commitment_id": "trygghetsvandringar",
            "period": "2011-interim",
            "status": "under_way",
            "comment": "Två av fyra trygghetsvandringar är genomförda.",
        },
    ),
    # projects
    "register-project": CommandExample(
        "Registrerar ett projekt hos en nämnd och en ansvarig enhet.",
        {
            "project_code": "nytt-ekonomisystem",
            "name": "Nytt ekonomisystem",
            "board_code": "KS",
            "unit_code": "KLF",
            "run_by_project_office": True,
            "project_manager": "Erik Holm",
            "purpose": "Ersätta dagens ekonomisystem före avtalets slut.",
            "planned_start": "2011-02-01",
            "planned_end": "2012-06-30",
        },
    ),
    "change-project-status": CommandExample(
        "Tar ett projekt ett steg i dess livscykel, med datum och beslut; ett steg som "
        "livscykeln inte tillåter avvisas.",
        {
            "project_code": "nytt-ekonomisystem",
            "status": "decided",
            "effective_on": "2011-03-15",
            "decision": _DECISION,
        },
    ),
    "change-project-manager": CommandExample(
        "Byter projektledare från och med ett datum.",
        {
            "project_code": "nytt-ekonomisystem",
            "project_manager": "Sara Ek",
            "effective_on": "2011-09-01",
            "acting": True,
            "reason": "Ordinarie projektledare är föräldraledig.",
        },
    ),
    "plan-step": CommandExample(
        "Planerar ett steg i ett projekt, med period och kostnadsberäkning.",
        {
            "project_code": "nytt-ekonomisystem",
            "step": 1,
            "name": "Upphandling",
            "period": "våren 2011",
            "planned_start": "2011-02-01",
            "planned_end": "2011-06-30",
            "cost_estimate": "250 000",
        },
    ),
    "set-project-budget": CommandExample(
        "Sätter ett projekts budget för ett år.",
        {
            "project_code": "nytt-ekonomisystem",
            "year": 2011,
            "amount": "1 500 000",
            "decision": _DECISION,
        },
    ),
    "record-financing": CommandExample(
        "Registrerar extern finansiering av ett projekt ett år.",
        {
            "project_code": "nytt-ekonomisystem",
            "source": "Regionförbundet",
            "year": 2011,
            "amount": "300 000",
            "granted_on": "2011-04-12",
        },
    ),
    "report-project-status": CommandExample(
        "Rapporterar ett projekts läge en månad: tid, kostnad och kvalitet som grönt, gult "
        "eller rött.",
        {
            "project_code": "nytt-ekonomisystem",
            "period": "2011-05",
            "schedule": "green",
            "cost": "yellow",
            "quality": "green",
            "text": "Upphandlingen blev dyrare än beräknat.",
            "reported_by": "Erik Holm",
        },
    ),
    "link-goal": CommandExample(
        "Kopplar ett projekt till ett resultatmål som det bidrar till.",
        {"project_code": "nytt-ekonomisystem", "goal_id": "trygg-kommun"},
    ),
}
