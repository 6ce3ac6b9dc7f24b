"""tenantkit.services: `ServiceResult`, `ServiceFactory` and one service per resource."""

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

__all__ = [
    "HTTP_STATUS",
    "ErrorCode",
    "GroupService",
    "ListPage",
    "ServiceError",
    "ServiceFactory",
    "ServiceResult",
    "TenantResourceService",
    "error_result",
    "success_result",
]
