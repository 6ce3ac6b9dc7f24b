"""AuditService on moto: newest first across pages, entity and type filters, inclusive time ranges,
admin-only, tenant-bound cursors, no write method, sensitive values never shown."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from helpers import group_payload

from tenantkit.models import ids
from tenantkit.models.audit import AuditRecord
from tenantkit.models.ids import iso_utc, new_id, new_user_id, ulid_time_ms
from tenantkit.services.audit_service import AuditService
from tenantkit.services.audit_trail import REDACTED
from tenantkit.services.base import TenantResourceService
from tenantkit.services.result import ErrorCode
from tenantkit.store.expressions import Put

START_MS = ids.epoch_ms("2024-05-01T12:00:00Z")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Models mint their ids one second apart from START_MS, so creation order and times are known."""
    ticks = itertools.count()

    def mint(now_ms: int | None = None) -> str:
        return ids.new_id(START_MS + 1000 * next(ticks) if now_ms is None else now_ms)

    monkeypatch.setattr("tenantkit.models.base.new_id", mint)


def at(millis: int) -> str:
    """The ISO-8601 instant of `millis` since the epoch (exact to the millisecond)."""
    return iso_utc(dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(milliseconds=millis))


def put_record(factory: Any, tenant_id: str, millis: int, entity_type: str = "task", entity_id: str = "") -> str:
    """Write one audit record minted at `millis` straight to the table; its id."""
    record = AuditRecord(tenant_id, new_user_id())
    record.id = new_id(now_ms=millis)
    record.actor_role, record.action = "admin", "create"
    record.entity_type, record.entity_id = entity_type, entity_id or new_id()
    factory.table("audit").for_tenant(tenant_id).write([Put(record.to_item())])
    return record.id


def collect(factory: Any, ctx: Any, limit: int, **filters: Any) -> list[list[AuditRecord]]:
    """Follow cursors to the end; the records of each page."""
    pages: list[list[AuditRecord]] = []
    cursor = None
    while True:
        result = factory.audit_service.list(ctx, limit=limit, cursor=cursor, **filters)
        assert result.success, result.error
        pages.append(result.data.items)
        cursor = result.data.next_cursor
        if cursor is None:
            return pages
        assert len(pages) < 50, "paging does not end"


def changes(factory: Any, admin: Any) -> list[str]:
    """Three groups created by an admin, the first renamed, the second deleted; the group ids."""
    service = factory.group_service
    groups = [service.create(admin, group_payload(name=f"G{n}")).data for n in range(3)]
    assert service.update(admin, groups[0].id, {"name": "G0 renamed"}).success
    assert service.delete(admin, groups[1].id).success
    return [group.id for group in groups]


def test_given_group_changes_when_paging_by_two_should_return_every_record_newest_first(
    factory, make_ctx, clock
) -> None:
    admin = make_ctx("admin")
    changes(factory, admin)

    pages = collect(factory, admin, limit=2)

    records = [record for page in pages for record in page]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert [r.action for r in records] == ["delete", "update", "create", "create", "create"]
    assert [r.id for r in records] == sorted((r.id for r in records), reverse=True)
    assert {(r.tenant_id, r.user_id, r.actor_role, r.entity_type) for r in records} == {
        (admin.tenant_id, admin.user_id, "admin", "group")
    }


def test_given_several_groups_when_filtering_by_type_and_id_should_return_exactly_that_groups_records_in_order(
    factory, make_ctx, clock
) -> None:
    admin = make_ctx("admin")
    first, _, _ = changes(factory, admin)
    assert factory.group_service.update(admin, first, {"description": "again"}).success

    pages = collect(factory, admin, limit=2, entity_type="group", entity_id=first)

    records = [record for page in pages for record in page]
    assert [(r.action, r.entity_version) for r in records] == [("update", 3), ("update", 2), ("create", 1)]
    assert {r.entity_id for r in records} == {first}
    assert records[1].old_values == {"name": "G0"}
    assert records[1].new_values == {"name": "G0 renamed"}
    assert records[1].changed_fields == ["name"]


