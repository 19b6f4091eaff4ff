"""Masked values and fingerprints: what reports show instead of a secret."""
from __future__ import annotations

import re

from dlp.cache import sha256
from dlp.model import Category

_ALNUM = re.compile(r"[^\W_]")  # what str.isalnum() accepts
_ASCII_STARS = str.maketrans(dict.fromkeys("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "*"))


def mask(value: str, category: Category = Category.SECRET) -> str:
    """A value safe to print.

    Secrets keep at most their first four characters (usually the provider
    prefix), never more than a quarter of the value. Personal identifiers keep
    their separators and last two characters (four for long digit strings such
    as card numbers), so a reader can tell records apart without the value.
    """
    n = len(value)
    if category is Category.PII:
        keep = 0 if n < 6 else 4 if sum(map(str.isdigit, value)) >= 13 else 2
        cut = n  # value[cut:]: the kept characters and the separators among them
        while keep and cut:
            cut -= 1
            keep -= value[cut].isalnum()
        head = value[:cut]
        return (head.translate(_ASCII_STARS) if head.isascii() else _ALNUM.sub("*", head)) + value[cut:]
    if n < 8:
        return "*" * max(n, 4)
    keep = min(4, n // 4)
    return value[:keep] + "****..."


def fingerprint(rule_id: str, value: str) -> str:
    """Stable identity of (rule, value): the key of baselines and allowlists."""
    digest = sha256(f"{rule_id}:{value}".encode("utf-8", "surrogatepass")).hexdigest()
    return f"sha256:{digest}"
