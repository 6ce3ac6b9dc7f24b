"""The Groups resource: `/groups` routes, served by `lambdas/groups`.

`GET /groups` picks the access pattern from its query: `groupType` and `userId` -> one user's
groups of a type by name; `groupType` -> the tenant's groups of a type by name; neither -> the
tenant's groups by creation time, newest first, optionally within `createdAfter`/`createdBefore`.
"""

from __future__ import annotations

from typing import Any

from tenantkit.api.errors import bad_request
from tenantkit.api.registry import RouteTable
from tenantkit.api.request import ApiRequest
from tenantkit.api.resources.params import PAGING, VERSION_QUERY, id_path
from tenantkit.auth.context import Role
from tenantkit.models.group import GROUP_SCHEMAS
from tenantkit.models.schema import object_schema
from tenantkit.models.shared_schemas import SEGMENT_SCHEMA, TIMESTAMP_SCHEMA, USER_ID_SCHEMA
from tenantkit.services.factory import ServiceFactory
from tenantkit.services.result import ServiceResult

ROUTES = RouteTable("groups")
GROUP_PATH = id_path("group_id")
LIST_QUERY = object_schema(
    {
        "group_type": SEGMENT_SCHEMA,
        "user_id": USER_ID_SCHEMA,
        "created_after": TIMESTAMP_SCHEMA,
        "created_before": TIMESTAMP_SCHEMA,
        **PAGING,
    }
)


@ROUTES.route(
    "GET",
    "/groups",
    role=Role.MEMBER,
    summary="List groups (by type and name, by user, or by creation time)",
    query_schema=LIST_QUERY,
    response_schema=GROUP_SCHEMAS.document,
    paged=True,
)
def list_groups(event: ApiRequest, context: Any, services: ServiceFactory) -> ServiceResult[Any]:
    query, ctx = event.query, event.tenant
    assert ctx is not None
    paging = {"limit": query.get("limit"), "cursor": query.get("cursor")}
    group_type, user_id = query.get("group_type"), query.get("user_id")
    ranged = "created_after" in query or "created_before" in query
    if ranged and group_type is not None:
        raise bad_request("A time range lists by creation time; leave out groupType", "groupType", "is not allowed")
    service = services.group_service
    if user_id is not None:
        if group_type is None:
            raise bad_request("userId needs groupType", "groupType", "is required with userId")
        return service.list_by_user_and_type(ctx, user_id, group_type, **paging)
    if group_type is not None:
        return service.list_by_type(ctx, group_type, **paging)
    return service.list_by_created(ctx, query.get("created_after"), query.get("created_before"), **paging)


@ROUTES.route(
    "POST",
    "/groups",
    role=Role.MEMBER,
    summary="Create a group owned by the caller",
    body_schema=GROUP_SCHEMAS.create,
    response_schema=GROUP_SCHEMAS.document,
    success_status=201,
)
def create_group(event: ApiRequest, context: Any, services: ServiceFactory) -> ServiceResult[Any]:
    assert event.tenant is not None
    return services.group_service.create(event.tenant, event.body)


@ROUTES.route(
    "GET",
    "/groups/{groupId}",
    role=Role.MEMBER,
    summary="Get one group",
    path_schema=GROUP_PATH,
    response_schema=GROUP_SCHEMAS.document,
)
def get_group(event: ApiRequest, context: Any, services: ServiceFactory) -> ServiceResult[Any]:
    assert event.tenant is not None
    return services.group_service.get(event.tenant, event.path_params["group_id"])


@ROUTES.route(
    "PATCH",
    "/groups/{groupId}",
    role=Role.MEMBER,
    summary="Update fields of a group (send `version` for optimistic locking)",
    path_schema=GROUP_PATH,
    body_schema=GROUP_SCHEMAS.update,
    response_schema=GROUP_SCHEMAS.document,
)
def update_group(event: ApiRequest, context: Any, services: ServiceFactory) -> ServiceResult[Any]:
    assert event.tenant is not None
    return services.group_service.update(event.tenant, event.path_params["group_id"], event.body)


@ROUTES.route(
    "DELETE",
    "/groups/{groupId}",
    role=Role.MEMBER,
    summary="Delete a group (`?version=` for optimistic locking); answers the deleted group",
    path_schema=GROUP_PATH,
    query_schema=VERSION_QUERY,
    response_schema=GROUP_SCHEMAS.document,
)
def delete_group(event: ApiRequest, context: Any, services: ServiceFactory) -> ServiceResult[Any]:
    assert event.tenant is not None
    return services.group_service.delete(event.tenant, event.path_params["group_id"], event.query.get("version"))
