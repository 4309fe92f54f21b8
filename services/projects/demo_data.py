"""Demo data: the projects of Katrineholm's kommunstyrelsen 2011-2013, as projects commands.

Transcribed from the seed document ``seed/000_caf97ba528c8fed6.txt``, "Planering med budget
2011-2013 för kommunstyrelsen" (2011-03-22): the section "Kommunstyrelsens pågående alternativt
nya projekt 2011-2013" (three ongoing projects, four new ones), its appendix 1.1 on the
communication platform (dated 2010-06-04, prepared by Jessica Sjögren at Informationskontoret),
and what the rest of the document states about projects: the logistics centre of Näringsliv och
tillväxt with its two directives, the project office's narrative (the 10 % rule, the new
projects it takes on in 2011, who leads what), the Kvalitet i Korthet project of the economy
office, and the KLF narrative on Vision 2025.

How the printed text is kept:

* Texts are as printed, with what the PDF extraction lost put back: the letter "x" ("eempel" is
  "exempel", "etra" is "extra", "uppvätvillkor" is "uppväxtvillkor", "Etern" is "Extern"), the
  sign "§" before a paragraph number ("2010-11-24 228" is "2010-11-24 § 228", "2009 ( 91)" is
  "2009 (§ 91)"), and footnote numbers taken out of the text (footnote 18, on the Lupp survey,
  is kept as the last paragraph of the child and youth project's description). The seed's own
  spellings stay ("projektledar och adminstration", "hälsoutveckling lika villkor").
* A text may be made of several printed passages, one paragraph each; a list printed as one run
  ("Att i hela organisationen ... Att tillhandahålla ...") is kept one item a line. Nothing is
  added between the printed words.

What the seed states and the contract cannot say, and how it was decided (nothing is invented):

* Dates. The seed gives days only for the two decisions (KS 2010-04-28 § 90, KS 2010-11-24
  § 228), which become the dated lifecycle steps to "decided". Every other time is a year or a
  season ("i slutet av 2008", "i tre år", "vintern 2010", "hösten 2010/våren 2011", "första
  delen av år 2011", "från mars månad"): no project gets a planned start or end, no step gets
  planned dates (a step keeps its period as worded), and no other status change is sent.
* Units. The board is KS, and the responsible unit is the one the seed ties the project to:
  Projektkontoret (PROJ) for what its section says it runs, which are also the projects run by
  the project office (its 10 % rule); Informationskontoret (INFO) for the communication
  platform, whose appendix it wrote (run by the project office); Kommunsekretariat & Arkiv
  (KSEK) for case and document management; Kommunledningsförvaltningen (KLF) for Vision 2025,
  which the decision tasks; Näringsliv och tillväxt (NÄT) for the logistics centre; the economy
  office (EKO) for Kvalitet i Korthet.
* Status. The three "Pågående projekt" and the logistics centre are registered ongoing. The new
  projects are proposed, except where the seed gives the decision: Hel deltid (its directive was
  decided KS 2010-04-28 § 90) and Vision 2025 (KS 2010-11-24 § 228) are registered proposed and
  then decided on that day. Kvalitet i Korthet is registered decided ("Kommunen har beslutat att
  delta"), without a date, which the seed does not give.
* Managers. The seed names no project manager: the logistics centre's is "näringslivschefen",
  the child and youth project's substitute is "vikarierande projektledare" (its regular manager is
  on parental leave, back in the autumn of 2011), Hel deltid is led from March by "Projektledaren
  för Kompetensplaneringsprojektet", the e-services by "En informatör", Kvalitet i Korthet by "den
  verksamhetscontroller som arbetar på ekonomikontoret". A manager is a name, so none is
  registered and no ChangeProjectManager is sent; no steering group is named either. Where the
  role is part of the passage that describes the project (the logistics centre's first
  directive, Kvalitet i Korthet), the text keeps it; the staffing notes of Projektkontoret and
  Informationskontoret are not project descriptions and are left out.
* Money. The only amounts are the child and youth project's grant ("sju miljoner") and step 2's
  estimate ("ca 300 000 kr"). The grant is one total for three years granted at the end of 2008,
  with no split per year and no day: it is recorded once, the whole amount on 2009 (the first
  year after the grant, when the project plan was revised), without a grant date, and the note
  says so; splitting it in three would invent the split. The seed does not name the grantor: it
  says the plan was revised "i dialog med Statens Folkhälsoinstitut", which the source names and
  the note explains. No project budget is set: Projektkontoret's frame (+1 443 tkr) is one sum for
  Hel deltid and the equality work together, and the logistics centre's 1 118 tkr is the board's
  frame for the KLC branch (in the budget demo), not a project budget. The EU co-financing of the
  logistics centre and the office's new application to Hållbar jämställdhet (SKL) are not granted
  and have no amount, so they are not financing.
* Goals. The communication platform names the two KLF result goals it serves. The logistics
  centre's two commitments under NÄT's result goal "Hållbar utveckling" ("KLC möjliggör ...",
  "KLC lägger förutsättningar ...") tie it to that goal. No other project names a goal.
* The appendix. Its purpose, result goals, what the platform shall support ("Resultat"), its
  requirements ("Krav") and the table of steps with the conclusion's estimate are sent; its
  background and its argument for internal communication (with their literature) are not
  project facts and are left out.
* Steps. Only the communication platform has steps. The logistics centre's "utbyggnad i fyra
  etapper" names no stage, so no steps are planned for it.
* Not registered: projects of others the municipality takes part in (Mälab's Sörmlandspilen,
  "projekt framtida kollektivtrafik i Sörmland", the regional Mälardiagonalen and Räta linjen),
  and the IT office's tasks of the year ("Inga större projekt kommer att påbörjas eller
  genomföras, förutom ovan nämnda"), none of which it names as a project.

Every command has a message id derived from a stable key, so loading the demo twice sends the
same ids and the second load is refused as duplicates.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid5

from contracts.envelope import Command
from contracts.projects.commands import (
    ChangeProjectStatus,
    LinkGoal,
    PlanStep,
    RecordFinancing,
    RegisterProject,
)
from contracts.projects.fields import ProjectStatus

ACTOR = "demo"
DEMO_NAMESPACE = UUID("8e706f76-634f-441d-8135-79830ed48006")
"""Fixed namespace of the demo's message ids; never change it, or reloading sends new ids."""

