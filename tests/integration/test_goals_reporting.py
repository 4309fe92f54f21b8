"""Goals in reporting, on real NATS and PostgreSQL: the seed's goals
(kommunplan/demo_data/goals.jsonl) published as the goals service publishes its events, the
organisation tree through the budget service; the plan's goals section and the goals view
(/mal) read figure by figure."""

import asyncio
import dataclasses
import json
import re
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest
from fastapi import FastAPI
from nats.aio.client import Client
from nats.js import JetStreamContext

from contracts.envelope import Command, Envelope, Event, EventMessage
from contracts.goals.commands import (
    AddIndicator,
    AdoptGoal,
    AssessActivity,
    AttachNote,
    DefinePerspective,
    MakeCommitment,
    RecordMeasurement,
    RetireGoal,
    RewordGoal,
)
from contracts.goals.events import (
    ActivityAssessed,
    CommitmentMade,
    GoalAdopted,
    GoalRetired,
    GoalReworded,
    IndicatorAdded,
    MeasurementRecorded,
    NoteAttached,
    PerspectiveDefined,
)
from contracts.goals.fields import ActivityStatus
from contracts.goals.service import GOALS
from kommunplan.demo_data.budget import unit_commands
from kommunplan.demo_data.goals import goals_demo_commands, goals_demo_measurements
from plumbing.nats_connection import ensure_streams
from plumbing.read_models import active_generation, schema_name
from plumbing.write_service import streams
from services.reporting.bootstrap import ReportingProcess, add_operations_routes
from services.reporting.read_models import sources
from services.reporting.read_models.goals.projection import GoalsProjection
from tests.conftest import eventually
from tests.system import Seed, Sent, applied, get_as, in_order, ledger_sends

COMMAND_EVENTS: dict[type[Command], type[Event]] = {
    DefinePerspective: PerspectiveDefined,
    AdoptGoal: GoalAdopted,
    RewordGoal: GoalReworded,
    RetireGoal: GoalRetired,
    MakeCommitment: CommitmentMade,
    AddIndicator: IndicatorAdded,
    AttachNote: NoteAttached,
    RecordMeasurement: MeasurementRecorded,
    AssessActivity: ActivityAssessed,
}

GOALS_TABLES = (
    "perspectives",
    "goals",
    "commitments",
    "indicators",
    "notes",
    "measurements",
    "measurement_history",
    "activity_assessments",
)


class GoalsPublisher:
    """Publishes goals events as the goals service's relay does: each command's event read
    through its contract, in an envelope, per stream in version order."""

    def __init__(self, js: JetStreamContext) -> None:
        self.js = js
        self.versions: dict[str, int] = {}
        self.published: list[EventMessage] = []

    def event(self, command: Command, stream_id: str) -> EventMessage:
        model = COMMAND_EVENTS[type(command)]
        fields = command.model_dump(include=set(model.model_fields))
        event = model.model_validate(fields)
        version = self.versions.get(stream_id, 0) + 1
        self.versions[stream_id] = version
        now = datetime.now(UTC)
        envelope = Envelope(
            event_id=uuid.uuid4(),
            event_type=model.event_type,
            schema_version=model.schema_version,
            stream_id=stream_id,
            version=version,
            occurred_at=command.occurred_at,
            recorded_at=now,
            source_system="planeringssystem",
            actor=command.actor,
            correlation_id=command.message_id,
            causation_id=command.message_id,
        )
        return EventMessage(envelope=envelope, payload=event.model_dump(mode="json"))

    async def send(self, messages: Sequence[EventMessage]) -> None:
        for message in messages:
            await self.js.publish(
                GOALS.event_subject(message.envelope.event_type),
                message.model_dump_json().encode(),
                headers={"Nats-Msg-Id": str(message.envelope.event_id)},
            )
            self.published.append(message)

    async def publish(self, commands: Sequence[Command]) -> int:
        """Catalogue commands on one stream per goal (perspectives on the board's), values
        on one stream per measure."""
        messages = [self.event(command, _stream_of(command)) for command in commands]
        await self.send(messages)
        return len(messages)

    def sends(self, commands: Sequence[Command]) -> Seed:
        """A seed of the reporting stack: ``commands``' events, for the goals projection."""

        async def seed(nats_url: str) -> Sent:
            return {GoalsProjection.name: await self.publish(commands)}

        return seed


