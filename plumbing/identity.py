"""Who is calling over HTTP: a signed OpenID Connect token, checked and read as a principal.

The municipality's identity provider signs the tokens; this side only verifies them, with
the provider's keys (its JWKS URL) or a public key given in the settings. Only asymmetric
algorithms are accepted: with "none" anyone could write a token, and with HS256 the public
key itself would serve as the secret that signs one.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

import jwt
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from contracts.text import check_single_line
from plumbing.settings import ServiceSettings

ASYMMETRIC = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
# Clocks of the provider and of this server never agree to the second.
LEEWAY_SECONDS = 30
# As long as a stored name may be (contracts.text.Name).
MAX_CLAIM_LENGTH = 200
EVERY_UNIT = "*"

NO_PROVIDER = "ingen identitetsleverantör är inställd; inga ändringar tas emot över HTTP"
NO_TOKEN = "begäran saknar inloggning: skicka en token som Authorization: Bearer <token>"


class Role(StrEnum):
    READER = "reader"
    CONTROLLER = "controller"
    PLANNER = "planner"
    OPERATOR = "operator"


@dataclass(frozen=True)
class Principal:
    """The caller as its token names it: who, and what it may do for which units."""

    subject: str
    name: str | None
    roles: frozenset[str]
    units: frozenset[str]  # roots of subtrees; EVERY_UNIT among them means all

    def has(self, role: Role) -> bool:
        return role.value in self.roles

    @property
    def reads(self) -> bool:
        """Every role includes reading; a token with none of them gives nothing."""
        return any(self.has(role) for role in Role)


class NotAuthenticated(Exception):
    """No usable token; the message says why, in Swedish."""


@dataclass(frozen=True)
class ClaimNames:
    subject: str = "sub"
    name: str = "name"
    roles: str = "roles"
    units: str = "units"


class _Keys(Protocol):
    def key_for(self, token: str) -> Any: ...


@dataclass(frozen=True)
class _FixedKey:
    key: Any

    def key_for(self, token: str) -> Any:
        return self.key


class _PublishedKeys:
    """The provider's JWKS, fetched when a token names a key not yet seen, then cached."""

    def __init__(self, url: str) -> None:
        self._client = jwt.PyJWKClient(url, cache_keys=True, lifespan=3600, timeout=10)

    def key_for(self, token: str) -> Any:
        return self._client.get_signing_key_from_jwt(token).key


_REASONS: tuple[tuple[type[Exception], str], ...] = (
    (jwt.ExpiredSignatureError, "token har gått ut"),
    (jwt.ImmatureSignatureError, "token gäller inte ännu"),
    (jwt.InvalidAudienceError, "token är inte utfärdad för detta system (aud)"),
    (jwt.InvalidIssuerError, "token kommer från en annan utfärdare (iss)"),
    (jwt.InvalidAlgorithmError, "tokens signaturalgoritm tillåts inte"),
    (jwt.InvalidSignatureError, "tokens signatur stämmer inte"),
    (jwt.MissingRequiredClaimError, "token saknar ett obligatoriskt anspråk"),
    (
        jwt.PyJWKClientError,
        "identitetsleverantörens nycklar gick inte att hämta, eller tokens nyckel saknas",
    ),
)


def _reason(error: Exception) -> str:
    for kind, reason in _REASONS:
        if isinstance(error, kind):
            return reason
    return "token kunde inte verifieras"


class Verifier:
    """Checks a token's signature, issuer, audience and expiry, and reads its claims."""

    def __init__(
        self,
        keys: _Keys | None,
        issuer: str | None = None,
        audience: str | None = None,
        algorithms: tuple[str, ...] = ("RS256", "ES256"),
        claims: ClaimNames = ClaimNames(),
    ) -> None:
        unsafe = set(algorithms) - ASYMMETRIC
        if unsafe:
            raise ValueError(f"only asymmetric signature algorithms are allowed, not {unsafe}")
        if keys is not None and not (issuer and audience):
            raise ValueError("an identity provider needs both its issuer and the audience")
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._algorithms = list(algorithms)
        self._claims = claims

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> "Verifier":
        return cls(
            _keys_from(settings),
            settings.identity_issuer,
            settings.identity_audience,
            tuple(settings.identity_algorithms),
            ClaimNames(
                settings.identity_subject_claim,
                settings.identity_name_claim,
                settings.identity_roles_claim,
                settings.identity_units_claim,
            ),
        )

    @property
    def configured(self) -> bool:
        return self._keys is not None

    def verify(self, token: str) -> Principal:
        """The principal ``token`` names; NotAuthenticated when it cannot be trusted.

        Blocks while the provider's keys are fetched (with a JWKS URL, now and then).
        """
        if self._keys is None:
            raise NotAuthenticated(NO_PROVIDER)
        try:
            claims = jwt.decode(
                token,
                self._keys.key_for(token),
                algorithms=self._algorithms,
                audience=self._audience,
                issuer=self._issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iss", "aud"]},
            )
        except (jwt.PyJWTError, ValueError, TypeError) as error:
            # ValueError and TypeError: a key of another kind than the token's algorithm.
            raise NotAuthenticated(_reason(error)) from None
        return self._principal(claims)

    def _principal(self, claims: Mapping[str, Any]) -> Principal:
        names = self._claims
        subject = _text(claims, names.subject)
        if subject is None:
            raise NotAuthenticated(f"token saknar anspråket {names.subject}")
        return Principal(
            subject=subject,
            name=_text(claims, names.name),
            roles=_texts(claims, names.roles),
            units=_texts(claims, names.units),
        )


def _keys_from(settings: ServiceSettings) -> _Keys | None:
    if settings.identity_jwks_url:
        return _PublishedKeys(settings.identity_jwks_url)
    if settings.identity_public_key:
        return _FixedKey(load_pem_public_key(_pem(settings.identity_public_key)))
    return None


def _pem(text_or_path: str) -> bytes:
    if text_or_path.lstrip().startswith("-----BEGIN"):
        return text_or_path.encode()
    return Path(text_or_path).read_bytes()


def _claim(claims: Mapping[str, Any], path: str) -> Any:
    """The claim at ``path``; dots reach into objects (Keycloak's realm_access.roles)."""
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _usable(value: Any) -> bool:
    """Whether ``value`` can be stored as a name: the actor goes into every event."""
    if not isinstance(value, str) or not 0 < len(value) <= MAX_CLAIM_LENGTH:
        return False
    try:
        check_single_line(value)
    except ValueError:
        return False
    return True


def _text(claims: Mapping[str, Any], path: str) -> str | None:
    value = _claim(claims, path)
    if value is None:
        return None
    if not _usable(value):
        raise NotAuthenticated(f"tokens anspråk {path} är ingen läsbar text")
    return str(value)


def _texts(claims: Mapping[str, Any], path: str) -> frozenset[str]:
    value = _claim(claims, path)
    if value is None:
        return frozenset()
    if isinstance(value, str):
        value = [value]  # some providers send a single role as a plain string
    if not isinstance(value, list) or not all(_usable(item) for item in value):
        raise NotAuthenticated(f"tokens anspråk {path} är ingen lista av texter")
    return frozenset(value)
