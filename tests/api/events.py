"""Realistic API Gateway REST proxy events, authorizer claims and Lambda loading, for API tests."""

from __future__ import annotations

import importlib.util
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tenantkit.auth.context import TenantContext

ROOT = Path(__file__).resolve().parents[2]
ALLOWED_ORIGIN = "http://localhost:5173"


def load_lambda(resource: str) -> Callable[..., dict[str, Any]]:
    """`lambdas/<resource>/handler.py`'s `lambda_handler`, imported from its file as Lambda would."""
    path = ROOT / "lambdas" / resource / "handler.py"
    spec = importlib.util.spec_from_file_location(f"lambda_{resource}_handler", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.lambda_handler  # type: ignore[no-any-return]


def claims_for(ctx: TenantContext) -> dict[str, str]:
    """What API Gateway's Cognito authorizer puts in `requestContext.authorizer.claims`."""
    return {
        "sub": ctx.user_id,
        "custom:tenant_id": ctx.tenant_id,
        "custom:role": ctx.role.value,
        "token_use": "id",
        "email": "user@example.com",
        "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example",
    }


def make_event(
    method: str,
    resource: str,
    *,
    path_params: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    body: Any = None,
    raw_body: str | None = None,
    headers: dict[str, str] | None = None,
    claims: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A REST API (v1) proxy event shaped like the ones API Gateway sends."""
    path = resource
    for name, value in (path_params or {}).items():
        path = path.replace("{" + name + "}", value)
    all_headers = {"Accept": "application/json", "Host": "api.example.com", "User-Agent": "pytest"}
    if body is not None or raw_body is not None:
        all_headers["Content-Type"] = "application/json"
    all_headers.update(headers or {})
    request_context: dict[str, Any] = {
        "accountId": "123456789012",
        "apiId": "abc123",
        "resourceId": "res123",
        "resourcePath": resource,
        "httpMethod": method,
        "path": f"/prod{path}",
        "stage": "prod",
        "requestId": str(uuid.uuid4()),
        "identity": {"sourceIp": "203.0.113.7", "userAgent": "pytest"},
    }
    if claims is not None:
        request_context["authorizer"] = {"claims": claims}
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": all_headers,
        "multiValueHeaders": {k: [v] for k, v in all_headers.items()},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
        "pathParameters": path_params,
        "stageVariables": None,
        "requestContext": request_context,
        "body": raw_body if raw_body is not None else (json.dumps(body) if body is not None else None),
        "isBase64Encoded": False,
    }


def body_of(response: dict[str, Any]) -> Any:
    return json.loads(response["body"]) if response["body"] else None


def keys_outside_metadata(value: Any) -> set[str]:
    """Every object key in a response body, not descending into user-owned `metadata` maps."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            found.add(key)
            if key != "metadata":
                found |= keys_outside_metadata(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= keys_outside_metadata(inner)
    return found
