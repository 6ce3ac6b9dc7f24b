"""API: the Lambdas of `lambdas/`, the dependency layer, the REST API built from the route registry,
and the outbox relay on the table's stream (see `relay.py`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aws_cdk import Acknowledgment, Duration, RemovalPolicy, Stack, Validations
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_logs as logs
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from tenantkit.api.pipeline import CORS_ALLOW_HEADERS, CORS_ALLOW_METHODS, CORS_MAX_AGE
from tenantkit.api.registry import Route, all_routes
from tenantkit_cdk.data_stack import STREAM_ARN_ATTRIBUTE
from tenantkit_cdk.functions import ResourceFunction, cursor_secret, lambda_layers, resource_functions
from tenantkit_cdk.packaging import Layers
from tenantkit_cdk.relay import OutboxRelay, outbox_relay
from tenantkit_cdk.routes import RouteMethod, add_gateway_responses, add_routes, check_public
from tenantkit_cdk.settings import Settings

STAGE_NAME = "v1"

_ACCESS_LOG_FIELDS = {
    "requestId": apigw.AccessLogField.context_request_id(),
    "requestTime": apigw.AccessLogField.context_request_time(),
    "ip": apigw.AccessLogField.context_identity_source_ip(),
    "userAgent": apigw.AccessLogField.context_identity_user_agent(),
    "method": apigw.AccessLogField.context_http_method(),
    "resourcePath": apigw.AccessLogField.context_resource_path(),
    "path": apigw.AccessLogField.context_path(),
    "status": apigw.AccessLogField.context_status(),
    "protocol": apigw.AccessLogField.context_protocol(),
    "responseLength": apigw.AccessLogField.context_response_length(),
    "responseLatency": apigw.AccessLogField.context_response_latency(),
    "integrationLatency": apigw.AccessLogField.context_integration_latency(),
    "integrationStatus": apigw.AccessLogField.context_integration_status(),
    "errorType": apigw.AccessLogField.context_error_response_type(),
    "errorMessage": apigw.AccessLogField.context_error_message(),
    "user": apigw.AccessLogField.context_authorizer_claims("sub"),
}


class ApiStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: Settings,
        user_pool: cognito.IUserPool,
        routes: Sequence[Route] | None = None,
        layers: Layers | None = None,
        lambda_root: Path | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.routes = list(all_routes() if routes is None else routes)
        check_public(self.routes)  # before anything is built
        self.layers = lambda_layers(self, settings, layers)
        self.cursor_secret = cursor_secret(self, settings)
        self.functions: dict[str, ResourceFunction] = resource_functions(
            self, settings, self.routes, self.layers, self.cursor_secret, user_pool, lambda_root
        )
        # Resolved from SSM at deploy time (written by the Data stack): no export pins the stream.
        self.table_stream_arn = ssm.StringParameter.value_for_string_parameter(
            self, settings.ssm_parameter("dynamodb", "app-table", STREAM_ARN_ATTRIBUTE)
        )
        self.outbox_relay: OutboxRelay = outbox_relay(self, settings, self.layers, self.table_stream_arn, lambda_root)
        self.access_logs = logs.LogGroup(
            self,
            "ApiAccessLogs",
            log_group_name=f"/aws/apigateway/{settings.api_name}/access",
            retention=settings.log_retention,
            removal_policy=RemovalPolicy.DESTROY,
        )
        self.api = self._rest_api(settings)
        self.stage = self.api.deployment_stage
        self.authorizer = apigw.CognitoUserPoolsAuthorizer(
            self,
            "CognitoAuthorizer",
            authorizer_name=f"{settings.prefix}-cognito",
            cognito_user_pools=[user_pool],
        )
        self.methods: list[RouteMethod] = add_routes(
            self,
            self.api,
            self.routes,
            {name: item.function for name, item in self.functions.items()},
            self.authorizer,
        )
        self.gateway_responses = add_gateway_responses(self.api, settings.allowed_origins)
        ssm.StringParameter(
            self,
            "ApiUrlParameter",
            parameter_name=settings.ssm_parameter("apigateway", "api", "url"),
            string_value=self.api.url,
        )
        self._acknowledge()

    def _rest_api(self, settings: Settings) -> apigw.RestApi:
        return apigw.RestApi(
            self,
            "RestApi",
            rest_api_name=settings.api_name,
            description=f"tenantkit API ({settings.environment})",
            endpoint_types=[apigw.EndpointType.REGIONAL],
            cloud_watch_role=True,
            cloud_watch_role_removal_policy=RemovalPolicy.RETAIN,
            default_cors_preflight_options=apigw.CorsOptions(
                allow_origins=list(settings.allowed_origins),
                allow_methods=CORS_ALLOW_METHODS.split(","),
                allow_headers=CORS_ALLOW_HEADERS.split(","),
                allow_credentials=True,
                max_age=Duration.seconds(int(CORS_MAX_AGE)),
            ),
            deploy_options=apigw.StageOptions(
                stage_name=STAGE_NAME,
                throttling_rate_limit=settings.throttle_rate,
                throttling_burst_limit=settings.throttle_burst,
                access_log_destination=apigw.LogGroupLogDestination(self.access_logs),
                access_log_format=apigw.AccessLogFormat.custom(json.dumps(_ACCESS_LOG_FIELDS)),
                logging_level=apigw.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,
                metrics_enabled=True,
                tracing_enabled=settings.tracing,
            ),
        )

    def _acknowledge(self) -> None:
        Validations.of(self.api).acknowledge(
            Acknowledgment(
                id="AwsSolutions-APIG3",
                reason="A WAF web ACL is account- and traffic-specific (and billed per ACL and rule); attach "
                "one per deployment. Stage throttling and Cognito authorization are in place.",
            ),
            Acknowledgment(
                id="AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                "AmazonAPIGatewayPushToCloudWatchLogs]",
                reason="API Gateway's account-level CloudWatch role uses the AWS-managed "
                "AmazonAPIGatewayPushToCloudWatchLogs policy, the documented way to enable execution logs.",
            ),
        )
        for item in self.methods:
            if item.route.public:
                Validations.of(item.method).acknowledge(*_public_findings(f"{item.route.method} {item.route.path}"))
        for child in self.api.root.node.find_all():
            if isinstance(child, apigw.Method) and child.http_method == "OPTIONS":
                Validations.of(child).acknowledge(*_public_findings("CORS preflight (OPTIONS)"))


def _public_findings(what: str) -> list[Acknowledgment]:
    reason = f"{what} is public by design (allow-listed in tenantkit_cdk.routes.PUBLIC_PATHS or a CORS preflight, "
    reason += "which browsers send without credentials); every other method uses the Cognito authorizer."
    return [
        Acknowledgment(id="AwsSolutions-APIG4", reason=reason),
        Acknowledgment(id="AwsSolutions-COG4", reason=reason),
    ]
