"""A commitment's target and attainment rule in Swedish, as the page, its JSON and its files
show them next to the figures (services.reporting.reports.shared.attainment decides)."""

from __future__ import annotations

from decimal import Decimal

from contracts.goals.fields import ChangeBasis, CommitmentKind, Comparison, MeasureUnit, TargetKind
from services.reporting.reports.shared.attainment import DOWNWARD, UPWARD, Target, Values
from services.reporting.reports.shared.formatting import format_measure, format_number

COMPARISON_WORDS = {
    Comparison.AT_LEAST: "minst",
    Comparison.MORE_THAN: "mer än",
    Comparison.AT_MOST: "högst",
    Comparison.LESS_THAN: "mindre än",
    Comparison.EQUAL: "lika med",
}
# A ranking place is better the lower it is: its words say so.
RANK_COMPARISON_WORDS = {
    Comparison.AT_LEAST: "sämst",
    Comparison.MORE_THAN: "sämre än",
    Comparison.AT_MOST: "bäst",
    Comparison.LESS_THAN: "bättre än",
    Comparison.EQUAL: "exakt",
}
# A change from the baseline: how much it rises or falls.
_CHANGE_WORDS = {c: f"ökning med {words}" for c, words in COMPARISON_WORDS.items()}


def comparison_words(target: Target) -> str:
    """The comparison as the target's statement begins: "minst", "bäst", "ökning med minst"."""
    if target.kind is TargetKind.CHANGE:
        return _CHANGE_WORDS[target.comparison]
    words = RANK_COMPARISON_WORDS if target.unit is MeasureUnit.RANK else COMPARISON_WORDS
    return words[target.comparison]


def _change_size(target: Target) -> str:
    if target.change_basis is ChangeBasis.PERCENT_OF_BASELINE:
        return f"{format_number(target.value)} procent"
    return format_measure(target.value, target.unit.value)


def _any_change(target: Target) -> str | None:
    """ "högre" or "lägre" for a change that asks only for a rise or a fall ("ska öka från 2009
    års nivå"); None for one of a size."""
    if target.value != 0 or target.comparison not in (Comparison.MORE_THAN, Comparison.LESS_THAN):
        return None
    return "högre" if target.comparison is Comparison.MORE_THAN else "lägre"


def target_text(target: Target, baseline_period: str | None) -> str:
    """The target as one phrase: "minst 60", "bäst plats 145 år 2013", "ökning med minst 25
    procent från utgångsvärdet (2010) år 2011", "högre än utgångsvärdet (2009) år 2013"."""
    due = "" if target.due_year is None else f" år {target.due_year}"
    if target.kind is not TargetKind.CHANGE:
        return f"{comparison_words(target)} {format_measure(target.value, target.unit.value)}{due}"
    start = "utgångsvärdet" + ("" if baseline_period is None else f" ({baseline_period})")
    way = _any_change(target)
    if way is not None:
        return f"{way} än {start}{due}"
    return f"{comparison_words(target)} {_change_size(target)} från {start}{due}"


# --- the rule ---------------------------------------------------------------------------------


def _amount(value: Decimal, unit: MeasureUnit) -> str:
    number = format_number(value)
    if unit is MeasureUnit.RANK:
        return f"plats {number}"
    if unit is MeasureUnit.PERCENT:
        return f"{number} procent"
    if unit is MeasureUnit.KRONOR:
        return f"{number} kronor"
    return number


