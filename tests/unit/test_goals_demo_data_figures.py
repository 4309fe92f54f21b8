"""The goals demo checked against the seed figure by figure: every target, baseline and measured
value is the number the seed prints next to its wording (tests.unit.goals_demo_seed reads the
seed).
"""

import re
from decimal import Decimal

import pytest

from contracts.goals.fields import (
    ChangeBasis,
    CommitmentKind,
    Comparison,
    MeasureUnit,
    TargetKind,
)
from tests.seed_text import SEED
from tests.unit.goals_demo_seed import (
    COMMITMENT,
    COMMITMENTS,
    RECORDED,
    Seed,
    notes_of,
    printed_value,
    read_seed,
)


@pytest.fixture(scope="module")
def seed() -> Seed:
    return read_seed()


# --- Figures -----------------------------------------------------------------------------------

NUMBER_WORDS = {Decimal(1): "en", Decimal(3): "tre", Decimal(4): "fyra"}
COMPARISON_WORDING = {
    Comparison.AT_LEAST: (r"eller högre|minst|uppgå till|ska vara|ska öka|öka med|målvärde"),
    Comparison.MORE_THAN: r"högre än",
    Comparison.LESS_THAN: r"mindre än",
    Comparison.AT_MOST: r"inte ta mer än|plats",
}
UNIT_WORDING = {
    MeasureUnit.PERCENT: r"{value} (procent|%)|{value}%",
    MeasureUnit.INDEX: r"(Index|medelvärde).{{0,40}}{value}|Index, målvärde {value}",
    MeasureUnit.COUNT: r"{value}",
    MeasureUnit.RANK: r"plats {value}",
}
TARGET_WORDING = re.compile(
    r"\b(\d+|en|tre|fyra) (procent|%)|\d%|eller högre|minst|målvärde|målnivå|ska vara \d+"
)
"""A commitment printed with any of these has a target level; without, it has none."""
CHANGE_WORDING = re.compile(r"ska öka (med \d+ procent|från \d{4} års nivå|under planperioden)")
"""A commitment printed with any of these has a target of change from a baseline."""


def value_pattern(value: Decimal) -> str:
    forms = [re.escape(printed_value(value))]
    if value in NUMBER_WORDS:
        forms.append(NUMBER_WORDS[value])
    return r"\b(?:" + "|".join(forms) + r")\b"


def near(text: str, first: str, second: str, distance: int = 40) -> bool:
    return any(
        re.search(second, text[max(0, m.start() - distance) : m.end() + distance])
        for m in re.finditer(first, text)
    )


def test_a_commitment_has_a_target_exactly_where_the_seed_prints_a_level_or_a_change() -> None:
    for commitment in COMMITMENTS:
        change = CHANGE_WORDING.search(commitment.text) is not None
        printed = change or TARGET_WORDING.search(commitment.text) is not None
        assert (commitment.target is not None) == printed, commitment.text
        if commitment.target is not None:
            assert (commitment.target.kind is TargetKind.CHANGE) == change, commitment.text


def test_every_target_is_the_number_next_to_its_wording() -> None:
    targets = [c for c in COMMITMENTS if c.target is not None]
    assert len(targets) == 23
    for commitment in targets:
        target, text = commitment.target, commitment.text
        assert target is not None
        if target.kind is TargetKind.CHANGE and target.value == 0:
            # "ska öka från 2009 års nivå", "ska öka under planperioden": any increase.
            assert target.comparison is Comparison.MORE_THAN, text
            assert target.change_basis is ChangeBasis.MEASURE_UNIT, text
            continue
        value = value_pattern(target.value)
        assert re.search(UNIT_WORDING[target.unit].format(value=value), text), text
        if (target.value, target.unit) == (Decimal(100), MeasureUnit.PERCENT):
            # "till 100 procent", "målnivå är 100%": a share can be no more than the whole.
            assert target.comparison is Comparison.AT_LEAST, text
        else:
            assert near(text, value, COMPARISON_WORDING[target.comparison]), text
        if target.due_year is not None:
            assert near(text, value, rf"\b{target.due_year}\b"), text


