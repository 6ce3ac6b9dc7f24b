"""Writes never lose data: conditional creates, optimistic versions, races, audit in the same transaction."""

from __future__ import annotations

import pytest
from helpers import all_items, audit_records, group_payload, race

from tenantkit.services.result import ErrorCode


def test_given_two_concurrent_updates_of_different_fields_when_both_run_should_both_survive(
    factory, moto_db, make_ctx
) -> None:
    ctx = make_ctx("member")
    service = factory.group_service
    group = service.create(ctx, group_payload()).data

    results = race(
        service,
        [
            lambda: service.update(ctx, group.id, {"description": "from writer one"}),
            lambda: service.update(ctx, group.id, {"color": "#abcdef"}),
        ],
    )

    assert all(r.success for r in results)
    stored = service.get(ctx, group.id).data
    assert (stored.description, stored.color, stored.version) == ("from writer one", "#abcdef", 3)
    assert len(audit_records(moto_db, group.id)) == 3


def test_given_two_concurrent_updates_with_the_same_version_when_both_run_should_let_exactly_one_win(
    factory, moto_db, make_ctx
) -> None:
    ctx = make_ctx("member")
    service = factory.group_service
    group = service.create(ctx, group_payload()).data

    results = race(
        service,
        [
            lambda: service.update(ctx, group.id, {"name": "one", "version": 1}),
            lambda: service.update(ctx, group.id, {"name": "two", "version": 1}),
        ],
    )

    codes = sorted(str(r.error_code) for r in results)
    assert codes == ["CONFLICT", "None"]
    loser = next(r for r in results if not r.success)
    assert loser.error.details == [{"field": "version", "current_version": 2}]
    assert service.get(ctx, group.id).data.version == 2
    assert len(audit_records(moto_db, group.id)) == 2


def test_given_a_stale_version_when_updating_or_deleting_should_answer_conflict_and_change_nothing(
    factory, moto_db, make_ctx
) -> None:
    ctx = make_ctx("member")
    service = factory.group_service
    group = service.create(ctx, group_payload()).data
    service.update(ctx, group.id, {"name": "v2"})
    before = all_items(moto_db)

    stale_update = service.update(ctx, group.id, {"name": "stale"}, version=1)
    stale_delete = service.delete(ctx, group.id, version=1)

    assert stale_update.error_code is ErrorCode.CONFLICT
    assert stale_delete.error_code is ErrorCode.CONFLICT
    assert stale_update.error.details[0]["current_version"] == 2
    assert all_items(moto_db) == before


def test_given_an_existing_id_when_creating_again_should_answer_conflict_and_keep_the_original(
    factory, moto_db, make_ctx
) -> None:
    ctx = make_ctx("member")
    service = factory.group_service
    original = service.create(ctx, group_payload(name="original")).data

    duplicate = service.create(ctx, group_payload(name="impostor", id=original.id))

    assert duplicate.error_code is ErrorCode.CONFLICT
    assert service.get(ctx, original.id).data.name == "original"
    assert len(audit_records(moto_db, original.id)) == 1


def test_given_a_sequence_of_changes_when_each_succeeds_should_record_exactly_one_audit_each(
    factory, moto_db, make_ctx
) -> None:
    ctx = make_ctx("admin")
    service = factory.group_service
    group = service.create(ctx, group_payload(name="a", description="first")).data
    service.update(ctx, group.id, {"name": "b"})
    service.update(ctx, group.id, {"description": "second"}, version=2)
    service.update(ctx, group.id, {"name": "c"}, version=1)  # stale: no audit
    service.delete(ctx, group.id)

    records = sorted(audit_records(moto_db, group.id), key=lambda r: r["id"])

    assert [r["action"] for r in records] == ["create", "update", "update", "delete"]
    assert [r["entity_version"] for r in records] == [1, 2, 3, 3]
    assert records[1]["changed_fields"] == ["name"]
    assert (records[1]["old_values"], records[1]["new_values"]) == ({"name": "a"}, {"name": "b"})
    assert records[2]["old_values"] == {"description": "first"}
    assert all(r["user_id"] == ctx.user_id and r["actor_role"] == "admin" for r in records)
    assert all(r["pk"] == f"tenant#{ctx.tenant_id}#audit" for r in records)


def test_given_the_audit_write_fails_when_changing_should_leave_the_item_untouched(
    factory, moto_db, make_ctx, monkeypatch
) -> None:
    ctx = make_ctx("member")
    service = factory.group_service
    group = service.create(ctx, group_payload(name="before")).data
    taken_audit_id = audit_records(moto_db, group.id)[0]["id"]
    monkeypatch.setattr("tenantkit.models.base.new_id", lambda: taken_audit_id)
    before = all_items(moto_db)

    with pytest.raises(Exception, match="condition failed"):
        service.update(ctx, group.id, {"name": "after"})

    assert all_items(moto_db) == before


def test_given_sensitive_fields_when_audited_should_redact_their_values(
    factory, moto_db, make_ctx, monkeypatch
) -> None:
    from tenantkit.models.group import Group

    monkeypatch.setattr(Group, "SENSITIVE_FIELDS", frozenset({"description"}))
    ctx = make_ctx("member")
    group = factory.group_service.create(ctx, group_payload(description="secret text")).data
    factory.group_service.update(ctx, group.id, {"description": "new secret"})

    records = audit_records(moto_db, group.id)

    text = repr(records)
    assert "secret text" not in text
    assert "new secret" not in text
    assert any("description" in r["changed_fields"] for r in records if r["action"] == "update")
