"""Offline structure and checksum checks for credential formats."""
from __future__ import annotations

import base64
import binascii
import json
import zlib
from typing import Callable

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def base62(n: int, width: int) -> str:
    out = []
    while n:
        n, r = divmod(n, 62)
        out.append(_BASE62[r])
    return "".join(reversed(out)).rjust(width, "0")


def crc32_base62(value: str, *, prefix_len: int, checksum_len: int = 6) -> bool:
    """GitHub / npm style: the last ``checksum_len`` characters are base62(CRC32)
    of the random part (the characters after the ``prefix_len``-char prefix)."""
    if len(value) <= prefix_len + checksum_len:
        return False
    body, tail = value[prefix_len:-checksum_len], value[-checksum_len:]
    return base62(zlib.crc32(body.encode()), checksum_len) == tail


def _b64url_json(part: str) -> object:
    padded = part + "=" * (-len(part) % 4)
    return json.loads(base64.urlsafe_b64decode(padded))


def jwt(value: str) -> bool:
    """Three dot-separated base64url parts; the header is JSON with ``alg``; the payload is JSON."""
    parts = value.split(".")
    if len(parts) != 3:
        return False
    try:
        header = _b64url_json(parts[0])
        payload = _b64url_json(parts[1])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    return isinstance(header, dict) and "alg" in header and isinstance(payload, dict)


VALIDATORS: dict[str, Callable[..., bool]] = {
    "crc32_base62": crc32_base62,
    "jwt": jwt,
}
