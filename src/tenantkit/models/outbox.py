"""OutboxRecord: a domain event waiting to be published, written in its change's own transaction.

primary `tenant#<t>#outbox` / `event#<id>`: the tenant's unpublished events, oldest first.
Records are deleted once published; what stays is retried by the relay (the table's stream in
AWS, `Outbox.relay` locally), so an event is published if and only if its change committed.
"""

from __future__ import annotations

from typing import Any

from tenantkit.models.base import TenantModel
from tenantkit.models.keys import build_key, tenant_key
from tenantkit.models.schema import ModelSchemas, object_schema

OUTBOX_SCHEMAS = ModelSchemas(
    document=object_schema(
        {
            "id": {"type": "string"},
            "tenant_id": {"type": "string"},
            "user_id": {"type": "string"},
            "event_name": {"type": "string"},
            "entity_type": {"type": "string"},
            "entity_id": {"type": "string"},
            "payload": {"type": "object"},
            "created_utc": {"type": "string"},
        }
    ),
    create=object_schema({}),
    update=object_schema({}),
)


class OutboxRecord(TenantModel):
    SCHEMAS = OUTBOX_SCHEMAS

    def __init__(self, tenant_id: str = "", user_id: str = "") -> None:
        super().__init__(tenant_id, user_id)
        self.event_name: str = ""
        self.entity_type: str = ""
        self.entity_id: str = ""
        self.payload: dict[str, Any] = {}
        self._setup_indexes()

    def _setup_indexes(self) -> None:
        self.define_primary(lambda: tenant_key(self.tenant_id, "outbox"), lambda: build_key(("event", self.id)))
