"""Lambda-shaped DynamoDB stream batches built from what a table holds.

moto's DynamoDB Streams API answers "Not yet implemented" to this botocore's DescribeStream, so the
batch is built the way a stream with `NEW_IMAGE` view presents inserts to Lambda.
"""

from __future__ import annotations

from typing import Any

from helpers import all_items

from tenantkit.store.codec import to_attributes


def stream_batch(db: Any) -> dict[str, Any]:
    """An INSERT record for every item now in the table, in key order, as Lambda hands them over."""
    records = []
    for number, item in enumerate(sorted(all_items(db), key=lambda i: (i["pk"], i["sk"])), start=1):
        records.append(
            {
                "eventID": f"event-{number}",
                "eventName": "INSERT",
                "eventSource": "aws:dynamodb",
                "dynamodb": {
                    "Keys": to_attributes({"pk": item["pk"], "sk": item["sk"]}),
                    "NewImage": to_attributes(item),
                    "SequenceNumber": f"{number:021d}",
                    "StreamViewType": "NEW_IMAGE",
                },
            }
        )
    return {"Records": records}
