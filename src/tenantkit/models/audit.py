"""AuditRecord: an immutable record of one change, written in the same transaction as the change.

Access patterns:
- primary  `tenant#<t>#audit` / `audit#<id>`: a tenant's trail, newest first (ids are ULIDs);
- gsi1     `tenant#<t>#audit#entity#<type>#id#<entity id>` / `audit#<id>`: the trail of one entity.
"""

from __future__ import annotations

from typing import Any

from tenantkit.models.base import BaseModel, TenantModel
from tenantkit.models.casing import snake_to_camel
from tenantkit.models.keys import build_key, tenant_key
from tenantkit.models.schema import ModelSchemas, object_schema
from tenantkit.models.shared_schemas import (
    ID_PATTERN,
    ID_SCHEMA,
    SEGMENT_SCHEMA,
    TIMESTAMP_SCHEMA,
    USER_ID_PATTERN,
    USER_ID_SCHEMA,
)

ACTIONS = ("create", "update", "delete")
#: The id of an audited entity: a ULID, or a user id (users are keyed by the identity's subject).
ENTITY_ID_SCHEMA: dict[str, Any] = {"type": "string", "anyOf": [{"pattern": ID_PATTERN}, {"pattern": USER_ID_PATTERN}]}

AUDIT_SCHEMAS = ModelSchemas(
    document=object_schema(
        {
            "id": ID_SCHEMA,
            "tenant_id": ID_SCHEMA,
            "user_id": USER_ID_SCHEMA,
            "actor_role": {"type": "string"},
            "action": {"type": "string", "enum": list(ACTIONS)},
            "entity_type": SEGMENT_SCHEMA,
            "entity_id": ENTITY_ID_SCHEMA,
            "changed_fields": {"type": "array", "items": {"type": "string"}},
            "old_values": {"type": "object"},
            "new_values": {"type": "object"},
            "entity_version": {"type": "integer"},
            "correlation_id": {"type": ["string", "null"]},
            "created_utc": TIMESTAMP_SCHEMA,
        }
    ),
    create=object_schema({}),
    update=object_schema({}),
)


class AuditRecord(TenantModel):
    """Who (`user_id`, `actor_role`) did what (`action`) to which entity, when, and what changed.

    `old_values` / `new_values` hold the changed fields except the entity's sensitive ones.
    """

    SCHEMAS = AUDIT_SCHEMAS

    def __init__(self, tenant_id: str = "", user_id: str = "") -> None:
        super().__init__(tenant_id, user_id)
        self.actor_role: str = ""
        self.action: str = ""
        self.entity_type: str = ""
        self.entity_id: str = ""
        self.changed_fields: list[str] = []
        self.old_values: dict[str, Any] = {}
        self.new_values: dict[str, Any] = {}
        self.entity_version: int = 0
        self.correlation_id: str | None = None
        self._setup_indexes()

    def to_ui_payload(self) -> dict[str, Any]:
        """camelCase through the audited entity's own schema: field names and the keys it declares
        inside values (`limits.maxUsers`) are renamed, user maps (`metadata`) are not."""
        payload = super().to_ui_payload()
        entity = BaseModel.model_for(self.entity_type)
        case = entity.SCHEMAS.case_map if entity is not None and entity.SCHEMAS is not None else None
        rename = case.camel_name if case is not None else snake_to_camel
        payload["changedFields"] = [rename(name) for name in self.changed_fields]
        for key, values in (("oldValues", self.old_values), ("newValues", self.new_values)):
            payload[key] = case.to_camel(values) if case is not None else {rename(k): v for k, v in values.items()}
        return payload

    def _setup_indexes(self) -> None:
        self.define_primary(lambda: tenant_key(self.tenant_id, "audit"), lambda: build_key(("audit", self.id)))
        self.define_index(
            "gsi1",
            lambda: tenant_key(self.tenant_id, "audit", ("entity", self.entity_type), ("id", self.entity_id)),
            lambda: build_key(("audit", self.id)),
        )
