"""CORS: only configured origins are echoed (with credentials), preflights need no auth, never `*`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest.mock import create_autospec

import pytest
from events import ALLOWED_ORIGIN, body_of, claims_for, make_event

from tenantkit.auth.context import TenantContext
from tenantkit.services.factory import ServiceFactory

OTHER_ALLOWED = "http://127.0.0.1:5173"
EVIL = "https://evil.example"
ITEM = "/groups/{groupId}"
CORS_HEADERS = (
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Credentials",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
)


@pytest.fixture(autouse=True)
def _quiet_metrics(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENANTKIT_METRICS", "off")


@pytest.fixture
def unused() -> Any:
    """A factory for requests that must not reach a service (a call would answer 500, not the status expected)."""
    return create_autospec(ServiceFactory, instance=True)


def assert_no_wildcard(response: dict[str, Any]) -> None:
    for name, value in response["headers"].items():
        assert "*" not in value.split(","), f"{name}: {value}"


def assert_allowed(response: dict[str, Any], origin: str) -> None:
    headers = response["headers"]
    assert headers["Access-Control-Allow-Origin"] == origin
    assert headers["Access-Control-Allow-Credentials"] == "true"
    assert headers["Vary"] == "Origin"
    assert_no_wildcard(response)


def assert_refused(response: dict[str, Any]) -> None:
    headers = response["headers"]
    for name in CORS_HEADERS:
        assert name not in headers, name
    assert headers["Vary"] == "Origin"
    assert_no_wildcard(response)


@pytest.mark.parametrize("origin", [ALLOWED_ORIGIN, OTHER_ALLOWED])
def test_given_an_allowed_origin_when_listing_groups_should_echo_it_with_credentials_and_vary(
    groups_lambda: Any, factory: Any, make_ctx: Callable[..., TenantContext], origin: str
) -> None:
    event = make_event("GET", "/groups", headers={"Origin": origin}, claims=claims_for(make_ctx("member")))

    response = groups_lambda(event, None, factory)

    assert response["statusCode"] == 200
    assert_allowed(response, origin)
    assert "X-Correlation-Id" in response["headers"]["Access-Control-Expose-Headers"]


def test_given_an_allowed_origin_when_calling_a_public_route_should_echo_it(unused: Any, system_lambda: Any) -> None:
    response = system_lambda(make_event("GET", "/health", headers={"origin": ALLOWED_ORIGIN}), None, unused)

    assert response["statusCode"] == 200
    assert_allowed(response, ALLOWED_ORIGIN)


@pytest.mark.parametrize(
    "origin",
    [
        EVIL,
        "http://localhost:5174",
        "https://localhost:5173",
        "http://localhost:5173.evil.example",
        "http://evil.example/http://localhost:5173",
        "null",
        "*",
        "",
    ],
)
def test_given_a_disallowed_origin_when_requesting_should_send_no_cors_grant_but_vary_origin(
    groups_lambda: Any, factory: Any, make_ctx: Callable[..., TenantContext], origin: str
) -> None:
    event = make_event("GET", "/groups", headers={"Origin": origin}, claims=claims_for(make_ctx("member")))

    response = groups_lambda(event, None, factory)

    assert response["statusCode"] == 200
    assert_refused(response)


def test_given_no_origin_when_requesting_should_send_no_cors_grant(
    groups_lambda: Any, factory: Any, make_ctx: Callable[..., TenantContext]
) -> None:
    response = groups_lambda(make_event("GET", "/groups", claims=claims_for(make_ctx("member"))), None, factory)

    assert_refused(response)


@pytest.mark.parametrize("resource", ["/groups", ITEM])
def test_given_an_allowed_origin_when_preflighting_without_auth_should_answer_204_with_methods_and_headers(
    unused: Any, groups_lambda: Any, resource: str
) -> None:
    event = make_event(
        "OPTIONS",
        resource,
        path_params={"groupId": "01J0000000000000000000000A"} if "{" in resource else None,
        headers={
            "Origin": ALLOWED_ORIGIN,
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )

    response = groups_lambda(event, None, unused)

    assert response["statusCode"] == 204
    assert response["body"] == ""
    assert_allowed(response, ALLOWED_ORIGIN)
    headers = response["headers"]
    methods = {m.strip() for m in headers["Access-Control-Allow-Methods"].split(",")}
    assert {"GET", "POST", "PATCH", "DELETE", "OPTIONS"} <= methods
    allowed_headers = {h.strip().lower() for h in headers["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "x-correlation-id"} <= allowed_headers
    assert int(headers["Access-Control-Max-Age"]) > 0


def test_given_a_disallowed_origin_when_preflighting_should_answer_without_any_grant(
    unused: Any, groups_lambda: Any
) -> None:
    event = make_event("OPTIONS", "/groups", headers={"Origin": EVIL, "Access-Control-Request-Method": "DELETE"})

    response = groups_lambda(event, None, unused)

    assert response["statusCode"] == 204
    assert_refused(response)


def test_given_an_allowed_origin_when_the_request_is_unauthenticated_should_still_carry_cors_on_the_401(
    unused: Any, groups_lambda: Any
) -> None:
    response = groups_lambda(make_event("GET", "/groups", headers={"Origin": ALLOWED_ORIGIN}), None, unused)

    assert response["statusCode"] == 401
    assert body_of(response)["error"]["code"] == "UNAUTHORIZED"
    assert_allowed(response, ALLOWED_ORIGIN)


@pytest.mark.parametrize(
    ("event_options", "status"),
    [
        ({"method": "GET", "resource": "/nowhere"}, 404),
        ({"method": "POST", "resource": "/groups", "raw_body": "{"}, 400),
        ({"method": "POST", "resource": "/groups", "raw_body": "x", "headers": {"Content-Type": "text/plain"}}, 415),
    ],
    ids=["unknown-route", "bad-json", "media-type"],
)
def test_given_an_allowed_origin_when_the_request_fails_should_carry_cors_on_the_error(
    unused: Any,
    groups_lambda: Any,
    make_ctx: Callable[..., TenantContext],
    event_options: dict[str, Any],
    status: int,
) -> None:
    options = dict(event_options)
    method, resource = options.pop("method"), options.pop("resource")
    headers = {"Origin": ALLOWED_ORIGIN, **options.pop("headers", {})}
    event = make_event(method, resource, headers=headers, claims=claims_for(make_ctx("member")), **options)

    response = groups_lambda(event, None, unused)

    assert response["statusCode"] == status
    assert_allowed(response, ALLOWED_ORIGIN)


def test_given_an_allowed_origin_when_a_service_fails_unexpectedly_should_carry_cors_on_the_500(
    unused: Any, groups_lambda: Any, make_ctx: Callable[..., TenantContext]
) -> None:
    unused.group_service.list_by_created.side_effect = RuntimeError("boom")
    event = make_event("GET", "/groups", headers={"Origin": ALLOWED_ORIGIN}, claims=claims_for(make_ctx("member")))

    response = groups_lambda(event, None, unused)

    assert response["statusCode"] == 500
    assert_allowed(response, ALLOWED_ORIGIN)


@pytest.mark.parametrize("configured", ["*", " * ", "*,https://evil.example", "https://evil.example, *"])
def test_given_a_wildcard_in_the_configuration_when_any_origin_calls_should_never_answer_star(
    unused: Any, groups_lambda: Any, monkeypatch: pytest.MonkeyPatch, configured: str
) -> None:
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", configured)

    simple = groups_lambda(make_event("GET", "/groups", headers={"Origin": ALLOWED_ORIGIN}), None, unused)
    preflight = groups_lambda(
        make_event("OPTIONS", "/groups", headers={"Origin": "https://random.example"}), None, unused
    )

    for response in (simple, preflight):
        assert_refused(response)


def test_given_a_wildcard_next_to_real_origins_when_a_listed_origin_calls_should_echo_only_that_origin(
    unused: Any, groups_lambda: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", f"*, {ALLOWED_ORIGIN}/")

    listed = groups_lambda(make_event("OPTIONS", "/groups", headers={"Origin": ALLOWED_ORIGIN}), None, unused)
    other = groups_lambda(make_event("OPTIONS", "/groups", headers={"Origin": OTHER_ALLOWED}), None, unused)

    assert_allowed(listed, ALLOWED_ORIGIN)
    assert_refused(other)


def test_given_no_configured_origins_when_the_dev_origin_calls_should_grant_nothing(
    unused: Any, groups_lambda: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "")

    response = groups_lambda(make_event("OPTIONS", "/groups", headers={"Origin": ALLOWED_ORIGIN}), None, unused)

    assert_refused(response)
