"""Demo data: the goals of Katrineholm's kommunstyrelsen 2011-2013, as goals commands.

Transcribed from the seed document ``seed/000_caf97ba528c8fed6.txt``, "Planering med budget
2011-2013 för kommunstyrelsen" (2011-03-22), section "Nämndens resultatmål och åtaganden": the
board's four perspectives, every result goal of Kommunledningsförvaltningen (KLF) and of
Förvaltningen Näringsliv och tillväxt (NÄT) with its commitments, indicators and footnotes, and
the few values the seed states (``goals_demo_measurements``).

How the printed text is kept:

* Texts are as printed, with what the PDF extraction lost put back: the letter "x" ("Inde" is
  "Index", "eterna" is "externa", "eploateringen" is "exploateringen", "tets" is "texts", "se
  bokstäver" is "sex bokstäver"), the subscript of "CO 2" ("CO2"), words broken at a line or page
  end joined ("kommunlednings- förvaltningens"), and footnote numbers taken out of the text; each
  footnote becomes a note on what it explains. The seed's own spellings stay ("infrastukturen",
  "Telstyrelsen", "kommunen intresse", "2011(en").
* The labels of the printed table are structure, not text: "Åtagande", "Aktivitet:",
  "Indikator:", "Nyckeltal:", "Finansiellt mål", and "(varannan månad)" after an indicator, which
  becomes its cadence.
* A commitment printed as a lead sentence with key figures under it ("Vi har en stark samverkan
  med föreningslivet ..." with "- Samordnat föreningsstöd, målnivå är 100%" and "- Föreningarna
  har möjlighet ...", "Förbättra företagsklimatet" with its two "Nyckeltal:") is sent as the lead
  (an activity: no number) followed by one key figure per printed item, each with its target.
* Kind: a commitment with a target level is a key figure; one without a number is an activity,
  except where the seed measures it (the digital divide, footnote 13) or names a measured ratio
  ("Självfinansieringsgraden ska öka ...", whose 2009 level is not printed): those are key
  figures without a target. Financial goals are the four commitments the seed labels "Finansiellt
  mål" (the label follows each of the first four items of "Kommunen ska ha en ekonomi i balans";
  "Avskrivningar bör ..." and "Självfinansieringsgraden ..." carry no label and are key figures).
* By gender: where the measured value is about "män och kvinnor" / "kvinnor och män" (worry about
  crime, safe out alone late, the digital divide, "Lönesumma ... indelat i kvinnor och män"). Not
  where "kvinnor och män" names whom a service is for.
* Years: the section plans 2011-2013 and names no decision, so every goal is adopted for
  2011-2013 without a decision reference.

Follow-up (Uppföljning: Månad, Delår, Årligen, Långsiktig). The seed printed the follow-ups as
marks in four columns; the extraction lost the lower-case marks with every other "x" and kept only
the column headers, repeated at each page and administration. What the text still shows, and is
kept:

* "Lotsning och vägledning. Uppföljning Månad Delår Årligen Indikator: Antal lotsärenden": a
  header without "Långsiktig" in the middle of a page, right before the indicator; read as the
  indicator Antal lotsärenden being followed up monthly, in the interim report and annually.
* "Långsiktig" printed alone at the end of the Lissabon indicators (in the row of "Redovisa
  utvecklingen av Lissabon-indikatorerna:"): that commitment is followed up long term.

What could not be recovered: every other commitment's follow-up is left empty rather than
guessed. One upper-case "X" survives, after "Regional och lokal kollek-" (the commitment
"Genomförande av nya kollektivtrafiklagen ..."), but its column is lost, so it is not sent either.

Cadence: "(varannan månad)" is every second month; the two indicators "Användning av kommunens
e-tjänster" are measured monthly, as the IT office's section says ("Förvaltningen kommer även
mäta användningen av kommunens e-tjänster 1 gång per månad under 2011"). No other cadence is
printed. An indicator's unit is set only where its name says it ("Andel" percent, "Antal" count,
"kronor").

Every command has a message id derived from a stable key, so loading the demo twice sends the
same ids and the second load is refused as duplicates.
"""

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID, uuid5

from contracts.envelope import Command
from contracts.goals.commands import (
    AddIndicator,
    AdoptGoal,
    AttachNote,
    DefinePerspective,
    MakeCommitment,
    RecordMeasurement,
)
from contracts.goals.fields import (
    Baseline,
    Cadence,
    CommitmentKind,
    Comparison,
    FollowUp,
    MeasureUnit,
    NoteKind,
    Target,
)

ACTOR = "demo"
GOALS_DEMO_NAMESPACE = UUID("a38ab133-6e13-4518-a19f-4770b083a724")
"""Fixed namespace of the goals demo's message ids; never change it, or reloading sends new ids."""

BOARD = "KS"
KLF = "KLF"  # Kommunledningsförvaltningen
NAT = "NÄT"  # Förvaltningen Näringsliv och tillväxt
"""Unit codes as the budget demo registers them."""

FIRST_YEAR = 2011
LAST_YEAR = 2013
"""The planning period of the seed; the goals section names no other."""

