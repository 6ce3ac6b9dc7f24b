"""Tasks Lambda: every `/tasks` route of the registry (see `tenantkit.api.resources.tasks`)."""

from tenantkit.api.dispatch import serve
from tenantkit.api.resources.tasks import ROUTES

lambda_handler = serve(ROUTES)
