"""Who is calling: `TenantContext`, built only from a verified identity, and the role ladder."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.Enum):
    """Per-tenant roles, ordered: owner > admin > member. `OPERATOR` is the platform, outside tenants."""

    MEMBER = "member"
    ADMIN = "admin"
    OWNER = "owner"
    OPERATOR = "operator"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def at_least(self, other: Role) -> bool:
        """True when this role may do what `other` may inside a tenant.

        The platform operator stands outside the tenant ladder: it satisfies only `OPERATOR`, and no
        tenant role satisfies `OPERATOR`.
        """
        if Role.OPERATOR in (self, other):
            return self is other
        return self.rank >= other.rank

    @classmethod
    def parse(cls, value: str) -> Role:
        """The role named `value` (case-insensitive); ValueError for anything else."""
        return cls(value.strip().lower())


_RANKS = {Role.MEMBER: 1, Role.ADMIN: 2, Role.OWNER: 3, Role.OPERATOR: 0}


@dataclass(frozen=True, slots=True)
class TenantContext:
    """The verified caller: tenant, user and role. Services take this, never a raw tenant id.

    `correlation_id` ties the audit trail and logs of one request together.
    """

    tenant_id: str
    user_id: str
    role: Role
    correlation_id: str | None = None

    def is_at_least(self, role: Role) -> bool:
        return self.role.at_least(role)

    @property
    def is_admin(self) -> bool:
        return self.role.at_least(Role.ADMIN)
