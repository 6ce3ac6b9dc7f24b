"""tenantkit.models: tenant-aware single-table models (no AWS calls; importable on its own)."""

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

__all__ = [
    "AuditRecord",
    "BaseModel",
    "CaseMap",
    "CompiledSchema",
    "FieldError",
    "Group",
    "InvalidKeySegmentError",
    "KeySpec",
    "ModelSchemas",
    "TableSpec",
    "TenantModel",
    "build_key",
    "build_prefix",
    "camel_to_snake",
    "check_segment",
    "default_table_spec",
    "is_resource_id",
    "is_user_id",
    "new_id",
    "new_user_id",
    "object_schema",
    "snake_to_camel",
    "tenant_key",
    "tenant_prefix",
]
