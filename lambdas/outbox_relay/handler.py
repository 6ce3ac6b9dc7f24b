"""Outbox relay Lambda: the table's DynamoDB stream -> EventBridge, for committed outbox records only.

Not an HTTP route: CDK subscribes it to the table's stream (filtered to inserted outbox records)
with partial batch responses, so a failed publish is retried and never lost.
"""

from typing import Any

from tenantkit.api.dispatch import production_services


def lambda_handler(event: dict[str, Any], context: Any = None, injected_services: Any = None) -> dict[str, Any]:
    del context
    services = injected_services or production_services()
    return services.outbox.relay_stream_batch(event)
