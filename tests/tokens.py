"""Tokens as the municipality's identity provider would issue them, signed by the tests' own key."""

import functools
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from kommunplan.local_identity import sign

ISSUER = "https://idp.test/realms/kommun"
AUDIENCE = "kommunplan-test"
KEY_ID = "test-key-1"


@functools.cache
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem(key: rsa.RSAPrivateKey | None = None) -> str:
    return (
        (key or signing_key())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def identity_settings() -> dict[str, Any]:
    """ServiceSettings fields that make a service trust the tests' key."""
    return {
        "identity_issuer": ISSUER,
        "identity_audience": AUDIENCE,
        "identity_public_key": public_pem(),
    }


def identity_environment() -> dict[str, str]:
    """The same, as a service process reads it from its environment."""
    return {f"KOMMUNPLAN_{name.upper()}": value for name, value in identity_settings().items()}


def token(
    *roles: str,
    units: tuple[str, ...] = ("*",),
    subject: str = "anna.controller",
    name: str | None = "Anna Andersson",
    key: Any = None,
    **options: Any,
) -> str:
    """A token of ``roles``; ``options`` override the issuer, audience, lifetime (``seconds``,
    negative for one that has expired), algorithm, or add claims."""
    fields: dict[str, Any] = {"issuer": ISSUER, "audience": AUDIENCE, "algorithm": "RS256"}
    fields.update(options)
    return sign(
        key or signing_key(),
        subject=subject,
        roles=list(roles),
        units=list(units),
        name=name,
        key_id=KEY_ID,
        **fields,
    )


def bearer(*roles: str, **options: Any) -> dict[str, str]:
    """An Authorization header with a token of ``roles`` (see ``token``)."""
    return {"Authorization": f"Bearer {token(*roles, **options)}"}
