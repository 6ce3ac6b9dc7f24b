"""System Lambda: the public `/health` and `/openapi.json` routes."""

from tenantkit.api.dispatch import serve
from tenantkit.api.resources.system import ROUTES

lambda_handler = serve(ROUTES)
