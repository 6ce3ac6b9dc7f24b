"""Tasks over real HTTP: local API Gateway + authorizer emulation + Lambdas + moto server."""

from __future__ import annotations

from typing import Any

import pytest
from http_support import Auth, assert_error, call, data

from tenantkit.local.demo import ACME, demo_user

ENGINEERING = "01JDEM0GR0VP00000000000A02"  # acme-admin's group, shared with the tenant
BOARD = "01JDEM0GR0VP00000000000B01"  # globex-owner's group
MISSING_GROUP = "01JDEM0GR0VP00000000000Z99"
MEMBER_ID = demo_user("acme-member").user_id
ADMIN_ID = demo_user("acme-admin").user_id


def create(base_url: str, auth: Auth, handle: str, **fields: Any) -> dict[str, Any]:
    task: dict[str, Any] = data(call(base_url, "POST", "/tasks", headers=auth(handle), json=fields), 201)
    return task


def titles(base_url: str, auth: Auth, handle: str, **params: str) -> list[str]:
    page = data(call(base_url, "GET", "/tasks", headers=auth(handle), params=params))
    return [item["title"] for item in page["items"]]


def test_given_acme_member_when_creating_a_task_should_answer_201_pending_and_owned_by_them(
    base_url: str, auth: Auth
) -> None:
    response = call(base_url, "POST", "/tasks", headers=auth("acme-member"), json={"title": "Write tests"})

    task = data(response, 201)
    assert {key: task[key] for key in ("tenantId", "userId", "title", "status", "version")} == {
        "tenantId": ACME,
        "userId": MEMBER_ID,
        "title": "Write tests",
        "status": "PENDING",
        "version": 1,
    }
    assert (task["assigneeId"], task["groupId"], task["dueDate"], task["completedUtc"]) == (None, None, None, None)
    assert data(call(base_url, "GET", f"/tasks/{task['id']}", headers=auth("acme-member"))) == task


def test_given_an_acme_group_when_creating_a_task_in_it_should_answer_201_and_list_it_by_group(
    base_url: str, auth: Auth
) -> None:
    fields = {"title": "Ship it", "groupId": ENGINEERING, "assigneeId": MEMBER_ID, "dueDate": "2030-06-30"}

    task = create(base_url, auth, "acme-admin", **fields)

    assert (task["groupId"], task["assigneeId"], task["dueDate"]) == (ENGINEERING, MEMBER_ID, "2030-06-30")
    assert titles(base_url, auth, "acme-admin", groupId=ENGINEERING) == ["Ship it"]


@pytest.mark.parametrize("group_id", [BOARD, MISSING_GROUP], ids=["globex-group", "missing-group"])
def test_given_a_group_outside_the_tenant_when_creating_a_task_should_answer_400_and_create_nothing(
    base_url: str, auth: Auth, group_id: str
) -> None:
    body = {"title": "Sneaky", "groupId": group_id}

    response = call(base_url, "POST", "/tasks", headers=auth("acme-admin"), json=body)

    assert [detail["field"] for detail in assert_error(response, 400, "VALIDATION_ERROR")["details"]] == ["groupId"]
    assert titles(base_url, auth, "acme-admin", status="PENDING") == []
    assert titles(base_url, auth, "globex-owner", groupId=BOARD) == []


@pytest.mark.parametrize(
    "body",
    [{"title": "Late", "dueDate": "2030-02-30"}, {"title": "Done", "status": "COMPLETED"}, {"description": "No title"}],
    ids=["unreal-date", "not-pending", "no-title"],
)
def test_given_an_invalid_task_when_creating_should_answer_400(base_url: str, auth: Auth, body: dict[str, Any]) -> None:
    response = call(base_url, "POST", "/tasks", headers=auth("acme-member"), json=body)

    assert_error(response, 400, "VALIDATION_ERROR")


