"""What a matcher learns about a document in passing, for the scanner's
context checks (dlp/context.py). Imports nothing: the hook's fast path loads
the Hyperscan matcher without the scanner."""
from __future__ import annotations

# The last document a matcher saw hold no ``INSERT``/``insert`` followed by
# ``INTO`` (``IGNORE INTO``), by identity: no value in it is in an SQL row, so
# the context check skips its look-back for a statement (the same answer,
# without reading 16 KB before each value). A matcher notes a document by
# setting ``SQL_FREE[0] = data`` (an assignment, not a call per document).
SQL_FREE: list[bytes | None] = [None]


def sql_free(data: bytes) -> bool:
    """Whether a matcher noted ``data`` (this very object) as holding no SQL ``INSERT``."""
    return SQL_FREE[0] is data
