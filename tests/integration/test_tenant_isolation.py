"""Tenancy is structural: another tenant's groups are unreachable, whatever the id or cursor."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import all_items, group_payload

from tenantkit.models.ids import new_id
from tenantkit.services.result import ErrorCode
from tenantkit.store.errors import TenantBoundaryError
from tenantkit.store.query import KeyQuery, begins_with


@pytest.fixture
def two_tenants(factory: Any, make_ctx: Any) -> tuple[Any, Any, list[Any]]:
    """Tenant A's admin with 20 groups (half shared), and tenant B's admin."""
    a_admin, b_admin = make_ctx("admin"), make_ctx("admin")
    groups = [
        factory.group_service.create(
            a_admin, group_payload(name=f"A{n:02d}", privacy_settings={"visibility": "tenant" if n % 2 else "private"})
        ).data
        for n in range(20)
    ]
    return a_admin, b_admin, groups


def test_given_tenant_a_groups_when_tenant_b_reads_updates_or_deletes_them_should_answer_not_found(
    factory, moto_db, two_tenants
) -> None:
    _, b_admin, groups = two_tenants
    before = all_items(moto_db)

    outcomes = []
    for group in groups[:5]:
        outcomes.append(factory.group_service.get(b_admin, group.id).error_code)
        outcomes.append(factory.group_service.update(b_admin, group.id, {"name": "pwned"}).error_code)
        outcomes.append(factory.group_service.update(b_admin, group.id, {"name": "x", "version": 1}).error_code)
        outcomes.append(factory.group_service.delete(b_admin, group.id).error_code)

    assert set(outcomes) == {ErrorCode.NOT_FOUND}
    assert all_items(moto_db) == before


def test_given_tenant_a_groups_when_tenant_b_lists_every_pattern_should_see_nothing(factory, two_tenants) -> None:
    a_admin, b_admin, _ = two_tenants
    service = factory.group_service

    results = [
        service.list_by_type(b_admin, "team"),
        service.list_by_created(b_admin),
        service.list_by_user_and_type(b_admin, a_admin.user_id, "team"),
    ]

    assert all(r.success and r.data.items == [] and r.data.next_cursor is None for r in results)


def test_given_guessed_ids_when_tenant_b_probes_should_answer_not_found_without_reading_a(factory, two_tenants) -> None:
    _, b_admin, groups = two_tenants
    guesses = [new_id() for _ in range(10)] + [g.id for g in groups]

    codes = {factory.group_service.get(b_admin, guess).error_code for guess in guesses}

    assert codes == {ErrorCode.NOT_FOUND}


@pytest.mark.parametrize(
    "forged_id",
    ["x#group#1", "01M80JZQZNCNEFY1FHMSSS7Q03#tenant#T", "", "tenant#A", "01m80jzqzncnefy1fhmsss7q03", "a" * 300],
)
def test_given_an_id_with_the_delimiter_or_bad_format_when_used_should_answer_validation_error(
    factory, two_tenants, forged_id
) -> None:
    _, b_admin, _ = two_tenants

    results = [
        factory.group_service.get(b_admin, forged_id),
        factory.group_service.update(b_admin, forged_id, {"name": "x"}),
        factory.group_service.delete(b_admin, forged_id),
    ]

    assert {r.error_code for r in results} == {ErrorCode.VALIDATION_ERROR}


def test_given_a_delimiter_in_group_type_when_listing_should_answer_validation_error(factory, two_tenants) -> None:
    a_admin, _, _ = two_tenants

    result = factory.group_service.list_by_type(a_admin, "team#type#x")

    assert result.error_code is ErrorCode.VALIDATION_ERROR


def test_given_a_cursor_from_tenant_a_when_tenant_b_uses_it_should_answer_validation_error(
    factory, two_tenants
) -> None:
    a_admin, b_admin, _ = two_tenants
    cursor = factory.group_service.list_by_type(a_admin, "team", limit=3).data.next_cursor

    result = factory.group_service.list_by_type(b_admin, "team", limit=3, cursor=cursor)

    assert cursor is not None
    assert result.error_code is ErrorCode.VALIDATION_ERROR


def test_given_a_cursor_of_one_query_when_used_on_another_should_answer_validation_error(factory, two_tenants) -> None:
    a_admin, _, _ = two_tenants
    cursor = factory.group_service.list_by_type(a_admin, "team", limit=3).data.next_cursor

    other_type = factory.group_service.list_by_type(a_admin, "club", cursor=cursor)
    other_pattern = factory.group_service.list_by_created(a_admin, cursor=cursor)

    assert other_type.error_code is ErrorCode.VALIDATION_ERROR
    assert other_pattern.error_code is ErrorCode.VALIDATION_ERROR


def test_given_a_tampered_cursor_when_listing_should_answer_validation_error(factory, two_tenants) -> None:
    a_admin, _, _ = two_tenants
    cursor = factory.group_service.list_by_type(a_admin, "team", limit=3).data.next_cursor
    head, payload, signature = cursor.split(".")
    tampered = [
        f"{head}.{payload[:-2]}{'A' if payload[-2] != 'A' else 'B'}{payload[-1]}.{signature}",
        f"{head}.{payload}.{signature[::-1]}",
        "not-a-cursor",
    ]

    codes = {factory.group_service.list_by_type(a_admin, "team", cursor=c).error_code for c in tampered}

    assert codes == {ErrorCode.VALIDATION_ERROR}


def test_given_tenants_t1_and_t10_when_t1_queries_should_never_see_t10_items(factory) -> None:
    table = factory.table("groups")
    t1, t10 = table.for_tenant("t1"), table.for_tenant("t10")
    from tenantkit.store.expressions import Put

    t10.write([Put({"pk": "tenant#t10#note", "sk": "note#1", "model_name": "note"})])
    t1.write([Put({"pk": "tenant#t1#note", "sk": "note#1", "model_name": "note"})])
    query = KeyQuery("pk", "tenant#t1#note", "sk", begins_with("note#"), ascending=True)

    page = t1.query(query)

    assert [item["pk"] for item in page.items] == ["tenant#t1#note"]
    with pytest.raises(TenantBoundaryError):
        t1.query(KeyQuery("pk", "tenant#t10#note", "sk", begins_with("note#")))
    with pytest.raises(TenantBoundaryError):
        t1.get({"pk": "tenant#t10#note", "sk": "note#1"})
    with pytest.raises(TenantBoundaryError):
        t1.write([Put({"pk": "tenant#t10#x", "sk": "x"})])
    with pytest.raises(TenantBoundaryError):
        t1.write([Put({"pk": "tenant#t1#x", "sk": "x", "gsi2_pk": "tenant#t10#x"})])


def test_given_a_member_when_reading_another_members_private_group_should_answer_forbidden(factory, make_ctx) -> None:
    owner = make_ctx("member")
    other = make_ctx("member", tenant_id=owner.tenant_id)
    private = factory.group_service.create(owner, group_payload(name="mine")).data
    shared = factory.group_service.create(
        owner, group_payload(name="ours", privacy_settings={"visibility": "tenant"})
    ).data

    results = {
        "read private": factory.group_service.get(other, private.id).error_code,
        "read shared": factory.group_service.get(other, shared.id).error_code,
        "update shared": factory.group_service.update(other, shared.id, {"name": "x"}).error_code,
        "delete shared": factory.group_service.delete(other, shared.id).error_code,
        "list theirs": factory.group_service.list_by_user_and_type(other, owner.user_id, "team").error_code,
    }

    assert results == {
        "read private": ErrorCode.FORBIDDEN,
        "read shared": None,
        "update shared": ErrorCode.FORBIDDEN,
        "delete shared": ErrorCode.FORBIDDEN,
        "list theirs": ErrorCode.FORBIDDEN,
    }


def test_given_an_admin_when_modifying_a_members_group_should_succeed(factory, make_ctx) -> None:
    member = make_ctx("member")
    admin = make_ctx("admin", tenant_id=member.tenant_id)
    group = factory.group_service.create(member, group_payload()).data

    updated = factory.group_service.update(admin, group.id, {"description": "moderated"})
    deleted = factory.group_service.delete(admin, group.id)

    assert updated.success
    assert deleted.success


def test_given_a_member_when_listing_tenant_wide_should_get_full_pages_of_own_and_shared_only(
    factory, make_ctx, two_tenants
) -> None:
    a_admin, _, groups = two_tenants
    member = make_ctx("member", tenant_id=a_admin.tenant_id)
    own = factory.group_service.create(member, group_payload(name="A99 mine")).data
    expected = [g.name for g in groups if g.visibility == "tenant"] + [own.name]

    first = factory.group_service.list_by_type(member, "team", limit=4).data
    names, cursor = [g.name for g in first.items], first.next_cursor
    while cursor:
        page = factory.group_service.list_by_type(member, "team", limit=4, cursor=cursor).data
        assert len(page.items) == 4 or page.next_cursor is None
        names += [g.name for g in page.items]
        cursor = page.next_cursor

    assert len(first.items) == 4
    assert names == sorted(expected, key=str.casefold)
