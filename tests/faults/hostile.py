"""Hostile and malformed inputs, sent the way an attacker or a broken sender would: over
NATS on an inbound subject and, where it applies, over HTTP. Each must be refused with a
reason in Swedish, the refusal must fit NATS's payload limit, nothing of it may be stored,
and the consumer must go on to the next message."""

import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import httpx
from nats.aio.client import Client

from contracts import subjects
from contracts.budget.commands import RecordActuals
from tests.faults.ledger import (
    SYSTEM,
    Sender,
    connect,
    figures,
    organisation,
    stream_exists,
)
from tests.faults.properties import (
    Check,
    Rejected,
    last_rejection_sequence,
    projected,
    query,
    rejections,
    stored_latest,
    wait_for,
)
from tests.faults.stack import ONE_OF_EACH, FaultStack
from tests.tokens import bearer

REFUSED_OVER_HTTP = frozenset({413, 422})
NO_SUCH_ROUTE = frozenset({404, 405})


@dataclass(frozen=True)
class Hostile:
    name: str
    body: bytes
    command: str = "record-actuals"
    system: str = SYSTEM
    # What HTTP may answer; empty where the input cannot be sent over HTTP (the system
    # and the subject exist only on NATS).
    http: frozenset[int] = REFUSED_OVER_HTTP
    subject_tail: str = ""

    @property
    def subject(self) -> str:
        return subjects.budget_inbound(self.system, self.command) + self.subject_tail


def _actuals(**fields: object) -> dict[str, object]:
    return {
        "message_id": str(uuid.uuid4()),
        "actor": "ekonomisystem",
        "unit_code": "E00",
        "period": "2011-03",
        "revenue": "1200",
        "costs": "-1100.50",
        **fields,
    }


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


def _with_raw(field_name: str, raw: str) -> bytes:
    """A record-actuals whose ``field_name`` is the JSON text ``raw``, written as is."""
    fields = _actuals(**{field_name: "PLACEHOLDER"})
    return json.dumps(fields).replace('"PLACEHOLDER"', raw).encode()


def _narrative(size: int) -> bytes:
    fields = {
        "message_id": str(uuid.uuid4()),
        "actor": "ekonomisystem",
        "unit_code": "E00",
        "year": 2011,
        "section": "activity_description",
        "text": "",
    }
    empty = len(_json(fields))
    fields["text"] = "a" * (size - empty)
    body = _json(fields)
    assert len(body) == size
    return body


def _invalid_utf8() -> bytes:
    return _json(_actuals(actor="PLACEHOLDER")).replace(b"PLACEHOLDER", b"eko\xff\xfe\xc3\x28")


def cases() -> list[Hostile]:
    depth = 100_000
    return [
        Hostile("body nested 100,000 levels deep", _with_raw("revenue", "[" * depth + "]" * depth)),
        Hostile("actor containing NUL", _json(_actuals(actor="ekonomi\u0000system"))),
        Hostile("200,000 NUL bytes", b"\x00" * 200_000),
        Hostile("write-narrative of 1,048,400 bytes", _narrative(1_048_400), "write-narrative"),
        Hostile('revenue "1e1000000"', _json(_actuals(revenue="1e1000000"))),
        Hostile("40-digit amount", _json(_actuals(revenue="1" + "2" * 39))),
        Hostile("period in full-width digits", _json(_actuals(period="２０１１-０３"))),
        Hostile("period with a trailing newline", _json(_actuals(period="2011-03\n"))),
        Hostile("unknown system", _json(_actuals()), system="okantsystem", http=frozenset()),
        Hostile("invalid UTF-8", _invalid_utf8()),
        Hostile("JSON array instead of an object", _json([_actuals()])),
        Hostile("unknown command name", _json(_actuals()), "radera-allt", http=NO_SUCH_ROUTE),
        Hostile("empty body", b""),
        Hostile("lone UTF-16 surrogate in actor", _with_raw("actor", '"\\ud800"')),
        Hostile("revenue as a 5,000-digit JSON integer", _with_raw("revenue", "1" + "0" * 4999)),
        Hostile("revenue as a JSON float", _with_raw("revenue", "0.1")),
        Hostile("amount Infinity", _json(_actuals(costs="-Infinity"))),
        Hostile("message_id that is SQL", _json(_actuals(message_id="'; DROP TABLE events; --"))),
        Hostile(
            "registered system writing outside its units",
            _json(_actuals(unit_code="E02")),
            system="lonesystem",
            http=frozenset(),
        ),
        Hostile(
            "subject with an extra token",
            _json(_actuals()),
            subject_tail=".extra",
            http=frozenset(),
        ),
        Hostile("actor of 100,000 characters", _json(_actuals(actor="x" * 100_000))),
        Hostile("unit code in Cyrillic look-alikes", _json(_actuals(unit_code="Е00"))),
    ]


_SWEDISH = re.compile(
    r"[åäö]|\b(är|ska|inte|och|saknas|ogiltig|ogiltigt|okänd|okänt|får|för|ett|en|finns|"
    r"fältet|meddelandet|beloppet|perioden|kommando|systemet|tal)\b",
    re.IGNORECASE,
)


