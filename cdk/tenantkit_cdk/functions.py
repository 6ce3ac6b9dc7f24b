"""One Lambda per resource of the route registry, each with its own least-privilege role."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from aws_cdk import Acknowledgment, AssetHashType, Duration, RemovalPolicy, Stack, Token, Validations
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from tenantkit.api.registry import Route
from tenantkit_cdk.access import (
    IDENTITY_PROVIDER_RESOURCES,
    TableAccess,
    identity_statement,
    table_access,
    table_statement,
)
from tenantkit_cdk.packaging import (
    CODE_EXCLUDES,
    Layers,
    Target,
    build_layers,
    dependencies_key,
    lambda_directories,
    library_key,
)
from tenantkit_cdk.settings import Settings

RUNTIME = lambda_.Runtime.PYTHON_3_12
ARCHITECTURE = lambda_.Architecture.ARM_64
HANDLER = "handler.lambda_handler"
MEMORY_MB = 1024
#: Inside API Gateway's 29 s integration timeout, so a slow request ends as our 503/500, not a 504.
TIMEOUT = Duration.seconds(28)
#: The environment variable that names the Secrets Manager secret holding the cursor HMAC key.
CURSOR_SECRET_ARN_ENV = "CURSOR_SECRET_ARN"  # noqa: S105 (a variable name, not a secret)
#: `stream`: the HTTP Lambdas leave publishing to the table stream's outbox relay (`ServiceFactory.outbox`).
OUTBOX_RELAY_ENV = "TENANTKIT_OUTBOX_RELAY"
OUTBOX_RELAY_MODE = "stream"
#: The bus domain events go to (`tenantkit.services.events.publisher_from_env`).
EVENT_BUS_NAME_ENV = "EVENT_BUS_NAME"


class MissingLambdaError(RuntimeError):
    """A registry resource has no `lambdas/<resource>/handler.py`."""


@dataclass(frozen=True)
class ResourceFunction:
    resource: str
    function: lambda_.Function
    role: iam.Role
    access: TableAccess
    routes: tuple[Route, ...]


def lambda_layers(scope: Construct, settings: Settings, built: Layers | None = None) -> list[lambda_.LayerVersion]:
    """The dependencies and library layers (built and cached by `packaging`), hashed by their inputs."""
    target = Target()
    built = built or build_layers(target)
    specs = (
        (
            "DependenciesLayer",
            "dependencies",
            built.dependencies,
            dependencies_key(target),
            "locked runtime dependencies",
        ),
        ("LibraryLayer", "library", built.library, library_key(target), "the tenantkit package"),
    )
    return [
        lambda_.LayerVersion(
            scope,
            construct_id,
            layer_version_name=f"{settings.prefix}-{kind}",
            code=lambda_.Code.from_asset(str(directory), asset_hash=key, asset_hash_type=AssetHashType.CUSTOM),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            description=f"tenantkit: {description}",
            removal_policy=RemovalPolicy.RETAIN,
        )
        for construct_id, kind, directory, key, description in specs
    ]


def cursor_secret(scope: Construct, settings: Settings) -> secretsmanager.Secret:
    """The HMAC key that signs pagination cursors: generated, never in a template or an env var."""
    secret = secretsmanager.Secret(
        scope,
        "CursorSecret",
        secret_name=f"{settings.prefix}/cursor-secret",
        description="HMAC key for tenantkit pagination cursors (>= 32 bytes)",
        generate_secret_string=secretsmanager.SecretStringGenerator(
            password_length=64, exclude_punctuation=True, include_space=False
        ),
        removal_policy=RemovalPolicy.RETAIN,
    )
    Validations.of(secret).acknowledge(
        Acknowledgment(
            id="AwsSolutions-SMG4",
            reason="A new cursor key only invalidates open pagination cursors; rotate by replacing the "
            "secret value, no rotation Lambda is needed for an HMAC key read at cold start.",
        )
    )
    return secret


def resource_functions(
    scope: Construct,
    settings: Settings,
    routes: Sequence[Route],
    layers: Sequence[lambda_.ILayerVersion],
    secret: secretsmanager.ISecret,
    user_pool: cognito.IUserPool,
    lambda_root: Path | None = None,
) -> dict[str, ResourceFunction]:
    """A function per resource named in `routes`, from `lambdas/<resource>/`.

    The table is addressed by its settings-derived name and ARN (no cross-stack export to pin it).
    Every one runs with `TENANTKIT_OUTBOX_RELAY=stream`: a change's outbox records are published by
    the stream relay, never by the HTTP Lambda (which has no `events:PutEvents`).
    """
    directories = lambda_directories() if lambda_root is None else lambda_directories(lambda_root)
    by_resource: dict[str, list[Route]] = {}
    for route in routes:
        by_resource.setdefault(route.resource, []).append(route)
    missing = sorted(set(by_resource) - set(directories))
    if missing:
        raise MissingLambdaError(f"the route registry names resources without lambdas/<name>/handler.py: {missing}")
    return {
        resource: _function(scope, settings, resource, directories[resource], tuple(owned), layers, secret, user_pool)
        for resource, owned in by_resource.items()
    }


def _function(
    scope: Construct,
    settings: Settings,
    resource: str,
    directory: Path,
    routes: tuple[Route, ...],
    layers: Sequence[lambda_.ILayerVersion],
    secret: secretsmanager.ISecret,
    user_pool: cognito.IUserPool,
) -> ResourceFunction:
    access = table_access(routes)
    role = function_role(
        scope,
        resource,
        f"{resource} Lambda: its log group, and the table actions its routes need ({access.value})",
    )
    environment = {
        "CORS_ALLOWED_ORIGINS": settings.origins_csv,
        **base_environment(settings, resource),
        OUTBOX_RELAY_ENV: OUTBOX_RELAY_MODE,
        EVENT_BUS_NAME_ENV: settings.event_bus_name,
    }
    if access is not TableAccess.NONE:
        environment["APP_TABLE_NAME"] = settings.table_name
    manages_identity = resource in IDENTITY_PROVIDER_RESOURCES
    if manages_identity:
        environment["COGNITO_USER_POOL_ID"] = user_pool.user_pool_id
    if any(route.paged for route in routes):
        environment[CURSOR_SECRET_ARN_ENV] = secret.secret_arn
    function = build_function(
        scope,
        settings,
        resource,
        directory,
        description=f"tenantkit {resource} routes: " + ", ".join(f"{r.method} {r.path}" for r in routes),
        role=role,
        layers=layers,
        environment=environment,
    )
    table_arn = app_table_arn(scope, settings)
    statement = table_statement(table_arn, access)
    if statement is not None:
        role.add_to_policy(statement)
    if manages_identity:
        role.add_to_policy(identity_statement(user_pool.user_pool_arn))
    if CURSOR_SECRET_ARN_ENV in environment:
        secret.grant_read(role)
    acknowledge_function(role, function, table_arn if statement is not None else None, settings.tracing)
    return ResourceFunction(resource, function, role, access, routes)


def construct_name(resource: str) -> str:
    """`outbox_relay` -> `OutboxRelay`: the construct-id stem of a resource's Lambda."""
    return resource.title().replace("_", "").replace("-", "")


