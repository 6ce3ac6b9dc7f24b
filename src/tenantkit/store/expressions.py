"""Write operations and conditions with every name and value bound as a placeholder.

No field name or value is ever spliced into an expression string: names become `#n0..`, values
`:v0..`, so a field called `name` or `status` (reserved words) and any value are safe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tenantkit.store.codec import to_attribute, to_attributes


@dataclass
class ExpressionBuilder:
    """Collects placeholder names and values for one request."""

    names: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)

    def name(self, attribute: str) -> str:
        for placeholder, existing in self.names.items():
            if existing == attribute:
                return placeholder
        placeholder = f"#n{len(self.names)}"
        self.names[placeholder] = attribute
        return placeholder

    def path(self, dotted: str) -> str:
        """`privacy_settings.visibility` -> `#n0.#n1`."""
        return ".".join(self.name(part) for part in dotted.split("."))

    def value(self, value: Any) -> str:
        placeholder = f":v{len(self.values)}"
        self.values[placeholder] = to_attribute(value)
        return placeholder

    def apply(self, request: dict[str, Any]) -> dict[str, Any]:
        """Add the collected names and values to a request (only the parts that are used)."""
        if self.names:
            request["ExpressionAttributeNames"] = dict(self.names)
        if self.values:
            request["ExpressionAttributeValues"] = dict(self.values)
        return request


_COMPARISONS = {"eq": "=", "ne": "<>", "lt": "<", "gt": ">"}


@dataclass(frozen=True)
class Condition:
    """A condition as a function of a builder, so it can join any request's placeholders."""

    kind: str
    attribute: str = ""
    value: Any = None
    parts: tuple[Condition, ...] = ()

    def render(self, builder: ExpressionBuilder) -> str:
        if self.kind == "exists":
            return f"attribute_exists({builder.path(self.attribute)})"
        if self.kind == "not_exists":
            return f"attribute_not_exists({builder.path(self.attribute)})"
        if self.kind in _COMPARISONS:
            return f"{builder.path(self.attribute)} {_COMPARISONS[self.kind]} {builder.value(self.value)}"
        if self.kind == "lt_attribute":
            return f"{builder.path(self.attribute)} < {builder.path(str(self.value))}"
        if self.kind in ("and", "or"):
            return "(" + f" {self.kind.upper()} ".join(part.render(builder) for part in self.parts) + ")"
        raise ValueError(f"unknown condition kind {self.kind}")


def exists(attribute: str) -> Condition:
    return Condition("exists", attribute)


def not_exists(attribute: str) -> Condition:
    return Condition("not_exists", attribute)


def equals(attribute: str, value: Any) -> Condition:
    return Condition("eq", attribute, value)


def greater_than(attribute: str, value: Any) -> Condition:
    return Condition("gt", attribute, value)


def less_than_attribute(attribute: str, other: str) -> Condition:
    """`attribute < other`, both attribute paths (e.g. `user_count < limits.max_users`)."""
    return Condition("lt_attribute", attribute, other)


def all_of(*parts: Condition) -> Condition:
    return Condition("and", parts=parts)


def any_of(*parts: Condition) -> Condition:
    return Condition("or", parts=parts)


def _conditional(request: dict[str, Any], condition: Condition | None) -> dict[str, Any]:
    """Add `condition` (with its own placeholders) to a request that has no expression yet."""
    if condition is not None:
        builder = ExpressionBuilder()
        request["ConditionExpression"] = condition.render(builder)
        builder.apply(request)
    return request


@dataclass(frozen=True)
class Put:
    """Write a whole new item, usually on the condition that it does not exist."""

    item: dict[str, Any]
    condition: Condition | None = None

    def request(self, table: str) -> dict[str, Any]:
        return _conditional({"TableName": table, "Item": to_attributes(self.item)}, self.condition)


@dataclass(frozen=True)
class Update:
    """SET the given attributes and REMOVE others on one item, under a condition."""

    key: dict[str, str]
    set_values: dict[str, Any]
    remove: tuple[str, ...] = ()
    condition: Condition | None = None
    #: Numbers to add atomically (negative to subtract): `{"user_count": 1}`.
    increments: dict[str, int] | None = None

    def request(self, table: str) -> dict[str, Any]:
        builder = ExpressionBuilder()
        clauses = []
        if self.set_values:
            assignments = [f"{builder.name(k)} = {builder.value(v)}" for k, v in self.set_values.items()]
            clauses.append("SET " + ", ".join(assignments))
        if self.increments:
            clauses.append(
                "ADD " + ", ".join(f"{builder.name(k)} {builder.value(v)}" for k, v in self.increments.items())
            )
        if self.remove:
            clauses.append("REMOVE " + ", ".join(builder.name(name) for name in self.remove))
        if not clauses:
            raise ValueError("an update needs at least one attribute to set or remove")
        request: dict[str, Any] = {
            "TableName": table,
            "Key": to_attributes(self.key),
            "UpdateExpression": " ".join(clauses),
        }
        if self.condition is not None:
            request["ConditionExpression"] = self.condition.render(builder)
        return builder.apply(request)


@dataclass(frozen=True)
class Delete:
    """Delete one item, under a condition."""

    key: dict[str, str]
    condition: Condition | None = None

    def request(self, table: str) -> dict[str, Any]:
        return _conditional({"TableName": table, "Key": to_attributes(self.key)}, self.condition)


@dataclass(frozen=True)
class ConditionCheck:
    """Require a condition on an item without writing it (inside a transaction)."""

    key: dict[str, str]
    condition: Condition

    def request(self, table: str) -> dict[str, Any]:
        return _conditional({"TableName": table, "Key": to_attributes(self.key)}, self.condition)


WriteOp = Put | Update | Delete | ConditionCheck


def op_key(op: WriteOp, key_names: tuple[str, str]) -> tuple[str, str]:
    """The primary key an operation addresses (to refuse two operations on one item)."""
    source = op.item if isinstance(op, Put) else op.key
    return (str(source[key_names[0]]), str(source[key_names[1]]))
