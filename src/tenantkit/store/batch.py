"""Batch reads and writes: chunked to DynamoDB's limits, leftovers retried, never dropped silently.

Chunks of 100 keys (BatchGetItem) and 25 writes (BatchWriteItem); unprocessed items are retried
with full-jitter backoff until the table's retry budget runs out, then returned to the caller.
Batch writes are not transactional and write no audit records: they are for bulk loads.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tenantkit.store.backoff import Deadline
from tenantkit.store.codec import from_attributes, to_attributes
from tenantkit.store.gateway import TenantTable, _call

GET_CHUNK = 100
WRITE_CHUNK = 25


@dataclass
class BatchGetResult:
    items: list[dict[str, Any]] = field(default_factory=list)
    unprocessed_keys: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class BatchWriteResult:
    written: int = 0
    #: Requests still unprocessed when the budget ran out: `{"put": item}` or `{"delete": key}`.
    unprocessed: list[dict[str, Any]] = field(default_factory=list)


def _chunks(values: Sequence[Any], size: int) -> list[list[Any]]:
    return [list(values[i : i + size]) for i in range(0, len(values), size)]


def _unique_keys(table: TenantTable, keys: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    seen: set[tuple[str, str]] = set()
    unique = []
    pk, sk = table.table.key_names
    for key in keys:
        table.table.check_tenant(key, table.prefix)
        marker = (key[pk], key[sk])
        if marker not in seen:
            seen.add(marker)
            unique.append({pk: key[pk], sk: key[sk]})
    return unique


def batch_get(table: TenantTable, keys: Sequence[dict[str, str]], *, consistent: bool = False) -> BatchGetResult:
    """Fetch many items by primary key (duplicates asked once); order of `items` is not guaranteed."""
    result = BatchGetResult()
    deadline = Deadline(table.table.retry_budget_seconds)
    name = table.table.name
    for chunk in _chunks(_unique_keys(table, keys), GET_CHUNK):
        pending: dict[str, Any] = {name: {"Keys": [to_attributes(k) for k in chunk], "ConsistentRead": consistent}}
        attempt = 0
        while pending:
            response = _call(functools.partial(table.table.client.batch_get_item, RequestItems=pending))
            result.items.extend(from_attributes(raw) for raw in response.get("Responses", {}).get(name, []))
            pending = response.get("UnprocessedKeys") or {}
            if pending and not deadline.sleep_before_retry(attempt):
                result.unprocessed_keys.extend(from_attributes(k) for k in pending[name]["Keys"])
                break
            attempt += 1
    return result


def batch_write(
    table: TenantTable,
    puts: Sequence[dict[str, Any]] = (),
    deletes: Sequence[dict[str, str]] = (),
) -> BatchWriteResult:
    """Put and delete many items; what is still unprocessed at the deadline is returned."""
    pk, sk = table.table.key_names
    requests: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for item in puts:
        table.table.check_tenant(item, table.prefix)
        requests.append({"PutRequest": {"Item": to_attributes(item)}})
        seen.add((item[pk], item[sk]))
    for key in deletes:
        table.table.check_tenant(key, table.prefix)
        requests.append({"DeleteRequest": {"Key": to_attributes(key)}})
        seen.add((key[pk], key[sk]))
    if len(seen) != len(requests):
        raise ValueError("a batch cannot write one item twice")
    result = BatchWriteResult()
    deadline = Deadline(table.table.retry_budget_seconds)
    name = table.table.name
    for chunk in _chunks(requests, WRITE_CHUNK):
        pending: list[dict[str, Any]] = chunk
        attempt = 0
        while pending:
            response = _call(functools.partial(table.table.client.batch_write_item, RequestItems={name: pending}))
            left = (response.get("UnprocessedItems") or {}).get(name, [])
            result.written += len(pending) - len(left)
            pending = left
            if pending and not deadline.sleep_before_retry(attempt):
                result.unprocessed.extend(_leftover(request) for request in pending)
                break
            attempt += 1
    return result


def _leftover(request: dict[str, Any]) -> dict[str, Any]:
    if "PutRequest" in request:
        return {"put": from_attributes(request["PutRequest"]["Item"])}
    return {"delete": from_attributes(request["DeleteRequest"]["Key"])}
