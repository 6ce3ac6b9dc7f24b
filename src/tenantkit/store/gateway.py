"""The DynamoDB gateway: one table, seen through one tenant at a time.

`Table.for_tenant(tenant_id)` returns a `TenantTable` that refuses any key (table or GSI
partition) outside `tenant#<tenant_id>#`, so no code path can address another tenant's item.
Writes are conditional; several writes (a change and its audit record) go in one transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from tenantkit.models.keys import tenant_prefix
from tenantkit.models.table_spec import TableSpec
from tenantkit.store.backoff import Deadline
from tenantkit.store.codec import from_attributes, to_attributes
from tenantkit.store.cursor import CursorSigner, fingerprint
from tenantkit.store.errors import (
    ConflictError,
    StoreError,
    TenantBoundaryError,
    ThrottledError,
    error_code,
    translate,
)
from tenantkit.store.expressions import ConditionCheck, Delete, Put, Update, WriteOp, op_key
from tenantkit.store.query import KeyQuery, Page, page_size

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

MAX_TRANSACTION_ITEMS = 100
TRANSACTION_ATTEMPTS = 4
#: How many extra reads a filtered query may make to fill one page.
MAX_QUERY_ROUNDS = 8


class ConditionFailedError(StoreError):
    """Operation `index` of a write failed its condition; `current` is the stored item, if any."""

    def __init__(self, index: int, current: dict[str, Any] | None) -> None:
        super().__init__(f"condition failed on operation {index}")
        self.index = index
        self.current = current


class Table:
    """One DynamoDB table described by a `TableSpec`; hands out tenant-bound views."""

    def __init__(
        self,
        client: Callable[[], DynamoDBClient],
        name: str,
        spec: TableSpec,
        cursor_signer: Callable[[], CursorSigner],
        retry_budget_seconds: float = 10.0,
    ) -> None:
        self._client = client
        self.name = name
        self.spec = spec
        self._cursor_signer = cursor_signer
        self.retry_budget_seconds = retry_budget_seconds
        self._partition_attributes = (
            spec.primary.partition_key,
            *(g.partition_key for g in spec.gsis.values()),
        )

    @property
    def client(self) -> Any:
        """The low-level client; typed loosely because requests are built as plain dicts."""
        return self._client()

    @property
    def key_names(self) -> tuple[str, str]:
        return (self.spec.primary.partition_key, self.spec.primary.sort_key)

    def for_tenant(self, tenant_id: str) -> TenantTable:
        return TenantTable(self, tenant_id)

    def check_tenant(self, values: dict[str, Any], prefix: str) -> None:
        """Refuse any partition-key value in `values` that is not under `prefix`."""
        for attribute in self._partition_attributes:
            value = values.get(attribute)
            if value is not None and not (isinstance(value, str) and value.startswith(prefix)):
                raise TenantBoundaryError(f"{attribute} outside the tenant")

    def cursor_signer(self) -> CursorSigner:
        return self._cursor_signer()


class TenantTable:
    """The table as one tenant sees it: gets, queries, conditional writes, transactions, batches."""

    def __init__(self, table: Table, tenant_id: str) -> None:
        self.table = table
        self.tenant_id = tenant_id
        self.prefix = tenant_prefix(tenant_id)

    def _guard(self, values: dict[str, Any]) -> None:
        self.table.check_tenant(values, self.prefix)

    def get(self, key: dict[str, str], *, consistent: bool = False) -> dict[str, Any] | None:
        """The item with this primary key, or None."""
        self._guard(key)
        request = {"TableName": self.table.name, "Key": to_attributes(key), "ConsistentRead": consistent}
        response = _call(functools.partial(self.table.client.get_item, **request))
        item = response.get("Item")
        return from_attributes(item) if item else None

    def write(self, operations: Sequence[WriteOp], *, request_token: str | None = None) -> None:
        """Apply `operations` atomically: one conditional call, or one `TransactWriteItems`.

        Raises `ConditionFailedError` (with the stored item) when a condition fails, `ConflictError`
        ("contention") when concurrent transactions kept colliding, `ThrottledError` past the budget.
        """
        if not operations:
            raise ValueError("nothing to write")
        if len(operations) > MAX_TRANSACTION_ITEMS:
            raise ValueError(f"a transaction holds at most {MAX_TRANSACTION_ITEMS} operations")
        keys = [op_key(op, self.table.key_names) for op in operations]
        if len(set(keys)) != len(keys):
            raise ValueError("a transaction cannot touch one item twice")
        for op in operations:
            self._guard(op.item if isinstance(op, Put) else op.key)
            if isinstance(op, Update):
                self._guard(op.set_values)
        if len(operations) == 1 and not isinstance(operations[0], ConditionCheck):
            self._write_one(operations[0])
        else:
            self._transact(operations, request_token)

    def _write_one(self, op: Put | Update | Delete) -> None:
        request = op.request(self.table.name)
        request["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        client = self.table.client
        call = {Put: client.put_item, Update: client.update_item, Delete: client.delete_item}[type(op)]
        try:
            _call(functools.partial(call, **request))
        except StoreError:
            raise
        except Exception as error:
            if error_code(error) == "ConditionalCheckFailedException":
                item = getattr(error, "response", {}).get("Item")
                raise ConditionFailedError(0, from_attributes(item) if item else None) from error
            raise

    def _transact(self, operations: Sequence[WriteOp], request_token: str | None) -> None:
        wrapped = []
        for op in operations:
            request = op.request(self.table.name)
            request["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
            kind = type(op).__name__
            wrapped.append({kind: request})
        arguments: dict[str, Any] = {"TransactItems": wrapped}
        if request_token:
            arguments["ClientRequestToken"] = request_token
        deadline = Deadline(self.table.retry_budget_seconds)
        for attempt in range(TRANSACTION_ATTEMPTS):
            try:
                _call(functools.partial(self.table.client.transact_write_items, **arguments))
                return
            except StoreError:
                raise
            except Exception as error:
                if error_code(error) != "TransactionCanceledException":
                    raise
                reasons = getattr(error, "response", {}).get("CancellationReasons", [])
                codes = [reason.get("Code", "None") for reason in reasons]
                if "ConditionalCheckFailed" in codes:
                    index = codes.index("ConditionalCheckFailed")
                    item = reasons[index].get("Item")
                    raise ConditionFailedError(index, from_attributes(item) if item else None) from error
                if any(code in ("ThrottlingError", "ProvisionedThroughputExceeded") for code in codes):
                    raise ThrottledError() from error
                if "TransactionConflict" not in codes:
                    raise
                if attempt + 1 == TRANSACTION_ATTEMPTS or not deadline.sleep_before_retry(attempt):
                    raise ConflictError("contention") from error
        raise ConflictError("contention")

    def query(self, query: KeyQuery, *, limit: int | None = None, cursor: str | None = None) -> Page:
        """One page of `query`, full even when a filter drops items, with a signed next cursor."""
        self.table.check_tenant({query.partition_attribute: query.partition_value}, self.prefix)
        size = page_size(limit)
        signer = self.table.cursor_signer()
        binding = fingerprint(self.tenant_id, *query.binding_parts())
        start_key = to_attributes(signer.decode(cursor, binding)) if cursor is not None else None
        items: list[dict[str, Any]] = []
        for _ in range(MAX_QUERY_ROUNDS):
            wanted = size - len(items) + 1
            request = query.request(self.table.name, wanted if query.filter is None else MAX_PAGE_READ, start_key)
            response = _call(functools.partial(self.table.client.query, **request))
            items.extend(from_attributes(raw) for raw in response.get("Items", []))
            start_key = response.get("LastEvaluatedKey")
            if len(items) > size or start_key is None:
                break
        if len(items) > size:
            items = items[:size]
            next_key = self._start_key_of(items[-1], query)
        elif start_key is not None:
            next_key = from_attributes(start_key)
        else:
            next_key = None
        next_cursor = signer.encode(next_key, binding) if next_key else None
        return Page(items=items, next_cursor=next_cursor)

    def _start_key_of(self, item: dict[str, Any], query: KeyQuery) -> dict[str, str]:
        names = {*self.table.key_names}
        if query.index is not None:
            names |= {query.partition_attribute, query.sort_attribute}
        return {name: str(item[name]) for name in sorted(names)}


#: Items a filtered query reads per round (DynamoDB applies `Limit` before the filter).
MAX_PAGE_READ = 100


def _call(operation: Callable[[], Any]) -> Any:
    """Run one DynamoDB call, turning throttling and size errors into typed errors."""
    try:
        return operation()
    except Exception as error:
        typed = translate(error)
        if typed is not None:
            raise typed from error
        raise
