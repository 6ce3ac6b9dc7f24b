"""The OpenAPI 3.1 document of the API, generated from the route registry.

`build_document()` walks `all_routes()`: each route becomes one operation with its camelCase
parameters, request body and enveloped responses. Schemas shared by operations live in
`components.schemas` (`Group`, `GroupCreate`, `GroupUpdate`, ...), errors in `components.responses`.
Nothing is built at import time; the default document is built once and copied on each call.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections import Counter
from http import HTTPStatus
from typing import Any

from tenantkit import __version__
from tenantkit.api.registry import Route, RouteTable, all_routes
from tenantkit.api.request import CORRELATION_ID_PATTERN
from tenantkit.models.schema import DIALECT, to_wire_schema
from tenantkit.services.result import HTTP_STATUS, ErrorCode

OPENAPI_VERSION = "3.1.0"
SECURITY_SCHEME = "bearerAuth"
CORRELATION_HEADER = "X-Correlation-Id"
RETRY_AFTER_HEADER = "Retry-After"
_PATH_PARAM = re.compile(r"{([^}/]+)}")
_BODY_SUFFIX = {"POST": "Create", "PUT": "Replace", "PATCH": "Update"}
_TIMESTAMP: dict[str, Any] = {"type": "string", "format": "date-time"}
_CORRELATION_SCHEMA: dict[str, Any] = {"type": "string"}
_CORRELATION_DESCRIPTION = (
    f"Optional. Echoed back and logged when it matches `{CORRELATION_ID_PATTERN.pattern}`; "
    "otherwise the API Gateway request id is used instead (never an error)."
)


def build_document(
    tables: list[RouteTable] | None = None,
    *,
    title: str = "tenantkit API",
    version: str | None = None,
    server_url: str | None = None,
) -> dict[str, Any]:
    """The OpenAPI 3.1.0 document of `tables` (default: tenantkit's own), a JSON-ready dict.

    The default document is built once per `(title, version, server_url)`; every call returns a
    fresh deep copy, so callers may mutate what they get.
    """
    if tables is None:
        return copy.deepcopy(_default_document(title, version, server_url))
    # `all_routes([])` falls back to the default tables; an explicit empty list documents nothing.
    return _build(all_routes(tables) if tables else [], title, version, server_url)


@functools.lru_cache(maxsize=8)
def _default_document(title: str, version: str | None, server_url: str | None) -> dict[str, Any]:
    return _build(all_routes(None), title, version, server_url)


def _build(routes: list[Route], title: str, version: str | None, server_url: str | None) -> dict[str, Any]:
    reused = sorted(op for op, uses in Counter(route.operation_id for route in routes).items() if uses > 1)
    if reused:
        raise ValueError(f"operationIds must be unique; used by more than one route: {reused}")
    schemas: dict[str, Any] = {"ErrorEnvelope": _error_envelope()}
    named = _SchemaNames(schemas, routes)
    paths: dict[str, dict[str, Any]] = {}
    for route in sorted(routes, key=lambda r: (r.path, r.method)):
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, named)
    document: dict[str, Any] = {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title, "version": __version__ if version is None else version},
        "jsonSchemaDialect": DIALECT,
    }
    if server_url is not None:
        document["servers"] = [{"url": server_url}]
    document["tags"] = [{"name": name} for name in sorted({route.resource for route in routes})]
    document["paths"] = paths
    document["components"] = {
        "schemas": dict(sorted(schemas.items())),
        "responses": {_error_name(code): _error_response(code) for code in ErrorCode},
        "parameters": {
            "CorrelationId": {
                "name": CORRELATION_HEADER,
                "in": "header",
                "description": _CORRELATION_DESCRIPTION,
                "schema": _CORRELATION_SCHEMA,
            }
        },
        "headers": {
            CORRELATION_HEADER: {"description": "The request's correlation id", "schema": {"type": "string"}},
            RETRY_AFTER_HEADER: {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}},
        },
        "securitySchemes": {SECURITY_SCHEME: {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
    }
    # A JSON round trip: proves the document serializable and shares no object with this module.
    result: dict[str, Any] = json.loads(json.dumps(document))
    return result


class _SchemaNames:
    """Puts schemas into `components.schemas` under deterministic names; equal schemas share one.

    Response schemas are shared only when two or more routes answer them; others stay inline.
    """

    def __init__(self, schemas: dict[str, Any], routes: list[Route]) -> None:
        self._schemas = schemas
        self._by_content: dict[str, str] = {}
        self._uses = Counter(_key(_response_schema(r)) for r in routes if r.response_schema is not None)

    def shared(self, schema: dict[str, Any]) -> bool:
        return self._uses[_key(schema)] > 1

    def ref(self, schema: dict[str, Any], preferred: str, fallback: str) -> dict[str, Any]:
        name = self._by_content.get(_key(schema))
        if name is None:
            name = preferred if preferred not in self._schemas else fallback
            if name in self._schemas:
                raise ValueError(f"two different schemas would both be named {name!r}")
            self._schemas[name] = schema
            self._by_content[_key(schema)] = name
        return {"$ref": f"#/components/schemas/{name}"}


def _key(schema: dict[str, Any]) -> str:
    return json.dumps(schema, sort_keys=True)


def _response_schema(route: Route) -> dict[str, Any]:
    """The wire form of the route's response schema, open to new fields (responses may gain some)."""
    shown = to_wire_schema(route.response_schema or {})
    shown.pop("additionalProperties", None)
    return shown


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", name) if part)


def _model_name(route: Route) -> str:
    """`groups` -> `Group`: the resource, singular, in PascalCase."""
    resource = _pascal(route.resource)
    return resource[:-1] if resource.endswith("s") and not resource.endswith("ss") else resource


def _operation(route: Route, named: _SchemaNames) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": route.operation_id,
        "summary": route.summary or route.operation_id,
        "tags": [route.resource],
    }
    if not route.public:
        assert route.role is not None
        operation["x-required-role"] = route.role.value
        operation["security"] = [{SECURITY_SCHEME: []}]
    operation["parameters"] = [*_parameters(route), {"$ref": "#/components/parameters/CorrelationId"}]
    has_body = route.body_schema is not None and route.takes_body
    if has_body:
        assert route.body_schema is not None
        body = named.ref(
            to_wire_schema(route.body_schema),
            _model_name(route) + _BODY_SUFFIX[route.method],
            _pascal(route.operation_id) + "Request",
        )
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    responses = {str(route.success_status): _success_response(route, named)}
    for code in _error_codes(route, has_body):
        responses[str(HTTP_STATUS[code])] = {"$ref": f"#/components/responses/{_error_name(code)}"}
    operation["responses"] = dict(sorted(responses.items()))
    return operation


