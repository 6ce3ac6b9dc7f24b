"""GroupService on moto: CRUD, the three list patterns, paging through several pages."""

from __future__ import annotations

from typing import Any

from helpers import audit_records, group_payload

from tenantkit.models.ids import iso_utc, new_id, utc_now
from tenantkit.services.result import ErrorCode


def _collect(list_call: Any, limit: int) -> tuple[list[str], int]:
    """Follow cursors to the end; the names seen in order and the number of pages."""
    names: list[str] = []
    cursor = None
    pages = 0
    while True:
        result = list_call(limit=limit, cursor=cursor)
        assert result.success, result.error
        pages += 1
        names.extend(group.name for group in result.data.items)
        cursor = result.data.next_cursor
        if cursor is None:
            return names, pages


def test_given_a_valid_payload_when_creating_should_store_the_group_owned_by_the_caller(factory, make_ctx) -> None:
    ctx = make_ctx("member")

    result = factory.group_service.create(ctx, group_payload(description="d", metadata={"My-Key": "v"}))

    assert result.success
    assert result.http_status == 201
    stored = factory.group_service.get(ctx, result.data.id).data
    assert stored.user_id == ctx.user_id
    assert stored.tenant_id == ctx.tenant_id
    assert stored.metadata == {"My-Key": "v"}
    assert stored.version == 1
    assert stored.privacy_settings == {"visibility": "private"}


def test_given_a_group_when_updating_fields_should_bump_version_and_keep_other_fields(factory, make_ctx) -> None:
    ctx = make_ctx("member")
    group = factory.group_service.create(ctx, group_payload(description="keep me")).data

    result = factory.group_service.update(ctx, group.id, {"name": "Renamed", "group_type": "club"})

    assert result.success
    stored = factory.group_service.get(ctx, group.id).data
    assert (stored.name, stored.group_type, stored.description, stored.version) == ("Renamed", "club", "keep me", 2)
    by_new_type = factory.group_service.list_by_type(ctx, "club").data.items
    by_old_type = factory.group_service.list_by_type(ctx, "team").data.items
    assert [g.id for g in by_new_type] == [group.id]
    assert by_old_type == []


def test_given_a_group_when_deleting_should_remove_it_and_answer_not_found_after(factory, make_ctx) -> None:
    ctx = make_ctx("member")
    group = factory.group_service.create(ctx, group_payload()).data

    deleted = factory.group_service.delete(ctx, group.id)

    assert deleted.success
    assert deleted.data.id == group.id
    assert factory.group_service.get(ctx, group.id).error_code is ErrorCode.NOT_FOUND
    assert factory.group_service.delete(ctx, group.id).error_code is ErrorCode.NOT_FOUND


def test_given_an_unchanged_update_when_applied_should_not_write_or_audit(factory, moto_db, make_ctx) -> None:
    ctx = make_ctx("member")
    group = factory.group_service.create(ctx, group_payload(name="Same")).data

    result = factory.group_service.update(ctx, group.id, {"name": "Same"})

    assert result.success
    assert result.data.version == 1
    assert len(audit_records(moto_db, group.id)) == 1


def test_given_many_groups_when_listing_by_type_should_page_through_all_sorted_by_name(factory, make_ctx) -> None:
    ctx = make_ctx("admin")
    names = [f"group {n:02d}" for n in range(23)]
    for name in reversed(names):
        factory.group_service.create(ctx, group_payload(name=name))
    factory.group_service.create(ctx, group_payload(name="other type", group_type="club"))

    seen, pages = _collect(lambda **kw: factory.group_service.list_by_type(ctx, "team", **kw), limit=5)

    assert seen == names
    assert pages == 5


def test_given_groups_of_two_users_when_listing_by_user_and_type_should_return_only_that_users(
    factory, make_ctx
) -> None:
    alice = make_ctx("member")
    bob = make_ctx("member", tenant_id=alice.tenant_id)
    for n in range(7):
        factory.group_service.create(alice, group_payload(name=f"A{n}"))
        factory.group_service.create(bob, group_payload(name=f"B{n}"))

    seen, pages = _collect(
        lambda **kw: factory.group_service.list_by_user_and_type(alice, alice.user_id, "team", **kw), limit=3
    )

    assert seen == [f"A{n}" for n in range(7)]
    assert pages == 3


