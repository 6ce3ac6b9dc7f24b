"""The Cognito adapter of the identity-provider port, against moto's cognito-idp."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from tenantkit.models.ids import new_id
from tenantkit.services.identity import CognitoIdentityProvider, UserExistsError


@pytest.fixture
def cognito() -> Iterator[tuple[Any, str]]:
    with mock_aws():
        client = boto3.client("cognito-idp", region_name="us-east-1")
        pool_id = client.create_user_pool(
            PoolName="tenantkit",
            Schema=[
                {"Name": "tenant_id", "AttributeDataType": "String", "Mutable": True},
                {"Name": "role", "AttributeDataType": "String", "Mutable": True},
            ],
        )["UserPool"]["Id"]
        for group in ("member", "admin", "owner"):
            client.create_group(GroupName=group, UserPoolId=pool_id)
        yield client, pool_id


def _attributes(client: Any, pool_id: str, email: str) -> dict[str, str]:
    user = client.admin_get_user(UserPoolId=pool_id, Username=email)
    return {a["Name"]: a["Value"] for a in user["UserAttributes"]}


def _groups(client: Any, pool_id: str, email: str) -> list[str]:
    groups = client.admin_list_groups_for_user(UserPoolId=pool_id, Username=email)["Groups"]
    return sorted(g["GroupName"] for g in groups)


def test_given_an_invitation_when_creating_the_user_should_set_tenant_role_and_group(cognito) -> None:
    client, pool_id = cognito
    provider = CognitoIdentityProvider(pool_id, lambda: client)
    tenant_id = new_id()

    user_id = provider.create_user(email="Ada@Example.com", name="Ada", tenant_id=tenant_id, role="admin")

    attributes = _attributes(client, pool_id, "ada@example.com")
    assert attributes["sub"] == user_id
    assert attributes["custom:tenant_id"] == tenant_id
    assert attributes["custom:role"] == "admin"
    assert _groups(client, pool_id, "ada@example.com") == ["admin"]


def test_given_an_existing_email_when_creating_again_should_raise_user_exists(cognito) -> None:
    client, pool_id = cognito
    provider = CognitoIdentityProvider(pool_id, lambda: client)
    provider.create_user(email="dup@example.com", name="", tenant_id=new_id(), role="member")

    with pytest.raises(UserExistsError):
        provider.create_user(email="dup@example.com", name="", tenant_id=new_id(), role="member")


def test_given_a_role_change_when_applied_should_move_attribute_and_group(cognito) -> None:
    client, pool_id = cognito
    provider = CognitoIdentityProvider(pool_id, lambda: client)
    user_id = provider.create_user(email="bo@example.com", name="Bo", tenant_id=new_id(), role="member")

    provider.set_role(user_id=user_id, role="owner")

    assert _attributes(client, pool_id, "bo@example.com")["custom:role"] == "owner"
    assert _groups(client, pool_id, "bo@example.com") == ["owner"]


def test_given_a_removed_user_when_disabled_then_deleted_should_stop_existing(cognito) -> None:
    client, pool_id = cognito
    provider = CognitoIdentityProvider(pool_id, lambda: client)
    user_id = provider.create_user(email="cy@example.com", name="", tenant_id=new_id(), role="member")

    provider.disable_user(user_id=user_id)
    enabled = client.admin_get_user(UserPoolId=pool_id, Username="cy@example.com")["Enabled"]
    provider.delete_user(user_id=user_id)

    assert enabled is False
    with pytest.raises(client.exceptions.UserNotFoundException):
        client.admin_get_user(UserPoolId=pool_id, Username="cy@example.com")
