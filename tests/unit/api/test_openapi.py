"""The OpenAPI 3.1 document generated from the route registry."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from openapi_spec_validator import validate

import tenantkit
from tenantkit.api.openapi import build_document
from tenantkit.api.registry import Route, RouteTable, all_routes
from tenantkit.auth.context import Role
from tenantkit.models.schema import DIALECT, object_schema
from tenantkit.services.result import ErrorCode

GROUP_ITEM = "/groups/{groupId}"


def _noop(event: Any, context: Any, services: Any) -> None:
    return None


def _widget_table() -> RouteTable:
    table = RouteTable("widgets")
    widget = object_schema({"widget_name": {"type": "string"}, "widget_id": {"type": "string"}})
    table.route(
        "POST",
        "/widgets",
        role=Role.ADMIN,
        operation_id="createWidget",
        body_schema=object_schema({"widget_name": {"type": "string"}}, required=("widget_name",)),
        response_schema=widget,
        success_status=201,
    )(_noop)
    table.route(
        "GET",
        "/widgets/{widgetId}",
        role=Role.MEMBER,
        operation_id="getWidget",
        path_schema=object_schema({"widget_id": {"type": "string"}}, required=("widget_id",)),
        response_schema=widget,
    )(_noop)
    return table


def _operation(document: dict[str, Any], route: Route) -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"][route.path][route.method.lower()]
    return operation


def _parameters(operation: dict[str, Any], where: str) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in operation["parameters"] if p.get("in") == where}


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _success_schema(operation: dict[str, Any], status: str = "200") -> dict[str, Any]:
    schema: dict[str, Any] = operation["responses"][status]["content"]["application/json"]["schema"]
    return schema


def test_given_default_routes_when_built_should_be_a_valid_openapi_3_1_document() -> None:
    document = build_document()

    validate(document)
    assert document["openapi"] == "3.1.0"
    assert document["jsonSchemaDialect"] == DIALECT
    assert document["info"] == {"title": "tenantkit API", "version": tenantkit.__version__}
    assert "servers" not in document
    assert "security" not in document


def test_given_title_version_and_server_when_built_should_use_them() -> None:
    document = build_document(title="Acme", version="9.9.9", server_url="https://api.example.com/v1")

    validate(document)
    assert document["info"] == {"title": "Acme", "version": "9.9.9"}
    assert document["servers"] == [{"url": "https://api.example.com/v1"}]


def test_given_registry_when_built_should_document_every_route_with_its_security() -> None:
    document = build_document()

    for route in all_routes():
        operation = _operation(document, route)
        assert operation["operationId"] == route.operation_id
        assert operation["tags"] == [route.resource]
        assert operation["summary"]
        if route.public:
            assert "security" not in operation
            assert "x-required-role" not in operation
        else:
            assert route.role is not None
            assert operation["security"] == [{"bearerAuth": []}]
            assert operation["x-required-role"] == route.role.value
    operations = sum(len(methods) for methods in document["paths"].values())
    assert operations == len(all_routes())
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_given_group_item_path_when_built_should_declare_required_group_id(method: str) -> None:
    operation = build_document()["paths"][GROUP_ITEM][method]

    path_params = _parameters(operation, "path")

    assert list(path_params) == ["groupId"]
    assert path_params["groupId"]["required"] is True
    assert path_params["groupId"]["schema"]["type"] == "string"


def test_given_list_groups_when_built_should_declare_camel_case_optional_query_params() -> None:
    operation = build_document()["paths"]["/groups"]["get"]

    query = _parameters(operation, "query")

    assert list(query) == ["groupType", "userId", "createdAfter", "createdBefore", "limit", "cursor"]
    assert not any(param["required"] for param in query.values())
    assert query["limit"]["schema"]["maximum"] == 100


def test_given_create_group_when_built_should_take_a_strict_camel_case_body() -> None:
    document = build_document()
    body = document["paths"]["/groups"]["post"]["requestBody"]

    schema = _resolve(document, body["content"]["application/json"]["schema"]["$ref"])

    assert body["required"] is True
    assert {"groupType", "privacySettings"} <= set(schema["properties"])
    assert "group_type" not in schema["properties"]
    assert set(schema["required"]) == {"name", "groupType"}
    assert schema["additionalProperties"] is False
    assert schema["properties"]["privacySettings"]["additionalProperties"] is False


def test_given_group_routes_when_built_should_share_named_component_schemas() -> None:
    document = build_document()
    paths = document["paths"]

    patch_body = paths[GROUP_ITEM]["patch"]["requestBody"]["content"]["application/json"]["schema"]
    data = _success_schema(paths[GROUP_ITEM]["get"])["properties"]["data"]

    assert {"ErrorEnvelope", "Group", "GroupCreate", "GroupUpdate"} <= set(document["components"]["schemas"])
    assert paths["/groups"]["post"]["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/GroupCreate"
    }
    assert patch_body == {"$ref": "#/components/schemas/GroupUpdate"}
    assert data == {"$ref": "#/components/schemas/Group"}


def test_given_response_schema_when_built_should_allow_new_top_level_fields() -> None:
    group = build_document()["components"]["schemas"]["Group"]

    assert "additionalProperties" not in group
    assert {"id", "tenantId", "userId", "groupType", "createdUtc", "updatedUtc"} <= set(group["properties"])


def test_given_paged_route_when_built_should_envelope_a_list_page() -> None:
    operation = build_document()["paths"]["/groups"]["get"]

    envelope = _success_schema(operation)
    page = envelope["properties"]["data"]

    assert envelope["properties"]["success"]["const"] is True
    assert envelope["properties"]["timestamp"] == {"type": "string", "format": "date-time"}
    assert set(envelope["required"]) == {"success", "data", "timestamp"}
    assert page["properties"]["items"] == {"type": "array", "items": {"$ref": "#/components/schemas/Group"}}
    assert page["properties"]["nextCursor"] == {"type": ["string", "null"]}


def test_given_create_route_when_built_should_answer_its_success_status() -> None:
    responses = build_document()["paths"]["/groups"]["post"]["responses"]

    assert "201" in responses
    assert "200" not in responses


def test_given_system_routes_when_built_should_envelope_health_but_not_the_document() -> None:
    paths = build_document()["paths"]

    health = _success_schema(paths["/health"]["get"])
    spec = _success_schema(paths["/openapi.json"]["get"])

    assert health["properties"]["data"]["properties"]["status"] == {"type": "string", "enum": ["ok"]}
    assert "success" not in spec.get("properties", {})
    assert spec["type"] == "object"


def test_given_error_envelope_when_built_should_list_every_error_code() -> None:
    envelope = build_document()["components"]["schemas"]["ErrorEnvelope"]

    codes = envelope["properties"]["error"]["properties"]["code"]["enum"]

    assert codes == [code.value for code in ErrorCode]
    assert envelope["properties"]["success"]["const"] is False
    assert set(envelope["required"]) == {"success", "error", "timestamp", "correlationId"}


@pytest.mark.parametrize(
    ("path", "method", "statuses"),
    [
        ("/health", "get", {"200", "400", "500"}),
        ("/groups", "get", {"200", "400", "401", "403", "500", "503"}),
        ("/groups", "post", {"201", "400", "401", "403", "409", "413", "415", "500", "503"}),
        (GROUP_ITEM, "get", {"200", "400", "401", "403", "404", "500", "503"}),
        (GROUP_ITEM, "patch", {"200", "400", "401", "403", "404", "409", "413", "415", "500", "503"}),
        (GROUP_ITEM, "delete", {"200", "400", "401", "403", "404", "409", "500", "503"}),
    ],
)
def test_given_route_shape_when_built_should_list_the_errors_it_can_answer(
    path: str, method: str, statuses: set[str]
) -> None:
    responses = build_document()["paths"][path][method]["responses"]

    assert set(responses) == statuses


def test_given_any_response_when_built_should_declare_correlation_id_and_retry_after_on_503() -> None:
    document = build_document()
    responses = [
        r for methods in document["paths"].values() for op in methods.values() for r in op["responses"].values()
    ]

    resolved = [_resolve(document, r["$ref"]) if "$ref" in r else r for r in responses]

    assert all("X-Correlation-Id" in response["headers"] for response in resolved)
    assert "Retry-After" in document["components"]["responses"]["Throttled"]["headers"]
    assert "Retry-After" not in document["components"]["responses"]["Conflict"]["headers"]


def test_given_document_when_built_should_resolve_every_ref_inside_it() -> None:
    document = build_document()

    refs = set(_refs(document))

    assert refs
    for ref in refs:
        assert isinstance(_resolve(document, ref), dict)


def test_given_two_builds_when_serialized_should_be_identical() -> None:
    first = json.dumps(build_document(), sort_keys=True)
    second = json.dumps(build_document(), sort_keys=True)

    assert first == second
    assert list(build_document()["paths"]) == sorted(build_document()["paths"])


def test_given_caller_mutates_document_when_built_again_should_not_see_the_change() -> None:
    document = build_document()
    document["paths"].clear()
    document["components"]["schemas"]["Group"]["properties"].clear()

    fresh = build_document()

    assert fresh["paths"]
    assert fresh["components"]["schemas"]["Group"]["properties"]


def test_given_custom_table_when_built_should_document_only_its_routes() -> None:
    document = build_document([_widget_table()])

    validate(document)
    assert sorted(document["paths"]) == ["/widgets", "/widgets/{widgetId}"]
    assert document["tags"] == [{"name": "widgets"}]
    body = document["components"]["schemas"]["WidgetCreate"]
    assert body["required"] == ["widgetName"]
    assert document["components"]["schemas"]["Widget"]["properties"].keys() == {"widgetName", "widgetId"}
    assert document["paths"]["/widgets"]["post"]["x-required-role"] == "admin"


def test_given_empty_table_list_when_built_should_document_no_routes() -> None:
    document = build_document([])

    validate(document)
    assert document["paths"] == {}


def test_given_duplicate_operation_ids_when_built_should_raise() -> None:
    table = RouteTable("things")
    table.route("GET", "/a", role=None, operation_id="same")(_noop)
    table.route("GET", "/b", role=None, operation_id="same")(_noop)

    with pytest.raises(ValueError, match="same"):
        build_document([table])


def test_given_path_template_without_its_schema_when_declared_should_raise() -> None:
    table = RouteTable("things")

    with pytest.raises(ValueError, match="thingId"):
        table.route("GET", "/things/{thingId}", role=Role.MEMBER)(_noop)


def test_given_a_body_schema_on_a_get_when_declared_should_raise() -> None:
    table = RouteTable("things")

    with pytest.raises(ValueError, match="take a body"):
        table.route("GET", "/things", role=Role.MEMBER, body_schema={"type": "object"})(_noop)
