"""User: a person's membership of one tenant, with their role. `id` is the identity provider's subject.

- primary  `tenant#<t>#user#<user id>` / `user`;
- gsi1     `tenant#<t>#users` / `email#<email>#id#<user id>`: the tenant's users by email.
`UserEmail` reserves an email inside a tenant: a conditional put in the same transaction as the
user, so two concurrent invitations of one address cannot both succeed.
"""

from __future__ import annotations

import hashlib

from tenantkit.models.base import TenantModel
from tenantkit.models.keys import build_key, sortable_text, tenant_key
from tenantkit.models.schema import ModelSchemas, object_schema
from tenantkit.models.shared_schemas import (
    ID_SCHEMA,
    TEXT_LINE_SCHEMA,
    TIMESTAMP_SCHEMA,
    USER_ID_SCHEMA,
    VERSION_SCHEMA,
)
from tenantkit.models.tenant import EMAIL_SCHEMA

TENANT_ROLES = ("member", "admin", "owner")
USER_STATUSES = ("invited", "active", "disabled")

_NAME = {**TEXT_LINE_SCHEMA, "maxLength": 200}

USER_SCHEMAS = ModelSchemas(
    document=object_schema(
        {
            "id": USER_ID_SCHEMA,
            "tenant_id": ID_SCHEMA,
            "email": EMAIL_SCHEMA,
            "name": {"type": "string"},
            "role": {"type": "string", "enum": list(TENANT_ROLES)},
            "status": {"type": "string", "enum": list(USER_STATUSES)},
            "version": VERSION_SCHEMA,
            "created_utc": TIMESTAMP_SCHEMA,
            "updated_utc": TIMESTAMP_SCHEMA,
        }
    ),
    create=object_schema(
        {"email": EMAIL_SCHEMA, "name": _NAME, "role": {"type": "string", "enum": list(TENANT_ROLES)}},
        required=("email", "role"),
    ),
    update=object_schema(
        {"name": _NAME, "role": {"type": "string", "enum": list(TENANT_ROLES)}, "version": VERSION_SCHEMA},
        minProperties=1,
    ),
)


def normalize_email(email: str) -> str:
    return email.strip().lower()


def email_digest(email: str) -> str:
    """A key-safe stand-in for an email (addresses may contain `#`)."""
    return hashlib.sha256(normalize_email(email).encode()).hexdigest()[:40]


class User(TenantModel):
    """A member of a tenant; `id` and `user_id` are both the identity provider's subject."""

    SCHEMAS = USER_SCHEMAS
    SENSITIVE_FIELDS = frozenset({"email"})

    def __init__(self, tenant_id: str = "", user_id: str = "") -> None:
        super().__init__(tenant_id, user_id)
        if user_id:
            self.id = user_id
        self.email: str = ""
        self.name: str = ""
        self.role: str = "member"
        self.status: str = "invited"
        self._setup_indexes()

    def _setup_indexes(self) -> None:
        self.define_primary(lambda: tenant_key(self.tenant_id, ("user", self.id)), lambda: "user")
        self.define_index(
            "gsi1",
            lambda: tenant_key(self.tenant_id, "users"),
            lambda: build_key(("email", sortable_text(self.email)), ("id", self.id)),
        )


class UserEmail(TenantModel):
    """The reservation of one email address inside a tenant (`user_id`: who holds it)."""

    def __init__(self, tenant_id: str = "", user_id: str = "", email: str = "") -> None:
        super().__init__(tenant_id, user_id)
        self.email_digest: str = email_digest(email) if email else ""
        self._setup_indexes()

    def _setup_indexes(self) -> None:
        self.define_primary(lambda: tenant_key(self.tenant_id, ("email", self.email_digest)), lambda: "email")
