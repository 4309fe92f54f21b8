"""Properties of the commands under arbitrary input: refused cleanly or accepted within bounds.

Whatever a sender puts in a message, validating it either succeeds or raises pydantic's
ValidationError, whose errors read as Swedish Problems. What succeeds is within the bounds
the published schemas state, and survives a round trip through JSON unchanged.
"""

import json
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import jsonschema_rs  # comes with schemathesis, a dev dependency
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from contracts.budget.fields import PERIOD_PATTERN, UNIT_CODE_PATTERN, check_period
from contracts.budget.service import BUDGET_COMMANDS
from contracts.envelope import Command
from contracts.jsonschema import all_schemas
from contracts.money import (
    AMOUNT_LIMIT,
    AMOUNT_PATTERN,
    AMOUNT_TEXT_PATTERN,
    MAX_AMOUNT_TEXT,
    parse_amount,
    write_amount,
)
from contracts.text import (
    MULTI_LINE_PATTERN,
    SINGLE_LINE_PATTERN,
    check_multi_line,
    check_single_line,
)
from plumbing.validation import problems_from

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

VALID: dict[str, dict[str, Any]] = {
    "register-unit": {
        "unit_code": "IT",
        "name": "IT-enheten",
        "kind": "unit",
        "parent_code": "KLF",
        "manager_title": "Enhetschef",
        "manager_name": "Anna Andersson",
        "effective_on": "2011-01-01",
    },
    "rename-unit": {"unit_code": "IT", "name": "Digitalisering", "effective_on": "2011-06-01"},
    "move-unit": {"unit_code": "IT", "parent_code": "KS", "effective_on": "2011-06-01"},
    "close-unit": {"unit_code": "IT", "effective_on": "2011-12-31"},
    "appoint-manager": {
        "unit_code": "IT",
        "manager_title": "IT-chef",
        "manager_name": "Bo Berg",
        "effective_on": "2011-02-01",
    },
    "attach-table-note": {
        "unit_code": "KS",
        "year": 2011,
        "note_id": "ombudgeteringar-2010",
        "table": "net_investments",
        "kind": "budget",
        "text": "Eventuella ombudgeteringar från år 2010 är ej inräknade.",
    },
    "set-figures": {
        "unit_code": "IT",
        "year": 2011,
        "kind": "budget",
        "status": "adopted",
        "revenue": "3012000",
        "costs": "-3011500.50",
        "decision": "KS 2010-11-24 § 228",
    },
    "record-actuals": {"unit_code": "IT", "period": "2011-03", "revenue": 1, "costs": "-2,50"},
    "make-forecast": {"unit_code": "IT", "period": "2011-09", "revenue": "0", "costs": "-1 000"},
    "change-frame": {
        "unit_code": "IT",
        "year": 2011,
        "amount": "-158000",
        "reasons": "Omfördelning.\nSe bilaga.",
        "decision": "KS § 12",
    },
    "set-net-investment": {"unit_code": "IT", "year": 2012, "kind": "plan", "amount": "500000"},
    "write-narrative": {
        "unit_code": "IT",
        "year": 2011,
        "section": "activity_changes",
        "text": "Rad ett.\r\n\tRad två.",
    },
    "set-project-share": {
        "unit_code": "PROJ",
        "year": 2011,
        "project_code": "kommunikationsplattform",
        "project_budget": "300000",
        "revenue": "30000",
    },
    "write-follow-up-text": {
        "unit_code": "IT",
        "year": 2011,
        "report": "interim_report",
        "text": "Halvåret gick enligt plan.\r\n\tNästan.",
    },
    "write-month-comment": {
        "unit_code": "IT",
        "period": "2011-03",
        "comment": "Licenskostnaderna kom i mars i stället för i april.",
        "measures": "Inga; avvikelsen jämnas ut i april.",
    },
    "mark-ready": {"unit_code": "IT", "year": 2011, "report": "month_report", "month": 8},
    "reopen-report": {"unit_code": "IT", "year": 2011, "report": "interim_report"},
    "set-budget-profile": {
        "unit_code": "IT",
        "year": 2011,
        "monthly_percent": ["9", "8", "9", "8", "9", "8", "4", "8", "9", "9", "9", "10"],
    },
}
COMMON = {"message_id": "5f0c8a52-8c1c-4f4e-9a53-3f1a1d2f6b11", "actor": "ekonomisystem"}
AMOUNT_FIELDS = {"revenue", "costs", "amount", "project_budget"}
SCHEMAS = {
    name: jsonschema_rs.validator_for(all_schemas()[f"budget/commands/{name}.json"])
    for name in BUDGET_COMMANDS
}

