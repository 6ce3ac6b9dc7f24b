"""The request pipeline: CORS, observability, errors, authentication, inputs; each usable alone.

A pipeline stage wraps a `Handler` (`ApiRequest -> ApiResponse`). `serve()` composes them,
outermost first: `handle_cors`, `observe`, `handle_errors`, `require_auth`, `parse_inputs`, then the
route's operation. CORS is outermost so that errors carry CORS headers too.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tenantkit.api.errors import ApiError
from tenantkit.api.observability import get_logger, record_request
from tenantkit.api.request import ApiRequest
from tenantkit.api.response import ApiResponse, error_response
from tenantkit.auth.claims import IdentityError, context_from_claims
from tenantkit.services.result import ErrorCode

if TYPE_CHECKING:
    from tenantkit.auth.jwt_verifier import TokenVerifier

Handler = Callable[[ApiRequest], ApiResponse]

CORS_ALLOW_HEADERS = "Authorization,Content-Type,X-Correlation-Id"
CORS_ALLOW_METHODS = "GET,POST,PUT,PATCH,DELETE,OPTIONS"
CORS_MAX_AGE = "600"


def allowed_origins() -> frozenset[str]:
    """`CORS_ALLOWED_ORIGINS`: a comma-separated list of exact origins (never `*`)."""
    raw = os.environ.get("CORS_ALLOWED_ORIGINS", "")
    return frozenset(origin.strip().rstrip("/") for origin in raw.split(",") if origin.strip() not in ("", "*"))


def handle_cors(handler: Handler) -> Handler:
    """Answer preflights; echo `Access-Control-Allow-Origin` only for configured origins."""

    @functools.wraps(handler)
    def wrapper(request: ApiRequest) -> ApiResponse:
        origin = request.origin
        allowed = origin is not None and origin.rstrip("/") in allowed_origins()
        if request.method == "OPTIONS":
            response = ApiResponse(204, None)
            if allowed:
                response.headers.update(
                    {
                        "Access-Control-Allow-Methods": CORS_ALLOW_METHODS,
                        "Access-Control-Allow-Headers": CORS_ALLOW_HEADERS,
                        "Access-Control-Max-Age": CORS_MAX_AGE,
                    }
                )
        else:
            response = handler(request)
        response.headers["Vary"] = "Origin"
        if allowed and origin is not None:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Credentials"] = "true"
            response.headers["Access-Control-Expose-Headers"] = "X-Correlation-Id,Retry-After"
        return response

    return wrapper


def observe(handler: Handler) -> Handler:
    """One structured log line and metrics per request; the correlation id echoed in a header."""

    @functools.wraps(handler)
    def wrapper(request: ApiRequest) -> ApiResponse:
        started = time.perf_counter()
        response = handler(request)
        response.headers["X-Correlation-Id"] = request.correlation_id
        record_request(request, response, (time.perf_counter() - started) * 1000)
        return response

    return wrapper


def handle_errors(handler: Handler) -> Handler:
    """`ApiError` -> its envelope; anything else -> 500 INTERNAL_ERROR, the real error only in the log."""

    @functools.wraps(handler)
    def wrapper(request: ApiRequest) -> ApiResponse:
        try:
            return handler(request)
        except ApiError as error:
            return error_response(
                error.code,
                error.message,
                request.correlation_id,
                error.details,
                error.headers,
                wire_paths=error.wire_paths,
            )
        except Exception:
            get_logger().exception(
                "unhandled error", extra={"correlation_id": request.correlation_id, "route": _route_name(request)}
            )
            return error_response(ErrorCode.INTERNAL_ERROR, "An unexpected error occurred", request.correlation_id)

    return wrapper


_verifier_lock = threading.Lock()
_verifier: TokenVerifier | None = None


def bearer_verifier() -> TokenVerifier | None:
    """The token verifier for deployments without an authorizer (`JWT_ISSUER` set), built once."""
    global _verifier
    if _verifier is None:
        from tenantkit.auth.jwt_verifier import JwtSettings, TokenVerifier

        settings = JwtSettings.from_env()
        if settings is None:
            return None
        with _verifier_lock:
            if _verifier is None:
                _verifier = TokenVerifier(settings)
    return _verifier


def reset_bearer_verifier() -> None:
    global _verifier
    _verifier = None


def _verified_claims(request: ApiRequest) -> dict[str, Any]:
    claims = request.authorizer_claims
    if claims is not None:
        return claims
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(ErrorCode.UNAUTHORIZED, "Authentication required")
    verifier = bearer_verifier()
    if verifier is None:
        raise ApiError(ErrorCode.UNAUTHORIZED, "Authentication required")
    from tenantkit.auth.jwt_verifier import InvalidTokenError

    try:
        return verifier.verify(token.strip())
    except InvalidTokenError as error:
        get_logger().info("token rejected", extra={"reason": error.reason, "correlation_id": request.correlation_id})
        raise ApiError(ErrorCode.UNAUTHORIZED, "Invalid or expired token") from None


def require_auth(handler: Handler) -> Handler:
    """Sets `request.tenant` from verified claims; 401 without identity, 403 below the route's role."""

    @functools.wraps(handler)
    def wrapper(request: ApiRequest) -> ApiResponse:
        route = request.route
        if route is not None and route.public:
            return handler(request)
        claims = _verified_claims(request)
        allow_without_tenant = route.allow_without_tenant if route is not None else False
        try:
            request.tenant = context_from_claims(
                claims, request.correlation_id, allow_without_tenant=allow_without_tenant
            )
        except IdentityError as error:
            code = ErrorCode.UNAUTHORIZED if error.status == 401 else ErrorCode.FORBIDDEN
            raise ApiError(code, error.message) from None
        if route is not None and route.role is not None and not request.tenant.role.at_least(route.role):
            raise ApiError(ErrorCode.FORBIDDEN, "Your role does not allow this")
        return handler(request)

    return wrapper


def _route_name(request: ApiRequest) -> str:
    return f"{request.method} {request.resource}"