KIND_KEY_FIGURE = CommitmentKind.KEY_FIGURE
KIND_ACTIVITY = CommitmentKind.ACTIVITY
KIND_FINANCIAL = CommitmentKind.FINANCIAL
PERCENT, INDEX = MeasureUnit.PERCENT, MeasureUnit.INDEX
COUNT, RANK = MeasureUnit.COUNT, MeasureUnit.RANK
DEFINITION, FOOTNOTE = NoteKind.DEFINITION, NoteKind.FOOTNOTE


# --- Perspectives -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Perspective:
    perspective_id: str
    name: str
    position: int
    parent_id: str | None = None


TVARFRAGOR = "ks-tvarfragor"

PERSPECTIVES: tuple[Perspective, ...] = (
    Perspective("ks-samhallsutveckling", "Samhällsutveckling", 1),
    Perspective("ks-fritid-och-kultur", "Fritid och kultur", 2),
    Perspective(TVARFRAGOR, "Tvärfrågor", 3),
    Perspective("ks-folkhalsa", "Folkhälsa", 1, TVARFRAGOR),
    Perspective("ks-jamstalldhet", "Jämställdhet", 2, TVARFRAGOR),
    Perspective("ks-tillganglighet", "Tillgänglighet", 3, TVARFRAGOR),
    Perspective(
        "ks-kommunovergripande-interna-funktioner", "Kommunövergripande interna funktioner", 4
    ),
)
"""Parents before their sub-areas."""

SAMHALLSUTVECKLING = "ks-samhallsutveckling"
FRITID_OCH_KULTUR = "ks-fritid-och-kultur"
FOLKHALSA = "ks-folkhalsa"
JAMSTALLDHET = "ks-jamstalldhet"
TILLGANGLIGHET = "ks-tillganglighet"
INTERNA_FUNKTIONER = "ks-kommunovergripande-interna-funktioner"


# --- Goals, commitments, indicators, notes -----------------------------------------------------


@dataclass(frozen=True)
class Note:
    """A footnote of the seed, attached to what it explains; ``number`` is its printed number."""

    number: int
    note_id: str
    kind: NoteKind
    text: str


@dataclass(frozen=True)
class Indicator:
    indicator_id: str
    name: str
    cadence: Cadence | None = None
    follow_up: tuple[FollowUp, ...] = ()
    unit: MeasureUnit | None = None
    by_gender: bool = False


