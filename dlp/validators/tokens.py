"""Offline checks for SaaS, AI, messaging and payment token formats.

Each validator is a pure ``fn(value: str, **args) -> bool`` that returns True when
the value has the structure (checksum, embedded JSON, numeric segments) its
vendor gives it. None of them calls the network. Rule packs name them in
``validators:`` (``rules/secrets/{ai,data,messaging,payments,saas}.yaml``).
"""
from __future__ import annotations

import base64
import json
import re
import struct
import zlib
from typing import Callable

__all__ = [
    "VALIDATORS",
    "atlassian_pat",
    "base64_json_part",
    "base64_startswith",
    "discord_bot_token",
    "grafana_sa_crc32",
    "jwt_claim",
    "slack_token",
]


def _b64decode(text: str) -> bytes:
    """Decode standard or URL-safe base64, with or without padding.

    Raises ``ValueError`` (``binascii.Error`` is a subclass) on bad input.
    """
    text = text.strip()
    if not text or not re.fullmatch(r"[A-Za-z0-9+/_=-]+", text):
        raise ValueError("not base64")
    text = text.rstrip("=")
    text += "=" * (-len(text) % 4)
    if "-" in text or "_" in text:
        return base64.urlsafe_b64decode(text)
    return base64.b64decode(text, validate=True)


def _json_object(raw: bytes) -> dict[str, object] | None:
    try:
        obj = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return obj if isinstance(obj, dict) else None


def _keys(spec: str) -> list[str]:
    return [k.strip() for k in spec.split(",") if k.strip()]


def grafana_sa_crc32(value: str) -> bool:
    """Grafana service-account token ``glsa_<32 alnum>_<8 hex>``: the hex tail is
    the CRC32 of the first 37 characters, packed little-endian (as CredSweeper checks)."""
    if not re.fullmatch(r"glsa_[A-Za-z0-9]{32}_[0-9A-Fa-f]{8}", value):
        return False
    (tail,) = struct.unpack("<I", bytes.fromhex(value[38:]))
    return bool(tail == zlib.crc32(value[:37].encode("ascii")))


def atlassian_pat(value: str) -> bool:
    """Jira / Confluence Data Center personal access token: base64 of
    ``<numeric id>:<random bytes>``."""
    try:
        decoded = _b64decode(value)
    except ValueError:
        return False
    sep = decoded.find(b":")
    if not 0 < sep <= 20:
        return False
    head, body = decoded[:sep], decoded[sep + 1:]
    return head.isdigit() and int(head) > 0 and len(body) >= 16 and len(set(body)) >= 8


def base64_json_part(value: str, *, prefix: str = "", separator: str = "", index: int = 0,
                keys: str = "") -> bool:
    """The value (after ``prefix``; the ``index``-th part when split on ``separator``)
    is base64 of a JSON object holding every key of the comma-separated ``keys``.

    Sentry org tokens ``sntrys_<json>_<secret>`` (keys ``iat,org``), Miro tokens
    ``<json>_<secret>``, Tinybird ``p.<json>.<sig>``. (Whole-value base64 JSON is
    :func:`dlp.validators.secrets.base64_json`.)"""
    if prefix:
        if not value.startswith(prefix):
            return False
        value = value[len(prefix):]
    if separator:
        parts = value.split(separator)
        if not -len(parts) <= index < len(parts):
            return False
        value = parts[index]
    try:
        obj = _json_object(_b64decode(value))
    except ValueError:
        return False
    return obj is not None and all(k in obj for k in _keys(keys))


def base64_startswith(value: str, *, text: str, prefix: str = "") -> bool:
    """The value (after ``prefix``) is base64 whose decoded bytes start with ``text``
    (Intercom access tokens decode to ``tok:…``)."""
    if prefix:
        if not value.startswith(prefix):
            return False
        value = value[len(prefix):]
    try:
        return _b64decode(value).startswith(text.encode("utf-8"))
    except ValueError:
        return False


def discord_bot_token(value: str) -> bool:
    """Discord bot token ``<base64 user id>.<timestamp>.<hmac>``: the first part decodes
    to a snowflake id (17 to 20 digits), the second is 6 characters, the third 27 or more."""
    parts = value.split(".")
    if len(parts) != 3 or len(parts[1]) != 6 or len(parts[2]) < 27:
        return False
    try:
        ident = _b64decode(parts[0])
    except ValueError:
        return False
    return ident.isdigit() and 17 <= len(ident) <= 20 and ident[:1] != b"0"


_SLACK_SHAPES: dict[str, tuple[int, int]] = {
    # prefix: (numeric segments, minimum length of the final secret segment)
    "xoxb": (2, 24),
    "xoxp": (3, 32),
    "xoxe": (3, 32),
    "xoxa": (0, 8),
    "xoxr": (0, 8),
    "xoxs": (3, 8),
    "xoxo": (3, 8),
    "xoxc": (3, 64),
}


def slack_token(value: str) -> bool:
    """Slack tokens ``xox?-<numeric ids>-<secret>``: the id segments are numbers
    (team, user, bot), not one repeated digit, and the secret segment is long enough
    and not a run of one character."""
    parts = value.split("-")
    shape = _SLACK_SHAPES.get(parts[0])
    if shape is None or len(parts) < 2:
        return False
    numeric, secret_len = shape
    if numeric:
        ids = parts[1:1 + numeric]
        if len(ids) != numeric or not all(p.isdigit() and len(p) >= 5 for p in ids):
            return False
        if any(len(set(p)) == 1 for p in ids):
            return False
        secret = "".join(parts[1 + numeric:])
    else:
        secret = "".join(parts[1:])
    return len(secret) >= secret_len and secret.isalnum() and len(set(secret)) > 4


def jwt_claim(value: str, *, claim: str, equals: str = "", contains: str = "") -> bool:
    """A JWT whose payload has ``claim``, equal to ``equals`` and/or containing
    ``contains`` when given (Supabase ``role: service_role``, Snowflake key-pair
    ``iss`` with ``.SHA256:``)."""
    parts = value.split(".")
    if len(parts) != 3:
        return False
    try:
        header = _json_object(_b64decode(parts[0]))
        payload = _json_object(_b64decode(parts[1]))
    except ValueError:
        return False
    if header is None or "alg" not in header or payload is None or claim not in payload:
        return False
    found = str(payload[claim])
    if equals and found != equals:
        return False
    return not contains or contains in found


VALIDATORS: dict[str, Callable[..., bool]] = {
    "atlassian_pat": atlassian_pat,
    "base64_json_part": base64_json_part,
    "base64_startswith": base64_startswith,
    "discord_bot_token": discord_bot_token,
    "grafana_sa_crc32": grafana_sa_crc32,
    "jwt_claim": jwt_claim,
    "slack_token": slack_token,
}
