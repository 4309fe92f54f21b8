"""Demo data: Katrineholm's budget 2011-2013 for kommunstyrelsen, as budget commands.

Transcribed from the seed document ``seed/000_caf97ba528c8fed6.txt``, "Planering med budget
2011-2013 för kommunstyrelsen" (2011-03-22): the organisation tree with its managers, every
budget table, the frame changes for 2011 with their reasons, the board's net investments and
the narratives of every section.

The tables are kept here as printed, in tkr, one row per printed line (Intäkter, Kostnader,
Nettokostnad), and turned into commands in exact kronor by the small builders at the end. The
printed net is kept only to document the table: commands never send a net (the service computes
revenue + costs), and where the seed's own net disagrees with its rows, the rows are sent as
printed. The seed's text has lost every letter "x" ("tillvät", "eempel"); the narratives keep
that wording as printed.

Every command has a message id derived from a stable key, so loading the demo twice sends the
same ids and the second load is refused as duplicates.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid5

from contracts.budget.commands import (
    ChangeFrame,
    RegisterUnit,
    RenameUnit,
    SetFigures,
    SetNetInvestment,
    WriteNarrative,
)
from contracts.budget.fields import FigureKind, FigureStatus, NarrativeSection, UnitKind
from contracts.envelope import Command

ACTOR = "demo"
DEMO_NAMESPACE = UUID("4333eb43-bf69-5751-8a99-b538874ce809")
"""Fixed namespace of the demo's message ids; never change it, or reloading sends new ids."""

TREE_EFFECTIVE_ON = date(2011, 1, 1)
BUDGET_YEAR = 2011
"""The year the frame changes and the narratives are about."""

TKR = 1000
"""Kronor in one tkr; the seed prints every amount in tkr."""


# --- Organisation tree ------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: UnitKind
    parent_code: str | None
    manager_title: str | None = None
    manager_name: str | None = None


BOARD, ADMINISTRATION, UNIT = UnitKind.BOARD, UnitKind.ADMINISTRATION, UnitKind.UNIT

UNITS: tuple[Unit, ...] = (
    # The KS overview prints both administration chiefs as its Förvaltningschef.
    Unit(
        "KS", "Kommunstyrelsen", BOARD, None, "Förvaltningschef", "Mattias Jansson och Conny Petrén"
    ),
    Unit(
        "NÄT",
        "Förvaltningen Näringsliv och tillväxt",
        ADMINISTRATION,
        "KS",
        "Förvaltningschef",
        "Conny Petrén",
    ),
    Unit(
        "KC",
        "Kommuncentrala budgeteringsposter",
        ADMINISTRATION,
        "KS",
        "Kanslichef",
        "Gunnar Westermark",
    ),
    Unit(
        "KLF",
        "Kommunledningsförvaltningen",
        ADMINISTRATION,
        "KS",
        "Förvaltningschef",
        "Mattias Jansson",
    ),
    # KLC appears only in the KS overview (frame 1 118 tkr): no manager, no table of its own.
    Unit("KLC", "Katrineholms Logistikcentrum", ADMINISTRATION, "KS"),
    Unit(
        "POL", "Politisk kommunledning inkl vänort", UNIT, "KC", "Kanslichef", "Gunnar Westermark"
    ),
    Unit("FOL", "Fastigheter och lokaler", UNIT, "KC", "Kanslichef", "Gunnar Westermark"),
    Unit("KGM", "Kommungemensamt", UNIT, "KC", "Kanslichef", "Gunnar Westermark"),
    Unit("KOM", "Kommunikationer", UNIT, "KC", "Ortsutvecklingsstrateg", "Mats Hedberg"),
    Unit("KLFL", "KLF Ledning", UNIT, "KLF", "Förvaltningschef", "Mattias Jansson"),
    Unit("EKO", "Ekonomikontoret", UNIT, "KLF", "Kontorschef", "Sari Eriksson"),
    Unit("IT", "IT-kontor", UNIT, "KLF", "Kontorschef", "Hans Haglund"),
    Unit("INFO", "Informationskontor", UNIT, "KLF", "Kontorschef", "Maria Magnusson"),
    Unit("KSEK", "Kommunsekretariat & Arkiv", UNIT, "KLF", "Kontorschef", "Gunnar Westermark"),
    Unit("STAB", "Staben", UNIT, "KLF", "Kontorschef", "Gunnar Westermark"),
    Unit("PERS", "Personalkontor", UNIT, "KLF", "Kontorschef", "Eva Wing"),
    Unit("PROJ", "Projektkontoret", UNIT, "KLF", "Kontorschef", "Anna Johansson"),
)

RENAMES: tuple[tuple[str, str], ...] = (
    # "Ekonomikontoret föreslås byta namn till Ekonomi- och upphandlingskontoret."
    ("EKO", "Ekonomi- och upphandlingskontoret"),
)


# --- Budget tables ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of the printed tables: "Budget 2010", "Bokslut 2010", "Plan 2012" ..."""

    year: int
    kind: FigureKind
    status: FigureStatus


BUDGET_2010 = Column(2010, FigureKind.BUDGET, FigureStatus.ADOPTED)
ACTUALS_2010 = Column(2010, FigureKind.ACTUALS, FigureStatus.ADOPTED)  # "Bokslut 2010"
BUDGET_2011 = Column(2011, FigureKind.BUDGET, FigureStatus.ADOPTED)
PLAN_2012 = Column(2012, FigureKind.PLAN, FigureStatus.PROPOSED)
PLAN_2013 = Column(2013, FigureKind.PLAN, FigureStatus.PROPOSED)

THREE_COLUMNS = (BUDGET_2010, ACTUALS_2010, BUDGET_2011)
"""The columns of every table but the board's."""


@dataclass(frozen=True)
class Table:
    """One printed table, in tkr: the Intäkter, Kostnader and Nettokostnad rows per column."""

    unit_code: str
    columns: tuple[Column, ...]
    revenue: tuple[int, ...]
    costs: tuple[int, ...]
    printed_net: tuple[int, ...]

    def cells(self) -> Iterator[tuple[Column, int, int, int]]:
        """(column, revenue, costs, printed net) for each column, in tkr."""
        return zip(self.columns, self.revenue, self.costs, self.printed_net, strict=True)


