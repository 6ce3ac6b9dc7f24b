"""Dev identities: a local RSA signing key, its JWKS, and tokens shaped like Cognito's.

The key lives in `.tenantkit/local-signing-key.pem` (generated on first use, git-ignored). Tokens
carry the local issuer `LOCAL_ISSUER`, which no deployed verifier trusts, and the local stack's
gateway verifies them with the same `TokenVerifier` a Lambda uses, exactly as Cognito's authorizer
would verify a real one.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tenantkit.auth.claims import GROUPS_CLAIM, ROLE_CLAIM, TENANT_CLAIM
from tenantkit.auth.context import Role

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

    from tenantkit.auth.jwt_verifier import JwtSettings

LOCAL_ISSUER = "http://127.0.0.1/tenantkit-local"
LOCAL_CLIENT_ID = "tenantkit-local-spa"
KEY_FILE = Path(".tenantkit") / "local-signing-key.pem"
DEFAULT_TTL_SECONDS = 8 * 3600


def _load_or_create_key(path: Path) -> RSAPrivateKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError(f"{path} does not hold an RSA private key")
        return key
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    path.touch(mode=0o600)
    path.write_bytes(pem)
    return key


@dataclass
class LocalIdentityProvider:
    """Mints and describes local tokens; `key_path` is relative to the working directory by default."""

    key_path: Path = KEY_FILE
    issuer: str = LOCAL_ISSUER
    client_id: str = LOCAL_CLIENT_ID

    @cached_property
    def private_key(self) -> RSAPrivateKey:
        return _load_or_create_key(self.key_path)

    @cached_property
    def kid(self) -> str:
        import hashlib

        from cryptography.hazmat.primitives import serialization

        der = self.private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return "local-" + hashlib.sha256(der).hexdigest()[:16]

    def jwks(self) -> dict[str, Any]:
        from jwt.algorithms import RSAAlgorithm

        jwk = json.loads(RSAAlgorithm.to_jwk(self.private_key.public_key()))
        jwk.update({"kid": self.kid, "alg": "RS256", "use": "sig"})
        return {"keys": [jwk]}

    def jwt_settings(self) -> JwtSettings:
        """What the local gateway verifies against: access tokens for the local client only."""
        from tenantkit.auth.jwt_verifier import JwtSettings

        return JwtSettings(issuer=self.issuer, client_ids=(self.client_id,), token_use="access")  # noqa: S106

    def mint(
        self,
        *,
        tenant_id: str | None,
        user_id: str,
        role: Role,
        ttl_seconds: int = DEFAULT_TTL_SECONDS,
        **overrides: Any,
    ) -> str:
        """A signed access token like Cognito's, with tenancy in custom attributes and the role in groups."""
        import jwt

        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": user_id,
            "iss": self.issuer,
            "client_id": self.client_id,
            "token_use": "access",
            "scope": "openid profile",
            "auth_time": now,
            "iat": now,
            "exp": now + ttl_seconds,
            "jti": str(uuid.uuid4()),
            "username": user_id,
            ROLE_CLAIM: role.value,
            GROUPS_CLAIM: [role.value],
        }
        if tenant_id:
            claims[TENANT_CLAIM] = tenant_id
        claims.update(overrides)
        return jwt.encode(claims, self.private_key, algorithm="RS256", headers={"kid": self.kid})