BOARD = "KS"
PROJECT_OFFICE = "PROJ"

PROPOSED, DECIDED, ONGOING = ProjectStatus.PROPOSED, ProjectStatus.DECIDED, ProjectStatus.ONGOING


def paragraphs(*texts: str) -> str:
    """Printed passages, one paragraph each."""
    return "\n\n".join(texts)


def lines(*texts: str) -> str:
    """Items printed as one run, one a line."""
    return "\n".join(texts)


# --- Projects ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Project:
    code: str
    name: str
    unit_code: str
    status: ProjectStatus
    run_by_project_office: bool = False
    purpose: str | None = None
    goals_text: str | None = None
    directive: str | None = None
    decision: str | None = None


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
ELSEWHERE = (LOGISTICS_CENTRE, ENERGY_EFFICIENCY, E_SERVICES, QUALITY_IN_BRIEF)
"""Projects the rest of the document states."""

KS_2010_04_28_90 = "KS 2010-04-28 § 90"
KS_2010_11_24_228 = "KS 2010-11-24 § 228"

PROJECTS: tuple[Project, ...] = (
    # Run at the project office: its narrative names the regular manager's parental leave and
    # the substitute (no name is given; see the module's notes).
    Project(
        CHILD_AND_YOUTH,
        "Barn- och ungdomsprojektet",
        PROJECT_OFFICE,
        ONGOING,
        run_by_project_office=True,
        purpose=paragraphs(
            "Katrineholms kommun blev beviljade, i slutet av 2008, sju miljoner till lokalt"
            " folkhälsoarbete bland barn och unga. Kommunens projekt baseras på en undersökning"
            " som gjorts bland unga, Luppundersökningen. Utifrån resultatet från undersökningen"
            " planeras ett antal aktiviteter i samverkan med samhällets övriga aktörer. En"
            " revidering av projektplanen har gjorts under våren 2009 utifrån förändrade"
            " förutsättningar i kommunen samt i dialog med Statens Folkhälsoinstitut. Projektet"
            " kommer att pågå i tre år och kommer att följas av tema Barn vid Linköpings"
            " universitet. Tema Barn bedriver bred tvärvetenskaplig forskning kring barn och"
            " barndom med ett forskningsområde som på olika sätt är kopplat till"
            " samhällssektorer som socialtjänst, utbildningssystem, fritidssektorer, den"
            " kommersiella marknaden men också centrala och lokala politiska nivåer i samspel"
            " med barn och familj.",
            "Syftet är att genomföra ett antal insatser utifrån resultatet från"
            " Lupp-undersökningen. Genom detta tar vi tillvara ungdomarnas eget intresse för"
            " frågorna och ger dem möjlighet att påverka. Likaså är syftet att främja en god"
            " hälsa bland barn och ungdomar i Katrineholm. Lupp-undersökningen ger exempel på"
            " områden som unga vill prioritera. Den visar även på områden där många unga har"
            " problem eller känner sig utsatta, vilket kan indikera att detta är saker som"
            " kommunen borde satsa extra på i framtiden. Undersökningen visar också att många"
            " ungdomar upplever att möjligheten till inflytande och delaktighet i kommunen är"
            " dålig och att ungdomarna önskar vara med och påverka. Förutom resultaten från"
            " Lupp-undersökningen finns data från landstingets Liv och hälsa ung -undersökning."
            " Folkhälsocentrum i landstinget Sörmland har för tredje gången nu presenterat data"
            " från denna undersökning som stödjer resultaten i Lupp-undersökningen, och som"
            " ytterligare kan ge stöd för olika insatser i samverkan.",
            # Footnote 18, on "Luppundersökningen".
            "Ungdomsenkäten Lupp, Lokal uppföljning av ungdomspolitiken genomförs av"
            " Ungdomsstyrelsen. Frågorna i enkäten handlar bland annat om synen på inflytande och"
            " demokrati, hur unga trivs i skolan, fritidsaktiviteter, arbete, hälsa och"
            " framtidsplaner.",
        ),
        goals_text=(
            "Projektets övergripande mål är att skapa förutsättningar för en god hälsa och"
            " hälsoutveckling lika villkor med trygga och goda uppväxtvillkor för alla barn och"
            " ungdomar."
        ),
    ),
    # Run at the project office: its manager also leads Hel deltid from March.
    Project(
        SKILLS_PLANNING,
        "Kompetensplaneringsprojektet",
        PROJECT_OFFICE,
        ONGOING,
        run_by_project_office=True,
        goals_text=lines(
            "Projektets övergripande mål är;",
            "Att i hela organisationen implementera ett strategiskt arbetssätt för kompetensfrågor",
            "Att tillhandahålla ett systemstöd för detta arbetssätt.",
        ),
    ),
    # Equality integration is the project office's ("strategiskt ledningsstöd inom jämställdhet
    # och jämställdhetsintegrering", "arbetet med jämställdhetsintegreringen att fortsätta").
    # The one sentence states both the purpose and the long-term goal; it is the purpose.
    Project(
        GENDER_AWARE,
        "Genusmedveten styrning",
        PROJECT_OFFICE,
        ONGOING,
        run_by_project_office=True,
        purpose=(
            "Syftet avseende jämställdhetsintegrering är att Jämstöds modell Trappan ska"
            " integreras i det nya styr- och ledningssystemet, med det långsiktiga målet att"
            " medborgare, kvinnor och män, flickor och pojkar, ska ha samma rättigheter,"
            " skyldigheter och möjligheter i mötet med kommunen."
        ),
    ),
    # Appendix 1.1, from Informationskontoret; "Nya projekt som kommer att bedrivas vid
    # projektkontoret är ... Ny kommunikationsplattform". A basis for a decision, not decided.
    Project(
        COMMUNICATION_PLATFORM,
        "Kommunikationsplattform",
        "INFO",
        PROPOSED,
        run_by_project_office=True,
        purpose=paragraphs(
            "Att medel ska avsättas i budget för 2011 för att utveckla kommunens intranät till en"
            " modern kommunikationsplattform för att effektivisera internkommunikationen.",
            "Plattformen ska fungera som ett verktyg för att stödja och effektivisera"
            " internkommunikationen i Katrineholms kommun.",
        ),
        goals_text=paragraphs(
            "För att arbeta effektivt och gränsöverskridande i kommunen behöver organisationen en"
            " kommunikationsplattform som underlättar erfarenhetsutbyte, effektiviserar"
            " samarbete och kommunikationsflöden. Den ska stödja:",
            lines(
                "En portallösning som ger en väg in till det man behöver i arbetet.",
                "Kommunikation och ge möjlighet för alla att bidra med innehåll",
                "En bra sökfunktion, eftersom fler och fler väljer att söka direkt istället för"
                " att navigera via en meny.",
                "Webbmöten. Möjlighet att kunna kommunicera med varandra på flera olika sätt.",
                "Samarbetsytor/projektgrupper/projektrum, det vill säga möjlighet att samarbeta i"
                " olika grupper oavsett förvaltningstillhörighet.",
                "Möjlighet att bygga och dela en intern kunskapsbank så som till exempel wikis."
                " Digitala lathundar. Inspelningar för olika saker.",
                "Webbaserad åtkomst. Intranätet och kopplade funktioner ska nås även utanför"
                " kommunens nätverk för att möjliggöra arbete hemifrån och samarbetsgrupper.",
                "Single-sign-on. Man ska bara behöva logga in en gång i ett system. Många"
                " medarbetare arbetar inte framför dator, till exempel vårdpersonal och lärare."
                " Dessa personer loggar sällan in, vilket ställer stora krav på att de när de väl"
                " har tillgång till en dator snabbt kommer in och hittar vad de söker.",
                "Extranätlösning. För att göra viss information från intranätet tillgänglig för"
                " exempelvis samarbetspartners, medborgare, föräldrar, elever med flera.",
                "Nyhetsflöden, med möjlighet till bevakning genom prenumeration",
                "Fildelning och dokumenthantering med versionshantering. Dokument ska bara finnas"
                " en gång i våra system. De ska däremot vara åtkomliga och länkade från flera"
                " olika platser.",
                "Information bör bara publiceras en gång. Den ska sedan flöda till exempel från"
                " intranätet till katrineholm.se och övriga webbplatser.",
                "Möjlighet till personanpassade prenumerationer på uppdateringar i systemet",
                "Effektiv omvärldsbevakning av media och bloggar för att veta vad som är på gång"
                " på orten och inom våra intresseområden.",
            ),
            "Antalet mobila enheter ökar. En fråga för framtiden är hur mycket av vårt arbete vi"
            " ska kunna hantera via våra mobila enheter.",
            lines(
                "Krav",
                "Det ska vara en plattform som kan integreras med andra befintliga system i"
                " kommunen. Den måste bygga på känd teknik som tillåter flöde mellan systemen."
                " Det ska vara en SQL-baserad och AD-kopplad lösning för att passa i kommunens"
                " befintliga IT-miljö. Det är också viktigt att AD-kopplingen tillhandahålls av"
                " den eventuella leverantören. Lösningen ska också uppfylla gällande"
                " tillgänglighetskrav. För att förstärka känslan av ett intranät/en arbetsplats är"
                " det viktigt att det ser enhetligt ut, även om lösningen bygger på flera system."
                " Om Open source-alternativ övervägs krävs en partner som kan sätta sin"
                " kvalitetsstämpel och garantera stabilitet.",
            ),
        ),
    ),
    # Kommunsekretariatet's narrative says its directive is yet to be written (kept in the
    # text): no directive is sent.
    Project(
        CASE_AND_DOCUMENTS,
        "Ärende- och dokumenthantering",
        "KSEK",
        PROPOSED,
        purpose=paragraphs(
            "Avsikten med projektet är att anskaffa ett modernt ändamålsenligt system som"
            " ersättning för LEX. Tillkommande funktionella krav är att systemet ska ge stöd för"
            " publicering med beaktande av PULskyddade uppgifter, det ska ge stöd för publicering"
            " av diarium och handlingar. Systemet ska vara enkelt att arbeta i samt bygga på den"
            " tekniska plattform som är IT-kontorets standard.",
            "Vidare avses projektdirektiv för nytt ärende- och dokumenthanteringssystem tas fram.",
        ),
    ),
    # The decision tasks Kommunledningsförvaltningen; its narrative says when and what. The
    # decision's three points are the reason of the status change to decided.
    Project(
        VISION_2025,
        "Vision 2025",
        "KLF",
        PROPOSED,
        purpose=(
            "Vision 2025 kommer att arbetas fram under första delen av år 2011 och kommer"
            " därefter ange riktningen för Katrineholms utveckling. I arbetet kommer ortens"
            " varumärke Sveriges Lustgård att involveras liksom kommunens eget arbetsgivarmärke."
        ),
    ),
    # The directive (appendix 1.2) is not in the seed: only its decision. Projektkontoret "har
    # fått ram för införandet av projektet Heltid en rättighet och deltid en möjlighet".
    Project(
        FULL_TIME,
        "Heltid en rättighet och deltid en möjlighet",
        PROJECT_OFFICE,
        PROPOSED,
        run_by_project_office=True,
        directive=KS_2010_04_28_90,
    ),
    # "Ett mycket viktigt projekt för NÄT": the first directive (KS 2009 § 91, handling nr
    # 28/2009), dated by year only, and the new one decided by the board as described in Dnr
    # KS/2011:31-069, which is the directive in force.
    Project(
        LOGISTICS_CENTRE,
        "Katrineholms Logistikcentrum",
        "NÄT",
        ONGOING,
        purpose=paragraphs(
            "Syftet med projektet är att utveckla Katrineholm till ett logistikcentrum. I en"
            " broschyr beskrivs projektet som en utbyggnad i fyra etapper, en satsning byggd på"
            " ansvar för miljön i ett av Sveriges bästa transportlägen och att Katrineholms"
            " Logistikcentrum ska representera effektiv logistik med tydlig miljöprofil.",
            "Kommunstyrelsen fattade 2009 (§ 91) beslut om ett direktiv (Kommunstyrelsens"
            " handling nr 28/2009) som detaljerat redogör för projektet. Bland annat beskrivs"
            " roller och ansvar och att näringslivschefen är projektchef.",
            "Ett nytt projektdirektiv har tagits fram och beslutats om av kommunstyrelsen enligt"
            " beskrivning i Dnr KS/2011:31-069. Det nya direktivet beskriver bland annat vision,"
            " syfte och mål med Katrineholms Logistikcentrum, vidareutvecklingen över ytterligare"
            " tre år, kommunens nytta och möjligheter samt den sannolikt förändrade roll kommunen"
            " tar som förvaltare av spår och hårdgjorda ytor, uppbyggnad av logistikkompetens och"
            " utveckling av miljöprofilen.",
            "Förvaltningen näringsliv och tillväxt kommer att arbeta för att ytterligare utveckla"
            " det arbetssätt som råder inom samverkansgruppen Katrineholms Logistikcentrum, där"
            " nästan samtliga förvaltningar och bolag deltar.",
            "Förvaltningen näringsliv och tillväxt ser en stor potential i det arbete som EU"
            " samordnaren påbörjat främst gälland delfinasiering av logistikcentrum via EU medel"
            " men också i kontakten med våra lokala företagare.",
        ),
        directive="Dnr KS/2011:31-069",
        decision="KS 2009 § 91, handling nr 28/2009",
    ),
    # "Nya projekt som kommer att bedrivas vid projektkontoret är Energieffektiviseringsprojektet,
    # E-tjänstprojektet och Ny kommunikationsplattform." Nothing more is said of the first two
    # but that an information officer leads the e-services two days a week.
    Project(
        ENERGY_EFFICIENCY,
        "Energieffektiviseringsprojektet",
        PROJECT_OFFICE,
        PROPOSED,
        run_by_project_office=True,
    ),
    Project(
        E_SERVICES,
        "E-tjänstprojektet",
        PROJECT_OFFICE,
        PROPOSED,
        run_by_project_office=True,
    ),
    # The economy office's narrative, whole: its project manager is a role, kept in the text.
    Project(
        QUALITY_IN_BRIEF,
        "Kommunens Kvalitet i Korthet (KKiK)",
        "EKO",
        DECIDED,
        purpose=(
            "Kommunen har beslutat att delta i Kommunens Kvalitet i Korthet (KKiK). Projektledare"
            " för detta är den verksamhetscontroller som arbetar på ekonomikontoret. Ett arbete"
            " är att hitta metoder för hur resultaten av detta arbete ska användas i våra"
            " verksamheter."
        ),
    ),
)