TABLES: tuple[Table, ...] = (
    # Kommunstyrelsen as a whole. The text garbles the header ("Budget Bokslut Budget Plan Plan
    # 2013 2010 2010 2011 2012"); the columns are Budget 2010, Bokslut 2010, Budget 2011, Plan
    # 2012, Plan 2013. Footnote 1 of the table: "Ett antagande är gjort om att Katrineholms
    # Logistikcentrums avskrivningar täcks av framtida intäkter."
    Table(
        "KS",
        (BUDGET_2010, ACTUALS_2010, BUDGET_2011, PLAN_2012, PLAN_2013),
        revenue=(188_663, 213_372, 188_724, 188_724, 188_724),
        costs=(-287_816, -312_516, -298_274, -298_174, -298_074),
        printed_net=(-99_153, -99_144, -109_550, -109_450, -109_350),
    ),
    # Bokslut 2010 as printed: 2 047 - 8 715 is -6 668, the printed net is -6 669.
    Table(
        "NÄT",
        THREE_COLUMNS,
        revenue=(96, 2_047, 247),
        costs=(-6_975, -8_715, -7_453),
        printed_net=(-6_879, -6_669, -7_206),
    ),
    # Total of the Kommuncentrala budgeteringsposter as printed; its 2011 costs (-179 201) are
    # not the sum of its units' printed costs.
    Table(
        "KC",
        THREE_COLUMNS,
        revenue=(133_985, 135_977, 133_985),
        costs=(-173_081, -176_370, -179_201),
        printed_net=(-39_096, -40_393, -45_216),
    ),
    Table(
        "POL",
        THREE_COLUMNS,
        revenue=(0, 8, 0),
        costs=(-7_541, -7_913, -7_617),
        printed_net=(-7_541, -7_905, -7_617),
    ),
    Table(
        "FOL",
        THREE_COLUMNS,
        revenue=(133_170, 134_971, 133_170),
        costs=(-139_623, -141_112, -142_278),
        printed_net=(-6_453, -6_141, -9_108),
    ),
    # Budget 2011 as printed: 815 - 9 821 is -9 006, the printed net is -5 595.
    Table(
        "KGM",
        THREE_COLUMNS,
        revenue=(815, 998, 815),
        costs=(-6_432, -7_896, -9_821),
        printed_net=(-5_617, -6_898, -5_595),
    ),
    Table(
        "KOM",
        THREE_COLUMNS,
        revenue=(0, 0, 0),
        costs=(-19_485, -19_449, -22_896),
        printed_net=(-19_485, -19_449, -22_896),
    ),
    Table(
        "KLF",
        THREE_COLUMNS,
        revenue=(54_582, 75_349, 54_492),
        costs=(-107_760, -127_381, -110_502),
        printed_net=(-53_178, -52_032, -56_010),
    ),
    # Bokslut 2010 as printed: 10 577 - 15 462 is -4 885, the printed net is -4 884.
    Table(
        "KLFL",
        THREE_COLUMNS,
        revenue=(9_870, 10_577, 10_134),
        costs=(-14_773, -15_462, -14_879),
        printed_net=(-4_903, -4_884, -4_745),
    ),
    Table(
        "EKO",
        THREE_COLUMNS,
        revenue=(1_917, 2_209, 2_284),
        costs=(-17_785, -17_945, -18_001),
        printed_net=(-15_868, -15_736, -15_717),
    ),
    # Bokslut 2010 costs are printed "55 395" without a minus, but costs are negative and the
    # printed net, -81, is 55 314 - 55 395: the minus was lost, so -55 395 it is.
    Table(
        "IT",
        THREE_COLUMNS,
        revenue=(40_667, 55_314, 36_130),
        costs=(-40_667, -55_395, -36_130),
        printed_net=(0, -81, 0),
    ),
    # Budget 2011 as printed: 25 - 6 162 is -6 137, the printed net is -6 187.
    Table(
        "INFO",
        THREE_COLUMNS,
        revenue=(525, 604, 25),
        costs=(-5_372, -5_250, -6_162),
        printed_net=(-4_847, -4_646, -6_187),
    ),
    Table(
        "KSEK",
        THREE_COLUMNS,
        revenue=(81, 63, 91),
        costs=(-3_541, -3_608, -3_902),
        printed_net=(-3_460, -3_545, -3_811),
    ),
    Table(
        "STAB",
        THREE_COLUMNS,
        revenue=(385, 600, 600),
        costs=(-4_853, -4_569, -5_175),
        printed_net=(-4_468, -3_969, -4_575),
    ),
    # Footnotes 5 and 6 (Budget 2010, Bokslut 2010): "Beloppen är en summering av
    # Personalkontoret och lönekontoret för år 2010."
    Table(
        "PERS",
        THREE_COLUMNS,
        revenue=(1_137, 1_927, 1_422),
        costs=(-20_769, -21_096, -20_953),
        printed_net=(-19_632, -19_169, -19_531),
    ),
    Table(
        "PROJ",
        THREE_COLUMNS,
        revenue=(0, 4_055, 3_806),
        costs=(0, -4_058, -5_249),
        printed_net=(0, -3, -1_443),
    ),
)


def table_of(unit_code: str) -> Table:
    for table in TABLES:
        if table.unit_code == unit_code:
            return table
    raise KeyError(f"no printed table for {unit_code}")


def printed_frame_change(unit_code: str) -> int:
    """The 2011 frame change in tkr, read from the printed nets: -(net 2011 - net 2010)."""
    nets = {column: net for column, _, _, net in table_of(unit_code).cells()}
    return -(nets[BUDGET_2011] - nets[BUDGET_2010])


# --- Frame changes 2011 -----------------------------------------------------------------------


@dataclass(frozen=True)
class FrameChange:
    unit_code: str
    amount_tkr: int
    reasons: str


FRAME_CHANGES: tuple[FrameChange, ...] = (
    # NÄT, KC, POL, FOL, KGM and KOM print a reason but no amount: the amount is derived from
    # the printed Budget 2010 and Budget 2011 nets of their tables (for KGM it is the 22 tkr
    # the reason names).
    FrameChange(
        "NÄT",
        printed_frame_change("NÄT"),
        "Ramökningen beror på tillfälliga medel för ökat driftbidrag till NFC och Katec, "
        "löneöverhäng 2011 samt driftkostnad för införande av e-tjänsten tomtkö.",
    ),
    FrameChange(
        "KC",
        printed_frame_change("KC"),
        "Ramökningen beror till största delen på hyreskompensationer, medel till "
        "kollektivtrafiken (Sörmlandspilen) och till Räta Linjen-gruppen.",
    ),
    FrameChange(
        "POL",
        printed_frame_change("POL"),
        "Ramökningen beror på flytt av pensionärs- och handikappsråd, löneöverhäng 2011 samt "
        "förändring kapitalkostnader.",
    ),
    FrameChange(
        "FOL",
        printed_frame_change("FOL"),
        "Eventuell ramjustering för fastigheter och lokaler är inte fastställd. Ramökningen "
        "beror på hyreskompensation samt ökad hyreskostnad KFAB på grund av högre internränta.",
    ),
    FrameChange(
        "KGM",
        printed_frame_change("KGM"),
        "Ramminskningen beror på att 22tkr för pensionärs- och handikappsråd hade hamnat under "
        "fel ansvar för år 2010 och har flyttats till politisk kommunledning inkl vänort för "
        "år 2011.",
    ),
    FrameChange(
        "KOM",
        printed_frame_change("KOM"),
        "Ramökningen beror på ökade kostnader för kollektivtrafiken (Sörmlandspilen) samt "
        "medel till Räta Linjen gruppen.",
    ),
    # The units of KLF, with the amounts printed in the KLF section.
    FrameChange(
        "KLFL",
        -158,
        "Ramminskningen avser flytt av kommunjurist 50% till staben samtidigt som medel har "
        "tillförts avseende löneöverhäng 2011 och 10% av tjänsten administrativ chef.",
    ),
    FrameChange(
        "EKO",
        -151,
        "Ramminskningen avser förändring av kapitalkostnad samtidigt som medel har tillförts "
        "avseende löneöverhäng 2011 samt införande av e-tjänsten autogiromedgivande.",
    ),
    FrameChange("IT", 0, "Är intäktsfinansierat"),  # printed "+/- 0tkr"
    FrameChange(
        "INFO",
        1_340,
        "Ramökningen beror på sponsringsmedel från STN, utökning av en informatör 100%, "
        "löneöverhäng 2011 samt införande av e-tjänsten synpunkt/felanmälan samt arbetet med "
        "e-tjänster.",
    ),
    FrameChange(
        "KSEK",
        351,
        "Ramökningen beror på förändring av kapitalkostnader, fördelning löneöverhäng 2011 "
        "samt en intern omföring mellan stab och sekretariat då obalans har funnits i kontorens "
        "avvikelser mot budget.",
    ),
    FrameChange(
        "STAB",
        107,
        "Ramökningen beror på löneöverhäng 2011 samt medel för kommunjurist 50% minus "
        "omföringen till sekretariatet.",
    ),
    FrameChange(
        "PERS",
        -101,
        "Personalkontoret har slagits ihop med lönekontoret år 2011. Löneenheten har fått en "
        "ramminskning på 430tkr på grund av omfördelning 60% administrativ chef. Gamla "
        "personalkontoret har fått en ökning på 329tkr i form av förändring kapitalkostnader "
        "och löneöverhäng 2011.",
    ),
    FrameChange(
        "PROJ",
        1_443,
        "Kontoret är intäktsfinansierat men har fått ram för införandet av projektet Heltid en "
        "rättighet och deltid en möjlighet samt en ram för arbetet med jämställdhet.",
    ),
)


