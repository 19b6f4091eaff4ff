"""General-purpose validators: entropy, character mix, Luhn."""
from __future__ import annotations

import math
import re
from collections import Counter
from typing import Callable


def shannon_entropy(value: str) -> float:
    """Bits per character of ``value``."""
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


def entropy(value: str, *, min: float) -> bool:  # noqa: A002 - YAML argument name
    """Shannon entropy of the value is at least ``min`` bits per character."""
    return shannon_entropy(value) >= min


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def luhn(value: str) -> bool:
    """The digits of the value (separators ignored) pass the Luhn check."""
    digits = re.sub(r"[\s-]", "", value)
    return digits.isdigit() and luhn_ok(digits)


def charset(value: str, *, digits: bool = False, upper: bool = False, lower: bool = False,
            min_classes: int = 0) -> bool:
    """Require character classes: ``digits``/``upper``/``lower`` each demand one such
    character; ``min_classes`` demands that many of digit/upper/lower/other."""
    has_digit = any(c.isdigit() for c in value)
    has_upper = any(c.isupper() for c in value)
    has_lower = any(c.islower() for c in value)
    has_other = any(not c.isalnum() for c in value)
    if digits and not has_digit or upper and not has_upper or lower and not has_lower:
        return False
    return sum((has_digit, has_upper, has_lower, has_other)) >= min_classes


def not_repeated(value: str, *, max_run: int = 6) -> bool:
    """No character repeats more than ``max_run`` times in a row (rejects xxxx..., 0000...)."""
    run = 1
    for a, b in zip(value, value[1:]):
        run = run + 1 if a == b else 1
        if run > max_run:
            return False
    return True


def length(value: str, *, min: int = 0, max: int = 1 << 30) -> bool:  # noqa: A002
    """Length of the value lies in [min, max]."""
    return min <= len(value) <= max


VALIDATORS: dict[str, Callable[..., bool]] = {
    "entropy": entropy,
    "luhn": luhn,
    "charset": charset,
    "not_repeated": not_repeated,
    "length": length,
}
