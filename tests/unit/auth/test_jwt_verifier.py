"""Behaviour of the bearer-token verifier, with real RSA keys and real signatures."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tenantkit.auth.jwt_verifier import InvalidTokenError, JwtSettings, TokenVerifier

ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool"
CLIENT_ID = "app-client-1"
JWKS_URL = ISSUER + "/.well-known/jwks.json"
NOW = 1_700_000_000.0
COOLDOWN = 60.0


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: rsa.RSAPrivateKey
    public_pem: bytes
    jwk: dict[str, Any]


def _make_key(kid: str) -> SigningKey:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_key = private_key.public_key()
    pem = public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    jwk = {**RSAAlgorithm.to_jwk(public_key, as_dict=True), "kid": kid, "alg": "RS256", "use": "sig"}
    return SigningKey(kid=kid, private_key=private_key, public_pem=pem, jwk=jwk)


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return _make_key("key-1")


@pytest.fixture(scope="module")
def other_key() -> SigningKey:
    return _make_key("key-2")


class FakeClock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeJwksEndpoint:
    """A counting stand-in for the issuer's JWKS URL; `keys` may change between calls (rotation)."""

    def __init__(self, *keys: SigningKey) -> None:
        self.keys = list(keys)
        self.calls = 0
        self.failing = False

    def __call__(self, url: str) -> bytes:
        self.calls += 1
        if self.failing:
            raise TimeoutError("issuer did not answer")
        return json.dumps({"keys": [k.jwk for k in self.keys]}).encode()


def _claims(**overrides: Any) -> dict[str, Any]:
    """Cognito-like access-token claims; an override of None drops the claim."""
    claims: dict[str, Any] = {
        "sub": "user-123",
        "iss": ISSUER,
        "client_id": CLIENT_ID,
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "auth_time": int(NOW),
        "iat": int(NOW),
        "exp": int(NOW) + 3600,
        "jti": "jti-1",
    }
    claims.update(overrides)
    return {name: value for name, value in claims.items() if value is not None}


def _id_claims(**overrides: Any) -> dict[str, Any]:
    return _claims(**{"token_use": "id", "aud": CLIENT_ID, "client_id": None, **overrides})


def _sign(key: SigningKey, claims: dict[str, Any], *, kid: str | None = None, alg: str = "RS256") -> str:
    return jwt.encode(claims, key.private_key, algorithm=alg, headers={"kid": kid or key.kid})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned_token(header: dict[str, Any], claims: dict[str, Any], signature: str = "") -> str:
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}.{signature}"


def _verifier(endpoint: FakeJwksEndpoint, clock: FakeClock | None = None, **settings: Any) -> TokenVerifier:
    jwt_settings = JwtSettings(
        issuer=ISSUER,
        client_ids=(CLIENT_ID,),
        jwks_url=JWKS_URL,
        refetch_cooldown_seconds=COOLDOWN,
        **settings,
    )
    return TokenVerifier(jwt_settings, fetch=endpoint, clock=clock or FakeClock())


def _refusal(verifier: TokenVerifier, token: str) -> InvalidTokenError:
    with pytest.raises(InvalidTokenError) as caught:
        verifier.verify(token)
    return caught.value


# --- accepted tokens -------------------------------------------------------------------------------


def test_given_valid_access_token_when_verified_should_return_its_claims(key: SigningKey) -> None:
    verifier = _verifier(FakeJwksEndpoint(key))
    token = _sign(key, _claims())

    claims = verifier.verify(token)

    assert claims == _claims()


def test_given_valid_id_token_and_id_settings_when_verified_should_return_its_claims(key: SigningKey) -> None:
    verifier = _verifier(FakeJwksEndpoint(key), token_use="id")
    token = _sign(key, _id_claims(email="a@example.com"))

    claims = verifier.verify(token)

    assert claims["aud"] == CLIENT_ID
    assert claims["email"] == "a@example.com"


def test_given_token_expired_within_leeway_when_verified_should_accept(key: SigningKey) -> None:
    clock = FakeClock()
    verifier = _verifier(FakeJwksEndpoint(key), clock, leeway_seconds=30)
    token = _sign(key, _claims(exp=int(NOW) + 60))
    clock.advance(60 + 29)

    claims = verifier.verify(token)

    assert claims["sub"] == "user-123"


