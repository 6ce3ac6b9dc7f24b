"""One JSON log line per request, EMF metrics with the tenant in metadata, never a token or a body."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from events import claims_for, make_event

from tenantkit.api.observability import reset_observability
from tenantkit.services.factory import ServiceFactory
from tenantkit.services.result import ServiceResult

SECRET_BODY_TEXT = "body-text-that-must-not-be-logged"


@pytest.fixture(autouse=True)
def verbose_observability(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("LOG_LEVEL", "INFO")
    monkeypatch.setenv("TENANTKIT_METRICS", "on")
    reset_observability()
    yield
    reset_observability()


def _json_lines(text: str) -> list[dict[str, Any]]:
    lines = []
    for line in text.splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def _services(result: ServiceResult[Any]) -> Any:
    services = mock.create_autospec(ServiceFactory, instance=True)
    services.group_service.create.return_value = result
    return services


def test_given_a_request_when_handled_should_log_one_line_with_correlation_tenant_route_status_and_duration(
    groups_lambda, make_ctx, capsys
) -> None:
    ctx = make_ctx("member")
    event = make_event(
        "POST",
        "/groups",
        body={"name": SECRET_BODY_TEXT, "groupType": "team"},
        claims=claims_for(ctx),
        headers={"Authorization": "Bearer token-that-must-not-be-logged", "X-Correlation-Id": "corr-123"},
    )

    groups_lambda(event, None, _services(ServiceResult.success_result({"id": "x"}, status_code=201)))

    output = capsys.readouterr().out
    request_lines = [line for line in _json_lines(output) if line.get("message") == "request"]
    assert len(request_lines) == 1
    line = request_lines[0]
    assert line["correlation_id"] == "corr-123"
    assert line["tenant_id"] == ctx.tenant_id
    assert line["user_id"] == ctx.user_id
    assert line["route"] == "POST /groups"
    assert line["status"] == 201
    assert line["duration_ms"] >= 0
    assert "token-that-must-not-be-logged" not in output
    assert SECRET_BODY_TEXT not in output


def test_given_a_failed_request_when_handled_should_emit_emf_with_tenant_as_metadata_not_dimension(
    groups_lambda, make_ctx, capsys
) -> None:
    ctx = make_ctx("member")
    conflict = ServiceResult.error_result("Group already exists", "CONFLICT")
    event = make_event("POST", "/groups", body={"name": "x", "groupType": "team"}, claims=claims_for(ctx))

    groups_lambda(event, None, _services(conflict))

    blobs = [line for line in _json_lines(capsys.readouterr().out) if "_aws" in line]
    metric_names = {m["Name"] for blob in blobs for d in blob["_aws"]["CloudWatchMetrics"] for m in d["Metrics"]}
    dimensions = {
        dim for blob in blobs for d in blob["_aws"]["CloudWatchMetrics"] for ds in d["Dimensions"] for dim in ds
    }
    assert {"Requests", "Latency", "Errors"} <= metric_names
    assert "tenant_id" not in dimensions
    assert any(blob.get("tenant_id") == ctx.tenant_id for blob in blobs)
    assert any(blob.get("code") == "CONFLICT" for blob in blobs)


def test_given_an_unexpected_error_when_handled_should_log_it_with_the_correlation_id_the_client_sees(
    groups_lambda, make_ctx, capsys
) -> None:
    services = mock.create_autospec(ServiceFactory, instance=True)
    services.group_service.create.side_effect = RuntimeError("database exploded")
    event = make_event("POST", "/groups", body={"name": "x", "groupType": "team"}, claims=claims_for(make_ctx()))

    response = groups_lambda(event, None, services)

    body = json.loads(response["body"])
    logged = [line for line in _json_lines(capsys.readouterr().out) if line.get("message") == "unhandled error"]
    assert response["statusCode"] == 500
    assert "database exploded" not in response["body"]
    assert len(logged) == 1
    assert logged[0]["correlation_id"] == body["correlationId"]
    assert "database exploded" in logged[0]["exception"]
