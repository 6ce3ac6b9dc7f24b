"""Inclusive `created_after` / `created_before` ranges, parsed once for every list that takes them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tenantkit.models.ids import parse_iso_utc
from tenantkit.services.base import invalid
from tenantkit.services.result import ServiceResult

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MS = dt.timedelta(milliseconds=1)


def _instant_ms(value: str, round_up: bool) -> int:
    """Milliseconds since the epoch of an ISO-8601 instant, rounded towards the inside of the range."""
    if not isinstance(value, str):
        raise TypeError("not text")
    delta = parse_iso_utc(value) - _EPOCH
    return -((-delta) // _MS) if round_up else delta // _MS


def time_span(after: str | None, before: str | None, latest_ms: int) -> tuple[int, int] | ServiceResult[Any] | None:
    """The inclusive millisecond span `[first, last]` within `[0, latest_ms]` to list.

    A VALIDATION_ERROR result for a malformed or reversed range; None when nothing can fall inside
    it (e.g. a range that ends before 1970).
    """
    bounds: list[int | None] = []
    for name, value, round_up in (("created_after", after, True), ("created_before", before, False)):
        try:
            bounds.append(_instant_ms(value, round_up) if value is not None else None)
        except (TypeError, ValueError, OverflowError):
            return invalid("Invalid time range", name, "must be an ISO-8601 date-time")
    low, high = bounds
    if after is not None and before is not None and parse_iso_utc(before) < parse_iso_utc(after):
        return invalid("Invalid time range", "created_before", "must not be before createdAfter")
    first = max(low, 0) if low is not None else 0
    last = min(high, latest_ms) if high is not None else latest_ms
    return (first, last) if first <= last else None
