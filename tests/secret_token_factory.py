"""Make fake credentials with the real format, including valid checksums.

Used by the validator tests, and to write rule examples and the labelled
corpus. Every function takes a ``random.Random`` so output is reproducible.
Nothing here is a real credential.
"""
from __future__ import annotations

import base64
import json
import random
import string
import zlib

from dlp.validators.secrets import _BECH32_CHARSET, base62, bech32_checksum

ALNUM = string.ascii_letters + string.digits
UPPER_ALNUM = string.ascii_uppercase + string.digits
LOWER_ALNUM = string.ascii_lowercase + string.digits
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
BASE32 = string.ascii_uppercase + "234567"


def rand(rng: random.Random, charset: str, n: int) -> str:
    return "".join(rng.choice(charset) for _ in range(n))


def github_token(rng: random.Random, prefix: str = "ghp_", *, valid: bool = True) -> str:
    """``prefix`` + 30 random base62 + 6-char base62 CRC32 (GitHub classic, npm)."""
    body = rand(rng, ALNUM, 30)
    crc = base62(zlib.crc32(body.encode()), 6)
    if not valid:
        crc = crc[:-1] + ("A" if crc[-1] != "A" else "B")
    return prefix + body + crc


def crc32_hex_token(rng: random.Random, prefix: str, n: int, *, charset: str = ALNUM,
                    include_prefix: bool = False, upper: bool = False,
                    valid: bool = True) -> str:
    """``prefix`` + ``n`` random chars + 8 hex CRC32 (Atlassian includes the prefix
    in the checksummed body; Cloudflare does not)."""
    body = rand(rng, charset, n)
    crc = zlib.crc32(((prefix if include_prefix else "") + body).encode())
    if not valid:
        crc ^= 0x1
    tail = f"{crc:08x}"
    return prefix + body + (tail.upper() if upper else tail)


def bech32_encode(hrp: str, data: list[int]) -> str:
    return hrp + "1" + "".join(_BECH32_CHARSET[d] for d in data + bech32_checksum(hrp, data))


def age_secret_key(rng: random.Random, *, valid: bool = True) -> str:
    """AGE-SECRET-KEY-1 + 52 data symbols (32 bytes) + 6 checksum symbols, uppercase."""
    data = [rng.randrange(32) for _ in range(52)]
    data[-1] &= 0b10000  # 32 bytes = 256 bits: the last symbol carries 1 bit + padding
    key = bech32_encode("age-secret-key-", data).upper()
    if not valid:
        last = key[-1]
        key = key[:-1] + ("Q" if last != "Q" else "P")
    return key


def pypi_token(rng: random.Random, *, location: str = "pypi.org") -> str:
    """``pypi-`` + base64url(version-2 macaroon) with the real location header."""
    loc = location.encode()
    ident = json.dumps({"version": 1, "permissions": "user"}).encode()
    secret = bytes(rng.randrange(256) for _ in range(32))
    raw = (b"\x02\x01" + bytes([len(loc)]) + loc + b"\x02" + bytes([len(ident)]) + ident
           + b"\x00\x00\x06\x20" + secret)
    return "pypi-" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _b64url(obj: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")


def jwt_token(rng: random.Random, claims: dict[str, object] | None = None) -> str:
    header = {"alg": "HS256", "typ": "JWT"}
    payload = claims or {"sub": str(rng.randrange(10**9)), "iat": 1700000000 + rng.randrange(10**6)}
    sig = base64.urlsafe_b64encode(bytes(rng.randrange(256) for _ in range(32))).decode().rstrip("=")
    return f"{_b64url(header)}.{_b64url(payload)}.{sig}"


def b64_json(obj: object, *, urlsafe: bool = False) -> str:
    raw = json.dumps(obj, separators=(",", ":")).encode()
    enc = base64.urlsafe_b64encode(raw) if urlsafe else base64.b64encode(raw)
    return enc.decode().rstrip("=")


def basic_auth(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


def uuid4(rng: random.Random) -> str:
    h = rand(rng, HEX, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"
