"""Path, query and body validation against the route's schemas, then camelCase -> snake_case.

Bodies: JSON only, for methods that take one (else 415, or 400 for a body where none belongs),
at most `MAX_BODY_BYTES` (413), no duplicate keys or NaN, validated against the camelCase wire
schema so error paths read as the client wrote them.
"""

from __future__ import annotations

import binascii
import functools
import json
import os
import re
from typing import Any

from tenantkit.api.errors import ApiError, bad_request
from tenantkit.api.pipeline import Handler
from tenantkit.api.request import ApiRequest
from tenantkit.api.response import ApiResponse
from tenantkit.api.storable import storable_problems
from tenantkit.models.casing import CaseMap
from tenantkit.models.schema import CompiledSchema
from tenantkit.services.result import ErrorCode

DEFAULT_MAX_BODY_BYTES = 64 * 1024
_ASCII_INTEGER = re.compile(r"^-?[0-9]{1,18}$")


def max_body_bytes() -> int:
    return int(os.environ.get("MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))


def _invalid(problems: list[Any], message: str = "The request is invalid") -> ApiError:
    return ApiError(ErrorCode.VALIDATION_ERROR, message, [p.as_dict() for p in problems], wire_paths=True)


def _checked(values: dict[str, Any], schema: CompiledSchema | None, what: str) -> dict[str, Any]:
    if schema is None:
        if values:
            details = [{"field": next(iter(values)), "message": "is not allowed"}]
            raise ApiError(
                ErrorCode.VALIDATION_ERROR, f"This route takes no {what} parameters", details, wire_paths=True
            )
        return {}
    coerced = _coerce(values, schema.schema)
    problems = schema.errors(coerced)
    if problems:
        raise _invalid(problems, f"Invalid {what} parameters")
    return coerced


def _coerce(values: dict[str, str], schema: dict[str, Any]) -> dict[str, Any]:
    """Query and path values arrive as text: turn declared integers into ints where they parse."""
    properties = schema.get("properties", {})
    coerced: dict[str, Any] = {}
    for name, value in values.items():
        kind = properties.get(name, {}).get("type")
        if kind == "integer" and isinstance(value, str) and _ASCII_INTEGER.match(value):
            coerced[name] = int(value)
        else:
            coerced[name] = value
    return coerced


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError("duplicate key")
        result[key] = value
    return result


def _reject_constant(_: str) -> Any:
    raise ValueError("NaN and Infinity are not JSON")


def read_json_body(request: ApiRequest) -> Any:
    """The parsed JSON body, enforcing content type, size and strict JSON."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json" and not content_type.endswith("+json"):
        raise ApiError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json")
    try:
        raw = request.raw_body
    except (binascii.Error, ValueError):
        raise bad_request("The body is not valid base64", "body", "must be valid base64") from None
    if len(raw) > max_body_bytes():
        raise ApiError(ErrorCode.PAYLOAD_TOO_LARGE, f"The body is larger than {max_body_bytes()} bytes")
    if not raw.strip():
        raise bad_request("A JSON body is required", "body", "is required")
    try:
        return json.loads(raw, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise bad_request("The body is not valid JSON", "body", "must be valid JSON") from None


def parse_inputs(handler: Handler) -> Handler:
    """Validate path, query and body for `request.route`; store them snake_case on the request."""

    @functools.wraps(handler)
    def wrapper(request: ApiRequest) -> ApiResponse:
        route = request.route
        if route is None:
            return handler(request)
        path = _checked(request.raw_path_params, route.wire_path, "path")
        query = _checked(request.raw_query, route.wire_query, "query")
        request.path_params = CaseMap(route.path_schema or {}).to_snake(path)
        request.query = CaseMap(route.query_schema or {}).to_snake(query)
        if route.takes_body and route.wire_body is not None:
            body = read_json_body(request)
            problems = storable_problems(body) or route.wire_body.errors(body)
            if problems:
                raise _invalid(problems)
            request.body = route.body_case.to_snake(body)
        elif request.get("body"):
            raise bad_request("This route takes no body", "body", "is not allowed")
        return handler(request)

    return wrapper
