"""tenantkit.store: the DynamoDB gateway (conditional writes, transactions, queries, batches); loaded on use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tenantkit._lazy import lazy_exports

_EXPORTS = {
    "BatchGetResult": "batch",
    "BatchWriteResult": "batch",
    "Condition": "expressions",
    "ConditionCheck": "expressions",
    "ConditionFailedError": "gateway",
    "ConflictError": "errors",
    "CursorSigner": "cursor",
    "Delete": "expressions",
    "InvalidCursorError": "errors",
    "InvalidQueryError": "errors",
    "ItemNotFoundError": "errors",
    "ItemTooLargeError": "errors",
    "KeyQuery": "query",
    "Page": "query",
    "Put": "expressions",
    "SortCondition": "query",
    "StoreError": "errors",
    "Table": "gateway",
    "TenantBoundaryError": "errors",
    "TenantTable": "gateway",
    "ThrottledError": "errors",
    "Update": "expressions",
    "all_of": "expressions",
    "any_of": "expressions",
    "batch_get": "batch",
    "batch_write": "batch",
    "begins_with": "query",
    "between": "query",
    "connect": "client",
    "ensure_table": "table_admin",
    "equals": "expressions",
    "exists": "expressions",
    "new_client": "client",
    "not_exists": "expressions",
    "reset_connection": "client",
    "wrap_client": "client",
}

__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS, globals())

if TYPE_CHECKING:
    from tenantkit.store.batch import BatchGetResult, BatchWriteResult, batch_get, batch_write
    from tenantkit.store.client import connect, new_client, reset_connection, wrap_client
    from tenantkit.store.cursor import CursorSigner
    from tenantkit.store.errors import (
        ConflictError,
        InvalidCursorError,
        InvalidQueryError,
        ItemNotFoundError,
        ItemTooLargeError,
        StoreError,
        TenantBoundaryError,
        ThrottledError,
    )
    from tenantkit.store.expressions import (
        Condition,
        ConditionCheck,
        Delete,
        Put,
        Update,
        all_of,
        any_of,
        equals,
        exists,
        not_exists,
    )
    from tenantkit.store.gateway import ConditionFailedError, Table, TenantTable
    from tenantkit.store.query import KeyQuery, Page, SortCondition, begins_with, between
    from tenantkit.store.table_admin import ensure_table
