"""Events: the table stream, the bus, and the outbox relay between them (filtered, retried, least privilege).

A change and its outbox records commit in one transaction; the stream delivers the inserted records
to the relay Lambda, which publishes them to the bus and deletes them. The HTTP Lambdas no longer
publish: they run with `TENANTKIT_OUTBOX_RELAY=stream` and cannot call `events:PutEvents`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import assertions
from cdk_support import DEFAULT_SETTINGS, ROOT, Synthesized, logical_id

from tenantkit.api.registry import EVENT_LAMBDAS, all_routes
from tenantkit.models.outbox import OutboxRecord
from tenantkit_cdk.packaging import lambda_directories
from tenantkit_cdk.relay import OUTBOX_RELAY, STREAM_READ_ACTIONS

RESOURCES = sorted({route.resource for route in all_routes()})
BUS_NAME = DEFAULT_SETTINGS.event_bus_name
RELAY_NAME = DEFAULT_SETTINGS.function_name(OUTBOX_RELAY)
DLQ_NAME = DEFAULT_SETTINGS.dead_letter_queue_name(OUTBOX_RELAY)
STREAM_ARN_PARAMETER = "/tenantkit/dev/dynamodb/app-table/stream-arn"


def _arn(service: str, resource: str) -> dict[str, Any]:
    """`arn:<partition>:<service>:<region>:<account>:<resource>` as CDK renders `format_arn`."""
    parts = ["arn:", {"Ref": "AWS::Partition"}, f":{service}:", {"Ref": "AWS::Region"}, ":"]
    return {"Fn::Join": ["", [*parts, {"Ref": "AWS::AccountId"}, f":{resource}"]]}


TABLE_ARN = _arn("dynamodb", f"table/{DEFAULT_SETTINGS.table_name}")
BUS_ARN = _arn("events", f"event-bus/{BUS_NAME}")


def _one(template: assertions.Template, kind: str) -> tuple[str, dict[str, Any]]:
    found = template.find_resources(kind)
    assert len(found) == 1, f"expected one {kind}, found {len(found)}"
    ((resource_id, resource),) = found.items()
    return resource_id, dict(resource)


def _actions(statement: dict[str, Any]) -> list[str]:
    actions = statement["Action"]
    return [actions] if isinstance(actions, str) else list(actions)


def _role_statements(template: assertions.Template, role_id: str) -> list[dict[str, Any]]:
    """Every statement of `role_id`: inline policies and the IAM policies attached to it."""
    role = template.find_resources("AWS::IAM::Role")[role_id]["Properties"]
    assert not role.get("ManagedPolicyArns"), "no managed policy on a Lambda role"
    statements = [s for policy in role.get("Policies", []) for s in policy["PolicyDocument"]["Statement"]]
    for policy in template.find_resources("AWS::IAM::Policy").values():
        if {"Ref": role_id} in policy["Properties"]["Roles"]:
            statements += policy["Properties"]["PolicyDocument"]["Statement"]
    return statements


@pytest.fixture(scope="module")
def mapping(api_template: assertions.Template) -> dict[str, Any]:
    return dict(_one(api_template, "AWS::Lambda::EventSourceMapping")[1]["Properties"])


@pytest.fixture(scope="module")
def relay_ids(synthesized: Synthesized) -> dict[str, str]:
    relay = synthesized.stacks.api.outbox_relay
    return {
        "function": logical_id(relay.function),
        "role": logical_id(relay.role),
        "queue": logical_id(relay.dead_letters),
    }


@pytest.fixture(scope="module")
def relay_function(api_template: assertions.Template, relay_ids: dict[str, str]) -> dict[str, Any]:
    return dict(api_template.find_resources("AWS::Lambda::Function")[relay_ids["function"]])


@pytest.fixture(scope="module")
def alarms(templates: dict[str, assertions.Template]) -> list[dict[str, Any]]:
    return [a["Properties"] for a in templates["monitoring"].find_resources("AWS::CloudWatch::Alarm").values()]


# The table stream (Data stack)


def test_given_the_table_when_synthesized_should_stream_new_images_and_stay_protected(
    templates: dict[str, assertions.Template],
) -> None:
    _, table = _one(templates["data"], "AWS::DynamoDB::Table")

    properties = table["Properties"]

    assert properties["StreamSpecification"] == {"StreamViewType": "NEW_IMAGE"}
    assert properties["DeletionProtectionEnabled"] is True
    assert (table["DeletionPolicy"], table["UpdateReplacePolicy"]) == ("Retain", "Retain")


def test_given_the_stream_when_the_api_stack_reads_its_arn_should_resolve_it_from_ssm_not_an_export(
    api_template: assertions.Template, mapping: dict[str, Any]
) -> None:
    parameters = api_template.to_json()["Parameters"]

    parameter = parameters[mapping["EventSourceArn"]["Ref"]]

    assert parameter == {"Type": "AWS::SSM::Parameter::Value<String>", "Default": STREAM_ARN_PARAMETER}
    assert "Fn::ImportValue" not in json.dumps(mapping)


# The bus (Events stack)


def test_given_the_events_stack_when_synthesized_should_hold_the_bus_and_publish_it_to_ssm(
    templates: dict[str, assertions.Template],
) -> None:
    template = templates["events"]
    bus_id, bus = _one(template, "AWS::Events::EventBus")

    parameters = template.find_resources("AWS::SSM::Parameter")

    assert bus["Properties"]["Name"] == BUS_NAME == "tenantkit-dev-events"
    by_name = {p["Properties"]["Name"]: p["Properties"]["Value"] for p in parameters.values()}
    assert by_name == {
        "/tenantkit/dev/events/bus/name": {"Ref": bus_id},
        "/tenantkit/dev/events/bus/arn": {"Fn::GetAtt": [bus_id, "Arn"]},
    }
    assert "Fn::ImportValue" not in json.dumps(template.to_json())


# The mapping: stream -> relay


def test_given_the_relay_mapping_when_synthesized_should_invoke_only_for_inserted_outbox_records(
    mapping: dict[str, Any],
) -> None:
    (criteria,) = mapping["FilterCriteria"]["Filters"]

    pattern = json.loads(criteria["Pattern"])

    assert pattern == {
        "eventName": ["INSERT"],
        "dynamodb": {"NewImage": {"model_name": {"S": ["outbox_record"]}}},
    }
    assert OutboxRecord.type_name() == OutboxRecord("t").to_item()["model_name"] == "outbox_record"


def test_given_the_relay_mapping_when_synthesized_should_retry_failed_records_from_the_start_of_the_stream(
    mapping: dict[str, Any], relay_ids: dict[str, str]
) -> None:
    assert mapping["FunctionName"] == {"Ref": relay_ids["function"]}
    assert mapping["StartingPosition"] == "TRIM_HORIZON"
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["BisectBatchOnFunctionError"] is True
    assert mapping["BatchSize"] == 100
    assert 0 < mapping["MaximumBatchingWindowInSeconds"] <= 5
    assert 0 < mapping["MaximumRetryAttempts"] <= 100  # bounded (-1 would retry forever)
    assert 60 <= mapping["MaximumRecordAgeInSeconds"] <= 86_400  # bounded, within the stream's 24 h


def test_given_the_relay_mapping_when_it_gives_up_should_send_to_an_encrypted_tls_only_dlq(
    mapping: dict[str, Any], api_template: assertions.Template, relay_ids: dict[str, str]
) -> None:
    queue = api_template.find_resources("AWS::SQS::Queue")[relay_ids["queue"]]["Properties"]

    destination = mapping["DestinationConfig"]["OnFailure"]["Destination"]

    assert destination == {"Fn::GetAtt": [relay_ids["queue"], "Arn"]}
    assert queue["QueueName"] == DLQ_NAME
    assert queue.get("SqsManagedSseEnabled") is True or "KmsMasterKeyId" in queue
    assert queue["MessageRetentionPeriod"] == 14 * 24 * 3600
    policies = [
        p["Properties"]
        for p in api_template.find_resources("AWS::SQS::QueuePolicy").values()
        if {"Ref": relay_ids["queue"]} in p["Properties"]["Queues"]
    ]
    (deny,) = [s for p in policies for s in p["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


# The relay Lambda


def test_given_the_relay_lambda_when_synthesized_should_run_like_the_others_from_its_own_directory(
    relay_function: dict[str, Any], api_template: assertions.Template, synthesized: Synthesized
) -> None:
    properties = relay_function["Properties"]
    log_groups = api_template.find_resources("AWS::Logs::LogGroup")

    key = properties["Code"]["S3Key"].removesuffix(".zip")
    asset = Path(synthesized.assembly.directory) / f"asset.{key}"  # the staged code asset

    assert properties["FunctionName"] == RELAY_NAME
    assert (properties["Runtime"], properties["Architectures"]) == ("python3.12", ["arm64"])
    assert properties["Handler"] == "handler.lambda_handler"
    assert len(properties["Layers"]) == 2
    log_group = log_groups[properties["LoggingConfig"]["LogGroup"]["Ref"]]["Properties"]
    assert log_group["RetentionInDays"] == DEFAULT_SETTINGS.log_retention_days
    assert log_group["LogGroupName"] == f"/aws/lambda/{RELAY_NAME}"
    source = ROOT / "lambdas" / OUTBOX_RELAY / "handler.py"
    assert (asset / "handler.py").read_text(encoding="utf-8") == source.read_text(encoding="utf-8")


def test_given_the_relay_lambda_when_synthesized_should_know_the_table_and_the_bus(
    relay_function: dict[str, Any],
) -> None:
    variables = relay_function["Properties"]["Environment"]["Variables"]

    assert variables["APP_TABLE_NAME"] == DEFAULT_SETTINGS.table_name
    assert variables["EVENT_BUS_NAME"] == BUS_NAME
    assert variables["POWERTOOLS_SERVICE_NAME"] == OUTBOX_RELAY
    assert variables["LOG_LEVEL"] == DEFAULT_SETTINGS.log_level
    assert "TENANTKIT_OUTBOX_RELAY" not in variables


def test_given_the_relay_role_when_synthesized_should_allow_exactly_put_events_delete_item_and_stream_reads(
    api_template: assertions.Template, relay_ids: dict[str, str], mapping: dict[str, Any]
) -> None:
    statements = _role_statements(api_template, relay_ids["role"])

    granted = {(action, json.dumps(s["Resource"], sort_keys=True)) for s in statements for action in _actions(s)}

    assert all(s["Effect"] == "Allow" and "Condition" not in s for s in statements)
    stream, queue = mapping["EventSourceArn"], {"Fn::GetAtt": [relay_ids["queue"], "Arn"]}
    log_group = {"Fn::GetAtt": [_relay_log_group_id(api_template, relay_ids), "Arn"]}
    expected = [
        ("events:PutEvents", BUS_ARN),
        ("dynamodb:DeleteItem", TABLE_ARN),
        *((action, stream) for action in STREAM_READ_ACTIONS),
        *((action, queue) for action in ("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl")),
        *((action, log_group) for action in ("logs:CreateLogStream", "logs:PutLogEvents")),
    ]
    assert granted == {(action, json.dumps(resource, sort_keys=True)) for action, resource in expected}


def _relay_log_group_id(api_template: assertions.Template, relay_ids: dict[str, str]) -> str:
    function = api_template.find_resources("AWS::Lambda::Function")[relay_ids["function"]]
    return str(function["Properties"]["LoggingConfig"]["LogGroup"]["Ref"])


def test_given_the_relay_role_when_synthesized_should_have_no_other_table_action_and_no_wildcard(
    api_template: assertions.Template, relay_ids: dict[str, str]
) -> None:
    statements = _role_statements(api_template, relay_ids["role"])

    table_actions = {a for s in statements for a in _actions(s) if a.startswith("dynamodb:")}

    assert table_actions == {"dynamodb:DeleteItem", *STREAM_READ_ACTIONS}
    assert all(not a.endswith("*") for s in statements for a in _actions(s))
    assert all(s["Resource"] != "*" and "/index/" not in json.dumps(s["Resource"]) for s in statements)


# The HTTP Lambdas leave publishing to the relay


@pytest.mark.parametrize("resource", RESOURCES)
def test_given_an_http_lambda_when_synthesized_should_leave_publishing_to_the_stream_relay(
    resource: str, api_template: assertions.Template, synthesized: Synthesized
) -> None:
    function_id = logical_id(synthesized.stacks.api.functions[resource].function)
    role_id = logical_id(synthesized.stacks.api.functions[resource].role)

    variables = api_template.find_resources("AWS::Lambda::Function")[function_id]["Properties"]["Environment"][
        "Variables"
    ]

    assert variables["TENANTKIT_OUTBOX_RELAY"] == "stream"
    assert variables["EVENT_BUS_NAME"] == BUS_NAME
    actions = {a for s in _role_statements(api_template, role_id) for a in _actions(s)}
    assert not {a for a in actions if a.startswith("events:")}, f"{resource} may publish to EventBridge"
    assert not actions & set(STREAM_READ_ACTIONS)


# Monitoring


def test_given_the_relay_when_monitored_should_alarm_on_errors_iterator_age_and_dead_letters(
    alarms: list[dict[str, Any]],
) -> None:
    def on(namespace: str, metric: str) -> list[dict[str, Any]]:
        return [a for a in alarms if a.get("Namespace") == namespace and a.get("MetricName") == metric]

    errors = [
        a for a in on("AWS/Lambda", "Errors") if a["Dimensions"] == [{"Name": "FunctionName", "Value": RELAY_NAME}]
    ]
    (iterator_age,) = on("AWS/Lambda", "IteratorAge")
    (dead_letters,) = on("AWS/SQS", "ApproximateNumberOfMessagesVisible")

    assert len(errors) == 1
    assert iterator_age["Dimensions"] == [{"Name": "FunctionName", "Value": RELAY_NAME}]
    assert iterator_age["Statistic"] == "Maximum"
    assert 0 < iterator_age["Threshold"] <= 15 * 60 * 1000
    assert dead_letters["Dimensions"] == [{"Name": "QueueName", "Value": DLQ_NAME}]
    assert dead_letters["Threshold"] == 1
    assert dead_letters["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"


def test_given_the_dashboard_when_synthesized_should_show_the_relay(templates: dict[str, assertions.Template]) -> None:
    _, dashboard = _one(templates["monitoring"], "AWS::CloudWatch::Dashboard")

    body = json.dumps(dashboard["Properties"]["DashboardBody"])

    assert "IteratorAge" in body
    assert DLQ_NAME in body
    assert RELAY_NAME in body


# Packaging and the registry


def test_given_the_event_lambdas_when_packaged_should_each_have_a_handler_the_import_test_covers() -> None:
    directories = lambda_directories()

    assert OUTBOX_RELAY in EVENT_LAMBDAS
    assert set(EVENT_LAMBDAS) <= set(directories)  # test_cdk_packaging imports every lambdas/<name>/handler.py
    assert not set(EVENT_LAMBDAS) & set(RESOURCES)  # no route reaches them
