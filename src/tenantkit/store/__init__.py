"""tenantkit.store: the DynamoDB gateway (conditional writes, transactions, queries, batches)."""

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

__all__ = [
    "BatchGetResult",
    "BatchWriteResult",
    "Condition",
    "ConditionCheck",
    "ConditionFailedError",
    "ConflictError",
    "CursorSigner",
    "Delete",
    "InvalidCursorError",
    "InvalidQueryError",
    "ItemNotFoundError",
    "ItemTooLargeError",
    "KeyQuery",
    "Page",
    "Put",
    "SortCondition",
    "StoreError",
    "Table",
    "TenantBoundaryError",
    "TenantTable",
    "ThrottledError",
    "Update",
    "all_of",
    "any_of",
    "batch_get",
    "batch_write",
    "begins_with",
    "between",
    "connect",
    "ensure_table",
    "equals",
    "exists",
    "new_client",
    "not_exists",
    "reset_connection",
    "wrap_client",
]
