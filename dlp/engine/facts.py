"""What a matcher learns about a document in passing, for the scanner's
context checks (dlp/context.py). Imports nothing: the hook's fast path loads
the Hyperscan matcher without the scanner."""
from __future__ import annotations

# The last document a matcher saw hold no ``INSERT ... INTO``, by identity.
_SQL_FREE: list[bytes | None] = [None]


def note_sql_free(data: bytes) -> None:
    """Note that ``data`` holds no ``INSERT``/``insert`` followed by ``INTO``
    (``IGNORE INTO``): no value in it is in an SQL row, so the context check
    skips its look-back for a statement (the same answer, without reading
    16 KB before each value)."""
    _SQL_FREE[0] = data


def sql_free(data: bytes) -> bool:
    """Whether a matcher noted ``data`` (this very object) as holding no SQL ``INSERT``."""
    return _SQL_FREE[0] is data
