"""Audit Lambda: every `/audit` route of the registry (see `tenantkit.api.resources.audit`)."""

from tenantkit.api.dispatch import serve
from tenantkit.api.resources.audit import ROUTES

lambda_handler = serve(ROUTES)
