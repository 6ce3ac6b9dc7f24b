"""Tenants and users over real HTTP: local API Gateway + authorizer emulation + Lambdas + moto server.

The local identity store (`.tenantkit/identities.json`) outlives `reset_data()`, so every email a
test invites or onboards is unique to the run.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from http_support import Auth, assert_error, call, data

from tenantkit.auth.context import Role
from tenantkit.local.demo import ACME, GLOBEX, demo_user
from tenantkit.local.stack import LocalStack

UNKNOWN_TENANT = "01JDEM0N0NE00000000000000Z"
ACME_EMAILS = ["admin@acme.example", "member@acme.example", "owner@acme.example"]
Mint = Callable[[str | None, str, Role], dict[str, str]]


def unique_email(label: str, domain: str = "acme.example") -> str:
    return f"{label}-{uuid.uuid4().hex[:12]}@{domain}"


def fields(document: dict[str, Any], *names: str) -> dict[str, Any]:
    """The named fields of a document, to compare several at once."""
    return {name: document.get(name) for name in names}


@pytest.fixture
def mint(local_stack: LocalStack) -> Mint:
    """`mint(tenant_id, user_id, role)`: the `Authorization` header of any identity."""
    identity = local_stack.identity
    assert identity is not None

    def headers(tenant_id: str | None, user_id: str, role: Role) -> dict[str, str]:
        return {"Authorization": f"Bearer {identity.mint(tenant_id=tenant_id, user_id=user_id, role=role)}"}

    return headers


@pytest.fixture
def operator(mint: Mint) -> dict[str, str]:
    """A platform operator's headers (no tenant)."""
    return mint(None, str(uuid.uuid4()), Role.OPERATOR)


def invite(base_url: str, auth: Auth, role: str = "member", by: str = "acme-admin") -> dict[str, Any]:
    body = {"email": unique_email(role), "name": f"New {role}", "role": role}
    invited: dict[str, Any] = data(call(base_url, "POST", "/users", headers=auth(by), json=body), 201)
    return invited


# -- tenants ---------------------------------------------------------------------------------------


def test_given_an_operator_when_creating_a_tenant_should_answer_201_with_the_tenant_and_its_owner(
    base_url: str, operator: dict[str, str]
) -> None:
    email = unique_email("Founder", "initech.example")
    body = {"name": "Initech", "plan": "free", "owner": {"email": email, "name": "Bill"}}

    created = data(call(base_url, "POST", "/tenants", headers=operator, json=body), 201)

    assert set(created) == {"tenant", "owner"}
    tenant, owner = created["tenant"], created["owner"]
    expected_tenant = {"name": "Initech", "plan": "free", "userCount": 1, "ownerCount": 1}
    assert fields(tenant, "name", "plan", "userCount", "ownerCount") == expected_tenant
    assert tenant["id"] not in (ACME, GLOBEX)
    expected = {"tenantId": tenant["id"], "role": "owner", "email": email.lower(), "name": "Bill"}
    assert fields(owner, "tenantId", "role", "email", "name") == expected


def test_given_a_new_tenant_when_its_owner_reads_and_renames_it_should_answer_200_and_see_only_itself(
    base_url: str, operator: dict[str, str], mint: Mint
) -> None:
    body = {"name": "Initech", "owner": {"email": unique_email("owner", "initech.example")}}
    created = data(call(base_url, "POST", "/tenants", headers=operator, json=body), 201)
    tenant_id, owner_id = created["tenant"]["id"], created["owner"]["id"]
    owner = mint(tenant_id, owner_id, Role.OWNER)

    fetched = call(base_url, "GET", "/tenant", headers=owner)
    renamed = call(
        base_url, "PATCH", "/tenant", headers=owner, json={"name": "Initrode", "settings": {"theme": "dark"}}
    )
    users = call(base_url, "GET", "/users", headers=owner)

    assert data(fetched) == created["tenant"]
    expected = {"name": "Initrode", "settings": {"theme": "dark"}, "version": 2}
    assert fields(data(renamed), "name", "settings", "version") == expected
    assert [user["id"] for user in data(users)["items"]] == [owner_id]


