"""Proprietary-code fingerprints: tokenizer, winnowing, SQLite index, lookup.

Integration (what ``dlp scan --index`` / ``dlp check --index`` call)::

    from dlp.fingerprint import open_index, lookup
    with open_index(".dlp/index.sqlite") as index:
        for match in lookup(text, index, threshold=0.5):
            ...  # match.source_path, match.source_start_line, match.share, match.start/end

See docs/proprietary.md for the method.
"""
from __future__ import annotations

from .index import BuildReport, Index, IndexStats, Skip, SourceRow, build, open_index
from .lookup import (
    DEFAULT_MIN_MATCHES,
    DEFAULT_THRESHOLD,
    Match,
    Region,
    code_regions,
    guess_language,
    language_scores,
    lookup,
)
from .tokenize import (
    EXTENSIONS,
    LANGUAGES,
    Tokens,
    language_for_path,
    language_name,
    tokenize,
)
from .winnow import GUARANTEE, Fingerprint, K, W, fingerprints

__all__ = [
    "DEFAULT_MIN_MATCHES",
    "DEFAULT_THRESHOLD",
    "EXTENSIONS",
    "GUARANTEE",
    "LANGUAGES",
    "BuildReport",
    "Fingerprint",
    "Index",
    "IndexStats",
    "K",
    "Match",
    "Region",
    "Skip",
    "SourceRow",
    "Tokens",
    "W",
    "build",
    "code_regions",
    "fingerprints",
    "guess_language",
    "language_for_path",
    "language_name",
    "language_scores",
    "lookup",
    "open_index",
    "tokenize",
]
