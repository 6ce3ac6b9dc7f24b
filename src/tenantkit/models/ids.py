"""Identifiers and timestamps.

Resource ids (tenants, groups, tasks, audit records) are ULIDs: 26 Crockford base32 characters,
48 bits of millisecond time then 80 random bits, so they sort by creation time and two processes
never mint the same one (unlike boto3-assist's zero-entropy sortable uuid). User ids are the
identity provider's subject: a canonical lowercase UUID, as Cognito issues them.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import threading
import time
import uuid

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_ULID_RE = re.compile(r"^[0-7][0-9A-HJKMNP-TV-Z]{25}$")
_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


_monotonic_lock = threading.Lock()
_last_value = 0


def new_id(now_ms: int | None = None) -> str:
    """A fresh ULID; `now_ms` fixes the time part (tests, range queries).

    Monotonic within a process: ids minted in the same millisecond increase (the random part of the
    previous id plus one), so "newest first" holds even for changes made in one millisecond.
    """
    global _last_value
    millis = int(time.time() * 1000) if now_ms is None else now_ms
    value = (millis << 80) | secrets.randbits(80)
    if now_ms is None:
        with _monotonic_lock:
            if value >> 80 == _last_value >> 80 and value <= _last_value:
                value = _last_value + 1
            _last_value = value
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def new_user_id() -> str:
    """A fresh user id in the identity provider's format (random UUID)."""
    return str(uuid.uuid4())


def is_resource_id(value: object) -> bool:
    """True for a well-formed ULID (upper case, as minted)."""
    return isinstance(value, str) and _ULID_RE.fullmatch(value) is not None


def is_user_id(value: object) -> bool:
    """True for a canonical lowercase UUID."""
    return isinstance(value, str) and _UUID_RE.fullmatch(value) is not None


def ulid_time_ms(value: str) -> int:
    """The millisecond timestamp encoded in a ULID."""
    number = 0
    for char in value[:10]:
        number = number * 32 + _CROCKFORD.index(char)
    return number


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def iso_utc(moment: dt.datetime) -> str:
    """ISO-8601 in UTC with millisecond precision and a `Z` suffix: sortable as text."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_iso_utc(value: str) -> dt.datetime:
    """Parse an ISO-8601 timestamp; naive values are taken as UTC."""
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def epoch_ms(value: str) -> int:
    """Milliseconds since the epoch of an ISO-8601 timestamp (exact: integer arithmetic, no floats)."""
    return (parse_iso_utc(value) - _EPOCH) // dt.timedelta(milliseconds=1)


#: The last millisecond a ULID can encode (48 bits, in the year 10889).
MAX_ULID_MS = (1 << 48) - 1


def _ulid_text(value: int) -> str:
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def _ulid_ms(millis: int) -> int:
    if isinstance(millis, bool) or not isinstance(millis, int) or not 0 <= millis <= MAX_ULID_MS:
        raise ValueError(f"a ULID encodes milliseconds from 0 to {MAX_ULID_MS}")
    return millis


def ulid_floor(millis: int) -> str:
    """The smallest ULID minted at `millis`: with `ulid_ceiling`, a sort-key range over a time span."""
    return _ulid_text(_ulid_ms(millis) << 80)


def ulid_ceiling(millis: int) -> str:
    """The largest ULID minted at `millis` (every id of that millisecond sorts at or below it)."""
    return _ulid_text((_ulid_ms(millis) << 80) | ((1 << 80) - 1))