@pytest.mark.parametrize("handle", ["acme-admin", "acme-owner"])
def test_given_a_tenant_user_when_changing_the_plan_should_answer_403_and_leave_it_unchanged(
    base_url: str, auth: Auth, handle: str
) -> None:
    response = call(base_url, "PATCH", "/tenant", headers=auth(handle), json={"plan": "enterprise"})

    assert_error(response, 403, "FORBIDDEN")
    after = data(call(base_url, "GET", "/tenant", headers=auth("acme-member")))
    assert (after["id"], after["plan"], after["version"]) == (ACME, "pro", 1)


def test_given_an_operator_when_changing_a_tenants_plan_should_answer_200_and_the_tenant_sees_it(
    base_url: str, auth: Auth, operator: dict[str, str]
) -> None:
    response = call(base_url, "PATCH", f"/tenants/{ACME}", headers=operator, json={"plan": "enterprise"})

    assert (data(response)["id"], data(response)["plan"], data(response)["version"]) == (ACME, "enterprise", 2)
    assert data(call(base_url, "GET", "/tenant", headers=auth("acme-owner")))["plan"] == "enterprise"
    assert data(call(base_url, "GET", "/tenant", headers=auth("globex-owner")))["plan"] == "pro"


def test_given_an_operator_when_changing_an_unknown_tenant_should_answer_404(
    base_url: str, operator: dict[str, str]
) -> None:
    response = call(base_url, "PATCH", f"/tenants/{UNKNOWN_TENANT}", headers=operator, json={"plan": "free"})

    assert_error(response, 404, "NOT_FOUND")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/tenants", {"name": "Rogue", "owner": {"email": "rogue@rogue.example"}}),
        ("PATCH", f"/tenants/{ACME}", {"plan": "enterprise"}),
    ],
)
def test_given_a_tenant_owner_when_calling_an_operator_route_should_answer_403(
    base_url: str, auth: Auth, method: str, path: str, body: dict[str, Any]
) -> None:
    response = call(base_url, method, path, headers=auth("acme-owner"), json=body)

    assert_error(response, 403, "FORBIDDEN")
    assert data(call(base_url, "GET", "/tenant", headers=auth("acme-owner")))["plan"] == "pro"


def test_given_no_token_when_creating_a_tenant_should_answer_401_from_the_gateway(base_url: str) -> None:
    body = {"name": "Anonymous", "owner": {"email": "anon@anon.example"}}

    response = call(base_url, "POST", "/tenants", json=body)

    assert assert_error(response, 401, "UNAUTHORIZED")["message"] == "Unauthorized"


def test_given_an_email_that_signs_in_elsewhere_when_onboarding_its_owner_should_answer_409(
    base_url: str, operator: dict[str, str]
) -> None:
    body = {"name": "Copycat", "owner": {"email": demo_user("acme-owner").email}}

    response = call(base_url, "POST", "/tenants", headers=operator, json=body)

    assert_error(response, 409, "CONFLICT")


def test_given_a_tenant_at_its_user_limit_when_inviting_should_answer_409(
    base_url: str, auth: Auth, operator: dict[str, str]
) -> None:
    limits = {"maxUsers": 3, "maxGroups": 500, "maxTasks": 10_000}
    data(call(base_url, "PATCH", f"/tenants/{ACME}", headers=operator, json={"limits": limits}))
    body = {"email": unique_email("late"), "role": "member"}

    response = call(base_url, "POST", "/users", headers=auth("acme-admin"), json=body)

    assert_error(response, 409, "CONFLICT")
    assert data(call(base_url, "GET", "/tenant", headers=auth("acme-owner")))["userCount"] == 3


