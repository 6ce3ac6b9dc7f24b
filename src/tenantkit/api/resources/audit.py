"""The Audit resource: `GET /audit`, served by `lambdas/audit`.

A tenant's audit trail, newest first, for admins and owners: optionally one entity type
(`entityType`), one entity (`entityType` + `entityId`) and a time range (`createdAfter` /
`createdBefore`, inclusive). Records are immutable: no route changes or deletes them, and any other
method on `/audit` answers 405.
"""

from __future__ import annotations

from typing import Any

from tenantkit.api.registry import RouteTable
from tenantkit.api.request import ApiRequest
from tenantkit.api.resources.params import PAGING
from tenantkit.auth.context import Role
from tenantkit.models.audit import AUDIT_SCHEMAS, ENTITY_ID_SCHEMA
from tenantkit.models.schema import object_schema
from tenantkit.models.shared_schemas import SEGMENT_SCHEMA, TIMESTAMP_SCHEMA
from tenantkit.services.factory import ServiceFactory
from tenantkit.services.result import ServiceResult

ROUTES = RouteTable("audit")
LIST_QUERY = object_schema(
    {
        "entity_type": SEGMENT_SCHEMA,
        "entity_id": ENTITY_ID_SCHEMA,
        "created_after": TIMESTAMP_SCHEMA,
        "created_before": TIMESTAMP_SCHEMA,
        **PAGING,
    }
)


@ROUTES.route(
    "GET",
    "/audit",
    role=Role.ADMIN,
    summary="List the tenant's audit records, newest first (by entity type, entity and time range)",
    query_schema=LIST_QUERY,
    response_schema=AUDIT_SCHEMAS.document,
    paged=True,
)
def list_audit_records(event: ApiRequest, context: Any, services: ServiceFactory) -> ServiceResult[Any]:
    query, ctx = event.query, event.tenant
    assert ctx is not None
    return services.audit_service.list(
        ctx,
        entity_type=query.get("entity_type"),
        entity_id=query.get("entity_id"),
        created_after=query.get("created_after"),
        created_before=query.get("created_before"),
        limit=query.get("limit"),
        cursor=query.get("cursor"),
    )
