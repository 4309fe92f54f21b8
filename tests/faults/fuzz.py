"""Generated inputs: record-actuals bodies from hypothesis sent over NATS, and schemathesis
cases against each service's OpenAPI document over HTTP."""

import json
import uuid
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from nats.aio.client import Client
from schemathesis.core.result import Err

from contracts import subjects
from tests.faults.hostile import looks_swedish
from tests.faults.ledger import PERIODS, SYSTEM, UNITS, Sender
from tests.faults.properties import Check, last_rejection_sequence, query, rejections, wait_for
from tests.tokens import bearer

T = TypeVar("T")

Outcome = tuple[set[str], dict[str, list[str]]]


def generated(strategy: st.SearchStrategy[T], count: int) -> list[T]:
    """``count`` values from ``strategy``, drawn the way hypothesis explores, not shrunk:
    the sending and the judging happen afterwards, on the event loop."""
    drawn: list[T] = []

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def draw(value: T) -> None:
        drawn.append(value)

    draw()
    return drawn


def _sensible_amount() -> st.SearchStrategy[object]:
    return st.one_of(
        st.integers(min_value=-(10**12), max_value=10**12),
        st.decimals(min_value=-(10**12), max_value=10**12, places=2).map(str),
    )


def _sensible_fields() -> dict[str, st.SearchStrategy[object]]:
    return {
        "actor": st.one_of(st.just("ekonomisystem"), st.text(min_size=1, max_size=200)),
        "unit_code": st.sampled_from(UNITS),
        "period": st.sampled_from(PERIODS),
        "revenue": _sensible_amount(),
        "costs": _sensible_amount(),
    }


def _junk() -> st.SearchStrategy[object]:
    return st.one_of(
        st.integers(),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.floats(),
        st.text(max_size=30),
        st.from_regex(r"\A-?[0-9]{1,60}(\.[0-9]{0,4})?\Z"),
        st.from_regex(r"\A[0-9]{4}-[0-9]{2}\Z"),
        st.none(),
        st.booleans(),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    )


def _spoil(body: dict[str, object], field: str, value: object) -> dict[str, object]:
    spoiled = dict(body)
    if isinstance(value, bool) and value and field in spoiled:
        del spoiled[field]  # a field left out is one way of getting it wrong
    else:
        spoiled[field] = value
    return spoiled


def actuals_bodies() -> st.SearchStrategy[dict[str, object]]:
    """Record-actuals, about half sensible and half with one field spoiled (or an extra
    one added); the message id is always a fresh UUID, so each message can be traced to
    where it ended up."""
    sensible = st.fixed_dictionaries(_sensible_fields())
    names = [*_sensible_fields(), "occurred_at", "comment"]
    spoiled = st.builds(_spoil, sensible, st.sampled_from(names), _junk())
    return st.one_of(sensible, spoiled)


def _encode(body: dict[str, object]) -> bytes:
    # allow_nan: a float that is not a number travels as the bare word NaN, as a careless
    # sender's JSON library would write it.
    return json.dumps(body, allow_nan=True).encode()


async def every_message_accounted_for(
    nc: Client, budget_database: str, bodies: list[dict[str, object]]
) -> list[Check]:
    """Sends ``bodies``; afterwards each one is either stored or refused, never both, never
    neither, and every refusal gives its reasons in Swedish."""
    marker = await last_rejection_sequence(nc)
    sender = Sender(nc)
    ids = []
    for body in bodies:
        message_id = str(uuid.uuid4())
        ids.append(message_id)
        await sender.publish(
            subjects.budget_inbound(SYSTEM, "record-actuals"),
            _encode({"message_id": message_id, **body}),
            message_id,
        )

    async def outcome() -> Outcome:
        rows = await query(
            budget_database,
            "SELECT metadata->>'correlation_id' FROM events"
            " WHERE metadata->>'correlation_id' = ANY($1::text[])",
            ids,
        )
        refused: dict[str, list[str]] = {}
        for found in await rejections(nc, after=marker):
            rejection = json.loads(found.data)
            refused[str(rejection.get("message_id"))] = [
                str(p.get("message", "")) for p in rejection.get("problems", [])
            ]
        return {r[0] for r in rows}, refused

    def accounted(found: Outcome | None) -> bool:
        return found is not None and len(found[0]) + len(found[1]) >= len(ids)

    _, found = await wait_for(outcome, accounted, quiet=30)
    stored, refused = found or (set(), {})
    neither = [i for i in ids if i not in stored and i not in refused]
    both = [i for i in ids if i in stored and i in refused]
    english = sorted({m for ms in refused.values() for m in ms if not looks_swedish(m)})
    return [
        Check(
            "each generated message is stored or refused, once",
            not neither and not both,
            f"{len(stored)} stored, {len(refused)} refused, {len(neither)} neither,"
            f" {len(both)} both, of {len(ids)}",
        ),
        Check(
            "every refusal in Swedish",
            not english,
            "; ".join(english)[:160] or f"{sum(map(len, refused.values()))} reasons",
        ),
    ]


@dataclass
class ApiFuzz:
    """schemathesis cases against one service; remembers every answer that was a 5xx."""

    base_url: str
    examples: int
    calls: int = 0
    errors: list[str] = field(default_factory=list)
    not_generated: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def run(self) -> Check:
        # Every role for every unit, valid for longer than a run: the cases reach the handlers.
        self.headers = bearer("planner", "operator", seconds=3 * 3600)
        document = httpx.get(f"{self.base_url}/openapi.json", timeout=30).json()
        schema = schemathesis.openapi.from_dict(document)
        for result in schema.get_all_operations():
            if isinstance(result, Err):
                self.not_generated.append(f"invalid operation: {result.err()}")
                continue
            operation = result.ok()
            self._cases(operation, schemathesis.GenerationMode.POSITIVE)
            # Without parameters or a body there is nothing to make wrong.
            if len(operation.body) or list(operation.iter_parameters()):
                self._cases(operation, schemathesis.GenerationMode.NEGATIVE)
        shown = "; ".join(sorted(set(self.errors)))[:200]
        detail = f"{self.calls} calls" + (f"; {len(self.errors)} errors: {shown}" if shown else "")
        if self.not_generated:
            detail += f"; not generated: {'; '.join(self.not_generated)}"[:200]
        return Check(
            "no schemathesis case gets a 5xx other than 503",
            not self.errors and not self.not_generated,
            detail,
        )

    def _cases(self, operation: Any, mode: schemathesis.GenerationMode) -> None:
        label = f"{mode.value} {operation.label}"

        @settings(
            max_examples=self.examples,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(operation.as_strategy(generation_mode=mode))
        def call(case: Any) -> None:
            self.calls += 1
            try:
                response = case.call(base_url=self.base_url, headers=self.headers, timeout=60)
            except requests.RequestException as error:
                self.errors.append(f"{operation.label} → no answer ({type(error).__name__})")
                return
            if response.status_code >= 500 and response.status_code != 503:
                self.errors.append(f"{operation.label} → {response.status_code}")

        try:
            call()
        except Exception as error:
            self.not_generated.append(f"{label}: {type(error).__name__}")


def api_fuzz(base_url: str, examples: int) -> Check:
    return ApiFuzz(base_url, examples).run()
