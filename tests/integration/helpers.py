"""Small helpers shared by the integration tests (raw table access for assertions)."""

from __future__ import annotations

import os
from typing import Any

from tenantkit.store.codec import from_attributes


def all_items(db: Any) -> list[dict[str, Any]]:
    """Every item in the table, decoded (test tables are small)."""
    client = db.client
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"TableName": os.environ["APP_TABLE_NAME"]}
    while True:
        response = client.scan(**kwargs)
        items.extend(from_attributes(raw) for raw in response["Items"])
        if "LastEvaluatedKey" not in response:
            return items
        kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def audit_records(db: Any, entity_id: str | None = None) -> list[dict[str, Any]]:
    records = [item for item in all_items(db) if item.get("model_name") == "audit_record"]
    return [r for r in records if entity_id is None or r["entity_id"] == entity_id]


def group_payload(name: str = "Alpha", group_type: str = "team", **extra: Any) -> dict[str, Any]:
    return {"name": name, "group_type": group_type, **extra}
