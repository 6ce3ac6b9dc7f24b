"""tenantkit.auth: the verified caller (`TenantContext`), roles, and token verification."""

from tenantkit.auth.context import Role, TenantContext

__all__ = ["Role", "TenantContext"]
