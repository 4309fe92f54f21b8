"""Typed settings, read from the environment once, at start-up, never at import."""

from collections.abc import Sequence

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from plumbing.systems import Register, RegisterEntry, SystemEntry


class ServiceSettings(BaseSettings):
    """What every service process needs to run. Every variable starts with KOMMUNPLAN_; a
    service with settings of its own reads them through a class of its own, derived from
    this one (WriteServiceSettings, services.projects.settings.ProjectsSettings,
    services.reporting.settings.ReportingSettings)."""

    model_config = SettingsConfigDict(env_prefix="KOMMUNPLAN_", extra="ignore")

    nats_url: str = Field(default="nats://127.0.0.1:4222", description="NATS server(s)")
    database_url: str = Field(
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        description="The service's own PostgreSQL database (asyncpg URI; host= for a socket)",
    )
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    batch_size: int = Field(default=2000, ge=1, le=5000)
    ack_wait_seconds: float = Field(default=30.0, gt=0)
    stream_replicas: int = Field(
        default=1, ge=1, le=5, description="Copies of each JetStream stream in a NATS cluster"
    )
    # The process's own NATS user (plumbing.nats_users says what each may do).
    nats_user: str | None = Field(
        default=None, description="NATS user; none for a server that asks for no credentials"
    )
    nats_password: SecretStr | None = Field(default=None, description="The NATS user's password")
    nats_ca_file: str | None = Field(
        default=None,
        description="CA certificate that signed the NATS servers' (for tls:// URLs)",
    )

    # Who may call over HTTP: signed OpenID Connect tokens from the municipality's provider.
    # With neither a JWKS URL nor a public key, every write is refused (secure by default).
    identity_issuer: str | None = Field(
        default=None, description="The identity provider's issuer (the tokens' iss)"
    )
    identity_audience: str | None = Field(
        default=None, description="This system's client id at the provider (the tokens' aud)"
    )
    identity_jwks_url: str | None = Field(
        default=None, description="Where the provider publishes its signing keys (JWKS)"
    )
    identity_public_key: str | None = Field(
        default=None,
        description="The provider's public key instead of a JWKS URL: PEM text or a file path",
    )
    identity_algorithms: list[str] = Field(
        default_factory=lambda: ["RS256", "ES256"],
        description="Signature algorithms accepted; only asymmetric ones are allowed",
    )
    identity_subject_claim: str = "sub"
    identity_name_claim: str = "name"
    identity_roles_claim: str = Field(
        default="roles",
        description="Claim with the roles, a list of strings; dots reach into objects",
    )
    identity_units_claim: str = Field(
        default="units",
        description='Claim with the unit codes (each with its subtree, "*" for all)',
    )
    trace_sample_ratio: float = Field(
        default=0.01,
        ge=0.0,
        le=1.0,
        description=(
            "The share of traces kept when a sender starts none (parent-based: a sender's own"
            " decision is followed); refused commands and parked events are always kept"
        ),
    )
    telemetry: bool = Field(
        default=True,
        description=(
            "Whether the process records metrics and spans at all; off, /metrics has only"
            " the process's own figures and no trace starts (for measuring what they cost)"
        ),
    )
    log_level: str = Field(
        default="INFO",
        pattern="^(DEBUG|INFO|WARNING|ERROR|debug|info|warning|error)$",
        description="The least level written to the process's JSON log lines",
    )
    open_views: bool = Field(
        default=True,
        description=(
            "Whether the plan views may be read without a token (an adopted plan is a public"
            " document); drafts are shown only to a token with a role either way"
        ),
    )


class WriteServiceSettings(ServiceSettings):
    """What a write service's processes need besides: who may send it commands over NATS,
    and how much its inbound stream takes in."""

    systems: Register = Field(
        default_factory=dict,
        description=(
            "The register of systems that may send commands over NATS, as JSON: by system's"
            ' name, the unit codes it may write for (each with everything under it, "*" for'
            " every unit) and, by service, the commands it may send, e.g."
            ' {"ekonomisystem": {"units": ["*"], "commands": {"budget": ["record-actuals",'
            ' "make-forecast"]}}}; "*" as a command is every command of that service a system'
            ' may be given. The older form, unit codes alone ({"lonesystem": ["KLF"]}), gives'
            " every such command of every service. No system may be given set-project-share,"
            " which budget takes only from the projects service. A system not in the register,"
            " or a command not given to it, is refused. Empty by default: nothing is taken in"
            " over NATS until set (plumbing.systems)."
        ),
    )
    inbound_max_bytes: int = Field(
        default=1024**3,
        ge=1024**2,
        description=(
            "The most a service's inbound stream keeps, in bytes; a message that would go"
            " beyond it is refused by NATS (its sender reads why in the acknowledgement), and"
            " handled messages make room when it runs short"
        ),
    )
    # 30 s (it was 5 s): a notification is lost only with the listening connection, and the
    # relay looks at once when it listens again, so this covers only what nothing else
    # does; looking more often kept each idle relay and its database busy.
    outbox_safety_poll_seconds: float = Field(
        default=30.0,
        gt=0,
        description=(
            "The outbox relay wakes when the append notifies it (LISTEN/NOTIFY); at the"
            " latest after this many seconds it looks anyway, in case a notification was lost"
        ),
    )
    system_max_bytes_per_hour: int = Field(
        default=256 * 1024**2,
        ge=1024,
        description=(
            "Each sending system's share of a service's inbound stream: what it sends beyond"
            " this many bytes within an hour is refused, with the reason, on its rejections"
        ),
    )


