"""Monitoring stack: the alarms the issue names, on every Lambda, and a dashboard."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import assertions
from cdk_support import DEFAULT_SETTINGS

from tenantkit.api.registry import EVENT_LAMBDAS, all_routes

RESOURCES = sorted({route.resource for route in all_routes()})
#: Every deployed Lambda: one per registry resource, and the stream consumers (the outbox relay).
LAMBDAS = sorted([*RESOURCES, *EVENT_LAMBDAS])


@pytest.fixture(scope="module")
def alarms(templates: dict[str, assertions.Template]) -> list[dict[str, Any]]:
    return [a["Properties"] for a in templates["monitoring"].find_resources("AWS::CloudWatch::Alarm").values()]


def _metric_alarms(alarms: list[dict[str, Any]], namespace: str, name: str) -> list[dict[str, Any]]:
    return [a for a in alarms if a.get("Namespace") == namespace and a.get("MetricName") == name]


def _dimensions(alarm: dict[str, Any]) -> dict[str, Any]:
    return {d["Name"]: d["Value"] for d in alarm.get("Dimensions", [])}


def test_given_the_api_when_monitored_should_alarm_on_5xx_rate_and_p99_latency(alarms: list[dict[str, Any]]) -> None:
    (errors,) = _metric_alarms(alarms, "AWS/ApiGateway", "5XXError")
    (latency,) = _metric_alarms(alarms, "AWS/ApiGateway", "Latency")

    assert errors["Statistic"] == "Average"  # 5XXError is 0/1 per request: its average is the rate
    assert 0 < errors["Threshold"] < 1
    assert latency["ExtendedStatistic"] == "p99"
    assert _dimensions(errors) == {"ApiName": DEFAULT_SETTINGS.api_name, "Stage": "v1"}


@pytest.mark.parametrize("metric", ["Errors", "Throttles"])
def test_given_every_lambda_when_monitored_should_alarm_on_errors_and_throttles(
    metric: str, alarms: list[dict[str, Any]]
) -> None:
    found = _metric_alarms(alarms, "AWS/Lambda", metric)

    watched = sorted(_dimensions(alarm)["FunctionName"] for alarm in found)

    assert watched == sorted(DEFAULT_SETTINGS.function_name(resource) for resource in LAMBDAS)


def test_given_the_table_when_monitored_should_alarm_on_every_throttle_signal(alarms: list[dict[str, Any]]) -> None:
    labels = {metric.get("Label") for alarm in alarms for metric in alarm.get("Metrics", []) if metric.get("Label")}

    assert {"ReadThrottleEvents", "WriteThrottleEvents"} <= labels
    expressions = [m["Expression"] for a in alarms for m in a.get("Metrics", []) if "Expression" in m]
    assert any("FILL" in expression for expression in expressions)
    assert sum("ThrottledRequests" in str(alarm) for alarm in alarms) >= 1


def test_given_the_alarms_when_synthesized_should_notify_the_alarm_topic(
    alarms: list[dict[str, Any]], templates: dict[str, assertions.Template]
) -> None:
    topic_id = next(iter(templates["monitoring"].find_resources("AWS::SNS::Topic")))

    assert all(alarm["AlarmActions"] == [{"Ref": topic_id}] for alarm in alarms)
    assert len(alarms) == 2 + 2 * len(LAMBDAS) + 2 + 3  # API, per Lambda, relay age and DLQ, table


def test_given_the_monitoring_stack_when_synthesized_should_have_a_dashboard_and_import_nothing(
    templates: dict[str, assertions.Template],
) -> None:
    template = templates["monitoring"]

    template.resource_count_is("AWS::CloudWatch::Dashboard", 1)

    assert "Fn::ImportValue" not in str(template.to_json())
