"""Tenants and users through their Lambdas with API Gateway events, on moto."""

from __future__ import annotations

from typing import Any

import pytest
from events import body_of, load_lambda, make_event

from tenantkit.models.ids import new_user_id
from tenantkit.services.factory import ServiceFactory
from tenantkit.services.identity import LocalIdentityStore


@pytest.fixture(scope="module")
def tenants_lambda() -> Any:
    return load_lambda("tenants")


@pytest.fixture(scope="module")
def users_lambda() -> Any:
    return load_lambda("users")


@pytest.fixture
def services(moto_db: Any, monkeypatch: pytest.MonkeyPatch) -> ServiceFactory:
    monkeypatch.setenv("TENANTKIT_METRICS", "off")
    return ServiceFactory(db=moto_db, identity=LocalIdentityStore())


def _claims(user_id: str, role: str, tenant_id: str | None = None) -> dict[str, str]:
    claims = {"sub": user_id, "custom:role": role, "token_use": "id"}
    if tenant_id:
        claims["custom:tenant_id"] = tenant_id
    return claims


def _onboard(tenants_lambda: Any, services: ServiceFactory, name: str, email: str) -> dict[str, Any]:
    event = make_event(
        "POST", "/tenants", body={"name": name, "owner": {"email": email}}, claims=_claims(new_user_id(), "operator")
    )
    response = tenants_lambda(event, None, services)
    assert response["statusCode"] == 201, response["body"]
    return body_of(response)["data"]


def _owner_claims(onboarded: dict[str, Any]) -> dict[str, str]:
    return _claims(onboarded["owner"]["id"], "owner", onboarded["tenant"]["id"])


def test_given_an_operator_token_when_posting_a_tenant_should_answer_201_with_tenant_and_owner_in_camel_case(
    tenants_lambda, services
) -> None:
    data = _onboard(tenants_lambda, services, "Initech", "bill@initech.example")

    assert set(data) == {"tenant", "owner"}
    assert data["tenant"]["limits"]["maxUsers"] == 25
    assert data["owner"]["role"] == "owner"
    assert data["owner"]["tenantId"] == data["tenant"]["id"]


@pytest.mark.parametrize("role", ["member", "admin", "owner"])
def test_given_a_tenant_token_when_posting_a_tenant_should_answer_403(tenants_lambda, services, role) -> None:
    onboarded = _onboard(tenants_lambda, services, "A", "a@a.example")
    claims = _claims(new_user_id(), role, onboarded["tenant"]["id"])
    event = make_event("POST", "/tenants", body={"name": "x", "owner": {"email": "x@x.example"}}, claims=claims)

    response = tenants_lambda(event, None, services)

    assert response["statusCode"] == 403


def test_given_an_admin_when_patching_the_plan_should_answer_403_and_the_owner_too(
    tenants_lambda, users_lambda, services
) -> None:
    onboarded = _onboard(tenants_lambda, services, "A", "a@a.example")
    owner = _owner_claims(onboarded)
    invite = make_event("POST", "/users", body={"email": "ad@a.example", "role": "admin"}, claims=owner)
    admin_id = body_of(users_lambda(invite, None, services))["data"]["id"]
    admin = _claims(admin_id, "admin", onboarded["tenant"]["id"])

    as_admin = tenants_lambda(make_event("PATCH", "/tenant", body={"plan": "enterprise"}, claims=admin), None, services)
    as_owner = tenants_lambda(make_event("PATCH", "/tenant", body={"plan": "enterprise"}, claims=owner), None, services)
    rename = tenants_lambda(make_event("PATCH", "/tenant", body={"name": "Renamed"}, claims=owner), None, services)
    profile = tenants_lambda(make_event("GET", "/tenant", claims=admin), None, services)

    assert (as_admin["statusCode"], as_owner["statusCode"], rename["statusCode"]) == (403, 403, 200)
    assert body_of(profile)["data"]["plan"] == "free"
    assert body_of(profile)["data"]["name"] == "Renamed"


