"""The Users resource: a tenant's members and roles (`lambdas/users`)."""

from __future__ import annotations

from typing import Any

from tenantkit.api.registry import RouteTable
from tenantkit.api.request import ApiRequest
from tenantkit.api.resources.params import PAGING, VERSION_QUERY
from tenantkit.auth.context import Role
from tenantkit.models.schema import object_schema
from tenantkit.models.shared_schemas import USER_ID_SCHEMA
from tenantkit.models.user import USER_SCHEMAS
from tenantkit.services.factory import ServiceFactory
from tenantkit.services.result import ServiceResult

ROUTES = RouteTable("users")
USER_PATH = object_schema({"user_id": USER_ID_SCHEMA}, required=("user_id",))


@ROUTES.route(
    "GET",
    "/users",
    role=Role.ADMIN,
    summary="The tenant's users by email (admins)",
    query_schema=object_schema(PAGING),
    response_schema=USER_SCHEMAS.document,
    paged=True,
)
def list_users(event: ApiRequest, context: Any, services: ServiceFactory) -> ServiceResult[Any]:
    assert event.tenant is not None
    return services.user_service.list(event.tenant, event.query.get("limit"), event.query.get("cursor"))


@ROUTES.route(
    "POST",
    "/users",
    role=Role.ADMIN,
    summary="Invite a user by email with a role (admins; only owners grant owner)",
    body_schema=USER_SCHEMAS.create,
    response_schema=USER_SCHEMAS.document,
    success_status=201,
)
def invite_user(event: ApiRequest, context: Any, services: ServiceFactory) -> ServiceResult[Any]:
    assert event.tenant is not None
    return services.user_service.invite(event.tenant, event.body)


@ROUTES.route(
    "GET",
    "/users/{userId}",
    role=Role.MEMBER,
    summary="One user (admins, or the user themself)",
    path_schema=USER_PATH,
    response_schema=USER_SCHEMAS.document,
)
def get_user(event: ApiRequest, context: Any, services: ServiceFactory) -> ServiceResult[Any]:
    assert event.tenant is not None
    return services.user_service.get(event.tenant, event.path_params["user_id"])


@ROUTES.route(
    "PATCH",
    "/users/{userId}",
    role=Role.MEMBER,
    summary="Rename yourself; change roles (admins, within their own level)",
    path_schema=USER_PATH,
    body_schema=USER_SCHEMAS.update,
    response_schema=USER_SCHEMAS.document,
)
def update_user(event: ApiRequest, context: Any, services: ServiceFactory) -> ServiceResult[Any]:
    assert event.tenant is not None
    return services.user_service.update(event.tenant, event.path_params["user_id"], event.body)


@ROUTES.route(
    "DELETE",
    "/users/{userId}",
    role=Role.ADMIN,
    summary="Remove a user from the tenant (never the last owner)",
    path_schema=USER_PATH,
    query_schema=VERSION_QUERY,
    response_schema=USER_SCHEMAS.document,
)
def remove_user(event: ApiRequest, context: Any, services: ServiceFactory) -> ServiceResult[Any]:
    assert event.tenant is not None
    return services.user_service.delete(event.tenant, event.path_params["user_id"], event.query.get("version"))
