"""End-to-end fixtures: the whole local stack (moto server, local API Gateway, Lambdas) over real HTTP.

One `LocalStack` serves the session on free ports. Before each test that uses it, the embedded
DynamoDB is wiped and the demo data re-seeded: other test suites run moto in-process (`mock_aws`),
which shares moto's global backends with the embedded server and resets them on entry.

`AWS_ENDPOINT_URL_DYNAMODB`, which the stack sets for its own DynamoDB client, is set only while an
e2e test runs, so no other test (nor a `make run` started from a test) talks to this moto server.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tenantkit.api.dispatch import reset_production_services
from tenantkit.local.demo import demo_user
from tenantkit.local.stack import LocalStack
from tenantkit.store.client import reset_connection

ROOT = Path(__file__).resolve().parents[2]
ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_DYNAMODB"
ALLOWED_ORIGIN = "http://localhost:5173"
HTTP_TIMEOUT = 10


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    """The local stack on free ports (API and DynamoDB), with the demo tenants, for the session.

    Its sign-ins live in a scratch file, never in the developer's `.tenantkit/identities.json`.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(ENDPOINT_VARIABLE, raising=False)
        patch.setenv("TENANTKIT_METRICS", "off")
        patch.setenv("TENANTKIT_IDENTITY_STORE", str(tmp_path_factory.mktemp("identities") / "identities.json"))
        stack = LocalStack(project_root=ROOT, port=0)
        try:
            stack.start()
            os.environ.pop(ENDPOINT_VARIABLE, None)  # set again per test by `_fresh_local_data`
            yield stack
        finally:
            stack.stop()
            reset_connection()


@pytest.fixture(autouse=True)
def _fresh_local_data(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests that use the stack start from the demo data alone (table wiped, re-created, re-seeded)."""
    if "local_stack" not in request.fixturenames:
        yield
        return
    stack: LocalStack = request.getfixturevalue("local_stack")
    assert stack.dynamodb is not None
    assert stack.dynamodb.endpoint is not None
    monkeypatch.setenv(ENDPOINT_VARIABLE, stack.dynamodb.endpoint)
    reset_connection()
    reset_production_services()
    stack.reset_data()
    yield
    reset_production_services()
    reset_connection()


@pytest.fixture
def base_url(local_stack: LocalStack) -> str:
    return local_stack.url


@pytest.fixture
def token(local_stack: LocalStack) -> Callable[..., str]:
    """`token("acme-member")`: a bearer token of a demo user, signed by the stack's local key.

    Keyword arguments go to `LocalIdentityProvider.mint` (`ttl_seconds=`, claim overrides).
    """
    identity = local_stack.identity
    assert identity is not None

    def mint(handle: str, **options: Any) -> str:
        user = demo_user(handle)
        return identity.mint(tenant_id=user.tenant_id, user_id=user.user_id, role=user.role, **options)

    return mint


@pytest.fixture
def auth(token: Callable[..., str]) -> Callable[[str], dict[str, str]]:
    """`auth("acme-admin")`: the `Authorization` header of a demo user."""

    def headers(handle: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token(handle)}"}

    return headers
