"""The registry's wire schemas (JSON Schema 2020-12) as API Gateway models (JSON Schema draft-04).

API Gateway validates a subset of draft-04 and rejects a model with keywords it does not know. The
conversion keeps what draft-04 means the same way, rewrites what has a draft-04 spelling (`const`,
numeric `exclusiveMinimum`, `prefixItems`, local `$ref`s) and drops the rest (`format`, patterns with
lookarounds, `if`/`then`, ...). The gateway check is therefore never stricter than the Lambda's
full 2020-12 validation, which still runs on every request.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

DRAFT4 = "http://json-schema.org/draft-04/schema#"
#: `(?![\s\S])` is how the library anchors "end of string, no trailing newline".
_END_ANCHOR = re.compile(r"\(\?!\[\\s\\S\]\)$")
_LOOKAROUND = re.compile(r"\(\?<?[=!]")
_KEEP = frozenset(
    {
        "type",
        "enum",
        "title",
        "description",
        "default",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minProperties",
        "maxProperties",
    }
)
_CHILD_MAPS = ("properties", "patternProperties")
_CHILD_LISTS = ("allOf", "anyOf", "oneOf")


def draft4_pattern(pattern: str) -> str | None:
    """`pattern` for API Gateway's validator, or None when it cannot be expressed there."""
    converted = _END_ANCHOR.sub("$", pattern)
    return None if _LOOKAROUND.search(converted) else converted


def to_draft4(schema: Mapping[str, Any], title: str | None = None) -> dict[str, Any]:
    """A self-contained draft-04 model for `schema` (a 2020-12 wire schema)."""
    definitions = dict(schema.get("$defs", {}))
    converted = _convert(schema, definitions, depth=0)
    model: dict[str, Any] = {"$schema": DRAFT4}
    if title:
        model["title"] = title
    model.update(converted)
    return model


def _convert(schema: Mapping[str, Any], definitions: Mapping[str, Any], depth: int) -> dict[str, Any]:
    if depth > 32:
        raise ValueError("schema nests too deeply (recursive $ref?) for an API Gateway model")
    ref = schema.get("$ref")
    if isinstance(ref, str):
        if not ref.startswith("#/$defs/") or ref.removeprefix("#/$defs/") not in definitions:
            return {}
        return _convert(definitions[ref.removeprefix("#/$defs/")], definitions, depth + 1)
    out: dict[str, Any] = {key: value for key, value in schema.items() if key in _KEEP}
    if "const" in schema:
        out["enum"] = [schema["const"]]
    if isinstance(schema.get("pattern"), str):
        pattern = draft4_pattern(schema["pattern"])
        if pattern is not None:
            out["pattern"] = pattern
    for bound, inclusive in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(schema.get(bound), int | float) and not isinstance(schema.get(bound), bool):
            out[inclusive] = schema[bound]
            out[bound] = True
    required = schema.get("required")
    if isinstance(required, list) and required:
        out["required"] = list(required)
    for key in _CHILD_MAPS:
        if isinstance(schema.get(key), Mapping):
            children = {name: _child(child, definitions, depth) for name, child in schema[key].items()}
            if key == "patternProperties":
                children = {name: child for name, child in children.items() if draft4_pattern(name) == name}
            out[key] = children
    for key in _CHILD_LISTS:
        if isinstance(schema.get(key), list):
            out[key] = [_child(child, definitions, depth) for child in schema[key]]
    additional = schema.get("additionalProperties")
    if isinstance(additional, bool):
        out["additionalProperties"] = additional
    elif isinstance(additional, Mapping):
        out["additionalProperties"] = _child(additional, definitions, depth)
    if isinstance(schema.get("not"), Mapping):
        out["not"] = _child(schema["not"], definitions, depth)
    items, prefix = schema.get("items"), schema.get("prefixItems")
    if isinstance(prefix, list):
        out["items"] = [_child(child, definitions, depth) for child in prefix]
        if isinstance(items, bool):
            out["additionalItems"] = items
        elif isinstance(items, Mapping):
            out["additionalItems"] = _child(items, definitions, depth)
    elif isinstance(items, Mapping):
        out["items"] = _child(items, definitions, depth)
    return out


def _child(schema: Any, definitions: Mapping[str, Any], depth: int) -> Any:
    if isinstance(schema, bool):
        return {} if schema else {"not": {}}
    return _convert(schema, definitions, depth + 1)


def model_name(operation_id: str, suffix: str = "Body") -> str:
    """An API Gateway model name (alphanumeric) for an operation, e.g. `createGroup` -> `CreateGroupBody`."""
    cleaned = re.sub(r"[^A-Za-z0-9]", "", operation_id)
    return cleaned[:1].upper() + cleaned[1:] + suffix
