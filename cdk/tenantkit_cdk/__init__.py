"""tenantkit's CDK constructs: the table, Cognito, the event bus, the Lambdas, REST API and outbox relay, monitoring."""

from tenantkit_cdk.access import TableAccess, table_access, tenant_scoped_policy
from tenantkit_cdk.assembly import TenantkitStacks, build_app
from tenantkit_cdk.packaging import Layers, Target, build_layers
from tenantkit_cdk.settings import Settings, SettingsError

__all__ = [
    "Layers",
    "Settings",
    "SettingsError",
    "TableAccess",
    "Target",
    "TenantkitStacks",
    "build_app",
    "build_layers",
    "table_access",
    "tenant_scoped_policy",
]
