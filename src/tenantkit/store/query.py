"""Validated key conditions and paged queries that never widen to a whole partition by accident.

boto3-assist silently drops a sort-key clause it cannot build (`lte`, half a `between`, an empty
value) and queries the whole partition. Here every condition is checked when it is built: values
are non-empty, `begins_with` prefixes end with the delimiter, `between` needs both bounds in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tenantkit.models.keys import DELIMITER
from tenantkit.store.errors import InvalidQueryError
from tenantkit.store.expressions import Condition, ExpressionBuilder

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
_SORT_OPERATORS = {"eq": "=", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}


@dataclass(frozen=True)
class SortCondition:
    """One sort-key clause: `eq`, `lt`, `lte`, `gt`, `gte`, `begins_with` or `between`."""

    operator: str
    value: str
    high: str | None = None

    def __post_init__(self) -> None:
        if self.operator not in {*_SORT_OPERATORS, "begins_with", "between"}:
            raise InvalidQueryError(f"unknown sort-key operator {self.operator!r}")
        if not isinstance(self.value, str) or not self.value:
            raise InvalidQueryError("a sort-key condition needs a non-empty value")
        if self.operator == "begins_with" and not self.value.endswith(DELIMITER):
            raise InvalidQueryError("a begins_with prefix must end with the delimiter")
        if self.operator == "between":
            if not isinstance(self.high, str) or not self.high:
                raise InvalidQueryError("between needs both bounds")
            if self.high < self.value:
                raise InvalidQueryError("between bounds are in the wrong order")
        elif self.high is not None:
            raise InvalidQueryError(f"{self.operator} takes one value")

    def render(self, attribute: str, builder: ExpressionBuilder) -> str:
        name = builder.name(attribute)
        if self.operator == "begins_with":
            return f"begins_with({name}, {builder.value(self.value)})"
        if self.operator == "between":
            return f"{name} BETWEEN {builder.value(self.value)} AND {builder.value(self.high)}"
        return f"{name} {_SORT_OPERATORS[self.operator]} {builder.value(self.value)}"


def begins_with(prefix: str) -> SortCondition:
    return SortCondition("begins_with", prefix)


def between(low: str, high: str) -> SortCondition:
    return SortCondition("between", low, high)


@dataclass(frozen=True)
class KeyQuery:
    """A query on one partition of the table (`index=None`) or of a GSI, newest/last first by default.

    `partition_attribute` / `sort_attribute` name the key attributes of that index.
    """

    partition_attribute: str
    partition_value: str
    sort_attribute: str
    sort: SortCondition | None = None
    index: str | None = None
    ascending: bool = False
    filter: Condition | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.partition_value, str) or not self.partition_value:
            raise InvalidQueryError("a query needs a partition key value")

    def binding_parts(self) -> tuple[Any, ...]:
        """What a cursor for this query is bound to (with the tenant added by the caller)."""
        return (self.index, self.partition_value, self.sort, self.ascending, repr(self.filter))

    def request(self, table: str, limit: int, start_key: dict[str, Any] | None) -> dict[str, Any]:
        builder = ExpressionBuilder()
        expression = f"{builder.name(self.partition_attribute)} = {builder.value(self.partition_value)}"
        if self.sort is not None:
            expression += " AND " + self.sort.render(self.sort_attribute, builder)
        request: dict[str, Any] = {
            "TableName": table,
            "KeyConditionExpression": expression,
            "ScanIndexForward": self.ascending,
            "Limit": limit,
        }
        if self.index is not None:
            request["IndexName"] = self.index
        if self.filter is not None:
            request["FilterExpression"] = self.filter.render(builder)
        if start_key is not None:
            request["ExclusiveStartKey"] = start_key
        return builder.apply(request)


def page_size(limit: int | None) -> int:
    """The page size to use: default 25, at most 100; anything else is the caller's error."""
    if limit is None:
        return DEFAULT_PAGE_SIZE
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidQueryError(f"limit must be an integer from 1 to {MAX_PAGE_SIZE}")
    return limit


@dataclass(frozen=True)
class Page:
    """One page of items and the cursor of the next page (None on the last page)."""

    items: list[dict[str, Any]]
    next_cursor: str | None
