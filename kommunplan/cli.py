"""Command line entry point."""

import argparse
import asyncio
import logging
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from kommunplan.processes import SERVICES
from plumbing.identity import Role
from plumbing.settings import StackSettings

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
    _add_operator_commands(commands)
    _add_token_command(commands)
    return parser


def _add_operator_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Against the running `up` (found in its data folder), through reporting's /api/drift."""
    commands.add_parser("status", help="the operators' view: readiness, locks, lag, refusals")
    commands.add_parser(
        "rebuild", help="rebuild reporting's read models from the streams, then switch"
    )
    parked = commands.add_parser("parked", help="list the events reporting could not apply")
    action = parked.add_mutually_exclusive_group()
    action.add_argument(
        "--replay",
        metavar="ID",
        nargs="?",
        const="alla",
        help="apply one again (e.g. reporting:12), or without an id every one, after a fix",
    )
    action.add_argument("--skip", metavar="ID", help="take one off the list unapplied")
    parked.add_argument("--seen", action="store_true", help="mark them as seen by an operator")
    journey = commands.add_parser("journey", help="a message's journey, by message or trace id")
    journey.add_argument("id")


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
    elif args.command in OPERATOR_COMMANDS:
        _operator(args)
    elif args.command == "token":
        print(_token(args))


OPERATOR_COMMANDS = ("status", "parked", "rebuild", "journey")


def _operator(args: argparse.Namespace) -> None:
    from kommunplan import operator_cli

    settings = StackSettings()
    try:
        if args.command == "status":
            lines = operator_cli.status(settings)
        elif args.command == "parked":
            lines = operator_cli.parked(settings, args.replay, args.skip, args.seen)
        elif args.command == "rebuild":
            lines = operator_cli.rebuild(settings)
        else:
            lines = operator_cli.journey(settings, args.id)
    except operator_cli.Refused as refused:
        print(refused, file=sys.stderr)
        raise SystemExit(1) from None
    print("\n".join(lines))


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
