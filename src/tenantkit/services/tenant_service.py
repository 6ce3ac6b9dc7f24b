"""TenantService: onboarding (platform operator) and the tenant's own profile.

- `create_tenant` (operator only): the tenant, its first owner's membership and email claim, their
  audit records and events, in one transaction, after creating the owner's sign-in (undone if the
  transaction fails).
- `get` (any member) and `update` (owner: name and settings). Plan, tier, limits and status are the
  platform's: only the operator changes them (`operator_update`); a tenant user trying gets 403.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tenantkit.auth.context import Role, TenantContext
from tenantkit.models.ids import new_id
from tenantkit.models.tenant import DEFAULT_LIMITS, PLATFORM_FIELDS, Tenant
from tenantkit.models.user import User, UserEmail, normalize_email
from tenantkit.services.audit_trail import audit_put
from tenantkit.services.base import TenantResourceService, forbidden
from tenantkit.services.events import DomainEvent
from tenantkit.services.identity import IdentityProvider, UserExistsError
from tenantkit.services.outbox import Outbox
from tenantkit.services.outcomes import conflict, expected_outcomes
from tenantkit.services.result import ServiceResult
from tenantkit.store.expressions import Put, not_exists
from tenantkit.store.gateway import Table


class TenantService(TenantResourceService[Tenant]):
    model_cls = Tenant
    label = "Tenant"

    def __init__(self, table: Table, identity: IdentityProvider, outbox: Outbox | None = None) -> None:
        super().__init__(table, outbox)
        self.identity = identity

    def can_read(self, ctx: TenantContext, model: Tenant) -> bool:
        return model.tenant_id == ctx.tenant_id

    def can_modify(self, ctx: TenantContext, model: Tenant) -> bool:
        return model.tenant_id == ctx.tenant_id and ctx.role in (Role.OWNER, Role.OPERATOR)

    def check_update(self, ctx: TenantContext, current: Tenant, changes: dict[str, Any]) -> ServiceResult[Any] | None:
        del current
        if ctx.role is not Role.OPERATOR and any(name in changes for name in PLATFORM_FIELDS):
            return forbidden("Plan, tier, limits and status are managed by the platform")
        return None

    def merge_changes(self, current: Tenant, changes: dict[str, Any]) -> dict[str, Any]:
        """`limits` is updated key by key: a change to one limit keeps the others."""
        if "limits" in changes:
            return {**changes, "limits": {**current.limits, **dict(changes["limits"])}}
        return changes

    def events_for(
        self, ctx: TenantContext, action: str, before: Tenant | None, after: Tenant | None
    ) -> list[DomainEvent]:
        if action != "update" or before is None or after is None:
            return []
        changed = {
            name: getattr(after, name) for name in PLATFORM_FIELDS if getattr(after, name) != getattr(before, name)
        }
        if not changed:
            return []
        return [DomainEvent("TenantPlanChanged", ctx.tenant_id, "tenant", after.id, ctx.user_id, changed)]

    @expected_outcomes
    def create_tenant(self, ctx: TenantContext, payload: Mapping[str, Any]) -> ServiceResult[dict[str, Any]]:
        """Onboard a tenant and its first owner (platform operator only)."""
        if ctx.role is not Role.OPERATOR:
            return forbidden("Only the platform creates tenants")
        problem = self._schema_errors("create", payload)
        if problem:
            return problem
        tenant_id = new_id()
        owner_payload = dict(payload["owner"])
        email, name = normalize_email(str(owner_payload["email"])), str(owner_payload.get("name", ""))
        try:
            owner_id = self.identity.create_user(email=email, name=name, tenant_id=tenant_id, role="owner")
        except UserExistsError:
            return conflict("A user with this email exists")
        tenant = Tenant(tenant_id, ctx.user_id)
        tenant.name = str(payload["name"])
        tenant.plan = str(payload.get("plan", tenant.plan))
        tenant.tier = str(payload.get("tier", tenant.tier))
        tenant.limits = {**DEFAULT_LIMITS, **dict(payload.get("limits", {}))}
        tenant.settings = dict(payload.get("settings", {}))
        tenant.user_count, tenant.owner_count = 1, 1
        owner = User(tenant_id, owner_id)
        owner.email, owner.name, owner.role = email, name, "owner"
        scoped = TenantContext(tenant_id, ctx.user_id, Role.OPERATOR, ctx.correlation_id)
        operations = [
            Put(tenant.to_item(), not_exists("pk")),
            Put(owner.to_item(), not_exists("pk")),
            Put(UserEmail(tenant_id, owner_id, email).to_item(), not_exists("pk")),
            audit_put(scoped, "create", tenant, {}, tenant.to_public_dict()),
            audit_put(scoped, "create", owner, {}, owner.to_public_dict()),
        ]
        events = [
            DomainEvent("TenantCreated", tenant_id, "tenant", tenant_id, ctx.user_id, {"plan": tenant.plan}),
            DomainEvent("UserInvited", tenant_id, "user", owner_id, ctx.user_id, {"role": "owner"}),
        ]
        try:
            self._commit(scoped, operations, events)
        except Exception:
            self.identity.delete_user(user_id=owner_id)
            raise
        return ServiceResult.success_result({"tenant": tenant, "owner": owner}, status_code=201)

    def get_own(self, ctx: TenantContext) -> ServiceResult[Tenant]:
        return self.get(ctx, ctx.tenant_id)

    def update_own(self, ctx: TenantContext, changes: Mapping[str, Any]) -> ServiceResult[Tenant]:
        return self.update(ctx, ctx.tenant_id, changes)

    def operator_update(self, ctx: TenantContext, tenant_id: str, changes: Mapping[str, Any]) -> ServiceResult[Tenant]:
        """The platform changes any field of a tenant, plan and limits included."""
        if ctx.role is not Role.OPERATOR:
            return forbidden("Only the platform changes this")
        scoped = TenantContext(tenant_id, ctx.user_id, Role.OPERATOR, ctx.correlation_id)
        return self.update(scoped, tenant_id, changes)
