"""tenantkit.api: Lambda handlers for API Gateway (REST proxy) speaking the one JSON envelope.

Import what you need from the submodules; this package imports nothing heavy on its own.
`from tenantkit.api.dispatch import serve, api_handler` for handlers,
`from tenantkit.api.pipeline import handle_cors, require_auth, handle_errors` for single stages.
"""
