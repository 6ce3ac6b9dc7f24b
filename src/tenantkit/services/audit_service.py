"""AuditService: a tenant's audit trail, read-only. Admins and owners read it; nobody changes it.

Audit records are written only by the services that make a change, in the change's own
transaction (`services.audit_trail`). This service reads them and has no method that writes:
it is not a `TenantResourceService` and inherits no create, update or delete.

One list, newest first, each variant one query on a tenant-first partition:
- no entity filter: the tenant's trail (primary partition `tenant#<t>#audit`);
- `entity_type` and `entity_id`: one entity's trail (gsi1);
- `entity_type` alone: the tenant's trail filtered inside the query (pages are still filled);
- `created_after` / `created_before` (inclusive ISO-8601 instants): a sort-key range over the
  ULID ids, which encode their creation millisecond.
"""

from __future__ import annotations

import re
from typing import Any

from tenantkit.auth.context import TenantContext
from tenantkit.models.audit import AuditRecord
from tenantkit.models.ids import (
    MAX_ULID_MS,
    is_resource_id,
    is_user_id,
    ulid_ceiling,
    ulid_floor,
)
from tenantkit.models.keys import build_prefix
from tenantkit.models.shared_schemas import SEGMENT_SCHEMA
from tenantkit.services.base import forbidden, identity_problem, invalid
from tenantkit.services.outcomes import expected_outcomes
from tenantkit.services.result import ListPage, ServiceResult
from tenantkit.services.time_range import time_span
from tenantkit.store.expressions import Condition, equals
from tenantkit.store.gateway import Table, TenantTable
from tenantkit.store.query import KeyQuery, SortCondition, begins_with, between, page_size

_SEGMENT = re.compile(SEGMENT_SCHEMA["pattern"])


class AuditService:
    """Reads the audit trail of the caller's tenant (admin and owner only)."""

    label = "Audit record"

    def __init__(self, table: Table) -> None:
        self.table = table

    def view(self, ctx: TenantContext) -> TenantTable:
        return self.table.for_tenant(ctx.tenant_id)

    @expected_outcomes
    def list(
        self,
        ctx: TenantContext,
        entity_type: str | None = None,
        entity_id: str | None = None,
        created_after: str | None = None,
        created_before: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> ServiceResult[ListPage[AuditRecord]]:
        """The tenant's audit records, newest first, optionally of one entity type or entity and in a range.

        `created_after` / `created_before` are inclusive; `entity_id` needs `entity_type`.
        """
        identity = identity_problem(ctx)
        if identity:
            return identity
        if not ctx.is_admin:
            return forbidden("Only admins and owners can read the audit trail")
        problem = _check_entity(entity_type, entity_id)
        if problem:
            return problem
        span = time_span(created_after, created_before, MAX_ULID_MS)
        if isinstance(span, ServiceResult):
            return span
        if span is None:  # the range ends before the epoch: no record can fall inside it
            page_size(limit)
            return ServiceResult.success_result(ListPage([], None))
        probe = AuditRecord(ctx.tenant_id, ctx.user_id)
        if entity_type is not None and entity_id is not None:
            probe.entity_type, probe.entity_id = entity_type, entity_id
            query = _query(probe, "gsi1", _sort(span))
        else:
            type_filter = equals("entity_type", entity_type) if entity_type is not None else None
            query = _query(probe, None, _sort(span), type_filter)
        page = self.view(ctx).query(query, limit=limit, cursor=cursor)
        records = [AuditRecord.from_item(item) for item in page.items]
        return ServiceResult.success_result(ListPage(records, page.next_cursor))


def _check_entity(entity_type: str | None, entity_id: str | None) -> ServiceResult[Any] | None:
    if entity_type is not None and (not isinstance(entity_type, str) or not _SEGMENT.match(entity_type)):
        return invalid("Invalid entity type", "entity_type", "must be letters, digits, '_', '.' or '-'")
    if entity_id is None:
        return None
    if not is_resource_id(entity_id) and not is_user_id(entity_id):
        return invalid("Invalid entity id", "entity_id", "must be a valid id")
    if entity_type is None:
        return invalid("entityId needs entityType", "entity_type", "is required with entityId")
    return None


def _sort(span: tuple[int, int]) -> SortCondition:
    prefix = build_prefix("audit")
    if span == (0, MAX_ULID_MS):
        return begins_with(prefix)
    return between(prefix + ulid_floor(span[0]), prefix + ulid_ceiling(span[1]))


def _query(
    probe: AuditRecord, index: str | None, sort: SortCondition, type_filter: Condition | None = None
) -> KeyQuery:
    definition = probe.get_key(index) if index else probe.primary_index
    return KeyQuery(
        partition_attribute=definition.partition_key.attribute_name,
        partition_value=str(definition.partition_key.value),
        sort_attribute=definition.sort_key.attribute_name,
        sort=sort,
        index=index,
        ascending=False,
        filter=type_filter,
    )
