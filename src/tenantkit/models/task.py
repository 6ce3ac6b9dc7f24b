"""Task: a piece of work inside a tenant, created by a user and optionally assigned and grouped.

`user_id` is the creator. `status` moves only along `TRANSITIONS`; COMPLETED and CANCELLED are
terminal. `completed_utc` is set by the service when the task enters COMPLETED.

Access patterns, each one query on a tenant-first partition, newest first:
- primary  `tenant#<t>#task#<id>` / `task#<id>`: one task by id;
- gsi1     `tenant#<t>#task#status#<status>` / `created#<epoch ms>#id#<id>`: the tenant's tasks by status;
- gsi2     `tenant#<t>#task#assignee#<user id>` / `created#...`: a user's assigned tasks (sparse);
- gsi3     `tenant#<t>#task#group#<group id>` / `created#...`: a group's tasks (sparse).
A task without an assignee (group) has no gsi2 (gsi3) attributes and is absent from that index.
"""

from __future__ import annotations

from typing import Any

from tenantkit.models.base import TenantModel
from tenantkit.models.ids import epoch_ms
from tenantkit.models.keys import build_key, sortable_number, tenant_key
from tenantkit.models.schema import ModelSchemas, object_schema
from tenantkit.models.shared_schemas import (
    END,
    ID_PATTERN,
    ID_SCHEMA,
    METADATA_SCHEMA,
    TEXT_LINE_SCHEMA,
    TIMESTAMP_SCHEMA,
    USER_ID_PATTERN,
    USER_ID_SCHEMA,
    VERSION_SCHEMA,
)

PENDING = "PENDING"
IN_PROGRESS = "IN_PROGRESS"
COMPLETED = "COMPLETED"
CANCELLED = "CANCELLED"
TASK_STATUSES = (PENDING, IN_PROGRESS, COMPLETED, CANCELLED)
#: The legal status changes; a status missing as a key (or mapping to nothing) is terminal.
TRANSITIONS: dict[str, frozenset[str]] = {
    PENDING: frozenset({IN_PROGRESS, COMPLETED, CANCELLED}),
    IN_PROGRESS: frozenset({PENDING, COMPLETED, CANCELLED}),
    COMPLETED: frozenset(),
    CANCELLED: frozenset(),
}
TERMINAL_STATUSES = frozenset(status for status, targets in TRANSITIONS.items() if not targets)

#: `YYYY-MM-DD`; the service also checks that it is a real calendar date.
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}" + END

STATUS_SCHEMA: dict[str, Any] = {"type": "string", "enum": list(TASK_STATUSES)}
_WRITABLE: dict[str, Any] = {
    "title": {**TEXT_LINE_SCHEMA, "maxLength": 200},
    "description": {"type": "string", "maxLength": 5000},
    "assignee_id": {"type": ["string", "null"], "pattern": USER_ID_PATTERN},
    "group_id": {"type": ["string", "null"], "pattern": ID_PATTERN},
    "due_date": {"type": ["string", "null"], "pattern": DATE_PATTERN, "format": "date"},
    "metadata": METADATA_SCHEMA,
}

TASK_SCHEMAS = ModelSchemas(
    document=object_schema(
        {
            "id": ID_SCHEMA,
            "tenant_id": ID_SCHEMA,
            "user_id": USER_ID_SCHEMA,
            "title": _WRITABLE["title"],
            "description": _WRITABLE["description"],
            "status": STATUS_SCHEMA,
            "assignee_id": _WRITABLE["assignee_id"],
            "group_id": _WRITABLE["group_id"],
            "due_date": _WRITABLE["due_date"],
            "completed_utc": {**TIMESTAMP_SCHEMA, "type": ["string", "null"], "readOnly": True},
            "metadata": METADATA_SCHEMA,
            "version": VERSION_SCHEMA,
            "created_utc": TIMESTAMP_SCHEMA,
            "updated_utc": TIMESTAMP_SCHEMA,
        }
    ),
    create=object_schema(
        {"id": ID_SCHEMA, **_WRITABLE, "status": {"type": "string", "enum": [PENDING]}},
        required=("title",),
    ),
    update=object_schema({**_WRITABLE, "status": STATUS_SCHEMA, "version": VERSION_SCHEMA}, minProperties=1),
)


class Task(TenantModel):
    """A task of the source design, with tenant-first keys on every index."""

    SCHEMAS = TASK_SCHEMAS

    def __init__(self, tenant_id: str = "", user_id: str = "") -> None:
        super().__init__(tenant_id, user_id)
        self.title: str = ""
        self.description: str = ""
        self.status: str = PENDING
        self.assignee_id: str | None = None
        self.group_id: str | None = None
        self.due_date: str | None = None
        self.completed_utc: str | None = None
        self._setup_indexes()

    def _created_sort_key(self) -> str:
        return build_key(("created", sortable_number(epoch_ms(self.created_utc))), ("id", self.id))

    def _setup_indexes(self) -> None:
        self.define_primary(lambda: tenant_key(self.tenant_id, ("task", self.id)), lambda: build_key(("task", self.id)))
        self.define_index(
            "gsi1", lambda: tenant_key(self.tenant_id, "task", ("status", self.status)), self._created_sort_key
        )
        # Sparse: a task without an assignee or a group is absent from that index (None = no attribute).
        self.define_index(
            "gsi2",
            lambda: tenant_key(self.tenant_id, "task", ("assignee", self.assignee_id)) if self.assignee_id else None,
            lambda: self._created_sort_key() if self.assignee_id else None,
        )
        self.define_index(
            "gsi3",
            lambda: tenant_key(self.tenant_id, "task", ("group", self.group_id)) if self.group_id else None,
            lambda: self._created_sort_key() if self.group_id else None,
        )
