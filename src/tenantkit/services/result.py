"""`ServiceResult`: what every service method returns, success or a coded error.

Expected outcomes (not found, forbidden, conflict, bad input, throttling) are results, never
exceptions; the API layer turns a result into the one HTTP envelope. Messages are written for the
client: they never carry exception text.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")
U = TypeVar("U")


class ErrorCode(enum.StrEnum):
    VALIDATION_ERROR = "VALIDATION_ERROR"
    UNAUTHORIZED = "UNAUTHORIZED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    CONFLICT = "CONFLICT"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
    THROTTLED = "THROTTLED"
    INTERNAL_ERROR = "INTERNAL_ERROR"


HTTP_STATUS: dict[ErrorCode, int] = {
    ErrorCode.VALIDATION_ERROR: 400,
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.METHOD_NOT_ALLOWED: 405,
    ErrorCode.CONFLICT: 409,
    ErrorCode.PAYLOAD_TOO_LARGE: 413,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: 415,
    ErrorCode.THROTTLED: 503,
    ErrorCode.INTERNAL_ERROR: 500,
}


@dataclass(frozen=True)
class ServiceError:
    """A coded failure: `details` lists field problems (`{"field", "message"}`) or conflict facts."""

    code: ErrorCode
    message: str
    details: list[dict[str, Any]] = field(default_factory=list)
    retry_after_seconds: int | None = None


@dataclass(frozen=True)
class ListPage(Generic[T]):
    """One page of a list and the opaque cursor of the next (None on the last page)."""

    items: list[T]
    next_cursor: str | None = None


@dataclass(frozen=True)
class ServiceResult(Generic[T]):
    """Success with `data`, or failure with `error`; `status_code` overrides the default status."""

    success: bool
    data: T | None = None
    error: ServiceError | None = None
    status_code: int | None = None

    @classmethod
    def success_result(cls, data: T, status_code: int | None = None) -> ServiceResult[T]:
        return cls(success=True, data=data, status_code=status_code)

    @classmethod
    def error_result(
        cls,
        message: str,
        code: ErrorCode | str,
        details: list[dict[str, Any]] | None = None,
        retry_after_seconds: int | None = None,
    ) -> ServiceResult[T]:
        error = ServiceError(ErrorCode(code), message, list(details or []), retry_after_seconds)
        return cls(success=False, error=error)

    @property
    def http_status(self) -> int:
        if self.status_code is not None:
            return self.status_code
        if self.success or self.error is None:
            return 200
        return HTTP_STATUS[self.error.code]

    @property
    def error_code(self) -> ErrorCode | None:
        return self.error.code if self.error else None

    def failed_as(self) -> ServiceResult[U]:
        """This failure, retyped for a caller that returns another data type."""
        if self.success:
            raise ValueError("only a failed result can be re-typed")
        return ServiceResult(success=False, error=self.error, status_code=self.status_code)


def success_result(data: T, status_code: int | None = None) -> ServiceResult[T]:
    return ServiceResult.success_result(data, status_code)


def error_result(
    message: str, code: ErrorCode | str, details: list[dict[str, Any]] | None = None
) -> ServiceResult[Any]:
    return ServiceResult.error_result(message, code, details)
