"""The HTTP contract over real HTTP: local API Gateway + authorizer emulation + Lambdas + moto server."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jwt
import pytest
import requests
from http_support import Auth, assert_error, call
from openapi_spec_validator import validate

from tenantkit.local.demo import ACME, DEMO_GROUPS, GLOBEX, demo_user
from tenantkit.local.identity import LocalIdentityProvider
from tenantkit.local.stack import LocalStack

ALLOWED_ORIGIN = "http://localhost:5173"
ACME_GROUP_IDS = {group_id for handle, group_id, *_ in DEMO_GROUPS if handle.startswith("acme-")}
LEADERSHIP = "01JDEM0GR0VP00000000000A01"  # acme-owner's private group
ENGINEERING = "01JDEM0GR0VP00000000000A02"  # acme-admin's group, shared with the tenant
# What acme-member may see of the demo data: their own groups and those the tenant shares.
ACME_MEMBER_VISIBLE = {"My drafts", "Book club", "Engineering"}


def names(response: requests.Response) -> set[str]:
    return {item["name"] for item in response.json()["data"]["items"]}


def test_given_no_token_when_getting_health_should_answer_200_ok(base_url: str) -> None:
    response = call(base_url, "GET", "/health")

    assert response.status_code == 200
    body = response.json()
    assert (body["success"], body["data"], body["timestamp"][-1]) == (True, {"status": "ok"}, "Z")


def test_given_no_token_when_getting_openapi_json_should_serve_a_valid_openapi_3_1_document(base_url: str) -> None:
    response = call(base_url, "GET", "/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1.")
    assert {"/health", "/openapi.json", "/groups", "/groups/{groupId}"} <= set(document["paths"])
    validate(document)


def test_given_acme_member_when_listing_demo_data_should_see_own_and_shared_groups_only(
    base_url: str, auth: Auth
) -> None:
    response = call(base_url, "GET", "/groups", headers=auth("acme-member"))

    assert response.status_code == 200
    assert names(response) == ACME_MEMBER_VISIBLE
    assert response.json()["data"]["nextCursor"] is None


def test_given_acme_member_when_running_a_group_lifecycle_should_honour_versions_and_end_in_404(
    base_url: str, auth: Auth
) -> None:
    member = auth("acme-member")
    created = call(base_url, "POST", "/groups", headers=member, json={"name": "Chess", "groupType": "club"})
    assert created.status_code == 201, created.text
    group = created.json()["data"]
    path = f"/groups/{group['id']}"
    assert (group["tenantId"], group["userId"], group["version"]) == (ACME, demo_user("acme-member").user_id, 1)

    listed = call(base_url, "GET", "/groups", headers=member)
    fetched = call(base_url, "GET", path, headers=member)
    patched = call(base_url, "PATCH", path, headers=member, json={"description": "Tuesdays", "version": 1})
    stale = call(base_url, "PATCH", path, headers=member, json={"name": "Lost update", "version": 1})
    deleted = call(base_url, "DELETE", f"{path}?version=2", headers=member)
    gone = call(base_url, "GET", path, headers=member)

    assert names(listed) == ACME_MEMBER_VISIBLE | {"Chess"}
    assert fetched.status_code == 200
    assert fetched.json()["data"] == group
    assert patched.status_code == 200, patched.text
    assert (patched.json()["data"]["description"], patched.json()["data"]["version"]) == ("Tuesdays", 2)
    assert assert_error(stale, 409, "CONFLICT")["details"] == [{"field": "version", "currentVersion": 2}]
    assert deleted.status_code == 200
    assert deleted.json()["data"]["name"] == "Chess"
    assert_error(gone, 404, "NOT_FOUND")


@pytest.mark.parametrize(
    ("handle", "expected"),
    [
        ("acme-admin", {"Leadership", "Engineering", "Book club", "My drafts"}),
        ("acme-member", ACME_MEMBER_VISIBLE),
    ],
)
def test_given_limit_1_when_following_next_cursor_should_visit_every_visible_group_once_newest_first(
    base_url: str, auth: Auth, handle: str, expected: set[str]
) -> None:
    headers, params = auth(handle), {"limit": "1"}
    pages: list[dict[str, Any]] = []

    while len(pages) < 10:
        response = call(base_url, "GET", "/groups", headers=headers, params=params)
        assert response.status_code == 200, response.text
        pages.append(response.json()["data"])
        if pages[-1]["nextCursor"] is None:
            break
        params = {"limit": "1", "cursor": pages[-1]["nextCursor"]}

    items = [item for page in pages for item in page["items"]]
    assert all(len(page["items"]) == 1 for page in pages[:-1])
    assert sorted(item["name"] for item in items) == sorted(expected)
    created = [item["createdUtc"] for item in items]
    assert created == sorted(created, reverse=True)


def test_given_a_cursor_of_acme_when_globex_uses_it_should_answer_400(base_url: str, auth: Auth) -> None:
    first = call(base_url, "GET", "/groups?limit=1", headers=auth("acme-admin")).json()["data"]
    params = {"limit": "1", "cursor": first["nextCursor"]}

    response = call(base_url, "GET", "/groups", headers=auth("globex-admin"), params=params)

    assert_error(response, 400, "VALIDATION_ERROR")


@pytest.mark.parametrize(
    ("method", "options"),
    [("GET", {}), ("PATCH", {"json": {"name": "Taken over"}}), ("DELETE", {})],
)
@pytest.mark.parametrize("group_id", [LEADERSHIP, ENGINEERING])
def test_given_globex_admin_when_addressing_an_acme_group_should_answer_404_and_leave_it_intact(
    base_url: str, auth: Auth, method: str, options: dict[str, Any], group_id: str
) -> None:
    response = call(base_url, method, f"/groups/{group_id}", headers=auth("globex-admin"), **options)

    assert_error(response, 404, "NOT_FOUND")
    after = call(base_url, "GET", f"/groups/{group_id}", headers=auth("acme-owner"))
    assert after.status_code == 200
    assert after.json()["data"]["version"] == 1


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?groupType=team",
        "?groupType=club",
        "?groupType=personal",
        f"?groupType=team&userId={demo_user('acme-owner').user_id}",
        f"?groupType=club&userId={demo_user('acme-member').user_id}",
        "?createdAfter=2000-01-01T00:00:00Z",
        "?limit=100",
    ],
)
def test_given_globex_admin_when_listing_groups_should_see_none_of_acmes(base_url: str, auth: Auth, query: str) -> None:
    response = call(base_url, "GET", "/groups" + query, headers=auth("globex-admin"))

    assert response.status_code == 200, response.text
    items = response.json()["data"]["items"]
    assert {item["tenantId"] for item in items} <= {GLOBEX}
    assert not {item["id"] for item in items} & ACME_GROUP_IDS
    if query in ("", "?limit=100"):
        assert names(response) == {"Board", "Hiking"}


@pytest.fixture(scope="module")
def stranger_identity(tmp_path_factory: pytest.TempPathFactory) -> LocalIdentityProvider:
    """An identity provider with its own signing key, unknown to the stack."""
    return LocalIdentityProvider(key_path=Path(tmp_path_factory.mktemp("stranger")) / "key.pem")


def _bad_tokens(local_stack: LocalStack, stranger: LocalIdentityProvider, token: Callable[..., str]) -> dict[str, str]:
    user = demo_user("acme-admin")
    claims = {"tenant_id": user.tenant_id, "user_id": user.user_id, "role": user.role}
    forger = LocalIdentityProvider(key_path=stranger.key_path)
    assert local_stack.identity is not None
    forger.kid = local_stack.identity.kid  # a foreign signature behind the stack's own key id
    unsigned = jwt.decode(token("acme-admin"), options={"verify_signature": False})
    return {
        "missing": "",
        "garbage": "Bearer not-a-jwt",
        "empty bearer": "Bearer ",
        "basic scheme": "Basic YWRtaW46YWRtaW4=",
        # The verifier allows 30 s of clock skew: `ttl_seconds=-10` would still be accepted.
        "expired": f"Bearer {token('acme-admin', ttl_seconds=-120)}",
        "unknown key": f"Bearer {stranger.mint(**claims)}",
        "forged signature": f"Bearer {forger.mint(**claims)}",
        "alg none": "Bearer " + jwt.encode(unsigned, key=None, algorithm="none", headers={"kid": forger.kid}),
        "other client": f"Bearer {token('acme-admin', client_id='someone-else')}",
        "id token": f"Bearer {token('acme-admin', token_use='id')}",
        "other issuer": f"Bearer {token('acme-admin', iss='https://evil.example')}",
    }


BAD_TOKENS = ["missing", "garbage", "empty bearer", "basic scheme", "expired", "unknown key", "forged signature"]
BAD_TOKENS += ["alg none", "other client", "id token", "other issuer"]


@pytest.mark.parametrize("case", BAD_TOKENS)
def test_given_a_bad_token_when_creating_a_group_should_answer_401_from_the_gateway_without_running_the_handler(
    base_url: str,
    local_stack: LocalStack,
    stranger_identity: LocalIdentityProvider,
    token: Callable[..., str],
    auth: Auth,
    case: str,
) -> None:
    authorization = _bad_tokens(local_stack, stranger_identity, token)[case]
    headers = {"Origin": ALLOWED_ORIGIN, **({"Authorization": authorization} if authorization else {})}

    response = call(base_url, "POST", "/groups", headers=headers, json={"name": "Intruders", "groupType": "team"})

    # "Unauthorized" is the gateway's own message; the Lambda's auth says something else.
    assert assert_error(response, 401, "UNAUTHORIZED")["message"] == "Unauthorized"
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN  # the SPA can read the 401
    listing = call(base_url, "GET", "/groups?groupType=team", headers=auth("acme-admin"))
    assert names(listing) == {"Leadership", "Engineering"}


def test_given_an_allowed_origin_when_listing_groups_should_echo_it_with_credentials(base_url: str, auth: Auth) -> None:
    response = call(base_url, "GET", "/groups", headers={**auth("acme-member"), "Origin": ALLOWED_ORIGIN})

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert "Origin" in response.headers["Vary"]
    assert "X-Correlation-Id" in response.headers["Access-Control-Expose-Headers"]


@pytest.mark.parametrize(("path", "method"), [("/groups", "POST"), (f"/groups/{ENGINEERING}", "PATCH")])
def test_given_an_allowed_origin_when_preflighting_should_answer_204_with_the_allow_headers(
    base_url: str, path: str, method: str
) -> None:
    headers = {
        "Origin": ALLOWED_ORIGIN,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization,content-type",
    }

    response = call(base_url, "OPTIONS", path, headers=headers)

    assert response.status_code == 204
    assert response.content == b""
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert method in response.headers["Access-Control-Allow-Methods"].split(",")
    allowed_headers = {name.strip().lower() for name in response.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type"} <= allowed_headers


@pytest.mark.parametrize("origin", ["https://evil.example", "http://localhost:5174", "null"])
def test_given_a_disallowed_origin_when_calling_should_not_echo_it(base_url: str, auth: Auth, origin: str) -> None:
    preflight_headers = {"Origin": origin, "Access-Control-Request-Method": "POST"}

    preflight = call(base_url, "OPTIONS", "/groups", headers=preflight_headers)
    response = call(base_url, "GET", "/groups", headers={**auth("acme-member"), "Origin": origin})

    assert response.status_code == 200
    for answer in (preflight, response):
        assert "Access-Control-Allow-Origin" not in answer.headers
        assert "Access-Control-Allow-Credentials" not in answer.headers
    assert "Access-Control-Allow-Methods" not in preflight.headers


@pytest.mark.parametrize(
    ("content_type", "body", "status", "code"),
    [
        ("application/json", b'{"name": "Broken", ', 400, "VALIDATION_ERROR"),
        ("application/json", b'{"name": "Dup", "name": "Dup", "groupType": "t"}', 400, "VALIDATION_ERROR"),
        ("application/json", b'{"name": "Extra", "groupType": "t", "owner": "me"}', 400, "VALIDATION_ERROR"),
        ("text/plain", b'{"name": "Plain", "groupType": "t"}', 415, "UNSUPPORTED_MEDIA_TYPE"),
        ("application/x-www-form-urlencoded", b"name=Form&groupType=t", 415, "UNSUPPORTED_MEDIA_TYPE"),
        ("application/json", b'{"name": "' + b"x" * 70_000 + b'", "groupType": "t"}', 413, "PAYLOAD_TOO_LARGE"),
    ],
)
def test_given_bad_input_when_creating_a_group_should_answer_the_error_envelope_intact_over_http(
    base_url: str, auth: Auth, content_type: str, body: bytes, status: int, code: str
) -> None:
    headers = {**auth("acme-member"), "Content-Type": content_type}

    response = call(base_url, "POST", "/groups", headers=headers, data=body)

    assert_error(response, status, code)
    assert response.json()["correlationId"] == response.headers["X-Correlation-Id"]


def test_given_a_correlation_id_when_calling_should_carry_it_to_the_error_envelope(base_url: str, auth: Auth) -> None:
    headers = {**auth("acme-member"), "X-Correlation-Id": "e2e-trace-42"}

    response = call(base_url, "GET", "/groups/not-an-id", headers=headers)

    assert_error(response, 400, "VALIDATION_ERROR")
    assert response.json()["correlationId"] == "e2e-trace-42"
    assert response.headers["X-Correlation-Id"] == "e2e-trace-42"


@pytest.mark.parametrize("path", ["/nope", "/groups/x/y", "/Groups", "/health/"])
def test_given_an_unknown_path_when_calling_should_answer_the_404_envelope(
    base_url: str, auth: Auth, path: str
) -> None:
    response = call(base_url, "GET", path, headers=auth("acme-member"))

    assert_error(response, 404, "NOT_FOUND")


def test_given_a_known_path_when_calling_an_undeclared_method_should_answer_405_with_allow(
    base_url: str, auth: Auth
) -> None:
    response = call(base_url, "PUT", "/groups", headers=auth("acme-member"), json={})

    assert_error(response, 405, "METHOD_NOT_ALLOWED")
    assert {method.strip() for method in response.headers["Allow"].split(",")} == {"GET", "POST"}


@pytest.mark.parametrize(("method", "path"), [("GET", "/nope"), ("PUT", "/groups")])
def test_given_an_allowed_origin_when_the_gateway_answers_404_or_405_should_echo_the_origin(
    base_url: str, auth: Auth, method: str, path: str
) -> None:
    headers = {**auth("acme-member"), "Origin": ALLOWED_ORIGIN}

    response = call(base_url, method, path, headers=headers)

    assert response.status_code in (404, 405)
    assert response.headers.get("Access-Control-Allow-Origin") == ALLOWED_ORIGIN
