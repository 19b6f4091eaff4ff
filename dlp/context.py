"""Evidence around a match: context words and inline allow comments."""
from __future__ import annotations

import re
from functools import lru_cache

from dlp.ruleset import Context

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")

# Markers users already put in their code. The marker must follow a comment
# opener on the same line, so a string literal alone cannot carry it.
_COMMENT = r"(?:#|//|/\*|--|<!--|;|%|\bREM\b|')"
_ALLOW_LINE = re.compile(
    _COMMENT + r".*?(?:"
    r"dlp:allow(?!-next-line)(?P<ids>(?:[ \t]+[a-z0-9][a-z0-9-]*(?:[ \t]*,[ \t]*[a-z0-9][a-z0-9-]*)*)?)"
    r"|pragma:\s*allowlist[ \t]+secret|gitleaks:allow|trufflehog:ignore|ggignore|kingfisher:(?:allow|ignore)"
    r")",
    re.IGNORECASE,
)
_ALLOW_NEXT = re.compile(
    _COMMENT + r".*?(?:pragma:\s*allowlist[ \t]+nextline[ \t]+secret|dlp:allow-next-line)",
    re.IGNORECASE,
)


def _normalise(text: str) -> str:
    """Lower-case with camelCase split, so `customerNric` contains the word `nric`."""
    return _CAMEL.sub("_", text).lower()


@lru_cache(maxsize=4096)
def _words_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    ascii_words = [re.escape(w) for w in words if w.isascii()]
    other = [re.escape(w) for w in words if not w.isascii()]
    parts = []
    if ascii_words:
        parts.append(r"(?<![a-z0-9])(?:" + "|".join(ascii_words) + r")(?![a-z0-9])")
    if other:
        parts.append("(?:" + "|".join(other) + ")")
    return re.compile("|".join(parts))


def has_context(data: bytes, start: int, end: int, context: Context) -> bool:
    """Whether any context word occurs within ``context.window`` characters of [start, end)."""
    if not context.words:
        return False
    w = context.window
    before = data[max(0, start - 4 * w):start].decode("utf-8", "replace")[-w:]
    after = data[end:end + 4 * w].decode("utf-8", "replace")[:w]
    regex = _words_regex(context.words)
    return bool(regex.search(_normalise(before)) or regex.search(_normalise(after)))


def inline_allowed(line_text: str, previous_line: str, rule_id: str) -> bool:
    """Whether an allow comment on the line (or a next-line marker above it) covers ``rule_id``."""
    m = _ALLOW_LINE.search(line_text)
    if m:
        ids = (m.group("ids") or "").replace(",", " ").split()
        if not ids or rule_id in ids:
            return True
    return bool(previous_line and _ALLOW_NEXT.search(previous_line))
