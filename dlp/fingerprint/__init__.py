"""Proprietary-code fingerprints: tokenizer, winnowing, SQLite index, lookup.

Integration (what ``dlp scan --index`` / ``dlp check --index`` call)::

    from dlp.fingerprint import open_index, lookup
    with open_index(".dlp/index.sqlite") as index:
        for match in lookup(text, index, threshold=0.5):
            ...  # match.source_path, match.source_start_line, match.share, match.start/end

See docs/proprietary.md for the method.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .tokenize import (
    EXTENSIONS,
    LANGUAGES,
    Tokens,
    language_for_path,
    language_name,
    tokenize,
)
from .winnow import GUARANTEE, Fingerprint, K, W, fingerprints

if TYPE_CHECKING:
    from .index import (
        BuildReport,
        Index,
        IndexStats,
        Skip,
        SourceRow,
        build,
        open_index,
    )
    from .matches import (
        DEFAULT_MIN_MATCHES,
        DEFAULT_THRESHOLD,
        Match,
        Region,
        code_regions,
        guess_language,
        language_scores,
        lookup,
    )

# The index and the lookup are imported on first use of one of their names
# (PEP 562): the tokenizer alone serves dlp.codectx, which checks a generic
# finding against the syntax tree, and a pre-commit run should not pay for
# the index's dataclasses and the lookup's 137 language-feature regexes
# (~15 ms) to check one password.
_LAZY = {
    "BuildReport": "index", "Index": "index", "IndexStats": "index", "Skip": "index",
    "SourceRow": "index", "build": "index", "open_index": "index",
    "DEFAULT_MIN_MATCHES": "matches", "DEFAULT_THRESHOLD": "matches", "Match": "matches",
    "Region": "matches", "code_regions": "matches", "guess_language": "matches",
    "language_scores": "matches", "lookup": "matches",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


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
