"""The transactional outbox: events are written with their change, published after it commits.

`puts(events)` gives the outbox writes to add to the change's transaction. Then either
- `after_commit` publishes right away and deletes what went out (local stack, tests, and any
  deployment without a stream), and `relay(tenant_id)` republishes what a failed publish left; or
- with `publish_after_commit=False` (`TENANTKIT_OUTBOX_RELAY=stream`), the table's DynamoDB stream
  delivers each committed outbox record to `lambdas/outbox_relay`, which calls
  `relay_stream_batch`: Lambda retries a batch from the first record that failed, so nothing is lost
  and nothing uncommitted is ever seen.
Delivery is at least once; consumers dedupe by event id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tenantkit.models.outbox import OutboxRecord
from tenantkit.services.events import DomainEvent, EventPublisher
from tenantkit.store.codec import from_attributes
from tenantkit.store.expressions import Delete, Put, not_exists
from tenantkit.store.gateway import Table
from tenantkit.store.query import KeyQuery, begins_with


def record_of(event: DomainEvent) -> OutboxRecord:
    record = OutboxRecord(event.tenant_id, event.actor_user_id)
    record.id = event.id
    record.created_utc = event.occurred_utc
    record.event_name = event.name
    record.entity_type = event.entity_type
    record.entity_id = event.entity_id
    record.payload = dict(event.payload)
    return record


def event_of(item: dict[str, Any]) -> DomainEvent:
    record = OutboxRecord.from_item(item)
    return DomainEvent(
        name=record.event_name,
        tenant_id=record.tenant_id,
        entity_type=record.entity_type,
        entity_id=record.entity_id,
        actor_user_id=record.user_id,
        payload=record.payload,
        id=record.id,
        occurred_utc=record.created_utc,
    )


class Outbox:
    def __init__(self, table: Table, publisher: EventPublisher, *, publish_after_commit: bool = True) -> None:
        self.table = table
        self.publisher = publisher
        self.publish_after_commit = publish_after_commit

    def puts(self, events: Sequence[DomainEvent]) -> list[Put]:
        return [Put(record_of(event).to_item(), not_exists("pk")) for event in events]

    def after_commit(self, events: Sequence[DomainEvent]) -> int:
        """Publish committed events; those published leave the outbox, the rest wait for the relay.

        Never raises: the change has committed and its events are safe in the outbox whatever
        happens here. Returns how many events were published.
        """
        if not events or not self.publish_after_commit:
            return 0
        try:
            failed = {event.id for event in self.publisher.publish(events)}
            for event in events:
                if event.id not in failed:
                    self.table.for_tenant(event.tenant_id).write([Delete(record_of(event).key())])
        except Exception:
            from tenantkit.api.observability import get_logger

            get_logger().warning("publishing events failed; the outbox keeps them", exc_info=True)
            return 0
        return len(events) - len(failed)

    def relay_stream_batch(self, event: Mapping[str, Any]) -> dict[str, list[dict[str, str]]]:
        """Publish the outbox records a DynamoDB stream batch inserted, then delete them.

        Returns the partial-batch response: on the first record that cannot be published, its
        sequence number, so Lambda retries from there (records after it are retried too).
        """
        for record in event.get("Records", []):
            change = record.get("dynamodb", {})
            image = change.get("NewImage")
            if record.get("eventName") != "INSERT" or not image:
                continue
            item = from_attributes(image)
            if item.get("model_name") != OutboxRecord.type_name():
                continue
            domain_event = event_of(item)
            try:
                failed = self.publisher.publish([domain_event])
                if not failed:
                    self.table.for_tenant(domain_event.tenant_id).write([Delete(record_of(domain_event).key())])
            except Exception:
                failed = [domain_event]
            if failed:
                return {"batchItemFailures": [{"itemIdentifier": str(change.get("SequenceNumber", ""))}]}
        return {"batchItemFailures": []}

    def pending(self, tenant_id: str, limit: int = 100) -> list[DomainEvent]:
        probe = OutboxRecord(tenant_id)
        query = KeyQuery("pk", probe.key()["pk"], "sk", begins_with("event#"), ascending=True)
        page = self.table.for_tenant(tenant_id).query(query, limit=limit)
        return [event_of(item) for item in page.items]

    def relay(self, tenant_id: str) -> int:
        """Publish the tenant's pending events again; returns how many went out."""
        return self.after_commit(self.pending(tenant_id))
