"""The production shape (docker-compose.yml, deploy/) agrees with the code it runs.

No Docker engine is needed: the files are read as data and checked against the settings,
the command line and the packaging they rely on.
"""

import json
import re
import shlex
import textwrap
import tomllib
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from kommunplan.cli import SERVICES, build_parser
from kommunplan.stack import DATABASES
from plumbing.embedded_nats import ClusterNode
from plumbing.nats_config import deploy_users, password_variable
from plumbing.nats_users import OPERATOR_USER, SERVICE_USERS
from plumbing.settings import ServiceSettings
from plumbing.systems import read_register
from tests.e2e import test_nats_cluster as cluster_test

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"

# What a service cannot do without in a container: the defaults point at 127.0.0.1.
REQUIRED_IN_CONTAINERS = {
    "KOMMUNPLAN_NATS_URL",
    "KOMMUNPLAN_DATABASE_URL",
    "KOMMUNPLAN_HTTP_HOST",
}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
INIT_DIR = "/docker-entrypoint-initdb.d"
SECRETS_SCRIPT = ROOT / "deploy" / "with-secrets.sh"
NATS_CONFIG = "/etc/nats/nats.conf"
# The one port meant for people: the reporting views.
PUBLISHED = {"reporting": 8000}


@cache
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), "docker-compose.yml is not a mapping"
    return loaded


def services() -> dict[str, dict[str, Any]]:
    found = compose().get("services")
    assert isinstance(found, dict) and found, "docker-compose.yml defines no services"
    return found


def application_services() -> dict[str, dict[str, Any]]:
    """The services built from this repository (the others run upstream images)."""
    built = {name: spec for name, spec in services().items() if "build" in spec}
    assert built, "no service is built from this repository"
    return built


def services_of_image(repository: str) -> dict[str, dict[str, Any]]:
    return {
        name: spec
        for name, spec in services().items()
        if str(spec.get("image", "")).split(":")[0].split("/")[-1] == repository
    }


def environment(spec: dict[str, Any]) -> dict[str, str]:
    env = spec.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def interpolated(value: str) -> str:
    """``value`` with each ``${VAR...}`` replaced by a stand-in, as compose would fill it."""
    return re.sub(r"\$\{[^}]*\}", "x", value)


def command(spec: dict[str, Any]) -> list[str]:
    value = spec.get("command", [])
    return shlex.split(value) if isinstance(value, str) else [str(part) for part in value]


def mounts(spec: dict[str, Any]) -> dict[str, str]:
    """Container path → source (a named volume or a path relative to the repository)."""
    found = {}
    for volume in spec.get("volumes", []):
        if isinstance(volume, dict):
            found[volume["target"]] = volume["source"]
        else:
            source, target, *_ = volume.split(":")
            found[target] = source
    return found


def published_container_ports(spec: dict[str, Any]) -> set[int]:
    ports = set()
    for port in spec.get("ports", []):
        if isinstance(port, dict):
            ports.add(int(port["target"]))
        else:
            ports.add(int(str(port).split(":")[-1].split("/")[0]))
    return ports


def nats_flags(spec: dict[str, Any]) -> dict[str, str]:
    """nats-server's flags, by long name, whether written ``--flag=v``, ``--flag v`` or ``-js``."""
    aliases = {"js": "jetstream", "sd": "store_dir", "n": "server_name", "name": "server_name"}
    aliases |= {"r": "routes", "cluster_listen": "cluster"}
    parts = command(spec)
    flags: dict[str, str] = {}
    for index, part in enumerate(parts):
        if not part.startswith("-"):
            continue
        name, _, value = part.lstrip("-").partition("=")
        following = parts[index + 1] if index + 1 < len(parts) else "-"
        if not value and not following.startswith("-"):
            value = following
        flags[aliases.get(name, name)] = value or "true"
    return flags


def dockerfile_instructions(path: Path) -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, arguments = line.partition(" ")
            found.append((instruction.upper(), arguments.strip()))
    return found


def dockerfile_of(spec: dict[str, Any]) -> Path:
    build = spec["build"]
    if isinstance(build, str):
        return ROOT / build / "Dockerfile"
    return ROOT / str(build.get("context", ".")) / str(build.get("dockerfile", "Dockerfile"))


