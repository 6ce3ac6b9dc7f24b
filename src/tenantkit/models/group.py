"""Group: a named collection owned by a user inside a tenant (the source design's Group).

Access patterns, each one query on a tenant-first partition:
- primary  `tenant#<t>#group#<id>` / `group#<id>`: one group by id;
- gsi1     `tenant#<t>#group#user#<u>#type#<type>` / `name#<name>#id#<id>`: a user's groups by type, by name;
- gsi2     `tenant#<t>#group#type#<type>` / `name#<name>#id#<id>`: the tenant's groups by type, by name;
- gsi3     `tenant#<t>#group#created` / `created#<epoch ms>#id#<id>`: the tenant's groups by creation time.
"""

from __future__ import annotations

from typing import Any

from tenantkit.models._boto3_assist import exclude_from_serialization
from tenantkit.models.base import TenantModel
from tenantkit.models.ids import epoch_ms
from tenantkit.models.keys import build_key, sortable_number, sortable_text, tenant_key
from tenantkit.models.schema import ModelSchemas, object_schema
from tenantkit.models.shared_schemas import (
    END,
    ID_SCHEMA,
    METADATA_SCHEMA,
    SEGMENT_SCHEMA,
    TEXT_LINE_SCHEMA,
    TIMESTAMP_SCHEMA,
    USER_ID_SCHEMA,
    VERSION_SCHEMA,
)

VISIBILITIES = ("private", "tenant")

_PRIVACY = object_schema({"visibility": {"type": "string", "enum": list(VISIBILITIES)}}, required=("visibility",))
_WRITABLE: dict[str, Any] = {
    "name": {**TEXT_LINE_SCHEMA, "maxLength": 200},
    "description": {"type": "string", "maxLength": 2000},
    "group_type": SEGMENT_SCHEMA,
    "icon": {"type": ["string", "null"], "maxLength": 100},
    "color": {"type": ["string", "null"], "pattern": "^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})" + END},
    "privacy_settings": _PRIVACY,
    "metadata": METADATA_SCHEMA,
}

GROUP_SCHEMAS = ModelSchemas(
    document=object_schema(
        {
            "id": ID_SCHEMA,
            "tenant_id": ID_SCHEMA,
            "user_id": USER_ID_SCHEMA,
            **_WRITABLE,
            "version": VERSION_SCHEMA,
            "created_utc": TIMESTAMP_SCHEMA,
            "updated_utc": TIMESTAMP_SCHEMA,
        }
    ),
    create=object_schema({"id": ID_SCHEMA, **_WRITABLE}, required=("name", "group_type")),
    update=object_schema({**_WRITABLE, "version": VERSION_SCHEMA}, minProperties=1),
)


class Group(TenantModel):
    """A group of the source design, with tenant-first keys on every index."""

    SCHEMAS = GROUP_SCHEMAS

    def __init__(self, tenant_id: str = "", user_id: str = "") -> None:
        super().__init__(tenant_id, user_id)
        self.name: str = ""
        self.description: str = ""
        self.group_type: str = ""
        self.icon: str | None = None
        self.color: str | None = None
        self.privacy_settings: dict[str, Any] = {"visibility": "private"}
        self._setup_indexes()

    @property
    @exclude_from_serialization  # type: ignore[untyped-decorator]
    def visibility(self) -> str:
        return str(self.privacy_settings.get("visibility", "private"))

    def _name_sort_key(self) -> str:
        return build_key(("name", sortable_text(self.name)), ("id", self.id))

    def _setup_indexes(self) -> None:
        self.define_primary(
            lambda: tenant_key(self.tenant_id, ("group", self.id)), lambda: build_key(("group", self.id))
        )
        self.define_index(
            "gsi1",
            lambda: tenant_key(self.tenant_id, "group", ("user", self.user_id), ("type", self.group_type)),
            self._name_sort_key,
        )
        self.define_index(
            "gsi2", lambda: tenant_key(self.tenant_id, "group", ("type", self.group_type)), self._name_sort_key
        )
        self.define_index(
            "gsi3",
            lambda: tenant_key(self.tenant_id, "group", "created"),
            lambda: build_key(("created", sortable_number(epoch_ms(self.created_utc))), ("id", self.id)),
        )
