"""Lazy package exports (PEP 562): `from tenantkit.models import Group` loads only what it names.

Importing a submodule runs its package's `__init__`; eager re-exports there would make
`tenantkit.models.ids` pull in boto3. Packages list their exports here instead.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, exports: Mapping[str, str], namespace: dict[str, Any]) -> Callable[[str], Any]:
    """A module `__getattr__` resolving `name` from `package.<exports[name]>` on first access."""

    def __getattr__(name: str) -> Any:  # noqa: N807 - the PEP 562 hook name
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    return __getattr__
