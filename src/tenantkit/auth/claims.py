"""Verified claims -> `TenantContext`.

Claims come from API Gateway's Cognito authorizer (already verified) or from `TokenVerifier`.
Tenant from `custom:tenant_id`; role from `custom:role`, else the highest role in
`cognito:groups`; user from `sub`. Nothing here decodes a token.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tenantkit.auth.context import Role, TenantContext
from tenantkit.models.ids import is_resource_id, is_user_id

TENANT_CLAIM = "custom:tenant_id"
ROLE_CLAIM = "custom:role"
GROUPS_CLAIM = "cognito:groups"


class IdentityError(Exception):
    """The identity cannot act: `status` 401 (no usable identity) or 403 (no tenant or role)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _groups(value: Any) -> list[str]:
    """`cognito:groups` as API Gateway passes it: a list, "a,b", or "[a b]"."""
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, str):
        return [part for part in re.split(r"[\s,\[\]]+", value) if part]
    return []


def role_from_claims(claims: Mapping[str, Any]) -> Role | None:
    explicit = claims.get(ROLE_CLAIM)
    if isinstance(explicit, str) and explicit.strip():
        try:
            return Role.parse(explicit)
        except ValueError:
            return None
    roles = []
    for name in _groups(claims.get(GROUPS_CLAIM)):
        try:
            roles.append(Role.parse(name))
        except ValueError:
            continue
    if Role.OPERATOR in roles:
        return Role.OPERATOR
    return max(roles, key=lambda role: role.rank, default=None)


def context_from_claims(
    claims: Mapping[str, Any], correlation_id: str | None = None, *, allow_without_tenant: bool = False
) -> TenantContext:
    """The caller's context, or `IdentityError` when the claims do not make a usable identity."""
    user_id = claims.get("sub")
    if not is_user_id(user_id):
        raise IdentityError(401, "The token does not identify a user")
    role = role_from_claims(claims)
    if role is None:
        raise IdentityError(403, "The token carries no recognised role")
    tenant_id = claims.get(TENANT_CLAIM)
    if role is Role.OPERATOR:
        tenant_id = tenant_id if is_resource_id(tenant_id) else ""
    elif not tenant_id:
        if not allow_without_tenant:
            raise IdentityError(403, "The token belongs to no tenant")
        tenant_id = ""
    elif not is_resource_id(tenant_id):
        raise IdentityError(401, "The token carries an invalid tenant")
    return TenantContext(str(tenant_id), str(user_id), role, correlation_id)
