"""The one place tenantkit imports boto3-assist's model layer.

boto3-assist prints a banner to stdout on import (breaking tools that print JSON) and reads its
reserved-words file again for every model instance. Both are contained here: the banner is
swallowed, and the word list is read once, on first use, then shared.
"""

from __future__ import annotations

import contextlib
import functools
import io

with contextlib.redirect_stdout(io.StringIO()):
    from boto3_assist.dynamodb.dynamodb_index import DynamoDBIndex, DynamoDBIndexes
    from boto3_assist.dynamodb.dynamodb_key import DynamoDBKey
    from boto3_assist.dynamodb.dynamodb_model_base import DynamoDBModelBase, exclude_from_serialization
    from boto3_assist.dynamodb.dynamodb_reserved_words import DynamoDBReservedWords

_read_words = DynamoDBReservedWords._DynamoDBReservedWords__read_list  # type: ignore[attr-defined]


@functools.cache
def _reserved_words_once(_: object = None) -> tuple[str, ...]:
    return tuple(_read_words(None))


def _shared_word_list(_self: DynamoDBReservedWords) -> list[str]:
    return list(_reserved_words_once())


DynamoDBReservedWords._DynamoDBReservedWords__read_list = _shared_word_list  # type: ignore[attr-defined]

__all__ = [
    "DynamoDBIndex",
    "DynamoDBIndexes",
    "DynamoDBKey",
    "DynamoDBModelBase",
    "exclude_from_serialization",
]
