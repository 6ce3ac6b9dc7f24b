"""Every Lambda entry point imports cleanly and the route registry maps onto them one to one."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from typing import Any
from unittest.mock import create_autospec

import pytest
from events import ROOT, body_of, claims_for, load_lambda, make_event

from tenantkit.api.registry import EVENT_LAMBDAS, Route, all_routes
from tenantkit.auth.context import TenantContext
from tenantkit.models.ids import new_id
from tenantkit.services.factory import ServiceFactory

LAMBDA_DIRS = sorted(path.parent.name for path in (ROOT / "lambdas").glob("*/handler.py"))
HTTP_LAMBDAS = [name for name in LAMBDA_DIRS if name not in EVENT_LAMBDAS]
ROUTES = all_routes()
ROUTE_IDS = [f"{route.method} {route.path}" for route in ROUTES]


@pytest.fixture(autouse=True)
def _quiet_metrics(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENANTKIT_METRICS", "off")


@pytest.fixture(scope="module")
def handlers() -> dict[str, Callable[..., dict[str, Any]]]:
    return {name: load_lambda(name) for name in HTTP_LAMBDAS}


def event_for(route: Route, ctx: TenantContext) -> dict[str, Any]:
    """A plausible request for `route`: ids in its path, a JSON body where it takes one, claims."""
    names = re.findall(r"{(\w+)}", route.path)
    body = {} if route.takes_body else None
    return make_event(
        route.method, route.path, path_params={n: new_id() for n in names} or None, body=body, claims=claims_for(ctx)
    )


def is_no_such_route(response: dict[str, Any]) -> bool:
    body = body_of(response)
    return (
        response["statusCode"] == 404
        and isinstance(body, dict)
        and body.get("error", {}).get("message") == "No such route"
    )


def test_given_the_lambdas_directory_when_listing_handlers_should_find_one_per_resource() -> None:
    resources = {route.resource for route in ROUTES}

    assert LAMBDA_DIRS, "no lambdas/*/handler.py found"
    assert set(HTTP_LAMBDAS) == resources
    assert set(EVENT_LAMBDAS) <= set(LAMBDA_DIRS)


@pytest.mark.parametrize("name", LAMBDA_DIRS)
def test_given_a_lambda_module_when_imported_should_expose_a_handler_with_the_injection_signature(name: str) -> None:
    handler = load_lambda(name)

    assert callable(handler)
    parameters = list(inspect.signature(handler).parameters.values())
    assert [p.name for p in parameters] == ["event", "context", "injected_services"]
    assert parameters[2].default is None
    assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in parameters)


def test_given_a_fresh_interpreter_when_importing_every_lambda_should_create_no_aws_client() -> None:
    script = textwrap.dedent(
        """
        import importlib.util, sys
        import boto3, boto3.session

        def no_aws(*args, **kwargs):
            raise SystemExit("AWS client created at import time")

        boto3.client = boto3.resource = no_aws
        boto3.session.Session.client = boto3.session.Session.resource = no_aws
        for path in sys.argv[1:]:
            spec = importlib.util.spec_from_file_location("handler_" + path.split("/")[-2], path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            assert callable(module.lambda_handler), path
        print("ok")
        """
    )
    paths = [str(ROOT / "lambdas" / name / "handler.py") for name in LAMBDA_DIRS]

    result = subprocess.run(  # noqa: S603 - fixed interpreter and our own files
        [sys.executable, "-c", script, *paths], capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stderr[-2000:] + result.stdout[-2000:]
    assert result.stdout.strip() == "ok"


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_given_a_registry_route_when_called_on_every_lambda_should_be_served_by_exactly_its_resources_lambda(
    handlers: dict[str, Callable[..., dict[str, Any]]],
    factory: Any,
    make_ctx: Callable[..., TenantContext],
    route: Route,
) -> None:
    ctx = make_ctx("owner")

    serving = [
        name
        for name, handler in handlers.items()
        if not is_no_such_route(handler(event_for(route, ctx), None, factory))
    ]

    assert serving == [route.resource]


def test_given_a_path_no_route_declares_when_called_on_every_lambda_should_answer_the_404_envelope(
    handlers: dict[str, Callable[..., dict[str, Any]]], factory: Any, make_ctx: Callable[..., TenantContext]
) -> None:
    event = make_event("GET", "/definitely-not-a-route", claims=claims_for(make_ctx("member")))

    responses = {name: handler(event, None, factory) for name, handler in handlers.items()}

    for name, response in responses.items():
        assert is_no_such_route(response), name
        body = body_of(response)
        assert body["success"] is False
        assert body["error"]["code"] == "NOT_FOUND"


def test_given_the_system_lambda_when_checking_health_without_auth_should_answer_ok(system_lambda: Any) -> None:
    response = system_lambda(make_event("GET", "/health"), None, create_autospec(ServiceFactory, instance=True))

    assert response["statusCode"] == 200
    body = body_of(response)
    assert body["success"] is True
    assert body["data"] == {"status": "ok"}


def test_given_the_system_lambda_when_fetching_openapi_without_auth_should_document_every_route(
    system_lambda: Any,
) -> None:
    pytest.importorskip("tenantkit.api.openapi")

    response = system_lambda(make_event("GET", "/openapi.json"), None, create_autospec(ServiceFactory, instance=True))

    assert response["statusCode"] == 200
    document = body_of(response)
    assert str(document["openapi"]).startswith("3.")
    for route in ROUTES:
        assert route.method.lower() in document["paths"][route.path], f"{route.method} {route.path}"