# --- Lifecycle --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    project_code: str
    status: ProjectStatus
    effective_on: date
    decision: str
    reason: str


DECISIONS: tuple[Decision, ...] = (
    Decision(
        FULL_TIME,
        DECIDED,
        date(2010, 4, 28),
        KS_2010_04_28_90,
        "Projektdirektiv för Heltid en rättighet och deltid en möjlighet i Katrineholms kommun.",
    ),
    Decision(
        VISION_2025,
        DECIDED,
        date(2010, 11, 24),
        KS_2010_11_24_228,
        lines(
            "1. Kommunstyrelsen beslutar godkänna den av Gullers Grupp Informationsrådgivare AB"
            " lämnade offerten med förslag till process för att ta fram och förankra en ny"
            " vision för Katrineholm.",
            "2. Kostnaden ska inrymmas inom kommunledningsförvaltningens budget för 2010.",
            "3. Kommunledningsförvaltningen uppdras att inom arbetet med den nya visionen",
            "utvärdera Vision 2010",
            "förtydliga hur implementeringen i nämnderna ska ske",
            "förtydliga och konkretisera implementeringen av översiktsplanerarbetet i"
            " visionsarbetet",
        ),
    ),
)


# --- Steps ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    project_code: str
    step: int
    name: str
    period: str | None
    cost_estimate: Decimal | None
    description: str


