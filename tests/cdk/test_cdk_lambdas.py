"""The Lambdas: one per resource, arm64 python3.12 with the layers, and only the access their routes need."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aws_cdk import assertions
from cdk_support import DEFAULT_SETTINGS, Synthesized, logical_id

from tenantkit.api.registry import EVENT_LAMBDAS, all_routes
from tenantkit_cdk.access import (
    IDENTITY_ACTIONS,
    IDENTITY_PROVIDER_RESOURCES,
    READ_ACTIONS,
    WRITE_ACTIONS,
    TableAccess,
    table_access,
    tenant_scoped_policy,
)

ROUTES = all_routes()
RESOURCES = sorted({route.resource for route in ROUTES})
TABLE_ARN: list[Any] = [
    "arn:",
    {"Ref": "AWS::Partition"},
    ":dynamodb:",
    {"Ref": "AWS::Region"},
    ":",
    {"Ref": "AWS::AccountId"},
    f":table/{DEFAULT_SETTINGS.table_name}",
]


def _statements(api_template: assertions.Template, synthesized: Synthesized, resource: str) -> list[dict[str, Any]]:
    """Every statement attached to `resource`'s role (inline policies of the role included)."""
    role_id = logical_id(synthesized.stacks.api.functions[resource].role)
    role = api_template.find_resources("AWS::IAM::Role")[role_id]
    statements = [s for policy in role["Properties"].get("Policies", []) for s in policy["PolicyDocument"]["Statement"]]
    assert not role["Properties"].get("ManagedPolicyArns"), f"{resource} role has managed policies"
    for policy in api_template.find_resources("AWS::IAM::Policy").values():
        if {"Ref": role_id} in policy["Properties"]["Roles"]:
            statements += policy["Properties"]["PolicyDocument"]["Statement"]
    return statements


def _actions(statement: dict[str, Any]) -> list[str]:
    actions = statement["Action"]
    return [actions] if isinstance(actions, str) else list(actions)


