"""TaskService lists on moto: by status, assignee and group, newest first, paged, filtered for members."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import group_payload
from task_support import collect, ordered_id, task_payload

from tenantkit.models.ids import new_id, new_user_id
from tenantkit.services.result import ErrorCode


def _create_series(factory: Any, ctx: Any, count: int, start: int = 0, **fields: Any) -> list[str]:
    """`count` tasks titled `t<n>`, created in order; their titles newest first."""
    for n in range(start, start + count):
        result = factory.task_service.create(ctx, task_payload(f"t{n:02d}", id=ordered_id(n), **fields))
        assert result.success, result.error
    return [f"t{n:02d}" for n in reversed(range(start, start + count))]


def test_given_tasks_in_several_statuses_when_listing_by_status_should_page_through_one_status_newest_first(
    factory, make_ctx
) -> None:
    admin = make_ctx("admin")
    expected = _create_series(factory, admin, 11)
    started = factory.task_service.create(admin, task_payload("started")).data
    factory.task_service.update(admin, started.id, {"status": "IN_PROGRESS"})

    pending, sizes = collect(lambda **kw: factory.task_service.list_by_status(admin, "PENDING", **kw), limit=4)
    in_progress, _ = collect(lambda **kw: factory.task_service.list_by_status(admin, "IN_PROGRESS", **kw), limit=4)

    assert pending == expected
    assert sizes == [4, 4, 3]
    assert in_progress == ["started"]


def test_given_tasks_of_several_assignees_when_listing_by_assignee_should_page_through_that_assignees_tasks(
    factory, make_ctx
) -> None:
    admin = make_ctx("admin")
    alice, bob = new_user_id(), new_user_id()
    expected = _create_series(factory, admin, 7, assignee_id=alice)
    _create_series(factory, admin, 3, start=50, assignee_id=bob)
    _create_series(factory, admin, 2, start=80)

    titles, sizes = collect(lambda **kw: factory.task_service.list_by_assignee(admin, alice, **kw), limit=3)

    assert titles == expected
    assert sizes == [3, 3, 1]


def test_given_tasks_of_several_groups_when_listing_by_group_should_page_through_that_groups_tasks(
    factory, make_ctx
) -> None:
    admin = make_ctx("admin")
    group = factory.group_service.create(admin, group_payload(name="g")).data
    other = factory.group_service.create(admin, group_payload(name="h")).data
    expected = _create_series(factory, admin, 5, group_id=group.id)
    _create_series(factory, admin, 4, start=50, group_id=other.id)

    titles, sizes = collect(lambda **kw: factory.task_service.list_by_group(admin, group.id, **kw), limit=2)

    assert titles == expected
    assert sizes == [2, 2, 1]


def test_given_a_completed_task_when_listing_by_status_should_show_it_only_under_its_new_status(
    factory, make_ctx
) -> None:
    ctx = make_ctx("member")
    task = factory.task_service.create(ctx, task_payload("done soon")).data

    factory.task_service.complete(ctx, task.id)

    assert factory.task_service.list_by_status(ctx, "PENDING").data.items == []
    assert [t.id for t in factory.task_service.list_by_status(ctx, "COMPLETED").data.items] == [task.id]


def test_given_tasks_of_colleagues_when_a_member_lists_by_status_should_see_only_created_or_assigned_in_full_pages(
    factory, make_ctx
) -> None:
    me = make_ctx("member")
    colleague = make_ctx("member", tenant_id=me.tenant_id)
    _create_series(factory, colleague, 12, start=0)  # invisible to me, interleaved below
    mine = _create_series(factory, me, 3, start=20)
    assigned = _create_series(factory, colleague, 3, start=40, assignee_id=me.user_id)
    _create_series(factory, colleague, 12, start=60)

    titles, sizes = collect(lambda **kw: factory.task_service.list_by_status(me, "PENDING", **kw), limit=2)

    assert titles == assigned + mine
    assert sizes == [2, 2, 2]


def test_given_a_member_listing_another_assignee_when_listing_should_see_only_tasks_they_created(
    factory, make_ctx
) -> None:
    me = make_ctx("member")
    colleague = make_ctx("member", tenant_id=me.tenant_id)
    other = new_user_id()
    created_by_me = _create_series(factory, me, 4, assignee_id=other)
    _create_series(factory, colleague, 5, start=30, assignee_id=other)

    titles, sizes = collect(lambda **kw: factory.task_service.list_by_assignee(me, other, **kw), limit=3)

    assert titles == created_by_me
    assert sizes == [3, 1]


def test_given_a_member_listing_a_group_when_colleagues_have_tasks_there_should_see_only_their_own(
    factory, make_ctx
) -> None:
    me = make_ctx("member")
    colleague = make_ctx("member", tenant_id=me.tenant_id)
    group = factory.group_service.create(me, group_payload(privacy_settings={"visibility": "tenant"})).data
    mine = _create_series(factory, me, 2, group_id=group.id)
    _create_series(factory, colleague, 3, start=10, group_id=group.id)

    titles, _ = collect(lambda **kw: factory.task_service.list_by_group(me, group.id, **kw), limit=5)
    everything, _ = collect(
        lambda **kw: factory.task_service.list_by_group(make_ctx("admin", me.tenant_id), group.id, **kw), limit=5
    )

    assert titles == mine
    assert len(everything) == 5


def test_given_two_tenants_when_listing_should_never_see_the_other_tenants_tasks(factory, make_ctx) -> None:
    tenant_a = make_ctx("admin")
    tenant_b = make_ctx("admin")
    shared_assignee = new_user_id()
    _create_series(factory, tenant_a, 3, assignee_id=shared_assignee)

    by_status = factory.task_service.list_by_status(tenant_b, "PENDING").data.items
    by_assignee = factory.task_service.list_by_assignee(tenant_b, shared_assignee).data.items

    assert (by_status, by_assignee) == ([], [])


def test_given_a_cursor_of_one_list_when_used_on_another_should_answer_validation_error(factory, make_ctx) -> None:
    ctx = make_ctx("admin")
    _create_series(factory, ctx, 3, assignee_id=ctx.user_id)
    cursor = factory.task_service.list_by_status(ctx, "PENDING", limit=1).data.next_cursor

    reused = factory.task_service.list_by_assignee(ctx, ctx.user_id, limit=1, cursor=cursor)
    foreign = factory.task_service.list_by_status(make_ctx("admin"), "PENDING", limit=1, cursor=cursor)

    assert cursor is not None
    assert reused.error_code is ErrorCode.VALIDATION_ERROR
    assert foreign.error_code is ErrorCode.VALIDATION_ERROR


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda s, ctx: s.list_by_status(ctx, "DONE"), "status"),
        (lambda s, ctx: s.list_by_status(ctx, "pending"), "status"),
        (lambda s, ctx: s.list_by_assignee(ctx, "someone"), "assignee_id"),
        (lambda s, ctx: s.list_by_group(ctx, "g#1"), "group_id"),
        (lambda s, ctx: s.list_by_status(ctx, "PENDING", limit=101), None),
    ],
    ids=["unknown-status", "lowercase-status", "bad-assignee", "bad-group", "limit"],
)
def test_given_bad_list_arguments_when_listing_should_answer_validation_error(factory, make_ctx, call, field) -> None:
    result = call(factory.task_service, make_ctx("member"))

    assert result.error_code is ErrorCode.VALIDATION_ERROR
    if field is not None:
        assert result.error.details[0]["field"] == field


def test_given_an_unknown_group_when_listing_by_group_should_answer_an_empty_page(factory, make_ctx) -> None:
    result = factory.task_service.list_by_group(make_ctx("member"), new_id())

    assert result.success
    assert (result.data.items, result.data.next_cursor) == ([], None)
