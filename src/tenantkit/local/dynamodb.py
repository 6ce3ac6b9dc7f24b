"""The local stack's DynamoDB: moto's server on loopback, or an endpoint / real AWS named in settings.

`AWS_ENDPOINT_URL_DYNAMODB` set -> that endpoint (DynamoDB Local, another moto) is used;
`TENANTKIT_LOCAL_DYNAMODB=aws` -> real AWS with the ambient credentials (the table is created only
when missing, nothing else is touched); otherwise an embedded moto server on 127.0.0.1.
"""

from __future__ import annotations

import logging
import os
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from tenantkit.models.table_spec import TableSpec, default_table_spec
from tenantkit.store.client import new_client, reset_connection
from tenantkit.store.table_admin import ensure_table


@dataclass
class LocalDynamoDB:
    """Starts (or adopts) the endpoint and creates the table from the table spec."""

    table_name: str
    host: str = "127.0.0.1"
    port: int = 0
    spec: TableSpec = field(default_factory=default_table_spec)
    _server: Any = None
    endpoint: str | None = None
    mode: str = "embedded"

    def start(self) -> LocalDynamoDB:
        configured = os.environ.get("AWS_ENDPOINT_URL_DYNAMODB") or os.environ.get("AWS_ENDPOINT_URL")
        if os.environ.get("TENANTKIT_LOCAL_DYNAMODB", "").lower() == "aws":
            self.mode, self.endpoint = "aws", None
        elif configured:
            self.mode, self.endpoint = "endpoint", configured
        else:
            self._start_moto()
        reset_connection()
        self.create_table()
        return self

    def _start_moto(self) -> None:
        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server = ThreadedMotoServer(ip_address=self.host, port=self.port, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = self.endpoint
        self.mode = "embedded"

    def client(self) -> Any:
        return new_client(endpoint_url=self.endpoint) if self.endpoint else new_client()

    def create_table(self) -> bool:
        return ensure_table(self.client(), self.table_name, self.spec)

    def reset(self) -> None:
        """Wipe the embedded server's data and re-create the table (tests)."""
        if self.mode != "embedded" or self.endpoint is None:
            raise RuntimeError("only the embedded DynamoDB can be reset")
        request = urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST")  # noqa: S310
        with urllib.request.urlopen(request, timeout=5):  # noqa: S310 - our own loopback server
            pass
        self.create_table()

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
            if os.environ.get("AWS_ENDPOINT_URL_DYNAMODB") == self.endpoint:
                del os.environ["AWS_ENDPOINT_URL_DYNAMODB"]
        reset_connection()