def exec_form(arguments: str) -> list[str]:
    try:
        parsed = json.loads(arguments)
    except json.JSONDecodeError:
        pytest.fail(f"{arguments!r} is in shell form; signals would go to /bin/sh, not the app")
    assert isinstance(parsed, list)
    return [str(part) for part in parsed]


def created_databases(spec: dict[str, Any]) -> set[str]:
    source = mounts(spec).get(INIT_DIR)
    assert source is not None, f"nothing is mounted at {INIT_DIR}"
    scripts = [p for p in (ROOT / source).iterdir() if p.suffix in {".sh", ".sql"}]
    assert scripts, f"{source} holds no init script"
    pattern = re.compile(r"CREATE\s+DATABASE\s+\"?(\w+)\"?", re.IGNORECASE)
    return {name for script in scripts for name in pattern.findall(script.read_text("utf-8"))}


def test_the_compose_file_parses_and_declares_every_named_volume_it_mounts() -> None:
    declared = set(compose().get("volumes") or {})
    for name, spec in services().items():
        for source in mounts(spec).values():
            if not source.startswith((".", "/")):
                assert source in declared, f"{name} mounts undeclared volume {source}"
            elif Path(source).parent == Path("deploy/tls"):
                # Certificates are made by the operator, as deploy/tls/README.md says.
                assert (ROOT / "deploy/tls/README.md").exists(), f"{name}: how to make {source}?"
            else:
                assert (ROOT / source).exists(), f"{name} mounts missing path {source}"


def test_every_process_the_launcher_starts_runs_in_the_compose_file_too() -> None:
    run = [
        build_parser().parse_args(command(spec)).service for spec in application_services().values()
    ]
    assert sorted(run) == sorted(SERVICES)
    assert {"goals", "goals-relay"} <= set(run)


def test_every_kommunplan_variable_set_on_a_service_is_a_setting_the_code_reads() -> None:
    for name, spec in services().items():
        settings = ServiceSettings
        if "build" in spec:  # the process's own settings class
            settings = SERVICES[build_parser().parse_args(command(spec)).service]().settings
        read = {f"KOMMUNPLAN_{field.upper()}" for field in settings.model_fields}
        # deploy/with-secrets.sh reads NAME_FILE into NAME.
        given = {key if key in read else key.removesuffix("_FILE") for key in environment(spec)}
        unknown = {key for key in given if key.startswith("KOMMUNPLAN_")} - read
        assert not unknown, f"{name} sets {sorted(unknown)}, which no setting reads"


def test_every_service_sets_the_settings_whose_defaults_fail_in_a_container() -> None:
    for name, spec in application_services().items():
        env = environment(spec)
        missing = REQUIRED_IN_CONTAINERS - set(env)
        assert not missing, f"{name} leaves {sorted(missing)} at a loopback default"
        assert env["KOMMUNPLAN_HTTP_HOST"] not in LOOPBACK, f"{name} is unreachable from outside"
        for url in (env["KOMMUNPLAN_DATABASE_URL"], *env["KOMMUNPLAN_NATS_URL"].split(",")):
            assert urlsplit(interpolated(url)).hostname not in LOOPBACK, f"{name}: {url}"


def test_each_service_command_is_accepted_by_the_cli_and_names_a_real_service() -> None:
    for name, spec in application_services().items():
        try:
            args = build_parser().parse_args(command(spec))
        except SystemExit:
            pytest.fail(f"kommunplan rejects the command of {name}: {command(spec)}")
        assert args.command == "serve", f"{name} does not serve anything: {command(spec)}"
        assert callable(SERVICES[args.service]().main), f"{args.service} has nothing to run"


def test_the_image_the_services_build_runs_the_kommunplan_console_script() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    scripts = pyproject["project"]["scripts"]
    for name, spec in application_services().items():
        dockerfile = dockerfile_of(spec)
        assert dockerfile.is_file(), f"{name} builds from missing {dockerfile}"
        entrypoints = [
            args for op, args in dockerfile_instructions(dockerfile) if op == "ENTRYPOINT"
        ]
        assert entrypoints, f"{dockerfile} sets no ENTRYPOINT"
        entrypoint = exec_form(entrypoints[-1])
        assert entrypoint == ["with-secrets", "kommunplan"], entrypoint
        copies = [args for op, args in dockerfile_instructions(dockerfile) if op == "COPY"]
        assert any(c.endswith("deploy/with-secrets.sh /usr/local/bin/with-secrets") for c in copies)
        assert "kommunplan" in scripts, "pyproject.toml declares no kommunplan console script"


