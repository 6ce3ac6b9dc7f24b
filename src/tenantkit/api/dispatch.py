"""`serve()` and `api_handler()`: route tables -> `lambda_handler(event, context, injected_services=None)`.

`injected_services` (a `ServiceFactory`, mocked or moto-backed) replaces the production factory,
which is otherwise built once per container on the first request and reused while warm.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tenantkit.api.errors import ApiError
from tenantkit.api.inputs import parse_inputs
from tenantkit.api.pipeline import handle_cors, handle_errors, observe, require_auth
from tenantkit.api.registry import Operation, RouteTable
from tenantkit.api.request import ApiRequest
from tenantkit.api.response import ApiResponse, from_result
from tenantkit.services.result import ErrorCode, ServiceResult

if TYPE_CHECKING:
    from tenantkit.services.factory import ServiceFactory

LambdaHandler = Any

_production: ServiceFactory | None = None


def production_services() -> ServiceFactory:
    """The container's factory: created on the first request, reused while the container is warm."""
    global _production
    if _production is None:
        from tenantkit.services.factory import ServiceFactory

        _production = ServiceFactory()
    return _production


def reset_production_services() -> None:
    """Forget the container's factory (the local stack after switching endpoints; tests)."""
    global _production
    _production = None


def _run_operation(request: ApiRequest) -> ApiResponse:
    route = request.route
    assert route is not None
    outcome = route.operation(request, request.context, request.services)
    if isinstance(outcome, ApiResponse):
        return outcome
    if isinstance(outcome, ServiceResult):
        return from_result(outcome, request.correlation_id, route.success_status)
    raise TypeError(f"{route.operation_id} returned {type(outcome).__name__}, not a ServiceResult")


_PIPELINE = handle_cors(observe(handle_errors(require_auth(parse_inputs(_run_operation)))))


def _no_route(request: ApiRequest) -> ApiResponse:
    if request.allowed_methods:
        allow = ", ".join(request.allowed_methods)
        raise ApiError(ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed", headers={"Allow": allow})
    raise ApiError(ErrorCode.NOT_FOUND, "No such route")


_NO_ROUTE = handle_cors(observe(handle_errors(_no_route)))


def serve(*tables: RouteTable) -> LambdaHandler:
    """The Lambda entry point for every route of `tables` (one resource's Lambda, usually)."""

    def lambda_handler(
        event: dict[str, Any], context: Any = None, injected_services: ServiceFactory | None = None
    ) -> dict[str, Any]:
        request = ApiRequest(event if isinstance(event, dict) else {}, context)
        request.services = injected_services or production_services()
        for table in tables:
            route = table.find(request.method, request.resource)
            if route is not None:
                request.route = route
                return _PIPELINE(request).to_lambda()
        request.allowed_methods = sorted(r.method for t in tables for r in t if r.path == request.resource)
        return _NO_ROUTE(request).to_lambda()

    lambda_handler.route_tables = tables  # type: ignore[attr-defined]
    return lambda_handler


def api_handler(method: str, path: str, *, resource: str, **options: Any) -> Any:
    """Decorate one operation `(event, context, injected_services)` into a complete Lambda handler.

    Inside the operation `event` is an `ApiRequest` (`event.tenant`, `event.body`, `event.query`,
    `event.path_params`) and `injected_services` is the factory to use; it returns a `ServiceResult`.
    """

    def decorate(operation: Operation) -> LambdaHandler:
        table = RouteTable(resource)
        table.route(method, path, **options)(operation)
        return serve(table)

    return decorate
