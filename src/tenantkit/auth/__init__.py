"""tenantkit.auth: the verified caller (`TenantContext`), roles, claims, and bearer-token verification.

`TokenVerifier` imports PyJWT only when it first verifies a token.
"""

from tenantkit.auth.claims import IdentityError, context_from_claims, role_from_claims
from tenantkit.auth.context import Role, TenantContext
from tenantkit.auth.jwt_verifier import InvalidTokenError, JwtSettings, TokenVerifier

__all__ = [
    "IdentityError",
    "InvalidTokenError",
    "JwtSettings",
    "Role",
    "TenantContext",
    "TokenVerifier",
    "context_from_claims",
    "role_from_claims",
]