def test_given_keys_passed_directly_when_verified_should_accept_without_any_fetch(key: SigningKey) -> None:
    settings = JwtSettings(issuer=ISSUER, client_ids=(CLIENT_ID,))
    verifier = TokenVerifier(settings, jwks={"keys": [key.jwk]}, clock=FakeClock())

    claims = verifier.verify(_sign(key, _claims()))

    assert claims["client_id"] == CLIENT_ID


def test_given_jwks_file_when_verified_should_read_keys_from_it(key: SigningKey, tmp_path: Path) -> None:
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps({"keys": [key.jwk]}))
    settings = JwtSettings(issuer=ISSUER, client_ids=(CLIENT_ID,), jwks_file=str(jwks_file))
    verifier = TokenVerifier(settings, clock=FakeClock())

    claims = verifier.verify(_sign(key, _claims()))

    assert claims["sub"] == "user-123"


@pytest.fixture
def jwks_server(key: SigningKey) -> Iterator[tuple[str, list[str]]]:
    """A real JWKS endpoint on 127.0.0.1; yields its URL and the paths it was asked for."""
    body = json.dumps({"keys": [key.jwk]}).encode()
    requested: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requested.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json", requested
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_given_jwks_served_over_http_when_verified_with_default_fetcher_should_accept(
    key: SigningKey, jwks_server: tuple[str, list[str]]
) -> None:
    url, requested = jwks_server
    verifier = TokenVerifier(JwtSettings(issuer=ISSUER, client_ids=(CLIENT_ID,), jwks_url=url))
    token = jwt.encode(
        _claims(iat=int(time.time()), exp=int(time.time()) + 300),
        key.private_key,
        algorithm="RS256",
        headers={"kid": key.kid},
    )

    claims = verifier.verify(token)

    assert claims["sub"] == "user-123"
    assert requested == ["/.well-known/jwks.json"]


# --- algorithm attacks -----------------------------------------------------------------------------


def test_given_alg_none_token_when_verified_should_reject_before_looking_up_keys(key: SigningKey) -> None:
    endpoint = FakeJwksEndpoint(key)
    verifier = _verifier(endpoint)
    token = _unsigned_token({"alg": "none", "typ": "JWT", "kid": key.kid}, _claims())

    error = _refusal(verifier, token)

    assert error.reason == "algorithm_not_allowed"
    assert endpoint.calls == 0


def test_given_hs256_token_signed_with_public_key_pem_when_verified_should_reject(key: SigningKey) -> None:
    endpoint = FakeJwksEndpoint(key)
    verifier = _verifier(endpoint)
    unsigned = _unsigned_token({"alg": "HS256", "typ": "JWT", "kid": key.kid}, _claims()).rstrip(".")
    mac = hmac.new(key.public_pem, unsigned.encode(), hashlib.sha256).digest()
    token = f"{unsigned}.{_b64(mac)}"

    error = _refusal(verifier, token)

    assert error.reason == "algorithm_not_allowed"
    assert endpoint.calls == 0


def test_given_allowed_alg_other_than_the_keys_own_when_verified_should_reject(key: SigningKey) -> None:
    verifier = _verifier(FakeJwksEndpoint(key), algorithms=("RS256", "RS384"))
    token = _sign(key, _claims(), alg="RS384")

    error = _refusal(verifier, token)

    assert error.reason == "algorithm_not_allowed"


# --- signature and claims --------------------------------------------------------------------------


def test_given_tampered_payload_with_original_signature_when_verified_should_reject(key: SigningKey) -> None:
    verifier = _verifier(FakeJwksEndpoint(key))
    header, _, signature = _sign(key, _claims()).split(".")
    forged_claims = _b64(json.dumps(_claims(sub="someone-else")).encode())
    token = f"{header}.{forged_claims}.{signature}"

    error = _refusal(verifier, token)

    assert error.reason == "bad_signature"


def test_given_token_signed_by_another_key_under_a_known_kid_when_verified_should_reject(
    key: SigningKey, other_key: SigningKey
) -> None:
    verifier = _verifier(FakeJwksEndpoint(key))
    token = _sign(other_key, _claims(), kid=key.kid)

    error = _refusal(verifier, token)

    assert error.reason == "bad_signature"


@pytest.mark.parametrize("issuer", [ISSUER + "/", ISSUER.upper(), "https://evil.example/eu-west-1_TestPool"])
def test_given_wrong_issuer_when_verified_should_reject(key: SigningKey, issuer: str) -> None:
    verifier = _verifier(FakeJwksEndpoint(key))
    token = _sign(key, _claims(iss=issuer))

    error = _refusal(verifier, token)

    assert error.reason == "wrong_issuer"