def _stream_of(command: Command) -> str:
    if isinstance(command, DefinePerspective):
        return f"perspectives-{command.board_code}"
    if isinstance(command, RecordMeasurement):
        return f"measure-{command.measure_id}"
    if isinstance(command, AssessActivity):
        return f"assessments-{command.commitment_id}"
    return "catalogue-KS"


async def goals_applied(process: ReportingProcess, projection: str = GoalsProjection.name) -> int:
    """How many events a projection (the goals projection unless named) has applied."""
    return await applied(process, projection)


async def goals_snapshot(process: ReportingProcess) -> dict[str, list[tuple[Any, ...]]]:
    async with process.pool.acquire() as conn:
        generation = await active_generation(conn, GoalsProjection.name)
        assert generation is not None
        schema = schema_name(GoalsProjection.name, generation)
        return {
            table: [
                tuple(r)
                for r in await conn.fetch(f"SELECT * FROM {schema}.{table} ORDER BY 1, 2, 3")
            ]
            for table in GOALS_TABLES
        }


@pytest.fixture
async def goals_publisher(nats_client: tuple[Client, JetStreamContext]) -> GoalsPublisher:
    """The goals service's relay, as far as reporting sees it, its stream declared."""
    _, js = nats_client
    await ensure_streams(js, streams(GOALS))
    return GoalsPublisher(js)


@pytest.fixture
def reporting_seed(goals_publisher: GoalsPublisher) -> Seed:
    return in_order(
        ledger_sends(unit_commands()),
        goals_publisher.sends(goals_demo_commands() + goals_demo_measurements()),
    )


@pytest.fixture
def stack(
    reporting: ReportingProcess, goals_publisher: GoalsPublisher
) -> tuple[ReportingProcess, GoalsPublisher]:
    return reporting, goals_publisher


async def get_json(process: ReportingProcess, path: str) -> dict[str, Any]:
    response = await get_as(process.app, path, "reader")
    assert response.status_code == 200, response.text
    return dict(response.json())


def commitment(view: dict[str, Any], commitment_id: str) -> dict[str, Any]:
    return next(c for c in view["commitments"] if c["commitment_id"] == commitment_id)


def attained(entry: dict[str, Any]) -> tuple[str | None, ...]:
    a = entry["attainment"]
    return tuple(None if a[k] is None else a[k]["label"] for k in ("total", "women", "men"))


def demo_notes_in_order() -> list[str]:
    return [c.text for c in goals_demo_commands() if isinstance(c, AttachNote)]