# Text a sender might send, hostile or not: numbers in many spellings, periods, control
# characters, surrogates, digits from other scripts, and plain noise.
_TRICKY = st.sampled_from(
    [
        "",
        " ",
        "1e1000000",
        "9" * 40,
        "1000000000000000",
        "999999999999999.99",
        "-0",
        "1 234,50",
        "NaN",
        "-Infinity",
        "２０１１-０３",
        "2011-03\n",
        "2011-13",
        "1989-12",
        "a\u0000b",
        "\ud800",
        "\r",
        "\r\n",
        "\t",
        "KLF",
        "x" * 201,
    ]
)
_NUMBERISH = st.from_regex(r"[ +\-]?[0-9 ]{0,20}([.,][0-9]{0,4})?([eE][+-]?[0-9]{1,8})?")
_STRINGS = st.one_of(st.text(max_size=30), _TRICKY, _NUMBERISH)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    _STRINGS,
)
JSONISH = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_STRINGS, inner, max_size=3),
    max_leaves=8,
)


def _field_names(command: type[Command]) -> list[str]:
    return sorted(command.model_fields)


def _plausible(field: str) -> st.SearchStrategy[Any]:
    """Values of the right kind for ``field``, often valid, often just outside."""
    if field in AMOUNT_FIELDS:
        return st.one_of(_NUMBERISH, st.integers(), st.decimals(places=2, allow_nan=False))
    kinds: dict[str, st.SearchStrategy[Any]] = {
        "period": st.from_regex(r"[0-9]{4}-[0-9]{2}", fullmatch=True),
        "year": st.integers(min_value=1980, max_value=2110),
        "unit_code": st.from_regex(UNIT_CODE_PATTERN),
        "parent_code": st.none() | st.from_regex(UNIT_CODE_PATTERN),
        "message_id": st.uuids().map(str),
        "effective_on": st.dates().map(date.isoformat),
        "occurred_at": st.datetimes(timezones=st.timezones()).map(datetime.isoformat),
    }
    return kinds.get(field, st.text(max_size=60))


@st.composite
def mutated(draw: st.DrawFn) -> tuple[type[Command], dict[str, Any]]:
    """A valid command with some fields replaced, removed or added."""
    name = draw(st.sampled_from(sorted(BUDGET_COMMANDS)))
    command = BUDGET_COMMANDS[name]
    data = {**COMMON, **VALID[name]}
    for field in draw(st.lists(st.sampled_from(_field_names(command)), max_size=2)):
        action = draw(st.sampled_from(["plausible", "plausible", "anything", "remove"]))
        if action == "remove":
            data.pop(field, None)
        else:
            data[field] = draw(_plausible(field) if action == "plausible" else JSONISH)
    if draw(st.integers(min_value=0, max_value=4)) == 0:
        data[draw(_STRINGS)] = draw(JSONISH)
    return command, data


@st.composite
def arbitrary(draw: st.DrawFn) -> tuple[type[Command], Any]:
    """Any JSON-ish value, mostly an object with the command's field names among its keys."""
    command = BUDGET_COMMANDS[draw(st.sampled_from(sorted(BUDGET_COMMANDS)))]
    keys = st.one_of(st.sampled_from(_field_names(command)), _STRINGS)
    data = draw(st.one_of(st.dictionaries(keys, JSONISH, max_size=10), JSONISH))
    return command, data