BASIS = lines(
    "Underlag för beslut om upphandling av förstudie och genomförande av förstudie för ny"
    " kommunikationsplattform i Katrineholms kommun",
    "Datum: 2010-06-04",
    "Handläggare: Jessica Sjögren",
)
"""The appendix the communication platform's steps and estimate come from."""
COSTS_OF_STEPS_3_AND_4 = "I förstudien framkommer vad kostnaderna för steg 3 och 4 blir."

# The table "Tidplan och Kostnader": step, what, when, cost, resources. Step 4 prints no period.
# The conclusion estimates "steg 1 och 2" together at about 300 000 kr and gives other shares of
# time than the table; the table puts the sum on step 2, where it is sent, and the conclusion is
# kept in step 2's description.
STEPS: tuple[Step, ...] = (
    Step(
        COMMUNICATION_PLATFORM,
        1,
        "Upphandling av förstudie",
        "vintern 2010",
        None,
        "Minst 30% under 3-4 månader för en person, samt avsatta resurser från respektive"
        " förvaltning och upphandlingskontoret.",
    ),
    Step(
        COMMUNICATION_PLATFORM,
        2,
        "Förstudie och kravspecifikation",
        "hösten 2010/våren 2011",
        Decimal(300000),
        paragraphs(
            "Extern projektledar och adminstration ca 300 000 kr",
            "Minst 100% under 6 månader för en person, samt avsatta resurser från respektive"
            " förvaltning.",
            "Uppskattad kostnad för att genomföra steg 1 och 2 beräknas till cirka 300 000 kr i"
            " konsulttimmar, samt en person på 30% under 2-3 månader för upphandling."
            " Förstudien kräver en person på 100% under 4 månader samt resurser från respektive"
            " förvaltning. Uppskattningen är baserad på kostnaden för kravarbetet med"
            " katrineholm.se.",
            BASIS,
        ),
    ),
    Step(
        COMMUNICATION_PLATFORM,
        3,
        "Genomförande",
        "vintern 2011",
        None,
        paragraphs(
            lines(
                "Projektledare antal timmar á kr",
                "Administration antal timmar á kr",
                "Intern arbetstid antal timmar á kr",
                "Licenser",
                "Hårdvara",
            ),
            COSTS_OF_STEPS_3_AND_4,
        ),
    ),
    Step(
        COMMUNICATION_PLATFORM,
        4,
        "Utbildning Utveckling",
        None,
        None,
        paragraphs(
            "Support, driftskostnader och förvaltningsorganisation.",
            COSTS_OF_STEPS_3_AND_4,
        ),
    ),
)


