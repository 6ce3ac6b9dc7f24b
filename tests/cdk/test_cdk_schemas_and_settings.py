"""Pure pieces of the CDK app: draft-04 models from registry schemas, and settings resolution."""

from __future__ import annotations

from typing import Any

import pytest
from cdk_support import DEFAULT_SETTINGS
from jsonschema import Draft4Validator, Draft202012Validator

from tenantkit.api.registry import all_routes
from tenantkit_cdk.schemas import draft4_pattern, model_name, to_draft4
from tenantkit_cdk.settings import Settings, SettingsError

BODY_ROUTES = [route for route in all_routes() if route.wire_body is not None]


def test_given_an_anchored_pattern_when_converted_should_end_with_a_dollar() -> None:
    converted = draft4_pattern(r"^[a-z]{1,3}(?![\s\S])")

    assert converted == "^[a-z]{1,3}$"


def test_given_a_pattern_with_a_lookahead_inside_when_converted_should_be_dropped() -> None:
    assert draft4_pattern(r"^(?=.*[0-9])[a-z0-9]+$") is None


def test_given_2020_keywords_when_converted_should_use_their_draft4_spelling() -> None:
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "kind": {"const": "group"},
            "count": {"type": "integer", "exclusiveMinimum": 0},
            "when": {"type": "string", "format": "date-time"},
            "ref": {"$ref": "#/$defs/id"},
        },
        "required": [],
        "$defs": {"id": {"type": "string", "minLength": 26}},
        "if": {"required": ["kind"]},
    }

    model = to_draft4(schema, title="Probe")

    Draft4Validator.check_schema(model)
    assert model["properties"]["kind"] == {"enum": ["group"]}
    assert model["properties"]["count"] == {"type": "integer", "minimum": 0, "exclusiveMinimum": True}
    assert model["properties"]["when"] == {"type": "string"}
    assert model["properties"]["ref"] == {"type": "string", "minLength": 26}
    assert "required" not in model
    assert "if" not in model
    assert "$defs" not in model


@pytest.mark.parametrize("route", BODY_ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_given_a_registry_body_schema_when_converted_should_accept_what_the_lambda_accepts(route: Any) -> None:
    wire = route.wire_body.schema
    model = to_draft4(wire)
    sample = {name: _sample(prop) for name, prop in wire["properties"].items() if name in wire.get("required", [])}
    if not sample:
        sample = dict([next((n, _sample(p)) for n, p in wire["properties"].items() if _sample(p) is not None)])

    lambda_errors = list(Draft202012Validator(wire).iter_errors(sample))
    gateway_errors = list(Draft4Validator(model).iter_errors(sample))

    assert lambda_errors == [], lambda_errors
    assert gateway_errors == [], gateway_errors


def _sample(schema: dict[str, Any]) -> Any:
    """A small valid value for the schema shapes the registry uses (strings, enums, objects)."""
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    kind = kind[0] if isinstance(kind, list) else kind
    if kind == "object":
        return {
            name: _sample(prop)
            for name, prop in schema.get("properties", {}).items()
            if name in schema.get("required", [])
        }
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "string":
        pattern = schema.get("pattern", "")
        if "@" in pattern:
            return "owner@example.com"
        if "0-7" in pattern:
            return "01ARZ3NDEKTSV4RRFFQ69G5FAV"
        return "Name"
    return None


def test_given_an_operation_id_when_naming_its_model_should_be_alphanumeric_pascal_case() -> None:
    assert model_name("createGroup") == "CreateGroupBody"


def test_given_no_context_or_environment_when_resolved_should_use_the_documented_defaults() -> None:
    settings = Settings.resolve(lambda key: None, environ={})

    assert settings == DEFAULT_SETTINGS
    assert (settings.organization, settings.environment) == ("tenantkit", "dev")
    assert settings.allowed_origins == ("http://localhost:5173",)
    assert settings.ssm_parameter("dynamodb", "app-table", "arn") == "/tenantkit/dev/dynamodb/app-table/arn"


def test_given_context_and_environment_when_resolved_should_prefer_context() -> None:
    context = {"organization": "acme", "log_retention_days": 90}
    environ = {
        "TENANTKIT_ORG": "ignored",
        "TENANTKIT_ENV": "staging",
        "CORS_ALLOWED_ORIGINS": "https://a.example/, https://b.example",
    }

    settings = Settings.resolve(context.get, environ=environ)

    assert settings.organization == "acme"
    assert settings.environment == "staging"
    assert settings.allowed_origins == ("https://a.example", "https://b.example")
    assert settings.log_retention_days == 90
    assert settings.stack_prefix == "AcmeStaging"


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ({"organization": "Acme Corp"}, "organization"),
        ({"organization": "awsome"}, "Cognito domain"),
        ({"allowed_origins": "*"}, "origin"),
        ({"log_retention_days": 10}, "retention"),
        ({"mfa": "sometimes"}, "mfa"),
        ({"throttle_rate": "fast"}, "integer"),
    ],
)
def test_given_a_malformed_setting_when_resolved_should_stop_synth(context: dict[str, Any], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.resolve(context.get, environ={})
