"""The outbox relay: the table's stream -> `lambdas/outbox_relay` -> the EventBridge bus.

Every change writes its `OutboxRecord`s (`model_name` `outbox_record`) in its own transaction; the
table's stream delivers each committed insert, and the relay publishes it and deletes the record.
The mapping filters the stream, so the relay is invoked only for inserted outbox records (not for
every write, and not for its own deletes). A failed publish answers a partial batch response, so
Lambda retries from that record; past the retry budget, the batch's description goes to the DLQ
and the outbox records stay in the table (`Outbox.relay(tenant_id)`, run outside stream mode,
republishes them). Delivery is at least once: consumers dedupe by event id.

The relay's role: its log group, `events:PutEvents` on the bus, `dynamodb:DeleteItem` on the table,
the stream reads on the table's stream, `sqs:SendMessage` on its DLQ. Nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aws_cdk import Acknowledgment, Duration, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from tenantkit.api.registry import EVENT_LAMBDAS
from tenantkit.models.outbox import OutboxRecord
from tenantkit_cdk.events_stack import event_bus_arn
from tenantkit_cdk.functions import (
    EVENT_BUS_NAME_ENV,
    MissingLambdaError,
    acknowledge_function,
    app_table_arn,
    base_environment,
    build_function,
    construct_name,
    function_role,
)
from tenantkit_cdk.packaging import lambda_directories
from tenantkit_cdk.settings import Settings

#: The `lambdas/` directory (and resource name) of the relay, one of `registry.EVENT_LAMBDAS`.
OUTBOX_RELAY = next(name for name in EVENT_LAMBDAS if name == "outbox_relay")

#: The stream reads an event source mapping needs, on the table's stream only.
STREAM_READ_ACTIONS = (
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
    "dynamodb:ListStreams",
)
#: The one table action: a published record leaves the outbox.
RELAY_TABLE_ACTIONS = ("dynamodb:DeleteItem",)
#: Mapping tuning: batches of up to 100 records, gathered for at most a second.
BATCH_SIZE = 100
BATCHING_WINDOW = Duration.seconds(1)
#: Retry budget: past either bound, the batch is described to the DLQ (the records stay in the outbox).
RETRY_ATTEMPTS = 10
MAX_RECORD_AGE = Duration.hours(6)
#: One PutEvents and one DeleteItem per record: a full batch is done in seconds.
RELAY_TIMEOUT = Duration.seconds(60)
RELAY_MEMORY_MB = 512
DLQ_RETENTION = Duration.days(14)


def outbox_filter() -> Mapping[str, Any]:
    """Lambda `FilterCriteria`: inserted items whose new image is an `OutboxRecord`."""
    return lambda_.FilterCriteria.filter(
        {
            "eventName": lambda_.FilterRule.is_equal("INSERT"),
            "dynamodb": {"NewImage": {"model_name": {"S": lambda_.FilterRule.is_equal(OutboxRecord.type_name())}}},
        }
    )


@dataclass(frozen=True)
class OutboxRelay:
    function: lambda_.Function
    role: iam.Role
    dead_letters: sqs.Queue
    mapping: lambda_.EventSourceMapping


def outbox_relay(
    scope: Construct,
    settings: Settings,
    layers: Sequence[lambda_.ILayerVersion],
    stream_arn: str,
    lambda_root: Path | None = None,
) -> OutboxRelay:
    """The relay Lambda, its DLQ and its filtered mapping on `stream_arn` (the app table's stream).

    The code comes from `<lambda_root>/outbox_relay/`, else from the library's `lambdas/outbox_relay/`.
    """
    directory = _relay_directory(lambda_root)
    role = function_role(
        scope,
        OUTBOX_RELAY,
        "outbox relay Lambda: its log group, the table stream, DeleteItem on the table, PutEvents on the bus",
    )
    function = build_function(
        scope,
        settings,
        OUTBOX_RELAY,
        directory,
        description="tenantkit outbox relay: committed outbox records from the table stream to EventBridge",
        role=role,
        layers=layers,
        environment={
            **base_environment(settings, OUTBOX_RELAY),
            "APP_TABLE_NAME": settings.table_name,
            EVENT_BUS_NAME_ENV: settings.event_bus_name,
        },
        memory_mb=RELAY_MEMORY_MB,
        timeout=RELAY_TIMEOUT,
    )
    table_arn = app_table_arn(scope, settings)
    role.add_to_policy(
        iam.PolicyStatement(
            sid="PublishToTheBus", actions=["events:PutEvents"], resources=[event_bus_arn(scope, settings)]
        )
    )
    role.add_to_policy(
        iam.PolicyStatement(sid="DeletePublished", actions=list(RELAY_TABLE_ACTIONS), resources=[table_arn])
    )
    role.add_to_policy(
        iam.PolicyStatement(sid="ReadTheTableStream", actions=list(STREAM_READ_ACTIONS), resources=[stream_arn])
    )
    dead_letters = _dead_letter_queue(scope, settings)
    mapping = lambda_.EventSourceMapping(
        scope,
        f"{construct_name(OUTBOX_RELAY)}StreamMapping",
        target=function,
        event_source_arn=stream_arn,
        starting_position=lambda_.StartingPosition.TRIM_HORIZON,
        batch_size=BATCH_SIZE,
        max_batching_window=BATCHING_WINDOW,
        report_batch_item_failures=True,
        bisect_batch_on_error=True,
        retry_attempts=RETRY_ATTEMPTS,
        max_record_age=MAX_RECORD_AGE,
        on_failure=event_sources.SqsDlq(dead_letters),  # grants the role SendMessage on the queue
        filters=[outbox_filter()],
    )
    acknowledge_function(role, function, None, settings.tracing)
    return OutboxRelay(function, role, dead_letters, mapping)


def _relay_directory(lambda_root: Path | None) -> Path:
    for directories in (lambda_directories(lambda_root) if lambda_root else {}, lambda_directories()):
        if OUTBOX_RELAY in directories:
            return directories[OUTBOX_RELAY]
    raise MissingLambdaError(f"no lambdas/{OUTBOX_RELAY}/handler.py: the table stream has no relay")


def _dead_letter_queue(scope: Construct, settings: Settings) -> sqs.Queue:
    """Where a batch the relay gave up on is described (shard, sequence numbers), encrypted, TLS only."""
    queue = sqs.Queue(
        scope,
        f"{construct_name(OUTBOX_RELAY)}DeadLetters",
        queue_name=settings.dead_letter_queue_name(OUTBOX_RELAY),
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
        retention_period=DLQ_RETENTION,
    )
    Validations.of(queue).acknowledge(
        Acknowledgment(
            id="AwsSolutions-SQS3",
            reason="This queue is itself the dead-letter destination of the outbox relay's stream mapping; "
            "it holds failure descriptions (the records stay in the outbox), and its depth is alarmed.",
        )
    )
    return queue