def test_given_the_operator_when_patching_a_tenant_should_change_plan_and_limits(tenants_lambda, services) -> None:
    onboarded = _onboard(tenants_lambda, services, "A", "a@a.example")
    path = {"tenantId": onboarded["tenant"]["id"]}
    body = {"plan": "enterprise", "limits": {"maxUsers": 500}}
    event = make_event(
        "PATCH", "/tenants/{tenantId}", path_params=path, body=body, claims=_claims(new_user_id(), "operator")
    )

    response = tenants_lambda(event, None, services)

    assert response["statusCode"] == 200
    assert body_of(response)["data"]["limits"]["maxUsers"] == 500


def test_given_users_routes_when_used_by_an_owner_should_invite_list_read_change_and_remove(
    tenants_lambda, users_lambda, services
) -> None:
    owner = _owner_claims(_onboard(tenants_lambda, services, "A", "a@a.example"))

    invited = users_lambda(
        make_event("POST", "/users", body={"email": "m@a.example", "role": "member"}, claims=owner), None, services
    )
    user_id = body_of(invited)["data"]["id"]
    path = {"userId": user_id}
    listed = users_lambda(make_event("GET", "/users", query={"limit": "1"}, claims=owner), None, services)
    promoted = users_lambda(
        make_event("PATCH", "/users/{userId}", path_params=path, body={"role": "admin", "version": 1}, claims=owner),
        None,
        services,
    )
    removed = users_lambda(make_event("DELETE", "/users/{userId}", path_params=path, claims=owner), None, services)
    gone = users_lambda(make_event("GET", "/users/{userId}", path_params=path, claims=owner), None, services)

    assert invited["statusCode"] == 201
    assert len(body_of(listed)["data"]["items"]) == 1
    assert body_of(listed)["data"]["nextCursor"] is not None
    assert body_of(promoted)["data"]["role"] == "admin"
    assert removed["statusCode"] == 200
    assert gone["statusCode"] == 404


def test_given_the_last_owner_when_deleting_themself_should_answer_409(tenants_lambda, users_lambda, services) -> None:
    onboarded = _onboard(tenants_lambda, services, "A", "a@a.example")
    path = {"userId": onboarded["owner"]["id"]}

    response = users_lambda(
        make_event("DELETE", "/users/{userId}", path_params=path, claims=_owner_claims(onboarded)), None, services
    )

    assert response["statusCode"] == 409
    assert body_of(response)["error"]["code"] == "CONFLICT"


def test_given_tenant_b_when_using_tenant_a_user_ids_should_answer_404_everywhere(
    tenants_lambda, users_lambda, services
) -> None:
    a = _onboard(tenants_lambda, services, "A", "a@a.example")
    b_owner = _owner_claims(_onboard(tenants_lambda, services, "B", "b@b.example"))
    path = {"userId": a["owner"]["id"]}

    codes = [
        users_lambda(make_event("GET", "/users/{userId}", path_params=path, claims=b_owner), None, services)[
            "statusCode"
        ],
        users_lambda(
            make_event("PATCH", "/users/{userId}", path_params=path, body={"name": "x"}, claims=b_owner), None, services
        )["statusCode"],
        users_lambda(make_event("DELETE", "/users/{userId}", path_params=path, claims=b_owner), None, services)[
            "statusCode"
        ],
    ]

    assert codes == [404, 404, 404]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-email", "role": "member"}, "email"),
        ({"email": "x@a.example", "role": "operator"}, "role"),
        ({"email": "x@a.example", "role": "member", "tenantId": "01JDEM0ACME0000000000000AA"}, "tenantId"),
    ],
)
def test_given_a_bad_invitation_when_posting_should_answer_400_naming_the_field(
    tenants_lambda, users_lambda, services, body, field
) -> None:
    owner = _owner_claims(_onboard(tenants_lambda, services, "A", "a@a.example"))

    response = users_lambda(make_event("POST", "/users", body=body, claims=owner), None, services)

    assert response["statusCode"] == 400
    assert field in [d["field"] for d in body_of(response)["error"]["details"]]
