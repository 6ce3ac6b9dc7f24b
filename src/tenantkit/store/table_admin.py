"""Creating the table from the table spec (local stack and tests; CDK does it in AWS)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tenantkit.models.table_spec import TableSpec
from tenantkit.store.errors import error_code

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


def ensure_table(client: DynamoDBClient, table_name: str, spec: TableSpec) -> bool:
    """Create `table_name` from `spec` unless it exists; True when it was created."""
    try:
        client.create_table(**spec.create_table_arguments(table_name))
    except Exception as error:
        if error_code(error) == "ResourceInUseException":
            return False
        raise
    client.get_waiter("table_exists").wait(TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    client.update_time_to_live(
        TableName=table_name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": spec.ttl_attribute},
    )
    return True
