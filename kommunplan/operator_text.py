"""The operators' view in a terminal: readable tables from reporting's /api/drift JSON."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from services.reporting.reports.shared.as_of import shown_instant


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """Columns as wide as their widest cell, numbers to the right."""
    if not rows:
        return ["(inga)"]
    cells = [[str(h) for h in headers], *[["–" if c is None else str(c) for c in r] for r in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    numeric = [
        all(isinstance(r[i], int | float) or r[i] is None for r in rows)
        for i in range(len(headers))
    ]

    def line(row: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, right in zip(row, widths, numeric, strict=True)
        ).rstrip()

    return [line(cells[0]), line(["-" * w for w in widths]), *(line(r) for r in cells[1:])]


def when(value: str | None) -> str | None:
    return None if value is None else shown_instant(datetime.fromisoformat(value))


def status_lines(drift: dict[str, Any]) -> list[str]:
    lines = [f"Drift per {when(drift['moment'])}", "", "Tjänster"]
    processes = [
        (
            p["process"],
            "ja" if p["ready"] else "nej",
            p["problem"] or "; ".join(f"{k}: {v}" for k, v in p["checks"].items() if v != "ok"),
        )
        for s in drift["services"]
        for p in s["processes"]
    ]
    lines += table(("process", "redo", "vad som inte är bra"), processes)
    locks = [
        (s["name"], lock["name"], lock["epoch"], lock["holder"] or "ingen")
        for s in drift["services"]
        for lock in s["locks"]
    ]
    lines += ["", "Lås", *table(("tjänst", "arbete", "epok", "hålls av"), locks)]
    outboxes = [
        (s["name"], s["outbox"]["waiting"], when(s["outbox"]["oldest"]))
        for s in drift["services"]
        if s["outbox"] is not None
    ]
    lines += ["", "Utkorgar", *table(("tjänst", "opublicerade", "äldsta"), outboxes)]
    systems = [
        (t["system"], t["service"], t["received"], t["accepted"], t["refused"])
        for t in drift["systems"]
    ]
    lines += ["", "Avsändare senaste timmen"]
    lines += table(("system", "tjänst", "mottagna", "godtagna", "avvisade"), systems)
    refusals = [
        (
            when(r["refused_at"]),
            r["system"],
            r["message_id"],
            "; ".join(p["message"] for p in r["reasons"]),
        )
        for r in drift["refusals"][:10]
    ]
    lines += ["", "Senaste avvisningar", *table(("när", "system", "meddelande", "orsak"), refusals)]
    consumers = [
        (
            s["name"],
            s["last_sequence"],
            c["name"],
            c["acknowledged"],
            c["pending"],
            None if c["lag_seconds"] is None else round(c["lag_seconds"], 1),
        )
        for s in drift["streams"]
        for c in s["consumers"]
    ]
    lines += ["", "Strömmar och konsumenter"]
    lines += table(
        ("ström", "senaste nr", "konsument", "kvitterat", "väntar", "eftersläp s"), consumers
    )
    lines += ["", *parked_lines(drift["parked"])]
    return lines


def parked_lines(parked: list[dict[str, Any]]) -> list[str]:
    rows = [
        (
            p["id"],
            p["kind"],
            "sedd" if p["seen_at"] else "ny",
            f"{p['stream_id']} v{p['version']} {p['event_type']}" if p["stream_id"] else "oläsbar",
            p["reason"],
        )
        for p in parked
    ]
    listing = table(("id", "slag", "", "händelse", "orsak"), rows) if rows else []
    return [*listing, f"{len(parked)} parkerade händelser."]


def _message_lines(message: dict[str, Any], indent: str) -> list[str]:
    sender = message["source_system"]
    lines = [f"{indent}{message['service']}: meddelande {message['message_id']} från {sender}"]
    steps = [(when(s["at"]), s["service"], s["what"], s["detail"]) for s in message["steps"]]
    lines += [indent + line for line in table(("när", "tjänst", "steg", "vad"), steps)]
    if message["views"]:
        lines.append(indent + "Syns i: " + ", ".join(v["href"] for v in message["views"]))
    for caused in message["caused"]:
        lines += ["", f"{indent}  Ledde till:", *_message_lines(caused, indent + "  ")]
    return lines


def journey_lines(journey: dict[str, Any]) -> list[str]:
    lines = [f"Resan för {journey['id']}"]
    if journey["trace_ids"]:
        lines.append("Spår: " + ", ".join(journey["trace_ids"]))
    lines += journey["trace_links"] + journey["problems"]
    for message in journey["messages"]:
        lines += ["", *_message_lines(message, "")]
    return lines
