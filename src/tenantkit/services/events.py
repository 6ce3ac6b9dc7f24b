"""Domain events and the port they are published through.

`DomainEvent` is a plain business object (no AWS types). Publishers implement `EventPublisher`:
`InMemoryEventPublisher` for tests and the local stack, `EventBridgePublisher` for AWS, and
`LoggingEventPublisher` when no bus is configured.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from tenantkit.models.ids import iso_utc, new_id, utc_now

EVENT_SOURCE = "tenantkit"
#: EventBridge takes at most 10 entries per PutEvents call.
EVENTBRIDGE_BATCH = 10


@dataclass(frozen=True)
class DomainEvent:
    """Something that happened in a tenant: `TaskCompleted`, `UserInvited`, ... (id: a ULID, for dedupe)."""

    name: str
    tenant_id: str
    entity_type: str
    entity_id: str
    actor_user_id: str
    payload: dict[str, Any] = field(default_factory=dict)
    id: str = field(default_factory=new_id)
    occurred_utc: str = field(default_factory=lambda: iso_utc(utc_now()))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class EventPublisher(Protocol):
    def publish(self, events: Sequence[DomainEvent]) -> list[DomainEvent]:
        """Publish `events`; return those that could not be published (to retry later)."""
        ...


class InMemoryEventPublisher:
    """Keeps published events in order; `fail_next` makes the next publish fail (tests)."""

    def __init__(self) -> None:
        self.published: list[DomainEvent] = []
        self.fail_next = False
        self._lock = threading.Lock()

    def publish(self, events: Sequence[DomainEvent]) -> list[DomainEvent]:
        with self._lock:
            if self.fail_next:
                self.fail_next = False
                return list(events)
            self.published.extend(events)
            return []

    def names(self) -> list[str]:
        return [event.name for event in self.published]


class LoggingEventPublisher:
    """Publishes to the structured log (deployments without an event bus)."""

    def publish(self, events: Sequence[DomainEvent]) -> list[DomainEvent]:
        from tenantkit.api.observability import get_logger

        for event in events:
            get_logger().info("domain event", extra={"event": event.as_dict()})
        return []


class EventBridgePublisher:
    """PutEvents to `bus_name`: source `tenantkit`, detail-type = event name, detail = the event."""

    def __init__(self, bus_name: str, client: Callable[[], Any]) -> None:
        self.bus_name = bus_name
        self._client = client

    def publish(self, events: Sequence[DomainEvent]) -> list[DomainEvent]:
        failed: list[DomainEvent] = []
        for start in range(0, len(events), EVENTBRIDGE_BATCH):
            batch = list(events[start : start + EVENTBRIDGE_BATCH])
            entries = [
                {
                    "Source": EVENT_SOURCE,
                    "DetailType": event.name,
                    "Detail": json.dumps(event.as_dict(), default=str),
                    "EventBusName": self.bus_name,
                }
                for event in batch
            ]
            try:
                response = self._client().put_events(Entries=entries)
            except Exception:  # the outbox keeps them; the relay retries
                failed.extend(batch)
                continue
            for event, result in zip(batch, response.get("Entries", []), strict=False):
                if result.get("ErrorCode"):
                    failed.append(event)
        return failed


def publisher_from_env(environ: dict[str, str] | None = None) -> EventPublisher:
    """EventBridge when `EVENT_BUS_NAME` is set, else the log."""
    import os

    env = os.environ if environ is None else environ
    bus = env.get("EVENT_BUS_NAME", "").strip()
    if not bus:
        return LoggingEventPublisher()

    def client() -> Any:
        import boto3

        return boto3.session.Session().client("events")

    return EventBridgePublisher(bus, client)