@pytest.fixture
def board(base_url: str, auth: Auth) -> None:
    """In this order: acme-admin creates "Assigned" (to acme-member, in Engineering), "Started" (then
    IN_PROGRESS) and "Self" (assigned to acme-admin); acme-member creates "Mine" (assigned to acme-admin)."""
    create(base_url, auth, "acme-admin", title="Assigned", assigneeId=MEMBER_ID, groupId=ENGINEERING)
    started = create(base_url, auth, "acme-admin", title="Started")
    data(call(base_url, "PATCH", f"/tasks/{started['id']}", headers=auth("acme-admin"), json={"status": "IN_PROGRESS"}))
    create(base_url, auth, "acme-admin", title="Self", assigneeId=ADMIN_ID)
    create(base_url, auth, "acme-member", title="Mine", assigneeId=ADMIN_ID)


QUERIES: dict[str, dict[str, str]] = {
    "default": {},
    "pending": {"status": "PENDING"},
    "in progress": {"status": "IN_PROGRESS"},
    "completed": {"status": "COMPLETED"},
    "assigned to member": {"assigneeId": MEMBER_ID},
    "assigned to admin": {"assigneeId": ADMIN_ID},
    "engineering": {"groupId": ENGINEERING},
}


def listings(base_url: str, auth: Auth, handle: str) -> dict[str, list[str]]:
    return {name: titles(base_url, auth, handle, **params) for name, params in QUERIES.items()}


@pytest.mark.usefixtures("board")
def test_given_tasks_when_acme_admin_lists_by_one_filter_should_answer_every_match_newest_first(
    base_url: str, auth: Auth
) -> None:
    listed = listings(base_url, auth, "acme-admin")

    assert listed == {
        "default": ["Mine", "Self"],  # assigned to the caller
        "pending": ["Mine", "Self", "Assigned"],
        "in progress": ["Started"],
        "completed": [],
        "assigned to member": ["Assigned"],
        "assigned to admin": ["Mine", "Self"],
        "engineering": ["Assigned"],
    }


@pytest.mark.usefixtures("board")
def test_given_tasks_when_acme_member_lists_by_one_filter_should_answer_only_created_or_assigned_ones(
    base_url: str, auth: Auth
) -> None:
    listed = listings(base_url, auth, "acme-member")

    assert listed == {
        "default": ["Assigned"],
        "pending": ["Mine", "Assigned"],
        "in progress": [],
        "completed": [],
        "assigned to member": ["Assigned"],
        "assigned to admin": ["Mine"],  # someone else's assignments: only those the member created
        "engineering": ["Assigned"],
    }


@pytest.mark.usefixtures("board")
def test_given_acme_tasks_when_globex_admin_lists_by_one_filter_should_answer_none(base_url: str, auth: Auth) -> None:
    listed = listings(base_url, auth, "globex-admin")

    assert listed == {name: [] for name in QUERIES}


@pytest.mark.usefixtures("board")
@pytest.mark.parametrize(
    ("handle", "expected"), [("acme-admin", ["Mine", "Self", "Assigned"]), ("acme-member", ["Mine", "Assigned"])]
)
def test_given_tasks_when_paging_by_status_with_limit_1_should_fill_each_page_and_visit_each_once(
    base_url: str, auth: Auth, handle: str, expected: list[str]
) -> None:
    headers, params = auth(handle), {"status": "PENDING", "limit": "1"}
    pages: list[dict[str, Any]] = []

    while len(pages) < 5:
        pages.append(data(call(base_url, "GET", "/tasks", headers=headers, params=params)))
        if pages[-1]["nextCursor"] is None:
            break
        params = {**params, "cursor": pages[-1]["nextCursor"]}

    assert all(len(page["items"]) == 1 for page in pages[:-1])
    assert [item["title"] for page in pages for item in page["items"]] == expected


@pytest.mark.parametrize(
    "query", ["?status=PENDING&groupId=" + ENGINEERING, "?status=DONE", "?assigneeId=someone"], ids=str
)
def test_given_a_bad_filter_when_listing_tasks_should_answer_400(base_url: str, auth: Auth, query: str) -> None:
    response = call(base_url, "GET", "/tasks" + query, headers=auth("acme-admin"))

    assert_error(response, 400, "VALIDATION_ERROR")


