"""Hostile inputs the contracts refuse, with a Swedish message naming the field."""

import json
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from contracts.budget.commands import (
    AppointManager,
    ChangeFrame,
    RecordActuals,
    RegisterUnit,
    WriteNarrative,
)
from contracts.envelope import Command, EventMessage
from contracts.money import AMOUNT_LIMIT, MAX_AMOUNT_TEXT
from contracts.text import check_multi_line, check_single_line
from plumbing.validation import problems_from

ACTUALS = {
    "actor": "ekonomisystem",
    "unit_code": "IT",
    "period": "2011-03",
    "revenue": "3012000",
    "costs": "-3011500.50",
}
NARRATIVE = {
    "actor": "controller",
    "unit_code": "IT",
    "year": 2011,
    "section": "activity_description",
    "text": "Verksamheten.",
}
UNIT = {
    "actor": "controller",
    "unit_code": "IT",
    "name": "IT-enheten",
    "kind": "unit",
    "parent_code": "KLF",
    "effective_on": "2011-01-01",
}

ENVELOPE = {
    "event_id": "5f0c8a52-8c1c-4f4e-9a53-3f1a1d2f6b11",
    "event_type": "ActualsRecorded",
    "schema_version": 1,
    "stream_id": "unit-IT-2011",
    "version": 1,
    "occurred_at": "2011-03-31T12:00:00+00:00",
    "recorded_at": "2011-03-31T12:00:01+00:00",
    "source_system": "ekonomisystem",
    "actor": "ekonomisystem",
    "correlation_id": "5f0c8a52-8c1c-4f4e-9a53-3f1a1d2f6b11",
    "causation_id": "5f0c8a52-8c1c-4f4e-9a53-3f1a1d2f6b11",
}


def refusal(command: type[Command], data: dict[str, Any]) -> dict[str, str]:
    """Field → Swedish message, for a message that must be refused."""
    with pytest.raises(ValidationError) as caught:
        command.model_validate_json(json.dumps(data))
    return {p.field: p.message for p in problems_from(caught.value.errors())}


def actuals(**changes: Any) -> dict[str, Any]:
    return {**ACTUALS, **changes}


# --- amounts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hostile",
    ["1e1000000", "1E+3", "Infinity", "NaN", "0x10", "1_000", "١٢٣", "１２３", "\t12", "12."],
)
def test_an_amount_is_plain_ascii_digits(hostile: str) -> None:
    assert "inte ett tal" in refusal(RecordActuals, actuals(revenue=hostile))["revenue"]


def test_an_amount_of_forty_digits_is_refused_as_too_large() -> None:
    message = refusal(RecordActuals, actuals(costs="1" * 40))["costs"]
    assert message.startswith("beloppet är för stort")


def test_ten_to_the_fifteenth_is_refused_and_one_öre_less_is_taken() -> None:
    assert AMOUNT_LIMIT == Decimal(10) ** 15
    for limit in ("1000000000000000", "-1000000000000000", 10**15, "1 000 000 000 000 000,00"):
        assert "för stort" in refusal(RecordActuals, actuals(revenue=limit))["revenue"]
    largest = RecordActuals.model_validate(actuals(revenue="999999999999999.99"))
    assert largest.revenue == AMOUNT_LIMIT - Decimal("0.01")
    assert RecordActuals.model_validate(actuals(costs=-(10**15 - 1))).costs == 1 - 10**15


def test_a_long_amount_string_is_refused_without_repeating_it() -> None:
    flood = "9" * 1_000_000
    message = refusal(RecordActuals, actuals(revenue=flood))["revenue"]
    assert message == f"beloppet är för långt (1000000 tecken; högst {MAX_AMOUNT_TEXT} tecken)"


def test_an_unreadable_amount_is_quoted_only_in_part() -> None:
    message = refusal(RecordActuals, actuals(revenue="x" * MAX_AMOUNT_TEXT))["revenue"]
    assert "x" * 21 not in message
    assert "(40 tecken)" in message


