"""`ServiceFactory`: builds services lazily on one shared connection; tests inject their own.

`ServiceFactory(db=mock_or_moto_db)` replaces the production connection for every service, and a
handler's `injected_services` replaces the whole factory. Nothing connects until a service runs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tenantkit import config
from tenantkit.models.table_spec import TableSpec, default_table_spec
from tenantkit.store.client import client_of, connect
from tenantkit.store.cursor import CursorSigner
from tenantkit.store.gateway import Table

if TYPE_CHECKING:
    from boto3_assist.dynamodb.dynamodb import DynamoDB

    from tenantkit.services.audit_service import AuditService
    from tenantkit.services.events import EventPublisher
    from tenantkit.services.group_service import GroupService
    from tenantkit.services.identity import IdentityProvider
    from tenantkit.services.outbox import Outbox
    from tenantkit.services.task_service import TaskService
    from tenantkit.services.tenant_service import TenantService
    from tenantkit.services.user_service import UserService


class ServiceFactory:
    """Lazily-built services sharing one DynamoDB connection (`db`) and one table spec."""

    def __init__(
        self,
        db: DynamoDB | Any | None = None,
        table_name: str | None = None,
        *,
        table_spec: TableSpec | None = None,
        cursor_secret: bytes | None = None,
        events: EventPublisher | None = None,
        identity: IdentityProvider | None = None,
    ) -> None:
        self._db = db
        self._table_name = table_name
        self._table_spec = table_spec
        self._cursor_secret = cursor_secret
        self._signer: CursorSigner | None = None
        self._tables: dict[str, Table] = {}
        self._services: dict[str, Any] = {}
        self._events = events
        self._outbox: Outbox | None = None
        self._identity = identity

    @property
    def db(self) -> DynamoDB | Any:
        """The DynamoDB connection: the injected one, else the process-wide one (created now)."""
        if self._db is None:
            self._db = connect()
        return self._db

    @property
    def table_spec(self) -> TableSpec:
        if self._table_spec is None:
            self._table_spec = default_table_spec()
        return self._table_spec

    def table_name(self, resource: str) -> str:
        """Explicit `table_name` > `<RESOURCE>_TABLE_NAME` > `APP_TABLE_NAME` > default."""
        return self._table_name or config.table_name_for(resource)

    def cursor_signer(self) -> CursorSigner:
        if self._signer is None:
            self._signer = CursorSigner(self._cursor_secret or config.cursor_secret())
        return self._signer

    def table(self, resource: str) -> Table:
        """The table gateway `resource`'s service uses (shared when the names resolve alike)."""
        name = self.table_name(resource)
        if name not in self._tables:
            self._tables[name] = Table(lambda: client_of(self.db), name, self.table_spec, self.cursor_signer)
        return self._tables[name]

    @property
    def events(self) -> EventPublisher:
        """The event publisher: the injected one, else EventBridge (`EVENT_BUS_NAME`) or the log."""
        if self._events is None:
            from tenantkit.services.events import publisher_from_env

            self._events = publisher_from_env()
        return self._events

    @property
    def outbox(self) -> Outbox:
        if self._outbox is None:
            from tenantkit.services.outbox import Outbox

            stream_relay = os.environ.get("TENANTKIT_OUTBOX_RELAY", "").strip().lower() == "stream"
            self._outbox = Outbox(self.table("outbox"), self.events, publish_after_commit=not stream_relay)
        return self._outbox

    @property
    def identity(self) -> IdentityProvider:
        """The identity provider: the injected one, else Cognito or the local store from settings."""
        if self._identity is None:
            from tenantkit.services.identity import identity_provider_from_env

            self._identity = identity_provider_from_env()
        return self._identity

    @property
    def tenant_service(self) -> TenantService:
        if "tenants" not in self._services:
            from tenantkit.services.tenant_service import TenantService

            self._services["tenants"] = TenantService(self.table("tenants"), self.identity, self.outbox)
        return self._services["tenants"]  # type: ignore[no-any-return]

    @property
    def user_service(self) -> UserService:
        if "users" not in self._services:
            from tenantkit.services.user_service import UserService

            self._services["users"] = UserService(self.table("users"), self.identity, self.outbox)
        return self._services["users"]  # type: ignore[no-any-return]

    @property
    def group_service(self) -> GroupService:
        if "groups" not in self._services:
            from tenantkit.services.group_service import GroupService

            self._services["groups"] = GroupService(self.table("groups"), self.outbox)
        return self._services["groups"]  # type: ignore[no-any-return]

    @property
    def task_service(self) -> TaskService:
        """Tasks; they reference groups in the same transaction, so both must resolve to one table."""
        if "tasks" not in self._services:
            from tenantkit.services.task_service import TaskService

            self._services["tasks"] = TaskService(self.table("tasks"), self.outbox)
        return self._services["tasks"]  # type: ignore[no-any-return]

    @property
    def audit_service(self) -> AuditService:
        """The audit trail, read-only (records are written by the services that make changes)."""
        if "audit" not in self._services:
            from tenantkit.services.audit_service import AuditService

            self._services["audit"] = AuditService(self.table("audit"))
        return self._services["audit"]  # type: ignore[no-any-return]

    @staticmethod
    def load_test_env(
        starting_path: str | Path,
        env_file_name: str = ".env.development",
        event_file_name: str | None = None,
    ) -> dict[str, Any] | None:
        """Load the nearest env file (never overriding what is set) and return the event JSON.

        The event file is looked up from `starting_path` upwards; unwrapped from `event`/`message`
        when a saved test fixture nests it.
        """
        config.load_env_file(starting_path, env_file_name)
        if event_file_name is None:
            return None
        path = config.find_upwards(starting_path, event_file_name)
        if path is None:
            raise FileNotFoundError(f"{event_file_name} not found from {starting_path}")
        event: Any = json.loads(path.read_text(encoding="utf-8"))
        for wrapper in ("event", "message"):
            if isinstance(event, dict) and set(event) == {wrapper}:
                event = event[wrapper]
        if not isinstance(event, dict):
            raise ValueError(f"{event_file_name} does not hold a JSON object")
        return event
