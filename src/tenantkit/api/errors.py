"""`ApiError`: an expected failure inside the request pipeline, answered with the error envelope."""

from __future__ import annotations

from typing import Any

from tenantkit.services.result import ErrorCode


class ApiError(Exception):
    """Raised by the pipeline for bad requests; `handle_errors` turns it into the envelope.

    The message is written for the client; never put exception text in it.
    """

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        *,
        wire_paths: bool = False,
    ) -> None:
        super().__init__(message)
        #: True when detail `field` paths already use the client's (camelCase) names.
        self.wire_paths = wire_paths
        self.code = code
        self.message = message
        self.details = list(details or [])
        self.headers = dict(headers or {})


def bad_request(message: str, field: str | None = None, problem: str = "is invalid") -> ApiError:
    details = [{"field": field, "message": problem}] if field else []
    return ApiError(ErrorCode.VALIDATION_ERROR, message, details)