def test_the_targets_read_as_the_seed_means_them() -> None:
    def level(commitment_id: str) -> tuple[Comparison, Decimal, MeasureUnit, int | None]:
        target = COMMITMENT[commitment_id].target
        assert target is not None
        return target.comparison, target.value, target.unit, target.due_year

    assert level("klf-nki-verksamhetslokaler") == (
        Comparison.AT_LEAST,
        Decimal(60),
        MeasureUnit.INDEX,
        None,
    )
    assert level("klf-oro-for-brott") == (
        Comparison.LESS_THAN,
        Decimal(61),
        MeasureUnit.PERCENT,
        None,
    )
    assert level("klf-trygga-ute-en-ensam-sen-kvall") == (
        Comparison.MORE_THAN,
        Decimal(66),
        MeasureUnit.PERCENT,
        None,
    )
    assert level("klf-hallbar-utveckling-e-tjanster") == (
        Comparison.AT_LEAST,
        Decimal(30),
        MeasureUnit.COUNT,
        2011,
    )
    assert level("nat-svenskt-naringslivs-ranking") == (
        Comparison.AT_MOST,
        Decimal(145),
        MeasureUnit.RANK,
        2013,
    )
    assert level("nat-nojd-kund-index") == (
        Comparison.AT_LEAST,
        Decimal(70),
        MeasureUnit.INDEX,
        2011,
    )
    assert level("klf-yttackning-bredband") == (
        Comparison.AT_LEAST,
        Decimal(25),
        MeasureUnit.PERCENT,
        2011,
    )
    assert level("klf-nojd-medarbetar-index") == (
        Comparison.AT_LEAST,
        Decimal(68),
        MeasureUnit.INDEX,
        None,
    )
    assert level("klf-avskrivningar") == (Comparison.AT_MOST, Decimal(3), MeasureUnit.PERCENT, None)
    kinds = {c.commitment_id: c.target.kind for c in COMMITMENTS if c.target is not None}
    assert kinds.pop("nat-svenskt-naringslivs-ranking") is TargetKind.RANK
    changes = {cid for cid, kind in kinds.items() if kind is TargetKind.CHANGE}
    assert changes == {
        "klf-avtal-som-kan-e-bestallas",
        "klf-soliditet",
        "klf-sjalvfinansieringsgrad",
    }
    assert all(kinds[cid] is TargetKind.LEVEL for cid in kinds.keys() - changes)
    # "ska öka med 25 procent under 2011": a quarter more than the share at the end of 2010.
    contracts = COMMITMENT["klf-avtal-som-kan-e-bestallas"]
    assert contracts.target is not None and contracts.baseline is not None
    assert level("klf-avtal-som-kan-e-bestallas") == (
        Comparison.AT_LEAST,
        Decimal(25),
        MeasureUnit.PERCENT,
        2011,
    )
    assert contracts.target.change_basis is ChangeBasis.PERCENT_OF_BASELINE
    assert (contracts.baseline.period, contracts.baseline.value) == ("2010", None)
    # "ska öka från 2009 års nivå under planperioden", "ska öka under planperioden" (2011-2013).
    for cid, period in (("klf-sjalvfinansieringsgrad", "2009"), ("klf-soliditet", "2010")):
        rising = COMMITMENT[cid]
        assert rising.target is not None and rising.baseline is not None
        assert level(cid) == (Comparison.MORE_THAN, Decimal(0), MeasureUnit.PERCENT, 2013)
        assert (rising.baseline.period, rising.baseline.value) == (period, None)


def period_wording(period: str) -> str:
    months = {"06": "juni"}
    if "-" in period:
        year, month = period.split("-")
        return f"{months[month]} {year}"
    return period


def test_every_baseline_is_printed_with_its_period_and_source() -> None:
    baselines = [c for c in COMMITMENTS if c.baseline is not None and c.baseline.value is not None]
    assert {c.commitment_id for c in baselines} == {
        "nat-svenskt-naringslivs-ranking",
        "nat-nojd-kund-index",
        "klf-yttackning-bredband",
    }
    for commitment in baselines:
        baseline = commitment.baseline
        assert baseline is not None and baseline.source is not None
        printed = " ".join([commitment.text, *(n.text for n in notes_of(commitment.commitment_id))])
        assert baseline.value is not None
        value = value_pattern(baseline.value)
        assert near(printed, value, re.escape(period_wording(baseline.period))), printed
        assert baseline.source in printed


