"""The identity-provider port: who can sign in, with which tenant and role in their token.

The token's `custom:tenant_id` and `custom:role` come from here, so these attributes must be
writable by the backend only (never by the app client: see cdk/). Adapters:
- `CognitoIdentityProvider`: admin APIs of a Cognito user pool (groups per role as well);
- `LocalIdentityStore`: the local stack's users, in memory or in a JSON file (`tenantkit token`
  reads it), with the same rules (an email signs in to one tenant only).
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from tenantkit.config import ConfigurationError


class IdentityProviderError(Exception):
    """The identity provider refused or failed (message for logs, not for clients)."""


class UserExistsError(IdentityProviderError):
    """An account with this email exists already."""


class UnknownUserError(IdentityProviderError):
    """The provider has no such user (already removed there): callers may treat it as done."""


class IdentityProvider(Protocol):
    def create_user(self, *, email: str, name: str, tenant_id: str, role: str) -> str:
        """Create a sign-in for `email` in `tenant_id` with `role`; returns the new user id (subject)."""
        ...

    def set_role(self, *, user_id: str, role: str) -> None: ...

    def disable_user(self, *, user_id: str) -> None: ...

    def enable_user(self, *, user_id: str) -> None: ...

    def delete_user(self, *, user_id: str) -> None: ...


@dataclass
class LocalIdentity:
    user_id: str
    email: str
    name: str
    tenant_id: str
    role: str
    enabled: bool = True


class LocalIdentityStore:
    """A thread-safe identity store; persisted to `path` (JSON) when given."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._users: dict[str, LocalIdentity] = {}
        if path is not None and path.exists():
            for raw in json.loads(path.read_text(encoding="utf-8")):
                identity = LocalIdentity(**raw)
                self._users[identity.user_id] = identity

    def _save(self) -> None:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            data = [asdict(identity) for identity in self._users.values()]
            self.path.write_text(json.dumps(data, indent=2), encoding="utf-8")

    def create_user(self, *, email: str, name: str, tenant_id: str, role: str) -> str:
        with self._lock:
            if any(identity.email == email.lower() for identity in self._users.values()):
                raise UserExistsError("email taken")
            user_id = str(uuid.uuid4())
            self._users[user_id] = LocalIdentity(user_id, email.lower(), name, tenant_id, role)
            self._save()
            return user_id

    def set_role(self, *, user_id: str, role: str) -> None:
        with self._lock:
            self._get(user_id).role = role
            self._save()

    def disable_user(self, *, user_id: str) -> None:
        with self._lock:
            self._get(user_id).enabled = False
            self._save()

    def enable_user(self, *, user_id: str) -> None:
        with self._lock:
            self._get(user_id).enabled = True
            self._save()

    def delete_user(self, *, user_id: str) -> None:
        with self._lock:
            self._users.pop(user_id, None)
            self._save()

    def clear(self) -> None:
        """Forget every identity (the local stack, when its embedded table starts empty)."""
        with self._lock:
            self._users.clear()
            self._save()

    def ensure(self, identity: LocalIdentity) -> None:
        """Register a known identity (demo users with fixed ids) unless its id or email exists."""
        with self._lock:
            taken = identity.user_id in self._users or any(u.email == identity.email for u in self._users.values())
            if not taken:
                self._users[identity.user_id] = identity
                self._save()

    def find(self, *, email: str | None = None, user_id: str | None = None) -> LocalIdentity | None:
        with self._lock:
            for identity in self._users.values():
                if identity.user_id == user_id or (email is not None and identity.email == email.lower()):
                    return identity
            return None

    def _get(self, user_id: str) -> LocalIdentity:
        if user_id not in self._users:
            raise UnknownUserError("no such user")
        return self._users[user_id]


ROLE_GROUPS = ("member", "admin", "owner")


class CognitoIdentityProvider:
    """Cognito user pool admin APIs; the email is the username, role kept in `custom:role` and a group."""

    def __init__(self, user_pool_id: str, client: Callable[[], Any]) -> None:
        self.user_pool_id = user_pool_id
        self._client = client

    def create_user(self, *, email: str, name: str, tenant_id: str, role: str) -> str:
        client = self._client()
        attributes = [
            {"Name": "email", "Value": email.lower()},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "custom:tenant_id", "Value": tenant_id},
            {"Name": "custom:role", "Value": role},
        ]
        if name:
            attributes.append({"Name": "name", "Value": name})
        try:
            response = client.admin_create_user(
                UserPoolId=self.user_pool_id, Username=email.lower(), UserAttributes=attributes
            )
        except Exception as error:
            if _code(error) == "UsernameExistsException":
                raise UserExistsError("email taken") from error
            raise IdentityProviderError("create user failed") from error
        found = {a["Name"]: a["Value"] for a in response["User"].get("Attributes", [])}
        user_id = found.get("sub") or response["User"]["Username"]
        client.admin_add_user_to_group(UserPoolId=self.user_pool_id, Username=email.lower(), GroupName=role)
        return str(user_id)

    def _username(self, user_id: str) -> str:
        """Admin APIs take the username (the email); find it by the immutable `sub`."""
        response = self._client().list_users(UserPoolId=self.user_pool_id, Filter=f'sub = "{user_id}"', Limit=1)
        users = response.get("Users", [])
        if not users:
            raise UnknownUserError("no such user")
        return str(users[0]["Username"])

    def set_role(self, *, user_id: str, role: str) -> None:
        client, username = self._client(), self._username(user_id)
        client.admin_update_user_attributes(
            UserPoolId=self.user_pool_id, Username=username, UserAttributes=[{"Name": "custom:role", "Value": role}]
        )
        for group in ROLE_GROUPS:
            if group != role:
                client.admin_remove_user_from_group(UserPoolId=self.user_pool_id, Username=username, GroupName=group)
        client.admin_add_user_to_group(UserPoolId=self.user_pool_id, Username=username, GroupName=role)

    def disable_user(self, *, user_id: str) -> None:
        self._client().admin_disable_user(UserPoolId=self.user_pool_id, Username=self._username(user_id))

    def enable_user(self, *, user_id: str) -> None:
        self._client().admin_enable_user(UserPoolId=self.user_pool_id, Username=self._username(user_id))

    def delete_user(self, *, user_id: str) -> None:
        self._client().admin_delete_user(UserPoolId=self.user_pool_id, Username=self._username(user_id))


def _code(error: BaseException) -> str:
    response: Any = getattr(error, "response", None)
    return str(response.get("Error", {}).get("Code", "")) if isinstance(response, dict) else ""


def identity_provider_from_env(environ: dict[str, str] | None = None) -> IdentityProvider:
    """Cognito (`COGNITO_USER_POOL_ID`), or the local store (`TENANTKIT_IDENTITY_STORE`, a JSON path)."""
    env = os.environ if environ is None else environ
    pool = env.get("COGNITO_USER_POOL_ID", "").strip()
    if pool:

        def client() -> Any:
            import boto3

            return boto3.session.Session().client("cognito-idp")

        return CognitoIdentityProvider(pool, client)
    store = env.get("TENANTKIT_IDENTITY_STORE", "").strip()
    if store:
        return LocalIdentityStore(Path(store))
    raise ConfigurationError("set COGNITO_USER_POOL_ID (or TENANTKIT_IDENTITY_STORE for the local stack)")