# --- Net investments --------------------------------------------------------------------------

NET_INVESTMENTS_UNIT = "KS"
NET_INVESTMENTS: tuple[tuple[Column, int], ...] = (
    # Printed as "preliminärt": not every need of 2012 and 2013 is identified yet. Footnote 2,
    # on Budget 2011: "Eventuella ombudgeteringar från år 2010 är ej inräknade."
    (BUDGET_2010, 92_087),
    (ACTUALS_2010, 9_798),
    (BUDGET_2011, 111_756),
    (PLAN_2012, 25_350),
    (PLAN_2013, 27_850),
)


# --- Narratives 2011 --------------------------------------------------------------------------


@dataclass(frozen=True)
class Narrative:
    unit_code: str
    activity_description: str
    activity_changes: str


# The texts are the sections "Sammanfattande verksamhetsbeskrivning" and "Sammanfattande
# verksamhetsförändringar" as printed, with these page-break artefacts repaired:
# - KS: the table footnotes 1 and 2, glued into the middle of a sentence, are left out; the
#   sentence on how the frame is distributed over the four branches opens the description.
# - NÄT: kept as printed, including the repeated fragment "företag, arbetstillfällen och
#   kommuninvånare samt attraktivt boende." after the page break.
# - KLF: the list bullets "o" printed apart from their items after the page break are put back
#   in front of them; footnote markers 3 and 4 and the footnote texts glued into "i
#   Katrineholms kommun betydande" are left out (3: "Från och med den 1 november 2010 definieras
#   e-tjänster utifrån möjligheten att använda e-id. ...", 4: "IT-kontoret har i 2010-års
#   utvärdering ett medelvärde om 2,05 ...").
# - PERS: the table footnotes 5 and 6 printed after the section are left out.
# KC (the total of the Kommuncentrala budgeteringsposter) and KLC print no narrative.
NARRATIVES: tuple[Narrative, ...] = (
    Narrative(
        unit_code="KS",
        activity_description=(
            "Kommunstyrelsen består av fyra huvudsakliga verksamhetsgrenar varav budgetramen för "
            "respektive gren fördelas enligt nedan. Katrineholms Logistikcentrum (KLC) 1 118tkr "
            "Förvaltningen näringsliv och tillvät (NÄT) 7 206 tkr Kommuncentrala "
            "budgeteringsposter 45 216 tkr Kommunledningsförvaltningen 56 010 tkr\n\n"
            "Kommunstyrelsen (KS) är kommunens ledande politiska förvaltningsorgan med ansvar för "
            "hela kommunens utveckling och ekonomiska ställning. I KS styr- och "
            "uppföljningsfunktion ingår att leda arbetet med utformningen av övergripande mål, "
            "riktlinjer och ramar för styrningen av hela den kommunala verksamheten och göra "
            "framställningar i de frågor som inte i lag är förbehållna någon annan nämnd. För att "
            "kommunmedlemmarna ska få den service som beslutats av kommunfullmäktige (KF) ska "
            "kommunledningsförvaltningen (KLF) leda planeringen och uppföljningen av kommunens "
            "verksamhet för KS räkning samt stödja KS och KF i ärendehanteringen. Dessutom ska KLF "
            "leda, samordna och stödja kommunens utveckling inom områdena ekonomisk hushållning, "
            "upphandlingsoch inköpsverksamhet, personalpolitik, personal- och löneadministration, "
            "informations- och kommunikationsverksamhet, marknadsföring, juridisk verksamhet, "
            "säkerhetsarbete, folkhälsa, tillgänglighet, IT, naturvårdsfrågor i ett "
            "hållbarhetsperspektiv och arbetet med att effektivisera administrationen. KS har "
            "genom förvaltningen för näringsliv och tillvät (NÄT) ansvaret för näringspolitiken. "
            "NÄT har ansvar för att styra och koordinera arbetet för ortsutvecklingen inom "
            "Katrineholms kommun. Det innebär strategiskt arbete med insatser som långsiktigt "
            "skapar förutsättningar för en positiv ortsutveckling i form av en utvecklad "
            "infrastruktur/kommunikation, en god markberedskap, fler arbetstillfällen, flera "
            "företag och kommuninnevånare. Vidare, avser arbetet att bidra till en positiv "
            "arbetsmarknadsutveckling i samverkan mellan kommunen, företag, föreningar, "
            "universitet och myndigheter. Samverkan syftar även till att i frågor av "
            "arbetsmarknadspolitisk art underlätta för befintliga företag inom kommunen att "
            "epandera och utvecklas, stimulera nyetableringar, nyföretagande och tillvät. Ett "
            "mycket viktigt projekt för NÄT är Katrineholms Logistikcentrum, KLC. Kommunstyrelsen "
            "fattade 2009 ( 91) beslut om ett direktiv (Kommunstyrelsens handling nr 28/2009) som "
            "detaljerat redogör för projektet. Bland annat beskrivs roller och ansvar och att "
            "näringslivschefen är projektchef. Syftet med projektet är att utveckla Katrineholm "
            "till ett logistikcentrum. I en broschyr beskrivs projektet som en utbyggnad i fyra "
            "etapper, en satsning byggd på ansvar för miljön i ett av Sveriges bästa "
            "transportlägen och att Katrineholms Logistikcentrum ska representera effektiv "
            "logistik med tydlig miljöprofil. KS har också det övergripande ansvaret för kommunens "
            "arbete med den översiktliga planeringen och en långsiktigt hållbar utveckling. I "
            "detta ingår bl a planering och användning av mark och vatten samt markberedskap. I KS "
            "ansvar ingår också att främja bostadsförsörjningen och samhällsbyggandet, svara för "
            "energiplaneringen och främja energihushållningen samt att verka för en "
            "tillfredsställande infrastruktur."
        ),
        activity_changes="Se respektive budgeteringsområde.",
    ),
    Narrative(
        unit_code="NÄT",
        activity_description=(
            "Förvaltningen för Näringsliv och Tillvät NÄT, tar ansvar för näringspolitiken för "
            "kommunstyrelsens räkning genom att; Leda, samordna och stödja arbetet för "
            "ortsutvecklingen inom Katrineholms kommun som långsiktigt skapar förutsättningar för "
            "en positiv näringslivs- och ortsutveckling i form av; - en utvecklad infrastruktur - "
            "goda kommunikationer - god markberedskap - fler arbetstillfällen - flera företag och "
            "kommuninvånare. Bidra till en positiv arbetsmarknadsutveckling i samverkan mellan; - "
            "kommunen - företag - föreningar - organisationer - universitet och myndigheter. "
            "Samverka i frågor av arbetsmarknadspolitisk art genom att; Underlätta för - "
            "befintliga företag inom kommunen att epandera och utvecklas - stimulera "
            "nyetableringar - nyföretagande och tillvät. Ett mycket viktigt projekt för "
            "förvaltningen näringsliv och tillvät är Katrineholms Logistikcentrum. Ett nytt "
            "projektdirektiv har tagits fram och beslutats om av kommunstyrelsen enligt "
            "beskrivning i Dnr KS/2011:31-069. Det nya direktivet beskriver bland annat vision, "
            "syfte och mål med Katrineholms Logistikcentrum, vidareutvecklingen över ytterligare "
            "tre år, kommunens nytta och möjligheter samt den sannolikt förändrade roll kommunen "
            "tar som förvaltare av spår och hårdgjorda ytor, uppbyggnad av logistikkompetens och "
            "utveckling av miljöprofilen."
        ),
        activity_changes=(
            "I avvaktan på beslut om den föreslagna organisationsförändringen vad gäller "
            "samhällsbyggnadsförvaltning, arbetar förvaltningen näringsliv och tillvät med att "
            "bryta ner 2011 års utmaningar, resultatmål och åtagande till aktiviteter med en "
            "tydlig ansvarsfördelning och prioritering internt i gruppen. Ambitionen är att "
            "tydliggöra på vilket sätt förvaltningen bidrar till flera företag, arbetstillfällen "
            "och kommuninvånare samt attraktivt boende. Förvaltningen näringsliv och tillvät "
            "kommer att arbeta för att ytterligare utveckla det arbetssätt som råder inom "
            "samverkansgruppen Katrineholms Logistikcentrum, där nästan samtliga förvaltningar och "
            "bolag deltar. Förvaltningen näringsliv och tillvät koordinerar arbetet som utgår från "
            "den handlingsplan som tagits fram för förbättrat Nöjd Kund Inde. I handlingsplanen "
            "som innehåller nyckeltal och åtgärder för höjd effektivitet, ökad kundfokus och "
            "förbättrad service och bemötande, deltar stadsarkitektkontoret, miljöförvaltningen "
            "och service- och teknikförvaltningen. företag, arbetstillfällen och kommuninvånare "
            "samt attraktivt boende. Förvaltningen näringsliv och tillvät ser en stor potential i "
            "det arbete som EU samordnaren påbörjat främst gälland delfinasiering av "
            "logistikcentrum via EU medel men också i kontakten med våra lokala företagare."
        ),
    ),
    Narrative(
        unit_code="POL",
        activity_description=(
            "Politisk kommunledning avser kommunstyrelsen. Kommunstyrelsen är kommunens ledande "
            "politiska förvaltningsorgan med ansvar för hela kommunens utveckling och ekonomiska "
            "ställning. Enligt reglementet leder och samordnar kommunstyrelsen planeringen och "
            "uppföljningen av kommunens ekonomi och verksamheter."
        ),
        activity_changes=(
            "Bland resultatmålen för 2011 ingår de viktiga tvärfrågorna jämställdhet, folkhälsa "
            "och tillgänglighet. Ambitionen är bland annat att belysa alla ärenden utifrån dessa "
            "aspekter. Kommunstyrelsens reglemente innefattar från 2011 även ansvaret för "
            "kommunens strategiska tillgänglighetsarbete och styrelsen ska leda såväl som samordna "
            "kommunens tillgänglighetsarbete. Det innebär således att aktualisera och förankra "
            "tillgänglighetsfrågorna i kommunen samt stödja arbetet med tillgänglighetsfrågorna "
            "genom att initiera, säkerställa verkställighet, samordna, prioritera och följa upp "
            "insatser inom tillgänglighetsområdet för att främja att goda livsvillkor uppnås för "
            "personer med funktionsnedsättning."
        ),
    ),
    Narrative(
        unit_code="FOL",
        activity_description=(
            "Fastigheter och lokalers budgeteringsområde fördelar ut merparten av kostnaderna för "
            "verksamhetslokaler och förvaltade fastigheter som administreras av fastighetsbolagen "
            "KFAB samt KIAB. Vidare ingår kommunens funktion för lokalresursplanering som är en "
            "samordnande verksamhet med syfte att rationalisera och effektivisera användningen av "
            "kommunens lokaler och ansvara för kommunens totala lokalförsörjning."
        ),
        activity_changes=(
            "Ramförändringarna styrs av förändringar i ekonomin och består i huvudsak av "
            "tillkommande och avgående lokaler samt finansiella effekter av genomförda "
            "investeringar hos fastighetsbolagen. Ett förslag till nya hyresprinciper avses kunna "
            "presenteras under året."
        ),
    ),
    Narrative(
        unit_code="KGM",
        activity_description=(
            "Kommungemensamt avser kostnader som inte är direkt hänförliga till någon verksamhet "
            "eller nämnd. Här budgeteras således medlemsavgifter till bl.a. intresseorganisationer "
            "där Katrineholms kommun är medlem. Hit hör eempelvis Sveriges kommuner och Landsting, "
            "Regionförbundet Sörmland, Mälardalsrådet och Stockholm Business Alliance. Under "
            "rubriken Kommungemensamt budgeteras även avgifter till STIM och SAMI, kostnader för "
            "borgerliga begravningar etcetera."
        ),
        activity_changes="Inga egentliga verksamhetsförsändringar 2011.",
    ),
    Narrative(
        unit_code="KOM",
        activity_description=(
            "Kommunikationer är ett samlingsbegrepp för regionala och nationella "
            "infrastrukturfrågor samt kollektivtrafikfrågor. Kollektivtrafikfrågorna omfattar även "
            "den lokala kollektivtrafikens frågor. Medel från kommunikationskontot används för att "
            "underskottstäcka kommunens andel för Länstrafiken Sörmlands verksamhet enligt "
            "konsortialavtal, kommunens direkta kostnader för kompletterande trafikutbud samt "
            "beställningar utöver grundutbudet. Medel används förutom till ovan nämnda "
            "kostnadsslag även för kostnader knutna till kommunstyrelsens ansvar för "
            "kommunikationer, till eempel projekt som Mälardiagonalen samt Räta linjen. "
            "Ortsstrategiskt är kommunikationer i betydelsen infrastruktur och kollektivtrafik en "
            "avgörande utgångspunkt för utveckling av orten Katrineholm. Men utvecklingen kräver "
            "att även andra regionala och storregionala frågor bevakas och handläggs. Därför är "
            "det naturligt att ortsutvecklingsstrategen inom NÄT bevakar och handlägger även "
            "sådana frågor inom verksamhetsområdet kommunikationer."
        ),
        activity_changes=(
            "Den nya kollektivtrafiklagen 2012 medför nya förutsättningar för kommunstyrelsens "
            "arbete med kommunikationer. I länet ska beslut fattas om en ny regional "
            "kollektivtrafikmyndighet. Ärendet bereds för närvarande av en politisk "
            "beredningsgrupp inom Regionförbundet Sörmland. Myndigheten ska besluta om ett för "
            "länet gemensamt trafikförsörjningsprogram. En viktig fråga för kommunen att bevaka är "
            "inflytandet över den nya myndighetens kollektivtrafikbeslut. Samtidigt finns nu "
            "förslag på en ansvars-, uppgifts- och finansieringsfördelning av kollektivtrafiken "
            "mellan den politiska regionala och lokala nivån. Den för framtiden största frågan på "
            "agendan är om länet ska investera i egna fordon för att trygga en upphandlad och "
            "konkurrensutsatt regional tågtrafik. Mälartrafik AB (Mälab) har startat projekt "
            "Sörmlandspilen. Kommunen har deltagit i ett par referensgruppsmöten. Ett möte med "
            "länets samtliga kommunstyrelseordförande har hållits med anledning av Mälabs "
            "upphandling av Sörmlandspilen för år 2012. Kommunen deltar i projekt framtida "
            "kollektivtrafik i Sörmland. Dels angående de regionala busslinjerna och dels i en "
            "kommunöversyn av den lokala kollektivtrafiken i Katrineholm."
        ),
    ),
    Narrative(
        unit_code="KLF",
        activity_description=(
            "För att kommunmedlemmar ska få den service som beslutats av kommunfullmäktige ska "
            "kommunledningsförvaltningen; Leda planeringen och uppföljningen av kommunens "
            "verksamhet för kommunstyrelsens räkning samt stödja kommunstyrelsen och "
            "kommunfullmäktige i ärendehanteringen. Leda, samordna och stödja kommunens utveckling "
            "inom områdena: o ekonomisk hushållning o upphandlings- och inköpsverksamhet o "
            "personalpolitik o personal- och löneadministration o informations- och "
            "kommunikationsverksamhet samt marknadsföring o juridisk verksamhet o säkerhetsarbete "
            "o folkhälsa o tillgänglighet o IT o naturvårdsfrågor i ett hållbarhetsperspektiv o "
            "arbetet med att effektivisera administrationen"
        ),
        activity_changes=(
            "Nya lagregler och utvecklingen av alternativa driftsformer såsom Lagen om offentlig "
            "upphandling, lagen om upphandling inom områdena vatten, energi, transport - och "
            "posttjänster samt lagen om valfrihetssystem ställer krav på förändringar av kommunens "
            "upphandlings- och inköpsrutiner. En följd av införandet av Lagen om valfrihetssystem "
            "är att kommunen har skyldighet att tillhandahålla journalsystem för eventuella eterna "
            "utförare av hemtjänst. Tillhandahållandet är en teknisk utmaning som sannolikt ger en "
            "mycket hög initialkostnad att lösa. Kommunens positionering tillsammans med "
            "utvecklade kommunikationer bidrar till fler boendeoch arbetsmöjligheter. Det är en "
            "stor utmaning att positionera kommunen för att attrahera, rekrytera och behålla "
            "kompetent arbetskraft. Vision 2025 kommer att arbetas fram under första delen av år "
            "2011 och kommer därefter ange riktningen för Katrineholms utveckling. I arbetet "
            "kommer ortens varumärke Sveriges Lustgård att involveras liksom kommunens eget "
            "arbetsgivarmärke. I arbetet med att öka tillgängligheten till de kommunala "
            "verksamheterna är den tekniska utvecklingen tillsammans med kommunstyrelsens arbete "
            "för att minska den digitala klyftan, utvecklingen av kommunens e-tjänster och "
            "kommunens utveckling inom sociala medier viktiga medel för att kunna delta i den "
            "digitala utvecklingen. För att öka förståelsen för helheten bland medborgare och "
            "anställda bedöms kommunens arbete med ökad transparens, engagemang bland både "
            "medborgare och anställda samt för att kommunmedlemmarna känner närhet, ge goda "
            "förutsättningar. Omfattande uppdrag beslutade i nämnden som kan innebära förändringar "
            "inom kommunledningsförvaltningens ledningsorganisation är återremissen avseende "
            "förslag om gemensam förvaltning för samhällsbyggnadsfrågor och koncernbildning, "
            "beslut KF 2010-11-15 13. Ett politiskt beslut om organisationsförändringar bedöms, i "
            "relation till utredningarna och konsekvensbeskrivningarna, innebära ett ökat behov av "
            "stöd från kommunledningsförvaltningen till verksamheterna. "
            "Kommunledningsförvaltningen har under våren 2010 utvärderat sitt arbete mot styrelsen "
            "och förvaltningarna. Kommunledningsförvaltningen kan arbeta mer med återkoppling och "
            "tydlighet för att utgöra en bättre stöd- och servicefunktion till verksamheterna. "
            "Resultatet visar också att förvaltningen inte motsvarar förvaltningarnas behov "
            "avseende IT-verksamhet. Under föregående år har IT-området följaktligen varit en "
            "prioriterad fråga för att förvaltningarna ska få rätt service så att de i sin tur kan "
            "ge kommunmedlemmarna den service som beslutats av kommunfullmäktige. Arbetet med en "
            "optimal IT-verksamhet kommer att fortsätta under 2011. I och med en tydligare "
            "prioritering av tvärfrågor i Planeringsdirektiv 2011 med plan 2012-2013 bedöms "
            "behovet av förvaltningens stöd- och servicefunktion öka. I arbetet med de interna "
            "kommunikationskanalerna blir projektet för ny kommunikationsplattform (internt nät) i "
            "Katrineholms kommun betydande. Förväntade förändringar för verksamheterna är ett mer "
            "effektivt sätt att kommunicera, som bygger på att den som sitter närmast "
            "ursprungsinformationen också ska dela med sig av den. Personalförändringar i början "
            "på det nya verksamhetsåret ger förändrade förutsättningar för kommunens utveckling. "
            "Den 1 april tillträder ny förvaltningschef för bildningsförvaltningen. "
            "Rekryteringsprocesser har påbörjats för ny miljöchef, upphandlingschef, "
            "förvaltningschef service- och teknikförvaltningen och Viadidakt samt ny VD för "
            "Katrineholms Fastighets AB. Därtill planerar senior advisor att avsluta sin tjänst "
            "kring maj 2011. Övriga verksamhetsförändringar är tillsättning av en "
            "tillgänglighetsstrateg på halvtid. Tillgänglighetsstrategen kommer att vara ett "
            "strategiskt stöd till tillgänglighetsutskottet. Den nya organisationen för "
            "tillgänglighetsfrågor bidrar till att arbetet med tillgänglighetsfrågor i kommunen "
            "drivs framåt, vilket är viktigt, eftersom kommunen och landstinget har ett gemensamt "
            "ansvar för att skapa ett samhälle där alla kan vara delaktiga oavsett "
            "funktionsförmåga. Det är också en av grunderna i svensk handikappolitik. Under 2011 "
            "kommer kommunledningsförvaltningen att utveckla och förnya arbetet med "
            "internkontroll, ekonomisystem och redovisning. Arbetet kommer att innebära nya "
            "arbetssätt, ny internkontrollplan och utveckling av kontroller så att de omfatta både "
            "verksamhetsmässiga- och ekonomiska kontroller."
        ),
    ),
    Narrative(
        unit_code="KLFL",
        activity_description=(
            "Kommunchefen ska leda, stödja och samordna i det samlade kommunala uppdraget för att "
            "kommunmedlemmarna ska få den service som beslutats av kommunfullmäktige. "
            "Kommunchefen: Representerar den sammantagna förvaltningsorganisationen gentemot "
            "kommunstyrelsen med dess ordförande, kommunmedlemmar och företag Leder "
            "kommunledningsförvaltningen samt stödjer ledningsgruppen Stödjer förvaltningscheferna "
            "och samordnar i det samlade kommunala tjänstemannauppdraget"
        ),
        activity_changes=(
            "Omvärldsförändringarna innebär fortsatt krav på utåtriktat och strategiskt arbete. "
            "Helhetssyn och utvecklad samordning bedöms som strategiska frågor för en effektiv "
            "verksamhet liksom tydliga ansvarsförhållanden inom bland annat koncernstyrningen. "
            "Omfattande uppdrag beslutade i nämnden som kan påverka verksamheten 2011-2013 är "
            "återremissen avseende förslag om gemensam förvaltning för samhällsbyggnadsfrågor och "
            "koncernbildning, beslut KF 2010-11-15 13. Utvecklingen av kommunens arbete med "
            "sociala medier har varit av betydelse. Pågående arbetet fortsätter under planperioden "
            "för transparens, ökat engagemang bland medarbetare och medborgare samt för att "
            "kommunmedlemmarna ska känna närhet till sin kommun. Personalförändringar i början på "
            "det nya verksamhetsåret ger förändrade förutsättningar för kommunens utveckling och "
            "det samlade kommunala tjänstemannauppdraget. Den 1 april tillträder ny "
            "förvaltningschef för bildningsförvaltningen. Rekryteringsprocesser har påbörjats för "
            "ny miljöchef, förvaltningschef service- och teknikförvaltningen och Viadidakt samt ny "
            "VD för Katrineholms Fastighets AB. Därtill planerar senior advisor att avsluta sin "
            "tjänst kring maj 2011."
        ),
    ),
    Narrative(
        unit_code="EKO",
        activity_description=(
            "I syfte att bidra till att kommunmedlemmarna i Katrineholm lever i en kommun där god "
            "ekonomisk hushållning med kommunens resurser råder, skall ekonomi- "
            "upphandlingskontoret och verka för ekonomiskt stabila förutsättningar och ansvara för "
            "kommunens centrala ekonomi- och finansfrågor. Genom ett aktivt stöd till övrig "
            "verksamhet, förvaltningarna, KS samt koncernen, skall ekonomikontoret bidra till "
            "effektiva planerings- och uppföljningsprocesser, ansvara för en god upphandlings- och "
            "anskaffningsverksamhet samt arbeta för rationell hantering av ekonomiadministrativa "
            "funktioner."
        ),
        activity_changes=(
            "Ekonomikontoret föreslås byta namn till Ekonomi- och upphandlingskontoret. "
            "Anledningen till förslaget är att lyfta upphandlingsfrågorna samt att tydliggöra var "
            "upphandlingsfrågorna organisatoriskt hör hemma framförallt för eterna aktörer. "
            "Kontoret kommer under året att ha fokus på utveckling främst inom "
            "redovisningsområdet, upphandlingsverksamheten och den interna kontrollen. Inom "
            "redovisningsområdet sker idag mycket arbete manuellt framförallt i ekonomisystemet "
            "och målet är att automatisera fler ekonomiska processer för att kunna lägga mer tid "
            "på eempelvis analyser inom ekonomiområdet. Ett viktigt nytt uppdrag inom kontoret är "
            "att följa avtalstroheten i kommunen. Idag finns ingen enkel och bra metod för att "
            "följa avtalstroheten vilket kommer att utarbetas under 2011. Vidare kommer kommunens "
            "årsredovisning att ses över. Kommunens nya styrsystem påverkar hur årsredovisningen "
            "ska utformas. Ekonomikontoret kommer att driva utveckling av intern kontroll i "
            "kommunen. Målet med intern kontrollarbetet är att det ska leda till "
            "verksamhetsutveckling samt minimera risken för allvarliga brister i våra "
            "verksamheter. Kontoret kommer också att genomföra utbildningar i intern kontroll. "
            "Kommunen har beslutat att delta i Kommunens Kvalitet i Korthet (KKiK). Projektledare "
            "för detta är den verksamhetscontroller som arbetar på ekonomikontoret. Ett arbete är "
            "att hitta metoder för hur resultaten av detta arbete ska användas i våra "
            "verksamheter. På personalsidan kommer det att bli förändringar under året. "
            "Rekrytering av ny upphandlingschef är i gång då nuvarande chef går i pension. "
            "Kontoret har en vakant tjänst som planeringsstrateg. Tjänsten kommer att omvandlas "
            "till en redovisningsekonomtjänst då kontoret har brist på resurser inom "
            "redovisningsområdet."
        ),
    ),
    Narrative(
        unit_code="IT",
        activity_description=(
            "IT-kontoret ska tillhandahålla rätt service i rätt tid och driva IT utvecklingen i "
            "Katrineholms kommun så att: Förvaltningarna/politikerna kan utföra sitt arbete mot "
            "kommunmedlemmar Kommunmedlemmar kan få tillgång till kommunal service när de har tid"
        ),
        activity_changes=(
            "IT-kontoret ska göra en uppföljning av omorganisationen som infördes sommaren 2008, "
            "uppföljningen kommer ske efter den 1 juni 2011 i enighet med de fackliga "
            "förhandlingarna som gjordes vid införandet. Resultatet av den kommer ligga till grund "
            "för IT-kontorets framtida utveckling. Kontoret kommer under året har fokus på "
            "processer och rutiner runt ärendehantering och uppföljning tillsammans med "
            "verksamheterna. IT-kontoret kommer även implementera en ny funktionalitet i "
            "telefonväeln för att effektivisera 6900 (IT-kontorets helpdesk). Funktionalitet kan "
            "även nyttjas av andra telefonburna hjälpfunktioner i kommunen om behov finns. Arbetet "
            "med att införa 30 stycken e-tjänster kommer vara ett annat prioriterat område för "
            "ITkontoret. Förvaltningen kommer även mäta användningen av kommunens e-tjänster 1 "
            "gång per månad under 2011. Att underlätta för medborgare och anställda i kommunen är "
            "ett område som IT-kontoret kommer driva under året. Ett av sätten är att genomdriva "
            "Singel Sign On, men även konsolideringsfrågorna kommer kontoret arbeta aktivt med. "
            "För IT-kontoret kommer 2011 bli ett uppsamlings och utvärderingsår. Inga större "
            "projekt kommer att påbörjas eller genomföras, förutom ovan nämnda."
        ),
    ),
    Narrative(
        unit_code="INFO",
        activity_description=(
            "Informationskontoret ska verka som ett ledningsstöd så att kommunen ska nå sina mål "
            "och skapa förtroende för den kommunala verksamheten. Informationskontoret ska genom "
            "intern kommunikation och etern kommunikation-/samhällsinformation verka för att "
            "företag, kommunmedlemmar, media myndigheter, medarbetare, övriga intressenter får en "
            "god och riktig bild av kommunens verksamhet och politiska beslut. "
            "Informationskontoret ska också marknadsföra Katrineholm, i syfte att attrahera nya "
            "invånare och företag."
        ),
        activity_changes=(
            "Vid årsskiftet har ett antal personalförändringar skett på informationskontoret. En "
            "informatör är tjänstledig och arbetar två dagar i veckan som projektledare för "
            "E-tjänster. En dag i veckan arbetar hon med att stödja IT-kontoret med både intern "
            "och etern kommunikation och relationsskapande. En informatör arbetar 75% på "
            "informationskontoret varav 25% av denna tiden är vikt åt uppdrag åt service- och "
            "teknikförvaltningen. En informatör kommer att arbeta 75% under större delen av året. "
            "En informatör är åter från föräldraledighet och arbetar för närvarande 100%. Detta "
            "innebär att vi ska se över bemanningsfrågan. Skillnad mellan år 2010 och 2011 är att "
            "det tillkommit fler fasta kostnader t e i samband med utvecklingen av eterna "
            "webbplatsen, MyNewsdesk (publicering av pressmeddelanden) mm. Dessutom fortsätter "
            "utvecklingen inom sociala medier men nu inom befintlig ram."
        ),
    ),
    Narrative(
        unit_code="KSEK",
        activity_description=(
            "Syftet med kommunsekretariatets och arkivets verksamhet är att för kommunmedlemmar "
            "med offentligheten som grund och med beaktande av bevarandefrågorna sköta den "
            "centrala hanteringen av in- och utgående post, registrera och tillhandhålla allmänna "
            "handlingar. Vidare ska kontoret svara för att tillhandhålla grundläggande "
            "administrativa stödfunktioner, till eempel nämndadministration, rådgivning, kommunens "
            "gemensamma dokumentmallar och ärendehanteringssystem. Kontoret ansvarar för ett "
            "professionellt mottagande till stadshusets Gröna Kulle."
        ),
        activity_changes=(
            "En publiceringsmodul för diariet ska lanseras. Vidare avses projektdirektiv för nytt "
            "ärende- och dokumenthanteringssystem tas fram. En struktur ska skapas för indelningen "
            "och publiceringen av styrdokument som en följd av fullmäktiges/styrelsens beslut i "
            "ärendet. En ny modell avses prövas för sändning av webbradio från kommunfullmäktiges "
            "sammanträden. Digital arkivering är en fråga som kräver ökad uppmärksamhet. "
            "Ambitionen är att under året klarlägga hur Katrineholms kommun bör agera för att "
            "säkerställa framtida tillgång till elektroniska handlingar."
        ),
    ),
    Narrative(
        unit_code="STAB",
        activity_description=(
            "Stabens syfte är att tillhandahålla handläggande och strategiskt ledningsstöd inom "
            "områdena säkerhet, juridik, folkhälsa, tillgänglighet, lokalsamordning, "
            "ärendeberedning, hållbar utveckling med det yttersta syftet att kommunmedlemmar ska "
            "få den service som beslutats av fullmäktige."
        ),
        activity_changes=(
            "Funktionen som kommunjurist återbesätts under året på heltid sedan Flens kommun sagt "
            "upp det avtal som gällde fram till december 2010. Bemanningen löses genom "
            "internrekrytering inom förvaltningen. Funktionen som kommunekolog påverkas "
            "tillfälligt till följd av bemanningsförändringar inom miljöförvaltningen. "
            "Konsekvensen kan bli att fler uppdrag kan behöva hanteras med hjälp av "
            "konsultinsatser. Övriga verksamhetsförändringar är tillsättning av en "
            "tillgänglighetsstrateg på halvtid. Tillgänglighetsstrategen kommer att vara ett "
            "strategiskt stöd till tillgänglighetsutskottet. Den nya organisationen för "
            "tillgänglighetsfrågor bidrar till att arbetet med tillgänglighetsfrågor i kommunen "
            "drivs framåt, vilket är viktigt, eftersom kommunen och landstinget har ett gemensamt "
            "ansvar för att skapa ett samhälle där alla kan vara delaktiga oavsett "
            "funktionsförmåga. Det är också en av grunderna i svensk handikappolitik. Under året "
            "kommer ärendeberedningen att beakta kraven på redovisning av bedömningar kring de så "
            "kallade tvärfrågorna, d.v.s. folkhälsa, tillgänglighet och jämställdhet."
        ),
    ),
    Narrative(
        unit_code="PERS",
        activity_description=(
            "För att kommunmedlemmar ska få den service som beslutats av kommunfullmäktige ska "
            "personalkontoret leda kommunens samlande personalpolitik och säkerställa att rätt lön "
            "utbetalas enligt rätt underlag. Personalkontoret ska stödja chefer och medarbetare "
            "och driva utvecklingen inom personalområdet för att säkerställa att Katrineholms "
            "kommun uppfattas som en attraktiv arbetsgivare. Vidare säkerställer personalkontoret "
            "att korrekt information kan hämtas ur samtliga personaladministrativa system. "
            "Personalkontoret svarar för att personalpolitiken fungerar i enlighet med gällande "
            "lagar och avtal och enligt kommunledningens beslutade mål och visioner."
        ),
        activity_changes=(
            "Ihopslagningen mellan löneenheten och personalkontoret innebär många fördelar på "
            "olika sätt. Dessa två enheter har många gemensamma punkter och detta kommer nu att "
            "underlättas. Enheterna har alltid haft ett gott samarbete men det förenklas genom att "
            "det nu är ett gemensamt kontor. Under 2011 kommer förutsättningar för att bilda en "
            "gemensam lönenämnd med Gnesta kommun att utredas. Genom att fortsätta att arbeta "
            "strategiskt tillsammans med förvaltningarna inom olika områden är målet att kommunen "
            "uppnår ett NMI högre än 68%. Fokus kommer, som tidigare år, ligga på att utveckla och "
            "stötta i ledarskap för kommunens många chefer. Framtagande av kommunens "
            "arbetsgivarmärke kommer att intensifieras under 2011. Starten på detta blir att delta "
            "på en arbetsmarknadsmässa på Mälardalens högskola i Eskilstuna. Det finns också en "
            "ambition att få fram ett antal ambassadörer i Katrineholms kommun, medarbetare som "
            "vill berätta om sitt arbete genom så kallad storytelling. Om varför de har valt att "
            "arbeta inom kommunal verksamhet och i Katrineholms kommun. Effektivisering av "
            "löneprocessen, som påbörjats tidigare år, fortsätter att utvecklas och så småningom "
            "formar sig till en tydlig process för alla inblandade. Det strategiska arbetet inom "
            "personalområdet är beroende av omvärlden men också av vad som händer inom de olika "
            "förvaltningarna. Därför är det viktigt att fortsätta och utveckla samarbetsformerna "
            "med verksamheterna. Vara lyhörd för behov och förändringar som verksamheterna står "
            "inför. Även samarbetet inom kommunledningsförvaltningen håller på att ta form. "
            "Tillsammans med ekonomikontoret har ett nytt personalbokslut arbetats fram. Här har "
            "även respektive förvaltning bidragit med sitt eget personalbokslut."
        ),
    ),
    Narrative(
        unit_code="PROJ",
        activity_description=(
            "För att kommunmedlemmar ska få den service som beslutats av kommunfullmäktige ska "
            "projektenheten, för en bättre resursanvändning hos berörda förvaltningar; Leda och "
            "samordna kommunövergripande utvecklingsprojekt som beslutats av kommunstyrelsen "
            "Utveckla projektstöd Ansvarar för verksamhetsplanering enligt LOTS Tillhandahålla "
            "strategiskt ledningsstöd inom jämställdhet och jämställdhetsintegrering"
        ),
        activity_changes=(
            "Vid årsskiftet 2010/2011 upphörde administrativa kontoret, vilket innebär att "
            "projektenheten och löneenheten från 2011 organiseras på nya sätt. Löneenheten tillhör "
            "åter personalkontoret och projektenheten blir ett eget kontor. Projektkontoret kommer "
            "att vara intäktsfinansierat vilket innebär att de projekt som drivs och organiseras "
            "vid projektkontoret får avsätta resurser för detta enligt grundprincipen 10 % av "
            "projektbudget. Ny funktion för projektkontoret är EU-samordning, vilken delas med "
            "förvaltningen näringsliv och tillvät. Projektledaren för Kompetensplaneringsprojektet "
            "kommer från mars månad även att leda Hel- deltidsprojektet. Barn och ungdomsprojektet "
            "ordinarie projektledare är föräldraledig och leds för närvarande av vikarierande "
            "projektledare. Ordinarie projektledare beräknas vara åter i tjänst under hösten 2011. "
            "Nya projekt som kommer att bedrivas vid projektkontoret är "
            "Energieffektiviseringsprojektet, E-tjänstprojektet och Ny kommunikationsplattform. "
            "Dessutom kommer arbetet med jämställdhetsintegreringen att fortsätta. Hållbar "
            "jämställdhet (Sveriges Kommuner och Landsting) har utlyst nya medel att söka för "
            "detta. Projektkontoret avser att gå in med en ny ansökan i syfte att stärka upp "
            "arbetet på förvaltningarna. Nytt för projektkontoret är dessutom ansvaret för "
            "kommunledningsförvaltningens verksamhetsplanering enlig LOTS."
        ),
    ),
)


