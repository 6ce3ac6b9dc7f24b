"""The route registry: each route declared once, read by dispatch, the local stack, OpenAPI and CDK.

A route says: method, path, the Lambda (resource) that serves it, the operation function, the
lowest role allowed (None: public), the request body / query / path parameter schemas (snake_case;
their camelCase wire form is derived), the response schema and the success status.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from tenantkit.auth.context import Role
from tenantkit.models.casing import CaseMap, snake_to_camel
from tenantkit.models.schema import CompiledSchema, to_wire_schema

#: Operation signature: the seed's `(event, context, injected_services)`, with `event` an `ApiRequest`.
Operation = Callable[[Any, Any, Any], Any]

#: The modules whose `ROUTES` make up tenantkit's own API (one Lambda each).
RESOURCE_MODULES = (
    "tenantkit.api.resources.system",
    "tenantkit.api.resources.groups",
    "tenantkit.api.resources.tasks",
    "tenantkit.api.resources.tenants",
    "tenantkit.api.resources.users",
    "tenantkit.api.resources.audit",
)
#: Lambdas in `lambdas/` that serve no HTTP route (stream consumers); CDK wires them itself.
EVENT_LAMBDAS = ("outbox_relay",)


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    resource: str
    operation_id: str
    operation: Operation = field(repr=False, compare=False)
    role: Role | None
    summary: str = ""
    body_schema: dict[str, Any] | None = None
    query_schema: dict[str, Any] | None = None
    path_schema: dict[str, Any] | None = None
    response_schema: dict[str, Any] | None = None
    paged: bool = False
    success_status: int = 200
    allow_without_tenant: bool = False

    def __post_init__(self) -> None:
        """Refuse declarations the runtime would silently mishandle."""
        declared = set(re.findall(r"\{([A-Za-z0-9_]+)\}", self.path))
        schema_names = {snake_to_camel(name) for name in (self.path_schema or {}).get("properties", {})}
        if declared != schema_names:
            raise ValueError(f"{self.method} {self.path}: path parameters {sorted(declared)} need a path_schema")
        if self.body_schema is not None and not self.takes_body:
            raise ValueError(f"{self.method} {self.path}: only POST, PUT and PATCH take a body")

    @property
    def public(self) -> bool:
        return self.role is None

    @property
    def takes_body(self) -> bool:
        return self.method in ("POST", "PUT", "PATCH")

    @cached_property
    def body_case(self) -> CaseMap:
        return CaseMap(self.body_schema or {})

    @cached_property
    def wire_body(self) -> CompiledSchema | None:
        return CompiledSchema(to_wire_schema(self.body_schema)) if self.body_schema else None

    @cached_property
    def wire_query(self) -> CompiledSchema | None:
        return CompiledSchema(to_wire_schema(self.query_schema)) if self.query_schema else None

    @cached_property
    def wire_path(self) -> CompiledSchema | None:
        return CompiledSchema(to_wire_schema(self.path_schema)) if self.path_schema else None


class RouteTable:
    """The routes of one resource (one Lambda), declared with `@routes.route(...)`."""

    def __init__(self, resource: str) -> None:
        self.resource = resource
        self.routes: list[Route] = []

    def route(self, method: str, path: str, **options: Any) -> Callable[[Operation], Operation]:
        def register(operation: Operation) -> Operation:
            name = operation.__name__
            operation_id = options.pop("operation_id", None) or _camel(name)
            route = Route(method.upper(), path, self.resource, operation_id, operation, **options)
            if any((r.method, r.path) == (route.method, route.path) for r in self.routes):
                raise ValueError(f"{route.method} {route.path} is declared twice")
            self.routes.append(route)
            return operation

        return register

    def find(self, method: str, path: str) -> Route | None:
        for route in self.routes:
            if route.method == method and route.path == path:
                return route
        return None

    def __iter__(self) -> Iterator[Route]:
        return iter(self.routes)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def default_tables() -> list[RouteTable]:
    """tenantkit's own route tables (imports the resource modules)."""
    return [importlib.import_module(name).ROUTES for name in RESOURCE_MODULES]


def all_routes(tables: list[RouteTable] | None = None) -> list[Route]:
    """Every route, checked for duplicates across tables."""
    chosen = default_tables() if tables is None else tables
    routes = [route for table in chosen for route in table]
    seen: set[tuple[str, str]] = set()
    operation_ids: set[str] = set()
    for route in routes:
        if (route.method, route.path) in seen:
            raise ValueError(f"{route.method} {route.path} is declared by two resources")
        if route.operation_id in operation_ids:
            raise ValueError(f"operation id {route.operation_id} is used twice")
        seen.add((route.method, route.path))
        operation_ids.add(route.operation_id)
    return routes
