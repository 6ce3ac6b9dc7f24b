"""The issuer's signing keys (JWKS), cached by `kid` for the token verifier.

Loaded lazily on first use (cold starts stay cheap), refreshed after a maximum age, and refetched
when a token names an unknown `kid` (key rotation) -- but at most once per cooldown, so a flood of
forged kids cannot become a flood of requests to the issuer.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import urllib.parse
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jwt import PyJWK

Fetch = Callable[[str], bytes]
"""Returns the raw JWKS document at a URL; raises on any failure."""

FETCH_TIMEOUT_SECONDS = 3.0
MAX_JWKS_BYTES = 1024 * 1024
MIN_RSA_KEY_BITS = 2048
_ASYMMETRIC_KEY_TYPES = frozenset({"RSA", "EC", "OKP"})
_LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})

_log = logging.getLogger(__name__)


class KeySetError(Exception):
    """The key set could not be loaded or parsed. The message never holds key material."""


def check_jwks_url(url: str) -> None:
    """Require https, so keys cannot be swapped in transit; plain http only on loopback (local stack)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname in _LOOPBACK_HOSTS:
        return
    raise ValueError("jwks_url must be an https URL (plain http is allowed only on loopback)")


def default_fetch(url: str) -> bytes:
    """GET the key set with a short timeout: a slow issuer must not eat the whole Lambda budget."""
    import urllib.request  # lazily: it pulls in http.client, email and ssl (~30 ms of cold start)

    check_jwks_url(url)
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 - checked
    with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310 - checked
        body: bytes = response.read(MAX_JWKS_BYTES + 1)
    if len(body) > MAX_JWKS_BYTES:
        raise KeySetError("key set document is too large")
    return body


def parse_key_set(document: Mapping[str, Any]) -> dict[str, PyJWK]:
    """Usable signing keys by `kid`. Symmetric (`oct`), encryption-only, short RSA and unparsable keys
    are skipped, so an HMAC secret can never be picked as a verification key."""
    import jwt

    raw_keys = document.get("keys")
    if not isinstance(raw_keys, list):
        raise KeySetError("key set has no 'keys' list")
    keys: dict[str, PyJWK] = {}
    for raw in raw_keys:
        if not isinstance(raw, dict):
            continue
        kid = raw.get("kid")
        if not isinstance(kid, str) or not kid or kid in keys:
            continue
        if raw.get("kty") not in _ASYMMETRIC_KEY_TYPES or raw.get("use", "sig") != "sig":
            continue
        try:
            key = jwt.PyJWK(raw)
        except (jwt.PyJWTError, ValueError, TypeError):
            _log.warning("skipping unusable signing key kid=%s", kid)
            continue
        if raw["kty"] == "RSA" and getattr(key.key, "key_size", 0) < MIN_RSA_KEY_BITS:
            _log.warning("skipping RSA signing key shorter than %d bits kid=%s", MIN_RSA_KEY_BITS, kid)
            continue
        keys[kid] = key
    return keys


def _decode_document(raw: bytes) -> Mapping[str, Any]:
    document = json.loads(raw)
    if not isinstance(document, dict):
        raise KeySetError("key set document is not a JSON object")
    return document


class KeySetCache:
    """Signing keys by `kid`, thread-safe.

    Exactly one source: `static` (a JWKS mapping, never refreshed), `file` (a JWKS JSON file) or
    `url` (fetched with `fetch`). A failed refresh keeps serving the keys already held: an issuer
    blip must not lock every caller out.
    """

    def __init__(
        self,
        *,
        static: Mapping[str, Any] | None = None,
        file: str | None = None,
        url: str | None = None,
        fetch: Fetch = default_fetch,
        clock: Callable[[], float],
        max_age_seconds: float,
        cooldown_seconds: float,
    ) -> None:
        if sum(source is not None for source in (static, file, url)) != 1:
            raise ValueError("exactly one key source is required: static, file or url")
        self._static = static
        self._file = file
        self._url = url
        self._fetch = fetch
        self._clock = clock
        self._max_age = max_age_seconds
        self._cooldown = cooldown_seconds
        self._lock = threading.Lock()
        self._keys: dict[str, PyJWK] | None = None
        self._loaded_at = -math.inf
        self._last_attempt = -math.inf

    def get(self, kid: str) -> PyJWK | None:
        """The key for `kid`, loading or refreshing as needed; None when the issuer has no such key.

        Raises KeySetError only when no keys could ever be loaded.
        """
        with self._lock:
            now = self._clock()
            keys = self._keys
            if keys is None or (self._may_refresh(now) and now - self._loaded_at >= self._max_age):
                keys = self._refresh(now)
            key = keys.get(kid)
            if key is None and self._may_refresh(now):
                key = self._refresh(now).get(kid)
            return key

    def _may_refresh(self, now: float) -> bool:
        return self._static is None and now - self._last_attempt >= self._cooldown

    def _refresh(self, now: float) -> dict[str, PyJWK]:
        self._last_attempt = now
        try:
            keys = parse_key_set(self._load_document())
        except Exception as exc:  # any failure of a (possibly injected) fetch is an unavailable key set
            if self._keys is None:
                raise KeySetError(f"signing keys unavailable ({type(exc).__name__})") from None
            _log.warning("signing key refresh failed (%s); keeping the current keys", type(exc).__name__)
            return self._keys
        self._keys = keys
        self._loaded_at = now
        return keys

    def _load_document(self) -> Mapping[str, Any]:
        if self._static is not None:
            return self._static
        if self._file is not None:
            return _decode_document(Path(self._file).read_bytes())
        assert self._url is not None
        return _decode_document(self._fetch(self._url))
