"""Offline structure and checksum checks for credential formats.

Every check is a pure function ``fn(value: str, **args) -> bool``; True keeps the
finding. Checksums are verified offline (no provider API is ever called):

- ``crc32_base62``: GitHub / npm tokens, base62 CRC32 of the random part.
- ``crc32_hex_tail``: Atlassian ``ATATT3``, Cloudflare ``cfut_``/``cfat_``/``cfk_``
  and Grafana-style tokens ending in 8 hex digits of CRC32.
- ``bech32``: age secret keys (``AGE-SECRET-KEY-1...``).
- ``jwt``, ``base64_json``, ``pypi_macaroon``, ``basic_auth_b64``: structure checks.
- ``not_natural_language``, ``not_hash_or_uuid``, ``not_code_reference``: filters
  for generic ``password = "..."`` rules, the largest source of false alarms.
"""
from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from collections.abc import Callable
from itertools import pairwise

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


def crc32_hex_tail(value: str, *, skip: int = 0, byteorder: str = "big",
                   case: str = "any") -> bool:
    """The last 8 characters are the hex CRC32 of ``value[skip:-8]``.

    ``skip`` drops a prefix from the checksummed body (Cloudflare ``cfut_`` = 5;
    Atlassian ``ATATT3...`` checksums the whole head, skip 0). ``byteorder`` is
    ``big`` (the usual ``%08x``) or ``little`` (Grafana service-account tokens).
    ``case`` is ``any``, ``lower`` or ``upper`` for the hex digits.
    """
    if len(value) <= skip + 8:
        return False
    body, tail = value[skip:-8], value[-8:]
    if not re.fullmatch(r"[0-9A-Fa-f]{8}", tail):
        return False
    if case == "lower" and tail != tail.lower() or case == "upper" and tail != tail.upper():
        return False
    try:
        crc = zlib.crc32(body.encode("ascii"))
    except UnicodeEncodeError:
        return False
    if byteorder == "little":
        expected = crc.to_bytes(4, "little").hex()
    else:
        expected = f"{crc:08x}"
    return tail.lower() == expected


# --- bech32 (BIP-173), used by age secret keys --------------------------------

_BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_GEN = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def _bech32_polymod(values: list[int]) -> int:
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= _BECH32_GEN[i] if (top >> i) & 1 else 0
    return chk


def _bech32_hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def bech32_checksum(hrp: str, data: list[int]) -> list[int]:
    """The six checksum symbols for ``data`` under ``hrp`` (bech32, constant 1)."""
    polymod = _bech32_polymod(_bech32_hrp_expand(hrp) + data + [0] * 6) ^ 1
    return [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]


def bech32(value: str, *, hrp: str = "", variant: str = "bech32") -> bool:
    """``value`` is a bech32 string (single case) with a valid checksum.

    ``hrp``, if given, must equal the human-readable part (case-insensitive).
    ``variant`` is ``bech32`` (age, BIP-173) or ``bech32m`` (BIP-350). The
    90-character limit of BIP-173 is not enforced (age keys are 74 characters,
    other users exceed 90).
    """
    if value != value.lower() and value != value.upper():
        return False
    s = value.lower()
    pos = s.rfind("1")
    if pos < 1 or pos + 7 > len(s):
        return False
    got_hrp, data_part = s[:pos], s[pos + 1:]
    if hrp and got_hrp != hrp.lower():
        return False
    if any(ord(c) < 33 or ord(c) > 126 for c in got_hrp):
        return False
    try:
        data = [_BECH32_CHARSET.index(c) for c in data_part]
    except ValueError:
        return False
    const = 0x2BC830A3 if variant == "bech32m" else 1
    return _bech32_polymod(_bech32_hrp_expand(got_hrp) + data) == const


# --- base64 structures ---------------------------------------------------------

def _b64decode(text: str) -> bytes:
    """Decode standard or URL-safe base64, with or without padding."""
    text = text.strip().rstrip("=")
    text += "=" * (-len(text) % 4)
    if "-" in text or "_" in text:
        return base64.urlsafe_b64decode(text)
    return base64.b64decode(text, validate=True)


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