def test_the_image_runs_as_a_user_other_than_root() -> None:
    for name, spec in application_services().items():
        users = [args for op, args in dockerfile_instructions(dockerfile_of(spec)) if op == "USER"]
        assert users, "the image runs as root"
        assert users[-1].split(":")[0] not in {"root", "0"}
        assert str(spec.get("user", users[-1])).split(":")[0] not in {"root", "0"}, name


def test_the_secrets_script_hands_over_to_its_command_in_its_place() -> None:
    lines = [line.strip() for line in SECRETS_SCRIPT.read_text(encoding="utf-8").splitlines()]
    assert lines[0] == "#!/bin/sh" and lines[-1] == 'exec "$@"'


def test_the_reporting_service_runs_more_than_one_replica() -> None:
    replicas = services()["reporting"].get("deploy", {}).get("replicas", 1)
    assert replicas > 1


def test_no_port_is_published_but_the_reporting_views() -> None:
    for name, spec in services().items():
        expected = {PUBLISHED[name]} if name in PUBLISHED else set()
        assert published_container_ports(spec) == expected, f"{name} publishes {spec['ports']}"
        port = environment(spec).get("KOMMUNPLAN_HTTP_PORT")
        assert name not in PUBLISHED or port == str(PUBLISHED[name]), f"{name} listens on {port}"


def test_only_the_published_service_has_a_network_with_a_way_out() -> None:
    networks = compose()["networks"]
    for name, spec in services().items():
        joined = spec.get("networks") or ["default"]
        outside = [n for n in joined if not (networks.get(n) or {}).get("internal")]
        assert not outside or name in PUBLISHED, f"{name} is on {outside}, not internal"


def test_each_service_probes_its_health() -> None:
    for name, spec in application_services().items():
        probe = " ".join(spec.get("healthcheck", {}).get("test", []))
        assert "/health" in probe, f"{name} has no healthcheck on /health"
        # A fixed host port cannot be shared by several replicas of one service.
        if spec.get("deploy", {}).get("replicas", 1) > 1:
            assert all(":" not in str(p) for p in spec.get("ports", [])), f"{name} pins a host port"


def test_the_nats_nodes_form_a_jetstream_cluster_of_at_least_three() -> None:
    nodes = {name: nats_flags(spec) for name, spec in services_of_image("nats").items()}
    assert len(nodes) >= 3, f"only {sorted(nodes)}"
    assert all(flags.get("jetstream") == "true" for flags in nodes.values())
    assert len({flags.get("cluster_name") for flags in nodes.values()}) == 1
    assert all(flags.get("cluster_name") and flags.get("cluster") for flags in nodes.values())
    names = [flags.get("server_name") for flags in nodes.values()]
    assert None not in names and len(set(names)) == len(names), names

    links: dict[str, set[str]] = {name: set() for name in nodes}
    for name, flags in nodes.items():
        for route in flags.get("routes", "").split(","):
            peer = urlsplit(route).hostname
            assert peer in nodes, f"{name} routes to {route}, not a NATS node"
            links[name].add(peer)
            links[peer].add(name)
    reached: set[str] = set()
    frontier = [next(iter(nodes))]
    while frontier:
        node = frontier.pop()
        if node not in reached:
            reached.add(node)
            frontier.extend(links[node])
    assert reached == set(nodes), f"routes leave {sorted(set(nodes) - reached)} outside"

    declared = set(compose().get("volumes") or {})
    for name, flags in nodes.items():
        store = mounts(services()[name]).get(flags.get("store_dir", ""))
        assert store in declared, f"{name} keeps JetStream data outside a named volume"


