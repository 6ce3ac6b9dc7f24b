"""The Tasks resource: `/tasks` routes, served by `lambdas/tasks`.

`GET /tasks` lists newest first by at most one of `status`, `assigneeId` or `groupId`; with none of
them it lists the caller's assigned tasks. Members see tasks they created or are assigned to.
`POST /tasks/{taskId}/complete` marks a PENDING or IN_PROGRESS task COMPLETED (409 otherwise).
"""

from __future__ import annotations

from typing import Any

from tenantkit.api.errors import bad_request
from tenantkit.api.registry import RouteTable
from tenantkit.api.request import ApiRequest
from tenantkit.api.resources.params import PAGING, VERSION_QUERY, id_path
from tenantkit.auth.context import Role
from tenantkit.models.casing import snake_to_camel
from tenantkit.models.schema import object_schema
from tenantkit.models.shared_schemas import ID_SCHEMA, USER_ID_SCHEMA
from tenantkit.models.task import STATUS_SCHEMA, TASK_SCHEMAS
from tenantkit.services.factory import ServiceFactory
from tenantkit.services.result import ServiceResult

ROUTES = RouteTable("tasks")
TASK_PATH = id_path("task_id")
#: The list filters; at most one per request.
FILTERS = ("status", "assignee_id", "group_id")
LIST_QUERY = object_schema({"status": STATUS_SCHEMA, "assignee_id": USER_ID_SCHEMA, "group_id": ID_SCHEMA, **PAGING})


@ROUTES.route(
    "GET",
    "/tasks",
    role=Role.MEMBER,
    summary="List tasks newest first, by status, assignee or group (default: assigned to the caller)",
    query_schema=LIST_QUERY,
    response_schema=TASK_SCHEMAS.document,
    paged=True,
)
def list_tasks(event: ApiRequest, context: Any, services: ServiceFactory) -> ServiceResult[Any]:
    query, ctx = event.query, event.tenant
    assert ctx is not None
    paging = {"limit": query.get("limit"), "cursor": query.get("cursor")}
    given = [name for name in FILTERS if name in query]
    if len(given) > 1:
        wire = [snake_to_camel(name) for name in given]
        raise bad_request(f"Filter by one of {', '.join(wire)}, not several", wire[1], "is not allowed with " + wire[0])
    service = services.task_service
    if "status" in query:
        return service.list_by_status(ctx, query["status"], **paging)
    if "group_id" in query:
        return service.list_by_group(ctx, query["group_id"], **paging)
    return service.list_by_assignee(ctx, query.get("assignee_id", ctx.user_id), **paging)


@ROUTES.route(
    "POST",
    "/tasks",
    role=Role.MEMBER,
    summary="Create a task (created by the caller, status PENDING)",
    body_schema=TASK_SCHEMAS.create,
    response_schema=TASK_SCHEMAS.document,
    success_status=201,
)
def create_task(event: ApiRequest, context: Any, services: ServiceFactory) -> ServiceResult[Any]:
    assert event.tenant is not None
    return services.task_service.create(event.tenant, event.body)


@ROUTES.route(
    "GET",
    "/tasks/{taskId}",
    role=Role.MEMBER,
    summary="Get one task",
    path_schema=TASK_PATH,
    response_schema=TASK_SCHEMAS.document,
)
def get_task(event: ApiRequest, context: Any, services: ServiceFactory) -> ServiceResult[Any]:
    assert event.tenant is not None
    return services.task_service.get(event.tenant, event.path_params["task_id"])


@ROUTES.route(
    "PATCH",
    "/tasks/{taskId}",
    role=Role.MEMBER,
    summary="Update fields of a task, status along legal transitions only (send `version` for optimistic locking)",
    path_schema=TASK_PATH,
    body_schema=TASK_SCHEMAS.update,
    response_schema=TASK_SCHEMAS.document,
)
def update_task(event: ApiRequest, context: Any, services: ServiceFactory) -> ServiceResult[Any]:
    assert event.tenant is not None
    return services.task_service.update(event.tenant, event.path_params["task_id"], event.body)


@ROUTES.route(
    "DELETE",
    "/tasks/{taskId}",
    role=Role.MEMBER,
    summary="Delete a task (`?version=` for optimistic locking); answers the deleted task",
    path_schema=TASK_PATH,
    query_schema=VERSION_QUERY,
    response_schema=TASK_SCHEMAS.document,
)
def delete_task(event: ApiRequest, context: Any, services: ServiceFactory) -> ServiceResult[Any]:
    assert event.tenant is not None
    return services.task_service.delete(event.tenant, event.path_params["task_id"], event.query.get("version"))


@ROUTES.route(
    "POST",
    "/tasks/{taskId}/complete",
    role=Role.MEMBER,
    summary="Complete a PENDING or IN_PROGRESS task (`?version=` for optimistic locking); answers the task",
    path_schema=TASK_PATH,
    query_schema=VERSION_QUERY,
    response_schema=TASK_SCHEMAS.document,
)
def complete_task(event: ApiRequest, context: Any, services: ServiceFactory) -> ServiceResult[Any]:
    assert event.tenant is not None
    return services.task_service.complete(event.tenant, event.path_params["task_id"], event.query.get("version"))
