"""The Groups routes end to end on moto: HTTP-shaped events in, the real services and table behind."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from events import body_of, claims_for, keys_outside_metadata, make_event

from tenantkit.auth.context import TenantContext
from tenantkit.models.ids import new_id

ITEM = "/groups/{groupId}"
METADATA = {
    "My-Key": 1,
    "address_line_2": "flat 4",
    "addressLine2": "flat 5",
    "nested": {"snake_key": [{"Inner-Key": True, "x_y": None}], "CamelCase": 2.5},
}


@pytest.fixture(autouse=True)
def _quiet_metrics(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENANTKIT_METRICS", "off")


@pytest.fixture
def call(groups_lambda: Any, factory: Any) -> Callable[..., dict[str, Any]]:
    """`call(ctx, method, resource, **event_options)`: one request through the Groups Lambda."""

    def run(ctx: TenantContext, method: str, resource: str, **kw: Any) -> dict[str, Any]:
        event = make_event(method, resource, claims=claims_for(ctx), **kw)
        return groups_lambda(event, None, factory)  # type: ignore[no-any-return]

    return run


def create(call: Callable[..., dict[str, Any]], ctx: TenantContext, **fields: Any) -> dict[str, Any]:
    response = call(ctx, "POST", "/groups", body={"groupType": "team", **fields})
    assert response["statusCode"] == 201, response["body"]
    return body_of(response)["data"]  # type: ignore[no-any-return]


def collect(call: Callable[..., dict[str, Any]], ctx: TenantContext, query: dict[str, str]) -> list[list[str]]:
    """Follow `nextCursor` to the end; the names on each page."""
    pages: list[list[str]] = []
    cursor = None
    while True:
        response = call(ctx, "GET", "/groups", query={**query, **({"cursor": cursor} if cursor else {})})
        assert response["statusCode"] == 200, response["body"]
        data = body_of(response)["data"]
        pages.append([item["name"] for item in data["items"]])
        cursor = data["nextCursor"]
        if cursor is None:
            return pages
        assert len(pages) < 20, "paging does not end"


def test_given_a_member_when_running_the_full_lifecycle_should_answer_each_step_per_the_contract(
    call: Callable[..., dict[str, Any]], make_ctx: Callable[..., TenantContext]
) -> None:
    ctx = make_ctx("member")
    created = create(call, ctx, name="Alpha", description="first", privacySettings={"visibility": "tenant"})
    path = {"groupId": created["id"]}

    fetched = call(ctx, "GET", ITEM, path_params=path)
    patched = call(ctx, "PATCH", ITEM, path_params=path, body={"name": "Beta", "version": 1})
    stale = call(ctx, "PATCH", ITEM, path_params=path, body={"name": "Gamma", "version": 1})
    after_stale = call(ctx, "GET", ITEM, path_params=path)
    deleted = call(ctx, "DELETE", ITEM, path_params=path, query={"version": "2"})
    gone = call(ctx, "GET", ITEM, path_params=path)

    assert created["userId"] == ctx.user_id
    assert created["tenantId"] == ctx.tenant_id
    assert (created["name"], created["groupType"], created["version"]) == ("Alpha", "team", 1)
    assert fetched["statusCode"] == 200
    assert body_of(fetched)["data"] == created
    assert patched["statusCode"] == 200
    patched_data = body_of(patched)["data"]
    assert (patched_data["name"], patched_data["version"], patched_data["description"]) == ("Beta", 2, "first")
    assert stale["statusCode"] == 409
    assert body_of(stale)["error"]["code"] == "CONFLICT"
    assert {"field": "version", "currentVersion": 2} in body_of(stale)["error"]["details"]
    assert body_of(after_stale)["data"]["name"] == "Beta"
    assert deleted["statusCode"] == 200
    assert body_of(deleted)["data"]["id"] == created["id"]
    assert body_of(deleted)["data"]["version"] == 2
    assert gone["statusCode"] == 404
    assert body_of(gone)["error"]["code"] == "NOT_FOUND"


def test_given_a_stale_version_when_deleting_should_answer_409_and_keep_the_group(
    call: Callable[..., dict[str, Any]], make_ctx: Callable[..., TenantContext]
) -> None:
    ctx = make_ctx("member")
    group = create(call, ctx, name="Keep")
    call(ctx, "PATCH", ITEM, path_params={"groupId": group["id"]}, body={"description": "v2"})

    response = call(ctx, "DELETE", ITEM, path_params={"groupId": group["id"]}, query={"version": "1"})

    assert response["statusCode"] == 409
    assert {"field": "version", "currentVersion": 2} in body_of(response)["error"]["details"]
    assert call(ctx, "GET", ITEM, path_params={"groupId": group["id"]})["statusCode"] == 200


def test_given_five_groups_of_a_type_when_paging_by_type_should_return_pages_of_limit_sorted_by_name(
    call: Callable[..., dict[str, Any]], make_ctx: Callable[..., TenantContext]
) -> None:
    ctx = make_ctx("member")
    for name in ("delta", "Alpha", "echo", "charlie", "bravo"):
        create(call, ctx, name=name)
    create(call, ctx, name="other type", groupType="club")

    pages = collect(call, ctx, {"groupType": "team", "limit": "2"})

    assert [len(page) for page in pages] == [2, 2, 1]
    assert [name.lower() for page in pages for name in page] == ["alpha", "bravo", "charlie", "delta", "echo"]


def test_given_groups_when_paging_by_creation_time_should_return_every_group_newest_first(
    call: Callable[..., dict[str, Any]], make_ctx: Callable[..., TenantContext]
) -> None:
    ctx = make_ctx("member")
    ids = [create(call, ctx, name=f"g{i}")["id"] for i in range(5)]

    pages = collect(call, ctx, {"limit": "2"})
    listed = call(ctx, "GET", "/groups", query={"limit": "100"})

    assert len(pages) >= 3
    assert sorted(name for page in pages for name in page) == [f"g{i}" for i in range(5)]
    assert [item["id"] for item in body_of(listed)["data"]["items"]] == list(reversed(ids))


def test_given_a_users_groups_when_paging_by_user_and_type_should_return_only_that_users_groups(
    call: Callable[..., dict[str, Any]], make_ctx: Callable[..., TenantContext]
) -> None:
    me = make_ctx("member")
    colleague = make_ctx("member", tenant_id=me.tenant_id)
    for name in ("c", "a", "b"):
        create(call, me, name=name)
    create(call, colleague, name="theirs", privacySettings={"visibility": "tenant"})

    pages = collect(call, me, {"groupType": "team", "userId": me.user_id, "limit": "2"})

    assert pages == [["a", "b"], ["c"]]


def test_given_private_and_shared_groups_when_a_member_and_an_admin_list_should_see_what_their_role_allows(
    call: Callable[..., dict[str, Any]], make_ctx: Callable[..., TenantContext]
) -> None:
    me = make_ctx("member")
    colleague = make_ctx("member", tenant_id=me.tenant_id)
    admin = make_ctx("admin", tenant_id=me.tenant_id)
    create(call, me, name="mine")
    create(call, colleague, name="shared", privacySettings={"visibility": "tenant"})
    create(call, colleague, name="private")

    member_view = collect(call, me, {"groupType": "team"})
    admin_view = collect(call, admin, {"groupType": "team"})

    assert sorted(n for page in member_view for n in page) == ["mine", "shared"]
    assert sorted(n for page in admin_view for n in page) == ["mine", "private", "shared"]


def test_given_a_client_correlation_id_when_requesting_should_echo_it_in_header_and_error_body(
    call: Callable[..., dict[str, Any]], make_ctx: Callable[..., TenantContext]
) -> None:
    ctx = make_ctx("member")
    group = create(call, ctx, name="A")

    ok = call(ctx, "GET", ITEM, path_params={"groupId": group["id"]}, headers={"X-Correlation-Id": "spa-req:42.a_b-c"})
    missing = call(ctx, "GET", ITEM, path_params={"groupId": new_id()}, headers={"x-correlation-id": "c-9"})

    assert ok["headers"]["X-Correlation-Id"] == "spa-req:42.a_b-c"
    assert missing["headers"]["X-Correlation-Id"] == "c-9"
    assert body_of(missing)["correlationId"] == "c-9"


@pytest.mark.parametrize("bad", ["has spaces", "x" * 129, "<script>", "a\nb"], ids=["space", "long", "html", "newline"])
def test_given_a_malformed_correlation_id_when_requesting_should_use_the_gateway_request_id_instead(
    call: Callable[..., dict[str, Any]], make_ctx: Callable[..., TenantContext], bad: str
) -> None:
    ctx = make_ctx("member")
    event_headers = {"X-Correlation-Id": bad}

    response = call(ctx, "GET", ITEM, path_params={"groupId": "0" * 26}, headers=event_headers)

    assert response["statusCode"] == 404
    echoed = response["headers"]["X-Correlation-Id"]
    assert echoed != bad
    assert echoed == body_of(response)["correlationId"]
    assert len(echoed) == 36


def test_given_responses_of_every_route_when_inspecting_keys_should_find_camel_case_only(
    call: Callable[..., dict[str, Any]], make_ctx: Callable[..., TenantContext]
) -> None:
    ctx = make_ctx("member")
    group = create(call, ctx, name="A", privacySettings={"visibility": "tenant"}, metadata=METADATA)
    path = {"groupId": group["id"]}

    bodies = [
        group,
        body_of(call(ctx, "GET", ITEM, path_params=path)),
        body_of(call(ctx, "GET", "/groups", query={"limit": "1"})),
        body_of(call(ctx, "GET", "/groups", query={"groupType": "team"})),
        body_of(call(ctx, "PATCH", ITEM, path_params=path, body={"version": 7, "name": "B"})),
        body_of(call(ctx, "PATCH", ITEM, path_params=path, body={"iconName": "x"})),
        body_of(call(ctx, "DELETE", ITEM, path_params=path)),
    ]

    for body in bodies:
        snake = {key for key in keys_outside_metadata(body) if "_" in key}
        assert snake == set(), body


def test_given_metadata_with_any_key_spelling_when_round_tripping_should_keep_it_byte_identical(
    call: Callable[..., dict[str, Any]], make_ctx: Callable[..., TenantContext]
) -> None:
    ctx = make_ctx("member")
    expected = json.dumps(METADATA, sort_keys=True)
    group = create(call, ctx, name="A", metadata=METADATA)
    path = {"groupId": group["id"]}

    fetched = body_of(call(ctx, "GET", ITEM, path_params=path))["data"]
    listed = body_of(call(ctx, "GET", "/groups"))["data"]["items"][0]
    renamed = body_of(call(ctx, "PATCH", ITEM, path_params=path, body={"name": "B"}))["data"]
    replaced = body_of(call(ctx, "PATCH", ITEM, path_params=path, body={"metadata": {"new_Key-1": [1, 2]}}))["data"]
    final = body_of(call(ctx, "GET", ITEM, path_params=path))["data"]

    for data in (group, fetched, listed, renamed):
        assert json.dumps(data["metadata"], sort_keys=True) == expected
    assert replaced["metadata"] == {"new_Key-1": [1, 2]}
    assert final["metadata"] == {"new_Key-1": [1, 2]}
    assert final["name"] == "B"


def test_given_a_time_range_when_listing_by_creation_should_include_only_groups_inside_it(
    call: Callable[..., dict[str, Any]], make_ctx: Callable[..., TenantContext]
) -> None:
    ctx = make_ctx("member")
    group = create(call, ctx, name="A")

    inside = call(ctx, "GET", "/groups", query={"createdAfter": "2000-01-01T00:00:00Z"})
    future = call(ctx, "GET", "/groups", query={"createdAfter": "2999-01-01T00:00:00Z"})
    inverted = call(
        ctx, "GET", "/groups", query={"createdAfter": "2020-01-02T00:00:00Z", "createdBefore": "2020-01-01T00:00:00Z"}
    )

    assert [item["id"] for item in body_of(inside)["data"]["items"]] == [group["id"]]
    assert body_of(future)["data"] == {"items": [], "nextCursor": None}
    assert inverted["statusCode"] == 400
    assert body_of(inverted)["error"]["details"][0]["field"] == "createdBefore"