def _condition(target: Target) -> str:
    if target.kind is TargetKind.CHANGE:
        way = _any_change(target)
        if way is not None:
            return f"värdet är {way} än utgångsvärdet"
        words = COMPARISON_WORDS[target.comparison]
        return f"värdet har ökat med {words} {_change_size(target)} från utgångsvärdet"
    amount = _amount(target.value, target.unit)
    if target.unit is MeasureUnit.RANK:
        # A lower place is better: say it in the ranking's own words.
        conditions = {
            Comparison.AT_LEAST: f"placeringen är {amount} eller sämre",
            Comparison.MORE_THAN: f"placeringen är sämre än {amount}",
            Comparison.AT_MOST: f"placeringen är {amount} eller bättre",
            Comparison.LESS_THAN: f"placeringen är bättre än {amount}",
            Comparison.EQUAL: f"placeringen är {amount}",
        }
    else:
        conditions = {
            Comparison.AT_LEAST: f"värdet är {amount} eller högre",
            Comparison.MORE_THAN: f"värdet är högre än {amount}",
            Comparison.AT_MOST: f"värdet är {amount} eller lägre",
            Comparison.LESS_THAN: f"värdet är lägre än {amount}",
            Comparison.EQUAL: f"värdet är {amount}",
        }
    return conditions[target.comparison]


def _partly(target: Target, baseline: Decimal) -> str:
    start = format_number(baseline)
    if target.unit is MeasureUnit.RANK:
        if target.comparison is Comparison.EQUAL:
            return f"delvis uppfyllt när den ligger närmare målet än utgångsvärdet plats {start}"
        # Going down the list (a lower place) is what at_most and less_than ask for.
        moved = "förbättrats" if target.comparison in DOWNWARD else "försämrats"
        return (
            f"delvis uppfyllt när den har {moved} från utgångsvärdet plats {start}"
            " men inte nått målet"
        )
    if target.comparison is Comparison.EQUAL:
        return f"delvis uppfyllt när det ligger närmare målet än utgångsvärdet {start} gjorde"
    moved = "stigit" if target.comparison in UPWARD else "sjunkit"
    return f"delvis uppfyllt när det har {moved} från utgångsvärdet {start} men inte nått målet"


def _timing(target: Target) -> str:
    if target.due_year is None:
        return (
            " Målnivån gäller varje år och bedöms på helårets värde; ett värde för en del av"
            " året är i fas eller inte i fas mot en rak linje från utgångsvärdet till målnivån"
            " vid årets slut; ett äldre års värde gör åtagandet ej mätt."
        )
    return (
        " Dessförinnan bedöms inget som ej uppfyllt: i fas när mätvärdet har kommit minst så"
        " långt som en rak linje från utgångsvärdet till målnivån vid målårets slut, annars"
        " inte i fas; ej bedömt där ingen sådan linje kan dras (inget utgångsvärde)."
    )


def rule_text(
    kind: CommitmentKind, target: Target | None, baseline: Values | None, by_gender: bool
) -> str:
    """The attainment rule of a commitment, in Swedish, as shown next to its figures:
    "Uppfyllt när värdet är lägre än 61 procent; delvis uppfyllt när det har sjunkit från
    utgångsvärdet 70 men inte nått målet."
    """
    if kind is CommitmentKind.ACTIVITY:
        return (
            "Uppfyllt när aktiviteten är genomförd; delvis uppfyllt medan den pågår; "
            "ej uppfyllt när den inte har påbörjats."
        )
    if target is None:
        return (
            "Ingen målnivå är angiven: uppfyllt när åtagandet bedöms som genomfört, "
            "delvis uppfyllt medan arbetet pågår, ej uppfyllt när det inte har påbörjats."
        )
    due = target.due_year
    first = f"{'Uppfyllt' if due is None else f'Vid utgången av målåret {due} uppfyllt'} när "
    first += _condition(target)
    if target.kind is TargetKind.CHANGE and (baseline is None or baseline.total is None):
        sentence = (
            f"{first}; utgångsvärdet är inte mätt, så förändringen kan inte räknas"
            " och åtagandet bedöms inte."
        )
    elif baseline is not None and baseline.total is not None:
        sentence = f"{first}; {_partly(target, baseline.total)}."
    else:
        sentence = (
            f"{first}; annars ej uppfyllt, eftersom inget utgångsvärde finns att jämföra med."
        )
    sentence += _timing(target)
    if by_gender:
        sentence += (
            " Kvinnor och män bedöms var för sig mot målet, från sina egna utgångsvärden"
            " där de finns."
        )
    return sentence
