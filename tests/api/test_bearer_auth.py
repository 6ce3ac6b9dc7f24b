"""Without an authorizer, handlers verify the bearer token themselves: real keys, real signatures."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from events import body_of, make_event

from tenantkit.api.pipeline import reset_bearer_verifier
from tenantkit.auth.context import Role
from tenantkit.local.identity import LocalIdentityProvider
from tenantkit.models.ids import new_id, new_user_id


@pytest.fixture(scope="module")
def idp(tmp_path_factory: pytest.TempPathFactory) -> LocalIdentityProvider:
    return LocalIdentityProvider(key_path=tmp_path_factory.mktemp("keys") / "key.pem")


@pytest.fixture(scope="module")
def impostor(tmp_path_factory: pytest.TempPathFactory) -> LocalIdentityProvider:
    return LocalIdentityProvider(key_path=tmp_path_factory.mktemp("other") / "key.pem")


@pytest.fixture(autouse=True)
def bearer_settings(idp: LocalIdentityProvider, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps(idp.jwks()))
    monkeypatch.setenv("JWT_ISSUER", idp.issuer)
    monkeypatch.setenv("JWT_CLIENT_IDS", idp.client_id)
    monkeypatch.setenv("JWT_TOKEN_USE", "access")
    monkeypatch.setenv("JWKS_FILE", str(jwks_file))
    monkeypatch.setenv("TENANTKIT_METRICS", "off")
    reset_bearer_verifier()
    yield
    reset_bearer_verifier()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _call(groups_lambda: Any, factory: Any, token: str) -> dict[str, Any]:
    event = make_event("GET", "/groups", headers={"Authorization": f"Bearer {token}"})
    return groups_lambda(event, None, factory)


def _valid(idp: LocalIdentityProvider, **overrides: Any) -> str:
    return idp.mint(tenant_id=new_id(), user_id=new_user_id(), role=Role.MEMBER, **overrides)


def test_given_a_valid_bearer_token_when_calling_without_authorizer_should_answer_200(
    groups_lambda, factory, idp
) -> None:
    token = _valid(idp)

    response = _call(groups_lambda, factory, token)

    assert response["statusCode"] == 200
    assert body_of(response)["data"] == {"items": [], "nextCursor": None}


def _alg_none(idp: LocalIdentityProvider) -> str:
    claims = json.loads(base64.urlsafe_b64decode(_valid(idp).split(".")[1] + "=="))
    header = {"alg": "none", "typ": "JWT", "kid": idp.kid}
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}."


def _hs256_with_public_key(idp: LocalIdentityProvider) -> str:
    from cryptography.hazmat.primitives import serialization

    pem = idp.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    claims = json.loads(base64.urlsafe_b64decode(_valid(idp).split(".")[1] + "=="))
    signing_input = f"{_b64(json.dumps({'alg': 'HS256', 'kid': idp.kid}).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def _tampered(idp: LocalIdentityProvider) -> str:
    header, payload, signature = _valid(idp).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["custom:tenant_id"] = new_id()
    return f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"


REJECTED = {
    "alg none": _alg_none,
    "HS256 signed with the public key": _hs256_with_public_key,
    "wrong issuer": lambda idp: _valid(idp, iss="https://evil.example.com"),
    "expired": lambda idp: _valid(idp, exp=int(time.time()) - 3600, iat=int(time.time()) - 7200),
    "wrong client": lambda idp: _valid(idp, client_id="someone-elses-client"),
    "id token where access required": lambda idp: _valid(idp, token_use="id", aud=idp.client_id),
    "tampered payload": _tampered,
    "not a jwt": lambda idp: "definitely-not-a-token",
}


@pytest.mark.parametrize("case", sorted(REJECTED))
def test_given_a_bad_bearer_token_when_calling_should_answer_401_in_the_envelope(
    groups_lambda, factory, idp, case
) -> None:
    token = REJECTED[case](idp)

    response = _call(groups_lambda, factory, token)

    body = body_of(response)
    assert response["statusCode"] == 401
    assert body["error"]["code"] == "UNAUTHORIZED"
    assert token not in response["body"]


def test_given_a_token_from_an_unknown_key_when_calling_should_answer_401(
    groups_lambda, factory, idp, impostor
) -> None:
    token = impostor.mint(tenant_id=new_id(), user_id=new_user_id(), role=Role.OWNER)

    response = _call(groups_lambda, factory, token)

    assert response["statusCode"] == 401


def test_given_no_bearer_scheme_when_calling_should_answer_401(groups_lambda, factory, idp) -> None:
    token = _valid(idp)
    event = make_event("GET", "/groups", headers={"Authorization": f"Basic {token}"})

    response = groups_lambda(event, None, factory)

    assert response["statusCode"] == 401
