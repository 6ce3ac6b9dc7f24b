"""API stack: the REST API is the route registry, authorized, validated, logged and throttled."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from aws_cdk import App, Stack, assertions
from aws_cdk import aws_cognito as cognito
from cdk_support import DEFAULT_SETTINGS, Synthesized, logical_id
from jsonschema import Draft4Validator

from tenantkit.api.registry import Route, all_routes
from tenantkit.auth.context import Role
from tenantkit_cdk.api_stack import ApiStack
from tenantkit_cdk.routes import PUBLIC_PATHS, UnintendedPublicRouteError, check_public

ROUTES = all_routes()


def _methods(template: assertions.Template) -> dict[tuple[str, str], dict[str, Any]]:
    """(HTTP method, path) -> method properties, with paths rebuilt from the resource tree."""
    resources = template.find_resources("AWS::ApiGateway::Resource")

    def path_of(reference: Any) -> str:
        if "Fn::GetAtt" in reference:  # the root resource
            return ""
        resource = resources[reference["Ref"]]["Properties"]
        return f"{path_of(resource['ParentId'])}/{resource['PathPart']}"

    methods = template.find_resources("AWS::ApiGateway::Method")
    found = {}
    for method in methods.values():
        properties = method["Properties"]
        found[(properties["HttpMethod"], path_of(properties["ResourceId"]) or "/")] = properties
    return found


@pytest.fixture(scope="module")
def methods(api_template: assertions.Template) -> dict[tuple[str, str], dict[str, Any]]:
    return _methods(api_template)


@pytest.fixture(scope="module")
def function_ids(synthesized: Synthesized) -> dict[str, str]:
    """Lambda logical ids by resource name."""
    return {name: logical_id(item.function) for name, item in synthesized.stacks.api.functions.items()}


@pytest.mark.parametrize("route", ROUTES, ids=[f"{r.method} {r.path}" for r in ROUTES])
def test_given_a_registry_route_when_synthesized_should_exist_on_its_resource_lambda(
    route: Route, methods: dict[tuple[str, str], dict[str, Any]], function_ids: dict[str, str]
) -> None:
    method = methods.get((route.method, route.path))

    assert method is not None, f"{route.method} {route.path} is missing from the REST API"
    integration = method["Integration"]
    assert integration["Type"] == "AWS_PROXY"
    assert {"Fn::GetAtt": [function_ids[route.resource], "Arn"]} in integration["Uri"]["Fn::Join"][1]
    assert method["OperationName"] == route.operation_id


@pytest.mark.parametrize("route", ROUTES, ids=[f"{r.method} {r.path}" for r in ROUTES])
def test_given_a_registry_route_when_synthesized_should_carry_the_authorization_it_declares(
    route: Route, methods: dict[tuple[str, str], dict[str, Any]], api_template: assertions.Template
) -> None:
    authorizer_id = next(iter(api_template.find_resources("AWS::ApiGateway::Authorizer")))

    method = methods[(route.method, route.path)]

    if route.public:
        assert method["AuthorizationType"] == "NONE"
        assert "AuthorizerId" not in method
    else:
        assert method["AuthorizationType"] == "COGNITO_USER_POOLS"
        assert method["AuthorizerId"] == {"Ref": authorizer_id}


def test_given_the_api_when_synthesized_should_have_no_public_method_beyond_the_allow_list_and_preflights(
    methods: dict[tuple[str, str], dict[str, Any]],
) -> None:
    registry = {(route.method, route.path) for route in ROUTES}

    public = {key: method for key, method in methods.items() if method["AuthorizationType"] == "NONE"}

    for (verb, path), method in public.items():
        if verb == "OPTIONS":
            assert method["Integration"]["Type"] == "MOCK", f"OPTIONS {path} must not reach a Lambda"
        else:
            assert (verb, path in PUBLIC_PATHS) == ("GET", True), f"{verb} {path} is public"
    assert {key for key in methods if key[0] != "OPTIONS"} == registry


def test_given_the_cognito_authorizer_when_synthesized_should_read_the_authorization_header(
    api_template: assertions.Template,
) -> None:
    api_template.has_resource_properties(
        "AWS::ApiGateway::Authorizer",
        {"Type": "COGNITO_USER_POOLS", "IdentitySource": "method.request.header.Authorization"},
    )


def _route(method: str, path: str, role: Role | None) -> Route:
    return Route(method, path, "groups", f"probe{method.title()}", lambda *_: None, role)


@pytest.mark.parametrize(
    "route",
    [_route("GET", "/groups/export", None), _route("POST", "/health", None), _route("DELETE", "/openapi.json", None)],
    ids=["unlisted path", "allow-listed path, POST", "allow-listed path, DELETE"],
)
def test_given_a_route_public_by_accident_when_synthesizing_should_fail(route: Route) -> None:
    app = App()
    pool = cognito.UserPool.from_user_pool_id(Stack(app, "Pools"), "Pool", "us-east-1_example")

    with pytest.raises(UnintendedPublicRouteError, match=route.path):
        ApiStack(app, "Probe", settings=DEFAULT_SETTINGS, user_pool=pool, routes=[*ROUTES, route])


def test_given_the_registry_when_checked_should_accept_its_public_routes() -> None:
    check_public(ROUTES)

    assert {route.path for route in ROUTES if route.public} <= PUBLIC_PATHS


@pytest.mark.parametrize("route", [r for r in ROUTES if r.wire_body], ids=lambda r: f"{r.method} {r.path}")
def test_given_a_route_with_a_body_schema_when_synthesized_should_validate_the_body_with_a_draft4_model(
    route: Route,
    methods: dict[tuple[str, str], dict[str, Any]],
    resources_of: Callable[[str], dict[str, Any]],
) -> None:
    validators = resources_of("AWS::ApiGateway::RequestValidator")
    models = resources_of("AWS::ApiGateway::Model")

    method = methods[(route.method, route.path)]

    model = models[method["RequestModels"]["application/json"]["Ref"]]["Properties"]
    validator = validators[method["RequestValidatorId"]["Ref"]]["Properties"]
    assert validator["ValidateRequestBody"] is True
    assert model["Schema"]["$schema"] == "http://json-schema.org/draft-04/schema#"
    Draft4Validator.check_schema(model["Schema"])
    assert set(model["Schema"]["properties"]) == set(route.wire_body.schema["properties"])  # type: ignore[union-attr]
    assert "(?!" not in json.dumps(model["Schema"])


@pytest.mark.parametrize("route", [r for r in ROUTES if r.path_schema], ids=lambda r: f"{r.method} {r.path}")
def test_given_a_route_with_path_parameters_when_synthesized_should_require_them(
    route: Route, methods: dict[tuple[str, str], dict[str, Any]]
) -> None:
    names = [part.strip("{}") for part in route.path.split("/") if part.startswith("{")]

    method = methods[(route.method, route.path)]

    assert all(method["RequestParameters"][f"method.request.path.{name}"] is True for name in names)
    assert "RequestValidatorId" in method


@pytest.mark.parametrize("response_type", ["UNAUTHORIZED", "ACCESS_DENIED", "DEFAULT_4XX", "DEFAULT_5XX"])
def test_given_a_gateway_error_when_synthesized_should_answer_our_envelope_with_cors(
    response_type: str, resources_of: Callable[[str], dict[str, Any]]
) -> None:
    responses = {
        r["Properties"]["ResponseType"]: r["Properties"]
        for r in resources_of("AWS::ApiGateway::GatewayResponse").values()
    }

    response = responses[response_type]

    rendered = response["ResponseTemplates"]["application/json"].replace(
        "$context.error.messageString", '"Gateway message"'
    )
    body = json.loads(rendered)
    assert body["success"] is False
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["correlationId"] == "$context.requestId"
    headers = response["ResponseParameters"]
    assert headers["gatewayresponse.header.Access-Control-Allow-Origin"] == "'http://localhost:5173'"
    assert headers["gatewayresponse.header.Content-Type"] == "'application/json'"


def test_given_the_stage_when_synthesized_should_throttle_and_write_json_access_logs(
    api_template: assertions.Template,
) -> None:
    stages = api_template.find_resources("AWS::ApiGateway::Stage")
    stage = next(iter(stages.values()))["Properties"]

    access_format = json.loads(stage["AccessLogSetting"]["Format"])

    assert access_format["requestId"] == "$context.requestId"
    assert access_format["status"] == "$context.status"
    settings = stage["MethodSettings"][0]
    assert settings["ThrottlingRateLimit"] == DEFAULT_SETTINGS.throttle_rate
    assert settings["ThrottlingBurstLimit"] == DEFAULT_SETTINGS.throttle_burst
    assert settings["DataTraceEnabled"] is False


def test_given_a_registry_path_when_synthesized_should_answer_preflights_for_configured_origins(
    methods: dict[tuple[str, str], dict[str, Any]],
) -> None:
    preflight = methods[("OPTIONS", "/groups")]

    headers = preflight["Integration"]["IntegrationResponses"][0]["ResponseParameters"]

    assert headers["method.response.header.Access-Control-Allow-Origin"] == "'http://localhost:5173'"
    assert "Authorization" in headers["method.response.header.Access-Control-Allow-Headers"]