def _demo_systems() -> dict[str, RegisterEntry]:
    """The systems that load the demo (StackSettings.systems), each with what it sends."""
    return {
        # The ledger: budget figures and frame changes, actuals, forecasts and their
        # monthly profiles, net investments, narratives, follow-up texts, comments and the
        # notes on its tables.
        "ekonomisystem": SystemEntry(
            units=["*"],
            commands={
                "budget": [
                    "set-figures",
                    "change-frame",
                    "record-actuals",
                    "make-forecast",
                    "set-budget-profile",
                    "set-net-investment",
                    "write-narrative",
                    "write-follow-up-text",
                    "write-month-comment",
                    "attach-table-note",
                ]
            },
        ),
        # The planning system: the goals' catalogue and the project register.
        "planeringssystem": SystemEntry(
            units=["*"],
            commands={
                "goals": [
                    "define-perspective",
                    "adopt-goal",
                    "reword-goal",
                    "retire-goal",
                    "make-commitment",
                    "add-indicator",
                    "attach-note",
                ],
                "projects": [
                    "register-project",
                    "change-project-status",
                    "change-project-manager",
                    "plan-step",
                    "set-project-budget",
                    "record-financing",
                    "link-goal",
                ],
            },
        ),
        # The statistics system: measured values.
        "statistiksystem": SystemEntry(units=["*"], commands={"goals": ["record-measurement"]}),
        # The project tool: the projects' status reports.
        "projektverktyg": SystemEntry(
            units=["*"], commands={"projects": ["report-project-status"]}
        ),
    }


class StackSettings(BaseSettings):
    """What ``kommunplan up`` needs: existing servers if given, otherwise embedded ones."""

    model_config = SettingsConfigDict(env_prefix="KOMMUNPLAN_", extra="ignore")

    nats_url: str | None = Field(default=None, description="Use this NATS instead of starting one")
    postgres_url: str | None = Field(
        default=None, description="Use this PostgreSQL server instead of starting one"
    )
    data_dir: str = Field(default=".kommunplan", description="Where embedded servers keep data")
    nats_port: int = 4222
    nats_monitor_port: int | None = Field(
        default=None,
        description=(
            "Where the NATS that `up` starts serves its HTTP monitoring (/varz, /jsz, ...), on"
            " the loopback; a free port when not given, printed by `up`"
        ),
    )
    # Each process listens on a port of its own: reporting's views on ``reporting_port``,
    # every other process on the next ones, in the order of kommunplan.processes (budget
    # 8001, budget-relay 8002, goals 8003, goals-relay 8004, projects 8005, projects-relay
    # 8006). ``ports`` overrides any process's, as JSON in KOMMUNPLAN_PORTS: {"goals": 9003}.
    reporting_port: int = 8000
    ports: dict[str, int] = Field(default_factory=dict)
    http_host: str = "127.0.0.1"
    systems: Register = Field(
        default_factory=_demo_systems,
        description=(
            "The register of known sending systems given to the services (see ServiceSettings);"
            " by default those that load the demo, each for every unit and with the commands"
            " it sends: the ledger (budget figures, actuals, forecasts, net investments and"
            " texts), the planning system (the goals catalogue and the project register), the"
            " statistics system (measurements) and the project tool (status reports). Changes"
            " to the organisation tree are given to no system: `up` registers the demo's units"
            " as a planner over HTTP"
        ),
    )

    # With nats_url set: the password of the demo system's NATS user, if the server has
    # users (the services take KOMMUNPLAN_<SERVICE>_NATS_USER and _PASSWORD).
    demo_nats_password: SecretStr | None = None

    # The operators' commands (status, parked, rebuild, journey) reach the `up` running with
    # data_dir by itself; elsewhere (a deployment) they are told where reporting answers and
    # given an operator's token from the identity provider.
    reporting_url: str | None = Field(
        default=None,
        description="Reporting's address for the operators' commands, where no `up` runs here",
    )
    operator_token: SecretStr | None = Field(
        default=None, description="An operator's token for those commands, with reporting_url"
    )

    def port(self, process: str, processes: Sequence[str]) -> int:
        """The port ``process`` listens on, one of ``processes`` (kommunplan.processes)."""
        given = self.ports.get(process)
        if given is not None:
            return given
        if process == "reporting":
            return self.reporting_port
        others = [p for p in processes if p != "reporting"]
        return self.reporting_port + 1 + others.index(process)
