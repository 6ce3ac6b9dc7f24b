"""Expected data-layer outcomes turned into `ServiceResult`s, in one place.

`@expected_outcomes` wraps a service method: throttling, bad cursors or keys, conflicts and item
size become coded results; anything else is a bug and propagates (the API answers 500 and logs it).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from tenantkit.models.keys import InvalidKeySegmentError
from tenantkit.services.identity import IdentityProviderError
from tenantkit.services.result import ErrorCode, ServiceResult
from tenantkit.store.errors import (
    ConflictError,
    InvalidCursorError,
    InvalidQueryError,
    ItemTooLargeError,
    ThrottledError,
    UnstorableValueError,
)

P = ParamSpec("P")
R = TypeVar("R", bound=ServiceResult[Any])


def conflict(message: str, current_version: int | None = None) -> ServiceResult[Any]:
    details = [{"field": "version", "current_version": current_version}] if current_version is not None else []
    return ServiceResult.error_result(message, ErrorCode.CONFLICT, details)


def expected_outcomes(method: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except ThrottledError as error:
            result: ServiceResult[Any] = ServiceResult.error_result(
                "The service is busy; retry shortly",
                ErrorCode.THROTTLED,
                retry_after_seconds=error.retry_after_seconds,
            )
        except InvalidCursorError:
            result = ServiceResult.error_result(
                "Invalid cursor", ErrorCode.VALIDATION_ERROR, [{"field": "cursor", "message": "is invalid"}]
            )
        except InvalidQueryError as error:
            result = ServiceResult.error_result(str(error), ErrorCode.VALIDATION_ERROR)
        except InvalidKeySegmentError:
            result = ServiceResult.error_result("Invalid identifier", ErrorCode.VALIDATION_ERROR)
        except UnstorableValueError:
            result = ServiceResult.error_result("A value cannot be stored", ErrorCode.VALIDATION_ERROR)
        except ItemTooLargeError:
            result = ServiceResult.error_result("The item is too large", ErrorCode.PAYLOAD_TOO_LARGE)
        except IdentityProviderError:
            result = ServiceResult.error_result(
                "The identity service is unavailable; retry shortly", ErrorCode.THROTTLED, retry_after_seconds=5
            )
        except ConflictError as error:
            result = conflict("The item was changed concurrently; retry", error.current_version)
        return result  # type: ignore[return-value]

    return wrapper