async def test_the_plan_lays_out_the_seeds_goals_section(
    stack: tuple[ReportingProcess, GoalsPublisher],
) -> None:
    process, _ = stack
    plan = await get_json(process, "/api/plan/KS/2011")
    goals = plan["goals"]
    assert goals["title"] == "Nämndens resultatmål och åtaganden"
    assert goals["introduction"].startswith(
        "Nämnden anger nedan vilka resultatmål som nämnden kommer att arbeta emot."
    )
    assert goals["follow_up_columns"] == ["Månad", "Delår", "Årligen", "Långsiktig"]
    # Per administration in the order the seed prints them (the order of adoption),
    # although the tree lists Näringsliv och tillväxt first.
    tree_order = [n["code"] for n in plan["nodes"] if n["code"] in ("KLF", "NÄT")]
    assert [u["code"] for u in goals["units"]] == ["KLF", "NÄT"] != tree_order
    names = {u["code"]: u["name"] for u in goals["units"]}
    assert names == {
        "KLF": "Kommunledningsförvaltningen",
        "NÄT": "Förvaltningen Näringsliv och tillväxt",
    }
    klf, nat = sorted(goals["units"], key=lambda u: u["code"] != "KLF")
    assert [(p["name"], p["depth"]) for p in klf["perspectives"]] == [
        ("Samhällsutveckling", 0),
        ("Fritid och kultur", 0),
        ("Tvärfrågor", 0),
        ("Folkhälsa", 1),
        ("Jämställdhet", 1),
        ("Tillgänglighet", 1),
        ("Kommunövergripande interna funktioner", 0),
    ]
    assert [p["name"] for p in nat["perspectives"]] == ["Samhällsutveckling", "Fritid och kultur"]
    first = klf["perspectives"][0]["goals"]
    assert [g["title"] for g in first] == ["Bra verksamhetslokaler", "Hållbar utveckling"]
    e_services = first[1]["commitments"][0]
    assert e_services["text"] == "Antalet e-tjänster ska vara 30 vid utgången av 2011"
    assert e_services["footnotes"] == [1]
    assert [i["name"] for i in e_services["indicators"]] == ["Användning av kommunens e-tjänster"]

    # Footnotes numbered from 1 in the order they appear, each text once per attachment.
    footnotes = goals["footnotes"]
    assert [f["number"] for f in footnotes] == list(range(1, len(footnotes) + 1))
    assert [f["text"] for f in footnotes] == demo_notes_in_order()
    assert footnotes[0]["text"].startswith("Från och med den 1 november 2010")

    economy = next(
        g
        for p in klf["perspectives"]
        for g in p["goals"]
        if g["title"] == "Kommunen ska ha en ekonomi i balans"
    )
    labels = [c["label"] for c in economy["commitments"]]
    assert labels[:4] == ["Finansiellt mål"] * 4
    assert "Finansiellt mål" not in labels[4:]
    activities = [
        c["text"]
        for p in klf["perspectives"]
        for g in p["goals"]
        for c in g["commitments"]
        if c["label"] == "Aktivitet"
    ]
    assert "All befolkningsstatistik ska delas upp på kön" in activities

    html = (await get_as(process.app, "/plan/KS/2011", "reader")).text
    assert "Nämndens resultatmål och åtaganden" in html
    assert "Kommunledningsförvaltningen</h3>" in html
    assert "Förvaltningen Näringsliv och tillväxt</h3>" in html
    assert '<th scope="col">Långsiktig</th>' in html
    assert 'id="fotnot-1"' in html and "Finansiellt mål" in html and "Indikator:" in html


async def test_a_unit_without_goals_says_so_and_other_years_have_none(
    stack: tuple[ReportingProcess, GoalsPublisher],
) -> None:
    process, _ = stack
    it = (await get_json(process, "/api/plan/IT/2011"))["goals"]
    assert it["units"] == []
    assert it["empty"] == "Inga resultatmål är registrerade för IT-kontor år 2011."
    assert (
        "Inga resultatmål är registrerade för IT-kontor"
        in (await get_as(process.app, "/plan/IT/2011", "reader")).text
    )
    # The seed's goals hold for 2011-2013 only.
    assert (await get_json(process, "/api/plan/KS/2014"))["goals"]["units"] == []
    assert (await get_json(process, "/api/plan/KS/2013"))["goals"]["units"] != []