def function_role(scope: Construct, resource: str, description: str) -> iam.Role:
    """A Lambda role of its own, no managed policy: statements are added by the caller."""
    return iam.Role(
        scope,
        f"{construct_name(resource)}FunctionRole",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description=description,
    )


def base_environment(settings: Settings, resource: str) -> dict[str, str]:
    """What every tenantkit Lambda is told: its service name, metrics namespace and log level."""
    return {
        "POWERTOOLS_SERVICE_NAME": resource,
        "POWERTOOLS_METRICS_NAMESPACE": settings.prefix,
        "LOG_LEVEL": settings.log_level,
    }


def build_function(
    scope: Construct,
    settings: Settings,
    resource: str,
    directory: Path,
    *,
    description: str,
    role: iam.Role,
    layers: Sequence[lambda_.ILayerVersion],
    environment: dict[str, str],
    memory_mb: int = MEMORY_MB,
    timeout: Duration = TIMEOUT,
) -> lambda_.Function:
    """`lambdas/<resource>/` as `{org}-{env}-<resource>`: python3.12, arm64, the layers, its own log group
    (settings retention) that only `role` writes to, X-Ray per settings."""
    name = construct_name(resource)
    log_group = logs.LogGroup(
        scope,
        f"{name}FunctionLogs",
        log_group_name=f"/aws/lambda/{settings.function_name(resource)}",
        retention=settings.log_retention,
        removal_policy=RemovalPolicy.DESTROY,
    )
    function = lambda_.Function(
        scope,
        f"{name}Function",
        function_name=settings.function_name(resource),
        description=description,
        runtime=RUNTIME,
        architecture=ARCHITECTURE,
        handler=HANDLER,
        code=lambda_.Code.from_asset(str(directory), exclude=CODE_EXCLUDES),
        layers=list(layers),
        role=role,
        memory_size=memory_mb,
        timeout=timeout,
        environment=environment,
        log_group=log_group,
        tracing=lambda_.Tracing.ACTIVE if settings.tracing else lambda_.Tracing.DISABLED,
    )
    log_group.grant_write(role)
    return function


def app_table_arn(scope: Construct, settings: Settings) -> str:
    """The application table's ARN in `scope`'s account and region."""
    return Stack.of(scope).format_arn(service="dynamodb", resource="table", resource_name=settings.table_name)


def nag_rendering(scope: Construct, arn: str) -> str:
    """`arn` as cdk-nag prints it in a finding id (pseudo parameters as `<AWS::Name>`)."""
    stack = Stack.of(scope)
    partition = "<AWS::Partition>"
    region = "<AWS::Region>" if Token.is_unresolved(stack.region) else stack.region
    account = "<AWS::AccountId>" if Token.is_unresolved(stack.account) else stack.account
    resolved = stack.resolve(arn)
    if isinstance(resolved, str):
        return resolved
    parts = resolved["Fn::Join"][1]
    names = {"AWS::Partition": partition, "AWS::Region": region, "AWS::AccountId": account}
    return "".join(part if isinstance(part, str) else names[part["Ref"]] for part in parts)


def acknowledge_function(role: iam.Role, function: lambda_.Function, table_arn: str | None, tracing: bool) -> None:
    """The findings every tenantkit Lambda shares (L1, X-Ray's `*`), and the index wildcard when
    `table_arn` is given (the role queries `<table>/index/*`)."""
    if tracing:
        Validations.of(role).acknowledge(
            Acknowledgment(
                id="AwsSolutions-IAM5[Resource::*]",
                reason="X-Ray PutTraceSegments/PutTelemetryRecords take no resource ARN (tracing is on).",
            )
        )
    if table_arn is not None:
        index_arn = nag_rendering(role, f"{table_arn}/index/*")
        Validations.of(role).acknowledge(
            Acknowledgment(
                id=f"AwsSolutions-IAM5[Resource::{index_arn}]",
                reason="Queries go through the table's GSIs; `<table>/index/*` names this table's indexes only.",
            )
        )
    Validations.of(function).acknowledge(
        Acknowledgment(
            id="AwsSolutions-L1",
            reason="The runtime is pinned to python3.12 on purpose: the dependency layer is built for cp312 "
            "wheels; move the runtime and the layer target together.",
        )
    )