# --- Builders ---------------------------------------------------------------------------------


def message_id(key: str) -> UUID:
    """The demo's id for the command with this stable key, the same on every load."""
    return uuid5(DEMO_NAMESPACE, key)


def kronor(tkr: int) -> Decimal:
    """Exact kronor from an amount printed in tkr."""
    return Decimal(tkr * TKR)


def unit_commands() -> list[Command]:
    """The tree, parents first (UNITS lists them so), then the renamings."""
    commands: list[Command] = [
        RegisterUnit(
            message_id=message_id(f"unit/{unit.code}/register"),
            actor=ACTOR,
            unit_code=unit.code,
            name=unit.name,
            kind=unit.kind,
            parent_code=unit.parent_code,
            manager_title=unit.manager_title,
            manager_name=unit.manager_name,
            effective_on=TREE_EFFECTIVE_ON,
        )
        for unit in UNITS
    ]
    commands += [
        RenameUnit(
            message_id=message_id(f"unit/{code}/rename/{name}"),
            actor=ACTOR,
            unit_code=code,
            name=name,
            effective_on=TREE_EFFECTIVE_ON,
        )
        for code, name in RENAMES
    ]
    return commands


def figure_commands() -> list[Command]:
    return [
        SetFigures(
            message_id=message_id(f"figures/{table.unit_code}/{column.year}/{column.kind}"),
            actor=ACTOR,
            unit_code=table.unit_code,
            year=column.year,
            kind=column.kind,
            status=column.status,
            revenue=kronor(revenue),
            costs=kronor(costs),
        )
        for table in TABLES
        for column, revenue, costs, _printed_net in table.cells()
    ]


