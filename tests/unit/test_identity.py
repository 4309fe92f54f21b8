"""A token is trusted only when signed by the provider's key for this audience, in time."""

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from plumbing.identity import NO_PROVIDER, NotAuthenticated, Principal, Role, Verifier
from plumbing.settings import ServiceSettings
from tests.tokens import AUDIENCE, ISSUER, identity_settings, public_pem, token


def verifier(**overrides: object) -> Verifier:
    return Verifier.from_settings(ServiceSettings(**{**identity_settings(), **overrides}))


def refusal_of(raw: str, **overrides: object) -> str:
    with pytest.raises(NotAuthenticated) as refused:
        verifier(**overrides).verify(raw)
    return str(refused.value)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims() -> dict[str, object]:
    return {"iss": ISSUER, "aud": AUDIENCE, "sub": "x", "exp": int(time.time()) + 600}


def hs256_with_the_public_key() -> str:
    """The classic confusion: the public key, which anyone has, used as an HMAC secret."""
    head = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = _b64(json.dumps({**_claims(), "roles": ["planner"]}).encode())
    signature = hmac.new(public_pem().encode(), f"{head}.{body}".encode(), hashlib.sha256)
    return f"{head}.{body}.{_b64(signature.digest())}"


def test_a_valid_token_names_its_subject_roles_and_units() -> None:
    principal = verifier().verify(token("controller", units=("KLF",), subject="anna"))
    assert principal == Principal("anna", "Anna Andersson", frozenset({"controller"}), {"KLF"})
    assert principal.has(Role.CONTROLLER) and principal.reads


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (token("planner", seconds=-120), "gått ut"),
        (token("planner", audience="another-system"), "aud"),
        (token("planner", issuer="https://evil.example"), "utfärdare"),
        (
            token("planner", key=rsa.generate_private_key(public_exponent=65537, key_size=2048)),
            "signatur",
        ),
        (jwt.encode({**_claims(), "roles": ["planner"]}, None, algorithm="none"), "algoritm"),
        (hs256_with_the_public_key(), "algoritm"),
        (token("planner", key=ec.generate_private_key(ec.SECP256R1()), algorithm="ES256"), ""),
        ("not.a.token", ""),
    ],
    ids=["expired", "audience", "issuer", "signature", "none", "hs256", "other-kind", "garbage"],
)
def test_an_untrustworthy_token_is_refused_in_swedish(raw: str, words: str) -> None:
    assert words in refusal_of(raw)


def test_claims_may_be_renamed_and_nested() -> None:
    raw = token(units=(), realm_access={"roles": ["reader"]}, enheter=["IT"])
    principal = verifier(
        identity_roles_claim="realm_access.roles", identity_units_claim="enheter"
    ).verify(raw)
    assert principal.roles == {"reader"} and principal.units == {"IT"}


def test_claims_that_are_no_text_are_refused() -> None:
    assert "grupper" in refusal_of(token(grupper=[1, 2]), identity_roles_claim="grupper")
    assert "sub" in refusal_of(token("reader", subject="a\u0000b"))


def test_a_token_without_a_known_role_reads_nothing() -> None:
    assert not verifier().verify(token("janitor")).reads


def test_without_a_provider_nothing_is_trusted() -> None:
    assert not Verifier(None).configured
    with pytest.raises(NotAuthenticated, match="identitetsleverantör"):
        Verifier(None).verify(token("planner"))
    assert "ingen identitetsleverantör" in NO_PROVIDER


def test_symmetric_algorithms_and_a_provider_without_audience_are_refused_at_start() -> None:
    with pytest.raises(ValueError, match="asymmetric"):
        verifier(identity_algorithms=["HS256"])
    with pytest.raises(ValueError, match="audience"):
        verifier(identity_audience=None)


def test_a_public_key_may_be_given_as_a_file(tmp_path: Path) -> None:
    path = tmp_path / "provider.pem"
    path.write_text(public_pem())
    assert verifier(identity_public_key=str(path)).verify(token("reader")).subject
