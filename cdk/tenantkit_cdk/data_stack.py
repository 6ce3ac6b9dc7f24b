"""Data: the single application table, built from `tenantkit`'s table spec, and its SSM parameters."""

from __future__ import annotations

from typing import Any

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from tenantkit.models.table_spec import TableSpec, default_table_spec
from tenantkit_cdk.settings import Settings


def _string(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


def build_table(scope: Construct, construct_id: str, table_name: str, spec: TableSpec) -> dynamodb.Table:
    """The table of `spec`: keys, every GSI (projecting ALL), TTL; on-demand, PITR, protected, encrypted."""
    table = dynamodb.Table(
        scope,
        construct_id,
        table_name=table_name,
        partition_key=_string(spec.primary.partition_key),
        sort_key=_string(spec.primary.sort_key),
        billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
        point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
            point_in_time_recovery_enabled=True
        ),
        deletion_protection=True,
        removal_policy=RemovalPolicy.RETAIN,
        encryption=dynamodb.TableEncryption.AWS_MANAGED,
        time_to_live_attribute=spec.ttl_attribute,
    )
    for index_name, keys in spec.gsis.items():
        table.add_global_secondary_index(
            index_name=index_name,
            partition_key=_string(keys.partition_key),
            sort_key=_string(keys.sort_key),
            projection_type=dynamodb.ProjectionType.ALL,
        )
    return table


class DataStack(Stack):
    """The application table and where to find it (`/{org}/{env}/dynamodb/app-table/{name,arn}`)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: Settings,
        spec: TableSpec | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.spec = spec or default_table_spec()
        self.table = build_table(self, "AppTable", settings.table_name, self.spec)
        self.parameters = {
            attribute: ssm.StringParameter(
                self,
                f"AppTable{attribute.title()}Parameter",
                parameter_name=settings.ssm_parameter("dynamodb", "app-table", attribute),
                string_value=value,
                description=f"The {attribute} of the {settings.prefix} application table",
            )
            for attribute, value in (("name", self.table.table_name), ("arn", self.table.table_arn))
        }