def looks_swedish(text: str) -> bool:
    return bool(_SWEDISH.search(text))


@dataclass
class HostileBench:
    """One stack the hostile inputs share, with the organisation loaded; replaced by a
    fresh one after an input that left it unable to go on, so each input is judged on
    its own."""

    stack: FaultStack | None = None
    nc: Client | None = None
    good_sent: int = 0

    async def ready(self) -> tuple[FaultStack, Client]:
        if self.stack is not None and self.nc is not None:
            return self.stack, self.nc
        stack = self.stack = FaultStack()
        await stack.start(list(ONE_OF_EACH))
        nc = self.nc = await connect(stack.nats_url)
        js = nc.jetstream()
        await wait_for(lambda: stream_exists(js, subjects.BUDGET_INBOUND_STREAM), bool, within=60)
        tree = organisation()
        await Sender(nc).send_all(tree)
        await wait_for(lambda: self._event_count(stack), lambda n: n >= len(tree), quiet=60)
        return stack, nc

    async def close(self, keep: bool = False) -> None:
        if self.nc is not None:
            await self.nc.close()
        if self.stack is not None:
            self.stack.stop(keep=keep)
        self.stack, self.nc = None, None

    async def _event_count(self, stack: FaultStack) -> int:
        rows = await query(stack.budget_database, "SELECT count(*) FROM events")
        return int(rows[0][0])

    async def _good_command_goes_through(self, stack: FaultStack, nc: Client) -> tuple[Check, bool]:
        self.good_sent += 1
        command = RecordActuals(
            actor="ekonomisystem",
            unit_code="E01",
            period="2011-05",
            revenue=Decimal(5_000_000 + self.good_sent),
            costs=Decimal(-1),
        )
        await Sender(nc).send(command)
        key = ("E01", "2011-05")
        stored, _ = await wait_for(
            lambda: stored_latest(stack), lambda f: f.get(key) == figures(command), quiet=30
        )
        shown, _ = await wait_for(
            lambda: projected(stack), lambda f: f.get(key) == figures(command), quiet=30
        )
        check = Check(
            "a good command after it is stored and projected",
            stored and shown,
            f"stored: {stored}, projected: {shown}",
        )
        return check, stored

    async def run(self, case: Hostile) -> list[Check]:
        stack, nc = await self.ready()
        before = await self._event_count(stack)
        marker = await last_rejection_sequence(nc)
        try:
            await Sender(nc).publish(case.subject, case.body, str(uuid.uuid4()), attempts=3)
        except Exception as error:
            return [Check("NATS took the message", False, repr(error))]
        moved, good_stored = await self._good_command_goes_through(stack, nc)
        checks = [moved]
        checks.extend(self._judge_rejections(case, await rejections(nc, after=marker), nc))
        if case.http:
            checks.append(await self._over_http(stack, case))
        of_it = await self._event_count(stack) - before - int(good_stored)
        checks.append(Check("nothing of it was stored", of_it == 0, f"{of_it} events of it stored"))
        if not checks[0].held:
            await self.close(keep=True)
        return checks

    def _judge_rejections(
        self, case: Hostile, found: Sequence[Rejected], nc: Client
    ) -> list[Check]:
        limit = nc.max_payload
        too_big = [r.sequence for r in found if len(r.data) > limit]
        rejected_on = subjects.budget_rejected(case.system)
        mine = []
        for found_one in found:
            try:
                rejection = json.loads(found_one.data)
            except ValueError:
                continue
            if (
                isinstance(rejection, dict)
                and rejection.get("subject") == case.subject
                and found_one.subject == rejected_on
            ):
                mine.append(rejection)
        problems = [p for r in mine for p in r.get("problems") or []]
        messages = [str(p.get("message", "")) for p in problems if isinstance(p, dict)]
        reasons = "; ".join(messages)[:160]
        return [
            Check(
                f"refused on {rejected_on}",
                len(mine) == 1,
                f"{len(mine)} of {len(found)} rejections there for {case.subject}",
            ),
            Check(
                "with a reason in Swedish",
                bool(messages) and all(looks_swedish(m) for m in messages),
                reasons or "no reason",
            ),
            Check(
                "the rejection fits NATS's payload limit",
                bool(mine) and not too_big,
                f"largest {max((len(r.data) for r in found), default=0)} of {limit} bytes",
            ),
        ]

    async def _over_http(self, stack: FaultStack, case: Hostile) -> Check:
        url = f"{stack.services['budget'].url}/api/{case.command}"
        try:
            async with httpx.AsyncClient(timeout=60) as client:
                response = await client.post(
                    url,
                    content=case.body,
                    headers={"content-type": "application/json", **bearer("controller")},
                )
        except httpx.HTTPError as error:
            return Check("HTTP refuses it", False, repr(error))
        wanted = "/".join(str(s) for s in sorted(case.http))
        return Check(
            f"HTTP answers {wanted}",
            response.status_code in case.http,
            f"{response.status_code} {response.text[:120]}",
        )
