"""Key builder for single-table items: case-preserving, validated, delimiter-safe.

boto3-assist's `DynamoDBKey.build_key` lowercases, stops at the first `None` and does not escape, so
`tenant#t1` prefix-matches `tenant#t10` and a `#` inside an id forges segments. Here every segment is
validated (non-empty text, no delimiter, no control characters), case is preserved, and prefixes
for `begins_with` always end with the delimiter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

DELIMITER = "#"
_FORBIDDEN = re.compile(r"[#\x00-\x1f\x7f-\x9f]")
#: Characters `sortable_text` escapes: everything up to `%` (so the `#` separator sorts first), and C1 controls.
_ESCAPED = re.compile(r"[\x00-\x25\x7f-\x9f]")
MAX_SORTABLE_TEXT = 200
MAX_SEGMENT_LENGTH = 256

Segment = str | tuple[str, str]


class InvalidKeySegmentError(ValueError):
    """A key segment was empty, not text, or contained the delimiter or a control character."""


def check_segment(value: object, what: str = "key segment") -> str:
    """Return `value` if it may stand in a key, else raise `InvalidKeySegmentError`."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidKeySegmentError(f"{what} must be non-empty text")
    if len(value) > MAX_SEGMENT_LENGTH:
        raise InvalidKeySegmentError(f"{what} is longer than {MAX_SEGMENT_LENGTH} characters")
    if _FORBIDDEN.search(value):
        raise InvalidKeySegmentError(f"{what} contains the delimiter or a control character")
    return value


def _parts(segments: Iterable[Segment]) -> list[str]:
    parts: list[str] = []
    for segment in segments:
        if isinstance(segment, tuple):
            label, value = segment
            parts.append(check_segment(label, "key label"))
            parts.append(check_segment(value, f"value of '{label}'"))
        else:
            parts.append(check_segment(segment, "key label"))
    if not parts:
        raise InvalidKeySegmentError("a key needs at least one segment")
    return parts


def build_key(*segments: Segment) -> str:
    """`build_key(("tenant", "t1"), "group", ("id", "g1"))` -> `tenant#t1#group#id#g1`."""
    return DELIMITER.join(_parts(segments))


def build_prefix(*segments: Segment) -> str:
    """Like `build_key` but ending in the delimiter: safe for `begins_with`."""
    return build_key(*segments) + DELIMITER


def tenant_key(tenant_id: str, *segments: Segment) -> str:
    """A tenant-scoped key: always `tenant#<tenant_id>#...`, with at least one segment after it."""
    if not segments:
        raise InvalidKeySegmentError("a tenant-scoped key needs a segment after the tenant")
    return build_key(("tenant", tenant_id), *segments)


def tenant_prefix(tenant_id: str) -> str:
    """`tenant#<tenant_id>#`: what every tenant-scoped partition key starts with."""
    return build_prefix(("tenant", tenant_id))


def sortable_text(value: str) -> str:
    """Free text (a name) made safe and case-insensitively ordered for a sort key.

    Case-folded; every character up to `%` (space, `!`, `"`, `#`, `$`, `%`, controls) and the C1
    controls become `%XX`. Escapes keep their relative order and still sort below `&`, and every
    remaining character sorts above the `#` that follows the text in a key, so "Team" sorts before
    "Team A" and "#general" before "$money". Cut to `MAX_SORTABLE_TEXT` characters: a name's order
    is decided long before that, and the id that follows keeps keys unique.
    """
    escaped = _ESCAPED.sub(lambda match: f"%{ord(match.group()):02X}", value.casefold())
    return escaped[:MAX_SORTABLE_TEXT]


def sortable_number(value: int, width: int = 15) -> str:
    """A non-negative integer zero-padded so text order equals numeric order."""
    if value < 0:
        raise InvalidKeySegmentError("sortable numbers must not be negative")
    if value >= 10**width:
        raise InvalidKeySegmentError(f"sortable numbers must have at most {width} digits")
    return f"{value:0{width}d}"
