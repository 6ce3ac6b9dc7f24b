"""Public system routes: `/health` and `/openapi.json`, served by `lambdas/system`."""

from __future__ import annotations

from typing import Any

from tenantkit.api.registry import RouteTable
from tenantkit.api.request import ApiRequest
from tenantkit.api.response import ApiResponse, success_response
from tenantkit.models.schema import object_schema

ROUTES = RouteTable("system")


@ROUTES.route(
    "GET",
    "/health",
    role=None,
    summary="Liveness check",
    response_schema=object_schema({"status": {"type": "string", "enum": ["ok"]}}, required=("status",)),
)
def health(event: ApiRequest, context: Any, services: Any) -> ApiResponse:
    return success_response({"status": "ok"})


@ROUTES.route("GET", "/openapi.json", role=None, summary="This API's OpenAPI 3.1 document")
def openapi_document(event: ApiRequest, context: Any, services: Any) -> ApiResponse:
    from tenantkit.api.openapi import build_document

    return ApiResponse(200, build_document())