# --- Financing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grant:
    project_code: str
    source: str
    year: int
    amount: Decimal
    note: str


GRANTS: tuple[Grant, ...] = (
    Grant(
        CHILD_AND_YOUTH,
        "Statens Folkhälsoinstitut",
        2009,
        Decimal(7_000_000),
        "Beviljat i slutet av 2008: sju miljoner till lokalt folkhälsoarbete bland barn och"
        " unga, för projektets tre år. Planen anger summan för hela projekttiden, inte"
        " fördelningen per år eller beviljandedagen; hela summan står därför på 2009, första"
        " året efter beviljandet. Bidragsgivaren nämns inte; projektplanen reviderades våren"
        " 2009 i dialog med Statens Folkhälsoinstitut.",
    ),
)


# --- Goal links -------------------------------------------------------------------------------

GOAL_LINKS: tuple[tuple[str, str], ...] = (
    # The appendix: "En fungerande kommunikationsplattform kan bidra till att nå följande
    # definierade resultatmål".
    (COMMUNICATION_PLATFORM, "klf-ratt-kvalitet-produktivitet-och-effektivitet"),
    (COMMUNICATION_PLATFORM, "klf-attraktiv-arbetsgivare"),
    # NÄT's "Hållbar utveckling": "KLC möjliggör överflyttning av långa transporter från lastbil
    # till järnväg", "KLC lägger förutsättningar för att hantera stora godsflöden ...".
    (LOGISTICS_CENTRE, "nat-hallbar-utveckling"),
)


