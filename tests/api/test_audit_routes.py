"""`GET /audit` end to end on moto through `lambdas/audit`: roles, camelCase pages, bad queries and
cursors, immutability (no other method), sensitive values redacted, documents matching the schema."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from events import body_of, claims_for, load_lambda, make_event

from tenantkit.auth.context import TenantContext
from tenantkit.models.audit import AUDIT_SCHEMAS, AuditRecord
from tenantkit.models.ids import epoch_ms, new_id, new_user_id
from tenantkit.models.schema import CompiledSchema
from tenantkit.services.audit_trail import REDACTED
from tenantkit.store.expressions import Put

WIRE_FIELDS = {
    "id",
    "tenantId",
    "userId",
    "actorRole",
    "action",
    "entityType",
    "entityId",
    "changedFields",
    "oldValues",
    "newValues",
    "entityVersion",
    "correlationId",
    "createdUtc",
}


@pytest.fixture(autouse=True)
def _quiet_metrics(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENANTKIT_METRICS", "off")


@pytest.fixture(autouse=True)
def _one_id_per_millisecond(monkeypatch: pytest.MonkeyPatch) -> None:
    """Models mint ids on strictly increasing milliseconds, so newest-first order is deterministic."""
    ticks = itertools.count(epoch_ms("2024-05-01T12:00:00Z"))
    monkeypatch.setattr("tenantkit.models.base.new_id", lambda now_ms=None: new_id(now_ms or next(ticks)))


@pytest.fixture(scope="module")
def audit_lambda() -> Callable[..., dict[str, Any]]:
    return load_lambda("audit")


@pytest.fixture
def call(audit_lambda: Any, factory: Any) -> Callable[..., dict[str, Any]]:
    """`call(ctx, query=None, method="GET", **event_options)`: one request to `/audit`."""

    def run(ctx: TenantContext, query: dict[str, str] | None = None, method: str = "GET", **kw: Any) -> dict[str, Any]:
        event = make_event(method, "/audit", query=query, claims=claims_for(ctx), **kw)
        return audit_lambda(event, None, factory)  # type: ignore[no-any-return]

    return run


@pytest.fixture
def admin(factory: Any, make_ctx: Callable[..., TenantContext]) -> TenantContext:
    """An admin of a tenant with three audited group changes (create, update, delete)."""
    ctx = make_ctx("admin")
    group = factory.group_service.create(ctx, {"name": "Alpha", "group_type": "team"}).data
    assert factory.group_service.update(ctx, group.id, {"name": "Beta"}).success
    assert factory.group_service.delete(ctx, group.id).success
    return ctx


def error_of(response: dict[str, Any]) -> tuple[int, str, list[str]]:
    error = body_of(response)["error"]
    return response["statusCode"], error["code"], [detail.get("field") for detail in error["details"]]


def test_given_an_admin_when_listing_should_answer_a_camel_case_page_and_follow_its_cursor(
    call: Callable[..., dict[str, Any]], admin: TenantContext
) -> None:
    first = call(admin, {"limit": "2"})
    body = body_of(first)
    second = call(admin, {"limit": "2", "cursor": body["data"]["nextCursor"]})

    assert first["statusCode"] == 200
    assert body["success"] is True
    assert set(body) == {"success", "data", "timestamp"}
    assert set(body["data"]) == {"items", "nextCursor"}
    assert [set(item) for item in body["data"]["items"]] == [WIRE_FIELDS, WIRE_FIELDS]
    assert [item["action"] for item in body["data"]["items"]] == ["delete", "update"]
    assert body["data"]["items"][1]["changedFields"] == ["name"]
    assert body["data"]["items"][1]["oldValues"] == {"name": "Alpha"}
    assert body_of(second)["data"]["nextCursor"] is None
    assert [item["action"] for item in body_of(second)["data"]["items"]] == ["create"]


def test_given_an_owner_when_listing_by_entity_should_answer_that_entitys_records(
    call: Callable[..., dict[str, Any]], admin: TenantContext, make_ctx: Callable[..., TenantContext]
) -> None:
    owner = make_ctx("owner", tenant_id=admin.tenant_id)
    entity_id = body_of(call(admin, {"limit": "1"}))["data"]["items"][0]["entityId"]

    response = call(owner, {"entityType": "group", "entityId": entity_id, "createdAfter": "2000-01-01T00:00:00Z"})

    assert response["statusCode"] == 200
    items = body_of(response)["data"]["items"]
    assert [(item["action"], item["entityVersion"]) for item in items] == [("delete", 2), ("update", 2), ("create", 1)]
    assert {item["entityId"] for item in items} == {entity_id}


def test_given_a_member_when_listing_should_answer_403(
    call: Callable[..., dict[str, Any]], admin: TenantContext, make_ctx: Callable[..., TenantContext]
) -> None:
    response = call(make_ctx("member", tenant_id=admin.tenant_id))

    assert error_of(response)[:2] == (403, "FORBIDDEN")
    assert "items" not in response["body"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"entityId": new_id()}, "entityType"),
        ({"entityType": "group", "entityId": "g1"}, "entityId"),
        ({"entityType": "a#b"}, "entityType"),
        ({"createdAfter": "yesterday"}, "createdAfter"),
        ({"createdAfter": "2024-05-02T00:00:00Z", "createdBefore": "2024-05-01T00:00:00Z"}, "createdBefore"),
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"tenantId": new_id()}, "tenantId"),
    ],
    ids=[
        "id-without-type",
        "bad-id",
        "delimiter",
        "bad-time",
        "reversed",
        "limit-0",
        "limit-101",
        "limit-text",
        "tenant",
    ],
)
def test_given_a_bad_query_when_listing_should_answer_400_naming_the_parameter(
    call: Callable[..., dict[str, Any]], admin: TenantContext, query: dict[str, str], field: str
) -> None:
    response = call(admin, query)

    assert error_of(response) == (400, "VALIDATION_ERROR", [field])


def test_given_a_tampered_or_foreign_cursor_when_listing_should_answer_400(
    call: Callable[..., dict[str, Any]], admin: TenantContext, make_ctx: Callable[..., TenantContext]
) -> None:
    cursor = body_of(call(admin, {"limit": "1"}))["data"]["nextCursor"]
    flipped = cursor[:-3] + ("A" if cursor[-3] != "A" else "B") + cursor[-2:]

    responses = [
        call(admin, {"limit": "1", "cursor": flipped}),
        call(admin, {"limit": "1", "cursor": "not-a-cursor"}),
        call(admin, {"limit": "1", "cursor": cursor, "entityType": "group"}),
        call(make_ctx("admin"), {"limit": "1", "cursor": cursor}),
    ]

    assert [error_of(response) for response in responses] == [(400, "VALIDATION_ERROR", ["cursor"])] * 4


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_given_any_method_but_get_when_calling_audit_should_answer_405_and_change_nothing(
    call: Callable[..., dict[str, Any]], admin: TenantContext, make_ctx: Callable[..., TenantContext], method: str
) -> None:
    owner = make_ctx("owner", tenant_id=admin.tenant_id)
    before = body_of(call(admin))["data"]
    body = {"action": "delete"} if method != "DELETE" else None

    response = call(owner, method=method, body=body)

    assert error_of(response)[:2] == (405, "METHOD_NOT_ALLOWED")
    assert response["headers"]["Allow"] == "GET"
    assert body_of(call(admin))["data"] == before


def test_given_sensitive_group_fields_when_reading_through_the_api_should_never_show_their_values(
    call: Callable[..., dict[str, Any]], factory: Any, make_ctx: Callable[..., TenantContext], monkeypatch: Any
) -> None:
    from tenantkit.models.group import Group

    monkeypatch.setattr(Group, "SENSITIVE_FIELDS", frozenset({"description"}))
    admin = make_ctx("admin")
    group = factory.group_service.create(admin, {"name": "A", "group_type": "team", "description": "secret one"}).data
    factory.group_service.update(admin, group.id, {"description": "secret two"})

    response = call(admin, {"entityType": "group", "entityId": group.id})

    assert response["statusCode"] == 200
    assert "secret" not in response["body"]
    by_action = {item["action"]: item for item in body_of(response)["data"]["items"]}
    assert by_action["update"]["oldValues"] == {"description": REDACTED}
    assert by_action["update"]["newValues"] == {"description": REDACTED}
    assert by_action["create"]["newValues"]["description"] == REDACTED


def test_given_group_and_user_records_when_listed_should_match_the_documented_response_schema(
    call: Callable[..., dict[str, Any]], factory: Any, admin: TenantContext
) -> None:
    record = AuditRecord(admin.tenant_id, admin.user_id)
    record.actor_role, record.action, record.entity_type = "admin", "update", "user"
    record.entity_id = new_user_id()
    record.changed_fields, record.old_values, record.new_values = ["role"], {"role": "member"}, {"role": "admin"}
    factory.table("audit").for_tenant(admin.tenant_id).write([Put(record.to_item())])
    schema = CompiledSchema(AUDIT_SCHEMAS.wire("document"))

    items = body_of(call(admin))["data"]["items"]

    assert {item["entityType"] for item in items} == {"group", "user"}
    assert [schema.errors(item) for item in items] == [[]] * len(items)


def test_given_a_changed_group_when_reading_its_audit_should_name_changed_fields_in_camel_case(
    call, factory, make_ctx
) -> None:
    admin = make_ctx("admin")
    group = factory.group_service.create(admin, {"name": "a", "group_type": "team"}).data
    factory.group_service.update(admin, group.id, {"group_type": "club"})

    page = body_of(call(admin, {"entityType": "group", "entityId": group.id}))["data"]

    update = next(item for item in page["items"] if item["action"] == "update")
    assert update["changedFields"] == ["groupType"]
    assert update["oldValues"] == {"groupType": "team"}
    assert update["newValues"] == {"groupType": "club"}
