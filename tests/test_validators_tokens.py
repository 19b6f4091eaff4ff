"""Table tests for the SaaS / AI / messaging / payment token validators."""
from __future__ import annotations

import base64
import inspect
import json
import random
import string
import struct
import zlib

import pytest

from dlp.validators import VALIDATORS
from dlp.validators import tokens
from dlp.validators.tokens import (
    atlassian_pat,
    base64_json_part,
    base64_startswith,
    discord_bot_token,
    grafana_sa_crc32,
    jwt_claim,
    slack_token,
)

RNG = random.Random(7)
ALNUM = string.ascii_letters + string.digits
B64URL = ALNUM + "-_"


def _rand(charset: str, n: int) -> str:
    return "".join(RNG.choice(charset) for _ in range(n))


def _b64(data: bytes, *, url: bool = False, pad: bool = True) -> str:
    text = (base64.urlsafe_b64encode if url else base64.b64encode)(data).decode()
    return text if pad else text.rstrip("=")


def _b64json(obj: object, **kw: bool) -> str:
    return _b64(json.dumps(obj, separators=(",", ":")).encode(), **kw)


def _glsa(*, valid: bool = True) -> str:
    head = "glsa_" + _rand(ALNUM, 32)
    tail = struct.pack("<I", zlib.crc32(head.encode())).hex()
    if not valid:
        tail = tail[:-1] + ("1" if tail[-1] == "0" else "0")
    return f"{head}_{tail}"


def _jwt(payload: dict[str, object], header: dict[str, object] | None = None) -> str:
    head = _b64json(header or {"alg": "HS256", "typ": "JWT"}, url=True, pad=False)
    body = _b64json(payload, url=True, pad=False)
    return f"{head}.{body}.{_rand(B64URL, 43)}"


def _discord(snowflake: str) -> str:
    return f"{_b64(snowflake.encode(), pad=False)}.{_rand(B64URL, 6)}.{_rand(B64URL, 38)}"


# --- registry ----------------------------------------------------------------------

def test_every_validator_is_registered_and_pure_signature() -> None:
    for name, fn in tokens.VALIDATORS.items():
        assert VALIDATORS[name] is fn
        params = list(inspect.signature(fn).parameters.values())
        assert params[0].name == "value"
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params[1:]), name


def test_no_name_clash_with_other_modules() -> None:
    from dlp.validators import common, pii, secrets

    others = set(common.VALIDATORS) | set(secrets.VALIDATORS) | set(pii.VALIDATORS)
    assert not others & set(tokens.VALIDATORS)


# --- grafana_sa_crc32 ------------------------------------------------------------------

GOOD_GLSA = [_glsa() for _ in range(5)]


@pytest.mark.parametrize("value", GOOD_GLSA)
def test_grafana_sa_crc32_accepts_valid(value: str) -> None:
    assert grafana_sa_crc32(value)


@pytest.mark.parametrize("value", [
    _glsa(valid=False),
    _glsa(valid=False),
    GOOD_GLSA[0].upper(),                       # prefix case matters
    GOOD_GLSA[0][:-1],                          # truncated
    GOOD_GLSA[0] + "0",                         # too long
    "glsa_" + "x" * 32 + "_00000000",
    GOOD_GLSA[0].replace("glsa_", "glsb_"),
    "",
])
def test_grafana_sa_crc32_rejects(value: str) -> None:
    assert not grafana_sa_crc32(value)


def test_grafana_sa_crc32_is_little_endian() -> None:
    head = "glsa_" + "Ab3" * 10 + "Zz"
    big_endian = f"{zlib.crc32(head.encode()):08x}"
    little_endian = struct.pack("<I", zlib.crc32(head.encode())).hex()
    assert little_endian != big_endian
    assert grafana_sa_crc32(f"{head}_{little_endian}")
    assert not grafana_sa_crc32(f"{head}_{big_endian}")


# --- base64_json_part ------------------------------------------------------------------------

SENTRY = "sntrys_" + _b64json({"iat": 1731000000.1, "url": "https://sentry.io", "org": "acme"}) + "_" + _rand(ALNUM, 43)
MIRO = _b64json({"miro.origin": "eu01"}, url=True, pad=False) + "_" + _rand(B64URL, 27)
TINYBIRD = "p." + _b64json({"u": "x", "id": "y"}, url=True, pad=False) + "." + _rand(B64URL, 43)


@pytest.mark.parametrize("value, kwargs", [
    (SENTRY, {"prefix": "sntrys_", "separator": "_", "index": 0, "keys": "iat,org"}),
    (MIRO, {"separator": "_", "index": 0, "keys": "miro.origin"}),
    (TINYBIRD, {"prefix": "p.", "separator": ".", "index": 0}),
    (_b64json({"a": 1}), {}),
    (_b64json({"a": 1, "b": 2}, pad=False), {"keys": " a , b "}),
    ("x." + _b64json({"k": 1}, url=True), {"separator": ".", "index": -1, "keys": "k"}),
])
def test_base64_json_part_accepts(value: str, kwargs: dict[str, object]) -> None:
    assert base64_json_part(value, **kwargs)


@pytest.mark.parametrize("value, kwargs", [
    (SENTRY, {"prefix": "sntrys_", "separator": "_", "index": 0, "keys": "iat,org,missing"}),
    (SENTRY, {"prefix": "sntryu_", "separator": "_"}),                     # wrong prefix
    (MIRO, {"separator": "_", "index": 5}),                                # no such part
    ("sntrys_eyJpYXQiOxxxxxxxxxxxx_" + _rand(ALNUM, 43), {"prefix": "sntrys_", "separator": "_"}),
    (_b64(b"[1, 2, 3]"), {}),                                              # JSON, not an object
    (_b64(b"not json at all"), {}),
    ("!!!!", {}),
    ("", {}),
])
def test_base64_json_part_rejects(value: str, kwargs: dict[str, object]) -> None:
    assert not base64_json_part(value, **kwargs)


