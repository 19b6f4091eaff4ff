"""Placeholder filter and masking, as tables."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlp.mask import fingerprint, mask
from dlp.model import Category
from dlp.placeholders import is_placeholder


@pytest.mark.parametrize(
    "value",
    ["${API_KEY}", "$(cat key)", "{{ token }}", "{% secret %}", "<%= key %>", "#{token}", "%(pw)s", "%s",
     "$API_KEY", "<your-api-key>", "[API_KEY]", "{api_key}", "__TOKEN__", "your_api_key_here", "YOUR-TOKEN",
     "placeholder", "xxxxxxxxxxxxxxxx", "****************", "0000000000000000", "AKIAIOSFODNN7EXAMPLE",
     "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "changeme", "abcdefghijklmnop", "1234567890abcdef",
     "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "not-a-real-token", "dummy_secret_value", "redacted"],
)
def test_placeholders(value: str) -> None:
    assert is_placeholder(value)


@pytest.mark.parametrize(
    "value",
    ["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", "x9#Lq2!vR7zT", "AKIAZ7QLXW3MN4PRTY2K",
     "sk_live_51Hx9Lq2vR7zTQw8KpN3mBcD", "Tr0ub4dor&3-horse", "9f86d081884c7d659a2feaa0c55ad015"],
)
def test_real_looking_values_are_not_placeholders(value: str) -> None:
    assert not is_placeholder(value)


@pytest.mark.parametrize(
    ("value", "category", "masked"),
    [
        ("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", Category.SECRET, "ghp_****..."),
        ("x9#Lq2!vR7zT", Category.SECRET, "x9#****..."),
        ("short", Category.SECRET, "*****"),
        ("abc", Category.SECRET, "****"),
        ("900101-14-5671", Category.PII, "******-**-**71"),
        ("4539 1488 0343 6467", Category.PII, "**** **** **** 6467"),
        ("S1234567D", Category.PII, "*******7D"),
        ("12345", Category.PII, "*****"),
    ],
)
def test_mask(value: str, category: Category, masked: str) -> None:
    assert mask(value, category) == masked


def test_mask_never_reveals_more_than_a_quarter() -> None:
    for n in range(1, 80):
        value = "A" * n
        shown = mask(value).replace("*", "").replace(".", "")
        assert len(shown) <= max(0, n // 4)


def test_fingerprint_is_stable_and_rule_scoped() -> None:
    assert fingerprint("r", "v") == fingerprint("r", "v")
    assert fingerprint("r", "v") != fingerprint("q", "v")
    fp = fingerprint("github-pat", "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")
    assert fp.startswith("sha256:") and len(fp) == 71 and "ghp_" not in fp


def _mask_per_character(value: str) -> str:
    """The personal-data mask written out character by character (the reference)."""
    keep = 0 if len(value) < 6 else 4 if sum(c.isdigit() for c in value) >= 13 else 2
    out = []
    for ch in reversed(value):
        if ch.isalnum():
            out.append(ch if keep > 0 else "*")
            keep -= 1
        else:
            out.append(ch)
    return "".join(reversed(out))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789-. @_abcXYZé٣²Ⅻ\u00a0", max_size=30))
def test_pii_mask_keeps_separators_and_the_last_characters(value: str) -> None:
    assert mask(value, Category.PII) == _mask_per_character(value)


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet="xX*.#-_0aA$%{}<>[]()sdMyYoUr kenotNOTfmple9", max_size=24)
       | st.sampled_from(["your_api_key", "MY-TOKEN", "Placeholder", "insert here", "xXxXx", "aAaAaAaA", "__KEY__",
                          "${X}", "%(name)s", "do-not-use", "not_a_real", "S A M P L E", "sample", "fixme1"]))
def test_placeholder_prechecks_only_skip_patterns_that_cannot_match(value: str) -> None:
    """An ASCII value skips a placeholder pattern only when it lacks what the
    pattern needs: the answer is the patterns' own."""
    from dlp import placeholders

    plain = bool(value) and (value.lower() in placeholders.EXAMPLE_VALUES
                             or any(p.search(value) for p in placeholders._patterns())
                             or any(seq in value.lower() for seq in placeholders._SEQUENCES))
    assert placeholders.is_placeholder(value) == (plain or not value)