def _validate(command: type[Command], data: Any, as_json: bool) -> Command | None:
    """The command, or None after checking that the refusal reads as Swedish Problems."""
    try:
        if as_json:
            return command.model_validate_json(json.dumps(data, default=str))
        return command.model_validate(data)
    except ValidationError as error:
        _assert_swedish(error)
        return None


def _assert_swedish(error: ValidationError) -> None:
    errors = error.errors()
    problems = problems_from(errors)
    assert len(problems) == len(errors) > 0
    for problem, raw in zip(problems, errors, strict=True):
        assert problem.message, raw
        assert not problem.message.startswith("ogiltigt värde (felkod"), raw
        assert problem.message != raw["msg"], raw
        # A flood of input never becomes a flood of message.
        assert len(problem.message) <= 300, raw


def _assert_within_bounds(command: Command) -> None:
    written = command.model_dump(mode="json")
    SCHEMAS[command.command_name].validate(written)
    for field in AMOUNT_FIELDS & set(written):
        amount: Decimal = getattr(command, field)
        assert amount.is_finite() and abs(amount) < AMOUNT_LIMIT
        assert Decimal(written[field]) == amount
    if "period" in written:
        assert re.fullmatch(PERIOD_PATTERN, written["period"])
        assert written["period"].isascii()
    for value in written.values():
        if isinstance(value, str):
            assert re.fullmatch(MULTI_LINE_PATTERN, value)
            assert not re.search("[\ud800-\udfff]", value)
    again = type(command).model_validate_json(command.model_dump_json())
    assert again == command
    assert again.model_dump(mode="json") == written


def test_every_valid_example_is_accepted() -> None:
    for name, command in BUDGET_COMMANDS.items():
        _assert_within_bounds(command.model_validate({**COMMON, **VALID[name]}))


@settings(FAST, max_examples=300)
@given(st.one_of(mutated(), mutated(), arbitrary()), st.booleans())
def test_any_input_is_accepted_within_bounds_or_refused_in_swedish(
    case: tuple[type[Command], Any], as_json: bool
) -> None:
    command, data = case
    accepted = _validate(command, data, as_json)
    event("refused" if accepted is None else "accepted")
    if accepted is not None:
        _assert_within_bounds(accepted)


def _accepts(check: Any, value: Any) -> bool:
    try:
        check(value)
    except ValueError:
        return False
    return True


@FAST
@given(st.text(alphabet=" +-.,0123456789eE\t_", max_size=MAX_AMOUNT_TEXT + 5))
def test_the_published_amount_pattern_accepts_exactly_what_the_model_accepts(text: str) -> None:
    published = len(text) <= MAX_AMOUNT_TEXT and re.fullmatch(AMOUNT_TEXT_PATTERN, text)
    assert bool(published) == _accepts(parse_amount, text)


@FAST
@given(st.from_regex(AMOUNT_PATTERN.strip("^$"), fullmatch=True))
def test_an_amount_as_written_out_is_read_as_the_same_amount_either_way(text: str) -> None:
    # A leading space is allowed (it groups nothing) and has the text read the long way.
    read = parse_amount(text)
    assert read.as_tuple() == parse_amount(f" {text}").as_tuple()
    assert write_amount(read) == text


@FAST
@given(st.text(alphabet=st.characters(max_codepoint=0x80, exclude_categories=["Cs"])))
def test_the_published_text_patterns_accept_exactly_what_the_model_accepts(text: str) -> None:
    single = re.fullmatch(SINGLE_LINE_PATTERN, text)
    multi = re.fullmatch(MULTI_LINE_PATTERN, text)
    assert bool(single) == _accepts(check_single_line, text)
    assert bool(multi) == _accepts(check_multi_line, text)


@FAST
@given(st.from_regex(r"[0-9０-９]{3,5}-[0-9]{1,3}\n?", fullmatch=True) | st.text(max_size=8))
def test_the_published_period_pattern_accepts_exactly_what_the_model_accepts(text: str) -> None:
    assert bool(re.fullmatch(PERIOD_PATTERN, text)) == _accepts(check_period, text)
