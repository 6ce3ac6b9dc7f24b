"""Users Lambda: every `/users` route of the registry."""

from tenantkit.api.dispatch import serve
from tenantkit.api.resources.users import ROUTES

lambda_handler = serve(ROUTES)