EVIDENCE: dict[tuple[str, str], tuple[dict[str, Decimal], tuple[str, ...]]] = {
    ("nat-nojd-kund-index", "2009"): ({"total": Decimal(63)}, ("NKI 63 i mätningen 2009",)),
    ("nat-svenskt-naringslivs-ranking", "2010"): (
        {"total": Decimal(225)},
        ("plats 225 i rankingen 2010",),
    ),
    ("klf-yttackning-bredband", "2010-06"): (
        {"total": Decimal(2)},
        ("I juni 2010 har Katrineholm 2 % täckt enligt länsstyrelsens sammanställning",),
    ),
    ("klf-digitala-klyftan", "2009"): (
        {"total": Decimal(89), "men": Decimal(91), "women": Decimal(88)},
        (
            "Under våren 2009 hade 89 procent av alla",
            "Bland männen har 91 procent",
            "För kvinnor är motsvarande siffra 88 procent",
        ),
    ),
    ("klf-alla-kontor-forvaltningarnas-syn", "2010"): (
        {"total": Decimal("2.05")},
        ("IT-kontoret har i 2010-års utvärdering ett medelvärde om 2,05",),
    ),
    ("klf-alla-kontor-forvaltningarnas-syn", "2009"): (
        {"total": Decimal("2.6")},
        ("2009-års utvärdering där kontoret hade ett medelvärde på 2,6",),
    ),
}
"""Every value the seed states, with the words it is printed in."""


def test_no_measurement_exists_that_the_seed_does_not_state() -> None:
    recorded = {(m.measure_id, m.period) for m in RECORDED}
    assert recorded == set(EVIDENCE)
    assert len(RECORDED) == len(EVIDENCE)
    for measurement in RECORDED:
        values, _ = EVIDENCE[(measurement.measure_id, measurement.period)]
        sent = {
            name: getattr(measurement, name)
            for name in ("total", "women", "men")
            if getattr(measurement, name) is not None
        }
        assert sent == values, measurement.measure_id


def test_every_measured_value_is_printed_with_its_period(seed: Seed) -> None:
    seed_text = " ".join([seed.text, *seed.footnotes.values()])
    for (measure_id, period), (values, phrases) in EVIDENCE.items():
        printed = " ".join([COMMITMENT[measure_id].text, *(n.text for n in notes_of(measure_id))])
        for phrase in phrases:
            assert phrase in seed_text, phrase
            assert phrase in printed, f"{phrase!r} is not what {measure_id} prints"
        assert period_wording(period)[-4:] in phrases[0]
        for name, value in values.items():
            [phrase] = [p for p in phrases if re.search(value_pattern(value), p)]
            if name == "men":
                assert "männen" in phrase
            if name == "women":
                assert "kvinnor" in phrase


def test_gender_values_only_for_what_is_measured_by_gender() -> None:
    for measurement in RECORDED:
        if measurement.women is not None or measurement.men is not None:
            assert COMMITMENT[measurement.measure_id].by_gender


def test_measured_commitments_are_key_figures() -> None:
    for measurement in RECORDED:
        assert COMMITMENT[measurement.measure_id].kind is CommitmentKind.KEY_FIGURE


def test_the_baselines_are_also_recorded_where_the_seed_states_them() -> None:
    recorded = {(m.measure_id, m.period): m.total for m in RECORDED}
    for commitment in COMMITMENTS:
        if commitment.baseline is not None and commitment.baseline.value is not None:
            key = (commitment.commitment_id, commitment.baseline.period)
            assert recorded[key] == commitment.baseline.value


def test_measurement_sources_are_the_seeds(seed: Seed) -> None:
    seed_text = " ".join([seed.text, *seed.footnotes.values()])
    for measurement in RECORDED:
        source = measurement.source
        if "fotnot" in source:
            assert source.endswith("fotnot 13")
            assert "Planering med budget 2011-2013 för kommunstyrelsen" in SEED.read_text()
        elif "utvärdering" in source:
            assert "IT-kontoret har i 2010-års utvärdering" in seed_text
        else:
            assert source in seed_text, source
