"""TaskService on moto: CRUD, validation, status transitions, group references, access and tenancy."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import all_items, audit_records, group_payload
from task_support import task_payload

from tenantkit.models.ids import new_id, new_user_id
from tenantkit.services.result import ErrorCode

P, W, C, X = "PENDING", "IN_PROGRESS", "COMPLETED", "CANCELLED"  # W: work in progress
LEGAL = [(P, W), (P, C), (P, X), (W, P), (W, C), (W, X)]
#: Every illegal change: COMPLETED and CANCELLED are terminal (PENDING->PENDING etc. are no-ops).
ILLEGAL = [(C, P), (C, W), (C, X), (C, C), (X, P), (X, W), (X, C), (X, X)]


def _in_status(factory: Any, ctx: Any, status: str) -> Any:
    """A new task moved (legally) into `status`."""
    task = factory.task_service.create(ctx, task_payload()).data
    if status != P:
        moved = factory.task_service.update(ctx, task.id, {"status": status})
        assert moved.success, moved.error
        task = moved.data
    return task


def test_given_a_valid_payload_when_creating_should_store_a_pending_task_created_by_the_caller(
    factory, make_ctx
) -> None:
    ctx = make_ctx("member")
    assignee = new_user_id()

    result = factory.task_service.create(
        ctx, task_payload(description="d", assignee_id=assignee, due_date="2026-03-31", metadata={"My-Key": 1})
    )

    assert result.success
    assert result.http_status == 201
    stored = factory.task_service.get(ctx, result.data.id).data
    assert (stored.user_id, stored.tenant_id, stored.status, stored.version) == (ctx.user_id, ctx.tenant_id, P, 1)
    assert (stored.assignee_id, stored.due_date, stored.metadata) == (assignee, "2026-03-31", {"My-Key": 1})
    assert stored.group_id is None
    assert stored.completed_utc is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "ok", "description": "x" * 5001}, "description"),
        ({"title": "ok", "status": "IN_PROGRESS"}, "status"),
        ({"title": "ok", "status": "DONE"}, "status"),
        ({"title": "ok", "assignee_id": "not-a-user"}, "assignee_id"),
        ({"title": "ok", "group_id": "01ARZ3NDEKTSV4RRFFQ69G5FA"}, "group_id"),
        ({"title": "ok", "due_date": "31/03/2026"}, "due_date"),
        ({"title": "ok", "due_date": "2026-02-30"}, "due_date"),
        ({"title": "ok", "completed_utc": "2026-01-01T00:00:00Z"}, "completed_utc"),
        ({"title": "ok", "unknown": 1}, "unknown"),
        ({"description": "no title"}, "title"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_given_an_invalid_payload_when_creating_should_answer_validation_error_for_the_field(
    factory, moto_db, make_ctx, payload: dict[str, Any], field: str
) -> None:
    ctx = make_ctx("member")

    result = factory.task_service.create(ctx, payload)

    assert result.error_code is ErrorCode.VALIDATION_ERROR
    assert field in {detail["field"] for detail in result.error.details}
    assert all_items(moto_db) == []


def test_given_an_impossible_calendar_date_when_the_schema_lets_it_through_should_still_refuse_it(
    factory, make_ctx, monkeypatch
) -> None:
    from tenantkit.models.task import TASK_SCHEMAS

    monkeypatch.setitem(TASK_SCHEMAS.create["properties"], "due_date", {"type": ["string", "null"]})
    monkeypatch.setattr(TASK_SCHEMAS, "_compiled", {})
    ctx = make_ctx("member")

    result = factory.task_service.create(ctx, task_payload(due_date="2026-02-30"))

    assert result.error_code is ErrorCode.VALIDATION_ERROR
    assert result.error.details == [{"field": "due_date", "message": "must be a real date (YYYY-MM-DD)"}]


def test_given_a_task_when_updating_and_clearing_fields_should_bump_version_and_move_its_index_entries(
    factory, make_ctx
) -> None:
    ctx = make_ctx("admin")
    assignee = new_user_id()
    task = factory.task_service.create(ctx, task_payload(assignee_id=assignee, description="keep")).data

    result = factory.task_service.update(ctx, task.id, {"title": "Renamed", "assignee_id": None, "due_date": None})

    assert result.success
    stored = factory.task_service.get(ctx, task.id).data
    assert (stored.title, stored.description, stored.assignee_id, stored.version) == ("Renamed", "keep", None, 2)
    assert factory.task_service.list_by_assignee(ctx, assignee).data.items == []


def test_given_a_task_when_deleting_should_remove_it_and_answer_not_found_after(factory, moto_db, make_ctx) -> None:
    ctx = make_ctx("member")
    task = factory.task_service.create(ctx, task_payload()).data

    deleted = factory.task_service.delete(ctx, task.id)

    assert deleted.success
    assert deleted.data.id == task.id
    assert factory.task_service.get(ctx, task.id).error_code is ErrorCode.NOT_FOUND
    assert factory.task_service.delete(ctx, task.id).error_code is ErrorCode.NOT_FOUND
    assert [r["action"] for r in sorted(audit_records(moto_db, task.id), key=lambda r: r["id"])] == [
        "create",
        "delete",
    ]


@pytest.mark.parametrize(("start", "target"), LEGAL, ids=[f"{a}->{b}" for a, b in LEGAL])
def test_given_a_legal_transition_when_changing_status_should_apply_it(factory, make_ctx, start, target) -> None:
    ctx = make_ctx("member")
    task = _in_status(factory, ctx, start)

    result = factory.task_service.update(ctx, task.id, {"status": target})

    assert result.success, result.error
    stored = factory.task_service.get(ctx, task.id).data
    assert (stored.status, stored.version) == (target, task.version + 1)
    assert (stored.completed_utc is not None) == (target == C)


@pytest.mark.parametrize(("start", "target"), ILLEGAL, ids=[f"{a}->{b}" for a, b in ILLEGAL])
def test_given_an_illegal_transition_when_changing_status_should_answer_conflict_with_the_current_status(
    factory, moto_db, make_ctx, start, target
) -> None:
    ctx = make_ctx("member")
    task = _in_status(factory, ctx, start)
    before = all_items(moto_db)

    result = factory.task_service.update(ctx, task.id, {"status": target, "title": "ignored"})

    assert result.error_code is ErrorCode.CONFLICT
    assert result.error.details == [{"field": "status", "current_status": start}]
    assert all_items(moto_db) == before


@pytest.mark.parametrize("status", [P, W])
def test_given_the_same_open_status_when_updating_should_change_nothing(factory, moto_db, make_ctx, status) -> None:
    ctx = make_ctx("member")
    task = _in_status(factory, ctx, status)
    before = all_items(moto_db)

    result = factory.task_service.update(ctx, task.id, {"status": status})

    assert result.success
    assert result.data.version == task.version
    assert all_items(moto_db) == before


@pytest.mark.parametrize("start", [P, W])
def test_given_an_open_task_when_completing_should_complete_it_and_stamp_completed_utc(
    factory, make_ctx, start
) -> None:
    ctx = make_ctx("member")
    task = _in_status(factory, ctx, start)

    result = factory.task_service.complete(ctx, task.id, version=task.version)

    assert result.success
    stored = factory.task_service.get(ctx, task.id).data
    assert stored.status == C
    assert stored.completed_utc is not None
    assert stored.completed_utc >= task.created_utc
    assert stored.completed_utc == stored.updated_utc


@pytest.mark.parametrize("start", [C, X])
def test_given_a_closed_task_when_completing_should_answer_conflict(factory, make_ctx, start) -> None:
    ctx = make_ctx("member")
    task = _in_status(factory, ctx, start)

    result = factory.task_service.complete(ctx, task.id)

    assert result.error_code is ErrorCode.CONFLICT
    assert result.error.details == [{"field": "status", "current_status": start}]


def test_given_a_stale_version_when_completing_should_answer_conflict_with_the_current_version(
    factory, make_ctx
) -> None:
    ctx = make_ctx("member")
    task = _in_status(factory, ctx, W)

    result = factory.task_service.complete(ctx, task.id, version=1)

    assert result.error_code is ErrorCode.CONFLICT
    assert result.error.details == [{"field": "version", "current_version": 2}]


def test_given_an_existing_group_of_the_tenant_when_creating_and_moving_tasks_should_accept_it(
    factory, make_ctx
) -> None:
    ctx = make_ctx("member")
    first = factory.group_service.create(ctx, group_payload(name="one")).data
    second = factory.group_service.create(ctx, group_payload(name="two")).data

    created = factory.task_service.create(ctx, task_payload(group_id=first.id))
    moved = factory.task_service.update(ctx, created.data.id, {"group_id": second.id})

    assert created.success
    assert moved.success
    assert [t.id for t in factory.task_service.list_by_group(ctx, second.id).data.items] == [created.data.id]
    assert factory.task_service.list_by_group(ctx, first.id).data.items == []


def test_given_a_missing_or_foreign_group_when_creating_or_updating_should_answer_validation_error_on_group_id(
    factory, moto_db, make_ctx
) -> None:
    ctx = make_ctx("member")
    foreign_group = factory.group_service.create(make_ctx("owner"), group_payload()).data
    task = factory.task_service.create(ctx, task_payload()).data
    before = all_items(moto_db)

    results = [
        factory.task_service.create(ctx, task_payload(group_id=new_id())),
        factory.task_service.create(ctx, task_payload(group_id=foreign_group.id)),
        factory.task_service.update(ctx, task.id, {"group_id": new_id()}),
        factory.task_service.update(ctx, task.id, {"group_id": foreign_group.id}),
    ]

    for result in results:
        assert result.error_code is ErrorCode.VALIDATION_ERROR
        assert result.error.details == [{"field": "group_id", "message": "must name an existing group"}]
    assert all_items(moto_db) == before


def test_given_the_group_is_deleted_while_the_task_is_written_when_creating_should_refuse_atomically(
    factory, moto_db, make_ctx
) -> None:
    ctx = make_ctx("member")
    group = factory.group_service.create(ctx, group_payload()).data
    service = factory.task_service
    build_operations = service.extra_operations

    def delete_group_meanwhile(*args: Any) -> Any:
        operations = build_operations(*args)
        assert factory.group_service.delete(ctx, group.id).success
        return operations

    service.extra_operations = delete_group_meanwhile
    before = all_items(moto_db)

    result = service.create(ctx, task_payload(group_id=group.id))

    assert result.error_code is ErrorCode.VALIDATION_ERROR
    assert result.error.details[0]["field"] == "group_id"
    assert not [item for item in all_items(moto_db) if item.get("model_name") == "task"]
    assert len(all_items(moto_db)) == len(before)  # the group and its audit went, nothing of the task came


def test_given_a_task_whose_group_was_deleted_when_editing_other_fields_should_still_succeed(factory, make_ctx) -> None:
    ctx = make_ctx("member")
    group = factory.group_service.create(ctx, group_payload()).data
    task = factory.task_service.create(ctx, task_payload(group_id=group.id)).data
    factory.group_service.delete(ctx, group.id)

    result = factory.task_service.update(ctx, task.id, {"title": "still editable"})

    assert result.success


def test_given_members_of_a_tenant_when_accessing_a_task_should_allow_creator_and_assignee_and_refuse_others(
    factory, make_ctx
) -> None:
    creator = make_ctx("member")
    assignee = make_ctx("member", tenant_id=creator.tenant_id)
    stranger = make_ctx("member", tenant_id=creator.tenant_id)
    admin = make_ctx("admin", tenant_id=creator.tenant_id)
    service = factory.task_service
    task = service.create(creator, task_payload(assignee_id=assignee.user_id)).data

    assert service.get(assignee, task.id).success
    assert service.update(assignee, task.id, {"status": W}).success
    assert service.get(stranger, task.id).error_code is ErrorCode.FORBIDDEN
    assert service.update(stranger, task.id, {"title": "x"}).error_code is ErrorCode.FORBIDDEN
    assert service.complete(stranger, task.id).error_code is ErrorCode.FORBIDDEN
    assert service.delete(stranger, task.id).error_code is ErrorCode.FORBIDDEN
    assert service.delete(assignee, task.id).error_code is ErrorCode.FORBIDDEN
    assert service.complete(assignee, task.id).success
    assert service.update(admin, task.id, {"title": "admin edit"}).success
    assert service.delete(admin, task.id).success


def test_given_another_tenants_task_when_addressing_it_should_answer_not_found_and_change_nothing(
    factory, moto_db, make_ctx
) -> None:
    owner_a = make_ctx("owner")
    owner_b = make_ctx("owner")
    task = factory.task_service.create(owner_a, task_payload()).data
    before = all_items(moto_db)
    service = factory.task_service

    results = [
        service.get(owner_b, task.id),
        service.update(owner_b, task.id, {"title": "hijack"}),
        service.delete(owner_b, task.id),
        service.complete(owner_b, task.id),
    ]

    assert [r.error_code for r in results] == [ErrorCode.NOT_FOUND] * 4
    assert all_items(moto_db) == before


def test_given_malformed_ids_when_addressing_tasks_should_answer_validation_error(factory, make_ctx) -> None:
    ctx = make_ctx("member")
    service = factory.task_service

    results = [
        service.get(ctx, "nope"),
        service.update(ctx, "tenant#x", {"title": "x"}),
        service.delete(ctx, ""),
        service.complete(ctx, "01arz3ndektsv4rrffq69g5fav"),
    ]

    assert [r.error_code for r in results] == [ErrorCode.VALIDATION_ERROR] * 4
