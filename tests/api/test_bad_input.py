"""Bad requests: the documented status and envelope, nothing internal on the wire, the table untouched."""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from unittest.mock import create_autospec

import pytest
from events import body_of, claims_for, make_event

from tenantkit.auth.context import TenantContext
from tenantkit.models.ids import new_id
from tenantkit.services.factory import ServiceFactory
from tenantkit.services.group_service import GroupService
from tenantkit.store.codec import from_attributes

ITEM = "/groups/{groupId}"
LEAKS = re.compile(
    r"Traceback|File \"|\.py\b|Exception|[A-Z][a-z]+Error\b|RuntimeError|NoneType|<class|botocore|boto3"
    r"|tenantkit\.|\b(?:dict|str|int)\b|object at 0x|secret internals"
)


@pytest.fixture(autouse=True)
def _quiet_metrics(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENANTKIT_METRICS", "off")


@dataclass
class World:
    """A tenant with two members; each owns one private group; a second tenant with one group."""

    me: TenantContext
    colleague: TenantContext
    stranger: TenantContext
    mine: str
    theirs: str
    foreign: str
    cursor: str


def scan(db: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"TableName": os.environ["APP_TABLE_NAME"]}
    while True:
        page = db.client.scan(**kwargs)
        items.extend(from_attributes(raw) for raw in page["Items"])
        if "LastEvaluatedKey" not in page:
            return sorted(items, key=lambda item: (str(item.get("pk")), str(item.get("sk"))))
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


@pytest.fixture
def world(factory: Any, make_ctx: Callable[..., TenantContext]) -> World:
    me = make_ctx("member")
    colleague = make_ctx("member", tenant_id=me.tenant_id)
    stranger = make_ctx("owner")
    groups = factory.group_service
    mine = groups.create(me, {"name": "Mine", "group_type": "team"}).data.id
    groups.create(me, {"name": "Mine 2", "group_type": "team"})
    theirs = groups.create(colleague, {"name": "Theirs", "group_type": "team"}).data.id
    foreign = groups.create(stranger, {"name": "Foreign", "group_type": "team"}).data.id
    cursor = groups.list_by_type(me, "team", limit=1).data.next_cursor
    assert cursor is not None
    return World(me, colleague, stranger, mine, theirs, foreign, cursor)


@pytest.fixture
def send(groups_lambda: Any, factory: Any) -> Callable[..., dict[str, Any]]:
    def run(event: dict[str, Any]) -> dict[str, Any]:
        return groups_lambda(event, None, factory)  # type: ignore[no-any-return]

    return run


def assert_error(response: dict[str, Any], status: int, code: str, field: str | None = None) -> dict[str, Any]:
    """The documented error envelope, with nothing internal in it; returns the parsed body."""
    assert response["statusCode"] == status, response["body"]
    assert response["headers"]["Content-Type"] == "application/json"
    body = body_of(response)
    assert set(body) == {"success", "error", "timestamp", "correlationId"}
    assert body["success"] is False
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]
    assert isinstance(body["error"]["details"], list)
    assert isinstance(body["timestamp"], str)
    assert body["timestamp"].endswith("Z")
    assert isinstance(body["correlationId"], str)
    assert body["correlationId"] == response["headers"]["X-Correlation-Id"]
    assert LEAKS.search(response["body"]) is None, response["body"]
    if field is not None:
        assert field in [detail.get("field") for detail in body["error"]["details"]], body["error"]
    return body  # type: ignore[no-any-return]


def tampered(cursor: str) -> str:
    """The cursor with its payload changed (start key moved) but the old signature kept."""
    version, payload, signature = cursor.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data["k"] = {key: value + "0" for key, value in data["k"].items()}
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    assert forged != payload
    return f"{version}.{forged}.{signature}"


