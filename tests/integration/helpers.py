"""Small helpers shared by the integration tests (raw table access for assertions)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
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


def race(service: Any, calls: list[Callable[[], Any]]) -> list[Any]:
    """Run `calls` in threads that all read the item before any of them writes.

    DynamoDB serializes the transactions on one item; moto's in-process backend does not (two
    threads can both pass a condition before either writes), so a lock stands in for that.
    """
    barrier = threading.Barrier(len(calls))
    client = service.table.client
    transact = client.transact_write_items
    serialized = threading.Lock()

    def one_at_a_time(**kwargs: Any) -> Any:
        with serialized:
            return transact(**kwargs)

    original_load = service._load
    first_load: set[int] = set()

    def load_then_wait(ctx: Any, item_id: str) -> Any:
        model = original_load(ctx, item_id)
        me = threading.get_ident()
        if me not in first_load:
            first_load.add(me)
            barrier.wait(timeout=10)
        return model

    client.transact_write_items = one_at_a_time
    service._load = load_then_wait
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        del service._load
        client.transact_write_items = transact
    return results