def frame_change_commands() -> list[Command]:
    return [
        ChangeFrame(
            message_id=message_id(f"frame/{change.unit_code}/{BUDGET_YEAR}"),
            actor=ACTOR,
            unit_code=change.unit_code,
            year=BUDGET_YEAR,
            amount=kronor(change.amount_tkr),
            reasons=change.reasons,
        )
        for change in FRAME_CHANGES
    ]


def net_investment_commands() -> list[Command]:
    return [
        SetNetInvestment(
            message_id=message_id(
                f"net-investment/{NET_INVESTMENTS_UNIT}/{column.year}/{column.kind}"
            ),
            actor=ACTOR,
            unit_code=NET_INVESTMENTS_UNIT,
            year=column.year,
            kind=column.kind,
            amount=kronor(amount),
        )
        for column, amount in NET_INVESTMENTS
    ]


def narrative_text(narrative: Narrative, section: NarrativeSection) -> str:
    if section is NarrativeSection.ACTIVITY_DESCRIPTION:
        return narrative.activity_description
    return narrative.activity_changes


def narrative_commands() -> list[Command]:
    return [
        WriteNarrative(
            message_id=message_id(f"narrative/{narrative.unit_code}/{BUDGET_YEAR}/{section}"),
            actor=ACTOR,
            unit_code=narrative.unit_code,
            year=BUDGET_YEAR,
            section=section,
            text=narrative_text(narrative, section),
        )
        for narrative in NARRATIVES
        for section in NarrativeSection
    ]


def demo_commands() -> list[Command]:
    """Every demo command, in an order the budget service can apply: the tree first."""
    return [
        *unit_commands(),
        *figure_commands(),
        *frame_change_commands(),
        *net_investment_commands(),
        *narrative_commands(),
    ]
