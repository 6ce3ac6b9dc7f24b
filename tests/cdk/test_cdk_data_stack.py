"""Data stack: the table is exactly the library's table spec, protected, and published to SSM."""

from __future__ import annotations

from typing import Any

from aws_cdk import assertions
from cdk_support import DEFAULT_SETTINGS, Synthesized

from tenantkit.models.table_spec import default_table_spec


def _table(templates: dict[str, assertions.Template]) -> dict[str, Any]:
    tables = templates["data"].find_resources("AWS::DynamoDB::Table")
    assert len(tables) == 1
    return dict(next(iter(tables.values())))


def test_given_the_table_spec_when_synthesized_should_declare_its_primary_key(
    templates: dict[str, assertions.Template],
) -> None:
    spec = default_table_spec()

    key_schema = _table(templates)["Properties"]["KeySchema"]

    assert key_schema == [
        {"AttributeName": spec.primary.partition_key, "KeyType": "HASH"},
        {"AttributeName": spec.primary.sort_key, "KeyType": "RANGE"},
    ]


def test_given_the_table_spec_when_synthesized_should_declare_every_gsi_and_no_other(
    templates: dict[str, assertions.Template],
) -> None:
    spec = default_table_spec()

    gsis = _table(templates)["Properties"]["GlobalSecondaryIndexes"]

    declared = {
        gsi["IndexName"]: (gsi["KeySchema"][0]["AttributeName"], gsi["KeySchema"][1]["AttributeName"]) for gsi in gsis
    }
    assert declared == {name: (keys.partition_key, keys.sort_key) for name, keys in spec.gsis.items()}
    assert all(gsi["Projection"] == {"ProjectionType": "ALL"} for gsi in gsis)
    assert all([k["KeyType"] for k in gsi["KeySchema"]] == ["HASH", "RANGE"] for gsi in gsis)


def test_given_the_table_spec_when_synthesized_should_define_every_key_attribute_as_a_string(
    templates: dict[str, assertions.Template],
) -> None:
    spec = default_table_spec()

    definitions = _table(templates)["Properties"]["AttributeDefinitions"]

    assert {d["AttributeName"]: d["AttributeType"] for d in definitions} == dict.fromkeys(spec.key_attributes, "S")


def test_given_the_table_when_synthesized_should_have_pitr_deletion_protection_and_retain(
    templates: dict[str, assertions.Template],
) -> None:
    table = _table(templates)

    properties = table["Properties"]

    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["DeletionProtectionEnabled"] is True
    assert table["DeletionPolicy"] == "Retain"
    assert table["UpdateReplacePolicy"] == "Retain"


def test_given_the_table_when_synthesized_should_be_on_demand_encrypted_with_ttl(
    templates: dict[str, assertions.Template],
) -> None:
    spec = default_table_spec()

    properties = _table(templates)["Properties"]

    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["SSESpecification"]["SSEEnabled"] is True
    assert properties["TimeToLiveSpecification"] == {"AttributeName": spec.ttl_attribute, "Enabled": True}
    assert properties["TableName"] == DEFAULT_SETTINGS.table_name


def test_given_the_table_when_synthesized_should_publish_its_name_arn_and_stream_arn_to_ssm(
    synthesized: Synthesized,
) -> None:
    template = synthesized.templates["data"]
    table_id = next(iter(template.find_resources("AWS::DynamoDB::Table")))

    parameters = template.find_resources("AWS::SSM::Parameter")

    by_name = {p["Properties"]["Name"]: p["Properties"]["Value"] for p in parameters.values()}
    assert by_name == {
        "/tenantkit/dev/dynamodb/app-table/name": {"Ref": table_id},
        "/tenantkit/dev/dynamodb/app-table/arn": {"Fn::GetAtt": [table_id, "Arn"]},
        "/tenantkit/dev/dynamodb/app-table/stream-arn": {"Fn::GetAtt": [table_id, "StreamArn"]},
    }