def test_given_an_operator_changing_one_limit_when_inviting_should_keep_the_other_limits_and_answer_201(
    base_url: str, auth: Auth, operator: dict[str, str]
) -> None:
    patched = data(call(base_url, "PATCH", f"/tenants/{ACME}", headers=operator, json={"limits": {"maxGroups": 100}}))
    body = {"email": unique_email("after-limits"), "role": "member"}

    response = call(base_url, "POST", "/users", headers=auth("acme-admin"), json=body)

    assert data(response, 201)["email"] == body["email"]
    assert patched["limits"] == {"maxUsers": 25, "maxGroups": 100, "maxTasks": 10_000}


# -- users -----------------------------------------------------------------------------------------


def test_given_acme_admin_when_inviting_and_paging_users_should_visit_every_user_once_by_email(
    base_url: str, auth: Auth
) -> None:
    invited = invite(base_url, auth)
    headers, params = auth("acme-admin"), {"limit": "1"}
    pages: list[dict[str, Any]] = []

    while len(pages) < 10:
        pages.append(data(call(base_url, "GET", "/users", headers=headers, params=params)))
        if pages[-1]["nextCursor"] is None:
            break
        params = {"limit": "1", "cursor": pages[-1]["nextCursor"]}

    expected = {"tenantId": ACME, "role": "member", "status": "invited", "version": 1}
    assert fields(invited, "tenantId", "role", "status", "version") == expected
    assert all(len(page["items"]) == 1 for page in pages[:-1])
    emails = [item["email"] for page in pages for item in page["items"]]
    assert emails == sorted([*ACME_EMAILS, invited["email"]])


def test_given_an_invited_member_when_reading_users_should_see_only_themself(
    base_url: str, auth: Auth, mint: Mint
) -> None:
    invited = invite(base_url, auth)
    member = mint(ACME, invited["id"], Role.MEMBER)

    themself = call(base_url, "GET", f"/users/{invited['id']}", headers=member)
    other = call(base_url, "GET", f"/users/{demo_user('acme-admin').user_id}", headers=member)
    listing = call(base_url, "GET", "/users", headers=member)
    renamed = call(base_url, "PATCH", f"/users/{invited['id']}", headers=member, json={"name": "Renamed"})
    promoted = call(base_url, "PATCH", f"/users/{invited['id']}", headers=member, json={"role": "admin"})

    assert data(themself) == invited
    assert_error(other, 403, "FORBIDDEN")
    assert_error(listing, 403, "FORBIDDEN")
    assert (data(renamed)["name"], data(renamed)["version"]) == ("Renamed", 2)
    assert_error(promoted, 403, "FORBIDDEN")


def test_given_acme_admin_when_promoting_then_removing_a_member_should_answer_200_then_404(
    base_url: str, auth: Auth
) -> None:
    invited = invite(base_url, auth)
    path, admin = f"/users/{invited['id']}", auth("acme-admin")

    promoted = call(base_url, "PATCH", path, headers=admin, json={"role": "admin", "version": 1})
    stale = call(base_url, "PATCH", path, headers=admin, json={"name": "Lost update", "version": 1})
    removed = call(base_url, "DELETE", f"{path}?version=2", headers=admin)
    gone = call(base_url, "GET", path, headers=admin)

    assert (data(promoted)["role"], data(promoted)["version"]) == ("admin", 2)
    assert assert_error(stale, 409, "CONFLICT")["details"] == [{"field": "version", "currentVersion": 2}]
    assert data(removed)["id"] == invited["id"]
    assert_error(gone, 404, "NOT_FOUND")
    listed = data(call(base_url, "GET", "/users", headers=admin))["items"]
    assert sorted(item["email"] for item in listed) == ACME_EMAILS


def test_given_acme_admin_when_inviting_an_owner_should_answer_403(base_url: str, auth: Auth) -> None:
    body = {"email": unique_email("owner"), "role": "owner"}

    response = call(base_url, "POST", "/users", headers=auth("acme-admin"), json=body)

    assert_error(response, 403, "FORBIDDEN")
    assert len(data(call(base_url, "GET", "/users", headers=auth("acme-admin")))["items"]) == 3