async def test_the_goals_view_shows_targets_baselines_measurements_and_attainment(
    stack: tuple[ReportingProcess, GoalsPublisher],
) -> None:
    process, _ = stack
    view = await get_json(process, "/api/mal/KS/2011")
    ids = [c["commitment_id"] for c in view["commitments"]]
    assert len(ids) == sum(isinstance(c, MakeCommitment) for c in goals_demo_commands())

    nki = commitment(view, "nat-nojd-kund-index")
    assert nki["unit_name"] == "Förvaltningen Näringsliv och tillväxt"
    assert nki["goal"] == "Fler jobb" and nki["perspective"] == "Samhällsutveckling"
    assert nki["target"]["text"] == "minst 70 år 2011" and nki["target"]["due_year"] == 2011
    assert (nki["baseline"]["total"]["text"], nki["baseline"]["period"]) == ("63", "2009")
    assert (nki["latest"]["total"]["text"], nki["latest"]["period"]) == ("63", "2009")
    # The only value is the baseline's own, of 2009: nothing of 2011 is measured.
    assert attained(nki) == ("ej mätt", None, None)
    assert nki["attainment"]["rule"].startswith(
        "Vid utgången av målåret 2011 uppfyllt när värdet är 70 eller högre; delvis uppfyllt"
        " när det har stigit från utgångsvärdet 63 men inte nått målet. Dessförinnan bedöms"
        " inget som ej uppfyllt"
    )

    ranking = commitment(view, "nat-svenskt-naringslivs-ranking")
    assert ranking["target"]["text"] == "bäst plats 145 år 2013"
    assert ranking["target"]["kind"] == "rank"
    assert ranking["baseline"]["total"]["text"] == "plats 225"
    assert ranking["latest"]["total"] == {"value": "225", "text": "plats 225"}
    # Due 2013, with 2010's place only: never "ej uppfyllt" in 2011.
    assert attained(ranking) == ("ej mätt", None, None)
    assert "plats 145 eller bättre" in ranking["attainment"]["rule"]

    broadband = commitment(view, "klf-yttackning-bredband")
    assert broadband["baseline"]["total"]["text"] == "2 %"
    assert broadband["latest"]["total"]["text"] == "2 %"
    assert broadband["latest"]["period"] == "2010-06"
    assert broadband["target"]["text"] == "minst 25 % år 2011"
    assert attained(broadband) == ("ej mätt", None, None)  # June 2010's is the baseline

    contracts = commitment(view, "klf-avtal-som-kan-e-bestallas")
    assert contracts["target"]["kind"] == "change" and contracts["target"]["level"] is None
    assert contracts["target"]["text"] == (
        "ökning med minst 25 procent från utgångsvärdet (2010) år 2011"
    )
    assert contracts["baseline"]["period"] == "2010" and contracts["baseline"]["total"] is None

    divide = commitment(view, "klf-digitala-klyftan")
    assert divide["by_gender"] is True
    latest = divide["latest"]
    assert [latest[k]["text"] for k in ("total", "women", "men")] == ["89", "88", "91"]
    assert divide["target"] is None
    assert attained(divide) == ("ej mätt", None, None)  # no target to hold it against

    offices = commitment(view, "klf-alla-kontor-forvaltningarnas-syn")
    assert [(m["period"], m["total"]["text"]) for m in offices["history"]] == [
        ("2009", "2,6"),
        ("2010", "2,05"),
    ]
    assert offices["latest"]["total"] == {"value": "2.05", "text": "2,05"}
    # At least 3 every year: 2010's value is not 2011's.
    assert attained(offices) == ("ej mätt", None, None)

    worry = next(c for c in view["commitments"] if "oroar sig" in c["text"])
    assert worry["by_gender"] is True
    assert attained(worry) == ("ej mätt", "ej mätt", "ej mätt")
    assert worry["target"]["text"] == "mindre än 61 %"

    html = (await get_as(process.app, "/mal/KS/2011", "reader")).text
    assert "Resultatmål och måluppfyllelse 2011 för Kommunstyrelsen" in html or "2011" in html
    assert "2,05" in html and "plats 225" in html and "2 %" in html
    assert "delvis uppfyllt när det har stigit från utgångsvärdet 63" in html

    def chart_in(commitment_id: str) -> str | None:
        article = re.search(rf'<article id="atagande-{commitment_id}".*?</article>', html, re.S)
        assert article is not None
        chart = re.search(r"<svg.*?</svg>", article.group(0), re.S)
        return None if chart is None else chart.group(0)

    drawn = chart_in("klf-alla-kontor-forvaltningarnas-syn")
    assert drawn is not None and 'role="img"' in drawn
    assert "Totalt: 2009 2,6, 2010 2,05." in drawn and "Målnivå (minst): 3." in drawn
    by_gender = chart_in("klf-digitala-klyftan")
    assert by_gender is not None
    assert "Kvinnor: 2009 88." in by_gender and "Män: 2009 91." in by_gender
    ranking_chart = chart_in("nat-svenskt-naringslivs-ranking")
    assert ranking_chart is not None and "Utgångsvärde 2010: plats 225." in ranking_chart
    assert "Målnivå (bäst): plats 145." in ranking_chart
    assert chart_in("klf-oro-for-brott") is None  # nothing measured yet


