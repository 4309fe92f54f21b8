"""What the reporting process reads besides what every service does: how its views mark
example data, how many finished answers it keeps, and where the interim report ends."""

from pydantic import Field, SecretStr

from plumbing.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    example_actors: list[str] = Field(
        default_factory=lambda: ["exempeldata"],
        description=(
            "Actors whose events are example data, generated for trying the system; the"
            " reports mark what rests on them"
        ),
    )
    view_cache_bytes: int = Field(
        default=64 * 1024 * 1024,
        ge=0,
        description=(
            "How many bytes of finished report answers reporting keeps until the read models"
            " change; 0 keeps none"
        ),
    )
    interim_last_month: int = Field(
        default=8,
        ge=1,
        le=12,
        description=(
            "The last month of the interim report (delårsrapport) unless ?till= names"
            " another: 8 is January–August"
        ),
    )
    # The operators' view (/drift) and a message's journey: what they read besides the read
    # models; the pages' forms send their commands to the write services at service_urls.
    # `kommunplan up` sets both for its own processes.
    service_urls: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Where each process answers, by process name, for the operators' view to ask its"
            ' /ready, as JSON: {"budget": "http://127.0.0.1:8001", "budget-relay": …}'
        ),
    )
    service_databases: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Each write service's database URL, by service name, as JSON: the operators' view"
            " reads its outbox, its workers' locks and the commands it accepted and refused"
        ),
    )
    trace_url: str | None = Field(
        default=None,
        description=(
            "A tracing backend's page of a trace, with {trace_id} where the id goes, e.g."
            " http://127.0.0.1:16686/trace/{trace_id}: a message's journey links its trace"
            " there; none by default"
        ),
    )

    # Sign-in in the browser (services.reporting.signin): OpenID Connect, code flow with PKCE.
    signin_issuer: str | None = Field(
        default=None,
        description=(
            "The identity provider people sign in with, by its issuer URL (its discovery"
            " document is at <issuer>/.well-known/openid-configuration); none: no sign-in"
        ),
    )
    signin_client_id: str = Field(
        default="kommunplan-webb", description="This site's client id at the provider"
    )
    signin_client_secret: SecretStr | None = Field(
        default=None, description="The client's secret, if the provider gives it one"
    )
    signin_scope: str = Field(
        default="openid profile",
        description=(
            "Scopes asked for: openid, and the one that makes the access token one for this"
            " system's API (its aud), e.g. api://kommunplan/skriva in Microsoft Entra ID"
        ),
    )
    signin_local: bool = Field(
        default=False, description="Whether the provider is `up`'s local one (said on every page)"
    )
    public_url: str | None = Field(
        default=None,
        description="The site's address as people reach it (behind a proxy); else the request's",
    )
    session_secret: SecretStr | None = Field(
        default=None,
        description=(
            "Signs the short cookie of a sign-in under way; the same for every replica (a"
            " random one per process otherwise)"
        ),
    )
    session_hours: float = Field(default=8.0, gt=0, description="How long a session lasts")
    session_cookie_secure: bool | None = Field(
        default=None,
        description="Session cookie over TLS only; none: when the site is reached by https",
    )
