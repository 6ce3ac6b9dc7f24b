"""`ApiRequest`: the API Gateway proxy event, plus what the pipeline learned about it.

It is the event dict itself (a `dict` subclass), so `event["httpMethod"]` keeps working in a
handler, with typed accessors and the pipeline's products: the verified `tenant`, the validated
snake_case `body`, validated `path_params` / `query`, the `route` and the `services` to use.
"""

from __future__ import annotations

import base64
import re
import uuid
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tenantkit.api.registry import Route
    from tenantkit.auth.context import TenantContext
    from tenantkit.services.factory import ServiceFactory

#: What an incoming `X-Correlation-Id` may look like (else API Gateway's request id is used).
CORRELATION_ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class ApiRequest(dict[str, Any]):
    """A REST (v1) proxy event with the pipeline's results attached."""

    def __init__(self, event: dict[str, Any], context: Any = None) -> None:
        super().__init__(event)
        self.context = context
        self.route: Route | None = None
        self.tenant: TenantContext | None = None
        self.body: Any = None
        self.path_params: dict[str, Any] = {}
        self.query: dict[str, Any] = {}
        self.services: ServiceFactory | None = None
        #: Methods the matched path does allow, when the method asked for is not one of them.
        self.allowed_methods: list[str] = []

    @property
    def method(self) -> str:
        return str(self.get("httpMethod") or "").upper()

    @property
    def resource(self) -> str:
        """The route template API Gateway matched, e.g. `/groups/{groupId}`."""
        return str(self.get("resource") or self.get("path") or "")

    @cached_property
    def headers(self) -> dict[str, str]:
        """Headers with lower-case names (API Gateway keeps the client's casing)."""
        raw = self.get("headers") or {}
        return {str(k).lower(): str(v) for k, v in raw.items() if v is not None}

    @property
    def raw_path_params(self) -> dict[str, str]:
        return dict(self.get("pathParameters") or {})

    @property
    def raw_query(self) -> dict[str, str]:
        return dict(self.get("queryStringParameters") or {})

    @property
    def raw_body(self) -> bytes:
        """The body bytes (base64-decoded when API Gateway encoded them)."""
        body = self.get("body")
        if body is None:
            return b""
        if self.get("isBase64Encoded"):
            return base64.b64decode(body)
        return str(body).encode("utf-8")

    @property
    def authorizer_claims(self) -> dict[str, Any] | None:
        """Claims set by API Gateway's Cognito authorizer (or the local stack's emulation)."""
        authorizer = (self.get("requestContext") or {}).get("authorizer") or {}
        claims = authorizer.get("claims")
        return dict(claims) if isinstance(claims, dict) else None

    @cached_property
    def correlation_id(self) -> str:
        """The caller's `X-Correlation-Id` when well-formed, else API Gateway's request id."""
        incoming = self.headers.get("x-correlation-id", "")
        if CORRELATION_ID_PATTERN.fullmatch(incoming):
            return incoming
        request_id = (self.get("requestContext") or {}).get("requestId")
        return str(request_id) if request_id else str(uuid.uuid4())

    @property
    def origin(self) -> str | None:
        return self.headers.get("origin")
