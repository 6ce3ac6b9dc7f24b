"""tenantkit.models: tenant-aware single-table models (no AWS calls; importable on its own).

Names are loaded on first use (PEP 562), so `tenantkit.models.ids` or `.keys` can be imported
without paying for boto3-assist (and boto3) until a model class is actually needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tenantkit._lazy import lazy_exports

_EXPORTS = {
    "AuditRecord": "audit",
    "BaseModel": "base",
    "TenantModel": "base",
    "CaseMap": "casing",
    "camel_to_snake": "casing",
    "snake_to_camel": "casing",
    "Group": "group",
    "is_resource_id": "ids",
    "is_user_id": "ids",
    "new_id": "ids",
    "new_user_id": "ids",
    "InvalidKeySegmentError": "keys",
    "build_key": "keys",
    "build_prefix": "keys",
    "check_segment": "keys",
    "tenant_key": "keys",
    "tenant_prefix": "keys",
    "CompiledSchema": "schema",
    "FieldError": "schema",
    "ModelSchemas": "schema",
    "object_schema": "schema",
    "KeySpec": "table_spec",
    "TableSpec": "table_spec",
    "default_table_spec": "table_spec",
    "Task": "task",
    "TASK_STATUSES": "task",
}

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_exports(__name__, _EXPORTS, globals())


if TYPE_CHECKING:
    from tenantkit.models.audit import AuditRecord
    from tenantkit.models.base import BaseModel, TenantModel
    from tenantkit.models.casing import CaseMap, camel_to_snake, snake_to_camel
    from tenantkit.models.group import Group
    from tenantkit.models.ids import is_resource_id, is_user_id, new_id, new_user_id
    from tenantkit.models.keys import (
        InvalidKeySegmentError,
        build_key,
        build_prefix,
        check_segment,
        tenant_key,
        tenant_prefix,
    )
    from tenantkit.models.schema import CompiledSchema, FieldError, ModelSchemas, object_schema
    from tenantkit.models.table_spec import KeySpec, TableSpec, default_table_spec
    from tenantkit.models.task import TASK_STATUSES, Task