def test_the_cluster_test_runs_its_nodes_as_the_compose_file_does() -> None:
    nodes = {name: nats_flags(spec) for name, spec in services_of_image("nats").items()}
    assert set(nodes) == set(cluster_test.NODES)
    for name, flags in nodes.items():
        assert (flags["cluster_name"], flags["server_name"]) == (cluster_test.CLUSTER, name)
        node = ClusterNode(cluster_test.CLUSTER, name, 6222, ["nats://127.0.0.1:6223"])
        assert set(nats_flags({"command": ["nats-server", *node.flags()]})) <= set(flags)
    for name, spec in application_services().items():
        if build_parser().parse_args(command(spec)).service == "reporting":
            continue  # declares no stream
        replicas = environment(spec).get("KOMMUNPLAN_STREAM_REPLICAS")
        assert replicas == str(cluster_test.REPLICAS), f"{name} keeps {replicas} copies"


def test_each_application_service_knows_every_nats_node() -> None:
    nodes = set(services_of_image("nats"))
    for name, spec in application_services().items():
        urls = environment(spec)["KOMMUNPLAN_NATS_URL"].split(",")
        assert {urlsplit(url).hostname for url in urls} == nodes, f"{name}: {urls}"


def test_each_application_service_uses_its_own_database_created_by_the_init_script() -> None:
    postgres = services_of_image("postgres")
    assert len(postgres) == 1, f"expected one postgres service, found {sorted(postgres)}"
    ((host, spec),) = postgres.items()
    assert int(str(spec["image"]).split(":")[1].split(".")[0]) >= 16
    created = created_databases(spec)
    # A service's processes share its database (the relay reads the budget's); no service
    # reads another's.
    for process, database in DATABASES.items():
        sharing = {other for other, used in DATABASES.items() if used == database}
        assert sharing <= {
            process.removesuffix("-relay"),
            f"{process.removesuffix('-relay')}-relay",
        }
    assert DATABASES["goals"] not in {DATABASES["budget"], DATABASES["reporting"]}
    for name, app in application_services().items():
        url = urlsplit(interpolated(environment(app)["KOMMUNPLAN_DATABASE_URL"]))
        database = url.path.lstrip("/")
        process = build_parser().parse_args(command(app)).service
        assert url.hostname == host, f"{name} connects to {url.hostname}, not {host}"
        assert database in created, f"{name} uses {database!r}; the init script makes {created}"
        assert database == DATABASES[process], f"{name} uses {database!r}, not its service's"


def test_the_otlp_endpoint_is_the_http_receiver_of_a_collector_in_the_file() -> None:
    for name, spec in application_services().items():
        endpoint = urlsplit(environment(spec)["OTEL_EXPORTER_OTLP_ENDPOINT"])
        assert endpoint.hostname in services(), f"{name} exports to unknown {endpoint.hostname}"
        collector = services()[endpoint.hostname]
        configs = [ROOT / src for src in mounts(collector).values() if src.endswith(".yaml")]
        assert configs, f"{endpoint.hostname} has no mounted config"
        config = yaml.safe_load(configs[0].read_text(encoding="utf-8"))
        # The Python exporter speaks OTLP over HTTP, so it must hit the http receiver's port.
        http = config["receivers"]["otlp"]["protocols"]["http"]["endpoint"]
        assert http.rsplit(":", 1)[1] == str(endpoint.port), f"{name} → {endpoint.port}, {http}"
        assert "otlp" in config["service"]["pipelines"]["traces"]["receivers"]


def test_the_collector_exports_traces_to_a_service_in_the_file() -> None:
    (collector,) = services_of_image("opentelemetry-collector-contrib").values()
    configs = [ROOT / src for src in mounts(collector).values() if src.endswith(".yaml")]
    config = yaml.safe_load(configs[0].read_text(encoding="utf-8"))
    exporters = config["service"]["pipelines"]["traces"]["exporters"]
    assert exporters
    for exporter in exporters:
        target = config["exporters"][exporter]["endpoint"]
        host = urlsplit(target if "//" in target else f"//{target}").hostname
        assert host in services(), f"{exporter} sends to {host}, which the file does not define"


def conf_block(text: str, name: str) -> str:
    """The body of nats-server configuration block ``name`` at the top level of ``text``."""
    match = re.search(rf"^{name}\s*\{{", text, re.MULTILINE)
    assert match, f"no {name} block"
    depth, start = 1, match.end()
    for index in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            return text[start:index]
    pytest.fail(f"{name} block never closes")