def test_given_token_expired_beyond_leeway_when_verified_should_reject(key: SigningKey) -> None:
    clock = FakeClock()
    verifier = _verifier(FakeJwksEndpoint(key), clock, leeway_seconds=30)
    token = _sign(key, _claims(exp=int(NOW) + 60))
    clock.advance(60 + 30)

    error = _refusal(verifier, token)

    assert error.reason == "expired"


@pytest.mark.parametrize("claim", ["nbf", "iat"])
def test_given_token_from_the_future_beyond_leeway_when_verified_should_reject(key: SigningKey, claim: str) -> None:
    verifier = _verifier(FakeJwksEndpoint(key), leeway_seconds=30)
    token = _sign(key, _claims(**{claim: int(NOW) + 31}))

    error = _refusal(verifier, token)

    assert error.reason == "not_yet_valid"


@pytest.mark.parametrize("claim", ["exp", "iss", "sub", "token_use"])
def test_given_token_missing_a_required_claim_when_verified_should_reject(key: SigningKey, claim: str) -> None:
    verifier = _verifier(FakeJwksEndpoint(key))
    token = _sign(key, _claims(**{claim: None}))

    error = _refusal(verifier, token)

    assert error.reason == "missing_claim"


def test_given_wrong_client_id_when_verified_should_reject(key: SigningKey) -> None:
    verifier = _verifier(FakeJwksEndpoint(key))
    token = _sign(key, _claims(client_id="some-other-app"))

    error = _refusal(verifier, token)

    assert error.reason == "wrong_client"


def test_given_id_token_where_access_token_required_when_verified_should_reject(key: SigningKey) -> None:
    verifier = _verifier(FakeJwksEndpoint(key))
    token = _sign(key, _id_claims())

    error = _refusal(verifier, token)

    assert error.reason == "wrong_token_use"


@pytest.mark.parametrize(
    "audience",
    ["some-other-app", [CLIENT_ID, "some-other-app"], []],
    ids=["other-app", "trusted-plus-untrusted", "empty-list"],
)
def test_given_id_token_for_untrusted_audience_when_verified_should_reject(
    key: SigningKey, audience: str | list[str]
) -> None:
    verifier = _verifier(FakeJwksEndpoint(key), token_use="id")
    token = _sign(key, _id_claims(aud=audience))

    error = _refusal(verifier, token)

    assert error.reason == "wrong_client"


@pytest.mark.parametrize(
    "token",
    ["", "not-a-jwt", "a.b", "a.b.c.d", "é.b.c", "!!!.@@@.###", "a" * 8192 + ".b.c"],
    ids=["empty", "one-part", "two-parts", "four-parts", "non-ascii", "not-base64", "oversized"],
)
def test_given_malformed_token_when_verified_should_reject_without_fetching(key: SigningKey, token: str) -> None:
    endpoint = FakeJwksEndpoint(key)
    verifier = _verifier(endpoint)

    error = _refusal(verifier, token)

    assert error.reason == "malformed"
    assert endpoint.calls == 0


def test_given_token_without_kid_when_verified_should_reject(key: SigningKey) -> None:
    verifier = _verifier(FakeJwksEndpoint(key))
    token = jwt.encode(_claims(), key.private_key, algorithm="RS256")

    error = _refusal(verifier, token)

    assert error.reason == "malformed"


# --- key set: unknown kids, rotation, refresh ------------------------------------------------------


def test_given_unknown_kid_after_cooldown_when_verified_should_refetch_once_then_reject(
    key: SigningKey, other_key: SigningKey
) -> None:
    endpoint, clock = FakeJwksEndpoint(key), FakeClock()
    verifier = _verifier(endpoint, clock)
    verifier.verify(_sign(key, _claims()))
    clock.advance(COOLDOWN)

    error = _refusal(verifier, _sign(other_key, _claims(), kid="unknown-kid"))

    assert error.reason == "unknown_key"
    assert endpoint.calls == 2


