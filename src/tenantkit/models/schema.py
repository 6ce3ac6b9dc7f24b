"""JSON Schemas (draft 2020-12) of each model, their camelCase wire form, and compiled validators.

Schemas are written once, in snake_case. The wire (camelCase) form for the API and OpenAPI is
derived mechanically, and validators are compiled on first use and then reused: importing a model
loads no schema library and compiles nothing.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from tenantkit.models.casing import CaseMap, snake_to_camel

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_SCHEMA_CHILD_MAPS = ("properties", "patternProperties", "$defs")
_SCHEMA_CHILD_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_CHILD = ("items", "not", "if", "then", "else", "additionalProperties", "contains")


@dataclass(frozen=True)
class FieldError:
    """One validation problem: the path of the field (dotted, `[i]` for items) and a short message."""

    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


def to_wire_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy of `schema` with declared property names (and `required`) in camelCase."""
    wire: dict[str, Any] = copy.deepcopy(dict(schema))
    _rename_in_place(wire)
    return wire


def _rename_in_place(schema: dict[str, Any]) -> None:
    if "properties" in schema:
        schema["properties"] = {snake_to_camel(k): v for k, v in schema["properties"].items()}
    if "required" in schema:
        schema["required"] = [snake_to_camel(name) for name in schema["required"]]
    for key in _SCHEMA_CHILD_MAPS:
        for child in schema.get(key, {}).values():
            if isinstance(child, dict):
                _rename_in_place(child)
    for key in _SCHEMA_CHILD_LISTS:
        for child in schema.get(key, []):
            if isinstance(child, dict):
                _rename_in_place(child)
    for key in _SCHEMA_CHILD:
        child = schema.get(key)
        if isinstance(child, dict):
            _rename_in_place(child)


class CompiledSchema:
    """A schema whose validator is built once, on first use, and is safe to share across threads."""

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self.schema: dict[str, Any] = {"$schema": DIALECT, **schema}
        self._validator: Validator | None = None
        self._lock = threading.Lock()

    def _compiled(self) -> Validator:
        if self._validator is None:
            with self._lock:
                if self._validator is None:
                    from jsonschema import Draft202012Validator

                    Draft202012Validator.check_schema(self.schema)
                    self._validator = Draft202012Validator(
                        self.schema, format_checker=Draft202012Validator.FORMAT_CHECKER
                    )
        return self._validator

    def errors(self, instance: Any) -> list[FieldError]:
        """All problems with `instance`, sorted by field path; empty when valid."""
        found = [problem for error in self._compiled().iter_errors(instance) for problem in _describe(error)]
        return sorted(set(found), key=lambda e: (e.field, e.message))


def _path(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _describe(error: Any) -> list[FieldError]:
    """Short messages that never echo the submitted value back (it may be huge or sensitive)."""
    where = _path(error.absolute_path)
    kind, expected = error.validator, error.validator_value
    if kind == "required":
        missing = str(error.message).split("'")[1] if "'" in str(error.message) else "?"
        return [FieldError(_path([*error.absolute_path, missing]), "is required")]
    if kind in ("additionalProperties", "unevaluatedProperties"):
        known = set(error.schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in known) if isinstance(error.instance, dict) else []
        return [FieldError(_path([*error.absolute_path, name]), "is not allowed") for name in extra] or [
            FieldError(where or "body", "has fields that are not allowed")
        ]
    messages: dict[str, Callable[[], str]] = {
        "type": lambda: f"must be of type {expected if isinstance(expected, str) else ' or '.join(expected)}",
        "enum": lambda: "must be one of: " + ", ".join(map(str, expected)),
        "const": lambda: f"must be {expected!r}",
        "minLength": lambda: f"must be at least {expected} characters long",
        "maxLength": lambda: f"must be at most {expected} characters long",
        "pattern": lambda: "has an invalid format",
        "format": lambda: f"must be a valid {expected}",
        "minimum": lambda: f"must be at least {expected}",
        "maximum": lambda: f"must be at most {expected}",
        "minProperties": lambda: "must contain at least one field" if expected == 1 else f"needs {expected}+ fields",
        "maxProperties": lambda: f"must contain at most {expected} fields",
        "minItems": lambda: f"must contain at least {expected} items",
        "maxItems": lambda: f"must contain at most {expected} items",
        "uniqueItems": lambda: "must not contain duplicates",
    }
    describe = messages.get(kind)
    return [FieldError(where or "body", describe() if describe else "is invalid")]


@dataclass
class ModelSchemas:
    """The schemas of one model: what a create accepts, what an update accepts, what is shown.

    `document` declares every public field (snake_case); its declared names also drive the
    camelCase renaming. `create` and `update` reject unknown fields.
    """

    document: dict[str, Any]
    create: dict[str, Any]
    update: dict[str, Any]
    _compiled: dict[str, CompiledSchema] = field(default_factory=dict, repr=False)

    @property
    def public_fields(self) -> tuple[str, ...]:
        return tuple(self.document.get("properties", {}))

    @cached_property
    def case_map(self) -> CaseMap:
        return CaseMap(self.document)

    @property
    def updatable_fields(self) -> frozenset[str]:
        return frozenset(self.update.get("properties", {})) - {"version"}

    def validator(self, which: str) -> CompiledSchema:
        """The compiled validator for `create`, `update` or `document` (built once)."""
        compiled = self._compiled.get(which)
        if compiled is None:
            compiled = self._compiled.setdefault(which, CompiledSchema(getattr(self, which)))
        return compiled

    def wire(self, which: str) -> dict[str, Any]:
        """The camelCase form of a schema, for API validation and OpenAPI."""
        return to_wire_schema(getattr(self, which))


def object_schema(properties: Mapping[str, Any], required: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:
    """An object schema that rejects fields it does not declare."""
    schema: dict[str, Any] = {"type": "object", "properties": dict(properties), "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    schema.update(extra)
    return schema