# --- base64_startswith ---------------------------------------------------------------------------

INTERCOM = _b64(b"tok:2f1c2b9e-6f8a-4b43-9d0e-1c2b3a4d5e6f:1:0")


@pytest.mark.parametrize("value, kwargs, expected", [
    (INTERCOM, {"text": "tok:"}, True),
    (INTERCOM.rstrip("="), {"text": "tok:"}, True),
    ("Bearer:" + INTERCOM, {"text": "tok:", "prefix": "Bearer:"}, True),
    (INTERCOM, {"text": "tok:", "prefix": "Bearer:"}, False),
    (_b64(b"tik:abc"), {"text": "tok:"}, False),
    ("dG9rOm" + "$$$$", {"text": "tok:"}, False),
    ("", {"text": "tok:"}, False),
])
def test_base64_startswith(value: str, kwargs: dict[str, str], expected: bool) -> None:
    assert base64_startswith(value, **kwargs) is expected


# --- atlassian_pat -----------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (_b64(b"123456789012:" + bytes(range(40, 60))), True),
    (_b64(b"987654321098:" + RNG.randbytes(20)), True),
    (_b64(b"000000000000:" + RNG.randbytes(20)), False),   # id 0
    (_b64(b"abcdef:" + RNG.randbytes(20)), False),          # id not numeric
    (_b64(b"123456789012:" + b"a" * 20), False),             # no randomness
    (_b64(b"123456789012:short"), False),
    (_b64(b"no separator here at all, just text"), False),
    ("not base64 ***", False),
])
def test_atlassian_pat(value: str, expected: bool) -> None:
    assert atlassian_pat(value) is expected


# --- discord_bot_token -----------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (_discord("123456789012345678"), True),
    (_discord("1234567890123456789"), True),
    (_discord("98765432109876543"), True),
    (_discord("0123456789012345678"), False),          # leading zero: not a snowflake
    (_discord("1234"), False),                         # too short an id
    (_discord("hello-world-bot-xx"), False),           # not digits
    (_discord("123456789012345678").replace(".", "", 1), False),
    ("MTIzNDU2Nzg5MDEyMzQ1Njc4.abcde.fghijklmnopqrstuvwxyz0123456", False),  # 5-char timestamp
    ("MTIzNDU2Nzg5MDEyMzQ1Njc4.abcdef.short", False),
    ("", False),
])
def test_discord_bot_token(value: str, expected: bool) -> None:
    assert discord_bot_token(value) is expected


# --- slack_token -----------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("xoxb-123456789012-1234567890123-" + _rand(ALNUM, 24), True),
    ("xoxp-123456789012-123456789012-1234567890123-" + _rand("0123456789abcdef", 32), True),
    ("xoxc-123456789012-123456789012-1234567890123-" + _rand("0123456789abcdef", 64), True),
    ("xoxs-1234567890-12345678901-123456789012-" + _rand("0123456789abcdef", 64), True),
    ("xoxa-2-" + _rand(ALNUM, 40), True),
    ("xoxb-111111111111-1111111111111-" + _rand(ALNUM, 24), False),  # repeated digits
    ("xoxb-123456789012-1234567890123-" + "a" * 24, False),          # no randomness
    ("xoxb-123456789012-" + _rand(ALNUM, 24), False),                # missing bot id
    ("xoxb-not-a-real-token-this-will-not-work", False),
    ("xoxp-123456789012-123456789012-1234567890123-abc", False),     # secret too short
    ("xoxz-123456789012-1234567890123-" + _rand(ALNUM, 24), False),  # unknown prefix
    ("", False),
])
def test_slack_token(value: str, expected: bool) -> None:
    assert slack_token(value) is expected


# --- jwt_claim ---------------------------------------------------------------------------------------

SERVICE_ROLE = _jwt({"iss": "supabase", "role": "service_role", "iat": 1700000000})
ANON = _jwt({"iss": "supabase", "role": "anon", "iat": 1700000000})
SNOWFLAKE = _jwt({"iss": "ACME.ETL.SHA256:" + _b64(RNG.randbytes(32)), "sub": "ACME.ETL"}, {"alg": "RS256"})


@pytest.mark.parametrize("value, kwargs, expected", [
    (SERVICE_ROLE, {"claim": "role", "equals": "service_role"}, True),
    (ANON, {"claim": "role", "equals": "service_role"}, False),
    (ANON, {"claim": "role"}, True),
    (SNOWFLAKE, {"claim": "iss", "contains": ".SHA256:"}, True),
    (SERVICE_ROLE, {"claim": "iss", "contains": ".SHA256:"}, False),
    (SERVICE_ROLE, {"claim": "missing"}, False),
    (_jwt({"role": "service_role"}, {"typ": "JWT"}), {"claim": "role"}, False),  # header without alg
    (SERVICE_ROLE.rsplit(".", 1)[0], {"claim": "role"}, False),                 # two parts
    ("eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.sig", {"claim": "role"}, False),         # payload not JSON
    ("", {"claim": "role"}, False),
])
def test_jwt_claim(value: str, kwargs: dict[str, str], expected: bool) -> None:
    assert jwt_claim(value, **kwargs) is expected
