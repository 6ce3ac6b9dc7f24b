"""Monitoring: alarms on the API, every Lambda, the outbox relay and the table, an SNS topic, a dashboard."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import Acknowledgment, Duration, Stack, Validations
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from tenantkit_cdk.settings import Settings

PERIOD = Duration.minutes(5)
#: Thresholds: share of requests answered 5XX, p99 latency in ms, counts per period.
API_5XX_RATE = 0.05
API_P99_MS = 2500
LAMBDA_ERRORS = 1
LAMBDA_THROTTLES = 1
TABLE_THROTTLES = 1
#: The outbox relay: how late (ms) the oldest stream record may be, and any batch it gave up on.
RELAY_ITERATOR_AGE_MS = 300_000
RELAY_DEAD_LETTERS = 1


def _camel(resource: str) -> str:
    return resource.title().replace("_", "").replace("-", "")


class ApiStageMetrics:
    """`AWS/ApiGateway` metrics of one REST API stage, by API name and stage name."""

    def __init__(self, api_name: str, stage_name: str) -> None:
        self.dimensions = {"ApiName": api_name, "Stage": stage_name}

    def metric(self, name: str, statistic: str, label: str | None = None) -> cloudwatch.Metric:
        return cloudwatch.Metric(
            namespace="AWS/ApiGateway",
            metric_name=name,
            dimensions_map=self.dimensions,
            period=PERIOD,
            statistic=statistic,
            label=label,
        )


class LambdaMetrics:
    """`AWS/Lambda` metrics of one function, by its (settings-derived) name."""

    def __init__(self, function_name: str) -> None:
        self.function_name = function_name

    def metric(self, name: str, statistic: str = "Sum", *, labelled: bool = False) -> cloudwatch.Metric:
        return cloudwatch.Metric(
            namespace="AWS/Lambda",
            metric_name=name,
            dimensions_map={"FunctionName": self.function_name},
            period=PERIOD,
            statistic=statistic,
            label=self.function_name if labelled else None,
        )


class MonitoringStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: Settings,
        resources: Sequence[str],
        gsi_names: Sequence[str],
        stage_name: str,
        outbox_relay: str | None = None,
        **kwargs: Any,
    ) -> None:
        """Everything is found by its settings-derived name: no cross-stack export ties this stack to
        the others, so removing a Lambda or replacing the API never deadlocks on an export in use.

        `outbox_relay` names the stream relay Lambda: alarmed like the others, plus its iterator age
        and its dead-letter queue."""
        super().__init__(scope, construct_id, **kwargs)
        table = dynamodb.Table.from_table_name(self, "AppTable", settings.table_name)
        watched = [*resources, outbox_relay] if outbox_relay else list(resources)
        functions = {resource: LambdaMetrics(settings.function_name(resource)) for resource in watched}
        stage = ApiStageMetrics(settings.api_name, stage_name)
        self.topic = sns.Topic(self, "AlarmTopic", topic_name=f"{settings.prefix}-alarms", enforce_ssl=True)
        Validations.of(self.topic).acknowledge(
            Acknowledgment(
                id="AwsSolutions-SNS2",
                reason="Alarm notifications carry alarm names and states only; CloudWatch cannot publish to a "
                "topic under the AWS-managed SNS key, and a customer key adds cost for no protected data.",
            )
        )
        if settings.alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(settings.alarm_email))
        self.alarms: list[cloudwatch.Alarm] = []
        prefix = settings.prefix

        api_5xx = stage.metric("5XXError", "Average")
        api_p99 = stage.metric("Latency", "p99")
        self._alarm("Api5xxRate", f"{prefix} API 5XX rate above {API_5XX_RATE:.0%}", api_5xx, API_5XX_RATE, 2)
        self._alarm("ApiLatencyP99", f"{prefix} API p99 latency above {API_P99_MS} ms", api_p99, API_P99_MS, 3)

        for resource, function in functions.items():
            name = _camel(resource)
            errors, throttles = function.metric("Errors"), function.metric("Throttles")
            self._alarm(f"{name}Errors", f"{prefix} {resource} Lambda errors", errors, LAMBDA_ERRORS, 1)
            self._alarm(f"{name}Throttles", f"{prefix} {resource} Lambda throttles", throttles, LAMBDA_THROTTLES, 1)

        relay: list[cloudwatch.IMetric] = []
        if outbox_relay:
            queue_name = settings.dead_letter_queue_name(outbox_relay)
            iterator_age = functions[outbox_relay].metric("IteratorAge", "Maximum")
            dead_letters = cloudwatch.Metric(
                namespace="AWS/SQS",
                metric_name="ApproximateNumberOfMessagesVisible",
                dimensions_map={"QueueName": queue_name},
                period=PERIOD,
                statistic="Maximum",
            )
            name = _camel(outbox_relay)
            self._alarm(
                f"{name}IteratorAge",
                f"{prefix} {outbox_relay}: stream records waiting {RELAY_ITERATOR_AGE_MS // 60_000}+ minutes",
                iterator_age,
                RELAY_ITERATOR_AGE_MS,
                1,
            )
            self._alarm(
                f"{name}DeadLetters",
                f"{prefix} {outbox_relay}: batches given up on (their outbox records wait in the table)",
                dead_letters,
                RELAY_DEAD_LETTERS,
                1,
            )
            relay = [
                iterator_age.with_(label=settings.function_name(outbox_relay)),
                dead_letters.with_(label=queue_name),
            ]

        table_throttles = {
            "ReadThrottleEvents": self._table_sum(table, "ReadThrottleEvents", gsi_names),
            "WriteThrottleEvents": self._table_sum(table, "WriteThrottleEvents", gsi_names),
            "ThrottledRequests": table.metric_throttled_requests_for_operations(
                operations=[
                    dynamodb.Operation.GET_ITEM,
                    dynamodb.Operation.QUERY,
                    dynamodb.Operation.PUT_ITEM,
                    dynamodb.Operation.UPDATE_ITEM,
                    dynamodb.Operation.DELETE_ITEM,
                    dynamodb.Operation.BATCH_GET_ITEM,
                    dynamodb.Operation.BATCH_WRITE_ITEM,
                    dynamodb.Operation.TRANSACT_WRITE_ITEMS,
                ],
                period=PERIOD,
            ),
        }
        for metric_name, metric in table_throttles.items():
            self._alarm(f"Table{metric_name}", f"{prefix} table {metric_name}", metric, TABLE_THROTTLES, 1)

        self.dashboard = self._dashboard(settings, api_5xx, api_p99, stage, functions, table, table_throttles, relay)

    def _alarm(
        self, construct_id: str, description: str, metric: cloudwatch.IMetric, threshold: float, periods: int
    ) -> None:
        alarm = cloudwatch.Alarm(
            self,
            f"{construct_id}Alarm",
            alarm_description=description,
            metric=metric,
            threshold=threshold,
            evaluation_periods=periods,
            datapoints_to_alarm=periods,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        alarm.add_ok_action(actions.SnsAction(self.topic))
        self.alarms.append(alarm)

    @staticmethod
    def _table_sum(table: dynamodb.ITable, metric_name: str, gsi_names: Sequence[str]) -> cloudwatch.IMetric:
        """The table's and every GSI's `metric_name`, summed (a GSI throttle slows table writes too)."""
        tag = metric_name.lower()  # ids must be unique across every metric of one graph
        metrics = {f"{tag}_table": table.metric(metric_name, period=PERIOD, statistic="Sum")}
        for number, index in enumerate(gsi_names):
            metrics[f"{tag}_gsi{number}"] = table.metric(
                metric_name,
                period=PERIOD,
                statistic="Sum",
                dimensions_map={"TableName": table.table_name, "GlobalSecondaryIndexName": index},
            )
        return cloudwatch.MathExpression(
            expression=" + ".join(f"FILL({key}, 0)" for key in metrics),
            using_metrics=dict(metrics),
            label=metric_name,
            period=PERIOD,
        )

    def _dashboard(
        self,
        settings: Settings,
        api_5xx: cloudwatch.IMetric,
        api_p99: cloudwatch.IMetric,
        stage: ApiStageMetrics,
        functions: Mapping[str, LambdaMetrics],
        table: dynamodb.ITable,
        table_throttles: Mapping[str, cloudwatch.IMetric],
        relay: Sequence[cloudwatch.IMetric],
    ) -> cloudwatch.Dashboard:
        dashboard = cloudwatch.Dashboard(self, "Dashboard", dashboard_name=f"{settings.prefix}-overview")
        graph = cloudwatch.GraphWidget
        dashboard.add_widgets(
            cloudwatch.AlarmStatusWidget(title="Alarms", alarms=list(self.alarms), width=24),
        )
        dashboard.add_widgets(
            graph(title="API requests", left=[stage.metric("Count", "Sum", "requests")], width=8),
            graph(
                title="API errors",
                left=[
                    stage.metric("4XXError", "Sum", "4XX"),
                    stage.metric("5XXError", "Sum", "5XX"),
                ],
                right=[api_5xx],
                width=8,
            ),
            graph(
                title="API latency",
                left=[stage.metric("Latency", "p50", "p50"), api_p99],
                width=8,
            ),
        )

        def per_function(name: str, statistic: str = "Sum") -> list[cloudwatch.IMetric]:
            return [f.metric(name, statistic, labelled=True) for f in functions.values()]

        dashboard.add_widgets(
            graph(title="Lambda invocations", left=per_function("Invocations")),
            graph(title="Lambda errors", left=per_function("Errors")),
            graph(title="Lambda duration p99", left=per_function("Duration", "p99")),
            graph(title="Lambda throttles", left=per_function("Throttles")),
        )
        if relay:
            iterator_age, dead_letters = relay
            dashboard.add_widgets(
                graph(title="Outbox relay iterator age (ms)", left=[iterator_age], width=12),
                graph(title="Outbox relay dead letters", left=[dead_letters], width=12),
            )
        dashboard.add_widgets(
            graph(
                title="Table capacity consumed",
                left=[
                    table.metric_consumed_read_capacity_units(period=PERIOD),
                    table.metric_consumed_write_capacity_units(period=PERIOD),
                ],
                width=12,
            ),
            graph(title="Table throttling", left=list(table_throttles.values()), width=12),
        )
        return dashboard
