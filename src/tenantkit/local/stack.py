"""`LocalStack`: embedded DynamoDB + table + demo data + local API Gateway, started and stopped as one."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tenantkit.api.dispatch import reset_production_services
from tenantkit.api.registry import all_routes
from tenantkit.auth.jwt_verifier import TokenVerifier
from tenantkit.config import load_env_file, table_name_for
from tenantkit.local.demo import seed
from tenantkit.local.dynamodb import LocalDynamoDB
from tenantkit.local.gateway import LocalGateway, load_handlers
from tenantkit.local.identity import LocalIdentityProvider


@dataclass
class LocalStack:
    """The whole backend on one machine. `port=0` picks free ports (tests)."""

    project_root: Path = field(default_factory=Path.cwd)
    host: str = "127.0.0.1"
    port: int = 8000
    seed_demo_data: bool = True
    identity: LocalIdentityProvider | None = None
    dynamodb: LocalDynamoDB | None = None
    gateway: LocalGateway | None = None

    def start(self) -> LocalStack:
        load_env_file(self.project_root, ".env.development")
        os.environ.setdefault("TENANTKIT_METRICS", "off")
        os.environ.setdefault("TENANTKIT_IDENTITY_STORE", str(self.project_root / ".tenantkit" / "identities.json"))
        self.identity = self.identity or LocalIdentityProvider(
            key_path=self.project_root / ".tenantkit" / "local-signing-key.pem"
        )
        self.dynamodb = LocalDynamoDB(table_name=table_name_for("groups")).start()
        reset_production_services()
        if self.dynamodb.mode == "embedded":
            self._forget_identities()  # the embedded table starts empty: so do its users' sign-ins
        if self.seed_demo_data:
            self.seed()
        routes = all_routes()
        handlers = load_handlers(self.project_root / "lambdas", {route.resource for route in routes})
        verifier = TokenVerifier(self.identity.jwt_settings(), jwks=self.identity.jwks())
        self.gateway = LocalGateway(routes, handlers, verifier, host=self.host, port=self.port).start()
        return self

    def seed(self) -> int:
        from tenantkit.api.dispatch import production_services

        return seed(production_services())

    def _forget_identities(self) -> None:
        from tenantkit.api.dispatch import production_services
        from tenantkit.services.identity import LocalIdentityStore

        identity = production_services().identity
        if isinstance(identity, LocalIdentityStore):
            identity.clear()

    @property
    def url(self) -> str:
        assert self.gateway is not None
        return self.gateway.url

    def reset_data(self) -> None:
        """Empty the embedded table (and re-seed when demo data is on)."""
        assert self.dynamodb is not None
        self._forget_identities()
        self.dynamodb.reset()
        if self.seed_demo_data:
            self.seed()

    def stop(self) -> None:
        if self.gateway is not None:
            self.gateway.stop()
            self.gateway = None
        if self.dynamodb is not None:
            self.dynamodb.stop()
            self.dynamodb = None
        reset_production_services()
