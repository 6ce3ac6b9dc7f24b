"""Demo data for the local stack: two tenants, each with an owner, an admin and a member, and groups.

Ids are fixed so tokens and URLs in docs stay valid across restarts; seeding is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tenantkit.auth.context import Role, TenantContext


@dataclass(frozen=True)
class DemoUser:
    handle: str
    tenant_id: str
    user_id: str
    role: Role
    email: str

    def context(self) -> TenantContext:
        return TenantContext(self.tenant_id, self.user_id, self.role)


ACME = "01JDEM0ACME0000000000000AA"
GLOBEX = "01JDEM0G10BEX00000000000BB"
TENANT_NAMES = {ACME: "Acme Corp", GLOBEX: "Globex"}

DEMO_USERS = (
    DemoUser("acme-owner", ACME, "00000000-0000-4000-8000-0000000a0001", Role.OWNER, "owner@acme.example"),
    DemoUser("acme-admin", ACME, "00000000-0000-4000-8000-0000000a0002", Role.ADMIN, "admin@acme.example"),
    DemoUser("acme-member", ACME, "00000000-0000-4000-8000-0000000a0003", Role.MEMBER, "member@acme.example"),
    DemoUser("globex-owner", GLOBEX, "00000000-0000-4000-8000-0000000b0001", Role.OWNER, "owner@globex.example"),
    DemoUser("globex-admin", GLOBEX, "00000000-0000-4000-8000-0000000b0002", Role.ADMIN, "admin@globex.example"),
    DemoUser("globex-member", GLOBEX, "00000000-0000-4000-8000-0000000b0003", Role.MEMBER, "member@globex.example"),
)

DEMO_GROUPS = (
    ("acme-owner", "01JDEM0GR0VP00000000000A01", "Leadership", "team", "private"),
    ("acme-admin", "01JDEM0GR0VP00000000000A02", "Engineering", "team", "tenant"),
    ("acme-member", "01JDEM0GR0VP00000000000A03", "Book club", "club", "tenant"),
    ("acme-member", "01JDEM0GR0VP00000000000A04", "My drafts", "personal", "private"),
    ("globex-owner", "01JDEM0GR0VP00000000000B01", "Board", "team", "private"),
    ("globex-member", "01JDEM0GR0VP00000000000B02", "Hiking", "club", "tenant"),
)


def demo_user(handle: str) -> DemoUser:
    for user in DEMO_USERS:
        if user.handle == handle:
            return user
    raise KeyError(f"no demo user {handle!r}; choose one of: {', '.join(u.handle for u in DEMO_USERS)}")


def seed_memberships(services: Any) -> int:
    """The demo tenants, their users and email claims, and the users' local sign-ins (idempotent)."""
    from tenantkit.models.tenant import Tenant
    from tenantkit.models.user import User, UserEmail
    from tenantkit.services.identity import LocalIdentity, LocalIdentityStore
    from tenantkit.store.expressions import Put, not_exists
    from tenantkit.store.gateway import ConditionFailedError

    created = 0
    identity = services.identity
    for tenant_id, name in TENANT_NAMES.items():
        members = [u for u in DEMO_USERS if u.tenant_id == tenant_id]
        tenant = Tenant(tenant_id, members[0].user_id)
        tenant.name, tenant.plan = name, "pro"
        tenant.user_count = len(members)
        tenant.owner_count = sum(1 for u in members if u.role is Role.OWNER)
        items = [tenant.to_item()]
        for member in members:
            user = User(tenant_id, member.user_id)
            user.email, user.name, user.role = member.email, member.handle, member.role.value
            user.status = "active"
            items += [user.to_item(), UserEmail(tenant_id, member.user_id, member.email).to_item()]
            if isinstance(identity, LocalIdentityStore):
                identity.ensure(
                    LocalIdentity(member.user_id, member.email, member.handle, tenant_id, member.role.value)
                )
        view = services.table("tenants").for_tenant(tenant_id)
        for item in items:
            try:
                view.write([Put(item, not_exists("pk"))])
                created += 1
            except ConditionFailedError:
                continue
    return created


def seed(services: Any) -> int:
    """Create the demo tenants, users and groups that are missing; returns how many items were created."""
    created = seed_memberships(services)
    for handle, group_id, name, group_type, visibility in DEMO_GROUPS:
        payload = {
            "id": group_id,
            "name": name,
            "group_type": group_type,
            "privacy_settings": {"visibility": visibility},
            "description": f"Demo group of {handle}",
        }
        result = services.group_service.create(demo_user(handle).context(), payload)
        created += int(result.success)
    return created
