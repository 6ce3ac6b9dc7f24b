"""tenantkit.services: `ServiceResult`, `ServiceFactory` and one service per resource (loaded on use)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tenantkit._lazy import lazy_exports

_EXPORTS = {
    "AuditService": "audit_service",
    "TenantResourceService": "base",
    "ServiceFactory": "factory",
    "GroupService": "group_service",
    "HTTP_STATUS": "result",
    "ErrorCode": "result",
    "ListPage": "result",
    "ServiceError": "result",
    "ServiceResult": "result",
    "error_result": "result",
    "success_result": "result",
    "TaskService": "task_service",
}

__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS, globals())

if TYPE_CHECKING:
    from tenantkit.services.audit_service import AuditService
    from tenantkit.services.base import TenantResourceService
    from tenantkit.services.factory import ServiceFactory
    from tenantkit.services.group_service import GroupService
    from tenantkit.services.result import (
        HTTP_STATUS,
        ErrorCode,
        ListPage,
        ServiceError,
        ServiceResult,
        error_result,
        success_result,
    )
    from tenantkit.services.task_service import TaskService
