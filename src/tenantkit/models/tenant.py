"""Tenant: the customer account. Its profile item also holds the counters that guard membership.

primary `tenant#<t>#profile` / `tenant`. `owner_count` and `user_count` change in the same
transaction as the membership change they count, under conditions (never below one owner, never
above `limits.max_users`), so concurrent requests cannot break either rule.
"""

from __future__ import annotations

from typing import Any

from tenantkit.models.base import TenantModel
from tenantkit.models.keys import tenant_key
from tenantkit.models.schema import ModelSchemas, object_schema
from tenantkit.models.shared_schemas import (
    END,
    ID_SCHEMA,
    METADATA_SCHEMA,
    TEXT_LINE_SCHEMA,
    TIMESTAMP_SCHEMA,
    VERSION_SCHEMA,
)

PLANS = ("free", "pro", "enterprise")
TIERS = ("pooled", "silo")
STATUSES = ("active", "suspended")
DEFAULT_LIMITS = {"max_users": 25, "max_groups": 500, "max_tasks": 10_000}

_NAME = {**TEXT_LINE_SCHEMA, "maxLength": 200}
_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
LIMITS_SCHEMA = object_schema(
    {name: {"type": "integer", "minimum": 1, "maximum": 1_000_000} for name in DEFAULT_LIMITS}
)
EMAIL_SCHEMA: dict[str, Any] = {
    "type": "string",
    "maxLength": 254,
    "pattern": "^[^@\\s\\x00-\\x1f]{1,64}@" + _LABEL + "(?:\\." + _LABEL + ")+" + END,
}
OWNER_SCHEMA = object_schema({"email": EMAIL_SCHEMA, "name": _NAME}, required=("email",))
#: What the platform operator controls. Tenant users may never change these.
PLATFORM_FIELDS = ("plan", "tier", "limits", "status")

TENANT_SCHEMAS = ModelSchemas(
    document=object_schema(
        {
            "id": ID_SCHEMA,
            "name": _NAME,
            "plan": {"type": "string", "enum": list(PLANS)},
            "tier": {"type": "string", "enum": list(TIERS)},
            "status": {"type": "string", "enum": list(STATUSES)},
            "limits": LIMITS_SCHEMA,
            "settings": METADATA_SCHEMA,
            "user_count": {"type": "integer"},
            "owner_count": {"type": "integer"},
            "version": VERSION_SCHEMA,
            "created_utc": TIMESTAMP_SCHEMA,
            "updated_utc": TIMESTAMP_SCHEMA,
        }
    ),
    create=object_schema(
        {
            "name": _NAME,
            "plan": {"type": "string", "enum": list(PLANS)},
            "tier": {"type": "string", "enum": list(TIERS)},
            "limits": LIMITS_SCHEMA,
            "settings": METADATA_SCHEMA,
            "owner": OWNER_SCHEMA,
        },
        required=("name", "owner"),
    ),
    # PATCH /tenant: tenant users send name/settings; platform fields are accepted by the schema so
    # that a tenant user trying them gets a clear 403 from the service rather than a 400.
    update=object_schema(
        {
            "name": _NAME,
            "settings": METADATA_SCHEMA,
            "plan": {"type": "string", "enum": list(PLANS)},
            "tier": {"type": "string", "enum": list(TIERS)},
            "limits": LIMITS_SCHEMA,
            "status": {"type": "string", "enum": list(STATUSES)},
            "version": VERSION_SCHEMA,
        },
        minProperties=1,
    ),
)


class Tenant(TenantModel):
    """A tenant's profile; `id` equals `tenant_id`."""

    SCHEMAS = TENANT_SCHEMAS

    def __init__(self, tenant_id: str = "", user_id: str = "") -> None:
        super().__init__(tenant_id, user_id)
        if tenant_id:
            self.id = tenant_id
        self.name: str = ""
        self.plan: str = "free"
        self.tier: str = "pooled"
        self.status: str = "active"
        self.limits: dict[str, int] = dict(DEFAULT_LIMITS)
        self.settings: dict[str, Any] = {}
        self.user_count: int = 0
        self.owner_count: int = 0
        self._setup_indexes()

    def _setup_indexes(self) -> None:
        self.define_primary(lambda: tenant_key(self.tenant_id, "profile"), lambda: "tenant")