@pytest.mark.parametrize(("method", "body"), [("PATCH", {"role": "member"}), ("DELETE", None)])
def test_given_acme_admin_when_demoting_or_removing_the_owner_should_answer_403(
    base_url: str, auth: Auth, method: str, body: dict[str, Any] | None
) -> None:
    path = f"/users/{demo_user('acme-owner').user_id}"

    response = call(base_url, method, path, headers=auth("acme-admin"), json=body)

    assert_error(response, 403, "FORBIDDEN")
    after = data(call(base_url, "GET", path, headers=auth("acme-owner")))
    assert (after["role"], after["version"]) == ("owner", 1)


@pytest.mark.parametrize(("method", "body"), [("PATCH", {"role": "admin"}), ("DELETE", None)])
def test_given_the_last_owner_when_demoting_or_removing_themself_should_answer_409(
    base_url: str, auth: Auth, method: str, body: dict[str, Any] | None
) -> None:
    path = f"/users/{demo_user('acme-owner').user_id}"

    response = call(base_url, method, path, headers=auth("acme-owner"), json=body)

    assert_error(response, 409, "CONFLICT")
    after = data(call(base_url, "GET", path, headers=auth("acme-owner")))
    assert (after["role"], after["version"]) == ("owner", 1)
    assert data(call(base_url, "GET", "/tenant", headers=auth("acme-owner")))["ownerCount"] == 1


def test_given_two_owners_when_one_steps_down_should_answer_200_and_count_one_owner(
    base_url: str, auth: Auth, mint: Mint
) -> None:
    # The new owner steps down, not acme-owner: a role change is written to the shared identity store.
    second = invite(base_url, auth, role="owner", by="acme-owner")
    path = f"/users/{second['id']}"

    response = call(base_url, "PATCH", path, headers=mint(ACME, second["id"], Role.OWNER), json={"role": "admin"})

    assert (second["role"], data(response)["role"]) == ("owner", "admin")
    assert data(call(base_url, "GET", "/tenant", headers=auth("acme-member")))["ownerCount"] == 1
    data(call(base_url, "DELETE", path, headers=auth("acme-owner")))


@pytest.mark.parametrize(
    "email",
    ["member@acme.example", "Member@ACME.Example", "admin@globex.example"],
    ids=["same", "case", "other-tenant"],
)
def test_given_a_taken_email_when_inviting_should_answer_409(base_url: str, auth: Auth, email: str) -> None:
    response = call(base_url, "POST", "/users", headers=auth("acme-admin"), json={"email": email, "role": "member"})

    assert_error(response, 409, "CONFLICT")
    assert len(data(call(base_url, "GET", "/users", headers=auth("acme-admin")))["items"]) == 3


def test_given_an_invited_email_when_inviting_it_again_should_answer_409(base_url: str, auth: Auth) -> None:
    invited = invite(base_url, auth)
    body = {"email": invited["email"], "role": "admin"}

    response = call(base_url, "POST", "/users", headers=auth("acme-admin"), json=body)

    assert_error(response, 409, "CONFLICT")


@pytest.mark.parametrize(("method", "body"), [("GET", None), ("PATCH", {"role": "admin"}), ("DELETE", None)])
def test_given_globex_admin_when_addressing_an_acme_user_should_answer_404_and_leave_it_intact(
    base_url: str, auth: Auth, method: str, body: dict[str, Any] | None
) -> None:
    path = f"/users/{demo_user('acme-member').user_id}"

    response = call(base_url, method, path, headers=auth("globex-admin"), json=body)

    assert_error(response, 404, "NOT_FOUND")
    after = data(call(base_url, "GET", path, headers=auth("acme-admin")))
    assert (after["role"], after["version"]) == ("member", 1)


def test_given_a_malformed_user_id_when_getting_a_user_should_answer_400(base_url: str, auth: Auth) -> None:
    response = call(base_url, "GET", "/users/not-a-uuid", headers=auth("acme-admin"))

    assert_error(response, 400, "VALIDATION_ERROR")