def nats_config_dir() -> Path:
    folders = {mounts(spec).get("/etc/nats") for spec in services_of_image("nats").values()}
    assert len(folders) == 1 and None not in folders, f"nodes mount {folders} at /etc/nats"
    return ROOT / str(folders.pop())


def secret_of(spec: dict[str, Any], variable: str) -> str:
    """The secret a ``*_FILE`` variable names, checked to be the service's and on disk."""
    path = environment(spec)[variable]
    assert path.startswith("/run/secrets/"), f"{variable} reads {path}, not a secret"
    secret = path.removeprefix("/run/secrets/")
    assert secret in spec.get("secrets", []), f"{secret} is not given to the service"
    declared = compose()["secrets"][secret]
    assert Path(declared["file"]).parent == Path("deploy/secrets"), declared
    return secret


def test_every_password_comes_from_a_secret_file() -> None:
    for name, spec in services().items():
        for variable, value in environment(spec).items():
            if "PASSWORD" in variable:
                assert variable.endswith("_FILE"), f"{name} sets {variable} in the clear"
                secret_of(spec, variable)
            assert "${" not in value or "PASSWORD" not in value, f"{name}: {variable}={value}"
        url = environment(spec).get("KOMMUNPLAN_DATABASE_URL")
        if url is not None:
            assert urlsplit(url).password is None, f"{name} has a password in its database URL"
            secret_of(spec, "PGPASSWORD_FILE")
    (postgres,) = services_of_image("postgres").values()
    secret_of(postgres, "POSTGRES_PASSWORD_FILE")
    script = next(iter(nats_config_dir().parent.glob("postgres/*.sh"))).read_text("utf-8")
    assert "_DB_PASSWORD_FILE" in script


def test_every_nats_client_connects_as_its_own_user_over_verified_tls() -> None:
    for name, spec in application_services().items():
        env = environment(spec)
        service = build_parser().parse_args(command(spec)).service
        assert env.get("KOMMUNPLAN_NATS_USER") == service, f"{name} connects as no user of its own"
        secret_of(spec, "KOMMUNPLAN_NATS_PASSWORD_FILE")
        urls = env["KOMMUNPLAN_NATS_URL"].split(",")
        assert all(urlsplit(url).scheme == "tls" for url in urls), f"{name}: {urls}"
        ca = env.get("KOMMUNPLAN_NATS_CA_FILE")
        assert ca is not None and mounts(spec).get(ca) == "./deploy/tls/ca.pem", f"{name}: {ca}"


def test_the_nats_nodes_ask_every_client_for_a_user_and_speak_tls() -> None:
    folder = nats_config_dir()
    config = (folder / "nats.conf").read_text(encoding="utf-8")
    users = (folder / "users.conf").read_text(encoding="utf-8")
    assert "no_auth_user" not in config + users, "anonymous clients would be let in"
    assert re.search(r"^include users\.conf$", config, re.MULTILINE)
    # The users are the code's, for the services and the example register's systems.
    named = re.findall(r'user: "([^"]+)"', conf_block(users, "authorization"))
    systems = read_register((folder / "systems.json").read_text(encoding="utf-8"))
    own = {*SERVICE_USERS, OPERATOR_USER}
    assert own <= set(named) and set(named) - own == set(systems)
    assert users == deploy_users(systems)
    client_tls = conf_block(config, "tls")
    assert "cert_file" in client_tls and "key_file" in client_tls
    for name, spec in services_of_image("nats").items():
        assert nats_flags(spec).get("config") == NATS_CONFIG, f"{name} reads no configuration"
        assert mounts(spec).get("/etc/nats-tls") == "./deploy/tls", name
        for user in named:
            secret_of(spec, password_variable(user) + "_FILE")


def test_the_cluster_routes_take_only_the_deployments_certificate() -> None:
    cluster = conf_block((nats_config_dir() / "nats.conf").read_text(encoding="utf-8"), "cluster")
    route_tls = conf_block(textwrap.dedent(cluster), "tls")
    assert re.search(r"^\s*verify:\s*true$", route_tls, re.MULTILINE), "routes need no certificate"
    assert "ca_file" in route_tls
