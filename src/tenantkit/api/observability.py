"""Structured logs and EMF metrics through Powertools, created on first use (not at import).

One JSON log line per request: correlation id, tenant, user, route, status, duration; never a
token or a body. Metrics: `Requests`, `Latency`, and `Errors` by error code; the tenant id goes in
metadata, never in a dimension (dimensions multiply cost per tenant).
"""

from __future__ import annotations

import logging
import os
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger, Metrics

    from tenantkit.api.request import ApiRequest
    from tenantkit.api.response import ApiResponse

_lock = threading.Lock()
_logger: Logger | None = None
_metrics: Metrics | None = None


def service_name() -> str:
    return os.environ.get("POWERTOOLS_SERVICE_NAME", "tenantkit")


def get_logger() -> Logger:
    global _logger
    if _logger is None:
        with _lock:
            if _logger is None:
                from aws_lambda_powertools import Logger

                _logger = Logger(service=service_name(), level=os.environ.get("LOG_LEVEL", "INFO"))
    return _logger


def get_metrics() -> Metrics:
    global _metrics
    if _metrics is None:
        with _lock:
            if _metrics is None:
                from aws_lambda_powertools import Metrics

                namespace = os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "tenantkit")
                _metrics = Metrics(namespace=namespace, service=service_name())
    return _metrics


def error_code_of(response: ApiResponse) -> str | None:
    body: Any = response.body
    if isinstance(body, dict) and body.get("success") is False:
        return str(body.get("error", {}).get("code"))
    return None


def record_request(request: ApiRequest, response: ApiResponse, duration_ms: float) -> None:
    """Log the request and emit its metrics (flushed now: one Lambda invocation, one request)."""
    tenant = request.tenant
    route = f"{request.method} {request.route.path if request.route else request.resource}"
    code = error_code_of(response)
    get_logger().info(
        "request",
        extra={
            "correlation_id": request.correlation_id,
            "tenant_id": tenant.tenant_id if tenant else None,
            "user_id": tenant.user_id if tenant else None,
            "route": route,
            "status": response.status,
            "error_code": code,
            "duration_ms": round(duration_ms, 2),
        },
    )
    if os.environ.get("TENANTKIT_METRICS", "on").lower() == "off":
        return
    from aws_lambda_powertools.metrics import MetricUnit, single_metric

    metrics = get_metrics()
    metrics.add_metric(name="Requests", unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="Latency", unit=MetricUnit.Milliseconds, value=duration_ms)
    if tenant and tenant.tenant_id:
        metrics.add_metadata(key="tenant_id", value=tenant.tenant_id)
    metrics.add_metadata(key="route", value=route)
    metrics.flush_metrics()
    if code:
        with single_metric(name="Errors", unit=MetricUnit.Count, value=1, namespace=metrics.namespace) as metric:
            metric.add_dimension(name="code", value=code)


def reset_observability() -> None:
    """Forget the logger and metrics, and the stream handler Powertools keeps on the stdlib logger.

    For tests that change the environment or capture stdout: the next logger writes to the
    `sys.stdout` of that moment.
    """
    global _logger, _metrics
    with _lock:
        _logger = None
        _metrics = None
        stdlib_logger = logging.getLogger(service_name())
        for handler in list(stdlib_logger.handlers):
            stdlib_logger.removeHandler(handler)
        for marker in ("powertools_handler", "init"):  # Powertools' "already configured" flags
            if hasattr(stdlib_logger, marker):
                delattr(stdlib_logger, marker)
