"""Least privilege: which DynamoDB actions a Lambda gets, derived from the routes it serves.

- A resource whose routes are all public (no tenant, e.g. `/health`) gets no table access at all.
- A resource whose tenant routes are all GET reads: `GetItem`, `Query`, `BatchGetItem`.
- A resource with any POST/PUT/PATCH/DELETE route also writes: `PutItem`, `UpdateItem`,
  `DeleteItem`, `ConditionCheckItem`, `BatchWriteItem`. `TransactWriteItems` has no IAM action of
  its own: each operation inside a transaction is authorized as its item-level action
  (Put/Update/Delete/ConditionCheck), so these cover the change-plus-audit transactions.

Never granted: `Scan` (it would cross tenants), PartiQL, table management, `dynamodb:*`.
Resources: the table ARN and `<table ARN>/index/*` only.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence

from aws_cdk import aws_iam as iam

from tenantkit.api.registry import Route

READ_ACTIONS = ("dynamodb:GetItem", "dynamodb:Query", "dynamodb:BatchGetItem")
WRITE_ACTIONS = (
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:BatchWriteItem",
)
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Cognito admin actions of `tenantkit.services.identity.CognitoIdentityProvider`, on the user pool only.
IDENTITY_ACTIONS = (
    "cognito-idp:AdminCreateUser",
    "cognito-idp:AdminAddUserToGroup",
    "cognito-idp:AdminRemoveUserFromGroup",
    "cognito-idp:AdminUpdateUserAttributes",
    "cognito-idp:AdminDisableUser",
    "cognito-idp:AdminEnableUser",
    "cognito-idp:AdminDeleteUser",
    "cognito-idp:ListUsers",
)
#: Resources whose services manage sign-ins (`ServiceFactory.identity`): tenants (first owner) and users.
#: The registry does not record this yet; a resource missing here fails at runtime with AccessDenied.
IDENTITY_PROVIDER_RESOURCES = frozenset({"tenants", "users"})
#: `dynamodb:LeadingKeys` pattern: every tenant-scoped key (table and GSI partition keys) starts so.
TENANT_KEY_PATTERN = "tenant#${aws:PrincipalTag/tenant_id}#*"


class TableAccess(enum.Enum):
    NONE = "none"
    READ = "read"
    READ_WRITE = "read-write"

    @property
    def actions(self) -> tuple[str, ...]:
        if self is TableAccess.NONE:
            return ()
        if self is TableAccess.READ:
            return READ_ACTIONS
        return READ_ACTIONS + WRITE_ACTIONS


def table_access(routes: Iterable[Route]) -> TableAccess:
    """The table access the given routes (one Lambda's) need."""
    tenant_routes = [route for route in routes if not route.public]
    if not tenant_routes:
        return TableAccess.NONE
    if any(route.method in WRITE_METHODS for route in tenant_routes):
        return TableAccess.READ_WRITE
    return TableAccess.READ


def table_resources(table_arn: str) -> list[str]:
    return [table_arn, f"{table_arn}/index/*"]


def table_statement(table_arn: str, access: TableAccess) -> iam.PolicyStatement | None:
    """The one statement a Lambda role gets for the table, or None for no access."""
    if access is TableAccess.NONE:
        return None
    return iam.PolicyStatement(
        sid="AppTable" + access.name.title().replace("_", ""),
        effect=iam.Effect.ALLOW,
        actions=list(access.actions),
        resources=table_resources(table_arn),
    )


def identity_statement(user_pool_arn: str) -> iam.PolicyStatement:
    """Admin access to the one user pool, for the resources that create and manage sign-ins."""
    return iam.PolicyStatement(
        sid="UserPoolAdmin",
        effect=iam.Effect.ALLOW,
        actions=list(IDENTITY_ACTIONS),
        resources=[user_pool_arn],
    )


def tenant_scoped_policy(
    table_arn: str, access: TableAccess = TableAccess.READ_WRITE, tag: str = "tenant_id"
) -> iam.PolicyDocument:
    """A policy that fences a principal to one tenant's items by IAM, for tenant-scoped credentials.

    Attach it to a role assumed *with a session tag* `tenant_id=<id>` (e.g. by a token-vending
    service or a Cognito identity pool mapping `custom:tenant_id` to a principal tag). DynamoDB then
    refuses any request whose partition key (of the table or of the queried GSI) does not start with
    `tenant#<id>#`. `ForAllValues` is vacuously true for requests without leading keys, which is why
    `Scan` and PartiQL must never be granted next to it (they are not here).

    The Lambda execution roles do not use this: one role serves every tenant, so there is no
    per-request principal tag to compare against; the code enforces tenancy there (see README).
    """
    if access is TableAccess.NONE:
        raise ValueError("a tenant-scoped policy needs some table access")
    pattern = TENANT_KEY_PATTERN.replace("tenant_id", tag)
    return iam.PolicyDocument(
        statements=[
            iam.PolicyStatement(
                sid="TenantItemsOnly",
                effect=iam.Effect.ALLOW,
                actions=list(access.actions),
                resources=table_resources(table_arn),
                conditions={
                    "ForAllValues:StringLike": {"dynamodb:LeadingKeys": [pattern]},
                    "StringLike": {f"aws:PrincipalTag/{tag}": "?*"},
                },
            )
        ]
    )


def resources_by_lambda(routes: Sequence[Route]) -> dict[str, list[Route]]:
    """Routes grouped by the resource (Lambda) that serves them, in registry order."""
    grouped: dict[str, list[Route]] = {}
    for route in routes:
        grouped.setdefault(route.resource, []).append(route)
    return grouped