# --- Builders ---------------------------------------------------------------------------------


def message_id(key: str) -> UUID:
    """The demo's id for the command with this stable key, the same on every load."""
    return uuid5(DEMO_NAMESPACE, key)


def register_commands() -> list[Command]:
    return [
        RegisterProject(
            message_id=message_id(f"project/{project.code}/register"),
            actor=ACTOR,
            project_code=project.code,
            name=project.name,
            board_code=BOARD,
            unit_code=project.unit_code,
            run_by_project_office=project.run_by_project_office,
            purpose=project.purpose,
            goals_text=project.goals_text,
            directive=project.directive,
            decision=project.decision,
            status=project.status,
        )
        for project in PROJECTS
    ]


def status_commands() -> list[Command]:
    return [
        ChangeProjectStatus(
            message_id=message_id(f"project/{d.project_code}/status/{d.status}/{d.effective_on}"),
            actor=ACTOR,
            project_code=d.project_code,
            status=d.status,
            effective_on=d.effective_on,
            decision=d.decision,
            reason=d.reason,
        )
        for d in DECISIONS
    ]


def step_commands() -> list[Command]:
    return [
        PlanStep(
            message_id=message_id(f"project/{s.project_code}/step/{s.step}"),
            actor=ACTOR,
            project_code=s.project_code,
            step=s.step,
            name=s.name,
            period=s.period,
            cost_estimate=s.cost_estimate,
            description=s.description,
        )
        for s in STEPS
    ]


def financing_commands() -> list[Command]:
    return [
        RecordFinancing(
            message_id=message_id(f"project/{g.project_code}/financing/{g.source}/{g.year}"),
            actor=ACTOR,
            project_code=g.project_code,
            source=g.source,
            year=g.year,
            amount=g.amount,
            note=g.note,
        )
        for g in GRANTS
    ]


def goal_link_commands() -> list[Command]:
    return [
        LinkGoal(
            message_id=message_id(f"project/{code}/goal/{goal_id}"),
            actor=ACTOR,
            project_code=code,
            goal_id=goal_id,
        )
        for code, goal_id in GOAL_LINKS
    ]


def projects_demo_commands() -> list[Command]:
    """Every demo command, in an order the projects service can apply: each project registered
    before anything refers to it, then the decisions, steps, financing and goal links."""
    return [
        *register_commands(),
        *status_commands(),
        *step_commands(),
        *financing_commands(),
        *goal_link_commands(),
    ]


def projects_demo_count() -> int:
    """How many projects the demo registers."""
    return sum(isinstance(c, RegisterProject) for c in projects_demo_commands())
