"""Audit records for changes: built here, written by services in the change's own transaction."""

from __future__ import annotations

from typing import Any

from tenantkit.auth.context import TenantContext
from tenantkit.models.audit import AuditRecord
from tenantkit.models.base import BaseModel
from tenantkit.models.values import native
from tenantkit.store.expressions import Put, not_exists

REDACTED = "[redacted]"


def _visible(model_cls: type[BaseModel], values: dict[str, Any]) -> dict[str, Any]:
    """`values` with the model's sensitive fields redacted (their names stay visible)."""
    hidden = model_cls.SENSITIVE_FIELDS
    return {name: (REDACTED if name in hidden else native(value)) for name, value in values.items()}


def audit_put(
    ctx: TenantContext,
    action: str,
    entity: BaseModel,
    old_values: dict[str, Any],
    new_values: dict[str, Any],
) -> Put:
    """A conditional put of the audit record for one change to `entity` by `ctx`."""
    record = AuditRecord(ctx.tenant_id, ctx.user_id)
    record.actor_role = ctx.role.value
    record.action = action
    record.entity_type = entity.model_name
    record.entity_id = entity.id
    record.changed_fields = sorted(set(old_values) | set(new_values))
    record.old_values = _visible(type(entity), old_values)
    record.new_values = _visible(type(entity), new_values)
    record.entity_version = entity.version
    record.correlation_id = ctx.correlation_id
    return Put(record.to_item(), not_exists(record.primary_index.partition_key.attribute_name))
