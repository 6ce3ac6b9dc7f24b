"""Tasks under concurrency, their audit trail and their domain events (moto, a lock for item serialization)."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import all_items, audit_records, group_payload, race
from task_support import eventful_factory, task_payload

from tenantkit.models.ids import new_id, new_user_id
from tenantkit.services.result import ErrorCode


@pytest.fixture
def evented(moto_db: Any) -> Any:
    """A factory whose events land in memory: `(factory, publisher)`."""
    return eventful_factory(moto_db)


def _outbox_items(db: Any) -> list[dict[str, Any]]:
    return [item for item in all_items(db) if item.get("model_name") == "outbox_record"]


@pytest.mark.parametrize(
    ("first", "second"),
    [("IN_PROGRESS", "CANCELLED"), ("COMPLETED", "CANCELLED"), ("IN_PROGRESS", "COMPLETED")],
)
def test_given_two_concurrent_status_changes_when_both_run_should_let_exactly_one_win(
    evented, moto_db, make_ctx, first, second
) -> None:
    factory, publisher = evented
    ctx = make_ctx("member")
    service = factory.task_service
    task = service.create(ctx, task_payload()).data
    publisher.published.clear()

    results = race(
        service,
        [
            lambda: service.update(ctx, task.id, {"status": first}),
            lambda: service.update(ctx, task.id, {"status": second}),
        ],
    )

    assert sorted(str(r.error_code) for r in results) == ["CONFLICT", "None"]
    winner = next(r for r in results if r.success)
    stored = service.get(ctx, task.id).data
    assert (stored.status, stored.version) == (winner.data.status, 2)
    assert len(audit_records(moto_db, task.id)) == 2
    assert publisher.names().count("TaskStatusChanged") == 1


def test_given_two_concurrent_completes_when_both_run_should_answer_one_success_and_one_conflict(
    evented, moto_db, make_ctx
) -> None:
    factory, publisher = evented
    creator = make_ctx("member")
    assignee = make_ctx("member", tenant_id=creator.tenant_id)
    service = factory.task_service
    task = service.create(creator, task_payload(assignee_id=assignee.user_id)).data
    publisher.published.clear()

    results = race(service, [lambda: service.complete(creator, task.id), lambda: service.complete(assignee, task.id)])

    assert sorted(r.http_status for r in results) == [200, 409]
    stored = service.get(creator, task.id).data
    assert (stored.status, stored.version) == ("COMPLETED", 2)
    assert publisher.names() == ["TaskStatusChanged", "TaskCompleted"]
    assert [r["action"] for r in audit_records(moto_db, task.id)].count("update") == 1


def test_given_a_status_change_racing_a_title_edit_when_both_run_should_apply_both(factory, moto_db, make_ctx) -> None:
    ctx = make_ctx("member")
    service = factory.task_service
    task = service.create(ctx, task_payload("before")).data

    results = race(
        service,
        [lambda: service.update(ctx, task.id, {"title": "after"}), lambda: service.complete(ctx, task.id)],
    )

    assert all(r.success for r in results), [r.error for r in results]
    stored = service.get(ctx, task.id).data
    assert (stored.title, stored.status, stored.version) == ("after", "COMPLETED", 3)
    assert stored.completed_utc is not None


def test_given_a_sequence_of_changes_when_each_succeeds_or_fails_should_audit_exactly_the_successful_ones(
    factory, moto_db, make_ctx
) -> None:
    ctx = make_ctx("admin")
    service = factory.task_service
    task = service.create(ctx, task_payload("a")).data
    service.update(ctx, task.id, {"title": "b"})
    service.update(ctx, task.id, {"status": "IN_PROGRESS"})
    service.update(ctx, task.id, {"group_id": new_id()})  # missing group: refused
    service.update(ctx, task.id, {"title": "c"}, version=1)  # stale: refused
    service.complete(ctx, task.id)
    service.complete(ctx, task.id)  # terminal: refused
    service.delete(ctx, task.id)

    records = sorted(audit_records(moto_db, task.id), key=lambda r: r["id"])

    assert [r["action"] for r in records] == ["create", "update", "update", "update", "delete"]
    assert [r["entity_version"] for r in records] == [1, 2, 3, 4, 4]
    assert (records[2]["old_values"], records[2]["new_values"]) == ({"status": "PENDING"}, {"status": "IN_PROGRESS"})
    assert records[3]["changed_fields"] == ["completed_utc", "status"]
    assert all(r["entity_type"] == "task" for r in records)


def test_given_committed_changes_when_each_succeeds_should_publish_one_event_of_the_right_name_each(
    evented, moto_db, make_ctx
) -> None:
    factory, publisher = evented
    ctx = make_ctx("member")
    service = factory.task_service
    group = factory.group_service.create(ctx, group_payload()).data
    assignee = new_user_id()
    publisher.published.clear()

    task = service.create(ctx, task_payload("secret plans", description="private", group_id=group.id)).data
    service.update(ctx, task.id, {"title": "more secret", "assignee_id": assignee})
    service.update(ctx, task.id, {"status": "IN_PROGRESS"})
    service.complete(ctx, task.id)
    service.delete(ctx, task.id)

    events = publisher.published
    assert [e.name for e in events] == [
        "TaskCreated",
        "TaskUpdated",
        "TaskStatusChanged",
        "TaskStatusChanged",
        "TaskCompleted",
        "TaskDeleted",
    ]
    assert {(e.tenant_id, e.entity_type, e.entity_id, e.actor_user_id) for e in events} == {
        (ctx.tenant_id, "task", task.id, ctx.user_id)
    }
    assert events[0].payload == {"status": "PENDING", "assignee_id": None, "group_id": group.id, "due_date": None}
    assert events[1].payload == {"changed_fields": ["assignee_id", "title"], "assignee_id": assignee}
    assert events[2].payload == {"from": "PENDING", "to": "IN_PROGRESS"}
    assert events[3].payload == {"from": "IN_PROGRESS", "to": "COMPLETED"}
    assert events[4].payload["completed_utc"] is not None
    assert "secret" not in repr(events)
    assert "private" not in repr(events)
    assert _outbox_items(moto_db) == []


def test_given_failed_changes_when_they_are_refused_should_publish_nothing_and_leave_no_outbox_record(
    evented, moto_db, make_ctx
) -> None:
    factory, publisher = evented
    creator = make_ctx("member")
    stranger = make_ctx("member", tenant_id=creator.tenant_id)
    service = factory.task_service
    task = service.create(creator, task_payload()).data
    closed = service.create(creator, task_payload()).data
    service.update(creator, closed.id, {"status": "CANCELLED"})
    publisher.published.clear()

    results = [
        service.update(creator, closed.id, {"status": "PENDING"}),
        service.complete(creator, closed.id),
        service.update(creator, task.id, {"title": "x"}, version=9),
        service.create(creator, task_payload(group_id=new_id())),
        service.create(creator, task_payload(id=task.id)),
        service.update(stranger, task.id, {"title": "x"}),
        service.delete(stranger, task.id),
        service.complete(make_ctx("owner"), task.id),
    ]

    assert [r.error_code for r in results] == [
        ErrorCode.CONFLICT,
        ErrorCode.CONFLICT,
        ErrorCode.CONFLICT,
        ErrorCode.VALIDATION_ERROR,
        ErrorCode.CONFLICT,
        ErrorCode.FORBIDDEN,
        ErrorCode.FORBIDDEN,
        ErrorCode.NOT_FOUND,
    ]
    assert publisher.published == []
    assert _outbox_items(moto_db) == []


def test_given_an_unchanged_update_when_applied_should_neither_write_audit_nor_publish(
    evented, moto_db, make_ctx
) -> None:
    factory, publisher = evented
    ctx = make_ctx("member")
    task = factory.task_service.create(ctx, task_payload("same")).data
    publisher.published.clear()

    result = factory.task_service.update(ctx, task.id, {"title": "same", "status": "PENDING"})

    assert result.success
    assert result.data.version == 1
    assert len(audit_records(moto_db, task.id)) == 1
    assert publisher.published == []
