"""Settings from the environment, and the `.env` loader for the local stack and tests.

Table names resolve as: the resource's own variable (`GROUPS_TABLE_NAME`) > `APP_TABLE_NAME` >
the default. `.env.development` is loaded by the local stack and tests only (never inside Lambda)
and never overrides a variable that is already set.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping, MutableMapping
from pathlib import Path

DEFAULT_TABLE_NAME = "tenantkit-app"
MIN_CURSOR_SECRET_BYTES = 32


class ConfigurationError(RuntimeError):
    """A required setting is missing or malformed (a deployment bug, never the caller's fault)."""


def table_name_for(resource: str, environ: Mapping[str, str] | None = None) -> str:
    """The table for `resource` (e.g. "groups"): `GROUPS_TABLE_NAME` > `APP_TABLE_NAME` > default."""
    env = os.environ if environ is None else environ
    specific = env.get(f"{resource.upper()}_TABLE_NAME", "").strip()
    generic = env.get("APP_TABLE_NAME", "").strip()
    return specific or generic or DEFAULT_TABLE_NAME


def cursor_secret(environ: Mapping[str, str] | None = None) -> bytes:
    """The HMAC key that signs pagination cursors, at least 32 bytes.

    `CURSOR_SECRET` (local stack, tests) or `CURSOR_SECRET_ARN`, a Secrets Manager secret read once
    per container on first use (deployments: the key never appears in a template or variable).
    """
    env = os.environ if environ is None else environ
    secret = env.get("CURSOR_SECRET", "").encode()
    if not secret and env.get("CURSOR_SECRET_ARN", "").strip():
        secret = _secret_value(env["CURSOR_SECRET_ARN"].strip())
    if len(secret) < MIN_CURSOR_SECRET_BYTES:
        raise ConfigurationError(
            f"CURSOR_SECRET (or CURSOR_SECRET_ARN) must give at least {MIN_CURSOR_SECRET_BYTES} bytes"
        )
    return secret


@functools.cache
def _secret_value(arn: str) -> bytes:
    import boto3

    response = boto3.session.Session().client("secretsmanager").get_secret_value(SecretId=arn)
    return str(response.get("SecretString", "")).encode()


def parse_env_file(text: str) -> dict[str, str]:
    """`KEY=VALUE` lines; `#` comments, `export ` prefixes and single or double quotes allowed."""
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        quote = value[:1]
        if quote in ("'", '"') and quote in value[1:]:
            value = value[1 : value.index(quote, 1)]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        values[key.strip()] = value
    return values


def find_upwards(starting_path: str | Path, file_name: str, max_levels: int = 10) -> Path | None:
    """The nearest `file_name` in `starting_path` or its parents."""
    folder = Path(starting_path).resolve()
    if folder.is_file():
        folder = folder.parent
    for candidate in [folder, *folder.parents][: max_levels + 1]:
        path = candidate / file_name
        if path.is_file():
            return path
    return None


def load_env_file(
    starting_path: str | Path,
    file_name: str = ".env.development",
    environ: MutableMapping[str, str] | None = None,
) -> Path | None:
    """Load the nearest env file into `environ` without overriding what is set; returns its path."""
    env = os.environ if environ is None else environ
    path = find_upwards(starting_path, file_name)
    if path is None:
        return None
    for key, value in parse_env_file(path.read_text(encoding="utf-8")).items():
        env.setdefault(key, value)
    return path
