"""tenantkit.auth: the verified caller (`TenantContext`), roles, claims, and bearer-token verification.

Names load on first use, and `TokenVerifier` imports PyJWT only when it first verifies a token.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tenantkit._lazy import lazy_exports

_EXPORTS = {
    "Role": "context",
    "TenantContext": "context",
    "IdentityError": "claims",
    "context_from_claims": "claims",
    "role_from_claims": "claims",
    "InvalidTokenError": "jwt_verifier",
    "JwtSettings": "jwt_verifier",
    "TokenVerifier": "jwt_verifier",
}

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_exports(__name__, _EXPORTS, globals())


if TYPE_CHECKING:
    from tenantkit.auth.claims import IdentityError, context_from_claims, role_from_claims
    from tenantkit.auth.context import Role, TenantContext
    from tenantkit.auth.jwt_verifier import InvalidTokenError, JwtSettings, TokenVerifier