def test_given_second_unknown_kid_within_cooldown_when_verified_should_not_refetch(
    key: SigningKey, other_key: SigningKey
) -> None:
    endpoint, clock = FakeJwksEndpoint(key), FakeClock()
    verifier = _verifier(endpoint, clock)
    verifier.verify(_sign(key, _claims()))
    clock.advance(COOLDOWN)
    _refusal(verifier, _sign(other_key, _claims(), kid="unknown-kid-1"))
    clock.advance(COOLDOWN - 1)

    error = _refusal(verifier, _sign(other_key, _claims(), kid="unknown-kid-2"))

    assert error.reason == "unknown_key"
    assert endpoint.calls == 2


def test_given_unknown_kids_from_many_threads_when_verified_should_refetch_once(
    key: SigningKey, other_key: SigningKey
) -> None:
    endpoint, clock = FakeJwksEndpoint(key), FakeClock()
    verifier = _verifier(endpoint, clock)
    verifier.verify(_sign(key, _claims()))
    clock.advance(COOLDOWN)
    tokens = [_sign(other_key, _claims(), kid=f"forged-{n}") for n in range(8)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        reasons = list(pool.map(lambda token: _refusal(verifier, token).reason, tokens))

    assert reasons == ["unknown_key"] * 8
    assert endpoint.calls == 2


def test_given_new_key_published_after_rotation_when_verified_should_pick_it_up(
    key: SigningKey, other_key: SigningKey
) -> None:
    endpoint, clock = FakeJwksEndpoint(key), FakeClock()
    verifier = _verifier(endpoint, clock)
    verifier.verify(_sign(key, _claims()))
    endpoint.keys = [key, other_key]
    clock.advance(COOLDOWN)

    claims = verifier.verify(_sign(other_key, _claims()))

    assert claims["sub"] == "user-123"
    assert endpoint.calls == 2


def test_given_key_set_older_than_max_age_when_verified_should_refresh_it(key: SigningKey) -> None:
    endpoint, clock = FakeJwksEndpoint(key), FakeClock()
    verifier = _verifier(endpoint, clock, jwks_max_age_seconds=3600)
    verifier.verify(_sign(key, _claims(exp=int(NOW) + 7200)))
    clock.advance(3600)

    verifier.verify(_sign(key, _claims(exp=int(NOW) + 7200)))

    assert endpoint.calls == 2


def test_given_refresh_failing_when_verified_should_keep_serving_current_keys(key: SigningKey) -> None:
    endpoint, clock = FakeJwksEndpoint(key), FakeClock()
    verifier = _verifier(endpoint, clock, jwks_max_age_seconds=3600)
    verifier.verify(_sign(key, _claims(exp=int(NOW) + 7200)))
    endpoint.failing = True
    clock.advance(3600)

    claims = verifier.verify(_sign(key, _claims(exp=int(NOW) + 7200)))

    assert claims["sub"] == "user-123"
    assert endpoint.calls == 2


def test_given_key_set_never_loaded_when_fetch_fails_should_reject_as_keys_unavailable(key: SigningKey) -> None:
    endpoint = FakeJwksEndpoint(key)
    endpoint.failing = True
    verifier = _verifier(endpoint)

    error = _refusal(verifier, _sign(key, _claims()))

    assert error.reason == "keys_unavailable"


def test_given_new_verifier_when_constructed_should_not_fetch_or_import_jwt() -> None:
    code = (
        "import sys\n"
        "from tenantkit.auth.jwt_verifier import JwtSettings, TokenVerifier\n"
        "def fetch(url): raise AssertionError('fetched at construction')\n"
        "TokenVerifier(JwtSettings(issuer='https://issuer', client_ids=('c',), jwks_url='https://issuer/jwks'),"
        " fetch=fetch)\n"
        "print('jwt' in sys.modules, 'urllib.request' in sys.modules)\n"
    )

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=30)  # noqa: S603

    assert result.stdout.split() == ["False", "False"]


# --- messages never leak ---------------------------------------------------------------------------

_LEAK_CASES: dict[str, Callable[[SigningKey], str]] = {
    "tampered": lambda k: _sign(k, _claims())[:-4] + "AAAA",
    "wrong_issuer": lambda k: _sign(k, _claims(iss="https://evil.example")),
    "expired": lambda k: _sign(k, _claims(exp=int(NOW) - 3600)),
    "unknown_key": lambda k: _sign(k, _claims(), kid="not-published"),
    "alg_none": lambda k: _unsigned_token({"alg": "none", "kid": k.kid}, _claims()),
    "garbage_header": lambda k: "e30K" + _sign(k, _claims()),
}


