"""Masked values and fingerprints: what reports show instead of a secret."""
from __future__ import annotations

from dlp.cache import sha256
from dlp.model import Category


def mask(value: str, category: Category = Category.SECRET) -> str:
    """A value safe to print.

    Secrets keep at most their first four characters (usually the provider
    prefix), never more than a quarter of the value. Personal identifiers keep
    their separators and last two characters (four for long digit strings such
    as card numbers), so a reader can tell records apart without the value.
    """
    n = len(value)
    if category is Category.PII:
        digits = sum(c.isdigit() for c in value)
        keep = 4 if digits >= 13 else 2
        if n < 6:
            keep = 0
        out = []
        remaining = keep
        for ch in reversed(value):
            if ch.isalnum():
                out.append(ch if remaining > 0 else "*")
                remaining -= 1
            else:
                out.append(ch)
        return "".join(reversed(out))
    if n < 8:
        return "*" * max(n, 4)
    keep = min(4, n // 4)
    return value[:keep] + "****..."


def fingerprint(rule_id: str, value: str) -> str:
    """Stable identity of (rule, value): the key of baselines and allowlists."""
    digest = sha256(f"{rule_id}:{value}".encode("utf-8", "surrogatepass")).hexdigest()
    return f"sha256:{digest}"
