"""``python -m tests.faults``: every fault scenario, every hostile input and the generated
inputs, each on real servers, then a table of what was done and whether it held."""

import argparse
import asyncio
import logging
import sys
import time
import warnings
from collections.abc import Sequence

from tests.faults.fuzz import actuals_bodies, api_fuzz, every_message_accounted_for, generated
from tests.faults.hostile import HostileBench, cases
from tests.faults.properties import Outcome, failed
from tests.faults.scenarios import SCENARIOS, run_scenario


def _say(row: Outcome) -> None:
    verdict = "held" if row.held else "FAILED"
    print(f"  {row.group:<9} {row.name:<46} {verdict}", file=sys.stderr, flush=True)


async def scenarios(messages: int, only: Sequence[str]) -> list[Outcome]:
    rows = []
    for scenario in SCENARIOS:
        if only and not any(o.lower() in scenario.name.lower() for o in only):
            continue
        rows.append(await run_scenario(scenario, messages))
        _say(rows[-1])
    return rows


async def hostile_inputs() -> list[Outcome]:
    bench = HostileBench()
    rows = []
    try:
        for case in cases():
            checks = await bench.run(case)
            done = f"{len(case.body):,} bytes on {case.subject}" + (
                " and HTTP" if case.http else ""
            )
            rows.append(Outcome("hostile", case.name, done, checks))
            _say(rows[-1])
    finally:
        await bench.close(keep=any(not r.held for r in rows))
    return rows


async def generated_inputs(bodies: int, examples: int) -> list[Outcome]:
    bench = HostileBench()
    rows = []
    try:
        stack, nc = await bench.ready()
        drawn = generated(actuals_bodies(), bodies)
        checks = await every_message_accounted_for(nc, stack.budget_database, drawn)
        rows.append(
            Outcome("generated", "hypothesis actuals over NATS", f"{len(drawn)} bodies", checks)
        )
        _say(rows[-1])
        for name in ("budget", "reporting"):
            check = await asyncio.to_thread(api_fuzz, stack.services[name].url, examples)
            done = f"{examples} examples per operation and mode"
            rows.append(Outcome("generated", f"schemathesis on {name}", done, [check]))
            _say(rows[-1])
    finally:
        await bench.close(keep=any(not r.held for r in rows))
    return rows


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def table(rows: Sequence[Outcome]) -> str:
    lines = [
        f"{'kind':<9}  {'case':<46}  {'what was done':<72}  {'checks':>6}  result",
        "-" * 150,
    ]
    for row in rows:
        held = sum(c.held for c in row.checks)
        result = "held" if row.held else "FAILED: " + ", ".join(c.name for c in failed(row.checks))
        lines.append(
            f"{row.group:<9}  {_clip(row.name, 46):<46}  {_clip(row.done, 72):<72}"
            f"  {held:>2}/{len(row.checks):<3}  {result}"
        )
    lines.append("-" * 150)
    for group in ("fault", "hostile", "generated"):
        mine = [r for r in rows if r.group == group]
        if mine:
            lines.append(f"{group}: {len(mine)} tried, {sum(r.held for r in mine)} held")
    lines.append(f"total: {len(rows)} tried, {sum(r.held for r in rows)} held")
    checks = [c for r in rows for c in r.checks]
    lines.append(f"checks: {len(checks)} made, {sum(c.held for c in checks)} held")
    return "\n".join(lines)


def details(rows: Sequence[Outcome], every_check: bool = False) -> str:
    lines = []
    for row in rows:
        for check in row.checks if every_check else failed(row.checks):
            mark = "" if check.held else "FAILED "
            lines.append(f"- {row.name}: {mark}{check.name}: {check.detail}")
        if not row.held and row.logs:
            lines.append(f"  logs kept in {row.logs}")
    return "\n".join(lines)


async def main(args: argparse.Namespace) -> int:
    started = time.monotonic()
    rows: list[Outcome] = []
    if "faults" in args.parts:
        rows += await scenarios(args.messages, args.only)
    if "hostile" in args.parts:
        rows += await hostile_inputs()
    if "generated" in args.parts:
        rows += await generated_inputs(args.bodies, args.examples)
    print()
    print(table(rows))
    if args.details:
        print("\nEvery check:")
        print(details(rows, every_check=True))
    elif any(not r.held for r in rows):
        print("\nWhat failed:")
        print(details(rows))
    print(f"\n{time.monotonic() - started:.0f} s")
    return 0 if all(r.held for r in rows) else 1


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.faults", description=__doc__)
    parser.add_argument("--messages", type=int, default=3000, help="actuals per fault scenario")
    parser.add_argument("--bodies", type=int, default=150, help="hypothesis bodies over NATS")
    parser.add_argument("--examples", type=int, default=25, help="schemathesis examples")
    parser.add_argument(
        "--parts",
        nargs="+",
        default=["faults", "hostile", "generated"],
        choices=["faults", "hostile", "generated"],
    )
    parser.add_argument("--details", action="store_true", help="print every check's figures")
    parser.add_argument("--only", nargs="*", default=[], help="scenarios whose name contains")
    return parser.parse_args(argv)


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    logging.basicConfig(level=logging.ERROR)
    sys.exit(asyncio.run(main(parse())))