@pytest.mark.parametrize("make_token", _LEAK_CASES.values(), ids=_LEAK_CASES.keys())
def test_given_refused_token_when_error_rendered_should_not_contain_token_or_key(
    key: SigningKey, make_token: Callable[[SigningKey], str]
) -> None:
    verifier = _verifier(FakeJwksEndpoint(key))
    token = make_token(key)

    error = _refusal(verifier, token)

    rendered = f"{error} {error!r} {error.args}"
    assert all(part not in rendered for part in token.split(".") if len(part) > 8)
    assert key.jwk["n"] not in rendered
    assert error.__cause__ is None


# --- settings --------------------------------------------------------------------------------------


def test_given_full_environment_when_settings_read_should_parse_every_variable() -> None:
    environ = {
        "JWT_ISSUER": ISSUER,
        "JWT_CLIENT_IDS": " app-a, app-b ,,",
        "JWT_TOKEN_USE": "id",
        "JWKS_URL": "https://keys.example/jwks.json",
        "JWT_LEEWAY_SECONDS": "5",
    }

    settings = JwtSettings.from_env(environ)

    assert settings == JwtSettings(
        issuer=ISSUER,
        client_ids=("app-a", "app-b"),
        token_use="id",
        leeway_seconds=5,
        jwks_url="https://keys.example/jwks.json",
    )


def test_given_no_issuer_in_environment_when_settings_read_should_return_none() -> None:
    settings = JwtSettings.from_env({"JWT_CLIENT_IDS": CLIENT_ID})

    assert settings is None


def test_given_no_key_source_in_environment_when_settings_read_should_use_issuer_well_known_jwks() -> None:
    settings = JwtSettings.from_env({"JWT_ISSUER": ISSUER, "JWT_CLIENT_IDS": CLIENT_ID})

    assert settings is not None
    assert settings.jwks_url == JWKS_URL
    assert (settings.token_use, settings.leeway_seconds, settings.jwks_file) == ("access", 30, None)


def test_given_jwks_file_in_environment_when_settings_read_should_use_it(tmp_path: Path) -> None:
    environ = {"JWT_ISSUER": ISSUER, "JWT_CLIENT_IDS": CLIENT_ID, "JWKS_FILE": str(tmp_path / "k.json")}

    settings = JwtSettings.from_env(environ)

    assert settings is not None
    assert (settings.jwks_file, settings.jwks_url) == (str(tmp_path / "k.json"), None)


def test_given_non_numeric_leeway_in_environment_when_settings_read_should_raise() -> None:
    environ = {"JWT_ISSUER": ISSUER, "JWT_CLIENT_IDS": CLIENT_ID, "JWT_LEEWAY_SECONDS": "soon"}

    with pytest.raises(ValueError, match="JWT_LEEWAY_SECONDS"):
        JwtSettings.from_env(environ)


@pytest.mark.parametrize("algorithms", [("HS256",), ("none",), ("RS256", "HS512"), ()])
def test_given_symmetric_or_no_algorithm_when_settings_built_should_raise(algorithms: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="algorithms"):
        JwtSettings(issuer=ISSUER, client_ids=(CLIENT_ID,), algorithms=algorithms, jwks_url=JWKS_URL)


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        ({"client_ids": ()}, "client_ids"),
        ({"client_ids": CLIENT_ID}, "client_ids"),
        ({"token_use": "refresh"}, "token_use"),
        ({"issuer": ""}, "issuer"),
        ({"jwks_file": "jwks.json"}, "jwks_url and jwks_file"),
        ({"jwks_url": "http://issuer.example/jwks.json"}, "https"),
        ({"leeway_seconds": -1}, "leeway"),
    ],
    ids=["no-clients", "clients-as-string", "bad-token-use", "no-issuer", "url-and-file", "plain-http", "leeway"],
)
def test_given_invalid_setting_when_settings_built_should_raise(overrides: dict[str, Any], complaint: str) -> None:
    values: dict[str, Any] = {"issuer": ISSUER, "client_ids": (CLIENT_ID,), "jwks_url": JWKS_URL, **overrides}

    with pytest.raises(ValueError, match=complaint):
        JwtSettings(**values)


def test_given_settings_without_key_source_when_verifier_built_without_keys_should_raise() -> None:
    settings = JwtSettings(issuer=ISSUER, client_ids=(CLIENT_ID,))

    with pytest.raises(ValueError, match="key source"):
        TokenVerifier(settings)