def test_given_a_task_when_patching_it_should_answer_200_and_refuse_a_stale_version(base_url: str, auth: Auth) -> None:
    task = create(base_url, auth, "acme-member", title="Draft")
    path, member = f"/tasks/{task['id']}", auth("acme-member")

    changes = {"title": "Final", "metadata": {"someKey": 1, "snake_key": 2}, "version": 1}
    patched = call(base_url, "PATCH", path, headers=member, json=changes)
    stale = call(base_url, "PATCH", path, headers=member, json={"description": "Lost", "version": 1})

    assert (data(patched)["title"], data(patched)["version"]) == ("Final", 2)
    assert data(patched)["metadata"] == {"someKey": 1, "snake_key": 2}  # a user map passes through untouched
    assert assert_error(stale, 409, "CONFLICT")["details"] == [{"field": "version", "currentVersion": 2}]
    assert data(call(base_url, "GET", path, headers=member)) == data(patched)


def test_given_a_task_when_regrouping_it_outside_the_tenant_should_answer_400_and_keep_its_group(
    base_url: str, auth: Auth
) -> None:
    task = create(base_url, auth, "acme-admin", title="Grouped", groupId=ENGINEERING)

    response = call(base_url, "PATCH", f"/tasks/{task['id']}", headers=auth("acme-admin"), json={"groupId": BOARD})

    assert [detail["field"] for detail in assert_error(response, 400, "VALIDATION_ERROR")["details"]] == ["groupId"]
    assert data(call(base_url, "GET", f"/tasks/{task['id']}", headers=auth("acme-admin"))) == task


def test_given_an_assigned_task_when_clearing_assignee_and_group_should_drop_it_from_those_lists(
    base_url: str, auth: Auth
) -> None:
    task = create(base_url, auth, "acme-admin", title="Reassign me", assigneeId=MEMBER_ID, groupId=ENGINEERING)
    changes = {"assigneeId": None, "groupId": None}

    patched = data(call(base_url, "PATCH", f"/tasks/{task['id']}", headers=auth("acme-admin"), json=changes))

    assert (patched["assigneeId"], patched["groupId"], patched["version"]) == (None, None, 2)
    assert titles(base_url, auth, "acme-admin", assigneeId=MEMBER_ID) == []
    assert titles(base_url, auth, "acme-admin", groupId=ENGINEERING) == []
    assert titles(base_url, auth, "acme-admin", status="PENDING") == ["Reassign me"]
    assert_error(call(base_url, "GET", f"/tasks/{task['id']}", headers=auth("acme-member")), 403, "FORBIDDEN")


def test_given_a_pending_task_when_completing_twice_should_answer_200_then_409(base_url: str, auth: Auth) -> None:
    task = create(base_url, auth, "acme-member", title="Finish")
    path = f"/tasks/{task['id']}/complete"

    first = call(base_url, "POST", path, headers=auth("acme-member"))
    second = call(base_url, "POST", path, headers=auth("acme-member"))

    done = data(first)
    assert (done["status"], done["version"]) == ("COMPLETED", 2)
    assert done["completedUtc"] is not None
    assert assert_error(second, 409, "CONFLICT")["details"] == [{"field": "status", "currentStatus": "COMPLETED"}]


def test_given_a_stale_version_when_completing_should_answer_409_and_leave_it_pending(
    base_url: str, auth: Auth
) -> None:
    task = create(base_url, auth, "acme-member", title="Racy")
    data(call(base_url, "PATCH", f"/tasks/{task['id']}", headers=auth("acme-member"), json={"title": "Racier"}))

    response = call(base_url, "POST", f"/tasks/{task['id']}/complete?version=1", headers=auth("acme-member"))

    assert assert_error(response, 409, "CONFLICT")["details"] == [{"field": "version", "currentVersion": 2}]
    assert data(call(base_url, "GET", f"/tasks/{task['id']}", headers=auth("acme-member")))["status"] == "PENDING"