def test_given_records_of_two_entity_types_when_filtering_by_type_only_should_return_full_pages_of_that_type(
    factory, make_ctx, clock
) -> None:
    admin = make_ctx("admin")
    group_ids = changes(factory, admin)
    tasks = [put_record(factory, admin.tenant_id, START_MS + 500 + 1000 * n) for n in range(6)]

    group_pages = collect(factory, admin, limit=2, entity_type="group")
    task_pages = collect(factory, admin, limit=4, entity_type="task")

    assert [len(page) for page in group_pages] == [2, 2, 1]
    assert {r.entity_id for page in group_pages for r in page} == set(group_ids)
    assert [len(page) for page in task_pages] == [4, 2]
    assert [r.id for page in task_pages for r in page] == list(reversed(tasks))


def test_given_records_at_known_times_when_listing_a_range_should_include_both_bounds_and_nothing_outside(
    factory, make_ctx
) -> None:
    admin = make_ctx("admin")
    made = {n: put_record(factory, admin.tenant_id, START_MS + 1000 * n) for n in range(5)}

    def listed(**span: str) -> list[str]:
        return [r.id for page in collect(factory, admin, limit=2, **span) for r in page]

    assert listed(created_after=at(START_MS + 1000), created_before=at(START_MS + 3000)) == [made[3], made[2], made[1]]
    assert listed(created_after=at(START_MS + 1001), created_before=at(START_MS + 2999)) == [made[2]]
    assert listed(created_after=at(START_MS + 3000)) == [made[4], made[3]]
    assert listed(created_before=at(START_MS + 1000)) == [made[1], made[0]]
    assert listed(created_after=at(START_MS + 2000), created_before=at(START_MS + 2000)) == [made[2]]
    assert listed(created_after="2024-05-01T14:00:01+02:00", created_before="2024-05-01T12:00:02Z") == [
        made[2],
        made[1],
    ]
    assert listed(created_before="1969-12-31T23:59:59Z") == []
    assert listed(created_after="1969-01-01T00:00:00Z") == [made[n] for n in (4, 3, 2, 1, 0)]


def test_given_one_entitys_records_when_listing_a_range_of_it_should_use_both_filters(factory, make_ctx) -> None:
    admin = make_ctx("admin")
    entity = new_id()
    mine = [put_record(factory, admin.tenant_id, START_MS + 1000 * n, "task", entity) for n in range(4)]
    put_record(factory, admin.tenant_id, START_MS + 1500, "task")

    result = factory.audit_service.list(
        admin, "task", entity, created_after=at(START_MS + 1000), created_before=at(START_MS + 2000)
    )

    assert [r.id for r in result.data.items] == [mine[2], mine[1]]
    assert [ulid_time_ms(r.id) - START_MS for r in result.data.items] == [2000, 1000]


def test_given_a_user_entity_when_filtering_by_its_user_id_should_return_its_records(factory, make_ctx) -> None:
    admin = make_ctx("admin")
    user_id = new_user_id()
    record_id = put_record(factory, admin.tenant_id, START_MS, "user", user_id)

    result = factory.audit_service.list(admin, entity_type="user", entity_id=user_id)

    assert [r.id for r in result.data.items] == [record_id]


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"entity_id": "01HF7YAT3V0000000000000000"}, "entity_type"),
        ({"entity_type": "group", "entity_id": "not-an-id"}, "entity_id"),
        ({"entity_type": "group#x"}, "entity_type"),
        ({"entity_type": ""}, "entity_type"),
        ({"created_after": "yesterday"}, "created_after"),
        ({"created_before": "2024-13-01T00:00:00Z"}, "created_before"),
        ({"created_after": "2024-05-02T00:00:00Z", "created_before": "2024-05-01T00:00:00Z"}, "created_before"),
    ],
    ids=["id-without-type", "bad-id", "type-with-delimiter", "empty-type", "bad-after", "bad-before", "reversed"],
)
def test_given_bad_filters_when_listing_should_answer_validation_error_naming_the_field(
    factory, make_ctx, filters: dict[str, str], field: str
) -> None:
    result = factory.audit_service.list(make_ctx("admin"), **filters)

    assert result.error_code is ErrorCode.VALIDATION_ERROR
    assert [detail["field"] for detail in result.error.details] == [field]


