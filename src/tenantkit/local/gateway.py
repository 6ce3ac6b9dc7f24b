"""A local API Gateway: HTTP requests -> REST proxy events for the `lambdas/` handlers.

Like API Gateway with a Cognito authorizer, it matches the request against the route registry,
verifies the bearer token (here against the local JWKS) before any handler runs and answers 401
itself when it fails, passes the verified claims in `requestContext.authorizer.claims` (as strings,
the way API Gateway does), and returns the handler's status, headers and body.
"""

from __future__ import annotations

import base64
import importlib.util
import re
import threading
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tenantkit.api.registry import Route
from tenantkit.api.response import error_response
from tenantkit.auth.jwt_verifier import InvalidTokenError, TokenVerifier
from tenantkit.services.result import ErrorCode

MAX_REQUEST_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit
LambdaHandler = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class CompiledRoute:
    route: Route
    pattern: re.Pattern[str]


def compile_route(route: Route) -> CompiledRoute:
    """`/groups/{groupId}` -> a regex with one named group per path parameter."""
    parts = re.split(r"(\{[A-Za-z0-9_]+\})", route.path)
    regex = "".join(f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") else re.escape(p) for p in parts)
    return CompiledRoute(route, re.compile(f"^{regex}$"))


def load_handlers(lambdas_dir: Path, resources: set[str]) -> dict[str, LambdaHandler]:
    """Import `lambdas/<resource>/handler.py` for each resource, as Lambda would (by file)."""
    handlers = {}
    for resource in sorted(resources):
        path = lambdas_dir / resource / "handler.py"
        spec = importlib.util.spec_from_file_location(f"tenantkit_local_lambda_{resource}", path)
        if spec is None or spec.loader is None:
            raise FileNotFoundError(path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        handlers[resource] = module.lambda_handler
    return handlers


def _claim_strings(claims: dict[str, Any]) -> dict[str, str]:
    """Claims as API Gateway hands them to a REST Lambda: every value a string, lists as `[a b]`."""
    converted = {}
    for name, value in claims.items():
        if isinstance(value, list):
            converted[name] = "[" + " ".join(str(v) for v in value) + "]"
        else:
            converted[name] = str(value)
    return converted


class LocalGateway:
    """Serves the routes on `host:port` until `stop()`; `port=0` picks a free port."""

    def __init__(
        self,
        routes: list[Route],
        handlers: dict[str, LambdaHandler],
        verifier: TokenVerifier,
        host: str = "127.0.0.1",
        port: int = 8000,
        stage: str = "local",
    ) -> None:
        self.routes = [compile_route(route) for route in routes]
        self.handlers = handlers
        self.verifier = verifier
        self.stage = stage
        self._server = ThreadingHTTPServer((host, port), self._request_handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> LocalGateway:
        self._thread = threading.Thread(target=self._server.serve_forever, name="local-gateway", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def match(self, method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
        """The route for `method path`, its path parameters, and whether the path exists at all."""
        path_known = False
        for compiled in self.routes:
            found = compiled.pattern.match(path)
            if found is None:
                continue
            path_known = True
            if compiled.route.method == method:
                params = {k: urllib.parse.unquote(v) for k, v in found.groupdict().items()}
                return compiled.route, params, True
        return None, {}, path_known

    def handle(
        self, method: str, raw_path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        """One HTTP exchange: (status, headers, body)."""
        parsed = urllib.parse.urlsplit(raw_path)
        path = parsed.path
        route, path_params, path_known = self.match(method, path)
        if route is None and method == "OPTIONS" and path_known:
            route = next(c.route for c in self.routes if c.pattern.match(path))
        request_id = str(uuid.uuid4())
        if route is None and path_known:
            allowed = ", ".join(sorted({c.route.method for c in self.routes if c.pattern.match(path)}))
            return self._refuse(
                ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed", request_id, headers, {"Allow": allowed}
            )
        if route is None:
            return self._refuse(ErrorCode.NOT_FOUND, "No such route", request_id, headers)
        claims = None
        if method != "OPTIONS" and not route.public:
            claims = self._authorize(headers)
            if claims is None:
                return self._refuse(ErrorCode.UNAUTHORIZED, "Unauthorized", request_id, headers)
        event = self._event(method, route, path, path_params, parsed.query, headers, body, request_id, claims)
        response = self.handlers[route.resource](event, _LocalContext(route.resource, request_id))
        return _as_http(response)

    def _refuse(
        self,
        code: ErrorCode,
        message: str,
        request_id: str,
        request_headers: dict[str, str],
        extra: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """The gateway's own answer (no handler ran): the envelope with CORS and correlation headers."""
        envelope = error_response(code, message, request_id, headers=extra)
        origin = {k.lower(): v for k, v in request_headers.items()}.get("origin")
        if origin and origin.rstrip("/") in _allowed_origins():
            envelope.headers.update({"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true"})
        envelope.headers["Vary"] = "Origin"
        envelope.headers["X-Correlation-Id"] = request_id
        return _as_http(envelope.to_lambda())

    def _authorize(self, headers: dict[str, str]) -> dict[str, Any] | None:
        lower = {k.lower(): v for k, v in headers.items()}
        scheme, _, token = lower.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        try:
            return self.verifier.verify(token.strip())
        except InvalidTokenError:
            return None

    def _event(
        self,
        method: str,
        route: Route,
        path: str,
        path_params: dict[str, str],
        query: str,
        headers: dict[str, str],
        body: bytes,
        request_id: str,
        claims: dict[str, Any] | None,
    ) -> dict[str, Any]:
        pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
        multi_query: dict[str, list[str]] = {}
        for name, value in pairs:
            multi_query.setdefault(name, []).append(value)
        try:
            text, encoded = (body.decode("utf-8"), False) if body else (None, False)
        except UnicodeDecodeError:
            text, encoded = base64.b64encode(body).decode(), True
        request_context: dict[str, Any] = {
            "accountId": "000000000000",
            "apiId": "local",
            "stage": self.stage,
            "requestId": request_id,
            "resourcePath": route.path,
            "httpMethod": method,
            "path": f"/{self.stage}{path}",
            "identity": {
                "sourceIp": headers.get("X-Forwarded-For", "127.0.0.1"),
                "userAgent": headers.get("User-Agent"),
            },
        }
        if claims is not None:
            request_context["authorizer"] = {"claims": _claim_strings(claims)}
        return {
            "resource": route.path,
            "path": path,
            "httpMethod": method,
            "headers": dict(headers),
            "multiValueHeaders": {k: [v] for k, v in headers.items()},
            "queryStringParameters": {k: v[-1] for k, v in multi_query.items()} or None,
            "multiValueQueryStringParameters": multi_query or None,
            "pathParameters": path_params or None,
            "stageVariables": None,
            "requestContext": request_context,
            "body": text,
            "isBase64Encoded": encoded,
        }

    def _request_handler_class(self) -> type[BaseHTTPRequestHandler]:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "tenantkit-local"

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length > MAX_REQUEST_BYTES:
                    envelope = error_response(ErrorCode.PAYLOAD_TOO_LARGE, "Request too large", str(uuid.uuid4()))
                    self._reply(*_as_http(envelope.to_lambda()), close=True)
                    return
                body = self.rfile.read(length) if length else b""
                headers = {name: value for name, value in self.headers.items()}
                try:
                    status, out_headers, payload = gateway.handle(self.command, self.path, headers, body)
                except Exception:  # the handler's own errors are enveloped; this is the gateway's
                    envelope = error_response(ErrorCode.INTERNAL_ERROR, "Gateway error", str(uuid.uuid4()))
                    status, out_headers, payload = _as_http(envelope.to_lambda())
                self._reply(status, out_headers, payload)

            def _reply(self, status: int, headers: dict[str, str], payload: bytes, close: bool = False) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                if close:
                    self.send_header("Connection", "close")
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            def __getattr__(self, name: str) -> Any:
                """Every HTTP method (TRACE, PROPFIND, ...) reaches `_serve`, so each gets the envelope."""
                if name.startswith("do_"):
                    return self._serve
                raise AttributeError(name)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: ARG002 - stdlib signature
                return

        return Handler


def _allowed_origins() -> frozenset[str]:
    from tenantkit.api.pipeline import allowed_origins

    return allowed_origins()


def _as_http(response: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    body = response.get("body") or ""
    payload = base64.b64decode(body) if response.get("isBase64Encoded") else str(body).encode("utf-8")
    return int(response["statusCode"]), dict(response.get("headers") or {}), payload


class _LocalContext:
    """The few `LambdaContext` attributes handlers read."""

    def __init__(self, resource: str, request_id: str) -> None:
        self.function_name = f"tenantkit-{resource}"
        self.aws_request_id = request_id
        self.memory_limit_in_mb = 512
        self.invoked_function_arn = f"arn:aws:lambda:local:000000000000:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return 29_000