@pytest.mark.parametrize(
    ("first", "then"),
    [("CANCELLED", "PENDING"), ("CANCELLED", "IN_PROGRESS"), ("COMPLETED", "COMPLETED")],
)
def test_given_a_terminal_task_when_changing_its_status_should_answer_409_naming_status(
    base_url: str, auth: Auth, first: str, then: str
) -> None:
    task = create(base_url, auth, "acme-member", title="Over")
    path = f"/tasks/{task['id']}"
    data(call(base_url, "PATCH", path, headers=auth("acme-member"), json={"status": first}))

    response = call(base_url, "PATCH", path, headers=auth("acme-member"), json={"status": then})

    error = assert_error(response, 409, "CONFLICT")
    assert error["details"] == [{"field": "status", "currentStatus": first}]
    assert data(call(base_url, "GET", path, headers=auth("acme-member")))["version"] == 2


def test_given_a_task_when_deleting_it_should_answer_the_task_then_404(base_url: str, auth: Auth) -> None:
    task = create(base_url, auth, "acme-member", title="Throwaway")
    path, member = f"/tasks/{task['id']}", auth("acme-member")

    deleted = call(base_url, "DELETE", f"{path}?version=1", headers=member)
    fetched = call(base_url, "GET", path, headers=member)
    again = call(base_url, "DELETE", path, headers=member)

    assert data(deleted) == task
    assert_error(fetched, 404, "NOT_FOUND")
    assert_error(again, 404, "NOT_FOUND")


def test_given_globex_tokens_when_addressing_an_acme_task_should_answer_404_and_leave_it_intact(
    base_url: str, auth: Auth
) -> None:
    task = create(base_url, auth, "acme-admin", title="Acme only")
    path = f"/tasks/{task['id']}"
    attempts = [("GET", path, None), ("PATCH", path, {"title": "Hijacked"}), ("DELETE", path, None)]
    attempts += [("POST", f"{path}/complete", None)]

    responses = [
        (handle, method, call(base_url, method, url, headers=auth(handle), json=body))
        for handle in ("globex-owner", "globex-member")
        for method, url, body in attempts
    ]

    for handle, method, response in responses:
        assert response.status_code == 404, (handle, method, response.text)
        assert_error(response, 404, "NOT_FOUND")
    assert data(call(base_url, "GET", path, headers=auth("acme-admin"))) == task


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [("GET", "", None), ("PATCH", "", {"title": "Mine now"}), ("DELETE", "", None), ("POST", "/complete", None)],
)
def test_given_acme_member_when_addressing_an_unassigned_task_of_acme_admin_should_answer_403(
    base_url: str, auth: Auth, method: str, suffix: str, body: dict[str, Any] | None
) -> None:
    # Inside the tenant a task the member may not see is a role failure (403), not a 404.
    task = create(base_url, auth, "acme-admin", title="Admin only")

    response = call(base_url, method, f"/tasks/{task['id']}{suffix}", headers=auth("acme-member"), json=body)

    assert_error(response, 403, "FORBIDDEN")
    assert data(call(base_url, "GET", f"/tasks/{task['id']}", headers=auth("acme-admin"))) == task


def test_given_an_assignee_when_working_a_task_should_update_it_but_not_delete_it(base_url: str, auth: Auth) -> None:
    task = create(base_url, auth, "acme-admin", title="Delegated", assigneeId=MEMBER_ID)
    path, member = f"/tasks/{task['id']}", auth("acme-member")

    started = call(base_url, "PATCH", path, headers=member, json={"status": "IN_PROGRESS"})
    deleted = call(base_url, "DELETE", path, headers=member)

    assert data(started)["status"] == "IN_PROGRESS"
    assert_error(deleted, 403, "FORBIDDEN")
    assert data(call(base_url, "GET", path, headers=auth("acme-admin")))["version"] == 2


def test_given_a_malformed_task_id_when_getting_a_task_should_answer_400(base_url: str, auth: Auth) -> None:
    response = call(base_url, "GET", "/tasks/not-an-id", headers=auth("acme-member"))

    assert_error(response, 400, "VALIDATION_ERROR")
