"""Schema fragments shared by models: ids, key-safe segments, text, timestamps, metadata."""

from __future__ import annotations

from typing import Any

#: End of input in both ECMA-262 and Python regexes (Python's `$` also matches before a final newline,
#: and jsonschema evaluates `pattern` with Python's `re.search`).
END = "(?![\\s\\S])"
ID_PATTERN = "^[0-7][0-9A-HJKMNP-TV-Z]{25}" + END
USER_ID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}" + END

ID_SCHEMA: dict[str, Any] = {"type": "string", "pattern": ID_PATTERN}
USER_ID_SCHEMA: dict[str, Any] = {"type": "string", "pattern": USER_ID_PATTERN}
#: A value that may stand in a key: letters, digits, `_ . -`, starting with a letter or digit.
SEGMENT_SCHEMA: dict[str, Any] = {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}" + END}
#: One line of human text: at least one visible character, no control characters.
TEXT_LINE_SCHEMA: dict[str, Any] = {
    "type": "string",
    "minLength": 1,
    "pattern": "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*" + END,
}
TIMESTAMP_SCHEMA: dict[str, Any] = {"type": "string", "format": "date-time"}
VERSION_SCHEMA: dict[str, Any] = {"type": "integer", "minimum": 1}
#: A free-form map owned by the caller: its keys are never renamed.
METADATA_SCHEMA: dict[str, Any] = {"type": "object", "maxProperties": 50}
