"""Tenants Lambda: onboarding (operator) and the caller's tenant profile."""

from tenantkit.api.dispatch import serve
from tenantkit.api.resources.tenants import ROUTES

lambda_handler = serve(ROUTES)