def test_amounts_accepted_before_are_still_accepted() -> None:
    for sent, kept in [
        ("-1234.50", "-1234.50"),
        ("1 234,50", "1234.50"),
        (1200, "1200"),
        ("+5", "5"),
        (" 17 ", "17"),
        ("-0.5", "-0.5"),
    ]:
        command = RecordActuals.model_validate(actuals(revenue=sent))
        assert command.model_dump(mode="json")["revenue"] == kept


def test_an_amount_with_more_than_two_decimals_or_as_a_float_is_refused() -> None:
    assert "två decimaler" in refusal(RecordActuals, actuals(revenue="1.500"))["revenue"]
    assert "flyttal" in refusal(RecordActuals, actuals(revenue=1.5))["revenue"]


def test_a_decimal_given_in_code_is_written_in_plain_notation() -> None:
    command = RecordActuals.model_validate(actuals(revenue=Decimal("1.5E+6")))
    assert command.model_dump(mode="json")["revenue"] == "1500000"


# --- periods ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hostile", ["２０１１-０３", "2011-03\n", "2011-3", " 2011-03", "201１-03"]
)
def test_a_period_is_exactly_yyyy_mm_in_ascii_digits(hostile: str) -> None:
    assert "ÅÅÅÅ-MM" in refusal(RecordActuals, actuals(period=hostile))["period"]


def test_a_period_has_a_real_month_within_the_years_range() -> None:
    assert "månad 13" in refusal(RecordActuals, actuals(period="2011-13"))["period"]
    assert "månad 0" in refusal(RecordActuals, actuals(period="2011-00"))["period"]
    assert "1990–2100" in refusal(RecordActuals, actuals(period="1989-12"))["period"]
    assert "1990–2100" in refusal(RecordActuals, actuals(period="2101-01"))["period"]
    assert RecordActuals.model_validate(actuals(period="2100-12")).period == "2100-12"


def test_a_long_period_is_quoted_only_in_part() -> None:
    message = refusal(RecordActuals, actuals(period="2" * 100_000))["period"]
    assert len(message) < 200


# --- text ---------------------------------------------------------------------------------


def test_nul_in_the_actor_is_refused_naming_the_character() -> None:
    message = refusal(RecordActuals, actuals(actor="ekonomi\u0000system"))["actor"]
    assert "innehåller ett otillåtet styrtecken (U+0000" in message
    assert "plats 8" in message


@pytest.mark.parametrize("character", ["\u0001", "\u001f", "\u007f", "\t", "\n", "\r"])
def test_a_single_line_field_refuses_every_control_character(character: str) -> None:
    problems = refusal(RegisterUnit, {**UNIT, "name": f"IT{character}enheten"})
    assert f"(U+{ord(character):04X}" in problems["name"]


def test_a_lone_surrogate_is_refused() -> None:
    body = '{"actor": "\\ud800", "unit_code": "IT", "period": "2011-03", "revenue": 1, "costs": 0}'
    with pytest.raises(ValidationError):
        RecordActuals.model_validate_json(body)
    problems = problems_from(_errors(RecordActuals, actuals(actor="a\ud800")))
    assert [(p.field, p.message) for p in problems] == [
        ("actor", "är inte giltig Unicode (t.ex. ett ensamt surrogattecken)")
    ]


def test_a_surrogate_that_reaches_the_text_check_is_named() -> None:
    for check in (check_single_line, check_multi_line):
        with pytest.raises(ValueError, match=r"ensamt surrogattecken \(U\+DC00\) på plats 2"):
            check("a\udc00")


def _errors(command: type[Command], data: dict[str, Any]) -> list[Any]:
    with pytest.raises(ValidationError) as caught:
        command.model_validate(data)
    return list(caught.value.errors())


@pytest.mark.parametrize(
    ("command", "data", "field", "limit"),
    [
        (RecordActuals, ACTUALS, "actor", 200),
        (RegisterUnit, UNIT, "name", 200),
        (RegisterUnit, UNIT, "manager_title", 100),
        (RegisterUnit, UNIT, "manager_name", 200),
        (WriteNarrative, NARRATIVE, "text", 50_000),
    ],
)
def test_over_long_text_is_refused_stating_the_limit(
    command: type[Command], data: dict[str, Any], field: str, limit: int
) -> None:
    problems = refusal(command, {**data, field: "x" * (limit + 1)})
    assert problems[field] == f"är för lång (högst {limit} tecken)"
    command.model_validate({**data, field: "x" * limit})


