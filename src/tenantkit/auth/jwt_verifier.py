"""Bearer-token verification for Cognito-style JWTs (access or ID tokens).

Only asymmetric algorithms from a fixed allow-list are accepted, and the header's `alg` is checked
before any key is looked up, so `alg=none` and HS256-signed-with-the-public-key tokens fail early.
PyJWT verifies the signature; the time and claim checks are ours, in a fixed order, against an
injectable clock. `jwt` is imported lazily: it costs ~100 ms of Lambda cold start.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tenantkit.auth.jwks import Fetch, KeySetCache, KeySetError, check_jwks_url, default_fetch

if TYPE_CHECKING:
    from jwt import PyJWK

ASYMMETRIC_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
TOKEN_USES = ("access", "id")
MAX_TOKEN_LENGTH = 8 * 1024
DEFAULT_LEEWAY_SECONDS = 30
_REQUIRED_CLAIMS = ["exp", "iss", "sub", "token_use"]


class InvalidTokenError(Exception):
    """A bearer token was refused. `reason` is a short machine code (e.g. "expired", "bad_signature",
    "unknown_key", "keys_unavailable"); the message never holds the token or key material."""

    def __init__(self, reason: str, detail: str | None = None) -> None:
        self.reason = reason
        super().__init__(f"invalid token: {reason}" + (f" ({detail})" if detail else ""))


@dataclass(frozen=True, slots=True)
class JwtSettings:
    """Which tokens to trust: one issuer, its app clients, one token use, asymmetric algorithms only."""

    issuer: str
    client_ids: tuple[str, ...]
    token_use: str = "access"  # noqa: S105 - a claim value, not a secret
    algorithms: tuple[str, ...] = ("RS256",)
    leeway_seconds: int = DEFAULT_LEEWAY_SECONDS
    jwks_url: str | None = None
    jwks_file: str | None = None
    refetch_cooldown_seconds: float = 60.0
    jwks_max_age_seconds: float = 3600.0

    def __post_init__(self) -> None:
        if not isinstance(self.issuer, str) or not self.issuer:
            raise ValueError("issuer is required")
        if isinstance(self.client_ids, str) or isinstance(self.algorithms, str):
            raise ValueError("client_ids and algorithms must be tuples of strings, not a string")
        object.__setattr__(self, "client_ids", tuple(self.client_ids))
        object.__setattr__(self, "algorithms", tuple(self.algorithms))
        if not self.client_ids or not all(isinstance(c, str) and c for c in self.client_ids):
            raise ValueError("client_ids must hold at least one non-empty app client id")
        if self.token_use not in TOKEN_USES:
            raise ValueError(f"token_use must be one of {TOKEN_USES}")
        refused = [alg for alg in self.algorithms if alg not in ASYMMETRIC_ALGORITHMS]
        if not self.algorithms or refused:
            raise ValueError(f"algorithms must be asymmetric ({sorted(ASYMMETRIC_ALGORITHMS)}); refused: {refused}")
        if self.jwks_url is not None and self.jwks_file is not None:
            raise ValueError("set at most one of jwks_url and jwks_file")
        if self.jwks_url is not None:
            check_jwks_url(self.jwks_url)
        if self.leeway_seconds < 0 or self.refetch_cooldown_seconds < 0 or self.jwks_max_age_seconds <= 0:
            raise ValueError("leeway and cooldown must be >= 0 and the key set max age > 0")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> JwtSettings | None:
        """Settings from `JWT_ISSUER`, `JWT_CLIENT_IDS` (comma separated), `JWT_TOKEN_USE`, `JWKS_URL`,
        `JWKS_FILE` and `JWT_LEEWAY_SECONDS`; None when `JWT_ISSUER` is unset (auth not configured).

        With neither `JWKS_URL` nor `JWKS_FILE`, the key set is the issuer's Cognito-standard
        `<issuer>/.well-known/jwks.json`.
        """
        env = os.environ if environ is None else environ

        def value(name: str) -> str:
            return env.get(name, "").strip()

        issuer = value("JWT_ISSUER")
        if not issuer:
            return None
        jwks_url = value("JWKS_URL") or None
        jwks_file = value("JWKS_FILE") or None
        if jwks_url is None and jwks_file is None:
            jwks_url = issuer.rstrip("/") + "/.well-known/jwks.json"
        leeway = value("JWT_LEEWAY_SECONDS")
        try:
            leeway_seconds = int(leeway) if leeway else DEFAULT_LEEWAY_SECONDS
        except ValueError:
            raise ValueError("JWT_LEEWAY_SECONDS must be a whole number of seconds") from None
        return cls(
            issuer=issuer,
            client_ids=tuple(part.strip() for part in value("JWT_CLIENT_IDS").split(",") if part.strip()),
            token_use=value("JWT_TOKEN_USE") or "access",
            leeway_seconds=leeway_seconds,
            jwks_url=jwks_url,
            jwks_file=jwks_file,
        )


class TokenVerifier:
    """Verifies bearer tokens for one issuer.

    Build it once per process (module scope in a Lambda) so the key cache survives warm invocations.
    Nothing is read or fetched until the first `verify`. `jwks` (a JWKS mapping) takes precedence
    over the settings' `jwks_url`/`jwks_file` and is never refreshed.
    """

    def __init__(
        self,
        settings: JwtSettings,
        *,
        jwks: Mapping[str, Any] | None = None,
        fetch: Fetch | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if jwks is None and settings.jwks_url is None and settings.jwks_file is None:
            raise ValueError("no key source: set jwks_url or jwks_file, or pass jwks")
        self.settings = settings
        self._clock = clock
        self._keys = KeySetCache(
            static=jwks,
            file=settings.jwks_file if jwks is None else None,
            url=settings.jwks_url if jwks is None and settings.jwks_file is None else None,
            fetch=fetch or default_fetch,
            clock=clock,
            max_age_seconds=settings.jwks_max_age_seconds,
            cooldown_seconds=settings.refetch_cooldown_seconds,
        )

    def verify(self, token: str) -> dict[str, Any]:
        """The token's claims once signature, expiry, issuer, token use and client all check out.

        Raises InvalidTokenError (see its `reason`) for anything else.
        """
        alg, kid = self._check_header(token)
        key = self._find_key(kid)
        if key.algorithm_name != alg:
            # The key is bound to one algorithm: a token may not pick another one for it.
            raise InvalidTokenError("algorithm_not_allowed", "does not match the key's algorithm")
        claims = self._check_signature(token, key, alg)
        self._check_times(claims)
        self._check_issuer_and_client(claims)
        return claims

    def _check_header(self, token: str) -> tuple[str, str]:
        if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH or not token.isascii() or token.count(".") != 2:
            raise InvalidTokenError("malformed")
        import jwt

        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise InvalidTokenError("malformed", "unreadable header") from None
        alg = header.get("alg")
        if not isinstance(alg, str) or alg not in self.settings.algorithms:
            raise InvalidTokenError("algorithm_not_allowed")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise InvalidTokenError("malformed", "no kid")
        return alg, kid

    def _find_key(self, kid: str) -> PyJWK:
        try:
            key = self._keys.get(kid)
        except KeySetError:
            raise InvalidTokenError("keys_unavailable") from None
        if key is None:
            raise InvalidTokenError("unknown_key")
        return key

    def _check_signature(self, token: str, key: PyJWK, alg: str) -> dict[str, Any]:
        """Signature and claim presence via PyJWT; the remaining checks use our clock and order."""
        import jwt

        try:
            return jwt.decode(
                token,
                key.key,
                algorithms=[alg],  # alg is already in the configured allow-list and bound to the key
                options={
                    "require": list(_REQUIRED_CLAIMS),
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                    "verify_iss": False,
                    "verify_aud": False,
                },
            )
        except jwt.InvalidSignatureError:
            raise InvalidTokenError("bad_signature") from None
        except jwt.MissingRequiredClaimError as exc:
            raise InvalidTokenError("missing_claim", exc.claim) from None
        except jwt.InvalidAlgorithmError:
            raise InvalidTokenError("algorithm_not_allowed") from None
        except jwt.DecodeError:
            raise InvalidTokenError("malformed") from None
        except jwt.PyJWTError:
            raise InvalidTokenError("invalid") from None

    def _check_times(self, claims: Mapping[str, Any]) -> None:
        now = self._clock()
        leeway = self.settings.leeway_seconds
        if _numeric_date(claims, "exp") <= now - leeway:
            raise InvalidTokenError("expired")
        for name in ("nbf", "iat"):
            if name in claims and _numeric_date(claims, name) > now + leeway:
                raise InvalidTokenError("not_yet_valid", name)

    def _check_issuer_and_client(self, claims: Mapping[str, Any]) -> None:
        settings = self.settings
        if claims["iss"] != settings.issuer:
            raise InvalidTokenError("wrong_issuer")
        if claims["token_use"] != settings.token_use:
            raise InvalidTokenError("wrong_token_use")
        if settings.token_use == "access":  # noqa: S105 - a claim value, not a secret
            # Cognito access tokens carry the app client in `client_id` and have no `aud`.
            client_id = claims.get("client_id")
            if not isinstance(client_id, str) or client_id not in settings.client_ids:
                raise InvalidTokenError("wrong_client")
            return
        audience = claims.get("aud")
        audiences = [audience] if isinstance(audience, str) else audience
        # OpenID Connect: reject an ID token naming any audience we do not trust.
        if not isinstance(audiences, list) or not audiences or not all(a in settings.client_ids for a in audiences):
            raise InvalidTokenError("wrong_client")


def _numeric_date(claims: Mapping[str, Any], name: str) -> float:
    """A finite JSON number (Python's json accepts NaN, which would compare False against everything)."""
    value = claims.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidTokenError("malformed", f"{name} is not a number")
    return float(value)