def jwt_claims(value: str, *, require: str) -> bool:
    """A JWT (see :func:`jwt`) whose payload has every ``claim=value`` pair listed
    in ``require`` (comma-separated; a bare ``claim`` only demands presence)."""
    if not jwt(value):
        return False
    payload = _b64url_json(value.split(".")[1])
    assert isinstance(payload, dict)
    for item in (i.strip() for i in require.split(",") if i.strip()):
        key, sep, expected = item.partition("=")
        if key not in payload or sep and str(payload[key]) != expected:
            return False
    return True


def base64_json(value: str, *, skip: int = 0, require: str = "") -> bool:
    """``value[skip:]`` is base64 (standard or URL-safe) of a JSON object.

    ``require`` is a comma-separated list of keys the object must contain.
    """
    try:
        obj = json.loads(_b64decode(value[skip:]))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    if not isinstance(obj, dict):
        return False
    keys = [k.strip() for k in require.split(",") if k.strip()]
    return all(k in obj for k in keys)


def pypi_macaroon(value: str) -> bool:
    """A PyPI API token: ``pypi-`` + base64url of a version-2 macaroon whose
    location is ``pypi.org`` or ``test.pypi.org`` followed by an identifier field."""
    if not value.startswith("pypi-"):
        return False
    try:
        raw = _b64decode(value[5:])
    except (ValueError, binascii.Error):
        return False
    for location in (b"pypi.org", b"test.pypi.org"):
        head = b"\x02\x01" + bytes([len(location)]) + location
        if raw.startswith(head):
            rest = raw[len(head):]
            # field type 2 (identifier), then a varint length and the identifier
            return len(rest) > 2 and rest[0] == 0x02 and rest[1] > 0
    return False


def basic_auth_b64(value: str) -> bool:
    """Base64 of printable ``user:password`` with both parts non-empty
    (HTTP Basic credentials, Docker ``config.json`` ``auth`` fields)."""
    try:
        raw = _b64decode(value)
        text = raw.decode("utf-8")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    user, sep, password = text.partition(":")
    if not sep or not user or not password:
        return False
    if any(ord(c) < 32 for c in text):
        return False
    return not _is_placeholder_word(password)


# --- filters for generic keyword = value rules ---------------------------------

# Words that, alone or joined by separators, make a value a label, an identifier
# or documentation rather than a secret.
_WORDS = frozenset(["a", "an", "and", "any", "are", "as", "at", "be", "by", "for", "from", "here", "in", "into", "is", "it", "its", "my", "no", "not", "of", "on", "or", "our", "the", "this", "to", "use", "with", "your", "you", "we", "none", "null", "nil", "true", "false", "yes", "undefined", "empty", "blank", "password", "passwd", "passwords", "pass", "pwd", "secret", "secrets", "token", "tokens", "key", "keys", "api", "apikey", "access", "private", "public", "client", "id", "user", "username", "users", "name", "names", "value", "values", "string", "str", "field", "fields", "label", "labels", "config", "configuration", "setting", "settings", "option", "options", "env", "environment", "var", "variable", "variables", "default", "defaults", "example", "examples", "sample", "samples", "test", "tests", "testing", "dummy", "fake", "mock", "placeholder", "redacted", "hidden", "masked", "change", "changeme", "replace", "insert", "enter", "put", "set", "get", "new", "old", "my", "own", "real", "actual", "your", "here", "there", "todo", "fixme", "required", "optional", "missing", "invalid", "valid", "none", "unknown", "admin", "administrator", "root", "guest", "demo", "local", "localhost", "dev", "development", "prod", "production", "staging", "stage", "app", "application", "service", "server", "database", "db", "host", "port", "url", "uri", "path", "file", "files", "dir", "directory", "home", "data", "info", "auth", "authentication", "authorization", "login", "logout", "signin", "signup", "session", "cookie", "header", "headers", "bearer", "basic", "oauth", "credential", "credentials", "account", "accounts", "email", "mail", "phone", "address", "number", "code", "message", "error", "warning", "note", "notes", "type", "types", "kind", "form", "input", "output", "request", "response", "result", "please", "provide", "enter", "must", "should", "will", "can", "cannot", "here", "goes", "long", "short", "strong", "weak", "generate", "generated", "random", "secure", "insecure", "encrypted", "decrypted", "hash", "hashed", "salt", "verify", "verification", "confirm", "confirmation", "reset", "forgot", "forgotten", "current", "previous", "next", "first", "last", "primary", "secondary", "main", "master", "slave", "backup", "upload", "download", "read", "write", "delete", "update", "create", "remove", "list", "show", "hide", "open", "close", "start", "stop", "enable", "enabled", "disable", "disabled", "on", "off", "is", "has", "have", "had", "was", "were", "be", "been", "being", "do", "does", "postgres", "postgresql", "mysql", "mariadb", "mongo", "mongodb", "redis", "rabbitmq", "guest", "sa", "sys", "system", "oracle", "scott", "tiger", "sql", "pgsql", "dbuser", "dbpass", "qwerty", "letmein", "welcome", "hello", "world", "foo", "bar", "baz", "qux", "abc", "xyz", "love", "monkey", "dragon", "sunshine", "princess", "football", "baseball", "superman", "batman", "trustno1", "iloveyou", "starwars", "whatever",
    # Malay / Indonesian filler
    "sila", "masukkan", "masukan", "anda", "kata", "laluan", "katalaluan", "sandi", "katasandi", "rahsia",
    "rahasia", "kunci", "contoh", "isi", "sini", "di", "tukar", "ganti", "pengguna", "nama", "kosong"])

