"""camelCase (the SPA's side) <-> snake_case (ours), driven by the schema.

Only keys that a schema defines are renamed. Maps the user owns (`metadata`, any object schema
without declared `properties`) pass through byte for byte, so `"My-Key"` stays `"My-Key"`. Because
each object's renaming is a table built from its declared snake_case names, a round trip is exact
(`address_line_2` -> `addressLine2` -> `address_line_2`) whatever the spelling.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def snake_to_camel(name: str) -> str:
    """`address_line_2` -> `addressLine2`; leading underscores are kept."""
    stripped = name.lstrip("_")
    lead = name[: len(name) - len(stripped)]
    head, *rest = stripped.split("_")
    return lead + head + "".join(part[:1].upper() + part[1:] for part in rest)


def camel_to_snake(name: str) -> str:
    """`userID` -> `user_id`, `addressLine2` -> `address_line2` (heuristic; schemas use the table)."""
    return _CAMEL_BOUNDARY.sub("_", name).lower()


class CaseMap:
    """Renames the keys a JSON schema (written in snake_case) declares, recursively.

    `to_camel` / `to_snake` copy their input; undeclared keys are kept as they are, and values under
    schemas without declared `properties` (free-form maps) are never touched.
    """

    __slots__ = ("_children", "_items", "_to_camel", "_to_snake")

    def __init__(self, schema: Mapping[str, Any]) -> None:
        properties: Mapping[str, Any] = schema.get("properties", {})
        self._to_camel: dict[str, str] = {}
        self._to_snake: dict[str, str] = {}
        self._children: dict[str, CaseMap] = {}
        for snake, sub_schema in properties.items():
            camel = snake_to_camel(snake)
            if camel in self._to_snake:
                raise ValueError(f"schema keys {self._to_snake[camel]!r} and {snake!r} both map to {camel!r}")
            self._to_camel[snake] = camel
            self._to_snake[camel] = snake
            child = CaseMap.for_schema(sub_schema)
            if child is not None:
                self._children[snake] = child
        items = schema.get("items")
        self._items = CaseMap.for_schema(items) if isinstance(items, Mapping) else None

    @staticmethod
    def for_schema(schema: object) -> CaseMap | None:
        """A map for schemas that declare keys somewhere inside, else None (pass through)."""
        if not isinstance(schema, Mapping):
            return None
        if "properties" in schema or isinstance(schema.get("items"), Mapping):
            built = CaseMap(schema)
            if built._to_camel or built._items is not None:
                return built
        return None

    def to_camel(self, data: Any) -> Any:
        return self._convert(data, to_camel=True)

    def to_snake(self, data: Any) -> Any:
        return self._convert(data, to_camel=False)

    def camel_name(self, snake: str) -> str:
        """The wire name of a declared field (for error paths); undeclared names are returned as is."""
        return self._to_camel.get(snake, snake)

    def child(self, snake: str) -> CaseMap | None:
        return self._children.get(snake)

    def _convert(self, data: Any, *, to_camel: bool) -> Any:
        if isinstance(data, list):
            if self._items is None:
                return list(data)
            return [self._items._convert(item, to_camel=to_camel) for item in data]
        if not isinstance(data, Mapping):
            return data
        names = self._to_camel if to_camel else self._to_snake
        converted: dict[str, Any] = {}
        for key, value in data.items():
            new_key = names.get(key, key)
            snake_key = key if to_camel else new_key
            child = self._children.get(snake_key) if isinstance(snake_key, str) else None
            converted[str(new_key)] = child._convert(value, to_camel=to_camel) if child else value
        return converted
