"""Identity stack: tenancy attributes exist but the SPA client can never write them."""

from __future__ import annotations

from typing import Any

from aws_cdk import assertions

from tenantkit.auth.claims import ROLE_CLAIM, TENANT_CLAIM
from tenantkit.auth.context import Role

TENANCY_CLAIMS = {TENANT_CLAIM, ROLE_CLAIM}


def _one(template: assertions.Template, kind: str) -> dict[str, Any]:
    found = template.find_resources(kind)
    assert len(found) == 1, f"expected one {kind}, found {len(found)}"
    return dict(next(iter(found.values()))["Properties"])


def test_given_the_user_pool_when_synthesized_should_declare_the_tenancy_attributes_as_mutable_strings(
    templates: dict[str, assertions.Template],
) -> None:
    pool = _one(templates["identity"], "AWS::Cognito::UserPool")

    custom = {attr["Name"]: attr for attr in pool["Schema"] if "custom:" + attr["Name"] in TENANCY_CLAIMS}

    assert {"custom:" + name for name in custom} == TENANCY_CLAIMS
    assert all(attr["AttributeDataType"] == "String" and attr["Mutable"] is True for attr in custom.values())


def test_given_the_spa_client_when_synthesized_should_not_write_tenancy_attributes(
    templates: dict[str, assertions.Template],
) -> None:
    client = _one(templates["identity"], "AWS::Cognito::UserPoolClient")

    writable = set(client["WriteAttributes"])

    assert writable, "an absent WriteAttributes list would let the client write every attribute"
    assert not writable & TENANCY_CLAIMS
    assert not any(name.startswith("custom:") for name in writable)
    assert set(client["ReadAttributes"]) >= TENANCY_CLAIMS


def test_given_the_spa_client_when_synthesized_should_use_code_flow_without_a_secret(
    templates: dict[str, assertions.Template],
) -> None:
    client = _one(templates["identity"], "AWS::Cognito::UserPoolClient")

    assert client["GenerateSecret"] is False
    assert client["AllowedOAuthFlows"] == ["code"]
    assert client["AllowedOAuthFlowsUserPoolClient"] is True
    assert client["ExplicitAuthFlows"] == ["ALLOW_REFRESH_TOKEN_AUTH"]
    assert client["CallbackURLs"] == ["http://localhost:5173/auth/callback"]
    assert client["PreventUserExistenceErrors"] == "ENABLED"


def test_given_the_roles_when_synthesized_should_have_one_group_per_role(
    templates: dict[str, assertions.Template],
) -> None:
    groups = templates["identity"].find_resources("AWS::Cognito::UserPoolGroup")

    names = sorted(group["Properties"]["GroupName"] for group in groups.values())

    assert names == sorted(role.value for role in Role)


def test_given_the_user_pool_when_synthesized_should_be_retained_invite_only_with_a_strong_password_policy(
    templates: dict[str, assertions.Template],
) -> None:
    pools = templates["identity"].find_resources("AWS::Cognito::UserPool")
    pool = next(iter(pools.values()))

    properties = pool["Properties"]

    assert pool["DeletionPolicy"] == "Retain"
    assert properties["DeletionProtection"] == "ACTIVE"
    assert properties["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert properties["Policies"]["PasswordPolicy"]["MinimumLength"] >= 12
    assert properties["MfaConfiguration"] in ("OPTIONAL", "ON")
