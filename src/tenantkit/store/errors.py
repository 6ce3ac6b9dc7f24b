"""Typed data-layer errors, and the mapping from DynamoDB's error codes onto them.

Services translate these into `ServiceResult` codes; nothing here carries AWS error text outward.
"""

from __future__ import annotations

from typing import Any

THROTTLING_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "LimitExceededException",
    }
)


class StoreError(Exception):
    """Base class of the data layer's errors."""


class ItemNotFoundError(StoreError):
    """The item does not exist (or is not the caller's tenant's: the two are indistinguishable)."""


class ConflictError(StoreError):
    """A conditional write lost: the item exists already, or its version moved on.

    `reason` is "exists", "version_mismatch" or "contention"; `current_version` is the stored
    version when known.
    """

    def __init__(self, reason: str, current_version: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.current_version = current_version


class ThrottledError(StoreError):
    """DynamoDB kept throttling past the retry budget; nothing was written."""

    def __init__(self, retry_after_seconds: int = 1) -> None:
        super().__init__("throttled")
        self.retry_after_seconds = retry_after_seconds


class InvalidQueryError(StoreError):
    """A key condition that would widen the query, or a bad paging request."""


class InvalidCursorError(InvalidQueryError):
    """A cursor that is malformed, tampered with, or from another tenant or query."""


class ItemTooLargeError(StoreError):
    """The item exceeds DynamoDB's 400 KB item limit."""


class UnstorableValueError(StoreError):
    """A value DynamoDB cannot hold: a number out of its range or precision, or text that is not UTF-8."""


class TenantBoundaryError(StoreError):
    """A key outside the tenant the table view is bound to: a programming error, never allowed."""


def error_code(error: BaseException) -> str:
    """The DynamoDB error code of a botocore `ClientError`, or "" for anything else."""
    response: Any = getattr(error, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def translate(error: BaseException) -> StoreError | None:
    """The typed error for a generic DynamoDB failure, or None when the caller must decide."""
    code = error_code(error)
    if code in THROTTLING_CODES:
        return ThrottledError()
    if code == "ValidationException" and "size" in str(error).lower():
        return ItemTooLargeError("item too large")
    return None