async def test_later_measurements_move_attainment_and_replace_a_period_keeping_its_history(
    stack: tuple[ReportingProcess, GoalsPublisher],
) -> None:
    process, publisher = stack
    before = await goals_applied(process)

    def measured(measure: str, period: str, total: str, **gender: str) -> RecordMeasurement:
        return RecordMeasurement.model_validate(
            {
                "actor": "statistik",
                "measure_id": measure,
                "period": period,
                "total": total,
                "source": "Kolada",
                **gender,
            }
        )

    sent = await publisher.publish(
        [
            measured("nat-nojd-kund-index", "2011", "65"),
            measured("nat-nojd-kund-index", "2011", "66"),  # a correction replaces it
            measured("nat-svenskt-naringslivs-ranking", "2012", "180"),
            measured("klf-yttackning-bredband", "2011", "30"),
            measured("klf-digitala-klyftan", "2011", "90", women="89", men="92"),
        ]
    )
    await eventually(lambda: goals_applied(process), until=lambda n: n == before + sent)

    view = await get_json(process, "/api/mal/KS/2011")
    nki = commitment(view, "nat-nojd-kund-index")
    assert nki["latest"]["total"]["text"] == "66"
    assert attained(nki) == ("delvis uppfyllt", None, None)
    assert [m["period"] for m in nki["history"]] == ["2009", "2011"]
    assert [r["total"]["text"] for r in nki["history"][1]["replaced"]] == ["65"]
    assert attained(commitment(view, "klf-yttackning-bredband")) == ("uppfyllt", None, None)
    # 2012's ranking is after 2011: not the latest for 2011, yet in the history.
    ranking = commitment(view, "nat-svenskt-naringslivs-ranking")
    assert ranking["latest"]["period"] == "2010"
    assert [m["period"] for m in ranking["history"]] == ["2010", "2012"]
    later = commitment(
        await get_json(process, "/api/mal/KS/2012"), "nat-svenskt-naringslivs-ranking"
    )
    # 180 in 2012 is behind the path from 225 in 2010 to 145 in 2013 (171,7 in 2012).
    assert attained(later) == ("inte i fas", None, None)

    met = await get_json(process, "/api/mal/KS/2011?maluppfyllelse=uppfyllt")
    assert [c["commitment_id"] for c in met["commitments"]] == ["klf-yttackning-bredband"]
    partly = await get_json(process, "/api/mal/KS/2011?maluppfyllelse=delvis")
    assert [c["commitment_id"] for c in partly["commitments"]] == ["nat-nojd-kund-index"]


async def test_an_activity_by_its_assessment(
    stack: tuple[ReportingProcess, GoalsPublisher],
) -> None:
    process, publisher = stack
    activity = next(
        c
        for c in goals_demo_commands()
        if isinstance(c, MakeCommitment)
        and c.text == "All befolkningsstatistik ska delas upp på kön"
    )
    before = await goals_applied(process)
    sent = await publisher.publish(
        [
            AssessActivity(
                actor="controller",
                commitment_id=activity.commitment_id,
                period="2011-interim",
                status=ActivityStatus.UNDER_WAY,
                comment="Hälften av tabellerna är uppdelade",
            )
        ]
    )
    await eventually(lambda: goals_applied(process), until=lambda n: n == before + sent)
    entry = commitment(await get_json(process, "/api/mal/KLF/2011"), activity.commitment_id)
    assert entry["assessment"]["text"] == "pågår"
    assert attained(entry) == ("delvis uppfyllt", None, None)
    assert entry["attainment"]["rule"].startswith("Uppfyllt när aktiviteten är genomförd")


