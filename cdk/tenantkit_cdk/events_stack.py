"""Events: the custom EventBridge bus domain events go to, and where to find it in SSM.

The bus lives apart from the Api stack so consumers (rules, archives, other apps) can attach to it by
name and outlive any redeployment of the Lambdas. Nothing here is exported: the Api stack derives
the bus ARN from its settings-derived name.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from tenantkit.services.events import EVENT_SOURCE
from tenantkit_cdk.settings import Settings


def event_bus_arn(scope: Construct, settings: Settings) -> str:
    """The bus ARN in `scope`'s account and region, from its name (no cross-stack export)."""
    return Stack.of(scope).format_arn(service="events", resource="event-bus", resource_name=settings.event_bus_name)


class EventsStack(Stack):
    """The bus `{org}-{env}-events` (`/{org}/{env}/events/bus/{name,arn}`)."""

    def __init__(self, scope: Construct, construct_id: str, *, settings: Settings, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.bus = events.EventBus(
            self,
            "EventBus",
            event_bus_name=settings.event_bus_name,
            description=f"tenantkit domain events (source {EVENT_SOURCE!r}), published by the outbox relay",
        )
        self.parameters = {
            attribute: ssm.StringParameter(
                self,
                f"EventBus{attribute.title()}Parameter",
                parameter_name=settings.ssm_parameter("events", "bus", attribute),
                string_value=value,
                description=f"The {attribute} of the {settings.prefix} event bus",
            )
            for attribute, value in (("name", self.bus.event_bus_name), ("arn", self.bus.event_bus_arn))
        }
