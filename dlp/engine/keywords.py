"""Which keywords are distinctive enough to stand for a rule in the database."""
from __future__ import annotations

# Keywords common in ordinary code: a line holding one is no evidence of anything,
# so rules keyed on them keep their full pattern in the database (and no
# personal-data rule takes one as its trigger). The last line by the lines of
# the standard library and site-packages holding them (caseless): service
# 0.7% (AWS clients), member 0.2%, name: 0.35% (annotations), datin
# (updating) 0.01%.
COMMON_KEYWORDS = frozenset("""
key keys token tokens secret secrets password passwords passwd pass pwd auth bearer private
credential credentials client access api apikey user login config data http https url host
basic oauth session cookie webhook hook account sign signing hash salt cert admin bot app
id name email phone date code number mobile address test_ key_ api_ app_ self. this. test.
return import default value_ token_ secret_ client_ access_ public private_
service member name: datin""".split())  # noqa: SIM905


def distinctive(keyword: str) -> bool:
    if keyword in COMMON_KEYWORDS:
        return False
    # short keywords are substrings of too much ordinary text ("re_", "sk_", "ably")
    if not keyword.isalpha():  # a character that is not a letter
        return len(keyword) >= 4
    return len(keyword) >= 5