async def test_filters_and_refusals(stack: tuple[ReportingProcess, GoalsPublisher]) -> None:
    process, _ = stack
    everything = await get_json(process, "/api/mal/KS/2011")
    cross = await get_json(process, "/api/mal/KS/2011?perspektiv=ks-tvarfragor")
    assert cross["commitments"]
    assert {c["perspective"].split(" – ")[0] for c in cross["commitments"]} == {"Tvärfrågor"}
    health = await get_json(process, "/api/mal/KS/2011?perspektiv=ks-folkhalsa")
    assert {c["perspective"] for c in health["commitments"]} == {"Tvärfrågor – Folkhälsa"}
    assert len(health["commitments"]) < len(cross["commitments"]) < len(everything["commitments"])
    unmeasured = await get_json(process, "/api/mal/KS/2011?maluppfyllelse=ej_matt")
    not_met = await get_json(process, "/api/mal/KS/2011?maluppfyllelse=ej_uppfyllt")
    assert len(unmeasured["commitments"]) + len(not_met["commitments"]) == len(
        everything["commitments"]
    )
    nat = await get_json(process, "/api/mal/NÄT/2011")
    assert {c["unit_code"] for c in nat["commitments"]} == {"NÄT"}

    wrong = await get_as(process.app, "/api/mal/KS/2011?maluppfyllelse=kanske", "reader")
    assert wrong.status_code == 422
    assert "maluppfyllelse=kanske finns inte" in wrong.json()["detail"]
    assert (
        "uppfyllt, delvis, ej_uppfyllt, i_fas, inte_i_fas, ej_bedomt, ej_matt"
        in (wrong.json()["detail"])
    )
    wrong = await get_as(process.app, "/mal/KS/2011?perspektiv=okänt", "reader")
    assert wrong.status_code == 422 and "perspektiv=okänt finns inte" in wrong.text
    missing = await get_as(process.app, "/api/mal/XYZ/2011", "reader")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "Enheten XYZ finns inte"
    assert (await get_as(process.app, "/mal/XYZ/2011", "reader")).status_code == 404


async def test_redelivery_and_a_rebuild_change_nothing(
    stack: tuple[ReportingProcess, GoalsPublisher],
) -> None:
    process, publisher = stack
    before = await goals_snapshot(process)
    view = await get_json(process, "/api/mal/KS/2011")
    plan = (await get_json(process, "/api/plan/KS/2011"))["goals"]

    # The same events again, as a relay retrying after a lost ack would send them (past
    # the deduplication window: new message ids).
    for message in publisher.published[:40]:
        await publisher.js.publish(
            GOALS.event_subject(message.envelope.event_type),
            message.model_dump_json().encode(),
        )
    info = await publisher.js.stream_info(GOALS.events_stream)
    await eventually(lambda: _goals_checkpoint(process), until=lambda n: n == info.state.last_seq)
    assert await goals_snapshot(process) == before
    assert await get_json(process, "/api/mal/KS/2011") == view

    generation = await process.runner(sources.GOALS).rebuild(asyncio.Event())
    assert generation == 2
    assert await goals_snapshot(process) == before
    assert await get_json(process, "/api/mal/KS/2011") == view
    assert (await get_json(process, "/api/plan/KS/2011"))["goals"] == plan
    # On an app of its own: the stack's has served requests, and takes no more middleware.
    operated = dataclasses.replace(process, app=FastAPI())
    add_operations_routes(operated)
    ready = await get_as(operated.app, "/ready")
    assert ready.json()["workers"].keys() == {
        "projektion",
        "projektion mål",
        "projektion projekt",
    }
    assert ready.json()["checks"]["parkerade"] == "ok"


async def _goals_checkpoint(process: ReportingProcess) -> int:
    async with process.pool.acquire() as conn:
        generation = await active_generation(conn, GoalsProjection.name)
        schema = schema_name(GoalsProjection.name, generation or 0)
        try:
            return int(await conn.fetchval(f"SELECT sequence FROM {schema}.tracking") or 0)
        except asyncpg.UndefinedTableError:
            return 0


def test_published_events_validate_as_their_contract_models() -> None:
    publisher = GoalsPublisher(None)  # type: ignore[arg-type]
    for command in goals_demo_commands()[:5]:
        message = publisher.event(command, "s")
        model = GOALS.events[message.envelope.event_type]
        assert model.model_validate(message.payload).model_dump(mode="json") == message.payload
        assert json.loads(message.model_dump_json())["envelope"]["version"] >= 1
