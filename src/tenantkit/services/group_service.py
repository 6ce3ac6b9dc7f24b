"""GroupService: groups of a tenant. Members manage their own and read shared ones; admins all.

Lists (each one query on a tenant-first partition, paged with signed cursors):
- `list_by_user_and_type`: a user's groups of one type, by name (members: only their own);
- `list_by_type`: the tenant's groups of one type, by name;
- `list_by_created`: the tenant's groups by creation time, newest first, optional range.
For members, tenant-wide lists hold their own groups and those shared with the tenant; the
visibility filter runs inside the query and pages are still filled to `limit`.
"""

from __future__ import annotations

from typing import Any

from tenantkit.auth.context import TenantContext
from tenantkit.models.group import Group
from tenantkit.models.ids import is_user_id
from tenantkit.models.keys import build_prefix, sortable_number
from tenantkit.services.base import TenantResourceService, forbidden, invalid
from tenantkit.services.outcomes import expected_outcomes
from tenantkit.services.result import ListPage, ServiceResult
from tenantkit.services.time_range import time_span
from tenantkit.store.expressions import Condition, any_of, equals
from tenantkit.store.query import KeyQuery, SortCondition, begins_with, between

SHARED = "tenant"
#: The largest creation time a gsi3 sort key can hold (15 digits of milliseconds).
LATEST_CREATED_MS = 10**15 - 1


class GroupService(TenantResourceService[Group]):
    model_cls = Group
    label = "Group"

    def can_read(self, ctx: TenantContext, model: Group) -> bool:
        return super().can_read(ctx, model) or model.visibility == SHARED

    def _visible_to(self, ctx: TenantContext) -> Condition | None:
        if ctx.is_admin:
            return None
        return any_of(equals("user_id", ctx.user_id), equals("privacy_settings.visibility", SHARED))

    def _probe(self, ctx: TenantContext, **fields: str) -> Group:
        """A group carrying just the fields an index key needs (to compute that key)."""
        probe = Group(ctx.tenant_id, fields.pop("user_id", ctx.user_id))
        for name, value in fields.items():
            setattr(probe, name, value)
        return probe

    def _index_query(self, probe: Group, index: str, sort: SortCondition, **options: Any) -> KeyQuery:
        definition = probe.get_key(index)
        return KeyQuery(
            partition_attribute=definition.partition_key.attribute_name,
            partition_value=str(definition.partition_key.value),
            sort_attribute=definition.sort_key.attribute_name,
            sort=sort,
            index=index,
            **options,
        )

    @expected_outcomes
    def list_by_user_and_type(
        self,
        ctx: TenantContext,
        user_id: str,
        group_type: str,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> ServiceResult[ListPage[Group]]:
        problem = self._bad_context(ctx)
        if problem:
            return problem
        if not is_user_id(user_id):
            return invalid("Invalid user id", "userId", "must be a valid user id")
        if user_id != ctx.user_id and not ctx.is_admin:
            return forbidden("Members can list only their own groups")
        probe = self._probe(ctx, user_id=user_id, group_type=group_type)
        query = self._index_query(probe, "gsi1", begins_with(build_prefix("name")), ascending=True)
        return self._list(ctx, query, limit, cursor)

    @expected_outcomes
    def list_by_type(
        self, ctx: TenantContext, group_type: str, limit: int | None = None, cursor: str | None = None
    ) -> ServiceResult[ListPage[Group]]:
        problem = self._bad_context(ctx)
        if problem:
            return problem
        probe = self._probe(ctx, group_type=group_type)
        query = self._index_query(
            probe, "gsi2", begins_with(build_prefix("name")), ascending=True, filter=self._visible_to(ctx)
        )
        return self._list(ctx, query, limit, cursor)

    @expected_outcomes
    def list_by_created(
        self,
        ctx: TenantContext,
        created_after: str | None = None,
        created_before: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> ServiceResult[ListPage[Group]]:
        """Newest first; `created_after` / `created_before` are inclusive ISO-8601 bounds."""
        problem = self._bad_context(ctx)
        if problem:
            return problem
        span = time_span(created_after, created_before, LATEST_CREATED_MS)
        if isinstance(span, ServiceResult):
            return span
        if span is None:
            return ServiceResult.success_result(ListPage([]))
        prefix = build_prefix("created")
        if span == (0, LATEST_CREATED_MS):
            sort = begins_with(prefix)
        else:
            sort = between(prefix + sortable_number(span[0]), prefix + sortable_number(span[1]) + "#~")
        query = self._index_query(self._probe(ctx), "gsi3", sort, ascending=False, filter=self._visible_to(ctx))
        return self._list(ctx, query, limit, cursor)