_FILLER_SUBSTRINGS = ("password", "passwd", "secret", "example", "changeme", "placeholder", "redacted")
_UPPER_FILLERS = ("YOUR", "HERE", "EXAMPLE", "ACCESS", "SECRET", "TOKEN", "PASSWORD", "REPLACE",
                  "INSERT", "CHANGE", "DUMMY", "SAMPLE", "KEYID", "APIKEY", "FAKE", "TEST")
_SEGMENT_RE = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_VOWELS = set("aeiouy")


def _segments(value: str) -> list[str]:
    out: list[str] = []
    for chunk in re.split(r"[\s_\-.,:;/|+]+", value):
        out.extend(_SEGMENT_RE.findall(chunk))
    return out


def _wordlike(seg: str) -> bool:
    s = seg.lower()
    if s in _WORDS:
        return True
    if not s.isalpha() or len(s) < 3:
        return False
    # pronounceable: enough vowels and no run of 5 consonants ("subscription" passes)
    vowels = sum(c in _VOWELS for c in s)
    if not vowels or len(s) >= 6 and vowels / len(s) < 0.25:
        return False
    run = 0
    for c in s:
        run = 0 if c in _VOWELS else run + 1
        if run >= 5:
            return False
    return True


def _is_placeholder_word(value: str) -> bool:
    segs = _segments(value)
    return bool(segs) and all(s.lower() in _WORDS for s in segs)


_DATE_VERSION_RE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?|\bv?\d+(?:\.\d+)+\b")


