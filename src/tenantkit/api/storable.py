"""Is a parsed JSON body something DynamoDB can store? Checked before any service sees it.

DynamoDB numbers carry at most 38 significant digits within 1e-130..1e125; strings must be valid
UTF-8 (JSON allows lone surrogate escapes such as "\\ud800", which are not); documents nest at most
32 levels; map keys must not be empty. Anything else would fail deep in the data layer, so it is a 400 here.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from tenantkit.models.schema import FieldError

MAX_DEPTH = 32
MAX_DIGITS = 38
MIN_EXPONENT = -130
MAX_EXPONENT = 125


def _number_problem(value: int | float) -> str | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return "must be a finite number"
    if not number.is_finite():
        return "must be a finite number"
    if number.is_zero():
        return None
    digits = number.normalize().as_tuple()
    exponent = number.adjusted()
    if len(digits.digits) > MAX_DIGITS or not MIN_EXPONENT <= exponent <= MAX_EXPONENT:
        return "is outside the numbers that can be stored"
    return None


def _text_problem(value: str) -> str | None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode text"
    return None


def storable_problems(value: Any, path: str = "", depth: int = 0) -> list[FieldError]:
    """Every place in `value` DynamoDB could not store, as field errors (camelCase paths as sent)."""
    where = path or "body"
    if depth > MAX_DEPTH:
        return [FieldError(where, f"nests deeper than {MAX_DEPTH} levels")]
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int | float):
        problem = _number_problem(value)
        return [FieldError(where, problem)] if problem else []
    if isinstance(value, str):
        problem = _text_problem(value)
        return [FieldError(where, problem)] if problem else []
    problems: list[FieldError] = []
    if isinstance(value, list):
        for index, item in enumerate(value):
            problems += storable_problems(item, f"{path}[{index}]", depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "":
                problems.append(FieldError(path or "body", "has an empty key"))
                continue
            key_problem = _text_problem(key)
            child = f"{path}.{key}" if path else key
            if key_problem:
                problems.append(FieldError(path or "body", "has a key that is not valid Unicode text"))
                continue
            problems += storable_problems(item, child, depth + 1)
    return problems
