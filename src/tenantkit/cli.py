"""The `tenantkit` command: `serve` (the local stack), `token` (dev tokens), `openapi` (the document)."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path

BANNER = """
tenantkit local stack
  API        {url}   (DynamoDB: {dynamodb})
  OpenAPI    {url}/openapi.json

Demo users (tenant: Acme Corp {acme}, Globex {globex}):
{users}

Get a token and make a first request:
  TOKEN=$(uv run --frozen tenantkit token --demo acme-member)
  curl -s -H "Authorization: Bearer $TOKEN" {url}/groups | python3 -m json.tool

Ctrl-C stops everything.
"""


def _serve(args: argparse.Namespace) -> int:
    from tenantkit.local.demo import ACME, DEMO_USERS, GLOBEX
    from tenantkit.local.stack import LocalStack

    stack = LocalStack(project_root=Path.cwd(), host=args.host, port=args.port, seed_demo_data=not args.no_demo)
    stack.start()
    assert stack.dynamodb is not None
    users = "\n".join(
        f"  {u.handle:14s} {u.role.value:7s} uv run --frozen tenantkit token --demo {u.handle}" for u in DEMO_USERS
    )
    where = stack.dynamodb.endpoint or "AWS"
    print(
        BANNER.format(url=stack.url, dynamodb=f"{stack.dynamodb.mode} {where}", acme=ACME, globex=GLOBEX, users=users),
        flush=True,
    )
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    stopped.wait()
    stack.stop()
    print("stopped", flush=True)
    return 0


def _token(args: argparse.Namespace) -> int:
    from tenantkit.auth.context import Role
    from tenantkit.config import load_env_file
    from tenantkit.local.demo import demo_user
    from tenantkit.local.identity import LocalIdentityProvider
    from tenantkit.models.ids import is_resource_id, is_user_id, new_id, new_user_id

    load_env_file(Path.cwd(), ".env.development")
    tenant_id: str | None
    if args.demo:
        user = demo_user(args.demo)
        tenant_id, user_id, role = user.tenant_id, user.user_id, user.role
    elif args.email:
        from tenantkit.services.identity import LocalIdentityStore

        found = LocalIdentityStore(Path.cwd() / ".tenantkit" / "identities.json").find(email=args.email)
        if found is None:
            print(f"no local user with email {args.email}; invite one with POST /users first", file=sys.stderr)
            return 2
        tenant_id, user_id, role = found.tenant_id, found.user_id, Role.parse(found.role)
    else:
        role = Role.OPERATOR if args.operator else Role.parse(args.role)
        tenant_id = None if args.operator else (args.tenant or new_id())
        user_id = args.user or new_user_id()
        if tenant_id is not None and not is_resource_id(tenant_id):
            print(f"--tenant must be a ULID like {new_id()}", file=sys.stderr)
            return 2
        if not is_user_id(user_id):
            print(f"--user must be a lowercase UUID like {new_user_id()}", file=sys.stderr)
            return 2
    idp = LocalIdentityProvider(key_path=Path.cwd() / ".tenantkit" / "local-signing-key.pem")
    token = idp.mint(tenant_id=tenant_id, user_id=user_id, role=role, ttl_seconds=args.ttl)
    if args.json:
        print(json.dumps({"token": token, "tenantId": tenant_id, "userId": user_id, "role": role.value}))
    else:
        print(token)
    return 0


def _openapi(args: argparse.Namespace) -> int:
    from tenantkit.api.openapi import build_document

    print(json.dumps(build_document(), indent=2 if args.pretty else None, sort_keys=True))
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="tenantkit", description="tenantkit developer commands")
    commands = root.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the local stack (what `make run` calls)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-demo", action="store_true", help="do not seed demo data")
    serve.set_defaults(run=_serve)
    token = commands.add_parser("token", help="print a token signed by the local key (local stack only)")
    token.add_argument("--demo", help="a demo user handle, e.g. acme-member")
    token.add_argument("--email", help="a user invited through the local stack (POST /users or /tenants)")
    token.add_argument("--tenant", help="tenant id (ULID); a fresh one when left out")
    token.add_argument("--user", help="user id (UUID); a fresh one when left out")
    token.add_argument("--role", default="member", choices=["member", "admin", "owner"])
    token.add_argument("--operator", action="store_true", help="a platform operator token (no tenant)")
    token.add_argument("--ttl", type=int, default=8 * 3600, help="lifetime in seconds")
    token.add_argument("--json", action="store_true", help='print {"token", "tenantId", "userId", "role"}')
    token.set_defaults(run=_token)
    openapi = commands.add_parser("openapi", help="print the OpenAPI document")
    openapi.add_argument("--pretty", action="store_true")
    openapi.set_defaults(run=_openapi)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
