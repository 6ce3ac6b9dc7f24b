"""The whole app: Data, Identity, Events, Api and Monitoring stacks, checked by cdk-nag (AwsSolutions)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aws_cdk import App, Environment, Tags, Validations
from cdk_nag import AwsSolutionsChecks

from tenantkit.api.registry import Route
from tenantkit.models.table_spec import TableSpec
from tenantkit_cdk.api_stack import STAGE_NAME, ApiStack
from tenantkit_cdk.data_stack import DataStack
from tenantkit_cdk.events_stack import EventsStack
from tenantkit_cdk.identity_stack import IdentityStack
from tenantkit_cdk.monitoring_stack import MonitoringStack
from tenantkit_cdk.packaging import Layers
from tenantkit_cdk.relay import OUTBOX_RELAY
from tenantkit_cdk.settings import Settings


@dataclass(frozen=True)
class TenantkitStacks:
    data: DataStack
    identity: IdentityStack
    api: ApiStack
    monitoring: MonitoringStack
    events: EventsStack

    @property
    def all(self) -> tuple[DataStack, IdentityStack, EventsStack, ApiStack, MonitoringStack]:
        """In deployment order."""
        return (self.data, self.identity, self.events, self.api, self.monitoring)


def build_app(
    app: App,
    settings: Settings | None = None,
    *,
    nag: bool = True,
    env: Environment | None = None,
    routes: list[Route] | None = None,
    spec: TableSpec | None = None,
    layers: Layers | None = None,
    lambda_root: Path | None = None,
) -> TenantkitStacks:
    """Add the tenantkit stacks to `app`; with `nag`, `app.synth()` fails on unacknowledged findings.

    Settings default to `Settings.resolve(app.node.try_get_context)`; `routes` and `spec` to the
    library's registry and table spec (pass your own to deploy your resources on the same table),
    `lambda_root` to `lambdas/` (a directory of `<resource>/handler.py`), `layers` to the cached
    builds of `packaging.build_layers()`.
    """
    settings = settings or Settings.resolve(app.node.try_get_context)
    name = settings.stack_prefix
    data = DataStack(app, f"{name}Data", settings=settings, spec=spec, env=env, description="tenantkit: the table")
    identity = IdentityStack(app, f"{name}Identity", settings=settings, env=env, description="tenantkit: Cognito")
    events = EventsStack(app, f"{name}Events", settings=settings, env=env, description="tenantkit: the event bus")
    api = ApiStack(
        app,
        f"{name}Api",
        settings=settings,
        user_pool=identity.user_pool,
        routes=routes,
        layers=layers,
        lambda_root=lambda_root,
        env=env,
        description="tenantkit: Lambdas, the REST API and the outbox relay",
    )
    api.add_stack_dependency(data, "the Lambdas use the table by name, the relay its stream (SSM)")
    api.add_stack_dependency(events, "the relay publishes to the bus by name")
    monitoring = MonitoringStack(
        app,
        f"{name}Monitoring",
        settings=settings,
        resources=list(api.functions),
        outbox_relay=OUTBOX_RELAY,
        gsi_names=list(data.spec.gsis),
        stage_name=STAGE_NAME,
        env=env,
        description="tenantkit: alarms and dashboard",
    )
    monitoring.add_stack_dependency(api, "alarms watch the API and its Lambdas by name")
    for stack in (data, identity, events, api, monitoring):
        Tags.of(stack).add("organization", settings.organization)
        Tags.of(stack).add("environment", settings.environment)
        Tags.of(stack).add("application", "tenantkit")
    if nag:
        Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return TenantkitStacks(data, identity, api, monitoring, events)