def _parameters(route: Route) -> list[dict[str, Any]]:
    path_schema = to_wire_schema(route.path_schema) if route.path_schema else {}
    declared = list(path_schema.get("properties", {}))
    if sorted(declared) != sorted(_PATH_PARAM.findall(route.path)):
        raise ValueError(f"{route.method} {route.path}: its path schema declares {declared}")
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": schema}
        for name, schema in path_schema.get("properties", {}).items()
    ]
    query_schema = to_wire_schema(route.query_schema) if route.query_schema else {}
    required = set(query_schema.get("required", []))
    parameters += [
        {"name": name, "in": "query", "required": name in required, "schema": schema}
        for name, schema in query_schema.get("properties", {}).items()
    ]
    return parameters


def _error_codes(route: Route, has_body: bool) -> list[ErrorCode]:
    """The errors a route can answer: bad input and internal errors always; the rest by route shape."""
    codes = [ErrorCode.VALIDATION_ERROR, ErrorCode.INTERNAL_ERROR]
    if not route.public:
        codes += [ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN, ErrorCode.THROTTLED]
        if _PATH_PARAM.search(route.path):
            codes.append(ErrorCode.NOT_FOUND)
        if route.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes.append(ErrorCode.CONFLICT)
    if has_body:
        codes += [ErrorCode.PAYLOAD_TOO_LARGE, ErrorCode.UNSUPPORTED_MEDIA_TYPE]
    return codes


def _headers(*names: str) -> dict[str, Any]:
    return {name: {"$ref": f"#/components/headers/{name}"} for name in (CORRELATION_HEADER, *names)}


def _success_response(route: Route, named: _SchemaNames) -> dict[str, Any]:
    description = HTTPStatus(route.success_status).phrase
    if route.operation_id == "openapiDocument":
        schema: dict[str, Any] = {"type": "object", "description": "This OpenAPI document (not enveloped)"}
        return {"description": description, "headers": _headers(), "content": {"application/json": {"schema": schema}}}
    data: dict[str, Any] = {}
    if route.response_schema is not None:
        data = _response_schema(route)
        if named.shared(data):
            data = named.ref(data, _model_name(route), _pascal(route.operation_id) + "Data")
    if route.paged:
        data = {
            "type": "object",
            "properties": {"items": {"type": "array", "items": data}, "nextCursor": {"type": ["string", "null"]}},
            "required": ["items", "nextCursor"],
        }
    envelope = {
        "type": "object",
        "properties": {"success": {"type": "boolean", "const": True}, "data": data, "timestamp": _TIMESTAMP},
        "required": ["success", "data", "timestamp"],
    }
    return {"description": description, "headers": _headers(), "content": {"application/json": {"schema": envelope}}}


def _error_name(code: ErrorCode) -> str:
    return _pascal(code.value.lower())  # VALIDATION_ERROR -> ValidationError


def _error_response(code: ErrorCode) -> dict[str, Any]:
    return {
        "description": f"{HTTPStatus(HTTP_STATUS[code]).phrase} ({code.value})",
        "headers": _headers(RETRY_AFTER_HEADER) if code is ErrorCode.THROTTLED else _headers(),
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}},
    }


def _error_envelope() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "success": {"type": "boolean", "const": False},
            "error": {
                "type": "object",
                "properties": {
                    "code": {"type": "string", "enum": [code.value for code in ErrorCode]},
                    "message": {"type": "string"},
                    "details": {"type": "array", "items": {"type": "object"}},
                },
                "required": ["code", "message", "details"],
            },
            "timestamp": _TIMESTAMP,
            "correlationId": {"type": "string"},
        },
        "required": ["success", "error", "timestamp", "correlationId"],
    }
