"""Groups Lambda: every `/groups` route of the registry (see `tenantkit.api.resources.groups`)."""

from tenantkit.api.dispatch import serve
from tenantkit.api.resources.groups import ROUTES

lambda_handler = serve(ROUTES)