def test_given_names_in_mixed_case_when_listing_should_sort_case_insensitively(factory, make_ctx) -> None:
    ctx = make_ctx("admin")
    for name in ("beta", "Alpha", "gamma", "Delta"):
        factory.group_service.create(ctx, group_payload(name=name))

    items = factory.group_service.list_by_type(ctx, "team").data.items

    assert [g.name for g in items] == ["Alpha", "beta", "Delta", "gamma"]


def test_given_groups_created_over_time_when_listing_by_created_should_go_newest_first_within_range(
    factory, make_ctx
) -> None:
    ctx = make_ctx("admin")
    base = 1_767_225_600_000  # 2026-01-01T00:00:00Z
    for day in range(10):
        payload = group_payload(name=f"day {day}", id=new_id(now_ms=base + day * 86_400_000))
        created = factory.group_service.create(ctx, payload).data
        _backdate(factory, ctx, created.id, base + day * 86_400_000)
    after = "2026-01-03T00:00:00Z"
    before = "2026-01-07T00:00:00Z"

    everything, _ = _collect(lambda **kw: factory.group_service.list_by_created(ctx, **kw), limit=4)
    ranged, pages = _collect(
        lambda **kw: factory.group_service.list_by_created(ctx, created_after=after, created_before=before, **kw),
        limit=2,
    )

    assert everything == [f"day {d}" for d in reversed(range(10))]
    assert ranged == ["day 6", "day 5", "day 4", "day 3", "day 2"]
    assert pages == 3


def test_given_an_open_ended_range_when_listing_by_created_should_honour_the_one_bound(factory, make_ctx) -> None:
    ctx = make_ctx("admin")
    base = 1_767_225_600_000
    for day in range(4):
        created = factory.group_service.create(ctx, group_payload(name=f"day {day}")).data
        _backdate(factory, ctx, created.id, base + day * 86_400_000)

    newer = factory.group_service.list_by_created(ctx, created_after="2026-01-03T00:00:00Z").data.items
    older = factory.group_service.list_by_created(ctx, created_before="2026-01-02T00:00:00Z").data.items

    assert [g.name for g in newer] == ["day 3", "day 2"]
    assert [g.name for g in older] == ["day 1", "day 0"]


def test_given_a_malformed_range_when_listing_by_created_should_answer_validation_error(factory, make_ctx) -> None:
    ctx = make_ctx("admin")

    bad_date = factory.group_service.list_by_created(ctx, created_after="yesterday")
    reversed_range = factory.group_service.list_by_created(
        ctx, created_after="2026-02-01T00:00:00Z", created_before="2026-01-01T00:00:00Z"
    )

    assert bad_date.error_code is ErrorCode.VALIDATION_ERROR
    assert reversed_range.error_code is ErrorCode.VALIDATION_ERROR


def test_given_a_limit_out_of_range_when_listing_should_answer_validation_error(factory, make_ctx) -> None:
    ctx = make_ctx("admin")

    results = [factory.group_service.list_by_type(ctx, "team", limit=limit) for limit in (0, 101)]

    assert [r.error_code for r in results] == [ErrorCode.VALIDATION_ERROR] * 2


def _backdate(factory: Any, ctx: Any, group_id: str, millis: int) -> None:
    """Move a group's creation time (and so its gsi3 key) into the past, as if created then."""
    import datetime as dt

    from tenantkit.models.group import Group
    from tenantkit.store.expressions import Update

    group = Group.from_item(factory.group_service.view(ctx).get(_key(ctx, group_id)))
    group.created_utc = iso_utc(dt.datetime.fromtimestamp(millis / 1000, dt.UTC))
    attributes = group.index_attributes()
    factory.group_service.view(ctx).write(
        [Update(group.key(), {"created_utc": group.created_utc, "gsi3_sk": attributes["gsi3_sk"]})]
    )
    assert utc_now()


def _key(ctx: Any, group_id: str) -> dict[str, str]:
    from tenantkit.models.group import Group

    probe = Group(ctx.tenant_id, ctx.user_id)
    probe.id = group_id
    return probe.key()


def test_given_a_number_dynamodb_cannot_store_when_creating_through_the_service_should_answer_validation_error(
    factory, moto_db, make_ctx
) -> None:
    ctx = make_ctx("member")

    result = factory.group_service.create(ctx, group_payload(metadata={"tiny": 2.2e-309}))

    assert result.error_code is ErrorCode.VALIDATION_ERROR
    assert audit_records(moto_db) == []
