"""Deployment settings: CDK context (`-c key=value`) first, then the environment, then defaults.

| setting | context | environment | default |
|---|---|---|---|
| organization | `organization` | `TENANTKIT_ORG` | `tenantkit` |
| environment | `environment` | `TENANTKIT_ENV` | `dev` |
| allowed origins | `allowed_origins` | `CORS_ALLOWED_ORIGINS` | `http://localhost:5173` |
| Lambda log level | `log_level` | `LOG_LEVEL` | `INFO` |
| log retention (days) | `log_retention_days` | `TENANTKIT_LOG_RETENTION_DAYS` | `30` |
| stage throttling | `throttle_rate`, `throttle_burst` | `TENANTKIT_THROTTLE_RATE`, `..._BURST` | `100`, `200` |
| MFA | `mfa` (`optional`, `required`) | `TENANTKIT_MFA` | `optional` |
| X-Ray tracing | `tracing` (`on`, `off`) | `TENANTKIT_TRACING` | `off` |
| alarm e-mail | `alarm_email` | `TENANTKIT_ALARM_EMAIL` | none (alarms without actions) |
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aws_cdk import aws_logs as logs

DEFAULT_ORGANIZATION = "tenantkit"
DEFAULT_ENVIRONMENT = "dev"
DEFAULT_ORIGINS = ("http://localhost:5173",)
NAME_PATTERN = re.compile(r"[a-z][a-z0-9-]{0,30}[a-z0-9]")
ORIGIN_PATTERN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
#: Retention periods CloudWatch Logs accepts (days).
RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)

ContextLookup = Callable[[str], Any]


class SettingsError(ValueError):
    """A deployment setting is malformed: synth stops before anything is built."""


@dataclass(frozen=True)
class Settings:
    organization: str = DEFAULT_ORGANIZATION
    environment: str = DEFAULT_ENVIRONMENT
    allowed_origins: tuple[str, ...] = DEFAULT_ORIGINS
    log_level: str = "INFO"
    log_retention_days: int = 30
    throttle_rate: int = 100
    throttle_burst: int = 200
    mfa_required: bool = False
    tracing: bool = False
    alarm_email: str | None = None

    def __post_init__(self) -> None:
        for label, value in (("organization", self.organization), ("environment", self.environment)):
            if not NAME_PATTERN.fullmatch(value):
                raise SettingsError(f"{label} {value!r} must be 2-32 characters of a-z, 0-9 and '-'")
        if any(word in self.auth_domain_prefix for word in ("aws", "amazon", "cognito")):
            raise SettingsError(
                f"the Cognito domain {self.auth_domain_prefix!r} may not contain aws, amazon or cognito"
            )
        if not self.allowed_origins:
            raise SettingsError("at least one allowed origin is needed")
        for origin in self.allowed_origins:
            if not ORIGIN_PATTERN.fullmatch(origin):
                raise SettingsError(f"allowed origin {origin!r} must be scheme://host[:port] (never '*')")
        if self.log_level not in LOG_LEVELS:
            raise SettingsError(f"log level {self.log_level!r} is not one of {LOG_LEVELS}")
        if self.log_retention_days not in RETENTION_DAYS:
            raise SettingsError(f"log retention {self.log_retention_days} is not one of {RETENTION_DAYS}")
        if not 0 < self.throttle_rate <= 10_000 or not 0 < self.throttle_burst <= 5_000:
            raise SettingsError("throttle rate must be 1..10000 and burst 1..5000")

    @property
    def log_retention(self) -> logs.RetentionDays:
        """The CloudWatch Logs retention enum member for `log_retention_days`."""
        members = [member for member in logs.RetentionDays if member is not logs.RetentionDays.INFINITE]
        return dict(zip(RETENTION_DAYS, members, strict=True))[self.log_retention_days]

    # Names: one place decides every physical name and parameter path.
    @property
    def prefix(self) -> str:
        return f"{self.organization}-{self.environment}"

    @property
    def table_name(self) -> str:
        return f"{self.prefix}-app-table"

    @property
    def auth_domain_prefix(self) -> str:
        """The Cognito hosted-UI domain prefix (`https://<prefix>.auth.<region>.amazoncognito.com`)."""
        return f"{self.prefix}-auth"

    def ssm_parameter(self, service: str, resource: str, attribute: str) -> str:
        """`/{organization}/{environment}/{service}/{resource}/{attribute}` (see DESIGN.md)."""
        return f"/{self.organization}/{self.environment}/{service}/{resource}/{attribute}"

    def function_name(self, resource: str) -> str:
        return f"{self.prefix}-{resource}"

    def dead_letter_queue_name(self, resource: str) -> str:
        return f"{self.prefix}-{resource}-dlq"

    @property
    def api_name(self) -> str:
        return f"{self.prefix}-api"

    @property
    def event_bus_name(self) -> str:
        """The custom EventBridge bus the outbox relay publishes domain events to."""
        return f"{self.prefix}-events"

    @property
    def stack_prefix(self) -> str:
        """CamelCase stack-name prefix, e.g. `TenantkitDev`."""
        return "".join(part.title() for part in self.prefix.split("-"))

    @property
    def origins_csv(self) -> str:
        return ",".join(self.allowed_origins)

    @classmethod
    def resolve(cls, context: ContextLookup, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from `context` (e.g. `app.node.try_get_context`), then `environ`, then defaults."""
        env = os.environ if environ is None else environ

        def pick(context_key: str, env_key: str, default: str) -> str:
            value = context(context_key)
            if value is None or str(value).strip() == "":
                value = env.get(env_key, "")
            text = str(value).strip()
            return text or default

        def number(context_key: str, env_key: str, default: int) -> int:
            raw = pick(context_key, env_key, str(default))
            try:
                return int(raw)
            except ValueError:
                raise SettingsError(f"{context_key} must be an integer, not {raw!r}") from None

        origins = tuple(
            origin.strip().rstrip("/")
            for origin in pick("allowed_origins", "CORS_ALLOWED_ORIGINS", ",".join(DEFAULT_ORIGINS)).split(",")
            if origin.strip()
        )
        mfa = pick("mfa", "TENANTKIT_MFA", "optional").lower()
        if mfa not in ("optional", "required"):
            raise SettingsError(f"mfa must be 'optional' or 'required', not {mfa!r}")
        tracing = pick("tracing", "TENANTKIT_TRACING", "off").lower()
        if tracing not in ("on", "off"):
            raise SettingsError(f"tracing must be 'on' or 'off', not {tracing!r}")
        return cls(
            organization=pick("organization", "TENANTKIT_ORG", DEFAULT_ORGANIZATION),
            environment=pick("environment", "TENANTKIT_ENV", DEFAULT_ENVIRONMENT),
            allowed_origins=origins,
            log_level=pick("log_level", "LOG_LEVEL", "INFO").upper(),
            log_retention_days=number("log_retention_days", "TENANTKIT_LOG_RETENTION_DAYS", 30),
            throttle_rate=number("throttle_rate", "TENANTKIT_THROTTLE_RATE", 100),
            throttle_burst=number("throttle_burst", "TENANTKIT_THROTTLE_BURST", 200),
            mfa_required=mfa == "required",
            tracing=tracing == "on",
            alarm_email=pick("alarm_email", "TENANTKIT_ALARM_EMAIL", "") or None,
        )
