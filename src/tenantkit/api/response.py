"""The one JSON envelope, and `ServiceResult` -> HTTP response.

Success: `{"success": true, "data": ..., "timestamp": ...}`; error: `{"success": false, "error":
{"code", "message", "details"}, "timestamp", "correlationId"}`. Data goes out in camelCase: models
through their schema's case map, list pages as `{"items", "nextCursor"}`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tenantkit.models.casing import snake_to_camel
from tenantkit.models.ids import iso_utc, utc_now
from tenantkit.models.values import native
from tenantkit.services.result import ErrorCode, ListPage, ServiceResult

JSON_HEADERS = {"Content-Type": "application/json"}


@dataclass
class ApiResponse:
    status: int
    body: dict[str, Any] | None
    headers: dict[str, str] = field(default_factory=dict)

    def to_lambda(self) -> dict[str, Any]:
        """The proxy-integration response API Gateway expects."""
        headers = {**JSON_HEADERS, **self.headers} if self.body is not None else dict(self.headers)
        return {
            "statusCode": self.status,
            "headers": headers,
            "body": json.dumps(self.body, default=_json_default, separators=(",", ":")) if self.body else "",
            "isBase64Encoded": False,
        }


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return native(value)
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def timestamp() -> str:
    return iso_utc(utc_now())


def camel_details(details: list[dict[str, Any]], wire_paths: bool = False) -> list[dict[str, Any]]:
    """Detail keys and (unless already the client's) `field` paths in camelCase."""
    converted = []
    for detail in details:
        item = {snake_to_camel(k): v for k, v in detail.items()}
        if isinstance(item.get("field"), str) and not wire_paths:
            item["field"] = ".".join(snake_to_camel(part) for part in item["field"].split("."))
        converted.append(item)
    return converted


def error_response(
    code: ErrorCode,
    message: str,
    correlation_id: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    status: int | None = None,
    *,
    wire_paths: bool = False,
) -> ApiResponse:
    from tenantkit.services.result import HTTP_STATUS

    body = {
        "success": False,
        "error": {"code": code.value, "message": message, "details": camel_details(details or [], wire_paths)},
        "timestamp": timestamp(),
        "correlationId": correlation_id,
    }
    return ApiResponse(status or HTTP_STATUS[code], body, dict(headers or {}))


def to_wire(data: Any) -> Any:
    """Service data in camelCase: models via their schemas, pages as `{items, nextCursor}`."""
    to_ui_payload = getattr(data, "to_ui_payload", None)
    if callable(to_ui_payload):
        return to_ui_payload()
    if isinstance(data, ListPage):
        return {"items": [to_wire(item) for item in data.items], "nextCursor": data.next_cursor}
    if isinstance(data, list):
        return [to_wire(item) for item in data]
    if isinstance(data, dict):
        return {snake_to_camel(str(key)): to_wire(value) for key, value in data.items()}
    return native(data)


def success_response(data: Any, status: int = 200) -> ApiResponse:
    return ApiResponse(status, {"success": True, "data": to_wire(data), "timestamp": timestamp()})


def from_result(result: ServiceResult[Any], correlation_id: str, default_status: int = 200) -> ApiResponse:
    """The HTTP response for a service result (503 answers carry `Retry-After`)."""
    if result.success:
        return success_response(result.data, result.status_code or default_status)
    assert result.error is not None
    headers = {}
    if result.error.retry_after_seconds is not None:
        headers["Retry-After"] = str(result.error.retry_after_seconds)
    return error_response(
        result.error.code, result.error.message, correlation_id, result.error.details, headers, result.status_code
    )