def _post(w: World, claims: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
    return make_event("POST", "/groups", claims=claims or claims_for(w.me), **kw)


def _get(w: World, query: dict[str, str]) -> dict[str, Any]:
    return make_event("GET", "/groups", query=query, claims=claims_for(w.me))


def _item(w: World, method: str, group_id: str, **kw: Any) -> dict[str, Any]:
    return make_event(method, ITEM, path_params={"groupId": group_id}, claims=claims_for(w.me), **kw)


def _claims(w: World, drop: str = "", **changes: str) -> dict[str, Any]:
    claims = {**claims_for(w.me), **changes}
    claims.pop(drop, None)
    return claims


VALID = {"name": "New", "groupType": "team"}
Build = Callable[[World], dict[str, Any]]
Case = tuple[Build, int, str, str | None]


def invalid(build: Build, field: str | None = None) -> Case:
    return (build, 400, "VALIDATION_ERROR", field)


def _list(w: World, **query: str) -> dict[str, Any]:
    return _get(w, query)


def _post_claims(w: World, claims: dict[str, Any]) -> dict[str, Any]:
    return _post(w, body=VALID, claims=claims)


def _foreign_cursor(w: World) -> dict[str, Any]:
    query = {"groupType": "team", "cursor": w.cursor}
    return make_event("GET", "/groups", query=query, claims=claims_for(w.stranger))


CASES: dict[str, Case] = {
    "malformed-json": invalid(lambda w: _post(w, raw_body='{"name": "x",'), "body"),
    "empty-body": invalid(lambda w: _post(w, raw_body=""), "body"),
    "text-plain": (
        lambda w: _post(w, raw_body=json.dumps(VALID), headers={"Content-Type": "text/plain"}),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        None,
    ),
    "no-content-type": (
        lambda w: {**_post(w, raw_body=json.dumps(VALID)), "headers": {"Accept": "*/*"}},
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        None,
    ),
    "oversized": (lambda w: _post(w, body={**VALID, "metadata": {"b": "x" * 65536}}), 413, "PAYLOAD_TOO_LARGE", None),
    "body-on-get": invalid(lambda w: _item(w, "GET", w.mine, body={"name": "x"}), "body"),
    "body-on-delete": invalid(lambda w: _item(w, "DELETE", w.mine, body={"a": 1}), "body"),
    "body-on-list": invalid(lambda w: {**_list(w), "body": "{}"}, "body"),
    "wrong-type": invalid(lambda w: _post(w, body={**VALID, "name": 5}), "name"),
    "wrong-nested-value": invalid(
        lambda w: _post(w, body={**VALID, "privacySettings": {"visibility": "world"}}), "privacySettings.visibility"
    ),
    "unknown-field": invalid(lambda w: _post(w, body={**VALID, "ownerName": "x"}), "ownerName"),
    "tenant-in-body": invalid(lambda w: _post(w, body={**VALID, "tenantId": w.stranger.tenant_id}), "tenantId"),
    "owner-in-body": invalid(lambda w: _item(w, "PATCH", w.mine, body={"userId": w.colleague.user_id}), "userId"),
    "missing-required": invalid(lambda w: _post(w, body={"name": "x"}), "groupType"),
    "empty-patch": invalid(lambda w: _item(w, "PATCH", w.mine, body={})),
    "invalid-id": invalid(lambda w: _item(w, "GET", "not-an-id"), "groupId"),
    "lowercase-id": invalid(lambda w: _item(w, "PATCH", w.mine.lower(), body={"name": "x"}), "groupId"),
    "delimiter-in-id": invalid(lambda w: _item(w, "DELETE", "01ABC#x"), "groupId"),
    "delimiter-in-type-query": invalid(lambda w: _list(w, groupType="team#x"), "groupType"),
    "delimiter-in-type-body": invalid(lambda w: _post(w, body={**VALID, "groupType": "team#"}), "groupType"),
    "limit-zero": invalid(lambda w: _list(w, limit="0"), "limit"),
    "limit-101": invalid(lambda w: _list(w, limit="101"), "limit"),
    "limit-abc": invalid(lambda w: _list(w, limit="abc"), "limit"),
    "unknown-query": invalid(lambda w: _list(w, tenantId=w.stranger.tenant_id), "tenantId"),
    "bad-version-query": invalid(lambda w: _item(w, "DELETE", w.mine, query={"version": "0"}), "version"),
    "cursor-garbage": invalid(lambda w: _list(w, groupType="team", cursor="garbage"), "cursor"),
    "cursor-tampered": invalid(lambda w: _list(w, groupType="team", cursor=tampered(w.cursor)), "cursor"),
    "cursor-other-query": invalid(lambda w: _list(w, groupType="club", cursor=w.cursor), "cursor"),
    "cursor-other-tenant": invalid(_foreign_cursor, "cursor"),
    "duplicate-keys": invalid(lambda w: _post(w, raw_body='{"name": "a", "groupType": "t", "name": "b"}'), "body"),
    "nan": invalid(lambda w: _post(w, raw_body='{"name": NaN, "groupType": "team"}'), "body"),
    "infinity": invalid(lambda w: _post(w, raw_body='{"name": "a", "groupType": "t", "metadata": {"x": -Infinity}}')),
    "array-body": invalid(lambda w: _post(w, body=[VALID])),
    "deep-nesting": invalid(lambda w: _post(w, raw_body="[" * 20_000 + "]" * 20_000)),
    "missing-auth": (lambda w: make_event("POST", "/groups", body=VALID), 401, "UNAUTHORIZED", None),
    "bearer-without-authorizer": (
        lambda w: make_event("GET", "/groups", headers={"Authorization": "Bearer abc.def.ghi"}),
        401,
        "UNAUTHORIZED",
        None,
    ),
    "no-tenant-claim": (lambda w: _post_claims(w, _claims(w, "custom:tenant_id")), 403, "FORBIDDEN", None),
    "unknown-role": (lambda w: _post_claims(w, _claims(w, **{"custom:role": "superuser"})), 403, "FORBIDDEN", None),
    "non-uuid-sub": (lambda w: _post_claims(w, _claims(w, sub="alice")), 401, "UNAUTHORIZED", None),
    "uppercase-sub": (lambda w: _post_claims(w, _claims(w, sub=w.me.user_id.upper())), 401, "UNAUTHORIZED", None),
    "unknown-route": (
        lambda w: make_event("GET", "/groups/{groupId}/x", path_params={"groupId": w.mine}, claims=claims_for(w.me)),
        404,
        "NOT_FOUND",
        None,
    ),
    "unknown-method": (lambda w: _item(w, "PUT", w.mine, body=VALID), 405, "METHOD_NOT_ALLOWED", None),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_given_bad_input_when_requesting_should_answer_the_documented_error_and_leave_the_table_unchanged(
    moto_db: Any, world: World, send: Callable[..., dict[str, Any]], case: str
) -> None:
    build, status, code, field = CASES[case]
    before = scan(moto_db)

    response = send(build(world))

    assert_error(response, status, code, field)
    assert scan(moto_db) == before


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_given_another_members_group_when_a_member_modifies_it_should_answer_403_and_change_nothing(
    moto_db: Any, world: World, send: Callable[..., dict[str, Any]], method: str
) -> None:
    before = scan(moto_db)
    body = {"name": "hijacked"} if method == "PATCH" else None

    response = send(_item(world, method, world.theirs, body=body))

    assert_error(response, 403, "FORBIDDEN")
    assert scan(moto_db) == before


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_given_another_tenants_group_when_addressing_it_by_id_should_answer_exactly_like_a_missing_one(
    moto_db: Any, world: World, send: Callable[..., dict[str, Any]], method: str
) -> None:
    before = scan(moto_db)
    body = {"name": "hijacked"} if method == "PATCH" else None

    foreign = send(_item(world, method, world.foreign, body=body))
    missing = send(_item(world, method, new_id(), body=body))

    foreign_body = assert_error(foreign, 404, "NOT_FOUND")
    missing_body = assert_error(missing, 404, "NOT_FOUND")
    assert foreign_body["error"] == missing_body["error"]
    assert set(foreign["headers"]) == set(missing["headers"])
    assert scan(moto_db) == before


@pytest.mark.parametrize(
    ("method", "resource", "operation", "kw"),
    [
        ("GET", ITEM, "get", {"path_params": {"groupId": "01J0000000000000000000000A"}}),
        ("POST", "/groups", "create", {"body": VALID}),
        ("GET", "/groups", "list_by_created", {}),
    ],
    ids=["get", "create", "list"],
)
def test_given_a_service_that_raises_when_requesting_should_answer_500_without_internals(
    groups_lambda: Any,
    make_ctx: Callable[..., TenantContext],
    method: str,
    resource: str,
    operation: str,
    kw: dict[str, Any],
) -> None:
    services = create_autospec(ServiceFactory, instance=True)
    services.group_service = create_autospec(GroupService, instance=True)
    getattr(services.group_service, operation).side_effect = RuntimeError("secret internals")
    event = make_event(method, resource, claims=claims_for(make_ctx("member")), **kw)

    response = groups_lambda(event, None, services)

    body = assert_error(response, 500, "INTERNAL_ERROR")
    assert "secret internals" not in response["body"]
    assert "RuntimeError" not in response["body"]
    assert body["error"]["details"] == []
    getattr(services.group_service, operation).assert_called_once()


def test_given_a_real_service_that_raises_mid_create_when_posting_should_answer_500_and_write_nothing(
    moto_db: Any, world: World, send: Callable[..., dict[str, Any]], monkeypatch: pytest.MonkeyPatch, factory: Any
) -> None:
    def explode(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(factory.group_service, "authorize_create", explode)
    before = scan(moto_db)

    response = send(_post(world, body=VALID))

    assert_error(response, 500, "INTERNAL_ERROR")
    assert scan(moto_db) == before


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda w: _get(w, {"limit": "²"}), "limit"),
        (lambda w: _item(w, "DELETE", w.mine, query={"version": "²"}), "version"),
    ],
    ids=["limit", "version"],
)
def test_given_a_unicode_superscript_digit_as_integer_query_when_requesting_should_answer_400(
    moto_db: Any, world: World, send: Callable[..., dict[str, Any]], build: Callable[[World], Any], field: str
) -> None:
    before = scan(moto_db)

    response = send(build(world))

    assert_error(response, 400, "VALIDATION_ERROR", field)
    assert scan(moto_db) == before


