"""Data: the single application table, built from `tenantkit`'s table spec, and its SSM parameters.

The table's stream (new images) feeds the outbox relay (`ApiStack`): every change writes its
`OutboxRecord`s in the same transaction, and the stream delivers them once committed.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from tenantkit.models.table_spec import TableSpec, default_table_spec
from tenantkit_cdk.settings import Settings

#: `/{org}/{env}/dynamodb/app-table/stream-arn`: the table stream the outbox relay reads.
STREAM_ARN_ATTRIBUTE = "stream-arn"


def _string(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


#: What the stream carries: the outbox relay reads inserted items only, so new images are enough.
STREAM_VIEW = dynamodb.StreamViewType.NEW_IMAGE


def build_table(
    scope: Construct,
    construct_id: str,
    table_name: str,
    spec: TableSpec,
    stream: dynamodb.StreamViewType | None = STREAM_VIEW,
) -> dynamodb.Table:
    """The table of `spec`: keys, every GSI (projecting ALL), TTL, a stream; on-demand, PITR, protected,
    encrypted. Adding or removing the stream updates the table in place (no replacement)."""
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
        stream=stream,
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
    """The application table and where to find it (`/{org}/{env}/dynamodb/app-table/{name,arn,stream-arn}`).

    The stream ARN goes through SSM, not an export: it changes whenever the stream is re-created,
    and an export in use could not change. The Api stack resolves it at deploy time.
    """

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
        assert self.table.table_stream_arn is not None  # built with a stream
        values = (
            ("name", self.table.table_name),
            ("arn", self.table.table_arn),
            (STREAM_ARN_ATTRIBUTE, self.table.table_stream_arn),
        )
        self.parameters = {
            attribute: ssm.StringParameter(
                self,
                f"AppTable{attribute.title().replace('-', '')}Parameter",
                parameter_name=settings.ssm_parameter("dynamodb", "app-table", attribute),
                string_value=value,
                description=f"The {attribute.replace('-', ' ')} of the {settings.prefix} application table",
            )
            for attribute, value in values
        }
