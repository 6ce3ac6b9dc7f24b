"""Python values <-> DynamoDB attribute values (floats become Decimal on the way in)."""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from tenantkit.store.errors import UnstorableValueError

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def _decimals(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {key: _decimals(inner) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [_decimals(inner) for inner in value]
    return value


def to_attribute(value: Any) -> dict[str, Any]:
    """One Python value as a DynamoDB attribute value (`UnstorableValueError` if it cannot be one)."""
    try:
        serialized: dict[str, Any] = dict(_serializer.serialize(_decimals(value)))
    except (decimal.DecimalException, TypeError) as error:
        raise UnstorableValueError("a number DynamoDB cannot store") from error
    return serialized


def to_attributes(item: dict[str, Any]) -> dict[str, Any]:
    """A whole item (or key, or expression-value map) in DynamoDB's typed form."""
    return {name: to_attribute(value) for name, value in item.items()}


def from_attributes(item: dict[str, Any]) -> dict[str, Any]:
    """A typed DynamoDB item back to Python values (numbers stay Decimal: models convert them)."""
    return {name: _deserializer.deserialize(value) for name, value in item.items()}
