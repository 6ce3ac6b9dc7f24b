"""Shared fixtures: a safe AWS environment, an in-process moto table, tenants and callers."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tenantkit.config import load_env_file

ROOT = Path(__file__).resolve().parents[1]

# Tests must never reach real AWS: fake credentials win over anything in the shell.
for _name in (
    "AWS_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_DYNAMODB",
):
    os.environ.pop(_name, None)
os.environ["AWS_ACCESS_KEY_ID"] = "testing"
os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
load_env_file(ROOT, ".env.development")


@pytest.fixture
def moto_db() -> Iterator[Any]:
    """A boto3-assist `DynamoDB` on an in-process moto DynamoDB with the tenantkit table created."""
    from moto import mock_aws

    from tenantkit.models.table_spec import default_table_spec
    from tenantkit.store.client import new_client, reset_connection, wrap_client
    from tenantkit.store.table_admin import ensure_table

    with mock_aws():
        reset_connection()
        client = new_client(region_name="us-east-1")
        ensure_table(client, os.environ["APP_TABLE_NAME"], default_table_spec())
        yield wrap_client(client)
    reset_connection()


@pytest.fixture
def factory(moto_db: Any) -> Any:
    from tenantkit.services.factory import ServiceFactory

    return ServiceFactory(db=moto_db)


@pytest.fixture
def make_ctx() -> Callable[..., Any]:
    """`make_ctx("admin", tenant_id=...)`: a verified caller; fresh ids unless given."""
    from tenantkit.auth.context import Role, TenantContext
    from tenantkit.models.ids import new_id, new_user_id

    def build(role: str = "member", tenant_id: str | None = None, user_id: str | None = None) -> TenantContext:
        return TenantContext(tenant_id or new_id(), user_id or new_user_id(), Role.parse(role))

    return build
