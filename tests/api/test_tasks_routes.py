"""The Tasks routes end to end on moto: API Gateway events into the tasks Lambda, real services behind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from events import body_of, claims_for, keys_outside_metadata, load_lambda, make_event

from tenantkit.auth.context import TenantContext
from tenantkit.models.ids import new_id, new_user_id

ITEM = "/tasks/{taskId}"
COMPLETE = "/tasks/{taskId}/complete"
METADATA = {"My-Key": 1, "snake_key": {"Inner-Key": [True, None]}}
Call = Callable[..., dict[str, Any]]


@pytest.fixture(autouse=True)
def _quiet_metrics(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENANTKIT_METRICS", "off")


@pytest.fixture(scope="module")
def tasks_lambda() -> Call:
    return load_lambda("tasks")


@pytest.fixture
def call(tasks_lambda: Call, factory: Any) -> Call:
    """`call(ctx, method, resource, **event_options)`: one request through the Tasks Lambda."""

    def run(ctx: TenantContext, method: str, resource: str, **kw: Any) -> dict[str, Any]:
        return tasks_lambda(make_event(method, resource, claims=claims_for(ctx), **kw), None, factory)

    return run


def create(call: Call, ctx: TenantContext, **fields: Any) -> dict[str, Any]:
    response = call(ctx, "POST", "/tasks", body={"title": "Write the report", **fields})
    assert response["statusCode"] == 201, response["body"]
    return body_of(response)["data"]  # type: ignore[no-any-return]


def error_of(response: dict[str, Any]) -> dict[str, Any]:
    body = body_of(response)
    assert body["success"] is False
    return body["error"]  # type: ignore[no-any-return]


def collect(call: Call, ctx: TenantContext, query: dict[str, str]) -> list[list[str]]:
    """Follow `nextCursor` to the end; the titles on each page."""
    pages: list[list[str]] = []
    cursor = None
    while True:
        response = call(ctx, "GET", "/tasks", query={**query, **({"cursor": cursor} if cursor else {})})
        assert response["statusCode"] == 200, response["body"]
        data = body_of(response)["data"]
        pages.append([item["title"] for item in data["items"]])
        cursor = data["nextCursor"]
        if cursor is None:
            return pages
        assert len(pages) < 20, "paging does not end"


def test_given_a_member_when_running_the_full_lifecycle_should_answer_each_step_per_the_contract(
    call: Call, make_ctx: Callable[..., TenantContext], factory: Any
) -> None:
    ctx = make_ctx("member")
    group = factory.group_service.create(ctx, {"name": "Team", "group_type": "team"}).data
    created = create(call, ctx, dueDate="2026-05-01", groupId=group.id, assigneeId=ctx.user_id, metadata=METADATA)
    path = {"taskId": created["id"]}

    fetched = call(ctx, "GET", ITEM, path_params=path)
    started = call(ctx, "PATCH", ITEM, path_params=path, body={"status": "IN_PROGRESS", "version": 1})
    completed = call(ctx, "POST", COMPLETE, path_params=path, query={"version": "2"})
    again = call(ctx, "POST", COMPLETE, path_params=path)
    deleted = call(ctx, "DELETE", ITEM, path_params=path, query={"version": "3"})
    gone = call(ctx, "GET", ITEM, path_params=path)

    assert (created["userId"], created["tenantId"], created["status"]) == (ctx.user_id, ctx.tenant_id, "PENDING")
    assert (created["groupId"], created["assigneeId"], created["dueDate"]) == (group.id, ctx.user_id, "2026-05-01")
    assert created["completedUtc"] is None
    assert created["metadata"] == METADATA
    assert body_of(fetched)["data"] == created
    assert (started["statusCode"], body_of(started)["data"]["status"]) == (200, "IN_PROGRESS")
    assert completed["statusCode"] == 200
    done = body_of(completed)["data"]
    assert (done["status"], done["version"]) == ("COMPLETED", 3)
    assert done["completedUtc"] is not None
    assert again["statusCode"] == 409
    assert error_of(again)["code"] == "CONFLICT"
    assert error_of(again)["details"] == [{"field": "status", "currentStatus": "COMPLETED"}]
    assert (deleted["statusCode"], body_of(deleted)["data"]["id"]) == (200, created["id"])
    assert gone["statusCode"] == 404


def test_given_tasks_when_listing_by_each_filter_should_page_newest_first(
    call: Call, make_ctx: Callable[..., TenantContext], factory: Any
) -> None:
    admin = make_ctx("admin")
    group = factory.group_service.create(admin, {"name": "G", "group_type": "team"}).data
    assignee = new_user_id()
    for n in range(5):
        create(
            call, admin, title=f"t{n}", id=new_id(now_ms=1_767_225_600_000 + n), assigneeId=assignee, groupId=group.id
        )
    newest_first = [f"t{n}" for n in reversed(range(5))]

    by_status = collect(call, admin, {"status": "PENDING", "limit": "2"})
    by_assignee = collect(call, admin, {"assigneeId": assignee, "limit": "2"})
    by_group = collect(call, admin, {"groupId": group.id, "limit": "2"})

    for pages in (by_status, by_assignee, by_group):
        assert [len(page) for page in pages] == [2, 2, 1]
        assert [title for page in pages for title in page] == newest_first


def test_given_no_filter_when_listing_should_answer_the_callers_assigned_tasks(
    call: Call, make_ctx: Callable[..., TenantContext]
) -> None:
    me = make_ctx("member")
    colleague = make_ctx("member", tenant_id=me.tenant_id)
    create(call, colleague, title="for me", assigneeId=me.user_id)
    create(call, me, title="mine, unassigned")
    create(call, colleague, title="theirs", assigneeId=colleague.user_id)

    pages = collect(call, me, {})

    assert pages == [["for me"]]


def test_given_a_member_when_listing_another_assignee_should_see_only_what_they_may_read(
    call: Call, make_ctx: Callable[..., TenantContext]
) -> None:
    me = make_ctx("member")
    colleague = make_ctx("member", tenant_id=me.tenant_id)
    create(call, me, title="I asked", assigneeId=colleague.user_id)
    create(call, colleague, title="self-assigned", assigneeId=colleague.user_id)

    pages = collect(call, me, {"assigneeId": colleague.user_id})

    assert pages == [["I asked"]]


@pytest.mark.parametrize(
    ("method", "resource", "kw", "field"),
    [
        ("POST", "/tasks", {"body": {"title": "t", "status": "IN_PROGRESS"}}, "status"),
        ("POST", "/tasks", {"body": {"title": "t", "assignee_id": new_user_id()}}, "assignee_id"),
        ("POST", "/tasks", {"body": {"title": "t", "priority": "high"}}, "priority"),
        ("POST", "/tasks", {"body": {"title": "t", "completedUtc": "2026-01-01T00:00:00Z"}}, "completedUtc"),
        ("POST", "/tasks", {"body": {"title": "t", "assigneeId": "bob"}}, "assigneeId"),
        ("POST", "/tasks", {"body": {"title": "t", "groupId": "g1"}}, "groupId"),
        ("POST", "/tasks", {"body": {"title": "t", "dueDate": "2026-13-01"}}, "dueDate"),
        ("POST", "/tasks", {"body": {"title": "t", "groupId": new_id()}}, "groupId"),
        ("POST", "/tasks", {"body": {}}, "title"),
        ("GET", "/tasks", {"query": {"status": "DONE"}}, "status"),
        ("GET", "/tasks", {"query": {"assigneeId": "me"}}, "assigneeId"),
        ("GET", "/tasks", {"query": {"groupId": "nope"}}, "groupId"),
        ("GET", "/tasks", {"query": {"status": "PENDING", "groupId": new_id()}}, "groupId"),
        ("GET", "/tasks", {"query": {"limit": "500"}}, "limit"),
        ("GET", "/tasks", {"query": {"cursor": "forged"}}, "cursor"),
        ("GET", ITEM, {"path_params": {"taskId": "not-an-id"}}, "taskId"),
        ("DELETE", ITEM, {"path_params": {"taskId": new_id()}, "query": {"version": "zero"}}, "version"),
        ("POST", COMPLETE, {"path_params": {"taskId": "x#y"}}, "taskId"),
        ("POST", COMPLETE, {"path_params": {"taskId": new_id()}, "body": {"status": "COMPLETED"}}, "body"),
    ],
    ids=[
        "create-status",
        "snake-case-field",
        "unknown-field",
        "read-only-field",
        "bad-assignee",
        "bad-group-id",
        "bad-date",
        "missing-group",
        "no-title",
        "list-bad-status",
        "list-bad-assignee",
        "list-bad-group",
        "two-filters",
        "limit",
        "cursor",
        "bad-task-id",
        "bad-version",
        "complete-bad-id",
        "complete-with-body",
    ],
)
def test_given_invalid_input_when_calling_should_answer_400_naming_the_field(
    call: Call, make_ctx: Callable[..., TenantContext], method: str, resource: str, kw: dict[str, Any], field: str
) -> None:
    response = call(make_ctx("member"), method, resource, **kw)

    assert response["statusCode"] == 400, response["body"]
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert field in {detail.get("field") for detail in error["details"]}


def test_given_an_illegal_transition_when_patching_should_answer_409_with_the_current_status(
    call: Call, make_ctx: Callable[..., TenantContext]
) -> None:
    ctx = make_ctx("member")
    task = create(call, ctx)
    path = {"taskId": task["id"]}
    call(ctx, "PATCH", ITEM, path_params=path, body={"status": "CANCELLED"})

    response = call(ctx, "PATCH", ITEM, path_params=path, body={"status": "IN_PROGRESS"})

    assert response["statusCode"] == 409
    assert error_of(response)["details"] == [{"field": "status", "currentStatus": "CANCELLED"}]
    assert body_of(call(ctx, "GET", ITEM, path_params=path))["data"]["status"] == "CANCELLED"


def test_given_a_stale_version_when_completing_should_answer_409_with_the_current_version(
    call: Call, make_ctx: Callable[..., TenantContext]
) -> None:
    ctx = make_ctx("member")
    task = create(call, ctx)
    call(ctx, "PATCH", ITEM, path_params={"taskId": task["id"]}, body={"title": "v2"})

    response = call(ctx, "POST", COMPLETE, path_params={"taskId": task["id"]}, query={"version": "1"})

    assert response["statusCode"] == 409
    assert error_of(response)["details"] == [{"field": "version", "currentVersion": 2}]


def test_given_a_colleagues_task_when_a_member_uses_each_route_should_answer_403(
    call: Call, make_ctx: Callable[..., TenantContext]
) -> None:
    creator = make_ctx("member")
    stranger = make_ctx("member", tenant_id=creator.tenant_id)
    assignee = make_ctx("member", tenant_id=creator.tenant_id)
    path = {"taskId": create(call, creator, assigneeId=assignee.user_id)["id"]}

    responses = [
        call(stranger, "GET", ITEM, path_params=path),
        call(stranger, "PATCH", ITEM, path_params=path, body={"title": "mine now"}),
        call(stranger, "DELETE", ITEM, path_params=path),
        call(stranger, "POST", COMPLETE, path_params=path),
        call(assignee, "DELETE", ITEM, path_params=path),
    ]

    assert [r["statusCode"] for r in responses] == [403] * 5
    assert {error_of(r)["code"] for r in responses} == {"FORBIDDEN"}
    assert call(assignee, "POST", COMPLETE, path_params=path)["statusCode"] == 200


def test_given_another_tenants_task_when_using_each_route_should_answer_404_like_a_missing_one(
    call: Call, make_ctx: Callable[..., TenantContext]
) -> None:
    owner_a = make_ctx("owner")
    owner_b = make_ctx("owner")
    path = {"taskId": create(call, owner_a)["id"]}

    responses = [
        call(owner_b, "GET", ITEM, path_params=path),
        call(owner_b, "PATCH", ITEM, path_params=path, body={"title": "x"}),
        call(owner_b, "DELETE", ITEM, path_params=path),
        call(owner_b, "POST", COMPLETE, path_params=path),
    ]
    missing = call(owner_b, "GET", ITEM, path_params={"taskId": new_id()})

    assert [r["statusCode"] for r in responses] == [404] * 4
    assert {error_of(r)["message"] for r in [*responses, missing]} == {"Task not found"}
    assert body_of(call(owner_a, "GET", ITEM, path_params=path))["data"]["title"] == "Write the report"


def test_given_responses_of_every_route_when_inspecting_keys_should_find_camel_case_only(
    call: Call, make_ctx: Callable[..., TenantContext]
) -> None:
    ctx = make_ctx("member")
    task = create(call, ctx, assigneeId=ctx.user_id, dueDate="2026-01-31", metadata=METADATA)
    path = {"taskId": task["id"]}

    bodies = [
        body_of(call(ctx, "GET", ITEM, path_params=path)),
        body_of(call(ctx, "GET", "/tasks", query={"limit": "1"})),
        body_of(call(ctx, "GET", "/tasks", query={"status": "PENDING"})),
        body_of(call(ctx, "PATCH", ITEM, path_params=path, body={"dueDate": None})),
        body_of(call(ctx, "PATCH", ITEM, path_params=path, body={"status": "CANCELLED", "title": "x"})),
        body_of(call(ctx, "POST", COMPLETE, path_params=path)),
        body_of(call(ctx, "DELETE", ITEM, path_params=path)),
    ]

    for body in [{"data": task}, *bodies]:
        assert {key for key in keys_outside_metadata(body) if "_" in key} == set(), body
    assert bodies[0]["success"] is True
    assert {"success", "data", "timestamp"} == set(bodies[0])
    assert bodies[0]["data"]["metadata"] == METADATA
    assert {"success", "error", "timestamp", "correlationId"} == set(bodies[5])
