"""Command line entry point."""

import argparse
import asyncio
import logging
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from kommunplan.processes import SERVICES
from plumbing.identity import Role
from plumbing.settings import StackSettings
from services.reporting.settings import ReportingSettings

T = TypeVar("T")


def run_loop(main: Coroutine[Any, Any, T]) -> T:
    """Run a service's event loop; uvloop where it exists, for its cheaper I/O per message."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kommunplan", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("up", help="start everything (embedded NATS and PostgreSQL) with the demo")
    serve = commands.add_parser("serve", help="run one service (settings from KOMMUNPLAN_*)")
    serve.add_argument("service", choices=list(SERVICES))
    commands.add_parser(
        "rebuild",
        help="replay the budget and goals streams into fresh reporting read models, then switch",
    )
    parked = commands.add_parser(
        "parked", help="list the events reporting could not apply (settings from KOMMUNPLAN_*)"
    )
    parked.add_argument("--replay", action="store_true", help="apply them again, after a fix")
    parked.add_argument("--seen", action="store_true", help="mark them as seen by an operator")
    _add_token_command(commands)
    return parser


def _add_token_command(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    token = commands.add_parser(
        "token", help="print a token signed by the local stack's key, for trying the API"
    )
    token.add_argument(
        "--role", action="append", required=True, choices=[r.value for r in Role], dest="roles"
    )
    token.add_argument(
        "--units",
        action="append",
        default=[],
        help='unit codes, each with everything under it; comma-separated or repeated; "*" for all',
    )
    token.add_argument("--subject", default="lokal-anvandare", help="the stored actor")
    token.add_argument("--name", default=None, help="the actor's display name")
    token.add_argument("--hours", type=float, default=8.0, help="how long the token is valid")


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if args.command == "up":
        from kommunplan.stack import up

        logging.getLogger().setLevel(logging.WARNING)
        up(StackSettings())
    elif args.command == "serve":
        run_loop(SERVICES[args.service]().start())
    elif args.command == "rebuild":
        from services.reporting.bootstrap import rebuild

        for label, generation in asyncio.run(rebuild(ReportingSettings())):
            models = f"Rapportmodellerna för {label}"
            if generation is None:
                print(f"{models}: ingen händelseström ännu, inget att bygga om.")
            else:
                print(f"{models} är ombyggda; generation {generation} används nu.")
    elif args.command == "parked":
        from services.reporting.bootstrap import parked

        logging.getLogger().setLevel(logging.WARNING)
        for line in asyncio.run(parked(ReportingSettings(), replay=args.replay, seen=args.seen)):
            print(line)
    elif args.command == "token":
        print(_token(args))


def _token(args: argparse.Namespace) -> str:
    from kommunplan.local_identity import issue_token

    units = [code.strip() for given in args.units for code in given.split(",") if code.strip()]
    return issue_token(
        Path(StackSettings().data_dir).resolve(),
        args.roles,
        units,
        args.subject,
        args.name,
        args.hours,
    )
