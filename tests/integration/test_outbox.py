"""Domain events: written with their change, published after commit, never lost, never invented."""

from __future__ import annotations

import json
from typing import Any

import pytest
from helpers import all_items, group_payload

from tenantkit.auth.context import TenantContext
from tenantkit.models.group import Group
from tenantkit.services.events import DomainEvent, EventBridgePublisher, InMemoryEventPublisher
from tenantkit.services.factory import ServiceFactory
from tenantkit.services.group_service import GroupService
from tenantkit.services.result import ErrorCode


class EventfulGroupService(GroupService):
    """Groups that announce each change, to exercise the outbox through the real write path."""

    def events_for(self, ctx: TenantContext, action: str, before: Group | None, after: Group | None) -> list[Any]:
        entity = after or before
        assert entity is not None
        return [DomainEvent(f"Group{action.title()}d", ctx.tenant_id, "group", entity.id, ctx.user_id)]


@pytest.fixture
def publisher() -> InMemoryEventPublisher:
    return InMemoryEventPublisher()


@pytest.fixture
def service(moto_db: Any, publisher: InMemoryEventPublisher) -> EventfulGroupService:
    factory = ServiceFactory(db=moto_db, events=publisher)
    return EventfulGroupService(factory.table("groups"), factory.outbox)


def _outbox_items(db: Any) -> list[dict[str, Any]]:
    return [item for item in all_items(db) if item.get("model_name") == "outbox_record"]


def test_given_committed_changes_when_each_succeeds_should_publish_exactly_one_event_each_and_empty_the_outbox(
    service, publisher, moto_db, make_ctx
) -> None:
    ctx = make_ctx("member")

    group = service.create(ctx, group_payload()).data
    service.update(ctx, group.id, {"name": "renamed"})
    service.delete(ctx, group.id)

    assert publisher.names() == ["GroupCreated", "GroupUpdated", "GroupDeleted"]
    assert {event.entity_id for event in publisher.published} == {group.id}
    assert _outbox_items(moto_db) == []


def test_given_a_failed_change_when_it_is_refused_should_publish_nothing_and_leave_no_outbox_record(
    service, publisher, moto_db, make_ctx
) -> None:
    ctx = make_ctx("member")
    group = service.create(ctx, group_payload()).data
    publisher.published.clear()

    stale = service.update(ctx, group.id, {"name": "x"}, version=7)
    duplicate = service.create(ctx, group_payload(id=group.id))

    assert stale.error_code is ErrorCode.CONFLICT
    assert duplicate.error_code is ErrorCode.CONFLICT
    assert publisher.published == []
    assert _outbox_items(moto_db) == []


def test_given_publishing_fails_when_changing_should_commit_keep_the_event_and_relay_it_later(
    service, publisher, moto_db, make_ctx
) -> None:
    ctx = make_ctx("member")
    publisher.fail_next = True

    result = service.create(ctx, group_payload())

    assert result.success
    assert publisher.published == []
    assert len(_outbox_items(moto_db)) == 1
    relayed = service.outbox.relay(ctx.tenant_id)
    assert relayed == 1
    assert publisher.names() == ["GroupCreated"]
    assert _outbox_items(moto_db) == []


def test_given_an_event_bus_when_publishing_through_eventbridge_should_deliver_each_event_once(moto_db) -> None:
    import boto3

    events = boto3.client("events", region_name="us-east-1")
    sqs = boto3.client("sqs", region_name="us-east-1")
    events.create_event_bus(Name="tenantkit-bus")
    queue_url = sqs.create_queue(QueueName="tenantkit-events")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="all", EventBusName="tenantkit-bus", EventPattern=json.dumps({"source": ["tenantkit"]}))
    events.put_targets(Rule="all", EventBusName="tenantkit-bus", Targets=[{"Id": "q", "Arn": queue_arn}])
    publisher = EventBridgePublisher("tenantkit-bus", lambda: events)
    batch = [DomainEvent(f"TaskCompleted{n}", "T", "task", f"id{n}", "u") for n in range(12)]

    failed = publisher.publish(batch)

    received = []
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            break
        received += [json.loads(m["Body"]) for m in messages]
        sqs.delete_message_batch(
            QueueUrl=queue_url,
            Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)],
        )
    assert failed == []
    assert sorted(m["detail"]["id"] for m in received) == sorted(e.id for e in batch)
    assert {m["source"] for m in received} == {"tenantkit"}