def test_narrative_text_may_have_tabs_and_lines_but_not_a_bare_carriage_return() -> None:
    text = "Rad ett\tmed tabb\nrad två\r\nrad tre"
    assert WriteNarrative.model_validate({**NARRATIVE, "text": text}).text == text
    message = refusal(WriteNarrative, {**NARRATIVE, "text": "ett\rtvå"})["text"]
    assert "vagnretur (U+000D)" in message
    assert "U+0000" in refusal(WriteNarrative, {**NARRATIVE, "text": "a\u0000"})["text"]


def test_frame_change_reasons_are_multi_line_and_the_decision_single_line() -> None:
    frame = {"actor": "c", "unit_code": "IT", "year": 2011, "amount": "-158000"}
    accepted = ChangeFrame.model_validate({**frame, "reasons": "Ett.\nTvå.", "decision": "KS § 1"})
    assert accepted.reasons == "Ett.\nTvå."
    problems = refusal(ChangeFrame, {**frame, "reasons": "Ett.", "decision": "KS\n§ 1"})
    assert "U+000A" in problems["decision"]


def test_an_empty_name_or_title_is_refused() -> None:
    assert refusal(RegisterUnit, {**UNIT, "manager_title": ""}) == {
        "manager_title": "får inte vara tom"
    }
    appointment = {"actor": "c", "unit_code": "IT", "effective_on": "2011-01-01"}
    assert refusal(AppointManager, {**appointment, "manager_name": ""}) == {
        "manager_name": "får inte vara tom"
    }


def test_the_envelope_bounds_its_strings() -> None:
    EventMessage.model_validate({"envelope": ENVELOPE, "payload": {}})
    for field, value in [
        ("source_system", "x" * 101),
        ("stream_id", "x" * 201),
        ("event_type", "Actuals\u0000"),
        ("actor", "a\nb"),
    ]:
        with pytest.raises(ValidationError) as caught:
            EventMessage.model_validate({"envelope": {**ENVELOPE, field: value}, "payload": {}})
        (problem,) = problems_from(caught.value.errors())
        assert problem.field == f"envelope.{field}"


def test_an_unusable_trace_context_is_read_as_none_and_the_event_kept() -> None:
    traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    for unusable in ["x" * 1025, "a\u0000b", "rad\nrad"]:
        envelope = {**ENVELOPE, "traceparent": traceparent, "tracestate": unusable}
        message = EventMessage.model_validate({"envelope": envelope, "payload": {}})
        assert message.envelope.tracestate is None
        assert message.envelope.traceparent == traceparent


def test_an_infinite_year_is_refused_in_swedish() -> None:
    from pydantic import ValidationError

    from contracts.budget.commands import SetNetInvestment
    from plumbing.validation import problems_from

    try:
        SetNetInvestment.model_validate(
            {"actor": "t", "unit_code": "KS", "year": float("inf"), "kind": "budget", "amount": "1"}
        )
    except ValidationError as error:
        (problem,) = problems_from(error.errors())
    else:
        raise AssertionError("an infinite year was accepted")
    assert (problem.field, problem.message) == ("year", "ska vara ett ändligt tal")


def test_a_budget_profile_with_too_few_months_is_refused_in_swedish() -> None:
    from pydantic import ValidationError

    from contracts.budget.commands import SetBudgetProfile
    from plumbing.validation import problems_from

    try:
        SetBudgetProfile.model_validate(
            {"actor": "a", "unit_code": "IT", "year": 2011, "monthly_percent": []}
        )
    except ValidationError as error:
        messages = [p.message for p in problems_from(error.errors())]
    else:
        raise AssertionError("an empty profile was taken")
    assert "har för få värden (minst 12)" in messages
