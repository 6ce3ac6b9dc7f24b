"""The process-wide DynamoDB connection: created lazily, once, with a bounded retry policy.

boto3-assist's connection pool ignores credentials and botocore `Config`, so tenantkit builds its
own boto3 client (adaptive retries, short timeouts: a throttled call gives up well inside API
Gateway's 29 s) and hands it to boto3-assist's `DynamoDB`, which services receive as `db`.
The endpoint comes from boto3's own `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL`.
"""

from __future__ import annotations

import contextlib
import io
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from boto3_assist.dynamodb.dynamodb import DynamoDB
    from mypy_boto3_dynamodb import DynamoDBClient

#: At most 4 attempts of at most 1 s connect + 3 s read, plus backoff: about 23 s in the worst case.
MAX_ATTEMPTS = 4
CONNECT_TIMEOUT_SECONDS = 1.0
READ_TIMEOUT_SECONDS = 3.0
MAX_POOL_CONNECTIONS = 20

_lock = threading.Lock()
_db: DynamoDB | None = None


def new_client(**overrides: Any) -> DynamoDBClient:
    """A DynamoDB client with tenantkit's retry and timeout policy (`overrides` go to boto3)."""
    import boto3
    from botocore.config import Config

    config = Config(
        retries={"mode": "adaptive", "total_max_attempts": MAX_ATTEMPTS},
        connect_timeout=CONNECT_TIMEOUT_SECONDS,
        read_timeout=READ_TIMEOUT_SECONDS,
        max_pool_connections=MAX_POOL_CONNECTIONS,
    )
    return boto3.session.Session().client("dynamodb", config=config, **overrides)


def wrap_client(client: DynamoDBClient) -> DynamoDB:
    """A boto3-assist `DynamoDB` that uses `client` (its banner kept off stdout)."""
    with contextlib.redirect_stdout(io.StringIO()):
        from boto3_assist.dynamodb.dynamodb import DynamoDB

        db = DynamoDB()
        db.client = client
    return db


def connect() -> DynamoDB:
    """The shared connection of this process, created on first call."""
    global _db
    if _db is None:
        with _lock:
            if _db is None:
                _db = wrap_client(new_client())
    return _db


def reset_connection() -> None:
    """Forget the shared connection (tests, or after changing the endpoint)."""
    global _db
    with _lock:
        _db = None


def client_of(db: Any) -> DynamoDBClient:
    """The low-level client behind a boto3-assist `DynamoDB` (or a mock standing in for one)."""
    return db.client  # type: ignore[no-any-return]
