"""Writes shared by tenant onboarding and user management: the tenant counters and email claims.

Counters live on the tenant profile and change in the same transaction as the membership, under
conditions: the tenant is active and below its user limit when a user joins; at least one owner
remains when an owner leaves or is demoted.
"""

from __future__ import annotations

from tenantkit.models.tenant import Tenant
from tenantkit.models.user import User, UserEmail
from tenantkit.store.expressions import (
    Delete,
    Put,
    Update,
    all_of,
    equals,
    exists,
    greater_than,
    less_than_attribute,
    not_exists,
)


def tenant_key(tenant_id: str) -> dict[str, str]:
    return Tenant(tenant_id).key()


def join(user: User) -> list[Put | Update]:
    """Put the user and its email claim; count them in, if the tenant is active and has room."""
    owner = 1 if user.role == "owner" else 0
    counters = Update(
        tenant_key(user.tenant_id),
        {},
        increments={"user_count": 1, "owner_count": owner},
        condition=all_of(
            exists("pk"), equals("status", "active"), less_than_attribute("user_count", "limits.max_users")
        ),
    )
    claim = UserEmail(user.tenant_id, user.id, user.email)
    return [Put(user.to_item(), not_exists("pk")), Put(claim.to_item(), not_exists("pk")), counters]


def leave(user: User) -> list[Delete | Update]:
    """Delete the user (at its version) and its email claim; count it out, keeping one owner."""
    claim = UserEmail(user.tenant_id, user.id, user.email)
    owner = user.role == "owner"
    counters = Update(
        tenant_key(user.tenant_id),
        {},
        increments={"user_count": -1, "owner_count": -1 if owner else 0},
        condition=all_of(exists("pk"), greater_than("owner_count", 1)) if owner else exists("pk"),
    )
    return [Delete(user.key(), all_of(exists("pk"), equals("version", user.version))), Delete(claim.key()), counters]


def owners_change(tenant_id: str, delta: int) -> Update:
    """Count an owner in (+1) or out (-1); out only while another owner remains."""
    condition = all_of(exists("pk"), greater_than("owner_count", 1)) if delta < 0 else exists("pk")
    return Update(tenant_key(tenant_id), {}, increments={"owner_count": delta}, condition=condition)