def test_given_a_bad_limit_when_listing_should_answer_validation_error(factory, make_ctx) -> None:
    result = factory.audit_service.list(make_ctx("admin"), limit=101)

    assert result.error_code is ErrorCode.VALIDATION_ERROR


@pytest.mark.parametrize(("role", "allowed"), [("member", False), ("admin", True), ("owner", True)])
def test_given_a_role_when_listing_should_allow_only_admins_and_owners(
    factory, make_ctx, role: str, allowed: bool
) -> None:
    admin = make_ctx("admin")
    changes(factory, admin)

    result = factory.audit_service.list(make_ctx(role, tenant_id=admin.tenant_id))

    assert result.success is allowed
    if not allowed:
        assert result.error_code is ErrorCode.FORBIDDEN


def test_given_tenant_a_changes_when_tenant_b_lists_should_see_none_and_refuse_a_cursor(factory, make_ctx) -> None:
    a_admin, b_admin = make_ctx("admin"), make_ctx("admin")
    group_ids = changes(factory, a_admin)
    changes(factory, b_admin)
    cursor = factory.audit_service.list(a_admin, limit=1).data.next_cursor

    b_records = [r for page in collect(factory, b_admin, limit=2) for r in page]
    b_entity = factory.audit_service.list(b_admin, entity_type="group", entity_id=group_ids[0])
    b_with_a_cursor = factory.audit_service.list(b_admin, limit=1, cursor=cursor)

    assert len(b_records) == 5
    assert {r.tenant_id for r in b_records} == {b_admin.tenant_id}
    assert not {r.entity_id for r in b_records} & set(group_ids)
    assert b_entity.success
    assert b_entity.data.items == []
    assert b_with_a_cursor.error_code is ErrorCode.VALIDATION_ERROR
    assert b_with_a_cursor.error.details == [{"field": "cursor", "message": "is invalid"}]


def test_given_a_cursor_of_one_query_when_used_with_other_filters_should_answer_validation_error(
    factory, make_ctx
) -> None:
    admin = make_ctx("admin")
    changes(factory, admin)
    cursor = factory.audit_service.list(admin, limit=1).data.next_cursor

    same = factory.audit_service.list(admin, limit=1, cursor=cursor)
    filtered = factory.audit_service.list(admin, entity_type="group", limit=1, cursor=cursor)
    ranged = factory.audit_service.list(admin, created_after="2000-01-01T00:00:00Z", limit=1, cursor=cursor)

    assert same.success
    assert filtered.error_code is ErrorCode.VALIDATION_ERROR
    assert ranged.error_code is ErrorCode.VALIDATION_ERROR


def test_given_the_audit_service_when_inspected_should_offer_no_way_to_write(factory) -> None:
    writers = {"create", "update", "delete", "put", "write", "save", "remove", "purge", "batch_write"}

    service = factory.audit_service

    assert not issubclass(AuditService, TenantResourceService)
    assert {name for name in writers if hasattr(service, name)} == set()
    assert [name for name in dir(service) if not name.startswith("_") and callable(getattr(service, name))] == [
        "list",
        "view",
    ]


def test_given_sensitive_group_fields_when_reading_the_trail_should_show_names_but_never_values(
    factory, make_ctx, monkeypatch, clock
) -> None:
    from tenantkit.models.group import Group

    monkeypatch.setattr(Group, "SENSITIVE_FIELDS", frozenset({"description"}))
    admin = make_ctx("admin")
    group = factory.group_service.create(admin, group_payload(description="secret text")).data
    factory.group_service.update(admin, group.id, {"description": "new secret", "name": "Visible"})
    factory.group_service.delete(admin, group.id)

    records = factory.audit_service.list(admin, entity_type="group", entity_id=group.id).data.items

    assert [r.action for r in records] == ["delete", "update", "create"]
    assert "secret" not in repr([r.to_public_dict() for r in records])
    assert records[1].old_values == {"description": REDACTED, "name": "Alpha"}
    assert records[1].new_values == {"description": REDACTED, "name": "Visible"}
    assert records[2].new_values["description"] == REDACTED
    assert records[0].old_values["description"] == REDACTED
