"""REST API methods from the route registry, request models, and gateway error responses.

Every registry route becomes one method on one Lambda. A route is public (no authorizer) only when
the registry says so *and* its path is on `PUBLIC_PATHS`; anything else public stops synth.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from tenantkit.api.registry import Route
from tenantkit.models.casing import snake_to_camel
from tenantkit_cdk.schemas import model_name, to_draft4

#: The only paths that may be served without a token (GET only).
PUBLIC_PATHS = frozenset({"/health", "/openapi.json"})
JSON = "application/json"


class UnintendedPublicRouteError(RuntimeError):
    """A route would be reachable without a token although it is not meant to be public."""


def check_public(routes: Sequence[Route]) -> None:
    """Raise unless every public route is a GET on an allow-listed path."""
    for route in routes:
        if route.role is None and (not route.public or route.path not in PUBLIC_PATHS or route.method != "GET"):
            raise UnintendedPublicRouteError(
                f"{route.method} {route.path} has no role: only GET {sorted(PUBLIC_PATHS)} may be public"
            )


@dataclass(frozen=True)
class RouteMethod:
    route: Route
    method: apigw.Method
    model: apigw.CfnModel | None


def _parameters(route: Route) -> dict[str, bool]:
    """`method.request.*` parameters: path parameters always required, query ones as the schema says."""
    parameters: dict[str, bool] = {}
    for name in (route.path_schema or {}).get("properties", {}):
        parameters[f"method.request.path.{snake_to_camel(name)}"] = True
    query = route.query_schema or {}
    required = set(query.get("required", []))
    for name in query.get("properties", {}):
        parameters[f"method.request.querystring.{snake_to_camel(name)}"] = name in required
    return parameters


def add_routes(
    scope: Construct,
    api: apigw.RestApi,
    routes: Sequence[Route],
    functions: Mapping[str, lambda_.IFunction],
    authorizer: apigw.IAuthorizer,
) -> list[RouteMethod]:
    """One method per route, on the resource's Lambda, authorized unless allow-listed public."""
    check_public(routes)
    validator = apigw.RequestValidator(
        scope,
        "RequestValidator",
        rest_api=api,
        request_validator_name="body-and-parameters",
        validate_request_body=True,
        validate_request_parameters=True,
    )
    integrations = {
        resource: apigw.LambdaIntegration(function, proxy=True, allow_test_invoke=False)
        for resource, function in functions.items()
    }
    added: list[RouteMethod] = []
    for route in routes:
        resource = api.root.resource_for_path(route.path.lstrip("/"))
        model = _model(scope, api, route)
        parameters = _parameters(route)
        validated = model is not None or any(parameters.values())
        method = resource.add_method(
            route.method,
            integrations[route.resource],
            operation_name=route.operation_id,
            request_parameters=parameters or None,
            request_models={JSON: apigw.Model.from_model_name(scope, f"{model.node.id}Ref", model.ref)}
            if model is not None
            else None,
            request_validator=validator if validated else None,
            authorizer=None if route.public else authorizer,
            authorization_type=apigw.AuthorizationType.NONE if route.public else apigw.AuthorizationType.COGNITO,
        )
        added.append(RouteMethod(route, method, model))
    return added


def _model(scope: Construct, api: apigw.RestApi, route: Route) -> apigw.CfnModel | None:
    if route.wire_body is None:
        return None
    name = model_name(route.operation_id)
    return apigw.CfnModel(
        scope,
        f"{name}Model",
        rest_api_id=api.rest_api_id,
        name=name,
        content_type=JSON,
        description=f"Request body of {route.method} {route.path} (draft-04 subset of the registry schema)",
        schema=to_draft4(route.wire_body.schema, title=name),
    )


#: API Gateway's own message, already a quoted JSON string (`$context.error.messageString`).
GATEWAY_MESSAGE = "$context.error.messageString"
#: Gateway-generated errors: (response type, HTTP status, envelope code, message).
GATEWAY_ERRORS = (
    (apigw.ResponseType.UNAUTHORIZED, "401", "UNAUTHORIZED", "Unauthorized"),
    (apigw.ResponseType.EXPIRED_TOKEN, "401", "UNAUTHORIZED", "Unauthorized"),
    (apigw.ResponseType.ACCESS_DENIED, "403", "FORBIDDEN", "Forbidden"),
    (apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN, "404", "NOT_FOUND", "No such route"),
    (apigw.ResponseType.RESOURCE_NOT_FOUND, "404", "NOT_FOUND", "No such route"),
    (apigw.ResponseType.BAD_REQUEST_BODY, "400", "VALIDATION_ERROR", "The request body does not match its schema"),
    (apigw.ResponseType.BAD_REQUEST_PARAMETERS, "400", "VALIDATION_ERROR", "A required parameter is missing"),
    (apigw.ResponseType.REQUEST_TOO_LARGE, "413", "PAYLOAD_TOO_LARGE", "Payload too large"),
    (apigw.ResponseType.UNSUPPORTED_MEDIA_TYPE, "415", "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type"),
    (apigw.ResponseType.THROTTLED, "503", "THROTTLED", "Too many requests, retry later"),
    (apigw.ResponseType.QUOTA_EXCEEDED, "503", "THROTTLED", "Too many requests, retry later"),
    (apigw.ResponseType.DEFAULT_4_XX, None, "VALIDATION_ERROR", GATEWAY_MESSAGE),
    (apigw.ResponseType.DEFAULT_5_XX, None, "INTERNAL_ERROR", GATEWAY_MESSAGE),
)


def envelope_template(code: str, message: str) -> str:
    """The error envelope as a gateway response template (VTL variables filled by API Gateway)."""
    body = {
        "success": False,
        "error": {"code": code, "message": message, "details": []},
        "timestamp": "$context.requestTimeEpoch",
        "correlationId": "$context.requestId",
    }
    text = json.dumps(body, separators=(",", ":"))
    # `messageString` is quoted by API Gateway; anything else is a fixed text we quoted ourselves.
    return text.replace(json.dumps(GATEWAY_MESSAGE), GATEWAY_MESSAGE)


def cors_response_headers(origins: Sequence[str]) -> dict[str, str]:
    """CORS headers for gateway-generated errors, which cannot choose among several origins.

    With one configured origin it is named, with credentials, exactly as the Lambdas answer. With
    several, the caller's `Origin` is echoed *without* `Allow-Credentials`: these bodies are fixed
    error envelopes with no data, and the SPAs send bearer tokens, not cookies.
    """
    headers = {
        "Access-Control-Expose-Headers": "'X-Correlation-Id,Retry-After'",
        "Vary": "'Origin'",
    }
    if len(origins) == 1:
        headers["Access-Control-Allow-Origin"] = f"'{origins[0]}'"
        headers["Access-Control-Allow-Credentials"] = "'true'"
    else:
        headers["Access-Control-Allow-Origin"] = "method.request.header.Origin"
    return headers


def add_gateway_responses(api: apigw.RestApi, origins: Sequence[str]) -> list[apigw.GatewayResponse]:
    headers = cors_response_headers(origins)
    added = []
    for response_type, status, code, message in GATEWAY_ERRORS:
        extra = {"Retry-After": "'1'"} if code == "THROTTLED" else {}
        added.append(
            api.add_gateway_response(
                f"{response_type.response_type.title().replace('_', '')}Response",
                type=response_type,
                status_code=status,
                response_headers={**headers, **extra, "Content-Type": f"'{JSON}'"},
                templates={JSON: envelope_template(code, message)},
            )
        )
    return added
