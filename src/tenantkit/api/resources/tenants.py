"""The Tenants resource: onboarding by the platform operator and the tenant's own profile.

`POST /tenants` and `PATCH /tenants/{tenantId}` are the platform's (operator tokens, no tenant);
`GET /tenant` and `PATCH /tenant` act on the caller's own tenant, taken from the token.
"""

from __future__ import annotations

from typing import Any

from tenantkit.api.registry import RouteTable
from tenantkit.api.request import ApiRequest
from tenantkit.api.resources.params import id_path
from tenantkit.auth.context import Role
from tenantkit.models.schema import object_schema
from tenantkit.models.tenant import TENANT_SCHEMAS
from tenantkit.models.user import USER_SCHEMAS
from tenantkit.services.factory import ServiceFactory
from tenantkit.services.result import ServiceResult

ROUTES = RouteTable("tenants")
ONBOARDED = object_schema({"tenant": TENANT_SCHEMAS.document, "owner": USER_SCHEMAS.document})


@ROUTES.route(
    "POST",
    "/tenants",
    role=Role.OPERATOR,
    allow_without_tenant=True,
    summary="Create a tenant and its first owner (platform operator)",
    body_schema=TENANT_SCHEMAS.create,
    response_schema=ONBOARDED,
    success_status=201,
)
def create_tenant(event: ApiRequest, context: Any, services: ServiceFactory) -> ServiceResult[Any]:
    assert event.tenant is not None
    return services.tenant_service.create_tenant(event.tenant, event.body)


@ROUTES.route(
    "PATCH",
    "/tenants/{tenantId}",
    role=Role.OPERATOR,
    allow_without_tenant=True,
    summary="Change any field of a tenant, plan, tier, limits and status included (platform operator)",
    path_schema=id_path("tenant_id"),
    body_schema=TENANT_SCHEMAS.update,
    response_schema=TENANT_SCHEMAS.document,
)
def operator_update_tenant(event: ApiRequest, context: Any, services: ServiceFactory) -> ServiceResult[Any]:
    assert event.tenant is not None
    return services.tenant_service.operator_update(event.tenant, event.path_params["tenant_id"], event.body)


@ROUTES.route(
    "GET",
    "/tenant",
    role=Role.MEMBER,
    summary="The caller's tenant",
    response_schema=TENANT_SCHEMAS.document,
)
def get_tenant(event: ApiRequest, context: Any, services: ServiceFactory) -> ServiceResult[Any]:
    assert event.tenant is not None
    return services.tenant_service.get_own(event.tenant)


@ROUTES.route(
    "PATCH",
    "/tenant",
    role=Role.OWNER,
    summary="Rename the caller's tenant or change its settings (owner; plan and limits are the platform's)",
    body_schema=TENANT_SCHEMAS.update,
    response_schema=TENANT_SCHEMAS.document,
)
def update_tenant(event: ApiRequest, context: Any, services: ServiceFactory) -> ServiceResult[Any]:
    assert event.tenant is not None
    return services.tenant_service.update_own(event.tenant, event.body)
