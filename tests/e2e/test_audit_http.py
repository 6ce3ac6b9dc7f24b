"""The audit trail over real HTTP: local API Gateway + authorizer emulation + Lambdas + moto server.

Audit records are written by the services in each change's own transaction; `GET /audit` reads them.
The local identity store (`.tenantkit/identities.json`) outlives `reset_data()`, so invited emails
are unique to the run.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from http_support import Auth, assert_error, call, data

from tenantkit.auth.context import Role
from tenantkit.local.demo import ACME, GLOBEX, demo_user
from tenantkit.local.stack import LocalStack

ENGINEERING = "01JDEM0GR0VP00000000000A02"  # acme-admin's group, shared with the tenant


@pytest.fixture
def operator(local_stack: LocalStack) -> dict[str, str]:
    """A platform operator's headers (no tenant)."""
    assert local_stack.identity is not None
    token = local_stack.identity.mint(tenant_id=None, user_id=str(uuid.uuid4()), role=Role.OPERATOR)
    return {"Authorization": f"Bearer {token}"}


def _items(base_url: str, auth: Auth, handle: str, **params: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = data(call(base_url, "GET", "/audit", headers=auth(handle), params=params))["items"]
    return items


def _make_changes(base_url: str, auth: Auth) -> dict[str, Any]:
    """acme-admin creates a task, changes two fields of it, then renames a group; returns the task."""
    admin = auth("acme-admin")
    task = data(call(base_url, "POST", "/tasks", headers=admin, json={"title": "Audit me"}), 201)
    changes = {"dueDate": "2030-01-31", "assigneeId": demo_user("acme-member").user_id}
    data(call(base_url, "PATCH", f"/tasks/{task['id']}", headers=admin, json=changes))
    data(call(base_url, "PATCH", f"/groups/{ENGINEERING}", headers=admin, json={"description": "Builders"}))
    return task


def test_given_changes_when_acme_admin_lists_the_audit_trail_should_answer_newest_first_in_camel_case(
    base_url: str, auth: Auth
) -> None:
    task = _make_changes(base_url, auth)

    items = _items(base_url, auth, "acme-admin")

    assert [item["id"] for item in items] == sorted((item["id"] for item in items), reverse=True)
    assert [item["createdUtc"] for item in items] == sorted((item["createdUtc"] for item in items), reverse=True)
    assert {item["tenantId"] for item in items} == {ACME}
    newest = [(item["entityType"], item["entityId"], item["action"]) for item in items[:3]]
    assert newest == [("group", ENGINEERING, "update"), ("task", task["id"], "update"), ("task", task["id"], "create")]
    update = items[1]
    assert update["changedFields"] == ["assigneeId", "dueDate"]
    assert update["oldValues"] == {"assigneeId": None, "dueDate": None}
    assert update["newValues"] == {"assigneeId": demo_user("acme-member").user_id, "dueDate": "2030-01-31"}
    actor = demo_user("acme-admin").user_id
    assert (update["userId"], update["actorRole"], update["entityVersion"]) == (actor, "admin", 2)


def test_given_changes_when_filtering_by_entity_should_answer_only_that_entitys_trail(
    base_url: str, auth: Auth
) -> None:
    task = _make_changes(base_url, auth)
    params = {"entityType": "task", "entityId": task["id"]}

    items = _items(base_url, auth, "acme-owner", **params)

    assert [(item["entityId"], item["action"], item["entityVersion"]) for item in items] == [
        (task["id"], "update", 2),
        (task["id"], "create", 1),
    ]


def test_given_changes_when_filtering_by_entity_type_or_time_should_answer_only_those_records(
    base_url: str, auth: Auth
) -> None:
    task = _make_changes(base_url, auth)
    admin = auth("acme-admin")

    groups = _items(base_url, auth, "acme-admin", entityType="group")
    recent = _items(base_url, auth, "acme-admin", createdAfter=task["createdUtc"])
    future = call(base_url, "GET", "/audit", headers=admin, params={"createdAfter": "2999-01-01T00:00:00Z"})
    inverted = {"createdAfter": "2020-01-02T00:00:00Z", "createdBefore": "2020-01-01T00:00:00Z"}
    backwards = call(base_url, "GET", "/audit", headers=admin, params=inverted)

    seeded = [("group", "create")] * 4  # the demo groups of acme
    assert [(item["entityType"], item["action"]) for item in groups] == [("group", "update"), *seeded]
    assert [(item["entityId"], item["action"]) for item in recent] == [
        (ENGINEERING, "update"),
        (task["id"], "update"),
        (task["id"], "create"),
    ]
    assert data(future) == {"items": [], "nextCursor": None}
    assert [detail["field"] for detail in assert_error(backwards, 400, "VALIDATION_ERROR")["details"]] == [
        "createdBefore"
    ]


def test_given_an_operator_limits_change_when_reading_its_audit_record_should_name_limits_in_camel_case(
    base_url: str, auth: Auth, operator: dict[str, str]
) -> None:
    limits = {"maxUsers": 30, "maxGroups": 500, "maxTasks": 10_000}
    data(call(base_url, "PATCH", f"/tenants/{ACME}", headers=operator, json={"limits": limits}))
    params = {"entityType": "tenant", "entityId": ACME}

    items = _items(base_url, auth, "acme-admin", **params)

    assert [(item["actorRole"], item["changedFields"]) for item in items] == [("operator", ["limits"])]
    assert items[0]["newValues"] == {"limits": limits}


def test_given_an_invitation_when_reading_its_audit_record_should_redact_the_email(base_url: str, auth: Auth) -> None:
    body = {"email": f"audited-{uuid.uuid4().hex[:12]}@acme.example", "role": "member"}
    invited = data(call(base_url, "POST", "/users", headers=auth("acme-admin"), json=body), 201)
    params = {"entityType": "user", "entityId": invited["id"]}

    items = _items(base_url, auth, "acme-admin", **params)

    assert [item["action"] for item in items] == ["create"]
    assert items[0]["newValues"]["email"] == "[redacted]"
    assert invited["email"] not in str(items)


def test_given_a_correlation_id_when_changing_should_carry_it_to_the_audit_record(base_url: str, auth: Auth) -> None:
    headers = {**auth("acme-member"), "X-Correlation-Id": "audit-trace-7"}
    task = data(call(base_url, "POST", "/tasks", headers=headers, json={"title": "Traced"}), 201)
    params = {"entityType": "task", "entityId": task["id"]}

    items = _items(base_url, auth, "acme-admin", **params)

    assert [(item["correlationId"], item["actorRole"]) for item in items] == [("audit-trace-7", "member")]


def test_given_acme_member_when_listing_the_audit_trail_should_answer_403(base_url: str, auth: Auth) -> None:
    response = call(base_url, "GET", "/audit", headers=auth("acme-member"))

    assert_error(response, 403, "FORBIDDEN")


def test_given_acme_admin_when_posting_an_audit_record_should_answer_405(base_url: str, auth: Auth) -> None:
    body = {"entityType": "task", "action": "delete"}

    response = call(base_url, "POST", "/audit", headers=auth("acme-admin"), json=body)

    assert_error(response, 405, "METHOD_NOT_ALLOWED")
    assert {method.strip() for method in response.headers["Allow"].split(",")} == {"GET"}


def test_given_an_entity_id_without_a_type_when_listing_the_audit_trail_should_answer_400(
    base_url: str, auth: Auth
) -> None:
    params = {"entityId": ENGINEERING}

    response = call(base_url, "GET", "/audit", headers=auth("acme-admin"), params=params)

    assert_error(response, 400, "VALIDATION_ERROR")


def test_given_acme_changes_when_globex_admin_lists_the_audit_trail_should_see_none_of_them(
    base_url: str, auth: Auth
) -> None:
    task = _make_changes(base_url, auth)

    trail = _items(base_url, auth, "globex-admin", limit="100")
    of_task = _items(base_url, auth, "globex-admin", entityType="task", entityId=task["id"])
    of_group = _items(base_url, auth, "globex-admin", entityType="group", entityId=ENGINEERING)

    assert {item["tenantId"] for item in trail} == {GLOBEX}  # the seeded groups of globex
    assert not {item["entityId"] for item in trail} & {task["id"], ENGINEERING}
    assert (of_task, of_group) == ([], [])
