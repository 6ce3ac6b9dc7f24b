"""Schemas of path and query parameters shared by resources."""

from __future__ import annotations

from typing import Any

from tenantkit.models.schema import object_schema
from tenantkit.models.shared_schemas import ID_SCHEMA, VERSION_SCHEMA

LIMIT_SCHEMA: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": 100, "default": 25}
CURSOR_SCHEMA: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 2048}
PAGING: dict[str, Any] = {"limit": LIMIT_SCHEMA, "cursor": CURSOR_SCHEMA}


def id_path(name: str) -> dict[str, Any]:
    """A path with one id parameter, e.g. `id_path("group_id")` for `/groups/{groupId}`."""
    return object_schema({name: ID_SCHEMA}, required=(name,))


VERSION_QUERY = object_schema({"version": VERSION_SCHEMA})
