"""The stream relay: committed outbox records, as the table's stream hands them to Lambda, are
published once and removed; a failed publish is reported for retry and nothing is lost."""

from __future__ import annotations

from typing import Any

import pytest
from events_support import stream_batch
from helpers import all_items, group_payload
from test_outbox import EventfulGroupService

from tenantkit.services.events import InMemoryEventPublisher
from tenantkit.services.factory import ServiceFactory


@pytest.fixture
def publisher() -> InMemoryEventPublisher:
    return InMemoryEventPublisher()


@pytest.fixture
def stream_services(moto_db: Any, publisher: InMemoryEventPublisher, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Services deployed as in AWS with a stream relay: nothing is published at commit time."""
    monkeypatch.setenv("TENANTKIT_OUTBOX_RELAY", "stream")
    factory = ServiceFactory(db=moto_db, events=publisher)
    return factory, EventfulGroupService(factory.table("groups"), factory.outbox)


def _outbox(db: Any) -> list[dict[str, Any]]:
    return [item for item in all_items(db) if item.get("model_name") == "outbox_record"]


def test_given_stream_relay_when_a_change_commits_should_publish_only_through_the_stream(
    stream_services, publisher, moto_db, make_ctx
) -> None:
    factory, service = stream_services
    ctx = make_ctx("member")
    group = service.create(ctx, group_payload()).data
    assert publisher.published == []
    assert len(_outbox(moto_db)) == 1

    response = factory.outbox.relay_stream_batch(stream_batch(moto_db))

    assert response == {"batchItemFailures": []}
    assert publisher.names() == ["GroupCreated"]
    assert publisher.published[0].entity_id == group.id
    assert _outbox(moto_db) == []


def test_given_a_failing_bus_when_relaying_should_report_the_record_for_retry_and_keep_it(
    stream_services, publisher, moto_db, make_ctx
) -> None:
    factory, service = stream_services
    ctx = make_ctx("member")
    service.create(ctx, group_payload(name="one"))
    service.create(ctx, group_payload(name="two"))
    batch = stream_batch(moto_db)
    outbox_records = [r for r in batch["Records"] if r["dynamodb"]["NewImage"]["model_name"]["S"] == "outbox_record"]
    publisher.fail_next = True

    first = factory.outbox.relay_stream_batch(batch)
    retried = factory.outbox.relay_stream_batch(batch)

    assert first == {"batchItemFailures": [{"itemIdentifier": outbox_records[0]["dynamodb"]["SequenceNumber"]}]}
    assert retried == {"batchItemFailures": []}
    assert publisher.names() == ["GroupCreated", "GroupCreated"]
    assert _outbox(moto_db) == []


def test_given_the_relay_lambda_when_invoked_with_a_stream_batch_should_relay_through_injected_services(
    stream_services, publisher, moto_db, make_ctx
) -> None:
    import importlib.util
    from pathlib import Path

    factory, service = stream_services
    service.create(make_ctx("member"), group_payload())
    path = Path(__file__).resolve().parents[2] / "lambdas" / "outbox_relay" / "handler.py"
    spec = importlib.util.spec_from_file_location("outbox_relay_handler", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    response = module.lambda_handler(stream_batch(moto_db), None, factory)

    assert response == {"batchItemFailures": []}
    assert publisher.names() == ["GroupCreated"]


def test_given_records_that_are_not_outbox_inserts_when_relaying_should_ignore_them(moto_db, publisher) -> None:
    factory = ServiceFactory(db=moto_db, events=publisher)
    batch = {
        "Records": [
            {"eventName": "INSERT", "dynamodb": {"SequenceNumber": "1", "NewImage": {"model_name": {"S": "group"}}}},
            {
                "eventName": "REMOVE",
                "dynamodb": {"SequenceNumber": "2", "OldImage": {"model_name": {"S": "outbox_record"}}},
            },
            {
                "eventName": "MODIFY",
                "dynamodb": {"SequenceNumber": "3", "NewImage": {"model_name": {"S": "outbox_record"}}},
            },
        ]
    }

    response = factory.outbox.relay_stream_batch(batch)

    assert response == {"batchItemFailures": []}
    assert publisher.published == []
