"""The embedded stack's own identity provider: a signing key in the data folder.

``kommunplan up`` gives the services its public key, and ``kommunplan token`` signs tokens
with it for trying things out. The key is made once and kept, so tokens stay valid across
restarts; the private half is readable by its owner only.
"""

import os
import time
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

ISSUER = "kommunplan-lokal"
AUDIENCE = "kommunplan"
ALGORITHM = "ES256"
KEY_ID = "kommunplan-lokal-1"


def key_path(data_dir: Path) -> Path:
    return data_dir / "identity" / "signing-key.pem"


def public_key_path(data_dir: Path) -> Path:
    return data_dir / "identity" / "signing-key.pub.pem"


def ensure_key(data_dir: Path) -> ec.EllipticCurvePrivateKey:
    """The stack's signing key, made (with its public half beside it) the first time."""
    path = key_path(data_dir)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        # Created with mode 0600 from the start: never readable by others, not even briefly.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(pem)
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{path} is not an elliptic-curve key")
    public_key_path(data_dir).write_bytes(
        loaded.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return loaded


def service_environment(data_dir: Path) -> dict[str, str]:
    """The settings that make a service trust the stack's key (see ServiceSettings)."""
    ensure_key(data_dir)
    return {
        "KOMMUNPLAN_IDENTITY_ISSUER": ISSUER,
        "KOMMUNPLAN_IDENTITY_AUDIENCE": AUDIENCE,
        "KOMMUNPLAN_IDENTITY_PUBLIC_KEY": str(public_key_path(data_dir)),
        "KOMMUNPLAN_IDENTITY_JWKS_URL": "",
    }


def sign(
    key: Any,
    *,
    issuer: str,
    audience: str,
    subject: str,
    roles: list[str],
    units: list[str],
    name: str | None = None,
    seconds: float = 8 * 3600,
    algorithm: str = ALGORITHM,
    key_id: str = KEY_ID,
    **claims: Any,
) -> str:
    """A token with the claims an OpenID Connect provider issues, signed with ``key``."""
    now = int(time.time())
    body: dict[str, Any] = {
        "iss": issuer,
        "aud": audience,
        "sub": subject,
        "iat": now,
        "exp": now + int(seconds),
        "roles": roles,
        "units": units,
        **({"name": name} if name else {}),
        **claims,
    }
    return jwt.encode(body, key, algorithm=algorithm, headers={"kid": key_id})


def issue_token(
    data_dir: Path,
    roles: list[str],
    units: list[str],
    subject: str,
    name: str | None = None,
    hours: float = 8.0,
) -> str:
    """A token signed with the stack's key, as the municipality's provider would issue it."""
    return sign(
        ensure_key(data_dir),
        issuer=ISSUER,
        audience=AUDIENCE,
        subject=subject,
        roles=roles,
        units=units,
        name=name,
        seconds=hours * 3600,
    )
