"""The production shape's metrics path (services → collector → Prometheus → Grafana) is wired
as the files say, and the dashboard asks only for metrics the code exports."""

import json
import re
from pathlib import Path
from typing import Any

import yaml
from opentelemetry.exporter.prometheus import PrometheusMetricReader
from opentelemetry.sdk.metrics import MeterProvider
from prometheus_client import REGISTRY, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from plumbing.metrics import HTTP_SERVER_DURATION, make_instruments, observe_pool
from tests.unit.test_compose import ROOT, mounts, services, services_of_image

GRAFANA = ROOT / "deploy" / "grafana"
# A name in a PromQL expression that is one of ours or a semantic convention's.
METRIC = re.compile(r"\b((?:kommunplan|messaging|db|http)_[a-z_]+)\b")
# Label names: grouped by (…) or matched in {…}, not metrics.
LABELS = re.compile(r"\b(?:by|without)\s*\([^)]*\)|\{[^}]*\}")


def yaml_file(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def collector_config() -> dict[str, Any]:
    (collector,) = services_of_image("opentelemetry-collector-contrib").values()
    (config,) = [ROOT / src for src in mounts(collector).values() if src.endswith(".yaml")]
    loaded = yaml_file(config)
    assert isinstance(loaded, dict)
    return loaded


class _Pool:
    """What observe_pool reads of an asyncpg pool."""

    def get_size(self) -> int:
        return 3

    def get_idle_size(self) -> int:
        return 1

    def get_max_size(self) -> int:
        return 6


def exported_names() -> set[str]:
    """Every metric name as Prometheus reads it, from the code's own instruments, each
    recorded once; and the FastAPI instrumentation's request duration."""
    # The reader serves through prometheus_client's registry, as /metrics does.
    reader = PrometheusMetricReader()
    meter = MeterProvider(metric_readers=[reader]).get_meter("test")
    made = make_instruments(meter)
    for name in made.__dataclass_fields__:
        instrument = getattr(made, name)
        for method in ("add", "record", "set"):
            if hasattr(instrument, method):
                getattr(instrument, method)(1, {"service": "budget"})
                break
    observe_pool(_Pool(), "budget", meter)  # type: ignore[arg-type]
    names = {
        sample.name
        for family in text_string_to_metric_families(generate_latest(REGISTRY).decode())
        for sample in family.samples
    }
    return names | {HTTP_SERVER_DURATION.replace(".", "_") + "_seconds_bucket"}


def test_the_collector_sends_metrics_to_a_prometheus_endpoint_that_prometheus_scrapes() -> None:
    config = collector_config()
    pipeline = config["service"]["pipelines"]["metrics"]
    assert "otlp" in pipeline["receivers"]
    (exporter,) = [name for name in pipeline["exporters"] if name.startswith("prometheus")]
    port = config["exporters"][exporter]["endpoint"].rsplit(":", 1)[1]
    (prometheus,) = services_of_image("prometheus").values()
    scraped = yaml_file(ROOT / mounts(prometheus)["/etc/prometheus/prometheus.yml"])
    targets = {
        target
        for job in scraped["scrape_configs"]
        for static in job["static_configs"]
        for target in static["targets"]
    }
    (collector_name,) = services_of_image("opentelemetry-collector-contrib")
    assert f"{collector_name}:{port}" in targets, targets


def test_grafana_is_provisioned_with_prometheus_and_jaeger_at_their_addresses_in_the_file() -> None:
    (grafana,) = services_of_image("grafana").values()
    provisioning = ROOT / mounts(grafana)["/etc/grafana/provisioning"]
    sources = yaml_file(provisioning / "datasources" / "datasources.yaml")["datasources"]
    by_type = {source["type"]: source for source in sources}
    assert {"prometheus", "jaeger"} <= set(by_type)
    for kind, port in (("prometheus", 9090), ("jaeger", 16686)):
        url = by_type[kind]["url"]
        host = url.split("//", 1)[1].split(":", 1)[0]
        assert host in services(), f"{kind} at {host}, which the file does not define"
        assert url.endswith(f":{port}"), url
    providers = yaml_file(provisioning / "dashboards" / "dashboards.yaml")["providers"]
    (folder,) = [provider["options"]["path"] for provider in providers]
    assert (ROOT / mounts(grafana)[folder]).resolve() == (GRAFANA / "dashboards").resolve()


def test_every_dashboard_panel_asks_prometheus_for_metrics_the_code_exports() -> None:
    exported = exported_names()
    sources = {
        source["uid"]
        for source in yaml_file(GRAFANA / "provisioning" / "datasources" / "datasources.yaml")[
            "datasources"
        ]
    }
    dashboards = sorted((GRAFANA / "dashboards").glob("*.json"))
    assert dashboards
    asked: set[str] = set()
    for path in dashboards:
        dashboard = json.loads(path.read_text(encoding="utf-8"))
        assert dashboard["panels"], f"{path.name} has no panels"
        for panel in dashboard["panels"]:
            assert panel["datasource"]["uid"] in sources, panel["title"]
            assert panel["targets"], panel["title"]
            for target in panel["targets"]:
                names = set(METRIC.findall(LABELS.sub(" ", target["expr"])))
                assert names, f"{panel['title']}: {target['expr']}"
                unknown = {name for name in names if name not in exported}
                assert not unknown, f"{panel['title']} asks for {unknown}, not exported"
                asked |= names
    # The flow from the sending system to the report, as the operators follow it.
    for needed in (
        "kommunplan_commands_accepted_total",
        "kommunplan_commands_refused_total",
        "kommunplan_outbox_backlog",
        "kommunplan_consumer_lag",
        "kommunplan_consumer_lag_age_seconds",
        "kommunplan_parked_events",
    ):
        assert needed in asked, f"no panel shows {needed}"
