"""Opaque pagination cursors: signed with HMAC-SHA256 and bound to the tenant and the query.

A cursor carries the last returned item's key (the `ExclusiveStartKey`) and a fingerprint of
(tenant, index, key condition, filter, order). Decoding checks the signature in constant time and
the fingerprint, so a tampered cursor or one from another tenant or another query is refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from tenantkit.store.errors import InvalidCursorError

_VERSION = "c1"
MAX_CURSOR_LENGTH = 2048


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    """Strict: only the canonical unpadded url-safe encoding of some bytes is accepted."""
    data = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    if _b64(data) != text:
        raise ValueError("non-canonical base64")
    return data


def fingerprint(*parts: Any) -> str:
    """A stable digest of what a cursor is bound to."""
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


class CursorSigner:
    """Encodes and verifies cursors with one secret."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 32:
            raise ValueError("cursor secret must be at least 32 bytes")
        self._secret = secret

    def _sign(self, payload: bytes) -> bytes:
        return hmac.new(self._secret, payload, hashlib.sha256).digest()

    def encode(self, start_key: dict[str, str], binding: str) -> str:
        payload = json.dumps({"k": start_key, "b": binding}, sort_keys=True, separators=(",", ":")).encode()
        return f"{_VERSION}.{_b64(payload)}.{_b64(self._sign(payload))}"

    def decode(self, cursor: str, binding: str) -> dict[str, str]:
        """The start key of a cursor made for `binding`; InvalidCursorError for anything else."""
        if not isinstance(cursor, str) or len(cursor) > MAX_CURSOR_LENGTH:
            raise InvalidCursorError("invalid cursor")
        try:
            version, payload_text, signature_text = cursor.split(".")
            payload, signature = _unb64(payload_text), _unb64(signature_text)
        except (ValueError, TypeError) as error:
            raise InvalidCursorError("invalid cursor") from error
        if version != _VERSION or not hmac.compare_digest(signature, self._sign(payload)):
            raise InvalidCursorError("invalid cursor")
        data = json.loads(payload)
        if data.get("b") != binding:
            raise InvalidCursorError("cursor does not belong to this query")
        start_key = data.get("k")
        if not isinstance(start_key, dict) or not all(isinstance(v, str) for v in start_key.values()):
            raise InvalidCursorError("invalid cursor")
        return start_key