@dataclass(frozen=True)
class Commitment:
    commitment_id: str
    kind: CommitmentKind
    text: str
    target: Target | None = None
    baseline: Baseline | None = None
    by_gender: bool = False
    follow_up: tuple[FollowUp, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class Goal:
    goal_id: str
    unit_code: str
    perspective_id: str
    title: str
    commitments: tuple[Commitment, ...]


def target(
    comparison: Comparison, value: str, unit: MeasureUnit, due_year: int | None = None
) -> Target:
    return Target(comparison=comparison, value=Decimal(value), unit=unit, due_year=due_year)


def activity(commitment_id: str, text: str, *indicators: Indicator) -> Commitment:
    return Commitment(commitment_id, KIND_ACTIVITY, text, indicators=indicators)


AT_LEAST, MORE_THAN = Comparison.AT_LEAST, Comparison.MORE_THAN
AT_MOST, LESS_THAN = Comparison.AT_MOST, Comparison.LESS_THAN

# Footnotes 3 and 7 print the same definition: 3 in the administration's narrative, where the
# e-services are a means of accessibility ("I arbetet med att öka tillgängligheten ...
# utvecklingen av kommunens e-tjänster 3"), 7 in the goals table under Hållbar utveckling. Each is
# attached to the e-services commitment of its context.
E_SERVICES_DEFINITION = (
    "Från och med den 1 november 2010 definieras e-tjänster utifrån möjligheten att använda e-id."
    " Övriga tjänster, som tidigare kallats e-tjänster men inte uppnår kravet på e-id, definieras"
    " efter den 1 november 2010 som e-service."
)
SAFETY_SURVEY = (
    "Trygghetsundersökningen i Södermanlands län. Övergripande resultat om allmänhetens"
    " utsatthet, trygghet och förtroende."
)
EMPLOYER_BRAND_DEFINITION = (
    "Arbetsgivarmärke avser i detta sammanhang kommunens utvecklingsinsatser för att utveckla ett"
    " varumärke som attraktiv arbetsgivare. Arbetet är långsiktigt och systematiskt inom såväl"
    " kommun som utåt mot externa målgrupper. Med utvecklingsinsatser avses i sammanhanget de"
    " insatser och aktiviteter kommunen gör för att behålla, attrahera och anställa en"
    " personalstyrka som kvalitativt och kvantitativt är anpassad till verksamhetens behov."
)
E_SERVICES_TEXT = "Antalet e-tjänster ska vara 30 vid utgången av 2011"
E_SERVICES_TARGET = target(AT_LEAST, "30", COUNT, 2011)
E_SERVICES_USE = "Användning av kommunens e-tjänster"

# The IT office's mean in the administration's evaluation (footnote 4, 2,05 in 2010 against 2,6
# in 2009) measures "Alla kontor har medelvärde tre eller högre i utvärderingen av
# förvaltningarnas syn av kommunledningsförvaltningens verksamhet." Footnote 4 stands in the
# sentence on what the evaluation showed about the administrations' needs ("förvaltningen inte
# motsvarar förvaltningarnas behov avseende IT-verksamhet. Under föregående år har 4
# IT-området ..."), so it is the administrations' view, not the board's; and it is one office's
# mean, not the administration's combined mean, so it belongs to the commitment that holds every
# office to three or more (one office below three is enough to miss it). The measurement's source
# names the office.
ALL_OFFICES_ADMINISTRATIONS = "klf-alla-kontor-forvaltningarnas-syn"

KLF_GOALS: tuple[Goal, ...] = (
    Goal(
        "klf-bra-verksamhetslokaler",
        KLF,
        SAMHALLSUTVECKLING,
        "Bra verksamhetslokaler",
        (
            Commitment(
                "klf-nki-verksamhetslokaler",
                KIND_KEY_FIGURE,
                "Nöjd Kund Index för verksamhetslokaler är 60 eller högre",
                target=target(AT_LEAST, "60", INDEX),
            ),
        ),
    ),
    Goal(
        "klf-hallbar-utveckling",
        KLF,
        SAMHALLSUTVECKLING,
        "Hållbar utveckling",
        (
            Commitment(
                "klf-hallbar-utveckling-e-tjanster",
                KIND_KEY_FIGURE,
                E_SERVICES_TEXT,
                target=E_SERVICES_TARGET,
                indicators=(
                    Indicator(
                        "klf-hallbar-utveckling-anvandning-e-tjanster",
                        E_SERVICES_USE,
                        cadence=Cadence.MONTHLY,
                    ),
                ),
                notes=(Note(7, "klf-fotnot-7-e-tjanster", DEFINITION, E_SERVICES_DEFINITION),),
            ),
        ),
    ),
    Goal(
        "klf-stark-samverkan-med-foreningslivet",
        KLF,
        FRITID_OCH_KULTUR,
        "Stark samverkan med föreningslivet",
        (
            activity(
                "klf-stark-samverkan-med-foreningslivet-service",
                "Vi har en stark samverkan med föreningslivet för att kvinnor och män, pojkar och"
                " flickor ska få den service som kommunfullmäktige har beslutat",
            ),
            Commitment(
                "klf-samordnat-foreningsstod",
                KIND_KEY_FIGURE,
                "Samordnat föreningsstöd, målnivå är 100%",
                target=target(AT_LEAST, "100", PERCENT),
            ),
            Commitment(
                "klf-foreningarnas-aktiviteter-katrineholm-3-0",
                KIND_KEY_FIGURE,
                "Föreningarna har möjlighet att synliggöra sina aktiviteter genom Katrineholm 3.0,"
                " målnivå är 100 procent",
                target=target(AT_LEAST, "100", PERCENT),
            ),
        ),
    ),
    Goal(
        "klf-trygg-och-saker-kommun",
        KLF,
        FOLKHALSA,
        "Trygg och säker kommun",
        (
            Commitment(
                "klf-oro-for-brott",
                KIND_KEY_FIGURE,
                "För Katrineholms kommun är andelen män och kvinnor som oroar sig för att utsättas"
                " för brott i något avseende mindre än 61 procent, Trygghetsundersökningen i"
                " Södermanlands län.",
                target=target(LESS_THAN, "61", PERCENT),
                by_gender=True,
                notes=(
                    Note(
                        8,
                        "klf-fotnot-8-total-oro-for-brott",
                        DEFINITION,
                        "Total oro för att utsättas för brott",
                    ),
                    Note(9, "klf-fotnot-9-trygghetsundersokningen", FOOTNOTE, SAFETY_SURVEY),
                ),
            ),
            Commitment(
                "klf-trygga-ute-en-ensam-sen-kvall",
                KIND_KEY_FIGURE,
                "Andelen män och kvinnor som är trygga ute en ensam sen kväll är högre än 66"
                " procent.",
                target=target(MORE_THAN, "66", PERCENT),
                by_gender=True,
                notes=(Note(10, "klf-fotnot-10-trygghetsundersokningen", FOOTNOTE, SAFETY_SURVEY),),
            ),
        ),
    ),
    Goal(
        "klf-tjanster-och-service-pa-lika-villkor",
        KLF,
        JAMSTALLDHET,
        "Tjänster och service på lika villkor för flickor och pojkar, kvinnor och män",
        (
            activity(
                "klf-belysa-alla-arenden",
                "Belysa alla ärenden utifrån jämställdhet, tillgänglighet och folkhälsa",
            ),
        ),
    ),
    Goal(
        "klf-konsuppdelad-statistik-och-jamstalldhetsanalyser",
        KLF,
        JAMSTALLDHET,
        "Att inom alla ansvarsområden ta fram könsuppdelad statistik och göra"
        " jämställdhetsanalyser",
        (
            activity(
                "klf-befolkningsstatistik-pa-kon",
                "All befolkningsstatistik ska delas upp på kön",
            ),
        ),
    ),
    Goal(
        "klf-tillgangliga-verksamheter",
        KLF,
        TILLGANGLIGHET,
        "Katrineholms kommuns verksamheter är tillgängliga",
        (
            Commitment(
                "klf-tillganglighet-e-tjanster",
                KIND_KEY_FIGURE,
                E_SERVICES_TEXT,
                target=E_SERVICES_TARGET,
                indicators=(
                    Indicator(
                        "klf-tillganglighet-anvandning-e-tjanster",
                        E_SERVICES_USE,
                        cadence=Cadence.MONTHLY,
                    ),
                ),
                notes=(Note(3, "klf-fotnot-3-e-tjanster", DEFINITION, E_SERVICES_DEFINITION),),
            ),
            Commitment(
                "klf-lasbarhetsindex",
                KIND_ACTIVITY,
                "Alla skrivelser mäts utifrån ett läsbarhetsindex",
                notes=(
                    Note(
                        11,
                        "klf-fotnot-11-lasbarhetsindex",
                        DEFINITION,
                        "Läsbarhetsindex är ett mått på en texts svårighetsgrad. Formeln är"
                        " Li=Lm+Lo, där Lm är medeltalet ord per mening och Lo är andelen långa"
                        " ord (ord med fler än sex bokstäver) uttryckt i procent.",
                    ),
                ),
            ),
            # Measured (footnote 13: access to the Internet at home, for men and women apart),
            # so a key figure, by gender; no target level is printed.
            Commitment(
                "klf-digitala-klyftan",
                KIND_KEY_FIGURE,
                "Kommunstyrelsen ska bidra till att minska den digitala klyftan för kvinnor och"
                " män, pojkar och flickor.",
                by_gender=True,
                notes=(
                    Note(
                        12,
                        "klf-fotnot-12-digitala-klyftor",
                        DEFINITION,
                        "Begreppet digitala klyftor avser i detta sammanhang de skillnader som"
                        " finns mellan olika grupper av medborgare när det gäller möjligheten att"
                        " tillgå och tillgodogöra sig information via Internet.",
                    ),
                    Note(
                        13,
                        "klf-fotnot-13-tillgang-till-internet",
                        FOOTNOTE,
                        "Under våren 2009 hade 89 procent av alla i åldrarna 16-74 år tillgång"
                        " till Internet i hemmet. Bland männen har 91 procent tillgång till"
                        " Internet i hemmet. För kvinnor är motsvarande siffra 88 procent.",
                    ),
                ),
            ),
            # "Yttäckning för bredband ska öka": the coverage it rises from is stated in
            # footnote 15 (2 % in June 2010), so that is the baseline as well as a measurement.
            Commitment(
                "klf-yttackning-bredband",
                KIND_KEY_FIGURE,
                "Yttäckning för bredband ska öka - Vid utgången av 2011 ska 25 procent av ytan"
                " vara täckt",
                target=target(AT_LEAST, "25", PERCENT, 2011),
                baseline=Baseline(
                    value=Decimal(2), period="2010-06", source="länsstyrelsens sammanställning"
                ),
                notes=(
                    Note(
                        14,
                        "klf-fotnot-14-yttackning",
                        DEFINITION,
                        "Yttäckning enligt Post och Telestyrelsen definition",
                    ),
                    Note(
                        15,
                        "klf-fotnot-15-bredbandsspecifikation",
                        FOOTNOTE,
                        "Post och Telstyrelsen har ändrat sin specifikation gällande bredband från"
                        " 2 till 100 Mbit varför hela mobiltäckningen kommer under PTS nivå. I"
                        " juni 2010 har Katrineholm 2 % täckt enligt länsstyrelsens"
                        " sammanställning.",
                    ),
                ),
            ),
        ),
    ),
    Goal(
        "klf-ekonomi-i-balans",
        KLF,
        INTERNA_FUNKTIONER,
        "Kommunen ska ha en ekonomi i balans",
        (
            # "uppgå till en procent": at least; the next financial goal says what to do with
            # the part beyond it ("överskjutande del").
            Commitment(
                "klf-resultat-en-procent-av-skatteintakterna",
                KIND_FINANCIAL,
                "Resultatet ska uppgå till en procent av skatteintäkterna.",
                target=target(AT_LEAST, "1", PERCENT),
            ),
            Commitment(
                "klf-overskott-till-pensioner",
                KIND_FINANCIAL,
                "Om resultatmålet uppfylls, ska överskjutande del användas för att jämna ut"
                " kommande kostnadsökningar avseende pensioner",
            ),
            Commitment(
                "klf-nettodriftskostnader",
                KIND_FINANCIAL,
                "Nettodriftskostnaderna ska inte öka snabbare än skatteintäkterna",
            ),
            Commitment(
                "klf-soliditet",
                KIND_FINANCIAL,
                "Soliditeten ska öka under planperioden.",
            ),
            Commitment(
                "klf-avskrivningar",
                KIND_KEY_FIGURE,
                "Avskrivningar bör under planperioden inte ta mer än tre procent av driftbudgeten",
                target=target(AT_MOST, "3", PERCENT),
            ),
            Commitment(
                "klf-sjalvfinansieringsgrad",
                KIND_KEY_FIGURE,
                "Självfinansieringsgraden ska öka från 2009 års nivå under planperioden.",
            ),
            Commitment(
                "klf-anbudsgivare-per-upphandling",
                KIND_KEY_FIGURE,
                "Antalet anbudsgivare ska i snitt vara minst fyra per upphandling",
                target=target(AT_LEAST, "4", COUNT),
            ),
            activity(
                "klf-upphandlingar-for-lokala-foretag",
                "Anpassa upphandlingarna för att underlätta för lokala företag och entreprenörer"
                " att delta i kommunala upphandlingar",
            ),
        ),
    ),
    Goal(
        "klf-ratt-kvalitet-produktivitet-och-effektivitet",
        KLF,
        INTERNA_FUNKTIONER,
        "Katrineholms kommun ska bedriva verksamheter av rätt kvalitet med högsta möjliga"
        " produktivitet och effektivitet",
        (
            activity(
                "klf-samlad-verkstallighetsorganisation",
                "Kommunstyrelsen ansvarar, genom kommunchefen för den samlade"
                " verkställighetsorganisationen så att samarbete ökar mellan olika kommunala"
                " instanser, så att personal och ekonomiska resurser används på bästa sätt.",
            ),
            activity(
                "klf-interkommunalt-samarbete",
                "Det interkommunala samarbetet ska öka för att uppnå högre effektivitet och"
                " minska kostnaderna.",
            ),
            Commitment(
                "klf-inkop-fran-upphandlade-leverantorer",
                KIND_KEY_FIGURE,
                "Andel inköp från upphandlade leverantörer ökar, fem största leverantörerna 100"
                " procent 2011",
                target=target(AT_LEAST, "100", PERCENT, 2011),
            ),
            Commitment(
                "klf-e-bestallningar",
                KIND_KEY_FIGURE,
                "E-beställningar görs där det är möjligt till 100 procent",
                target=target(AT_LEAST, "100", PERCENT),
            ),
            # "öka med 25 procent under 2011": the share it grows from is not printed, so the
            # target is on the growth itself: the key figure is the share's increase during
            # 2011, in percent of its level at the start of the year, at least 25.
            Commitment(
                "klf-avtal-som-kan-e-bestallas",
                KIND_KEY_FIGURE,
                "Andelen avtal som kan e-beställas ska öka med 25 procent under 2011",
                target=target(AT_LEAST, "25", PERCENT, 2011),
            ),
            Commitment(
                "klf-samlat-medelvarde-kommunstyrelsens-syn",
                KIND_KEY_FIGURE,
                "Kommunledningsförvaltningen har samlat medelvärde tre eller högre i"
                " utvärderingen av kommunstyrelsens syn på kommunledningsförvaltningens"
                " verksamhet.",
                target=target(AT_LEAST, "3", INDEX),
            ),
            Commitment(
                "klf-alla-kontor-kommunstyrelsens-syn",
                KIND_KEY_FIGURE,
                "Alla kontor har medelvärde tre eller högre i utvärderingen av kommunstyrelsens"
                " syn på kommunledningsförvaltningens verksamhet.",
                target=target(AT_LEAST, "3", INDEX),
            ),
            Commitment(
                "klf-samlat-medelvarde-forvaltningarnas-syn",
                KIND_KEY_FIGURE,
                "Kommunledningsförvaltningen har samlat medelvärde tre eller högre i"
                " utvärderingen av förvaltningarnas syn på kommunledningsförvaltningens"
                " verksamhet.",
                target=target(AT_LEAST, "3", INDEX),
            ),
            Commitment(
                ALL_OFFICES_ADMINISTRATIONS,
                KIND_KEY_FIGURE,
                "Alla kontor har medelvärde tre eller högre i utvärderingen av förvaltningarnas"
                " syn av kommunledningsförvaltningens verksamhet.",
                target=target(AT_LEAST, "3", INDEX),
                notes=(
                    Note(
                        4,
                        "klf-fotnot-4-it-kontorets-medelvarde",
                        FOOTNOTE,
                        "IT-kontoret har i 2010-års utvärdering ett medelvärde om 2,05 i"
                        " jämförelse med 2009-års utvärdering där kontoret hade ett medelvärde"
                        " på 2,6.",
                    ),
                ),
            ),
            activity(
                "klf-projekt-enligt-projekthandboken",
                "Alla projekt (projektdefinition enligt projekthandboken) ska bedrivas i enlighet"
                " med projekthandboken",
            ),
        ),
    ),
    Goal(
        "klf-attraktiv-arbetsgivare",
        KLF,
        INTERNA_FUNKTIONER,
        "Katrineholms kommun ska vara en attraktiv arbetsgivare för att kunna behålla,"
        " attrahera och anställa en personalstyrka som kvalitativt och kvantitativt är anpassad"
        " till verksamhetens behov",
        (
            Commitment(
                "klf-nojd-medarbetar-index",
                KIND_KEY_FIGURE,
                "Katrineholms kommun har Nöjd Medarbetar Index 68 eller högre",
                target=target(AT_LEAST, "68", INDEX),
            ),
            Commitment(
                "klf-tydligt-arbetsgivarmarke",
                KIND_ACTIVITY,
                "Katrineholms kommun har ett tydligt arbetsgivarmärke",
                notes=(
                    Note(
                        16,
                        "klf-fotnot-16-arbetsgivarmarke",
                        DEFINITION,
                        EMPLOYER_BRAND_DEFINITION,
                    ),
                ),
            ),
            Commitment(
                "klf-starkt-arbetsgivarmarke",
                KIND_ACTIVITY,
                "Katrineholms kommun har ett starkt arbetsgivarmärke",
                notes=(
                    Note(
                        17,
                        "klf-fotnot-17-arbetsgivarmarke",
                        DEFINITION,
                        EMPLOYER_BRAND_DEFINITION,
                    ),
                ),
            ),
            activity(
                "klf-platsen-tydligt-varumarke",
                "Platsen Katrineholm har ett tydligt varumärke.",
            ),
            activity(
                "klf-platsen-starkt-varumarke",
                "Platsen Katrineholm har ett starkt varumärke.",
            ),
        ),
    ),
)

BUSINESS_CLIMATE_RANKING = "nat-svenskt-naringslivs-ranking"
CUSTOMER_SATISFACTION = "nat-nojd-kund-index"
RANKING_SOURCE = "Svenskt Näringslivs ranking"
NKI_SOURCE = "Nöjd-Kund-Index"


def every_second_month(indicator_id: str, name: str) -> Indicator:
    """An indicator printed with "(varannan månad)" after its name."""
    return Indicator(indicator_id, name, cadence=Cadence.EVERY_SECOND_MONTH)


NAT_GOALS: tuple[Goal, ...] = (
    Goal(
        "nat-god-och-saker-infrastruktur",
        NAT,
        SAMHALLSUTVECKLING,
        "God och säker infrastruktur",
        (
            activity(
                "nat-nationell-och-regional-plan-for-infrastrukturen",
                "Genomförande av nationell plan och Sörmlands regionala plan för infrastukturen"
                " 2010-2021.",
            ),
            activity(
                "nat-beredningsgrupper-infrastruktur",
                "Delta i beredningsgrupper och arbetsgrupper med målet att driva kommunens"
                " prioriterade infrastrukturfrågor",
            ),
        ),
    ),
    Goal(
        "nat-val-fungerande-kommunikationer",
        NAT,
        SAMHALLSUTVECKLING,
        "Väl fungerande kommunikationer för att lätt nå bl.a. jobb och utbildning genom pendling",
        (
            activity(
                "nat-kollektivtrafiklagen-och-kollektivtrafikvisionen",
                "Genomförande av nya kollektivtrafiklagen och Sörmlands kollektivtrafikvision:"
                " Regional och lokal kollektivtrafik (tåg och buss).",
            ),
            activity(
                "nat-beredningsgrupper-kollektivtrafik",
                "Delta i beredningsgrupper och arbetsgrupper med aktivt arbete för kommunen"
                " intresse.",
            ),
            activity(
                "nat-anropsstyrd-trafik-pa-landsbygden",
                "Arbeta med förbättrad kollektivtrafik på landsbygden genom anropsstyrd trafik.",
            ),
        ),
    ),
    Goal(
        "nat-lokaler-och-mark-for-naringslivet",
        NAT,
        SAMHALLSUTVECKLING,
        "God tillgång på lokaler och mark för näringslivsändamål",
        (
            activity(
                "nat-fardigberedd-etableringsmark",
                "Tillse att färdigberedd etableringsmark finns tillgänglig.",
                Indicator(
                    "nat-byggklar-etableringsmark-markberedd",
                    "Byggklar etableringsmark, markberedd",
                ),
                Indicator(
                    "nat-byggklar-etableringsmark-ej-markberedd",
                    "Byggklar etableringsmark, ej markberedd",
                ),
            ),
            activity(
                "nat-god-markberedskap",
                "Hålla en god markberedskap för långsiktig utveckling",
            ),
        ),
    ),
    Goal(
        "nat-bostadsbyggandet",
        NAT,
        SAMHALLSUTVECKLING,
        "Bostadsbyggandet ska fortsätta att utvecklas med olika boendealternativ",
        (
            activity(
                "nat-exploatering-av-bostadsomraden",
                "Driva exploateringen av bostadsområdena: Luvsjön, Trollestrand och Djulönäset.",
                Indicator(
                    "nat-byggklara-tomter-centralorten",
                    "Byggklara tomter för småhus i centralorten.",
                ),
                Indicator(
                    "nat-byggklara-tomter-kransorter",
                    "Byggklara tomter för småhus i kransorter.",
                ),
            ),
        ),
    ),
    Goal(
        "nat-fortsatt-handelsutveckling",
        NAT,
        SAMHALLSUTVECKLING,
        "Fortsatt handelsutveckling",
        (
            activity(
                "nat-etableringar-inom-handeln",
                "Aktivt arbeta för fler etableringar inom handeln främst på Lövåsens"
                " etableringsområde.",
            ),
            activity(
                "nat-citysamverkan-och-handelscentrum",
                "Medverkan i Citysamverkan och Handelscentrum för att stödja och stimulera handel",
            ),
            activity(
                "nat-lotsning-och-vagledning",
                "Lotsning och vägledning.",
                # "Uppföljning Månad Delår Årligen Indikator: Antal lotsärenden"
                Indicator(
                    "nat-antal-lotsarenden",
                    "Antal lotsärenden",
                    follow_up=(FollowUp.MONTH, FollowUp.INTERIM, FollowUp.ANNUAL),
                    unit=COUNT,
                ),
            ),
        ),
    ),
    Goal(
        "nat-kransortsutveckling",
        NAT,
        SAMHALLSUTVECKLING,
        "Kransortsutveckling",
        (activity("nat-bygdepeng", "Fördela medel ur bygdepeng"),),
    ),
    Goal(
        "nat-hallbar-utveckling",
        NAT,
        SAMHALLSUTVECKLING,
        "Hållbar utveckling",
        (
            activity(
                "nat-klc-overflyttning-till-jarnvag",
                "KLC möjliggör överflyttning av långa transporter från lastbil till järnväg",
                Indicator("nat-klc-co2-ton-km", "CO2 ton/km"),
            ),
            activity(
                "nat-klc-stora-godsfloden",
                "KLC lägger förutsättningar för att hantera stora godsflöden genom att"
                " tillhandahålla en effektiv logistik med miljöprofil",
                Indicator("nat-klc-godsflode", "Godsflöde"),
            ),
            Commitment(
                "nat-lissabon-indikatorerna",
                KIND_ACTIVITY,
                "Redovisa utvecklingen av Lissabon-indikatorerna:",
                # "Långsiktig", printed alone at the end of this row.
                follow_up=(FollowUp.LONG_TERM,),
                indicators=(
                    Indicator(
                        "nat-lissabon-brp-per-person",
                        "BRP per person och kronor",
                        unit=MeasureUnit.KRONOR,
                    ),
                    Indicator(
                        "nat-lissabon-antal-arbetsstallen", "Antal arbetsställen", unit=COUNT
                    ),
                    Indicator(
                        "nat-lissabon-forvarvsarbetande-25-64",
                        "Andel förvärvsarbetande av befolkningen 25-64 år",
                        unit=PERCENT,
                    ),
                    Indicator(
                        "nat-lissabon-sysselsatta-utomnordiskt-fodda-25-64",
                        "Andel sysselsatta av utomnordiskt födda av befolkningen 25-64 år",
                        unit=PERCENT,
                    ),
                    Indicator(
                        "nat-lissabon-sysselsatta-18-24",
                        "Andel sysselsatta av befolkningen 18-24 år",
                        unit=PERCENT,
                    ),
                    Indicator(
                        "nat-lissabon-eftergymnasial-utbildning-25-64",
                        "Andel av befolkningen 25-64 år med eftergymnasial utbildning",
                        unit=PERCENT,
                    ),
                    Indicator(
                        "nat-lissabon-lonesumma-per-person",
                        "Lönesumma per person, indelat i kvinnor och män 25-64 år",
                        by_gender=True,
                    ),
                    Indicator(
                        "nat-lissabon-ohalsotal",
                        "Ohälsotal antal utbetalda dagar med sjukpenning",
                    ),
                    Indicator("nat-lissabon-koldioxid-per-person", "Koldioxid i kg per person"),
                    every_second_month("nat-lissabon-befolkningstillvaxt", "Befolkningstillväxt"),
                    Indicator(
                        "nat-lissabon-andel-miljobilar",
                        "Andel miljöbilar",
                        cadence=Cadence.EVERY_SECOND_MONTH,
                        unit=PERCENT,
                    ),
                    every_second_month("nat-lissabon-nyforetagande", "Nyföretagande"),
                ),
            ),
        ),
    ),
    Goal(
        "nat-fler-jobb",
        NAT,
        SAMHALLSUTVECKLING,
        "Fler jobb",
        (
            activity(
                "nat-stod-till-befintliga-foretag",
                "Bidra till utveckling av och stöd till befintliga företag",
                Indicator("nat-lonsamhetstal", "Lönsamhetstal"),
            ),
            activity(
                "nat-nyetableringar",
                "Aktivt arbeta för nyetableringar",
                Indicator("nat-inkomna-forfragningar", "Antal inkomna förfrågningar.", unit=COUNT),
                Indicator("nat-proaktiva-aktiviteter", "Antal proaktiva aktiviteter.", unit=COUNT),
            ),
            activity(
                "nat-stodja-nyforetagandet",
                "Stödja nyföretagandet",
                every_second_month("nat-nya-foretag", "Nya företag"),
            ),
            activity("nat-forbattra-foretagsklimatet", "Förbättra företagsklimatet"),
            # The two "Nyckeltal:" printed under "Förbättra företagsklimatet".
            Commitment(
                BUSINESS_CLIMATE_RANKING,
                KIND_KEY_FIGURE,
                "Svenskt Näringslivs ranking, målvärde plats 145 i ranking 2013 (en höjning från"
                " plats 225 i rankingen 2010).",
                target=target(AT_MOST, "145", RANK, 2013),
                baseline=Baseline(value=Decimal(225), period="2010", source=RANKING_SOURCE),
            ),
            Commitment(
                CUSTOMER_SATISFACTION,
                KIND_KEY_FIGURE,
                "Nöjd-Kund-Index, målvärde 70 i mätningen 2011(en höjning från NKI 63 i mätningen"
                " 2009).",
                target=target(AT_LEAST, "70", INDEX, 2011),
                baseline=Baseline(value=Decimal(63), period="2009", source=NKI_SOURCE),
            ),
        ),
    ),
    Goal(
        "nat-stark-samverkan-med-foreningslivet",
        NAT,
        FRITID_OCH_KULTUR,
        "Stark samverkan med föreningslivet",
        (
            activity(
                "nat-samverkan-med-bygde-och-sockenrad",
                "Utveckla samverkan och samordning med bygde- och sockenråd samt"
                " företagarföreningar",
                Indicator(
                    "nat-genomforda-aktiviteter-i-handelsplanen",
                    "Antal genomförda aktiviteter i handelsplanen",
                    unit=COUNT,
                ),
            ),
        ),
    ),
)

GOALS: tuple[Goal, ...] = (*KLF_GOALS, *NAT_GOALS)
"""In the seed's order: Kommunledningsförvaltningen's goals, then Näringsliv och tillväxt's."""


# --- Measurements -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Measurement:
    measure_id: str
    period: str
    source: str
    total: str | None = None
    women: str | None = None
    men: str | None = None


IT_OFFICE_EVALUATION = "Kommunledningsförvaltningens utvärdering, IT-kontorets medelvärde"

MEASUREMENTS: tuple[Measurement, ...] = (
    # "en höjning från NKI 63 i mätningen 2009": the NKI target's baseline, also a measurement.
    Measurement(CUSTOMER_SATISFACTION, "2009", NKI_SOURCE, total="63"),
    # "en höjning från plats 225 i rankingen 2010".
    Measurement(BUSINESS_CLIMATE_RANKING, "2010", RANKING_SOURCE, total="225"),
    # Footnote 15: "I juni 2010 har Katrineholm 2 % täckt enligt länsstyrelsens sammanställning."
    Measurement("klf-yttackning-bredband", "2010-06", "länsstyrelsens sammanställning", total="2"),
    # Footnote 13, access to the Internet at home in spring 2009, ages 16-74: all 89, men 91,
    # women 88. The footnote names no producer, so the source is the footnote itself.
    Measurement(
        "klf-digitala-klyftan",
        "2009",
        "Planering med budget 2011-2013 för kommunstyrelsen, fotnot 13",
        total="89",
        women="88",
        men="91",
    ),
    # Footnote 4; see ALL_OFFICES_ADMINISTRATIONS for why this commitment.
    Measurement(ALL_OFFICES_ADMINISTRATIONS, "2010", IT_OFFICE_EVALUATION, total="2.05"),
    Measurement(ALL_OFFICES_ADMINISTRATIONS, "2009", IT_OFFICE_EVALUATION, total="2.6"),
)


# --- Builders ---------------------------------------------------------------------------------


def message_id(key: str) -> UUID:
    """The demo's id for the command with this stable key, the same on every load."""
    return uuid5(GOALS_DEMO_NAMESPACE, key)


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def perspective_commands() -> list[Command]:
    return [
        DefinePerspective(
            message_id=message_id(f"perspective/{perspective.perspective_id}"),
            actor=ACTOR,
            board_code=BOARD,
            perspective_id=perspective.perspective_id,
            name=perspective.name,
            position=perspective.position,
            parent_id=perspective.parent_id,
        )
        for perspective in PERSPECTIVES
    ]


def note_command(note: Note, attached_to: str) -> AttachNote:
    return AttachNote(
        message_id=message_id(f"note/{note.note_id}"),
        actor=ACTOR,
        note_id=note.note_id,
        attached_to=attached_to,
        kind=note.kind,
        text=note.text,
    )


def indicator_command(indicator: Indicator, commitment_id: str) -> AddIndicator:
    return AddIndicator(
        message_id=message_id(f"indicator/{indicator.indicator_id}"),
        actor=ACTOR,
        indicator_id=indicator.indicator_id,
        commitment_id=commitment_id,
        name=indicator.name,
        cadence=indicator.cadence,
        follow_up=list(indicator.follow_up),
        unit=indicator.unit,
        by_gender=indicator.by_gender,
    )


def goal_commands(goal: Goal) -> list[Command]:
    """The goal, then each commitment followed by its notes and indicators."""
    commands: list[Command] = [
        AdoptGoal(
            message_id=message_id(f"goal/{goal.goal_id}"),
            actor=ACTOR,
            goal_id=goal.goal_id,
            unit_code=goal.unit_code,
            perspective_id=goal.perspective_id,
            title=goal.title,
            first_year=FIRST_YEAR,
            last_year=LAST_YEAR,
        )
    ]
    for commitment in goal.commitments:
        commands.append(
            MakeCommitment(
                message_id=message_id(f"commitment/{commitment.commitment_id}"),
                actor=ACTOR,
                commitment_id=commitment.commitment_id,
                goal_id=goal.goal_id,
                kind=commitment.kind,
                text=commitment.text,
                follow_up=list(commitment.follow_up),
                target=commitment.target,
                baseline=commitment.baseline,
                by_gender=commitment.by_gender,
            )
        )
        commands += [note_command(note, commitment.commitment_id) for note in commitment.notes]
        commands += [
            indicator_command(indicator, commitment.commitment_id)
            for indicator in commitment.indicators
        ]
    return commands


def goals_demo_commands() -> list[Command]:
    """The catalogue, in an order the goals service can apply: perspectives (parents first),
    then each goal before its commitments, each commitment before its notes and indicators."""
    commands = perspective_commands()
    for goal in GOALS:
        commands += goal_commands(goal)
    return commands


def goals_demo_measurements() -> list[Command]:
    """The values the seed states, as a statistics system would report them."""
    return [
        RecordMeasurement(
            message_id=message_id(f"measurement/{measurement.measure_id}/{measurement.period}"),
            actor=ACTOR,
            measure_id=measurement.measure_id,
            period=measurement.period,
            total=_decimal(measurement.total),
            women=_decimal(measurement.women),
            men=_decimal(measurement.men),
            source=measurement.source,
        )
        for measurement in MEASUREMENTS
    ]