def _unquote_percent(value: str) -> str:
    if "%" not in value:
        return value
    return re.sub(r"%([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), value)


_KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz")
_STEPS = frozenset(pair for row in _KEYBOARD_ROWS for a, b in pairwise(row) for pair in (a + b, b + a))


def _sequential_fraction(value: str) -> float:
    """Share of adjacent character pairs that step along the alphabet, the digits or a
    keyboard row, either way ("abc123def456", "qwerty789", "zyx987")."""
    v = value.lower()
    pairs = list(pairwise(v))
    if not pairs:
        return 0.0
    steps = sum(a + b in _STEPS for a, b in pairs)
    return steps / len(pairs)


def not_natural_language(value: str, *, max_word_fraction: float = 0.85) -> bool:
    """The value does not read as words: reject phrases with spaces, identifiers
    made of dictionary-like words (``user_password_field``, ``MySecretName``),
    and values whose characters are almost all in pronounceable word segments
    with no digits or symbols, and keyboard walks or alphabet runs
    (``qwerty123``, ``abc123def456``). Keeps random-looking strings and passwords
    that mix words with digits/symbols in an unpredictable way."""
    v = _unquote_percent(value.strip())
    if not any(c.isalnum() for c in v):
        return False  # "***", "...", "-"
    if _sequential_fraction(v) >= 0.6:
        return False  # keyboard walks and alphabet runs: "abc123def456", "qwerty12345"
    if _is_placeholder_word(v):
        return False
    if any(w in v.lower() for w in _FILLER_SUBSTRINGS):
        return False  # "SomeKindOfPassword123!@#", "generatedwebdavpassword1"
    # drop dates and version numbers before judging ("token-efficient-tools-2025-02-19")
    v = _DATE_VERSION_RE.sub("-", v).strip("-") or v
    runs = re.findall(r"[A-Za-z]{2,}", v)
    if not re.search(r"\d", v) and len(runs) >= 2 and re.search(r"[_:.-]", v) \
            and not re.search(r"[^A-Za-z_:.-]", v) and 2 * sum(_wordlike(r) for r in runs) >= len(runs):
        # word-like runs joined by separators: a label or identifier ("HCP_VAULT_TOKEN")
        return False
    words = re.findall(r"[A-Za-z]+", v)
    if re.search(r"\s", v):
        # several space-separated alphabetic words: a sentence or a label
        if len([w for w in v.split() if w.isalpha()]) >= 2:
            return False
    segs = _segments(v)
    if not segs:
        return True
    if not re.search(r"[a-z\s_.-]", v):
        # One upper-case run such as an access key id: reject only a pronounceable
        # letters-only run ("ASIAANDPACIFICREGION"); any digit keeps it.
        runs = re.findall(r"[A-Z]+", v)
        if sum(w in v for w in _UPPER_FILLERS) >= 2:  # YOURACCESSKEYIDHERE1
            return False
        return any(c.isdigit() for c in v) or not all(
            _wordlike(r) and sum(c in "AEIOUY" for c in r) / len(r) >= 0.3 for r in runs)
    alpha_chars = sum(len(s) for s in segs if s.isalpha() and _wordlike(s))
    significant = sum(1 for c in v if c.isalnum())
    has_digit = any(c.isdigit() for c in v)
    has_symbol = any(not c.isalnum() and c not in " _-." for c in v)
    if not has_digit and not has_symbol and significant and alpha_chars / significant >= max_word_fraction:
        # e.g. "DatabaseConnection", "very-long-config-name"
        return False
    # dictionary word(s) plus a short number: "password123", "admin2024", "test_01"
    alpha_segs = [s for s in segs if s.isalpha() and len(s) > 1]
    if alpha_segs and all(s.lower() in _WORDS for s in alpha_segs) and not has_symbol:
        if sum(c.isdigit() for c in v) <= 4:
            return False
    if words and re.search(r"[_\-. ]", v) and not has_symbol \
            and all(_wordlike(w) for w in segs if w.isalpha() and len(w) > 1):
        # separator-joined word-like segments plus a version-like number ("config_v2")
        digits = sum(c.isdigit() for c in v)
        if digits <= 2 and len(segs) >= 2:
            return False
    return True


_UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_HASH_LENGTHS = {16, 24, 32, 40, 56, 64, 96, 128}  # 16/24: 64-bit ids, ObjectIds


def not_hash_or_uuid(value: str) -> bool:
    """Reject UUIDs, bare hex digests (MD5/SHA-1/SHA-2 lengths, 16/24-digit ids), ``sha256:``/``sha512-``
    integrity strings and git-style object ids: they identify, they do not authenticate."""
    v = value.strip()
    if _UUID_RE.fullmatch(v):
        return False
    if re.fullmatch(r"[0-9a-fA-F]+", v) and len(v) in _HASH_LENGTHS:
        return False
    if re.fullmatch(r"(?i)(?:sha(?:1|224|256|384|512)|md5)[:-][A-Za-z0-9+/=]+", v):
        return False
    return True


_CODE_REF = (  # compiled on first use (a few ms: most scans never need it)
    r"""(?x)
      ^\$[{(]?[A-Za-z_]                    # $VAR, ${VAR}, $(Var)
    | ^%[A-Za-z_][A-Za-z0-9_]*%$           # %VAR%
    | \b(?:os\.environ|os\.getenv|getenv|process\.env|ENV\[|System\.getenv|
           Environment\.GetEnvironmentVariable|env\(|config\(|settings\.|secrets\.)
    | ^[A-Za-z_$@][\w.$]*\s*[(\[]        # call or subscript: f(, a.b(, x[...]
    | ^(?:self|this|cls|ctx|req|request|props|state|config|cfg|conf|opts|options|params|args|kwargs)\b
    | ^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*){2,}$   # a.b.c attribute path
    | ^[a-z_][a-z0-9_]{0,23}\.[A-Za-z_][A-Za-z0-9_]*$             # obj.attr
    | [)\]]\.?[A-Za-z_]*\(?$              # ...).method( / ...]
    | (?<!\w)[A-Za-z_]\w*\(                 # a call anywhere: x.f(, f(a) (word starts only: linear)
    | \),|\)\.|\)\)|\(\)                    # call syntax: ), ). )) ()
    | ^new\s+[A-Z]                           # constructor
    | ^(?:[A-Z]{2,}(?=[A-Z][a-z])|[A-Z][a-z]{2,}(?![a-z])|[a-z]{2,}(?![a-z])|[A-Z]?\d{1,3}(?!\d))*(?:Mgr|Manager|Object|Key|Keys|Type|Error|Handler
       |Client|Config|Provider|Factory|Service|Info|Data|Dict|List|Map|Str|Id|Name|Value|Token|Secret|Password
       |Credential|Credentials|Header|Request|Response|Model|Schema|Class|Base|Impl|Interface|Exception|Field
       |Input|Output|Options|Settings|Params|Store|Cache|Holder|Wrapper|Builder|Loader|Result|Types|Tokenizer
       |Generator|Source|Callable|Collection|Handle|Lexer|Parser|Reader|Writer|Stream|Context|Session|Policy
       |Tokens|Usage|Details|Items|Response|Request|Event|State)\d{0,3}$
    | ^[a-z]{2,}(?:_[a-z0-9]{2,})+$                                 # snake_case name: ssl_password
    | ^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$        # an environment variable NAME: ANTHROPIC_API_KEY
    | ^(?i:urn|arn):                          # URN / ARN identifiers
    | ^\#/                                   # JSON pointer
    | ^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$   # date / timestamp
    | ^[A-Za-z_][\w.]*:[A-Za-z_]\w*$        # entry point module.path:function
    | ^(?:/|\./|\.\./|~/|[A-Za-z]:\\)[^\s]*$                    # file path
    | ^[A-Za-z][A-Za-z0-9+.-]*://[^/@\s]*(?:[/?#]|$)            # URL without userinfo
    | ^(?i:true|false|null|none|nil|undefined|yes|no|on|off)$
    | ^[+-]?\d+(?:\.\d+)?$                 # number
    | ^(?:application|text|image|audio|video|multipart|font|model|message)/[\w.+-]+$   # MIME type
    | ^(?:localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)*|\d{1,3}(?:\.\d{1,3}){3}):\d{2,5}$      # host:port
    | ^(?i:sha-?(?:1|224|256|384|512)|sha3-\d{3}|md5|blake2[bs]|aes(?:-?(?:128|192|256))?(?:-(?:gcm|cbc|ctr|ecb|cfb|ofb))?
         |chacha20(?:-poly1305)?|[hrep]s(?:256|384|512)|ed25519|x25519|rsa(?:-(?:oaep|pss|sha\d+))*|pbkdf2(?:-sha\d+)?
         |scrypt|argon2(?:id|i|d)?|bcrypt|hmac-?sha-?\d+)$   # algorithm names
    """
)


_CODE_REF_RE: re.Pattern[str] | None = None


def _code_ref_re() -> re.Pattern[str]:
    global _CODE_REF_RE
    if _CODE_REF_RE is None:
        _CODE_REF_RE = re.compile(_CODE_REF)
    return _CODE_REF_RE


def not_code_reference(value: str) -> bool:
    """Reject values that refer to a secret instead of being one: environment
    lookups, template variables, function calls, dotted attribute paths, file
    paths, URLs without credentials, MIME types, ``host:port``, algorithm names
    (``sha256``, ``AES-256-GCM``, ``HS256``), booleans and numbers."""
    v = value.strip().strip("'\"`")
    if not v:
        return False
    if _code_ref_re().search(v) and not re.match(r"^[a-z][a-z0-9+.-]*://[^/\s]*@", v):
        return False
    return True


VALIDATORS: dict[str, Callable[..., bool]] = {
    "crc32_base62": crc32_base62,
    "crc32_hex_tail": crc32_hex_tail,
    "bech32": bech32,
    "jwt": jwt,
    "jwt_claims": jwt_claims,
    "base64_json": base64_json,
    "pypi_macaroon": pypi_macaroon,
    "basic_auth_b64": basic_auth_b64,
    "not_natural_language": not_natural_language,
    "not_hash_or_uuid": not_hash_or_uuid,
    "not_code_reference": not_code_reference,
}