@pytest.fixture(scope="module")
def functions(resources_of: Callable[[str], dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Function properties by resource name (from the function name)."""
    found = resources_of("AWS::Lambda::Function")
    return {props["Properties"]["FunctionName"].rsplit("-", 1)[1]: props["Properties"] for props in found.values()}


def test_given_the_registry_when_synthesized_should_deploy_one_lambda_per_resource_and_event_lambda(
    functions: dict[str, dict[str, Any]],
) -> None:
    assert sorted(functions) == sorted([*RESOURCES, *EVENT_LAMBDAS])


@pytest.mark.parametrize("resource", RESOURCES)
def test_given_a_resource_lambda_when_synthesized_should_run_python312_arm64_with_the_layers_and_log_retention(
    resource: str, functions: dict[str, dict[str, Any]], resources_of: Callable[[str], dict[str, Any]]
) -> None:
    log_groups = resources_of("AWS::Logs::LogGroup")

    function = functions[resource]

    assert function["Runtime"] == "python3.12"
    assert function["Architectures"] == ["arm64"]
    assert function["Handler"] == "handler.lambda_handler"
    assert len(function["Layers"]) == 2  # dependencies, library
    log_group = log_groups[function["LoggingConfig"]["LogGroup"]["Ref"]]["Properties"]
    assert log_group["RetentionInDays"] == DEFAULT_SETTINGS.log_retention_days
    assert function["Timeout"] < 29


@pytest.mark.parametrize("resource", RESOURCES)
def test_given_a_resource_lambda_when_synthesized_should_get_its_settings_and_no_literal_secret(
    resource: str, functions: dict[str, dict[str, Any]]
) -> None:
    variables = functions[resource]["Environment"]["Variables"]

    assert variables["CORS_ALLOWED_ORIGINS"] == DEFAULT_SETTINGS.origins_csv
    assert variables["POWERTOOLS_SERVICE_NAME"] == resource
    assert variables["LOG_LEVEL"] == DEFAULT_SETTINGS.log_level
    assert "CURSOR_SECRET" not in variables
    if "CURSOR_SECRET_ARN" in variables:
        assert set(variables["CURSOR_SECRET_ARN"]) == {"Ref"}
    uses_table = table_access(r for r in ROUTES if r.resource == resource) is not TableAccess.NONE
    assert ("APP_TABLE_NAME" in variables) == uses_table


@pytest.mark.parametrize("resource", RESOURCES)
def test_given_a_resource_lambda_when_synthesized_should_touch_only_its_table_with_the_actions_its_routes_need(
    resource: str, api_template: assertions.Template, synthesized: Synthesized
) -> None:
    access = table_access(route for route in ROUTES if route.resource == resource)

    statements = _statements(api_template, synthesized, resource)

    dynamodb = [s for s in statements if any(a.startswith("dynamodb:") for a in _actions(s))]
    if access is TableAccess.NONE:
        assert dynamodb == []
        return
    assert len(dynamodb) == 1
    statement = dynamodb[0]
    assert statement["Effect"] == "Allow"
    assert sorted(_actions(statement)) == sorted(access.actions)
    assert statement["Resource"] == [
        {"Fn::Join": ["", TABLE_ARN]},
        {"Fn::Join": ["", [*TABLE_ARN[:-1], f"{TABLE_ARN[-1]}/index/*"]]},
    ]


@pytest.mark.parametrize("resource", RESOURCES)
def test_given_a_resource_lambda_when_synthesized_should_have_no_wildcard_action_or_resource(
    resource: str, api_template: assertions.Template, synthesized: Synthesized
) -> None:
    statements = _statements(api_template, synthesized, resource)

    for statement in statements:
        assert not any(action.endswith("*") for action in _actions(statement)), statement
        assert statement["Resource"] != "*", statement
        assert "dynamodb:Scan" not in _actions(statement)


@pytest.mark.parametrize("resource", RESOURCES)
def test_given_a_resource_lambda_when_synthesized_should_manage_sign_ins_only_if_its_service_does(
    resource: str, api_template: assertions.Template, synthesized: Synthesized
) -> None:
    statements = _statements(api_template, synthesized, resource)

    cognito = [s for s in statements if any(a.startswith("cognito-idp:") for a in _actions(s))]

    if resource in IDENTITY_PROVIDER_RESOURCES:
        assert len(cognito) == 1
        assert sorted(_actions(cognito[0])) == sorted(IDENTITY_ACTIONS)
        assert "Fn::ImportValue" in cognito[0]["Resource"]  # the one user pool, by ARN
    else:
        assert cognito == []


def test_given_the_system_routes_when_deriving_access_should_grant_no_table_access() -> None:
    system = [route for route in ROUTES if route.resource == "system"]

    assert table_access(system) is TableAccess.NONE


def test_given_get_only_routes_when_deriving_access_should_grant_reads_only() -> None:
    reads = [route for route in ROUTES if route.method == "GET" and not route.public]

    assert table_access(reads) is TableAccess.READ
    assert TableAccess.READ.actions == READ_ACTIONS
    assert set(TableAccess.READ_WRITE.actions) == set(READ_ACTIONS) | set(WRITE_ACTIONS)


def test_given_tenant_scoped_credentials_when_building_the_policy_should_fence_leading_keys_to_the_tenant() -> None:
    from aws_cdk import Stack

    stack = Stack()

    document = stack.resolve(tenant_scoped_policy("arn:aws:dynamodb:eu-west-1:123456789012:table/t").to_json())

    (statement,) = document["Statement"]
    assert statement["Condition"]["ForAllValues:StringLike"] == {
        "dynamodb:LeadingKeys": ["tenant#${aws:PrincipalTag/tenant_id}#*"]
    }
    assert "dynamodb:Scan" not in statement["Action"]
    assert statement["Resource"] == [
        "arn:aws:dynamodb:eu-west-1:123456789012:table/t",
        "arn:aws:dynamodb:eu-west-1:123456789012:table/t/index/*",
    ]