@pytest.mark.parametrize(
    "body",
    [
        '{"name": "x", "groupType": "team", "metadata": {"tiny": 2.2e-309}}',
        '{"name": "x", "groupType": "team", "metadata": {"huge": 1e200}}',
        '{"name": "x", "groupType": "team", "metadata": {"precise": 123456789012345678901234567890123456789}}',
        '{"name": "x", "groupType": "team", "metadata": {"\\ud800": 1}}',
        '{"name": "\\udfff", "groupType": "team"}',
        '{"name": "x", "groupType": "team", "metadata": ' + "[" * 40 + "]" * 40 + "}",
    ],
    ids=["subnormal", "too-large", "too-precise", "lone-surrogate-key", "lone-surrogate-value", "too-deep"],
)
def test_given_a_value_dynamodb_cannot_store_when_creating_should_answer_400_and_store_nothing(
    groups_lambda, factory, moto_db, make_ctx, body
) -> None:
    ctx = make_ctx("member")
    event = make_event("POST", "/groups", raw_body=body, claims=claims_for(ctx))

    response = groups_lambda(event, None, factory)

    assert response["statusCode"] == 400
    assert json.loads(response["body"])["error"]["code"] == "VALIDATION_ERROR"
    assert moto_db.client.scan(TableName=os.environ["APP_TABLE_NAME"])["Count"] == 0


def test_given_a_snake_case_query_key_when_listing_should_name_it_as_sent(groups_lambda, factory, make_ctx) -> None:
    event = make_event("GET", "/groups", query={"group_type": "team"}, claims=claims_for(make_ctx("member")))

    response = groups_lambda(event, None, factory)

    assert response["statusCode"] == 400
    assert body_of(response)["error"]["details"] == [{"field": "group_type", "message": "is not allowed"}]
