"""Plain-value helpers shared by models and the API (no heavy imports)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def native(value: Any) -> Any:
    """DynamoDB numbers (Decimal) back to int when integral, else float; recursive over maps and lists."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: native(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [native(inner) for inner in value]
    if isinstance(value, set):
        return [native(inner) for inner in sorted(value, key=str)]
    return value
